"""The one exception type users see: a message naming the file (and line) and what to do."""


class PlanwatchError(Exception):
    """An input or configuration problem, reported as one line without a traceback."""
