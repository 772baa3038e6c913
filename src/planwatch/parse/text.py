"""Normalisation for matching, with every character mapped back to the raw text.

``normalise`` folds full-width digits, letters and punctuation, drops thousands
separators and stray spaces, and joins lines broken inside a sentence. It returns the
normalised string and, for each of its characters, the offset in the raw text, so a
match in the normalised text is reported as a span of the raw document.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from planwatch.parse.grammar import Grammar, default_grammar

SENTENCE_END = "。！？"
_LINE_END_OK = "。；！？：”）…"
_CJK_OR_DIGIT = re.compile(r"[\u4e00-\u9fff0-9%]")
WRAPPED_LINE_MIN = 25   # a line this long ending without punctuation was wrapped mid-sentence


# (not frozen: compiled (planwatch.native), a frozen class could not be pickled or deep-copied; see numbers.Quantity)
@dataclass(eq=True, unsafe_hash=True)
class NormText:
    text: str
    raw_index: array             # raw offset of each normalised char, plus one for the end (8 bytes each)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) of normalised [start, end)."""
        return self.raw_index[start], self.raw_index[end - 1] + 1 if end > start else self.raw_index[start]


# spaces inside a line, and a comma between digits that is a thousands separator (1,234.5)
_DROP = r"[ \t\r]|(?<=\d)，(?=\d{3}(?!\d))"


@lru_cache(maxsize=1)
def _drop() -> re.Pattern:
    """_DROP behind numbers.guarded's first-character lookahead: its second branch opens with a
    look-behind, so without one the engine tries both branches at every character (~1.4× slower)."""
    from planwatch.parse.numbers import guarded      # numbers imports grammar, as this module does
    return guarded(_DROP)

# (beside this file in the package, found through the package: a compiled build of this module
# (planwatch.native) lives elsewhere)
T2S_PATH = Path(str(resources.files("planwatch.parse").joinpath("t2s.txt")))
# The table is rule data the extractor's fingerprint must see: text.py carries its hash, so a
# changed table changes this file too (and a table edited without it is refused on load).
T2S_SHA256 = "19aa44297236f8986b62c7dd147b29307cd1d71c4e7ab2c5590ce1373a678320"
# Code points Unicode NFKC may fold for matching: full-width forms, Kangxi radicals, the two
# radicals-supplement characters it knows, CJK compatibility ideographs. Not circled or
# parenthesised numbers (①, ⑴), which NFKC would turn into digits.
_NFKC_RANGES = ((0xFF01, 0xFF5F), (0x2F00, 0x2FE0), (0x2E80, 0x2F00), (0xF900, 0xFB00), (0x2F800, 0x2FA20))

# Characters Unicode says a reader never sees (Default_Ignorable_Code_Point, DerivedCoreProperties.txt)
# that are neither a format character (Cf, folded by category) nor a mark numbers.py treats as a glyph
# not read (U+034F and the variation selectors U+FE00-FE0F): the Hangul fillers, which are letters (Lo),
# the Mongolian and Khmer invisible marks, and the unassigned reserved ones. Each is a space, as Cf is:
# 31\u31649.3亿元 is 319.3, not 9.3.
# The last decimal digit (Nd) in Unicode 14 to 16 (U+1FBF9, segmented digit nine): every digit is folded to
# ASCII, so the readers' [0-9] and \\d agree, and a sentence written in other digits is read whole.
_LAST_DIGIT = 0x1FBF9
_INVISIBLE = ("\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2065\u3164\uffa0"
              + "".join(chr(c) for c in range(0xFFF0, 0xFFF9)))


@lru_cache(maxsize=1)
def load_t2s() -> dict[str, str]:
    """Traditional -> simplified characters (OpenCC's, one character to one; see t2s.txt).

    >>> t = load_t2s(); "".join(t.get(c, c) for c in "國民經濟和社會發展計劃執行情況報告")
    '国民经济和社会发展计划执行情况报告'
    >>> all(len(k) == len(v) == 1 for k, v in t.items()), "著" in t, "乾" in t
    (True, False, False)
    """
    import hashlib
    data = T2S_PATH.read_bytes()
    if hashlib.sha256(data).hexdigest() != T2S_SHA256:
        raise RuntimeError(f"{T2S_PATH}: content differs from T2S_SHA256 in planwatch/parse/text.py; "
                           "update the hash with the table (it keys the parse cache)")
    pairs = [ln for ln in data.decode("utf-8").splitlines() if ln and not ln.startswith("#")]
    return {ln[0]: ln[1] for ln in pairs}


