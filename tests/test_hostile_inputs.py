"""Extraction stays linear on hostile text, and never publishes a number its span does not say.

Each pattern family gets a 1 MB string built to make a backtracking pattern or a rescan
quadratic; the budget is generous (a quadratic version took minutes at 80 KB) so the tests
check the complexity class, not the machine. Measured times: benchmarks/bench_hostile.py.
The fuzz test mixes the grammar's own tokens at random.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwatch.catalogue import default_catalogue
from planwatch.parse.extract import extract
from planwatch.parse.grammar import default_grammar
from planwatch.parse.verify import span_problem
from planwatch.validate.checks import within_document

HEAD = "淄博市2025年国民经济和社会发展计划\n"
MB = 1_000_000
BUDGET_S = 60


def hostile_inputs(n: int = MB) -> dict[str, str]:
    """The hostile texts of the hardening issue, n characters each (shared with the benchmark)."""
    return {
        "digits (not_numbers backtracking)": "1" * n,
        "capital letters (code pattern)": "A" * n,
        "digits then letters": "1" * (n // 2) + "A" * (n // 2),
        "blank lines (line joining)": "地区生产总值增长5%" + "\n" * n + "完",
        "short table lines (cell continuation)": "\t行\n" * (n // 3),
        "short lines": "行\n" * (n // 2),
        "year clauses (year scan)": "2025年新建1个，" * (n // 10),
        "list items in one clause": "新建学校1所、" * (n // 7),
        "one indicator repeated in a sentence": "地区生产总值增长5%，" * (n // 11),
        "headings": "一、2025年计划执行情况\n" * (n // 14),
        "shares": "地区生产总值，占全省比重" * (n // 12),
        "masks and numbers": "2025年5G1+6第3" * (n // 12),
    }


@pytest.mark.parametrize("name", list(hostile_inputs(10)))
def test_extraction_is_linear_on_hostile_text(name):
    text = HEAD + hostile_inputs()[name]
    t0 = time.perf_counter()
    facts, records = extract(text, region="淄博市", doc_year=2025)
    elapsed = time.perf_counter() - t0
    assert elapsed < BUDGET_S, f"{name}: {elapsed:.1f}s for 1 MB"
    for r in records[:1000]:
        assert span_problem(text, r) is None


# Saved pages whose tags are never closed: html.parser nests each in the one before, so a page is as deep
# as it is long. Reading their tables and finding the article re-read the nesting: 72 KB took 23 s.
HTML_BUDGET_S = 20


@pytest.mark.parametrize("pattern", ["<tr><td>1", "<div><p>地区生产总值增长5%", "<td><p>地区生产总值增长5%",
                                     "<table><div>" + "<div>" * 10 + "<tr><td>1</td></tr>"])
def test_html_conversion_is_linear_on_unclosed_tags(pattern):
    from planwatch.parse.convert import html_to_text
    page = "<html><body><p>" + "淄博市2026年国民经济和社会发展计划。" * 3 + "</p><table>" + pattern * (300_000 // len(pattern)) + "</body></html>"
    t0 = time.perf_counter()
    html_to_text(page)
    elapsed = time.perf_counter() - t0
    assert elapsed < HTML_BUDGET_S, f"{pattern}: {elapsed:.1f}s for 300 KB"


def test_within_document_pairs_grow_linearly():
    import polars as pl
    text = HEAD + "一、2024年计划执行情况\n" + "全市地区生产总值完成5088.9亿元，增长5.6%。" * 6000
    _facts, records = extract(text, region="淄博市", doc_year=2025)
    rows = pl.DataFrame([r.as_row(doc_id="d", region="淄博市") for r in records])
    pairs = within_document(rows)
    assert len(records) == 6000 and pairs.height == 5999      # not 6000² / 2


def _tokens() -> list[str]:
    g, cat = default_grammar(), default_catalogue()
    words = (cat.names()[:80] + g.unit_names + list(g.magnitudes) + g.approx_before + g.approx_after + g.qualifiers_after
             + list(g.qualifier_verbs) + g.stretch_words + [p for p, _ in g.qualitative] + g.growth_up + g.growth_down
             + g.growth_lead + g.level_verbs + g.clause_stop + g.estimate_words + g.target_cues + g.task_verbs[:20])
    numbers = ["5", "5.6", "1,234.5", "０.５", "319.3", "-3.5", "2025年", "2026年", "1—11月", "6%—6.5%", "6至6.5", "一万",
               "5G", "1+6", "2×350", "第3", "“3510”", "〔2025〕3号", "十四五"]
    marks = ["，", "。", "；", "：", "、", "和", "及", "分别", "\n", "\n\n", "\t", " ", "（", "）", "●", "◆", "一、", "（一）",
             "二、2026年主要预期目标\n", "一、2025年计划执行情况\n", "附件\n", "\t指标\n\t单位\n\t2025年完成\n\t2026年目标\n\n"]
    return words + numbers + marks


TOKENS = _tokens()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=80))
def test_fuzz_extract_never_crashes_and_every_value_reparses_from_its_span(tokens):
    text = HEAD + "".join(tokens)
    facts, records = extract(text, region="淄博市", doc_year=2025)
    for r in records:
        assert 0 <= r.char_start <= r.char_end <= len(text)
        assert span_problem(text, r) is None, (r, text[r.char_start:r.char_end])
