"""Held-out cases: sentences in the style of other regions' plans and reports, written from
the genre, not from the five documents. The extractor is never tuned against this file:
a failing case is recorded as a strict xfail with the reason, and fixing it means adding a
dev case and a general rule, not editing this table."""
import pytest

from tests.test_extract_cases import rows

A, T = "actual", "target"
X = pytest.mark.xfail

HELDOUT = [
    ("全县实现地区生产总值286.5亿元，增长6.2%。", "results", [("gdp", A, 2025, 286.5, "亿元", 6.2, None)]),
    ("城镇居民人均可支配收入43215元，增长5.3%；农村居民人均可支配收入23156元，增长6.8%。", "results",
     [("urban_disposable_income_per_capita", A, 2025, 43215.0, "元", 5.3, None),
      ("rural_disposable_income_per_capita", A, 2025, 23156.0, "元", 6.8, None)]),
    ("规模以上工业增加值增长8.1%，服务业增加值增长5.9%。", "results",
     [("industrial_value_added_above_scale", A, 2025, None, None, 8.1, None), ("services_value_added", A, 2025, None, None, 5.9, None)]),
    ("社会消费品零售总额增长6%左右。", "targets", [("retail_sales", T, 2026, None, None, 6.0, "左右")]),
    # cpi is a growth rate (design.md, tests/corpus/README.md): 涨幅 3% is growth_pct 3
    ("居民消费价格涨幅控制在3%左右。", "targets", [("cpi", T, 2026, None, None, 3.0, "左右")]),
    ("城镇登记失业率控制在4.5%以内。", "targets", [("urban_registered_unemployment_rate", T, 2026, 4.5, "%", None, "以内")]),
    ("森林覆盖率达到42.5%。", "results", [("forest_coverage", A, 2025, 42.5, "%", None, None)]),
    ("接待国内外游客1250万人次，实现旅游总收入138亿元。", "results",
     [("tourist_visits", A, 2025, 1250.0, "万人次", None, None), ("tourism_revenue", A, 2025, 138.0, "亿元", None, None)]),
    ("实际使用外资1.2亿美元，增长15.6%。", "results", [("fdi_actual_use", A, 2025, 1.2, "亿美元", 15.6, None)]),
    ("一般公共预算支出完成45.3亿元，下降2.1%。", "results", [("budget_expenditure", A, 2025, 45.3, "亿元", -2.1, None)]),
    ("固定资产投资增长8%左右，进出口总额保持稳定。", "targets",
     [("fixed_asset_investment", T, 2026, None, None, 8.0, "左右"), ("trade_total", T, 2026, None, None, None, "保持稳定")]),
    ("地区生产总值增长6%—6.5%，规模以上工业增加值增长7%。", "targets",
     [("gdp", T, 2026, None, None, 6.0, None), ("industrial_value_added_above_scale", T, 2026, None, None, 7.0, None)]),
    ("研发经费投入强度达到2.8%。", "targets", [("rd_intensity", T, 2026, 2.8, "%", None, None)]),
    ("细颗粒物（PM2.5）平均浓度下降到38微克/立方米。", "results",
     [("pm25_concentration", A, 2025, 38.0, "微克/立方米", None, None)]),
    ("全年网上零售额达到86.4亿元，同比增长12.3%。", "results", [("online_retail", A, 2025, 86.4, "亿元", 12.3, None)]),
    ("出口总额完成42.3亿元，增长4.4%。", "results", [("exports", A, 2025, 42.3, "亿元", 4.4, None)]),
    # 同口径增长: a growth at comparable scope
    ("一般公共预算收入完成15.6亿元，同口径增长5.1%。", "results", [("budget_revenue", A, 2025, 15.6, "亿元", 5.1, None)]),
    # 比年初增加: a change of a stock, not year-on-year growth
    ("金融机构本外币各项存款余额1234.5亿元，比年初增加98.7亿元。", "results",
     [("deposits", A, 2025, 1234.5, "亿元", None, None)]),
    ("城镇新增就业1.2万人，城镇调查失业率5.1%。", "results",
     [("urban_new_jobs", A, 2025, 1.2, "万人", None, None), ("urban_unemployment_rate", A, 2025, 5.1, "%", None, None)]),
    # 增速 before the number, after 比上年
    ("全年全县GDP比上年增长5.8%。", "results", [("gdp", A, 2025, None, None, 5.8, None)]),
]


@pytest.mark.parametrize("phrase,section,expected", HELDOUT, ids=[f"heldout-{i:02d}" for i in range(len(HELDOUT))])
def test_heldout(phrase, section, expected):
    assert rows(phrase, section) == expected
