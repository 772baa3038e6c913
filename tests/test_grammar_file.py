"""grammar.yml is read through typed models: a malformed entry is one line naming file, line and key."""
import re

import pytest

from planwatch.errors import PlanwatchError
from planwatch.parse.grammar import GRAMMAR_PATH, default_grammar, load_grammar
from planwatch.parse.extract import extract

GOOD = GRAMMAR_PATH.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


# (what is broken, line as written in grammar.yml, its replacement, key in the message, words of the message)
MALFORMED = [
    ("a string where a list belongs", "growth_up: [增长, 增加, 提高, 上升, 提升, 增速为, 增速, 增幅, 上涨, 涨幅]", "growth_up: 增长",
     "growth_up", "a list of words, not a string"),
    ("a rewrite of two characters", '"％": "%"', '"％": "%%"', "char_map.％", "is not one character"),
    ("a regular expression that does not compile", "  - '\\d{1,2}月\\d{1,2}日'", "  - '(\\d{1,2}月'",
     "not_numbers[2]", "not a valid regular expression"),
    ("a unit factor that is no number", '{unit: 万亿元, family: money, base: 元, factor: "1000000000000"}',
     '{unit: 万亿元, family: money, base: 元, factor: "a trillion"}', "units[0].factor", "is not a decimal number"),
    ("a unit factor that is NaN (every value_std would be NaN)", '{unit: 万亿元, family: money, base: 元, factor: "1000000000000"}',
     '{unit: 万亿元, family: money, base: 元, factor: "NaN"}', "units[0].factor", "is not a decimal number"),
    ("an unknown key (a typo)", "stretch_words: [力争", "stretch_wrods: [力争", "stretch_wrods", "Extra inputs"),
    ("a period scope that does not exist", "  - {scope: annual, pattern:", "  - {scope: yearly, pattern:",
     "period_marks[2].scope", "partial_year"),
    ("a section kind that does not exist", "  - {kind: tasks, words:", "  - {kind: chores, words:",
     "section_kinds[3].kind", "results"),
    ("a region level that does not exist", "旗: county}", "旗: banner}", "regions.suffixes.旗", "county"),
    # (\d+)+ takes exponential time on a line of digits with no match: one rule would hang every document
    ("a repeat inside a repeat (catastrophic backtracking)", "  - '\\d{1,2}月\\d{1,2}日'", "  - '(?:\\d+)+月'",
     "not_numbers[2]", "a repeat inside a repeat"),
    # (?:\d|\d\d)+ splits a run of digits every way there is: as slow as a repeat inside a repeat
    ("alternatives that can start alike, repeated", "  - '\\d{1,2}月\\d{1,2}日'", "  - '(?:\\d|\\d\\d)+月'",
     "not_numbers[2]", "alternatives that can start alike"),
    ("a repeat of a group that repeats", "  - '\\d{1,2}月\\d{1,2}日'", "  - '(.*年){20}'",
     "not_numbers[2]", "possessive"),
    # a conditional group's branches were not looked into: (?(1)…|(?:\d+)+) took 3.5 s on 26 digits
    ("a repeat inside a repeat in a conditional group", "  - '\\d{1,2}月\\d{1,2}日'", "  - '(月)?(?(1)日|(?:\\d+)+)年'",
     "not_numbers[2]", "a repeat inside a repeat"),
    ("a share name without its parts", "  name: '{part}占{whole}比重'", "  name: '占比重'", "share_of.name",
     "should match pattern"),
]


@pytest.mark.parametrize("what,old,new,key,words", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_entry_is_one_line_naming_file_line_and_key(tmp_path, what, old, new, key, words):
    assert GOOD.count(old) == 1, f"the test's anchor {old!r} is not once in grammar.yml"
    bad = GOOD.replace(old, new)
    path = tmp_path / "grammar.yml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(PlanwatchError) as exc:
        load_grammar(path)
    msg = str(exc.value)
    assert "\n" not in msg
    line = _line_of(bad, new.splitlines()[0])
    assert msg.startswith(f"{path}:{line}: {key}: "), msg
    assert words in msg, msg


@pytest.mark.parametrize("text,words", [
    ("", "the file is empty"),
    ("growth_up: [增长\n", "not valid YAML"),
    ("- 增长\n- 下降\n", "expected a mapping"),
    ("growth_up: [增长]\ngrowth_up: [下降]\n", "key 'growth_up' given twice"),
])
def test_a_file_that_is_no_grammar_is_one_line(tmp_path, text, words):
    path = tmp_path / "grammar.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanwatchError) as exc:
        load_grammar(path)
    assert "\n" not in str(exc.value) and str(exc.value).startswith(str(path)) and words in str(exc.value)


def test_the_shipped_grammar_loads_and_its_rules_come_from_the_file(tmp_path):
    g = default_grammar()
    assert g.table_comparators["≥"] == "以上" and g.region_levels["自治区"] == "province"
    # a rule fragment changed in the file changes what the reader does: 达成 as a table's actual column
    path = tmp_path / "grammar.yml"
    path.write_text(GOOD.replace("actual_heads: [完成, 实际, 预计]", "actual_heads: [完成, 实际, 预计, 达成]"),
                    encoding="utf-8")
    custom = load_grammar(path)
    table = ("博山区2026年国民经济和社会发展计划\n\n附表 主要指标\n"
             "指标名称      单位      2025年达成      增长%\n地区生产总值      亿元      905      5.1\n")
    _f, rows = extract(table, grammar=custom)
    assert [(r.indicator, r.kind, r.period_year, r.value) for r in rows if r.origin == "table"] == \
        [("gdp", "actual", 2025, 905.0)]
    _f, rows = extract(table)
    assert [r for r in rows if r.origin == "table"] == []          # the shipped grammar has no 达成 column


def test_no_rule_fragment_is_left_as_a_chinese_literal_in_the_readers():
    """The readers interpret grammar.yml; Chinese words in their code (outside comments and
    docstrings) would be rules that escaped the data. Only calendar syntax (年 月 日), output
    labels (未知地区, 附件) and punctuation stay in code. Every reader is scanned; grammar.py,
    which loads the file, only names it in its messages."""
    from pathlib import Path
    here = Path(__file__).resolve().parents[1] / "src" / "planwatch" / "parse"
    allowed = {"年", "月", "日", "未知地区", "附件", "“”", "“", "”", "…", "《》", "《", "、"}
    found = []
    readers = sorted(p.name for p in here.glob("*.py") if p.name not in ("grammar.py", "__init__.py"))
    assert {"statements.py", "tables.py", "other.py", "numbers.py", "text.py", "convert.py"} <= set(readers)
    for name in readers:
        code = (here / name).read_text(encoding="utf-8")
        code = re.sub(r'"""[\s\S]*?"""', "", code)                      # docstrings and doctests
        code = re.sub(r"#[^\n]*", "", code)                              # comments
        for lit in re.findall(r'"([^"\n]*)"', code) + re.findall(r"'([^'\n]*)'", code):
            for run in re.findall(r"[\u4e00-\u9fff“”…《》、]+", lit):
                if run not in allowed and re.search(r"[\u4e00-\u9fff]", run):     # punctuation alone is no rule
                    found.append((name, lit))
    assert found == []
