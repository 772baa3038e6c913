"""GX's own Data Docs (reports/validation/gx) in Debian's chromium, from file:// with every
non-file request blocked: no request leaves the Data Docs folder, no console error, and
Bootstrap, bootstrap-table and Font Awesome are applied (the vendored assets, not a CDN)."""
import os
from pathlib import Path

import pytest

from tests.conftest import BROWSER_MARKS, ROOT

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def gx(site):
    from planwatch.validate.datadocs import assets_present
    if not assets_present():
        if os.environ.get("CI"):
            pytest.fail("Data Docs assets not fetched: make env fetches them with npm")
        pytest.skip("Data Docs assets not fetched (make env fetches them with npm)")
    return site / "validation" / "gx"


def _pages(gx: Path) -> list[Path]:
    return [gx / "index.html", next(gx.glob("validations/**/*.html")), next(gx.glob("expectations/**/*.html"))]


@pytest.mark.parametrize("which", [0, 1, 2], ids=["index", "validation-result", "expectation-suite"])
def test_data_docs_page_is_offline_styled_and_clean(browser, gx, which):
    path = _pages(gx)[which]
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    outside, console = [], []
    root = gx.resolve().as_uri() + "/"

    def route(r):
        url = r.request.url
        if url.startswith(root):
            r.continue_()
        else:                       # another host, or a file outside the Data Docs folder
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("requestfailed", lambda r: console.append(f"failed: {r.url}") if r.url.startswith(root) else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    if which == 0:
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "test-artifacts" / "datadocs.png"))
    assert outside == [] and console == []
    style = page.evaluate("""() => {
        const nav = document.querySelector('nav.navbar'), css = getComputedStyle(nav);
        return {navDisplay: css.display, navPosition: css.position,
                container: getComputedStyle(document.querySelector('.container-fluid')).paddingLeft,
                tables: document.querySelectorAll('.bootstrap-table').length,
                faLoaded: document.fonts.check('900 16px "Font Awesome 6 Free"'),
                logo: document.querySelector('nav img').naturalWidth};
    }""")
    assert style["navDisplay"] == "flex"            # Bootstrap 4's .navbar; unstyled it is block
    assert style["navPosition"] == "sticky"         # .sticky-top
    assert style["container"] == "48px"             # .pl-5 = 3rem: a Bootstrap 4 class (Bootstrap 5 renamed it ps-5)
    assert style["logo"] > 0                        # the logo from the site's static/images, not S3
    if which == 0:
        assert style["tables"] >= 1                 # jQuery + bootstrap-table ran on the index
        assert page.locator(".bootstrap-table tbody tr").count() >= 5
    if page.locator("i.fas, i.fa").count():
        assert style["faLoaded"]


def test_validation_page_links_the_data_docs(site):
    html = (site / "validation" / "index.html").read_text(encoding="utf-8")
    assert 'href="gx/index.html"' in html
    assert (site / "validation" / "gx" / "index.html").is_file()
