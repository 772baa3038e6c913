"""Run one stage notebook (jupytext percent .py) with papermill; the executed copy is the audit log.

Usage: python pipelines/run_notebook.py NOTEBOOK.py OUTPUT.ipynb [--preload MODULE] [-p NAME VALUE]... [-P SECTION.KEY]...
-p values are parsed as YAML literals (0.5 → float, data/raw → str); -P reads a stage parameter
from params.yaml (the stage then checks its type and range, naming params.yaml and the key).
--preload imports a module in the kernel as it starts, before the first cell (see Start-up cost). A failing stage prints
the notebook's error in one block and exits non-zero, so `dvc repro` stops there.

The kernel runs in a session of its own (jupyter_client starts it so), so a signal to
`dvc repro` would not reach it: SIGTERM, SIGINT and SIGHUP to this runner, or the death
of its parent (dvc killed), stop the kernel and everything it started, then the runner exits.

The kernel talks to the runner over IPC (Unix sockets beside its connection file) rather than
TCP on localhost: nothing listens on a port, and ipykernel has no reason to warn "Kernel is
running over TCP without encryption" on every stage (its log level is unchanged, so real
warnings and errors still print).

Start-up cost: jsonschema (imported by nbformat here, and by altair and Great Expectations in
the kernels) imports the optional `rfc3987_syntax`, which compiles a grammar at import — ~1.7 s
of CPU per process (python-jsonschema/jsonschema#1428). It only adds the `iri` format check,
which nothing here uses, so the runner and its kernels skip it. The kernel is started first, and
boots on the other core while the runner imports papermill and jupytext (~1 s); --preload has it
import the stage's module meanwhile too (Great Expectations alone takes 3.5 s). A preload that
fails is silent: the notebook's own import then fails in its cell, with the notebook's error. When
the notebook is done, the kernel is stopped at once (its outputs are written by then; a graceful
shutdown waited ~0.3 s) and the runner exits without tearing its modules down (~0.2 s).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import yaml


def _children(pid: int) -> list[int]:
    """Direct children of pid, read from /proc (Linux); empty elsewhere."""
    out = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read().decode("utf-8", "replace")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def stop_children(grace: float = 3.0) -> None:
    """SIGTERM each child's process group (the kernel leads its own), then SIGKILL what is left."""
    kids = _children(os.getpid())
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in kids:
            for kill in (lambda p, s: os.killpg(p, s), os.kill):
                try:
                    kill(pid, sig)
                except (ProcessLookupError, PermissionError):
                    pass
        deadline = time.monotonic() + grace
        while kids and time.monotonic() < deadline:
            kids = [p for p in kids if os.path.exists(f"/proc/{p}") and _is_alive(p)]
            time.sleep(0.05)
        if not kids:
            return


def _is_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


_KERNELS: list = []     # the kernel manager once started: a stop removes its socket and connection files


def _install_stop_handlers(source: Path) -> None:
    def stop(signum, _frame=None):
        print(f"{source}: stopped by {signal.Signals(signum).name}; stopping the kernel", file=sys.stderr)
        stop_children()
        for km in _KERNELS:     # a killed kernel leaves kernel-ipc-N sockets in the project folder otherwise
            km.cleanup_ipc_files()
            km.cleanup_connection_file()
        os._exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    parent = os.getppid()

    def watch_parent():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                stop(signal.SIGHUP)

    threading.Thread(target=watch_parent, daemon=True).start()


# IPC where there are Unix sockets; the kernel's first line (not a cell: the executed notebook does
# not show it, and it binds no name) skips the same optional import as the runner.
KERNEL_TRANSPORT = "ipc" if os.name == "posix" else "tcp"
KERNEL_ARGS = ["--IPKernelApp.exec_lines=__import__('sys').modules.setdefault('rfc3987_syntax', None)",
               "--HistoryManager.hist_file=:memory:"]   # as nbclient starts its kernels: no history database


def _preload_line(module: str) -> str:
    """A kernel start-up line importing module, binding no name; an error is left to the notebook."""
    return ("--IPKernelApp.exec_lines=try:\n    __import__('importlib').import_module(" + repr(module) + ")\n"
            "except Exception:\n    pass")


