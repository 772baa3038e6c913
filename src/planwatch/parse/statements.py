"""Indicator statements in prose: catalogue names, then the level, growth and qualifier after them.

For each sentence: find catalogue names (longest first), drop those that a modifier turns
into another measure (人均地区生产总值, 涉农贷款余额, 占GDP比重), group names that share one
predicate (社会消费品零售总额、外资、外贸保持稳定增长), and read the predicate clause by clause:
the statement's own clause, plus following clauses that only add growth (，同比增长5.6%).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from planwatch.catalogue import Catalogue, Indicator
from planwatch.parse.grammar import Grammar
from planwatch.parse.numbers import Quantity, convert, find_quantities
from planwatch.parse.sections import Section, section_at
from planwatch.parse.text import MAX_SENTENCE, NormText, sentences
from planwatch.records import Record

_CLAUSE = re.compile(r"[^，；：。！？\n]+")
_JOINERS = re.compile(r"^(?:、|和|及|与|以及)$")
_YEAR_BEFORE = re.compile(r"(20\d\d)年")
BASE_YEAR_MARKS = set("较比与从自至")   # 较2020年下降15%: a base year, not the period
MAX_LEVEL_GAP = 10   # chars between a name and its level (完成, 达到, 预计超过 …)


class SentenceScan:
    """What a sentence says once, looked up per statement in O(log n): the years it names
    (with base-year marks excluded), and where its first target cue and estimate word end.
    Rescanning the sentence from its start for every statement was quadratic."""

    __slots__ = ("positions", "years", "cue_end", "estimate_end")

    def __init__(self, text: str, s0: int, s1: int, g: Grammar):
        self.positions: list[int] = []
        self.years: list[int] = []
        for m in _YEAR_BEFORE.finditer(text, s0, s1):
            prev = text[max(s0, m.start() - 2):m.start()]
            if prev[-1:] not in BASE_YEAR_MARKS and prev != "相比":
                self.positions.append(m.end())
                self.years.append(int(m.group(1)))
        self.cue_end = _first_end(text, s0, s1 + 20, g.target_cues)
        self.estimate_end = _first_end(text, s0, s1, g.estimate_words)

    def last_year_before(self, pos: int) -> int | None:
        i = bisect_right(self.positions, pos)
        return self.years[i - 1] if i else None


def _first_end(text: str, start: int, end: int, words) -> int:
    """End of the earliest-ending occurrence of any word in text[start:end] (a large number if none)."""
    best = 1 << 62
    for w in words:
        i = text.find(w, start, end)
        if i >= 0:
            best = min(best, i + len(w))
    return best


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    indicator: Indicator


@lru_cache(maxsize=8)
def _matcher(cat: Catalogue, g: Grammar) -> re.Pattern:
    verbs = g.level_verbs + g.growth_up + g.growth_down + ["保持", "实现", "分别"]
    follow = "|".join(re.escape(v) for v in sorted(set(verbs), key=len, reverse=True))
    parts = []
    for name in cat.names():
        esc = re.escape(name)
        parts.append(f"{esc}(?=[、，；。和及]|{follow}|\\d)" if cat.is_bare(name) else esc)
    return re.compile("|".join(parts))


def find_mentions(text: str, start: int, end: int, cat: Catalogue, g: Grammar) -> list[Mention]:
    out = []
    for m in _matcher(cat, g).finditer(text, start, end):
        ind = cat.indicators[cat.code_for(m.group())]
        before = text[max(start, m.start() - 4):m.start()]
        after = text[m.end():m.end() + 4]
        if any(before.endswith(w) for w in g.measure_modifiers + list(ind.exclude_before)):
            continue
        if any(after.startswith(w) for w in g.ratio_words + list(ind.exclude_after)):
            continue
        out.append(Mention(m.start(), m.end(), m.group(), ind))
    return out + _share_mentions(text, start, end, out, cat)


_SHARE = re.compile(r"占([^，；。]{1,14}?)的?比重")


def _share_mentions(text: str, start: int, end: int, mentions: list[Mention], cat: Catalogue) -> list[Mention]:
    """X…，占Y比重达到Z%: the share of X in Y, when the catalogue names it (X占Y比重)."""
    extra = []
    ends = [x.end for x in mentions]          # mentions come in text order
    for m in _SHARE.finditer(text, start, end):
        i = bisect_right(ends, m.start())
        inside = i < len(mentions) and mentions[i].start <= m.start()
        if i == 0 or inside:
            continue
        composed = f"{mentions[i - 1].name}占{m.group(1)}比重"
        code = cat.code_for(composed)
        if code:
            extra.append(Mention(m.start(), m.end(), m.group(), cat.indicators[code]))
    return extra


def _group(mentions: list[Mention], text: str) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and _JOINERS.match(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _predicate_end(text: str, start: int, limit: int, g: Grammar) -> int:
    """End of the predicate: the first clause, plus clauses that only add growth."""
    pos = start
    lead = tuple(g.growth_lead + g.growth_up + g.growth_down + ["增幅", "增速"])
    while pos < limit:
        m = re.compile(r"[，；。：]").search(text, pos, limit)
        clause_end = m.start() if m else limit
        clause = text[pos:clause_end]
        for w in g.clause_stop:
            i = clause.find(w)
            if i > 0 or (i == 0 and pos > start):
                return pos + i if i > 0 else pos
        if not m or m.group() != "，":
            return clause_end
        nxt = text[m.end():limit]
        if not nxt.startswith(lead) and not nxt.startswith(("分别",)):
            return clause_end
        pos = m.end()
    return limit


@lru_cache(maxsize=4)
def _growth_verb(g: Grammar) -> re.Pattern:
    verbs = "|".join(re.escape(v) for v in sorted(g.growth_up + g.growth_down, key=len, reverse=True))
    return re.compile(rf"({verbs})(?:了|达到|达|为|幅为|幅达|幅度为|分别为|分别)?(?:[\d.%]+、)*$")


GROWTH_WINDOW = 80   # a growth verb governs numbers at most this far after it (增长5%、6%、7% …)


def _is_growth(text: str, clause_start: int, q: Quantity, g: Grammar) -> int:
    """+1 / -1 when q follows a growth verb (增长 / 下降), else 0."""
    m = _growth_verb(g).search(text, max(clause_start, q.start - GROWTH_WINDOW), q.start)
    if not m:
        return 0
    return -1 if m.group(1) in g.growth_down else 1


def _family_ok(ind: Indicator, q: Quantity) -> bool:
    if q.unit is None:
        return False
    if ind.family == "percent":
        return q.unit == "%"
    return q.family == ind.family or (ind.family == "money_usd" and q.family == "money_usd")


def _d(x: Decimal | None) -> float | None:
    return float(x) if x is not None else None


def extract_prose(norm: NormText, raw: str, sections: list[Section], doc_year: int,
                  cat: Catalogue, g: Grammar, with_other: bool = True) -> list[Record]:
    text = norm.text
    records: list[Record] = []
    for s0, s1 in sentences(text):
        if text[s0:s1].startswith("\t"):
            continue   # table cells are read by tables.py
        sec = section_at(sections, s0)
        scan = SentenceScan(text, s0, s1, g)
        mentions = sorted(find_mentions(text, s0, s1, cat, g), key=lambda m: m.start)
        groups = _group(mentions, text)
        taken: list[tuple[int, int]] = []
        for gi, group in enumerate(groups):
            limit = groups[gi + 1][0].start if gi + 1 < len(groups) else s1
            p0 = group[-1].end
            p1 = _predicate_end(text, p0, limit, g)
            taken.append((group[0].start, p1))
            records.extend(_statements(norm, raw, text, group, p0, p1, s0, s1, sec, doc_year, cat, g, scan))
        if with_other:
            records.extend(_other_statements(norm, raw, text, s0, s1, taken, sec, doc_year, g, scan))
    return records


LEAD_WINDOW = 60     # an item's own lead words (力争, 控制在 …) stand at most this far before its number


def _sentence_of(norm: NormText, raw: str, s0: int, s1: int, rs: int, re_: int) -> str:
    """The raw sentence of [s0, s1), clipped around the record's raw span [rs, re_) when very long
    (only the window is sliced, so a long sentence with many statements stays linear)."""
    a, b = norm.raw_span(s0, s1)
    if b - a <= MAX_SENTENCE + 40:
        return raw[a:b].strip()
    w0 = max(a, min(rs, re_ - 1) - MAX_SENTENCE // 2)
    w1 = min(b, w0 + MAX_SENTENCE)
    return ("…" if w0 > a else "") + raw[w0:w1].strip() + ("…" if w1 < b else "")


def _other_statements(norm, raw, text, s0, s1, taken, sec, doc_year, g, scan: SentenceScan) -> list[Record]:
    from planwatch.parse.other import code_for, other_items
    out = []
    sentence = None
    k = 0      # taken spans and clauses are both in text order: walk them together
    for cm in _CLAUSE.finditer(text, s0, s1):
        c0, c1 = cm.span()
        while k < len(taken) and taken[k][1] <= c0:
            k += 1
        if k < len(taken) and taken[k][0] < c1:
            continue
        for subject, q, span_start, span_end in other_items(text, c0, c1, g):
            sign = _is_growth(text, c0, q, g)
            for v in sorted(g.growth_up + g.growth_down, key=len, reverse=True):
                if subject.endswith(v):
                    subject = subject[: -len(v)]
                    break
            if sign and q.unit != "%":
                continue   # 同比增加40天: a change in a level, not a growth rate
            if not subject or len(subject) < 2:
                continue
            kind, period = _kind_period(scan, q.start, sec, doc_year)
            w0 = max(c0, q.start - LEAD_WINDOW)
            lead = text[w0:q.start]
            stretch = kind == "target" and any(w in lead for w in g.stretch_words)
            qualifier = q.qualifier or _verb_qualifier(text, w0, q, kind, g)
            if qualifier is None and kind == "actual":
                qualifier = q.approx
            if qualifier is None and stretch:
                qualifier = "力争"
            rs, re_ = norm.raw_span(span_start, span_end)
            if sentence is None or len(sentence) >= MAX_SENTENCE:
                sentence = _sentence_of(norm, raw, s0, s1, rs, re_)
            out.append(Record(
                period_year=period, kind=kind, indicator=code_for(subject), indicator_zh=subject,
                value=None if sign else float(q.value), unit=None if sign else q.unit,
                growth_pct=float(q.value * sign) if sign else None, value_high=None if sign else _d(q.value_high),
                growth_pct_high=float(q.value_high * sign) if sign and q.value_high is not None else None,
                value_std=None, unit_std=None, qualifier=qualifier,
                estimated=kind == "actual" and scan.estimate_end <= q.start,
                origin="prose", section=sec.path, char_start=rs, char_end=re_, sentence=sentence, stretch=stretch,
            ))
    return out


def _statements(norm, raw, text, group, p0, p1, s0, s1, sec, doc_year, cat, g, scan: SentenceScan) -> list[Record]:
    quantities = find_quantities(text, p0, p1, g)
    comma = text.rfind("，", s0, group[0].start)
    clause_start = max(comma + 1, text.rfind("；", max(s0, comma), group[0].start) + 1, s0)   # nearest ，or ；
    kind, period = _kind_period(scan, group[0].start, sec, doc_year)
    lead = text[clause_start:group[0].start]
    stretch = kind == "target" and any(w in lead or w in text[p0:p1] for w in g.stretch_words)
    estimated = kind == "actual" and scan.estimate_end <= group[0].start

    growths, levels = [], []
    for q in quantities:
        sign = _is_growth(text, p0, q, g)
        if sign and q.unit == "%":
            growths.append((sign, q))
        elif not sign:
            levels.append(q)
    n = len(group)
    listed = max(len(levels), len(growths))
    if "分别" in text[p0:p1] and listed > 1 and listed != n:
        return []   # 分别 pairs names and numbers one to one; a mismatch means uncatalogued names are in the list
    per_member: list[tuple[Quantity | None, tuple[int, Quantity] | None]] = []
    for i, m in enumerate(group):
        lv = [q for q in levels if _family_ok(m.indicator, q)]
        if lv and lv[0].start - p0 > MAX_LEVEL_GAP + (len(lv[0].approx or "")):
            first_gap = text[p0:lv[0].start]
            if not any(v in first_gap for v in g.level_verbs):
                lv = []
        gr = growths
        if n > 1 and len(lv) == n:
            lv = [lv[i]]
        if n > 1 and len(gr) == n:
            gr = [gr[i]]
        per_member.append((lv[0] if lv else None, gr[0] if gr else None))

    out = []
    for m, (level, growth) in zip(group, per_member):
        ind = m.indicator
        qualifier = None
        used: list[Quantity] = [q for q in (level, growth[1] if growth else None) if q]
        if not used:
            if kind != "target":
                continue
            phrase = _qualitative(text, p0, p1, g)
            if not phrase:
                continue
            qualifier, end = phrase
        else:
            end = max(q.end for q in used)
            main = growth[1] if growth and (level is None or kind == "target") else level
            qualifier = main.qualifier or (level.qualifier if level else None) or (growth[1].qualifier if growth else None)
            if qualifier is None:
                qualifier = _verb_qualifier(text, p0, main, kind, g)
            if qualifier is None and kind == "actual":
                qualifier = next((q.approx for q in used if q.approx), None)
            if qualifier is None and stretch:
                qualifier = "力争"
        value = level.value if level else None
        value_std = convert(level.value, level.unit, ind.std_unit, g) if level else None
        if ind.family == "percent" and level:
            value_std = level.value
        gpct = growth[1].value * growth[0] if growth else None
        ghigh = growth[1].value_high * growth[0] if growth and growth[1].value_high is not None else None
        rs, re_ = norm.raw_span(m.start, end)
        sentence = _sentence_of(norm, raw, s0, s1, rs, re_)
        out.append(Record(
            period_year=period, kind=kind, indicator=ind.code,
            indicator_zh=raw[norm.raw_span(m.start, m.end)[0]:norm.raw_span(m.start, m.end)[1]],
            value=_d(value), unit=level.unit if level else None,
            growth_pct=_d(gpct), value_high=_d(level.value_high) if level else None,
            growth_pct_high=_d(ghigh),
            value_std=_d(value_std), unit_std=ind.std_unit if value_std is not None else None,
            qualifier=qualifier, estimated=estimated, origin="prose", section=sec.path,
            char_start=rs, char_end=re_, sentence=sentence, stretch=stretch,
        ))
    return out


def _kind_period(scan: SentenceScan, mstart: int, sec: Section, doc_year: int) -> tuple[str, int]:
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
