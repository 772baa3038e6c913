"""Whether a task target and an actual count the same thing: the rules of comparability.yml.

Each check returns the reason two statements cannot be compared (a target is then `unclear`,
never a guessed met or missed), or None. Statements are rows of indicators.parquet as dicts.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, StrictStr, field_validator, model_validator

from planwatch import refdata

COMPARABILITY_PATH = Path(__file__).with_name("comparability.yml")
Word = Annotated[StrictStr, Field(min_length=1, max_length=20)]
_CLAUSE_END = re.compile(r"[，；。！？：,;!?:]")


class VerbFamilies(refdata._Model):
    new: list[Word] = Field(min_length=1)
    stock: list[Word] = Field(min_length=1)
    _lists = field_validator("new", "stock", mode="before")(refdata._names)


class Stages(refdata._Model):
    started: list[Word] = Field(min_length=1)
    ongoing: list[Word] = Field(min_length=1)
    completed: list[Word] = Field(min_length=1)
    _lists = field_validator("started", "ongoing", "completed", mode="before")(refdata._names)


class Approximate(refdata._Model):
    lower: list[Word] = []
    upper: list[Word] = []
    about: list[Word] = []
    _lists = field_validator("lower", "upper", "about", mode="before")(refdata._names)


class Comparability(refdata._Model):
    at_least: list[Word] = Field(min_length=1)
    at_most: list[Word] = Field(min_length=1)
    verb_families: VerbFamilies
    stages: Stages
    approximate: Approximate
    joiners: list[Word] = Field(min_length=1)
    totals: list[Word] = []
    near_miss_ignore: list[Word] = []

    _lists = field_validator("at_least", "at_most", "joiners", "totals", "near_miss_ignore", mode="before")(refdata._names)

    @model_validator(mode="after")
    def _disjoint(self):
        both = set(self.at_least) & set(self.at_most)
        if both:
            raise ValueError(f"at_least and at_most share {sorted(both)}: a qualifier has one direction")
        seen: dict[str, str] = {}
        for stage in ("started", "ongoing", "completed"):
            for w in getattr(self.stages, stage):
                if w in seen:
                    raise ValueError(f"stages: {w!r} is in both {seen[w]} and {stage}")
                seen[w] = stage
        return self


def load(path: Path | str = COMPARABILITY_PATH) -> Comparability:
    """comparability.yml as a validated model (PlanwatchError naming file, line and key if malformed)."""
    return refdata.load(Path(path), Comparability)


@lru_cache(maxsize=1)
def default_rules() -> Comparability:
    return load(COMPARABILITY_PATH)


def clause(statement: dict) -> str:
    """The subject and the clause of the sentence it stands in (words after the number count too:
    20个老旧小区改造项目全部开工).

    >>> clause({"indicator_zh": "老旧小区改造项目", "sentence": "完成改造。20个老旧小区改造项目全部开工，启动电梯更新。"})
    '老旧小区改造项目 20个老旧小区改造项目全部开工'
    """
    subj, sentence = statement["indicator_zh"] or "", statement.get("sentence") or ""
    probe = subj[-4:] if len(subj) > 4 else subj
    i = sentence.find(probe) if probe else -1
    if i < 0:
        return subj
    a = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, i)), default=0)
    m = _CLAUSE_END.search(sentence, i + len(probe))
    return f"{subj} {sentence[a:m.start() if m else len(sentence)]}"


def family(text: str, subject: str, r: Comparability) -> str | None:
    """'new', 'stock' or None.

    >>> r = default_rules()
    >>> family("新认定高新技术企业", "新认定高新技术企业", r), family("认定高新技术企业累计", "认定高新技术企业累计", r)
    ('new', 'stock')
    """
    if any(subject.startswith(v) or v in subject[:6] for v in r.verb_families.new):
        return "new"
    rest = text
    for v in sorted(r.verb_families.new, key=len, reverse=True):
        rest = rest.replace(v, " ")
    return "stock" if any(w in rest for w in r.verb_families.stock) else None


def stage(text: str, r: Comparability) -> str | None:
    """'started', 'ongoing', 'completed', 'mixed' (more than one) or None.

    >>> r = default_rules()
    >>> stage("新开工亿元以上项目", r), stage("建成和在建新型储能规模", r), stage("新建学校", r)
    ('started', 'mixed', None)
    """
    found, rest = set(), text
    words = sorted(((w, s) for s in ("started", "ongoing", "completed") for w in getattr(r.stages, s)),
                   key=lambda ws: len(ws[0]), reverse=True)
    for w, s in words:
        if w in rest:
            found.add(s)
            rest = rest.replace(w, " ")
    return None if not found else (found.pop() if len(found) == 1 else "mixed")


def _plain(s: str) -> str:
    return "".join(ch for ch in s if "\u4e00" <= ch <= "\u9fff" or ch.isalnum())


def _opcodes(t: str, a: str):
    from difflib import SequenceMatcher
    return SequenceMatcher(None, t, a, autojunk=False).get_opcodes()


def near_miss(tcore: str, acore: str, r: Comparability) -> tuple[str, str] | None:
    """(X, Y) when one part X of the target's subject stands where the actual's says Y instead,
    X and Y sharing no character once the words of near_miss_ignore are removed, else None.

    >>> r = default_rules()
    >>> near_miss("城镇老旧小区供水管网", "老旧小区燃气管网", r), near_miss("口袋公园", "城市公园", r)
    (('供水', '燃气'), ('口袋', '城市'))
    >>> near_miss("省市重大项目建设", "省市重大项目完成年度投资", r), near_miss("专科以上高校毕业生", "高校毕业生", r)
    (None, None)
    """
    t, a = _plain(tcore), _plain(acore)
    if not t or not a or t == a:
        return None
    for op, i1, i2, j1, j2 in _opcodes(t, a):
        if op != "replace":
            continue
        x, y = t[i1:i2], a[j1:j2]
        for w in sorted(r.near_miss_ignore, key=len, reverse=True):
            x, y = x.replace(w, ""), y.replace(w, "")
        if x and y and not set(x) & set(y):
            return x, y
    return None


def joins(subject_core: str, r: Comparability) -> bool:
    """A joiner between two things in a subject (not one opening it: 和改善…, 和美乡村).

    >>> r = default_rules()
    >>> joins("中小学和幼儿园", r), joins("幼儿园、中小学", r), joins("和改善水土流失面积", r), joins("和美乡村", r)
    (True, True, False, False)
    """
    for j in r.joiners:
        i = subject_core.find(j, 1)
        if i > 0 and len(subject_core) - i - len(j) >= 2:
            return True
    return False


def problem(target: dict, actual: dict, tcore: str, acore: str, r: Comparability) -> str | None:
    """Why the actual does not measure what the target does, or None."""
    tsubj, asubj = target["indicator_zh"] or "", actual["indicator_zh"] or ""
    tclause, aclause = clause(target), clause(actual)
    tf, af = family(tclause, tsubj, r), family(aclause, asubj, r)
    if tf != af and "stock" in (tf, af):
        return f"not the same measure: target is {tf or 'unstated'}, actual is {af or 'unstated'} ({asubj})"
    ts, as_ = stage(tclause, r), stage(aclause, r)
    if ts != as_ and ({ts, as_} & {"started", "ongoing", "mixed"}):
        return f"different stage: target is {ts or 'unstated'}, actual is {as_ or 'unstated'} ({asubj})"
    if joins(acore, r) and not joins(tcore, r):
        return f"the actual counts several things together ({asubj})"
    nm = near_miss(tcore, acore, r)
    if nm:
        return f"near-miss subject: {nm[0]} in the target, {nm[1]} in the actual ({asubj})"
    return None


def bound(qualifier: str | None, r: Comparability) -> str | None:
    """What an actual's qualifier says of the true figure: 'lower', 'upper', 'about' or None (exact)."""
    if not qualifier:
        return None
    for kind in ("lower", "upper", "about"):
        if qualifier in getattr(r.approximate, kind):
            return kind
    return None
