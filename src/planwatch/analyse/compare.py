"""District vs city, and growth over several years, from the series (stated rows only)."""
from __future__ import annotations

import polars as pl

COMPARISON = {
    "region": pl.String, "parent_region": pl.String, "indicator": pl.String, "year": pl.Int64,
    "value": pl.Float64, "parent_value": pl.Float64, "unit": pl.String, "share_pct": pl.Float64,
    "growth_pct": pl.Float64, "parent_growth_pct": pl.Float64, "growth_gap_pp": pl.Float64,
    "doc_id": pl.String, "char_start": pl.Int64, "parent_doc_id": pl.String, "parent_char_start": pl.Int64,
}

TRENDS = {
    "region": pl.String, "indicator": pl.String, "from_year": pl.Int64, "to_year": pl.Int64,
    "from_value": pl.Float64, "to_value": pl.Float64, "unit": pl.String, "cagr_pct": pl.Float64,
    "growth_basis": pl.String, "doc_id": pl.String, "char_start": pl.Int64,
}


def district_vs_city(series: pl.LazyFrame, documents: pl.LazyFrame) -> pl.LazyFrame:
    """Each region against its parent for the indicators and years both state:
    share of the parent's level (same unit) and the gap between their growth rates."""
    # regions whose parent is known only: a null parent can match nothing, and left in it made the
    # joins pair every series row with every other of the same indicator and year (9.6 GB at 10,000 documents)
    parents = documents.select("region", "parent_region").drop_nulls().unique()
    s = series.filter(~pl.col("derived")).select("region", "indicator", "year", "value", "unit", "growth_pct", "doc_id", "char_start")
    p = s.rename({"region": "parent_region", "value": "parent_value", "growth_pct": "parent_growth_pct",
                  "doc_id": "parent_doc_id", "char_start": "parent_char_start", "unit": "_punit"})
    # materialise the region → parent join first: left lazy, the optimiser moved the unit filter into
    # the join and joined every series row with every other of the same indicator, year and unit
    # first (9.6 GB at 10,000 documents)
    with_parent = s.join(parents, on="region", how="inner").collect().lazy()
    return (with_parent
            .join(p, on=["parent_region", "indicator", "year"], how="inner")
            .filter(pl.col("unit") == pl.col("_punit"))
            .with_columns((pl.col("value") / pl.col("parent_value") * 100).round(3).alias("share_pct"),
                          (pl.col("growth_pct") - pl.col("parent_growth_pct")).round(3).alias("growth_gap_pp"))
            .select(list(COMPARISON)).cast(COMPARISON).sort(["region", "indicator", "year"]))


def compound_growth(series: pl.LazyFrame) -> pl.LazyFrame:
    """Average yearly growth between the first and last stated level of each series
    (nominal for money stocks and budgets; a level-based rate, not the real growth, for GDP)."""
    s = series.filter(~pl.col("derived") & pl.col("value").is_not_null()).sort(["region", "indicator", "year"])
    ends = s.group_by(["region", "indicator"], maintain_order=True).agg(
        pl.col("year").first().alias("from_year"), pl.col("year").last().alias("to_year"),
        pl.col("value").first().alias("from_value"), pl.col("value").last().alias("to_value"),
        pl.col("unit").last(), pl.col("growth_basis").last(), pl.col("doc_id").last(), pl.col("char_start").last(),
    ).filter(pl.col("to_year") > pl.col("from_year"))
    return ends.with_columns(
        (((pl.col("to_value") / pl.col("from_value")) ** (1 / (pl.col("to_year") - pl.col("from_year"))) - 1) * 100).round(3).alias("cagr_pct"),
    ).select(list(TRENDS)).cast(TRENDS).sort(["region", "indicator", "from_year"])
