"""Document facts: title, region (level, parent), type, year and date, from the text itself.

Hints (from the command line or the manifest) override detection.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from planwatch.catalogue import Catalogue
from planwatch.errors import PlanwatchError
from planwatch.parse.grammar import Grammar

_YEAR = re.compile(r"(20\d\d)年")
_DATE = re.compile(r"(20\d\d)(?:年|-)(\d{1,2})(?:月|-)(\d{1,2})日?")
_REGION_IN_TITLE = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:省|自治区|市|区|县|旗))(?=20\d\d|人民政府|国民经济|政府工作)")
_LEVEL_BY_SUFFIX = {"省": "province", "自治区": "province", "市": "city", "区": "district", "县": "county", "旗": "county"}


@dataclass(frozen=True)
class Facts:
    title: str | None
    region: str
    region_level: str
    parent_region: str | None
    doc_type: str
    doc_year: int
    published: str | None


def find_title(text: str, g: Grammar) -> str | None:
    """The document's title line: a short line naming a plan, report or notice near the top.

    >>> from planwatch.parse.grammar import default_grammar
    >>> find_title("博山区人民政府\\n\\n2026年4月3日\\n博山区2026年国民经济和社会发展计划\\n正文。", default_grammar())
    '博山区2026年国民经济和社会发展计划'
    """
    lines = [ln.strip() for ln in text.splitlines()[:40] if ln.strip()]
    short = [ln for ln in lines if len(ln) <= 80 and "。" not in ln]
    labels = g.data.get("metadata_labels", [])
    for ln in short:
        if re.search(r"计划|报告|通知|公报|意见", ln) and re.search(r"[\u4e00-\u9fff]{6}", ln):
            for lab in labels:
                if ln.endswith(lab) and len(ln) > len(lab):
                    ln = ln[: -len(lab)]
            return ln
    for ln in short:
        if len(re.findall(r"[\u4e00-\u9fff]", ln)) >= 8:
            return ln
    return None


def detect_facts(text: str, catalogue: Catalogue, g: Grammar, *, region: str | None = None,
                 doc_year: int | None = None, name: str = "<input>") -> Facts:
    title = find_title(text, g)
    head = title or ""
    doc_type = _doc_type(head, text, g)
    region_name = region or _region(head, text, catalogue)
    if not region_name:
        raise PlanwatchError(f"{name}: cannot tell which region the document is about; "
                             "pass --region NAME (e.g. --region 博山区)")
    known = catalogue.regions.get(region_name)
    if known:
        level, parent = known.level, known.parent
    else:
        suffix = next((s for s in _LEVEL_BY_SUFFIX if region_name.endswith(s)), None)
        level, parent = (_LEVEL_BY_SUFFIX[suffix] if suffix else "county"), None
    year = doc_year or _doc_year(head, text, doc_type)
    if not year:
        raise PlanwatchError(f"{name}: cannot tell which year's plan or report this is; pass --doc-year YEAR")
    return Facts(title, region_name, level, parent, doc_type, year, _published(text))


def _doc_type(title: str, text: str, g: Grammar) -> str:
    for dtype, words in g.doc_types:
        if any(w in title for w in words):
            return dtype
    for dtype, words in g.doc_types:
        if any(w in text for w in words):
            return dtype
    raise PlanwatchError("not a plan, plan report, work report, bulletin or news article about one "
                         "(no 计划/报告/公报 found)")


def _region(title: str, text: str, catalogue: Catalogue) -> str | None:
    best = None
    for r in catalogue.regions.values():
        for nm in (r.name, r.short):
            i = title.find(nm)
            if i >= 0 and (best is None or i < best[0] or (i == best[0] and len(nm) > best[1])):
                best = (i, len(nm), r.name)
    if best:
        return best[2]
    m = _REGION_IN_TITLE.search(title)
    if m:
        return m.group(1)
    counts = Counter({r.name: text.count(r.name) + text.count(r.short) for r in catalogue.regions.values()})
    name, n = counts.most_common(1)[0] if counts else (None, 0)
    if n:
        return name
    m = _REGION_IN_TITLE.search(text[:3000])
    return m.group(1) if m else None


def _doc_year(title: str, text: str, doc_type: str) -> int | None:
    years = [int(y) for y in _YEAR.findall(title)]
    if years:
        return max(years)
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
