"""The parse stage: every document in data/raw → documents.parquet and indicators.parquet.

A document that cannot be read or recognised is quarantined (data/interim/quarantine.csv,
with the reason) and the other documents' results are still written; then the stage fails
(so `dvc repro` does not publish silently without it) unless ``parse.allow_quarantine`` is
set, in which case the reports show the quarantine in a banner.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import polars as pl

from planwatch import schemas
from planwatch.catalogue import REGION_NAME, load_catalogue
from planwatch.errors import PlanwatchError
from planwatch.gazetteer import load_gazetteer
from planwatch.io import confined, write_metrics, write_table, write_text
from planwatch.params import check as check_params
from planwatch.parse.convert import check_suffix, read_bytes_within, read_document, to_text
from planwatch.parse.document import UNKNOWN_REGION
from planwatch.parse.extract import extract
from planwatch.parse.forms import indicator_frame
from planwatch.parse.limits import Limits
from planwatch.parse.store import DOCS_SCHEMA, ROWS_ORDER, ROWS_SCHEMA, TableStore
from planwatch.parse.verify import span_problem
from planwatch.records import DocumentFacts, Record
from planwatch.texts import TextStore

MANIFEST_FIELDS = ["file", "original_name", "sha256", "note", "region", "doc_year"]
YEAR_RANGE = (1949, 2100)    # a document year outside this is a typo (9999), not a plan


def hint_year(text: str) -> int | None:
    """The year a hint gives (--doc-year, the manifest's doc_year), or None when it is not one.
    ASCII digits only: "²⁰²⁶".isdigit() is true, and int() refuses it.

    >>> hint_year("2026"), hint_year("²⁰²⁶"), hint_year("9999")
    (2026, None, None)
    """
    if not (text.isascii() and text.isdigit()) or not (YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]):
        return None
    return int(text)


def read_manifest(raw_dir: Path) -> list[dict]:
    """Rows of data/raw/manifest.csv; older manifests without region/doc_year columns still read."""
    path = raw_dir / "manifest.csv"
    if not path.exists():
        raise PlanwatchError(f"{path}: manifest missing; add documents with `python -m planwatch add FILE`")
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:    # a spreadsheet saves a BOM before `file`
            rows = list(csv.DictReader(f))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise PlanwatchError(f"{path}: not a readable CSV manifest ({exc})") from None
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, start=2):
        name = row.get("file") or ""
        if not name:
            raise PlanwatchError(f"{path}:{i}: row has no file name")
        try:
            confined(raw_dir, name, what="file in manifest.csv")
        except PlanwatchError as exc:
            raise PlanwatchError(f"{path}:{i}: {exc}") from None
        stem = Path(name).stem
        if stem in seen:
            raise PlanwatchError(f"{path}:{i}: {name} has the same document id ({stem}) as line {seen[stem]}; "
                                 "rename one of them")
        seen[stem] = i
        region = (row.get("region") or "").strip()
        if region and not REGION_NAME.match(region):       # as `add --region` refuses it: it names a report page
            raise PlanwatchError(f"{path}:{i}: region {region!r} is not a region name (letters, as in regions.yml), not a path, "
                                 "markup or symbols")
        year = (row.get("doc_year") or "").strip()
        if year and hint_year(year) is None:
            raise PlanwatchError(f"{path}:{i}: doc_year {year!r} is not a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}")
    return rows


def parse_document(path: Path, region: str | None = None, doc_year: int | None = None, catalogue=None,
                   text_out: Path | None = None, limits: Limits | None = None, data: bytes | None = None):
    """(DocumentFacts, records) of one file; raises PlanwatchError naming the file.

    The text of record (what spans point into: the file itself for text, the converted
    text for HTML, Word and PDF) is written to text_out when given. ``data`` is the file's
    bytes when the caller has already read (and hashed) them: they are not read again."""
    limits = limits or Limits()
    if data is None:
        data, text, encoding = read_document(path, limits)
    else:
        check_suffix(path)
        text, encoding = to_text(data, str(path), limits)
    if text_out is not None:
        write_text(text_out, text)
    facts, records = extract(text, region=region, doc_year=doc_year, catalogue=catalogue, name=str(path))
    if len(records) > limits.max_statements:
        raise limits.refuse(str(path), f"{len(records):,} indicator statements", "max_statements",
                            f"{limits.max_statements:,}")
    if not (YEAR_RANGE[0] <= facts.doc_year <= YEAR_RANGE[1]):
        raise PlanwatchError(f"{path}: document year {facts.doc_year} is not between {YEAR_RANGE[0]} and "
                             f"{YEAR_RANGE[1]}; pass --doc-year YEAR")
    # A document whose region could not be told keeps its rows under a name of its own, so two
    # such documents never merge into one series; validation warns about it.
    region_name = f"{UNKNOWN_REGION}({path.stem})" if facts.region == UNKNOWN_REGION else facts.region
    doc = DocumentFacts(
        doc_id=path.stem, file=path.name, sha256=hashlib.sha256(data).hexdigest(),
        region=region_name, region_level=facts.region_level, parent_region=facts.parent_region,
        doc_type=facts.doc_type, doc_year=facts.doc_year, published=facts.published, title=facts.title,
        n_chars=len(text), encoding=encoding, region_code=facts.region_code,
    )
    return doc, records


def extractor_fingerprint(reference_dir: Path) -> str:
    """Hash of everything that decides what the extractor returns: its code, its rule data
    and the reference data. A change to any of them re-parses every document."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = sorted(here.glob("*.py")) + sorted(here.glob("*.yml")) + [here / "t2s.txt", here.parent / "catalogue.py", here.parent / "records.py",
                                         here.parent / "refdata.py",
                                         here.parent / "gazetteer.py", reference_dir / "indicators.yml",
                                         reference_dir / "regions.yml", reference_dir / "gazetteer.csv"]
    for f in files:
        if f.exists():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _hints_key(region: str | None, doc_year: int | None) -> str:
    if not region and not doc_year:
        return ""
    return "-" + hashlib.sha256(f"{region or ''}|{doc_year or ''}".encode()).hexdigest()[:8]


