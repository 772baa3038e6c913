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
# `indicators.parquet`. Documents that cannot be read are quarantined (listed with the reason);
# the stage then fails unless `allow_quarantine` is set.

# %% tags=["parameters"]
raw_dir = "data/raw"
reference_dir = "data/reference"
interim_dir = "data/interim"
processed_dir = "data/processed"
metrics_path = "reports/metrics/parse.json"
allow_quarantine = False
max_file_mb = 50
max_unpacked_mb = 200
max_line_chars = 100000
max_statements = 20000

# %%
from planwatch.io import chdir_project_root

chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
import polars as pl

from planwatch.parse import stage

metrics = stage.run(raw_dir, reference_dir, interim_dir, processed_dir, metrics_path,
                    allow_quarantine=allow_quarantine, max_file_mb=max_file_mb, max_unpacked_mb=max_unpacked_mb,
                    max_line_chars=max_line_chars, max_statements=max_statements)
metrics

# %%
pl.read_parquet(f"{interim_dir}/documents.parquet").select("doc_id", "region", "doc_type", "doc_year", "title")

# %%
pl.read_parquet(f"{processed_dir}/indicators.parquet").filter(pl.col("indicator") == "gdp").select(
    "doc_id", "period_year", "kind", "value", "unit", "growth_pct", "qualifier", "origin")
