"""Render the HTML reports from the processed tables (never re-extracting).

Pages work offline from file://: the vega/vega-lite/vega-embed bundle is one file,
reports/assets/vega-bundle.js, shared by every page (no request leaves the folder), and every
chart is a small JSON spec handed to vegaEmbed. All document text goes through
Jinja's autoescaping; specs are embedded as JSON with ``</`` escaped.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

import jinja2
import polars as pl

from planwatch.catalogue import load_catalogue
from planwatch.io import confined, write_text
from planwatch.report import charts

STATUS_ICON = {"met": "✔", "missed": "✖", "pending": "…", "no_actual": "∅", "unclear": "?"}
STATUS_ZH = {"met": "达成", "missed": "未达成", "pending": "待公布", "no_actual": "未报告", "unclear": "无法判断"}
CHART_INDICATORS = ["gdp", "budget_revenue", "fixed_asset_investment", "retail_sales", "disposable_income_per_capita", "loans", "deposits"]


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("planwatch.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = lambda v: "" if v is None else (f"{v:,.2f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v))
    env.filters["spec"] = lambda chart: script_json(chart if isinstance(chart, dict) else chart.to_dict())
    return env


_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data) -> str:
    """JSON safe inside a <script> element: <, >, &, U+2028 and U+2029 as \\u escapes, so no
    document text (<!--<script, </script>) can end or comment out the element.

    >>> script_json({"s": "<!--<script>&\u2028"})
    '{"s": "\\\\u003c!--\\\\u003cscript\\\\u003e\\\\u0026\\\\u2028"}'
    """
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)


_UNSAFE = re.compile(r"[^\w-]")


def region_slug(region: str) -> str:
    """Page of a region, relative to reports/ (stable when regions are added). The name comes
    from documents and regions.yml: anything but letters, digits, _ and - becomes _, and a
    changed name gets a hash so two regions never share a page.

    >>> region_slug("淄博市"), region_slug("../../x")
    ('regions/淄博市.html', 'regions/x-9cdf6a50.html')
    """
    safe = _UNSAFE.sub("_", region).strip("_")[:60]
    if safe != region or not safe:
        safe = f"{safe or 'region'}-{hashlib.sha256(region.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    return f"regions/{safe}.html"


def read_quarantine(path: Path) -> list[dict]:
    """Quarantined documents and rows (file, reason): shown in a banner on every page."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _partition(df: pl.DataFrame | None, by: str = "region") -> dict:
    """{region: rows} in one pass (no filtering of the whole table once per region)."""
    if df is None or df.is_empty():
        return {}
    return {k[0]: v for k, v in df.partition_by(by, as_dict=True, maintain_order=True).items()}


