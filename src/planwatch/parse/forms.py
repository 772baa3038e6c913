"""Target form (floor, ceiling, around, range, point, stretch, qualitative) and hardness of each
target row, computed at the parse stage's edge with polars expressions from the rules of
target_forms.yml (read once through a typed model: a malformed entry is refused naming the file,
the line and the key).

The clause before a target's number is the part of its sentence from the last ，；。： before the
statement to the number; the statement's own text (its span in the document) locates it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import polars as pl
from pydantic import Field, StrictStr, field_validator, model_validator

from planwatch import refdata

TARGET_FORMS_PATH = Path(__file__).with_name("target_forms.yml")
Word = Annotated[StrictStr, Field(min_length=1, max_length=20)]
SURFACE = "_surface"      # the statement's text (document text over its span), dropped after use


class FormRule(refdata._Model):
    form: Literal["floor", "ceiling", "around", "stretch"]
    qualifiers: list[Word] = []
    words: list[Word] = []
    _lists = field_validator("qualifiers", "words", mode="before")(refdata._names)


class TargetForms(refdata._Model):
    forms: list[FormRule] = Field(min_length=1)
    hard_words: list[Word] = Field(min_length=1)
    _lists = field_validator("hard_words", mode="before")(refdata._names)

    @model_validator(mode="after")
    def _each_once(self):
        forms = [r.form for r in self.forms]
        twice = sorted({f for f in forms if forms.count(f) > 1})
        if twice:
            raise ValueError(f"forms: {', '.join(twice)} listed twice (merge its words into one entry)")
        owner: dict[str, str] = {}
        for rule in self.forms:
            for q in rule.qualifiers:
                if q in owner:
                    raise ValueError(f"forms: qualifier {q!r} is in both {owner[q]} and {rule.form}")
                owner[q] = rule.form
        return self


def load(path: Path | str = TARGET_FORMS_PATH) -> TargetForms:
    return refdata.load(Path(path), TargetForms)


@lru_cache(maxsize=1)
def default_forms() -> TargetForms:
    return load(TARGET_FORMS_PATH)


def clause_before_number(sentence: str = "sentence", surface: str = SURFACE) -> pl.Expr:
    """The clause of the sentence up to the statement's number (both as columns).

    >>> df = pl.DataFrame({"sentence": ["稳就业。确保城镇新增就业5万人以上，力争增长6%"], SURFACE: ["增长6%"]})
    >>> df.select(clause_before_number()).item()
    '力争增长'
    """
    s, span = pl.col(sentence).fill_null(""), pl.col(surface).fill_null("")
    # the sentence before the statement (str.find counts bytes, str.slice characters: split instead)
    head = pl.when((span != "") & s.str.contains(span, literal=True)).then(s.str.split(span).list.first()).otherwise(pl.lit(""))
    return pl.concat_str([head.str.extract(r"([^，；。：！？,;:!?]*)$", 1).fill_null(""),
                          span.str.extract(r"^(\D*)", 1).fill_null("")])


def target_form(rules: TargetForms | None = None) -> pl.Expr:
    """target_form of a row of indicators (null for actuals), from kind, value, growth_pct, the
    range columns, qualifier and the clause before the number."""
    rules = rules or default_forms()
    clause = clause_before_number()
    expr = (pl.when(pl.col("kind") != "target").then(pl.lit(None, pl.String))
            .when(pl.col("value").is_null() & pl.col("growth_pct").is_null()).then(pl.lit("qualitative"))
            .when(pl.col("value_high").is_not_null() | pl.col("growth_pct_high").is_not_null()).then(pl.lit("range")))
    for rule in rules.forms:
        if rule.qualifiers:
            expr = expr.when(pl.col("qualifier").is_in(rule.qualifiers)).then(pl.lit(rule.form))
    for rule in rules.forms:
        if rule.words:
            expr = expr.when(clause.str.contains_any(rule.words)).then(pl.lit(rule.form))
    return expr.otherwise(pl.lit("point")).alias("target_form")


def hard(rules: TargetForms | None = None) -> pl.Expr:
    """hard: the target is worded as a hard constraint (null for actuals)."""
    rules = rules or default_forms()
    return (pl.when(pl.col("kind") == "target").then(clause_before_number().str.contains_any(rules.hard_words))
            .otherwise(pl.lit(None, pl.Boolean)).alias("hard"))


def with_target_form(rows: pl.DataFrame | pl.LazyFrame, rules: TargetForms | None = None):
    """rows (with the statement text in column _surface) with target_form and hard set; _surface dropped."""
    return rows.with_columns(target_form(rules), hard(rules)).drop(SURFACE)


def indicator_frame(rows: list[dict], surfaces: list[str]) -> pl.DataFrame:
    """The indicators table of one document: rows (Record.as_row) and each row's text in the
    document, in the explicit schema, target_form and hard computed."""
    from planwatch import schemas
    frame = schemas.frame(rows, schemas.INDICATORS).with_columns(pl.Series(SURFACE, surfaces, dtype=pl.String))
    return with_target_form(frame).select(list(schemas.INDICATORS))
