"""Indicator statements in prose: catalogue names, then the level, growth and qualifier after them.

For each sentence: find catalogue names (longest first), drop those that a modifier turns
into another measure (人均地区生产总值, 涉农贷款余额, 占GDP比重), group names that share one
predicate (社会消费品零售总额、外资、外贸保持稳定增长), and read the predicate clause by clause:
the statement's own clause, plus following clauses that only add growth (，同比增长5.6%).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from planwatch.catalogue import Catalogue, Indicator
from planwatch.parse.grammar import Grammar
from planwatch.parse.numbers import (_DIGIT, Quantity, _cn_pattern, _number_class, any_word, convert, find_quantities, from_to,
                                     guarded)
from planwatch.parse.other import code_for, other_items
from planwatch.parse.sections import Section
from planwatch.parse.text import MAX_SENTENCE, SENTENCE_END, NormText, sentences
from planwatch.records import Record, fast_constructor

_new_record = fast_constructor(Record)     # Record(**fields), for the statements of every sentence

_CLAUSE_MARKS = "，；：。！？\n"
_CLAUSE = re.compile(f"[^{_CLAUSE_MARKS}]+")
_YEAR_BEFORE = re.compile(r"(20\d\d)年")
MAX_LEVEL_GAP = 10   # chars between a name and its level (完成, 达到, 预计超过 …)


class SentenceScan:
    """What a sentence says once, looked up per statement in O(log n): the years it names
    (with base-year marks excluded), and where its first target cue and estimate word end.
    Rescanning the sentence from its start for every statement was quadratic. Each part is
    scanned on first use: a sentence with no statement (most of them) needs only its list cue."""

    __slots__ = ("_positions", "_years", "_cue_end", "_estimate_end", "_mark_ends", "_marks", "list_end", "list_year",
                 "opens_list", "carry", "_text", "_s0", "_s1", "_g")

    def __init__(self, text: str, s0: int, s1: int, g: Grammar, carry: ListCarry | None = None):
        self._text, self._s0, self._s1, self._g = text, s0, s1, g
        self._positions: list[int] | None = None
        self._years: list[int] = []
        self._cue_end: int | None = None
        self._estimate_end: int | None = None
        self._mark_ends: list[int] | None = None
        self._marks: list[tuple[str, str, int | None]] = []
        # a list of targets opened by a cue and a colon (主要预期目标是：…), in this sentence or an earlier one
        self.carry = carry
        cue = _list_cue(g).search(text, s0, s1) if text.find(_CUE_COLON, s0, s1) >= 0 else None    # a cue ends in the colon
        self.list_end = cue.end() if cue else 1 << 62
        self.list_year = None
        self.opens_list = False
        if cue:
            mark = self.mark_before(cue.end())
            self.list_year = self.last_year_before(cue.end()) or (mark[2] if mark and mark[0] == "multi_year" else None)
            self.opens_list = not text[cue.end():s1].strip(" \t。")

    def _scan_years(self) -> list[int]:
        text, s0, g = self._text, self._s0, self._g
        positions: list[int] = []
        since = tuple(g.period_so_far_words)
        for m in _YEAR_BEFORE.finditer(text, s0, self._s1):
            if not _after_base_mark(text, s0, m.start(), g) and not text.startswith(since, m.end()):
                positions.append(m.end())
                self._years.append(int(m.group(1)))
        self._positions = positions
        return positions

    def _scan_marks(self) -> list[int]:
        """Period marks (前三季度, “十四五”时期, 五年来, 全年): one pass, in text order, as
        (scope, as written, last year of a multi-year period)."""
        text, s0, g = self._text, self._s0, self._g
        mark_ends: list[int] = []
        self._mark_ends = mark_ends
        marks = self._marks
        for m in _period_marks(g).finditer(text, s0, self._s1):
            scope = m.lastgroup or ""     # (every alternative is a named group)
            if _after_base_mark(text, s0, m.start(), g, g.period_base_marks):
                continue
            mark_ends.append(m.end())
            marks.append((scope, m.group(), _period_end_year(m.group(), g) if scope == "multi_year" else None))
        if marks and any(sc == "multi_year" and y is None for sc, _w, y in marks):
            # 四年来…推进“十四五”规划实施：… reports the period so far, not its end
            self._marks = [(sc, w, None if sc == "multi_year" else y) for sc, w, y in marks]
        return mark_ends

    @property
    def cue_end(self) -> int:
        """End of the first target cue (a large number if none)."""
        if self._cue_end is None:
            self._cue_end = _first_end(self._text, self._s0, self._s1 + 20, self._g.target_cues)
        return self._cue_end

    @property
    def estimate_end(self) -> int:
        """End of the first estimate word (a large number if none)."""
        if self._estimate_end is None:
            self._estimate_end = _first_end(self._text, self._s0, self._s1, self._g.estimate_words)
        return self._estimate_end

    def last_year_before(self, pos: int) -> int | None:
        positions = self._positions if self._positions is not None else self._scan_years()
        i = bisect_right(positions, pos)
        return self._years[i - 1] if i else None

    def mark_before(self, pos: int) -> tuple[str, str, int | None] | None:
        ends = self._mark_ends if self._mark_ends is not None else self._scan_marks()
        i = bisect_right(ends, pos)
        if i:
            return self._marks[i - 1]
        return self.carry.mark if self.carry else None

    def in_list(self, pos: int) -> bool:
        return self.carry is not None or self.list_end <= pos

    def next_carry(self, section: Section) -> ListCarry | None:
        """What the next sentence inherits: a list opened here (…目标是：), or the one this sentence is in."""
        if self.opens_list:       # the cue's marks were scanned for list_year
            i = bisect_right(self._mark_ends or [], self.list_end)
            mark = self._marks[i - 1] if i and self._marks[i - 1][0] == "multi_year" else None
            return ListCarry(section.start, self.list_year, mark)
        return self.carry


# (not frozen: compiled (planwatch.native), a frozen class could not be pickled or deep-copied; see numbers.Quantity)
@dataclass(eq=True, unsafe_hash=True)
class ListCarry:
    """A list of targets continuing from an earlier sentence of the same section."""
    section_start: int
    year: int | None
    mark: tuple[str, str, int | None] | None


_CUE_COLON = "："     # every match of _list_cue ends in it: a sentence without one opens no list


@lru_cache(maxsize=4)
def _list_cue(g: Grammar) -> re.Pattern:
    cues = "|".join(re.escape(w) for w in sorted(g.target_list_cues, key=len, reverse=True))
    return re.compile(rf"(?:{cues})[^，。；：\n]{{0,8}}{_CUE_COLON}")


def _after_base_mark(text: str, s0: int, pos: int, g: Grammar, marks: list[str] | None = None) -> bool:
    """Whether a base-of-comparison word (较, 比上半年, 由2010年的) stands right before pos."""
    before = text[max(s0, pos - 2):pos]
    return before.endswith(tuple(g.base_marks if marks is None else marks))     # one C-level test of them all


class _Words:
    """Per grammar, one search pattern for each word list the statement readers test with
    ``any(w in text for w in words)``: a literal alternation finds a match exactly where one of the
    words occurs (an empty word matches everywhere, as "" in text; no words: never), searched in
    place with pos and endpos instead of a slice and a generator over the words."""

    __slots__ = ("multi_year_avg", "cumulative", "stretch", "level_verbs", "respectively", "composed")

    def __init__(self, g: Grammar):
        def search(words):
            return any_word(words).search
        self.multi_year_avg, self.cumulative = search(g.multi_year_avg_words), search(g.cumulative_words)
        self.stretch, self.level_verbs = search(g.stretch_words), search(g.level_verbs)
        self.respectively = search(g.respectively_words)
        self.composed = search(g.composed_words)


@lru_cache(maxsize=4)
def _words(g: Grammar) -> _Words:
    return _Words(g)


@lru_cache(maxsize=4)
def _period_marks(g: Grammar) -> re.Pattern:
    return guarded(     # a first-character lookahead: ~3× faster scans, same matches
        "|".join(f"(?P<{scope}>{pattern})" for scope, pattern in g.period_marks))


_YEAR_RANGE_END = re.compile(r"\d{4}\D{1,2}(\d{4})年")


def _period_end_year(mark: str, g: Grammar) -> int | None:
    """Last year of a multi-year period as written (“十四五”时期 → 2025, 2016—2020年 → 2020).

    >>> from planwatch.parse.grammar import default_grammar
    >>> _period_end_year("“十四五”时期", default_grammar()), _period_end_year("2016—2020年", default_grammar())
    (2025, 2020)
    >>> _period_end_year("“十四五”前四年", default_grammar()), _period_end_year("“十四五”以来", default_grammar())
    (2024, None)
    >>> _period_end_year("五年来", default_grammar()) is None
    True
    """
    if any(w in mark for w in g.period_so_far_words):
        return None           # “十四五”以来: up to the last full year, the document's own actuals
    for name, year in g.plan_periods.items():
        if name in mark:
            first = g.period_first_years.search(mark)   # “十四五”前四年 → 2024
            return year - 5 + g.cn_digits[first.group(1)] if first else year
    m = _YEAR_RANGE_END.search(mark)
    return int(m.group(1)) if m else None


SCOPE_WINDOW = 40    # 年均 / 累计 stand at most this far before their figure, in its own clause


def period_scope(text: str, lead: int, q: Quantity, scan: SentenceScan, g: Grammar,
                 name: tuple[int, int] | None = None) -> tuple[str, str | None, int | None]:
    """(period_scope, period_note, last year of the period or None) of the figure q, whose own
    words start at lead (its clause, or the end of the figure before it). Words inside the
    indicator's name [name) are the name's, not the period's: 细颗粒物年均浓度37微克 is one year's."""
    w0 = max(lead, q.start - SCOPE_WINDOW)     # the figure's own words are text[w0:q.start]
    words = _words(g)
    mark = scan.mark_before(q.start)
    multi = mark if mark and mark[0] == "multi_year" else None
    avg = _outside_name(words.multi_year_avg, text, w0, q.start, name)
    if avg:
        return "multi_year_avg", (multi[1] if multi else avg.group()), (multi[2] if multi else None)
    if mark and mark[0] == "partial_year":
        return "partial_year", mark[1], None
    if multi and _outside_name(words.cumulative, text, w0, q.start, name):
        return "cumulative", multi[1], multi[2]
    return "annual", None, None


def _outside_name(find, text: str, start: int, end: int, name: tuple[int, int] | None):
    """find's first match in text[start:end] that does not start inside the name's span (one search
    in the common case: the leftmost match is before the name, after it, or there is none)."""
    m = find(text, start, end)
    if m and name and name[0] <= m.start() < name[1]:
        m = find(text, max(start, name[1]), end)       # the leftmost was the name's own word: look after it
    return m


def _first_end(text: str, start: int, end: int, words) -> int:
    """End of the earliest-ending occurrence of any word in text[start:end] (a large number if none)."""
    best = 1 << 62
    for w in words:
        i = text.find(w, start, end)
        if i >= 0:
            best = min(best, i + len(w))
    return best


# (not frozen: see numbers.Quantity)
@dataclass(eq=True, unsafe_hash=True)
class Mention:
    start: int
    end: int
    name: str
    indicator: Indicator


_new_mention = fast_constructor(Mention)     # Mention(**fields), for the names of every sentence


@lru_cache(maxsize=8)
def _matcher(cat: Catalogue, g: Grammar) -> re.Pattern:
    verbs = g.level_verbs + g.growth_up + g.growth_down + g.name_follow_words
    follow = "|".join(re.escape(v) for v in sorted(set(verbs), key=len, reverse=True))
    bare = re.escape(g.bare_name_follow)
    parts = []
    for name in cat.names():
        esc = re.escape(name)
        parts.append(f"{esc}(?=[{bare}]|{follow}|\\d)" if cat.is_bare(name) else esc)
    return re.compile("|".join(parts))     # (behind numbers.guarded's lookahead it scans no faster)


@lru_cache(maxsize=8)
def _exclusions(cat: Catalogue, g: Grammar) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per indicator code, the words that, right before or after a name, make it another measure
    (grammar measure_modifiers and ratio_words, and the indicator's own), as tuples for one
    endswith / startswith each."""
    return {code: (tuple(g.measure_modifiers + list(ind.exclude_before)), tuple(g.ratio_words + list(ind.exclude_after)))
            for code, ind in cat.indicators.items()}


