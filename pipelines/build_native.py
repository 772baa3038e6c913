"""Compile the extractor's hot modules (planwatch.native.MODULES) with mypyc into .tools/native
(make env runs this; about a minute on two cores).

The build is made in a temporary directory beside the target, from the sources as they are now;
its manifest (the SHA-256 of every source compiled, the extension suffix, the file of each
module and its SHA-256) is written last and the directory is then put in place by renames, so a build that
fails or is interrupted leaves the previous one, or none, never half of one. A source edited
while the build ran makes it refuse to install. planwatch uses the build only while every source
still matches it (planwatch.native); without one it runs the same code as pure Python.

Without a C compiler or the Python headers nothing is built: one warning line, exit status 0
(the environment works, the extractor is about 1.7x slower). PLANWATCH_NATIVE=0 skips the
build as well.

    .venv/bin/python pipelines/build_native.py [--force]
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from planwatch import native


def _compiler_missing() -> str | None:
    """Why no extension can be compiled here, or None."""
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]    # $CC first, as setuptools
    if shutil.which(cc) is None:
        return f"no C compiler ({cc})"
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not include.is_file():
        return f"no Python headers ({include})"
    return None


def _up_to_date(target: Path) -> bool:
    """Whether planwatch would use the build in target (planwatch.native: sources, Python, libraries)."""
    return isinstance(native._check(target), dict)


def build(target: Path) -> Path:
    """Compile MODULES into a new directory beside target; returns it (manifest written last)."""
    from mypyc.build import mypycify           # the native group of pyproject.toml
    from setuptools import setup

    hashes = native.source_hashes()
    work = Path(tempfile.mkdtemp(prefix=".native-build-", dir=target.parent))
    sources = [str(native.source_of(m)) for m in native.MODULES]
    cwd = Path.cwd()
    log = io.StringIO()          # mypy's notes and the compiler's lines: shown only when the build fails
    try:
        os.chdir(work)                         # mypyc writes its C sources under the working directory
        with contextlib.redirect_stdout(log):
            ext = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *sources],
                           opt_level="3", group_name=native.GROUP, target_dir=str(work / "c"))
            setup(name="planwatch-native", ext_modules=ext, script_args=[
                "build_ext", "--build-lib", str(work / "lib"), "--build-temp", str(work / "obj"), "--quiet"])
    except BaseException:
        sys.stderr.write(log.getvalue())
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        os.chdir(cwd)
    try:          # the build directory goes, whatever happens: only the finished build (final) stays
        if native.source_hashes() != hashes:
            raise SystemExit("native build: a source changed while it was compiled; run it again")
        out = work / "out"
        out.mkdir()
        files, digests = {}, {}
        suffix = native.ext_suffix()
        for name in (*native.MODULES, f"{native.GROUP}__mypyc"):
            built = work / "lib" / (name.replace(".", "/") + suffix)
            if not built.is_file():
                raise SystemExit(f"native build: mypyc made no {built.relative_to(work)}")
            shutil.copy2(built, out / f"{name}{suffix}")
            files[name] = f"{name}{suffix}"
            digests[name] = hashlib.sha256((out / files[name]).read_bytes()).hexdigest()
        manifest = {"ext_suffix": suffix, "sources": hashes, "files": files, "sha256": digests,
                    "python": sys.version.split()[0], "group": native.GROUP}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        final = work.parent / f"{work.name}.out"
        out.rename(final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def install(built: Path, target: Path) -> None:
    """Put the build in place: the old one aside, the new one in, the old one removed."""
    old = target.parent / f".native-old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    try:
        built.rename(target)
    except BaseException:
        if old.exists() and not target.exists():
            old.rename(target)           # the previous build stays in place
        shutil.rmtree(built, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--force", action="store_true", help="build even when the build matches the sources")
    args = ap.parse_args()
    target = native.build_dir()
    if native.switched_off():
        print("native build skipped (PLANWATCH_NATIVE is off): the extractor runs as pure Python")
        return 0
    if not args.force and _up_to_date(target):        # (in use, compiler or not)
        print(f"native build in {target}: up to date")
        return 0
    missing = _compiler_missing()
    if missing:
        print(f"warning: native build skipped: {missing}; the extractor runs as pure Python (about 1.7x slower)",
              file=sys.stderr)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    print(f"native build: compiling {len(native.MODULES)} modules with mypyc …", flush=True)
    install(build(target), target)
    print(f"native build in {target}: {len(native.MODULES)} modules, {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
