"""Computed check tables: each row carries the values a rule looked at and a boolean verdict.

Expectations (suites.py) then assert the verdict columns, so every failure is a row with
its sources. Pure polars; no Great Expectations here.
"""
from __future__ import annotations

import re

import polars as pl

from planwatch.catalogue import Catalogue
from planwatch.parse.grammar import default_grammar

PLAN_TYPES = ("plan", "plan_report")


def _unit_family(unit: str | None) -> str | None:
    if unit is None:
        return None
    fam = default_grammar().unit_factor(unit)
    return fam[0] if fam else None


def _unit_scale(unit: str | None) -> float | None:
    fam = default_grammar().unit_factor(unit) if unit else None
    return float(fam[1]) if fam else None


def value_std_expected(cat: Catalogue, units: list[str]) -> pl.Expr:
    """The level converted to the catalogue's standard unit, recomputed from value and unit
    (null where the families differ: unit_family_ok reports that)."""
    code = pl.col("indicator")
    std = {c: i.std_unit for c, i in cat.indicators.items()}
    fam = {c: i.family for c, i in cat.indicators.items()}
    std_scale = {c: _unit_scale(u) for c, u in std.items()}
    scale = {u: _unit_scale(u) for u in units}
    unit_fam = {u: _unit_family(u) for u in units}
    same_family = (pl.col("unit").replace_strict(unit_fam, default=None, return_dtype=pl.String)
                   == pl.col("indicator").replace_strict({c: _unit_family(u) for c, u in std.items()}, default=None, return_dtype=pl.String))
    percent = (code.replace_strict(fam, default=None, return_dtype=pl.String) == "percent") & (pl.col("unit") == "%")
    ratio = pl.col("unit").replace_strict(scale, default=None, return_dtype=pl.Float64) / \
        code.replace_strict(std_scale, default=None, return_dtype=pl.Float64)
    return pl.when(percent).then(pl.col("value")).when(same_family).then(pl.col("value") * ratio).otherwise(None)


