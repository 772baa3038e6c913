"""Incremental stages: a region whose rows did not change keeps its stored rows, the others are
recomputed, and the result is the table a full computation gives."""
from __future__ import annotations

import hashlib
import shutil

import polars as pl
import pytest

from planwatch.incremental import RegionStore, by_region, region_keys
from planwatch.texts import text_of
from tests.conftest import RAW

SCHEMA = {"region": pl.String, "total": pl.Float64}


def _inputs(values: dict[str, list[float]]) -> pl.DataFrame:
    return pl.DataFrame([{"region": r, "v": v} for r, vs in values.items() for v in vs], schema={"region": pl.String, "v": pl.Float64})


def _run(store: RegionStore, df: pl.DataFrame, calls: list):
    def compute(regions: list[str]) -> pl.DataFrame:
        calls.append(sorted(regions))
        return df.filter(pl.col("region").is_in(regions)).group_by("region").agg(pl.col("v").sum().alias("total"))
    out, stats = by_region(store, region_keys({"t": df}), compute, SCHEMA)
    return out.sort("region"), stats


def test_only_changed_regions_are_recomputed_and_the_result_equals_a_full_run(tmp_path):
    store = RegionStore(tmp_path, "t", "v1")
    calls: list = []
    first = _inputs({"甲": [1, 2], "乙": [3], "丙": [4]})
    _run(store, first, calls)
    assert calls == [["丙", "乙", "甲"]]
    changed = _inputs({"甲": [1, 2], "乙": [3, 5], "丁": [6]})          # 乙 changed, 丙 gone, 丁 new
    out, stats = _run(store, changed, calls)
    assert calls[-1] == ["丁", "乙"] and stats == {"regions": 3, "recomputed": 2}
    full, _ = _run(RegionStore(tmp_path / "fresh", "t", "v1"), changed, [])
    assert out.equals(full) and out["region"].to_list() == ["丁", "乙", "甲"]


def test_a_new_version_or_an_edited_store_recomputes_everything(tmp_path, capsys):
    df = _inputs({"甲": [1], "乙": [2]})
    calls: list = []
    _run(RegionStore(tmp_path, "t", "v1"), df, calls)
    _run(RegionStore(tmp_path, "t", "v2"), df, calls)                  # code, rules or parameters changed
    assert calls[-1] == ["乙", "甲"]
    rows = tmp_path / "t.rows.parquet"
    pl.read_parquet(rows).with_columns(pl.lit(99.0).alias("total")).write_parquet(rows)
    capsys.readouterr()
    out, _ = _run(RegionStore(tmp_path, "t", "v2"), df, calls)
    assert "do not match their checksum" in capsys.readouterr().err
    assert calls[-1] == ["乙", "甲"] and out["total"].to_list() == [2.0, 1.0]


@pytest.mark.parametrize("stamp", ["[]", "null", "7", "{"])
def test_a_stamp_that_is_no_json_object_discards_the_store_with_a_warning(tmp_path, capsys, stamp):
    df = _inputs({"甲": [1], "乙": [2]})
    calls: list = []
    _run(RegionStore(tmp_path, "t", "v1"), df, calls)
    (tmp_path / "t.json").write_text(stamp, encoding="utf-8")
    capsys.readouterr()
    out, _ = _run(RegionStore(tmp_path, "t", "v1"), df, calls)
    assert "unreadable" in capsys.readouterr().err and calls[-1] == ["乙", "甲"] and out["total"].to_list() == [2.0, 1.0]


def test_region_keys_see_every_column_and_ignore_row_order():
    a = pl.DataFrame({"region": ["甲", "甲"], "v": [1.0, 2.0], "s": ["x", None]})
    assert region_keys({"t": a}).equals(region_keys({"t": a.reverse()}))
    assert not region_keys({"t": a}).equals(region_keys({"t": a.with_columns(pl.lit("y").alias("s"))}))
    assert not region_keys({"t": a}).equals(region_keys({"t": a.head(1)}))


