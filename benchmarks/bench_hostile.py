"""Time and peak memory of every hostile input of the hardening issue, at its original size.

    .venv/bin/python benchmarks/bench_hostile.py            # all cases, one fresh process each
    .venv/bin/python benchmarks/bench_hostile.py --fuzz 5000 # also: N random token mixes, slowest case

Each case runs in its own process so its peak RSS is its own. Refusals are expected where a
limit applies (the point is that they come at once, in little memory, as one line).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAD = "淄博市2025年国民经济和社会发展计划\n"


def _file(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def _zip_bomb(path: Path, gib: float) -> Path:
    """A .docx whose document.xml inflates to `gib` GiB of zeros (about 5 MB on disk for 5 GiB)."""
    size = int(gib * (1 << 30))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 24)
            for _ in range(size // len(chunk)):
                f.write(chunk)
    return path


CASES = {
    "200 MB text file (parse)": "file_200mb",
    "5 MB .docx inflating to 5 GiB (parse)": "zip_bomb",
    "10 MB single line (parse, default limit)": "line_10mb",
    "10 MB single line (extract, limit lifted)": "line_10mb_lifted",
    "80 KB of digits": "digits_80k",
    "80 KB of capital letters": "caps_80k",
    "80 KB of blank lines": "blank_80k",
    "200k short lines": "lines_200k",
    "5,000 × 2025年新建1个，": "years_5000",
    "6,000 repeated statements (180 KB): parse + validate checks": "repeat_6000",
}


def run_case(key: str) -> dict:
    from planwatch.errors import PlanwatchError
    from planwatch.parse.extract import extract
    from planwatch.parse.stage import parse_document
    tmp = Path(tempfile.mkdtemp(prefix="hostile-"))
    extract(HEAD + "地区生产总值增长5%。", region="淄博市", doc_year=2025)     # warm up: patterns compile once
    t0 = time.perf_counter()
    outcome = ""
    try:
        if key == "file_200mb":
            p = tmp / "big.txt"
            with p.open("w", encoding="utf-8") as f:
                f.write(HEAD)
                for _ in range(230):
                    f.write("地区生产总值增长5%。" * 30_000 + "\n")
            t0 = time.perf_counter()
            parse_document(p)
        elif key == "zip_bomb":
            p = _zip_bomb(tmp / "bomb.docx", 5)
            outcome = f"file {p.stat().st_size / 1e6:.1f} MB; "
            t0 = time.perf_counter()
            parse_document(p)
        elif key == "line_10mb":
            parse_document(_file(tmp, "line.txt", HEAD + "全区地区生产总值增长5%，" * 770_000))
        elif key == "line_10mb_lifted":
            text = HEAD + "全区地区生产总值增长5%，" * 770_000
            _facts, records = extract(text, region="淄博市", doc_year=2025)
            outcome = f"{len(records):,} rows, longest sentence kept {max(len(r.sentence) for r in records)} chars"
        elif key in ("digits_80k", "caps_80k", "blank_80k", "lines_200k", "years_5000"):
            body = {"digits_80k": "1" * 80_000, "caps_80k": "A" * 80_000, "blank_80k": "\n" * 80_000,
                    "lines_200k": "行\n" * 200_000, "years_5000": "2025年新建1个，" * 5000}[key]
            _facts, records = extract(HEAD + "地区生产总值增长5%。\n" + body, region="淄博市", doc_year=2025)
            outcome = f"{len(records):,} rows"
        elif key == "repeat_6000":
            import polars as pl
            from planwatch.validate.checks import within_document
            text = HEAD + "一、2024年计划执行情况\n" + "全市地区生产总值完成5088.9亿元，增长5.6%。" * 6000
            _facts, records = extract(text, region="淄博市", doc_year=2025)
            rows = pl.DataFrame([r.as_row(doc_id="d", region="淄博市") for r in records])
            outcome = f"{len(records):,} rows, {within_document(rows).height:,} pairs checked"
        else:
            raise SystemExit(f"unknown case {key}")
        outcome = outcome or "accepted"
    except PlanwatchError as exc:
        outcome += f"refused: {str(exc).replace(str(tmp) + '/', '')}"
    elapsed = time.perf_counter() - t0
    return {"seconds": round(elapsed, 2), "outcome": outcome}


def fuzz(n: int, seed: int = 7) -> dict:
    import random
    sys.path.insert(0, str(ROOT))
    from planwatch.parse.extract import extract
    from planwatch.parse.verify import span_problem
    from tests.test_hostile_inputs import TOKENS
    rng = random.Random(seed)
    extract(HEAD + "地区生产总值增长5%。", region="淄博市", doc_year=2025)     # warm up: patterns compile once
    slowest = (0.0, "")
    problems = 0
    for _ in range(n):
        text = HEAD + "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 200)))
        t0 = time.perf_counter()
        _f, records = extract(text, region="淄博市", doc_year=2025)
        dt = time.perf_counter() - t0
        problems += sum(1 for r in records if span_problem(text, r))
        if dt > slowest[0]:
            slowest = (dt, text)
    return {"examples": n, "problems": problems, "slowest_seconds": round(slowest[0], 4),
            "slowest_chars": len(slowest[1]), "slowest_head": slowest[1][:80]}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--one", help=argparse.SUPPRESS)
    p.add_argument("--fuzz", type=int, default=0)
    args = p.parse_args()
    if args.one:
        res = run_case(args.one)
        res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(res, ensure_ascii=False))
        return 0
    print(f"{'input':<58} {'time s':>7} {'peak MB':>8}  outcome")
    for label, key in CASES.items():
        r = subprocess.run([sys.executable, __file__, "--one", key], capture_output=True, text=True)
        if r.returncode:
            print(f"{label:<58} FAILED: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
            continue
        res = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"{label:<58} {res['seconds']:7.2f} {res['peak_rss_mb']:8.0f}  {res['outcome'][:120]}", flush=True)
    if args.fuzz:
        print(json.dumps(fuzz(args.fuzz), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
