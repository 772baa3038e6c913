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


# Great Expectations imports scipy.stats at module level for three expectations planwatch does not
# use (KL divergence and two KS tests) and calls it only inside their functions: 0.8 s of GX's 3.5 s
# import, in every validate run. Deferred, scipy.stats is imported only if one of them ever runs.
# (importlib's LazyLoader does not help: the import system reads the module's __spec__, which loads it.)
_defer("scipy.stats")
