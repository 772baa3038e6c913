"""Shared vocabulary: the rows planwatch produces, as plain frozen dataclasses.

The extractor returns ``Record`` objects; tables are built from them at the stage edge.
Column names and order are the contracts of design.md.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields


@dataclass(frozen=True)
class Record:
    """One extracted indicator statement (a row of indicators.parquet without doc/region)."""

    period_year: int
    kind: str                      # actual | target
    indicator: str                 # catalogue code
    indicator_zh: str              # name as written
    value: float | None
    unit: str | None
    growth_pct: float | None
    value_high: float | None
    growth_pct_high: float | None
    value_std: float | None
    unit_std: str | None
    qualifier: str | None
    estimated: bool
    origin: str                    # prose | table
    section: str
    char_start: int
    char_end: int
    sentence: str
    stretch: bool = False          # extension: target stated with 力争/争取 (a stretch target)
    period_scope: str = "annual"   # annual | partial_year | multi_year_avg | cumulative (design.md)
    period_note: str | None = None # the period as written when not annual (前三季度, “十四五”, 2021—2025)

    def as_row(self, **extra) -> dict:
        row = dict(extra)
        row.update({f.name: getattr(self, f.name) for f in fields(self)})
        return row


@dataclass(frozen=True)
class DocumentFacts:
    """What a document is: region, type, year (a row of documents.parquet)."""

    doc_id: str
    file: str
    sha256: str
    region: str
    region_level: str
    parent_region: str | None
    doc_type: str
    doc_year: int
    published: str | None          # ISO date
    title: str | None
    n_chars: int
    encoding: str                  # extension: how the bytes were decoded
    region_code: str | None = None  # GB/T 2260 code of the region (gazetteer or regions.yml)

    def as_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def fast_constructor(cls):
    """cls(**values) for a frozen dataclass without default factories, for the extractor's hot loops:
    the instance's fields are set in one dict update, in field order (equal, hashed, printed and
    pickled as cls(**values) is). The generated __init__ of a frozen dataclass calls
    object.__setattr__ once per field: about twice as slow for a Record's 21 fields."""
    template = {f.name: f.default for f in fields(cls)}      # MISSING where a field has no default
    assert all(f.default_factory is MISSING for f in fields(cls)), cls
    required = frozenset(n for n, v in template.items() if v is MISSING)
    names = frozenset(template)
    size = len(template)
    new = object.__new__

    def make(**values):
        obj = new(cls)
        state = obj.__dict__
        state.update(template)
        state.update(values)
        if len(state) != size or not values.keys() >= required:      # an unknown field, a missing one
            raise TypeError(f"{cls.__name__}: missing {sorted(required - values.keys())}, "
                            f"unknown {sorted(values.keys() - names)}")
        return obj

    return make


INDICATOR_COLUMNS = ["doc_id", "region"] + [f.name for f in fields(Record)]
DOCUMENT_COLUMNS = [f.name for f in fields(DocumentFacts)]
