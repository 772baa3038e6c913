"""Target attainment: each target of year N against the actual for year N in any document.

Rules follow design.md; tolerances are parameters, the better direction comes from the
catalogue. Headline targets link to the series by catalogue code (confidence 1).
"""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from planwatch import schemas
from planwatch.analyse.comparability import bound, default_rules
from planwatch.catalogue import Catalogue

# qualifier words by direction: rule data in analyse/comparability.yml (no qualifier: a floor)
AT_LEAST = frozenset(default_rules().at_least) | {None}
AT_MOST = frozenset(default_rules().at_most)
RESULT_DOC_TYPES = ("plan", "plan_report", "work_report", "bulletin")
HEADLINE_CUES = ("预期目标", "主要目标")


@dataclass(frozen=True)
class Rules:
    tolerance_pp: float = 0.5         # 左右 for rates, 与经济增长同步: percentage points
    tolerance_level_pct: float = 2.0  # 左右 for levels: percent of the target
    link_threshold: float = 0.55      # task links below this confidence are `unclear`


def judge(target: float | None, qualifier: str | None, actual: float | None, better: str,
          is_rate: bool, rules: Rules, gdp_growth: float | None = None) -> tuple[str, str]:
    """(status, rule) of one target against its actual.

    >>> judge(5.0, "以上", 5.6, "higher", True, Rules())
    ('met', '以上: actual ≥ target')
    >>> judge(5.5, "左右", 5.3, "lower", True, Rules())[0]
    'met'
    >>> judge(None, "完成省下达目标", 3.0, "higher", True, Rules())[0]
    'unclear'
    """
    if qualifier in ("稳定增长", "保持增长", "稳中有升"):
        return ("unclear", "no growth stated") if actual is None else (("met" if actual > 0 else "missed"), f"{qualifier}: growth > 0")
    if qualifier == "止跌回稳":
        return ("unclear", "no growth stated") if actual is None else (("met" if actual >= 0 else "missed"), "止跌回稳: growth ≥ 0")
    if qualifier == "与经济增长同步":
        if actual is None or gdp_growth is None:
            return "unclear", "与经济增长同步: needs both growth rates"
        ok = abs(actual - gdp_growth) <= rules.tolerance_pp
        return ("met" if ok else "missed"), f"与经济增长同步: |growth − GDP growth {gdp_growth}| ≤ {rules.tolerance_pp}pp"
    if target is None:
        return "unclear", f"qualitative target ({qualifier}) has no testable rule"
    if actual is None:
        return "unclear", "no comparable actual"
    if qualifier == "左右":
        tol = rules.tolerance_pp if is_rate else abs(target) * rules.tolerance_level_pct / 100
        ok = actual >= target - tol if better == "higher" else actual <= target + tol
        return ("met" if ok else "missed"), f"左右: within {tol:g} of target on the worse side"
    if qualifier in AT_MOST or (better == "lower" and qualifier is None):
        return ("met" if actual <= target else "missed"), f"{qualifier or 'lower is better'}: actual ≤ target"
    if qualifier in AT_LEAST or qualifier not in AT_MOST:
        return ("met" if actual >= target else "missed"), f"{qualifier or '达到'}: actual ≥ target"
    return "unclear", "no rule"