def verified(text: str, records: list[Record]) -> tuple[list[Record], list[str]]:
    """The records whose values re-parse from their spans, and a reason for each one that does not."""
    kept, rejected = [], []
    for r in records:
        problem = span_problem(text, r)
        if problem:
            rejected.append(f"row [{r.char_start}, {r.char_end}) {r.indicator}: {problem}; row not published")
        else:
            kept.append(r)
    return kept, rejected


_CTX: dict = {}     # set by run() before the worker processes fork: catalogue, limits, folders


def _read_entry(entry: dict, seen: tuple | None = None) -> dict:
    """The manifest entry's file, read and hashed once: its bytes and its cache key, or why it cannot be.

    ``seen`` is the (size, mtime_ns, sha256) the table store recorded for this file: while the file
    still has that size and mtime (and the manifest's sha256 agrees) it is not read again — as DVC
    trusts its own state database — and its bytes are read only if it has to be parsed."""
    raw, limits = _CTX["raw"], _CTX["limits"]
    path = raw / entry["file"]
    year = (entry.get("doc_year") or "").strip()
    region_hint, year_hint = (entry.get("region") or "").strip() or None, int(year) if year else None
    out = {"file": entry["file"], "path": path, "region": region_hint, "doc_year": year_hint, "quarantine": [],
           "entry": entry}
    try:
        if not path.is_file():           # a FIFO, a device or a folder would block or mislead
            raise PlanwatchError(f"{path}: not a regular file")
        st = path.stat()
        size = st.st_size
        if size > limits.max_file_mb * 1e6:
            raise limits.refuse(str(path), f"the file is {size / 1e6:,.1f} MB", "max_file_mb", f"{limits.max_file_mb:g} MB")
        if seen is not None and (size, st.st_mtime_ns) == tuple(seen[:2]) and entry.get("sha256") in (None, "", seen[2]):
            data, sha = None, seen[2]
        else:
            data = read_bytes_within(path, limits)    # read once: hashed here, parsed from these bytes (not a second read)
            sha = hashlib.sha256(data).hexdigest()
        if entry.get("sha256") and sha != entry["sha256"]:
            raise PlanwatchError(f"{path}: content differs from the sha256 in manifest.csv; "
                                 "raw documents are immutable — add a changed document as a new file")
    except (PlanwatchError, OSError) as exc:
        reason = str(exc) if isinstance(exc, PlanwatchError) else f"{path}: {exc.strerror or exc}"
        out["quarantine"].append({"file": entry["file"], "reason": reason})
        return out
    out.update(data=data, sha=sha, raw_size=size, raw_mtime_ns=st.st_mtime_ns,
               key=f"{sha[:32]}-{_CTX['fingerprint']}{_hints_key(region_hint, year_hint)}")
    return out


