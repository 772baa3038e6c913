import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Debian's chromium, driven by Playwright (never its own browser download): the browser tests use
# BROWSER_MARKS as their pytestmark and the `browser` fixture below
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make test installs it as root)"),
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Headless chromium for one test module."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
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


def pytest_report_header(config):
    """Whether these tests run the compiled extractor (planwatch.native) or the .py modules: after
    editing a compiled module, they run as pure Python until `make env` builds it again."""
    from planwatch import native
    return f"planwatch extractor: {native.status()}"