@lru_cache(maxsize=4)
def _fold_table(g: Grammar) -> list:
    """The str.translate table of fold_char, as a list indexed by code point (identity where
    nothing folds) up to the last folded one. A dict table costs a raised and cleared KeyError
    for every character it does not map (most of them); a list lookup does not — translate is
    ~2.5× faster, for ~7 MB held once per grammar. Characters past the list are left as they are."""
    fold: dict[str, str] = {}
    for lo, hi in _NFKC_RANGES:
        for c in range(lo, hi):
            ch = chr(c)
            n = unicodedata.normalize("NFKC", ch)
            if n != ch and len(n) == 1:
                fold[ch] = n
    t2s = load_t2s()
    spaces = {chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) in ("Zs", "Cf")} - {" "} | set(_INVISIBLE)
    digits = {chr(c) for c in range(0x80, _LAST_DIGIT + 1) if unicodedata.category(chr(c)) == "Nd"}
    for ch in set(fold) | set(t2s) | set(g.char_map) | spaces | digits:
        fold[ch] = fold_char(ch, g)
    mapped = str.maketrans({k: v for k, v in fold.items() if k != v})
    table: list = list(range(max(mapped, default=-1) + 1))
    for code, to in mapped.items():
        table[code] = to
    return table


def fold_char(ch: str, grammar: Grammar) -> str:
    """One character as matched: NFKC-folded (full-width, Kangxi radicals, compatibility
    ideographs), traditional to simplified, then the grammar's punctuation map.

    >>> g = default_grammar()
    >>> [fold_char(c, g) for c in "５％,⼯⾦經濟\uf900①"]
    ['5', '%', '，', '工', '金', '经', '济', '岂', '①']
    """
    code = ord(ch)
    if unicodedata.category(ch) == "Nd":
        return str(unicodedata.digit(ch))     # a decimal digit of any script (٣, ३, 𝟑) is the digit it is
    if any(lo <= code < hi for lo, hi in _NFKC_RANGES):
        n = unicodedata.normalize("NFKC", ch)
        ch = n if len(n) == 1 else ch
    ch = load_t2s().get(ch, ch)
    ch = grammar.char_map.get(ch, ch)
    # a space of any width or an invisible format character (web pages and PDFs leave them) is a space:
    # between the digits of a number it is dropped as a plain space is, never the number's end
    # (31\u200b9.3亿元 is 319.3, not 9.3); so is a character Unicode says is never shown (_INVISIBLE)
    return " " if unicodedata.category(ch) in ("Zs", "Cf") or ch in _INVISIBLE else ch


def fold(text: str, grammar: Grammar | None = None) -> str:
    """The text as matched, character for character (same length, same offsets).

    >>> fold("2018年呈貢區政府工作報告 ⼈均")
    '2018年呈贡区政府工作报告 人均'
    """
    return text.translate(_fold_table(grammar or default_grammar()))


@lru_cache(maxsize=4)
def _folds_lines_apart(g: Grammar) -> bool:
    """Whether folding keeps every line break and makes none, so the folded text splits into
    the folded lines (fold maps one character to one: offsets are kept)."""
    table = _fold_table(g)
    nl = ord("\n")
    return (nl >= len(table) or table[nl] in (nl, "\n")) and not any(to in (nl, "\n") for code, to in enumerate(table) if code != nl)


