"""The validate stage: run every suite, write issues.parquet, metrics and a validation page.

Great Expectations reads pandas only: each table is converted once, here. Errors
(critical expectations) fail the stage with one line per failure naming document, row,
rule and values; warnings are recorded for the report.
"""
from __future__ import annotations

import html
import os
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import polars as pl

from planwatch import schemas
from planwatch.analyse.series import build_series
from planwatch.catalogue import load_catalogue
from planwatch.errors import PlanwatchError
from planwatch.incremental import RegionStore, by_region, code_version, files_version, package_version, region_keys
from planwatch.io import shown, write_metrics, write_table, write_text
from planwatch.params import check as check_params
from planwatch.validate import checks
from planwatch.validate.checks import withheld_rows
from planwatch.validate.suites import Suite, build_suites

# The columns that identify a row of each checked table in a message.
_ID_COLS = {
    "documents": ["doc_id"],
    "indicators": ["doc_id", "char_start", "indicator", "kind", "period_year", "value", "unit", "growth_pct"],
    "catalogued": ["doc_id", "char_start", "indicator", "kind", "period_year", "value", "unit", "growth_pct"],
    "completeness": ["doc_id", "region", "doc_year"],
    "within_document": ["doc_id", "indicator", "kind", "period_year", "value_std", "growth_pct", "char_start",
                        "value_std_b", "growth_pct_b", "char_start_b"],
    "reconciliation": ["region", "indicator", "year", "prev_value", "value", "growth_pct", "implied_growth_pct", "gap_pp"],
    "series": ["region", "indicator", "year"],
    "conflicting_documents": ["region", "doc_type", "doc_year", "indicator", "kind", "period_year", "doc_id", "value_std",
                              "growth_pct", "other_doc_id", "other_value_std", "other_growth_pct"],
    "stated_relations": ["doc_id", "region", "indicator", "year", "growth_pct", "parent_growth_pct", "stated_gap_pp", "implied_gap_pp"],
}


def check_tables(documents: pl.DataFrame, indicators: pl.DataFrame, reference_dir: str, tolerance_pp: float) -> dict[str, pl.DataFrame]:
    cat = load_catalogue(reference_dir)
    # Checks compute on a copy with absent contract columns as nulls; the absent columns are
    # dropped again so the contract suite reports them instead of the checks crashing.
    missing = [c for c in schemas.INDICATORS if c not in indicators.columns]
    indicators = indicators.with_columns([pl.lit(None, schemas.INDICATORS[c]).alias(c) for c in missing]).select(
        [c for c in schemas.INDICATORS] + [c for c in indicators.columns if c not in schemas.INDICATORS])
    typed = indicators.cast({c: t for c, t in schemas.INDICATORS.items()}, strict=False)
    series = build_series(typed.lazy(), documents.lazy(), cat).collect()
    return {
        "documents": documents,
        "indicators": checks.indicator_checks(indicators, documents, cat).drop(missing),
        "catalogued": typed.filter(~pl.col("indicator").str.starts_with("other:")),
        "completeness": checks.completeness(typed, documents),
        "within_document": checks.within_document(typed),
        "conflicting_documents": checks.conflicting_documents(typed, documents),
        "reconciliation": checks.reconciliation(series, cat, tolerance_pp),
        "series": series,
        "stated_relations": checks.stated_relations(typed, documents, series),
    }


def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


_SUITES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()    # context → {suite name: its GX suite}


