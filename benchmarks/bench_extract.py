"""Extraction throughput: the five documents repeated to a corpus of --mb megabytes (UTF-8),
extracted one document at a time on one core. Prints MB/s and peak memory.

    .venv/bin/python benchmarks/bench_extract.py [--mb 50]
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from planwatch.parse.extract import extract
from planwatch.parse.reading import decode

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50.0)
    args = ap.parse_args()
    docs = [p.read_bytes() for p in sorted(RAW.glob("*.txt"))]
    target = args.mb * 1024 * 1024
    done_bytes, n_docs, n_rows = 0, 0, 0
    t0 = time.perf_counter()
    while done_bytes < target:
        for data in docs:
            text, _ = decode(data)
            _facts, records = extract(text)
            done_bytes += len(data)
            n_docs += 1
            n_rows += len(records)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{done_bytes / 1e6:.1f} MB in {n_docs} documents, {n_rows} rows, {dt:.1f} s: "
          f"{done_bytes / 1e6 / dt:.2f} MB/s on one core, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
