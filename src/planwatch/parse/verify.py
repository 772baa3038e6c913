"""Every published number must be readable from its own span of the text of record.

A row whose value does not re-parse from ``raw[char_start:char_end]`` (a hand-edited cache,
an extractor bug) is never published beside a sentence that says something else.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from planwatch.parse.grammar import default_grammar
from planwatch.parse.numbers import cn_numbers
from planwatch.parse.text import normalise
from planwatch.records import Record

_NUM = re.compile(r"\d+(?:\.\d+)?")
_WS = re.compile(r"[ \t\u3000]{2,}|\t")


def _dec(x: float) -> Decimal | None:
    try:
        return Decimal(repr(abs(x)))
    except (InvalidOperation, ValueError):
        return None


def span_problem(raw: str, rec: Record) -> str | None:
    """Why ``rec`` does not re-parse from its span, or None when it does.

    >>> from dataclasses import replace
    >>> raw = "全区地区生产总值完成319.3亿元，增长5.1%。"
    >>> r = Record(2025, "actual", "gdp", "地区生产总值", 319.3, "亿元", 5.1, None, None, 319.3, "亿元", None, False,
    ...            "prose", "", 2, 24, raw)
    >>> span_problem(raw, r) is None
    True
    >>> span_problem(raw, replace(r, value=999.3))
    "value 999.3 is not in its span '地区生产总值完成319.3亿元，增长5.1%'"
    >>> raw = "城镇新增就业一万人以上。"
    >>> span_problem(raw, replace(r, value=1.0, growth_pct=None, char_start=2, char_end=11, sentence=raw)) is None
    True
    >>> raw = "扎实办好十\\n项重点民生实事。"
    >>> span_problem(raw, replace(r, value=10.0, unit="项", growth_pct=None, char_start=0, char_end=13, sentence=raw)) is None
    True
    >>> raw = "居民消费价格指数    上年=100    100.3"
    >>> span_problem(raw, replace(r, value=None, growth_pct=0.3, char_start=0, char_end=len(raw), sentence=raw)) is None
    True
    >>> pct = raw.replace("上年=100", "%")          # no index: 100.3 is not a growth of 0.3
    >>> span_problem(pct, replace(r, value=None, growth_pct=0.3, char_start=0, char_end=len(pct), sentence=pct))
    "growth_pct 0.3 is not in its span '居民消费价格指数    %    100.3'"
    """
    if not (0 <= rec.char_start <= rec.char_end <= len(raw)):
        return f"span [{rec.char_start}, {rec.char_end}) lies outside the text ({len(raw)} characters)"
    surface = raw[rec.char_start:rec.char_end]
    wanted = [(name, getattr(rec, name)) for name in ("value", "growth_pct", "value_high", "growth_pct_high")
              if getattr(rec, name) is not None]
    if not wanted:
        return None
    found = _fast_numbers(surface)
    compact = _ANY_WS.sub("", surface)
    if any(u.replace(" ", "") in compact for u in default_grammar().index_units):
        found |= {d - 100 for d in found}       # 居民消费价格指数 上年=100 100.3: a growth of 0.3 (tables.py)
    if all(_dec(v) in found for _n, v in wanted):
        return None
    # The slow path, as the extractor reads the text (wraps and page furniture joined, spaces
    # dropped), and as the whitespace-separated cells of an aligned table ('8425.3   4.0').
    norm = normalise(surface).text
    found |= {Decimal(m) for m in _NUM.findall(norm)}
    found |= cn_numbers(norm)      # Chinese numerals as the extractor reads them (一万人 → 1)
    found |= cn_numbers(normalise(_ANY_WS.sub("", surface)).text)   # … and wrapped across a line (十\n项)
    for chunk in _WS.split(surface):
        if chunk:
            found.update(Decimal(m) for m in _NUM.findall(normalise(chunk).text))
    for name, v in wanted:
        d = _dec(v)
        if d is None or d not in found:
            return f"{name} {v:g} is not in its span {surface[:80]!r}"
    return None


_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ","})
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_ANY_WS = re.compile(r"\s+")


def _fast_numbers(surface: str) -> set:
    """Numbers of a span with full-width digits folded and thousands separators dropped, read both
    with whitespace as a separator and with whitespace removed (a number wrapped across lines)."""
    t = _THOUSANDS.sub("", surface.translate(_FOLD))
    return {Decimal(m) for m in _NUM.findall(t)} | {Decimal(m) for m in _NUM.findall(_ANY_WS.sub("", t))}
