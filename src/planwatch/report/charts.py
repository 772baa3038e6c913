"""Chart builders: frame in, altair chart out. No loading, no computing beyond shaping."""
from __future__ import annotations

import altair as alt
import polars as pl

SERIES = ["实际 actual", "目标 target", "名义 nominal (from levels)"]


def growth_vs_target(points: pl.DataFrame, title: str) -> alt.Chart:
    """Growth by year: stated actuals as a line, targets as points, same axis.

    points columns: year, growth_pct, series (实际 actual | 目标 target | 名义 nominal), indicator_zh,
    source, sentence. For real-basis indicators the nominal growth implied by the levels is a
    dashed line beside the stated real growth.
    """
    base = alt.Chart(points.to_pandas()).encode(
        x=alt.X("year:O", title="年份 year"),
        y=alt.Y("growth_pct:Q", title="增长 growth %"),
        color=alt.Color("series:N", title="", scale=alt.Scale(domain=SERIES, range=["#1f77b4", "#d62728", "#7f7f7f"])),
        tooltip=[alt.Tooltip("indicator_zh:N", title="指标"), alt.Tooltip("year:O", title="年份"),
                 alt.Tooltip("growth_pct:Q", title="增长%"), alt.Tooltip("series:N", title=""),
                 alt.Tooltip("source:N", title="来源 source"), alt.Tooltip("sentence:N", title="原文 sentence")],
    )
    nominal = base.transform_filter(alt.datum.series == SERIES[2]).mark_line(point=True, strokeDash=[4, 3])
    line = base.transform_filter(alt.datum.series == "实际 actual").mark_line(point=True)
    target = base.transform_filter(alt.datum.series == "目标 target").mark_point(shape="diamond", size=120, filled=True)
    return (line + nominal + target).properties(title=title, width=320, height=200)


def levels(points: pl.DataFrame, title: str, unit: str) -> alt.Chart:
    """Levels by year (stated solid, derived hollow)."""
    return alt.Chart(points.to_pandas()).mark_bar().encode(
        x=alt.X("year:O", title="年份 year"),
        y=alt.Y("value:Q", title=unit),
        opacity=alt.condition(alt.datum.derived, alt.value(0.35), alt.value(1.0)),
        tooltip=[alt.Tooltip("year:O", title="年份"), alt.Tooltip("value:Q", title=unit, format=",.2f"),
                 alt.Tooltip("derived:N", title="derived"), alt.Tooltip("source:N", title="来源 source"),
                 alt.Tooltip("sentence:N", title="原文 sentence")],
    ).properties(title=title, width=320, height=200)
