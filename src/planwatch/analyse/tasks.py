"""Task-level attainment: link each quantified task target to an actual of the same region
and year, score the link, and judge it — or say why it cannot be judged.

A candidate actual is any statement of that region and year with a number. The score is
the similarity of the subject phrases (character bigrams, verbs removed). Then scope words
(省级以上 vs 市级), unit family and the rules of comparability.yml must agree — new amount vs
running total (新增 vs 累计, 总数), stage (开工, 在建 vs 建成), an actual counting several things
together (中小学和幼儿园14所), a near-miss subject (供水管网 vs 燃气管网) — else the target is
``unclear`` with the reason, never a guessed met/missed. Analysts' decisions in
data/reference/links.yml (pin, reject, not_comparable) override the scoring.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


from planwatch.analyse import comparability
from planwatch.parse.grammar import Grammar, default_grammar  # noqa: F401 (doctests)

MIN_CANDIDATE = 0.5   # below this no statement is taken as a candidate at all


@dataclass(frozen=True)
class Override:
    region: str
    year: int
    target: str
    action: str          # pin | reject | not_comparable
    actual: str | None
    reason: str


def load_overrides(path: Path | str) -> list[Override]:
    """links.yml, validated (refdata.py): a malformed entry is refused naming file, line and key."""
    from planwatch import refdata
    path = Path(path)
    return [Override(e.region, e.year, e.target, e.action, e.actual, e.reason)
            for e in refdata.load(path, refdata.Links, required=False).links]


def verb_family(subject: str, g: Grammar | None = None) -> str | None:
    """'new', 'stock' or None (comparability.yml verb_families; g is not used any more).

    >>> verb_family("累计建成一刻钟便民生活圈"), verb_family("新增一刻钟便民生活圈")
    ('stock', 'new')
    """
    return comparability.family(subject, subject, comparability.default_rules())


def scopes(subject: str, g: Grammar) -> frozenset[str]:
    """Scope words in a subject, normalised (省 → 省级, 国家 → 国家级).

    >>> sorted(scopes("新增省级以上创新平台", default_grammar()))
    ['省级以上']
    """
    found, rest = set(), subject
    for w in g.scope_words:
        if w in rest:
            found.add({"国家": "国家级", "省": "省级", "规上": "规模以上"}.get(w, w))
            rest = rest.replace(w, " ")
    return frozenset(found)


def core(subject: str, g: Grammar) -> str:
    """Subject without its verb and scope words: the thing counted."""
    s = subject
    fam = comparability.default_rules().verb_families
    for v in sorted(set(fam.new) | set(fam.stock) | set(g.task_verbs), key=len, reverse=True):
        if s.startswith(v):
            s = s[len(v):]
            break
    for w in g.scope_words + g.measure_words:
        s = s.replace(w, "")
    return s.strip("“”\"'、 ")


def _bigrams(s: str) -> set[str]:
    s = "".join(ch for ch in s if "\u4e00" <= ch <= "\u9fff" or ch.isalnum())
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def _chars(s: str) -> set[str]:
    return {ch for ch in s if "\u4e00" <= ch <= "\u9fff" or ch.isalnum()}


def similarity(target: str, actual: str) -> float:
    """How well an actual's subject covers a target's (0–1): Dice and target coverage of
    character bigrams (weight 0.7) and of characters (0.3, word order varies: 特色“一件事”).

    >>> round(similarity("过亿元项目", "过亿元项目"), 2), round(similarity("省外资金", "过亿元项目"), 2)
    (1.0, 0.0)
    """
    score = 0.0
    for (x, y), w in (((_bigrams(target), _bigrams(actual)), 0.35), ((_chars(target), _chars(actual)), 0.15)):
        if x and y:
            inter = len(x & y)
            score += w * (2 * inter / (len(x) + len(y))) + w * (inter / len(x))
    return score


@dataclass(frozen=True)
class Link:
    actual: dict | None
    confidence: float
    problem: str | None     # why the link cannot be judged (unclear), if so
    override: str | None


def link(target: dict, candidates: list[dict], overrides: list[Override], g: Grammar) -> Link:
    """The best actual for one task target (rows as dicts of indicators.parquet)."""
    subj = target["indicator_zh"]
    for o in overrides:
        if o.region == target["region"] and o.year == target["period_year"] and o.target in (subj + (target["sentence"] or "")):
            if o.action == "not_comparable":
                return Link(None, 0.0, f"marked not comparable by analyst: {o.reason}", "not_comparable")
            if o.action == "pin":
                hit = next((c for c in candidates if o.actual in c["indicator_zh"] or o.actual in (c["sentence"] or "")), None)
                if hit:
                    return Link(hit, 1.0, None, "pin")
            if o.action == "reject":
                candidates = [c for c in candidates if not (o.actual and (o.actual in c["indicator_zh"] or o.actual in (c["sentence"] or "")))] \
                    if o.actual else []
    tcore = core(subj, g)
    tu = g.unit_factor(target["unit"]) if target["unit"] else None
    def compatible(c: dict) -> bool:
        cu = g.unit_factor(c["unit"]) if c["unit"] else None
        return bool(tu and cu and tu[0] == cu[0])
    scored = sorted(((similarity(tcore, core(c["indicator_zh"], g)), compatible(c), -c["char_start"], i) for i, c in enumerate(candidates)),
                    key=lambda x: (x[1], x[0], x[2]), reverse=True)
    rejected = "reject" if any(o.action == "reject" and o.target in subj for o in overrides) else None
    usable = [x for x in scored if x[1] and x[0] >= MIN_CANDIDATE]
    if not usable:
        # the same measure in another unit (万人 vs 万人次) is unclear, not absent
        near = max((x for x in scored if not x[1]), default=None)
        if near and near[0] >= 0.8:
            c = candidates[near[3]]
            return Link(c, round(near[0], 3), f"different unit: {target['unit']} vs {c['unit']}", rejected)
        return Link(None, 0.0, None, rejected)
    ts, rules = scopes(subj, g), comparability.default_rules()

    def check(c: dict) -> str | None:
        as_ = scopes(c["indicator_zh"], g)
        if ts and as_ and ts != as_:
            return f"different scope: {'/'.join(sorted(ts))} vs {'/'.join(sorted(as_))}"
        return comparability.problem(target, c, tcore, core(c["indicator_zh"], g), rules)

    # the best candidate, unless it cannot be compared and a nearly as good one can (新建5G基站700个 beside 总数1.1万个)
    best_sim = usable[0][0]
    sim, _, _, i = usable[0]
    problem = check(candidates[i])
    if problem:
        # (in the same written unit: 幼儿园3所 is not rescued by 幼儿园托班…托位3000个)
        alt = next(((s2, i2) for s2, _, _, i2 in usable[1:]
                    if s2 >= best_sim - 0.1 and candidates[i2]["unit"] == target["unit"] and not check(candidates[i2])), None)
        if alt:
            (sim, i), problem = alt, None
    best = candidates[i]
    if not problem and ts != scopes(best["indicator_zh"], g):
        sim *= 0.85
    return Link(best, round(sim, 3), problem, None)


def convert_to(value: float, unit: str, target_unit: str, g: Grammar) -> float | None:
    a, b = g.unit_factor(unit), g.unit_factor(target_unit)
    if not a or not b or a[0] != b[0]:
        return None
    return float(value) * float(a[1]) / float(b[1])
