"""planwatch: indicator series and target attainment from Chinese local-government plans.

The package mirrors the pipeline: ``parse`` (reading, document facts, number grammar,
statements, tables), ``validate``, ``analyse`` and ``report``, with the shared
vocabulary (``catalogue``, ``records``) at the root and the command line beside it.
"""

__version__ = "0.1.0"
# Bump when extraction output can change for the same input: cached parses are keyed by it.
EXTRACTOR_VERSION = "1"
