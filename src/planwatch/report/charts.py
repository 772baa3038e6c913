"""Chart builders: frame in, Vega-Lite spec out. No loading, no computing beyond shaping.

Each chart is designed once in altair against a named, empty data source; a chart for a region
is that spec with the region's rows as its dataset and its title. Validating the same spec again
for each of thousands of charts cost ~0.1 s a chart and dominated the report stage; validating
the designs once per run still cost ~0.3 s of every report run, so they are validated against
the Vega-Lite schema by the tests (test_report_shapes.py), not at run time: they depend on the code only.
"""
from __future__ import annotations

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
    return (line + nominal + target).properties(title="-", width=320, height=200).to_dict(validate=False)


@lru_cache(maxsize=8)
def _levels_design(unit: str) -> dict:
    return alt.Chart(alt.Data(name=_DATA)).mark_bar().encode(
        x=alt.X("year:O", title="年份 year"),
        y=alt.Y("value:Q", title=unit),
        opacity=alt.condition(alt.datum.derived, alt.value(0.35), alt.value(1.0)),
        tooltip=[alt.Tooltip("year:O", title="年份"), alt.Tooltip("value:Q", title=unit, format=",.2f"),
                 alt.Tooltip("derived:N", title="derived"), alt.Tooltip("source:N", title="来源 source"),
                 alt.Tooltip("sentence:N", title="原文 sentence")],
    ).properties(title="-", width=320, height=200).to_dict(validate=False)


def _with(design: dict, points: pl.DataFrame, title: str) -> dict:
    # a shallow copy: the design's parts are shared, never modified (deep-copying them was a third
    # of the time of a page)
    spec = dict(design)
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


# ---- target bands: the qualifier's meaning drawn (report/targets.py computes band_lo, band_hi, open) ----
STATUS_LABELS = ["✔ 达成 met", "✖ 未达成 missed", "… 待公布 pending", "∅ 未报告 no actual", "? 无法判断 unclear"]
STATUS_COLORS = ["#1e8e3e", "#d93025", "#9aa0a6", "#e37400", "#9334e6"]
FORM_LABELS = ["▶ 以上 floor (open upward)", "◀ 以内 ceiling (open downward)", "◆ 左右 around (± tolerance)",
               "■ 区间 range", "● 定值 point", "▷ 力争 stretch"]
SCORECARD_WIDTH = 420
_FORM_SHAPES = ["triangle-right", "triangle-left", "diamond", "square", "circle", "triangle-right"]


def _band_layers(y: alt.Y, x_title: str, tooltip: list, extra_text: bool) -> list:
    """Band (what the rule accepts), the target's own mark (shape by form) and the actual (colour and
    text by status): the layers shared by the index's GDP chart and the region scorecard."""
    band = alt.Chart().mark_bar(height=9, opacity=0.3, color="#5f6368").encode(
        y=y, x=alt.X("band_lo:Q", title=x_title, scale=alt.Scale(zero=False)), x2="band_hi:Q", tooltip=tooltip)
    target = alt.Chart().mark_point(filled=False, size=80, color="#3c4043", strokeWidth=2).encode(
        y=y, x="target:Q", shape=alt.Shape("form_label:N", title="目标形式 target form",
                                           scale=alt.Scale(domain=FORM_LABELS, range=_FORM_SHAPES)), tooltip=tooltip)
    actual = alt.Chart().mark_point(filled=True, size=90, opacity=1).encode(
        y=y, x="actual:Q", color=alt.Color("status_label:N", title="状态 status",
                                           scale=alt.Scale(domain=STATUS_LABELS, range=STATUS_COLORS)),
        tooltip=tooltip, href="href:N")
    layers = [band, target, actual]
    if extra_text:     # status as text beside the mark, not colour alone
        layers.append(alt.Chart().mark_text(align="left", fontSize=11).encode(
            y=y, x=alt.value(SCORECARD_WIDTH + 8), text="status_label:N", color=alt.value("#202124")))
    return layers