def find_mentions(text: str, start: int, end: int, cat: Catalogue, g: Grammar) -> list[Mention]:
    out: list[Mention] = []
    exclusions = _exclusions(cat, g)
    for m in _matcher(cat, g).finditer(text, start, end):
        code = cat.code_for(m.group())
        if code is None:
            continue      # (the matcher matches catalogue names only)
        ind = cat.indicators[code]
        not_before, not_after = exclusions[code]
        if text[max(start, m.start() - 4):m.start()].endswith(not_before):
            continue
        if text[m.end():m.end() + 4].startswith(not_after):
            continue
        if out and m.start() < out[-1].end:
            continue     # inside a name composed from the one before (…能耗和二氧化碳排放降低)
        listed = _listed_mentions(text, out[-1].end if out else start, m.start(), m.end(), m.group(), cat, g)
        if listed:
            out.extend(listed)
            continue
        out.append(_new_mention(start=m.start(), end=m.end(), name=m.group(), indicator=ind))
        shared = _shared_head_mention(text, m.end(), end, m.group(), cat, g)
        if shared:
            out.append(shared)
    return out + _share_mentions(text, start, end, out, cat, g) if out else out   # a share needs a name before it


MAX_MODIFIER = 6     # characters of a listed modifier before a shared head (城镇居民、 存款、)
PAIRED_WINDOW = 10   # 分别 stands at most this far after a paired name (城乡居民人均可支配收入年均分别增长)