def judge_approximate(target: float, qualifier: str | None, actual: float, actual_qualifier: str | None,
                      better: str = "higher") -> tuple[str, str] | None:
    """(status, rule) of a target against an approximate actual (1900余, 近100), or None when the
    actual is exact. An approximate actual decides only when its bound settles the target.

    >>> judge_approximate(2000, None, 1900, "余")
    ('unclear', 'approximate actual (1900余): could be either side of the target')
    >>> judge_approximate(6000, None, 6000, "余")[0], judge_approximate(100, "以上", 95, "近")[0]
    ('met', 'missed')
    """
    kind = bound(actual_qualifier, default_rules())
    if kind is None:
        return None
    floor = qualifier in AT_LEAST and not (better == "lower" and qualifier is None) or qualifier == "左右"
    written = f"{actual:g}{actual_qualifier}" if kind == "lower" else f"{actual_qualifier}{actual:g}"
    if floor and kind == "lower" and actual >= target:
        return "met", f"approximate actual ({written}) is at least the target"
    if floor and kind == "upper" and actual <= target and qualifier != "左右":
        return "missed", f"approximate actual ({written}) is below the target"
    if not floor and kind == "upper" and actual <= target:
        return "met", f"approximate actual ({written}) is within the target"
    if not floor and kind == "lower" and actual > target:
        return "missed", f"approximate actual ({written}) is above the target"
    return "unclear", f"approximate actual ({written}): could be either side of the target"


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def build_attainment(indicators: pl.DataFrame, series: pl.DataFrame, documents: pl.DataFrame,
                     catalogue: Catalogue, rules: Rules, overrides: list | None = None) -> pl.DataFrame:
    from planwatch.analyse.series import annual_only
    indicators = annual_only(indicators.lazy()).collect()   # a 年均 or 前三季度 figure is no year's target or actual
    targets = indicators.filter(pl.col("kind") == "target").sort(
        ["region", "period_year", "indicator", "origin", "doc_id", "char_start"], descending=[False, False, False, True, False, False])
    targets = one_row_per_target(targets)
    # derived levels are not statements: a target is judged against stated figures only
    sidx = {(r["region"], r["indicator"], r["year"]): r for r in series.filter(~pl.col("derived")).to_dicts()}
    results_docs = {(d["region"], d["doc_year"] - 1) for d in documents.to_dicts() if d["doc_type"] in RESULT_DOC_TYPES}
    rows = []
    rows += task_rows(indicators, results_docs, rules, overrides or [])
    for t in targets.to_dicts():
        ind = catalogue.indicators.get(t["indicator"])
        if ind is None:
            continue
        year = t["period_year"]
        headline = ind.headline and (t["origin"] == "table" or any(c in t["sentence"] for c in HEADLINE_CUES))
        on_growth = t["growth_pct"] is not None
        target_value = t["growth_pct"] if on_growth else t["value_std"]
        if on_growth and ind.family != "percent":
            target_unit = "% growth"          # a growth target on a level indicator
        else:
            target_unit = t["unit_std"] if target_value is not None else None
        actual = sidx.get((t["region"], t["indicator"], year))
        qualitative_growth = t["qualifier"] in ("稳定增长", "保持增长", "稳中有升", "止跌回稳", "与经济增长同步")
        if actual is not None:
            a_val = actual["growth_pct"] if (on_growth or qualitative_growth) else actual["value"]
            if on_growth or qualitative_growth:
                a_text = f"增长{_fmt(a_val)}%" if a_val is not None else ""
            else:
                a_text = f"{_fmt(a_val)} {actual['unit'] or ''}".strip()
            gdp = sidx.get((t["region"], "gdp", year))
            status, rule = judge(target_value, t["qualifier"], a_val, ind.better,
                                 ind.family == "percent" or on_growth, rules, gdp["growth_pct"] if gdp else None)
            if a_val is None and status == "unclear" and target_value is not None:
                rule = "the actual states no " + ("growth" if on_growth else "level")
        else:
            a_val, a_text = None, None
            if (t["region"], year) in results_docs:
                status, rule = "no_actual", "the results document does not report it"
            else:
                status, rule = "pending", f"no document reports {year} results yet"
            if target_value is None and not qualitative_growth and t["qualifier"] and status == "no_actual":
                status, rule = "unclear", f"qualitative target ({t['qualifier']}) has no testable rule"
        margin = (a_val - target_value) if (status in ("met", "missed") and a_val is not None and target_value is not None) else None
        rows.append({
            "region": t["region"], "year": year, "scope": "headline" if headline else "task", "indicator": t["indicator"],
            "target_text": _target_text(t), "target_value": target_value, "target_unit": target_unit,
            "qualifier": t["qualifier"], "target_form": t["target_form"], "hard": t["hard"],
            "actual_value": a_val, "actual_text": a_text, "status": status,
            "margin": round(margin, 4) if margin is not None else None, "link_confidence": 1.0,
            "target_doc": t["doc_id"], "target_start": t["char_start"], "target_end": t["char_end"],
            "actual_doc": actual["doc_id"] if actual else None, "actual_start": actual["char_start"] if actual else None,
            "actual_end": actual["char_end"] if actual else None, "rule": rule, "stretch": bool(t["stretch"]),
        })
    df = schemas.frame(rows, schemas.ATTAINMENT)
    return df.sort(["region", "year", "scope", "indicator", "target_doc", "target_start"])


