"""Validate stage: Great Expectations suites over the stage tables and computed cross-checks."""
import importlib as _importlib
import importlib.util as _util
import sys as _sys
import types as _types


class _Deferred(_types.ModuleType):
    """A stand-in for a module not imported yet: the first attribute asked of it imports the module
    (which then replaces the stand-in in sys.modules) and answers from it."""

    def __getattr__(self, attr):
        real = self.__dict__.get("_module")
        if real is None:
            if _sys.modules.get(self.__name__) is self:
                del _sys.modules[self.__name__]
            real = self.__dict__["_module"] = _importlib.import_module(self.__name__)
        return getattr(real, attr)


def _defer(name: str) -> None:
    if name in _sys.modules:
        return
    spec = _util.find_spec(name)
    if spec is None:
        return
    stand_in = _Deferred(name)
    stand_in.__spec__ = spec    # read by the import system (is it initialising?); the module is not run
    _sys.modules[name] = stand_in


# Great Expectations imports scipy.stats and altair at module level for one expectation planwatch
# does not use (KL divergence; scipy.stats serves two KS tests too) and calls them only inside its
# functions: 1.2 s of GX's 3.5 s import, in every validate run. Deferred, each is imported the first
# time anything uses it (the report and analyse stages import altair for themselves).
# (importlib's LazyLoader does not help: the import system reads the module's __spec__, which loads it.)
_defer("scipy.stats")
_defer("altair")
