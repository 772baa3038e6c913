"""Write environment.yml from uv.lock: conda gets Python, everything else via pip at the
lock's exact versions, with the lock's platform markers. Run after `uv lock`:

    .venv/bin/python pipelines/environment_yml.py      # needs uv: .tools/bin/uv or on PATH
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def exported_requirements() -> list[str]:
    uv = shutil.which("uv") or str(ROOT / ".tools/bin/uv")
    out = subprocess.run([uv, "export", "--frozen", "--no-hashes", "--no-emit-project", "--no-header", "--no-annotate"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ln.strip() for ln in out.splitlines() if ln.strip() and not ln.startswith(("#", "-"))]


def render() -> str:
    pins = "\n".join(f'      - "{r}"' for r in exported_requirements())
    return f"""# For conda users. Generated from uv.lock by pipelines/environment_yml.py — do not edit by hand.
# The lock file is the source of truth; `make` uses it through uv. Every package below is
# pinned to the lock's version (with the lock's platform markers) and installed by pip.
name: planwatch
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
      - -e .
{pins}
"""


if __name__ == "__main__":
    (ROOT / "environment.yml").write_text(render(), encoding="utf-8")
    sys.exit(0)
