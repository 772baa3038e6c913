"""Each source document against its hand-checked expected rows (tests/expected/*.csv)."""
import pytest

from planwatch.parse.evaluate import read_expected, score
from planwatch.parse.extract import extract
from tests.conftest import RAW, ROOT

DOCS = sorted(p.stem for p in (ROOT / "tests/expected").glob("*.csv"))


@pytest.mark.parametrize("doc", DOCS)
def test_document_rows_match_expected(doc):
    raw = (RAW / f"{doc}.txt").read_text(encoding="utf-8")
    _facts, records = extract(raw)
    s = score(raw, records, read_expected(ROOT / f"tests/expected/{doc}.csv"))
    assert s.missed == [], f"{doc}: recall {s.recall:.1%}; missed {s.missed}"
    assert s.spurious == [], f"{doc}: precision {s.precision:.1%}; not expected {s.spurious}"


@pytest.mark.parametrize("doc,region,level,parent,doc_type,year,published", [
    ("boshan_2026_plan", "博山区", "district", "淄博市", "plan", 2026, "2026-04-03"),
    ("zibo_2026_plan", "淄博市", "city", "山东省", "plan", 2026, None),
    ("boshan_2024_plan_report", "博山区", "district", "淄博市", "plan_report", 2024, "2024-01-09"),
    ("zibo_2025_plan_notice", "淄博市", "city", "山东省", "plan", 2025, "2025-03-21"),
    ("boshan_2021_work_report_news", "博山区", "district", "淄博市", "news", 2021, None),
])
def test_document_facts(doc, region, level, parent, doc_type, year, published):
    facts, _ = extract((RAW / f"{doc}.txt").read_text(encoding="utf-8"))
    assert (facts.region, facts.region_level, facts.parent_region, facts.doc_type, facts.doc_year, facts.published) == \
        (region, level, parent, doc_type, year, published)
