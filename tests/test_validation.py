"""Validation: the five documents pass with no error; seeded corruptions are caught by the intended expectation."""
import subprocess
import sys

import polars as pl
import pytest

from planwatch.catalogue import REFERENCE_DIR
from planwatch.parse.stage import parse_document
from planwatch.validate.stage import check_tables, run_suites
from planwatch.validate.suites import build_suites
from tests.conftest import RAW

FILES = ["boshan_2026_plan.txt", "zibo_2026_plan.txt", "boshan_2024_plan_report.txt", "zibo_2025_plan_notice.txt",
         "boshan_2021_work_report_news.txt"]


@pytest.fixture(scope="module")
def corpus():
    from planwatch import schemas
    docs, rows = [], []
    for f in FILES:
        d, recs = parse_document(RAW / f)
        docs.append(d.as_row())
        rows += [r.as_row(doc_id=d.doc_id, region=d.region) for r in recs]
    documents = schemas.frame(docs, {**schemas.DOCUMENTS, "published": pl.String}).with_columns(pl.col("published").str.to_date())
    return documents, schemas.frame(rows, schemas.INDICATORS)


def validate(documents, indicators):
    tables = check_tables(documents, indicators, str(REFERENCE_DIR), 0.1)
    issues, _counts = run_suites(tables, build_suites())
    return issues


def test_source_documents_have_no_errors_and_known_warnings(corpus):
    issues = validate(*corpus)
    assert [i["message"] for i in issues if i["severity"] == "error"] == []
    warnings = " | ".join(i["message"] for i in issues if i["severity"] == "warning")
    assert "indicator=urban_new_jobs" in warnings and "value_std=6.01" in warnings and "value_std_b=5.53" in warnings
    assert "indicator=trade_total, year=2025" in warnings       # 1047.7 → 1010.8 is −3.52%, stated −3.7%
    assert "indicator=fdi_actual_use, year=2025" in warnings    # 超过3.6亿美元 → 19652万美元 vs −45.8%


def _set(df, i, **kw):
    rows = df.to_dicts()
    rows[i].update(kw)
    return pl.DataFrame(rows, schema=df.schema)


def _gdp_row(ind):
    return ind.with_row_index().filter((pl.col("indicator") == "gdp") & pl.col("value").is_not_null())["index"][0]