def one_row_per_target(targets: pl.DataFrame) -> pl.DataFrame:
    """The catalogued targets of a region and year, each target once (rows already in preference order).

    A target is judged on its growth when it states one, else on its level, so two statements
    of it that agree on what is judged are one target: 增长2%以上 in prose and the annex table's
    row 428.12亿元 | 2以上 (which adds a level) count once, the first row (the table's) kept. A
    qualitative statement (稳定增长, no number) of an indicator that also has a numeric target
    that year says less than that target and is dropped.

    >>> t = pl.DataFrame({"region": ["甲"] * 4, "period_year": [2026] * 4, "indicator": ["r", "r", "d", "d"],
    ...                   "value_std": [428.12, None, None, None], "growth_pct": [2.0, 2.0, 7.0, None],
    ...                   "qualifier": ["以上", "以上", None, "稳定增长"], "char_start": [9, 1, 5, 2]})
    >>> one_row_per_target(t).select("indicator", "char_start").rows()
    [('r', 9), ('d', 5)]
    """
    judged = pl.when(pl.col("growth_pct").is_not_null()).then(pl.col("growth_pct")).otherwise(pl.col("value_std"))
    keyed = targets.with_columns(judged.alias("_judged"), pl.col("growth_pct").is_not_null().alias("_on_growth"))
    keyed = keyed.unique(["region", "period_year", "indicator", "_on_growth", "_judged", "qualifier"],
                         keep="first", maintain_order=True)
    numeric = pl.col("_judged").is_not_null().any().over(["region", "period_year", "indicator"])
    return keyed.filter(pl.col("_judged").is_not_null() | ~numeric).drop("_judged", "_on_growth")


def _target_text(t: dict) -> str:
    name = t["indicator_zh"]
    if t["growth_pct"] is not None:
        return f"{name}增长{_fmt(t['growth_pct'])}%{t['qualifier'] or ''}"
    if t["value"] is not None:
        return f"{name}{_fmt(t['value'])}{t['unit'] or ''}{t['qualifier'] or ''}"
    return f"{name}{t['qualifier'] or ''}"


