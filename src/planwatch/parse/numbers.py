"""The number grammar: find quantities (number, magnitude, unit, approximation, qualifier).

Pure functions over normalised text. Units, magnitudes, approximation words and
qualifiers come from grammar.yml; this module only interprets them.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from planwatch.parse.grammar import Grammar, default_grammar
from planwatch.records import fast_constructor


# Not frozen, and never changed after it is made: compiled (planwatch.native), a plain dataclass's
# __init__ is native code, a frozen one's sets each field through object.__setattr__ (about 5% of
# extraction for the four value classes of the readers). Equal and hashed by its fields, as before.
@dataclass(eq=True, unsafe_hash=True)
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


_new_quantity = fast_constructor(Quantity)      # Quantity(**fields), in the hot loop of find_quantities


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def any_word(words) -> re.Pattern:
    """The words as one literal alternation in their given order (at a position, the first listed
    word that is there matches); a pattern that never matches when there are no words."""
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)")


class _Unknown(Exception):
    """A construct first_chars does not follow: the pattern is compiled without a guard."""


def _first(items) -> tuple[list[str], bool]:
    """Class items (regex syntax) of the characters a parsed sequence may start with, and whether
    it can match the empty string."""
    out: list[str] = []
    for op, av in items:
        name = str(op)
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue                                   # zero width: the next item starts the match
        if name == "LITERAL":
            return out + [re.escape(chr(av))], False
        if name == "IN":
            for iop, iav in av:
                iname = str(iop)
                if iname == "LITERAL":
                    out.append(re.escape(chr(iav)))
                elif iname == "RANGE":
                    out.append(f"{re.escape(chr(iav[0]))}-{re.escape(chr(iav[1]))}")
                elif iname == "CATEGORY" and str(iav) in _CATEGORIES:
                    out.append(_CATEGORIES[str(iav)])
                else:
                    raise _Unknown(iname)              # NEGATE and the rest: give up
            return out, False
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            sub, empty = _first(av[-1] if name == "SUBPATTERN" else av)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub, empty = _first(av[2])
            empty = empty or av[0] == 0
        elif name == "BRANCH":
            sub, empty = [], False
            for branch in av[1]:
                b, e = _first(branch)
                sub, empty = sub + b, empty or e
        else:
            raise _Unknown(name)
        out += sub
        if not empty:
            return out, False
    return out, True


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _parsed(pattern: str, flags: int = 0):
    """pattern's parse tree by re's own parser, or None: case-insensitive (a character stands for
    others then), not a pattern, or a Python without that parser."""
    if flags & re.IGNORECASE:
        return None
    try:
        _parser = importlib.import_module("re._parser")     # (no type stubs: Any)
        parsed = _parser.parse(pattern, flags)
    except (re.error, ImportError, AttributeError):
        return None
    return None if parsed.state.flags & re.IGNORECASE else parsed.data


def first_chars(pattern: str, flags: int = 0) -> str | None:
    r"""A character class of every character a match of pattern can start with; None when the
    pattern may match the empty string or uses a construct this does not follow.

    >>> first_chars(r"(?P<b>超|近)?(?<![0-9])-?\d+(?:亿|万)?")
    '[超近\\-\\d]'
    >>> first_chars(r"(?<!\d)\d++×\d++|第\d++|[“《][^”》]{0,12}”")
    '[\\d第“《]'
    >>> first_chars(r"a?"), first_chars(r"[^a]b"), first_chars(r"(?i)a")
    (None, None, None)
    """
    data = _parsed(pattern, flags)
    try:
        items, empty = _first(data) if data is not None else ((), True)
    except (_Unknown, AttributeError):
        return None
    return None if empty or not items else "[" + "".join(dict.fromkeys(items)) + "]"


def max_width(pattern: str, flags: int = 0) -> int | None:
    r"""The most characters a match of pattern can span; None when unbounded or not told.

    >>> max_width(r"(?:(?![省市])[\u4e00-\u9fff]){2,6}?(?:省|自治区)"), max_width(r"a+"), max_width(r"(")
    (9, None, None)
    """
    try:
        _parser = importlib.import_module("re._parser")
        width = _parser.parse(pattern, flags).getwidth()[1]
        return width if width < _parser.MAXREPEAT else None
    except (re.error, ImportError, AttributeError):
        return None


def _required(items) -> frozenset[str] | None:
    """Characters one of which every match of a parsed sequence holds, from its first mandatory item
    that is a literal or a class of literals other than digits (a digit is in every text a mask is
    searched in); None when no such item is found."""
    for op, av in items:
        name = str(op)
        found = None
        if name == "LITERAL":
            found = frozenset(chr(av))
        elif name == "IN":
            chars: set[str] = set()
            for iop, iav in av:
                iname = str(iop)
                if iname == "LITERAL":
                    chars.add(chr(iav))
                elif iname == "RANGE" and iav[1] - iav[0] < 256:
                    chars.update(map(chr, range(iav[0], iav[1] + 1)))
                else:
                    break                  # NEGATE, a category (\d): not a short list of characters
            else:
                found = frozenset(chars) if chars else None
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            found = _required(av[-1] if name == "SUBPATTERN" else av)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            found = _required(av[2])
        elif name == "BRANCH":
            parts = [p for p in (_required(b) for b in av[1]) if p]
            found = frozenset[str]().union(*parts) if len(parts) == len(av[1]) else None
        if found and not any(c.isdigit() for c in found):
            return found
    return None


def required_chars(pattern: str, flags: int = 0) -> re.Pattern | None:
    r"""A class of characters, other than digits, one of which every match of pattern holds (from
    _required); None when none can be told. A text without one has no match.

    >>> required_chars(r"(?<!\d)\d++\+\d*+N?|第\d++|\d{4}年").pattern
    '[\\+年第]'
    >>> required_chars(r"\d+(?:亿|万)?") is None, required_chars(r"(?i)a") is None
    (True, True)
    """
    data = _parsed(pattern, flags)
    try:
        found = _required(data) if data is not None else None
    except AttributeError:
        return None
    return re.compile("[" + "".join(re.escape(c) for c in sorted(found)) + "]") if found else None


def guarded(pattern: str, flags: int = 0) -> re.Pattern:
    r"""pattern compiled behind a lookahead on its possible first characters: the same matches,
    but the engine leaves a position after one class test instead of trying every alternative
    there (find_quantities and the masks ran 2–6 times faster on plan text).

    >>> guarded(r"超?\d+(?:亿元|万元)").pattern
    '(?=[超\\d])(?:超?\\d+(?:亿元|万元))'
    >>> [m.group() for m in guarded(r"超?\d+(?:亿元|万元)").finditer("超5亿元和3万元，第2")]
    ['超5亿元', '3万元']
    """
    cls = first_chars(pattern, flags)
    if cls is None:
        return re.compile(pattern, flags)
    try:       # a newline ends a trailing comment of a verbose pattern before the closing parenthesis
        return re.compile(f"(?={cls})(?:{pattern}{chr(10) if flags & re.VERBOSE else ''})", flags)
    except re.error:     # e.g. global inline flags, which must stay first
        return re.compile(pattern, flags)


def _approx_before(g: Grammar) -> str:
    """The approximation words before a number, each refused where it is part of a qualifier verb
    of the grammar: 不超过3% is a ceiling (the verb's 以内), not 超过 3% (over 3).

    >>> from planwatch.parse.grammar import default_grammar
    >>> [m.group() for m in re.finditer(_approx_before(default_grammar()), "不超过，超过，不超，超")]
    ['超过', '超']
    """
    parts = []
    for w in sorted(g.approx_before, key=len, reverse=True):
        heads = sorted({v[:v.find(w)] for v in g.qualifier_verbs if v.find(w) > 0})
        parts.append("".join(f"(?<!{re.escape(h)})" for h in heads) + re.escape(w))
    return "|".join(parts)


def _masks_source(g: Grammar) -> str:
    """The grammar's not_numbers as one alternation (the masks pattern, before its guard)."""
    return "|".join(f"(?:{p})" for p in g.not_numbers)


# A glyph the reader could not read — U+FFFD, a private-use code (PDF fonts without a ToUnicode map),
# □, a combining mark or variation selector — may stand for a lost digit: 3\ufffd9.3亿元 is not 9.3亿元.
# A number touching one (before it, or right after its digits) is not read. So does a character past
# the fold table that Unicode says is never shown (text._INVISIBLE folds those of the BMP to a space):
# the shorthand and musical format controls, the tags and the supplementary variation selectors.
_UNREAD = (r"\ufffd\ue000-\uf8ff\u25a1\u0300-\u036f\ufe00-\ufe0f"
           r"\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff")


@lru_cache(maxsize=1)
def _number_signs() -> str:
    """Signs of a number that are no decimal digit (Unicode No: superscripts and subscripts, fractions,
    circled and parenthesised numbers ①⑴⒈, digits of scripts whose digits are no decimal digits), as
    the ranges of a regex character class (all below U+20000; ~20 ms, once). Between two digits one
    stands for a lost or garbled digit (3①9.3 is not 9.3); before a figure that follows no digit it is
    a list mark (①10个重点项目), and the figure is read."""
    import unicodedata
    codes = [c for c in range(0x20000) if unicodedata.category(chr(c)) == "No"]
    ranges, start, prev = [], codes[0], codes[0]
    for c in codes[1:] + [-1]:
        if c != prev + 1:
            ranges.append(f"\\U{start:08x}" + (f"-\\U{prev:08x}" if prev != start else ""))
            start = c
        prev = c
    return "".join(ranges)


@lru_cache(maxsize=4)
def _patterns(g: Grammar) -> tuple[re.Pattern, re.Pattern]:
    units = _alt(g.unit_names)
    mags = _alt(g.magnitudes)
    signs = _number_signs()
    quantity = guarded(rf"""
        (?P<before>{_approx_before(g)})?
        (?<![A-Za-z0-9.{_UNREAD}])        # not inside a code or a longer number, nor after a glyph not read
        (?<!\d[{signs}])          # nor a digit's sign away from another digit (3①9.3, 3⁹9.3 are not 9.3)
        (?P<num>-?\d+(?:\.\d+)?)(?![{_UNREAD}])(?![{signs}]\d)
        (?P<pct1>%)?
        (?:(?P<sep>—|-|~|{_alt(g.range_words)})(?P<high>\d+(?:\.\d+)?))?   # ranges: 6%-6.5%, 6至6.5%
        (?P<mag>{mags})?
        (?P<after>{_alt(g.approx_after)})?
        (?P<unit>{units})?
        (?![A-Za-z0-9])
        (?P<qual>{_alt(g.qualifiers_after)})?
        """, re.VERBOSE)
    masks = guarded(_masks_source(g))
    return quantity, masks


def _cn_first(g: Grammar) -> str:
    """The characters a Chinese numeral that _cn_pattern reads may start with."""
    return "".join(d for d in g.cn_digits if g.cn_digits[d]) + "".join(m for m, v in g.cn_multipliers.items() if v == 10)


@lru_cache(maxsize=4)
def _cn_pattern(g: Grammar) -> re.Pattern:
    digits = "".join(g.cn_digits)
    numeral = digits + "".join(g.cn_multipliers)
    first = _cn_first(g)
    return guarded(rf"""
        (?P<before>{_approx_before(g)})?
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
        fam = _unit_factor(written, g)
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


_QUANTITY_GROUPS = ("before", "num", "pct1", "sep", "high", "mag", "after", "unit", "qual")


_DIGIT = re.compile(r"\d")     # the quantity pattern's number holds one (the same \d, Unicode digits too)


@lru_cache(maxsize=4)
def _cn_chars(g: Grammar) -> re.Pattern:
    """A character every Chinese numeral _cn_pattern reads holds: its first."""
    return re.compile(f"[{re.escape(_cn_first(g))}]")


@lru_cache(maxsize=4)
def _number_chars(g: Grammar) -> re.Pattern:
    """A character every quantity's number holds: a digit (the \\d of the quantity pattern) or the
    first character of a Chinese numeral (_cn_pattern, when the grammar has numerals). A text
    without one holds no quantity (most clauses have none)."""
    return re.compile(f"[{_number_class(g)}]")


def _number_class(g: Grammar) -> str:
    """The inside of _number_chars' character class: \\d and the first characters of numerals."""
    return "\\d" + (re.escape(_cn_first(g)) if g.cn_digits else "")


@lru_cache(maxsize=4)
def _unit_factors(g: Grammar) -> dict:
    return {}


def _unit_factor(written: str, g: Grammar) -> tuple[str, Decimal] | None:
    """g.unit_factor(written), remembered per grammar (a few dozen units are ever written)."""
    cache = _unit_factors(g)
    if written not in cache:
        cache[written] = g.unit_factor(written)
    return cache[written]


@lru_cache(maxsize=4)
def _find_tools(g: Grammar) -> tuple[re.Pattern, re.Pattern, re.Pattern | None, re.Pattern | None, dict, tuple[int, ...]]:
    """What find_quantities uses on every call, in one cached lookup: the quantity and mask patterns,
    the characters one of which every mask holds (required_chars: two in three texts searched for
    masks hold none, and are not scanned; None: always scan), the numeral-character test (None
    without numerals), the unit-factor cache (_unit_factor's) and the numbers of the quantity
    pattern's _QUANTITY_GROUPS (a group is read faster by number than by name)."""
    quantity, masks = _patterns(g)
    groups = tuple(quantity.groupindex[name] for name in _QUANTITY_GROUPS)
    return quantity, masks, required_chars(_masks_source(g)), (_cn_chars(g) if g.cn_digits else None), \
        _unit_factors(g), groups


def from_to(text: str, a: Quantity, b: Quantity, g: Grammar, rates: bool = False) -> bool:
    """Whether two figures state a change from one level to the next (由a提高到b, 从2018年的a增加至b:
    grammar.yml's level_from before a, level_to between them), or with rates=True from one rate to the
    next (由下降3%转为增长5%: growth_from, growth_to)."""
    before, between = (g.growth_from, g.growth_to) if rates else (g.level_from, g.level_to)
    return before.search(text, max(0, a.start - 12), a.start) is not None \
        and between.match(text[a.end:b.start]) is not None


def find_quantities(text: str, start: int = 0, end: int | None = None, grammar: Grammar | None = None,
                    with_unit: bool = False, numerals: bool = True) -> list[Quantity]:
    """Quantities in text[start:end], minus masked numbers; with_unit: only those with a unit
    (the same as filtering the result on q.unit, without building or masking the others);
    numerals=False: the caller found no match of the Chinese-numeral pattern in a text holding
    text[start:end] (so there is none here either), and it is not scanned for again.

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
    end = len(text) if end is None else end
    # each pattern runs only where its number can be: a digit, a Chinese numeral's first character
    digits = _DIGIT.search(text, start, end) is not None
    quantity, masks, mask_chars, cn_chars, factors, groups = _find_tools(g)
    numerals = numerals and cn_chars is not None and cn_chars.search(text, start, end) is not None
    if not digits and not numerals:
        return []
    masked: list[tuple[int, int]] | None = None     # scanned once there is a number to mask (most clauses have none)
    out: list[Quantity] = []
    k = 0      # masks and matches both come in text order: walk them together (linear, not all-pairs)
    for m in (quantity.finditer(text, start, end) if digits else ()):
        before, num, pct, sep, high, mag, after, unit_word, qual = m.group(*groups)     # _QUANTITY_GROUPS
        if with_unit and not (mag or unit_word or pct):
            continue    # no unit (written below is None): dropped before the masks are scanned for it
        if masked is None:      # masked_spans(text, start, end, g), inline; none without a character every mask holds
            masked = [mm.span() for mm in masks.finditer(text, start, end)] \
                if mask_chars is None or mask_chars.search(text, start, end) else []
        ns, ne = m.span(groups[1])      # "num"
        while k < len(masked) and masked[k][1] <= ns:
            k += 1
        if k < len(masked) and masked[k][0] < ne:
            continue
        if num.startswith("-") and not unit_word and not pct:
            continue
        mag, unit_word = mag or "", unit_word or ""
        written = (mag + unit_word) or (pct or None)
        if high and pct and not unit_word:
            written = "%"
        fam = (factors[written] if written in factors else _unit_factor(written, g)) if written else None
        if written and fam is None:
            continue
        out.append(_new_quantity(
            value=Decimal(num),
            value_high=Decimal(high) if high else None,
            unit=written, family=fam[0] if fam else None, factor=fam[1] if fam else None,
            approx=before or after,
            qualifier=qual,
            start=m.start(), end=m.end(), num_start=ns,
        ))
    if numerals:
        cn = _cn_quantities(text, start, end, g)
        if cn:
            out = sorted(out + cn, key=lambda q: q.start)
    return out


def convert(value: Decimal, unit: str | None, std_unit: str, grammar: Grammar | None = None) -> Decimal | None:
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
    a, b = _unit_factor(unit, g) if unit is not None else None, _unit_factor(std_unit, g)
    if not a or not b or a[0] != b[0]:
        return None
    return (value * a[1] / b[1]).normalize() + 0
