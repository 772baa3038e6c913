"""Run one stage notebook (jupytext percent .py) with papermill; the executed copy is the audit log.

Usage: python pipelines/run_notebook.py NOTEBOOK.py OUTPUT.ipynb [-p NAME VALUE]...
Values are parsed as YAML literals (0.5 → float, data/raw → str). A failing stage prints
the notebook's error in one block and exits non-zero, so `dvc repro` stops there.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, output, rest = Path(argv[0]), Path(argv[1]), argv[2:]
    params = {}
    while rest:
        if rest[0] != "-p" or len(rest) < 3:
            print(f"run_notebook: expected '-p NAME VALUE', got {rest[:3]}", file=sys.stderr)
            return 2
        params[rest[1]] = yaml.safe_load(rest[2])
        rest = rest[3:]
    import jupytext
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    output.parent.mkdir(parents=True, exist_ok=True)
    nb = jupytext.read(source)
    try:
        pm.execute_notebook(nb, str(output), parameters=params, cwd=str(Path.cwd()), progress_bar=False,
                            kernel_name="python3", log_output=False)
    except PapermillExecutionError as exc:
        print(f"{source}: stage failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}", file=sys.stderr)
        print(f"  executed notebook with the full error: {output}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