def run_suites(tables: dict[str, pl.DataFrame], suites: list[Suite], context=None,
               source_name: str = "planwatch") -> tuple[list[dict], dict]:
    """Validate each table with its suites (in ``context``, a new ephemeral one by default);
    return (issue rows, per-suite counts)."""
    import great_expectations as gx
    if context is None:
        _gx, context = _context()
    source = context.data_sources.add_pandas(source_name)
    pandas_frames = {name: df.to_pandas() for name, df in tables.items()}   # the one polars → pandas boundary
    issues, counts = [], {}
    for suite in suites:
        asset = source.add_dataframe_asset(name=suite.name)
        batch = asset.add_batch_definition_whole_dataframe(f"{suite.name}.all")
        # each suite is added to the context once and shared by the blocks of a run: GX's add_or_update
        # compares every expectation with the stored ones, which a corpus paid for once per block
        known = _SUITES.setdefault(context, {})
        gx_suite = known.get(suite.name)
        if gx_suite is None:
            gx_suite = known[suite.name] = context.suites.add(
                gx.ExpectationSuite(name=suite.name, expectations=list(suite.expectations)))
        # added, not add_or_update: that adds the suite again too, comparing every expectation with the
        # stored ones (a third of a small block's GX time); a block's definition is new by its data source
        vd = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{source_name}/{suite.name}", data=batch, suite=gx_suite))
        result = vd.run(batch_parameters={"dataframe": pandas_frames[suite.table]}, result_format="COMPLETE")
        c = {"evaluated": 0, "passed": 0, "warnings": 0, "errors": 0}
        for r in result.results:
            c["evaluated"] += 1
            if r.success:
                c["passed"] += 1
                continue
            severity = "error" if str(r.expectation_config.severity.value) == "critical" else "warning"
            c["errors" if severity == "error" else "warnings"] += 1
            issues.extend(_issue_rows(suite, r, severity, tables[suite.table]))
        counts[suite.name] = c
    return issues, counts


def _issue_rows(suite: Suite, r, severity: str, df: pl.DataFrame) -> list[dict]:
    cfg = r.expectation_config
    kwargs = cfg.kwargs
    rule = f"{cfg.type}({kwargs.get('column') or ','.join(kwargs.get('column_list', []) or [])})"
    why = (cfg.meta or {}).get("why", "")
    res = r.result or {}
    idx = res.get("unexpected_index_list") or []
    if r.exception_info and r.exception_info.get("raised_exception"):
        msg = r.exception_info.get("exception_message", "").splitlines()[0] if r.exception_info.get("exception_message") else "failed"
        return [_row(severity, suite, rule, f"{suite.table}: {rule} could not run: {msg}")]
    if not idx:
        detail = res.get("observed_value")
        return [_row(severity, suite, rule, f"{suite.table}: {rule} failed{': ' + why if why else ''} (observed {detail})")]
    rows = []
    for i in idx:
        i = i if isinstance(i, int) else int(i.get("index", 0)) if isinstance(i, dict) else int(i)
        rec = df.row(i, named=True) if i < df.height else {}
        ident = ", ".join(f"{k}={rec.get(k)}" for k in _ID_COLS.get(suite.table, []) if k in rec)
        rows.append(_row(severity, suite, rule, f"{suite.table} ({ident}): {why or rule}", rec))
    return rows


def _row(severity, suite, rule, message, rec: dict | None = None) -> dict:
    rec = rec or {}
    return {
        "severity": severity, "suite": suite.name, "rule": rule, "table": suite.table,
        "region": rec.get("region"), "indicator": rec.get("indicator"),
        "year": rec.get("period_year", rec.get("year")), "message": message,
        "doc_id": rec.get("doc_id"), "char_start": rec.get("char_start", rec.get("prev_start")),
        "char_end": rec.get("char_end", rec.get("prev_end")),
        "other_doc_id": rec.get("other_doc_id", rec.get("doc_id") if "char_start_b" in rec else rec.get("prev_doc_id")),
        "other_start": rec.get("other_start", rec.get("char_start_b", rec.get("prev_start"))),
        "other_end": rec.get("other_end", rec.get("char_end_b", rec.get("prev_end"))),
    }


_BLOCK = 0


class _NotRegional(Exception):
    """A finding that belongs to no region (a whole table failed): validate everything at once."""


def _price_change_issues(series: pl.DataFrame) -> list[dict]:
    # Real-basis indicators: the gap between nominal level growth and stated real growth is
    # the implied price change — information, not an error.
    return [{"severity": "info", "suite": "cross.price_change", "rule": "implied price change", "table": "series",
             "region": pc["region"], "indicator": pc["indicator"], "year": pc["year"],
             "message": f"{pc['region']} {pc['indicator']} {pc['year']}: levels {pc['prev_value']} → {pc['value']} "
                        f"imply {pc['implied_growth_pct']}% nominal against {pc['growth_pct']}% stated real growth "
                        f"(implied price change {pc['gap_pp']} pp)"}
            for pc in checks.price_changes(series).to_dicts()]


