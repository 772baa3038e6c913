"""Render the HTML reports from the processed tables (never re-extracting).

Pages are self-contained: the vega/vega-lite/vega-embed bundle is inlined once per page
and every chart is a JSON spec handed to vegaEmbed. All document text goes through
Jinja's autoescaping; specs are embedded as JSON with ``</`` escaped.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
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
    env.filters["spec"] = lambda chart: script_json(chart.to_dict())
    return env


_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data) -> str:
    """JSON safe inside a <script> element: <, >, &, U+2028 and U+2029 as \\u escapes, so no
    document text (<!--<script, </script>) can end or comment out the element.

    >>> script_json({"s": "<!--<script>&\u2028"})
    '{"s": "\\\\u003c!--\\\\u003cscript\\\\u003e\\\\u0026\\\\u2028"}'
    """
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)


def _vega_bundle() -> str:
    import vl_convert
    return vl_convert.javascript_bundle().replace("</script", "<\\/script")


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


def render(processed_dir: str, interim_dir: str, reference_dir: str, out_dir: str) -> list[Path]:
    processed, interim, out = Path(processed_dir), Path(interim_dir), Path(out_dir)
    cat = load_catalogue(reference_dir)
    documents = pl.read_parquet(interim / "documents.parquet").sort("doc_id")
    indicators = pl.read_parquet(processed / "indicators.parquet")
    series = pl.read_parquet(processed / "series.parquet")
    attainment = pl.read_parquet(processed / "attainment.parquet")
    issues = pl.read_parquet(interim / "issues.parquet")
    comparison = pl.read_parquet(processed / "district_vs_city.parquet") if (processed / "district_vs_city.parquet").exists() else None
    trends = pl.read_parquet(processed / "trends.parquet") if (processed / "trends.parquet").exists() else None
    names = {c: i.name_zh for c, i in cat.indicators.items()}
    docs = {d["doc_id"]: d for d in documents.to_dicts()}
    regions = sorted(documents["region"].unique().to_list())
    env = _env()
    bundle = _vega_bundle()
    out.mkdir(parents=True, exist_ok=True)
    written = []

    titles = documents.select("doc_id", pl.col("title").fill_null(pl.col("doc_id")).alias("_title"))

    def with_source(df: pl.DataFrame, doc: str, start: str, end: str) -> pl.DataFrame:
        """Add `source` (title [start–end]) for the document span in the given columns."""
        return df.join(titles, left_on=doc, right_on="doc_id", how="left", coalesce=False).with_columns(
            pl.format("{} [{}–{}]", pl.col("_title"), pl.col(start), pl.col(end)).alias("source")).drop("_title", "doc_id_right", strict=False)

    def source(doc_id, start, end):
        return f"{(docs.get(doc_id) or {}).get('title') or doc_id} [{start}–{end}]"

    quarantine = read_quarantine(interim / "quarantine.csv")
    implied = pl.read_parquet(interim / "implied_growth.parquet") if (interim / "implied_growth.parquet").exists() else None
    sentences = {(r["doc_id"], r["char_start"]): r["sentence"] for r in indicators.select("doc_id", "char_start", "sentence").to_dicts()}
    status_counts = attainment.group_by("region", "year", "status").len().sort("region", "year", "status")
    summary: dict = {}
    for r in status_counts.to_dicts():
        summary.setdefault((r["region"], r["year"]), {})[r["status"]] = r["len"]
    headline = series.filter(pl.col("indicator").is_in(CHART_INDICATORS) & ~pl.col("derived")).sort("region", "indicator", "year")
    target_sentence = attainment.join(indicators.select(pl.col("doc_id").alias("target_doc"), pl.col("char_start").alias("target_start"), "sentence"),
                                      on=["target_doc", "target_start"], how="left")

    for region in regions:
        s = series.filter(pl.col("region") == region)
        a = attainment.filter(pl.col("region") == region)
        chart_list = []
        for code in CHART_INDICATORS:
            act = with_source(s.filter((pl.col("indicator") == code) & pl.col("growth_pct").is_not_null()), "doc_id", "char_start", "char_end")
            tgt = with_source(target_sentence.filter((pl.col("region") == region) & (pl.col("indicator") == code) & (pl.col("target_unit") == "% growth")),
                              "target_doc", "target_start", "target_end")
            if act.height + tgt.height == 0:
                continue
            parts = [
                act.select("year", "growth_pct", pl.lit(charts.SERIES[0]).alias("series"), "source", "sentence"),
                tgt.select("year", pl.col("target_value").alias("growth_pct"), pl.lit(charts.SERIES[1]).alias("series"), "source", "sentence"),
            ]
            if implied is not None and cat.indicators[code].basis == "real":
                nom = implied.filter((pl.col("region") == region) & (pl.col("indicator") == code))
                parts.append(nom.select("year", pl.col("implied_growth_pct").alias("growth_pct"), pl.lit(charts.SERIES[2]).alias("series"),
                                        pl.format("levels {} → {}", pl.col("prev_value"), pl.col("value")).alias("source"),
                                        pl.format("implied price change {} pp", pl.col("gap_pp")).alias("sentence")))
            pts = pl.concat(parts).with_columns(pl.lit(names[code]).alias("indicator_zh")).sort("series", "year")
            chart_list.append(charts.growth_vs_target(pts, f"{names[code]} 增长与目标"))
            lv = s.filter((pl.col("indicator") == code) & pl.col("value").is_not_null())
            if lv.height:
                pts = with_source(lv, "doc_id", "char_start", "char_end").select("year", "value", "derived", "source", "sentence")
                chart_list.append(charts.levels(pts, f"{names[code]} 水平", cat.indicators[code].std_unit))
        series_rows = [dict(r, name=names.get(r["indicator"], r["indicator"]), source=source(r["doc_id"], r["char_start"], r["char_end"]))
                       for r in s.to_dicts()]
        att_rows = [dict(r, name=names.get(r["indicator"], r["indicator"] or ""), icon=STATUS_ICON[r["status"]], status_zh=STATUS_ZH[r["status"]],
                         target_sentence=sentences.get((r["target_doc"], r["target_start"]), ""),
                         target_source=source(r["target_doc"], r["target_start"], r["target_end"]),
                         actual_sentence=sentences.get((r["actual_doc"], r["actual_start"]), ""),
                         actual_source=source(r["actual_doc"], r["actual_start"], r["actual_end"]) if r["actual_doc"] else "")
                    for r in a.to_dicts()]
        reg_issues = issues.filter((pl.col("region") == region) | pl.col("doc_id").is_in([d for d, v in docs.items() if v["region"] == region])).to_dicts()
        cmp_rows = [dict(r, name=names.get(r["indicator"], r["indicator"])) for r in comparison.filter(pl.col("region") == region).to_dicts()] \
            if comparison is not None else []
        trend_rows = [dict(r, name=names.get(r["indicator"], r["indicator"])) for r in trends.filter(pl.col("region") == region).to_dicts()] \
            if trends is not None else []
        page = env.get_template("region.html.j2").render(comparison=cmp_rows, trends=trend_rows,
            region=region, docs=[d for d in docs.values() if d["region"] == region], charts=chart_list, bundle=bundle,
            series=series_rows, attainment=att_rows, issues=reg_issues, statuses=list(STATUS_ICON), status_zh=STATUS_ZH, icons=STATUS_ICON,
            quarantine=quarantine)
        slug = region_slug(region)
        path = confined(out / "regions", slug.split("/", 1)[1], what="region page")
        write_text(path, page)
        written.append(path)

    dash = []
    for r in headline.to_dicts():
        dash.append(dict(r, name=names[r["indicator"]], source=source(r["doc_id"], r["char_start"], r["char_end"])))
    index = env.get_template("index.html.j2").render(
        documents=documents.to_dicts(), regions=[(r, region_slug(r)) for r in regions],
        summary=sorted(summary.items()), statuses=list(STATUS_ICON), status_zh=STATUS_ZH, icons=STATUS_ICON,
        dashboard=dash, n_issues={s: issues.filter(pl.col("severity") == s).height for s in ("error", "warning", "info")},
        issues=issues.filter(pl.col("severity") != "info").to_dicts(), quarantine=quarantine)
    write_text(out / "index.html", index)
    written.insert(0, out / "index.html")
    return written
