"""The analyst's loop, timed: a cold `dvc repro`, then `planwatch add` of a new .docx and the
`dvc repro` that follows (only the new document is extracted; the others come from the
parse cache). Prints a transcript and the ratio incremental / cold.

The new document is synthetic: 博山区's 2026 plan with every year moved one later, made
into a Word file — a stand-in for "the next year's plan arrives as .docx".

    .venv/bin/python benchmarks/bench_add_document.py
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import ROOT, copy_repo  # noqa: E402


def shifted_docx(text: str) -> bytes:
    import docx
    moved = re.sub(r"20(2\d)年", lambda m: f"20{int(m.group(1)) + 1}年", text)
    d = docx.Document()
    for line in moved.splitlines():
        if line.strip():
            d.add_paragraph(line.strip())
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def run(cmd, cwd, env):
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if r.returncode:
        sys.exit(r.stdout[-3000:] + r.stderr[-3000:])
    return dt, r.stdout + r.stderr


def main() -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    with tempfile.TemporaryDirectory() as d:
        copy_repo(Path(d))
        cold, _ = run(["dvc", "repro"], d, env)
        src = Path(d) / "博山区2027年国民经济和社会发展计划.docx"
        src.write_bytes(shifted_docx((ROOT / "data/raw/boshan_2026_plan.txt").read_text(encoding="utf-8")))
        t_add, out_add = run([sys.executable, "-m", "planwatch", "add", str(src)], d, env)
        incr, out_repro = run(["dvc", "repro"], d, env)
        noop, _ = run(["dvc", "repro"], d, env)
        print(f"$ dvc repro                       # cold, five documents: {cold:.1f} s")
        print(f"$ python -m planwatch add {src.name}   ({t_add:.1f} s)")
        print("  " + out_add.strip().replace("\n", "\n  "))
        print(f"$ dvc repro                       # after adding one document: {incr:.1f} s")
        for line in out_repro.splitlines():
            if line.startswith(("Running stage", "[parse", "[validate", "[analyse", "[report", "Updating lock", "Stage ")):
                print("  " + line)
        print(f"$ dvc repro                       # nothing changed: {noop:.2f} s")
        print(f"incremental / cold = {incr / cold:.2f}")


if __name__ == "__main__":
    main()
