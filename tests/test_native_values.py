"""The value classes of the compiled modules pickle and deep-copy as they do as pure Python
(compiled by mypyc, a frozen dataclass's instances could not be unpickled: FrozenInstanceError)."""
from __future__ import annotations

import copy
import dataclasses
import functools
import importlib
import pickle

import pytest

from planwatch import native


@functools.lru_cache(maxsize=None)
def _declared(module: str, name: str) -> tuple[str, ...]:
    """The field types of a dataclass as its source declares them (compiled, a field's type is only
    `type` where it may be None): the module's .py file run under another name."""
    return tuple(f.type for f in dataclasses.fields(getattr(native.source_module(module), name)))


def _example(declared: str):
    """A value of the type a field is declared with (compiled, a constructor checks it)."""
    from array import array
    from decimal import Decimal
    from planwatch.catalogue import default_catalogue
    first = declared.split("|")[0].strip()          # (the annotations are strings: `from __future__ import annotations`)
    examples = {"int": 7, "float": 1.5, "bool": True, "str": "x", "Decimal": Decimal("1.5"), "array": array("i", [1, 2]),
                "Indicator": next(iter(default_catalogue().indicators.values()))}
    if first.startswith("tuple"):
        return ("multi_year", "十四五", 2025)
    return examples[first]


def _dataclasses():
    for module in native.MODULES:
        mod = importlib.import_module(module)
        for name, obj in sorted(vars(mod).items()):
            if isinstance(obj, type) and obj.__module__ == module and obj.__name__ == name and dataclasses.is_dataclass(obj):
                yield pytest.param(obj, id=f"{module}.{name}")


@pytest.mark.parametrize("cls", list(_dataclasses()))
def test_a_value_pickles_and_copies(cls):
    value = cls(*[_example(t) for t in _declared(cls.__module__, cls.__name__)])
    for back in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value), copy.copy(value)):
        assert type(back) is cls and back == value and _hash(back) == _hash(value)


def _hash(value):
    try:
        return hash(value)
    except TypeError:       # (NormText: its array is not hashable, as before)
        return None


def test_every_value_class_is_seen():
    assert len(list(_dataclasses())) >= 8, native.status()


def test_the_gazetteer_pickles():
    # compiled, a class whose __init__ takes arguments pickled only through a __reduce__ of its own
    from planwatch.gazetteer import default_gazetteer
    g = default_gazetteer()
    back = pickle.loads(pickle.dumps(g))
    assert back.by_code == g.by_code and back.by_name == g.by_name and back.source == g.source
    name = next(iter(g.by_name))
    assert back.resolve(name) == g.resolve(name)
