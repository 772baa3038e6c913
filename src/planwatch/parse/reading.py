"""Bytes to text: detect the encoding real government files come in, refuse what is not text.

UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern) and GB18030 (a superset of GBK
and GB2312) are tried in that order; binary and non-Chinese input is refused with one line.
"""
from __future__ import annotations

import codecs
import re

from planwatch.errors import PlanwatchError

CJK = re.compile(r"[\u4e00-\u9fff]")     # a Chinese character (convert.py and document.py use it too)
MIN_CJK_CHARS = 20
# Control characters no text document holds (tab, line feed, CR, VT and form feed are layout; the
# C1 controls U+0080–U+009F come only from a mis-decoded file, NEL is a line end below).
# A NUL inside 3\x0030.1亿元 would split a number into a plausible wrong one: refuse instead.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Line ends other than LF and CRLF: a lone CR (old Mac files), NEL, the Unicode line and paragraph
# separators. Read as they are, a whole plan is one line: no title, no sections, targets read as actuals.
_LINE_ENDS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def decode(data: bytes, name: str = "<input>", require_chinese: bool = True) -> tuple[str, str]:
    """Decode document bytes; return (text, encoding name).

    >>> decode("地区生产总值增长5%".encode("gb18030") * 3)[1]
    'gb18030'
    >>> decode(codecs.BOM_UTF8 + "地区生产总值增长5%".encode() * 3)
    ('地区生产总值增长5%地区生产总值增长5%地区生产总值增长5%', 'utf-8-sig')
    """
    if not data.strip():
        raise PlanwatchError(f"{name}: the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        text, enc = _strict(data, "utf-8-sig", name), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = _strict(data, "utf-16", name), "utf-16"
    elif _looks_utf16(data):
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        text = _strict(data, enc, name)
    elif b"\x00" in data[:4096]:
        raise PlanwatchError(f"{name}: binary file, not a text document (convert it to text first)")
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, enc = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError as exc:
                raise PlanwatchError(
                    f"{name}: cannot decode as UTF-8, UTF-16 or GB18030 (byte {exc.start}); "
                    "is it a text document?") from None
    text = _LINE_ENDS.sub("\n", text)      # one character for one: every offset stays as in the file
    if require_chinese and len(CJK.findall(text[:20000])) < MIN_CJK_CHARS:
        raise PlanwatchError(f"{name}: no Chinese text found ({enc}); not a plan document")
    return text, enc


def check_text(text: str, name: str, limits=None) -> str:
    """Refuse text with control characters or a line over the limit, naming the line.

    >>> check_text("第一行\\n增长3\\x0030.1亿元", "a.txt")
    Traceback (most recent call last):
    planwatch.errors.PlanwatchError: a.txt:2: control character U+0000 in the text (a damaged or binary file?); remove it and add the file again
    """
    from planwatch.parse.limits import Limits
    limits = limits or Limits()
    m = _CONTROL.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise PlanwatchError(f"{name}:{line}: control character U+{ord(m.group()):04X} in the text "
                             "(a damaged or binary file?); remove it and add the file again")
    start = 0
    lineno = 1
    while True:
        nl = text.find("\n", start)
        end = len(text) if nl < 0 else nl
        if end - start > limits.max_line_chars:
            raise limits.refuse(f"{name}:{lineno}", f"a line of {end - start:,} characters",
                                "max_line_chars", f"{limits.max_line_chars:,}")
        if nl < 0:
            return text
        start, lineno = nl + 1, lineno + 1


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _strict(data: bytes, enc: str, name: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise PlanwatchError(f"{name}: looks like {enc} but byte {exc.start} is invalid") from None
