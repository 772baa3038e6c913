"""Normalisation for matching, with every character mapped back to the raw text.

``normalise`` folds full-width digits, letters and punctuation, drops thousands
separators and stray spaces, and joins lines broken inside a sentence. It returns the
normalised string and, for each of its characters, the offset in the raw text, so a
match in the normalised text is reported as a span of the raw document.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache

from planwatch.parse.grammar import Grammar, default_grammar

SENTENCE_END = "。！？"
_LINE_END_OK = "。；！？：”）…"
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|附件|附表)")
_CJK_OR_DIGIT = re.compile(r"[\u4e00-\u9fff0-9%]")
WRAPPED_LINE_MIN = 25   # a line this long ending without punctuation was wrapped mid-sentence


@dataclass(frozen=True)
class NormText:
    text: str
    raw_index: array             # raw offset of each normalised char, plus one for the end (8 bytes each)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) of normalised [start, end)."""
        return self.raw_index[start], self.raw_index[end - 1] + 1 if end > start else self.raw_index[start]


# spaces inside a line, and a comma between digits that is a thousands separator (1,234.5)
_DROP = re.compile(r"[ \t\r]|(?<=\d)，(?=\d{3}(?!\d))")


@lru_cache(maxsize=4)
def _fold_table(g: Grammar) -> dict:
    chars = [chr(c) for c in range(0xFF10, 0xFF1A)] + [chr(c) for c in range(0xFF21, 0xFF3B)] + \
            [chr(c) for c in range(0xFF41, 0xFF5B)] + list(g.char_map)
    return str.maketrans({ch: fold_char(ch, g) for ch in chars})


def fold_char(ch: str, grammar: Grammar) -> str:
    """Full-width ASCII to half-width, then the grammar's punctuation map.

    >>> fold_char("５", default_grammar()), fold_char("％", default_grammar()), fold_char(",", default_grammar())
    ('5', '%', '，')
    """
    code = ord(ch)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        ch = chr(code - 0xFEE0)
    return grammar.char_map.get(ch, ch)


def normalise(raw: str, grammar: Grammar | None = None) -> NormText:
    """Normalised text and its map to raw offsets.

    >>> n = normalise("增长 5.5％，完成1,234.5亿元")
    >>> n.text
    '增长5.5%，完成1234.5亿元'
    >>> n = normalise("这是一行很长的在句子中间被折断的句子，全区地区生产总值完成\\n319.3亿元。")
    >>> n.text
    '这是一行很长的在句子中间被折断的句子，全区地区生产总值完成319.3亿元。'
    >>> normalise("正文。\\n扫码使用手机浏览本页内容\\n").text
    '正文。\\n\\n'
    """
    g = grammar or default_grammar()
    table = _fold_table(g)
    out: list[str] = []
    idx = array("q")
    lines = raw.split("\n")
    nxt_content = next_content_index(lines)
    pos = 0
    joining = False     # inside the blank lines of a page or paragraph break that a wrapped sentence spans
    for li, line in enumerate(lines):
        stripped = line.rstrip()
        if joining and not stripped.strip():
            pos += len(line) + 1
            continue
        joining = False
        if not any(p.match(line.strip()) for p in g.residue_lines):
            folded = line.translate(table)
            lead = len(folded) - len(folded.lstrip(" \t\r"))
            keep_tab = "\t" in line[:lead]
            if keep_tab:                      # a table cell: keep one tab at line start
                out.append("\t")
                idx.append(pos + line.index("\t"))
            drops = {m.start() for m in _DROP.finditer(folded)}
            drops.update(range(lead))
            if not drops:
                out.append(folded)
                idx.extend(range(pos, pos + len(folded)))
            else:
                for j, ch in enumerate(folded):
                    if j not in drops:
                        out.append(ch)
                        idx.append(pos + j)
        pos += len(line)
        if li < len(lines) - 1:
            j = nxt_content[li + 1]
            nxt = lines[j] if j < len(lines) else None
            if _joins(stripped, nxt):
                joining = True  # wrapped line: no break, and none for blank lines up to the next line
            else:
                out.append("\n")
                idx.append(pos)
            pos += 1
    idx.append(len(raw))
    return NormText("".join(out), idx)


def next_content_index(lines: list[str]) -> list[int]:
    """For each line index i, the index of the first non-blank line at or after i (len(lines) if none).

    One backward pass, so a run of blank lines costs linear time, not quadratic.

    >>> next_content_index(["a", "", " ", "b", ""])
    [0, 3, 3, 3, 5, 5]
    """
    out = [len(lines)] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        out[i] = i if lines[i].strip() else out[i + 1]
    return out


def _joins(line: str, nxt: str | None) -> bool:
    if nxt is None or not line.strip():
        return False
    if line.startswith("\t") or nxt.startswith("\t") or _HEADING.match(nxt):
        return False
    body = line.strip()
    return len(body) >= WRAPPED_LINE_MIN and body[-1] not in _LINE_END_OK and (
        bool(_CJK_OR_DIGIT.match(body[-1])) or body[-1] in "，,、（(“《")


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
    spans = []
    start = 0
    for m in re.finditer(r"[。！？]|\n", text):
        end = m.end() if m.group() != "\n" else m.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans
