"""The parse stage: every document in data/raw → documents.parquet and indicators.parquet.

A document that cannot be read or recognised is quarantined (data/interim/quarantine.csv,
with the reason) and the other documents' results are still written.
"""
from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

import polars as pl

from planwatch import schemas
from planwatch.catalogue import load_catalogue
from planwatch.errors import PlanwatchError
from planwatch.io import write_metrics, write_table
from planwatch.parse.extract import extract
from planwatch.parse.convert import read_document
from planwatch.records import DocumentFacts, Record

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


def parse_document(path: Path, region: str | None = None, doc_year: int | None = None, catalogue=None,
                   text_out: Path | None = None):
    """(DocumentFacts, records) of one file; raises PlanwatchError naming the file.

    The text of record (what spans point into: the file itself for text, the converted
    text for HTML, Word and PDF) is written to text_out when given."""
    data, text, encoding = read_document(path)
    if text_out is not None:
        text_out.parent.mkdir(parents=True, exist_ok=True)
        text_out.write_text(text, encoding="utf-8")
    facts, records = extract(text, region=region, doc_year=doc_year, catalogue=catalogue, name=str(path))
    doc = DocumentFacts(
        doc_id=path.stem, file=path.name, sha256=hashlib.sha256(data).hexdigest(),
        region=facts.region, region_level=facts.region_level, parent_region=facts.parent_region,
        doc_type=facts.doc_type, doc_year=facts.doc_year, published=facts.published, title=facts.title,
        n_chars=len(text), encoding=encoding,
    )
    return doc, records


def extractor_fingerprint(reference_dir: Path) -> str:
    """Hash of everything that decides what the extractor returns: its code, its rule data
    and the reference data. A change to any of them re-parses every document."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = sorted(here.glob("*.py")) + [here / "grammar.yml", here.parent / "catalogue.py", here.parent / "records.py",
                                         reference_dir / "indicators.yml", reference_dir / "regions.yml"]
    for f in files:
        if f.exists():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _cached_parse(path: Path, sha: str, catalogue, cache_dir: Path, fingerprint: str, text_out: Path):
    """parse_document with a per-document cache keyed by content hash and extractor fingerprint."""
    key = cache_dir / f"{sha[:32]}-{fingerprint}.json"
    if key.exists():
        data = json.loads(key.read_text(encoding="utf-8"))
        text_out.parent.mkdir(parents=True, exist_ok=True)
        text_out.write_text(data["text"], encoding="utf-8")
        doc = DocumentFacts(**{**data["doc"], "doc_id": path.stem, "file": path.name})
        return doc, [Record(**r) for r in data["records"]], key, True
    doc, records = parse_document(path, catalogue=catalogue, text_out=text_out)
    cache_dir.mkdir(parents=True, exist_ok=True)
    key.write_text(json.dumps({"doc": doc.as_row(), "records": [r.as_row() for r in records],
                               "text": text_out.read_text(encoding="utf-8")}, ensure_ascii=False), encoding="utf-8")
    return doc, records, key, False


def run(raw_dir: str, reference_dir: str, interim_dir: str, processed_dir: str, metrics_path: str) -> dict:
    raw, interim, processed = Path(raw_dir), Path(interim_dir), Path(processed_dir)
    catalogue = load_catalogue(reference_dir)
    fingerprint = extractor_fingerprint(Path(reference_dir))
    cache_dir = interim / "parse_cache"
    docs, rows, quarantine, used, n_cached = [], [], [], set(), 0
    manifest = read_manifest(raw)
    for i, entry in enumerate(manifest, start=1):
        path = raw / entry["file"]
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if entry.get("sha256") and sha != entry["sha256"]:
                raise PlanwatchError(f"{path}: content differs from the sha256 in manifest.csv; "
                                     "raw documents are immutable — add a changed document as a new file")
            doc, records, key, cached = _cached_parse(path, sha, catalogue, cache_dir, fingerprint,
                                                      interim / "text" / f"{path.stem}.txt")
        except (PlanwatchError, OSError) as exc:
            quarantine.append({"file": entry["file"], "reason": str(exc)})
            print(f"[parse {i}/{len(manifest)}] {entry['file']}: quarantined: {exc}", file=sys.stderr)
            continue
        used.add(key.name)
        n_cached += cached
        print(f"[parse {i}/{len(manifest)}] {entry['file']}: {len(records)} rows{' (cached)' if cached else ''}", file=sys.stderr)
        docs.append(doc.as_row())
        rows.extend(r.as_row(doc_id=doc.doc_id, region=doc.region) for r in records)
    for stale in cache_dir.glob("*.json") if cache_dir.exists() else []:
        if stale.name not in used:
            stale.unlink()
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
        "documents": len(docs), "documents_from_cache": n_cached, "quarantined": len(quarantine),
        "indicator_rows": indicators.height,
        "catalogue_rows": indicators.filter(~pl.col("indicator").str.starts_with("other:")).height,
        "actual_rows": indicators.filter(pl.col("kind") == "actual").height,
        "target_rows": indicators.filter(pl.col("kind") == "target").height,
        "table_rows": indicators.filter(pl.col("origin") == "table").height,
    }
    write_metrics(metrics, metrics_path)
    return metrics
