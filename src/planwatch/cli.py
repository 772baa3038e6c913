"""Command line: `python -m planwatch extract FILE` and `python -m planwatch add FILE`.

Errors are one line on stderr with a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
from pathlib import Path

from planwatch.errors import PlanwatchError
from planwatch.records import INDICATOR_COLUMNS


def _extract(args) -> int:
    from planwatch.parse.stage import parse_document
    path = Path(args.file)
    if not path.is_file():
        raise PlanwatchError(f"{path}: no such file")
    doc, records = parse_document(path, region=args.region, doc_year=args.doc_year)
    rows = [r.as_row(doc_id=doc.doc_id, region=doc.region) for r in records]
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "csv":
        w = csv.DictWriter(sys.stdout, INDICATOR_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        print(f"# {doc.doc_id}: {doc.region} ({doc.region_level}) {doc.doc_type} {doc.doc_year} — {len(rows)} rows")
        for r in rows:
            val = "" if r["value"] is None else f"{r['value']:g}{r['unit'] or ''}"
            gr = "" if r["growth_pct"] is None else f"{r['growth_pct']:+g}%"
            print(f"{r['period_year']} {r['kind']:<6} {r['indicator']:<36} {val:>14} {gr:>8} {r['qualifier'] or '':<8} "
                  f"{r['origin']:<5} [{r['char_start']}:{r['char_end']}]")
    return 0


def _add(args) -> int:
    from planwatch.parse.stage import MANIFEST_FIELDS, parse_document, read_manifest
    src = Path(args.file)
    if not src.is_file():
        raise PlanwatchError(f"{src}: no such file")
    raw_dir = Path(args.raw_dir)
    doc, records = parse_document(src, region=args.region, doc_year=args.doc_year)
    manifest = read_manifest(raw_dir) if (raw_dir / "manifest.csv").exists() else []
    for row in manifest:
        if row.get("sha256") == doc.sha256:
            raise PlanwatchError(f"{src}: already in the corpus as {row['file']} (same content)")
    name = args.name or f"{doc.region}_{doc.doc_year}_{doc.doc_type}_{doc.sha256[:8]}{src.suffix.lower()}"
    dest = raw_dir / name
    if dest.exists():
        raise PlanwatchError(f"{dest}: a different file with this name exists; pass --name")
    raw_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    manifest.append({"file": name, "original_name": src.name, "sha256": doc.sha256, "note": args.note or (doc.title or "")})
    buf = io.StringIO()
    w = csv.DictWriter(buf, MANIFEST_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows({k: r.get(k, "") for k in MANIFEST_FIELDS} for r in manifest)
    (raw_dir / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")
    print(f"added {dest}: {doc.region} ({doc.region_level}), {doc.doc_type} {doc.doc_year}, "
          f"{len(records)} indicator statements; run `dvc repro` to rebuild")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="planwatch", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="print the indicator rows of one document")
    e.add_argument("file")
    e.add_argument("--region", help="region name, overrides detection (e.g. 博山区)")
    e.add_argument("--doc-year", type=int, help="year of the plan or report, overrides detection")
    e.add_argument("--format", choices=["csv", "json", "table"], default="table")
    e.set_defaults(func=_extract)
    a = sub.add_parser("add", help="put a new document into data/raw with a manifest row")
    a.add_argument("file")
    a.add_argument("--region")
    a.add_argument("--doc-year", type=int)
    a.add_argument("--name", help="file name in data/raw (default: region_year_type_hash)")
    a.add_argument("--note")
    a.add_argument("--raw-dir", default="data/raw")
    a.set_defaults(func=_add)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except PlanwatchError as exc:
        print(f"planwatch: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"planwatch: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
