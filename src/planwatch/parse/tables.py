"""Annex tables written one cell per line (each cell line starts with a tab).

A row is a run of cell lines; a short line without a tab right after a row continues its
last cell (与经济 / 增长同步). Header rows name the years (2025年完成, 2026年预期) and the
sub-columns (绝对值, 增长%); data rows are read against them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from planwatch.catalogue import Catalogue
from planwatch.parse.grammar import Grammar
from planwatch.parse.numbers import convert
from planwatch.parse.text import clip_sentence, next_content_index
from planwatch.records import Record

_YEAR_HEAD = re.compile(r"(20\d\d)年?(完成|实际|预计|预期|目标|计划)")
_CELL_NUM = re.compile(r"^(?P<cmp>[<>≥≤＞＜]?)(?P<num>-?\d+(?:\.\d+)?)(?P<qual>以上|左右|以内|以下)?$")
_EMPTY = {"", "—", "-", "——", "/", "…"}


@dataclass(frozen=True)
class Cell:
    text: str
    start: int
    end: int


def table_rows(raw: str) -> list[list[Cell]]:
    """Rows of tab-cell tables in raw text, with spans.

    >>> [[c.text for c in r] for r in table_rows("x\\n\\n\\t名称\\n\\t单位\\n\\n\\t与经济\\n\\n增长同步\\n\\n\\t下一行\\n")]
    [['名称', '单位'], ['与经济增长同步'], ['下一行']]
    """
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    pos = 0
    lines = raw.split("\n")
    nxt_content = next_content_index(lines)
    for i, line in enumerate(lines):
        if line.startswith("\t"):
            body = line.strip()
            off = pos + line.index(body) if body else pos + 1
            current.append(Cell(body, off, off + len(body)))
        elif line.strip():
            j = nxt_content[i + 1]
            nxt = lines[j] if j < len(lines) else ""
            body = line.strip()
            if (current or (rows and rows[-1])) and len(body) <= 12 and nxt.startswith("\t"):
                target = current if current else rows[-1]
                last = target[-1]
                off = pos + line.index(body)
                target[-1] = Cell(last.text + body, last.start, off + len(body))
            else:
                if current:
                    rows.append(current)
                current = []
        else:
            if current:
                rows.append(current)
            current = []
        pos += len(line) + 1
    if current:
        rows.append(current)
    return rows


def _parse_cell(text: str, g: Grammar):
    """(value, qualifier, qualitative phrase) of a table cell."""
    t = text.replace(" ", "").replace("％", "%").rstrip("%")
    if t in _EMPTY:
        return None
    m = _CELL_NUM.match(t)
    if m:
        cmp_ = m.group("cmp")
        qual = m.group("qual") or ({">": "超", "＞": "超", "≥": "以上", "<": "以下", "＜": "以下", "≤": "以内"}.get(cmp_))
        try:
            return Decimal(m.group("num")), qual, None
        except InvalidOperation:
            return None
    for pattern, phrase in g.qualitative:
        if pattern in t:
            return None, None, phrase
    return None, None, t


def extract_tables(raw: str, cat: Catalogue, g: Grammar, raw_to_section=None) -> list[Record]:
    """Records of the annex tables; years and kinds come from the tables' own headers."""
    records: list[Record] = []
    groups: list[tuple[int, str, str]] = []   # (year, kind, sub) per value column
    for row in table_rows(raw):
        texts = [c.text for c in row]
        years = [(_YEAR_HEAD.search(t), t) for t in texts]
        if any(m for m, _ in years):
            groups = []
            for m, _t in years:
                if m:
                    kind = "actual" if m.group(2) in ("完成", "实际", "预计") else "target"
                    groups.append((int(m.group(1)), kind, m.group(2)))
            continue
        if any(t in ("绝对值", "增长%", "增长", "增速%") for t in texts):
            continue
        while row and not row[-1].text:
            row = row[:-1]          # trailing empty cells of a wider table (Word pads rows)
        texts = [c.text for c in row]
        if len(row) < 3 or not groups:
            continue
        match = cat.match_name(texts[0])
        if not match:
            continue
        code, _name = match
        ind = cat.indicators[code]
        unit = texts[1] or None
        values = row[2:]
        per_group = 2 if len(values) >= 2 * len(groups) else 1
        section = raw_to_section(row[0].start) if raw_to_section else "附件"
        sentence = clip_sentence(" | ".join(texts), 0, 0)
        for gi, (year, kind, word) in enumerate(groups):
            cells = values[gi * per_group:(gi + 1) * per_group]
            if not cells:
                continue
            level = _parse_cell(cells[0].text, g)
            growth = _parse_cell(cells[1].text, g) if per_group == 2 and len(cells) > 1 else None
            if level is None and growth is None:
                continue
            value = level[0] if level else None
            gval = growth[0] if growth else None
            qualifier = None
            for part in (growth, level):
                if part and (part[1] or part[2]):
                    qualifier = part[1] or part[2]
                    break
            if value is None and gval is None and qualifier is None:
                continue
            if kind == "actual" and value is None and gval is None:
                continue
            value_std = None
            if value is not None and unit:
                value_std = value if ind.family == "percent" and unit == "%" else convert(value, unit, ind.std_unit, g)
            records.append(Record(
                period_year=year, kind=kind, indicator=code, indicator_zh=texts[0],
                value=float(value) if value is not None else None, unit=unit if value is not None else None,
                growth_pct=float(gval) if gval is not None else None, value_high=None, growth_pct_high=None,
                value_std=float(value_std) if value_std is not None else None,
                unit_std=ind.std_unit if value_std is not None else None,
                qualifier=qualifier, estimated=(word == "预计"), origin="table", section=section,
                char_start=row[0].start, char_end=cells[-1].end, sentence=sentence,
            ))
    return records
