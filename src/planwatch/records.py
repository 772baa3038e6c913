"""Shared vocabulary: the rows planwatch produces, as plain dataclasses.

The extractor returns ``Record`` objects; tables are built from them at the stage edge.
Column names and order are the contracts of design.md.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields


# Not frozen, and never changed after it is made: compiled (planwatch.native), a plain dataclass's
# __init__ is native code (see parse/numbers.Quantity). Equal and hashed by its fields, as before.
@dataclass(eq=True, unsafe_hash=True)
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


# (not frozen: compiled (planwatch.native), a frozen class could not be pickled or deep-copied; see Record)
@dataclass(eq=True, unsafe_hash=True)
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
    a generated function with the same keyword-only parameters (and defaults) that sets the
    instance's fields straight into its dict, in field order (equal, hashed, printed and pickled as
    cls(**values) is; a missing or unknown field is a TypeError, as there). The __init__ that
    dataclasses generates for a frozen class calls object.__setattr__ once per field instead:
    about twice as slow.

    >>> make = fast_constructor(DocumentFacts)
    >>> make(doc_id="d", file="f", sha256="s", region="r", region_level="city", parent_region=None, doc_type="plan",
    ...      doc_year=2025, published=None, title=None, n_chars=1, encoding="utf-8") == DocumentFacts(
    ...      "d", "f", "s", "r", "city", None, "plan", 2025, None, None, 1, "utf-8")
    True
    """
    assert all(f.default_factory is MISSING and not f.name.startswith("__") for f in fields(cls)), cls
    try:
        object.__new__(cls)
    except TypeError:
        return cls     # a compiled class (planwatch.native): its own constructor is the fast one
    names = [f.name for f in fields(cls)]
    params = ", ".join(n if f.default is MISSING else f"{n}=__defaults[{n!r}]" for n, f in zip(names, fields(cls)))
    # one store per field into the new instance's dict, in field order (an update(**fields) call
    # first builds a dict of them: ~1.5x slower)
    source = (f"def make(*, {params}):\n"
              f"    __obj = __new(__cls)\n"
              f"    __d = __obj.__dict__\n"       # (local names no field can have: a field is no dunder)
              + "".join(f"    __d[{n!r}] = {n}\n" for n in names)
              + "    return __obj\n")
    scope = {"__new": object.__new__, "__cls": cls,
             "__defaults": {f.name: f.default for f in fields(cls) if f.default is not MISSING}}
    exec(source, scope)     # as dataclasses builds __init__: the parameters are the fields
    make = scope["make"]
    make.__qualname__ = f"fast_constructor({cls.__name__})"
    return make


INDICATOR_COLUMNS = ["doc_id", "region"] + [f.name for f in fields(Record)]
DOCUMENT_COLUMNS = [f.name for f in fields(DocumentFacts)]