CORRUPTIONS = {
    "missing column": (lambda d, i: (d, i.drop("unit")), "expect_column_to_exist(unit)"),
    "wrong type": (lambda d, i: (d, i.with_columns(pl.col("char_start").cast(pl.String))), "expect_column_values_to_be_of_type(char_start)"),
    "unknown indicator code": (lambda d, i: (d, _set(i, 0, indicator="gdp_typo")), "indicator code not in the catalogue"),
    "negative GDP level": (lambda d, i: (d, _set(i, _gdp_row(i), value=-5088.9, value_std=-5088.9)), "level outside the catalogue's plausible range"),
    "growth of 600%": (lambda d, i: (d, _set(i, _gdp_row(i), growth_pct=600.0)), "growth outside the catalogue's plausible range"),
    "unit of the wrong family": (lambda d, i: (d, _set(i, _gdp_row(i), unit="万人")), "unit of the wrong family"),
    "duplicated document": (lambda d, i: (pl.concat([d, d.head(1).with_columns(pl.lit("copy").alias("doc_id"))]), i), "the same document added twice"),
    "year outside the document's range": (lambda d, i: (d, _set(i, 0, period_year=1990)), "period_year outside the document's range"),
    "level pair contradicting its growth": (
        lambda d, i: (d, _set(i, i.with_row_index().filter((pl.col("indicator") == "budget_revenue") & (pl.col("value") == 419.73))["index"][0],
                              value=450.0, value_std=450.0)),
        "consecutive levels contradict the stated growth"),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_seeded_corruption_is_caught(corpus, name):
    corrupt, expected = CORRUPTIONS[name]
    documents, indicators = corrupt(*corpus)
    issues = validate(documents, indicators)
    hits = [i for i in issues if expected in i["message"]]
    assert hits, f"{name}: no issue mentions {expected!r}; got {[i['message'] for i in issues][:5]}"


def test_stated_relation_is_checked_against_the_city(corpus):
    documents, indicators = corpus
    tables = check_tables(documents, indicators, str(REFERENCE_DIR), 0.1)
    (rel,) = tables["stated_relations"].to_dicts()   # 博山 loans +9.95%, 高于全市平均增速4.24个百分点; 淄博 +5.71%
    assert (rel["region"], rel["indicator"], rel["stated_gap_pp"], rel["consistent"]) == ("博山区", "loans", 4.24, True)
    i = indicators.with_row_index().filter((pl.col("doc_id") == "zibo_2026_plan") & (pl.col("indicator") == "loans")
                                           & (pl.col("origin") == "prose"))["index"][0]
    issues = validate(documents, _set(indicators, i, growth_pct=3.0))
    assert any("stated gap to the parent region's growth" in x["message"] for x in issues)


def test_a_stated_gap_to_the_parent_region_is_checked_against_the_parents_own_figure(corpus):
    documents, indicators = corpus
    rel = check_tables(documents, indicators, str(REFERENCE_DIR), 0.1)["stated_relations"]
    row = rel.filter(pl.col("indicator") == "loans").row(0, named=True)
    assert (row["region"], row["parent_region"], row["stated_gap_pp"], row["consistent"]) == ("博山区", "淄博市", 4.24, True)
    bad = indicators.with_columns(pl.when((pl.col("region") == "淄博市") & (pl.col("indicator") == "loans") & (pl.col("kind") == "actual"))
                                  .then(pl.col("growth_pct") + 1).otherwise(pl.col("growth_pct")).alias("growth_pct"))
    rel = check_tables(documents, bad, str(REFERENCE_DIR), 0.1)["stated_relations"]
    assert rel.filter(pl.col("indicator") == "loans")["consistent"].to_list() == [False]


def test_money_in_another_currency_is_kept_not_withheld():
    """出口12.5亿美元 for a 亿元 indicator: kept with its unit and no value_std (grammar
    currency_families) and not an error; a level in a unit of another family still is."""
    from planwatch import schemas
    from planwatch.catalogue import REFERENCE_DIR, load_catalogue
    from planwatch.parse.extract import extract
    from planwatch.validate import checks
    text = ("淄博市2025年国民经济和社会发展计划执行情况\n一、2024年主要指标完成情况\n"
            "进出口总额500亿元，其中出口总额12.5亿美元，增长3%。\n")
    _facts, recs = extract(text, region="淄博市", doc_year=2025)
    rows = schemas.frame([r.as_row(doc_id="d", region="淄博市") for r in recs], schemas.INDICATORS)
    out = checks.indicator_checks(rows, pl.DataFrame({"doc_id": ["d"], "doc_year": [2025]}),
                                  load_catalogue(REFERENCE_DIR))
    exports = out.filter(pl.col("indicator") == "exports").row(0, named=True)
    assert (exports["unit"], exports["value_std"], exports["growth_pct"], exports["unit_family_ok"]) == ("亿美元", None, 3.0, True)
    wrong = out.filter(pl.col("indicator") == "exports").with_columns(pl.lit("万人").alias("unit"))
    assert not checks.indicator_checks(wrong.drop([c for c in wrong.columns if c not in schemas.INDICATORS]),
                                       pl.DataFrame({"doc_id": ["d"], "doc_year": [2025]}),
                                       load_catalogue(REFERENCE_DIR))["unit_family_ok"].to_list()[0]


def test_validation_page_writes_findings_as_sentences_errors_first_and_bounded(tmp_path, monkeypatch):
    from planwatch import schemas
    from planwatch.validate import stage
    issues = schemas.frame([
        {"severity": "warning", "suite": "cross.within_document", "rule": "r", "table": "t", "message": "within_document (doc_id=a)"},
        {"severity": "info", "suite": "cross.price_change", "rule": "r", "table": "t", "message": "price change"},
        {"severity": "error", "suite": "indicators.contract", "rule": "r", "table": "t", "message": "indicators (doc_id=b)"},
    ], schemas.ISSUES)
    texts = {"within_document (doc_id=a)": "《甲》一处写<script>6</script>万人，另一处写5万人，两者不一致。",
             "indicators (doc_id=b)": "乙的单位不对。"}
    asked = []

    def describe(shown):
        asked.extend(shown["message"])
        return pl.DataFrame({"text": [texts.get(m) for m in shown["message"]]}, schema={"text": pl.String})

    monkeypatch.setattr(stage, "MAX_PAGE_FINDINGS", 2)
    page = tmp_path / "index.html"
    stage.write_validation_page(issues, {}, page, describe)
    assert asked == ["indicators (doc_id=b)", "within_document (doc_id=a)"]   # only the findings shown are described
    html = page.read_text(encoding="utf-8")
    assert html.index("乙的单位不对") < html.index("两者不一致")               # errors first
    assert "&lt;script&gt;6&lt;/script&gt;" in html and "<script>" not in html  # document text escaped
    assert "indicators (doc_id=b)" in html                                      # the technical message beside it
    assert "price change" not in html and "1 more findings are not listed here: all 3" in html


def test_scipy_stats_and_altair_are_imported_only_when_used():
    # Great Expectations imports them for an expectation planwatch does not run; validate defers them
    # (1.2 s of every run) — and each still works, whole, the first time anything uses it
    code = ("import sys\nimport planwatch.validate.stage\n"
            "assert 'scipy.stats._stats_py' not in sys.modules, 'scipy.stats was imported'\n"
            "assert 'altair.vegalite' not in sys.modules, 'altair was imported'\n"
            "from scipy import stats\nimport scipy.stats.distributions\n"
            "print(round(float(stats.entropy([0.5, 0.5], [0.9, 0.1])), 4), type(sys.modules['scipy.stats']).__name__)\n"
            "import altair as alt\nfrom altair import Chart\n"
            "print(Chart is alt.Chart, sorted(alt.Chart(alt.Data(values=[{'a': 1}])).mark_point().encode(x='a:Q').to_dict()))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "0.5108 module\nTrue ['$schema', 'config', 'data', 'encoding', 'mark']\n"
