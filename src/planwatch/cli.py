"""Command line: `python -m planwatch extract FILE`, `python -m planwatch add FILE` and
`python -m planwatch text DOC_ID [--span START:END]` (a text of record, or the span of a row).

Errors are one line on stderr with a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from pathlib import Path

from planwatch import __version__, native, schemas
from planwatch.errors import PlanwatchError
from planwatch.io import CONTROL
from planwatch.parse.limits import Limits


_SAFE = re.compile(r"[^\w.-]")
_STEM = re.compile(r"^[^\W_][\w.-]{0,119}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
MAX_NOTE = 500


def _limits(args) -> Limits:
    return Limits(args.max_file_mb, args.max_unpacked_mb, args.max_line_chars, args.max_statements)


def _text_arg(value: str | None, what: str, max_len: int) -> str | None:
    """A user-given text (note, region) as clean UTF-8, or one line saying why not."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PlanwatchError(f"{what} is not valid UTF-8 text; give it in UTF-8") from None
    if _CONTROL.search(value):
        raise PlanwatchError(f"{what} contains a control character or line break; give it on one line")
    if len(value) > max_len:
        raise PlanwatchError(f"{what} is {len(value)} characters long; at most {max_len}")
    return value


def _region_arg(value: str | None) -> str | None:
    value = _text_arg(value, "--region", 40)
    from planwatch.catalogue import REGION_NAME
    if value is not None and not REGION_NAME.match(value):
        raise PlanwatchError(f"--region {value!r}: a region name is letters (博山区, 淄博市), not a path or symbols")
    return value


def safe_name(text: str) -> str:
    """A file-name-safe form of a region or other label: letters (any script), digits, . _ -.

    >>> safe_name("../../x"), safe_name("博山区"), safe_name("a/b c")
    ('x', '博山区', 'a_b_c')
    """
    return _SAFE.sub("_", text).strip("._") or "document"


def one_line(message: str) -> str:
    """A message as one line: a line break or terminal escape in a file name is shown escaped.

    >>> one_line("a\\nb.txt: no such file"), one_line("\\x1b[2J.txt")
    ('a\\\\nb.txt: no such file', '\\\\x1b[2J.txt')
    """
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)


