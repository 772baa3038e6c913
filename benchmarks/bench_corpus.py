"""A national-scale corpus: cold, no-op and add-one `dvc repro`, each stage's time and peak memory.

    .venv/bin/python benchmarks/bench_corpus.py --docs 1000            # generate + measure
    .venv/bin/python benchmarks/bench_corpus.py --docs 10000 --keep /tmp/c10k

The generator is deterministic (seeded): it takes the five source documents and the corpus dev
documents as templates and writes N documents over invented regions of every level (region
names and their short forms replaced, every year shifted by the same offset, so a 2026 plan
becomes a 2019 plan with 2018 actuals), mixing the templates' types and layouts. Each stage
runs as `dvc repro --single-item STAGE` in a fresh process so its time and peak RSS are its own.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import copy_repo  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["parse", "validate", "analyse", "report"]
_SYL = list("安宝昌成德丰富广和华惠嘉建江金乐利临龙明南宁平庆仁荣瑞山胜泰天通万文武祥新兴阳永裕振中")
_LEVEL_SUFFIX = {"province": "省", "city": "市", "district": "区", "county": "县"}
_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?=年|—|-|～)")


def templates() -> list[dict]:
    """(text, suffix, region, short, level) of every template document."""
    out = []
    with (ROOT / "tests" / "corpus" / "index.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["split"] == "dev":
                p = ROOT / "tests" / "corpus" / r["file"]
                out.append({"text": p.read_text(encoding="utf-8"), "suffix": p.suffix, "region": r["region"],
                            "level": r["region_level"]})
    for name, region, level in [("boshan_2026_plan", "博山区", "district"), ("zibo_2026_plan", "淄博市", "city"),
                                ("boshan_2024_plan_report", "博山区", "district"), ("zibo_2025_plan_notice", "淄博市", "city"),
                                ("boshan_2021_work_report_news", "博山区", "district")]:
        out.append({"text": (ROOT / "data" / "raw" / f"{name}.txt").read_text(encoding="utf-8"), "suffix": ".txt",
                    "region": region, "level": level})
    for t in out:
        t["short"] = re.sub(r"(省|市|区|县|自治区|壮族自治区)$", "", t["region"]) or t["region"]
    return out


def region_names(n: int, rng: random.Random) -> list[str]:
    names, seen = [], set()
    while len(names) < n:
        base = "".join(rng.choice(_SYL) for _ in range(rng.choice((2, 2, 3))))
        if base not in seen:
            seen.add(base)
            names.append(base)
    return names


def generate(raw: Path, n_docs: int, seed: int = 2026) -> None:
    """Write n_docs documents and their manifest into raw (replacing what is there)."""
    rng = random.Random(seed)
    tpl = templates()
    bases = region_names(max(4, n_docs // 3), rng)
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    rows = []
    for i in range(n_docs):
        t = tpl[i % len(tpl)]
        base = bases[(i * 7919) % len(bases)]
        suffix = _LEVEL_SUFFIX.get(t["level"], "县")
        name = base + suffix
        shift = -((i // len(tpl)) % 9)       # the same region appears with documents of several years
        text = t["text"].replace(t["region"], name).replace(t["short"], base)
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text) + f"\n（文档编号 d{i:05d}）\n"   # no two alike
        fname = f"d{i:05d}{t['suffix']}"
        data = text.encode("utf-8")
        (raw / fname).write_bytes(data)
        rows.append({"file": fname, "original_name": fname, "sha256": hashlib.sha256(data).hexdigest(),
                     "note": "generated", "region": "", "doc_year": ""})
    buf = io.StringIO()
    w = csv.DictWriter(buf, ["file", "original_name", "sha256", "note", "region", "doc_year"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (raw / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")


def _stage(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) of the stage's process tree, and its output."""
    probe = ("import resource,subprocess,sys,time;t=time.perf_counter();"
             "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
             "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024, r.returncode);"
             "sys.stderr.write(r.stdout[-3000:]+r.stderr[-3000:])")
    r = subprocess.run([sys.executable, "-c", probe, *cmd], cwd=cwd, env=env, capture_output=True, text=True)
    secs, mb, rc = r.stdout.split()
    if int(rc):
        sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr}")
    return float(secs), float(mb), r.stderr


