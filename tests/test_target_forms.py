"""target_form and hard of target rows (design.md), as researchers code them: a table of
examples through the parse stage's edge (records → frame), and the rule file's typed model."""
import polars as pl
import pytest

from planwatch.errors import PlanwatchError
from planwatch.parse import forms
from planwatch.parse.extract import extract
from planwatch.parse.forms import indicator_frame
from tests.conftest import wrap

# (id, target sentence, indicator_zh fragment, expected target_form, expected hard)
CASES = [
    ("floor 以上", "地区生产总值增长5%以上。", "地区生产总值", "floor", False),
    ("floor 不低于, hard", "粮食播种面积不低于326万亩。", "粮食播种面积", "floor", True),
    ("ceiling 控制在", "城镇调查失业率控制在5.5%以内。", "城镇调查失业率", "ceiling", False),
    ("around 左右", "固定资产投资增长6%左右。", "固定资产投资", "around", False),
    ("range", "社会消费品零售总额增长6%—6.5%。", "社会消费品零售总额", "range", False),
    ("point", "规模以上工业增加值增长7%。", "规模以上工业增加值", "point", False),
    ("stretch 力争", "力争实际使用外资增长10%。", "实际使用外资", "stretch", False),
    ("floor wins over 力争", "力争地区生产总值增长6%以上。", "地区生产总值", "floor", False),
    ("hard 确保", "确保城镇新增就业5.5万人以上。", "城镇新增就业", "floor", True),
    ("hard carries over 、", "确保地区生产总值增长5%、一般公共预算收入增长3%。", "一般公共预算收入", "point", True),
    ("hard ends at ，", "确保地区生产总值增长5%，一般公共预算收入增长3%。", "一般公共预算收入", "point", False),
    ("qualitative", "居民消费价格保持合理水平。", "居民消费价格", "qualitative", False),
]


def _rows(sentence: str) -> pl.DataFrame:
    text = wrap(sentence, section="targets")
    _facts, records = extract(text, name="case.txt")
    return indicator_frame([r.as_row(doc_id="case", region="博山区") for r in records],
                           [text[r.char_start:r.char_end] for r in records])


@pytest.mark.parametrize("name,sentence,fragment,form,hard", CASES, ids=[c[0] for c in CASES])
def test_target_form(name, sentence, fragment, form, hard):
    rows = _rows(sentence).filter((pl.col("kind") == "target") & pl.col("indicator_zh").str.contains(fragment, literal=True))
    assert rows.height == 1, rows
    assert (rows["target_form"][0], rows["hard"][0]) == (form, hard)


def test_actuals_have_no_form():
    text = wrap("地区生产总值增长5.6%，确保完成。", section="results")
    _facts, records = extract(text, name="case.txt")
    df = indicator_frame([r.as_row(doc_id="case", region="博山区") for r in records],
                         [text[r.char_start:r.char_end] for r in records])
    actual = df.filter(pl.col("kind") == "actual")
    assert actual.height >= 1 and actual["target_form"].is_null().all() and actual["hard"].is_null().all()


@pytest.mark.parametrize("body,where", [
    ("forms:\n  - form: floor\n    qualifiers: 以上\nhard_words: [确保]\n", ":3: forms[0].qualifiers"),
    ("forms:\n  - form: floor\n    qualifiers: [以上]\n  - form: roof\nhard_words: [确保]\n", ":4: forms[1].form"),
    ("forms:\n  - form: floor\n    qualifiers: [以上]\n  - form: ceiling\n    qualifiers: [以上]\nhard_words: [确保]\n", "in both floor and ceiling"),
    ("forms:\n  - form: floor\n    qualifiers: [以上]\n", "hard_words"),
])
def test_malformed_rule_file_is_refused_naming_file_line_and_key(tmp_path, body, where):
    path = tmp_path / "target_forms.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(PlanwatchError) as exc:
        forms.load(path)
    assert str(path) in str(exc.value) and where in str(exc.value)


def test_comparability_file_is_refused_naming_file_line_and_key(tmp_path):
    from planwatch.analyse import comparability
    good = comparability.COMPARABILITY_PATH.read_text(encoding="utf-8")
    path = tmp_path / "comparability.yml"
    path.write_text(good.replace("  ongoing: [在建, 续建]", "  ongoing: 在建"), encoding="utf-8")
    with pytest.raises(PlanwatchError) as exc:
        comparability.load(path)
    line = next(i for i, ln in enumerate(good.splitlines(), 1) if ln.startswith("  ongoing:"))
    assert f"{path}:{line}: stages.ongoing" in str(exc.value)
