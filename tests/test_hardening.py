"""Hostile input and hand edits: nothing lost, nothing written outside the project, nothing wrong
published, one clear line for every refusal (issue: harden add, parse, reference data, pipeline)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

from planwatch import cli, params, refdata
from planwatch.errors import PlanwatchError
from planwatch.parse import stage as parse_stage
from planwatch.parse.convert import read_document
from planwatch.parse.limits import Limits
from planwatch.texts import TextStore, shard_of, text_of
from tests.conftest import RAW, ROOT, build_site

PLAN = RAW / "boshan_2026_plan.txt"
REF = ROOT / "data" / "reference"


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "planwatch", *args], capture_output=True, cwd=cwd)


def _one_line_error(r) -> str:
    err = r.stderr.decode("utf-8", "replace").strip()
    assert r.returncode != 0
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def _project(tmp_path: Path) -> Path:
    """A raw folder holding a copy of one source document and its manifest."""
    raw = tmp_path / "proj" / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_bytes(PLAN.read_bytes())
    sha = hashlib.sha256(PLAN.read_bytes()).hexdigest()
    (raw / "manifest.csv").write_text(f"file,original_name,sha256,note\na.txt,a.txt,{sha},x\n", encoding="utf-8")
    return raw


def _variant(tmp_path: Path, name: str = "new.txt", old: str = "5.5", new: str = "5.7") -> Path:
    f = tmp_path / name
    f.write_text(PLAN.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return f


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- add: bad text, paths outside, wrong types, stored hints -----------------------------------

@pytest.mark.parametrize("args,message", [
    (["--note", "bad \udcff note"], "--note is not valid UTF-8"),
    (["--note", "two\nlines"], "line break"),
    (["--name", "../../x.txt"], "not starting with a dot"),
    (["--name", "sub/x.txt"], "must stay inside"),
    (["--name", "/tmp/planwatch-outside.txt"], "must stay inside"),
    (["--name", "x.pdf"], "keep the file's own type"),
    (["--name", "manifest.csv"], "document file name"),
    (["--region", "../../x"], "not a path"),
    (["--region", "淄博/张店"], "not a path"),
])
def test_add_refuses_bad_names_and_text_and_writes_nothing(tmp_path, capsys, args, message):
    raw = _project(tmp_path)
    src = _variant(tmp_path)
    before = _tree(tmp_path)
    assert cli.main(["add", str(src), "--raw-dir", str(raw), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert _tree(tmp_path) == before   # manifest unchanged, nothing copied, nothing outside
    assert not Path("/tmp/planwatch-outside.txt").exists()


def test_add_with_non_utf8_argv_is_one_line_and_manifest_survives(tmp_path):
    raw = _project(tmp_path)
    manifest = (raw / "manifest.csv").read_bytes()
    src = _variant(tmp_path)
    r = subprocess.run([sys.executable.encode(), b"-m", b"planwatch", b"add", str(src).encode(), b"--raw-dir",
                        str(raw).encode(), b"--note", b"\xff\xfe"], capture_output=True)
    assert "--note is not valid UTF-8" in _one_line_error(r)
    assert (raw / "manifest.csv").read_bytes() == manifest
    assert sorted(p.name for p in raw.iterdir()) == ["a.txt", "manifest.csv"]


def test_add_of_a_file_with_a_non_utf8_name_keeps_a_valid_manifest(tmp_path):
    raw = _project(tmp_path)
    odd = tmp_path / os.fsdecode(b"plan\xff.txt")
    odd.write_bytes(_variant(tmp_path).read_bytes())
    r = _cli("add", os.fsdecode(bytes(odd)) if isinstance(odd, bytes) else str(odd), "--raw-dir", str(raw))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO((raw / "manifest.csv").read_text(encoding="utf-8"))))
    assert rows[-1]["original_name"] == "plan\\xff.txt"


@pytest.mark.parametrize("name,content,args,message", [
    ("bin\nary.txt", b"x\0y", ["extract"], "bin\\nary.txt: binary file"),
    ("no\nne.txt", None, ["add"], "no\\nne.txt: no such file"),
    ("pl\x1b[2Jan\u2028.txt", None, ["extract"], "pl\\x1b[2Jan\\u2028.txt: no such file"),
    ("pl\ran.txt", PLAN.read_bytes(), ["extract", "--max-file-mb", "0.001"], "pl\\ran.txt: the file is"),
])
def test_a_file_name_with_a_line_break_or_escape_is_refused_in_one_line(tmp_path, name, content, args, message):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    err = _one_line_error(_cli(*args, str(tmp_path / name)))
    assert message in err and "\x1b" not in err, err


@pytest.mark.parametrize("command", ["extract", "add"])
@pytest.mark.parametrize("make", ["folder", "fifo"])
def test_a_folder_or_fifo_given_as_the_file_is_not_a_regular_file(tmp_path, command, make):
    path = tmp_path / "x.txt"
    path.mkdir() if make == "folder" else os.mkfifo(path)
    assert _one_line_error(_cli(command, str(path), *(["--raw-dir", str(tmp_path / "raw")] if command == "add" else []))) \
        == f"planwatch: {path}: not a regular file"


def test_a_read_that_fails_without_a_file_name_names_the_file(capsys, monkeypatch):
    """As reading /proc/self/pagemap does (EINVAL, no file name): the message named '.'."""
    def einval(*a, **k):
        raise OSError(22, "Invalid argument")
    monkeypatch.setattr(parse_stage, "parse_document", einval)
    assert cli.main(["extract", str(PLAN)]) == 1
    assert capsys.readouterr().err == f"planwatch: {PLAN}: Invalid argument\n"


def test_add_refuses_content_of_another_type_and_a_taken_document_id(tmp_path):
    raw = _project(tmp_path)
    fake = tmp_path / "w.txt"
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "zip archive" in _one_line_error(_cli("add", str(fake), "--raw-dir", str(raw)))
    page = tmp_path / "new.html"
    page.write_text("<html><body>" + "".join(f"<p>{line}</p>" for line in _variant(tmp_path).read_text(encoding="utf-8").splitlines())
                    + "</body></html>", encoding="utf-8")
    assert "taken by a.txt" in _one_line_error(_cli("add", str(page), "--raw-dir", str(raw), "--name", "a.html"))
    assert "'9999' is not a year" in _cli("add", str(PLAN), "--doc-year", "9999").stderr.decode()


def test_add_stores_region_and_year_and_the_parse_stage_uses_them(tmp_path):
    raw = _project(tmp_path)
    src = _variant(tmp_path)
    r = _cli("add", str(src), "--raw-dir", str(raw), "--region", "淄川区", "--doc-year", "2026", "--name", "b.txt")
    assert r.returncode == 0, r.stderr
    row = list(csv.DictReader(io.StringIO((raw / "manifest.csv").read_text(encoding="utf-8"))))[-1]
    assert (row["region"], row["doc_year"]) == ("淄川区", "2026")
    out = tmp_path / "out"
    parse_stage.run(str(raw), str(REF), str(out / "i"), str(out / "p"), str(out / "m.json"))
    docs = pl.read_parquet(out / "i" / "documents.parquet")
    assert docs.filter(pl.col("doc_id") == "b")["region"].to_list() == ["淄川区"]
    assert docs.filter(pl.col("doc_id") == "a")["region"].to_list() == ["博山区"]


def test_a_manifest_saved_with_a_bom_reads_as_without(tmp_path):
    raw = _project(tmp_path)
    (raw / "manifest.csv").write_bytes(b"\xef\xbb\xbf" + (raw / "manifest.csv").read_bytes())
    assert [r["file"] for r in parse_stage.read_manifest(raw)] == ["a.txt"]


@pytest.mark.parametrize("year", ["²⁰²⁶", "9999", "20 26"])
def test_a_manifest_doc_year_that_is_no_year_is_refused_naming_its_line(tmp_path, year):
    raw = _project(tmp_path)
    (raw / "manifest.csv").write_text(f"file,original_name,sha256,note,region,doc_year\na.txt,a.txt,,x,,{year}\n", encoding="utf-8")
    with pytest.raises(PlanwatchError, match=rf"manifest.csv:2: doc_year '{year}' is not a year between 1949 and 2100"):
        parse_stage.read_manifest(raw)
    assert f"'{year}' is not a year" in _cli("extract", str(PLAN), "--doc-year", year).stderr.decode()


@pytest.mark.parametrize("name", ["a\nb.txt", "a\rb.txt", "a\x1b[2Jb.txt", "../a.txt"])
def test_a_manifest_file_name_is_one_plain_name_and_refused_naming_its_line(tmp_path, name):
    raw = _project(tmp_path)
    with (raw / "manifest.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow([name, name, "", "x"])
    with pytest.raises(PlanwatchError, match=r"manifest.csv:3: '.*': a file in manifest.csv \(a file name, no folders or control"):
        parse_stage.read_manifest(raw)


@pytest.mark.parametrize("region", ["<img src=x onerror=alert(1)>", "../../x", "博山区\n淄川区", "\x1b[2J博山区"])
def test_a_manifest_region_hint_is_held_to_what_add_accepts(tmp_path, region):
    """A hand-edited manifest is input too: the region it gives names a report page and every row."""
    raw = _project(tmp_path)
    rows = [["file", "original_name", "sha256", "note", "region", "doc_year"], ["a.txt", "a.txt", "", "x", "", ""],
            ["b.txt", "b.txt", "", "x", region, ""]]
    with (raw / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    (raw / "b.txt").write_bytes(_variant(tmp_path).read_bytes())
    with pytest.raises(PlanwatchError, match=r"manifest.csv:3: region .* is not a region name"):
        _parse(raw, tmp_path / "out")


def test_add_removes_the_copied_file_when_the_manifest_cannot_be_written(tmp_path, monkeypatch):
    raw = _project(tmp_path)
    import planwatch.io as pio

    def broken(path, text):
        raise OSError(28, "No space left on device", str(path))
    monkeypatch.setattr(pio, "write_text", broken)
    assert cli.main(["add", str(_variant(tmp_path)), "--raw-dir", str(raw), "--name", "b.txt"]) == 1
    assert sorted(p.name for p in raw.iterdir()) == ["a.txt", "manifest.csv"]


# --- input limits ----------------------------------------------------------------------------

def test_file_over_the_size_limit_is_refused_naming_the_limit(tmp_path):
    err = _one_line_error(_cli("extract", str(PLAN), "--max-file-mb", "0.001"))
    assert "over the limit of 0.001 MB" in err and "parse.max_file_mb" in err and "--max-file-mb" in err


def test_a_file_that_grows_past_its_stat_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    """The size is checked, then the file is read: one that grew in between (or a /proc file of size 0)
    was read whole into memory. Here stat says 0 bytes and the file holds 1.1 MB."""
    from planwatch.parse import convert
    f = tmp_path / "grows.txt"
    f.write_bytes(PLAN.read_bytes() * 60)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: os.stat_result((0,) * 10) if self == f else real_stat(self, **kw))
    with pytest.raises(PlanwatchError, match=r"grows.txt: the file is 1.0 MB, over the limit of 1 MB"):
        convert.read_bytes_within(f, Limits(max_file_mb=1))


def test_docx_that_inflates_past_the_limit_is_refused_before_inflating(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                f.write(chunk)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(PlanwatchError, match="unpacks to 315 MB, over the limit of 200 MB"):
        read_document(bomb)


def test_a_docx_refusal_keeps_its_reason_when_the_file_name_is_not_utf8(tmp_path):
    broken = tmp_path / os.fsdecode(b"plan\xff.docx")
    with zipfile.ZipFile(broken, "w") as z:             # a zip, but no Word document in it
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(PlanwatchError, match=r"plan\\xff.docx: cannot read as .docx \(KeyError"):
        read_document(broken)


def test_long_line_is_refused_naming_its_line_and_clipped_when_allowed(tmp_path):
    f = tmp_path / "long.txt"
    f.write_text("博山区2026年国民经济和社会发展计划\n" + "全区地区生产总值增长5%，" * 20_000 + "\n", encoding="utf-8")
    with pytest.raises(PlanwatchError, match=r"long.txt:2: a line of 260,000 characters, over the limit of 100,000"):
        read_document(f)
    doc, records = parse_stage.parse_document(f, limits=Limits(max_line_chars=1_000_000))
    assert len(records) == 20_000
    assert max(len(r.sentence) for r in records) <= 602     # a window around the figure, not the whole line


def test_statement_limit(tmp_path):
    f = tmp_path / "many.txt"
    f.write_text("博山区2026年国民经济和社会发展计划\n" + "全区地区生产总值增长5%。\n" * 50, encoding="utf-8")
    with pytest.raises(PlanwatchError, match="50 indicator statements, over the limit of 10"):
        parse_stage.parse_document(f, limits=Limits(max_statements=10))


@pytest.mark.parametrize("control", ["\0", "\x99", "\x9b"])     # NUL; C1 controls, from a mis-decoded file (31\x999.3 read as 9.3)
def test_nul_inside_a_number_is_refused_not_read_as_another_number(tmp_path, control):
    f = tmp_path / "nul.txt"
    head = "博山区2026年国民经济和社会发展计划\n" + "经济运行总体平稳。\n" * 300     # past the binary sniffing of the first 4 KB
    f.write_bytes((head + "全区地区生产总值完成3" + control + "30.1亿元。\n").encode())
    assert f"nul.txt:302: control character U+{ord(control):04X}" in _one_line_error(_cli("extract", str(f)))


@pytest.mark.parametrize("flag,value", [("--max-file-mb", "nan"), ("--max-unpacked-mb", "nan"), ("--max-file-mb", "inf")])
def test_a_limit_that_is_no_finite_number_is_refused_not_switched_off(flag, value):
    assert f"limit {flag[2:].replace('-', '_')} must be a positive number, got {value}" in _one_line_error(
        _cli("extract", str(PLAN), flag, value))


@pytest.mark.parametrize("number,shown", [("9" * 20 + "." + "9" * 20, "1e+20"), ("1" + "0" * 400, "inf")])
def test_extract_withholds_a_value_its_span_does_not_say_as_the_parse_stage_does(tmp_path, number, shown):
    f = tmp_path / "big.txt"
    f.write_text("博山区2026年国民经济和社会发展计划\n一、2025年计划执行情况\n"
                 f"全区地区生产总值完成{number}亿元，同比增长6.5%。\n一般公共预算收入完成20.67亿元，同比增长3.2%。\n", encoding="utf-8")
    r = _cli("extract", str(f), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert [row["indicator"] for row in json.loads(r.stdout)] == ["budget_revenue"]      # valid JSON: no Infinity
    assert f"gdp: value {shown} is not in its span" in r.stderr.decode() and "row not published" in r.stderr.decode()


def test_add_counts_the_statements_the_stage_will_publish_and_names_the_withheld_one(tmp_path):
    """`planwatch add` said '2 indicator statements' for a document whose gdp row the parse stage
    withholds (its value is not what its span says): the count now matches what is published."""
    f = tmp_path / "big.txt"
    f.write_text("博山区2026年国民经济和社会发展计划\n一、2025年计划执行情况\n"
                 f"全区地区生产总值完成{'9' * 20}.{'9' * 20}亿元，同比增长6.5%。\n一般公共预算收入完成20.67亿元，同比增长3.2%。\n",
                 encoding="utf-8")
    r = _cli("add", str(f), "--raw-dir", str(tmp_path / "raw"))
    assert r.returncode == 0, r.stderr
    assert ", 1 indicator statement;" in r.stdout.decode(), r.stdout
    assert "gdp: value 1e+20 is not in its span" in r.stderr.decode() and "row not published" in r.stderr.decode()
    assert (tmp_path / "raw" / "manifest.csv").read_text(encoding="utf-8").count("\n") == 2     # added all the same


def test_a_defect_in_the_extractor_is_one_line_naming_the_file_not_a_traceback(tmp_path, monkeypatch, capsys):
    """A bug (here a ValueError raised inside parsing, as _trim's max() of nothing once did) gave
    `planwatch extract` a raw traceback; PLANWATCH_DEBUG=1 still shows it to a developer."""
    from planwatch import cli
    from planwatch.parse import stage

    def broken(*_a, **_k):
        raise ValueError("max() arg is an empty sequence")
    monkeypatch.setattr(stage, "parse_document", broken)
    monkeypatch.delenv("PLANWATCH_DEBUG", raising=False)
    assert cli.main(["extract", str(PLAN)]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"planwatch: {PLAN}: internal error (ValueError: max() arg is an empty sequence)" in err
    monkeypatch.setenv("PLANWATCH_DEBUG", "1")
    with pytest.raises(ValueError):
        cli.main(["extract", str(PLAN)])


def test_limits_and_params_are_checked_with_the_key_named():
    with pytest.raises(PlanwatchError, match=r"params.yaml: analyse.link_threshold = 7: .*less than or equal to 1"):
        params.check("analyse", tolerance_pp=0.5, tolerance_level_pct=2, link_threshold=7)
    with pytest.raises(PlanwatchError, match=r"params.yaml: validate.reconcile_tolerance_pp = -1"):
        params.check("validate", reconcile_tolerance_pp=-1)
    with pytest.raises(PlanwatchError, match=r"params.yaml: parse.allow_quarantine = 'yes'"):
        params.check("parse", allow_quarantine="yes")
    with pytest.raises(PlanwatchError, match=r"params.yaml: analyse.tolerance_pp = 'half'"):
        params.check("analyse", tolerance_pp="half", tolerance_level_pct=2, link_threshold=0.5)
    # YAML reads `yes`/`true` as a boolean: it is no tolerance of 1 pp, nor a limit of 1 MB
    with pytest.raises(PlanwatchError, match=r"params.yaml: analyse.tolerance_pp = True: Input should be a valid number"):
        params.check("analyse", tolerance_pp=True, tolerance_level_pct=2, link_threshold=0.5)
    with pytest.raises(PlanwatchError, match=r"params.yaml: parse.max_file_mb = True"):
        params.check("parse", max_file_mb=True)
    assert params.check("parse", max_file_mb=50).max_file_mb == 50.0


# --- the parse cache and what is published ---------------------------------------------------

def _parse(raw: Path, out: Path, **kw) -> dict:
    return parse_stage.run(str(raw), str(REF), str(out / "i"), str(out / "p"), str(out / "m.json"), **kw)


def test_the_parse_cache_holds_the_table_store_only(tmp_path):
    """No file per document besides its text of record: a corpus of 10,000 documents must not cost
    DVC 10,000 more files to check on every `dvc repro` (entries of earlier versions are removed)."""
    raw = _project(tmp_path)
    out = tmp_path / "out"
    (out / "i" / "parse_cache").mkdir(parents=True)
    (out / "i" / "parse_cache" / "0123-old.json").write_text("{}", encoding="utf-8")
    _parse(raw, out)
    assert sorted(p.name for p in (out / "i" / "parse_cache").iterdir()) == ["_tables", "texts_state.json"]


@pytest.mark.parametrize("damage", ["truncated", "deleted", "stamp not an object"])
def test_damaged_table_store_is_discarded_and_every_document_parsed_again(tmp_path, capsys, damage):
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    first = (out / "p" / "indicators.parquet").read_bytes()
    store = out / "i" / "parse_cache" / "_tables" / "indicators.parquet"
    if damage == "stamp not an object":
        (store.parent / "stamp.json").write_text("[]", encoding="utf-8")
    else:
        store.write_bytes(store.read_bytes()[:1000]) if damage == "truncated" else store.unlink()
    capsys.readouterr()
    m = _parse(raw, out)
    err = capsys.readouterr().err
    assert "discarded, parsing every document again" in err
    assert m["documents_from_cache"] == 0 and (out / "p" / "indicators.parquet").read_bytes() == first


def test_second_run_reads_the_table_store_and_publishes_the_same_bytes(tmp_path, capsys):
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    first = (out / "p" / "indicators.parquet").read_bytes(), (out / "i" / "documents.parquet").read_bytes()
    capsys.readouterr()
    m = _parse(raw, out)
    assert "1 of 1 documents unchanged since the last run" in capsys.readouterr().err
    assert m["documents_from_cache"] == 1
    assert ((out / "p" / "indicators.parquet").read_bytes(), (out / "i" / "documents.parquet").read_bytes()) == first


def test_an_index_on_a_base_of_100_is_published_as_its_growth_not_withheld(tmp_path):
    """居民消费价格指数 上年=100 100.3 is a growth of 0.3: the span check reads the index as the table does
    (it was withheld as 'growth_pct 0.3 is not in its span' — 250 rows in the 10,000-document benchmark)."""
    raw = _project(tmp_path)
    table = ("\n附表 主要指标\n指标名称                单位        2025年预计      增长%      2026年目标      增长%\n"
             "居民消费价格指数        上年=100    100.3           —          —               —\n")
    doc = raw / "a.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + table, encoding="utf-8")
    (raw / "manifest.csv").write_text("file,original_name,sha256,note\na.txt,a.txt,,x\n", encoding="utf-8")
    out = tmp_path / "out"
    _parse(raw, out)
    assert (out / "i" / "quarantine.csv").read_text(encoding="utf-8") == "file,reason\n"
    cpi = pl.read_parquet(out / "p" / "indicators.parquet").filter((pl.col("indicator") == "cpi") & (pl.col("origin") == "table"))
    assert cpi.select("kind", "period_year", "growth_pct").rows() == [("actual", 2025, 0.3)]


def test_unchanged_raw_files_are_not_read_again_and_a_touched_one_is_rehashed(tmp_path, monkeypatch):
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    first = (out / "p" / "indicators.parquet").read_bytes()
    real = parse_stage.read_bytes_within
    reads = []

    def counting(path, limits):
        if path.parent == raw:
            reads.append(path.name)
        return real(path, limits)
    monkeypatch.setattr(parse_stage, "read_bytes_within", counting)
    assert _parse(raw, out)["documents_from_cache"] == 1 and reads == []       # stat only, as DVC does
    doc = next(p for p in raw.iterdir() if p.suffix == ".txt")
    os.utime(doc, ns=(doc.stat().st_atime_ns, doc.stat().st_mtime_ns + 10**9))   # a copy or checkout: same bytes
    assert _parse(raw, out)["documents_from_cache"] == 1 and reads == [doc.name]
    assert _parse(raw, out)["documents_from_cache"] == 1 and reads == [doc.name]     # its new state was remembered
    assert (out / "p" / "indicators.parquet").read_bytes() == first
    doc.write_bytes(doc.read_bytes().replace("5.5".encode(), "5.7".encode()))          # edited in place: caught
    with pytest.raises(PlanwatchError, match=r"a.txt: content differs from the sha256 in manifest.csv"):
        _parse(raw, out)


def test_hand_edited_table_store_is_discarded(tmp_path, capsys):
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    store = out / "i" / "parse_cache" / "_tables" / "indicators.parquet"
    rows = pl.read_parquet(store)
    true_values = sorted(rows.filter(pl.col("indicator") == "gdp")["value"].drop_nulls().to_list())
    rows.with_columns(pl.when(pl.col("indicator") == "gdp").then(pl.col("value") + 680).otherwise(pl.col("value"))
                      .alias("value")).write_parquet(store)
    capsys.readouterr()
    _parse(raw, out)
    assert "the table store does not match its checksum" in capsys.readouterr().err
    published = pl.read_parquet(out / "p" / "indicators.parquet").filter(pl.col("indicator") == "gdp")
    assert sorted(published["value"].drop_nulls().to_list()) == true_values


def test_a_table_store_of_another_extractor_says_why_everything_is_parsed_again(tmp_path, capsys):
    from planwatch.parse.store import TableStore
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    folder = out / "i" / "parse_cache" / "_tables"
    stamp = json.loads((folder / "stamp.json").read_text(encoding="utf-8"))
    capsys.readouterr()
    assert TableStore(folder, "another fingerprint").load() is None
    assert "written by another version of the extractor" in capsys.readouterr().err
    pl.read_parquet(folder / "indicators.parquet").with_columns(pl.lit("x").alias("store_key")) \
        .write_parquet(folder / "indicators.parquet")            # a store of the session-4 layout
    stamp["indicators"] = hashlib.sha256((folder / "indicators.parquet").read_bytes()).hexdigest()
    (folder / "stamp.json").write_text(json.dumps(stamp), encoding="utf-8")
    assert TableStore(folder, stamp["fingerprint"]).load() is None
    assert "written by an earlier planwatch" in capsys.readouterr().err


@pytest.mark.parametrize("damage", ["deleted", "edited", "stamp"])
def test_text_of_record_missing_or_edited_is_rewritten_by_parsing_its_document(tmp_path, capsys, damage):
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    first = (out / "p" / "indicators.parquet").read_bytes()
    original = text_of("a", out / "i")
    shard = next((out / "i" / "text").glob("*.parquet"))
    if damage == "deleted":
        shard.unlink()
    elif damage == "edited":
        pl.DataFrame({"doc_id": ["a"], "text": ["编辑过的文本"]}).write_parquet(shard)
    else:
        (out / "i" / "text" / "shards.json").write_text("{", encoding="utf-8")
    capsys.readouterr()
    m = _parse(raw, out)
    assert "1 document(s) whose text of record was missing or edited: parsed again" in capsys.readouterr().err
    assert m["documents_from_cache"] == 0
    assert text_of("a", out / "i") == original and (out / "p" / "indicators.parquet").read_bytes() == first


def test_a_damaged_shard_state_falls_back_to_the_checksums(tmp_path):
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    state = out / "i" / "parse_cache" / "texts_state.json"
    state.write_text(json.dumps({k: ["size"] for k in json.loads(state.read_text(encoding="utf-8"))}), encoding="utf-8")
    assert _parse(raw, out)["documents_from_cache"] == 1       # each shard checked by its SHA-256 instead


def test_an_edited_shard_stamp_cannot_reach_a_file_outside_the_text_store(tmp_path):
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    victim = tmp_path / "victim.parquet"
    victim.write_bytes(b"not the project's")
    stamp = out / "i" / "text" / "shards.json"
    entries = json.loads(stamp.read_text(encoding="utf-8"))
    entries["../../../victim"] = {"sha256": "0" * 64, "docs": []}     # a stamp names shards, which name files
    stamp.write_text(json.dumps(entries), encoding="utf-8")
    _parse(raw, out)
    assert victim.read_bytes() == b"not the project's"
    assert "../../../victim" not in json.loads(stamp.read_text(encoding="utf-8"))


def _copies(raw: Path, n: int, prefix: str = "c") -> Path:
    """n more documents in raw: copies of its first text document under other names; returns that one."""
    src = next(p for p in sorted(raw.iterdir()) if p.suffix == ".txt")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as f:
        for i in range(n):
            name = f"{prefix}{i}.txt" if n > 1 else f"{prefix}.txt"
            (raw / name).write_bytes(src.read_bytes())
            f.write(f"{name},{name},,copy\n")
    return src


def test_texts_of_record_are_packed_in_shards_not_a_file_per_document(tmp_path):
    """A corpus of 10,000 documents must not give DVC 10,000 files to check on every run."""
    raw = _project(tmp_path)
    src = _copies(raw, 40)
    out = tmp_path / "out"
    _parse(raw, out)
    files = sorted(p.name for p in (out / "i" / "text").iterdir())
    assert "shards.json" in files and all(f.endswith(".parquet") for f in files if f != "shards.json")
    assert 10 < len(files) - 1 < 41          # 41 documents in at most 256 shards: some share one
    assert text_of("c7", out / "i") == text_of("a", out / "i") == src.read_text(encoding="utf-8")
    rows = pl.read_parquet(out / "p" / "indicators.parquet").filter(pl.col("doc_id") == "c7")
    r = rows.row(0, named=True)
    assert text_of("c7", out / "i")[r["char_start"]:r["char_end"]] in r["sentence"]
    with pytest.raises(PlanwatchError, match="no text of record for document 'nope'"):
        text_of("nope", out / "i")
    again = tmp_path / "again"                     # the same documents give the same bytes (no times inside)
    _parse(raw, again)
    assert {p.name: p.read_bytes() for p in (out / "i" / "text").iterdir()} == \
        {p.name: p.read_bytes() for p in (again / "i" / "text").iterdir()}


def test_adding_a_document_rewrites_one_shard_only(tmp_path):
    raw = _project(tmp_path)
    _copies(raw, 20)
    out = tmp_path / "out"
    _parse(raw, out)
    before = {p.name: p.stat().st_mtime_ns for p in (out / "i" / "text").glob("*.parquet")}
    _copies(raw, 1, prefix="new")
    assert _parse(raw, out)["documents_from_cache"] == 21
    after = {p.name: p.stat().st_mtime_ns for p in (out / "i" / "text").glob("*.parquet")}
    changed = sorted(n for n in after if before.get(n) != after[n])
    assert changed == [f"{shard_of('new')}.parquet"]


def test_a_document_removed_from_the_manifest_leaves_no_text_or_rows(tmp_path):
    raw = _project(tmp_path)
    src = next(p for p in raw.iterdir() if p.suffix == ".txt")
    (raw / "b.txt").write_bytes(src.read_bytes())
    with (raw / "manifest.csv").open("a", encoding="utf-8") as f:
        f.write("b.txt,b.txt,,copy\n")
    out = tmp_path / "out"
    assert _parse(raw, out)["documents"] == 2
    lines = (raw / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (raw / "manifest.csv").write_text("".join(lines[:-1]), encoding="utf-8")
    m = _parse(raw, out)
    assert m["documents"] == 1 and TextStore(out / "i" / "text").read("b") is None
    assert "b" not in pl.read_parquet(out / "p" / "indicators.parquet")["doc_id"].to_list()


def test_a_fifo_or_folder_in_raw_is_quarantined_not_waited_on(tmp_path):
    raw = _project(tmp_path)
    os.mkfifo(raw / "f.txt")
    (raw / "d.txt").mkdir()
    with (raw / "manifest.csv").open("a", encoding="utf-8") as f:
        f.write("f.txt,f.txt,,fifo\nd.txt,d.txt,,folder\n")
    out = tmp_path / "out"
    m = _parse(raw, out, allow_quarantine=True)
    q = (out / "i" / "quarantine.csv").read_text(encoding="utf-8")
    assert m["documents"] == 1 and "f.txt: not a regular file" in q and "d.txt: not a regular file" in q


def test_quarantine_fails_the_stage_after_writing_the_rest_unless_allowed(tmp_path):
    raw = _project(tmp_path)
    (raw / "b.txt").write_text("博山区2026年国民经济和社会发展计划\n地区生产总值增长5%。" * 20, encoding="utf-8")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as f:
        f.write("b.txt,b.txt," + "0" * 64 + ",edited by hand\n")            # sha256 no longer matches
    out = tmp_path / "out"
    with pytest.raises(PlanwatchError, match=r"1 document\(s\) quarantined .*b.txt: content differs from the sha256.*allow_quarantine"):
        _parse(raw, out)
    assert pl.read_parquet(out / "i" / "documents.parquet")["doc_id"].to_list() == ["a"]   # the other's results are written
    assert _parse(raw, out, allow_quarantine=True)["quarantined"] == 1


def test_quarantine_banner_on_every_page(tmp_path):
    raw = _project(tmp_path)
    (raw / "b.txt").write_text("no", encoding="utf-8")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as f:
        f.write("b.txt,b.txt,,unreadable\n")
    from planwatch.analyse import stage as analyse
    from planwatch.report.render import render
    from planwatch.validate import stage as validate
    out = tmp_path / "out"
    _parse(raw, out, allow_quarantine=True)
    validate.run(str(out / "i"), str(out / "p"), str(REF), str(out / "r"), str(out / "v.json"), 0.1)
    analyse.run(str(out / "i"), str(out / "p"), str(REF), str(out / "a.json"), 0.5, 2.0, 0.55)
    pages = render(str(out / "p"), str(out / "i"), str(REF), str(out / "r"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'id="quarantine"' in html and "b.txt" in html


def test_a_withheld_statement_is_listed_on_its_own_region_page_and_rerenders_that_page_only(tmp_path, capsys):
    from planwatch.catalogue import REFERENCE_DIR
    from planwatch.report.render import render
    reports = build_site(RAW, tmp_path)
    interim, processed = tmp_path / "interim", tmp_path / "processed"
    before = {p.name: p.read_bytes() for p in (reports / "regions").glob("*.html")}
    (interim / "quarantine.csv").write_text("file,reason\nboshan_2026_plan.txt,\"row [1, 5) gdp: value 9 is not in its span '…'; "
                                            "row not published\"\n", encoding="utf-8")
    capsys.readouterr()
    render(str(processed), str(interim), str(REFERENCE_DIR), str(reports))
    assert "2 region pages: 2 rendered" in capsys.readouterr().err      # 'something is quarantined' is new to both
    boshan = (reports / "regions" / "博山区.html").read_text(encoding="utf-8")
    zibo = (reports / "regions" / "淄博市.html").read_text(encoding="utf-8")
    assert 'id="quarantine"' in boshan and "boshan_2026_plan.txt" in boshan and "value 9 is not in its span" in boshan
    assert 'id="quarantine"' not in zibo and 'id="quarantine-elsewhere"' in zibo and "boshan_2026_plan.txt" not in zibo
    assert "boshan_2026_plan.txt" in (reports / "documents.html").read_text(encoding="utf-8")
    (interim / "quarantine.csv").write_text("file,reason\nboshan_2026_plan.txt,\"row [1, 5) gdp: value 8 is not in its span '…'; "
                                            "row not published\"\n", encoding="utf-8")
    render(str(processed), str(interim), str(REFERENCE_DIR), str(reports))
    assert "2 region pages: 1 rendered, 1 unchanged" in capsys.readouterr().err   # another withheld row: its page only
    assert before.keys() == {p.name for p in (reports / "regions").glob("*.html")}
    (reports / "regions" / ".pages.json").write_text("[]", encoding="utf-8")      # a ledger that is no object: not trusted
    render(str(processed), str(interim), str(REFERENCE_DIR), str(reports))
    assert "2 region pages: 2 rendered" in capsys.readouterr().err


# --- conflicting documents, value_std, reference data --------------------------------------------

def test_conflicting_documents_warn_naming_both_and_the_later_publication_wins(tmp_path):
    raw = _project(tmp_path)
    text = PLAN.read_text(encoding="utf-8")
    later = text.replace("319.3亿元", "321.4亿元").replace("2026年4月3日", "2026年5月8日")
    assert later != text
    (raw / "b.txt").write_text(later, encoding="utf-8")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as f:
        f.write(f"b.txt,b.txt,{hashlib.sha256(later.encode()).hexdigest()},revised\n")
    out = tmp_path / "out"
    from planwatch.analyse.series import build_series
    from planwatch.catalogue import load_catalogue
    from planwatch.validate import checks
    _parse(raw, out)
    docs = pl.read_parquet(out / "i" / "documents.parquet")
    ind = pl.read_parquet(out / "p" / "indicators.parquet")
    assert docs.sort("doc_id")["published"].cast(pl.String).to_list() == ["2026-04-03", "2026-05-08"]
    conflicts = checks.conflicting_documents(ind, docs).filter(~pl.col("consistent"))
    gdp = conflicts.filter((pl.col("indicator") == "gdp") & (pl.col("kind") == "actual")).row(0, named=True)
    assert (gdp["other_doc_id"], gdp["doc_id"]) == ("a", "b")
    series = build_series(ind.lazy(), docs.lazy(), load_catalogue(REF)).collect()
    row = series.filter((pl.col("indicator") == "gdp") & (pl.col("year") == 2025)).row(0, named=True)
    assert (row["value"], row["doc_id"], row["revised"]) == (321.4, "b", True)
    assert "319.3" in row["note"]


def test_value_std_disagreeing_with_value_is_an_error(tmp_path):
    from planwatch.catalogue import load_catalogue
    from planwatch.validate import checks
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    ind = pl.read_parquet(out / "p" / "indicators.parquet")
    docs = pl.read_parquet(out / "i" / "documents.parquet")
    assert checks.indicator_checks(ind, docs, load_catalogue(REF))["value_std_consistent"].all()
    bad = ind.with_columns(pl.when(pl.col("indicator") == "gdp").then(pl.col("value_std") * 10).otherwise(pl.col("value_std"))
                           .alias("value_std"))
    flagged = checks.indicator_checks(bad, docs, load_catalogue(REF)).filter(~pl.col("value_std_consistent"))
    assert flagged.height and set(flagged["indicator"]) == {"gdp"}


def _refdir(tmp_path: Path, **files: str) -> Path:
    ref = tmp_path / "ref"
    ref.mkdir()
    for name in ("indicators.yml", "regions.yml", "links.yml"):
        (ref / name).write_text(files.get(name.split(".")[0], (REF / name).read_text(encoding="utf-8")), encoding="utf-8")
    return ref


@pytest.mark.parametrize("which,content,message", [
    ("indicators", "", r"indicators.yml: the file is empty"),
    ("indicators", "- code: gdp\n", r"indicators.yml:1: expected a mapping"),
    ("indicators", "indicators:\n  - code: gdp\n    name_zh: 地区生产总值\n    synonyms: 地区生产总值\n",
     r"indicators.yml:4: indicators\[0\].synonyms: a list of names, not a string"),
    ("indicators", "indicators: [{code: gdp, name_zh: x, synonyms: [x], family: money, std_unit: 亿元, basis: real,\n"
                   "  better: up, level_range: [1, 2], growth_range: [1, 2]}]\n", r"indicators.yml:2: indicators\[0\].better: Input should be 'higher' or 'lower'"),
    ("regions", "regions:\n  - {name: ../../x, level: city}\n", r"regions.yml:2: regions\[0\].name"),
    ("regions", "regions: [{name: 淄博市, level: town}]\n", r"regions.yml:1: regions\[0\].level"),
    ("regions", "regions:\n  - {name: 淄博市, level: city, prent: 山东省}\n", r"regions.yml:2: regions\[0\].prent: Extra inputs"),
    # YAML keeps the last of two equal keys without a word: the first would be silently dropped
    ("regions", "regions:\n  - {name: 淄博市, level: city, level: district}\n", r"regions.yml:2: .*key 'level' given twice"),
    ("regions", "regions: []\nregions:\n  - {name: 淄博市, level: town}\n", r"regions.yml:2: .*key 'regions' given twice"),
    # libyaml's composer recurses in C: 30,000 brackets (60 KB) killed the process with SIGSEGV
    ("regions", "regions: " + "[" * 30_000 + "]" * 30_000 + "\n", r"regions.yml:1: nested more than 50 levels deep"),
    ("regions", "regions: []\n# \x00\n", r"regions.yml:2: not valid YAML \(unacceptable character #x0000: control characters are not allowed\)$"),
    ("regions", "regions: [{name: 淄博市, level: city, parent: 淄博市}]\n", r"regions.yml: region '淄博市' is its own parent \(淄博市 → 淄博市\)"),
    ("regions", "regions: [{name: 淄博市, level: city, parent: 博山区}, {name: 博山区, level: district, parent: 淄博市}]\n",
     r"regions.yml: region '淄博市' is its own parent \(淄博市 → 博山区 → 淄博市\)"),
    # a NaN bound compares false with every value: nothing would ever be implausible
    ("indicators", "indicators: [{code: gdp, name_zh: x, synonyms: [x], family: money, std_unit: 亿元, basis: real,\n"
                   "  better: higher, level_range: [.nan, .nan], growth_range: [1, 2]}]\n",
     r"indicators.yml:2: indicators\[0\].level_range\[0\]: Input should be a finite number"),
    ("indicators", "indicators: [{code: gdp, name_zh: x, synonyms: [x], family: money, std_unit: 亿元, basis: real,\n"
                   "  better: higher, level_range: [yes, '200000'], growth_range: [1, 2]}]\n",
     r"indicators.yml:2: indicators\[0\].level_range\[0\]: Input should be a valid number"),
    ("indicators", "indicators: [{code: gdp, name_zh: x, synonyms: [x], family: money, std_unit: 亿元, basis: real,\n"
                   "  better: higher, level_range: [1, 2], growth_range: [1, 2], headline: 'no'}]\n",
     r"indicators.yml:2: indicators\[0\].headline: Input should be a valid boolean"),
])
def test_reference_data_errors_name_file_line_and_key(tmp_path, which, content, message):
    from planwatch.catalogue import load_catalogue
    with pytest.raises(PlanwatchError, match=message):
        load_catalogue(_refdir(tmp_path, **{which: content}))


def test_a_broken_gazetteer_stops_the_parse_stage_in_a_line_not_every_document_in_quarantine(tmp_path):
    ref = _refdir(tmp_path)
    (ref / "gazetteer.csv").write_bytes((REF / "gazetteer.csv").read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "out"
    with pytest.raises(PlanwatchError, match=r"gazetteer.csv: not UTF-8 text$"):
        parse_stage.run(str(_project(tmp_path)), str(ref), str(out / "i"), str(out / "p"), str(out / "m.json"),
                        allow_quarantine=True)
    assert not (out / "i" / "quarantine.csv").exists()


def test_links_errors_name_the_file_and_unmatched_entries_are_reported(tmp_path):
    from planwatch.analyse.stage import unmatched_overrides
    from planwatch.analyse.tasks import load_overrides
    ref = _refdir(tmp_path, links="links:\n  - {region: 博山区, year: 2026, target: 新建学校, action: pin}\n")
    with pytest.raises(PlanwatchError, match=r"links.yml:2: links\[0\]: a pin needs `actual:`"):
        load_overrides(ref / "links.yml")
    (ref / "links.yml").write_text("links:\n  - {region: 博山区, year: 2026, target: 不存在的目标, action: reject}\n",
                                   encoding="utf-8")
    raw = _project(tmp_path)
    out = tmp_path / "out"
    _parse(raw, out)
    ind = pl.read_parquet(out / "p" / "indicators.parquet")
    assert [o.target for o in unmatched_overrides(load_overrides(ref / "links.yml"), ind)] == ["不存在的目标"]


def test_reference_file_size_is_bounded(tmp_path):
    ref = _refdir(tmp_path)
    (ref / "regions.yml").write_text("regions: []\n" + "#" * 6_000_000, encoding="utf-8")
    with pytest.raises(PlanwatchError, match="too large for reference data"):
        refdata.load(ref / "regions.yml", refdata.Regions)


# --- reports -----------------------------------------------------------------------------------

def test_script_json_cannot_end_or_comment_out_its_element():
    from planwatch.report.render import script_json
    out = script_json({"sentence": "<!--<script></script>&\u2028\u2029"})
    assert not any(ch in out for ch in "<>&\u2028\u2029")
    assert json.loads(out) == {"sentence": "<!--<script></script>&\u2028\u2029"}


def test_region_pages_stay_inside_reports_whatever_the_region_name(tmp_path):
    from planwatch.report.render import region_slug
    for name in ("../../x", "/etc/passwd", "a/../../b", "..", "淄博市", "x" * 300, "C:\\win"):
        slug = region_slug(name)
        target = (tmp_path / "reports" / slug).resolve()
        assert target.parent == (tmp_path / "reports" / "regions").resolve(), name
    assert len({region_slug(n) for n in ("a/b", "a_b", "a?b")}) == 3


# --- the stage runner stops its kernel -----------------------------------------------------------

def _kernel_pids(parent: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid,ppid,cmd"], capture_output=True, text=True).stdout.splitlines()[1:]
    return [int(line.split()[0]) for line in out if int(line.split()[1]) == parent and "ipykernel" in line]


@pytest.mark.parametrize("how", ["sigterm", "parent_killed"])
def test_stage_runner_stops_its_kernel(tmp_path, how):
    import signal
    import time
    nb = tmp_path / "sleep.py"
    nb.write_text("# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3 (ipykernel)\n#     language: python\n"
                  "#     name: python3\n# ---\n\n# %% tags=[\"parameters\"]\nseconds = 120\n\n# %%\nimport time\ntime.sleep(seconds)\n",
                  encoding="utf-8")
    cmd = [sys.executable, str(ROOT / "pipelines" / "run_notebook.py"), str(nb), str(tmp_path / "out.ipynb")]
    if how == "sigterm":
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, cwd=tmp_path)
        runner = proc.pid
    else:   # a shell between, as under dvc: kill the shell, the runner must notice
        proc = subprocess.Popen(["bash", "-c", " ".join(cmd) + " 2>/dev/null & echo $!; wait"], stdout=subprocess.PIPE, text=True,
                                cwd=tmp_path)
        runner = int(proc.stdout.readline())
    deadline = time.monotonic() + 60
    while not _kernel_pids(runner) and time.monotonic() < deadline:
        time.sleep(0.2)
    kernels = _kernel_pids(runner)
    assert kernels, "the kernel did not start"
    while len(list(tmp_path.glob("kernel-ipc-*"))) < 5 and time.monotonic() < deadline:    # its sockets bound
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{k}").exists() and "Z" not in Path(f"/proc/{k}/stat").read_text().split(")")[-1].split()[0]
              for k in kernels if Path(f"/proc/{k}/stat").exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [k for k in kernels if Path(f"/proc/{k}/stat").exists()
             and Path(f"/proc/{k}/stat").read_text().split(")")[-1].split()[0] != "Z"]
    assert alive == []
    deadline = time.monotonic() + 15       # the runner removes the kernel's sockets (in its folder) as it stops
    while list(tmp_path.glob("kernel-ipc-*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(tmp_path.glob("kernel-ipc-*")) == []
    if how == "sigterm":
        assert proc.returncode == 128 + signal.SIGTERM
        assert "stopped by SIGTERM" in proc.stderr.read().decode()


def test_stage_runner_preloads_modules_in_the_kernel_binding_no_name(tmp_path):
    nb = tmp_path / "nb.py"
    nb.write_text("# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3 (ipykernel)\n#     language: python\n"
                  "#     name: python3\n# ---\n\n# %% tags=[\"parameters\"]\nx = 1\n\n# %%\nimport sys\n"
                  "print('colorsys' in sys.modules, 'no_such_module_xyz' in sys.modules, 'colorsys' in dir(), "
                  "'importlib' in dir())\n", encoding="utf-8")
    runner = [sys.executable, str(ROOT / "pipelines" / "run_notebook.py"), str(nb), str(tmp_path / "out.ipynb")]

    def printed(*preload):
        r = subprocess.run(runner + list(preload), cwd=tmp_path, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return ["".join(o["text"]) for c in json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))["cells"]
                for o in c.get("outputs", [])]

    assert printed() == ["False False False False\n"]
    # a module that cannot be imported is left to the notebook: the run goes on
    assert printed("--preload", "colorsys", "--preload", "no_such_module_xyz") == ["True False False False\n"]
    assert _kernel_pids(os.getpid()) == []
    r = subprocess.run(runner + ["--preload", "os; import shutil"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr == "run_notebook: --preload 'os; import shutil' is not a module name\n"


def test_stage_runner_reads_a_notebook_without_kernelspec_and_refuses_an_unreadable_one_in_a_line(tmp_path):
    runner = [sys.executable, str(ROOT / "pipelines" / "run_notebook.py")]
    plain = tmp_path / "plain.py"          # a percent script with no jupytext header: Python, as every stage is
    plain.write_text('# %% tags=["parameters"]\nx = 1\n\n# %%\nprint(x + 1)\n', encoding="utf-8")
    r = subprocess.run(runner + [str(plain), str(tmp_path / "out.ipynb"), "-p", "x", "5"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    outputs = ["".join(o["text"]) for c in json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))["cells"]
               for o in c.get("outputs", [])]
    assert outputs == ["6\n"]
    (tmp_path / "bad.py").write_bytes(b"x = 1\n\xff\xfe")
    for name, why in (("missing.py", "No such file or directory"), ("bad.py", "invalid start byte")):
        r = subprocess.run(runner + [str(tmp_path / name), str(tmp_path / "o.ipynb")], cwd=tmp_path, capture_output=True, text=True)
        assert (r.returncode, r.stderr) == (2, f"{tmp_path / name}: cannot be read as a notebook ({why})\n")


# --- the pipeline's deps are complete by construction ------------------------------------------------

def test_every_stage_depends_on_the_whole_package_and_the_reference_data_it_reads():
    import yaml
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    reads = {"parse": ["indicators.yml", "regions.yml", "gazetteer.csv"], "validate": ["indicators.yml", "regions.yml"],
             "analyse": ["indicators.yml", "regions.yml", "links.yml"], "report": ["indicators.yml", "regions.yml"]}
    for name, stage in stages.items():
        deps = stage["deps"]
        assert "src/planwatch" in deps, name
        assert "pipelines/run_notebook.py" in deps, name
        for ref in reads[name]:
            assert f"data/reference/{ref}" in deps, (name, ref)
        assert "${" not in stage["cmd"], name                  # no parameter value ever passes through the shell
        used = set(__import__("re").findall(r"-P (\w+\.\w+)", stage["cmd"]))
        assert used == set(stage.get("params", [])), name       # every parameter read is declared, and only those


def test_an_implausible_statement_is_withheld_and_the_rest_is_published(tmp_path):
    raw = _project(tmp_path)
    text = PLAN.read_text(encoding="utf-8").replace("319.3亿元", "3193000000亿元")
    (raw / "a.txt").write_text(text, encoding="utf-8")
    (raw / "manifest.csv").write_text(f"file,original_name,sha256,note\na.txt,a.txt,{hashlib.sha256(text.encode()).hexdigest()},x\n",
                                      encoding="utf-8")
    reports = build_site(raw, tmp_path / "out")        # does not raise: one statement is wrong, not the table
    issues = pl.read_parquet(tmp_path / "out" / "interim" / "issues.parquet").filter(pl.col("severity") == "error")
    assert issues.height == 1 and "plausible range" in issues["message"][0]
    series = pl.read_parquet(tmp_path / "out" / "processed" / "series.parquet")
    assert 3193000000 * 1.0 not in series.filter(pl.col("indicator") == "gdp")["value"].to_list()
    assert series.height > 5
    # the index says it as a sentence: which document, which figure, what is wrong with it
    assert "地区生产总值实际3193000000亿元、增长6.5%：超出目录中该指标的合理范围，该条未计入序列和目标达成。" in \
        (reports / "index.html").read_text(encoding="utf-8")


_BOMB = "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9) if i else 'x'}]\n" for i in range(9))


@pytest.mark.parametrize("args,params_yaml,message", [
    # papermill writes `NAME = VALUE` into the notebook as code: a name is an identifier or nothing
    (["-p", "x=1;open('pwned','w');y", "1"], None, "run_notebook: -p \"x=1;open('pwned','w');y\" is not a parameter name"),
    (["-P", "parse.x;open('pwned','w')"], "parse: {x: 1}\n", "run_notebook: -P \"parse.x;open('pwned','w')\" is not SECTION.KEY"),
    (["-p", "x", "[1"], None, "run_notebook: -p x '[1': not a YAML literal"),
    (["-p", "x", "[" * 5000 + "]" * 5000], None, "run_notebook: -p x '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[': not a YAML literal"),
    (["-p", "x", "2026-01-01"], None, "run_notebook: -p x '2026-01-01': a date, not a number, text or true/false"),
    # 9^9 references in a few hundred bytes: papermill would write them all out
    (["-P", "parse.x"], _BOMB + "parse: {x: *a8}\n", "params.yaml: parse.x: a list, not a number, text or true/false"),
    (["-P", "parse.x"], "- parse\n", "params.yaml: expected a mapping of stages, found a list"),
    # a key given twice: DVC refuses it, the runner took the last one without a word
    (["-P", "parse.x"], "parse: {x: 1}\nparse: {x: 2}\n",
     "params.yaml:2: not valid YAML (key 'parse' given twice (first on line 1); keep one)"),
    (["-P", "parse.x"], "parse:\n  x: 1\n  x: 2\n", "params.yaml:3: not valid YAML (key 'x' given twice (first on line 2); keep one)"),
    (["-P", "parse.x"], "parse: {x: " + "[" * 30_000 + "]" * 30_000 + "}\n", "params.yaml:1: nested more than 50 levels deep"),
])
def test_stage_runner_refuses_odd_parameters_in_a_line_before_starting_a_kernel(tmp_path, args, params_yaml, message):
    nb = tmp_path / "nb.py"
    nb.write_text('# %% tags=["parameters"]\nx = 1\n\n# %%\nprint(x)\n', encoding="utf-8")
    if params_yaml is not None:
        (tmp_path / "params.yaml").write_text(params_yaml, encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "pipelines" / "run_notebook.py"), str(nb), str(tmp_path / "out.ipynb"), *args],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.startswith(message) and r.stderr.count("\n") == 1, r.stderr
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "out.ipynb").exists()


def test_a_parameter_value_never_reaches_a_shell(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "params.yaml").write_text(f'parse:\n  max_file_mb: "50; touch {marker}; true"\n', encoding="utf-8")
    nb = tmp_path / "nb.py"
    nb.write_text("# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3 (ipykernel)\n#     language: python\n"
                  "#     name: python3\n# ---\n\n# %% tags=[\"parameters\"]\nmax_file_mb = 50\n\n# %%\n"
                  "from planwatch.params import check\ncheck('parse', max_file_mb=max_file_mb)\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "pipelines" / "run_notebook.py"), str(nb), str(tmp_path / "out.ipynb"),
                        "-P", "parse.max_file_mb"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 1 and not marker.exists()
    assert "params.yaml: parse.max_file_mb = '50; touch" in r.stderr


def test_a_text_cell_a_spreadsheet_would_run_as_a_formula_gets_a_quote_in_every_csv_for_people(tmp_path):
    # CSV injection: document text reaches the CSV twins, target_forms.csv and `extract --format csv`,
    # which people open in a spreadsheet; the parquet tables (the contract) keep the text as written
    import csv as _csv
    import io as _io

    import polars as pl

    from planwatch.io import write_table
    cells = ["=HYPERLINK(\"http://x.invalid\",\"点击\")增长5%", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "增长5%", "a=b", None]
    df = pl.DataFrame({"k": list(range(len(cells))), "sentence": cells, "value": [1.5] * len(cells)})
    write_table(df, tmp_path / "t.parquet", ["k"])
    assert pl.read_parquet(tmp_path / "t.parquet")["sentence"].to_list() == cells
    with (tmp_path / "t.csv").open(encoding="utf-8", newline="") as f:      # a CR inside a cell stays a CR
        rows = list(_csv.DictReader(f))
    assert [r["sentence"] for r in rows] == ["'" + c for c in cells[:6]] + ["增长5%", "a=b", ""]
    assert {r["value"] for r in rows} == {"1.5"}          # numbers are not text: untouched
    doc = tmp_path / "f.txt"
    doc.write_text("博山区2025年国民经济和社会发展计划执行情况\n\n一、2024年计划执行情况\n"
                   "=HYPERLINK(\"http://x.invalid\",\"点击\")全年实现地区生产总值319.3亿元，增长5.2%。\n", encoding="utf-8")
    r = _cli("extract", str(doc), "--region", "博山区", "--format", "csv")
    assert r.returncode == 0, r.stderr
    (row,) = [x for x in _csv.DictReader(_io.StringIO(r.stdout.decode("utf-8"))) if x["indicator"] == "gdp"]
    assert row["sentence"].startswith("'=HYPERLINK(") and row["value"] == "319.3"
    r = _cli("extract", str(doc), "--region", "博山区", "--format", "json")
    assert json.loads(r.stdout)[0]["sentence"].startswith("=HYPERLINK(")


@pytest.mark.parametrize("text,message", [
    ("true: 1\nTrue: 2\n", "p.yaml:2: not valid YAML (key 'True' given twice (first on line 1 as 'true'); keep one)"),
    ("2025: a\n2025.0: b\n", "p.yaml:2: not valid YAML (key '2025.0' given twice (first on line 1 as '2025'); keep one)"),
    ("null: a\n~: b\n", "p.yaml:2: not valid YAML (key '~' given twice (first on line 1 as 'null'); keep one)"),
    ("0x10: a\n16: b\n", "p.yaml:2: not valid YAML (key '16' given twice (first on line 1 as '0x10'); keep one)"),
])
def test_a_key_given_twice_in_two_spellings_is_refused(text, message):
    """yamlfile compared keys as written: true/True, 2025/2025.0, null/~, 0x10/16 are one key of the
    mapping, and the first was dropped without a word (parse gave {True: 2})."""
    from planwatch.yamlfile import parse
    with pytest.raises(PlanwatchError) as exc:
        parse(text, "p.yaml")
    assert str(exc.value) == message


def test_keys_that_differ_as_data_are_two_keys():
    from planwatch.yamlfile import parse
    assert parse('1: a\n"1": b\nx: &a {k: 1}\ny: {<<: *a, k: 2}\n', "p.yaml") == {1: "a", "1": "b", "x": {"k": 1}, "y": {"k": 2}}
