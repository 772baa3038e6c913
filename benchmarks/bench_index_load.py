"""How fast the index loads and draws its overview in a headless browser, and how big the pages are.

    .venv/bin/python benchmarks/bench_index_load.py /tmp/c5k                # a folder kept by bench_corpus.py --keep
    .venv/bin/python benchmarks/bench_index_load.py reports --runs 5 --screenshot /tmp/index.png

Debian's chromium driven by Playwright, from file://, every non-file request blocked (and
counted). "load" is navigation start to the load event; "overview" is navigation start until
both overview charts (GDP bands and the attainment heat-map) have drawn their SVG marks. Prints
the median of --runs, the index size, the largest region page and the region page size spread.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DRAWN = ("document.querySelectorAll('#gdp-chart svg path, #gdp-chart svg rect').length > 0 && "
         "document.querySelectorAll('#heat-chart svg path, #heat-chart svg rect').length > 0")


def reports_dir(path: Path) -> Path:
    return path if (path / "index.html").exists() else path / "reports"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", type=Path, help="a reports/ folder, or a folder holding one")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--screenshot", type=Path, help="save a screenshot of the index (after the last run)")
    args = ap.parse_args()
    reports = reports_dir(args.dir.resolve())
    index = reports / "index.html"
    if not index.exists():
        sys.exit(f"bench_index_load: no index.html in {args.dir} or {args.dir / 'reports'}")
    pages = sorted((p.stat().st_size, p.name) for p in (reports / "regions").glob("*.html"))
    from playwright.sync_api import sync_playwright
    loads, draws, blocked, regions = [], [], [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for _ in range(args.runs):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else (blocked.append(r.request.url), r.abort()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            t = time.perf_counter()
            page.goto(index.as_uri(), wait_until="load", timeout=60000)
            loads.append(time.perf_counter() - t)
            if page.locator("#gdp-chart").count():       # an index from before the overview charts has none
                while not errors and not page.evaluate(DRAWN):
                    if time.perf_counter() - t > 60:
                        sys.exit("bench_index_load: the overview charts did not draw in 60 s")
                    page.wait_for_timeout(10)
                draws.append(time.perf_counter() - t)
                regions = page.evaluate("JSON.parse(document.getElementById('overview-data').textContent).rows.r.length")
            else:
                regions = page.locator("#overview tbody tr").count()
            if errors:
                sys.exit(f"bench_index_load: console errors: {errors[:3]}")
            if args.screenshot and len(loads) == args.runs:
                page.screenshot(path=str(args.screenshot), full_page=False)
            page.close()
        browser.close()
    print(f"index: {index.stat().st_size / 1e3:,.0f} KB, {regions:,} regions; load {statistics.median(loads):.2f} s, "
          + (f"overview drawn {statistics.median(draws):.2f} s (median of {args.runs}: {', '.join(f'{d:.2f}' for d in draws)})"
             if draws else "no overview charts") + f"; non-file requests blocked: {len(blocked)}")
    if pages:
        sizes = [s for s, _ in pages]
        print(f"region pages: {len(pages):,}, largest {pages[-1][0] / 1e3:,.0f} KB ({pages[-1][1]}), "
              f"median {statistics.median(sizes) / 1e3:,.0f} KB, over 200 KB: {sum(s > 200_000 for s in sizes)}")
    return 1 if blocked else 0


if __name__ == "__main__":
    sys.exit(main())
