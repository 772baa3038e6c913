"""Documents in the forms they are published in (issue 12): what is read and what is refused.

Tables of examples by failure class — refusal (document facts), script, layout, tables laid
out with spaces — each with `dev` cases written for this test in the style of the corpus's dev
documents, and strict `xfail` for known gaps. Texts are invented; none is a held-out document.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from planwatch.parse.convert import to_text
from planwatch.parse.extract import extract
from planwatch.parse.grammar import default_grammar
from planwatch.parse.tables import spaced_rows
from planwatch.parse.text import _fold_table, fold, load_t2s, normalise

ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------------------------------------
# Refusals: facts of documents that used to be refused whole.
# (text, hints, (region, region_level, doc_type, doc_year), at least this many catalogued rows)
FACTS = [
    ("2018年呈貢區政府工作報告\n——2018年1月9日在昆明市呈貢區第二屆人民代表大會第三次會議上\n各位代表：\n"
     "一、2017年工作回顧\n全區地區生產總值完成385.2億元，增長9.1%。\n", {},
     ("呈贡区", "district", "work_report", 2018), 1),
    ("一、2024年工作回顾\n\n全年全省生产总值达到6.39万亿元、增长5.1%；规模以上工业增加值增长8%。\n", {},
     ("未知地区", "province", "work_report", 2025), 2),
    ("一、2024年工作回顾\n\n全年生产总值达到6.39万亿元、增长5.1%。\n", {"region": "河南省", "doc_year": 2025},
     ("河南省", "province", "work_report", 2025), 1),
    ("南昌新聞網 | 首頁 > 新聞中心 > 南昌要聞\n\n今年我市地區生產總值預期增長8.5%—9%\n"
     "來源：南昌日報　　發布時間：2018-01-16 07:52\n\n"
     "本報訊（記者 某某）1月15日上午，南昌市第十五屆人民代表大會第二次會議開幕。"
     "全市地區生產總值完成5003.2億元，增長8.8%。\n", {},
     ("南昌市", "city", "news", 2018), 1),
    ("一、2015年国民经济和社会发展计划执行情况\n\n全市地区生产总值1850.2亿元，增长9.6%。\n", {},
     ("未知地区", "city", "plan_report", 2016), 1),
    ("农业生产稳定。全年地区生产总值增长5%，城镇新增就业1.2万人。\n", {"region": "某某县", "doc_year": 2025},
     ("某某县", "county", "unknown", 2025), 1),
    ("关于大连市2022年国民经济和社会发展计划执行情况与2023年国民经济和社会发展计划草案的报告\n正文。\n", {},
     ("大连市", "city", "plan_report", 2023), 0),
    ("佛山市南海区2023年国民经济和社会发展统计公报\n\n佛山市南海区统计局\n2024年4月12日\n"
     "一、综合\n全年全区实现地区生产总值3612.42亿元，比上年增长2.9%。\n", {},
     ("南海区", "district", "bulletin", 2023), 1),
]


@pytest.mark.parametrize("text,hints,expected,min_rows", FACTS, ids=[f"facts-{i}" for i in range(len(FACTS))])
def test_forms_facts(text, hints, expected, min_rows):
    facts, records = extract(text, **hints)
    assert (facts.region, facts.region_level, facts.doc_type, facts.doc_year) == expected
    assert len([r for r in records if not r.indicator.startswith("other:")]) >= min_rows


def test_bulletin_rows_are_actuals_of_its_year():
    _, records = extract(FACTS[7][0])
    assert [(r.indicator, r.kind, r.period_year, r.value, r.growth_pct) for r in records] == \
        [("gdp", "actual", 2023, 3612.42, 2.9)]


# ---------------------------------------------------------------------------------------------
# Script: traditional characters, Kangxi radicals, full-width and compatibility forms are matched;
# spans point at the characters as written.
RESULTS = "某某市2026年国民经济和社会发展计划\n一、2025年计划执行情况\n"
# (sentence, evidence as written, (indicator, value, growth_pct))
SCRIPT = [
    ("全年地區生產總值1850.2億元，增長9.6%。", "1850.2億元", ("gdp", 1850.2, 9.6)),
    ("規模以上⼯業增加值增長9.3%。", "9.3%", ("industrial_value_added_above_scale", None, 9.3)),
    ("规模以上⼯业增加值增长9.3%。", "9.3%", ("industrial_value_added_above_scale", None, 9.3)),
    ("固定资产投资增长１２．５％。", "１２．５％", ("fixed_asset_investment", None, 12.5)),
    ("社會消費品零售總額3050億元，增長6.1%。", "3050億元", ("retail_sales", 3050.0, 6.1)),
    ("金融機構本外幣存款餘額4.58萬億元，增長6.8%。", "4.58萬億元", ("deposits", 4.58, 6.8)),
    ("⼀般公共预算收⼊完成76.4亿元，增长2.3%。", "76.4亿元", ("budget_revenue", 76.4, 2.3)),
]


@pytest.mark.parametrize("sentence,evidence,expected", SCRIPT, ids=[f"script-{i}" for i in range(len(SCRIPT))])
def test_forms_script(sentence, evidence, expected):
    raw = RESULTS + sentence + "\n"
    _, records = extract(raw)
    got = [(r.indicator, r.value, r.growth_pct) for r in records if r.indicator == expected[0]]
    assert got == [expected]
    r = next(r for r in records if r.indicator == expected[0])
    assert evidence in raw[r.char_start - 12:r.char_end + 2]


def test_fold_is_character_for_character():
    table = _fold_table(default_grammar())      # indexed by code point: the code point itself, or one character
    assert all(v == i if isinstance(v, int) else len(v) == 1 for i, v in enumerate(table))
    assert all(len(k) == len(v) == 1 for k, v in load_t2s().items())
    text = "關於福建省2018年國民經濟和社會發展計劃執行情況與2019年計劃草案的報告，⼯业增长１０％"
    assert len(fold(text)) == len(text)
    assert fold(text) == "关于福建省2018年国民经济和社会发展计划执行情况与2019年计划草案的报告，工业增长10%"


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "raw").glob("*.txt")), ids=lambda p: p.stem)
def test_fold_leaves_simplified_characters_alone(path):
    """Simplified text keeps every ideograph: the table maps no character simplified text uses."""
    text = path.read_text(encoding="utf-8")
    folded = fold(text)
    changed = {a for a, b in zip(text, folded) if a != b and "\u4e00" <= a <= "\u9fff"}
    assert changed == set()


# ---------------------------------------------------------------------------------------------
# Layout: breaks inside words and numbers (page footers and running headers between the halves),
# spaces inside words, bullets, numbered items.
LONG = "深入实施创新驱动发展战略和产业基础再造工程，全面推进制造强市建设，"
PAGE = "\n\n— 3 —\n\n某某市人民政府工作报告\n"
PAGE2 = "\n\n— 4 —\n\n某某市人民政府工作报告\n"
# (text under a results heading, (indicator, value, growth_pct))
LAYOUT = [
    (LONG + "规模以上" + PAGE + "工业增加值增长9.3%。" + PAGE2 + "正文。", ("industrial_value_added_above_scale", None, 9.3)),
    (LONG + "每万人口高价值发明专利拥有量达到28.\n6件。", ("high_value_invention_patents_per_10k", 28.6, None)),
    ("全年地区生产总值完成18.62\n亿元，增长5%。", ("gdp", 18.62, 5.0)),
    ("城镇居 民人均可支配收入45600元，增长5.1%。", ("urban_disposable_income_per_capita", 45600.0, 5.1)),
    ("◆地区生产总值：预计全年完成905亿元，增长5.6%。", ("gdp", 905.0, 5.6)),
    ("● 社会消费品零售总额：完成361亿元，增长5.8%。", ("retail_sales", 361.0, 5.8)),
    ("1.固定资产投资增长3.1%；\n2.一般公共预算收入完成76.4亿元。", ("fixed_asset_investment", None, 3.1)),
    (LONG + "城镇调查失业率5." + PAGE + "3%，居民消费价格上涨0.2%。" + PAGE2 + "正文。", ("urban_unemployment_rate", 5.3, None)),
]


@pytest.mark.parametrize("text,expected", LAYOUT, ids=[f"layout-{i}" for i in range(len(LAYOUT))])
def test_forms_layout(text, expected):
    _, records = extract(RESULTS + text + "\n")
    got = [(r.indicator, r.value, r.growth_pct) for r in records if r.indicator == expected[0]]
    assert got == [expected]


def test_page_furniture_keeps_spans():
    raw = RESULTS + LAYOUT[0][0] + "\n"
    n = normalise(raw)
    assert "— 3 —" not in n.text and "规模以上工业增加值增长9.3%" in n.text
    i = n.text.index("9.3%")
    s, e = n.raw_span(i, i + 4)
    assert raw[s:e] == "9.3%"


# ---------------------------------------------------------------------------------------------
# Tables laid out with tabs or runs of spaces.
# (table text, expected rows (indicator, kind, period_year, value, growth_pct, qualifier))
TABLES = [
    ("附件\n某某市2024年主要指标\n\n指标名称          单位      2023年预计    增长%     2024年目标      增长%\n"
     "地区生产总值      亿元      1268.4        6.1       1345            6左右\n",
     [("gdp", "actual", 2023, 1268.4, 6.1, None), ("gdp", "target", 2024, 1345.0, 6.0, "左右")]),
    ("附件\n序号  指标名称            单位    2023年预计    增长%    2024年目标    增长%\n"
     "1     规模以上工业增加值  亿元    —             3.2      —             5\n",
     [("industrial_value_added_above_scale", "actual", 2023, None, 3.2, None),
      ("industrial_value_added_above_scale", "target", 2024, None, 5.0, None)]),
    ("附件\n指标名称\t单位\t2022年预计\t增长%\t2023年目标\t增长%\n外贸进出口总额\t亿元\t4718.5\t2.9\t—\t稳中提质\n",
     [("trade_total", "actual", 2022, 4718.5, 2.9, None), ("trade_total", "target", 2023, None, None, "稳中提质")]),
    ("表1  2022年全市主要经济指标\n\n指标名称                单位        绝对数        比上年增长(%)\n"
     "地区生产总值            亿元        7086.4        6.2\n固定资产投资            亿元        —             9.1\n",
     [("gdp", "actual", 2022, 7086.4, 6.2, None), ("fixed_asset_investment", "actual", 2022, None, 9.1, None)]),
    ("附件\n指標名稱　　單位　　2014年完成　　增長%\n一般公共預算收入　　億元　　284.1　　5.3\n",
     [("budget_revenue", "actual", 2014, 284.1, 5.3, None)]),
]


@pytest.mark.parametrize("text,expected", TABLES, ids=[f"table-{i}" for i in range(len(TABLES))])
def test_forms_tables(text, expected):
    raw = "某某市2024年国民经济和社会发展计划\n" + text
    _, records = extract(raw)
    got = [(r.indicator, r.kind, r.period_year, r.value, r.growth_pct, r.qualifier)
           for r in records if r.origin == "table"]
    assert got == expected
    for r in records:
        assert raw[r.char_start:r.char_end].strip()


def test_spaced_rows_are_not_prose():
    assert spaced_rows("全年地区生产总值增长5%，规模以上工业增加值增长8%。\n") == []


# ---------------------------------------------------------------------------------------------
# Saved web pages: the title and date outside the article body are kept.
def test_web_page_keeps_title_and_date():
    page = ("<html><head><meta name='PubDate' content='2026-01-28 18:42'>"
            "<title>今年全市地区生产总值预期增长5% 市政府工作报告绘就开局路线图_今日某市_某市人民政府网</title></head>"
            "<body><nav>首页</nav><div class='art'>" + "<p>本报讯（记者 某某）1月28日上午，重庆市第六届人民代表大会第四次会议开幕。"
            "报告显示，全年地区生产总值达到33690.4亿元、增长5.4%。</p>" * 3 + "</div></body></html>")
    text, _ = to_text(page.encode(), "p.html")
    assert text.splitlines()[:2] == ["今年全市地区生产总值预期增长5% 市政府工作报告绘就开局路线图", "发布时间：2026-01-28"]
    facts, _ = extract(text)
    assert (facts.region, facts.doc_type, facts.doc_year, facts.published) == ("重庆市", "news", 2026, "2026-01-28")


def test_linear_time_on_many_pages():
    """Page furniture and joining stay linear: 2,000 pages of broken lines read in well under a second each 100."""
    import time
    body = "".join(LONG + f"规模以上\n\n— {i} —\n\n某某市人民政府工作报告\n工业增加值增长9.3%。\n" for i in range(2000))
    body += LONG + "规模以上\n\n— 2001 —\n\n" + LONG + "\n"      # a clause beside a page number is not a header
    t0 = time.perf_counter()
    n = normalise(body)
    assert time.perf_counter() - t0 < 5
    assert len(re.findall("规模以上工业增加值", n.text)) == 2000
