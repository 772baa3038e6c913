"""What a target's qualifier means, drawn: the form of a target and the band an actual is judged against.

attainment.parquet gains `target_form` (floor | ceiling | around | range | point | stretch |
qualitative) and `hard` from the analyse stage; tables written before that have only
`qualifier`, so the form is derived from it here (`form_from_qualifier`) when the column is
absent. The band is what the attainment rules (design.md) accept: a floor is a threshold
open upward, a ceiling one open downward, 左右 the target ± the tolerance of the analyse stage,
a range its two ends, a point the target itself.
"""
from __future__ import annotations

import polars as pl

FORMS = ("floor", "ceiling", "around", "range", "point", "stretch", "qualitative")
FORM_ZH = {"floor": "下限 以上", "ceiling": "上限 以内", "around": "左右 ±容差", "range": "区间", "point": "定值",
           "stretch": "力争", "qualitative": "定性"}
FLOOR_WORDS = ("以上", "不低于", "超过", "突破", "达到", "高于")
CEILING_WORDS = ("以内", "以下", "控制在", "不超过", "低于")
AROUND_WORDS = ("左右",)
STRETCH_WORDS = ("力争", "争取")


def form_from_qualifier(qualifier: pl.Expr, target_value: pl.Expr, target_high: pl.Expr) -> pl.Expr:
    """The form of a target from its qualifier as written, its value and the upper end of a range.

    >>> df = pl.DataFrame({"q": ["以上", "以内", "左右", None, None, "力争", "稳定增长", None],
    ...                    "v": [5.0, 3.0, 6.0, 6.0, 5.5, 7.0, None, None], "h": [None, None, None, 6.5, None, None, None, None]})
    >>> df.select(form_from_qualifier(pl.col("q"), pl.col("v"), pl.col("h")))["target_form"].to_list()
    ['floor', 'ceiling', 'around', 'range', 'point', 'stretch', 'qualitative', 'qualitative']
    """
    return (pl.when(target_value.is_null()).then(pl.lit("qualitative"))
            .when(target_high.is_not_null() & (target_high != target_value)).then(pl.lit("range"))
            .when(qualifier.is_in(FLOOR_WORDS)).then(pl.lit("floor"))
            .when(qualifier.is_in(CEILING_WORDS)).then(pl.lit("ceiling"))
            .when(qualifier.is_in(AROUND_WORDS)).then(pl.lit("around"))
            .when(qualifier.is_in(STRETCH_WORDS)).then(pl.lit("stretch"))
            .when(qualifier.is_null()).then(pl.lit("point"))
            .otherwise(pl.lit("qualitative"))).alias("target_form")


def with_form(attainment: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """attainment + target_high (the upper end of a range target, in the target's unit, from the
    target statement), target_form (as the analyse stage wrote it, else derived) and hard (null
    when the table does not say)."""
    ends = indicators.filter(pl.col("kind") == "target").select(
        pl.col("doc_id").alias("target_doc"), pl.col("char_start").alias("target_start"), "indicator",
        pl.col("growth_pct_high").alias("_gh"),
        # value_high is in the unit as written; the target is in the standard unit
        (pl.col("value_high") * pl.col("value_std") / pl.col("value")).alias("_vh"),
    ).unique(["target_doc", "target_start", "indicator"], keep="first", maintain_order=True)
    out = attainment.join(ends, on=["target_doc", "target_start", "indicator"], how="left", nulls_equal=False).with_columns(
        pl.when(pl.col("target_unit") == "% growth").then(pl.col("_gh")).otherwise(pl.col("_vh")).alias("target_high")).drop("_gh", "_vh")
    derived = form_from_qualifier(pl.col("qualifier"), pl.col("target_value"), pl.col("target_high"))
    if "target_form" in out.columns:
        out = out.with_columns(pl.coalesce(pl.col("target_form"), derived).alias("target_form"))
    else:
        out = out.with_columns(derived)
    if "hard" not in out.columns:
        out = out.with_columns(pl.lit(None, pl.Boolean).alias("hard"))
    return out


def band(tolerance_pp: float, tolerance_level_pct: float, open_width: pl.Expr) -> list[pl.Expr]:
    """band_lo, band_hi (what the rule accepts, a floor or ceiling drawn open for `open_width`),
    and `open` (">" a floor, "<" a ceiling, "" closed) over columns target_value, target_high,
    target_form, target_unit."""
    t, h, form = pl.col("target_value"), pl.col("target_high"), pl.col("target_form")
    tol = pl.when(pl.col("target_unit").is_in(["% growth", "%"])).then(pl.lit(tolerance_pp)) \
        .otherwise(t.abs() * tolerance_level_pct / 100)
    upward = form.is_in(["floor", "stretch"])
    lo = (pl.when(form == "ceiling").then(t - open_width).when(form == "around").then(t - tol).otherwise(t))
    hi = (pl.when(upward).then(t + open_width).when(form == "around").then(t + tol)
          .when(form == "range").then(h.fill_null(t)).otherwise(t))
    return [lo.alias("band_lo"), hi.alias("band_hi"),
            pl.when(upward).then(pl.lit(">")).when(form == "ceiling").then(pl.lit("<")).otherwise(pl.lit("")).alias("open")]