def build(cwd: Path, env: dict, label: str) -> dict:
    out = {}
    total = 0.0
    for st in STAGES:
        secs, mb, _ = _stage(["dvc", "repro", "--single-item", st], cwd, env)
        out[st] = (secs, mb)
        total += secs
        print(f"  {label} {st}: {secs:.1f} s, peak {mb:.0f} MB", flush=True)
    print(f"{label:<10} " + "  ".join(f"{st} {s:6.1f}s {m:5.0f}MB" for st, (s, m) in out.items()) + f"  total {total:6.1f}s",
          flush=True)
    return out


def du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--keep", help="build in this folder and keep it (default: a temporary folder)")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="planwatch-corpus-"))
    # the copy's own code, not the work tree's (the venv's planwatch is an editable install of it)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "PYTHONPATH": str(work / "src"),
           # the work tree's compiled extractor (planwatch.native), used while the copy's sources match it
           # (a copy has no .tools/ of its own); PLANWATCH_NATIVE=0 runs the extractor as pure Python
           "PLANWATCH_NATIVE_DIR": os.environ.get("PLANWATCH_NATIVE_DIR") or str(ROOT / ".tools" / "native")}
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    copy_repo(work)
    generate(work / "data" / "raw", args.docs)
    raw_mb = du(work / "data" / "raw")
    subprocess.run(["git", "add", "-A"], cwd=work, check=True, capture_output=True)
    native = subprocess.run([sys.executable, "-c", "from planwatch import native; print(native.status())"], cwd=work,
                            env=env, capture_output=True, text=True).stdout.strip()
    print(f"{args.docs} documents, {raw_mb:.0f} MB in data/raw, {os.cpu_count()} cores; extractor: {native}", flush=True)
    build(work, env, "cold")
    noop = []
    for _ in range(3):              # the first also fills DVC's state database for the outputs: the median
        t = time.perf_counter()
        r = subprocess.run(["dvc", "repro"], cwd=work, env=env, capture_output=True, text=True)
        noop.append(time.perf_counter() - t)
    print(f"no-op      dvc repro {sorted(noop)[1]:.2f}s median of {', '.join(f'{x:.2f}' for x in noop)} "
          f"({r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ''}); "
          f"{sum(1 for p in work.rglob('*') if p.is_file() and '.git' not in p.parts and '.dvc' not in p.parts):,} files in the project")
    print(f"reports    {du(work / 'reports'):.0f} MB, {len(list((work / 'reports' / 'regions').glob('*.html')))} region pages, "
          f"largest page {max(p.stat().st_size for p in (work / 'reports' / 'regions').glob('*.html')) / 1e3:.0f} KB, "
          f"index {(work / 'reports' / 'index.html').stat().st_size / 1e3:.0f} KB")
    # add one document (a new region's plan) and rebuild: each stage on its own, then (another new
    # document) one `dvc repro`, as a user runs it
    for name, one_call in (("新加", False), ("新乙", True)):
        src = ROOT / "data" / "raw" / "boshan_2026_plan.txt"
        new = work / f"{name}_plan.txt"
        new.write_text(src.read_text(encoding="utf-8").replace("博山区", f"{name}区").replace("博山", name), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "planwatch", "add", str(new), "--raw-dir", "data/raw"], cwd=work, env=env,
                       check=True, capture_output=True)
        if one_call:
            secs, mb, _ = _stage(["dvc", "repro"], work, env)
            print(f"add-one    one dvc repro {secs:.1f}s, peak {mb:.0f} MB", flush=True)
        else:
            build(work, env, "add-one")
    print(f"peak RSS of this driver {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; folder {work}")
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