def regional_issues(documents: pl.DataFrame, indicators: pl.DataFrame, reference_dir: str, tolerance_pp: float,
                    regions: list[str] | None = None, context=None) -> pl.DataFrame:
    """The findings of every suite except the documents table's, for these regions (all when None).

    A region's findings depend on its own rows and its parent region's (a stated gap to the
    parent's growth), so the parents' rows are checked along and their findings dropped."""
    if regions is not None:
        sel = pl.Series(regions, dtype=pl.String).implode()
        parents = documents.filter(pl.col("region").is_in(sel))["parent_region"].drop_nulls().unique()
        scope = pl.concat([pl.Series(regions, dtype=pl.String), parents]).unique().implode()
        documents_in = documents.filter(pl.col("region").is_in(scope))
        tables = check_tables(documents_in, indicators.filter(pl.col("region").is_in(scope)), reference_dir, tolerance_pp)
        docs_of = documents.filter(pl.col("region").is_in(sel))["doc_id"].implode()
        tables = {name: df.filter(pl.col("region").is_in(sel)) if "region" in df.columns
                  else df.filter(pl.col("doc_id").is_in(docs_of)) if "doc_id" in df.columns else df
                  for name, df in tables.items()}
    else:
        tables = check_tables(documents, indicators, reference_dir, tolerance_pp)
    # fresh expectation objects: GX refuses one that already belongs to a suite of another run
    global _BLOCK
    _BLOCK += 1    # each block is its own GX data source, so Data Docs keep every block's results
    issues, _counts = run_suites(tables, [s for s in build_suites() if s.table != "documents"], context,
                                 f"planwatch.regions.{_BLOCK}")
    issues += _price_change_issues(tables["series"])
    df = schemas.frame(issues, schemas.ISSUES)
    # a finding about one document's statement belongs to that document's region
    region_of = documents.select("doc_id", pl.col("region").alias("_doc_region"))
    df = df.join(region_of, on="doc_id", how="left").with_columns(
        pl.coalesce("region", "_doc_region").alias("region")).drop("_doc_region")
    if regions is not None and df.filter(pl.col("region").is_null()).height:
        raise _NotRegional()
    return df.select(list(schemas.ISSUES))


BLOCK_ROWS = 250_000    # statements per Great Expectations batch: bounds the pandas copy (~1 KB a row)


def region_blocks(indicators: pl.DataFrame, regions: list[str], max_rows: int = BLOCK_ROWS) -> list[list[str]]:
    """The regions in blocks of at most ``max_rows`` statements (a region is never split), so a cold
    build of a national corpus hands GX a bounded table at a time.

    >>> ind = pl.DataFrame({"region": ["甲"] * 3 + ["乙"] * 2 + ["丙"]})
    >>> region_blocks(ind, ["甲", "乙", "丙", "丁"], max_rows=4)
    [['丁', '丙', '乙'], ['甲']]
    """
    sizes = (pl.DataFrame({"region": regions}, schema={"region": pl.String})
             .join(indicators.group_by("region").len(), on="region", how="left")
             .with_columns(pl.col("len").fill_null(0)).sort("region"))
    blocks, current, rows = [], [], 0
    for region, n in sizes.iter_rows():
        if current and rows + n > max_rows:
            blocks.append(current)
            current, rows = [], 0
        current.append(region)
        rows += n
    return blocks + [current] if current else blocks


def suite_counts(issues: pl.DataFrame, suites: list[Suite]) -> dict:
    """Expectations evaluated, passed, failed as warnings and as errors, per suite — from the findings,
    so that a run that checked only the changed regions counts exactly as a full run does."""
    failed = issues.filter(pl.col("severity").is_in(["warning", "error"])).select("suite", "rule", "severity").unique()
    out = {}
    for suite in suites:
        f = failed.filter(pl.col("suite") == suite.name)
        errors = f.filter(pl.col("severity") == "error")["rule"].unique().len()
        warnings = f.filter(pl.col("severity") == "warning").join(
            f.filter(pl.col("severity") == "error").select("rule"), on="rule", how="anti")["rule"].unique().len()
        n = len(suite.expectations)
        out[suite.name] = {"evaluated": n, "passed": n - errors - warnings, "warnings": warnings, "errors": errors}
    return out


