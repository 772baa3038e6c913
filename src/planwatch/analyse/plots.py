"""Plot data for `dvc plots show` / `dvc plots diff`: small, tidy, deterministic tables.

Two plots that stay readable from five regions to 3,000 (the `plots:` section of dvc.yaml
draws them with the templates in `.dvc/plots/`):

- ``gdp_growth``: real GDP growth per region and year, the actual beside the headline
  target (one line per region and kind). GDP growth is the one indicator every region
  reports and targets, so a line per region is worth drawing; other indicators per region
  would be thousands of unreadable charts and live in the region pages instead.
- ``attainment``: headline targets met and missed per region and year; the plot pools the
  regions into the met rate of each year (met / (met + missed)), the figure that moves when
  documents are added — a chart per region would be 3,000 charts.

Pure functions: frames in, frames out, no I/O.
"""
from __future__ import annotations

import polars as pl

GDP_GROWTH = {"region": pl.String, "year": pl.Int64, "kind": pl.String, "growth_pct": pl.Float64}
ATTAINMENT = {"region": pl.String, "year": pl.Int64, "met": pl.Int64, "missed": pl.Int64, "rate": pl.Float64}


def gdp_growth(series: pl.LazyFrame, attainment: pl.LazyFrame) -> pl.LazyFrame:
    """region, year, kind (`actual` | `target`), growth_pct — real GDP growth and the headline growth target.

    A region-year with several GDP growth targets (a plan and a work report) keeps the first
    by document and span; a target given as a range plots its lower end (target_value).
    """
    actual = (series.filter((pl.col("indicator") == "gdp") & pl.col("growth_pct").is_not_null())
              .select("region", "year", pl.lit("actual").alias("kind"), "growth_pct"))
    target = (attainment.filter((pl.col("scope") == "headline") & (pl.col("indicator") == "gdp")
                                & pl.col("target_unit").str.starts_with("%") & pl.col("target_value").is_not_null())
              .sort("region", "year", "target_doc", "target_start")
              .unique(["region", "year"], keep="first", maintain_order=True)
              .select("region", "year", pl.lit("target").alias("kind"), pl.col("target_value").alias("growth_pct")))
    return (pl.concat([actual, target]).cast(GDP_GROWTH)
            .sort("region", "year", "kind"))


def attainment_counts(attainment: pl.LazyFrame) -> pl.LazyFrame:
    """region, year, met, missed, rate — headline targets with a verdict (met or missed) per region and year.

    pending / no_actual / unclear targets carry no verdict and are left out; a region-year
    without any verdict has no row. rate = met / (met + missed), rounded to 4 places.
    """
    decided = attainment.filter((pl.col("scope") == "headline") & pl.col("status").is_in(["met", "missed"]))
    return (decided.group_by("region", "year")
            .agg((pl.col("status") == "met").sum().cast(pl.Int64).alias("met"),
                 (pl.col("status") == "missed").sum().cast(pl.Int64).alias("missed"))
            .with_columns((pl.col("met") / (pl.col("met") + pl.col("missed"))).round(4).alias("rate"))
            .cast(ATTAINMENT)
            .sort("region", "year"))
