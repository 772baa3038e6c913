"""The extractor: document text in, document facts and indicator records out. No I/O."""
from __future__ import annotations

import gc
from bisect import bisect_left
from operator import attrgetter

from planwatch.catalogue import Catalogue, default_catalogue
from planwatch.parse.document import Facts, detect_facts
from planwatch.parse.grammar import Grammar, default_grammar
from planwatch.parse.sections import find_sections, section_at
from planwatch.parse.statements import extract_prose
from planwatch.parse.tables import extract_tables
from planwatch.parse.text import fold, normalise
from planwatch.records import Record


_POSITION = attrgetter("char_start", "char_end", "indicator", "kind")     # records' order: one C call per record


def extract(raw: str, *, region: str | None = None, doc_year: int | None = None,
            catalogue: Catalogue | None = None, grammar: Grammar | None = None,
            name: str = "<input>") -> tuple[Facts, list[Record]]:
    """Facts and records of one document's text, records sorted by position.

    Python's cyclic garbage collector is paused while it runs (and resumed, if it was on, when it
    returns or raises): the extractor makes no reference cycles, only many short-lived objects and
    a growing list of records, which the collector would walk again and again for nothing (~10% of
    the time for a long document; reference counting still frees everything as it goes)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _extract(raw, region, doc_year, catalogue, grammar, name)
    finally:
        if paused:
            gc.enable()


def _extract(raw: str, region: str | None, doc_year: int | None, catalogue: Catalogue | None,
             grammar: Grammar | None, name: str) -> tuple[Facts, list[Record]]:
    cat = catalogue or default_catalogue()
    g = grammar or default_grammar()
    folded = fold(raw, g)          # the text as matched: once, for the facts and the normalised text
    facts = detect_facts(raw, cat, g, region=region, doc_year=doc_year, name=name, folded=folded)
    norm = normalise(raw, g, folded)
    sections = find_sections(norm.text, g)
    records = extract_prose(norm, raw, sections, facts.doc_year, cat, g)
    # map a raw offset to its section path, for table rows (raw_index is increasing: binary search)
    n = len(norm.raw_index) - 1

    def section_of(raw_offset: int) -> str:
        i = bisect_left(norm.raw_index, raw_offset, 0, n)
        return section_at(sections, i).path if i < n and norm.raw_index[i] == raw_offset else ""

    tables = extract_tables(raw, cat, g, raw_to_section=section_of)
    records = _without_table_rows(records, tables) + tables
    records.sort(key=_POSITION)
    return facts, records


def _without_table_rows(prose: list[Record], tables: list[Record]) -> list[Record]:
    """Prose records that do not restate a table row: a row laid out with spaces is also read as a
    sentence (外贸进出口总额  亿元  4718.5  2.9  —  稳中提质), and the table reader, which knows its
    columns, is the one to keep. Rows are in text order: one binary search per prose record."""
    if not tables:
        return prose
    rows: dict[int, int] = {}
    keys: set[tuple[int, str, str, int]] = set()
    for r in tables:
        rows[r.char_start] = max(rows.get(r.char_start, r.char_end), r.char_end)
        keys.add((r.char_start, r.indicator, r.kind, r.period_year))
    starts = sorted(rows)
    out = []
    for r in prose:
        i = bisect_left(starts, r.char_start + 1) - 1
        row = starts[i] if i >= 0 else None
        if row is not None and r.char_start < rows[row] and (row, r.indicator, r.kind, r.period_year) in keys:
            continue
        out.append(r)
    return out
