"""planwatch: indicator series and target attainment from Chinese local-government plans.

The package mirrors the pipeline: ``parse`` (reading, document facts, number grammar,
statements, tables), ``validate``, ``analyse`` and ``report``, with the shared
vocabulary (``catalogue``, ``records``) at the root and the command line beside it.
"""

__version__ = "0.1.0"
# Bump when extraction output can change for the same input: cached parses are keyed by it.
EXTRACTOR_VERSION = "1"

# jsonschema (imported by Great Expectations and altair) checks the "iri" string format with
# rfc3987_syntax when that package is installed (JupyterLab's jupyter-events installs it), and
# rfc3987_syntax compiles 38 lark grammars at import: ~2 s of CPU in every stage process, for a
# format planwatch never validates. Marking it absent makes jsonschema skip that one checker.
import sys as _sys

if "rfc3987_syntax" not in _sys.modules:
    _sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]

# The extractor's hot modules from their compiled build when one matches these sources
# (planwatch.native; `make env` builds it): before any of them is imported.
from planwatch import native as _native  # noqa: E402

_native.install()
