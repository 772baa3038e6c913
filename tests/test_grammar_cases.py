"""Number grammar, uncatalogued statements, document facts and sections as tables of examples."""

import pytest

from planwatch.catalogue import default_catalogue
from planwatch.parse.document import detect_facts
from planwatch.parse.grammar import default_grammar
from planwatch.parse.numbers import find_quantities
from planwatch.parse.sections import find_sections
from planwatch.parse.text import normalise
from tests.test_extract_cases import rows

# text, [(value, value_high, unit, approx, qualifier)]
QUANTITIES = [
    ("完成319.3亿元", [("319.3", None, "亿元", None, None)]),
    ("计划总投资1.03万亿元", [("1.03", None, "万亿元", None, None)]),
    ("举办促消费活动400余场", [("400", None, "场", "余", None)]),
    ("带动社会消费额近100亿元", [("100", None, "亿元", "近", None)]),
    ("完成技改投资超30亿元", [("30", None, "亿元", "超", None)]),
    ("总数突破570家", [("570", None, "家", "突破", None)]),
    ("拉动消费约95亿元", [("95", None, "亿元", "约", None)]),
    ("实际使用外资超过3.6亿美元", [("3.6", None, "亿美元", "超过", None)]),
    ("实际使用外资19652万美元", [("19652", None, "万美元", None, None)]),
    ("完成城区道路沥青铺设2.6万余平方米", [("2.6", None, "万平方米", "余", None)]),
    ("安装智能水表4万余台", [("4", None, "万台", "余", None)]),
    ("增长5.5%以上", [("5.5", None, "%", None, "以上")]),
    ("控制在5.5%左右", [("5.5", None, "%", None, "左右")]),
    ("增长6%—6.5%", [("6", "6.5", "%", None, None)]),
    ("增长6%-6.5%", [("6", "6.5", "%", None, None)]),
    ("增长6至6.5%", [("6", "6.5", "%", None, None)]),
    ("高于全市平均增速4.24个百分点", [("4.24", None, "个百分点", None, None)]),
    ("城乡居民人均可支配收入达49261元", [("49261", None, "元", None, None)]),
    ("每万人口发明专利拥有量达到33.25件", [("33.25", None, "件", None, None)]),
    ("城镇新增就业5.5万人以上", [("5.5", None, "万人", None, "以上")]),
    ("来博游客人数突破600万人次", [("600", None, "万人次", "突破", None)]),
    ("细颗粒物浓度35微克/立方米", [("35", None, "微克/立方米", None, None)]),
    ("装机容量达到483万千瓦", [("483", None, "万千瓦", None, None)]),
    ("优良天数达269天", [("269", None, "天", None, None)]),
    ("新增天然气入户1972户", [("1972", None, "户", None, None)]),
    ("完成造林落地上图1580亩", [("1580", None, "亩", None, None)]),
    ("新建高标准农田10.44万亩", [("10.44", None, "万亩", None, None)]),
    ("完成改造10.4万户", [("10.4", None, "万户", None, None)]),
    ("新改建农村公路147公里", [("147", None, "公里", None, None)]),
    ("新增光伏装机容量20千瓦", [("20", None, "千瓦", None, None)]),   # bug: 千 was read as a magnitude
    ("党的二十大、“十四五”、“3510”发展目标", []),
    ("“1+6”重点行业深度治理、“5+N”基层综合性文化服务中心", []),
    ("华电淄博热电2×350兆瓦超超临界燃煤机组", []),
    ("2025年3月21日，淄政字〔2025〕34号", []),
    ("国家4A级旅游景区、5G基站、G341黄海线", []),
    ("位列全国百城消费者满意度榜单第15名", []),
]


@pytest.mark.parametrize("text,expected", QUANTITIES, ids=[f"q{i:02d}-{t[:10]}" for i, (t, _) in enumerate(QUANTITIES)])
def test_quantities(text, expected):
    norm = normalise(text).text
    got = [(str(q.value), str(q.value_high) if q.value_high is not None else None, q.unit, q.approx, q.qualifier)
           for q in find_quantities(norm)]
    assert got == [(v, h, u, a, ql) for v, h, u, a, ql in expected]


