"""Every expectation suite planwatch runs, in one place, as code.

Each suite validates one table (a stage output or a computed check table). Severity:
``critical`` expectations are errors that stop the pipeline; ``warning`` ones are recorded
and shown in the report's data-quality section.
"""
from __future__ import annotations

from dataclasses import dataclass

import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

from planwatch import schemas

E, W = FailureSeverity.CRITICAL, FailureSeverity.WARNING

_PANDAS_TYPES = {"String": "str", "Int64": "int64", "Float64": "float64", "Boolean": "bool", "Date": None}


@dataclass(frozen=True)
class Suite:
    name: str
    table: str          # key of the frame it validates
    expectations: list


def _contract(schema: dict, required: list[str]) -> list:
    out = []
    for col, dtype in schema.items():
        out.append(gxe.ExpectColumnToExist(column=col, severity=E))
        ptype = _PANDAS_TYPES.get(str(dtype))
        if ptype:
            out.append(gxe.ExpectColumnValuesToBeOfType(column=col, type_=ptype, severity=E))
    out += [gxe.ExpectColumnValuesToNotBeNull(column=c, severity=E) for c in required]
    return out


def _verdict(column: str, severity, why: str):
    """A computed check column (checks.py) must be True on every row; `why` names the rule in messages."""
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True], severity=severity, meta={"why": why})


def build_suites() -> list[Suite]:
    return [
        Suite("documents.contract", "documents", _contract(schemas.DOCUMENTS, ["doc_id", "region", "doc_type", "doc_year", "sha256"]) + [
            gxe.ExpectColumnValuesToBeUnique(column="doc_id", severity=E),
            gxe.ExpectColumnValuesToBeUnique(column="sha256", severity=E, meta={"why": "the same document added twice"}),
            gxe.ExpectColumnValuesToBeInSet(column="doc_type", value_set=["plan", "plan_report", "work_report", "bulletin", "news", "unknown"], severity=E),
            gxe.ExpectColumnValuesToNotMatchRegex(column="region", regex="^未知地区", severity=W,
                                                  meta={"why": "region not recognised: add the document with --region NAME"}),
            gxe.ExpectColumnValuesToBeInSet(column="region_level", value_set=["province", "city", "district", "county"], severity=E),
            gxe.ExpectColumnValuesToBeBetween(column="doc_year", min_value=1990, max_value=2100, severity=E),
        ]),
        Suite("indicators.contract", "indicators", _contract(
            schemas.INDICATORS, ["doc_id", "region", "period_year", "kind", "indicator", "origin", "char_start", "char_end", "sentence"]) + [
            gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=list(schemas.KINDS), severity=E),
            gxe.ExpectColumnValuesToBeInSet(column="origin", value_set=list(schemas.ORIGINS), severity=E),
            gxe.ExpectColumnValuesToBeInSet(column="target_form", value_set=list(schemas.TARGET_FORMS), severity=E),
            _verdict("indicator_known", E, "indicator code not in the catalogue"),
            _verdict("unit_family_ok", E, "unit of the wrong family for the indicator"),
            _verdict("year_in_doc_range", E, "period_year outside the document's range"),
            _verdict("value_std_consistent", E, "value_std is not the value converted to the standard unit"),
        ]),
        Suite("indicators.plausibility", "indicators", [
            _verdict("level_in_range", E, "level outside the catalogue's plausible range"),
            _verdict("growth_in_range", E, "growth outside the catalogue's plausible range"),
        ]),
        Suite("indicators.duplicates", "catalogued", [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["doc_id", "indicator", "kind", "period_year", "origin", "value", "growth_pct", "qualifier"],
                                                severity=W, meta={"why": "the same statement made twice in one document"}),
        ]),
        Suite("completeness.gdp", "completeness", [
            _verdict("has_gdp_growth_actual", W, "plan document without a GDP growth actual"),
            _verdict("has_gdp_growth_target", W, "plan document without a GDP growth target"),
            _verdict("has_budget_revenue", W, "plan document without budget revenue actual and target"),
        ]),
        Suite("cross.within_document", "within_document", [
            _verdict("consistent", W, "one document states two different figures"),
        ]),
        Suite("cross.conflicting_documents", "conflicting_documents", [
            _verdict("consistent", W, "two documents of the same region, type and year state different figures "
                                      "(the series takes the later publication)"),
        ]),
        Suite("cross.reconciliation", "reconciliation", [
            _verdict("reconciles", W, "consecutive levels contradict the stated growth"),
        ]),
        Suite("cross.stated_relations", "stated_relations", [
            _verdict("consistent", W, "a stated gap to the parent region's growth does not match the parent's own figure"),
        ]),
        Suite("series.contract", "series", _contract(schemas.SERIES, ["region", "indicator", "year", "doc_id"]) + [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["region", "indicator", "year"], severity=E),
            gxe.ExpectColumnValuesToBeInSet(column="growth_basis", value_set=["real", "nominal", "unknown"], severity=E),
        ]),
    ]
