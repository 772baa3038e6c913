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
# Self-contained HTML: `reports/index.html`, `reports/documents.html` and one page per region
# under `reports/regions/` (re-rendered only when its rows change).

# %% tags=["parameters"]
processed_dir = "data/processed"
interim_dir = "data/interim"
reference_dir = "data/reference"
out_dir = "reports"
notebook_dir = "notebooks"   # where this notebook is read from: the links below are relative to it
tolerance_pp = 0.5              # analyse.tolerance_pp: the band a 左右 target is drawn as
tolerance_level_pct = 2.0       # analyse.tolerance_level_pct

# %%
from planwatch.io import chdir_project_root

project_root = chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
from IPython.display import HTML

from planwatch import views
from planwatch.report.render import render

pages = render(processed_dir, interim_dir, reference_dir, out_dir,
               tolerance_pp=tolerance_pp, tolerance_level_pct=tolerance_level_pct)

# %% [markdown]
# ## Pages written
# The index and documents pages, then the region pages (at most 20 listed; the index links
# every one). Links open the page (in JupyterLab, in its HTML viewer).

# %%
HTML(views.html_table(views.pages_table([*pages, f"{out_dir}/documents.html"], notebook_dir), link=("page", "link")))
