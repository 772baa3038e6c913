"""Annex tables: written one cell per line (each cell line starts with a tab), or one row per
line with the cells apart by tabs or runs of spaces (text copied from a PDF or a bulletin).

A row is a run of cell lines; a short line without a tab right after a row continues its
last cell (与经济 / 增长同步). Header rows name the years (2025年完成, 2026年预期) and the
sub-columns (绝对值, 增长%); data rows are read against them. A bulletin's table has no year
in its header (绝对数, 比上年增长%): its caption above it names the year (表1 2024年主要指标).
Cell text is matched folded (traditional script, full-width forms), character for character.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from planwatch.catalogue import Catalogue
from planwatch.parse.grammar import Grammar
from planwatch.parse.numbers import convert
from planwatch.parse.text import clip_sentence, fold, next_content_index
from planwatch.records import Record

# cells of a one-row-per-line table: apart by a tab, or two or more spaces (ideographic spaces too)
_SPACED_CELL = re.compile(r"[^\s\u3000]+(?:[ \u3000][^\s\u3000]+)*")
_SPACED_GAP = re.compile(r"\t|[ \u3000]{2,}")
_CAPTION_LINES = 3          # non-blank lines above a yearless header searched for the table's year


# (not frozen: see numbers.Quantity)
@dataclass(eq=True, unsafe_hash=True)
class Cell:
    text: str
    start: int
    end: int


_ROW_NUMBER = re.compile(r"\d{1,3}[.、]?")     # a row number cell (序号), compiled once (was: looked up per row)


def table_rows(raw: str) -> list[list[Cell]]:
    """Rows of tab-cell tables in raw text, with spans.

    >>> [[c.text for c in r] for r in table_rows("x\\n\\n\\t名称\\n\\t单位\\n\\n\\t与经济\\n\\n增长同步\\n\\n\\t下一行\\n")]
    [['名称', '单位'], ['与经济增长同步'], ['下一行']]
    """
    if not raw.startswith("\t") and "\n\t" not in raw:
        return []       # no line starts with a tab, so none is a cell (most documents): no line loop
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


def spaced_rows(raw: str) -> list[list[Cell]]:
    """Rows of tables laid out one row per line, cells apart by tabs or runs of spaces, with spans.

    A line is a row when it splits into three or more cells; a line with a single cell (一、经济发展)
    or prose is not. Leading row numbers (序号 1, 2 …) stay cells: extract_tables skips them.

    >>> [[c.text for c in r] for r in spaced_rows("正文，增长5%。\\n指标名称    单位    2024年目标\\n  地区生产总值  亿元  1345\\n")]
    [['指标名称', '单位', '2024年目标'], ['地区生产总值', '亿元', '1345']]
    >>> spaced_rows("地区生产总值\\t亿元\\t1345\\n")[0][2]
    Cell(text='1345', start=10, end=14)
    """
    if "  " not in raw and "\t" not in raw and "\u3000" not in raw:
        return []       # no line holds a gap (as below): no line loop
    rows: list[list[Cell]] = []
    pos = 0
    for line in raw.split("\n"):
        # a gap holds a tab, two spaces or an ideographic space: a line without any is no row
        if not line.startswith("\t") and ("  " in line or "\t" in line or "\u3000" in line) \
                and _SPACED_GAP.search(line.strip()):
            cells = [Cell(m.group(), pos + m.start(), pos + m.end()) for m in _SPACED_CELL.finditer(line)]
            if len(cells) >= 3:
                rows.append(cells)
        pos += len(line) + 1
    return rows


def _caption_years(raw: str, rows: list[list[Cell]]) -> dict[int, int]:
    """For each row that starts a table (no row on the line above), the year its caption names."""
    out: dict[int, int] = {}
    prev_end = -2
    for row in rows:
        start = row[0].start
        line_start = raw.rfind("\n", 0, start) + 1
        if line_start != prev_end + 1:      # not right below the previous row: a new table
            above = raw[max(0, line_start - 400):line_start].split("\n")
            lines = [ln for ln in above if ln.strip()][-_CAPTION_LINES:]
            for ln in reversed(lines):
                m = re.search(r"(20\d\d)年", ln)
                if m:
                    out[start] = int(m.group(1))
                    break
        prev_end = raw.find("\n", row[-1].end)
        prev_end = len(raw) if prev_end < 0 else prev_end
    return out


def _parse_cell(text: str, g: Grammar):
    """(value, qualifier, qualitative phrase) of a table cell."""
    t = text.replace(" ", "").replace("％", "%").rstrip("%")
    if t in g.table_empty_cells:
        return None
    m = g.table_cell_number.match(t)
    if m:
        cmp_ = m.group("cmp")
        qual = m.group("qual") or g.table_comparators.get(cmp_)
        try:
            return Decimal(m.group("num")), qual, None
        except InvalidOperation:
            return None
    for pattern, phrase in g.qualitative:
        if pattern in t:
            return None, None, phrase
    return None, None, t


def _level_unit_ok(ind, unit: str | None, g: Grammar) -> bool:
    """Whether a level in the table's unit can be the indicator's: its family, or another currency
    of a money indicator (kept as written, as in prose); no unit column says nothing against it."""
    if not unit:
        return True
    if ind.family == "percent":
        return True            # a rate's unit column (%, 个百分点) is read as before
    fam = g.unit_factor(unit)
    return fam is not None and (fam[0] == ind.family or (fam[0] in g.currency_families and ind.family in g.currency_families))


def extract_tables(raw: str, cat: Catalogue, g: Grammar, raw_to_section=None) -> list[Record]:
    """Records of the annex tables; years and kinds come from the tables' own headers."""
    records: list[Record] = []
    groups: list[tuple[int, str, str]] = []   # (year, kind, sub) per value column
    spaced = spaced_rows(raw)
    captions = _caption_years(raw, spaced)
    all_rows = sorted(table_rows(raw) + spaced, key=lambda r: r[0].start)
    after_year_head = False     # the row above named the years: 绝对值 / 增长% below it are its sub-columns
    for row in all_rows:
        texts = [fold(c.text, g) for c in row]
        years = [(g.table_year_head.search(t), t) for t in texts]
        if any(m for m, _ in years):
            after_year_head = True
            groups = []
            for m, _t in years:
                if m:
                    kind = "actual" if m.group(2) in g.table_actual_heads else "target"
                    groups.append((int(m.group(1)), kind, m.group(2)))
            continue
        if not after_year_head and any(t.replace(" ", "").startswith(g.table_absolute_heads) for t in texts) and \
                any(t.replace(" ", "").startswith(g.table_growth_heads) for t in texts):
            year = captions.get(row[0].start)     # a bulletin's table: actuals of the caption's year
            groups = [(year, "actual", g.table_absolute_heads[0])] if year else []
            continue
        if any(t in g.table_sub_heads for t in texts):
            continue
        after_year_head = False
        while row and not row[-1].text:
            row = row[:-1]          # trailing empty cells of a wider table (Word pads rows)
        while len(row) > 3 and _ROW_NUMBER.fullmatch(row[0].text):
            row = row[1:]           # a row number (序号)
        texts = [fold(c.text, g) for c in row]
        if len(row) < 3 or not groups:
            continue
        match = cat.match_name(texts[0])
        if not match:
            continue
        # the label's own heading number (一、地区生产总值, （二）…, 3.) is not the indicator's name:
        # the row's name and span start after it, as a row number cell (序号) is dropped above
        numbered = g.numbered_line.match(texts[0])
        skip = numbered.end() if numbered and numbered.end() < len(texts[0]) else 0
        skip += len(texts[0][skip:]) - len(texts[0][skip:].lstrip())
        code, name = match
        ind = cat.indicators[code]
        at = texts[0].find(name)
        before, after = texts[0][max(0, at - 4):at], texts[0][at + len(name):at + len(name) + 4]
        if at >= 0 and (any(before.endswith(w) for w in g.measure_modifiers + list(ind.exclude_before))
                        or any(after.startswith(w) for w in g.ratio_words + list(ind.exclude_after))):
            continue      # 人均地区生产总值 is not GDP, as in prose
        unit = texts[1] or None
        index = unit is not None and unit.replace(" ", "") in g.index_units
        values = row[2:]
        per_group = 2 if len(values) >= 2 * len(groups) else 1
        section = raw_to_section(row[0].start) if raw_to_section else "附件"
        sentence = clip_sentence(" | ".join(c.text for c in row), 0, 0)
        for gi, (year, kind, word) in enumerate(groups):
            cells = values[gi * per_group:(gi + 1) * per_group]
            if not cells:
                continue
            level = _parse_cell(fold(cells[0].text, g), g)
            growth = _parse_cell(fold(cells[1].text, g), g) if per_group == 2 and len(cells) > 1 else None
            if level is None and growth is None:
                continue
            value = level[0] if level else None
            gval = growth[0] if growth else None
            if value is not None and (index or (unit == "%" and (ind.growth_only or ind.family != "percent"))):
                # 居民消费价格指数 上年=100 100.3: an index is a growth of 0.3; a rate of change has no
                # level; 地区生产总值增速 % 5.5: a % of an indicator that is no rate is its growth
                gval = gval if gval is not None else (value - 100 if index else value)
                value = None
            elif value is not None and not _level_unit_ok(ind, unit, g):
                value = None       # a unit of another family (地区生产总值 个 5): no level is sure
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
                period_year=year, kind=kind, indicator=code, indicator_zh=row[0].text[skip:],
                value=float(value) if value is not None else None, unit=unit if value is not None else None,
                growth_pct=float(gval) if gval is not None else None, value_high=None, growth_pct_high=None,
                value_std=float(value_std) if value_std is not None else None,
                unit_std=ind.std_unit if value_std is not None else None,
                qualifier=qualifier, estimated=(word in g.table_estimate_heads), origin="table", section=section,
                char_start=row[0].start + skip, char_end=cells[-1].end, sentence=sentence,
            ))
    return records
