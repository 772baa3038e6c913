"""Reference data (indicators.yml, regions.yml, links.yml) read through typed models.

A malformed entry is refused with one line naming the file, the line and the key, e.g.
``data/reference/indicators.yml:41: indicators[3].synonyms: a list of names, not a string``.
A string where a list belongs is never split into characters, an empty file or a list
where a mapping belongs is an error, and unknown keys are refused (a typo is not ignored).
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError, field_validator, model_validator

from planwatch import yamlfile
from planwatch.catalogue import REGION_NAME
from planwatch.errors import PlanwatchError

Name = Annotated[StrictStr, Field(min_length=1, max_length=80)]
Finite = Annotated[float, Field(strict=True, allow_inf_nan=False)]   # a number: not NaN (it would let every value
                                                                      # through), not `true` or "5" read as one
MAX_REFERENCE_BYTES = 5_000_000     # a reference file is reviewed by people: megabytes mean a mistake


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _names(v):
    if isinstance(v, str):
        raise ValueError("a list of names, not a string (write [名称] or one '- 名称' per line)")
    return v


class IndicatorEntry(_Model):
    code: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
    name_zh: Name
    synonyms: list[Name] = Field(min_length=1)
    bare: list[Name] = []
    family: Name
    std_unit: Name
    basis: Literal["real", "nominal", "none"]
    better: Literal["higher", "lower"]
    level_range: tuple[Finite, Finite]
    growth_range: tuple[Finite, Finite]
    headline: StrictBool = False
    growth_only: StrictBool = False
    exclude_before: list[Name] = []
    exclude_after: list[Name] = []

    _lists = field_validator("synonyms", "bare", "exclude_before", "exclude_after", mode="before")(_names)

    @model_validator(mode="after")
    def _ranges(self):
        for name in ("level_range", "growth_range"):
            lo, hi = getattr(self, name)
            if lo > hi:
                raise ValueError(f"{name}: low end {lo} is above high end {hi}")
        return self


class Catalogue(_Model):
    indicators: list[IndicatorEntry] = Field(min_length=1)


class RegionEntry(_Model):
    name: Annotated[StrictStr, Field(pattern=REGION_NAME.pattern)]
    short: Annotated[StrictStr, Field(pattern=REGION_NAME.pattern)] | None = None
    level: Literal["province", "city", "district", "county"]
    parent: Name | None = None
    code: Annotated[StrictStr, Field(pattern=r"^\d{6}$")] | None = None


class Regions(_Model):
    regions: list[RegionEntry] = []


class LinkEntry(_Model):
    region: Name
    year: Annotated[int, Field(ge=1949, le=2100)]
    target: Annotated[StrictStr, Field(min_length=2, max_length=200)]
    action: Literal["pin", "reject", "not_comparable"]
    actual: Annotated[StrictStr, Field(min_length=2, max_length=200)] | None = None
    reason: StrictStr = ""

    @model_validator(mode="after")
    def _pin_needs_actual(self):
        if self.action == "pin" and not self.actual:
            raise ValueError("a pin needs `actual:` (text of the actual statement)")
        return self


class Links(_Model):
    links: list[LinkEntry] = []


def _line_of(node, loc: tuple) -> int | None:
    """1-based line of the YAML node at loc (keys and list indexes), as deep as it exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def load(path: Path | str, model: type[BaseModel], required: bool = True):
    """The file as a validated model; one PlanwatchError naming file, line and key otherwise."""
    path = Path(path)
    if not path.exists():
        if required:
            raise PlanwatchError(f"{path}: reference file not found")
        return model()
    if path.stat().st_size > MAX_REFERENCE_BYTES:
        raise PlanwatchError(f"{path}: {path.stat().st_size:,} bytes is too large for reference data "
                             f"(at most {MAX_REFERENCE_BYTES:,})")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlanwatchError(f"{path}: not UTF-8 text") from None
    data = yamlfile.parse(text, str(path))      # duplicate keys, deep nesting and bad YAML refused, naming the line
    if data is None:
        if required:
            raise PlanwatchError(f"{path}: the file is empty")
        return model()
    if not isinstance(data, dict):
        raise PlanwatchError(f"{path}:1: expected a mapping with the key(s) {', '.join(model.model_fields)}, "
                             f"found a {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        node = yaml.compose(text, Loader=yamlfile.Loader)     # only now: the line numbers of the nodes
        # an unknown key first: a misspelt key is also reported missing under its right name
        err = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "tuple["))))
        key = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))
        line = _line_of(node, loc)
        msg = err["msg"].removeprefix("Value error, ")
        raise PlanwatchError(f"{path}{f':{line}' if line else ''}: {key or '(top)'}: {msg}") from None
