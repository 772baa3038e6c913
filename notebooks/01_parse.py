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
# # 01 · Parse
# Every document in `data/raw/` (listed in its manifest) → `documents.parquet` and
# `indicators.parquet`. Documents that cannot be read are quarantined, not fatal.

# %% tags=["parameters"]
raw_dir = "data/raw"
reference_dir = "data/reference"
interim_dir = "data/interim"
processed_dir = "data/processed"
metrics_path = "reports/metrics/parse.json"

# %%
from planwatch.io import chdir_project_root

chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
import polars as pl

from planwatch.parse import stage

metrics = stage.run(raw_dir, reference_dir, interim_dir, processed_dir, metrics_path)
metrics

# %%
pl.read_parquet(f"{interim_dir}/documents.parquet").select("doc_id", "region", "doc_type", "doc_year", "title")

# %%
pl.read_parquet(f"{processed_dir}/indicators.parquet").filter(pl.col("indicator") == "gdp").select(
    "doc_id", "period_year", "kind", "value", "unit", "growth_pct", "qualifier", "origin")