def indicator_checks(indicators: pl.DataFrame, documents: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    """indicators + verdict columns: indicator_known, unit_family_ok, level_in_range, growth_in_range,
    year_in_doc_range, value_std_consistent."""
    fam = {c: i.family for c, i in cat.indicators.items()}
    lo = {c: float(i.level_range[0]) for c, i in cat.indicators.items()}
    hi = {c: float(i.level_range[1]) for c, i in cat.indicators.items()}
    glo = {c: float(i.growth_range[0]) for c, i in cat.indicators.items()}
    ghi = {c: float(i.growth_range[1]) for c, i in cat.indicators.items()}
    units = indicators.select(pl.col("unit").unique().drop_nulls())["unit"].to_list()
    unit_fam = {u: _unit_family(u) for u in units}
    code = pl.col("indicator")
    expected_family = code.replace_strict(fam, default=None, return_dtype=pl.String)
    written_family = pl.col("unit").replace_strict(unit_fam, default=None, return_dtype=pl.String)
    currencies = pl.lit(list(default_grammar().currency_families), dtype=pl.List(pl.String)).explode().implode()
    years = documents.select("doc_id", "doc_year")
    cols = [c for c in indicators.columns if c not in ("doc_year",)]
    return indicators.select(cols).join(years, on="doc_id", how="left").with_columns(
        (code.is_in(list(fam)) | code.str.starts_with("other:")).alias("indicator_known"),
        (pl.col("unit").is_null() | expected_family.is_null() | (written_family == expected_family)
         | ((expected_family == "percent") & (pl.col("unit") == "%"))
         # money in another currency (亿美元 for a 亿元 indicator) is kept as written, with no value_std
         | (expected_family.is_in(currencies) & written_family.is_in(currencies) & pl.col("value_std").is_null())
         ).fill_null(False).alias("unit_family_ok"),
        (pl.col("value_std").is_null() | pl.col("value_std").is_between(
            code.replace_strict(lo, default=None, return_dtype=pl.Float64),
            code.replace_strict(hi, default=None, return_dtype=pl.Float64))).fill_null(True).alias("level_in_range"),
        (pl.col("growth_pct").is_null() | pl.col("growth_pct").is_between(
            code.replace_strict(glo, default=None, return_dtype=pl.Float64),
            code.replace_strict(ghi, default=None, return_dtype=pl.Float64))).fill_null(True).alias("growth_in_range"),
        pl.col("period_year").is_between(pl.col("doc_year") - 3, pl.col("doc_year") + 5).fill_null(False).alias("year_in_doc_range"),
        _std_consistent(value_std_expected(cat, units)).alias("value_std_consistent"),
    )


def _std_consistent(expected: pl.Expr) -> pl.Expr:
    """value_std is the level in the standard unit: equal to the recomputed one (or both absent)."""
    vs = pl.col("value_std")
    close = (vs - expected).abs() <= 1e-9 * pl.max_horizontal(pl.lit(1.0), expected.abs())
    return (pl.when(~pl.col("indicator").str.starts_with("other:") & pl.col("value").is_not_null() & expected.is_not_null())
            .then(close.fill_null(False))
            .when(pl.col("value").is_null()).then(vs.is_null())
            .otherwise(True))


def completeness(indicators: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Per plan document: does it state the GDP growth actual and the GDP growth target?"""
    gdp = indicators.filter((pl.col("indicator") == "gdp") & pl.col("growth_pct").is_not_null())
    has = gdp.group_by("doc_id").agg(
        (pl.col("kind") == "actual").any().alias("has_gdp_growth_actual"),
        (pl.col("kind") == "target").any().alias("has_gdp_growth_target"))
    # the rest of the core set a plan promises: the budget revenue actual and target
    budget = indicators.filter(pl.col("indicator") == "budget_revenue").group_by("doc_id").agg(
        ((pl.col("kind") == "actual").any() & (pl.col("kind") == "target").any()).alias("has_budget_revenue"))
    flags = ["has_gdp_growth_actual", "has_gdp_growth_target", "has_budget_revenue"]
    return documents.filter(pl.col("doc_type").is_in(PLAN_TYPES)).select("doc_id", "region", "doc_year", "doc_type") \
        .join(has, on="doc_id", how="left").join(budget, on="doc_id", how="left") \
        .with_columns([pl.col(f).fill_null(False) for f in flags]).sort("doc_id")


def within_document(indicators: pl.DataFrame) -> pl.DataFrame:
    """The same indicator, kind and year stated twice in one document with different figures
    (prose vs annex table, or 预期目标 vs a task). Each statement is paired with the previous
    statement of the same key in the document — n − 1 pairs per key, not all n² of them."""
    key = ["doc_id", "indicator", "kind", "period_year"]
    cols = ["region", "value_std", "growth_pct", "qualifier", "origin", "char_start", "char_end"]
    base = indicators.filter(~pl.col("indicator").str.starts_with("other:")).select(key + cols) \
        .sort(key + ["char_start", "char_end"])
    prev = [pl.col(c).shift(1).over(key).alias(c) for c in cols]
    pairs = base.select(key + prev + [pl.col(c).alias(f"{c}_b") for c in cols]) \
        .filter(pl.col("char_start").is_not_null()).drop("region_b")
    differs = lambda a, b: (pl.col(a).is_not_null() & pl.col(b).is_not_null() & ((pl.col(a) - pl.col(b)).abs() > 1e-9))
    return pairs.with_columns(
        (~(differs("value_std", "value_std_b") | differs("growth_pct", "growth_pct_b"))).alias("consistent"),
    ).sort(key + ["char_start", "char_start_b"])


def conflicting_documents(indicators: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Two documents of the same region, type and year that state different figures for one
    indicator, kind and year: one row per conflict, naming both documents (the series takes the
    later publication; the other stays visible as a revision)."""
    key = ["region", "doc_type", "doc_year", "indicator", "kind", "period_year"]
    docs = documents.select("doc_id", "doc_type", "doc_year", pl.col("published").cast(pl.String))
    rows = indicators.filter(~pl.col("indicator").str.starts_with("other:")).join(docs, on="doc_id", how="inner")
    per_doc = rows.group_by(key + ["doc_id"]).agg(
        pl.col("published").first(), pl.col("value_std").drop_nulls().first(), pl.col("growth_pct").drop_nulls().first(),
        pl.col("char_start").min(), pl.col("char_end").min())
    grouped = per_doc.sort(key + ["published", "doc_id"], nulls_last=False).group_by(key, maintain_order=True).agg(
        pl.col("doc_id").n_unique().alias("n_docs"),
        pl.col("value_std").drop_nulls().n_unique().alias("_nv"), pl.col("growth_pct").drop_nulls().n_unique().alias("_ng"),
        pl.col("doc_id").first().alias("other_doc_id"), pl.col("char_start").first().alias("other_start"),
        pl.col("char_end").first().alias("other_end"),
        pl.col("doc_id").last(), pl.col("char_start").last(), pl.col("char_end").last(),
        pl.col("value_std").last(), pl.col("growth_pct").last(),
        pl.col("value_std").first().alias("other_value_std"), pl.col("growth_pct").first().alias("other_growth_pct"),
    )
    return grouped.filter(pl.col("n_docs") > 1).with_columns(
        ((pl.col("_nv") <= 1) & (pl.col("_ng") <= 1)).alias("consistent")).drop("_nv", "_ng").sort(key)


def reconciliation(series: pl.DataFrame, cat: Catalogue, tolerance_pp: float) -> pl.DataFrame:
    """Nominal indicators: level(N) / level(N−1) − 1 against the growth stated for N."""
    from planwatch.analyse.series import implied_growth
    ig = implied_growth(series.lazy()).collect()
    src = series.select("region", "indicator", "year", "doc_id", "char_start", "char_end")
    prev = src.rename({"doc_id": "prev_doc_id", "char_start": "prev_start", "char_end": "prev_end"}).with_columns(pl.col("year") + 1)
    return ig.filter(pl.col("growth_pct").is_not_null() & (pl.col("growth_basis") == "nominal")) \
        .join(src, on=["region", "indicator", "year"], how="left") \
        .join(prev, on=["region", "indicator", "year"], how="left") \
        .with_columns((pl.col("gap_pp").abs() <= tolerance_pp).alias("reconciles")).sort(["region", "indicator", "year"])


def price_changes(series: pl.DataFrame) -> pl.DataFrame:
    """Real-basis indicators (GDP, value added): nominal level growth minus stated real growth."""
    from planwatch.analyse.series import implied_growth
    return implied_growth(series.lazy()).collect().filter(
        pl.col("growth_pct").is_not_null() & (pl.col("growth_basis") == "real"))


_RELATION = re.compile(r"(高于|低于|快于|慢于)全(市|省)(?:平均)?(?:增速|增幅|水平)?(\d+(?:\.\d+)?)个百分点")


def stated_relations(indicators: pl.DataFrame, documents: pl.DataFrame, series: pl.DataFrame) -> pl.DataFrame:
    """A district's statement that its growth is 高于全市平均增速X个百分点, checked against the
    city's own growth for the same indicator and year when the corpus states it. Only the few
    sentences that state such a relation are read row by row; the parents' figures come by join."""
    schema = {"doc_id": pl.String, "region": pl.String, "parent_region": pl.String, "indicator": pl.String, "year": pl.Int64,
              "growth_pct": pl.Float64, "parent_growth_pct": pl.Float64, "stated_gap_pp": pl.Float64, "implied_gap_pp": pl.Float64,
              "consistent": pl.Boolean, "char_start": pl.Int64, "char_end": pl.Int64, "other_doc_id": pl.String,
              "other_start": pl.Int64, "other_end": pl.Int64}
    parents = documents.select("region", "parent_region").drop_nulls().unique("region", keep="first")
    parent_growth = series.filter(~pl.col("derived") & pl.col("growth_pct").is_not_null()).select(
        pl.col("region").alias("parent_region"), "indicator", pl.col("year").alias("period_year"),
        pl.col("growth_pct").alias("parent_growth_pct"), pl.col("doc_id").alias("other_doc_id"),
        pl.col("char_start").alias("other_start"), pl.col("char_end").alias("other_end"))
    cands = (indicators.filter((pl.col("kind") == "actual") & pl.col("growth_pct").is_not_null()
                               & ~pl.col("indicator").str.starts_with("other:")
                               & pl.col("sentence").str.contains(_RELATION.pattern))
             .join(parents, on="region", how="inner").join(parent_growth, on=["parent_region", "indicator", "period_year"], how="inner"))
    rows = []
    for r in cands.to_dicts():
        sent = r["sentence"] or ""
        mark = f"{abs(r['growth_pct']):g}%"
        pos = sent.find(mark)
        if pos < 0:
            continue
        m = _RELATION.search(sent, pos)
        if not m or "%" in sent[pos + len(mark):m.start()]:
            continue   # the relation belongs to a later figure of the sentence
        sign = 1 if m.group(1) in ("高于", "快于") else -1
        stated = sign * float(m.group(3))
        implied = round(r["growth_pct"] - r["parent_growth_pct"], 4)
        rows.append({"doc_id": r["doc_id"], "region": r["region"], "parent_region": r["parent_region"], "indicator": r["indicator"],
                     "year": r["period_year"], "growth_pct": r["growth_pct"], "parent_growth_pct": r["parent_growth_pct"],
                     "stated_gap_pp": stated, "implied_gap_pp": implied, "consistent": abs(implied - stated) <= 0.05,
                     "char_start": r["char_start"], "char_end": r["char_end"],
                     "other_doc_id": r["other_doc_id"], "other_start": r["other_start"], "other_end": r["other_end"]})
    return pl.DataFrame(rows, schema=schema, orient="row")


def withheld_rows(issues: pl.DataFrame) -> pl.DataFrame:
    """Error rows that name one statement of the indicators table (doc_id, char_start, indicator):
    the analyse stage leaves those statements out. Here, not in validate/stage.py, so that the
    analyse stage need not import Great Expectations (6 s) to read them."""
    return issues.filter((pl.col("severity") == "error") & (pl.col("table") == "indicators")
                         & pl.col("doc_id").is_not_null() & pl.col("char_start").is_not_null())
