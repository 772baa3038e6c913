"""Bad input: a clear one-line error or an empty result, never a traceback."""
import subprocess
import sys

import pytest

from planwatch.errors import PlanwatchError
from planwatch.parse.reading import decode
from tests.conftest import RAW

TEXT = (RAW / "boshan_2026_plan.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_decodes_real_encodings(encoding):
    data = TEXT.encode(encoding)
    text, used = decode(data)
    assert text.lstrip("\ufeff") == TEXT
    assert used in (encoding, "utf-16", "gb18030", "utf-8-sig", "utf-8")


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (bytes(range(256)) * 20, "binary"),
    (b"This is an English text about nothing in particular." * 10, "no Chinese text"),
])
def test_refuses_bad_input(data, message):
    with pytest.raises(PlanwatchError, match=message):
        decode(data, "x.txt")


@pytest.mark.parametrize("end", ["\r", "\x85", "\u2028", "\u2029", "\r\n"])
def test_other_line_ends_read_as_line_feeds(end):
    """A plan with CR-only (or NEL, LS, PS) line ends was one line: no title, no sections, its
    2026 targets read as 2025 actuals."""
    from planwatch.parse.extract import extract
    text, _ = decode(TEXT.replace("\n", end).encode("utf-8"), "x.txt")
    assert len(text) == len(TEXT.replace("\n", end))          # offsets are the file's
    facts, records = extract(text)
    _f, expected = extract(TEXT)
    assert facts.doc_type == _f.doc_type == "plan"
    assert [(r.indicator, r.kind, r.period_year, r.value) for r in records] == \
        [(r.indicator, r.kind, r.period_year, r.value) for r in expected]


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "planwatch", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_binary_file_one_line_error(tmp_path):
    f = tmp_path / "scan.txt"
    f.write_bytes(b"\x00\x01\x02" * 500)
    r = _cli("extract", str(f))
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "binary" in r.stderr and "Traceback" not in r.stderr


def test_cli_gbk_file_gives_rows(tmp_path):
    f = tmp_path / "plan_gbk.txt"
    f.write_bytes(TEXT.encode("gbk"))
    r = _cli("extract", str(f), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "gdp,actual" not in r.stdout  # columns are in contract order, not kind first
    assert ",2025,actual,gdp,地区生产总值,319.3,亿元,6.5," in r.stdout


def test_document_with_no_indicators_is_empty_not_an_error(tmp_path):
    f = tmp_path / "plan.txt"
    f.write_text("博山区2026年国民经济和社会发展计划\n一、2025年计划执行情况\n全区上下团结奋斗，各项工作稳步推进，取得了新的成绩。\n", encoding="utf-8")
    r = _cli("extract", str(f), "--format", "json")
    assert r.returncode == 0 and r.stdout.strip() == "[]"


def test_truncated_document_keeps_what_it_has(tmp_path):
    f = tmp_path / "cut.txt"
    f.write_text(TEXT[:900], encoding="utf-8")
    r = _cli("extract", str(f), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert ",gdp," in r.stdout


def test_hints_override_detection(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = _cli("extract", str(f), "--region", "淄川区", "--doc-year", "2030", "--format", "csv")
    assert r.returncode == 0
    # the region hint wins; the period still comes from the heading "一、2025年…执行情况"
    assert ",淄川区,2025,actual,gdp," in r.stdout
    r = _cli("extract", str(f), "--region", "淄川区", "--doc-year", "2030")
    assert "淄川区 (district) plan 2030" in r.stdout
