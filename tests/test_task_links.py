"""Task-level attainment of 淄博市's 2025 targets (2025 plan) against the 2025 results (2026 plan).

The pairs below were written by reading both documents, not from the code's output:
(target text fragment, target value, expected status, expected actual value or None).
The test reports status accuracy and link precision/recall, asserts floors, and checks
that links.yml overrides take effect.
"""
import polars as pl
import pytest

from planwatch.analyse.attainment import attainment_of_files
from planwatch.analyse.tasks import Override
from tests.conftest import RAW

PAIRS = [
    ("省市重大项目", 532, "met", 532), ("过亿元项目", 430, "met", 436), ("省外资金", 700, "no_actual", None),
    ("促消费活动", 400, "met", 400), ("家政星级企业", 8, "no_actual", None), ("绿色饭店", 2, "no_actual", None),
    ("一刻钟便民生活圈", 20, "unclear", None),          # 新增 20 vs 累计建成 170: not the same measure
    ("新开壶", 500, "met", 753), ("累计投资", 10, "no_actual", None),
    ("省级以上创新平台", 15, "met", 16), ("省级以上科技项目", 100, "met", 107),
    ("标准", 100, "met", 202),                           # 制修订各类标准 vs 发布…标准202项
    ("重点人才工程专家", 40, "no_actual", None), ("高技能人才", 8000, "no_actual", None), ("产业工人", 10, "no_actual", None),
    ("市级重点技改项目", 300, "met", 322), ("新材料产业营业收入", 2600, "no_actual", None),
    ("氢能、储能产业规模", 300, "no_actual", None), ("数字化转型覆盖率", 94, "no_actual", None),
    ("数字经济核心产业规模", 320, "missed", 300), ("信息技术应用场景", 50, "no_actual", None), ("智算占比", 60, "no_actual", None),
    ("专精特新企业", 100, "unclear", None),              # 省级以上 vs 省级: different scope
    ("单项冠军", 15, "unclear", None),                   # 省级以上 vs 国家级
    ("过百亿元级企业", 20, "no_actual", None), ("服务业重点项目", 154, "met", 154), ("重点物流项目", 30, "no_actual", None),
    ("粮食播种面积", 326, "no_actual", None), ("数字农业农村重点项目", 20, "no_actual", None),
    ("国家级农业产业化龙头企业", 1, "no_actual", None), ("农业龙头企业", 225, "no_actual", None),
    ("无感智办", 10, "no_actual", None), ("一件事", 10, "met", 12), ("农村公路", 145, "met", 147),
    ("路面状况改善", 720, "met", 725), ("农村供水规模化率", 96, "met", 96), ("智慧社区覆盖率", 90, "no_actual", None),
    ("文旅重点项目", 50, "met", 110), ("旅游停车场", 42, "met", 42), ("旅游集散中心", 37, "met", 37),
    ("和美乡村", 12, "met", 12),
    ("新型储能装机规模", 100, "unclear", None),         # 建成和在建 110: counts unfinished storage (was "met", wrong) ("电动汽车公共充电桩", 6000, "met", 6000),
    ("再生水利用率", 55, "met", 55), ("历史遗留矿山", 19, "missed", 9), ("水土流失面积", 70, "met", 70),
    ("水土保持率", 78.61, "no_actual", None), ("专项招聘活动", 365, "met", 1696),
    ("政策性扶持创业", 1.5, "unclear", None),            # 万人 vs 万人次
    ("高校毕业生", 4, "met", 4.16), ("乡村医生技术培训基地", 12, "no_actual", None), ("智慧养老院", 2, "no_actual", None),
    ("老年友好型社区", 3, "no_actual", None), ("基层综合性文化服务中心", 100, "met", 100), ("博物馆", 100, "met", 101),
    ("万人有效发明专利", 30, "met", 33.25), ("新能源装机容量", 500, "missed", 483),
    # issue 15: actuals that do not measure the target (read from both documents)
    ("新改扩建中小学", 5, "unclear", None),               # 新改扩建幼儿园、中小学8所 counts both targets
    ("新改扩建幼儿园", 3, "unclear", None),
    ("老旧小区、城中村", 40, "unclear", None),            # 20个老旧小区改造项目…全部开工: started, one part of two
    ("普惠型床位", 2000, "unclear", None),                # 新认定 2000 vs 认定…1.8万张 (the stock)
]


def _build(overrides=()):
    att = attainment_of_files([RAW / f for f in ("zibo_2025_plan_notice.txt", "zibo_2026_plan.txt")], overrides=list(overrides))
    return att.filter((pl.col("region") == "淄博市") & (pl.col("year") == 2025))


@pytest.fixture(scope="module")
def attainment():
    return _build()


def _find(att, fragment, value):
    hits = [r for r in att.to_dicts() if fragment in r["target_text"] and r["target_value"] is not None and abs(r["target_value"] - value) < 1e-9]
    return hits[0] if hits else None


def test_links_against_hand_checked_pairs(attainment, capsys):
    status_ok, links_made, links_right, links_expected, lines = 0, 0, 0, 0, []
    for fragment, value, status, actual in PAIRS:
        r = _find(attainment, fragment, value)
        got_status = r["status"] if r else "(target not extracted)"
        linked = r["actual_value"] if r and r["status"] in ("met", "missed") else None
        status_ok += got_status == status
        if linked is not None:
            links_made += 1
            links_right += actual is not None and abs(linked - actual) < 1e-6
        if actual is not None:
            links_expected += 1
        mark = "ok " if got_status == status else "BAD"
        lines.append(f"{mark} {fragment}{value}: expected {status} {actual}, got {got_status} {linked}")
    n = len(PAIRS)
    status_acc, precision, recall = status_ok / n, links_right / links_made, links_right / links_expected
    with capsys.disabled():
        print(f"\n淄博 2025 task links: {n} pairs; status accuracy {status_acc:.1%}; "
              f"link precision {precision:.1%} ({links_right}/{links_made}); link recall {recall:.1%} ({links_right}/{links_expected})")
        for ln in lines:
            if ln.startswith("BAD"):
                print("  " + ln)
    assert n >= 30
    assert status_acc >= 0.85 and precision >= 0.9 and recall >= 0.8


def test_overrides_take_effect():
    base = _build()
    assert _find(base, "一刻钟便民生活圈", 20)["status"] == "unclear"
    att = _build([
        Override("淄博市", 2025, "历史遗留矿山", "not_comparable", None, "the plan counts sites, the report counts finished repairs"),
        Override("淄博市", 2025, "省外资金", "pin", "政策性资金", "analyst: 争取政策性资金 is the comparable figure"),
        Override("淄博市", 2025, "过亿元项目", "reject", "新引进过亿元项目", "wrong year"),
    ])
    mine = _find(att, "历史遗留矿山", 19)
    assert (mine["status"], mine["override"]) == ("unclear", "not_comparable")
    pinned = _find(att, "省外资金", 700)
    assert pinned["override"] == "pin" and pinned["link_confidence"] == 1.0 and pinned["actual_value"] is not None
    rejected = _find(att, "过亿元项目", 430)
    assert rejected["actual_value"] != 436
