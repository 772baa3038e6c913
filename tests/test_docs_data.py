"""docs/data.md cannot drift from the code: every column table marked `<!-- schema: module.NAME -->`
lists exactly that schema's columns and types, every `<!-- values: module.NAME -->` table
exactly that vocabulary, and every schema constant of planwatch.schemas is documented."""
import importlib
import re

import polars as pl
import pytest

from planwatch import schemas
from tests.conftest import ROOT

DOC = ROOT / "docs" / "data.md"
TYPES = {"str": pl.String, "i64": pl.Int64, "f64": pl.Float64, "bool": pl.Boolean, "date": pl.Date}
MARKER = re.compile(r"<!-- (schema|values): ([\w.]+) -->\n((?:\|.*\n)+)")


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def documented(text: str) -> dict[tuple[str, str], list[list[str]]]:
    """{(kind, dotted name): table rows as cells} for every marked table (header and rule dropped)."""
    out = {}
    for kind, name, table in MARKER.findall(text):
        rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table.strip().splitlines()]
        out[(kind, name)] = rows[2:]
    return out


def schema_problems(rows: list[list[str]], schema: dict) -> list[str]:
    """What differs between a documented column table and a schema: missing, extra, mistyped columns."""
    doc = {}
    problems = []
    for cells in rows:
        name, typ = cells[0].strip("`"), cells[1].rstrip("?")
        if typ not in TYPES:
            problems.append(f"{name}: unknown type {cells[1]!r}")
            continue
        doc[name] = TYPES[typ]
    problems += [f"{c}: in the schema, not documented" for c in schema if c not in doc]
    problems += [f"{c}: documented, not in the schema" for c in doc if c not in schema]
    problems += [f"{c}: documented as {doc[c]}, schema has {t}" for c, t in schema.items() if c in doc and doc[c] != t]
    return problems


TABLES = documented(DOC.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(n for k, n in TABLES if k == "schema"))
def test_documented_columns_match_the_schema(name):
    assert schema_problems(TABLES[("schema", name)], _resolve(name)) == []


@pytest.mark.parametrize("name", sorted(n for k, n in TABLES if k == "values"))
def test_documented_codes_match_the_vocabulary(name):
    assert sorted(r[0].strip("`") for r in TABLES[("values", name)]) == sorted(_resolve(name))


def test_every_schema_and_vocabulary_is_documented():
    constants = {f"planwatch.schemas.{n}": v for n, v in vars(schemas).items() if n.isupper()}
    schema_names = {n for n, v in constants.items() if isinstance(v, dict)}
    value_names = {n for n, v in constants.items() if isinstance(v, tuple)}
    assert schema_names and value_names
    assert schema_names <= {n for k, n in TABLES if k == "schema"}
    assert value_names <= {n for k, n in TABLES if k == "values"}


def test_a_column_added_to_a_schema_but_not_documented_fails():
    rows = TABLES[("schema", "planwatch.schemas.INDICATORS")]
    mutated = {**schemas.INDICATORS, "new_measure": pl.Float64}
    assert schema_problems(rows, mutated) == ["new_measure: in the schema, not documented"]
    retyped = {**schemas.INDICATORS, "period_year": pl.String}
    assert schema_problems(rows, retyped) == ["period_year: documented as Int64, schema has String"]
    # and the other way: a documented column the code no longer has
    dropped = {k: v for k, v in schemas.INDICATORS.items() if k != "sentence"}
    assert schema_problems(rows, dropped) == ["sentence: documented, not in the schema"]


def test_a_mutated_copy_of_the_document_is_caught():
    text = DOC.read_text(encoding="utf-8")
    without_hard = re.sub(r"\| `hard` \| bool\? \|[^\n]*\n", "", text, count=1)   # the indicators table's row
    rows = documented(without_hard)[("schema", "planwatch.schemas.INDICATORS")]
    assert schema_problems(rows, schemas.INDICATORS) == ["hard: in the schema, not documented"]


def test_target_form_and_hard_are_in_the_indicator_and_attainment_schemas():
    for schema in (schemas.INDICATORS, schemas.ATTAINMENT):
        assert schema["target_form"] == pl.String and schema["hard"] == pl.Boolean


def test_readme_points_to_docs_data_md_not_to_the_shared_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/data.md" in readme
    assert "../shared/" not in readme
