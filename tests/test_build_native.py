"""pipelines/build_native.py: a failed or refused build leaves the previous one in place and
nothing of its own behind; no usable C compiler is a warning, not a failed `make env`."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def build_native():
    spec = importlib.util.spec_from_file_location("_build_native_under_test", ROOT / "pipelines" / "build_native.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _previous_build(target: Path) -> None:
    target.mkdir(parents=True)
    (target / "manifest.json").write_text(json.dumps({"previous": True}), encoding="utf-8")


def test_a_compiler_named_by_cc_that_is_not_there_is_a_warning_not_a_failure(tmp_path):
    # setuptools compiles with $CC when it is set: the check must look at the same compiler
    r = subprocess.run([sys.executable, str(ROOT / "pipelines" / "build_native.py")], cwd=ROOT, capture_output=True,
                       text=True, timeout=600, check=False,
                       env={**os.environ, "CC": "planwatch-no-such-compiler", "PLANWATCH_NATIVE_DIR": str(tmp_path / "native")})
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stderr.startswith("warning: native build skipped: no C compiler (planwatch-no-such-compiler)"), r.stderr[-2000:]
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("case", ["source_changed", "no_library"])
def test_a_refused_build_leaves_nothing_behind(tmp_path, monkeypatch, build_native, case):
    target = tmp_path / "native"
    _previous_build(target)
    fake_mypyc = types.ModuleType("mypyc.build")
    fake_mypyc.mypycify = lambda *a, **k: []          # compiles nothing: no library is made
    monkeypatch.setitem(sys.modules, "mypyc.build", fake_mypyc)
    monkeypatch.setattr("setuptools.setup", lambda **k: None)
    if case == "source_changed":                       # a source edited while the build ran
        hashes = iter([{"a": "1"}, {"a": "2"}])
        monkeypatch.setattr(build_native.native, "source_hashes", lambda: next(hashes))
    with pytest.raises(SystemExit, match="changed while" if case == "source_changed" else "made no"):
        build_native.build(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["native"]        # no .native-build-* left
    assert json.loads((target / "manifest.json").read_text(encoding="utf-8")) == {"previous": True}


def test_a_build_that_cannot_be_put_in_place_leaves_the_previous_one(tmp_path, build_native):
    target = tmp_path / "native"
    _previous_build(target)
    with pytest.raises(OSError):
        build_native.install(tmp_path / ".native-build-gone.out", target)      # (removed meanwhile)
    assert json.loads((target / "manifest.json").read_text(encoding="utf-8")) == {"previous": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["native"]


@pytest.mark.parametrize("cc", ["planwatch-no-such-compiler", None])
def test_make_env_builds_later_when_this_time_there_was_no_compiler(tmp_path, cc):
    """The Makefile's stamp (.tools/native/.built) says a build is in use, not that one was tried:
    with it, `make env` never built again once a compiler was there (while planwatch --version
    said `make env` builds it)."""
    for name in ("pipelines", "src", "uv.lock", "pyproject.toml"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".synced").touch()
    native_dir = tmp_path / ".tools" / "native"
    if cc is None:                                  # a build in use: the stamp is made
        _fake_build(native_dir)
    env = {**os.environ, "PLANWATCH_NATIVE_DIR": str(native_dir)}
    env.pop("CC", None)
    if cc:
        env["CC"] = cc
    r = subprocess.run(["make", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), f"BIN={Path(sys.executable).parent}",
                        ".tools/native/.built"], capture_output=True, text=True, env=env, timeout=600, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (native_dir / ".built").exists() == (cc is None), r.stdout + r.stderr


def _fake_build(directory: Path) -> None:
    """A manifest (with its libraries) that planwatch.native accepts: not loaded here."""
    import hashlib
    from planwatch import native
    directory.mkdir(parents=True)
    names = (*native.MODULES, f"{native.GROUP}__mypyc")
    files = {m: f"{m}{native.ext_suffix()}" for m in names}
    for f in files.values():
        (directory / f).write_bytes(f.encode())
    data = {"ext_suffix": native.ext_suffix(), "sources": native.source_hashes(), "files": files,
            "sha256": {m: hashlib.sha256(f.encode()).hexdigest() for m, f in files.items()}}
    (directory / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_build_in_use_is_up_to_date_without_a_compiler(tmp_path):
    # not "warning: … the extractor runs as pure Python" while it runs compiled
    _fake_build(tmp_path / "native")
    r = subprocess.run([sys.executable, str(ROOT / "pipelines" / "build_native.py")], cwd=ROOT, capture_output=True,
                       text=True, timeout=600, check=False,
                       env={**os.environ, "CC": "planwatch-no-such-compiler", "PLANWATCH_NATIVE_DIR": str(tmp_path / "native")})
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert r.stdout == f"native build in {tmp_path / 'native'}: up to date\n"
