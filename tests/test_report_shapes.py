"""What the reports draw and say, without a browser: a target's form and band, findings as
sentences, one copy of each sentence per page. Expected values worked out by hand from the rules
in design.md (以上 a floor, 左右 ± 0.5 pp for rates and ± 2% for levels …)."""
import polars as pl
import pytest

from planwatch.report import findings, targets
from planwatch.report.render import sentence_ids


def _att(**cols) -> pl.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"region": ["甲市"] * n, "year": [2025] * n, "scope": ["headline"] * n, "indicator": ["gdp"] * n,
            "target_doc": ["d1"] * n, "target_start": list(range(10, 10 + n)), "target_unit": ["% growth"] * n}
    return pl.DataFrame({**base, **cols})


def _targets_ind(rows: list[dict]) -> pl.DataFrame:
    schema = {"doc_id": pl.String, "char_start": pl.Int64, "indicator": pl.String, "kind": pl.String, "value": pl.Float64,
              "value_std": pl.Float64, "value_high": pl.Float64, "growth_pct_high": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_form_derived_from_qualifier_when_the_column_is_absent():
    att = _att(qualifier=["以上", "左右", None, None, "以内", "力争", "完成省下达目标"],
               target_value=[5.0, 5.5, 6.0, 5.0, 3.0, 7.0, None])
    ind = _targets_ind([{"doc_id": "d1", "char_start": 12, "indicator": "gdp", "kind": "target", "growth_pct_high": 6.5}])
    out = targets.with_form(att, ind)
    assert out["target_form"].to_list() == ["floor", "around", "range", "point", "ceiling", "stretch", "qualitative"]
    assert out["target_high"].to_list() == [None, None, 6.5, None, None, None, None]
    assert out["hard"].to_list() == [None] * 7           # the table does not say: shown as nothing, not as False


def test_form_and_hard_from_the_analyse_stage_win_over_the_qualifier():
    att = _att(qualifier=["以上", None], target_value=[5.0, 5.0], target_form=["stretch", None], hard=[True, None])
    out = targets.with_form(att, _targets_ind([]))
    assert out["target_form"].to_list() == ["stretch", "point"]     # given, else derived
    assert out["hard"].to_list() == [True, None]


def test_level_range_end_is_converted_to_the_standard_unit():
    # 1.2—1.5万亿元 stated; the target is in 亿元 (value_std 12000), so the upper end is 15000 亿元
    att = _att(qualifier=[None], target_value=[12000.0], target_unit=["亿元"])
    ind = _targets_ind([{"doc_id": "d1", "char_start": 10, "indicator": "gdp", "kind": "target", "value": 1.2,
                         "value_std": 12000.0, "value_high": 1.5}])
    out = targets.with_form(att, ind)
    assert out["target_form"].to_list() == ["range"] and out["target_high"][0] == pytest.approx(15000.0)


def test_band_is_what_the_rule_accepts():
    df = pl.DataFrame({"target_value": [5.0, 5.5, 100.0, 3.0, 6.0, 5.0, 7.0],
                       "target_high": [None, None, None, None, 6.5, None, None],
                       "target_form": ["floor", "around", "around", "ceiling", "range", "point", "stretch"],
                       "target_unit": ["% growth", "%", "亿元", "%", "% growth", "% growth", "% growth"]})
    out = df.with_columns(targets.band(0.5, 2.0, pl.lit(1.5)))
    assert out["band_lo"].to_list() == pytest.approx([5.0, 5.0, 98.0, 1.5, 6.0, 5.0, 7.0])
    assert out["band_hi"].to_list() == pytest.approx([6.5, 6.0, 102.0, 3.0, 6.5, 5.0, 8.5])
    assert out["open"].to_list() == [">", "", "", "<", "", "", ">"]


def _issue(**kw) -> dict:
    row = {k: None for k in ["severity", "suite", "rule", "table", "region", "indicator", "year", "message", "doc_id",
                             "char_start", "char_end", "other_doc_id", "other_start", "other_end"]}
    row.update(severity="warning", **kw)
    return row


ISSUE_SCHEMA = {"severity": pl.String, "suite": pl.String, "rule": pl.String, "table": pl.String, "region": pl.String,
                "indicator": pl.String, "year": pl.Int64, "message": pl.String, "doc_id": pl.String, "char_start": pl.Int64,
                "char_end": pl.Int64, "other_doc_id": pl.String, "other_start": pl.Int64, "other_end": pl.Int64}
DOCS = pl.DataFrame({"doc_id": ["rep", "bul"], "title": ["淄博市政府工作报告", "淄博市统计公报"], "region": ["淄博市", "淄博市"],
                     "parent_region": ["山东省", "山东省"], "doc_year": [2025, 2025]})
IND = pl.DataFrame({"doc_id": ["rep", "bul", "rep"], "char_start": [100, 200, 300], "indicator": ["gdp", "gdp", "gdp"],
                    "kind": ["actual", "actual", "target"], "value": [None, None, None], "unit": [None, None, None],
                    "value_std": [None, None, None], "growth_pct": [5.9, 6.1, 5.0], "indicator_zh": ["地区生产总值"] * 3,
                    "sentence": ["全市地区生产总值增长5.9%。", "全年全市生产总值增长6.1%。", "增长5%以上。"]},
                   schema_overrides={"value": pl.Float64, "unit": pl.String, "value_std": pl.Float64})


def test_conflict_reads_as_a_sentence_naming_both_documents_and_keeps_both_sentences():
    issues = pl.DataFrame([_issue(suite="cross.conflicting_documents", rule="expect_column_values_to_be_in_set(consistent)",
                                  region="淄博市", indicator="gdp", year=2024, message="conflicting_documents row 0 (…)",
                                  doc_id="rep", char_start=100, char_end=112, other_doc_id="bul", other_start=200, other_end=210)],
                          schema=ISSUE_SCHEMA, orient="row")
    out = findings.describe(issues, IND, DOCS, {"gdp": "地区生产总值"}).row(0, named=True)
    assert out["text"] == ("淄博市 2024年 地区生产总值实际增长5.9%（《淄博市政府工作报告》）与《淄博市统计公报》的增长6.1%不一致；"
                           "序列采用较晚发布的一份，另一份作为修订保留。")
    assert out["source"] == "《淄博市政府工作报告》 [100–112]" and out["sentence"] == "全市地区生产总值增长5.9%。"
    assert out["other_source"] == "《淄博市统计公报》 [200–210]" and out["other_sentence"] == "全年全市生产总值增长6.1%。"


def test_other_findings_read_as_sentences_and_unknown_ones_keep_their_message():
    issues = pl.DataFrame([
        _issue(suite="indicators.duplicates", rule="expect_compound_columns_to_be_unique(doc_id,indicator)", region="淄博市",
               indicator="gdp", year=2025, message="catalogued row 3", doc_id="rep", char_start=300, char_end=306),
        _issue(suite="completeness.gdp", rule="expect_column_values_to_be_in_set(has_gdp_growth_target)", region="淄博市",
               year=2025, message="completeness row 0", doc_id="bul"),
        _issue(suite="indicators.plausibility", rule="expect_column_values_to_be_in_set(growth_in_range)", region="淄博市",
               indicator="gdp", year=2024, message="indicators row 1", doc_id="bul", char_start=200, char_end=210),
        _issue(suite="documents.contract", rule="expect_column_to_exist(title)", message="documents: title missing"),
    ], schema=ISSUE_SCHEMA, orient="row")
    texts = findings.describe(issues, IND, DOCS, {"gdp": "地区生产总值"})["text"].to_list()
    assert texts == ["《淄博市政府工作报告》两次写出淄博市 2025年 地区生产总值目标增长5%（同一说法重复出现）。",
                     "《淄博市统计公报》（淄博市 2025年计划）没有写出地区生产总值增长目标。",
                     "《淄博市统计公报》中淄博市 2024年 地区生产总值实际增长6.1%：增速超出目录中该指标的合理范围，该条未计入序列和目标达成。",
                     "documents: title missing"]


def test_numbers_are_written_as_a_reader_writes_them():
    out = pl.DataFrame({"x": [6.0, 5.9, -3.7, 0.1 + 0.2, 0.0, 5088.9]}).select(findings.fmt_num("x"))["x"].to_list()
    assert out == ["6", "5.9", "-3.7", "0.3", "0", "5088.9"]


def test_a_sentence_stating_many_figures_is_stored_once_per_page():
    series = pl.DataFrame({"doc_id": ["a", "a", "a"], "sentence": ["GDP增长5%，收入增长3%。"] * 2 + ["另一句。"]})
    att = pl.DataFrame({"target_doc": ["a", "b"], "target_sentence": ["GDP增长5%，收入增长3%。", "GDP增长5%，收入增长3%。"]})
    store = sentence_ids([series, att])
    assert store.rows() == [(0, "a", "GDP增长5%，收入增长3%。"), (1, "a", "另一句。"), (2, "b", "GDP增长5%，收入增长3%。")]


def test_document_rows_escape_every_cell_as_the_templates_do_and_show_a_missing_value_as_empty():
    import datetime

    import markupsafe

    from planwatch import schemas
    from planwatch.report.render import document_rows
    docs = pl.DataFrame([
        {"doc_id": "d<1>", "title": "《</td><script>alert(1)</script>》", "region": "甲&乙县", "region_level": "county",
         "doc_type": "plan", "doc_year": 2024, "published": datetime.date(2024, 1, 5), "n_chars": 1200},
        {"doc_id": "d2", "title": None, "region": "丙市\"'", "region_level": None, "doc_type": "work_report",
         "doc_year": None, "published": None, "n_chars": None},
    ], schema={c: schemas.DOCUMENTS[c] for c in ["doc_id", "title", "region", "region_level", "doc_type", "doc_year",
                                                 "published", "n_chars"]})
    rows = document_rows(docs)
    assert isinstance(rows, markupsafe.Markup)
    esc = lambda v: "" if v is None else str(markupsafe.escape(str(v)))
    expected = "".join(
        f"<tr><td><code>{esc(d['doc_id'])}</code></td><td>{esc(d['title'])}</td><td>{esc(d['region'])}</td>"
        f"<td>{esc(d['region_level'])}</td><td>{esc(d['doc_type'])}</td><td>{esc(d['doc_year'])}</td>"
        f"<td>{esc(d['published'])}</td><td class=\"num\">{esc(d['n_chars'])}</td></tr>\n" for d in docs.to_dicts())
    assert str(rows) == expected
    assert "<script>" not in rows and "&lt;/td&gt;&lt;script&gt;" in rows and "丙市&#34;&#39;" in rows
    assert "<td>2024-01-05</td>" in rows and "None" not in rows


def test_every_chart_design_is_valid_vega_lite_and_an_invalid_one_is_caught():
    # the designs are not validated at run time (charts.py): this is where a wrong one is caught
    import jsonschema
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import load_schema

    from planwatch.report import charts
    designs = {name: getattr(charts, name) for name in dir(charts) if name.startswith("_") and name.endswith("_design")}
    assert {"_growth_design", "_levels_design", "_gdp_bands_design", "_heat_design", "_scorecard_design"} <= set(designs)
    root = load_schema()
    for name, design in designs.items():
        args = {"_levels_design": ("亿元",), "_scorecard_design": ("增长 growth %",)}.get(name, ())
        validate_jsonschema(design(*args), root)
    broken = dict(charts._heat_design(), mark="no-such-mark")
    broken.pop("layer", None)
    with pytest.raises(jsonschema.ValidationError):
        validate_jsonschema(broken, root)
