"""Extraction throughput against cn2an, and how it grows with the size of the text.

On the same decoded text, in the same process, interleaved (the order alternates each repeat),
this times planwatch's extractor (``planwatch.parse.extract.extract``) and
``cn2an.transform(text, "cn2an")`` (a benchmark-only dependency: the ``bench`` group of
pyproject.toml), and prints MB/s for each, their ratio planwatch / cn2an (higher: planwatch
faster; the goal is >= 1.5) and seconds per MB (flat: time grows linearly with the text), by the wall clock and in CPU
time of the process (steadier on a shared machine).

The text is built from the decoded text documents of data/raw/*.txt and tests/corpus/dev/*.txt
(never tests/corpus/heldout/), repeated in order to 1, 10 and 100 MB of UTF-8 (MB = 10^6 bytes),
two ways:

- many: the documents one by one, each extracted (and transformed) on its own;
- one:  all of them joined by a blank line into one big document.

The library function is called directly, so the input limits of `planwatch extract` and the
parse stage (params.yaml parse.max_file_mb 50, parse.max_statements 20,000 rows per document)
do not apply: a 100 MB document with ~2 million rows would be refused there by both.

Each size runs in its own spawned process; peak memory is that process's peak resident set
during each tool's runs (Linux: reset through /proc/self/clear_refs before each run; elsewhere
the process's peak so far), the text itself included. Times are wall-clock medians over
--repeats runs (one run at 100 MB unless --repeats-large says otherwise); CPU-time medians are
printed beside them, as the machine may be shared.

The extractor runs compiled when `make env` has built planwatch.native (the header says which);
--pure runs it as pure Python (PLANWATCH_NATIVE=0) for comparison.

    .venv/bin/python benchmarks/bench_extract.py [--sizes 1,10,100] [--modes many,one] [--repeats 5] [--pure]
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "data" / "raw", ROOT / "tests" / "corpus" / "dev")
MB = 1_000_000


def documents() -> list[str]:
    """Decoded text of every .txt document in SOURCES, in path order."""
    from planwatch.parse.reading import decode
    paths = [p for d in SOURCES for p in sorted(d.glob("*.txt"))]
    assert not any("heldout" in p.parts for p in paths)
    return [decode(p.read_bytes(), p.name)[0] for p in paths]


def corpus(docs: list[str], mb: float) -> list[str]:
    """The documents repeated in order until their UTF-8 size reaches mb megabytes."""
    out, size, i = [], 0, 0
    while size < mb * MB:
        d = docs[i % len(docs)]
        out.append(d)
        size += len(d.encode("utf-8"))
        i += 1
    return out


def _peak_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(mb: float, mode: str, repeats: int) -> dict:
    """Time both tools on one text (in a fresh process)."""
    import cn2an

    from planwatch.parse.extract import extract
    warnings.simplefilter("ignore")        # cn2an warns on every numeral it cannot read (十四五)
    docs = documents()
    texts = corpus(docs, mb)
    if mode == "one":
        texts = ["\n\n".join(texts)]
    size = sum(len(t.encode("utf-8")) for t in texts)
    extract(docs[0])                         # compile patterns, load grammar and catalogue
    cn2an.transform(docs[0], "cn2an")

    def planwatch_run():
        return sum(len(extract(t)[1]) for t in texts)

    def cn2an_run():
        for t in texts:
            cn2an.transform(t, "cn2an")
        return None

    wall = {"planwatch": [], "cn2an": []}
    cpu = {"planwatch": [], "cn2an": []}
    peak = {"planwatch": 0.0, "cn2an": 0.0}
    rows = None
    for r in range(repeats):
        order = [("planwatch", planwatch_run), ("cn2an", cn2an_run)]
        for name, fn in (order if r % 2 == 0 else order[::-1]):
            _peak_reset()
            c0, t0 = time.process_time(), time.perf_counter()
            out = fn()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
            peak[name] = max(peak[name], _peak_mb())
            if name == "planwatch":
                rows = out
    med = {k: statistics.median(v) for k, v in wall.items()}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}
    return {"mb": size / MB, "mode": mode, "docs": len(texts), "rows": rows, "repeats": repeats,
            "wall": med, "cpu": cmed, "peak": peak}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,10,100", help="megabytes of text, comma-separated")
    ap.add_argument("--modes", default="many,one", help="many (documents one by one), one (one big document)")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per tool below 100 MB")
    ap.add_argument("--repeats-large", type=int, default=1, help="timed runs per tool at 100 MB and above")
    ap.add_argument("--pure", action="store_true", help="the extractor as pure Python (PLANWATCH_NATIVE=0)")
    args = ap.parse_args()
    if args.pure:
        os.environ["PLANWATCH_NATIVE"] = "0"      # inherited by the spawned processes
    from planwatch import native
    sizes = [float(x) for x in args.sizes.split(",")]
    modes = args.modes.split(",")
    print(f"Python {platform.python_version()}, {platform.machine()}, {mp.cpu_count()} cores; "
          f"documents: {', '.join(str(s.relative_to(ROOT)) for s in SOURCES)} (*.txt); extractor: {native.status()}")
    print(f"{'MB':>7} {'mode':>4} {'docs':>6} {'rows':>9} {'runs':>4} | wall: {'planwatch MB/s':>14} {'cn2an MB/s':>10} "
          f"{'ratio':>5} {'s/MB':>6} | cpu: {'planwatch MB/s':>14} {'cn2an MB/s':>10} {'ratio':>5} {'s/MB':>6} | "
          f"peak RSS planwatch / cn2an")
    ctx = mp.get_context("spawn")           # fork deadlocks with polars; and a fresh process per size
    results = []
    for mode in modes:
        for mb in sizes:
            repeats = args.repeats if mb < 100 else args.repeats_large
            with ctx.Pool(1) as pool:
                r = pool.apply(run_size, (mb, mode, repeats))
            results.append(r)
            cols = []
            for clock in ("wall", "cpu"):
                pw, cn = r[clock]["planwatch"], r[clock]["cn2an"]
                cols.append(f"{clock}: {r['mb'] / pw:14.2f} {r['mb'] / cn:10.2f} {cn / pw:5.2f} {pw / r['mb']:6.3f}")
            print(f"{r['mb']:7.1f} {mode:>4} {r['docs']:6,d} {r['rows']:9,d} {repeats:4d} | {cols[0]} | {cols[1]} | "
                  f"{r['peak']['planwatch']:,.0f} MB / {r['peak']['cn2an']:,.0f} MB", flush=True)
    for clock in ("wall", "cpu"):
        ratios = [r[clock]["cn2an"] / r[clock]["planwatch"] for r in results]
        print(f"ratio planwatch / cn2an ({clock}): {min(ratios):.2f}–{max(ratios):.2f}; goal >= 1.5: "
              f"{'met' if min(ratios) >= 1.5 else 'not met'}")


if __name__ == "__main__":
    sys.exit(main())
