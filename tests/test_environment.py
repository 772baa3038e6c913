"""environment.yml mirrors uv.lock (conda cannot run here; check it parses and matches)."""
import tomllib

import yaml

from tests.conftest import ROOT


def test_environment_yml_matches_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = dict(p.split("==") for p in pip if "==" in p)
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = {p["name"]: p["version"] for p in lock["package"] if p["name"] != "planwatch"}
    assert pins == locked
    for required in ("jupyterlab", "polars", "altair", "papermill", "dvc", "great-expectations", "pytest"):
        assert required in pins
    assert pins["great-expectations"].startswith("1.")


def test_explore_notebook_is_paired_with_its_source():
    import jupytext
    py = jupytext.read(ROOT / "notebooks/explore.py")
    nb = jupytext.read(ROOT / "notebooks/explore.ipynb")
    assert [c.source for c in py.cells] == [c.source for c in nb.cells]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