def region_keys_with_parents(documents: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Each region's key: its own rows and its parent region's (incremental.region_keys)."""
    own = region_keys({"indicators": indicators, "documents": documents})
    parent_keys = (documents.select("region", "parent_region").drop_nulls().unique()
                   .join(own.rename({"region": "parent_region", "key": "parent_key"}), on="parent_region", how="inner")
                   .group_by("region").agg(pl.col("parent_key").sort().str.join("|")))
    return own.join(parent_keys, on="region", how="left").select(
        "region", pl.concat_str(["key", pl.col("parent_key").fill_null("")], separator="^").alias("key")).sort("region")


def run(interim_dir: str, processed_dir: str, reference_dir: str, reports_dir: str, metrics_path: str,
        reconcile_tolerance_pp: float) -> dict:
    t0 = time.perf_counter()
    reconcile_tolerance_pp = check_params("validate", reconcile_tolerance_pp=reconcile_tolerance_pp).reconcile_tolerance_pp
    interim, processed = Path(interim_dir), Path(processed_dir)
    documents = pl.read_parquet(interim / "documents.parquet")
    indicators = pl.read_parquet(processed / "indicators.parquet")
    suites = build_suites()
    # The documents table is checked whole (unique ids and hashes); everything else region by
    # region, and only for the regions whose rows (or whose parent's rows) changed since the
    # last run: the others keep their findings (incremental.py).
    _gx, gx_context = _context()     # one context for the run: GX's Data Docs show all of it
    doc_issues, _ = run_suites({"documents": documents}, [s for s in build_suites() if s.table == "documents"], gx_context)
    store = RegionStore(interim / "validate_cache", "issues",
                        code_version(package_version(), files_version(Path(reference_dir).glob("*.yml")),
                                     repr(reconcile_tolerance_pp), "\n".join(c for c in indicators.columns)))
    recomputed = None
    try:
        regional, stats = by_region(
            store, region_keys_with_parents(documents, indicators),
            lambda regions: pl.concat([regional_issues(documents, indicators, reference_dir, reconcile_tolerance_pp, block,
                                                       gx_context) for block in region_blocks(indicators, regions)],
                                      how="vertical"),
            schemas.ISSUES, label="validate")
        recomputed = stats["recomputed"]
    except _NotRegional:
        store.clear()
        _gx, gx_context = _context()
        doc_issues, _ = run_suites({"documents": documents}, [s for s in build_suites() if s.table == "documents"], gx_context)
        regional = regional_issues(documents, indicators, reference_dir, reconcile_tolerance_pp, None, gx_context)
    issues_df = pl.concat([schemas.frame(doc_issues, schemas.ISSUES), regional], how="vertical")
    write_table(issues_df, interim / "issues.parquet", list(schemas.ISSUES), csv_twin=False)
    counts = suite_counts(issues_df, suites)
    totals = {k: sum(c[k] for c in counts.values()) for k in ("evaluated", "passed", "warnings", "errors")}
    metrics = {"suites": counts, **totals, "rows_withheld": withheld_rows(issues_df).height,
               "issue_rows": {s: issues_df.filter(pl.col("severity") == s).height for s in ("error", "warning", "info")}}
    write_metrics(metrics, metrics_path)
    page_issues = issues_df.sort(list(schemas.ISSUES), nulls_last=True)
    from planwatch.report import findings      # the same sentences as the index's findings
    names = {c: i.name_zh for c, i in load_catalogue(reference_dir).indicators.items()}
    write_validation_page(page_issues, counts, Path(reports_dir) / "validation" / "index.html",
                          lambda shown: findings.describe(shown, indicators, documents, names))
    from planwatch.validate import datadocs   # GX's own Data Docs of this run, made offline (datadocs.py)
    t_docs = time.perf_counter()
    docs = datadocs.build(Path(reports_dir) / "validation" / "gx", context=gx_context)
    print(f"[validate] GX Data Docs: {docs['pages']} pages in {time.perf_counter() - t_docs:.1f}s", file=sys.stderr)
    print(f"[validate] {totals['evaluated']} expectations, {totals['passed']} passed, {totals['warnings']} warnings, "
          f"{totals['errors']} errors in {time.perf_counter() - t0:.1f}s"
          f"{'' if recomputed is None else f' ({recomputed:,} regions checked, the others unchanged)'}", file=sys.stderr)
    errors = issues_df.filter(pl.col("severity") == "error")
    # An error about one statement (implausible level, unit of the wrong family …) withholds that
    # row: the analyse stage leaves it out of series and attainment and the reports list it. An
    # error about a whole table (a missing column, a duplicated document) stops the pipeline.
    row_level = withheld_rows(errors)
    fatal = errors.join(row_level.select("message"), on="message", how="anti")
    if row_level.height:
        print(f"[validate] {row_level.height} statement(s) withheld from series and attainment by validation errors "
              f"(listed in {interim / 'issues.parquet'} and on the validation page)", file=sys.stderr)
    if fatal.height:
        lines = "\n".join(f"  ERROR {m}" for m in fatal["message"].to_list())
        raise PlanwatchError(f"validation failed with {fatal.height} error(s); reports were not built:\n{lines}")
    return metrics


MAX_PAGE_FINDINGS = 1000   # findings listed on the validation page (errors first); all are in issues.parquet


def write_validation_page(issues: pl.DataFrame, counts: dict, path: Path,
                          describe: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> None:
    """A self-contained page of the validation results: the suites, then the findings written as
    sentences (``describe``, report/findings.py: which document says what, which other one
    disagrees) with the technical message beside each — at most MAX_PAGE_FINDINGS, errors first.
    Only the findings shown are described: a corpus has a hundred times more."""
    e = lambda text: html.escape(shown(text))     # escaped, bidi controls shown as code points (io.shown)
    suite_rows = "".join(f"<tr><td>{e(n)}</td><td>{c['evaluated']}</td><td>{c['passed']}</td><td>{c['warnings']}</td><td>{c['errors']}</td></tr>"
                         for n, c in sorted(counts.items()))
    rows = issues.with_columns(pl.col("severity").replace_strict({"error": 0, "warning": 1}, default=2, return_dtype=pl.Int8)
                               .alias("_rank")).sort("_rank", maintain_order=True).drop("_rank")
    listed = rows.head(MAX_PAGE_FINDINGS)
    listed = listed.with_columns(pl.Series("text", describe(listed)["text"] if describe is not None else listed["message"],
                                         dtype=pl.String)).with_columns(pl.col("text").fill_null(pl.col("message")))
    issue_rows = "".join(f"<tr class='{e(r['severity'])}'><td>{e(r['severity'])}</td><td>{e(r['suite'])}</td><td>{e(r['text'])}"
                         + (f"<details><summary>detail</summary><code>{e(r['message'])}</code></details>" if r["text"] != r["message"] else "")
                         + "</td></tr>" for r in listed.to_dicts())
    more = (f"<p>{rows.height - listed.height:,} more findings are not listed here: all {rows.height:,} are in "
            "<code>data/interim/issues.parquet</code>.</p>" if rows.height > listed.height else "")
    write_text(path, f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>planwatch · 数据校验 validation</title>
<style>body{{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;max-width:70rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}}
details{{margin-top:.3rem;color:#555;font-size:.85em}}
tr.error td:first-child{{font-weight:bold}}tr.error td:first-child::before{{content:"✖ "}}tr.warning td:first-child::before{{content:"⚠ "}}tr.info td:first-child::before{{content:"ℹ "}}</style></head>
<body><p><a href="../index.html">← planwatch</a></p><h1>数据校验 Validation</h1>
<p>Great Expectations suites (defined in <code>src/planwatch/validate/suites.py</code>) over the stage tables and computed cross-checks.
GX's own <a href="gx/index.html">Data Docs</a> of this run (every expectation and its observed values) work offline too.</p>
<h2>Suites</h2><table><tr><th>suite</th><th>evaluated</th><th>passed</th><th>warnings</th><th>errors</th></tr>{suite_rows}</table>
<h2>Findings</h2><table><tr><th>severity</th><th>suite</th><th>finding</th></tr>{issue_rows}</table>{more}</body></html>
""")
