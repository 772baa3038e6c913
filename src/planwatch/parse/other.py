"""Uncatalogued quantified statements: 新引进过亿元项目436个 → other:xin_yin_jin_guo_yi_yuan_xiang_mu.

A clause with no catalogue name is read as items ``subject number unit`` (or ``verb number
unit noun``: 统筹推进110个文旅重点项目). A subject keeps its opening verb (新增, 累计 …),
which later tells new from cumulative; items after the first inherit it. 分别 pairs the
subjects before it with the numbers after it, one to one. These rows feed task-level
attainment; the series and the headline analysis use catalogue codes only.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

from planwatch.parse.grammar import Grammar
from planwatch.parse.numbers import Quantity, any_word, find_quantities, from_to

_NON_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
_TWO_CJK = re.compile(r"[\u4e00-\u9fff][^\u4e00-\u9fff]*[\u4e00-\u9fff]")
MAX_SUBJECT = 20
MAX_POST = 12
_POST = re.compile(rf"[\u4e00-\u9fff“”]{{1,{MAX_POST}}}")


@lru_cache(maxsize=None)
def _syllable(ch: str) -> str:
    return lazy_pinyin(ch)[0].lower()


@lru_cache(maxsize=8192)
def code_for(subject: str) -> str:
    """Stable snake_case code of a subject phrase: the pinyin of each character, joined.
    Character by character (not phrase-aware) so the code is fast and never changes with
    the dictionary's phrase list; the code is an identifier, the Chinese name is the label.

    >>> code_for("新增省级以上创新平台")
    'other:xin_zeng_sheng_ji_yi_shang_chuang_xin_ping_tai'
    """
    core = _NON_WORD.sub("", subject)[:MAX_SUBJECT]
    return "other:" + "_".join(_syllable(ch) for ch in core)


@lru_cache(maxsize=4)
def _strip_words(g: Grammar) -> tuple[list[str], list[str], frozenset, frozenset]:
    """The words _strip removes, and the characters they start / end with (a subject whose
    first or last character is not among them skips the loop over the words)."""
    # a subject ends before its qualifier verb as before an approximation word (能耗强度下降不低于 → 能耗强度下降)
    # (longest first: 不超过 goes whole, not as 超过 leaving 不)
    before = list(g.subject_strip_before)
    after = sorted(list(g.subject_strip_after) + list(g.approx_before) + list(g.qualifier_verbs), key=len, reverse=True)
    return before, after, frozenset(w[0] for w in before if w), frozenset(w[-1] for w in after if w)


def _strip(subject: str, g: Grammar) -> str:
    """The subject without the words around it that are not its name (strip words, 超过 …).

    >>> from planwatch.parse.grammar import default_grammar
    >>> _strip("“力争全年新增企业超过", default_grammar()), _strip("全年", default_grammar())
    ('新增企业', '')
    """
    before, after, first, last = _strip_words(g)
    s = subject.strip("“”\"'《》（）() ")
    changed = True
    while changed and s:
        changed = False
        if s[0] in first:
            for w in before:
                if s.startswith(w):
                    s, changed = s[len(w):].lstrip("“”\"' "), True
        if s and s[-1] in last:
            for w in after:
                if s.endswith(w):
                    s, changed = s[: -len(w)].rstrip("“”\"' "), True
    return s.strip("“”\"'《》 ")


@lru_cache(maxsize=4)
def _respectively(g: Grammar) -> re.Pattern:
    return any_word(g.respectively_words)


@lru_cache(maxsize=4)
def _joiners(g: Grammar) -> re.Pattern:
    # the list joiners as one pattern, compiled once per grammar (was: per clause holding 分别)
    return re.compile("|".join(re.escape(w) for w in g.list_joiners))


@lru_cache(maxsize=4)
def _lead_verbs(g: Grammar) -> re.Pattern:
    # the alternatives in task_verbs' order (longest first): the same verb the list scan found first
    return any_word(g.task_verbs)


@lru_cache(maxsize=4)
def _scope_word(g: Grammar) -> re.Pattern:
    # the alternatives in scope_words' order: .match finds the first word a text starts with
    return any_word(g.scope_words)


def _lead_verb(subject: str, g: Grammar) -> str | None:
    m = _lead_verbs(g).match(subject)
    return m.group() if m else None


def other_items(text: str, c0: int, c1: int, g: Grammar, numerals: bool = True) -> list[tuple[str, Quantity, int, int]]:
    """(subject, quantity, span start, span end) items of one clause text[c0:c1] (numerals: as
    find_quantities takes it)."""
    qs = find_quantities(text, c0, c1, g, with_unit=True, numerals=numerals)     # only figures with a unit make an item
    if not qs:
        return []
    clause = text[c0:c1]
    first = _respectively(g).search(clause)       # the earliest 分别 (a leftmost match starts where the first word does)
    i = first.start() if first else -1
    if i > 0:
        subjects = [x for x in (_strip(s, g) for s in _joiners(g).split(clause[:i])) if x]
        after = [q for q in qs if q.start >= c0 + i]
        if len(subjects) > 1 and len(subjects) == len(after):
            lead = _lead_verb(subjects[0], g)
            out = []
            for s, q in zip(subjects, after):
                if lead and not _lead_verb(s, g):
                    s = lead + s
                out.append((s, q, c0, q.end))
            return out
        return []
    out = []
    prev_end, lead = c0, None
    base = None     # (subject, start) before a figure a change starts from: its item is the figure it changes to
    for k, q in enumerate(qs):
        seg = text[prev_end:q.start]
        pre = _strip(seg.lstrip("、"), g)
        start = prev_end + seg.find(pre) if pre and pre in seg else q.start
        if base is not None:
            (pre, start), base = base, None
        elif k + 1 < len(qs) and from_to(text, q, qs[k + 1], g):
            # 规上工业企业由5.3万家增加到7.1万家: 7.1万家 is the level (5.3 was read as this year's); the
            # base is a past year's level, not kept here
            m = g.level_from.search(pre)
            base, prev_end = (pre[:m.start()] if m else pre, start), q.end
            continue
        end = q.end
        post_m = _POST.match(text, q.end, c1)
        # "统筹推进110个文旅重点项目": a classifier followed by a noun puts the subject after the number
        if post_m and q.family == "count":
            subject = pre + post_m.group().strip("“”")
            end = post_m.end()
        else:
            subject = pre
        prev_end = end
        if len(subject) > MAX_SUBJECT * 2:
            # a long list of things ending in 等X: the measure is X (…新型政策性金融工具等政策性资金)
            cut = max([subject.rfind("、")] + [i + len(w) - 1 for w in g.list_end_words if (i := subject.rfind(w)) >= 0])
            if cut < 0:
                continue
            start += len(subject[: cut + 1])
            subject = subject[cut + 1:]
        if not _TWO_CJK.search(subject):      # fewer than two Chinese characters
            continue
        own = _lead_verb(subject, g)
        if own:
            # items after the first inherit its verb and scope: 新培育省级以上专精特新企业100家、单项冠军15家
            rest = subject[len(own):]
            scope = m.group() if (m := _scope_word(g).match(rest)) else ""
            lead = own + scope
        elif lead:
            has_scope = _scope_word(g).match(subject) is not None
            subject = (lead if not has_scope else next(v for v in g.task_verbs if lead.startswith(v))) + subject
        out.append((subject[-MAX_SUBJECT * 2:], q, start, end))
    return out