@lru_cache(maxsize=1)
def _gdp_bands_design() -> dict:
    tooltip = [alt.Tooltip("region:N", title="地区"), alt.Tooltip("year:O", title="年份"),
               alt.Tooltip("target_text:N", title="目标 target"), alt.Tooltip("form_label:N", title="形式"),
               alt.Tooltip("actual:Q", title="实际 actual %"), alt.Tooltip("status_label:N", title="状态"),
               alt.Tooltip("source:N", title="来源 source"), alt.Tooltip("sentence:N", title="原文 sentence")]
    layered = alt.layer(*_band_layers(alt.Y("region:N", sort=None, title=None), "GDP 增长 growth %", tooltip, False),
                        data=alt.Data(name=_DATA)).properties(width=170)
    return layered.facet(column=alt.Column("year:O", title=None, sort="descending")).properties(title="-").to_dict(validate=False)


def gdp_bands(points: pl.DataFrame, title: str) -> dict:
    """GDP growth target of each region and year drawn as its band (a floor open upward, 左右 ± the
    tolerance, a range, a point) against the actual (a dot coloured by status), one panel per year.

    points columns: region, year, band_lo, band_hi, target, form_label, target_text, actual,
    status_label, source, sentence, href. The index filters these rows in the browser.

    >>> spec = gdp_bands(pl.DataFrame({"region": ["A"], "year": [2025], "band_lo": [5.0], "band_hi": [6.5]}), "GDP")
    >>> spec["title"], spec["datasets"]["points"][0]["band_hi"], len(spec["spec"]["layer"])
    ('GDP', 6.5, 3)
    """
    return _with(_gdp_bands_design(), points, title)


@lru_cache(maxsize=1)
def _heat_design() -> dict:
    base = alt.Chart(alt.Data(name=_DATA)).encode(
        x=alt.X("year:O", title="年份 year"), y=alt.Y("row:N", sort=None, title=None),
        tooltip=[alt.Tooltip("row:N", title="地区"), alt.Tooltip("year:O", title="年份"),
                 alt.Tooltip("met:Q", title="✔ 达成 met"), alt.Tooltip("missed:Q", title="✖ 未达成 missed"),
                 alt.Tooltip("open:Q", title="… 未判定 open"), alt.Tooltip("rate_pct:Q", title="达成率 %")])
    cells = base.mark_rect(stroke="#fff").encode(
        color=alt.Color("rate_pct:Q", title="达成率 met %", scale=alt.Scale(domain=[0, 100], scheme="redyellowgreen")))
    text = base.mark_text(fontSize=10).encode(text="label:N", color=alt.value("#202124"))
    return (cells + text).properties(title="-", width={"step": 44}, height={"step": 18}).to_dict(validate=False)


def attainment_heat(cells: pl.DataFrame, title: str) -> dict:
    """Headline attainment by region (or parent region) and year: colour the met rate, text the
    counts (met/judged), so the status reads without colour.

    cells columns: row, year, met, missed, open, rate_pct (null when nothing judged), label."""
    return _with(_heat_design(), cells, title)


@lru_cache(maxsize=4)
def _scorecard_design(x_title: str) -> dict:
    tooltip = [alt.Tooltip("row:N", title="目标"), alt.Tooltip("target_text:N", title="目标 target"),
               alt.Tooltip("form_label:N", title="形式"), alt.Tooltip("actual_text:N", title="实际 actual"),
               alt.Tooltip("status_label:N", title="状态"), alt.Tooltip("source:N", title="来源 source")]
    layers = _band_layers(alt.Y("row:N", sort=None, title=None), x_title, tooltip, True)
    return alt.layer(*layers, data=alt.Data(name=_DATA)).properties(title="-", width=SCORECARD_WIDTH, height={"step": 20}) \
        .configure_legend(orient="bottom", columns=3).configure_view(strokeWidth=0).to_dict(validate=False)


def scorecard(points: pl.DataFrame, title: str, x_title: str) -> dict:
    """Quantified targets of one region against their actuals: each row one target, its band (the
    qualifier's meaning), the target's mark (shape by form) and the actual (colour and text by status).

    points columns: row, band_lo, band_hi, target, form_label, target_text, actual, actual_text,
    status_label, source, href; the status is also written as text to the right of the plot."""
    return _with(_scorecard_design(x_title), points, title)
