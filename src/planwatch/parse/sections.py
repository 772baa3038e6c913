"""Sections of a plan: 一、… and （一）… headings, each with its kind and year.

Kind (results, targets, tasks, annex) comes from heading keywords in grammar.yml; a
sub-heading inherits its parent's kind and year unless its own words say otherwise.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from planwatch.parse.grammar import Grammar

_YEAR = re.compile(r"(20\d\d)年")


# (not frozen: see numbers.Quantity)
@dataclass(eq=True, unsafe_hash=True)
class Section:
    start: int
    end: int
    path: str
    kind: str | None        # results | targets | tasks | annex | None
    year: int | None


@lru_cache(maxsize=4)
def _heading_start(g: Grammar) -> re.Pattern | None:
    """What a 一、 / （一） / 附件 heading line can start with (text._start_class): other lines are
    not tried against the three patterns."""
    from planwatch.parse.text import _start_class
    return _start_class([g.heading_annex, g.heading_h1, g.heading_h2])


def _kind(heading: str, g: Grammar) -> str | None:
    for kind, words in g.section_kinds:
        if any(w in heading for w in words):
            return kind
    return None


def _short(heading: str) -> str:
    return heading.split("。", 1)[0][:40]       # up to the first 。 (a str method: no pattern looked up per heading)


def _whole_document(text: str, g: Grammar) -> tuple[str | None, int | None]:
    """(kind, year) every section of the document has unless its heading says otherwise.

    A statistical bulletin (its title among the first lines names a `results_documents` word
    of grammar.yml) reports results throughout, of the year its title names: its headings
    (一、综合 二、农业) carry neither.

    >>> from planwatch.parse.grammar import default_grammar
    >>> _whole_document("\\n武汉市2020年国民经济和社会发展统计公报\\n\\n武汉市统计局\\n", default_grammar())
    ('results', 2020)
    >>> _whole_document("淄博市2026年国民经济和社会发展计划\\n", default_grammar())
    (None, None)
    """
    words = g.data.get("results_documents", [])
    for line in [ln for ln in text[:2000].split("\n") if ln.strip()][:5]:
        if any(w in line for w in words):
            y = _YEAR.search(line)
            return "results", int(y.group(1)) if y else None
    return None, None


def find_sections(text: str, g: Grammar) -> list[Section]:
    """Sections of normalised text in order; text before the first heading is a section too.

    >>> from planwatch.parse.grammar import default_grammar
    >>> t = "标题\\n一、2025年计划执行情况\\n（一）运行平稳。GDP增长。\\n二、2026年主要目标\\n目标。"
    >>> [(s.path, s.kind, s.year) for s in find_sections(t, default_grammar())]
    [('', None, None), ('一、2025年计划执行情况', 'results', 2025), ('一、2025年计划执行情况 > （一）运行平稳', 'results', 2025), ('二、2026年主要目标', 'targets', 2026)]
    >>> t = "一、2025年计划执行情况\\n（一）运行平稳。一是投资承压运行。投资下降。二是消费提振。"
    >>> [s.path for s in find_sections(t, default_grammar())][-2:]
    ['一、2025年计划执行情况 > （一）运行平稳 > 一是投资承压运行', '一、2025年计划执行情况 > （一）运行平稳 > 二是消费提振']
    """
    heads: list[tuple[int, int, str]] = []   # (offset, level, heading)
    pos = 0
    start = _heading_start(g)
    for line in text.split("\n"):
        s = line.strip()
        if s and not line.startswith("\t") and (start is None or start.match(s)):
            if g.heading_annex.match(s) and len(s) <= 40:
                heads.append((pos, 1, s))
            elif g.heading_h1.match(s) and len(_short(s)) <= 40:
                heads.append((pos, 1, _short(s)))
            elif g.heading_h2.match(s):
                heads.append((pos, 2, _short(s)))
        pos += len(line) + 1
    heads += [(m.start(), 3, m.group(1) + m.group(2)) for m in g.heading_h3.finditer(text)]
    whole_kind, whole_year = _whole_document(text, g)
    heads.sort()
    sections: list[Section] = []
    h1, h1_kind, h1_year, h2 = "", None, None, ""
    starts = [(0, 0, "")] + heads
    for i, (off, level, head) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        if i == 0:
            if end > 0:
                sections.append(Section(0, end, "", whole_kind, whole_year))
            continue
        if level == 1:
            h1 = head
            h1_kind = _kind(head, g) or ("annex" if g.heading_annex.match(head) else None) or whole_kind
            y = _YEAR.search(head)
            h1_year = int(y.group(1)) if y else whole_year
            if h1_kind == "annex" or (sections and sections[-1].kind == "annex" and h1_kind is None):
                h1_kind = "annex"
            h2 = ""
            sections.append(Section(off, end, h1, h1_kind, h1_year))
        elif level == 2:
            own = _kind(head, g)
            kind = own if own in ("tasks", "targets") and h1_kind in ("targets", "tasks") else h1_kind
            h2 = f"{h1} > {head}" if h1 else head
            sections.append(Section(off, end, h2, kind, h1_year))
        else:   # 一是… inside a sub-section: same kind and year as its parent
            parent = sections[-1] if sections else Section(0, 0, "", None, None)
            base = h2 or h1
            sections.append(Section(off, end, f"{base} > {head}" if base else head, parent.kind, parent.year))
    return sections


def section_at(sections: list[Section], offset: int) -> Section:
    """The last section starting at or before offset (binary search: sections are in order)."""
    i = bisect_right(sections, offset, key=lambda s: s.start)
    return sections[i - 1] if i > 0 else sections[0]
