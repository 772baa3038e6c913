"""planwatch.native: the compiled build of the extractor's hot modules is used only when it
matches the sources, and gives the same rows as the pure-Python modules, byte for byte."""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planwatch import native

ROOT = Path(__file__).resolve().parents[1]

# Every row of each document as CSV, through the same path as `planwatch extract --format csv`.
EXTRACT_ALL = r"""
import contextlib, io, sys
from planwatch import cli, native
out = io.StringIO()
for f in sys.argv[1:]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = cli.main(["extract", f, "--format", "csv"])
    out.write(f"== {f} {code}\n" + buf.getvalue())
sys.stdout.write(native.status().split(" (")[0] + "\n" + out.getvalue())
"""


def _run(code: str, *args: str, timeout: int = 600, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=timeout, check=False)


def test_the_status_says_where_the_modules_came_from():
    origins = {m: importlib.import_module(m).__spec__.origin for m in native.MODULES}
    if native.compiled():
        assert all(o.endswith(native.ext_suffix()) and str(native.build_dir()) in o for o in origins.values()), origins
    else:
        assert all(o.endswith(".py") for o in origins.values()), origins
    assert native.status().startswith(("compiled (", "pure Python ("))


@pytest.mark.skipif(not native.compiled(), reason=f"no compiled build: {native.status()}")
def test_compiled_and_pure_python_give_the_same_rows():
    docs = sorted(str(p.relative_to(ROOT)) for d in ("data/raw", "tests/corpus/dev") for p in (ROOT / d).glob("*.txt"))
    assert len(docs) >= 30
    compiled = _run(EXTRACT_ALL, *docs)
    pure = _run(EXTRACT_ALL, *docs, PLANWATCH_NATIVE="0")
    assert compiled.returncode == 0 and pure.returncode == 0, (compiled.stderr, pure.stderr)
    assert compiled.stdout.startswith("compiled\n") and pure.stdout.startswith("pure Python\n")
    c, p = compiled.stdout.split("\n", 1)[1], pure.stdout.split("\n", 1)[1]
    assert c.count("\n== ") + 1 == len(docs) and c.count(",actual,") > 1000
    assert c == p


@pytest.mark.skipif(not native.compiled(), reason=f"no compiled build: {native.status()}")
def test_the_status_stays_true_when_planwatch_is_imported_again():
    # importlib.reload(planwatch) runs install again, after the compiled modules were imported
    r = _run("import importlib, planwatch, planwatch.parse.text as t; from planwatch import native\n"
             "importlib.reload(planwatch); print(native.status()); print(t.__spec__.origin)")
    assert r.returncode == 0, r.stderr
    status, origin = r.stdout.splitlines()
    assert status.startswith("compiled (") and origin.endswith(native.ext_suffix()), r.stdout


