"""What the stage notebooks show: small summaries of a stage's outputs, bounded in size.

Each stage notebook calls its stage's ``run`` and then displays these, so the notebook (and
its executed copy in ``data/interim/notebooks/``, the audit log of the run) tells what the stage
did. Pure: frames (or a list of paths) in, frames out; ``trend_chart`` returns an altair chart
and ``html_table`` an HTML string. Every table is bounded — the ``top`` rows and a totals row —
so a corpus of 10,000 documents does not dump a row per document into a notebook. Rows that
carry a number carry its source: document, character span and sentence.
"""
from __future__ import annotations

import html
import posixpath
from urllib.parse import quote

import polars as pl

from planwatch.io import shown

TOP = 20
# How the notebooks print frames: every row of a bounded table, sentences in full.
DISPLAY = {"tbl_rows": 2 * TOP + 5, "fmt_str_lengths": 400, "tbl_width_chars": 400, "tbl_cols": 20}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_STATUS_ORDER = ("missed", "met", "unclear", "no_actual", "pending")


def _count(expr: pl.Expr) -> pl.Expr:
    return expr.sum().cast(pl.Int64)


def statements_per_document(documents: pl.DataFrame, indicators: pl.DataFrame, top: int = TOP) -> pl.DataFrame:
    """Statements per document and kind: the ``top`` documents with most statements, then a totals row.

    A document with no statement is counted (0), not dropped.

    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "region": ["甲", "乙", "丙"], "doc_type": ["plan"] * 3,
    ...                      "doc_year": [2026, 2025, 2024]})
    >>> ind = pl.DataFrame({"doc_id": ["a", "a", "b"], "kind": ["actual", "target", "target"],
    ...                     "indicator": ["gdp", "other:x", "gdp"], "origin": ["prose", "table", "prose"]})
    >>> statements_per_document(docs, ind, top=2).rows()
    [('a', '甲', 'plan', 2026, 1, 1, 1, 1, 2), ('b', '乙', 'plan', 2025, 0, 1, 1, 0, 1), ('all 3 documents', None, None, None, 1, 2, 2, 1, 3)]
    """
    counts = indicators.group_by("doc_id").agg(
        _count(pl.col("kind") == "actual").alias("actual"),
        _count(pl.col("kind") == "target").alias("target"),
        _count(~pl.col("indicator").str.starts_with("other:")).alias("catalogue"),
        _count(pl.col("origin") == "table").alias("from_tables"),
        pl.len().cast(pl.Int64).alias("statements"),
    )
    numbers = ["actual", "target", "catalogue", "from_tables", "statements"]
    per_doc = (documents.select("doc_id", "region", "doc_type", "doc_year")
               .join(counts, on="doc_id", how="left")
               .with_columns(pl.col(numbers).fill_null(0)))
    totals = per_doc.select(
        pl.lit(f"all {per_doc.height} documents").alias("doc_id"),
        pl.lit(None, pl.String).alias("region"), pl.lit(None, pl.String).alias("doc_type"),
        pl.lit(None, pl.Int64).alias("doc_year"), *[pl.col(c).sum() for c in numbers])
    shown = per_doc.sort(["statements", "doc_id"], descending=[True, False]).head(top)
    return pl.concat([shown, totals.cast(shown.schema)])