MAX_TAIL = 10        # characters of a second name that shares the first one's head (…能耗和二氧化碳排放降低)


def _shared_head_mention(text: str, m1: int, end: int, name: str, cat: Catalogue, g: Grammar) -> Mention | None:
    """单位地区生产总值能耗和二氧化碳排放降低: the second item of a list that shares the head of the
    first name (单位地区生产总值) is the catalogue name the head and the item make, if any."""
    if m1 >= end or text[m1] not in g.list_joiners:
        return None
    code = cat.code_for(name)
    for k in range(min(MAX_TAIL, end - m1 - 1), 1, -1):     # the longest item first
        tail = text[m1 + 1:m1 + 1 + k]
        for p in range(1, min(4, len(name) - 1) + 1):
            other = cat.code_for(name[:-p] + tail)
            if other and other != code:
                return Mention(m1 + 1, m1 + 1 + k, tail, cat.indicators[other])
    return None


def _listed_mentions(text: str, start: int, m0: int, m1: int, name: str, cat: Catalogue, g: Grammar) -> list[Mention]:
    """Names that one written name stands for, in order: 城镇、农村居民人均可支配收入 → the urban and
    the rural income; 存、贷款余额 → deposits and loans; 城乡居民人均可支配收入分别… → urban and
    rural. Empty when the name stands for itself."""
    respectively = _words(g).respectively(text, m1, m1 + PAIRED_WINDOW) is not None
    for prefix, parts in g.paired_prefixes.items() if respectively else ():
        for a in range(len(prefix)):
            if text[max(start, m0 - a):m0] == prefix[:a] and m0 - a >= start and name.startswith(prefix[a:]):
                rest = name[len(prefix) - a:]
                codes = [cat.code_for(p + rest) for p in parts]
                if all(codes):
                    return [Mention(m0 - a, m1, text[m0 - a:m1], cat.indicators[c]) for c in codes if c]
    j = m0 - 1
    if j <= start or text[j] not in g.list_joiners:
        return []
    k = 0
    while k < MAX_MODIFIER and j - k - 1 >= start and "\u4e00" <= text[j - k - 1] <= "\u9fff" \
            and text[j - k - 1] not in g.list_joiners:
        k += 1
    for k in range(k, 0, -1):      # the longest modifier first: 城镇居民、 before 居民、
        modifier = text[j - k:j]
        for p in range(1, min(4, len(name) - 1) + 1):
            code, own = cat.code_for(modifier + name[p:]), cat.code_for(name)
            if code and own and code != own:
                return [Mention(j - k, j, modifier, cat.indicators[code]),
                        Mention(m0, m1, name, cat.indicators[own])]
    return []


def _share_mentions(text: str, start: int, end: int, mentions: list[Mention], cat: Catalogue, g: Grammar) -> list[Mention]:
    """X…，占Y比重达到Z%: the share of X in Y, when the catalogue names it (X占Y比重)."""
    extra = []
    ends = None
    for m in g.share_of.finditer(text, start, end):
        if ends is None:
            ends = [x.end for x in mentions]          # mentions come in text order
        i = bisect_right(ends, m.start())
        inside = i < len(mentions) and mentions[i].start <= m.start()
        if i == 0 or inside:
            continue
        # the part as written, else by any name of its indicator (第三产业增加值占…比重 is the catalogue's
        # 服务业增加值占…比重: the part's names are one measure's)
        # and the whole without the scope it may carry (占全市地区生产总值的比重)
        part, whole = mentions[i - 1], m.group(1)
        scoped = g.region_scope.match(whole)
        wholes = (whole, whole[scoped.end():]) if scoped else (whole,)
        code = next((c for name in (part.name, part.indicator.name_zh, *part.indicator.synonyms) for w in wholes
                     if (c := cat.code_for(g.share_of_name.format(part=name, whole=w)))), None)
        if code:
            extra.append(Mention(m.start(), m.end(), m.group(), cat.indicators[code]))
    return extra


def _group(mentions: list[Mention], text: str, g: Grammar) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and (m.start < groups[-1][-1].end or g.group_joiners.match(text[groups[-1][-1].end:m.start])):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


_CLAUSE_MARK = re.compile(r"[，；。：]")


@lru_cache(maxsize=4)
def _predicate_words(g: Grammar) -> tuple[tuple[str, ...], re.Pattern]:
    """The words that open a clause adding growth (as one tuple), and any clause_stop word (one
    pattern: a clause without one skips the loop over them)."""
    lead = tuple(g.growth_lead + g.growth_up + g.growth_down) + tuple(g.respectively_words)
    return lead, any_word(g.clause_stop)


def _predicate_end(text: str, start: int, limit: int, g: Grammar) -> int:
    """End of the predicate: the first clause, plus clauses that only add growth."""
    pos = start
    lead, stops = _predicate_words(g)
    while pos < limit:
        m = _CLAUSE_MARK.search(text, pos, limit)
        clause_end = m.start() if m else limit
        clause = text[pos:clause_end]
        for w in (g.clause_stop if stops.search(clause) else ()):
            i = clause.find(w)
            while i >= 0 and _in_qualifier_verb(clause, i, w, g):
                i = clause.find(w, i + 1)     # 增长不低于8%: 低于 inside a qualifier verb stops nothing
            if i > 0 or (i == 0 and pos > start):
                return pos + i if i > 0 else pos
        if not m or m.group() != "，":
            return clause_end
        if not text.startswith(lead, m.end(), limit):
            # 一季度负增长39.8%，上半年下降19.1%: a period mark, then growth words: the same subject, another
            # period; 年均增长4.3%，2020年达到5183.2亿元: a year, then a level or growth verb
            mark = _period_marks(g).match(text, m.end(), limit)
            year = None if mark else g.clause_year.match(text, m.end(), limit)
            if not ((mark and text.startswith(lead, mark.end(), limit))
                    or (year and text.startswith(lead + tuple(g.level_verbs), year.end(), limit))):
                return clause_end
        pos = m.end()
    return limit


