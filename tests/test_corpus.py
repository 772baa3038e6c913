"""The evaluation corpus holds together: every document annotated, every annotation well formed
and findable in its document, and the corpus as broad as its README promises.

These tests check the corpus, not the extractor's score (that is `make bench`).
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from planwatch.catalogue import default_catalogue
from planwatch.parse.convert import read_document

CORPUS = Path(__file__).parent / "corpus"
HEADER = ["indicator", "kind", "period_year", "value", "unit", "growth_pct", "value_high", "growth_pct_high",
          "qualifier", "period_scope", "evidence", "tags"]
INDEX_HEADER = ["file", "split", "province", "region", "region_level", "parent_region", "doc_type", "doc_year",
                "published", "form", "script", "title"]
SCOPES = {"annual", "partial_year", "multi_year_avg", "cumulative"}
TAGS = {"coordination", "scope", "kind_year", "code", "number", "layout", "script"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _index() -> list[dict]:
    with (CORPUS / "index.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == INDEX_HEADER
        return list(reader)


INDEX = _index()


def test_index_lists_every_document_once_and_nothing_else():
    listed = sorted(r["file"] for r in INDEX)
    assert len(listed) == len(set(listed))
    on_disk = sorted(f"{p.parent.name}/{p.name}" for p in CORPUS.glob("*/*") if p.suffix != ".csv")
    assert listed == on_disk
    for r in INDEX:
        assert r["file"].startswith(r["split"] + "/"), f"{r['file']}: folder and split disagree"
        assert (CORPUS / r["file"]).with_suffix(".csv").exists(), f"{r['file']}: no annotation"


def test_corpus_is_as_broad_as_promised():
    splits = Counter(r["split"] for r in INDEX)
    assert splits["dev"] >= 30 and splits["heldout"] >= 10
    assert len({r["province"] for r in INDEX}) >= 12
    assert {r["region_level"] for r in INDEX} == {"province", "city", "district", "county"}
    assert {r["doc_type"] for r in INDEX} == {"plan", "plan_report", "work_report", "bulletin", "news"}
    assert {r["form"] for r in INDEX} == {"clean", "web", "pdf", "bullets", "table", "excerpt"}
    assert {r["script"] for r in INDEX} == {"simplified", "traditional"}
    years = [int(r["doc_year"]) for r in INDEX]
    assert min(years) <= 2016 and max(years) >= 2026
    for split in ("dev", "heldout"):   # the held-out split is not all of one kind
        assert len({r["form"] for r in INDEX if r["split"] == split}) >= 4


@pytest.mark.parametrize("entry", INDEX, ids=[r["file"] for r in INDEX])
def test_annotation_is_well_formed_and_found_in_its_document(entry):
    cat = default_catalogue()
    path = CORPUS / entry["file"]
    _data, text, _how = read_document(path)          # the text of record the extractor reads
    assert len(_CJK.findall(text)) >= 1500, f"{path.name}: shorter than 1,500 characters"
    squeezed = re.sub(r"\s+", "", text)
    with path.with_suffix(".csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == HEADER
        rows = list(reader)
    assert rows, f"{path.name}: no statements annotated"
    for i, r in enumerate(rows, start=2):
        where = f"{path.with_suffix('.csv').name}:{i}"
        assert r["indicator"] in cat.indicators, f"{where}: {r['indicator']} not in the catalogue"
        assert r["kind"] in ("actual", "target"), where
        assert r["period_scope"] in SCOPES, where
        assert 2000 <= int(r["period_year"]) <= 2035, where
        assert set(r["tags"].split()) <= TAGS, where
        for col in ("value", "growth_pct", "value_high", "growth_pct_high"):
            if r[col]:
                float(r[col])
        assert r["value"] or r["growth_pct"] or r["qualifier"], f"{where}: a statement with no figure and no qualifier"
        assert (r["value"] == "") == (r["unit"] == ""), f"{where}: a value needs its unit (and a unit its value)"
        evidence = re.sub(r"\s+", "", r["evidence"])
        assert evidence and evidence in squeezed, f"{where}: evidence {r['evidence']!r} not in the document"
