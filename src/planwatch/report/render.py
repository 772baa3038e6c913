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
import markupsafe
import polars as pl

from planwatch.catalogue import load_catalogue
from planwatch.incremental import region_keys
from planwatch.io import BIDI_SHOWN, confined, read_stamp, shown, write_text
from planwatch.report import charts, findings, targets
from planwatch.report.targets import FORM_ZH
from planwatch.views import sentences

STATUS_ICON = {"met": "✔", "missed": "✖", "pending": "…", "no_actual": "∅", "unclear": "?"}
STATUS_ZH = {"met": "达成", "missed": "未达成", "pending": "待公布", "no_actual": "未报告", "unclear": "无法判断"}
FORM_CHART_LABEL = dict(zip(["floor", "ceiling", "around", "range", "point", "stretch"], charts.FORM_LABELS))
CHART_INDICATORS = ["gdp", "budget_revenue", "fixed_asset_investment", "retail_sales", "disposable_income_per_capita", "loans", "deposits"]


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("planwatch.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             finalize=shown)     # every value a template writes
    env.filters["num"] = lambda v: "" if v is None else (f"{v:,.2f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v))
    env.filters["spec"] = lambda chart: script_json(chart if isinstance(chart, dict) else chart.to_dict())
    return env


_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
                                 **BIDI_SHOWN})


