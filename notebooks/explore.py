# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring planwatch's tables
#
# Not a pipeline stage: a starting point for your own questions. Run `make report` (or
# `dvc repro`) first so the tables exist. Every row carries its source: `doc_id` and the
# character span in its text of record (`planwatch.texts.text_of(doc_id)`; the texts are packed
# in `data/interim/text/`).

# %% tags=["parameters"]
processed_dir = "../data/processed"
interim_dir = "../data/interim"

# %%
import altair as alt
import polars as pl

from planwatch.texts import text_of

alt.renderers.enable("svg")   # static SVG: renders in JupyterLab and in saved copies, with no script from a CDN
indicators = pl.read_parquet(f"{processed_dir}/indicators.parquet")
series = pl.read_parquet(f"{processed_dir}/series.parquet")
attainment = pl.read_parquet(f"{processed_dir}/attainment.parquet")
documents = pl.read_parquet(f"{interim_dir}/documents.parquet")
documents.select("doc_id", "region", "doc_type", "doc_year", "title")

# %% [markdown]
# ## One region's series
# Levels are in the catalogue's standard unit; `growth_basis` says whether growth is real
# (comparable prices) or nominal; `derived` levels are computed, not stated.

# %%
zibo = series.filter(pl.col("region") == "淄博市").select("indicator", "year", "value", "unit", "growth_pct", "growth_basis", "derived", "revised")
zibo

# %% [markdown]
# ## Every missed target, with what was promised and what was reported

# %%
missed = attainment.filter(pl.col("status") == "missed").select(
    "region", "year", "scope", "target_text", "actual_text", "margin", "link_confidence")
missed

# %% [markdown]
# ## One indicator across regions: GDP growth, stated actuals and targets

# %%
gdp = pl.concat([
    series.filter(pl.col("indicator") == "gdp").select("region", "year", "growth_pct", pl.lit("actual").alias("kind")),
    attainment.filter((pl.col("indicator") == "gdp") & (pl.col("target_unit") == "% growth"))
              .select("region", "year", pl.col("target_value").alias("growth_pct"), pl.lit("target").alias("kind")),
]).drop_nulls("growth_pct").sort("region", "year", "kind")
gdp

# %%
alt.Chart(gdp.to_pandas()).mark_line(point=True).encode(
    x="year:O", y=alt.Y("growth_pct:Q", title="GDP growth %"), color="region:N", strokeDash="kind:N",
    tooltip=["region", "year", "kind", "growth_pct"],
).properties(width=420, height=240)

# %% [markdown]
# ## Back to the sentence
# Any row's span slices its document's text of record.

# %%
row = indicators.filter(pl.col("indicator") == "gdp").row(0, named=True)
text = text_of(row["doc_id"], interim_dir)
text[row["char_start"]:row["char_end"]], row["sentence"]
