"""YAML written by people (the rule and reference files, params.yaml), read strictly: a key given
twice is refused (YAML would keep the last one without a word), nesting deeper than MAX_DEPTH is
refused before libyaml's recursive composer can crash on it, and every refusal is one line naming
the file and the line. Only yaml is imported: the notebook runner reads params.yaml with it."""
from __future__ import annotations

import yaml

from planwatch.errors import PlanwatchError

MAX_DEPTH = 50     # people's YAML nests a few levels; libyaml's composer recurses in C and dies (SIGSEGV) at ~30,000


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):   # libyaml when the wheel has it: ~10× faster
    """Refuses a key given twice in one mapping: YAML would keep the last one without a word."""

    def construct_mapping(self, node, deep=False):
        # keys compared as the mapping will hold them, not as written: true and True, 1 and 1.0,
        # null and ~, 0x10 and 16 are one key each (they were taken for two, the last kept silently)
        seen: dict = {}
        for key, _value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                data = self.construct_object(key)
                if data in seen:
                    first_line, first = seen[data]
                    as_written = "" if first == key.value else f" as {first!r}"
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key.value!r} given twice (first on line {first_line}{as_written}); "
                        "keep one", key.start_mark)
                seen[data] = (key.start_mark.line + 1, key.value)
        return super().construct_mapping(node, deep=deep)


def nesting_line(text: str) -> int | None:
    """The line where the text nests deeper than MAX_DEPTH, read as parser events (a loop, not a recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def parse(text: str, where: str):
    """The data of a YAML text; one PlanwatchError '{where}:LINE: …' when it is not valid YAML, gives
    a key twice or nests too deeply.

    >>> parse("a: 1\\nb: 2\\n", "x.yml")
    {'a': 1, 'b': 2}
    >>> parse("a: 1\\na: 2\\n", "params.yaml")
    Traceback (most recent call last):
    planwatch.errors.PlanwatchError: params.yaml:2: not valid YAML (key 'a' given twice (first on line 1); keep one)
    """
    try:
        deep = nesting_line(text)
        if deep is not None:
            raise PlanwatchError(f"{where}:{deep}: nested more than {MAX_DEPTH} levels deep")
        return yaml.load(text, Loader=Loader)
    except RecursionError:
        raise PlanwatchError(f"{where}: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        if mark is None and getattr(exc, "position", None) is not None:      # a character the reader refuses
            line = f":{text.count(chr(10), 0, exc.position) + 1}"
        why = getattr(exc, "problem", None) or str(exc).splitlines()[0]      # one line, without the "in <unicode string>" one
        raise PlanwatchError(f"{where}{line}: not valid YAML ({why})") from None