def script_json(data) -> str:
    """JSON safe inside a <script> element: <, >, &, U+2028 and U+2029 as \\u escapes, so no
    document text (<!--<script, </script>) can end or comment out the element; a bidi control as
    its code point, as io.shown shows it (the page's script puts these texts on the page).

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
    """Quarantined documents and rows (file, reason): a banner on the index and documents page; a region page
    lists the documents that could not be read and the rows withheld from its own documents."""
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


def _region_digests(df: pl.DataFrame | None, by: str = "region") -> dict:
    """{region: digest of its rows, in their order}, for every region of a table at once (one
    vectorised pass, not one serialisation per page: incremental.region_keys)."""
    if df is None or df.is_empty():
        return {}
    keyed = region_keys({"rows": df.with_columns(pl.int_range(pl.len()).over(by).alias("_row_in_region"))}, by=by)
    return dict(zip(keyed[by].to_list(), keyed["key"].to_list()))


_WORKER: dict = {}
OPEN_WIDTH_PP = 1.5        # how far a floor or ceiling band is drawn open on a growth axis (percentage points)
OPEN_WIDTH_PCT = 10.0      # … and on the % of target axis of level targets
SCORECARD_YEARS = 3        # the scorecard draws the latest target years; the table below lists every target


def _status_label(col: str = "status") -> pl.Expr:
    return pl.col(col).replace_strict(dict(zip(STATUS_ICON, charts.STATUS_LABELS)), default=None, return_dtype=pl.String)


def _form_label(col: str = "target_form") -> pl.Expr:
    return pl.col(col).replace_strict(FORM_CHART_LABEL, default=None, return_dtype=pl.String)


def sentence_ids(pairs: list[pl.DataFrame]) -> pl.DataFrame:
    """Each distinct (doc_id, sentence) of a page once, numbered in order of first appearance: a
    page shows a sentence once and every number links to it (a sentence stating ten figures was
    repeated ten times, twice per target).

    >>> sentence_ids([pl.DataFrame({"doc_id": ["a", "a"], "sentence": ["x", "x"]}),
    ...               pl.DataFrame({"doc_id": ["a", "b"], "sentence": ["y", None]})])["sid"].to_list()
    [0, 1]
    """
    return (pl.concat([p.select(pl.col(p.columns[0]).alias("doc_id"), pl.col(p.columns[1]).alias("sentence")) for p in pairs])
            .filter(pl.col("doc_id").is_not_null() & pl.col("sentence").is_not_null() & (pl.col("sentence") != ""))
            .unique(maintain_order=True).with_row_index("sid").with_columns(pl.col("sid").cast(pl.Int64)))


def _sid(df: pl.DataFrame, store: pl.DataFrame, doc: str, sentence: str, name: str) -> pl.DataFrame:
    return df.join(store.rename({"doc_id": doc, "sentence": sentence, "sid": name}), on=[doc, sentence], how="left",
                   nulls_equal=False, maintain_order="left")


def _page_row(archive: list[int], stem: str) -> list[pl.Expr]:
    """_n, the row's number on the page that lists it (the region's page, or its year's own page),
    and href, the link to that row."""
    own = pl.col("year").is_in(archive)
    n = pl.int_range(pl.len()).over(pl.when(own).then(pl.col("year")).otherwise(pl.lit(-1)))
    return [n.alias("_n"), pl.when(own).then(pl.format(stem + ".{}.html#t{}", pl.col("year"), n))
            .otherwise(pl.format("#t{}", n)).alias("href")]


def scorecard_points(a: pl.DataFrame, rate: bool) -> pl.DataFrame:
    """Rows of the region scorecard: quantified headline targets of the latest target years, growth
    and rates in percent (rate=True), levels as percent of their target (target = 100)."""
    q = a.filter((pl.col("scope") == "headline") & pl.col("target_value").is_not_null() & pl.col("band_lo").is_not_null())
    q = q.filter(pl.col("target_unit").is_in(["% growth", "%"]) if rate else ~pl.col("target_unit").is_in(["% growth", "%"])
                 & (pl.col("target_value") != 0))
    years = sorted(q["year"].unique().to_list(), reverse=True)[:SCORECARD_YEARS]
    q = q.filter(pl.col("year").is_in(years)).sort(pl.col("year"), "_n", descending=[True, False])
    k = pl.lit(1.0) if rate else 100.0 / pl.col("target_value")
    scale = lambda c: pl.col(c) * k
    return q.select(
        pl.format("{} {}", pl.col("year"), pl.col("target_text").str.slice(0, 22)).alias("row"),
        scale("band_lo").alias("band_lo"), scale("band_hi").alias("band_hi"), scale("target_value").alias("target"),
        _form_label().alias("form_label"), "target_text", scale("actual_value").alias("actual"),
        pl.col("actual_text").fill_null(""), _status_label().alias("status_label"),
        pl.col("target_source").alias("source"), "href", pl.col("target_sid").alias("sid"),
        "_n").with_columns(pl.when(pl.col("row").is_duplicated()).then(pl.format("{} #{}", pl.col("row"), pl.col("_n")))
                           .otherwise(pl.col("row")).alias("row")).drop("_n")


NOTE_ITEMS = 3      # a series note lists at most this many of the other documents stating the figure


def short_note(items: int) -> pl.Expr:
    """A series note of at most `items` of its "; "-separated entries and how many more there are
    (a figure restated by every one of 13 documents of a region made a note of 900 characters;
    series.csv keeps the whole note).

    >>> pl.DataFrame({"note": ["also stated: a@1: 1; b@2: 1; c@3: 1; d@4: 1", "derived: x", None]}) \\
    ...     .select(short_note(3))["note"].to_list()
    ['also stated: a@1: 1; b@2: 1; c@3: 1 (and 1 more in series.csv)', 'derived: x', None]
    """
    parts = pl.col("note").str.split("; ")
    n = parts.list.len()
    return pl.when(n > items).then(pl.format("{} (and {} more in series.csv)", parts.list.head(items).list.join("; "), n - items)) \
        .otherwise(pl.col("note"))


_DESIGN_KEYS: dict = {}


def _split_spec(spec: dict, designs: dict) -> dict:
    """A chart as {d: design key, title, data}: the design (marks, encodings, tooltips: ~2 KB) is on
    the page once however many charts share it. Designs are cached objects shared by their charts,
    so the key is computed once per design and process."""
    body = {k: v for k, v in spec.items() if k not in ("datasets", "title")}
    ids = tuple((k, id(v)) for k, v in sorted(body.items()))
    key = _DESIGN_KEYS.get(ids)
    if key is None:
        key = _DESIGN_KEYS[ids] = hashlib.sha256(script_json(body).encode("utf-8")).hexdigest()[:12]
    designs.setdefault(key, body)
    return {"d": key, "title": spec["title"], "data": {k: columns(v) for k, v in spec["datasets"].items()}}


def columns(rows: list[dict]) -> dict:
    """Chart points as columns, {n, cols}: a column whose every value is the same scalar is that one
    value (the page's script turns them back into rows). Half the bytes of a list of objects, which
    repeats every key per point.

    >>> columns([{"year": 2024, "zh": "地区生产总值"}, {"year": 2025, "zh": "地区生产总值"}])
    {'n': 2, 'cols': {'year': [2024, 2025], 'zh': '地区生产总值'}}
    """
    names = sorted({k for r in rows for k in r})
    cols = {}
    for k in names:
        vals = [r.get(k) for r in rows]
        same = all(v == vals[0] and type(v) is type(vals[0]) for v in vals) and not isinstance(vals[0], (list, dict))
        cols[k] = vals[0] if same and len(vals) > 1 else vals
    return {"n": len(rows), "cols": cols}


def _render_region(job: tuple) -> tuple[str, list[tuple[str, str]]]:
    """One region's pages: (region, [(file name, html)]) — its page, and one page per year whose rows
    did not fit the page's row budget (PAGE_ROWS). Pure: the job carries every row the pages show."""
    region, parts, ctx = job
    env = _WORKER.get("env") or _WORKER.setdefault("env", _env())
    archive = parts["archive"]
    stem = region_slug(region).split("/", 1)[1].removesuffix(".html")
    on_main = ~pl.col("year").is_in(archive)
    s, a = parts["series"], parts["attainment"]
    pages = [(f"{stem}.html", _region_page(env, region, s.filter(on_main), a.filter(on_main), parts["issues"], parts, ctx,
                                            s, a, archive, None, stem))]
    for year in archive:
        on_year = pl.col("year") == year
        pages.append((f"{stem}.{year}.html", _region_page(env, region, s.filter(on_year), a.filter(on_year), parts["issues"].clear(),
                                                          parts, ctx, None, None, archive, year, stem)))
    return region, pages


def _region_page(env, region: str, s: pl.DataFrame, a: pl.DataFrame, f: pl.DataFrame, parts: dict, ctx: dict,
                 s_all: pl.DataFrame | None, a_all: pl.DataFrame | None, archive: list[int], year_page: int | None, stem: str) -> str:
    """A region page (charts and scorecard over every year when s_all/a_all are given) or the page of
    one of its earlier years (year_page): tables, findings and each sentence once."""
    names, basis, std_unit = ctx["names"], ctx["basis"], ctx["std_unit"]
    nom_all = parts["implied"]
    store = sentence_ids([s.select("doc_id", "sentence"), a.select("target_doc", "target_sentence"),
                          a.select("actual_doc", "actual_sentence"), f.select("doc_id", "sentence"),
                          f.select("other_doc_id", "other_sentence")])
    name = pl.col("indicator").replace_strict(names, default=pl.col("indicator"), return_dtype=pl.String).fill_null("")
    with_sids = lambda att: _sid(_sid(att, store, "target_doc", "target_sentence", "target_sid"), store, "actual_doc",
                                 "actual_sentence", "actual_sid").with_row_index("_n").with_columns(name.alias("name"))
    s, a, f = _sid(s, store, "doc_id", "sentence", "sid"), with_sids(a), \
        _sid(_sid(f, store, "doc_id", "sentence", "sid"), store, "other_doc_id", "other_sentence", "other_sid")
    chart_list, scorecards = [], []
    if s_all is not None and a_all is not None:
        # the charts draw every year; a point of a year on its own page has its sentence there
        cs, ca = _sid(s_all, store, "doc_id", "sentence", "sid"), with_sids(a_all)
        cs_by, ca_by = _partition(cs.filter(pl.col("indicator").is_in(CHART_INDICATORS)), "indicator"), \
            _partition(ca.filter(pl.col("indicator").is_in(CHART_INDICATORS) & (pl.col("target_unit") == "% growth")), "indicator")
        for code in CHART_INDICATORS:
            if code not in cs_by and code not in ca_by:
                continue
            cs_code = cs_by.get(code, cs.clear())
            act = cs_code.filter(pl.col("growth_pct").is_not_null())
            tgt = ca_by.get(code, ca.clear())
            if act.height + tgt.height == 0:
                continue
            pts = [act.select("year", "growth_pct", pl.lit(charts.SERIES[0]).alias("series"), "source", "sid"),
                   tgt.select("year", pl.col("target_value").alias("growth_pct"), pl.lit(charts.SERIES[1]).alias("series"),
                              pl.col("target_source").alias("source"), pl.col("target_sid").alias("sid"))]
            if nom_all is not None and basis.get(code) == "real":
                nom = nom_all.filter(pl.col("indicator") == code)
                pts.append(nom.select("year", pl.col("implied_growth_pct").alias("growth_pct"), pl.lit(charts.SERIES[2]).alias("series"),
                                      pl.format("levels {} → {}; implied price change {} pp", pl.col("prev_value"), pl.col("value"),
                                                pl.col("gap_pp")).alias("source"), pl.lit(None, pl.Int64).alias("sid")))
            frame = pl.concat(pts).with_columns(pl.lit(names[code]).alias("indicator_zh")).sort("series", "year")
            chart_list.append(charts.growth_vs_target(frame, f"{names[code]} 增长与目标"))
            lv = cs_code.filter(pl.col("value").is_not_null())
            if lv.height:
                chart_list.append(charts.levels(lv.select("year", "value", "derived", "source", "sid"),
                                                f"{names[code]} 水平", std_unit[code]))
        for rate, title, x_title in ((True, "增长与比率目标 growth and rate targets", "% （增长或比率 growth or rate）"),
                                     (False, "水平目标 level targets", "占目标 % of target（目标 = 100）")):
            pts = scorecard_points(ca.drop("_n").with_columns(_page_row(archive, stem)), rate)
            if pts.height:
                scorecards.append(charts.scorecard(pts, title, x_title))
    designs: dict = {}
    scorecards, chart_list = [_split_spec(c, designs) for c in scorecards], [_split_spec(c, designs) for c in chart_list]
    docs = parts["docs"].select("doc_id", pl.col("title").fill_null(pl.col("doc_id")).alias("title"))
    sentences = store.join(docs, on="doc_id", how="left", maintain_order="left").to_dicts()
    att_rows = [dict(r, icon=STATUS_ICON[r["status"]], status_zh=STATUS_ZH[r["status"]],
                     form_zh=FORM_ZH.get(r["target_form"] or "", "")) for r in a.to_dicts()]
    gdp_anchor: dict = {}
    for r in att_rows:
        if r["indicator"] == "gdp" and r["scope"] == "headline" and r["target_unit"] == "% growth":
            gdp_anchor.setdefault(r["year"], r["_n"])
    full = year_page is None
    return env.get_template("region.html.j2").render(
        comparison=parts["comparison"].with_columns(name.alias("name")).to_dicts() if full and parts["comparison"] is not None else [],
        trends=parts["trends"].with_columns(name.alias("name")).to_dicts() if full and parts["trends"] is not None else [],
        region=region, docs=parts["docs"].to_dicts(), charts=chart_list, scorecards=scorecards, asset=ASSET, designs=designs,
        series=s.with_columns(name.alias("name")).to_dicts(), attainment=att_rows, gdp_anchor={v: k for k, v in gdp_anchor.items()},
        issues=f.to_dicts(), finding_counts=parts["finding_counts"], max_findings=MAX_REGION_FINDINGS,
        sentences=sentences, statuses=list(STATUS_ICON), year_page=year_page, archive=archive, stem=stem,
        status_zh=STATUS_ZH, icons=STATUS_ICON, quarantine=ctx["unread"] + parts["withheld"].select("file", "reason").to_dicts(),
        quarantine_elsewhere=ctx["any_withheld"], tolerance_pp=ctx["tolerance_pp"],
        tolerance_level_pct=ctx["tolerance_level_pct"], scorecard_years=SCORECARD_YEARS)


MAX_REGION_FINDINGS = 20   # a region page lists this many findings (errors first) and counts the rest
PAGE_ROWS = 200     # target rows (a series row counts half) a region page holds before its earlier years get pages of their own
CHART_POINT = 0.05  # a chart point (~45 bytes as columns) against a target row with its sentence (~0.9 KB)


def page_years(series: pl.DataFrame, attainment: pl.DataFrame) -> pl.DataFrame:
    """region, year, main: whether the year's rows are on the region's page. Years are taken from
    the latest down while the rows so far, plus the region's chart points (the charts draw every
    year: CHART_POINT rows each), fit PAGE_ROWS (the latest year always; here 100, 190, 290
    weighted rows); each earlier year gets a page of its own, so no page grows with the number of
    documents.

    >>> s = pl.DataFrame({"region": ["a"] * 40, "year": [2025] * 40, "indicator": ["x"] * 40})
    >>> att = pl.DataFrame({"region": ["a"] * 270, "year": [2025] * 80 + [2024] * 90 + [2023] * 100,
    ...                     "indicator": ["x"] * 270})
    >>> page_years(s, att).sort("year")["main"].to_list()
    [False, True, True]
    >>> page_years(s, att.with_columns(pl.lit("gdp").alias("indicator"))).sort("year")["main"].to_list()
    [False, False, True]
    """
    # a series row is about half the bytes of a target row (one figure, no rule, one source)
    rows = pl.concat([series.select("region", "year", pl.lit(0.5).alias("w")), attainment.select("region", "year", pl.lit(1.0).alias("w"))]) \
        .group_by("region", "year").agg(pl.col("w").sum()).sort(["region", "year"], descending=[False, True])
    charted = pl.col("indicator").is_in(CHART_INDICATORS)
    charts = pl.concat([series.filter(charted).select("region", pl.lit(2 * CHART_POINT).alias("c")),   # growth and level
                        attainment.filter(charted).select("region", pl.lit(CHART_POINT).alias("c"))]) \
        .group_by("region").agg(pl.col("c").sum())
    return rows.join(charts, on="region", how="left", maintain_order="left").with_columns(
        ((pl.col("w").cum_sum().over("region") + pl.col("c").fill_null(0.0) <= PAGE_ROWS)
         | (pl.col("year") == pl.col("year").max().over("region"))).alias("main")
    ).select("region", "year", "main")


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


def render(processed_dir: str, interim_dir: str, reference_dir: str, out_dir: str, workers: int | None = None,
           tolerance_pp: float = 0.5, tolerance_level_pct: float = 2.0) -> list[Path]:
    """Every page. A region page is rendered only when its rows (or this code) changed since the
    last run — a content hash per page in reports/regions/.pages.json — and in parallel across
    cores; pages of regions that no longer exist are removed. tolerance_pp and tolerance_level_pct
    are the analyse stage's 左右 tolerances (params analyse.*): the band a 左右 target is drawn as."""
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

    def with_source(df: pl.DataFrame, doc: str, start: str, end: str, name: str = "source") -> pl.DataFrame:
        # the document id, not its title: a page names each document's title once (its header and
        # the sentence list), where the title repeated per number was most of a large page
        return df.with_columns(pl.when(pl.col(doc).is_not_null()).then(pl.format("{} [{}–{}]", pl.col(doc), pl.col(start), pl.col(end)))
                               .otherwise(pl.lit("")).alias(name))

    series_v = with_source(series, "doc_id", "char_start", "char_end").sort("region", "indicator", "year") \
        .with_columns(short_note(NOTE_ITEMS).alias("note"))
    att_v = with_source(with_source(targets.with_form(attainment, indicators), "target_doc", "target_start", "target_end", "target_source"),
                        "actual_doc", "actual_start", "actual_end", "actual_source")
    # the sentences of the statements attainment names, by join (views.sentences: those rows only)
    sent = sentences(indicators, att_v.select("target_doc", "target_start"), att_v.select("actual_doc", "actual_start"))
    att_v = att_v.join(sent.rename({"doc_id": "target_doc", "char_start": "target_start", "sentence": "target_sentence"}),
                       on=["target_doc", "target_start"], how="left") \
        .join(sent.rename({"doc_id": "actual_doc", "char_start": "actual_start", "sentence": "actual_sentence"}),
              on=["actual_doc", "actual_start"], how="left") \
        .with_columns(pl.col("target_sentence").fill_null(""), pl.col("actual_sentence").fill_null(""))
    is_rate = pl.col("target_unit").is_in(["% growth", "%"])
    att_v = att_v.with_columns(targets.band(tolerance_pp, tolerance_level_pct, pl.when(is_rate).then(pl.lit(OPEN_WIDTH_PP))
                                            .otherwise(pl.col("target_value").abs() * OPEN_WIDTH_PCT / 100)))
    doc_region = documents.select("doc_id", pl.col("region").alias("_doc_region"))
    issues_v = findings.describe(issues, indicators, documents, names).join(doc_region, on="doc_id", how="left", maintain_order="left") \
        .with_columns(pl.coalesce(pl.col("region").replace("", None), "_doc_region").alias("_page_region")).drop("_doc_region")

    # A region page lists the documents that could not be read at all (they may be any region's:
    # every page shows them) and the statements withheld from its own documents; the statements
    # withheld from other regions' documents are on theirs and on the documents page. So one
    # withheld row re-renders one page, not every page of the corpus.
    unread = [q for q in quarantine if not q["reason"].startswith("row [")]
    withheld = pl.DataFrame([q for q in quarantine if q["reason"].startswith("row [")], schema={"file": pl.String, "reason": pl.String}) \
        .join(documents.select("file", "region"), on="file", how="inner").select("region", "file", "reason").sort("file", "reason")
    sources = {"series": series_v, "attainment": att_v, "implied": implied, "comparison": comparison, "trends": trends,
               "docs": documents, "issues": issues_v.drop_nulls("_page_region").filter(
                   pl.int_range(pl.len()).over("_page_region") < MAX_REGION_FINDINGS), "withheld": withheld}
    finding_counts: dict[str, dict[str, int]] = {}     # region → {severity: findings}, one pass (no frame per region)
    for region, severity, n in issues_v.drop_nulls("_page_region").group_by("_page_region", "severity").len() \
            .sort("_page_region", "severity").iter_rows():
        finding_counts.setdefault(region, {})[severity] = n
    empty = {"series": series_v.clear(), "attainment": att_v.clear(), "implied": None if implied is None else implied.clear(),
             "comparison": None if comparison is None else comparison.clear(), "trends": None if trends is None else trends.clear(),
             "docs": documents.clear(), "issues": issues_v.clear(), "withheld": withheld.clear()}
    ctx = {"names": names, "basis": {c: i.basis for c, i in cat.indicators.items()},
           "std_unit": {c: i.std_unit for c, i in cat.indicators.items()}, "unread": unread, "any_withheld": bool(quarantine),
           "tolerance_pp": tolerance_pp, "tolerance_level_pct": tolerance_level_pct}
    version = _code_version() + json.dumps([unread, bool(quarantine), tolerance_pp, tolerance_level_pct], ensure_ascii=False,
                                           sort_keys=True)

    pages_dir = out / "regions"
    pages_dir.mkdir(parents=True, exist_ok=True)
    ledger_path = pages_dir / ".pages.json"
    try:
        ledger = read_stamp(ledger_path) if ledger_path.exists() else {}
    except (OSError, ValueError):
        ledger = {}
    split = page_years(series_v, att_v).filter(~pl.col("main")).sort("region", "year", descending=[False, True])
    archive = {r: v for r, v in zip(*split.group_by("region", maintain_order=True).agg("year").to_dict(as_series=False).values())}
    by = {k: "_page_region" if k == "issues" else "region" for k in sources}
    digests = {k: _region_digests(df, by[k]) for k, df in sources.items()}
    version_h = hashlib.sha256(version.encode("utf-8"))
    present = {p.name for p in pages_dir.glob("*.html")}
    dirty, keys, written = [], {}, []
    for region in regions:
        counts = finding_counts.get(region, {})
        h = version_h.copy()
        h.update(region.encode("utf-8", "surrogatepass"))
        for k in sorted(sources):
            h.update(f"{k}:{digests[k].get(region, '')};".encode("utf-8"))
        h.update(json.dumps([archive.get(region, []), counts], sort_keys=True).encode("utf-8"))
        stem = region_slug(region).split("/", 1)[1].removesuffix(".html")
        names_of = [f"{stem}.html", *(f"{stem}.{y}.html" for y in archive.get(region, []))]
        written.extend(pages_dir / n for n in names_of)    # region_slug made the names safe; a page is confined when written
        for n in names_of:
            keys[n] = h.hexdigest()
        if any(ledger.get(n) != keys[n] or n not in present for n in names_of):
            dirty.append((region, counts))
    # only the regions whose pages change are cut out of the tables (one pass over their rows)
    wanted = pl.Series([r for r, _ in dirty], dtype=pl.String).implode()
    frames = {k: _partition(None if df is None else df.filter(pl.col(by[k]).is_in(wanted)), by[k]) for k, df in sources.items()}
    jobs = [(region, {**{k: frames[k].get(region, empty[k]) for k in frames}, "archive": archive.get(region, []),
                      "finding_counts": counts}, ctx) for region, counts in dirty]
    for region, pages in _map(_render_region, jobs, workers):
        for n, page in pages:
            write_text(confined(pages_dir, n, what="region page"), page)
    for stale in pages_dir.glob("*.html"):
        if stale.name not in keys:
            stale.unlink()
    write_text(ledger_path, json.dumps(keys, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    print(f"[report] {len(regions)} region pages: {len(jobs)} rendered, {len(regions) - len(jobs)} unchanged", file=sys.stderr)

    # the index: one overview row per region (filterable), charts that follow the filter, documents, findings
    overview = region_overview(documents, series, att_v)
    write_text(out / "documents.html", env.get_template("documents.html.j2").render(
        n_documents=documents.height, rows=document_rows(documents), quarantine=quarantine))
    small = len(regions) <= SMALL_INDEX
    docs_list = documents.to_dicts() if small else []
    headline = series_v.filter(pl.col("indicator").is_in(CHART_INDICATORS) & ~pl.col("derived")) if small else series_v.clear()
    status_counts = attainment.group_by("region", "year", "status").len().sort("region", "year", "status")
    summary: dict = {}
    if small:
        for r in status_counts.to_dicts():
            summary.setdefault((r["region"], r["year"]), {})[r["status"]] = r["len"]
    shown_issues = issues_v.filter(pl.col("severity") != "info").head(MAX_INDEX_FINDINGS).with_columns(
        pl.col("_page_region").replace_strict({r: region_slug(r) for r in regions}, default=None, return_dtype=pl.String)
        .alias("href")).to_dicts()
    index = env.get_template("index.html.j2").render(
        documents=docs_list, n_documents=documents.height, small=small,
        regions=[(r, region_slug(r)) for r in regions] if small else [],
        n_regions=overview.height,
        levels=sorted(overview["region_level"].drop_nulls().unique().to_list()),
        years=sorted(overview["latest_year"].drop_nulls().unique().to_list(), reverse=True),
        summary=sorted(summary.items()), statuses=list(STATUS_ICON), status_zh=STATUS_ZH, icons=STATUS_ICON,
        dashboard=[dict(r, name=names[r["indicator"]]) for r in headline.to_dicts()],
        n_issues={s: issues.filter(pl.col("severity") == s).height for s in ("error", "warning", "info")},
        issues=shown_issues, quarantine=quarantine, asset=ASSET, max_chart_rows=MAX_CHART_ROWS, forms=FORM_ZH, table_page=TABLE_PAGE,
        tolerance_pp=tolerance_pp,
        overview_data=dict(index_chart_data(overview, att_v, small, split), rows=overview_columns(overview, split)),
        gdp_spec=charts.gdp_bands(pl.DataFrame(), "GDP 增长目标与实际 GDP growth: target band against actual"),
        heat_spec=charts.attainment_heat(pl.DataFrame(), "主要目标达成率 headline targets met, by year"))
    write_text(out / "index.html", index)
    return [out / "index.html", *written]


def html_text(col: str | pl.Expr) -> pl.Expr:
    """A column as HTML text, escaped as the templates escape (markupsafe: & < > ' "; a bidi control
    as io.shown shows it); null as ""."""
    e = pl.col(col) if isinstance(col, str) else col
    return e.cast(pl.String).str.replace_many(["&", "<", ">", "'", '"', *BIDI_SHOWN],
                                              ["&amp;", "&lt;", "&gt;", "&#39;", "&#34;", *BIDI_SHOWN.values()]) \
        .fill_null("")


def document_rows(documents: pl.DataFrame) -> markupsafe.Markup:
    """The documents page's table rows, one per document, escaped and joined in polars: a template
    loop over 10,000 documents took ~0.9 s of every report run."""
    cell = lambda col: pl.concat_str(pl.lit("<td>"), html_text(col), pl.lit("</td>"))
    rows = documents.select(pl.concat_str(
        pl.lit("<tr><td><code>"), html_text("doc_id"), pl.lit("</code></td>"), cell("title"), cell("region"),
        cell("region_level"), cell("doc_type"), cell("doc_year"), cell("published"),
        pl.lit("<td class=\"num\">"), html_text("n_chars"), pl.lit("</td></tr>\n")).alias("row"))["row"]
    return markupsafe.Markup("".join(rows.to_list()))


TABLE_PAGE = 100           # overview rows shown at a time (the filter and the charts see every row)
MAX_CHART_ROWS = 30        # the index charts draw at most this many regions (or parent regions), whatever the filter shows


def overview_columns(overview: pl.DataFrame, split: pl.DataFrame) -> dict:
    """The overview table as columns (compact JSON; the page builds the rows it shows): region, level,
    parent, documents, years, GDP growth target (as written, with its form), actual, status and
    year — each linking to the target's row and sentence — and headline targets met/missed/open."""
    slugs = {r: region_slug(r) for r in overview["region"].to_list()}
    page = pl.col("region").replace_strict(slugs, return_dtype=pl.String)
    has = pl.col("gdp_year").is_not_null()
    o = overview.join(split.select("region", pl.col("year").alias("gdp_year"), pl.lit(True).alias("_own")),
                      on=["region", "gdp_year"], how="left", maintain_order="left").select(
        pl.col("region").alias("r"), pl.col("region_level").fill_null("").alias("l"), pl.col("parent_region").fill_null("").alias("p"),
        pl.col("n_documents").alias("n"), pl.col("first_year").alias("y0"), pl.col("latest_year").alias("y1"), page.alias("h"),
        pl.when(has & pl.col("gdp_target").is_not_null())
        .then(pl.concat_str(findings.fmt_num("gdp_target"), pl.col("gdp_qualifier").fill_null(""))).otherwise(pl.lit("")).alias("gt"),
        pl.when(has).then(pl.col("gdp_form").replace_strict(FORM_ZH, default="", return_dtype=pl.String)).otherwise(pl.lit("")).alias("gf"),
        pl.col("gdp_growth").round(4).alias("ga"), pl.col("gdp_status").alias("gs"), pl.col("gdp_year").alias("gy"),
        pl.when(has).then(pl.format("{}#gdp-{}", pl.when(pl.col("_own").fill_null(False))
                                    .then(pl.format("{}.{}.html", page.str.strip_suffix(".html"), pl.col("gdp_year"))).otherwise(page),
                                    pl.col("gdp_year"))).alias("gh"),
        "met", "missed", "open", pl.col("met_rate").fill_nan(None).alias("rate"))
    return {c: o[c].to_list() for c in o.columns}


def _year_href(region: str, year: int | None, archive: dict) -> str:
    """The page holding a region's rows of a year (its page, or the year's own page) and the year's GDP target row."""
    page = region_slug(region)
    if year is not None and year in archive.get(region, []):
        page = page.removesuffix(".html") + f".{year}.html"
    return f"{page}#gdp-{year}"


def index_chart_data(overview: pl.DataFrame, att: pl.DataFrame, small: bool, split: pl.DataFrame) -> dict:
    """What the index charts draw, as columns (compact JSON) keyed by the overview row number `i`
    so the page's filter picks the rows: GDP growth target bands and actuals of every region and
    year (p = 1: the year is on its own page), and headline attainment counts by region and year. Sentences only for a small index;
    with thousands of regions a mark links to the region page, which holds them."""
    idx = overview.select("region", "parent_region").with_row_index("i").with_columns(pl.col("i").cast(pl.Int64))
    gdp = att.filter((pl.col("indicator") == "gdp") & (pl.col("scope") == "headline") & (pl.col("target_unit") == "% growth")) \
        .unique(["region", "year"], keep="first", maintain_order=True).join(idx, on="region", how="inner").sort("i", "year") \
        .join(split.select("region", "year", pl.lit(1).alias("p")), on=["region", "year"], how="left").with_columns(pl.col("p").fill_null(0))
    r2 = lambda c: pl.col(c).round(2)
    gdp = gdp.select("i", "year", r2("band_lo").alias("lo"), r2("band_hi").alias("hi"), r2("target_value").alias("t"),
                     r2("actual_value").alias("a"), "target_form", "status", "target_text", "target_source", "p",
                     *(["target_sentence"] if small else []))
    heat = att.filter(pl.col("scope") == "headline").group_by("region", "year").agg(
        (pl.col("status") == "met").sum().cast(pl.Int64).alias("met"), (pl.col("status") == "missed").sum().cast(pl.Int64).alias("missed"),
        pl.col("status").is_in(["pending", "no_actual", "unclear"]).sum().cast(pl.Int64).alias("open")) \
        .join(idx, on="region", how="inner").sort("i", "year").select("i", "year", "met", "missed", "open")
    return {"gdp": {c: gdp[c].to_list() for c in gdp.columns}, "heat": {c: heat[c].to_list() for c in heat.columns},
            "forms": FORM_CHART_LABEL, "statuses": dict(zip(STATUS_ICON, charts.STATUS_LABELS))}


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
                                        pl.col("target_form").first().alias("gdp_form"),
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
    # a page's frames are small: one polars thread per worker (each worker is a core already, and
    # a thread pool per worker on top only contends)
    saved = os.environ.get("POLARS_MAX_THREADS")
    os.environ["POLARS_MAX_THREADS"] = "1"
    try:
        with mp.get_context("spawn").Pool(workers) as pool:      # not fork: polars' thread pool may hold a lock
            return pool.map(fn, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
    finally:
        if saved is None:
            os.environ.pop("POLARS_MAX_THREADS", None)
        else:
            os.environ["POLARS_MAX_THREADS"] = saved
