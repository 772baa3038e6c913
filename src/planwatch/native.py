"""The extractor's hot modules compiled to C extensions (mypyc), used only when built from
exactly the sources beside them.

`make env` runs ``pipelines/build_native.py``, which compiles MODULES with mypyc into
``.tools/native/`` and writes ``manifest.json`` last: the SHA-256 of each module's source, the
Python extension suffix, and the file of each compiled module with its SHA-256. At import, planwatch (its
``__init__``) calls :func:`install`: when the manifest matches this Python and every source, a
finder placed first on ``sys.meta_path`` loads those modules from the build; otherwise (no
build, a source edited since, another Python, ``PLANWATCH_NATIVE=0``) the modules load from
their ``.py`` files as usual. Either way the output is the same, byte for byte (tests/test_native.py
checks it); the compiled modules are about 1.7x faster. :func:`status` says which is in use
(``planwatch --version``).

The modules are compiled together (one group): all of them load from the build or none does.
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import stat
import sys
from pathlib import Path

MODULES = (
    "planwatch.gazetteer",
    "planwatch.parse.document",
    "planwatch.parse.extract",
    "planwatch.parse.numbers",
    "planwatch.parse.other",
    "planwatch.parse.reading",
    "planwatch.parse.sections",
    "planwatch.parse.statements",
    "planwatch.parse.tables",
    "planwatch.parse.text",
    "planwatch.records",
)
GROUP = "planwatch_native"           # the shared library of the group: planwatch_native__mypyc
PACKAGE_DIR = Path(__file__).resolve().parent
MAX_MANIFEST_BYTES = 1 << 16

_status = "pure Python (planwatch.native.install not called)"


def build_dir() -> Path:
    """Where the build is: $PLANWATCH_NATIVE_DIR, else .tools/native of the checkout planwatch runs from."""
    env = os.environ.get("PLANWATCH_NATIVE_DIR")
    # absolute: the finder opens the libraries later, maybe after a chdir
    return Path(env).absolute() if env else PACKAGE_DIR.parents[1] / ".tools" / "native"


def source_of(module: str) -> Path:
    """The .py file of one of MODULES (planwatch.parse.text -> src/planwatch/parse/text.py)."""
    return PACKAGE_DIR.joinpath(*module.split(".")[1:]).with_suffix(".py")


def source_hashes() -> dict[str, str]:
    return {m: hashlib.sha256(source_of(m).read_bytes()).hexdigest() for m in MODULES}


def source_module(module: str):
    """One of MODULES run from its .py file under another name, beside whichever is in use: what
    a compiled build does not keep, its docstrings and the field types its source declares (the
    tests read them there)."""
    alias = f"_source_of_{module.replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(alias, source_of(module))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[alias] = mod          # (dataclasses look their module up while the class is made)
    try:
        spec.loader.exec_module(mod)
    finally:
        del sys.modules[alias]
    return mod


def switched_off() -> bool:
    """PLANWATCH_NATIVE=0 (or false, no, off, in any case): the build is neither made nor used."""
    return os.environ.get("PLANWATCH_NATIVE", "").strip().lower() in ("0", "false", "no", "off")


def ext_suffix() -> str:
    return importlib.machinery.EXTENSION_SUFFIXES[0]


class _Finder(importlib.abc.MetaPathFinder):
    """Finds exactly the compiled modules of one build (and its group library), nothing else."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def find_spec(self, name, path=None, target=None):
        file = self.files.get(name)
        if file is None:
            return None
        return importlib.util.spec_from_file_location(name, file)


def _check(directory: Path) -> dict[str, Path] | str:
    """The file of each compiled module (and the group library) of a build that matches these
    sources and this Python, or why it cannot be used."""
    manifest = directory / "manifest.json"
    try:
        # a regular file, read at most one byte past the limit: a FIFO or /dev/zero neither blocks nor fills memory
        if not stat.S_ISREG(manifest.stat().st_mode):
            return f"pure Python ({manifest}: not a regular file)"
        with open(manifest, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            return f"pure Python ({manifest}: larger than {MAX_MANIFEST_BYTES} bytes)"
        data = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        return "pure Python (not built: `make env` builds it)"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return f"pure Python ({manifest}: unreadable: {type(e).__name__})"
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict) or not isinstance(data.get("sources"), dict):
        return f"pure Python ({manifest}: not a build manifest)"
    if not isinstance(data.get("sha256"), dict):
        return f"pure Python ({manifest}: no SHA-256 of the libraries (an older build): run `make env`)"
    if data.get("ext_suffix") != ext_suffix():
        return f"pure Python (built for {data.get('ext_suffix')!r}, this Python loads {ext_suffix()!r}: run `make env`)"
    if set(data["sources"]) != set(MODULES):
        return "pure Python (built for another set of modules: run `make env`)"
    hashes = source_hashes()
    changed = sorted(m for m in MODULES if data["sources"][m] != hashes[m])
    if changed:
        return f"pure Python ({source_of(changed[0]).name} changed since the build: run `make env`)"
    files: dict[str, Path] = {}
    for name in (*MODULES, f"{GROUP}__mypyc"):
        file = data["files"].get(name)
        # a bare file name inside the build directory: the manifest cannot point elsewhere
        if not isinstance(file, str) or Path(file).name != file or not file.endswith(ext_suffix()) \
                or not (directory / file).is_file():
            return f"pure Python ({manifest}: no compiled file for {name})"
        # the library the build made, not one truncated or swapped since (loading that one can crash Python)
        try:
            with open(directory / file, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError as e:
            return f"pure Python ({directory / file}: unreadable: {type(e).__name__})"
        if data["sha256"].get(name) != digest:
            return f"pure Python ({file} changed since the build: run `make env`)"
        files[name] = directory / file
    return files


def install() -> str:
    """Load MODULES from a matching build from now on; returns (and remembers) the status line."""
    global _status
    if any(isinstance(f, _Finder) for f in sys.meta_path):
        return _status          # installed already: planwatch imported again (importlib.reload, autoreload)
    if switched_off():
        _status = f"pure Python (PLANWATCH_NATIVE={os.environ['PLANWATCH_NATIVE'].strip()})"
        return _status
    loaded = [m for m in MODULES if m in sys.modules]
    if loaded:
        _status = f"pure Python ({loaded[0]} was imported before planwatch.native.install)"
        return _status
    found = _check(build_dir())
    if isinstance(found, str):
        _status = found
        return _status
    sys.meta_path.insert(0, _Finder(found))
    _status = f"compiled ({len(MODULES)} modules from {build_dir()})"
    return _status


def status() -> str:
    """Whether the extractor runs compiled, and if not, why: one line."""
    return _status


def compiled() -> bool:
    """Whether MODULES load (or have loaded) from the build."""
    return _status.startswith("compiled")

