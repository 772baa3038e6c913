# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Validate
# Great Expectations suites (`planwatch.validate.suites`) over the parsed tables and the
# computed cross-checks. Errors stop the pipeline; warnings go to `issues.parquet`.

# %% tags=["parameters"]
interim_dir = "data/interim"
processed_dir = "data/processed"
reference_dir = "data/reference"
reports_dir = "reports"
metrics_path = "reports/metrics/validation.json"
reconcile_tolerance_pp = 0.1

# %%
from planwatch.io import chdir_project_root

chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
import polars as pl

from planwatch.validate import stage

metrics = stage.run(interim_dir, processed_dir, reference_dir, reports_dir, metrics_path, reconcile_tolerance_pp)
{k: metrics[k] for k in ("evaluated", "passed", "warnings", "errors")}

# %%
pl.read_parquet(f"{interim_dir}/issues.parquet").select("severity", "suite", "message")
