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
from planwatch.incremental import RegionStore, by_region, code_version, files_version, package_version, region_keys
from planwatch.io import spreadsheet_safe, write_metrics, write_table, write_text
from planwatch.params import check as check_params
from planwatch.validate.checks import withheld_rows


IMPLIED_GROWTH = dict(implied_growth(pl.LazyFrame(schema=schemas.SERIES)).collect_schema())


def unmatched_overrides(overrides: list, indicators: pl.DataFrame) -> list:
    """links.yml entries that name no target statement of their region and year."""
    targets = indicators.filter(pl.col("kind") == "target").select(
        "region", "period_year", pl.concat_str([pl.col("indicator_zh"), pl.col("sentence")], ignore_nulls=True).alias("_text"))
    return [o for o in overrides
            if targets.filter((pl.col("region") == o.region) & (pl.col("period_year") == o.year)
                              & pl.col("_text").str.contains(o.target, literal=True)).is_empty()]


def target_form_counts(indicators: pl.LazyFrame) -> pl.LazyFrame:
    """Targets per region, year and target_form (design.md), with how many of them are hard."""
    return (indicators.filter(pl.col("kind") == "target")
            .group_by("region", pl.col("period_year").alias("year"), "target_form")
            .agg(pl.len().alias("targets"), pl.col("hard").fill_null(False).sum().cast(pl.Int64).alias("hard"))
            .with_columns(pl.col("targets").cast(pl.Int64))
            .sort("region", "year", "target_form", nulls_last=True))


def run(interim_dir: str, processed_dir: str, reference_dir: str, metrics_path: str,
        tolerance_pp: float, tolerance_level_pct: float, link_threshold: float = 0.55, plots_dir: str | None = None) -> dict:
    p = check_params("analyse", tolerance_pp=tolerance_pp, tolerance_level_pct=tolerance_level_pct,
                     link_threshold=link_threshold)
    tolerance_pp, tolerance_level_pct, link_threshold = p.tolerance_pp, p.tolerance_level_pct, p.link_threshold
    interim, processed = Path(interim_dir), Path(processed_dir)
    catalogue = load_catalogue(reference_dir)
    statements = pl.read_parquet(processed / "indicators.parquet").cast(schemas.INDICATORS)
    documents = pl.read_parquet(interim / "documents.parquet")
    withheld = withheld_rows(pl.read_parquet(interim / "issues.parquet")).select(
        "doc_id", "char_start", "indicator").unique()
    on = ["doc_id", "char_start", "indicator"]

    def published(rows: pl.DataFrame) -> pl.DataFrame:
        """The statements validation did not withhold (rows of the same documents as in ``rows``)."""
        return rows.join(withheld, on=on, how="anti", maintain_order="left")

    targets = published(statements.filter(pl.col("kind") == "target"))
    links_path = Path(reference_dir) / "links.yml"
    overrides = load_overrides(links_path)
    unmatched = unmatched_overrides(overrides, targets)
    for o in unmatched:
        print(f"warning: {links_path}: the {o.action} entry for {o.region} {o.year} target {o.target!r} matches no "
              "target statement; it has no effect (check the region, year and text)", file=sys.stderr)
    rules = Rules(tolerance_pp, tolerance_level_pct, link_threshold)
    # A region's series, implied growth and attainment depend on its own statements, documents and
    # withheld rows only: a region whose inputs did not change since the last run keeps its rows
    # (incremental.py), the others are recomputed — adding a document to a corpus of 10,000 redoes
    # one region, not the whole table.
    version = code_version(package_version(), files_version(Path(reference_dir).glob("*.yml")), repr(rules))
    keys = region_keys({"indicators": statements, "documents": documents,
                        "withheld": withheld.join(statements.select(*on, "region"), on=on, how="inner")})

    def of(regions: list[str], frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("region").is_in(pl.Series(regions, dtype=pl.String).implode()))

    series, _stats = by_region(RegionStore(interim / "analyse_cache", "series", version), keys,
                               lambda regions: build_series(published(of(regions, statements)).lazy(),
                                                            of(regions, documents).lazy(), catalogue).collect(),
                               schemas.SERIES, label="analyse series")
    write_table(series, processed / "series.parquet", ["region", "indicator", "year"])
    implied, _stats = by_region(RegionStore(interim / "analyse_cache", "implied_growth", version), keys,
                                lambda regions: implied_growth(of(regions, series).lazy()).collect(),
                                IMPLIED_GROWTH, label="")
    write_table(implied, interim / "implied_growth.parquet", ["region", "indicator", "year"], csv_twin=False)
    write_table(district_vs_city(series.lazy(), documents.lazy()).collect(), processed / "district_vs_city.parquet",
                ["region", "indicator", "year"])
    write_table(compound_growth(series.lazy()).collect(), processed / "trends.parquet", ["region", "indicator", "from_year"])

    def attainment_of(regions: list[str]) -> pl.DataFrame:
        return build_attainment(published(of(regions, statements)), of(regions, series), of(regions, documents),
                                catalogue, rules, overrides)

    attainment, _stats = by_region(RegionStore(interim / "analyse_cache", "attainment", version), keys,
                                   attainment_of, schemas.ATTAINMENT, label="analyse attainment")
    write_table(attainment, processed / "attainment.parquet",
                ["region", "year", "scope", "indicator", "target_doc", "target_start"])
    forms = target_form_counts(targets.lazy()).collect()
    write_text(processed / "target_forms.csv", spreadsheet_safe(forms).write_csv(line_terminator="\n"))
    by_form = forms.group_by("target_form").agg(pl.col("targets").sum(), pl.col("hard").sum()).sort("target_form", nulls_last=True)
    # plot data for `dvc plots` (analyse/plots.py); beside the metrics folder unless given
    from planwatch.analyse import plots
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
        "targets_by_form": {r["target_form"] or "unknown": r["targets"] for r in by_form.to_dicts()},
        "targets_hard": int(forms["hard"].sum()),
    }
    write_metrics(metrics, metrics_path)
    return metrics