def sample_statements(indicators: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    """A fixed sample to read: each document's first catalogue statement of each kind (by position), at most ``n`` rows.

    >>> ind = pl.DataFrame({"doc_id": ["a", "a", "a", "b"], "kind": ["actual", "actual", "target", "actual"],
    ...     "indicator": ["gdp", "gdp", "other:x", "cpi"], "indicator_zh": ["地区生产总值", "地区生产总值", "x", "居民消费价格"],
    ...     "value": [1.0, 2.0, 3.0, None], "unit": ["亿元"] * 3 + [None], "growth_pct": [None, None, None, 0.2],
    ...     "qualifier": [None] * 4, "char_start": [9, 3, 5, 7], "char_end": [12, 6, 8, 10], "sentence": ["s9", "s3", "s5", "s7"]})
    >>> sample_statements(ind).select("doc_id", "kind", "char_start", "sentence").rows()
    [('a', 'actual', 3, 's3'), ('b', 'actual', 7, 's7')]
    """
    catalogued = indicators.filter(~pl.col("indicator").str.starts_with("other:"))
    # the first n documents give at least n rows: the rest of a corpus is not sorted
    first = catalogued.select(pl.col("doc_id").unique().sort().head(n))
    return (catalogued.join(first, on="doc_id", how="semi")
            .sort("doc_id", "kind", "char_start")
            .unique(["doc_id", "kind"], keep="first", maintain_order=True)
            .head(n)
            .select("doc_id", "kind", "indicator", "indicator_zh", "value", "unit", "growth_pct", "qualifier",
                    "char_start", "char_end", "sentence"))


def suite_results(suites: dict[str, dict[str, int]]) -> pl.DataFrame:
    """The validate stage's per-suite counts (``metrics["suites"]``) as a table, with a totals row.

    >>> suite_results({"series.contract": {"evaluated": 3, "passed": 3, "warnings": 0, "errors": 0},
    ...                "cross.reconciliation": {"evaluated": 1, "passed": 0, "warnings": 1, "errors": 0}}).rows()
    [('cross.reconciliation', 1, 0, 1, 0), ('series.contract', 3, 3, 0, 0), ('all suites', 4, 3, 1, 0)]
    """
    cols = ["evaluated", "passed", "warnings", "errors"]
    schema = {"suite": pl.String, **{c: pl.Int64 for c in cols}}
    rows = pl.DataFrame([{"suite": name, **{c: int(counts.get(c, 0)) for c in cols}} for name, counts in suites.items()],
                        schema=schema).sort("suite")
    return pl.concat([rows, rows.select(pl.lit("all suites").alias("suite"), *[pl.col(c).sum() for c in cols])])


def findings_by_rule(issues: pl.DataFrame) -> pl.DataFrame:
    """How many findings each suite and rule produced, errors first (one row per rule, however many rows the corpus has).

    >>> iss = pl.DataFrame({"severity": ["warning", "error", "warning"], "suite": ["s", "t", "s"], "rule": ["r", "q", "r"]})
    >>> findings_by_rule(iss).rows()
    [('error', 't', 'q', 1), ('warning', 's', 'r', 2)]
    """
    return (issues.group_by("severity", "suite", "rule").agg(pl.len().cast(pl.Int64).alias("findings"))
            .sort(pl.col("severity").replace_strict(_SEVERITY_ORDER, default=9), pl.col("findings"), "suite", "rule",
                  descending=[False, True, False, False]))


def sentences(indicators: pl.DataFrame, *positions: pl.DataFrame) -> pl.DataFrame:
    """doc_id, char_start and sentence of the statements at these positions (each frame: a document
    column, then a start column), one row per position (its first statement's sentence). The
    positions are joined first: a corpus has a million statements, a view asks for a few.

    >>> ind = pl.DataFrame({"doc_id": ["a", "a", "b"], "char_start": [3, 3, 9], "sentence": ["s1", "s2", "s3"]})
    >>> sentences(ind, pl.DataFrame({"d": ["a", None], "s": [3, None]})).rows()
    [('a', 3, 's1')]
    """
    schema = {"doc_id": indicators.schema["doc_id"], "char_start": indicators.schema["char_start"]}
    wanted = pl.concat([p.select(pl.col(p.columns[0]).alias("doc_id"), pl.col(p.columns[1]).alias("char_start")).cast(schema)
                        for p in positions]).drop_nulls().unique()
    return (indicators.select("doc_id", "char_start", "sentence")
            .join(wanted, on=["doc_id", "char_start"], how="semi", maintain_order="left")
            .unique(["doc_id", "char_start"], keep="first", maintain_order=True))


def top_findings(issues: pl.DataFrame, indicators: pl.DataFrame, top: int = TOP) -> pl.DataFrame:
    """The first ``top`` findings, errors first, with the sentence of the statement each names (when it names one).

    >>> iss = pl.DataFrame({"severity": ["info", "error"], "suite": ["s", "t"], "rule": ["r", "q"], "message": ["m1", "m2"],
    ...     "region": ["甲", "乙"], "doc_id": [None, "a"], "char_start": [None, 3], "char_end": [None, 6]},
    ...     schema_overrides={"doc_id": pl.String, "char_start": pl.Int64, "char_end": pl.Int64})
    >>> ind = pl.DataFrame({"doc_id": ["a"], "char_start": [3], "sentence": ["增长5%。"]})
    >>> top_findings(iss, ind).select("severity", "message", "sentence").rows()
    [('error', 'm2', '增长5%。'), ('info', 'm1', None)]
    """
    shown = issues.sort(pl.col("severity").replace_strict(_SEVERITY_ORDER, default=9), "suite", "message").head(top)
    return (shown.join(sentences(indicators, shown.select("doc_id", "char_start")), on=["doc_id", "char_start"], how="left",
                       maintain_order="left")
            .select("severity", "suite", "rule", "region", "message", "doc_id", "char_start", "char_end", "sentence"))


def status_counts(attainment: pl.DataFrame) -> pl.DataFrame:
    """Targets by scope and status (one row per scope, a column per status), and the met rate of the decided ones.

    >>> att = pl.DataFrame({"scope": ["headline"] * 3 + ["task"], "status": ["met", "missed", "pending", "met"]})
    >>> status_counts(att).rows()
    [('headline', 1, 1, 0, 0, 1, 3, 50.0), ('task', 1, 0, 0, 0, 0, 1, 100.0)]
    """
    counts = attainment.group_by("scope").agg(
        *[_count(pl.col("status") == s).alias(s) for s in ("met", "missed", "unclear", "no_actual", "pending")],
        pl.len().cast(pl.Int64).alias("targets"))
    decided = pl.col("met") + pl.col("missed")
    return counts.with_columns(
        pl.when(decided > 0).then((100 * pl.col("met") / decided).round(1)).alias("met_rate_pct")).sort("scope")


def headline_scorecard(attainment: pl.DataFrame, indicators: pl.DataFrame, top: int = TOP) -> pl.DataFrame:
    """Headline targets against their actuals: the decided ones (not ``pending``), latest year first,
    missed before met, at most ``top`` rows; each side with its document, span and sentence.

    >>> att = pl.DataFrame({"region": ["甲", "甲", "乙"], "year": [2025, 2026, 2025], "scope": ["headline"] * 3,
    ...     "indicator": ["gdp"] * 3, "target_text": ["增长5%以上", "增长5%", "增长6%"], "actual_text": ["增长5.6%", None, "增长5.1%"],
    ...     "status": ["met", "pending", "missed"], "margin": [0.6, None, -0.9],
    ...     "target_doc": ["a", "b", "c"], "target_start": [1, 2, 3], "target_end": [4, 5, 6],
    ...     "actual_doc": ["b", None, "d"], "actual_start": [7, None, 8], "actual_end": [9, None, 10]})
    >>> ind = pl.DataFrame({"doc_id": ["a", "b"], "char_start": [1, 7], "sentence": ["目标句", "实际句"]})
    >>> headline_scorecard(att, ind).select("region", "status", "target_sentence", "actual_sentence").rows()
    [('乙', 'missed', None, None), ('甲', 'met', '目标句', '实际句')]
    """
    order = {s: i for i, s in enumerate(_STATUS_ORDER)}
    shown = (attainment.filter((pl.col("scope") == "headline") & (pl.col("status") != "pending"))
             .sort(pl.col("year"), pl.col("status").replace_strict(order, default=9), "region", "indicator",
                   descending=[True, False, False, False])
             .head(top))
    said = sentences(indicators, shown.select("target_doc", "target_start"), shown.select("actual_doc", "actual_start"))
    return (shown
            .join(said.rename({"doc_id": "target_doc", "char_start": "target_start", "sentence": "target_sentence"}),
                  on=["target_doc", "target_start"], how="left", maintain_order="left")
            .join(said.rename({"doc_id": "actual_doc", "char_start": "actual_start", "sentence": "actual_sentence"}),
                  on=["actual_doc", "actual_start"], how="left", maintain_order="left")
            .select("region", "year", "indicator", "target_text", "actual_text", "status", "margin",
                    "target_doc", "target_start", "target_end", "actual_doc", "actual_start", "actual_end",
                    "target_sentence", "actual_sentence"))


def growth_trend(series: pl.DataFrame, attainment: pl.DataFrame, indicator: str = "gdp",
                 max_regions: int = 8) -> pl.DataFrame:
    """Growth of one indicator by year — stated actuals (series) and growth targets (attainment) —
    for the ``max_regions`` regions with most points (ties by name), each point with its source.

    >>> ser = pl.DataFrame({"region": ["甲", "甲", "乙"], "indicator": ["gdp"] * 3, "year": [2024, 2025, 2025],
    ...     "growth_pct": [5.5, 5.6, 6.5], "doc_id": ["a", "b", "c"], "char_start": [1, 2, 3]})
    >>> att = pl.DataFrame({"region": ["甲"], "indicator": ["gdp"], "year": [2025], "target_value": [5.0],
    ...     "target_unit": ["% growth"], "target_doc": ["a"], "target_start": [9]})
    >>> growth_trend(ser, att, max_regions=1).rows()
    [('甲', 2024, 'actual', 5.5, 'a', 1), ('甲', 2025, 'actual', 5.6, 'b', 2), ('甲', 2025, 'target', 5.0, 'a', 9)]
    """
    actual = series.filter((pl.col("indicator") == indicator) & pl.col("growth_pct").is_not_null()).select(
        "region", "year", pl.lit("actual").alias("kind"), "growth_pct", "doc_id", "char_start")
    target = attainment.filter((pl.col("indicator") == indicator) & (pl.col("target_unit") == "% growth")
                               & pl.col("target_value").is_not_null()).select(
        "region", "year", pl.lit("target").alias("kind"), pl.col("target_value").alias("growth_pct"),
        pl.col("target_doc").alias("doc_id"), pl.col("target_start").alias("char_start"))
    points = pl.concat([actual, target]).unique(["region", "year", "kind"], keep="first", maintain_order=True)
    regions = (points.group_by("region").len().sort(["len", "region"], descending=[True, False])
               .head(max_regions).get_column("region"))
    return points.filter(pl.col("region").is_in(regions.implode())).sort("region", "year", "kind", "doc_id", "char_start")


def trend_chart(points: pl.DataFrame, title: str = "GDP growth %"):
    """Line per region (actuals), a diamond per target: ``growth_trend``'s rows as an altair chart."""
    import altair as alt   # here, not at module level: the parse and validate notebooks need no altair (~1 s to import)
    base = alt.Chart(alt.Data(values=points.to_dicts())).encode(
        x=alt.X("year:O", title="year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("growth_pct:Q", title=title, scale=alt.Scale(zero=False, padding=12)),
        color=alt.Color("region:N", title="region"),
        tooltip=["region:N", "year:O", "kind:N", "growth_pct:Q", "doc_id:N", "char_start:Q"])
    actual = base.transform_filter(alt.datum.kind == "actual").mark_line(point=True)
    target = base.transform_filter(alt.datum.kind == "target").mark_point(shape="diamond", size=90, filled=True)
    return (actual + target).properties(width=420, height=220, title=f"{title}: actual (line) and target (◆)")


SVG_CACHE_KEEP = 16   # chart SVGs kept by enable_svg's cache (the most recently used)


def enable_svg(cache_dir: str | None = None) -> None:
    """Show altair charts as static SVG: readable offline, no vega script from a CDN. With
    ``cache_dir``, each chart's SVG is kept there under the hash of its spec and of the converter's
    version, and reused while the chart does not change: vl-convert's first conversion in a process
    takes ~1 s, which every analyse run paid for a chart that adding a document rarely changes.
    The cache never changes what is shown; an unusable cache folder only means no cache."""
    import altair as alt
    alt.renderers.enable("svg")
    if cache_dir is None:
        return
    import hashlib
    import json
    import os
    from importlib.metadata import version
    from pathlib import Path

    from planwatch.io import write_text
    convert = alt.renderers.get()
    folder = Path(cache_dir)
    salt = f"altair {alt.__version__}; vl-convert {version('vl-convert-python')}"

    def cached(spec: dict, **metadata):
        key = hashlib.sha256(json.dumps([salt, spec, metadata], ensure_ascii=False, sort_keys=True, default=str)
                             .encode("utf-8", "surrogatepass")).hexdigest()
        path = folder / f"{key}.svg"
        try:
            svg = path.read_text(encoding="utf-8")
            if svg.startswith("<svg") and svg.rstrip().endswith("</svg>"):
                os.utime(path)      # recently used: kept by the pruning below
                return {"image/svg+xml": svg}
        except (OSError, UnicodeDecodeError):
            pass
        bundle = convert(spec, **metadata)
        svg = bundle.get("image/svg+xml") if isinstance(bundle, dict) else None
        if isinstance(svg, str):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                write_text(path, svg)
                kept = sorted(folder.glob("*.svg"), key=lambda f: (f.stat().st_mtime_ns, f.name), reverse=True)
                for old in kept[SVG_CACHE_KEEP:]:
                    old.unlink(missing_ok=True)
            except OSError:
                pass
        return bundle

    alt.renderers.register("planwatch-svg", cached)
    alt.renderers.enable("planwatch-svg")


def pages_table(paths: list, notebook_dir: str, top: int = TOP) -> pl.DataFrame:
    """Report pages written (paths relative to the project root): kind, region and a link relative to
    ``notebook_dir`` (the folder of the notebook showing the table); index pages first, then at most
    ``top`` region pages and a row counting the rest.

    >>> pages_table(["reports/index.html", "reports/regions/淄博市.html", "reports/regions/博山区.html"],
    ...             "data/interim/notebooks", top=1).rows()
    [('reports/index.html', 'index', None, '../../../reports/index.html'), ('reports/regions/博山区.html', 'region', '博山区', '../../../reports/regions/%E5%8D%9A%E5%B1%B1%E5%8C%BA.html'), ('… and 1 more region pages (3 pages in all)', None, None, None)]
    """
    names = sorted({str(p).replace("\\", "/") for p in paths})
    df = pl.DataFrame({"page": names}, schema={"page": pl.String}).with_columns(
        pl.when(pl.col("page").str.contains("/regions/")).then(pl.lit("region")).otherwise(
            pl.col("page").str.extract(r"([^/]+)\.html$")).alias("kind"),
        pl.when(pl.col("page").str.contains("/regions/")).then(pl.col("page").str.extract(r"/regions/([^/]+)\.html$"))
        .otherwise(None).alias("region"))
    df = df.with_columns(pl.Series("link", [quote(posixpath.relpath(p, notebook_dir)) for p in df["page"]], pl.String))
    regions = df.filter(pl.col("kind") == "region")
    shown = pl.concat([df.filter(pl.col("kind") != "region"), regions.head(top)])
    if regions.height > top:
        more = pl.DataFrame({"page": [f"… and {regions.height - top} more region pages ({df.height} pages in all)"]},
                            schema={"page": pl.String})
        shown = pl.concat([shown, more], how="diagonal")
    return shown


def html_table(df: pl.DataFrame, link: tuple[str, str] | None = None) -> str:
    """The frame as an HTML table, every cell escaped and a bidi control shown as its code point (as the
    reports show document text, io.shown); ``link=(text_col, href_col)`` makes that column a link.

    >>> html_table(pl.DataFrame({"page": ["<b>"], "link": ["a.html"]}), link=("page", "link"))
    '<table><thead><tr><th>page</th></tr></thead><tbody><tr><td><a href="a.html">&lt;b&gt;</a></td></tr></tbody></table>'
    >>> html_table(pl.DataFrame({"sentence": ["增长\u202e5.6%"]}))
    '<table><thead><tr><th>sentence</th></tr></thead><tbody><tr><td>增长[U+202E]5.6%</td></tr></tbody></table>'
    """
    cols = [c for c in df.columns if link is None or c != link[1]]
    head = "".join(f"<th>{html.escape(shown(c))}</th>" for c in cols)
    rows = []
    for rec in df.iter_rows(named=True):   # a bounded table (views cap it), not a whole corpus
        cells = []
        for c in cols:
            text = "" if rec[c] is None else html.escape(shown(str(rec[c])))
            if link and c == link[0] and rec[link[1]]:
                text = f'<a href="{html.escape(rec[link[1]], quote=True)}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