def _plain(value) -> bool:
    """A stage parameter is a flat literal: a number, text, true/false or null. papermill writes any
    other value out in full as Python source — a list of aliases in params.yaml (a few hundred bytes)
    would become gigabytes — and a date cannot be written at all."""
    return isinstance(value, (str, int, float, bool)) or value is None


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, output, rest = Path(argv[0]), Path(argv[1]), argv[2:]
    params = {}
    stage_params = None
    preload = []
    while rest:
        if rest[0] == "--preload" and len(rest) >= 2:
            if not all(part.isidentifier() for part in rest[1].split(".")):
                print(f"run_notebook: --preload {rest[1]!r} is not a module name", file=sys.stderr)
                return 2
            preload.append(rest[1])
            rest = rest[2:]
            continue
        if rest[0] == "-P" and len(rest) >= 2:
            # a stage parameter, read here from params.yaml (DVC tracks the key through the stage's
            # `params:` list): its value never passes through a shell command line
            if stage_params is None:
                from planwatch import yamlfile     # as the reference files are read: a key given twice is refused
                from planwatch.errors import PlanwatchError
                try:
                    stage_params = yamlfile.parse(Path("params.yaml").read_text(encoding="utf-8"), "params.yaml") or {}
                except PlanwatchError as exc:
                    print(exc, file=sys.stderr)
                    return 2
                except (OSError, UnicodeDecodeError) as exc:
                    print(f"params.yaml: cannot be read ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})",
                          file=sys.stderr)
                    return 2
            section, _, key = rest[1].partition(".")
            if not (section.isidentifier() and key.isidentifier()):
                print(f"run_notebook: -P {rest[1]!r} is not SECTION.KEY", file=sys.stderr)
                return 2
            if not isinstance(stage_params, dict):
                print(f"params.yaml: expected a mapping of stages, found a {type(stage_params).__name__}", file=sys.stderr)
                return 2
            value = (stage_params.get(section) or {}).get(key) if isinstance(stage_params.get(section), dict) else None
            if value is None:
                print(f"params.yaml: {rest[1]} is missing", file=sys.stderr)
                return 2
            if not _plain(value):
                print(f"params.yaml: {rest[1]}: a {type(value).__name__}, not a number, text or true/false", file=sys.stderr)
                return 2
            params[key] = value
            rest = rest[2:]
            continue
        if rest[0] != "-p" or len(rest) < 3:
            print(f"run_notebook: expected '-p NAME VALUE' or '-P SECTION.KEY', got {rest[:3]}", file=sys.stderr)
            return 2
        if not rest[1].isidentifier():      # papermill writes `NAME = VALUE` into the notebook as code
            print(f"run_notebook: -p {rest[1]!r} is not a parameter name", file=sys.stderr)
            return 2
        try:
            value = yaml.safe_load(rest[2])
        except (yaml.YAMLError, RecursionError) as exc:
            why = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            print(f"run_notebook: -p {rest[1]} {rest[2][:40]!r}: not a YAML literal ({why})", file=sys.stderr)
            return 2
        if not _plain(value):
            print(f"run_notebook: -p {rest[1]} {rest[2]!r}: a {type(value).__name__}, not a number, text or true/false",
                  file=sys.stderr)
            return 2
        params[rest[1]] = value
        rest = rest[3:]
    try:
        source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{source}: cannot be read as a notebook ({exc.strerror if isinstance(exc, OSError) else exc.reason})",
              file=sys.stderr)
        return 2
    _install_stop_handlers(source)
    sys.modules.setdefault("rfc3987_syntax", None)   # an ImportError for jsonschema's optional iri check (see above)
    # The kernel is started before papermill and jupytext are imported: it boots on the other core
    # while they load (about a second per stage, four stages to a `dvc repro`). papermill then runs
    # the notebook in it as in a kernel of its own starting; this runner shuts it down.
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync
    from traitlets.config import Config

    km = AsyncKernelManager(kernel_name="python3", config=Config({"KernelManager": {"transport": KERNEL_TRANSPORT}}))
    _KERNELS.append(km)
    try:
        run_sync(km.start_kernel)(extra_arguments=KERNEL_ARGS + [_preload_line(m) for m in preload], cwd=str(Path.cwd()))
    except Exception as exc:    # no python3 kernel in this environment, …: one line, not jupyter_client's traceback
        print(f"{source}: the notebook kernel could not be started ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
    try:
        import jupytext
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        output.parent.mkdir(parents=True, exist_ok=True)
        nb = jupytext.read(source)
        try:
            pm.execute_notebook(nb, str(output), parameters=params, cwd=str(Path.cwd()), progress_bar=False,
                                kernel_name="python3", language="python", log_output=False, km=km,
                                record_timing=False,    # papermill records each cell's times; nbclient's second copy is noise
                                coalesce_streams=True)  # one stderr output per cell, however the kernel happened to flush it
        except PapermillExecutionError as exc:
            print(f"{source}: stage failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}", file=sys.stderr)
            print(f"  executed notebook with the full error: {output}", file=sys.stderr)
            return 1
        finally:
            _number_cells(output)
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    return 0


def _number_cells(path: Path) -> None:
    """Cell ids by position: jupytext and papermill's injected cell get random ones, so two runs'
    audit copies would differ in every id; now they differ in papermill's times (and in what a
    stage prints about its own time)."""
    import nbformat

    from planwatch.io import write_text
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    write_text(path, nbformat.writes(nb) + "\n")


if __name__ == "__main__":
    rc = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)    # nothing is left to clean up (the kernel is stopped); tearing the modules down took ~0.2 s