def normalise(raw: str, grammar: Grammar | None = None, folded_text: str | None = None) -> NormText:
    """Normalised text and its map to raw offsets.

    Folds characters (fold; pass folded_text, fold(raw), when it is at hand), drops spaces,
    thousands separators, web-page residue, bullets and the colon after a bulleted label, skips page furniture (— 3 — and the running header beside
    it) and joins lines broken inside a sentence, a word or a number.

    >>> n = normalise("增长 5.5％，完成1,234.5亿元")
    >>> n.text
    '增长5.5%，完成1234.5亿元'
    >>> n = normalise("这是一行很长的在句子中间被折断的句子，全区地区生产总值完成\\n319.3亿元。")
    >>> n.text
    '这是一行很长的在句子中间被折断的句子，全区地区生产总值完成319.3亿元。'
    >>> normalise("正文。\\n扫码使用手机浏览本页内容\\n").text
    '正文。\\n\\n'
    >>> normalise("◆地区生产总值：完成905亿元。").text
    '地区生产总值完成905亿元。'
    >>> normalise("每万人口高价值发明专利拥有量达到28.\\n6件。").text
    '每万人口高价值发明专利拥有量达到28.6件。'
    >>> normalise("完成18.62\\n亿元。").text
    '完成18.62亿元。'
    """
    g = grammar or default_grammar()
    table = _fold_table(g)
    out: list[str] = []
    idx = array("q")
    lines = raw.split("\n")
    # one translate for the whole text (extract shares it with detect_facts), sliced per line
    if not _folds_lines_apart(g):
        folded_text = None
    elif folded_text is None:
        folded_text = fold(raw, g)
    offsets = _offsets_into(idx, len(raw))
    drop = _drop()
    # the characters to drop (spaces, thousands separators) in one scan of the folded text, when there
    # is one (not one per line): a match holds no line break, and its look-arounds read a line break
    # as they read a line's end (neither is a digit)
    dropped = [m.start() for m in drop.finditer(folded_text)] if folded_text is not None else None
    residue_start = _residue_start(g)
    bullets = g.data.get("bullets", "")
    units = _unit_starts(g)
    furniture = page_furniture(lines, g)
    nxt_content = next_content_index(lines, furniture)
    pos = 0
    joining = False     # inside the blank lines of a page or paragraph break that a wrapped sentence spans
    joined = False      # this line continues the line above (a paragraph wrapped by the layout)
    for li, line in enumerate(lines):
        stripped = line.rstrip()
        if li in furniture or (joining and not stripped.strip()):
            pos += len(line) + 1
            continue
        joining = False
        body = line.strip()
        if not (residue_start is None or residue_start.match(body)) or not any(p.match(body) for p in g.residue_lines):
            folded = folded_text[pos:pos + len(line)] if folded_text is not None else line.translate(table)
            lead = len(folded) - len(folded.lstrip(" \t\r"))
            keep_tab = "\t" in line[:lead]
            if keep_tab:                      # a table cell: keep one tab at line start
                out.append("\t")
                idx.append(pos + line.index("\t"))
            if dropped is None:
                drops = {m.start() for m in drop.finditer(folded)}
            else:
                a = bisect_left(dropped, pos)
                b = bisect_left(dropped, pos + len(folded), a)
                drops = {j - pos for j in dropped[a:b]} if b > a else set()
            if lead:
                drops.update(range(lead))
            if not keep_tab and lead < len(folded) and folded[lead] in bullets:     # _bullet_drops is [] otherwise
                drops.update(_bullet_drops(folded, lead, g))
            if not drops:
                out.append(folded)
                offsets(pos, pos + len(folded))
            else:
                prev = 0        # keep the runs between dropped characters (not a loop per character)
                for j in sorted(drops):
                    if j >= len(folded):
                        break
                    if j > prev:
                        out.append(folded[prev:j])
                        offsets(pos + prev, pos + j)
                    prev = j + 1
                if prev < len(folded):
                    out.append(folded[prev:])
                    offsets(pos + prev, pos + len(folded))
        pos += len(line)
        if li < len(lines) - 1:
            j = nxt_content[li + 1]
            nxt = lines[j] if j < len(lines) else None
            if _joins(stripped, nxt, adjacent=(j == li + 1), continued=joined, units=units, heading=g.line_start,
                      caption=g.caption_line):
                joining = True  # wrapped line: no break, and none for blank lines up to the next line
                joined = True
            else:
                out.append("\n")
                idx.append(pos)
                joined = False
            pos += 1
    idx.append(len(raw))
    return NormText("".join(out), idx)


def _start_class(patterns: list[re.Pattern]) -> re.Pattern | None:
    """The characters a match of any of patterns can start with (numbers.first_chars of each): a
    line starting otherwise matches none, without trying each. None when a pattern may match the
    empty string or its first characters cannot be told (then every pattern is tried)."""
    from planwatch.parse.numbers import first_chars      # numbers imports grammar, as this module does
    classes = [c for c in (first_chars(p.pattern, p.flags) for p in patterns) if c is not None]
    if not classes or len(classes) < len(patterns):
        return None
    return re.compile("|".join(classes))


