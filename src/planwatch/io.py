"""Deterministic, atomic writing: sorted rows, parquet + CSV twin, stable JSON metrics.

Everything the project keeps is written to a temporary file in the same folder and then
renamed over the target, so a kill mid-write leaves the old file or the new one, never a
truncated one.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from planwatch.errors import PlanwatchError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()
# a character that breaks a line or drives the terminal (C0, DEL, C1, U+2028/9): never in a name or a message line
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@contextmanager
def atomic_path(path: Path | str):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, 0o666 & ~_UMASK)      # mkstemp makes 0600; the project's files are as readable as any other
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path | str, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_table(df: pl.DataFrame, path: Path | str, sort_by: list[str], csv_twin: bool = True) -> None:
    path = Path(path)
    df = df.sort(sort_by, nulls_last=True, maintain_order=True)

    def parquet():
        with atomic_path(path) as tmp:
            df.write_parquet(tmp, statistics=False, compression="zstd")

    if not csv_twin:
        return parquet()

    def csv():
        with atomic_path(path.with_suffix(".csv")) as tmp:
            spreadsheet_safe(df).write_csv(tmp)

    # both at once: polars writes without the GIL, and a large table's CSV takes as long as its parquet
    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(parquet), pool.submit(csv)]:
            done.result()


# A text cell a spreadsheet would run as a formula (=HYPERLINK(…), +, -, @, or a tab or CR first):
# document text reaches the CSV files people open in Excel, so such a cell gets a leading ' there.
_FORMULA = r"^[=+\-@\t\r]"


def spreadsheet_safe(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` for a CSV file people open in a spreadsheet: each text cell that would be read as a
    formula starts with ' (OWASP's advice for CSV injection); every other cell is left as it is.
    The parquet tables keep the text as written.

    >>> spreadsheet_safe(pl.DataFrame({"s": ["=1+2", "增长5%", "-3", None], "n": [1, 2, 3, 4]})).rows()
    [("'=1+2", 1), ('增长5%', 2), ("'-3", 3), (None, 4)]
    """
    text = [c for c, t in df.schema.items() if t == pl.String]
    if not text:
        return df
    hit = df.select(pl.col(text).str.contains(_FORMULA).any()).row(0)    # one pass: most tables have none
    risky = [c for c, h in zip(text, hit) if h]
    return df.with_columns(pl.when(pl.col(c).str.contains(_FORMULA)).then(pl.concat_str(pl.lit("'"), pl.col(c)))
                           .otherwise(pl.col(c)).alias(c) for c in risky) if risky else df


# The characters that reorder the text around them when shown (bidi embeddings, overrides, isolates
# and marks). A page shows document text as the reader would read it in the document, so one of these
# in a sentence (U+202E: 完成319.3亿元 shown as 元亿3.913成完) would make the page say what the document
# does not: every page planwatch writes shows each as its code point ([U+202E]). The tables keep the
# text of record; extraction reads these characters as spaces (parse/text.py).
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_SHOWN = {ch: f"[U+{ord(ch):04X}]" for ch in BIDI}
_BIDI_TABLE = str.maketrans(BIDI_SHOWN)


def shown(value):
    """Text as a page shows it: each bidi control as its code point; anything else as it is (a
    str subclass keeps its class, so markupsafe's Markup stays Markup: the replacement holds
    nothing HTML reads).

    >>> shown("增长\u202e5.6%"), shown(3), shown(None)
    ('增长[U+202E]5.6%', 3, None)
    """
    return value.translate(_BIDI_TABLE) if isinstance(value, str) else value


def write_metrics(data: dict, path: Path | str) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def read_stamp(path: Path | str) -> dict:
    """A cache's stamp (a JSON object); ValueError when the file holds anything else, so the cache
    is discarded like one that fails its checksum."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a stamp is a JSON object, found a {type(data).__name__}")
    return data


def confined(base: Path | str, name: str, what: str = "name") -> Path:
    """``base / name``, refused unless it stays inside ``base`` (no separators, no .., not absolute) and is
    one line of text (no control character or line break: a name is printed in logs and messages).

    >>> confined("/p/raw", "a.txt").as_posix()
    '/p/raw/a.txt'
    >>> confined("/p/raw", "../x.txt")
    Traceback (most recent call last):
    planwatch.errors.PlanwatchError: '../x.txt': a name (a file name, no folders or control characters) must stay inside /p/raw
    """
    base = Path(base)
    bad = (not name or name in (".", "..") or "/" in name or "\\" in name or CONTROL.search(name) is not None
           or os.path.isabs(name))
    target = base / name
    if not bad and os.path.islink(target):
        # a plain name that is not a symlink stays in base by construction (one lstat: a corpus
        # checks 10,000 names); a symlink must resolve to a file of base itself
        try:
            bad = target.resolve().parent != base.resolve()
        except (OSError, RuntimeError):
            bad = True
    if bad:
        raise PlanwatchError(f"{name!r}: a {what} (a file name, no folders or control characters) must stay inside {base}")
    return target


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
