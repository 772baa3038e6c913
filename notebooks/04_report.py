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
# # 04 · Report
# Self-contained HTML: `reports/index.html` and one page per region under `reports/regions/`.

# %% tags=["parameters"]
processed_dir = "data/processed"
interim_dir = "data/interim"
reference_dir = "data/reference"
out_dir = "reports"
tolerance_pp = 0.5              # analyse.tolerance_pp: the band a 左右 target is drawn as
tolerance_level_pct = 2.0       # analyse.tolerance_level_pct

# %%
from planwatch.io import chdir_project_root

chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
from planwatch.report.render import render

[str(p) for p in render(processed_dir, interim_dir, reference_dir, out_dir,
                             tolerance_pp=tolerance_pp, tolerance_level_pct=tolerance_level_pct)]