@pytest.mark.slow
def test_adding_a_document_recomputes_its_region_only_and_matches_a_cold_build(tmp_path, capsys):
    """The five documents, then a sixth for a new region: the incremental analyse run recomputes
    one region, and its tables equal those of a cold build of all six."""
    from tests.conftest import build_site
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    build_site(raw, tmp_path / "warm")
    new = (RAW / "boshan_2026_plan.txt").read_text(encoding="utf-8").replace("博山区", "新加区").replace("博山", "新加")
    (raw / "xinjia_2026_plan.txt").write_text(new, encoding="utf-8")
    with (raw / "manifest.csv").open("a", encoding="utf-8") as f:
        f.write(f"xinjia_2026_plan.txt,xinjia_2026_plan.txt,{hashlib.sha256(new.encode()).hexdigest()},test,,\n")
    capsys.readouterr()
    build_site(raw, tmp_path / "warm")
    err = capsys.readouterr().err
    assert "[analyse series] 1 of 3 regions recomputed" in err
    assert "[analyse attainment] 1 of 3 regions recomputed" in err and "[validate]" in err and "(1 regions checked" in err
    build_site(raw, tmp_path / "cold")
    for m in ("analyse.json", "validation.json", "parse.json"):      # metrics do not depend on what was reused
        assert ((tmp_path / "warm" / "reports" / "metrics" / m).read_bytes()
                == (tmp_path / "cold" / "reports" / "metrics" / m).read_bytes()), m
    for table in ("processed/attainment.parquet", "processed/series.parquet", "processed/indicators.parquet",
                  "interim/documents.parquet", "interim/issues.parquet", "interim/implied_growth.parquet"):
        warm, cold = (pl.read_parquet(tmp_path / d / table) for d in ("warm", "cold"))
        assert warm.equals(cold), table
    assert text_of("xinjia_2026_plan", tmp_path / "warm" / "interim") == text_of("xinjia_2026_plan", tmp_path / "cold" / "interim")


@pytest.mark.slow
def test_report_renders_only_the_pages_whose_rows_changed(tmp_path, capsys):
    from planwatch.catalogue import REFERENCE_DIR
    from planwatch.report.render import render
    from tests.conftest import build_site
    out = tmp_path / "site"
    reports = build_site(RAW, out)
    args = (str(out / "processed"), str(out / "interim"), str(REFERENCE_DIR), str(reports))
    before = {p.name: p.read_bytes() for p in (reports / "regions").glob("*.html")}
    capsys.readouterr()
    render(*args)
    assert "2 region pages: 0 rendered, 2 unchanged" in capsys.readouterr().err
    att = pl.read_parquet(out / "processed" / "attainment.parquet")
    region = att["region"][0]
    att.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("改过的目标")).otherwise(pl.col("target_text"))
                     .alias("target_text")).write_parquet(out / "processed" / "attainment.parquet")
    render(*args)
    assert "2 region pages: 1 rendered, 1 unchanged" in capsys.readouterr().err
    after = {p.name: p.read_bytes() for p in (reports / "regions").glob("*.html")}
    changed = sorted(n for n in before if before[n] != after.get(n))
    assert changed == [f"{region}.html"] and "改过的目标" in after[f"{region}.html"].decode("utf-8")
    # a page deleted by hand (DVC tracks the ledger, not the pages) comes back on the next run, alone
    other = next(n for n in after if n != f"{region}.html")
    (reports / "regions" / other).unlink()
    render(*args)
    assert "2 region pages: 1 rendered, 1 unchanged" in capsys.readouterr().err
    assert (reports / "regions" / other).read_bytes() == after[other]


@pytest.mark.slow
def test_a_statement_withheld_later_recomputes_its_region_in_analyse(tmp_path, capsys):
    """Validation withholds one more statement (its issues change, its statements do not): analyse
    recomputes that region only, and the statement leaves its series."""
    from planwatch.analyse import stage as analyse
    from planwatch.catalogue import REFERENCE_DIR
    from tests.conftest import build_site
    build_site(RAW, tmp_path)
    interim, processed = tmp_path / "interim", tmp_path / "processed"
    series = pl.read_parquet(processed / "series.parquet")
    row = series.filter((pl.col("region") == "博山区") & ~pl.col("derived") & (pl.col("indicator") == "gdp")).row(0, named=True)
    issues = pl.read_parquet(interim / "issues.parquet")
    error = {c: None for c in issues.columns} | {
        "severity": "error", "suite": "indicators.plausibility", "rule": "expect_column_values_to_be_in_set(level_in_range)",
        "table": "indicators", "region": "博山区", "indicator": "gdp", "year": row["year"], "message": "test",
        "doc_id": row["doc_id"], "char_start": row["char_start"], "char_end": row["char_end"]}
    pl.concat([issues, pl.DataFrame([error], schema=issues.schema)]).write_parquet(interim / "issues.parquet")
    capsys.readouterr()
    analyse.run(str(interim), str(processed), str(REFERENCE_DIR), str(tmp_path / "analyse.json"), 0.5, 2.0, 0.55)
    err = capsys.readouterr().err
    assert "[analyse series] 1 of 2 regions recomputed" in err and "[analyse attainment] 1 of 2 regions recomputed" in err
    after = pl.read_parquet(processed / "series.parquet")
    gone = after.filter((pl.col("region") == "博山区") & (pl.col("indicator") == "gdp") & (pl.col("year") == row["year"])
                        & (pl.col("doc_id") == row["doc_id"]) & (pl.col("char_start") == row["char_start"]))
    assert gone.is_empty()
    assert after.filter(pl.col("region") != "博山区").equals(series.filter(pl.col("region") != "博山区"))
