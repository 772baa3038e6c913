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


def build_site(raw_dir: Path, out: Path) -> Path:
    """Run the four stages' package functions (no DVC) into out/; return the reports folder."""
    from planwatch.analyse import stage as analyse
    from planwatch.catalogue import REFERENCE_DIR
    from planwatch.parse import stage as parse
    from planwatch.report.render import render
    from planwatch.validate import stage as validate
    ref = str(REFERENCE_DIR)
    interim, processed, reports = out / "interim", out / "processed", out / "reports"
    parse.run(str(raw_dir), ref, str(interim), str(processed), str(reports / "metrics/parse.json"))
    validate.run(str(interim), str(processed), ref, str(reports), str(reports / "metrics/validation.json"), 0.1)
    analyse.run(str(interim), str(processed), ref, str(reports / "metrics/analyse.json"), 0.5, 2.0, 0.55)
    render(str(processed), str(interim), ref, str(reports))
    return reports


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    return build_site(RAW, tmp_path_factory.mktemp("site"))