@lru_cache(maxsize=4)
def _residue_start(g: Grammar) -> re.Pattern | None:
    """What a residue line (web-page residue) can start with: _start_class of the grammar's patterns."""
    return _start_class(g.residue_lines)


@lru_cache(maxsize=4)
def _page_number_patterns(g: Grammar) -> tuple[list[re.Pattern], re.Pattern | None]:
    """The page-number patterns, compiled once, and what a page number can start with."""
    pats = [re.compile(p) for p in g.data.get("page_numbers", [])]
    return pats, _start_class(pats)


_COUNTING = array("q")      # 0, 1, 2, …: raw offsets are sliced from it (array.extend of a range is ~20× slower)
COUNTING_MAX = 1 << 22      # it grows with the longest text normalised, up to this many (32 MB)


def _offsets_into(idx: array, n: int):
    """A function appending the offsets a, a + 1, …, b - 1 to idx, for a text of n characters:
    sliced from _COUNTING (grown to n + 1 first, up to COUNTING_MAX), else from a range.

    >>> idx = array("q"); add = _offsets_into(idx, 10); add(3, 6); add(8, 8); list(idx)
    [3, 4, 5]
    """
    need = min(n + 1, COUNTING_MAX)
    if len(_COUNTING) < need:
        _COUNTING.extend(range(len(_COUNTING), need))
    counting, size = _COUNTING, len(_COUNTING)

    def add(a: int, b: int) -> None:
        idx.extend(counting[a:b] if b <= size else range(a, b))
    return add


def _bullet_drops(line: str, lead: int, g: Grammar) -> list[int]:
    """Offsets to drop at the start of a bulleted line: the bullet, spaces after it, and the
    colon after a short label (◆地区生产总值：完成… reads as 地区生产总值完成…).

    >>> _bullet_drops("● 城镇新增就业：8万人", 0, default_grammar())
    [0, 1, 8]
    >>> _bullet_drops("各位代表：", 0, default_grammar())
    []
    """
    j = lead
    if j >= len(line) or line[j] not in g.data.get("bullets", ""):
        return []
    out = [j]
    j += 1
    while j < len(line) and line[j] in " \u3000":
        out.append(j)
        j += 1
    colon = line.find("：", j, j + LABEL_MAX + 1)
    if colon > j and not re.search(r"[。，；\d]", line[j:colon]):
        out.append(colon)
    return out


LABEL_MAX = 16      # characters of a bulleted label before its colon
RUNNING_HEADER_MAX = 40     # characters of a running header or footer (the title repeated on each page)


def page_furniture(lines: list[str], g: Grammar) -> set[int]:
    """Indexes of page furniture: page numbers (— 3 —, 第3页) and, beside them, a running header
    or footer (the title repeated) that appears on several pages. One pass to count, one to mark.

    >>> sorted(page_furniture(["正文深入推进", "", "— 1 —", "", "某市政府工作报告", "制造强市", "— 2 —", "某市政府工作报告", "x"],
    ...                       default_grammar()))
    [2, 4, 6, 7]
    """
    pats, start = _page_number_patterns(g)
    numbers = {i for i, ln in enumerate(lines) if (body := ln.strip()) and (start is None or start.match(body))
               and any(p.fullmatch(body) for p in pats)}
    if not numbers:
        return set()
    counts = Counter(ln.strip() for ln in lines if 0 < len(ln.strip()) <= RUNNING_HEADER_MAX)
    marked = set(numbers)
    for i in numbers:
        for step in (-1, 1):        # the nearest non-blank line on each side
            k = i + step
            while 0 <= k < len(lines) and not lines[k].strip():
                k += step
            if 0 <= k < len(lines) and k not in numbers and counts[lines[k].strip()] >= 2 \
                    and not re.search(r"[，。；：,;:]", lines[k]):     # a header is a name, not a clause
                marked.add(k)
    return marked


