"""Document facts: title, region (level, parent), type, year and date, from the text itself.

Hints (from the command line or the manifest) override detection.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from planwatch.catalogue import Catalogue
from planwatch.errors import PlanwatchError
from planwatch.parse.grammar import Grammar, default_grammar
from planwatch.parse.reading import CJK

_YEAR = re.compile(r"(20\d\d)年")
_DATE = re.compile(r"(20\d\d)(?:年|-)(\d{1,2})(?:月|-)(\d{1,2})日?")
UNKNOWN_REGION = "未知地区"    # no name in hints, title or body: rows are kept, the region is said to be unknown
NEWS_OPENING = 600             # characters at the top in which a byline (记者, 本报讯) makes the text news


# (not frozen: compiled (planwatch.native), a frozen class could not be pickled or deep-copied; see numbers.Quantity)
@dataclass(eq=True, unsafe_hash=True)
class Facts:
    title: str | None
    region: str
    region_level: str
    parent_region: str | None
    doc_type: str
    doc_year: int
    published: str | None
    region_code: str | None = None     # GB/T 2260, from regions.yml or the gazetteer


def find_title(text: str, g: Grammar) -> str | None:
    """The document's title line: a short line naming a plan, report or notice near the top.

    A section heading (一、… （二）…) is never the title: an excerpt has none.

    >>> from planwatch.parse.grammar import default_grammar
    >>> find_title("博山区人民政府\\n\\n2026年4月3日\\n博山区2026年国民经济和社会发展计划\\n正文。", default_grammar())
    '博山区2026年国民经济和社会发展计划'
    >>> find_title("（二）2020年工作回顾\\n\\n2020年是极不平凡的一年。", default_grammar()) is None
    True
    """
    span = _title_span(text, g)
    return text[span[0]:span[1]] if span else None


def _title_span(text: str, g: Grammar) -> tuple[int, int] | None:
    lines: list[tuple[int, str]] = []
    pos = 0
    for ln in text.split("\n", 40)[:40]:      # the first 40 lines, without splitting the rest
        body = ln.strip()
        if body:
            lines.append((pos + ln.index(body), body))
        pos += len(ln) + 1
    short = [(p, ln) for p, ln in lines if len(ln) <= 80 and "。" not in ln and not g.numbered_line.match(ln)]
    labels = g.data.get("metadata_labels", [])
    for p, ln in short:
        if g.title_words.search(ln) and re.search(r"[\u4e00-\u9fff]{6}", ln):
            for lab in labels:
                if ln.endswith(lab) and len(ln) > len(lab):
                    ln = ln[: -len(lab)]
            return p, p + len(ln)
    for p, ln in short:
        if len(re.findall(r"[\u4e00-\u9fff]", ln)) >= 8 and not ln.startswith("——") and "，" not in ln \
                and not ln.endswith(("：", ":")):
            return p, p + len(ln)
    return None


def detect_facts(text: str, catalogue: Catalogue, g: Grammar, *, region: str | None = None,
                 doc_year: int | None = None, name: str = "<input>", folded: str | None = None) -> Facts:
    """Title, region, type, year and date of a document; hints override detection.

    Detection reads the text as matched (traditional script folded to simplified, character
    for character); the title is returned as written. Nothing here refuses a document: a type
    that cannot be told is ``unknown``, a region that cannot be told is UNKNOWN_REGION.

    >>> from planwatch.catalogue import default_catalogue
    >>> from planwatch.parse.grammar import default_grammar
    >>> f = detect_facts("2018年呈貢區政府工作報告\\n——2018年1月9日在昆明市呈貢區第二屆人民代表大會第三次會議上\\n",
    ...                  default_catalogue(), default_grammar())
    >>> f.title, f.region, f.region_level, f.doc_type, f.doc_year, f.published
    ('2018年呈貢區政府工作報告', '呈贡区', 'district', 'work_report', 2018, '2018-01-09')
    >>> f = detect_facts("一、2024年工作回顾\\n全省生产总值增长5.1%。\\n", default_catalogue(), default_grammar())
    >>> f.region, f.region_level, f.doc_type, f.doc_year
    ('未知地区', 'province', 'work_report', 2025)
    """
    from planwatch.parse.text import fold
    matched = folded if folded is not None else fold(text, g)     # folded: fold(text, g), when the caller has it
    span = _title_span(matched, g)
    title = text[span[0]:span[1]].strip() if span else None
    head = matched[span[0]:span[1]] if span else ""
    doc_type = _doc_type(head, matched, g)
    gz = default_gazetteer_for(catalogue)
    region_name = region or _region(head, matched, catalogue, gz, g)
    known = catalogue.regions.get(region_name) if region_name else None
    place = gz.resolve(region_name, matched) if gz is not None and region_name else None
    code = None
    if known:
        level, parent = known.level, known.parent
        code = place.code if place is not None and place.level == known.level else None
    elif place is not None:
        level, parent, code = place.level, place.parent, place.code
    elif region_name:
        suffix = next((s for s in g.region_levels if region_name.endswith(s)), None)
        level, parent = (g.region_levels[suffix] if suffix else "county"), None
    else:
        region_name, level, parent = UNKNOWN_REGION, _scope_level(matched, g), None
    published = _published(matched)
    year = doc_year or _doc_year(head, matched, doc_type, published, g)
    if not year:
        raise PlanwatchError(f"{name}: cannot tell which year's plan or report this is; pass --doc-year YEAR")
    return Facts(title, region_name or UNKNOWN_REGION, level, parent, doc_type, year, published, code)


def _doc_type(title: str, text: str, g: Grammar) -> str:
    """The type by a byline at the top (news), the title, then words of the body; else unknown.

    >>> from planwatch.parse.grammar import default_grammar
    >>> _doc_type("晋江市政府工作报告出炉", "晋江市政府工作报告出炉\\n晋江新闻网讯（记者 某某）", default_grammar())
    'news'
    >>> _doc_type("", "一、2015年国民经济和社会发展计划执行情况\\n", default_grammar())
    'plan_report'
    >>> _doc_type("", "农业增产。", default_grammar())
    'unknown'
    """
    opening = text[:NEWS_OPENING]
    for dtype, words in g.doc_types:
        if dtype == "news" and any(w in title or w in opening for w in words):
            return dtype
    for dtype, words in g.doc_types:
        if any(w in title for w in words):
            return dtype
    cues = [(c["type"], c["words"]) for c in g.data.get("doc_type_body", [])]
    # without a title the text is an excerpt: a plan's words (计划执行情况) in it mean a report on the plan
    for dtype, words in (g.doc_types + cues) if title else (cues + g.doc_types):
        if any(w in text for w in words):
            return dtype
    return "unknown"


def _first_name(pattern: re.Pattern, text: str, body: str, g: Grammar, start: int = 0) -> str | None:
    """The first region name the pattern finds in text (from start), trimmed against the whole body."""
    for m in pattern.finditer(text, start):
        name = m.group(1)
        if any(w in name for w in g.region_not_names) or g.region_scope.fullmatch(name):
            continue        # 本自治区, 全市: the text's own scope, no name
        trimmed = _trim(name, body, g)
        if trimmed:
            return trimmed
    return None


def _region_name(pattern: re.Pattern, tail: re.Pattern, text: str, body: str, g: Grammar) -> str | None:
    """_first_name of the pattern, scanned from where a match can start: every match holds the tail
    (the name's suffix and what the pattern asks after the name) less than a name's width after its
    start, so the scan begins that far before the tail's first place, and without one finds nothing
    (the pattern tries up to six characters and a suffix at every position it is tried at)."""
    first = tail.search(text)
    if first is None:
        return None
    width = g.region_name_width
    return _first_name(pattern, text, body, g, max(0, first.start() - width) if width is not None else 0)


def _trim(name: str, body: str, g: Grammar | None = None) -> str | None:
    """The name without words run into it (聚焦南昌市 → 南昌市): of its tails, the longest whose
    stem the text uses as often as any (a place is named again and again; 聚焦南昌 is not). A
    one-character stem is the name (沙县); no stem at all is no name (None).

    >>> _trim("聚焦南昌市", "聚焦南昌市。南昌发展，南昌人。")
    '南昌市'
    >>> _trim("石家庄市", "石家庄市。石家庄。")
    '石家庄市'
    >>> _trim("沙县", "沙县。"), _trim("自治区", "自治区。")
    ('沙县', None)
    """
    g = g or default_grammar()
    suffix = next(s for s in sorted(g.region_levels, key=len, reverse=True) if name.endswith(s))
    stem = name[: -len(suffix)]
    if not stem:
        return None
    tails = [stem[i:] for i in range(max(1, len(stem) - 1))]
    counts = [body.count(t) for t in tails]
    best = max(counts)
    return next(t for t, n in zip(tails, counts) if n == best) + suffix


def default_gazetteer_for(catalogue: Catalogue):
    """The gazetteer beside the catalogue's indicators.yml (None when the folder has none)."""
    from planwatch.gazetteer import load_gazetteer_file
    return load_gazetteer_file(_gazetteer_file(catalogue.source))


@lru_cache(maxsize=8)
def _gazetteer_file(indicators: Path) -> Path:
    """gazetteer.csv beside indicators.yml: the path made once, not per document (the file is still
    looked at per document, so a changed gazetteer is read again)."""
    return indicators.parent / "gazetteer.csv"


def _gazetteer_in_title(title: str, gz) -> str | None:
    """The innermost division named at the first place the title names one (佛山市南海区 → 南海区)."""
    found = gz.find(title)
    if not found:
        return None
    pos, name = found[0]
    for p, n in found[1:]:
        if p != pos + len(name):
            break
        pos, name = p, n
    return name


def _gazetteer_in_body(text: str, gz) -> str | None:
    """The division the opening names most often (ties: the first named). A two-character name
    (范县, 城区) counts only where it stands alone or right after another division's name (濮阳市范县):
    after another character it is the tail of a word (示范县, 中心城区), not a place.

    >>> from planwatch.gazetteer import default_gazetteer
    >>> gz = default_gazetteer()
    >>> [_gazetteer_in_body(t, gz) for t in ("创建国家生态文明建设示范县。中心城区格局。", "范县人民政府。", "濮阳市范县。范县发展。")]
    [None, '范县', '范县']
    """
    found = gz.find(text[:BODY_SCAN])
    found = [(p, n) for i, (p, n) in enumerate(found)
             if len(n) > 2 or p == 0 or not CJK.match(text, p - 1) or (i > 0 and found[i - 1][0] + len(found[i - 1][1]) == p)]
    if not found:
        return None
    counts = Counter(n for _p, n in found)
    first: dict[str, int] = {}
    for p, n in found:
        first.setdefault(n, p)
    return max(counts, key=lambda n: (counts[n], -first[n]))


BODY_SCAN = 5000    # characters of the opening in which the gazetteer looks for the region


def _region(title: str, text: str, catalogue: Catalogue, gz=None, g: Grammar | None = None) -> str | None:
    """The region: a known one in the title, a name in the title, the region whose people's
    congress heard the report, a known one in the body, a name in the opening; else None.

    >>> from planwatch.catalogue import default_catalogue
    >>> c = default_catalogue()
    >>> [_region(t, t, c) for t in ("关于大连市2022年国民经济和社会发展计划执行情况", "佛山市南海区2023年统计公报",
    ...                            "2024年江苏省国民经济和社会发展统计公报", "市长代表市人民政府作报告")]
    ['大连市', '南海区', '江苏省', None]
    >>> _region("", "1月14日上午，西安市雁塔区第十八届人民代表大会第四次会议开幕。", c)
    '雁塔区'
    """
    g = g or default_grammar()
    best = None
    for r in catalogue.regions.values():
        for nm in (r.name, r.short):
            i = title.find(nm)
            if i >= 0 and (best is None or i < best[0] or (i == best[0] and len(nm) > best[1])):
                best = (i, len(nm), r.name)
    if best:
        return best[2]
    if gz is not None:
        in_title = _gazetteer_in_title(title, gz)
        if in_title:
            return in_title
    found = _region_name(g.region_in_title, g.region_in_title_tail, title, text, g) \
        or _region_name(g.region_congress, g.region_congress_tail, text[:5000], text, g)
    if found:
        return found
    counts = Counter({r.name: text.count(r.name) + text.count(r.short) for r in catalogue.regions.values()})
    name, n = counts.most_common(1)[0] if counts else (None, 0)
    if n:
        return name
    if gz is not None:
        in_body = _gazetteer_in_body(text, gz)
        if in_body:
            return in_body
        # a text that never writes its region in full (安吉 for 安吉县, 河南 for 河南省): the division of
        # the level the text speaks for (全县 → county) whose short name it uses most
        by_short = gz.by_short_name(text[:BODY_SCAN], _scope_level(text, g), g.region_short_name_words)
        if by_short:
            return by_short
    return _region_name(g.region_in_title, g.region_in_title_tail, text[:3000], text, g)


def _scope_level(text: str, g: Grammar | None = None) -> str:
    """The level a text speaks for (全县 → county), for a region without a name.

    >>> _scope_level("全县经济增长，全县就业稳定，全省第一。")
    'county'
    """
    g = g or default_grammar()
    counts = Counter(m.group(1) for m in g.region_scope.finditer(text))
    return g.region_levels[counts.most_common(1)[0][0]] if counts else "county"


def _doc_year(title: str, text: str, doc_type: str, published: str | None, g: Grammar) -> int | None:
    """The year: the latest in the title; else the date a report or news article is dated
    (a report is delivered in the year it plans); else the year after the year a results
    heading reviews (一、2024年工作回顾 → 2025); else the year the text names most.

    >>> from planwatch.parse.grammar import default_grammar
    >>> _doc_year("", "一、2015年国民经济和社会发展计划执行情况\\n2015年增长。2015年。", "plan_report", None, default_grammar())
    2016
    >>> _doc_year("", "正文", "news", "2026-01-28", default_grammar())
    2026
    """
    years = [int(y) for y in _YEAR.findall(title)]
    if years:
        return max(years)
    if published and doc_type not in ("bulletin", "unknown"):
        return int(published[:4])
    results_words = next((words for kind, words in g.section_kinds if kind == "results"), [])
    for line in text[:20000].split("\n"):
        body = line.strip()
        if g.numbered_line.match(body) and any(w in body for w in results_words):
            m = _YEAR.search(body)
            if m:
                return int(m.group(1)) + 1
    counts = Counter(int(y) for y in _YEAR.findall(text))
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _published(text: str) -> str | None:
    for m in _DATE.finditer(text[:1500]):
        y, mo, d = (int(x) for x in m.groups())
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None
