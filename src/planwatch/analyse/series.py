"""Series: one row per region × indicator × year, the most authoritative statement winning.

Authority: 统计公报 (bulletin) over a plan's or plan report's 执行情况 over a work report or a
news article; a final figure over a 预计 estimate; then the later document year; then the later
publication date (two documents of one region, type and year: the later one is the revision;
validation warns and names both); then the row that states more (level and growth). The others stay visible: ``revised`` and ``note``.
"""
from __future__ import annotations

import polars as pl

from planwatch import schemas
from planwatch.catalogue import Catalogue

AUTHORITY = {"bulletin": 4, "plan": 3, "plan_report": 3, "work_report": 2, "news": 1}


def _rank() -> list[pl.Expr]:
    return [
        pl.col("doc_type").replace_strict(AUTHORITY, default=0, return_dtype=pl.Int64).alias("_auth"),
        (~pl.col("estimated")).cast(pl.Int64).alias("_final"),
        pl.col("doc_year").alias("_docyear"),
        pl.col("published").cast(pl.String).fill_null("").alias("_published"),   # ISO dates sort as text
        (pl.col("value_std").is_not_null().cast(pl.Int64) + pl.col("growth_pct").is_not_null().cast(pl.Int64)).alias("_info"),
        (pl.col("origin") == "prose").cast(pl.Int64).alias("_prose"),
    ]


def _fmt_source() -> pl.Expr:
    """doc@start: value unit / growth%, a figure not stated as — (it read 'NaN  / 5.6%').

    >>> pl.DataFrame({"doc_id": ["a", "b"], "char_start": [1, 2], "value_std": [905.0, None], "unit_std": ["亿元", None],
    ...               "growth_pct": [None, -12.6]}).select(_fmt_source())["doc_id"].to_list()
    ['a@1: 905.0 亿元 / —', 'b@2: — / -12.6%']
    """
    value = pl.when(pl.col("value_std").is_null()).then(pl.lit("—")) \
        .otherwise(pl.format("{} {}", pl.col("value_std"), pl.col("unit_std").fill_null("")).str.strip_chars_end())
    growth = pl.when(pl.col("growth_pct").is_null()).then(pl.lit("—")).otherwise(pl.format("{}%", pl.col("growth_pct")))
    return pl.format("{}@{}: {} / {}", pl.col("doc_id"), pl.col("char_start"), value, growth)


def annual_only(indicators: pl.LazyFrame) -> pl.LazyFrame:
    """Rows that state one year's figure: partial-year, multi-year average and cumulative
    figures (period_scope) never feed series or attainment. Tables from before the column
    existed are all annual."""
    if "period_scope" not in indicators.collect_schema().names():
        return indicators
    return indicators.filter(pl.col("period_scope").fill_null("annual") == "annual")


