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

project_root = chdir_project_root()   # defaults are relative to the project root (DVC runs there; JupyterLab in notebooks/)

# %%
import polars as pl

from planwatch import views
from planwatch.analyse import stage

pl.Config(**views.DISPLAY)   # bounded tables shown in full (views caps their rows)
views.enable_svg(f"{interim_dir}/chart_cache")  # static SVG: no vega script from a CDN, readable offline; kept while unchanged
stage.run(interim_dir, processed_dir, reference_dir, metrics_path, tolerance_pp, tolerance_level_pct, link_threshold,
          plots_dir)

# %%
attainment = pl.read_parquet(f"{processed_dir}/attainment.parquet")
series = pl.read_parquet(f"{processed_dir}/series.parquet")
indicators = pl.read_parquet(f"{processed_dir}/indicators.parquet")

# %% [markdown]
# ## Targets by status
# `pending`: the year's results are not published yet; `no_actual`: the results document
# does not report it; `unclear`: no testable rule. The met rate counts met and missed only.

# %%
views.status_counts(attainment)

# %% [markdown]
# ## Headline scorecard
# Headline targets against the actuals reported for the same year (latest year first, missed
# before met; at most 20 rows), each with its document, span and sentence.

# %%
views.headline_scorecard(attainment, indicators)

# %% [markdown]
# ## GDP growth: actuals and targets
# Stated real GDP growth by year (line) and the growth target set for that year (◆), for the
# regions with most years (at most 8).

# %%
views.trend_chart(views.growth_trend(series, attainment, "gdp"))
