"""Stage parameters (params.yaml), checked before a stage does any work.

A wrong type or an absurd value is refused with one line naming ``params.yaml``, the key
and the allowed range — never a traceback from deep inside a stage.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from planwatch.errors import PlanwatchError

_Num = Annotated[float, Field(strict=True)]     # an int or a float: `true` is not 1.0, nor the text "50" a number


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParseParams(_Params):
    allow_quarantine: StrictBool = False       # publish even when a document is quarantined
    max_file_mb: Annotated[_Num, Field(gt=0, le=10_000)] = 50.0
    max_unpacked_mb: Annotated[_Num, Field(gt=0, le=100_000)] = 200.0
    max_line_chars: Annotated[int, Field(gt=0, le=100_000_000, strict=True)] = 100_000
    max_statements: Annotated[int, Field(gt=0, le=10_000_000, strict=True)] = 20_000


class ValidateParams(_Params):
    reconcile_tolerance_pp: Annotated[_Num, Field(ge=0, le=10)] = 0.1


class AnalyseParams(_Params):
    tolerance_pp: Annotated[_Num, Field(ge=0, le=10)] = 0.5
    tolerance_level_pct: Annotated[_Num, Field(ge=0, le=100)] = 2.0
    link_threshold: Annotated[_Num, Field(ge=0, le=1)] = 0.55


MODELS = {"parse": ParseParams, "validate": ValidateParams, "analyse": AnalyseParams}


def check(stage: str, **values):
    """The stage's parameters as a validated model, or one PlanwatchError naming the key.

    >>> check("analyse", tolerance_pp=0.5, tolerance_level_pct=2, link_threshold=0.55).link_threshold
    0.55
    >>> check("analyse", tolerance_pp=0.5, tolerance_level_pct=2, link_threshold=7)
    Traceback (most recent call last):
    planwatch.errors.PlanwatchError: params.yaml: analyse.link_threshold = 7: Input should be less than or equal to 1
    """
    model = MODELS[stage]
    try:
        return model(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        value = values.get(str(err["loc"][0]), "(missing)") if err["loc"] else ""
        raise PlanwatchError(f"params.yaml: {stage}.{key} = {value!r}: {err['msg']}") from None
