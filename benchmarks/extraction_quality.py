"""Headline recall and precision of the extractor against tests/expected/*.csv.

    .venv/bin/python benchmarks/extraction_quality.py
"""
from __future__ import annotations

from pathlib import Path

from planwatch.parse.evaluate import read_expected, score
from planwatch.parse.extract import extract

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    tot_e = tot_x = tot_m = 0
    for exp in sorted((ROOT / "tests/expected").glob("*.csv")):
        raw = (ROOT / "data/raw" / f"{exp.stem}.txt").read_text(encoding="utf-8")
        _facts, records = extract(raw)
        s = score(raw, records, read_expected(exp))
        tot_e, tot_x, tot_m = tot_e + s.expected, tot_x + s.extracted, tot_m + s.matched
        print(f"{exp.stem:<32} expected {s.expected:3d}  extracted {s.extracted:3d}  matched {s.matched:3d}  "
              f"recall {s.recall:6.1%}  precision {s.precision:6.1%}")
        for m in s.missed:
            print("   missed:", m)
        for m in s.spurious:
            print("   not expected:", {k: m[k] for k in ("indicator", "kind", "period_year", "value", "unit", "growth_pct", "qualifier", "origin", "surface")})
    print(f"{'all':<32} expected {tot_e:3d}  extracted {tot_x:3d}  matched {tot_m:3d}  "
          f"recall {tot_m / tot_e:6.1%}  precision {tot_m / tot_x:6.1%}")


if __name__ == "__main__":
    main()
