"""Write environment.yml from uv.lock: conda gets Python, everything else via pip at the
lock's exact versions. Run after `uv lock`: python pipelines/environment_yml.py"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def locked_packages() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {p["name"]: p["version"] for p in lock["package"] if p["name"] != "planwatch" and "version" in p}


def render() -> str:
    pins = "\n".join(f"      - {n}=={v}" for n, v in sorted(locked_packages().items()))
    return f"""# For conda users. Generated from uv.lock by pipelines/environment_yml.py — do not edit by hand.
# The lock file is the source of truth; `make` uses it through uv. Every package below is
# pinned to the lock's version and installed by pip (conda channels carry other builds).
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
