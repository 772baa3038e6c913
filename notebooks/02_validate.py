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
# computed cross-checks. An error about one statement withholds it from series and attainment;
# an error about a whole table stops the pipeline; warnings and notes go to `issues.parquet`.

# %% tags=["parameters"]
interim_dir = "data/interim"
processed_dir = "data/processed"
reference_dir = "data/reference"
reports_dir = "reports"
metrics_path = "reports/metrics/validation.json"
reconcile_tolerance_pp = 0.1

# %%
from planwatch.io import chdir_project_root

project_root = chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
import polars as pl

from planwatch import views
from planwatch.validate import stage

pl.Config(**views.DISPLAY)   # bounded tables shown in full (views caps their rows)
metrics = stage.run(interim_dir, processed_dir, reference_dir, reports_dir, metrics_path, reconcile_tolerance_pp)
{k: metrics[k] for k in ("evaluated", "passed", "warnings", "errors", "rows_withheld")}

# %% [markdown]
# ## Expectation results
# One row per suite: expectations evaluated, passed, failed as warnings and as errors.
# Every expectation and finding is on `reports/validation/index.html`.

# %%
views.suite_results(metrics["suites"])

# %% [markdown]
# ## Findings
# How many findings each rule produced, then the first 20 (errors first) with the statement's
# document, span and sentence where the finding names one.

# %%
issues = pl.read_parquet(f"{interim_dir}/issues.parquet")
indicators = pl.read_parquet(f"{processed_dir}/indicators.parquet")
views.findings_by_rule(issues)

# %%
views.top_findings(issues, indicators)