# Uncatalogued quantified statements: (subject as written, kind, year, value, unit, growth, qualifier)
A, T = "actual", "target"
OTHER = [
    ("科技型中小企业和高技术企业分别达到234家、153家。", "results",
     [("科技型中小企业", A, 2025, 234.0, "家", None, None), ("高技术企业", A, 2025, 153.0, "家", None, None)]),
    ("加大招商引资力度，新引进过亿元项目436个。", "results", [("新引进过亿元项目", A, 2025, 436.0, "个", None, None)]),
    ("突出产业链招商、以商招商，新引进项目430个以上。", "targets", [("新引进项目", T, 2026, 430.0, "个", None, "以上")]),
    ("完成造林落地上图1580亩，修复历史遗留矿山9处。", "results",
     [("完成造林落地上图", A, 2025, 1580.0, "亩", None, None), ("修复历史遗留矿山", A, 2025, 9.0, "处", None, None)]),
    ("新增省级以上创新平台16家，总数突破570家。", "results",
     [("新增省级以上创新平台", A, 2025, 16.0, "家", None, None), ("总数", A, 2025, 570.0, "家", None, "突破")]),
    ("新增国家专精特新“小巨人”企业13家、国家单项冠军企业5家。", "results",
     [("新增国家专精特新“小巨人”企业", A, 2025, 13.0, "家", None, None), ("新增国家单项冠军企业", A, 2025, 5.0, "家", None, None)]),
    ("力争新增省级以上创新平台15家。", "targets", [("新增省级以上创新平台", T, 2026, 15.0, "家", None, "力争")]),
    ("全市技改投资增长14.9%。", "results", [("技改投资", A, 2025, None, None, 14.9, None)]),
    ("统筹推进110个文旅重点项目。", "results", [("统筹推进文旅重点项目", A, 2025, 110.0, "个", None, None)]),
    ("组织外出招商160余次，签约落地项目26个。", "results",
     [("组织外出招商", A, 2025, 160.0, "次", None, "余"), ("签约落地项目", A, 2025, 26.0, "个", None, None)]),
]


@pytest.mark.parametrize("phrase,section,expected", OTHER, ids=[f"other-{i:02d}-{c[0][:12]}" for i, c in enumerate(OTHER)])
def test_other_statements(phrase, section, expected):
    assert rows(phrase, section, other=True) == expected


FACTS = [
    # opening text, (region, level, parent, doc_type, doc_year)
    ("桓台县2025年国民经济和社会发展计划\n一、2024年计划执行情况\n", ("桓台县", "county", "淄博市", "plan", 2025)),
    ("某某县2025年国民经济和社会发展计划\n一、2024年计划执行情况\n正文。", ("某某县", "county", None, "plan", 2025)),
    ("2025年山东省国民经济和社会发展计划\n", ("山东省", "province", None, "plan", 2025)),
    ("关于淄川区2024年国民经济和社会发展计划执行情况与2025年计划草案的报告\n", ("淄川区", "district", "淄博市", "plan_report", 2025)),
    ("2025年淄博市政府工作报告\n各位代表：\n", ("淄博市", "city", "山东省", "work_report", 2025)),
    ("淄博市2024年国民经济和社会发展统计公报\n", ("淄博市", "city", "山东省", "bulletin", 2024)),
    ("编者按\n沂源县召开会议，2021年沂源县将加快发展，2021年目标明确。\n本报记者 某某\n", ("沂源县", "county", "淄博市", "news", 2021)),
]


@pytest.mark.parametrize("text,expected", FACTS, ids=[f"facts-{i}" for i in range(len(FACTS))])
def test_document_facts(text, expected):
    f = detect_facts(text + "正文" * 20 + "。", default_catalogue(), default_grammar())
    assert (f.region, f.region_level, f.parent_region, f.doc_type, f.doc_year) == expected


SECTIONS = [
    ("一、2025年国民经济和社会发展计划执行情况", "results", 2025),
    ("二、2026年经济社会发展总体要求和主要目标", "targets", 2026),
    ("三、2026年经济社会发展重点任务和主要措施", "tasks", 2026),
    ("二、2024年国民经济和社会发展计划安排", "targets", 2024),
    ("一、“十三五”时期工作回顾", "results", None),
    ("附件：2026年国民经济和社会发展主要预期目标", "annex", 2026),
]


@pytest.mark.parametrize("heading,kind,year", SECTIONS, ids=[f"sec-{i}" for i in range(len(SECTIONS))])
def test_section_kinds(heading, kind, year):
    s = find_sections(f"标题\n{heading}\n正文。\n", default_grammar())[-1]
    assert (s.kind, s.year) == (kind, year)
