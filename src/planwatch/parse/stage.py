"""The parse stage: every document in data/raw → documents.parquet and indicators.parquet.

A document that cannot be read or recognised is quarantined (data/interim/quarantine.csv,
with the reason) and the other documents' results are still written.
"""
from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import polars as pl

from planwatch import schemas
from planwatch.catalogue import load_catalogue
from planwatch.errors import PlanwatchError
from planwatch.io import write_metrics, write_table
from planwatch.parse.extract import extract
from planwatch.parse.reading import decode
from planwatch.records import DocumentFacts

MANIFEST_FIELDS = ["file", "original_name", "sha256", "note"]


def read_manifest(raw_dir: Path) -> list[dict]:
    path = raw_dir / "manifest.csv"
    if not path.exists():
        raise PlanwatchError(f"{path}: manifest missing; add documents with `python -m planwatch add FILE`")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for i, row in enumerate(rows, start=2):
        if not row.get("file"):
            raise PlanwatchError(f"{path}:{i}: row has no file name")
    return rows


def parse_document(path: Path, region: str | None = None, doc_year: int | None = None, catalogue=None):
    """(DocumentFacts, records) of one file; raises PlanwatchError naming the file."""
    data = path.read_bytes()
    text, encoding = decode(data, str(path))
    facts, records = extract(text, region=region, doc_year=doc_year, catalogue=catalogue, name=str(path))
    doc = DocumentFacts(
        doc_id=path.stem, file=path.name, sha256=hashlib.sha256(data).hexdigest(),
        region=facts.region, region_level=facts.region_level, parent_region=facts.parent_region,
        doc_type=facts.doc_type, doc_year=facts.doc_year, published=facts.published, title=facts.title,
        n_chars=len(text), encoding=encoding,
    )
    return doc, records


def run(raw_dir: str, reference_dir: str, interim_dir: str, processed_dir: str, metrics_path: str) -> dict:
    raw, interim, processed = Path(raw_dir), Path(interim_dir), Path(processed_dir)
    catalogue = load_catalogue(reference_dir)
    docs, rows, quarantine = [], [], []
    manifest = read_manifest(raw)
    for i, entry in enumerate(manifest, start=1):
        path = raw / entry["file"]
        print(f"[parse {i}/{len(manifest)}] {entry['file']}", file=sys.stderr)
        try:
            if entry.get("sha256") and hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
                raise PlanwatchError(f"{path}: content differs from the sha256 in manifest.csv; "
                                     "raw documents are immutable — add a changed document as a new file")
            doc, records = parse_document(path, catalogue=catalogue)
        except (PlanwatchError, OSError) as exc:
            quarantine.append({"file": entry["file"], "reason": str(exc)})
            print(f"  quarantined: {exc}", file=sys.stderr)
            continue
        docs.append(doc.as_row())
        rows.extend(r.as_row(doc_id=doc.doc_id, region=doc.region) for r in records)
    documents = schemas.frame(docs, {**schemas.DOCUMENTS, "published": pl.String}).with_columns(
        pl.col("published").str.to_date(strict=False))
    indicators = schemas.frame(rows, schemas.INDICATORS)
    write_table(documents, interim / "documents.parquet", ["doc_id"], csv_twin=False)
    write_table(indicators, processed / "indicators.parquet",
                ["doc_id", "char_start", "char_end", "indicator", "kind", "period_year", "origin"])
    interim.mkdir(parents=True, exist_ok=True)
    with (interim / "quarantine.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["file", "reason"], lineterminator="\n")
        w.writeheader()
        w.writerows(sorted(quarantine, key=lambda r: r["file"]))
    metrics = {
        "documents": len(docs), "quarantined": len(quarantine), "indicator_rows": indicators.height,
        "actual_rows": indicators.filter(pl.col("kind") == "actual").height,
        "target_rows": indicators.filter(pl.col("kind") == "target").height,
        "table_rows": indicators.filter(pl.col("origin") == "table").height,
    }
    write_metrics(metrics, metrics_path)
    return metrics
