"""Explicit polars schemas of the stage tables (design.md), used at every read and write."""
from __future__ import annotations

import polars as pl

DOCUMENTS = {
    "doc_id": pl.String, "file": pl.String, "sha256": pl.String, "region": pl.String,
    "region_level": pl.String, "parent_region": pl.String, "doc_type": pl.String,
    "doc_year": pl.Int64, "published": pl.Date, "title": pl.String, "n_chars": pl.Int64,
    "encoding": pl.String, "region_code": pl.String,
}

INDICATORS = {
    "doc_id": pl.String, "region": pl.String, "period_year": pl.Int64, "kind": pl.String,
    "indicator": pl.String, "indicator_zh": pl.String, "value": pl.Float64, "unit": pl.String,
    "growth_pct": pl.Float64, "value_high": pl.Float64, "growth_pct_high": pl.Float64,
    "value_std": pl.Float64, "unit_std": pl.String, "qualifier": pl.String, "estimated": pl.Boolean,
    "origin": pl.String, "section": pl.String, "char_start": pl.Int64, "char_end": pl.Int64,
    "sentence": pl.String, "stretch": pl.Boolean, "period_scope": pl.String, "period_note": pl.String,
    "target_form": pl.String, "hard": pl.Boolean,
}

SERIES = {
    "region": pl.String, "indicator": pl.String, "year": pl.Int64, "value": pl.Float64,
    "unit": pl.String, "growth_pct": pl.Float64, "growth_basis": pl.String, "derived": pl.Boolean,
    "doc_id": pl.String, "char_start": pl.Int64, "char_end": pl.Int64, "revised": pl.Boolean,
    "note": pl.String, "sentence": pl.String,
}

ATTAINMENT = {
    "region": pl.String, "year": pl.Int64, "scope": pl.String, "indicator": pl.String,
    "target_text": pl.String, "target_value": pl.Float64, "target_unit": pl.String,
    "qualifier": pl.String, "target_form": pl.String, "hard": pl.Boolean, "actual_value": pl.Float64, "actual_text": pl.String,
    "status": pl.String, "margin": pl.Float64, "link_confidence": pl.Float64,
    "target_doc": pl.String, "target_start": pl.Int64, "target_end": pl.Int64,
    "actual_doc": pl.String, "actual_start": pl.Int64, "actual_end": pl.Int64,
    "rule": pl.String, "stretch": pl.Boolean, "override": pl.String,
}

ISSUES = {
    "severity": pl.String, "suite": pl.String, "rule": pl.String, "table": pl.String,
    "region": pl.String, "indicator": pl.String, "year": pl.Int64, "message": pl.String,
    "doc_id": pl.String, "char_start": pl.Int64, "char_end": pl.Int64,
    "other_doc_id": pl.String, "other_start": pl.Int64, "other_end": pl.Int64,
}

STATUSES = ("met", "missed", "pending", "no_actual", "unclear")
KINDS = ("actual", "target")
PERIOD_SCOPES = ("annual", "partial_year", "multi_year_avg", "cumulative")
ORIGINS = ("prose", "table")


def frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """A DataFrame with exactly the schema's columns and types (missing keys become null)."""
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema, orient="row")
