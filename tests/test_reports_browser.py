"""The reports in a real headless browser: Debian's chromium driven by Playwright (no
browser download). Every page opens from file://, makes no network request, logs no
console error, renders its charts, shows the key figures; the status filter works; a
document's markup renders as text. Screenshots go to test-artifacts/."""
import re
from pathlib import Path

import pytest

from tests.conftest import BROWSER_MARKS, ROOT, build_site

pytestmark = BROWSER_MARKS
ARTIFACTS = ROOT / "test-artifacts"


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    problems = {"requests": [], "console": [], "dialogs": []}

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            problems["requests"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: problems["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems["console"].append(str(e)))
    page.on("dialog", lambda d: (problems["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems


@pytest.mark.parametrize("name", ["index.html", "regions/淄博市.html", "regions/博山区.html", "validation/index.html"])
def test_page_is_self_contained_and_clean(browser, site, name):
    page, problems = open_page(browser, site / name)
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / (name.replace("/", "_").replace(".html", ".png"))), full_page=True)
    assert problems == {"requests": [], "console": [], "dialogs": []}
    assert (site / name).stat().st_size < 3_000_000
    shown = page.locator("body").inner_text()      # a missing figure reads as empty or —, never as a programming word
    odd = re.search(r"NaN|None|undefined|(?<![A-Za-z])(?:nan|null)(?![A-Za-z])", shown)
    assert not odd, shown[max(0, odd.start() - 60):odd.end() + 10]


@pytest.mark.parametrize("region", ["淄博市", "博山区"])
def test_region_charts_render(browser, site, region):
    page, _ = open_page(browser, site / f"regions/{region}.html")
    n_charts = page.locator("div.chart").count()
    assert n_charts >= 2
    page.wait_for_function(f"document.querySelectorAll('div.chart svg').length >= {n_charts}", timeout=10000)
    marks = page.locator("div.chart svg path, div.chart svg rect, div.chart svg circle")
    assert marks.count() > n_charts * 2


def test_zibo_key_figures_and_status_filter(browser, site):
    page, _ = open_page(browser, site / "regions/淄博市.html")
    series = page.locator("#series").inner_text()
    assert "5,088.9" in series and "5.6" in series        # 淄博 2025 GDP 5088.9 亿元, +5.6%
    rows = page.locator("#attainment tr[data-status]")
    total = rows.count()
    page.select_option("#status-filter", "met")
    visible = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(visible) < total
    assert all(r.get_attribute("data-status") == "met" for r in visible)
    page.select_option("#status-filter", "")
    assert sum(r.is_visible() for r in rows.all()) == total


def test_source_sentence_is_one_click_away(browser, site):
    page, _ = open_page(browser, site / "regions/淄博市.html")
    link = page.locator('#series a[href^="#s"]').first
    link.hover()                                   # hover: the sentence in a popup
    pop = page.locator("#pop")
    assert pop.is_visible() and "%" in pop.inner_text()
    link.click()                                   # click: the sentence in the page's list of sentences
    target = page.locator(link.get_attribute("href"))
    assert target.is_visible() and target.inner_text().endswith(pop.inner_text())
    assert "%" in target.inner_text()


def _marks(page, sel: str) -> int:
    return page.locator(f"{sel} svg path, {sel} svg rect, {sel} svg circle").count()


def test_index_overview_charts_render_and_follow_the_filter(browser, site):
    page, problems = open_page(browser, site / "index.html")
    for chart in ("#gdp-chart", "#heat-chart"):
        page.wait_for_function(f"document.querySelectorAll('{chart} svg').length > 0", timeout=10000)
        assert _marks(page, chart) > 3, chart
    gdp = page.locator("#gdp-chart").text_content()
    assert "淄博市" in gdp and "博山区" in gdp                 # both regions have GDP growth targets
    heat = page.locator("#heat-chart").text_content()
    assert "4/5" in heat                                     # 淄博市 2025: 4 headline targets met of 5 judged
    page.fill("#q", "博山")
    page.wait_for_function("!document.querySelector('#gdp-chart').textContent.includes('淄博市')", timeout=5000)
    assert "博山区" in page.locator("#gdp-chart").text_content()
    assert "4/5" not in page.locator("#heat-chart").text_content()
    assert page.locator("#shown").inner_text() == "1–1 of 1 / 2"
    assert page.locator("#overview tbody tr:not([hidden])").count() == 1
    assert problems == {"requests": [], "console": [], "dialogs": []}


def test_index_findings_are_sentences_with_their_sources(browser, site):
    page, _ = open_page(browser, site / "index.html")
    items = page.locator("#quality li")
    assert items.count() >= 1
    text = page.locator("#quality").inner_text()
    assert "row " not in text and "char_start" not in text and "doc_id=" not in text
    # the within-document conflict of 淄博市 2025 urban new jobs (6.01 vs 5.53 万人), naming the document
    assert "《淄博市2026年国民经济和社会发展计划》一处写6.01万人" in text and "另一处写5.53万人" in text
    finding = items.filter(has_text="6.01万人")
    finding.locator("details summary").first.click()
    assert "6.01万人" in finding.locator("details").first.inner_text()       # the sentence itself, one click away


def test_region_scorecard_draws_targets_with_status_as_text(browser, site):
    page, problems = open_page(browser, site / "regions/淄博市.html")
    page.wait_for_function("document.querySelectorAll('div.scorecard svg').length >= 1", timeout=10000)
    card = page.locator("#scorecard-1")
    assert _marks(page, "#scorecard-1") > 5
    text = card.text_content()
    assert "✔ 达成 met" in text and "… 待公布 pending" in text           # status as text, not colour alone
    assert "2025 地区生产总值增长5%以上" in text                          # 淄博 2025 GDP target 5%以上, met (5.6)
    forms = page.locator("#attainment").inner_text()
    assert "下限 以上" in forms and "左右 ±容差" in forms
    assert problems == {"requests": [], "console": [], "dialogs": []}


def _site_of(tmp_path: Path, name: str, doc: str) -> Path:
    """The reports built from one text document, as data/raw with its manifest row would hold it."""
    import hashlib
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / name).write_text(doc, encoding="utf-8")
    sha = hashlib.sha256(doc.encode()).hexdigest()
    (raw / "manifest.csv").write_text(f"file,original_name,sha256,note\n{name},{name},{sha},\n", encoding="utf-8")
    return build_site(raw, tmp_path / "out")


def test_document_markup_is_inert(browser, tmp_path):
    doc = ("<script>alert('title')</script>博山区2026年国民经济和社会发展计划\n\n"
           "一、2025年国民经济和社会发展计划执行情况\n"
           "全区<img src=x onerror=alert('sentence')>地区生产总值完成319.3亿元，同比增长6.5%。\n"
           "二、2026年经济社会发展主要预期目标\n主要预期目标建议为：地区生产总值增长5.5%以上。\n")
    reports = _site_of(tmp_path, "evil.txt", doc)
    for name in ("index.html", "regions/博山区.html"):
        page, problems = open_page(browser, reports / name)
        page.wait_for_timeout(300)
        assert problems["dialogs"] == [] and problems["requests"] == []
        assert page.locator("img[src=x]").count() == 0
        text = page.locator("body").inner_text()
        assert "<script>alert('title')</script>" in text or "onerror=alert('sentence')" in text


def test_a_bidi_control_in_document_text_is_shown_as_its_code_point_not_obeyed(browser, tmp_path):
    """U+202E (right-to-left override) in a sentence made the page show it reversed: 完成319.3亿元
    read as 元亿3.913成完 — the page said what the document does not. Every page (HTML, the
    charts' JSON, the sentence a number links to) now shows such a control as [U+202E]."""
    doc = ("博山区\u20672026年国民经济和社会发展计划\n\n一、2025年国民经济和社会发展计划执行情况\n"
           "全区地区生产总值\u202e完成319.3亿元，同比增长6.5%。\n"
           "2024年全区地区生产总值完成300.1亿元，同比增长5.1%。\n"
           "二、2026年经济社会发展主要预期目标\n主要预期目标建议为：地区生产总值增长5.5%以上\u200f。\n")
    reports = _site_of(tmp_path, "b.txt", doc)
    bidi = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    pages = sorted(reports.rglob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "documents.html", "博山区.html"}
    for path in pages:
        assert not bidi & set(path.read_text(encoding="utf-8")), path.name
    page, problems = open_page(browser, reports / "regions" / "博山区.html")
    text = page.locator("body").inner_text()
    assert "地区生产总值[U+202E]完成319.3亿元" in text and "[U+2067]" in text, text[:300]
    assert "增长5.5%以上[U+200F]" in text
    assert not bidi & set(text)
    link = page.locator("a[href^='#s']").first          # the sentence a number links to, as its popup shows it
    link.focus()
    page.wait_for_timeout(200)
    assert not bidi & set(page.locator("body").inner_text())
    assert problems == {"requests": [], "console": [], "dialogs": []}
    documents, _ = open_page(browser, reports / "documents.html")
    assert "[U+2067]" in documents.locator("body").inner_text()


def test_html_comment_opener_in_document_text_does_not_blank_the_charts(browser, tmp_path):
    """`<!--<script` in document text (here the title, which every chart tooltip carries as the
    source) once turned the rest of the page's scripts into a comment: every chart blank. Specs
    are now JSON with <, >, &, U+2028 and U+2029 escaped."""
    doc = ("<!--<script>博山区2026年国民经济和社会发展计划\u2028\n\n一、2025年国民经济和社会发展计划执行情况\n"
           "全区地区生产总值完成319.3亿元，同比增长6.5%。\n"
           "2024年全区地区生产总值完成300.1亿元，同比增长5.1%。\n"
           "二、2026年经济社会发展主要预期目标\n主要预期目标建议为：地区生产总值增长5.5%以上。\n")
    reports = _site_of(tmp_path, "c.txt", doc)
    for name in ("regions/博山区.html", "index.html"):
        page, problems = open_page(browser, reports / name)
        n_charts = page.locator("div.chart").count()
        assert n_charts >= 1
        page.wait_for_function(f"document.querySelectorAll('div.chart svg').length >= {n_charts}", timeout=10000)
        assert problems == {"requests": [], "console": [], "dialogs": []}, name


def test_index_charts_stay_bounded_with_many_regions(browser, site, tmp_path):
    """80 regions (the five documents' two regions copied under 40 names each, three provinces): the
    GDP chart draws the 30 with the largest shortfall and the heat-map sums by parent region;
    narrowing the filter to fewer than 30 regions draws them one by one again."""
    import polars as pl

    from planwatch.catalogue import REFERENCE_DIR
    from planwatch.report.render import render
    src = site.parent
    out = tmp_path / "many"
    (out / "interim").mkdir(parents=True)
    (out / "processed").mkdir()
    copies = [(f"{name}{k:02d}", f"省{k % 3}") for k in range(40) for name in ("甲", "乙")]

    def spread(df: pl.DataFrame, parent: bool = False) -> pl.DataFrame:
        parts = []
        for k, (name, province) in enumerate(copies):
            base = "淄博市" if k % 2 == 0 else "博山区"
            part = df.filter(pl.col("region") == base).with_columns(pl.lit(name).alias("region"))
            if "doc_id" in part.columns:
                part = part.with_columns((pl.col("doc_id") + f"_{name}").alias("doc_id"))
            if parent:
                part = part.with_columns(pl.lit(province).alias("parent_region"))
            parts.append(part)
        return pl.concat(parts)

    spread(pl.read_parquet(src / "interim/documents.parquet"), parent=True).write_parquet(out / "interim/documents.parquet")
    spread(pl.read_parquet(src / "processed/indicators.parquet")).write_parquet(out / "processed/indicators.parquet")
    spread(pl.read_parquet(src / "processed/series.parquet")).write_parquet(out / "processed/series.parquet")
    att = pl.read_parquet(src / "processed/attainment.parquet")
    spread(att).with_columns([(pl.col(c) + "_" + pl.col("region")).alias(c) for c in ("target_doc", "actual_doc")]) \
        .write_parquet(out / "processed/attainment.parquet")
    pl.read_parquet(src / "interim/issues.parquet").clear().write_parquet(out / "interim/issues.parquet")
    render(str(out / "processed"), str(out / "interim"), str(REFERENCE_DIR), str(out / "reports"), workers=1)
    page, problems = open_page(browser, out / "reports/index.html")
    page.wait_for_function("document.querySelectorAll('#heat-chart svg').length > 0", timeout=10000)
    note = page.locator("#chart-note").inner_text()
    assert "the 30 of 80 regions with a GDP growth target, those with the largest shortfall" in note
    assert "summed by parent region (80 regions with headline targets" in note
    heat = page.locator("#heat-chart").text_content()
    assert all(p in heat for p in ("省0", "省1", "省2")) and "甲00" not in heat
    gdp = page.locator("#gdp-chart").text_content()
    assert sum(name in gdp for name, _ in copies) == 30
    assert page.locator("#overview tbody tr:not([hidden])").count() == 80   # the table pages by 100
    page.fill("#parent", "省1")                                               # 26 regions: one by one again
    page.wait_for_function("!document.querySelector('#chart-note').textContent.includes('largest')", timeout=5000)
    page.wait_for_function("document.querySelector('#heat-chart').textContent.includes('甲01')", timeout=5000)
    gdp = page.locator("#gdp-chart").text_content()
    assert sum(name in gdp for name, p in copies if p == "省1") == 26 and "甲00" not in gdp
    assert problems == {"requests": [], "console": [], "dialogs": []}


def test_earlier_years_get_pages_of_their_own_and_every_link_finds_its_row(browser, site, tmp_path, monkeypatch):
    """With a row budget of 60, 淄博市's 2025 rows (81 targets) move to regions/淄博市.2025.html: the
    page links to it, the scorecard and the index link 2025 GDP to the row there, and that page's
    numbers link to sentences on that page."""
    from planwatch.catalogue import REFERENCE_DIR
    from planwatch.report import render as render_mod
    monkeypatch.setattr(render_mod, "PAGE_ROWS", 60)
    out = tmp_path / "reports"
    render_mod.render(str(site.parent / "processed"), str(site.parent / "interim"), str(REFERENCE_DIR), str(out), workers=1)
    names = sorted(p.name for p in (out / "regions").glob("*.html"))
    assert "淄博市.2025.html" in names and "淄博市.2026.html" not in names
    main = (out / "regions/淄博市.html").read_text(encoding="utf-8")
    assert 'href="淄博市.2025.html"' in main and ">2025</td><td>headline" not in main
    page, problems = open_page(browser, out / "regions/淄博市.2025.html")
    assert page.locator("#attainment tr[data-status]").count() > 50
    assert all(r.inner_text().startswith("2025") for r in page.locator("#attainment tr[data-status]").all())
    link = page.locator('#attainment a[href^="#s"]').first
    assert page.locator(link.get_attribute("href")).count() == 1          # its sentence is on this page
    gdp = page.locator("#gdp-2025")
    assert gdp.count() == 1 and "地区生产总值" in gdp.inner_text()
    assert problems == {"requests": [], "console": [], "dialogs": []}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "淄博市.2025.html#gdp-2025" in index                          # overview's GDP cell (latest year with both)
    page, problems = open_page(browser, out / "regions/淄博市.html")
    page.wait_for_function("document.querySelectorAll('div.scorecard svg').length >= 1", timeout=10000)
    hrefs = page.evaluate("""() => { const c = JSON.parse(document.getElementById('spec-scorecard-1').textContent);
                                     const p = c.data.points.cols;       // columns (render.columns)
                                     return p.row.map((r, i) => [r, p.href[i]]).filter(x => x[0].startsWith('2025')).map(x => x[1]); }""")
    assert hrefs and all(h.startswith("淄博市.2025.html#t") for h in hrefs)
    assert problems == {"requests": [], "console": [], "dialogs": []}