def build_series(indicators: pl.LazyFrame, documents: pl.LazyFrame, catalogue: Catalogue) -> pl.LazyFrame:
    basis = {c: (i.basis if i.basis in ("real", "nominal") else "unknown") for c, i in catalogue.indicators.items()}
    std_unit = {c: i.std_unit for c, i in catalogue.indicators.items()}
    actuals = (
        annual_only(indicators).filter((pl.col("kind") == "actual") & pl.col("indicator").is_in(list(catalogue.indicators))
                          & (pl.col("value_std").is_not_null() | pl.col("growth_pct").is_not_null()))
        .join(documents.select("doc_id", "doc_type", "doc_year", "published"), on="doc_id", how="left")
        .with_columns(_rank())
        .sort(["region", "indicator", "period_year", "_auth", "_final", "_docyear", "_published", "_info", "_prose", "doc_id", "char_start"],
              descending=[False, False, False, True, True, True, True, True, True, False, False])
    )
    key = ["region", "indicator", "period_year"]
    stated = (
        actuals.with_columns(
            pl.col("value_std").n_unique().over(key).alias("_nv"),
            pl.col("growth_pct").drop_nulls().n_unique().over(key).alias("_ng"),
            pl.col("value_std").drop_nulls().n_unique().over(key).alias("_nvv"),
            pl.len().over(key).alias("_n"),
            _fmt_source().alias("_src"),
        )
        .group_by(key, maintain_order=True)
        .agg(
            pl.col("value_std").first().alias("value"),
            pl.col("growth_pct").first(),
            pl.col("doc_id").first(), pl.col("char_start").first(), pl.col("char_end").first(),
            pl.col("sentence").first(),
            ((pl.col("_nvv").first() > 1) | (pl.col("_ng").first() > 1)).alias("revised"),
            pl.col("_src").slice(1).alias("_others"),
        )
        .with_columns(
            pl.when(pl.col("_others").list.len() > 0)
            .then(pl.lit("also stated: ") + pl.col("_others").list.join("; "))
            .otherwise(None).alias("note"),
            pl.lit(False).alias("derived"),
        )
        .drop("_others")
        .rename({"period_year": "year"})
    )
    # A level implied by next year's level and stated growth (nominal indicators only).
    nxt = stated.select(
        "region", "indicator", (pl.col("year") - 1).alias("year"),
        (pl.col("value") / (1 + pl.col("growth_pct") / 100)).alias("value"),
        pl.col("doc_id"), pl.col("char_start"), pl.col("char_end"), pl.col("sentence"),
        pl.format("derived: level of {} ÷ (1 + growth {}%)", pl.col("year"), pl.col("growth_pct")).alias("note"),
    ).filter(pl.col("value").is_not_null() & pl.col("indicator").replace_strict(basis, default="unknown").eq("nominal"))
    derived = nxt.join(stated.filter(pl.col("value").is_not_null()).select("region", "indicator", "year"),
                       on=["region", "indicator", "year"], how="anti").with_columns(
        pl.lit(None, pl.Float64).alias("growth_pct"), pl.lit(False).alias("revised"), pl.lit(True).alias("derived"))
    # a derived level fills a stated row that has growth only; else it is a row of its own
    filled = stated.join(derived.select("region", "indicator", "year", pl.col("value").alias("_dv"), pl.col("note").alias("_dn")),
                         on=["region", "indicator", "year"], how="left")
    filled_rows = filled.with_columns(
        pl.when(pl.col("value").is_null() & pl.col("_dv").is_not_null()).then(pl.col("_dv").round(6)).otherwise(pl.col("value")).alias("value"),
        (pl.col("value").is_null() & pl.col("_dv").is_not_null()).alias("derived"),
        pl.when(pl.col("value").is_null() & pl.col("_dv").is_not_null())
        .then(pl.concat_str([pl.col("_dn"), pl.col("note")], separator="; ", ignore_nulls=True)).otherwise(pl.col("note")).alias("note"),
    ).drop("_dv", "_dn")
    only_derived = derived.join(stated.select("region", "indicator", "year"), on=["region", "indicator", "year"], how="anti") \
        .with_columns(pl.col("value").round(6))
    out = pl.concat([filled_rows, only_derived], how="diagonal_relaxed")
    return out.with_columns(
        pl.col("indicator").replace_strict(std_unit, default=None).alias("unit"),
        pl.col("indicator").replace_strict(basis, default="unknown").alias("growth_basis"),
    ).select(list(schemas.SERIES)).cast(schemas.SERIES).sort(["region", "indicator", "year"])


def implied_growth(series: pl.LazyFrame) -> pl.LazyFrame:
    """Growth implied by consecutive stated levels, next to the stated growth and their gap.

    For real-basis indicators (GDP, value added) the gap is the implied price change.
    """
    s = series.filter(~pl.col("derived")).sort(["region", "indicator", "year"])
    return s.with_columns(
        pl.col("value").shift(1).over(["region", "indicator"]).alias("prev_value"),
        pl.col("year").shift(1).over(["region", "indicator"]).alias("prev_year"),
    ).filter((pl.col("prev_year") == pl.col("year") - 1) & pl.col("value").is_not_null() & pl.col("prev_value").is_not_null()) \
        .with_columns(((pl.col("value") / pl.col("prev_value") - 1) * 100).round(2).alias("implied_growth_pct")) \
        .with_columns((pl.col("implied_growth_pct") - pl.col("growth_pct")).round(2).alias("gap_pp")) \
        .select("region", "indicator", "year", "prev_value", "value", "growth_pct", "implied_growth_pct", "gap_pp", "growth_basis")