def _display(path: Path) -> str:
    """A path as text even when the file system gave undecodable bytes."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def _input_file(name: str) -> Path:
    """The document a command reads: a regular file (a folder, FIFO or device is refused, not waited on)."""
    path = Path(name)
    if not path.exists():
        raise PlanwatchError(f"{_display(path)}: no such file")
    if not path.is_file():
        raise PlanwatchError(f"{_display(path)}: not a regular file")
    return path


def _published(path: Path, region: str | None, doc_year: int | None, limits, data: bytes | None = None):
    """The document, the rows the parse stage would publish, and the text of record their spans
    point into. A value its span does not say (1e20 from a 40-digit number, inf) is withheld and
    said so on stderr, as the stage lists it in quarantine.csv."""
    import tempfile

    from planwatch.parse.stage import parse_document, verified
    with tempfile.TemporaryDirectory() as tmp:
        text_out = Path(tmp) / "text.txt"
        doc, records = parse_document(path, region=region, doc_year=doc_year, limits=limits, data=data, text_out=text_out)
        text = text_out.read_text(encoding="utf-8")
    records, rejected = verified(text, records)
    for reason in rejected:
        print(one_line(f"planwatch: {_display(path)}: {reason}"), file=sys.stderr)
    return doc, records, text


def _extract(args) -> int:
    from planwatch.io import spreadsheet_safe
    from planwatch.parse.forms import indicator_frame
    path = _input_file(args.file)
    doc, records, text = _published(path, _region_arg(args.region), args.doc_year, _limits(args))
    # the same table edge as the parse stage (target_form and hard included)
    frame = indicator_frame([r.as_row(doc_id=doc.doc_id, region=doc.region) for r in records],
                            [text[r.char_start:r.char_end] for r in records])
    # CSV is for spreadsheets: a cell that would run as a formula gets a leading ' (io.spreadsheet_safe)
    rows = (spreadsheet_safe(frame) if args.format == "csv" else frame).to_dicts()
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "csv":
        w = csv.DictWriter(sys.stdout, list(schemas.INDICATORS), lineterminator="\n")
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
    from planwatch.io import atomic_path, confined, write_text
    from planwatch.parse.convert import SUFFIXES, check_suffix, content_kind_mismatch, read_bytes_within
    from planwatch.parse.stage import MANIFEST_FIELDS, read_manifest
    src = _input_file(args.file)
    note = _text_arg(args.note, "--note", MAX_NOTE)
    region = _region_arg(args.region)
    if args.name is not None:
        _text_arg(args.name, "--name", 120)
    raw_dir = Path(args.raw_dir)
    if raw_dir.exists() and not raw_dir.is_dir():
        raise PlanwatchError(f"{raw_dir}: --raw-dir is not a folder")
    limits = _limits(args)
    check_suffix(src)
    data = read_bytes_within(src, limits)    # read once, within the limit: parsed, hashed and copied from these bytes
    mismatch = content_kind_mismatch(_display(src), data[:8])
    if mismatch:
        raise PlanwatchError(mismatch)
    # the count it prints is of the rows the stage will publish (withheld ones are said on stderr)
    doc, records, _text = _published(src, region, args.doc_year, limits, data=data)
    manifest = read_manifest(raw_dir) if (raw_dir / "manifest.csv").exists() else []
    for row in manifest:
        if row.get("sha256") == doc.sha256:
            raise PlanwatchError(f"{_display(src)}: already in the corpus as {row['file']} (same content)")
    suffix = src.suffix.lower()
    name = args.name or f"{safe_name(doc.region)}_{doc.doc_year}_{doc.doc_type}_{doc.sha256[:8]}{suffix}"
    if name.startswith(".") or name == "manifest.csv" or Path(name).suffix.lower() not in SUFFIXES:
        raise PlanwatchError(f"--name {name!r}: a document file name ending in one of {', '.join(SUFFIXES)}, "
                             "not starting with a dot")
    if Path(name).suffix.lower() != suffix:
        raise PlanwatchError(f"--name {name!r}: keep the file's own type ({suffix or 'no suffix'})")
    if not _STEM.match(Path(name).stem):
        raise PlanwatchError(f"--name {name!r}: the name before the suffix (the document id) is letters, digits, . _ -")
    dest = confined(raw_dir, name, what="--name")
    if dest.exists():
        raise PlanwatchError(f"{dest}: a different file with this name exists; pass --name")
    stem = Path(name).stem
    clash = next((r["file"] for r in manifest if Path(r["file"]).stem.casefold() == stem.casefold()), None)
    if clash:
        raise PlanwatchError(f"{name}: its document id {stem!r} is taken by {clash}; pass another --name")
    raw_dir.mkdir(parents=True, exist_ok=True)
    manifest.append({"file": name, "original_name": os.fsencode(src.name).decode("utf-8", "backslashreplace"),
                     "sha256": doc.sha256, "note": note if note is not None else (doc.title or ""),
                     "region": region or "", "doc_year": args.doc_year or ""})
    buf = io.StringIO()
    w = csv.DictWriter(buf, MANIFEST_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows({k: r.get(k, "") for k in MANIFEST_FIELDS} for r in manifest)
    with atomic_path(dest) as tmp:          # the bytes that were read and hashed, then the manifest row
        tmp.write_bytes(data)
    try:
        write_text(raw_dir / "manifest.csv", buf.getvalue())
    except BaseException:
        dest.unlink(missing_ok=True)        # no file without its manifest row
        raise
    print(f"added {dest}: {doc.region} ({doc.region_level}), {doc.doc_type} {doc.doc_year}, "
          f"{len(records)} indicator statement{'' if len(records) == 1 else 's'}; run `dvc repro` to rebuild")
    return 0


def _span(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{1,12}):(\d{1,12})", text)
    if not m or int(m.group(1)) > int(m.group(2)):
        raise argparse.ArgumentTypeError(f"{text!r} is not START:END (character offsets, START <= END)")
    return int(m.group(1)), int(m.group(2))


def _text(args) -> int:
    from planwatch.texts import print_text
    if not _STEM.match(args.doc_id):
        raise PlanwatchError(f"{args.doc_id!r} is not a document id (a file name in data/raw without its suffix)")
    print_text(args.doc_id, args.interim_dir, args.span)
    return 0


def _year(text: str) -> int:
    from planwatch.parse.stage import YEAR_RANGE, hint_year
    year = hint_year(text)
    if year is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}")
    return year


def _add_limits(parser: argparse.ArgumentParser) -> None:
    d = Limits()
    g = parser.add_argument_group("input limits")
    g.add_argument("--max-file-mb", type=float, default=d.max_file_mb, help=f"largest file (default {d.max_file_mb:g})")
    g.add_argument("--max-unpacked-mb", type=float, default=d.max_unpacked_mb,
                   help=f"largest a .docx may inflate to (default {d.max_unpacked_mb:g})")
    g.add_argument("--max-line-chars", type=int, default=d.max_line_chars, help=f"longest line (default {d.max_line_chars})")
    g.add_argument("--max-statements", type=int, default=d.max_statements,
                   help=f"most indicator rows per document (default {d.max_statements})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="planwatch", description=__doc__)
    p.add_argument("--version", action="version", version=f"planwatch {__version__}; extractor: {native.status()}")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="print the indicator rows of one document")
    e.add_argument("file")
    e.add_argument("--region", help="region name, overrides detection (e.g. 博山区)")
    e.add_argument("--doc-year", type=_year, help="year of the plan or report, overrides detection")
    e.add_argument("--format", choices=["csv", "json", "table"], default="table")
    _add_limits(e)
    e.set_defaults(func=_extract)
    a = sub.add_parser("add", help="put a new document into data/raw with a manifest row")
    a.add_argument("file")
    a.add_argument("--region", help="region name, overrides detection; stored in the manifest for the parse stage")
    a.add_argument("--doc-year", type=_year, help="year of the plan or report; stored in the manifest")
    a.add_argument("--name", help="file name in data/raw (default: region_year_type_hash)")
    a.add_argument("--note", help=f"a note for the manifest (one line, at most {MAX_NOTE} characters)")
    a.add_argument("--raw-dir", default="data/raw")
    _add_limits(a)
    a.set_defaults(func=_add)
    t = sub.add_parser("text", help="print a document's text of record, or the span a row points at")
    t.add_argument("doc_id", help="the document id (its file name in data/raw without the suffix; doc_id in the tables)")
    t.add_argument("--span", type=_span, help="START:END, a row's char_start:char_end")
    t.add_argument("--interim-dir", default="data/interim")
    t.set_defaults(func=_text)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except PlanwatchError as exc:
        print(f"planwatch: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # a read that fails without a file name (EINVAL from /proc/self/pagemap) names the command's file, not '.'
        name = exc.filename or getattr(args, "file", None) or getattr(args, "doc_id", "")
        print(one_line(f"planwatch: {_display(Path(str(name)))}: {exc.strerror or exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("planwatch: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:        # a defect: one line naming the input, not a traceback (PLANWATCH_DEBUG=1 shows it)
        if os.environ.get("PLANWATCH_DEBUG"):
            raise
        where = getattr(args, "file", None) or getattr(args, "doc_id", None) or args.command
        print(one_line(f"planwatch: {_display(Path(str(where)))}: internal error ({type(exc).__name__}: {exc}); "
                       "please report it with this input (PLANWATCH_DEBUG=1 shows where)"), file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
