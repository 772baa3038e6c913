"""Chart builders: frame in, Vega-Lite spec out. No loading, no computing beyond shaping.

Each chart is designed once in altair against a named, empty data source (altair validates the
spec then, once per process); a chart for a region is that spec with the region's rows as its
dataset and its title. Validating the same spec again for each of thousands of charts cost
~0.1 s a chart and dominated the report stage.
"""
from __future__ import annotations

import copy
import json
from functools import lru_cache

import altair as alt
import polars as pl

SERIES = ["实际 actual", "目标 target", "名义 nominal (from levels)"]
_DATA = "points"


@lru_cache(maxsize=1)
def _growth_design() -> dict:
    base = alt.Chart(alt.Data(name=_DATA)).encode(
        x=alt.X("year:O", title="年份 year"),
        y=alt.Y("growth_pct:Q", title="增长 growth %"),
        color=alt.Color("series:N", title="", scale=alt.Scale(domain=SERIES, range=["#1f77b4", "#d62728", "#7f7f7f"])),
        tooltip=[alt.Tooltip("indicator_zh:N", title="指标"), alt.Tooltip("year:O", title="年份"),
                 alt.Tooltip("growth_pct:Q", title="增长%"), alt.Tooltip("series:N", title=""),
                 alt.Tooltip("source:N", title="来源 source"), alt.Tooltip("sentence:N", title="原文 sentence")],
    )
    nominal = base.transform_filter(alt.datum.series == SERIES[2]).mark_line(point=True, strokeDash=[4, 3])
    line = base.transform_filter(alt.datum.series == SERIES[0]).mark_line(point=True)
    target = base.transform_filter(alt.datum.series == SERIES[1]).mark_point(shape="diamond", size=120, filled=True)
    return (line + nominal + target).properties(title="-", width=320, height=200).to_dict()


@lru_cache(maxsize=8)
def _levels_design(unit: str) -> dict:
    return alt.Chart(alt.Data(name=_DATA)).mark_bar().encode(
        x=alt.X("year:O", title="年份 year"),
        y=alt.Y("value:Q", title=unit),
        opacity=alt.condition(alt.datum.derived, alt.value(0.35), alt.value(1.0)),
        tooltip=[alt.Tooltip("year:O", title="年份"), alt.Tooltip("value:Q", title=unit, format=",.2f"),
                 alt.Tooltip("derived:N", title="derived"), alt.Tooltip("source:N", title="来源 source"),
                 alt.Tooltip("sentence:N", title="原文 sentence")],
    ).properties(title="-", width=320, height=200).to_dict()


def _with(design: dict, points: pl.DataFrame, title: str) -> dict:
    spec = copy.deepcopy(design)
    spec["title"] = title
    # through JSON once so the rows are plain JSON values (no NaN, no numpy types)
    spec["datasets"] = {_DATA: json.loads(points.write_json())}
    return spec


def growth_vs_target(points: pl.DataFrame, title: str) -> dict:
    """Growth by year: stated actuals as a line, targets as points, same axis.

    points columns: year, growth_pct, series (实际 actual | 目标 target | 名义 nominal), indicator_zh,
    source, sentence. For real-basis indicators the nominal growth implied by the levels is a
    dashed line beside the stated real growth.

    >>> spec = growth_vs_target(pl.DataFrame({"year": [2025], "growth_pct": [5.6], "series": [SERIES[0]],
    ...     "indicator_zh": ["地区生产总值"], "source": ["x [1–2]"], "sentence": ["增长5.6%。"]}), "GDP")
    >>> spec["title"], spec["datasets"]["points"][0]["growth_pct"], len(spec["layer"])
    ('GDP', 5.6, 3)
    """
    return _with(_growth_design(), points, title)


def levels(points: pl.DataFrame, title: str, unit: str) -> dict:
    """Levels by year (stated solid, derived hollow)."""
    return _with(_levels_design(unit), points, title)
