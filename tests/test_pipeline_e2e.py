"""End to end: a copy of the repository runs `dvc repro`; every output has the contract's
columns and types; a second `dvc repro` reproduces nothing. The stage notebooks run under
papermill with their default parameters in the process."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from planwatch import schemas
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    dest = tmp_path_factory.mktemp("planwatch")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    for f in ("dvc.lock",):
        (dest / f).unlink(missing_ok=True)   # a cold build
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    git = ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    subprocess.run(git + ["init", "-q"], cwd=dest, check=True)
    subprocess.run(git + ["add", "-A"], cwd=dest, check=True)
    subprocess.run(git + ["commit", "-qm", "copy"], cwd=dest, check=True)
    first = subprocess.run(["dvc", "repro"], cwd=dest, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    second = subprocess.run(["dvc", "repro"], cwd=dest, env=env, capture_output=True, text=True)
    return dest, first, second


@pytest.mark.parametrize("path,schema", [
    ("data/interim/documents.parquet", schemas.DOCUMENTS),
    ("data/processed/indicators.parquet", schemas.INDICATORS),
    ("data/processed/series.parquet", schemas.SERIES),
    ("data/processed/attainment.parquet", schemas.ATTAINMENT),
    ("data/interim/issues.parquet", schemas.ISSUES),
])
def test_outputs_follow_the_contract(repo, path, schema):
    df = pl.read_parquet(repo[0] / path)
    assert dict(df.schema) == schema
    assert df.height > 0


def test_reports_and_notebooks_exist(repo):
    dest = repo[0]
    assert (dest / "reports/index.html").stat().st_size > 1000
    assert sorted(p.name for p in (dest / "reports/regions").glob("*.html")) == ["博山区.html", "淄博市.html"]
    for nb in ("01_parse", "02_validate", "03_analyse", "04_report"):
        assert (dest / f"data/interim/notebooks/{nb}.ipynb").exists()
    index = (dest / "reports/index.html").read_text(encoding="utf-8")
    assert "5088.9" in index and "淄博市2026年国民经济和社会发展计划" in index


def test_second_repro_does_nothing(repo):
    _dest, _first, second = repo
    assert second.returncode == 0
    assert "Data and pipelines are up to date." in second.stdout
    assert "Running stage" not in second.stdout


def test_outputs_are_deterministic(repo, tmp_path):
    dest = repo[0]
    before = {p: (dest / p).read_bytes() for p in ("data/processed/indicators.csv", "data/processed/series.csv",
                                                   "data/processed/attainment.csv", "reports/index.html")}
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    r = subprocess.run(["dvc", "repro", "--force"], cwd=dest, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    for p, data in before.items():
        assert (dest / p).read_bytes() == data, p


def test_explore_notebook_runs_under_papermill(repo, tmp_path):
    import papermill as pm
    dest = repo[0]
    out = tmp_path / "explore.out.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks/explore.ipynb"), str(out), kernel_name="python3", progress_bar=False,
                        parameters={"processed_dir": str(dest / "data/processed"), "interim_dir": str(dest / "data/interim")})
    assert "地区生产总值" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("nb", ["01_parse", "02_validate", "03_analyse", "04_report"])
def test_stage_notebooks_run_with_default_parameters_from_notebooks_folder(repo, nb, tmp_path):
    """As in JupyterLab: the kernel starts in notebooks/ and no parameter is passed."""
    import jupytext
    import papermill as pm
    dest = repo[0]
    nbk = jupytext.read(dest / f"notebooks/{nb}.py")
    pm.execute_notebook(nbk, str(tmp_path / f"{nb}.ipynb"), cwd=str(dest / "notebooks"), kernel_name="python3", progress_bar=False)


def test_stage_log_is_quiet(repo):
    """The kernels talk over IPC: no 'Kernel is running over TCP without encryption' per stage."""
    _dest, first, _second = repo
    assert "without encryption" not in first.stdout + first.stderr
    assert first.stdout.count("Running stage") == 4


def _outputs(nb: dict) -> list[dict]:
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def test_executed_notebooks_show_what_each_stage_did(repo):
    import json
    dest = repo[0]
    nbs = {n: json.loads((dest / f"data/interim/notebooks/{n}.ipynb").read_text(encoding="utf-8"))
           for n in ("01_parse", "02_validate", "03_analyse", "04_report")}
    for name, nb in nbs.items():
        outs = _outputs(nb)
        assert not [o for o in outs if o["output_type"] == "error"], name
        assert str(dest) not in json.dumps(outs, ensure_ascii=False), name   # no machine-specific path in outputs

    def html(name):
        return "".join("".join(o["data"]["text/html"]) for o in _outputs(nbs[name]) if "text/html" in o.get("data", {}))

    parse = html("01_parse")
    assert "all 5 documents" in parse and "zibo_2026_plan" in parse
    assert "预计全区地区生产总值完成282亿元" in parse                    # a sample row's sentence (boshan_2024_plan_report)
    validate = html("02_validate")
    assert "all suites" in validate and "indicators.contract" in validate and "cross.reconciliation" in validate
    analyse = html("03_analyse")
    assert "met_rate_pct" in analyse and "居民收入与经济增长同步" in analyse   # 淄博 2025: missed
    svgs = [o for o in _outputs(nbs["03_analyse"]) if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 1 and "博山区" in "".join(svgs[0]["data"]["image/svg+xml"])
    report = html("04_report")
    assert 'href="../../../reports/regions/%E6%B7%84%E5%8D%9A%E5%B8%82.html"' in report   # 淄博市, relative to the copy
    assert (dest / "data/interim/notebooks" / "../../../reports/regions/淄博市.html").resolve().exists()


def test_each_catalogued_target_is_one_attainment_row(repo):
    # 淄博市's 2026 plan states its budget-revenue target in prose and again in its annex table
    # (the table adds the level): that was two rows, counted twice in every attainment figure
    a = pl.read_parquet(repo[0] / "data/processed/attainment.parquet").filter(pl.col("indicator").is_not_null())
    assert a.group_by("region", "year", "scope", "indicator").len().filter(pl.col("len") > 1).height == 0
    zibo = a.filter((pl.col("region") == "淄博市") & (pl.col("year") == 2026) & (pl.col("indicator") == "budget_revenue"))
    assert zibo.select("target_value", "target_start").rows() == [(2.0, 17214)]    # the table's row, with its level
