"""The analyse stage: indicators + documents → series.parquet and attainment.parquet (+ metrics)."""
from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from planwatch import schemas
from planwatch.analyse.attainment import Rules, build_attainment
from planwatch.analyse.compare import compound_growth, district_vs_city
from planwatch.analyse.series import build_series, implied_growth
from planwatch.analyse.tasks import load_overrides
from planwatch.catalogue import load_catalogue
from planwatch.io import write_metrics, write_table
from planwatch.params import check as check_params
from planwatch.validate.checks import withheld_rows


def unmatched_overrides(overrides: list, indicators: pl.DataFrame) -> list:
    """links.yml entries that name no target statement of their region and year."""
    targets = indicators.filter(pl.col("kind") == "target").select(
        "region", "period_year", pl.concat_str([pl.col("indicator_zh"), pl.col("sentence")], ignore_nulls=True).alias("_text"))
    return [o for o in overrides
            if targets.filter((pl.col("region") == o.region) & (pl.col("period_year") == o.year)
                              & pl.col("_text").str.contains(o.target, literal=True)).is_empty()]


def run(interim_dir: str, processed_dir: str, reference_dir: str, metrics_path: str,
        tolerance_pp: float, tolerance_level_pct: float, link_threshold: float = 0.55, plots_dir: str | None = None) -> dict:
    p = check_params("analyse", tolerance_pp=tolerance_pp, tolerance_level_pct=tolerance_level_pct,
                     link_threshold=link_threshold)
    tolerance_pp, tolerance_level_pct, link_threshold = p.tolerance_pp, p.tolerance_level_pct, p.link_threshold
    interim, processed = Path(interim_dir), Path(processed_dir)
    catalogue = load_catalogue(reference_dir)
    indicators = pl.read_parquet(processed / "indicators.parquet").cast(schemas.INDICATORS)
    withheld = withheld_rows(pl.read_parquet(interim / "issues.parquet")).select(
        "doc_id", "char_start", "indicator").unique()
    indicators = indicators.join(withheld, on=["doc_id", "char_start", "indicator"], how="anti")
    documents = pl.read_parquet(interim / "documents.parquet")
    series = build_series(indicators.lazy(), documents.lazy(), catalogue).collect()
    write_table(series, processed / "series.parquet", ["region", "indicator", "year"])
    write_table(implied_growth(series.lazy()).collect(), interim / "implied_growth.parquet",
                ["region", "indicator", "year"], csv_twin=False)
    links_path = Path(reference_dir) / "links.yml"
    overrides = load_overrides(links_path)
    unmatched = unmatched_overrides(overrides, indicators)
    for o in unmatched:
        print(f"warning: {links_path}: the {o.action} entry for {o.region} {o.year} target {o.target!r} matches no "
              "target statement; it has no effect (check the region, year and text)", file=sys.stderr)
    write_table(district_vs_city(series.lazy(), documents.lazy()).collect(), processed / "district_vs_city.parquet",
                ["region", "indicator", "year"])
    write_table(compound_growth(series.lazy()).collect(), processed / "trends.parquet", ["region", "indicator", "from_year"])
    attainment = build_attainment(indicators, series, documents, catalogue,
                                  Rules(tolerance_pp, tolerance_level_pct, link_threshold), overrides)
    write_table(attainment, processed / "attainment.parquet",
                ["region", "year", "scope", "indicator", "target_doc", "target_start"])
    # plot data for `dvc plots` (analyse/plots.py); beside the metrics folder unless given
    from planwatch.analyse import plots
    from planwatch.io import write_text
    plots_dir = Path(plots_dir) if plots_dir else Path(metrics_path).parent.parent / "plots"
    write_text(plots_dir / "gdp_growth.csv", plots.gdp_growth(series.lazy(), attainment.lazy()).collect().write_csv())
    write_text(plots_dir / "attainment.csv", plots.attainment_counts(attainment.lazy()).collect().write_csv())
    counts = attainment.group_by("status").len().sort("status")
    by_scope = attainment.group_by("scope", "status").len().sort("scope", "status")
    metrics = {
        "series_rows": series.height, "series_revised": int(series["revised"].sum()),
        "series_derived": int(series["derived"].sum()), "targets": attainment.height,
        "targets_by_status": {r["status"]: r["len"] for r in counts.to_dicts()},
        "targets_by_scope_and_status": {f"{r['scope']}.{r['status']}": r["len"] for r in by_scope.to_dicts()},
        "overrides_applied": attainment.filter(pl.col("override").is_not_null()).height,
        "overrides_unmatched": len(unmatched),
        "rows_withheld_by_validation": withheld.height,
    }
    write_metrics(metrics, metrics_path)
    return metrics
