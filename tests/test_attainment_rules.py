"""One case per qualifier and direction (design.md rules)."""
import pytest

from planwatch.analyse.attainment import Rules, judge

R = Rules(tolerance_pp=0.5, tolerance_level_pct=2.0)

CASES = [
    # target, qualifier, actual, better, is_rate, gdp_growth, expected status
    ("以上 met", 5.0, "以上", 5.6, "higher", True, None, "met"),
    ("以上 missed", 5.0, "以上", 4.9, "higher", True, None, "missed"),
    ("以上 exactly met", 2.0, "以上", 2.0, "higher", True, None, "met"),
    ("左右 rate inside tolerance", 5.5, "左右", 5.9, "lower", True, None, "met"),
    ("左右 rate outside tolerance", 5.5, "左右", 6.1, "lower", True, None, "missed"),
    ("左右 rate better than target", 5.5, "左右", 5.3, "lower", True, None, "met"),
    ("左右 level inside 2%", 100.0, "左右", 98.5, "higher", False, None, "met"),
    ("左右 level outside 2%", 100.0, "左右", 97.0, "higher", False, None, "missed"),
    ("以内 lower-is-better met", 5.5, "以内", 5.3, "lower", True, None, "met"),
    ("以内 lower-is-better missed", 5.5, "以内", 5.8, "lower", True, None, "missed"),
    ("力争 like 以上", 500.0, "力争", 483.0, "higher", False, None, "missed"),
    ("稳定增长 met", None, "稳定增长", 1.2, "higher", True, None, "met"),
    ("稳定增长 missed", None, "稳定增长", -3.7, "higher", True, None, "missed"),
    ("止跌回稳 zero is met", None, "止跌回稳", 0.0, "higher", True, None, "met"),
    ("止跌回稳 missed", None, "止跌回稳", -12.6, "higher", True, None, "missed"),
    ("与经济增长同步 met", None, "与经济增长同步", 5.3, "higher", True, 5.6, "met"),
    ("与经济增长同步 missed", None, "与经济增长同步", 4.9, "higher", True, 5.6, "missed"),
    ("与经济增长同步 without GDP", None, "与经济增长同步", 4.9, "higher", True, None, "unclear"),
    ("完成省下达目标 unclear", None, "完成省下达目标", 278.0, "higher", False, None, "unclear"),
]


@pytest.mark.parametrize("name,target,qualifier,actual,better,is_rate,gdp,expected", CASES, ids=[c[0] for c in CASES])
def test_rules(name, target, qualifier, actual, better, is_rate, gdp, expected):
    assert judge(target, qualifier, actual, better, is_rate, R, gdp)[0] == expected


APPROXIMATE = [
    # target, qualifier, actual, actual qualifier, expected status
    ("余 at the target settles a floor", 6000.0, None, 6000.0, "余", "met"),
    ("余 below the target does not", 2000.0, None, 1900.0, "余", "unclear"),
    ("多 below the target does not", 1500.0, "以上", 1400.0, "多", "unclear"),
    ("近 below a floor is missed", 100.0, "以上", 95.0, "近", "missed"),
    ("近 above a floor does not settle it", 90.0, None, 95.0, "近", "unclear"),
    ("近 within a ceiling is met", 100.0, "以内", 95.0, "近", "met"),
    ("余 above a ceiling is missed", 100.0, "以内", 105.0, "余", "missed"),
    ("约 never settles", 100.0, None, 130.0, "约", "unclear"),
]


@pytest.mark.parametrize("name,target,qualifier,actual,aq,expected", APPROXIMATE, ids=[c[0] for c in APPROXIMATE])
def test_approximate_actuals(name, target, qualifier, actual, aq, expected):
    from planwatch.analyse.attainment import judge_approximate
    assert judge_approximate(target, qualifier, actual, aq)[0] == expected


def test_exact_actual_is_left_to_judge():
    from planwatch.analyse.attainment import judge_approximate
    assert judge_approximate(100.0, None, 90.0, None) is None


# (what the document states, as (value_std, growth_pct, qualifier) per statement in document order
# with table rows first) → the statements that stay targets. One region, year and indicator.
ONE_ROW_CASES = [
    ("prose growth and the table row that adds a level: one target",
     [(428.12, 2.0, "以上"), (None, 2.0, "以上")], [0]),
    ("the same growth stated twice in prose", [(None, 5.0, "以上"), (None, 5.0, "以上")], [0]),
    ("two different growth targets stay two (a conflict for validation, not for here)",
     [(None, 5.0, "以上"), (None, 6.0, "以上")], [0, 1]),
    ("the same growth with another qualifier stays two", [(None, 5.0, "以上"), (None, 5.0, "左右")], [0, 1]),
    ("a level target and a growth target are two targets", [(500.0, None, "以上"), (None, 5.0, "以上")], [0, 1]),
    ("the same level stated twice", [(500.0, None, None), (500.0, None, None)], [0]),
    ("稳定增长 beside a numeric target says less: dropped", [(None, 7.0, None), (None, None, "稳定增长")], [0]),
    ("稳定增长 alone stays", [(None, None, "稳定增长")], [0]),
    ("two qualitative targets alone both stay", [(None, None, "稳定增长"), (None, None, "与经济增长同步")], [0, 1]),
]


@pytest.mark.parametrize("name,statements,kept", ONE_ROW_CASES, ids=[c[0] for c in ONE_ROW_CASES])
def test_each_target_counts_once(name, statements, kept):
    import polars as pl

    from planwatch.analyse.attainment import one_row_per_target
    t = pl.DataFrame({"region": ["甲县"] * len(statements), "period_year": [2026] * len(statements),
                      "indicator": ["budget_revenue"] * len(statements),
                      "value_std": [s[0] for s in statements], "growth_pct": [s[1] for s in statements],
                      "qualifier": [s[2] for s in statements], "char_start": list(range(len(statements)))},
                     schema_overrides={"value_std": pl.Float64, "growth_pct": pl.Float64, "qualifier": pl.String})
    assert one_row_per_target(t)["char_start"].to_list() == kept