def _in_qualifier_verb(clause: str, i: int, w: str, g: Grammar) -> bool:
    """Whether the word w at clause[i] is part of a qualifier verb written there (不低于 holds 低于)."""
    for verb in g.qualifier_verbs:
        k = verb.find(w)
        if k >= 0 and i - k >= 0 and clause.startswith(verb, i - k):
            return True
    return False


@lru_cache(maxsize=4)
def _growth_verb(g: Grammar) -> re.Pattern:
    verbs = "|".join(re.escape(v) for v in sorted(g.growth_up + g.growth_down, key=len, reverse=True))
    suffixes = "|".join(re.escape(w) for w in g.growth_verb_suffixes)
    joiners = "|".join(re.escape(w) for w in g.list_joiners)
    # no first-character lookahead (numbers.guarded): the engine's own scan for the verbs' first
    # characters is faster here (measured: 4.7 against 3.7 ms for a pass's 3,500 searches)
    return re.compile(rf"({verbs})(?:{suffixes})?(?:[\d.%]+(?:{joiners}))*$")


@lru_cache(maxsize=4)
def _growth_verb_ends(g: Grammar) -> frozenset[str] | None:
    """What the character before a figure is when _growth_verb matches up to it: the last of a verb,
    a suffix or a list joiner (the pattern's last word), or a line break ($ matches before a final
    one). A figure after anything else (完成, 实现 …: most levels) is no growth, without a search.
    None with an empty word: the match could end on anything then."""
    words = g.growth_up + g.growth_down + g.growth_verb_suffixes + g.list_joiners
    return frozenset(w[-1] for w in words) | {"\n"} if all(words) else None


GROWTH_WINDOW = 80   # a growth verb governs numbers at most this far after it (增长5%、6%、7% …)


def _is_growth(text: str, clause_start: int, q: Quantity, g: Grammar) -> int:
    """+1 / -1 when q follows a growth verb (增长 / 下降), else 0."""
    ends = _growth_verb_ends(g)
    if q.start <= clause_start or (ends is not None and text[q.start - 1] not in ends):
        return 0       # (an empty window holds no verb)
    m = _growth_verb(g).search(text, max(clause_start, q.start - GROWTH_WINDOW), q.start)
    if not m:
        return 0
    return -1 if m.group(1) in g.growth_down else 1


def _signed(value: Decimal, sign: int) -> Decimal:
    """A growth figure with the sign of its verb; a figure written negative stays negative
    (下降-3.5% is -3.5: the minus repeats the verb, it does not cancel it).

    >>> _signed(Decimal("3.5"), -1), _signed(Decimal("-3.5"), -1), _signed(Decimal("-3.5"), 1)
    (Decimal('-3.5'), Decimal('-3.5'), Decimal('-3.5'))
    """
    return value if value < 0 else value * sign


def _family_ok(ind: Indicator, q: Quantity, g: Grammar) -> bool:
    """Whether q can be a level of ind: its unit's family, or another currency of a money indicator
    (kept with its own unit, no value_std: grammar currency_families)."""
    if q.unit is None:
        return False
    if ind.family == "percent":
        return q.unit == "%"
    return q.family == ind.family or (q.family in g.currency_families and ind.family in g.currency_families)


def _d(x: Decimal | None) -> float | None:
    return float(x) if x is not None else None


