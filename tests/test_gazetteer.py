"""The gazetteer: every division of China with its GB/T 2260 code and parent, and region
recognition that uses it for documents of any province."""
from __future__ import annotations

import csv

import pytest

from planwatch.catalogue import REFERENCE_DIR, default_catalogue
from planwatch.errors import PlanwatchError
from planwatch.gazetteer import default_gazetteer, load_gazetteer
from planwatch.parse.document import detect_facts
from planwatch.parse.grammar import default_grammar


def test_gazetteer_is_complete_and_consistent():
    with (REFERENCE_DIR / "gazetteer.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    current = [r for r in rows if r["status"] == "current"]
    by_code = {r["code"]: r for r in current}
    assert len(by_code) == len(current)                                   # one current name per code
    levels = {lv: sum(1 for r in current if r["level"] == lv) for lv in ("province", "city", "district", "county")}
    assert levels["province"] >= 34 and levels["city"] >= 330 and levels["district"] + levels["county"] >= 2800
    any_code = {r["code"]: r for r in rows if r["status"] == "historical" and not r["current_name"]} | by_code
    for r in rows:
        assert r["code"][:2] + "0000" in by_code, r                        # every division lies in a province
        if r["level"] != "province":                                       # a historical one may have a historical parent (莱芜市)
            assert r["parent_code"] in any_code and any_code[r["parent_code"]]["name"] == r["parent"], r
            assert r["code"][:2] == r["parent_code"][:2]


@pytest.mark.parametrize("name,text,code", [
    ("博山区", "", "370304"),
    ("和平区", "沈阳市和平区2025年政府工作报告", "210102"),
    ("和平区", "天津市和平区第十八届人民代表大会", "120101"),
    ("城关区", "拉萨市城关区", "540102"),
    ("城关区", "兰州市城关区", "620102"),
    ("渝北区", "", "500112"),           # missing from the newer table, kept from the older one
    ("永年县", "", "130429"),           # 撤县设区 (now 永年区): documents of those years still resolve
    ("义乌市", "", "330782"),
])
def test_names_resolve_to_their_division(name, text, code):
    assert default_gazetteer().resolve(name, text).code == code


def test_an_ambiguous_name_with_no_parent_in_the_text_is_not_guessed():
    assert default_gazetteer().resolve("和平区", "和平区召开会议") is None


@pytest.mark.parametrize("text,region,level,parent,code", [
    # five provinces the curated regions.yml does not list
    ("拉萨市城关区2024年政府工作报告\n——在拉萨市城关区人民代表大会上\n", "城关区", "district", "拉萨市", "540102"),
    ("2025年伊宁市国民经济和社会发展计划\n", "伊宁市", "county", "伊犁哈萨克自治州", "654002"),
    ("关于海口市2023年国民经济和社会发展计划执行情况\n", "海口市", "city", "海南省", "460100"),
    ("2022年青海省国民经济和社会发展统计公报\n", "青海省", "province", None, "630000"),
    ("铁岭县2021年政府工作报告\n铁岭县人民政府\n", "铁岭县", "county", "铁岭市", "211221"),
])
def test_region_of_a_document_from_anywhere(text, region, level, parent, code):
    f = detect_facts(text + "全区地区生产总值增长5%。", default_catalogue(), default_grammar())
    assert (f.region, f.region_level, f.parent_region, f.region_code) == (region, level, parent, code)


# Excerpts without a title or a full name: the body's own words. The region was taken from a full name
# inside a word (示范县 → 范县, 中心城区 → 城区), or not found though the text names it by its short name.
UNTITLED = [
    ("2020年是极不平凡的一年。全县经济运行稳中向好，成功创建国家生态文明建设示范县。安吉发展势头良好，安吉人民共同奋斗，"
     "安吉白茶品牌更响。全县地区生产总值增长3.9%。", "安吉县", "330523"),
    ("过去一年，全市经济稳中有进。中心城区“一核三区”格局初步形成，赣州综合保税区封关运行，赣州港开通班列，"
     "赣州主城区扩容提质。全市生产总值增长9.5%。", "赣州市", "360700"),
    ("过去一年，全省经济运行持续回升。河南粮食总产量再创新高，河南制造加快转型，河南开放步伐加快。全省生产总值增长5.1%。",
     "河南省", "410000"),
]


@pytest.mark.parametrize("text,region,code", UNTITLED, ids=[u[1] for u in UNTITLED])
def test_an_untitled_text_is_placed_by_the_short_name_it_uses_not_by_a_name_inside_a_word(text, region, code):
    f = detect_facts(text, default_catalogue(), default_grammar(), doc_year=2021)
    assert (f.region, f.region_code) == (region, code)


@pytest.mark.parametrize("opening,region", [("本自治区第十届人民代表大会第三次会议", "未知地区"),
                                            ("沙县第十届人民代表大会第三次会议", "沙县")])
def test_a_congress_of_the_text_s_own_scope_or_of_a_one_character_name_does_not_crash(opening, region):
    """本自治区…人民代表大会 read 自治区 as a name with no stem: max() of nothing, a traceback from
    `planwatch extract`; 沙县 (a one-character stem) did the same."""
    f = detect_facts(opening + "\n全区地区生产总值增长5%。\n", default_catalogue(), default_grammar(), doc_year=2025)
    assert f.region == region


def test_a_short_name_used_once_or_shared_by_two_places_is_no_evidence():
    gz = default_gazetteer()
    assert gz.by_short_name("安吉白茶。全县经济。", "county") is None                 # used once
    assert gz.by_short_name("安吉。安吉。安吉。长兴。长兴。长兴。", "county") is None     # two tie
    assert gz.by_short_name("朝阳。朝阳。朝阳。", "district") is None      # 朝阳区 of Beijing and of Changchun


def test_documents_carry_their_region_code():
    from planwatch.parse.stage import parse_document
    from tests.conftest import RAW
    assert parse_document(RAW / "boshan_2026_plan.txt")[0].region_code == "370304"
    assert parse_document(RAW / "zibo_2026_plan.txt")[0].region_code == "370300"


HEADER = "code,name,level,parent_code,parent,province,status,current_name\n"


@pytest.mark.parametrize("content,message", [
    ("110000,北京市,province,,,北京市,current,\n".encode("gbk"), "gazetteer.csv: not UTF-8 text"),
    (b"code,name,level,status\n110000,x,province,current\n", "gazetteer.csv:1: the header lacks the column(s) parent_code"),
    (b'110000,"' + b"x" * 200_000 + b'",province,,,x,current,\n', "gazetteer.csv:2: not a readable CSV row"),
    ("110000,<script>,province,,,北京市,current,\n".encode(), "gazetteer.csv:2: a row needs a six-digit code, a name"),
    ("110000,../../x,province,,,北京市,current,\n".encode(), "gazetteer.csv:2: a row needs a six-digit code, a name"),
    ("¹¹⁰⁰⁰⁰,北京市,province,,,北京市,current,\n".encode(), "gazetteer.csv:2: a row needs a six-digit code, a name"),
    (None, "gazetteer.csv: cannot be read (Is a directory)"),
])
def test_a_broken_gazetteer_is_one_line_naming_it(tmp_path, content, message):
    path = tmp_path / "gazetteer.csv"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(HEADER.encode() + content if not content.startswith(b"code,") else content)
    with pytest.raises(PlanwatchError) as exc:
        load_gazetteer(tmp_path)
    assert str(exc.value).startswith(str(tmp_path / message.split(" ")[0])) and message in str(exc.value), exc.value


@pytest.mark.parametrize("body", [
    "全区新建学校3所，新建道路5公里，新建公园2个。",        # 新建区 (南昌)
    "全县加强合作，深化合作，扩大合作，资源节约。",          # 合作市 (甘南, county level)
])
def test_a_short_name_that_is_an_everyday_word_names_no_region(body):
    """A district report that names no region and writes 新建 (build) three times read as 新建区 of
    南昌: by_short_name counted the verb as the place (新建 is used ≥3 times in 16 of the dev texts)."""
    f = detect_facts("2025年政府工作报告\n\n" + body + "\n", default_catalogue(), default_grammar(), doc_year=2025)
    assert f.region == "未知地区"
