"""Cold and no-op `dvc repro` of the five documents in a fresh copy of the repository.

    .venv/bin/python benchmarks/bench_pipeline.py [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_repo(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        if (ROOT / f).is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dest / f)
    (dest / "dvc.lock").unlink(missing_ok=True)
    git = ["git", "-c", "user.email=b@example.invalid", "-c", "user.name=b"]
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
        subprocess.run(git + cmd, cwd=dest, check=True)


def timed(cmd, cwd, env) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stdout[-2000:] + r.stderr[-2000:])
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    cold, noop = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as d:
            copy_repo(Path(d))
            cold.append(timed(["dvc", "repro"], d, env))
            noop.append(timed(["dvc", "repro"], d, env))
    print(f"cold dvc repro: median {statistics.median(cold):.1f} s {[round(x, 1) for x in cold]}")
    print(f"no-op dvc repro: median {statistics.median(noop):.2f} s {[round(x, 2) for x in noop]}")


if __name__ == "__main__":
    main()