class SentenceContext:
    """One sentence and what every statement in it is read against: the document's text (normalised
    and raw), the sentence's bounds, its section, the document's year, the rule data and what the
    sentence says once (SentenceScan). Passed instead of nine loose arguments. A plain slotted class,
    not a frozen dataclass: one is made per sentence, and a frozen one costs a setattr call per field."""

    __slots__ = ("norm", "raw", "s0", "s1", "sec", "doc_year", "cat", "g", "scan", "text", "_whole")

    def __init__(self, norm: NormText, raw: str, s0: int, s1: int, sec: Section, doc_year: int, cat: Catalogue,
                 g: Grammar, scan: SentenceScan):
        self.norm, self.raw, self.s0, self.s1, self.sec = norm, raw, s0, s1, sec
        self.doc_year, self.cat, self.g, self.scan = doc_year, cat, g, scan
        self.text = norm.text
        self._whole: str | None = None

    def kind_period(self, pos: int) -> tuple[str, int]:
        return _kind_period(self.scan, pos, self.sec, self.doc_year)

    def sentence_of(self, rs: int, re_: int) -> str:
        """The raw sentence, clipped around the record's raw span [rs, re_) when very long (only the
        window is sliced, so a long sentence with many statements stays linear)."""
        if self._whole is not None:
            return self._whole
        a, b = self.norm.raw_span(self.s0, self.s1)
        if b - a <= MAX_SENTENCE + 40:
            self._whole = self.raw[a:b].strip()      # the same for every record of the sentence
            return self._whole
        w0 = max(a, min(rs, re_ - 1) - MAX_SENTENCE // 2)
        w1 = min(b, w0 + MAX_SENTENCE)
        return ("…" if w0 > a else "") + self.raw[w0:w1].strip() + ("…" if w1 < b else "")


class Predicate:
    """A statement's predicate [p0, p1) and what its clause says of it: kind and year, whether it
    is an estimate (预计) or a stretch target (力争). A plain slotted class (one per statement)."""

    __slots__ = ("p0", "p1", "kind", "period", "estimated", "stretch")

    def __init__(self, p0: int, p1: int, kind: str, period: int, estimated: bool = False, stretch: bool = False):
        self.p0, self.p1, self.kind, self.period, self.estimated, self.stretch = p0, p1, kind, period, estimated, stretch


def extract_prose(norm: NormText, raw: str, sections: list[Section], doc_year: int,
                  cat: Catalogue, g: Grammar, with_other: bool = True) -> list[Record]:
    text = norm.text
    records: list[Record] = []
    carry: ListCarry | None = None
    starts = [x.start for x in sections]     # section_at's binary search, without a key call per step
    numeral_chars, cn = _numerals(g), _cn_pattern(g)
    named = _name_starts(text, cat, g)
    for s0, s1 in sentences(text):
        if text.startswith("\t", s0, s1):
            continue   # table cells are read by tables.py
        i = bisect_right(starts, s0)
        sec = sections[i - 1] if i > 0 else sections[0]
        if carry and carry.section_start != sec.start:
            carry = None      # a list of targets ends at the next heading
        if named is None or _any_in(named, s0, s1):
            mentions = find_mentions(text, s0, s1, cat, g)     # a new list: sorted in place
        else:
            mentions = []     # no catalogue name starts in the sentence (most sentences)
        if len(mentions) > 1:
            mentions.sort(key=lambda m: m.start)
        groups = _group(mentions, text, g) if mentions else []
        # An uncatalogued statement needs a figure: a digit, or a numeral the pattern reads with a
        # unit (三千余家). A numeral's first character (一, 万 …) is in most sentences, a numeral
        # match in few: one search of the sentence (a clause's match is found there too) tells
        # _other_statements whether to read clauses without a digit, and a sentence with neither
        # is not walked at all.
        numerals = counted = False
        if with_other and numeral_chars.search(text, s0, s1):
            numerals = cn.search(text, s0, s1) is not None
            counted = numerals or _DIGIT.search(text, s0, s1) is not None
        if not groups and not counted:
            # nothing to read: no name, and no figure for an uncatalogued statement. Only a sentence
            # with the colon every list cue ends in can open a list of targets for the next ones
            if text.find(_CUE_COLON, s0, s1) >= 0:
                carry = SentenceScan(text, s0, s1, g, carry).next_carry(sec)
            continue
        scan = SentenceScan(text, s0, s1, g, carry)
        carry = scan.next_carry(sec)
        ctx = SentenceContext(norm, raw, s0, s1, sec, doc_year, cat, g, scan)
        if not groups:        # (most sentences) uncatalogued statements only
            records.extend(_other_statements(ctx, [], numerals))
            continue
        spans = []
        for gi, group in enumerate(groups):
            limit = groups[gi + 1][0].start if gi + 1 < len(groups) else s1
            p0 = group[-1].end
            spans.append((p0, _predicate_end(text, p0, limit, g)))
        taken = [(group[0].start, p1) for group, (_p0, p1) in zip(groups, spans)]
        shared = _shared_growths(text, s0, groups, spans, g)
        for gi, group in enumerate(groups):
            p0, p1 = spans[gi]
            found = _statements(ctx, group, p0, p1, shared.get(gi, _OWN))
            records.extend(found)
            limit = groups[gi + 1][0].start if gi + 1 < len(groups) else s1
            restated = _restated_target(ctx, group, found, p1, limit) or _stretch_target(ctx, group, found, p1, limit)
            if restated:
                records.append(restated)
                taken[gi] = (taken[gi][0], max(taken[gi][1], _clause_end(text, p1 + 1, limit)))
        if counted:
            records.extend(_other_statements(ctx, taken, numerals))
    return records


def _name_starts(text: str, cat: Catalogue, g: Grammar) -> list[int] | None:
    """Where the name matcher finds a name in the whole text, in one scan instead of one per
    sentence (None when a name could hold a sentence end: then every sentence is scanned).

    A sentence in which find_mentions' scan finds a name holds one of these starts: no match
    can hold a sentence end, so none runs into a sentence from the one before; and at each
    position the whole-text scan matches wherever the sentence's scan does (a name is a
    literal, and its lookahead only asks for a character, which the sentence's end can hide but
    never supply). So a sentence without one has no mention."""
    if _names_cross_sentences(cat):
        return None
    return [m.start() for m in _matcher(cat, g).finditer(text)]


@lru_cache(maxsize=8)
def _names_cross_sentences(cat: Catalogue) -> bool:
    """Whether a catalogue name holds a character text.sentences() splits at."""
    return any(c in name for name in cat.names() for c in SENTENCE_END + "\n")


def _any_in(sorted_starts: list[int], a: int, b: int) -> bool:
    """Whether one of the sorted positions is in [a, b)."""
    i = bisect_left(sorted_starts, a)
    return i < len(sorted_starts) and sorted_starts[i] < b


@lru_cache(maxsize=4)
def _numerals(g: Grammar) -> re.Pattern:
    """A character every quantity holds (find_quantities reads a number only from a digit or a
    Chinese numeral): a sentence without one has no uncatalogued statement (a first test, before
    the digit and numeral searches)."""
    return re.compile("[0-9" + re.escape("".join(list(g.cn_digits) + list(g.cn_multipliers))) + "]")


RESTATED_WINDOW = 40   # the restated target's clause is at most this long


def _clause_end(text: str, start: int, limit: int) -> int:
    m = _CLAUSE_MARK.search(text, start, limit)
    return m.start() if m else limit


def _restated_target(ctx: SentenceContext, group: list[Mention], found: list[Record], p1: int,
                     limit: int) -> Record | None:
    """低于年初确定的增长5%左右的预期目标: the target of the year whose result was just stated,
    by the same name, in the clause after it."""
    text, g, scan = ctx.text, ctx.g, ctx.scan
    if len(group) != 1 or len(found) != 1 or found[0].kind != "actual" or text[p1:p1 + 1] != "，":
        return None
    c1 = _clause_end(text, p1 + 1, min(limit, p1 + 1 + RESTATED_WINDOW))
    clause = text[p1 + 1:c1]
    end = next((clause.rfind(w) for w in g.restated_target_ends if clause.endswith(w)), -1)
    if end < 0:
        return None
    qs = find_quantities(text, p1 + 1, p1 + 1 + end, g)
    if len(qs) != 1:
        return None
    q, m = qs[0], group[0]
    sign = _is_growth(text, p1 + 1, q, g)
    if sign and q.unit == "%":
        level, growth = None, (sign, q)
    elif not sign and q.unit == "%" and (m.indicator.growth_only or (found[0].value is None and found[0].growth_pct is not None)):
        level, growth = None, (1, q)     # 上涨2.5%，低于3%左右的预期目标: the target restates the growth
    elif not sign and _family_ok(m.indicator, q, g):
        level, growth = q, None
    else:
        return None
    scope = period_scope(text, p1 + 1, q, scan, g)
    rec = _record(ctx, m, level, growth, scope, Predicate(p1 + 1, c1, "target", found[0].period_year))
    # 超过年初确定的5%的目标: the words before the figure compare the result with the target; only the
    # target's own qualifier (5%左右的目标) is the target's
    return replace(rec, qualifier=q.qualifier) if rec else None


def _stretch_target(ctx: SentenceContext, group: list[Mention], found: list[Record], p1: int,
                    limit: int) -> Record | None:
    """增长3%，力争4%: the stretch target of a growth target just stated, in the clause after it, by the
    same name (its sign the stated growth's unless the clause has its own verb: 力争下降4%)."""
    text, g = ctx.text, ctx.g
    stated = found[0] if len(found) == 1 else None
    if len(group) != 1 or stated is None or stated.kind != "target" or text[p1:p1 + 1] != "，" \
            or (stated.growth_pct is None) == (stated.value is None):
        return None     # one target, of a growth or of a level
    c1 = _clause_end(text, p1 + 1, min(limit, p1 + 1 + RESTATED_WINDOW))
    lead = _words(g).stretch(text, p1 + 1, c1)
    if lead is None or lead.start() != p1 + 1:
        return None     # the clause opens with the stretch word (力争, 努力…)
    qs = find_quantities(text, lead.end(), c1, g)
    if len(qs) != 1:
        return None
    q, bare = qs[0], text[lead.end():qs[0].start].strip() == ""
    level, growth = None, None
    if stated.growth_pct is not None and q.unit == "%":
        sign = _is_growth(text, lead.end(), q, g) or ((-1 if stated.growth_pct < 0 else 1) if bare else 0)
        growth = (sign, q) if sign else None
    elif stated.value is not None and bare and _family_ok(group[0].indicator, q, g):
        level = q       # 城镇新增就业1.2万人，力争1.5万人
    if level is None and growth is None:
        return None
    scope = period_scope(text, p1 + 1, q, ctx.scan, g)
    return _record(ctx, group[0], level, growth, scope, Predicate(p1 + 1, c1, "target", stated.period_year, stretch=True))


_OWN = object()      # a statement reads its growth from its own predicate
CHAIN_WINDOW = 300   # how far before 分别 the listed statements it pairs may stand


def _shared_growths(text: str, s0: int, groups: list[list[Mention]], spans: list[tuple[int, int]],
                    g: Grammar) -> dict[int, tuple[int, Quantity] | None]:
    """接待游客X、实现旅游总收入Y，分别增长a%、b%: the growths after 分别 go one to one to the levels
    listed before it, each stated by its own name. Returns the growth of each single-name group in
    such a list (None: the list and the growths do not pair, so no growth is sure)."""
    out: dict[int, tuple[int, Quantity] | None] = {}
    starts = [a for a, _b in spans]
    respectively = _words(g).respectively
    for gi, (p0, p1) in enumerate(spans):
        first = respectively(text, p0, p1)       # the leftmost match starts where the earliest word does
        if first is None:
            continue
        fb = first.start()
        growths = [(sg, q) for q in find_quantities(text, fb, p1, g) if (sg := _is_growth(text, fb, q, g)) and q.unit == "%"]
        if len(growths) < 2 or len(growths) == len(groups[gi]):
            continue
        w0 = max(s0, fb - CHAIN_WINDOW)
        w0 = max(w0, text.rfind("；", w0, fb) + 1)       # bounded: no rescan from the sentence start
        before = find_quantities(text, w0, fb, g)[-len(growths):]
        sure = len(before) == len(growths) and not any(_is_growth(text, w0, q, g) for q in before)
        owners = []
        for q in before:
            i = bisect_right(starts, q.start) - 1         # spans are in text order
            owners.append(i if i >= 0 and spans[i][0] <= q.start < spans[i][1] else None)
        sure = sure and owners[-1] == gi
        for k, owner in enumerate(owners):
            if owner is not None and len(groups[owner]) == 1:
                out[owner] = growths[k] if sure else None
        out.setdefault(gi, None)
    return out


@lru_cache(maxsize=4)
def _growth_verbs_longest_first(g: Grammar) -> tuple[str, ...]:
    """growth_up + growth_down, longest first (sorted once, not per item): a subject loses the longest it ends with."""
    return tuple(sorted(g.growth_up + g.growth_down, key=len, reverse=True))


@lru_cache(maxsize=8)
def _number_clause(g: Grammar, numerals: bool) -> re.Pattern:
    """From a clause start (or a mark before one), the next clause as _CLAUSE splits the text that
    holds a number character (group 1): a digit, and with numerals the first character of a
    Chinese numeral (numbers._number_chars). Clauses without one are skipped inside one match
    (possessively: no backtracking), not one search per clause; anchored (.match), so a text
    with no such clause left fails at once."""
    number = _number_class(g) if numerals else "\\d"
    marks = re.escape(_CLAUSE_MARKS)
    return re.compile(rf"(?:[^{marks}{number}]*+[{marks}])*+([^{marks}{number}]*+[{number}][^{marks}]*+)")


LEAD_WINDOW = 60     # an item's own lead words (力争, 控制在 …) stand at most this far before its number


def _other_statements(ctx: SentenceContext, taken: list[tuple[int, int]], numerals: bool) -> list[Record]:
    """The uncatalogued statements of the sentence's clauses outside the taken spans; numerals:
    whether the numeral pattern matches in the sentence (without, a clause without a digit holds no
    item, and find_quantities need not scan a clause for numerals)."""
    text, g, scan, s0, s1 = ctx.text, ctx.g, ctx.scan, ctx.s0, ctx.s1
    verbs = _growth_verbs_longest_first(g)
    stretch_in = _words(g).stretch
    next_clause = _number_clause(g, numerals).match
    out = []
    sentence = None
    k = 0      # taken spans and clauses are both in text order: walk them together
    pos = s0
    while cm := next_clause(text, pos, s1):     # only clauses holding a number: no number, no item
        c0, c1 = cm.span(1)
        pos = c1
        while k < len(taken) and taken[k][1] <= c0:
            k += 1
        if k < len(taken) and taken[k][0] < c1:
            continue
        for subject, q, span_start, span_end in other_items(text, c0, c1, g, numerals):
            sign = _is_growth(text, c0, q, g)
            if subject.endswith(verbs):        # one C-level test; the loop finds the longest verb
                for v in verbs:
                    if subject.endswith(v):
                        subject = subject[: -len(v)]
                        break
            if sign and q.unit != "%":
                continue   # 同比增加40天: a change in a level, not a growth rate
            if not subject or len(subject) < 2:
                continue
            kind, period = ctx.kind_period(q.start)
            w0 = max(c0, q.start - LEAD_WINDOW)
            stretch = kind == "target" and stretch_in(text, w0, q.start) is not None
            qualifier = q.qualifier or _verb_qualifier(text, w0, q, kind, g)
            if qualifier is None and kind == "actual":
                qualifier = q.approx
            if qualifier is None and stretch:
                qualifier = g.stretch_qualifier
            rs, re_ = ctx.norm.raw_span(span_start, span_end)
            if sentence is None or len(sentence) >= MAX_SENTENCE:
                sentence = ctx.sentence_of(rs, re_)
            out.append(_new_record(
                period_year=period, kind=kind, indicator=code_for(subject), indicator_zh=subject,
                value=None if sign else float(q.value), unit=None if sign else q.unit,
                growth_pct=float(_signed(q.value, sign)) if sign else None, value_high=None if sign else _d(q.value_high),
                growth_pct_high=float(_signed(q.value_high, sign)) if sign and q.value_high is not None else None,
                value_std=None, unit_std=None, qualifier=qualifier,
                estimated=kind == "actual" and scan.estimate_end <= q.start,
                origin="prose", section=ctx.sec.path, char_start=rs, char_end=re_, sentence=sentence, stretch=stretch,
            ))
    return out


def _statements(ctx: SentenceContext, group: list[Mention], p0: int, p1: int, shared=_OWN) -> list[Record]:
    text, g, scan, s0 = ctx.text, ctx.g, ctx.scan, ctx.s0
    quantities = find_quantities(text, p0, p1, g)
    comma = text.rfind("，", s0, group[0].start)
    clause_start = max(comma + 1, text.rfind("；", max(s0, comma), group[0].start) + 1, s0)   # nearest ，or ；
    kind, period = ctx.kind_period(group[0].start)
    if kind == "actual" and text[p0:_clause_end(text, p0, p1)].endswith(tuple(g.restated_target_ends)):
        kind = "target"    # 年初确定地区生产总值增长6%左右的目标: a target stated in the review is no actual
    words = _words(g)
    stretch = kind == "target" and (words.stretch(text, clause_start, group[0].start) or words.stretch(text, p0, p1)) is not None
    estimated = kind == "actual" and scan.estimate_end <= group[0].start
    pred = Predicate(p0, p1, kind, period, estimated, stretch)

    growths, levels = [], []
    own_start: dict[int, int] = {}     # where each figure's own words start: its clause, or the figure before it
    prev = clause_start
    last = None
    signed_end: int | None = None     # end of the last figure after a growth verb
    for q in quantities:
        if last is not None and text[prev:q.start] in g.list_joiners:
            own_start[q.start] = own_start[last.start]   # 年均分别增长6.1%和7.4%: a list shares its words
        else:
            own_start[q.start] = prev
        prev, last = q.end, q
        sign = _is_growth(text, p0, q, g)
        if sign and q.unit == "%":
            growths.append((sign, q))
        elif not sign and signed_end is not None and not words.level_verbs(text, signed_end, q.start):
            pass        # 增长4.6%\n44.1亿元——: a level after a growth needs its own verb (增长5%，达到…)
        elif not sign:
            levels.append(q)
        if sign:
            signed_end = q.end
    caption = _caption_figure(text, s0, group[0].start, g)
    if caption is not None:
        levels.insert(0, caption)       # 3268.5亿元——全区地区生产总值，增长4.6%: the figure before the name is its level
        own_start[caption.start] = caption.start
    n = len(group)
    listed = max(len(levels), len(growths))
    if shared is not _OWN and n == 1:
        growths = [shared] if shared else []
        listed = len(levels)
    if listed > 1 and listed != n and words.respectively(text, p0, p1):
        return []   # 分别 pairs names and numbers one to one; a mismatch means uncatalogued names are in the list
    per_member: list[tuple[Quantity | None, tuple[int, Quantity] | None]] = []
    dated: list[Quantity] = []
    for i, m in enumerate(group):
        lv = [q for q in levels if _family_ok(m.indicator, q, g)]
        if lv and words.composed(text, lv[0].end, _clause_end(text, lv[0].end, ctx.s1)):
            lv = []     # 由第一产业增加值50亿元、…构成: the figures are the parts, not the whole's level
        if lv and lv[0].start - p0 > MAX_LEVEL_GAP + (len(lv[0].approx or "")):
            if not words.level_verbs(text, p0, lv[0].start):
                lv = []
        gr = growths
        if n == 1 and len(gr) > 1 and from_to(text, gr[0][1], gr[1][1], g, rates=True):
            gr = gr[1:]     # 由下降3%转为增长5%: the rate is the one it turned to (-3% was read as this year's)
        if n == 1 and len(lv) > 1 and all(_figure_year(text, q, g) for q in lv):
            dated = lv      # 由2010年的1119.5亿元增加到2015年的1850.2亿元: one level per year
        elif n == 1 and len(lv) > 1 and from_to(text, lv[0], lv[1], g):
            # 由2020年的2.11%提高到2.55%: the level is the one it rose to, of the statement's year; the one it
            # rose from only with its own year (由2800亿元增加到3100亿元 gave 2800 as this year's level)
            if _figure_year(text, lv[0], g):
                dated = lv[:2]
            else:
                lv = lv[1:2]
        if n > 1 and len(lv) == n:
            lv = [lv[i]]
        elif n > 1 and len(lv) > 1:
            lv = []     # more levels than names and not one each: which is whose is not sure
        if n > 1 and len(gr) == n:
            gr = [gr[i]]
        elif n > 1 and len(gr) > 1:
            gr = []
        level: Quantity | None = lv[0] if lv else None
        growth: tuple[int, Quantity] | None = gr[0] if gr else None
        if m.indicator.growth_only and level is not None:
            # 居民消费价格涨幅控制在3%左右: a rate of change has no level; a bare % is its growth
            growth = growth or (1, level)
            level = None
        per_member.append((level, growth))

    name = (group[0].start, group[-1].end)

    def scope_of(q: Quantity) -> tuple[str, str | None, int | None]:
        return period_scope(text, own_start.get(q.start, clause_start), q, scan, g, name)

    out = []
    for m, (level, growth) in zip(group, per_member):
        parts: list[tuple[Quantity | None, tuple[int, Quantity] | None, tuple[str, str | None, int | None]]] = []
        ls = scope_of(level) if level else None
        gs = scope_of(growth[1]) if growth else None
        if dated:
            parts = [(q, None, scope_of(q)) for q in dated]
            parts += [(None, growth, gs)] if growth and gs else []
        elif level and growth and ls and gs and ls != gs:
            parts = [(level, None, ls), (None, growth, gs)]   # 突破1800亿元，年均增长7%: two statements
        else:
            parts = [(level, growth, ls or gs or ("annual", None, None))]
        if n == 1 and not dated and growth is not None and len(growths) > 1 and shared is _OWN:
            # 前三季度增长5.2%，预计全年增长5.5%: one growth per period, each its own statement; growths
            # of one period (a list, a repeat) are not sure and add nothing
            scopes = [scope_of(q) for _s, q in growths]
            if len({sc[:2] for sc in scopes}) == len(scopes):      # a period each (一季度, 上半年 …)
                parts += [(None, gro, sc) for gro, sc in zip(growths[1:], scopes[1:])]
        for lvl, gro, scope in parts:
            rec = _record(ctx, m, lvl, gro, scope, pred)
            if rec:
                out.append(rec)
    return out


CAPTION_WINDOW = 40     # a caption's head (figure, mark, scope) is at most this long


def _caption_figure(text: str, s0: int, name_start: int, g: Grammar) -> Quantity | None:
    """The figure of a caption line (数读: 3268.5亿元——全区地区生产总值，增长4.6%): a line that opens with
    one figure and a caption mark (grammar.yml caption_marks), then the name, at most with the
    text's scope (全区) between."""
    w0 = max(s0, name_start - CAPTION_WINDOW)     # bounded: no rescan of a long line per name
    line = max(w0, text.rfind("\n", w0, name_start) + 1)
    if line == w0 and w0 != s0 and text[w0 - 1] != "\n":
        return None         # the line starts farther back than a caption's head
    head = text[line:name_start]
    if not head.strip() or not any(mark in head for mark in g.caption_marks):
        return None
    qs = find_quantities(text, line, name_start, g)
    if len(qs) != 1 or text[line:qs[0].start].strip():
        return None
    rest = text[qs[0].end:name_start]
    mark = next((w for w in g.caption_marks if rest.startswith(w)), None)
    if mark is None:
        return None
    rest = rest[len(mark):]
    return qs[0] if not rest or g.region_scope.fullmatch(rest) else None


def _figure_year(text: str, q: Quantity, g: Grammar) -> int | None:
    """The year written right before a figure (增加到2015年的1850.2亿元), if any."""
    m = g.figure_year.search(text, max(0, q.start - 10), q.start)
    return int(m.group(1)) if m else None


def _record(ctx: SentenceContext, m: Mention, level: Quantity | None, growth: tuple[int, Quantity] | None,
            scope: tuple[str, str | None, int | None], pred: Predicate) -> Record | None:
    text, g, scan, norm, raw, doc_year = ctx.text, ctx.g, ctx.scan, ctx.norm, ctx.raw, ctx.doc_year
    p0, p1, kind, period, estimated, stretch = pred.p0, pred.p1, pred.kind, pred.period, pred.estimated, pred.stretch
    ind = m.indicator
    qualifier = None
    gq = growth[1] if growth else None
    used: tuple[Quantity, ...] = (level, gq) if level and gq else (level,) if level else (gq,) if gq else ()   # the figures stated
    scope_name, note, last_year = scope
    if not used and _words(g).multi_year_avg(text, p0, p1):
        mark = scan.mark_before(p0)    # 居民人均可支配收入年均增长与经济增长同步
        multi = mark if mark and mark[0] == "multi_year" else None
        scope_name, note = "multi_year_avg", (multi[1] if multi else next(w for w in g.multi_year_avg_words if w in text[p0:p1]))
        last_year = multi[2] if multi else None
    own_year = _figure_year(text, level, g) if level else None
    if own_year is not None:
        period = own_year
        if own_year < doc_year:
            kind = "actual"    # 由2010年的1119.5亿元: a dated past level, whatever the section
    if last_year is not None:
        period = last_year
    if period > doc_year:
        kind = "target"        # a year (or a period) not over when the document was written holds only targets
    if not used:
        if kind != "target":
            return None
        phrase = _qualitative(text, p0, p1, g)
        if not phrase:
            return None
        qualifier, end = phrase
    else:
        end = max(level.end if level else 0, gq.end if gq else 0)
        main = gq if gq and (level is None or kind == "target") else level
        assert main is not None      # used holds a figure: the level, the growth's, or both
        qualifier = main.qualifier or (level.qualifier if level else None) or (gq.qualifier if gq else None)
        if qualifier is None:
            qualifier = _verb_qualifier(text, p0, main, kind, g)
        if qualifier is None and kind == "actual":
            qualifier = next((q.approx for q in used if q.approx), None)
        if qualifier is None and stretch:
            qualifier = g.stretch_qualifier
    value = level.value if level else None
    value_std = convert(level.value, level.unit, ind.std_unit, g) if level else None
    if ind.family == "percent" and level:
        value_std = level.value
    gpct = _signed(growth[1].value, growth[0]) if growth else None
    ghigh = _signed(growth[1].value_high, growth[0]) if growth and growth[1].value_high is not None else None
    rs, re_ = norm.raw_span(min(m.start, level.start) if level else m.start, end)   # a caption's figure stands first
    sentence = ctx.sentence_of(rs, re_)
    return _new_record(
        period_year=period, kind=kind, indicator=ind.code,
        indicator_zh=raw[slice(*norm.raw_span(m.start, m.end))],
        value=_d(value), unit=level.unit if level else None,
        growth_pct=_d(gpct), value_high=_d(level.value_high) if level else None,
        growth_pct_high=_d(ghigh),
        value_std=_d(value_std), unit_std=ind.std_unit if value_std is not None else None,
        qualifier=qualifier, estimated=estimated and kind == "actual", origin="prose", section=ctx.sec.path,
        char_start=rs, char_end=re_, sentence=sentence, stretch=stretch and kind == "target",
        period_scope=scope_name, period_note=note,
    )


def _kind_period(scan: SentenceScan, mstart: int, sec: Section, doc_year: int) -> tuple[str, int]:
    if scan.in_list(mstart):
        year = scan.last_year_before(mstart)
        if year is None:
            year = (scan.carry.year if scan.carry and scan.carry.year else scan.list_year) or doc_year
        return "target", year
    if sec.kind == "results":
        kind = "actual"
    elif sec.kind in ("targets", "tasks", "annex"):
        kind = "target"
    else:
        kind = "target" if scan.cue_end <= mstart + 20 else "actual"
    year = scan.last_year_before(mstart)
    if year is not None:
        return kind, year
    if sec.year:
        return kind, sec.year
    return kind, doc_year if kind == "target" else doc_year - 1


def _verb_qualifier(text: str, p0: int, q: Quantity, kind: str, g: Grammar) -> str | None:
    if kind != "target":
        return None
    gap = text[p0:q.start] + (q.approx or "")
    for verb, qual in g.qualifier_verbs.items():
        if verb in gap:
            return qual
    return None


def _qualitative(text: str, p0: int, p1: int, g: Grammar) -> tuple[str, int] | None:
    seg = text[p0:p1]
    for pattern, phrase in g.qualitative:
        i = seg.find(pattern)
        if i >= 0:
            return phrase, p0 + i + len(pattern)
    return None
