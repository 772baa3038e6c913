"""environment.yml mirrors uv.lock (conda cannot run here; check it parses and matches)."""
import tomllib
from importlib import metadata

import yaml

from tests.conftest import ROOT


def _pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    out = {}
    for line in pip:
        if "==" in line:
            name, rest = line.split("==", 1)
            out.setdefault(name.strip().lower(), set()).add(rest.split(";")[0].strip())
    return out


def test_environment_yml_matches_lock():
    pins = _pins()
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = {(p["name"], p["version"]) for p in lock["package"] if "version" in p}
    pairs = {(n, v) for n, vs in pins.items() for v in vs}
    assert pairs <= locked, pairs - locked
    for required in ("jupyterlab", "polars", "altair", "papermill", "dvc", "great-expectations", "pytest"):
        assert required in pins
    assert all(v.startswith("1.") for v in pins["great-expectations"])


def test_this_environment_is_what_environment_yml_pins():
    pins = _pins()
    for name, versions in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue    # a package for another platform or Python
        assert installed in versions, name