def _parse_entry(item: dict) -> dict:
    """One read manifest entry → its document row and its rows as a frame (or its quarantine reason).
    Runs in a worker process; all it writes is the document's text of record, into the run's staging folder."""
    limits = _CTX["limits"]
    path = item["path"]
    out = {"file": item["file"], "doc": None, "rows": None, "quarantine": list(item["quarantine"]), "key": item.get("key"),
           "rejected": []}
    if out["quarantine"]:
        return out
    try:
        text_out = _CTX["staging"] / f"{path.stem}.txt"      # packed into the text store by run()
        doc, records = parse_document(path, region=item["region"], doc_year=item["doc_year"], catalogue=_CTX["catalogue"],
                                      text_out=text_out, limits=limits, data=item["data"])
        text = text_out.read_text(encoding="utf-8")
        records, rejected = verified(text, records)     # only rows whose values re-parse from their spans
    except (PlanwatchError, OSError) as exc:
        reason = str(exc) if isinstance(exc, PlanwatchError) else f"{path}: {exc.strerror or exc}"
        out["quarantine"].append({"file": item["file"], "reason": reason})
        return out
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, AssertionError) as exc:
        # a converter library failing on a hostile file must not take the other documents with it
        out["quarantine"].append({"file": item["file"],
                                  "reason": f"{path}: could not be read ({type(exc).__name__}: {str(exc)[:200]})"})
        return out
    out["quarantine"].extend({"file": item["file"], "reason": reason} for reason in rejected)
    # the table's edge: records → rows; target_form and hard are polars expressions over them (forms.py)
    out.update(doc=doc.as_row(), rejected=rejected, raw_size=item["raw_size"], raw_mtime_ns=item["raw_mtime_ns"],
               text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),   # from memory, not a second read
               rows=indicator_frame([r.as_row(doc_id=doc.doc_id, region=doc.region) for r in records],
                                    [text[r.char_start:r.char_end] for r in records]))
    return out


STORE_DIR = "_tables"   # the table store's folder inside the parse cache (parse/store.py)


PARALLEL_FROM = 100  # documents: below this, starting worker processes (~2 s) costs more than it saves


def _init_worker(ctx: dict) -> None:
    _CTX.update(ctx)          # once per worker: the catalogue's compiled matchers are reused across documents


