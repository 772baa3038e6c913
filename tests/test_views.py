"""planwatch.views: what the stage notebooks show stays bounded at corpus scale, keeps every
document in the totals, carries sources, and escapes document text in HTML."""
import polars as pl

from planwatch import views


def _corpus(n_docs: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = [f"d{i:05d}" for i in range(n_docs)]
    documents = pl.DataFrame({"doc_id": ids, "region": [f"区{i % 3000}" for i in range(n_docs)],
                              "doc_type": ["plan"] * n_docs, "doc_year": [2020 + i % 7 for i in range(n_docs)]})
    # document i has i % 5 statements (so a fifth of them none): 2 * n_docs statements in all
    rows = [(d, "actual" if j % 2 else "target", "gdp" if j % 3 else "other:x", "prose", j)
            for i, d in enumerate(ids) for j in range(i % 5)]
    indicators = pl.DataFrame(rows, schema=["doc_id", "kind", "indicator", "origin", "char_start"], orient="row")
    return documents, indicators


def test_statements_per_document_is_bounded_and_totals_count_every_document():
    documents, indicators = _corpus(10_000)
    table = views.statements_per_document(documents, indicators, top=20)
    assert table.height == 21
    totals = table.row(-1, named=True)
    assert totals["doc_id"] == "all 10000 documents"
    assert totals["statements"] == indicators.height == 20_000           # 2,000 each of 0..4 statements
    assert totals["actual"] + totals["target"] == 20_000
    assert table["statements"].head(20).to_list() == [4] * 20          # the documents with most, first
    assert table["doc_id"].head(3).to_list() == ["d00004", "d00009", "d00014"]   # ties by doc_id


def test_a_document_without_statements_counts_as_zero():
    documents, indicators = _corpus(5)
    table = views.statements_per_document(documents, indicators, top=20)
    assert table.filter(pl.col("doc_id") == "d00000")["statements"].to_list() == [0]
    assert table.row(-1, named=True)["doc_id"] == "all 5 documents"


def test_pages_table_lists_index_pages_then_at_most_top_regions():
    pages = ["reports/index.html", "reports/documents.html"] + [f"reports/regions/区{i:04d}.html" for i in range(3000)]
    table = views.pages_table(pages, "notebooks", top=20)
    assert table.height == 2 + 20 + 1
    assert table["kind"].head(2).to_list() == ["documents", "index"]
    assert table["link"][1] == "../reports/index.html"
    assert table["page"][-1] == "… and 2980 more region pages (3002 pages in all)"


def test_html_table_escapes_document_text_and_links():
    df = pl.DataFrame({"page": ['<script>alert(1)</script>'], "region": ['"淄博"&'], "link": ['x.html" onclick="y']})
    out = views.html_table(df, link=("page", "link"))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "&quot;淄博&quot;&amp;" in out
    assert 'href="x.html&quot; onclick=&quot;y"' in out


def test_findings_and_scorecard_are_bounded():
    n = 5000
    issues = pl.DataFrame({"severity": ["warning"] * (n - 1) + ["error"], "suite": ["s"] * n, "rule": ["r"] * n,
                           "region": ["甲"] * n, "message": [f"m{i:05d}" for i in range(n)], "doc_id": ["a"] * n,
                           "char_start": list(range(n)), "char_end": list(range(1, n + 1))})
    indicators = pl.DataFrame({"doc_id": ["a"], "char_start": [n - 1], "sentence": ["错误所在的句子。"]})
    top = views.top_findings(issues, indicators, top=20)
    assert top.height == 20
    assert top.row(0, named=True)["severity"] == "error" and top.row(0, named=True)["sentence"] == "错误所在的句子。"
    assert views.findings_by_rule(issues).rows() == [("error", "s", "r", 1), ("warning", "s", "r", n - 1)]


def test_growth_trend_keeps_the_regions_with_most_points():
    series = pl.DataFrame({"region": ["甲"] * 3 + ["乙"] * 2 + ["丙"], "indicator": ["gdp"] * 6,
                           "year": [2021, 2022, 2023, 2022, 2023, 2023], "growth_pct": [5.0, 5.1, 5.2, 6.0, 6.1, 7.0],
                           "doc_id": ["a"] * 6, "char_start": list(range(6))})
    attainment = pl.DataFrame({"region": ["丙"], "indicator": ["gdp"], "year": [2024], "target_value": [6.5],
                               "target_unit": ["% growth"], "target_doc": ["b"], "target_start": [0]})
    points = views.growth_trend(series, attainment, "gdp", max_regions=2)
    # 甲 has 3 points; 乙 and 丙 have 2 each, a tie broken by name (code point: 丙 U+4E19 before 乙 U+4E59)
    assert sorted(points["region"].unique().to_list()) == ["丙", "甲"]
    chart = views.trend_chart(points).to_dict()
    assert len(chart["layer"]) == 2 and len(chart["data"]["values"]) == points.height


def test_enable_svg_keeps_a_chart_by_its_spec_reuses_it_ignores_a_broken_entry_and_prunes(tmp_path, monkeypatch):
    import altair as alt
    points = pl.DataFrame({"region": ["甲市", "甲市"], "year": [2024, 2025], "kind": ["actual", "target"],
                           "growth_pct": [5.0, 5.5], "doc_id": ["d1", "d2"], "char_start": [10, 20]})
    chart = views.trend_chart(points)
    try:
        alt.renderers.enable("svg")
        plain = chart._repr_mimebundle_()
        cache = tmp_path / "chart_cache"
        views.enable_svg(str(cache))
        assert chart._repr_mimebundle_() == plain             # the same SVG as altair's own renderer
        (entry,) = cache.glob("*.svg")
        # a hit is read, not converted again: a valid SVG put in its place is what is shown
        entry.write_text("<svg>kept</svg>", encoding="utf-8")
        assert chart._repr_mimebundle_() == {"image/svg+xml": "<svg>kept</svg>"}
        # a broken entry (truncated) is converted again and replaced
        entry.write_text("<svg><g>", encoding="utf-8")
        assert chart._repr_mimebundle_() == plain and entry.read_text(encoding="utf-8") == plain["image/svg+xml"]
        # another chart is another entry; only the most recently used SVG_CACHE_KEEP are kept
        monkeypatch.setattr(views, "SVG_CACHE_KEEP", 2)
        for title in ["A", "B", "C"]:
            views.trend_chart(points, title)._repr_mimebundle_()
        assert len(list(cache.glob("*.svg"))) == 2
    finally:
        alt.renderers.enable("default")
