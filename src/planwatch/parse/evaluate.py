"""Compare extracted rows with hand-checked expected rows: recall, precision, and the misses.

A row matches when indicator, kind, period_year, value, unit, growth_pct, qualifier and
origin are equal and its span contains the expected evidence text. Only catalogue rows
are scored (other: rows are not in the expected files).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from planwatch.records import Record

FIELDS = ["indicator", "kind", "period_year", "value", "unit", "growth_pct", "qualifier", "origin"]


def _num(v: str) -> float | None:
    return float(v) if v not in ("", None) else None


def read_expected(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["period_year"] = int(r["period_year"])
        r["value"], r["growth_pct"] = _num(r["value"]), _num(r["growth_pct"])
        r["unit"] = r["unit"] or None
        r["qualifier"] = r["qualifier"] or None
    return rows


def _key(r: dict) -> tuple:
    return tuple(r[f] for f in FIELDS)


@dataclass
class Score:
    expected: int
    extracted: int
    matched: int
    missed: list[dict]
    spurious: list[dict]

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0


def score(raw: str, records: list[Record], expected: list[dict]) -> Score:
    got = [dict(r.as_row(), surface=raw[r.char_start:r.char_end]) for r in records if not r.indicator.startswith("other:")]
    remaining = list(got)
    missed = []
    for e in expected:
        hit = next((g for g in remaining if _key(g) == _key(e) and e["evidence"] in g["surface"]), None)
        if hit is None:
            missed.append(e)
        else:
            remaining.remove(hit)
    return Score(len(expected), len(got), len(expected) - len(missed), missed, remaining)
