"""Input limits: how much one document may cost in bytes, characters and statements.

Every limit is a parameter (``params.yaml`` → ``parse.*`` for the pipeline, ``--max-*`` on
the command line) with a default far above any real plan or report, and every refusal is
one line naming the limit and how to raise it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from planwatch.errors import PlanwatchError


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 50.0          # bytes of the file as given (a 300-page PDF plan is ~10 MB)
    max_unpacked_mb: float = 200.0     # bytes a .docx may inflate to
    max_line_chars: int = 100_000      # one line of the text (a whole plan on one line is ~60,000)
    max_statements: int = 20_000       # indicator rows from one document (the largest real plan has ~1,000)

    def __post_init__(self) -> None:
        for name in ("max_file_mb", "max_unpacked_mb", "max_line_chars", "max_statements"):
            v = getattr(self, name)
            # NaN compares false with every size and infinity with none: either would switch the limit off
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
                raise PlanwatchError(f"limit {name} must be a positive number, got {v!r}")

    def refuse(self, name: str, what: str, limit_name: str, shown: str) -> PlanwatchError:
        """The one-line refusal for a limit: what was found, the limit, and how to raise it."""
        flag = "--" + limit_name.replace("_", "-")
        return PlanwatchError(f"{name}: {what}, over the limit of {shown} "
                              f"(raise parse.{limit_name} in params.yaml, or {flag} on the command line)")
