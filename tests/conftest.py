from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def wrap(phrase: str, section: str = "results", doc_year: int = 2026, region: str = "博山区") -> str:
    """A minimal plan document with the phrase in the results or targets section."""
    head = f"{region}{doc_year}年国民经济和社会发展计划\n\n"
    results = f"一、{doc_year - 1}年国民经济和社会发展计划执行情况\n"
    targets = f"二、{doc_year}年经济社会发展主要预期目标\n"
    if section == "results":
        return head + results + phrase + "\n" + targets + "做好工作。\n"
    if section == "targets":
        return head + results + "经济运行平稳。\n" + targets + phrase + "\n"
    return head + phrase + "\n"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
