"""Child process of convert.sandboxed: read a .docx or .pdf from stdin, print its text as JSON.

    python -m planwatch.parse.sandbox docx|pdf NAME MAX_UNPACKED_MB  < file

Runs under the CPU and address-space limits its parent sets; every failure is one JSON line.
"""
from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    kind, name, max_unpacked = argv[0], argv[1], float(argv[2])
    data = sys.stdin.buffer.read()
    try:
        from planwatch.errors import PlanwatchError
        from planwatch.parse.convert import docx_to_text, pdf_to_text
        from planwatch.parse.limits import Limits
        try:
            text = docx_to_text(data, name, Limits(max_unpacked_mb=max_unpacked)) if kind == "docx" else pdf_to_text(data, name)
            out = {"text": text}
        except PlanwatchError as exc:
            out = {"error": str(exc)}
    except MemoryError:
        out = {"error": f"{name}: reading it needs more memory than allowed (a compression bomb?); not converted"}
    except RecursionError:
        out = {"error": f"{name}: nested too deeply to read; not converted"}
    except Exception as exc:     # a converter library's own failure on a hostile file: one line, not a traceback
        out = {"error": f"{name}: could not be read ({type(exc).__name__}: {str(exc)[:200]})"}
    sys.stdout.write(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