@pytest.mark.skipif(not native.compiled(), reason=f"no compiled build: {native.status()}")
def test_a_relative_build_directory_still_loads_after_a_chdir(tmp_path):
    r = _run("import os, planwatch; os.chdir(os.environ['TO']); import planwatch.parse.statements as s\n"
             "print(s.__spec__.origin)", PLANWATCH_NATIVE_DIR=os.path.relpath(native.build_dir(), ROOT), TO=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith(native.ext_suffix())


def _manifest(directory: Path, **change) -> Path:
    """A manifest for these sources and this Python, with the given entries changed."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {m: f"{m}{native.ext_suffix()}" for m in (*native.MODULES, f"{native.GROUP}__mypyc")}
    digests = {m: hashlib.sha256((directory / f).read_bytes()).hexdigest() if (directory / f).is_file() else "0" * 64
               for m, f in files.items()}
    data = {"ext_suffix": native.ext_suffix(), "sources": native.source_hashes(), "files": files, "sha256": digests,
            **change}
    (directory / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    return directory


def _fake_libraries(directory: Path) -> None:
    """A file for each library of the build (not loadable: a build using them fails the test)."""
    directory.mkdir(parents=True, exist_ok=True)
    for m in (*native.MODULES, f"{native.GROUP}__mypyc"):
        (directory / f"{m}{native.ext_suffix()}").write_bytes(b"a library " + m.encode())


VERSION = "from planwatch import native, cli; import planwatch.parse.statements as s; print(native.status()); print(s.__file__)"


@pytest.mark.parametrize("case, expect", [
    ("missing", "pure Python (not built"),
    ("stale", "pure Python (statements.py changed since the build: run `make env`)"),
    ("other_python", "pure Python (built for '.cpython-39-x86_64-linux-gnu.so'"),
    ("escape", "pure Python ("),            # a file outside the build directory is never loaded
    ("no_files", "pure Python ("),
    ("garbage", "pure Python ("),
    ("huge", "pure Python ("),
    ("off", "pure Python (PLANWATCH_NATIVE=0)"),
    ("off_word", "pure Python (PLANWATCH_NATIVE=Off)"),     # 0, false, no, off in any case
    ("swapped", "pure Python (planwatch.parse.text"),       # a library changed after the manifest was written
    ("no_digests", "pure Python ("),
    ("dev_zero", "pure Python ("),          # read without bound, an endless manifest filled memory
    ("fifo", "pure Python ("),              # read, a FIFO blocked import planwatch
])
def test_a_build_that_does_not_match_is_not_used(tmp_path, case, expect):
    d = tmp_path / "native"
    env = {"PLANWATCH_NATIVE_DIR": str(d)}
    if case == "stale":
        hashes = native.source_hashes()
        hashes["planwatch.parse.statements"] = "0" * 64
        _manifest(d, sources=hashes)
    elif case == "other_python":
        _manifest(d, ext_suffix=".cpython-39-x86_64-linux-gnu.so")
    elif case == "escape":               # (every other library there and as the manifest says)
        _fake_libraries(d)
        (tmp_path / f"planwatch.parse.text{native.ext_suffix()}").write_bytes(b"not a library")
        files = {m: f"{m}{native.ext_suffix()}" for m in (*native.MODULES, f"{native.GROUP}__mypyc")}
        files["planwatch.parse.text"] = f"../planwatch.parse.text{native.ext_suffix()}"
        _manifest(d, files=files)
    elif case == "no_files":
        _manifest(d)                     # the manifest matches; the libraries are not there
    elif case == "garbage":
        d.mkdir()
        (d / "manifest.json").write_bytes(b"\xff\xfe{[")
    elif case == "huge":
        d.mkdir()
        (d / "manifest.json").write_text(" " * (native.MAX_MANIFEST_BYTES + 1) + "{}")
    elif case == "off":
        env["PLANWATCH_NATIVE"] = "0"
    elif case == "off_word":
        env["PLANWATCH_NATIVE"] = " Off "
    elif case in ("swapped", "no_digests"):
        _fake_libraries(d)
        _manifest(d)                     # every library as the manifest says …
        if case == "swapped":            # … until one is truncated or replaced
            (d / f"planwatch.parse.text{native.ext_suffix()}").write_bytes(b"a library")
        else:
            data = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
            del data["sha256"]
            (d / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    elif case == "dev_zero":
        d.mkdir()
        (d / "manifest.json").symlink_to("/dev/zero")
    elif case == "fifo":
        d.mkdir()
        os.mkfifo(d / "manifest.json")
    # (bounded: a manifest read without bound fails here fast, not by filling the machine's memory)
    r = _run("import resource; resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n" + VERSION, timeout=120, **env)
    assert r.returncode == 0, r.stderr
    status, origin = r.stdout.splitlines()
    assert status.startswith(expect), status
    assert "\n" not in status and origin.endswith("statements.py")      # the source, not a library
    if case == "escape":
        assert status.endswith("no compiled file for planwatch.parse.text)"), status


@pytest.mark.skipif(not native.compiled(), reason="pytest --doctest-modules runs them on the .py modules")
def test_the_doctests_of_the_compiled_modules_run_on_their_source():
    """A compiled function carries no docstring, so pytest --doctest-modules finds none in a
    compiled module: here each module's source is loaded under another name and its doctests
    are run, as pytest would run them."""
    import doctest
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)     # pytest's default doctest flags
    ran, failed = 0, []
    for module in native.MODULES:
        for test in doctest.DocTestFinder().find(native.source_module(module), module):
            if test.examples:
                ran += 1
                if runner.run(test, out=lambda s: None).failed:
                    failed.append(test.name)
    assert not failed, failed
    assert ran >= 42, ran     # the docstrings with examples in these modules today


def test_make_rebuilds_when_any_compiled_source_changes():
    """The Makefile's NATIVE_SRC (what `make env` rebuilds the native build for) holds every
    source of native.MODULES: a source it missed would leave the build stale, and planwatch
    would run as pure Python without saying so at build time."""
    import glob
    import re as _re
    line = next(ln for ln in (ROOT / "Makefile").read_text().splitlines() if ln.startswith("NATIVE_SRC :="))
    listed: set[Path] = set()
    for pattern, word in _re.findall(r"\$\(wildcard ([^)]+)\)|(\S+)", line.split(":=", 1)[1]):
        listed |= {Path(p) for p in glob.glob(str(ROOT / pattern))} if pattern else {ROOT / word}
    missing = [m for m in native.MODULES if native.source_of(m) not in listed]
    assert not missing, missing
