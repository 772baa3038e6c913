"""Texts of record, packed: what every span points into, kept as a few parquet shards.

The parse stage keeps each document's text of record (the decoded text for a text file, the
converted text for HTML, Word and PDF) in ``data/interim/text/``, as rows ``(doc_id, text)`` of
at most 256 shard files — a document's shard is the first two hex digits of the SHA-256 of its
id. A corpus of 10,000 documents is then a few hundred files for DVC to check on every run, not
10,000, and adding a document rewrites one shard. ``shards.json`` holds each shard's SHA-256 and
documents (the same texts give the same bytes: no times in it): a shard that was edited or damaged
is noticed and its documents parsed again. A shard is re-hashed only when its size or mtime
differ from those remembered in ``state_path`` (a cache file of the caller's, e.g. the parse cache).

Read a text (JupyterLab, a script)::

    from planwatch.texts import text_of
    text = text_of("boshan_2026_plan")            # the whole text of record
    text[120:135]                                 # the span of a row (char_start, char_end)

or from the shell: ``python -m planwatch text boshan_2026_plan --span 120:135``.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from planwatch.errors import PlanwatchError
from planwatch.io import atomic_path, write_text

STAMP = "shards.json"
_SHARD = re.compile(r"[0-9a-f]{2}")
SCHEMA = {"doc_id": pl.String, "text": pl.String}


def shard_of(doc_id: str) -> str:
    """The shard a document's text lives in: the first two hex digits of the SHA-256 of its id.

    >>> shard_of("boshan_2026_plan")
    'f5'
    """
    return hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:2]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TextStore:
    """The texts of record under ``folder``: ``<shard>.parquet`` files and their stamp."""

    def __init__(self, folder: Path | str, state_path: Path | str | None = None):
        self.folder = Path(folder)
        self.stamp_path = self.folder / STAMP
        self.state_path = Path(state_path) if state_path else None

    def path(self, shard: str) -> Path:
        return self.folder / f"{shard}.parquet"

    def _stamp(self) -> dict:
        # a shard is two hex digits (shard_of): any other key of an edited stamp would name a file
        # outside the store, which update() deletes or rewrites
        return {k: v for k, v in _read_json(self.stamp_path).items() if _SHARD.fullmatch(k) and isinstance(v, dict)}

    def _state(self) -> dict:
        return _read_json(self.state_path) if self.state_path else {}

    def intact(self) -> dict[str, list[str]]:
        """{shard: its document ids} for every shard that is as the last run wrote it (its size and
        mtime as stamped, or else its content's SHA-256). A shard not listed must be rebuilt."""
        out, state = {}, self._state()
        for shard, s in self._stamp().items():
            p = self.path(shard)
            try:
                st = p.stat()
                known = state.get(shard) if isinstance(state.get(shard), dict) else {}
                same = ((st.st_size, st.st_mtime_ns) == (known.get("size"), known.get("mtime_ns"))
                        and known.get("sha256") == s.get("sha256")) or _sha(p) == s.get("sha256")
            except OSError:
                same = False
            if same and isinstance(s.get("docs"), list):
                out[shard] = s["docs"]
        return out

    def update(self, new: dict[str, Path], keep: Iterable[str]) -> None:
        """Write the texts of the documents in ``new`` (doc_id → a file holding its text) and keep the
        texts of the documents in ``keep`` (already in intact shards); every other text is dropped.
        Only the shards whose set of documents changed are rewritten, one at a time (memory: one
        shard), each atomically; the stamp is written last."""
        keep, fresh = set(keep), set(new)
        stamp, intact = self._stamp(), self.intact()
        wanted: dict[str, set[str]] = {}
        for doc in [*keep, *new]:
            wanted.setdefault(shard_of(doc), set()).add(doc)
        self.folder.mkdir(parents=True, exist_ok=True)
        for shard in sorted(set(wanted) | set(stamp)):
            docs = wanted.get(shard, set())
            if shard in intact and set(intact[shard]) == docs and not (docs & fresh):
                continue                                    # unchanged: not read, not rewritten
            if not docs:
                self.path(shard).unlink(missing_ok=True)
                stamp.pop(shard, None)
                continue
            kept = pl.DataFrame(schema=SCHEMA)
            if shard in intact and docs - fresh:
                kept = pl.read_parquet(self.path(shard)).filter(
                    pl.col("doc_id").is_in(pl.Series(sorted(docs - fresh), dtype=pl.String).implode()))
            added = pl.DataFrame({"doc_id": sorted(docs & fresh),
                                  "text": [new[d].read_text(encoding="utf-8") for d in sorted(docs & fresh)]}, schema=SCHEMA)
            rows = pl.concat([kept, added], how="vertical").sort("doc_id")
            if set(rows["doc_id"].to_list()) != docs:
                missing = sorted(docs - set(rows["doc_id"].to_list()))
                raise PlanwatchError(f"{self.path(shard)}: texts of record missing for {', '.join(missing[:3])}")
            p = self.path(shard)
            with atomic_path(p) as tmp:
                rows.write_parquet(tmp, statistics=False, compression="zstd")
            stamp[shard] = {"sha256": _sha(p), "docs": sorted(docs)}
        for stray in self.folder.iterdir():                 # per-document .txt files of earlier versions, strays
            if stray.name != STAMP and not (stray.suffix == ".parquet" and stray.stem in stamp) and stray.is_file():
                stray.unlink(missing_ok=True)
        write_text(self.stamp_path, json.dumps(dict(sorted(stamp.items())), sort_keys=True) + "\n")
        if self.state_path:                     # where each shard's bytes were last seen, for the next run's quick check
            state = {}
            for shard, s in stamp.items():
                st = self.path(shard).stat()
                state[shard] = {"sha256": s["sha256"], "size": st.st_size, "mtime_ns": st.st_mtime_ns}
            write_text(self.state_path, json.dumps(state, sort_keys=True) + "\n")

    def read(self, doc_id: str) -> str | None:
        p = self.path(shard_of(doc_id))
        if not p.exists():
            return None
        hit = pl.scan_parquet(p).filter(pl.col("doc_id") == doc_id).select("text").collect()
        return hit["text"][0] if hit.height else None


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def text_of(doc_id: str, interim_dir: Path | str = "data/interim") -> str:
    """The text of record of one document (what its rows' char_start/char_end point into)."""
    text = TextStore(Path(interim_dir) / "text").read(doc_id)
    if text is None:
        raise PlanwatchError(f"{Path(interim_dir) / 'text'}: no text of record for document {doc_id!r} "
                             "(run `dvc repro` after adding it; ids are the file names in data/raw without suffix)")
    return text


def print_text(doc_id: str, interim_dir: Path | str = "data/interim", span: tuple[int, int] | None = None) -> None:
    text = text_of(doc_id, interim_dir)
    if span is not None:
        start, end = span
        if not (0 <= start <= end <= len(text)):
            raise PlanwatchError(f"span {start}:{end} is outside document {doc_id!r} ({len(text):,} characters)")
        text = text[start:end]
    sys.stdout.write(text if text.endswith("\n") or span is not None else text + "\n")
    if span is not None:
        sys.stdout.write("\n")
