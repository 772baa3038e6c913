"""Extraction quality: recall and precision against hand-annotated documents, by failure class.

    .venv/bin/python benchmarks/extraction_quality.py                 # source documents, corpus dev, corpus held-out
    .venv/bin/python benchmarks/extraction_quality.py --split dev -v  # one split, every miss and wrong row listed

Three sets are scored separately: the five source documents (tests/expected, the project's
first dev set), the evaluation corpus's dev split and its held-out split (tests/corpus; see
its README for the held-out rule). Each document is read as `planwatch extract` reads it —
through the converters, with no --region/--doc-year hints — and its catalogued rows are
matched one to one with the annotation: equal indicator, kind, period_year, value, unit,
growth_pct, value_high, growth_pct_high, qualifier and period_scope, and the row's span
(± a few characters, whitespace ignored) contains the annotation's evidence.

Scores are given for all catalogued rows and for the headline codes (catalogue `headline`).
Misses and wrong rows are put in one failure class each:
  refusal        the document was refused whole
  script/layout  no row at the place; the statement is in traditional script or broken layout
  coordination   分别 / lists: the figure went to another subject, or no row for it
  period scope   a multi-year or partial-year figure taken as annual (or the reverse)
  kind/year      a target read as an actual (or the reverse), or the wrong year
  code           the right figure under another indicator code
  number         the right indicator, kind and year with another value, unit, sign, range or qualifier
  not found      no row at the place, and the annotation names no reason
  extra          a row where the annotation has none (wrong rows only)
This script imports only the extractor's entry points (read_document, extract, the catalogue),
so it also scores an older checkout: PYTHONPATH=/path/to/old/src python benchmarks/extraction_quality.py
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
SOURCES = ROOT / "tests" / "expected"
FIELDS = ["indicator", "kind", "period_year", "value", "unit", "growth_pct", "value_high", "growth_pct_high",
          "qualifier", "period_scope"]
NUMERIC = {"value", "growth_pct", "value_high", "growth_pct_high"}
SLACK = 6                     # characters around a row's span in which its evidence may lie
CLASSES = ["refusal", "script/layout", "coordination", "period scope", "kind/year", "code", "number", "not found", "extra"]
TAG_CLASS = [("script", "script/layout"), ("layout", "script/layout"), ("coordination", "coordination"),
             ("scope", "period scope"), ("kind_year", "kind/year"), ("code", "code"), ("number", "number")]
# Units are compared in simplified script (annotations write units as data, not as quotations).
_UNIT_T2S = str.maketrans({"億": "亿", "萬": "万", "噸": "吨", "畝": "亩", "標": "标", "準": "准", "時": "时", "斤": "斤"})
_WS = re.compile(r"\s+")


def _num(v):
    if v in ("", None):
        return None
    return float(v)


def _norm_row(r: dict) -> dict:
    out = {f: r.get(f) for f in FIELDS}
    for f in NUMERIC:
        out[f] = _num(out[f]) if not isinstance(out[f], float) else out[f]
    out["period_year"] = int(out["period_year"]) if out["period_year"] not in ("", None) else None
    out["unit"] = (out["unit"] or None) and out["unit"].translate(_UNIT_T2S)
    out["qualifier"] = out["qualifier"] or None
    out["period_scope"] = out.get("period_scope") or "annual"
    return out


def _same(a: dict, b: dict, fields=FIELDS) -> bool:
    for f in fields:
        x, y = a[f], b[f]
        if f in NUMERIC:
            if (x is None) != (y is None) or (x is not None and abs(x - y) > 1e-9 * max(1.0, abs(x))):
                return False
        elif x != y:
            return False
    return True


@dataclass
class Doc:
    path: Path
    split: str
    meta: dict
    expected: list[dict]


@dataclass
class DocScore:
    doc: Doc
    refused: str | None = None
    facts: dict = field(default_factory=dict)
    extracted: list[dict] = field(default_factory=list)
    matched: int = 0
    missed: list[tuple[str, dict]] = field(default_factory=list)      # (class, expected row)
    wrong: list[tuple[str, dict]] = field(default_factory=list)       # (class, extracted row)
    seconds: float = 0.0


def read_annotations(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        n = _norm_row(r)
        n["evidence"] = _WS.sub("", r["evidence"])
        n["tags"] = (r.get("tags") or "").split()
        out.append(n)
    return out


def corpus_docs(split: str) -> list[Doc]:
    with (CORPUS / "index.csv").open(encoding="utf-8", newline="") as f:
        index = [r for r in csv.DictReader(f) if r["split"] == split]
    return [Doc(CORPUS / r["file"], split, r, read_annotations((CORPUS / r["file"]).with_suffix(".csv"))) for r in index]


def source_docs() -> list[Doc]:
    docs = []
    for exp in sorted(SOURCES.glob("*.csv")):
        rows = []
        with exp.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                n = _norm_row(r)
                n["evidence"] = _WS.sub("", r["evidence"])
                n["tags"] = []
                rows.append(n)
        docs.append(Doc(ROOT / "data" / "raw" / f"{exp.stem}.txt", "source", {"file": exp.stem}, rows))
    return docs


def _classify_miss(e: dict, near: list[dict], doc: Doc) -> str:
    same_code = [g for g in near if g["indicator"] == e["indicator"]]
    if same_code:
        g = same_code[0]
        if g["period_scope"] != e["period_scope"]:
            return "period scope"
        if g["kind"] != e["kind"] or g["period_year"] != e["period_year"]:
            return "kind/year"
        return "number"
    if near:
        return "coordination" if "coordination" in e["tags"] else "code"
    for tag, cls in TAG_CLASS:
        if tag in e["tags"]:
            return cls
    return "script/layout" if doc.meta.get("script") == "traditional" else "not found"


def _classify_wrong(g: dict, near: list[dict]) -> str:
    if not near:
        return "extra"
    same_code = [e for e in near if e["indicator"] == g["indicator"]]
    if same_code:
        e = same_code[0]
        if g["period_scope"] != e["period_scope"]:
            return "period scope"
        if g["kind"] != e["kind"] or g["period_year"] != e["period_year"]:
            return "kind/year"
        return "number"
    return "coordination" if any("coordination" in e["tags"] for e in near) else "code"


def score(doc: Doc) -> DocScore:
    from planwatch.errors import PlanwatchError
    from planwatch.parse.convert import read_document
    from planwatch.parse.extract import extract
    out = DocScore(doc)
    t0 = time.perf_counter()
    try:
        _data, text, _how = read_document(doc.path)
        facts, records = extract(text, name=str(doc.path))
    except PlanwatchError as exc:
        out.refused = str(exc)
        out.missed = [("refusal", e) for e in doc.expected]
        out.seconds = time.perf_counter() - t0
        return out
    out.seconds = time.perf_counter() - t0
    out.facts = {"region": facts.region, "doc_type": facts.doc_type, "doc_year": facts.doc_year}
    got = []
    for r in records:
        if r.indicator.startswith("other:"):
            continue
        row = _norm_row(r.as_row())
        row["surface"] = _WS.sub("", text[max(0, r.char_start - SLACK):r.char_end + SLACK])
        row["span"] = (r.char_start, r.char_end)
        got.append(row)
    out.extracted = got
    free = list(range(len(got)))
    missed_idx = []
    for ei, e in enumerate(doc.expected):
        hit = next((gi for gi in free if e["evidence"] in got[gi]["surface"] and _same(e, got[gi])), None)
        if hit is None:
            missed_idx.append(ei)
        else:
            free.remove(hit)
            out.matched += 1
    unmatched = [got[gi] for gi in free]
    for ei in missed_idx:
        e = doc.expected[ei]
        near = [g for g in unmatched if e["evidence"] in g["surface"]]
        out.missed.append((_classify_miss(e, near, doc), e))
    for g in unmatched:
        near = [doc.expected[ei] for ei in missed_idx if doc.expected[ei]["evidence"] in g["surface"]] or \
               [e for e in doc.expected if e["evidence"] in g["surface"]]
        out.wrong.append((_classify_wrong(g, near), g))
    return out


@dataclass
class Totals:
    expected: int = 0
    extracted: int = 0
    matched: int = 0

    def add(self, e: int, x: int, m: int) -> None:
        self.expected, self.extracted, self.matched = self.expected + e, self.extracted + x, self.matched + m

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0


def _headline_codes() -> set[str]:
    from planwatch.catalogue import default_catalogue
    return {c for c, i in default_catalogue().indicators.items() if i.headline}


def report(name: str, scores: list[DocScore], verbose: bool) -> dict:
    headline = _headline_codes()
    allrows, head = Totals(), Totals()
    miss_cls, wrong_cls = Counter(), Counter()
    hmiss_cls, hwrong_cls = Counter(), Counter()
    facts_ok = Counter()
    print(f"\n## {name}: {len(scores)} documents")
    print(f"{'document':<40} {'exp':>4} {'got':>4} {'ok':>4} {'recall':>7} {'prec':>7} | {'head R':>7} {'head P':>7}  facts")
    for s in scores:
        e, x, m = len(s.doc.expected), len(s.extracted), s.matched
        he = sum(1 for r in s.doc.expected if r["indicator"] in headline)
        hx = sum(1 for r in s.extracted if r["indicator"] in headline)
        hm = he - sum(1 for _c, r in s.missed if r["indicator"] in headline)
        allrows.add(e, x, m)
        head.add(he, hx, hm)
        for c, r in s.missed:
            miss_cls[c] += 1
            hmiss_cls[c] += r["indicator"] in headline
        for c, r in s.wrong:
            wrong_cls[c] += 1
            hwrong_cls[c] += r["indicator"] in headline
        t = Totals(e, x, m)
        ht = Totals(he, hx, hm)
        fact = "REFUSED" if s.refused else " ".join(
            f"{k}{'✓' if str(s.facts[k]) == str(s.doc.meta.get(k, s.facts[k])) else '✗'}" for k in ("region", "doc_type", "doc_year"))
        for k in ("region", "doc_type", "doc_year"):
            facts_ok[k] += (not s.refused) and str(s.facts.get(k)) == str(s.doc.meta.get(k, s.facts.get(k)))
        label = s.doc.meta["file"]
        print(f"{label:<40} {e:4d} {x:4d} {m:4d} {t.recall:7.1%} {t.precision:7.1%} | {ht.recall:7.1%} {ht.precision:7.1%}  {fact}")
        if verbose:
            if s.refused:
                print(f"    refused: {s.refused}")
            if s.facts and any(str(s.facts[k]) != str(s.doc.meta.get(k, s.facts[k])) for k in s.facts):
                print(f"    facts: got {s.facts}, annotated region={s.doc.meta.get('region')} "
                      f"doc_type={s.doc.meta.get('doc_type')} doc_year={s.doc.meta.get('doc_year')}")
            for c, r in s.missed:
                if c != "refusal":
                    print(f"    MISS  [{c}] {_fmt(r)}  «{r['evidence']}»")
            for c, r in s.wrong:
                print(f"    WRONG [{c}] {_fmt(r)}  «{r['surface'][:40]}»")
    refused = sum(1 for s in scores if s.refused)
    print(f"{'all':<40} {allrows.expected:4d} {allrows.extracted:4d} {allrows.matched:4d} {allrows.recall:7.1%} "
          f"{allrows.precision:7.1%} | {head.recall:7.1%} {head.precision:7.1%}")
    print(f"refused: {refused} of {len(scores)} documents; facts right: "
          + ", ".join(f"{k} {facts_ok[k]}/{len(scores)}" for k in ("region", "doc_type", "doc_year")))
    print(f"{'failure class':<16} {'missed':>7} {'(head)':>7} {'wrong':>7} {'(head)':>7}")
    for c in CLASSES:
        if miss_cls[c] or wrong_cls[c]:
            print(f"{c:<16} {miss_cls[c]:7d} {hmiss_cls[c]:7d} {wrong_cls[c]:7d} {hwrong_cls[c]:7d}")
    return {"documents": len(scores), "refused": refused,
            "all": {"expected": allrows.expected, "extracted": allrows.extracted, "matched": allrows.matched,
                    "recall": round(allrows.recall, 4), "precision": round(allrows.precision, 4)},
            "headline": {"expected": head.expected, "extracted": head.extracted, "matched": head.matched,
                         "recall": round(head.recall, 4), "precision": round(head.precision, 4)},
            "missed_by_class": dict(sorted(miss_cls.items())), "wrong_by_class": dict(sorted(wrong_cls.items())),
            "facts_right": dict(sorted(facts_ok.items()))}


def _fmt(r: dict) -> str:
    parts = [r["indicator"], r["kind"], str(r["period_year"])]
    if r["value"] is not None:
        parts.append(f"{r['value']:g}{r['unit'] or ''}")
    if r["growth_pct"] is not None:
        parts.append(f"{r['growth_pct']:+g}%")
    if r.get("growth_pct_high") is not None or r.get("value_high") is not None:
        parts.append(f"high={r.get('value_high') or r.get('growth_pct_high')}")
    if r["qualifier"]:
        parts.append(r["qualifier"])
    if r["period_scope"] != "annual":
        parts.append(r["period_scope"])
    return " ".join(parts)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--split", choices=["source", "dev", "heldout", "all"], default="all")
    p.add_argument("-v", "--verbose", action="store_true", help="list every miss and wrong row")
    p.add_argument("--json", help="also write the figures to this JSON file")
    args = p.parse_args(argv)
    results = {}
    sets = {"source": source_docs, "dev": lambda: corpus_docs("dev"), "heldout": lambda: corpus_docs("heldout")}
    for name, load in sets.items():
        if args.split not in (name, "all"):
            continue
        results[name] = report(name, [score(d) for d in load()], args.verbose)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
