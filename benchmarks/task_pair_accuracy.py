"""Task-pair accuracy: the analyse stage's linking and judging on the hand-checked task pairs.

Parses the documents of tests/task_pairs/ with the parse stage's function, builds the series and
the attainment table with the analyse stage's functions (build_series, build_attainment) and
compares each task target with its hand-written label (tests/task_pairs/labels.csv).

    python benchmarks/task_pair_accuracy.py            # the table
    python benchmarks/task_pair_accuracy.py --rows     # and every target, right or wrong

Figures: per status (labelled, right), the confusion matrix (label × verdict), met/missed
accuracy (of the verdicts met or missed given to labelled targets, the share with the labelled
status and the labelled actual; and of the targets labelled met or missed, the share given it),
and false verdicts (met or missed) per 40 non-comparable targets (labelled with a trap).
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "task_pairs"
STATUSES = ("met", "missed", "unclear", "no_actual", "pending")
NOT_FOUND = "(not extracted)"


def load_labels(folder: Path = PAIRS) -> list[dict]:
    with open(folder / "labels.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["year"] = int(r["year"])
        r["target_value"] = float(r["target_value"])
        r["expected_actual"] = float(r["expected_actual"]) if r["expected_actual"] else None
    return rows


def build(folder: Path = PAIRS) -> pl.DataFrame:
    """The attainment table of the documents in folder, built as the analyse stage builds it."""
    from planwatch.analyse.attainment import attainment_of_files
    return attainment_of_files(sorted(folder.glob("*.txt")))


def judge_labels(attainment: pl.DataFrame, labels: list[dict]) -> list[dict]:
    """Each label with the verdict the code gave its target (matched by region, year, target
    document, subject fragment and value)."""
    att = attainment.filter(pl.col("scope") == "task").to_dicts()
    out = []
    for lab in labels:
        hit = next((r for r in att if r["region"] == lab["region"] and r["year"] == lab["year"]
                    and r["target_doc"] == lab["target_doc"] and lab["target"] in r["target_text"]
                    and r["target_value"] is not None and abs(r["target_value"] - lab["target_value"]) < 1e-9), None)
        got = hit["status"] if hit else NOT_FOUND
        actual = hit["actual_value"] if hit and got in ("met", "missed") else None
        right = got == lab["expected_status"]
        if right and got in ("met", "missed"):
            right = actual is not None and lab["expected_actual"] is not None and abs(actual - lab["expected_actual"]) < 1e-6
        out.append({**lab, "got": got, "got_actual": actual, "right": right,
                    "rule": hit["rule"] if hit else "", "actual_text": hit["actual_text"] if hit else None})
    return out


def summary(judged: list[dict]) -> dict:
    verdicts = [j for j in judged if j["got"] in ("met", "missed")]
    labelled_mm = [j for j in judged if j["expected_status"] in ("met", "missed")]
    traps = [j for j in judged if j["trap"]]
    false_on_traps = [j for j in traps if j["got"] in ("met", "missed")]
    return {
        "targets": len(judged),
        "right": sum(j["right"] for j in judged),
        "verdicts": len(verdicts),
        "verdicts_right": sum(j["right"] for j in verdicts),
        "met_missed_labelled": len(labelled_mm),
        "met_missed_found": sum(j["right"] for j in labelled_mm),
        "non_comparable": len(traps),
        "false_verdicts_on_non_comparable": len(false_on_traps),
        "false_per_40": 40 * len(false_on_traps) / len(traps) if traps else 0.0,
    }


def report(judged: list[dict], rows: bool = False) -> str:
    s = summary(judged)
    cols = list(STATUSES) + [NOT_FOUND]
    lines = [f"task pairs: {s['targets']} targets, {s['right']} right ({s['right'] / s['targets']:.1%})", "",
             "per status (label): labelled / right"]
    for st in STATUSES[:4]:
        n = [j for j in judged if j["expected_status"] == st]
        lines.append(f"  {st:<10} {len(n):>3} / {sum(j['right'] for j in n):>3}")
    lines += ["", "confusion (rows: label, columns: verdict)", "  " + " " * 11 + "".join(f"{c[:10]:>11}" for c in cols)]
    for st in STATUSES[:4]:
        lines.append(f"  {st:<11}" + "".join(f"{sum(1 for j in judged if j['expected_status'] == st and j['got'] == c):>11}" for c in cols))
    lines += ["", "traps (labelled unclear): n / given met or missed"]
    for trap in sorted({j["trap"] for j in judged if j["trap"]}):
        n = [j for j in judged if j["trap"] == trap]
        lines.append(f"  {trap:<11} {len(n):>3} / {sum(j['got'] in ('met', 'missed') for j in n):>3}")
    acc = s["verdicts_right"] / s["verdicts"] if s["verdicts"] else 1.0
    lines += ["",
              f"met/missed verdicts right: {s['verdicts_right']}/{s['verdicts']} ({acc:.1%})",
              f"labelled met/missed given the right verdict: {s['met_missed_found']}/{s['met_missed_labelled']} "
              f"({s['met_missed_found'] / s['met_missed_labelled']:.1%})",
              f"false verdicts on non-comparable targets: {s['false_verdicts_on_non_comparable']}/{s['non_comparable']} "
              f"= {s['false_per_40']:.1f} per 40"]
    if rows:
        lines.append("")
        for j in judged:
            mark = "ok " if j["right"] else "BAD"
            lines.append(f"{mark} {j['region']} {j['target']}{j['target_value']:g}: expected {j['expected_status']} "
                         f"{j['expected_actual'] if j['expected_actual'] is not None else ''}{' [' + j['trap'] + ']' if j['trap'] else ''}; "
                         f"got {j['got']} {j['got_actual'] if j['got_actual'] is not None else ''} — {j['actual_text'] or ''} ({j['rule']})")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    judged = judge_labels(build(), load_labels())
    print(report(judged, rows="--rows" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
