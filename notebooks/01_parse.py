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

project_root = chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
import polars as pl

from planwatch import views
from planwatch.parse import stage

pl.Config(**views.DISPLAY)   # bounded tables shown in full (views caps their rows)
metrics = stage.run(raw_dir, reference_dir, interim_dir, processed_dir, metrics_path,
                    allow_quarantine=allow_quarantine, max_file_mb=max_file_mb, max_unpacked_mb=max_unpacked_mb,
                    max_line_chars=max_line_chars, max_statements=max_statements)
metrics

# %%
documents = pl.read_parquet(f"{interim_dir}/documents.parquet")
indicators = pl.read_parquet(f"{processed_dir}/indicators.parquet")

# %% [markdown]
# ## Statements per document
# Actual and target statements, how many name a catalogue indicator (the rest are `other:…`
# measures, kept for task targets) and how many came from tables. The documents with most
# statements first (at most 20), then the totals over every document.

# %%
views.statements_per_document(documents, indicators)

# %% [markdown]
# ## A sample of what was read
# Each document's first catalogue statement of each kind, with the span in the text of record
# (`planwatch.texts.text_of(doc_id)`, or `python -m planwatch text DOC_ID --span START:END`) and the
# sentence it came from.

# %%
views.sample_statements(indicators)
