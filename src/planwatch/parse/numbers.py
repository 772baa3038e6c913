"""The number grammar: find quantities (number, magnitude, unit, approximation, qualifier).

Pure functions over normalised text. Units, magnitudes, approximation words and
qualifiers come from grammar.yml; this module only interprets them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from planwatch.parse.grammar import Grammar, default_grammar


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    value_high: Decimal | None
    unit: str | None          # as written, magnitude included (万元, 万平方米)
    family: str | None
    factor: Decimal | None    # to the family's base unit
    approx: str | None        # 超过, 近, 余 …
    qualifier: str | None     # 以上, 左右, 以内, 以下
    start: int
    end: int
    num_start: int

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def _patterns(g: Grammar) -> tuple[re.Pattern, re.Pattern]:
    units = _alt(g.unit_names)
    mags = _alt(g.magnitudes)
    quantity = re.compile(rf"""
        (?P<before>{_alt(g.approx_before)})?
        (?<![A-Za-z0-9.])                 # not inside a code or a longer number
        (?P<num>-?\d+(?:\.\d+)?)
        (?P<pct1>%)?
        (?:(?P<sep>—|-|~|至|到)(?P<high>\d+(?:\.\d+)?))?   # ranges: 6%-6.5%, 6至6.5%
        (?P<mag>{mags})?
        (?P<after>{_alt(g.approx_after)})?
        (?P<unit>{units})?
        (?![A-Za-z0-9])
        (?P<qual>{_alt(g.qualifiers_after)})?
        """, re.VERBOSE)
    masks = re.compile("|".join(f"(?:{p})" for p in g.not_numbers))
    return quantity, masks


@lru_cache(maxsize=4)
def _cn_pattern(g: Grammar) -> re.Pattern:
    digits = "".join(g.cn_digits)
    numeral = digits + "".join(g.cn_multipliers)
    first = "".join(d for d in g.cn_digits if g.cn_digits[d]) + "十"
    return re.compile(rf"""
        (?P<before>{_alt(g.approx_before)})?
        (?<![{numeral}万亿])               # not inside a longer numeral (一万二千 is not read)
        (?P<num>[{first}][{numeral}]*+)
        (?P<after0>{_alt(g.approx_after)})?
        (?P<mag>{_alt(g.magnitudes)})?
        (?P<after>{_alt(g.approx_after)})?
        (?P<unit>{_alt(g.unit_names)})
        (?P<qual>{_alt(g.qualifiers_after)})?
        """, re.VERBOSE)


def cn_value(numeral: str, grammar: Grammar | None = None) -> Decimal | None:
    """The value of a Chinese numeral without magnitude words; None when it is not well formed.

    >>> [cn_value(x) for x in ("三千", "十", "十五", "一百二十", "两千零五", "三三")]
    [Decimal('3000'), Decimal('10'), Decimal('15'), Decimal('120'), Decimal('2005'), None]
    """
    g = grammar or default_grammar()
    total, digit, last_mult = 0, None, 10 ** 9
    for ch in numeral:
        if ch in g.cn_digits:
            if digit is not None and g.cn_digits[ch] != 0 and digit != 0:
                return None          # 三三: two digits in a row is a list, not a number
            digit = g.cn_digits[ch]
        elif ch in g.cn_multipliers:
            mult = g.cn_multipliers[ch]
            if mult >= last_mult:
                return None
            total += (digit if digit is not None else 1) * mult
            digit, last_mult = None, mult
        else:
            return None
    return Decimal(total + (digit or 0))


def cn_numbers(text: str, grammar: Grammar | None = None) -> set[Decimal]:
    """Values of the Chinese numerals that find_quantities reads in text (verify.py re-parses spans with it).

    >>> sorted(cn_numbers("城镇新增就业一万人，新增市场主体三千余家"))
    [Decimal('1'), Decimal('3000')]
    """
    g = grammar or default_grammar()
    return {q.value for q in _cn_quantities(text, 0, len(text), g)}


def _cn_quantities(text: str, start: int, end: int, g: Grammar) -> list[Quantity]:
    out = []
    for m in _cn_pattern(g).finditer(text, start, end):
        num, mag = m.group("num"), m.group("mag")
        if not mag and not any(ch in g.cn_multipliers for ch in num):
            continue              # 一个, 两家: not a round amount
        value = cn_value(num, g)
        written = (mag or "") + m.group("unit")
        fam = g.unit_factor(written)
        if value is None or fam is None:
            continue
        out.append(Quantity(
            value=value, value_high=None, unit=written, family=fam[0], factor=fam[1],
            approx=m.group("before") or m.group("after0") or m.group("after"), qualifier=m.group("qual"),
            start=m.start(), end=m.end(), num_start=m.start("num"),
        ))
    return out


def masked_spans(text: str, start: int = 0, end: int | None = None, grammar: Grammar | None = None) -> list[tuple[int, int]]:
    """Spans that are not quantities: dates, years, document numbers, slogans, codes.

    >>> t = "聚焦“3510”发展目标，2025年3月21日，实施“1+6”治理"
    >>> [t[s:e] for s, e in masked_spans(t)]
    ['“3510”', '2025年3月21日', '“1+6”']
    """
    g = grammar or default_grammar()
    _, masks = _patterns(g)
    end = len(text) if end is None else end
    return [m.span() for m in masks.finditer(text, start, end)]


def find_quantities(text: str, start: int = 0, end: int | None = None, grammar: Grammar | None = None) -> list[Quantity]:
    """Quantities in text[start:end], minus masked numbers.

    >>> [(str(q.value), q.unit, q.approx, q.qualifier) for q in find_quantities("完成技改投资超30亿元，举办活动400余场，增长5.5%以上")]
    [('30', '亿元', '超', None), ('400', '场', '余', None), ('5.5', '%', None, '以上')]
    >>> [(str(q.value), str(q.value_high), q.unit) for q in find_quantities("增长6%—6.5%")]
    [('6', '6.5', '%')]
    >>> [(str(q.value), q.unit, str(q.factor)) for q in find_quantities("计划总投资1.03万亿元，铺设2.6万余平方米")]
    [('1.03', '万亿元', '1000000000000'), ('2.6', '万平方米', '10000')]
    >>> find_quantities("党的二十大和“十四五”，2×350兆瓦机组，5G基站")
    []
    """
    g = grammar or default_grammar()
    quantity, _ = _patterns(g)
    end = len(text) if end is None else end
    masked = masked_spans(text, start, end, g)
    out: list[Quantity] = []
    k = 0      # masks and matches both come in text order: walk them together (linear, not all-pairs)
    for m in quantity.finditer(text, start, end):
        ns, ne = m.span("num")
        while k < len(masked) and masked[k][1] <= ns:
            k += 1
        if k < len(masked) and masked[k][0] < ne:
            continue
        if m.group("num").startswith("-") and not m.group("unit") and not m.group("pct1"):
            continue
        mag, unit_word = m.group("mag") or "", m.group("unit") or ""
        pct = m.group("pct1")
        written = (mag + unit_word) or (pct or None)
        if m.group("high") and pct and not unit_word:
            written = "%"
        if m.group("high") and not m.group("sep"):
            continue
        if m.group("sep") in ("至", "到") and not m.group("high"):
            continue
        fam = g.unit_factor(written) if written else None
        if written and fam is None:
            continue
        out.append(Quantity(
            value=Decimal(m.group("num")),
            value_high=Decimal(m.group("high")) if m.group("high") else None,
            unit=written, family=fam[0] if fam else None, factor=fam[1] if fam else None,
            approx=m.group("before") or m.group("after"),
            qualifier=m.group("qual"),
            start=m.start(), end=m.end(), num_start=ns,
        ))
    if g.cn_digits:
        cn = _cn_quantities(text, start, end, g)
        if cn:
            out = sorted(out + cn, key=lambda q: q.start)
    return out


def convert(value: Decimal, unit: str, std_unit: str, grammar: Grammar | None = None) -> Decimal | None:
    """value in unit expressed in std_unit, exactly; None when the families differ.

    >>> convert(Decimal("4768"), "万元", "亿元")
    Decimal('0.4768')
    >>> convert(Decimal("16.4"), "亿元", "元")
    Decimal('1640000000')
    >>> convert(Decimal("5603"), "人", "万人")
    Decimal('0.5603')
    >>> convert(Decimal("3.6"), "亿美元", "万美元")
    Decimal('36000')
    >>> convert(Decimal("3"), "%", "亿元") is None
    True
    """
    g = grammar or default_grammar()
    a, b = g.unit_factor(unit), g.unit_factor(std_unit)
    if not a or not b or a[0] != b[0]:
        return None
    return (value * a[1] / b[1]).normalize() + 0
