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
# # 03 · Analyse
# Indicator series (authoritative figure per region × indicator × year, revisions kept,
# derived levels flagged) and attainment of every target.

# %% tags=["parameters"]
interim_dir = "data/interim"
processed_dir = "data/processed"
reference_dir = "data/reference"
metrics_path = "reports/metrics/analyse.json"
tolerance_pp = 0.5
tolerance_level_pct = 2.0
link_threshold = 0.55
plots_dir = "reports/plots"

# %%
from planwatch.io import chdir_project_root

chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
import polars as pl

from planwatch.analyse import stage

stage.run(interim_dir, processed_dir, reference_dir, metrics_path, tolerance_pp, tolerance_level_pct, link_threshold,
          plots_dir)

# %%
pl.read_parquet(f"{processed_dir}/attainment.parquet").select(
    "region", "year", "scope", "indicator", "target_text", "actual_text", "status")