def _code_version() -> str:
    """Hash of what turns a region's rows into its page: this module, the chart builders, the templates."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for f in sorted([here / "render.py", here / "charts.py", *sorted((here / "templates").glob("*.j2"))]):
        h.update(f.read_bytes())
    return h.hexdigest()


def _frame_bytes(df: pl.DataFrame | None) -> bytes:
    return b"" if df is None else df.write_csv().encode("utf-8")


_WORKER: dict = {}


def _render_region(job: tuple) -> tuple[str, str]:
    """One region page: (region, html). Pure: the job carries every row the page shows."""
    region, parts, ctx = job
    env = _WORKER.get("env") or _WORKER.setdefault("env", _env())
    names, basis, std_unit = ctx["names"], ctx["basis"], ctx["std_unit"]
    s, a, nom_all = parts["series"], parts["attainment"], parts["implied"]
    chart_list = []
    for code in CHART_INDICATORS:
        act = s.filter((pl.col("indicator") == code) & pl.col("growth_pct").is_not_null())
        tgt = a.filter((pl.col("indicator") == code) & (pl.col("target_unit") == "% growth"))
        if act.height + tgt.height == 0:
            continue
        pts = [act.select("year", "growth_pct", pl.lit(charts.SERIES[0]).alias("series"), "source", "sentence"),
               tgt.select("year", pl.col("target_value").alias("growth_pct"), pl.lit(charts.SERIES[1]).alias("series"),
                          pl.col("target_source").alias("source"), pl.col("target_sentence").alias("sentence"))]
        if nom_all is not None and basis.get(code) == "real":
            nom = nom_all.filter(pl.col("indicator") == code)
            pts.append(nom.select("year", pl.col("implied_growth_pct").alias("growth_pct"), pl.lit(charts.SERIES[2]).alias("series"),
                                  pl.format("levels {} → {}", pl.col("prev_value"), pl.col("value")).alias("source"),
                                  pl.format("implied price change {} pp", pl.col("gap_pp")).alias("sentence")))
        frame = pl.concat(pts).with_columns(pl.lit(names[code]).alias("indicator_zh")).sort("series", "year")
        chart_list.append(charts.growth_vs_target(frame, f"{names[code]} 增长与目标"))
        lv = s.filter((pl.col("indicator") == code) & pl.col("value").is_not_null())
        if lv.height:
            chart_list.append(charts.levels(lv.select("year", "value", "derived", "source", "sentence"),
                                            f"{names[code]} 水平", std_unit[code]))
    named = lambda rows: [dict(r, name=names.get(r["indicator"], r["indicator"] or "")) for r in rows]
    att_rows = [dict(r, icon=STATUS_ICON[r["status"]], status_zh=STATUS_ZH[r["status"]]) for r in named(a.to_dicts())]
    page = env.get_template("region.html.j2").render(
        comparison=named(parts["comparison"].to_dicts()) if parts["comparison"] is not None else [],
        trends=named(parts["trends"].to_dicts()) if parts["trends"] is not None else [],
        region=region, docs=parts["docs"].to_dicts(), charts=chart_list, asset=ASSET,
        series=named(s.to_dicts()), attainment=att_rows, issues=parts["issues"].to_dicts(), statuses=list(STATUS_ICON),
        status_zh=STATUS_ZH, icons=STATUS_ICON, quarantine=ctx["quarantine"])
    return region, page


ASSET = "assets/vega-bundle.js"    # one chart library for every page, relative to reports/


def write_asset(out: Path) -> Path:
    """The vega/vega-lite/vega-embed bundle, written once per vl-convert version (building it
    takes ~2 s, so an unchanged one is not rebuilt: a stamp beside it names the version)."""
    from importlib.metadata import version

    from planwatch.io import write_bytes
    path, stamp = out / ASSET, out / (ASSET + ".version")
    wanted = f"vl-convert-python {version('vl-convert-python')}\n"
    if path.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return path
    import vl_convert
    write_bytes(path, vl_convert.javascript_bundle().encode("utf-8"))
    write_text(stamp, wanted)
    return path


def render(processed_dir: str, interim_dir: str, reference_dir: str, out_dir: str, workers: int | None = None) -> list[Path]:
    """Every page. A region page is rendered only when its rows (or this code) changed since the
    last run — a content hash per page in reports/regions/.pages.json — and in parallel across
    cores; pages of regions that no longer exist are removed."""
    processed, interim, out = Path(processed_dir), Path(interim_dir), Path(out_dir)
    cat = load_catalogue(reference_dir)
    documents = pl.read_parquet(interim / "documents.parquet").sort("doc_id")
    indicators = pl.read_parquet(processed / "indicators.parquet")
    series = pl.read_parquet(processed / "series.parquet")
    attainment = pl.read_parquet(processed / "attainment.parquet")
    issues = pl.read_parquet(interim / "issues.parquet")
    comparison = pl.read_parquet(processed / "district_vs_city.parquet") if (processed / "district_vs_city.parquet").exists() else None
    trends = pl.read_parquet(processed / "trends.parquet") if (processed / "trends.parquet").exists() else None
    implied = pl.read_parquet(interim / "implied_growth.parquet") if (interim / "implied_growth.parquet").exists() else None
    quarantine = read_quarantine(interim / "quarantine.csv")
    names = {c: i.name_zh for c, i in cat.indicators.items()}
    regions = sorted(documents["region"].unique().to_list())
    env = _env()
    out.mkdir(parents=True, exist_ok=True)
    write_asset(out)

    # sources and sentences by join, once for the whole table
    titles = documents.select("doc_id", pl.col("title").fill_null(pl.col("doc_id")).alias("_title"))
    sent = indicators.select("doc_id", "char_start", "sentence").unique(["doc_id", "char_start"], keep="first")

    def with_source(df: pl.DataFrame, doc: str, start: str, end: str, name: str = "source") -> pl.DataFrame:
        return df.join(titles.rename({"doc_id": doc}), on=doc, how="left").with_columns(
            pl.when(pl.col(doc).is_not_null()).then(pl.format("{} [{}–{}]", pl.col("_title").fill_null(pl.col(doc)), pl.col(start), pl.col(end)))
            .otherwise(pl.lit("")).alias(name)).drop("_title")

    series_v = with_source(series, "doc_id", "char_start", "char_end").sort("region", "indicator", "year")
    att_v = with_source(with_source(attainment, "target_doc", "target_start", "target_end", "target_source"),
                        "actual_doc", "actual_start", "actual_end", "actual_source")
    att_v = att_v.join(sent.rename({"doc_id": "target_doc", "char_start": "target_start", "sentence": "target_sentence"}),
                       on=["target_doc", "target_start"], how="left") \
        .join(sent.rename({"doc_id": "actual_doc", "char_start": "actual_start", "sentence": "actual_sentence"}),
              on=["actual_doc", "actual_start"], how="left") \
        .with_columns(pl.col("target_sentence").fill_null(""), pl.col("actual_sentence").fill_null(""))
    doc_region = documents.select("doc_id", pl.col("region").alias("_doc_region"))
    issues_v = issues.join(doc_region, on="doc_id", how="left").with_columns(
        pl.coalesce("region", "_doc_region").alias("_page_region")).drop("_doc_region")

    frames = {"series": _partition(series_v), "attainment": _partition(att_v), "implied": _partition(implied),
              "comparison": _partition(comparison), "trends": _partition(trends), "docs": _partition(documents),
              "issues": _partition(issues_v.drop_nulls("_page_region"), "_page_region")}
    empty = {"series": series_v.clear(), "attainment": att_v.clear(), "implied": None if implied is None else implied.clear(),
             "comparison": None if comparison is None else comparison.clear(), "trends": None if trends is None else trends.clear(),
             "docs": documents.clear(), "issues": issues_v.clear()}
    ctx = {"names": names, "basis": {c: i.basis for c, i in cat.indicators.items()},
           "std_unit": {c: i.std_unit for c, i in cat.indicators.items()}, "quarantine": quarantine}
    version = _code_version() + json.dumps(quarantine, ensure_ascii=False, sort_keys=True)

    pages_dir = out / "regions"
    pages_dir.mkdir(parents=True, exist_ok=True)
    ledger_path = pages_dir / ".pages.json"
    try:
        ledger = json.loads(ledger_path.read_text(encoding="utf-8")) if ledger_path.exists() else {}
    except (OSError, ValueError):
        ledger = {}
    jobs, keys, written = [], {}, []
    for region in regions:
        parts = {k: frames[k].get(region, empty[k]) for k in frames}
        h = hashlib.sha256(version.encode("utf-8"))
        h.update(region.encode("utf-8", "surrogatepass"))
        for k in sorted(parts):
            h.update(_frame_bytes(parts[k]))
        slug = region_slug(region).split("/", 1)[1]
        keys[slug] = h.hexdigest()
        path = confined(pages_dir, slug, what="region page")
        written.append(path)
        if ledger.get(slug) != keys[slug] or not path.exists():
            jobs.append((region, parts, ctx))
    for region, page in _map(_render_region, jobs, workers):
        write_text(confined(pages_dir, region_slug(region).split("/", 1)[1], what="region page"), page)
    for stale in pages_dir.glob("*.html"):
        if stale.name not in keys:
            stale.unlink()
    write_text(ledger_path, json.dumps(keys, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    print(f"[report] {len(regions)} region pages: {len(jobs)} rendered, {len(regions) - len(jobs)} unchanged", file=sys.stderr)

    # the index: one overview row per region (filterable), documents, findings
    overview = region_overview(documents, series, attainment)
    docs_list = documents.to_dicts()
    write_text(out / "documents.html", env.get_template("documents.html.j2").render(documents=docs_list, quarantine=quarantine))
    small = len(regions) <= SMALL_INDEX
    headline = series_v.filter(pl.col("indicator").is_in(CHART_INDICATORS) & ~pl.col("derived")) if small else series_v.clear()
    status_counts = attainment.group_by("region", "year", "status").len().sort("region", "year", "status")
    summary: dict = {}
    if small:
        for r in status_counts.to_dicts():
            summary.setdefault((r["region"], r["year"]), {})[r["status"]] = r["len"]
    shown_issues = issues.filter(pl.col("severity") != "info").head(MAX_INDEX_FINDINGS).to_dicts()
    index = env.get_template("index.html.j2").render(
        documents=docs_list if small else [], n_documents=len(docs_list), small=small,
        regions=[(r, region_slug(r)) for r in regions] if small else [],
        overview=[dict(r, href=region_slug(r["region"])) for r in overview.to_dicts()],
        levels=sorted(overview["region_level"].drop_nulls().unique().to_list()),
        years=sorted(overview["latest_year"].drop_nulls().unique().to_list(), reverse=True),
        summary=sorted(summary.items()), statuses=list(STATUS_ICON), status_zh=STATUS_ZH, icons=STATUS_ICON,
        dashboard=[dict(r, name=names[r["indicator"]]) for r in headline.to_dicts()],
        n_issues={s: issues.filter(pl.col("severity") == s).height for s in ("error", "warning", "info")},
        issues=shown_issues, quarantine=quarantine)
    write_text(out / "index.html", index)
    return [out / "index.html", *written]


SMALL_INDEX = 40           # up to this many regions the index also lists every document and headline figure
MAX_INDEX_FINDINGS = 200   # the rest are on the validation page


def region_overview(documents: pl.DataFrame, series: pl.DataFrame, attainment: pl.DataFrame) -> pl.DataFrame:
    """One row per region: level, parent, documents, latest year, GDP growth target and actual of the
    latest year with both, and headline attainment counts — pure polars, grouped once."""
    docs = documents.group_by("region").agg(
        pl.col("region_level").first(), pl.col("parent_region").drop_nulls().first(),
        pl.len().alias("n_documents"), pl.col("doc_year").min().alias("first_year"), pl.col("doc_year").max().alias("latest_year"))
    gdp_act = series.filter((pl.col("indicator") == "gdp") & pl.col("growth_pct").is_not_null() & ~pl.col("derived")) \
        .select("region", "year", pl.col("growth_pct").alias("gdp_growth"))
    gdp_tgt = attainment.filter((pl.col("indicator") == "gdp") & (pl.col("scope") == "headline") & (pl.col("target_unit") == "% growth")) \
        .group_by("region", "year").agg(pl.col("target_value").first().alias("gdp_target"), pl.col("qualifier").first().alias("gdp_qualifier"),
                                        pl.col("status").first().alias("gdp_status"))
    gdp = gdp_tgt.join(gdp_act, on=["region", "year"], how="inner").sort("region", "year") \
        .group_by("region").agg(pl.all().last()).rename({"year": "gdp_year"})
    head = attainment.filter(pl.col("scope") == "headline").group_by("region").agg(
        (pl.col("status") == "met").sum().alias("met"), (pl.col("status") == "missed").sum().alias("missed"),
        pl.col("status").is_in(["pending", "no_actual", "unclear"]).sum().alias("open"))
    return docs.join(gdp, on="region", how="left").join(head, on="region", how="left").with_columns(
        pl.col("met").fill_null(0), pl.col("missed").fill_null(0), pl.col("open").fill_null(0),
        (pl.col("met") / (pl.col("met") + pl.col("missed"))).round(3).alias("met_rate")).sort("region")


def _map(fn, jobs: list, workers: int | None):
    """fn over jobs, in worker processes when there are enough of them to pay for it."""
    import os
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < 200:      # spawning workers costs ~3 s; a page ~0.1 s
        return [fn(j) for j in jobs]
    import multiprocessing as mp
    with mp.get_context("spawn").Pool(workers) as pool:      # not fork: polars' thread pool may hold a lock
        return pool.map(fn, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