def next_content_index(lines: list[str], skip: set[int] | frozenset = frozenset()) -> list[int]:
    """For each line index i, the index of the first non-blank line at or after i (len(lines) if none);
    lines in skip (page furniture) count as blank.

    One backward pass, so a run of blank lines costs linear time, not quadratic.

    >>> next_content_index(["a", "", " ", "b", ""])
    [0, 3, 3, 3, 5, 5]
    """
    out = [len(lines)] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        out[i] = i if lines[i].strip() and i not in skip else out[i + 1]
    return out


@lru_cache(maxsize=4)
def _unit_starts(g: Grammar) -> tuple[str, ...]:
    """What may start the line after a number broken off it: digits, %, units and magnitudes."""
    return tuple(sorted(set(g.unit_names) | set(g.magnitudes) | set("0123456789.%"), key=len, reverse=True))


def _joins(line: str, nxt: str | None, adjacent: bool = False, continued: bool = False,
           units: tuple[str, ...] = tuple("0123456789.%"), heading: re.Pattern | None = None,
           caption: re.Pattern | None = None) -> bool:
    """Whether the break after line is the layout's, not the author's.

    A long line that ends without punctuation was wrapped; so was one whose last characters
    and the next line's first make a number (28. / 6件); a short line ending mid-sentence that
    continues a wrapped paragraph and is followed directly by more text was cut short by the
    page (规模 / 以上工业增加值). Never before a heading or a table cell (heading: the grammar's
    headings.line_start, the shipped grammar's by default), nor before or after a caption line
    (caption: 3268.5亿元——全区地区生产总值，增长4.6%, the grammar's caption_line).
    """
    heading = heading or default_grammar().line_start
    if nxt is None or not line.strip():
        return False
    if line.startswith("\t") or nxt.startswith("\t") or heading.match(nxt):
        return False
    if caption is not None and (caption.match(line) or caption.match(nxt)):
        return False
    body, head = line.strip(), nxt.strip()
    if _BULLET_START.match(head) or _spaced_row(body) or _spaced_row(head):
        return False
    if _NUMBER_END.search(body, max(0, len(body) - 2)) and head.startswith(units):     # \d\.?$ starts in the last two
        return True
    mid = body[-1] not in _LINE_END_OK and (bool(_CJK_OR_DIGIT.match(body[-1])) or body[-1] in "，,、（(“《")
    if len(body) >= WRAPPED_LINE_MIN:
        return mid
    return mid and continued and adjacent and not heading.match(body)


_NUMBER_END = re.compile(r"\d\.?$")
_BULLET_START = re.compile(r"^(?:[●◆■▲★◇□○•▪◎]|\d{1,2}[.、．](?!\d)|（\d{1,2}）)")
_SPACED_ROW = re.compile(r"\S(?: {2,}|\t)\S")      # a table row laid out with spaces: never joined


def _spaced_row(line: str) -> bool:
    """_SPACED_ROW.search(line), scanned only when the line holds two spaces or a tab (most do not)."""
    return ("  " in line or "\t" in line) and _SPACED_ROW.search(line) is not None


MAX_SENTENCE = 600    # characters of a sentence kept with each record (a pathological one-line text is clipped)


def clip_sentence(sentence: str, start: int, end: int) -> str:
    """The sentence, or a window of MAX_SENTENCE characters around [start, end) marked with …

    >>> clip_sentence("短句。", 0, 2)
    '短句。'
    >>> len(clip_sentence("字" * 5000, 2500, 2510))
    602
    """
    if len(sentence) <= MAX_SENTENCE:
        return sentence
    half = (MAX_SENTENCE - (end - start)) // 2
    a = max(0, start - max(half, 0))
    b = min(len(sentence), max(end, a + MAX_SENTENCE))
    a = max(0, min(a, b - MAX_SENTENCE))
    return ("…" if a > 0 else "") + sentence[a:b] + ("…" if b < len(sentence) else "")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: split after 。！？ and at line breaks.

    >>> [ "ab。c\\nd"[s:e] for s, e in sentences("ab。c\\nd")]
    ['ab。', 'c', 'd']
    """
    # a run up to and with its 。！？, or up to a line break (or the end) without it; blank runs dropped
    return [m.span() for m in _SENTENCE.finditer(text) if not m.group().isspace()]


_SENTENCE = re.compile(f"[^{SENTENCE_END}\n]*[{SENTENCE_END}]|[^{SENTENCE_END}\n]+")