def task_rows(indicators: pl.DataFrame, results_docs: set, rules: Rules, overrides: list) -> list[dict]:
    """Attainment of uncatalogued (other:) quantified task targets, linked by analyse.tasks."""
    from planwatch.analyse.tasks import convert_to, link
    from planwatch.parse.grammar import default_grammar
    g = default_grammar()
    other = pl.col("indicator").str.starts_with("other:")
    targets = indicators.filter((pl.col("kind") == "target") & other & pl.col("value").is_not_null()) \
        .unique(["region", "period_year", "indicator", "value", "unit", "qualifier"], keep="first", maintain_order=True)
    actuals = indicators.filter((pl.col("kind") == "actual") & (pl.col("value").is_not_null()))
    by_key: dict = {}
    for a in actuals.to_dicts():
        by_key.setdefault((a["region"], a["period_year"]), []).append(a)
    out = []
    for t in targets.to_dicts():
        key = (t["region"], t["period_year"])
        lk = link(t, by_key.get(key, []), overrides, g)
        a = lk.actual
        a_val = convert_to(a["value"], a["unit"], t["unit"], g) if a and a["unit"] and t["unit"] else None
        if a is None:
            if lk.override == "not_comparable":
                status, rule = "unclear", lk.problem
            elif key in results_docs:
                status, rule = "no_actual", "no statement in the results matches this target" + (" (candidates rejected by analyst)" if lk.override == "reject" else "")
            else:
                status, rule = "pending", f"no document reports {t['period_year']} results yet"
        elif lk.problem:
            status, rule = "unclear", lk.problem
        elif lk.confidence < rules.link_threshold:
            status, rule = "unclear", f"weak link (confidence {lk.confidence:.2f} < {rules.link_threshold})"
        else:
            status, rule = judge(t["value"], t["qualifier"], a_val, "higher", t["unit"] == "%", rules)
            if a_val is not None and a["qualifier"]:
                status, rule = judge_approximate(t["value"], t["qualifier"], a_val, a["qualifier"]) or (status, rule)
        margin = round(a_val - t["value"], 4) if status in ("met", "missed") and a_val is not None else None
        out.append({
            "region": t["region"], "year": t["period_year"], "scope": "task", "indicator": None,
            "target_text": f"{t['indicator_zh']}{_fmt(t['value'])}{t['unit'] or ''}{t['qualifier'] or ''}",
            "target_value": t["value"], "target_unit": t["unit"], "qualifier": t["qualifier"],
            "target_form": t["target_form"], "hard": t["hard"],
            "actual_value": round(a_val, 6) if a_val is not None else None,
            "actual_text": f"{a['indicator_zh']}{_fmt(a['value'])}{a['unit'] or ''}" if a else None,
            "status": status, "margin": margin, "link_confidence": lk.confidence if a else 0.0,
            "target_doc": t["doc_id"], "target_start": t["char_start"], "target_end": t["char_end"],
            "actual_doc": a["doc_id"] if a else None, "actual_start": a["char_start"] if a else None,
            "actual_end": a["char_end"] if a else None, "rule": rule, "stretch": bool(t["stretch"]), "override": lk.override,
        })
    return _shared_actuals(out)


def _shared_actuals(rows: list[dict]) -> list[dict]:
    """One actual judged against several different targets (中小学5所 and 幼儿园3所 against
    幼儿园、中小学8所) measures none of them: those verdicts become unclear."""
    judged = [r for r in rows if r["status"] in ("met", "missed") and r["override"] != "pin"]
    claims: dict = {}
    for r in judged:
        claims.setdefault((r["actual_doc"], r["actual_start"]), set()).add(r["target_text"])
    for r in judged:
        others = claims[(r["actual_doc"], r["actual_start"])] - {r["target_text"]}
        if others:
            r.update(status="unclear", margin=None,
                     rule=f"the actual ({r['actual_text']}) is also linked to {'、'.join(sorted(others))}: it counts them together")
    return rows


def attainment_of_files(paths, rules: Rules | None = None, overrides: list | None = None) -> pl.DataFrame:
    """The attainment table of these documents, parsed and judged with the analyse stage's own
    functions (no pipeline, no caches): for hand-checked pair sets and their scorers."""
    from planwatch.analyse.series import build_series
    from planwatch.catalogue import default_catalogue
    from planwatch.parse.stage import parse_document
    docs, rows = [], []
    for f in paths:
        d, recs = parse_document(f)
        docs.append(d.as_row())
        rows += [r.as_row(doc_id=d.doc_id, region=d.region) for r in recs]
    documents = schemas.frame(docs, {**schemas.DOCUMENTS, "published": pl.String})
    indicators = schemas.frame(rows, schemas.INDICATORS)
    cat = default_catalogue()
    series = build_series(indicators.lazy(), documents.lazy(), cat).collect()
    return build_attainment(indicators, series, documents, cat, rules or Rules(0.5, 2.0, 0.55), list(overrides or []))
