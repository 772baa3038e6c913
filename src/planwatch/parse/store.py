"""The parse stage's table store: the document rows and statements of every document parsed
before, in two parquet files, so that a corpus run reads two files, not a file per document.

Each document is stored under ``file|cache key`` (the key hashes its content, the extractor
and its hints), with the SHA-256 of its text of record (kept in the text store, texts.py: a
document whose text is missing or edited is parsed again).
The files carry a checksum and the extractor fingerprint in a stamp: a store that was edited,
damaged or written by another extractor is discarded with a warning and every document is
parsed again (every value re-verified against its span).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import polars as pl

from planwatch import schemas
from planwatch.io import atomic_path, read_stamp, write_text

DOC_EXTRA = {"store_key": pl.String, "rejected": pl.List(pl.String), "text_sha256": pl.String,
             "raw_size": pl.Int64, "raw_mtime_ns": pl.Int64}     # the raw file's state when it was read
DOCS_SCHEMA = {**DOC_EXTRA, **schemas.DOCUMENTS}
ROWS_SCHEMA = dict(schemas.INDICATORS)    # a document's rows are found by its doc_id
# the published table's order: the store's rows file is a copy of data/processed/indicators.parquet
ROWS_ORDER = ["doc_id", "char_start", "char_end", "indicator", "kind", "period_year", "origin"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TableStore:
    def __init__(self, folder: Path, fingerprint: str):
        self.folder, self.fingerprint = Path(folder), fingerprint
        self.docs_path, self.rows_path = self.folder / "documents.parquet", self.folder / "indicators.parquet"
        self.stamp_path = self.folder / "stamp.json"

    def load(self) -> tuple[pl.DataFrame, pl.DataFrame] | None:
        if not self.stamp_path.exists():
            return None
        try:
            stamp = read_stamp(self.stamp_path)
            if stamp.get("fingerprint") != self.fingerprint or stamp.get("polars") != pl.__version__:
                print(f"[parse] {self.folder}: written by another version of the extractor, its rule data or "
                      "catalogue (or of polars): parsing every document again", file=sys.stderr)
                return None
            if stamp.get("documents") != _sha(self.docs_path) or stamp.get("indicators") != _sha(self.rows_path):
                print(f"warning: {self.folder}: the table store does not match its checksum (edited by hand?); "
                      "discarded, parsing every document again", file=sys.stderr)
                return None
            docs = pl.read_parquet(self.docs_path)
            rows = pl.read_parquet(self.rows_path)
            if docs.schema != pl.Schema(DOCS_SCHEMA) or rows.schema != pl.Schema(ROWS_SCHEMA):
                print(f"[parse] {self.folder}: written by an earlier planwatch (other columns): parsing every "
                      "document again", file=sys.stderr)
                return None
            return docs, rows
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            print(f"warning: {self.folder}: unreadable table store ({type(exc).__name__}); discarded, parsing "
                  "every document again", file=sys.stderr)
            return None

    def save(self, docs: pl.DataFrame, rows: Path) -> None:
        """Store the documents, and their rows as a copy of ``rows``: the published indicators table,
        which holds exactly these rows in ROWS_ORDER (copied, not encoded a second time)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        docs = docs.select(list(DOCS_SCHEMA)).cast(DOCS_SCHEMA).sort("store_key")
        with atomic_path(self.docs_path) as tmp:
            docs.write_parquet(tmp, statistics=False, compression="zstd")
        with atomic_path(self.rows_path) as tmp:
            shutil.copyfile(rows, tmp)
        write_text(self.stamp_path, json.dumps({"fingerprint": self.fingerprint, "polars": pl.__version__,
                                                "documents": _sha(self.docs_path), "indicators": _sha(self.rows_path)},
                                               sort_keys=True) + "\n")
