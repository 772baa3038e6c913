"""Deterministic table writing: sorted rows, parquet + CSV twin, stable JSON metrics."""
from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl


def write_table(df: pl.DataFrame, path: Path | str, sort_by: list[str], csv_twin: bool = True) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df = df.sort(sort_by, nulls_last=True, maintain_order=True)
    df.write_parquet(path, statistics=False, compression="zstd")
    if csv_twin:
        df.write_csv(path.with_suffix(".csv"))


def write_metrics(data: dict, path: Path | str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def chdir_project_root(start: Path | str = ".") -> Path:
    """Make the project root (the folder holding dvc.yaml) the working directory.

    Stage notebooks' default parameters are paths relative to the project root: DVC runs
    them there, JupyterLab runs them in notebooks/. This makes both work.
    """
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / "dvc.yaml").exists():
            os.chdir(folder)
            return folder
    return here