def _map_in_order(fn, items: list):
    """fn over items, in order, on every core for a corpus. Workers are spawned, not forked: a fork
    of a process whose polars thread pool holds a lock can deadlock."""
    workers = os.cpu_count() or 1
    if workers <= 1 or len(items) < PARALLEL_FROM:
        yield from (fn(x) for x in items)
        return
    import multiprocessing as mp
    with mp.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=(dict(_CTX),)) as pool:
        yield from pool.imap(fn, items, chunksize=max(1, min(32, len(items) // (workers * 16))))


def run(raw_dir: str, reference_dir: str, interim_dir: str, processed_dir: str, metrics_path: str,
        allow_quarantine: bool = False, max_file_mb: float = 50.0, max_unpacked_mb: float = 200.0,
        max_line_chars: int = 100_000, max_statements: int = 20_000) -> dict:
    p = check_params("parse", allow_quarantine=allow_quarantine, max_file_mb=max_file_mb, max_unpacked_mb=max_unpacked_mb,
                     max_line_chars=max_line_chars, max_statements=max_statements)
    limits = Limits(p.max_file_mb, p.max_unpacked_mb, p.max_line_chars, p.max_statements)
    raw, interim, processed = Path(raw_dir), Path(interim_dir), Path(processed_dir)
    catalogue = load_catalogue(reference_dir)
    load_gazetteer(reference_dir)       # a broken gazetteer stops the stage in one line, not every document in quarantine
    fingerprint = extractor_fingerprint(Path(reference_dir))
    cache_dir = interim / "parse_cache"
    manifest = read_manifest(raw)
    _CTX.update(raw=raw, interim=interim, catalogue=catalogue, fingerprint=fingerprint, limits=limits)
    texts = TextStore(interim / "text", cache_dir / "texts_state.json")
    intact = {doc for docs in texts.intact().values() for doc in docs}
    store = TableStore(cache_dir / STORE_DIR, fingerprint)
    stored = store.load()
    hits, hit_docs, misses, quarantine, restat = [], [], [], [], {}
    by_key, seen = {}, {}
    if stored is not None:
        sdocs, srows = stored
        by_key = {d["store_key"]: d for d in sdocs.select("store_key", "rejected").to_dicts()}
        seen = {f: (n, t, h) for f, n, t, h in sdocs.select("file", "raw_size", "raw_mtime_ns", "sha256").iter_rows()}
    # stat, and read and hash only what changed since the last run: a changed raw file is caught
    items = [_read_entry(e, seen.get(e["file"])) for e in manifest]
    rewritten = 0
    for it in items:
        if it["quarantine"]:
            quarantine.extend(it["quarantine"])
            print(f"[parse] {it['file']}: quarantined: {it['quarantine'][0]['reason']}", file=sys.stderr)
            continue
        sk = f"{it['file']}|{it['key']}"
        known = by_key.get(sk)
        if known is not None and it["path"].stem in intact:
            hits.append(sk)
            hit_docs.append(it["path"].stem)
            if it.pop("data") is not None:       # read again (a new mtime, same content): remember its new state
                restat[sk] = (it["raw_size"], it["raw_mtime_ns"])
            quarantine.extend({"file": it["file"], "reason": r} for r in known["rejected"])
        else:
            rewritten += known is not None
            misses.append(it if it["data"] is not None else _read_entry(it["entry"]))    # its bytes, to parse
    frames, new_docs = [], []
    every = max(1, len(misses) // 20)          # progress: about twenty lines for a large corpus
    if hits:
        print(f"[parse] {len(hits):,} of {len(items):,} documents unchanged since the last run (from the table store)",
              file=sys.stderr)
    if rewritten:
        print(f"[parse] {rewritten:,} document(s) whose text of record was missing or edited: parsed again", file=sys.stderr)
    # each new text of record is written by its worker into a staging folder, then packed into the
    # text store: new ones added, unchanged ones kept, those of removed documents dropped
    interim.mkdir(parents=True, exist_ok=True)
    for left in interim.glob(".texts-*"):        # left by a run that was killed
        shutil.rmtree(left, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".texts-", dir=interim))
    _CTX["staging"] = staging
    try:
        for i, res in enumerate(_map_in_order(_parse_entry, misses), start=1):
            quarantine.extend(res["quarantine"])
            if res["doc"] is None:
                print(f"[parse {i}/{len(misses)}] {res['file']}: quarantined: {res['quarantine'][0]['reason']}", file=sys.stderr)
                continue
            frames.append(res["rows"])
            new_docs.append({**res["doc"], "store_key": f"{res['file']}|{res['key']}", "rejected": res["rejected"],
                             "text_sha256": res["text_sha256"], "raw_size": res["raw_size"], "raw_mtime_ns": res["raw_mtime_ns"]})
            if len(misses) <= 50 or i % every == 0 or i == len(misses):
                print(f"[parse {i}/{len(misses)}] {res['file']}: {res['rows'].height} rows",
                      file=sys.stderr)
        texts.update({Path(d["file"]).stem: staging / f"{Path(d['file']).stem}.txt" for d in new_docs}, keep=hit_docs)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for stale in cache_dir.iterdir() if cache_dir.exists() else []:     # the per-document entries of earlier versions
        if stale.name in (STORE_DIR, "texts_state.json"):
            continue
        if stale.is_dir() and not stale.is_symlink():
            print(f"warning: {stale}: a folder inside the parse cache; removed", file=sys.stderr)
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
    new_store_docs = schemas.frame(new_docs, {**DOCS_SCHEMA, "published": pl.String}).with_columns(
        pl.col("published").str.to_date(strict=False))
    new_rows = pl.concat(frames, how="vertical") if frames else schemas.frame([], schemas.INDICATORS)
    if stored is not None and hits:
        hit_keys = pl.Series("store_key", hits).implode()
        kept = sdocs.filter(pl.col("store_key").is_in(hit_keys))
        if restat:
            t = pl.DataFrame([(k, *v) for k, v in sorted(restat.items())], orient="row",
                             schema={"store_key": pl.String, "_size": pl.Int64, "_mtime": pl.Int64})
            kept = kept.join(t, on="store_key", how="left", maintain_order="left").with_columns(
                pl.coalesce("_size", "raw_size").alias("raw_size"), pl.coalesce("_mtime", "raw_mtime_ns").alias("raw_mtime_ns"))
        store_docs = pl.concat([kept.select(list(DOCS_SCHEMA)), new_store_docs.select(list(DOCS_SCHEMA))], how="vertical")
        store_rows = pl.concat([srows.filter(pl.col("doc_id").is_in(kept["doc_id"].implode())),
                                new_rows.select(list(ROWS_SCHEMA))], how="vertical")
    else:
        store_docs, store_rows = new_store_docs.select(list(DOCS_SCHEMA)), new_rows.select(list(ROWS_SCHEMA))
    documents = store_docs.select(list(schemas.DOCUMENTS))
    indicators = store_rows.select(list(schemas.INDICATORS)).cast(schemas.INDICATORS)
    write_table(documents, interim / "documents.parquet", ["doc_id"], csv_twin=False)
    write_table(indicators, processed / "indicators.parquet", ROWS_ORDER)
    if misses or restat or stored is None or len(hits) != len(by_key):
        store.save(store_docs, processed / "indicators.parquet")
    buf = io.StringIO()
    w = csv.DictWriter(buf, ["file", "reason"], lineterminator="\n")
    w.writeheader()
    w.writerows(sorted(quarantine, key=lambda r: (r["file"], r["reason"])))
    write_text(interim / "quarantine.csv", buf.getvalue())
    metrics = {
        "documents": documents.height, "quarantined": len(quarantine),
        "indicator_rows": indicators.height,
        "catalogue_rows": indicators.filter(~pl.col("indicator").str.starts_with("other:")).height,
        "actual_rows": indicators.filter(pl.col("kind") == "actual").height,
        "target_rows": indicators.filter(pl.col("kind") == "target").height,
        "table_rows": indicators.filter(pl.col("origin") == "table").height,
    }
    write_metrics(metrics, metrics_path)
    # how much came from the caches is a fact about this run, not about the data: returned and
    # printed, never in the metrics file (a warm and a cold build write the same bytes)
    metrics = {**metrics, "documents_from_cache": len(hits)}
    print(f"[parse] {metrics['documents']:,} documents ({metrics['documents_from_cache']:,} from the caches), "
          f"{metrics['indicator_rows']:,} rows", file=sys.stderr)
    # A document left out is lost data: fail loudly unless the user said it is acceptable. A row
    # whose value does not re-parse from its span is only withheld (listed, and shown in the banner).
    lost = [q for q in quarantine if not q["reason"].startswith("row [")]
    if lost and not p.allow_quarantine:
        listed = "; ".join(f"{q['reason']}" for q in sorted(lost, key=lambda r: r["file"])[:3])
        more = f" (and {len(lost) - 3} more)" if len(lost) > 3 else ""
        raise PlanwatchError(f"{len(lost)} document(s) quarantined (listed in {interim / 'quarantine.csv'}): {listed}{more} — "
                             "fix or remove them, or set parse.allow_quarantine: true in params.yaml to publish without them")
    return metrics
