"""Documents as governments publish them → the text of record that spans point into.

.txt (any encoding reading.py knows), .html/.htm (a saved web page: the article only,
tables kept as tables), .docx (paragraphs and tables in document order) and .pdf with a
text layer (reading order, ruled tables as tables). Tables become the one-cell-per-line
layout tables.py reads: each cell a line starting with a tab, rows separated by a blank line.

Libraries and why: BeautifulSoup with the stdlib html.parser (tolerant of broken
government HTML, no compiled dependency); python-docx (reads body paragraphs and tables,
which is all a plan has); pdfminer.six (text with layout analysis for reading order, and
the Adobe CJK CMaps needed for Chinese fonts without a ToUnicode map); pdfplumber (cells of
ruled tables, found from their lines on the same pdfminer layout).
"""
from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from pathlib import Path

from planwatch.errors import PlanwatchError
from planwatch.parse.limits import Limits
from planwatch.parse.reading import CJK, MIN_CJK_CHARS, check_text, decode

SUFFIXES = (".txt", ".text", ".html", ".htm", ".docx", ".pdf")
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button", "select")


def kind_of(name: str, data: bytes) -> str:
    """txt | html | docx | pdf, from the content first, then the name."""
    head = data[:1024].lstrip()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and name.lower().endswith(".docx"):
        return "docx"
    if data.startswith(b"PK\x03\x04"):
        raise PlanwatchError(f"{name}: a zip archive but not a .docx (old .doc and other Office files: save as .docx)")
    if re.match(rb"(?i)(<!doctype html|<html|<\?xml[^>]*>\s*<html)", head) or name.lower().endswith((".html", ".htm")):
        return "html"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanwatchError(f"{name}: an old binary Word (.doc) file; save it as .docx or .txt first")
    return "txt"


def to_text(data: bytes, name: str = "<input>", limits: Limits | None = None) -> tuple[str, str]:
    """(text of record, how it was read: 'utf-8', 'gb18030', 'html:utf-8', 'docx', 'pdf' …)."""
    limits = limits or Limits()
    if len(data) > limits.max_file_mb * 1e6:
        raise limits.refuse(name, f"the file is {len(data) / 1e6:,.1f} MB", "max_file_mb", f"{limits.max_file_mb:g} MB")
    kind = kind_of(name, data)
    if kind == "txt":
        text, enc = decode(data, name)
        return check_text(text, name, limits), enc
    if kind == "html":
        text, enc = decode(data, name, require_chinese=False)   # scripts in <head> may come first: check after
        out = html_to_text(text)
        how = f"html:{enc}"
    elif kind == "docx":
        out, how = sandboxed("docx", data, name, limits), "docx"
    else:
        out, how = sandboxed("pdf", data, name, limits), "pdf"
    if len(CJK.findall(out)) < MIN_CJK_CHARS:
        if kind == "pdf":
            raise PlanwatchError(f"{name}: the PDF has no text layer (a scan?); run OCR first or supply the text")
        raise PlanwatchError(f"{name}: no Chinese text found in the {kind} document")
    return check_text(out, name, limits), how


def _table_lines(rows: list[list[str]]) -> list[str]:
    out: list[str] = []
    for cells in rows:
        if not any(c.strip() for c in cells):
            continue
        out.extend("\t" + " ".join(c.split()) for c in cells)
        out.append("")
    return out


def html_to_text(html: str) -> str:
    """The article of a saved web page as lines; navigation and page chrome dropped.

    >>> html_to_text("<html><body><nav>首页</nav><div><p>地区生产总值增长5%。</p><p>第二段。</p></div>"
    ...              "<table><tr><td>指标</td><td>单位</td></tr></table></body></html>")
    '地区生产总值增长5%。\\n第二段。\\n\\n\\t指标\\n\\t单位\\n\\n'
    """
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, "html.parser")
    for t in soup(_DROP_TAGS):
        t.decompose()
    body = soup.body or soup
    article = soup.find("article") or soup.find("main") or _densest(body) or body
    lines = _article_lines(article)
    if not lines:
        lines = [ln.strip() for ln in article.get_text("\n").splitlines() if ln.strip()]
    head = [h for h in _page_head(soup, body) if not any(h in ln for ln in lines[:3])]
    return "\n".join(head + lines) + "\n"


_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜| - )\s*")


@lru_cache(maxsize=1)
def _published():
    """A page's date line (grammar published_labels), and the label the date is written under."""
    from planwatch.parse.grammar import default_grammar
    from planwatch.parse.numbers import _alt
    labels = default_grammar().published_labels
    return re.compile(rf"(?:{_alt(labels)})[:：]\s*(20\d\d[-年./]\d{{1,2}}[-月./]\d{{1,2}}日?)"), labels[0]


def _page_head(soup, body) -> list[str]:
    """The article's title and date, which pages keep outside the article body: the title from
    the ArticleTitle meta, the page title before the site name, or the first <h1>; the date from
    the PubDate meta or a 发布时间 line. Without them an article is a text of no region or year.

    >>> from bs4 import BeautifulSoup
    >>> s = BeautifulSoup("<html><head><title>某某市2026年计划_某某市人民政府</title>"
    ...                   "<meta name='PubDate' content='2026-01-22 07:45'></head><body></body></html>", "html.parser")
    >>> _page_head(s, s.body)
    ['某某市2026年计划', '发布时间：2026-01-22']
    """
    out: list[str] = []
    meta = soup.find("meta", attrs={"name": re.compile(r"(?i)^articletitle$")})
    title = meta.get("content", "").strip() if meta else ""
    if not title and soup.title and soup.title.string:
        title = _TITLE_SEPARATORS.split(soup.title.string.strip())[0]
    if not title and body is not None and body.find("h1"):
        title = body.find("h1").get_text(" ", strip=True)
    if len(CJK.findall(title)) >= 4:
        out.append(" ".join(title.split()))
    meta = soup.find("meta", attrs={"name": re.compile(r"(?i)^(pubdate|publishdate|firstpublishedtime)$")})
    m = re.match(r"(20\d\d-\d{1,2}-\d{1,2})", meta.get("content", "").strip()) if meta else None
    published, label = _published()
    if m:
        out.append(f"{label}：{m.group(1)}")
    elif body is not None:
        m = published.search(body.get_text(" "))
        if m:
            out.append(f"{label}：{m.group(1)}")
    return out


_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "div", "section", "article", "main", "blockquote",
               "dd", "dt", "ul", "ol", "dl", "center", "figure", "figcaption", "br", "hr"}


def _article_lines(article) -> list[str]:
    """Lines of the article in one pass over its tree: a block element (p, li, div …) starts and
    ends a line, so an unclosed <p> — which html.parser nests inside the one before — still gives
    one line per paragraph; a table becomes cell lines once (a nested table's text stays in its
    cell). Iterative, so deep nesting costs neither recursion nor a rescan per level.

    >>> _article_lines(__import__("bs4").BeautifulSoup("<div><p>甲增长5%<p>乙增长3%<p>丙增长4%</div>", "html.parser"))
    ['甲增长5%', '乙增长3%', '丙增长4%']
    """
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction
    lines: list[str] = []
    buf: list[str] = []

    def flush():
        text = "".join(buf)
        buf.clear()
        if text:
            lines.append(text)

    stack: list = [(article, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            flush()
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
                buf.append(str(node).strip())
            continue
        if not isinstance(node, Tag) or node.name in _DROP_TAGS:
            continue
        if node.name == "table":
            flush()
            rows = _table_rows(node)
            if lines and lines[-1] != "":
                lines.append("")
            lines.extend(_table_lines(rows))
            continue
        if node.name in _BLOCK_TAGS:
            flush()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return lines


def _table_rows(table) -> list[list[str]]:
    """The table's own rows (not a nested table's) as cell texts, in one pass over it. html.parser
    nests an unclosed <tr><td> inside the cell before it: found by find_parent and read by get_text,
    every row walked up through all before it and every cell held the rest of the table (36 KB of
    <tr><td>1 took 22 s, growing with the square). A cell's text is its strings as get_text gives
    them, a nested table's included, but not a row of this table nested in it (that row is read
    as a row)."""
    from bs4 import NavigableString, Tag
    from bs4.element import CData

    def cell_text(cell) -> str:
        parts, stack = [], [(child, False) for child in reversed(cell.contents)]
        while stack:
            node, in_table = stack.pop()
            if type(node) in (NavigableString, CData):
                text = node.strip()
                if text:
                    parts.append(text)
            elif isinstance(node, Tag) and (in_table or node.name != "tr"):
                inner = in_table or node.name == "table"
                stack.extend((child, inner) for child in reversed(node.contents))
        return " ".join(parts)

    rows, stack = [], list(reversed(table.contents))
    while stack:
        node = stack.pop()
        if not isinstance(node, Tag) or node.name == "table":
            continue
        if node.name == "tr":
            rows.append([cell_text(c) for c in node.find_all(["td", "th"], recursive=False)])
        stack.extend(reversed(node.contents))
    return rows


def _densest(body):
    """The element whose direct <p> children hold the most Chinese text (the article body). The
    Chinese characters under every element are counted once, bottom-up: get_text per <p> re-read
    every <p> nested in it (an unclosed <div><p> nests the rest of the page: 72 KB took 23 s,
    growing with the square)."""
    from bs4 import NavigableString, Tag
    from bs4.element import CData
    under: dict[int, int] = {}
    stack = [(body, False)]
    while stack:
        node, counted = stack.pop()
        if counted:
            under[id(node)] = sum(under[id(c)] if isinstance(c, Tag) else len(CJK.findall(c)) if type(c) in (NavigableString, CData)
                                  else 0 for c in node.contents)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in node.contents if isinstance(c, Tag))
    best, best_n = None, 0
    for el in body.find_all(["div", "section", "td"]):
        n = sum(under[id(p)] for p in el.find_all("p", recursive=False))
        if n > best_n:
            best, best_n = el, n
    return best if best_n >= 200 else None


def _check_zip(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a .docx whose parts inflate past the limit (a zip bomb), before anything inflates."""
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PlanwatchError(f"{name}: cannot read as .docx ({type(exc).__name__}: {exc})") from None
    if total > limits.max_unpacked_mb * 1e6:
        raise limits.refuse(name, f"the .docx unpacks to {total / 1e6:,.0f} MB", "max_unpacked_mb",
                            f"{limits.max_unpacked_mb:g} MB")


def docx_to_text(data: bytes, name: str, limits: Limits | None = None) -> str:
    _check_zip(data, name, limits or Limits())
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:   # python-docx raises several types for broken files
        raise PlanwatchError(f"{name}: cannot read as .docx ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text.strip())
        elif tag == "tbl":
            table = Table(child, document)
            rows = []
            for row in table.rows:
                cells, seen = [], set()
                for cell in row.cells:          # merged cells repeat: keep each once
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text)
                rows.append(cells)
            if lines and lines[-1] != "":
                lines.append("")
            lines.extend(_table_lines(rows))
    return "\n".join(lines) + "\n"


# Bounds on reading one PDF, module constants rather than Limits parameters: each is far above
# any real plan or bulletin (the largest are a few hundred pages, a few thousand characters a
# page, forms nested a few deep) and exists only so a damaged or hostile file fails fast.
MAX_PDF_PAGES = 1_000             # pages read (max_file_mb bounds bytes, not pages: empty pages are tiny)
MAX_PDF_PAGE_CHARS = 100_000      # glyphs drawn on one page (a dense A4 table page has ~10,000)
MAX_PDF_PAGE_FORMS = 10_000       # form/image XObjects drawn on one page (nested forms can fan out)
MAX_PDF_FORM_DEPTH = 32           # forms drawn inside forms
# pdfminer orders a page's text boxes by grouping them pairwise, at a cost that grows with the
# square of their number or faster (500 scattered boxes: 7 s; 2,000: 3 min). Pages are grouped
# so while a page has at most MAX_PDF_PAGE_BOXES boxes and the squares summed over the document
# stay under MAX_PDF_GROUPING (about two minutes; a 300-page plan of 50 boxes a page uses
# 750,000); other pages are read top-left to bottom-right. Past MAX_PDF_BOXES in all, the file
# is refused (reading each box costs about half a millisecond even then).
MAX_PDF_PAGE_BOXES = 300
MAX_PDF_GROUPING = 4_000_000
MAX_PDF_BOXES = 200_000
_LAPARAMS = {"line_margin": 0.5}  # pdfminer layout analysis, as the prose was always read


class _TooMuch(Exception):
    """A PDF over one of the bounds above."""


def _bounded_page_class():
    """pdfplumber's Page, laid out by a pdfminer device that counts what the page draws."""
    from pdfminer.layout import LTPage, LTTextGroupLRTB
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

    class BoundedLTPage(LTPage):
        boxes = grouping = 0       # of the document: this class is made anew for each one

        def group_textboxes(self, laparams, boxes):
            cls = type(self)
            cls.boxes += len(boxes)
            if cls.boxes > MAX_PDF_BOXES:
                raise _TooMuch(f"more than {MAX_PDF_BOXES:,} blocks of text")
            if len(boxes) > MAX_PDF_PAGE_BOXES or cls.grouping + len(boxes) ** 2 > MAX_PDF_GROUPING:
                return [LTTextGroupLRTB(boxes)]     # one group: top-left to bottom-right
            cls.grouping += len(boxes) ** 2
            return super().group_textboxes(laparams, boxes)

    class Device(PDFPageAggregatorWithMarkedContent):
        chars = forms = depth = 0

        def begin_page(self, page, ctm):
            super().begin_page(page, ctm)
            self.cur_item.__class__ = BoundedLTPage  # the page pdfminer made, with the bounded grouping

        def render_char(self, *args, **kwargs):
            self.chars += 1
            if self.chars > MAX_PDF_PAGE_CHARS:
                raise _TooMuch(f"more than {MAX_PDF_PAGE_CHARS:,} characters on page {self.pageno}")
            return super().render_char(*args, **kwargs)

    class Interpreter(PDFPageInterpreter):
        def do_Do(self, xobjid_arg):   # sub-interpreters share the device, so its counts are per page
            d = self.device
            d.forms += 1
            d.depth += 1
            try:
                if d.forms > MAX_PDF_PAGE_FORMS:
                    raise _TooMuch(f"more than {MAX_PDF_PAGE_FORMS:,} drawings (XObjects) on page {d.pageno}")
                if d.depth > MAX_PDF_FORM_DEPTH:
                    raise _TooMuch(f"drawings nested more than {MAX_PDF_FORM_DEPTH} deep on page {d.pageno}")
                super().do_Do(xobjid_arg)
            finally:
                d.depth -= 1

    class BoundedPage(Page):
        @property
        def layout(self):
            if not hasattr(self, "_layout"):
                device = Device(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
                Interpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
                self._layout = device.get_result()
            return self._layout

    return BoundedPage


def pdf_to_text(data: bytes, name: str) -> str:
    """The text layer in pdfminer's reading order; ruled tables (pdfplumber) as tab-cell lines.

    Prose is exactly what pdfminer's layout analysis reads. A table (ruling lines, two or more
    rows and columns) takes the place of its first line in that order (or of the first line below
    it, if that comes first), and no line inside its area is read again as prose.
    """
    from itertools import islice
    try:
        import pdfplumber
        from pdfminer.pdfpage import PDFPage
        page_class = _bounded_page_class()
        lines: list[str] = []
        with pdfplumber.open(io.BytesIO(data), laparams=_LAPARAMS) as pdf:
            page_objs = list(islice(PDFPage.create_pages(pdf.doc), MAX_PDF_PAGES + 1))
            if len(page_objs) > MAX_PDF_PAGES:
                raise PlanwatchError(f"{name}: the PDF has more than {MAX_PDF_PAGES:,} pages, more than any plan or "
                                     "bulletin planwatch reads; split it or supply the document's text")
            prose: list[str] = []
            for number, page_obj in enumerate(page_objs, 1):
                page = page_class(pdf, page_obj, page_number=number, initial_doctop=0)
                _read_page(page, prose, lines)
                page.close()
            _flush_prose(prose, lines)
    except PlanwatchError:
        raise
    except _TooMuch as exc:
        raise PlanwatchError(f"{name}: the PDF has {exc}, over what planwatch reads (a damaged file?); "
                             "supply the document's text") from None
    except Exception as exc:   # pdfminer and pdfplumber raise many types on damaged files
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, _TooMuch):   # pdfplumber wraps errors from the layout pass
            raise PlanwatchError(f"{name}: the PDF has {cause}, over what planwatch reads (a damaged file?); "
                                 "supply the document's text") from None
        raise PlanwatchError(f"{name}: cannot read the PDF ({type(exc).__name__})") from None
    return "\n".join(lines) + "\n"


def _flush_prose(prose: list[str], lines: list[str]) -> None:
    """Prose as pdfminer's text converter writes it, into lines (form feeds end pages)."""
    text = "".join(prose).replace("\x0c", "\n")
    prose.clear()
    if text:
        lines.extend(ln.rstrip() for ln in text.splitlines())


def _read_page(page, prose: list[str], lines: list[str]) -> None:
    """One page: its text in layout order (as pdfminer's TextConverter renders it), tables in place."""
    from pdfminer.layout import LTChar, LTContainer, LTText, LTTextBox, LTTextLine
    tables = _page_tables(page)
    done = [False] * len(tables)
    height, (mb_x0, mb_top) = page.height, page.mediabox[:2]

    def box(item):      # pdfminer's bottom-up box in pdfplumber's top-down page coordinates
        return item.x0 + mb_x0, height - item.y1 + mb_top, item.x1 + mb_x0, height - item.y0 + mb_top

    def place(item) -> bool:
        """Emit any table this item is inside or below; True when the item is inside a table."""
        x0, top, x1, bottom = box(item)
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        inside = False
        for i, (bbox, rows) in enumerate(tables):
            within = bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]
            below = top >= bbox[3] and x0 < bbox[2] and x1 > bbox[0]
            if not done[i] and (within or below):
                done[i] = True
                _emit_table(rows, prose, lines)
            inside = inside or within
        return inside

    def render(item, placed: bool = False) -> bool:
        """Write the item's text; True when any of it was written. Lines (and glyphs outside
        lines, in figures) are placed against the tables; a placed line's glyphs are not."""
        if tables and not placed and isinstance(item, (LTTextLine, LTChar)):
            if place(item):
                return False
            placed = True
        wrote = False
        if isinstance(item, LTContainer):
            for child in item:
                wrote = render(child, placed) or wrote
        elif isinstance(item, LTText):
            prose.append(item.get_text())
            wrote = True
        if isinstance(item, LTTextBox) and (wrote or not tables):
            prose.append("\n")
        return wrote

    render(page.layout)
    for i, (_bbox, rows) in enumerate(tables):
        if not done[i]:
            _emit_table(rows, prose, lines)
    prose.append("\x0c")


def _emit_table(rows: list[list[str]], prose: list[str], lines: list[str]) -> None:
    _flush_prose(prose, lines)
    if lines and lines[-1] != "":
        lines.append("")
    lines.extend(_table_lines(rows))


def _page_tables(page) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    """(bbox, rows of cell texts) of the page's ruled tables, outermost only, top to bottom.

    A ruled box of one row or one column (a frame around a paragraph) is not a table. Cells
    spanned by a merged cell (None) are dropped, as Word's merged cells are kept once.
    """
    from pdfminer.layout import LTContainer, LTCurve

    def ruled(items) -> bool:   # no line, rectangle or curve drawn: no ruled table (and pdfplumber is slow)
        return any(isinstance(o, LTCurve) or (isinstance(o, LTContainer) and ruled(o)) for o in items)

    if not ruled(page.layout):
        return []
    found = []
    for t in page.find_tables():
        rows = [[_cell_text(c) for c in row if c is not None] for row in t.extract()]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            found.append((tuple(t.bbox), rows))
    outer = [(b, r) for b, r in found
             if not any(o is not b and o[0] <= b[0] and o[1] <= b[1] and o[2] >= b[2] and o[3] >= b[3]
                        for o, _ in found)]
    return sorted(outer, key=lambda t: (t[0][1], t[0][0]))


_CJK_WIDE = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK_WIDE}])\s+|\s+(?=[{_CJK_WIDE}])")


def _cell_text(text: str | None) -> str:
    """A cell's text on one line: lines wrapped inside the cell joined, no space next to Chinese.

    >>> _cell_text("规模以上工业\\n增加值")
    '规模以上工业增加值'
    >>> _cell_text("2025 年\\n完成"), _cell_text("VOCs 削减量"), _cell_text("t CO2\\ne")
    ('2025年完成', 'VOCs削减量', 't CO2 e')
    """
    return " ".join(_SPACE_BY_CJK.sub("", text or "").split())


SANDBOX_SECONDS = 180       # CPU seconds one .docx or .pdf may take to convert
SANDBOX_MEMORY_MB = 3000    # address space it may use (a compression bomb hits this, not the machine)


def sandboxed(kind: str, data: bytes, name: str, limits: Limits) -> str:
    """Convert a .docx or .pdf in a child process bounded in CPU time and memory, so a compression
    bomb, a pathological table or a library crash costs one document a one-line refusal, never
    the machine or the other documents (converter libraries decompress and recurse unbounded)."""
    import json
    import subprocess
    import sys

    def bound():
        import resource
        resource.setrlimit(resource.RLIMIT_CPU, (SANDBOX_SECONDS, SANDBOX_SECONDS + 5))
        cap = SANDBOX_MEMORY_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    # the name as text (a file name that is not UTF-8 shows its bytes as \\xff): the child writes it in its
    # JSON answer, which an undecodable name would turn into a crash that loses the reason
    shown = os.fsencode(name).decode("utf-8", "backslashreplace")
    cmd = [sys.executable, "-m", "planwatch.parse.sandbox", kind, shown, str(limits.max_unpacked_mb)]
    try:
        r = subprocess.run(cmd, input=data, capture_output=True, preexec_fn=bound, timeout=SANDBOX_SECONDS * 2)
    except subprocess.TimeoutExpired:
        raise PlanwatchError(f"{name}: took longer than {SANDBOX_SECONDS * 2} s to read; not converted") from None
    try:
        res = json.loads(r.stdout.decode("utf-8"))
    except ValueError:
        if r.returncode < 0 or r.returncode in (137, 152):
            raise PlanwatchError(f"{name}: reading it needed more than {SANDBOX_SECONDS} s of CPU or "
                                 f"{SANDBOX_MEMORY_MB} MB of memory (a compression bomb?); not converted") from None
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PlanwatchError(f"{name}: could not be read ({err[-1][:200] if err else f'exit {r.returncode}'})") from None
    if "error" in res:
        raise PlanwatchError(res["error"])
    return res["text"]


def check_suffix(path: Path) -> None:
    """Refuse a file type planwatch does not read (a file with no suffix is read by its content)."""
    if path.suffix.lower() not in SUFFIXES and path.suffix:
        raise PlanwatchError(f"{path}: unsupported file type {path.suffix!r}; planwatch reads {', '.join(SUFFIXES)}")


def read_bytes_within(path: Path, limits: Limits) -> bytes:
    """The file's bytes, never more than the size limit: refused from its size before reading, and
    read no further than the limit (a file that grows while it is read, /proc files of size 0)."""
    size = path.stat().st_size
    cap = int(limits.max_file_mb * 1e6)
    if size <= cap:
        with path.open("rb") as f:
            data = f.read(cap + 1)
        size = len(data)
    if size > cap:
        raise limits.refuse(str(path), f"the file is {size / 1e6:,.1f} MB", "max_file_mb", f"{limits.max_file_mb:g} MB")
    return data


def read_document(path: Path, limits: Limits | None = None) -> tuple[bytes, str, str]:
    """A file on disk: its bytes, its text of record, and how it was read."""
    limits = limits or Limits()
    check_suffix(path)
    data = read_bytes_within(path, limits)
    return (data, *to_text(data, str(path), limits))


def content_kind_mismatch(name: str, data: bytes) -> str | None:
    """A message when the content is another format than the file name says (a .docx renamed .txt).

    >>> content_kind_mismatch("a.txt", b"PK\\x03\\x04rest")
    'a.txt: the content is a zip archive (a .docx?) but the name ends in .txt; rename it to what it is'
    >>> content_kind_mismatch("a.txt", "地区生产总值".encode()) is None
    True
    """
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF") and suffix != ".pdf":
        return f"{name}: the content is a PDF but the name ends in {suffix or 'nothing'}; rename it to .pdf"
    if data.startswith(b"PK\x03\x04") and suffix != ".docx":
        return f"{name}: the content is a zip archive (a .docx?) but the name ends in {suffix or 'nothing'}; rename it to what it is"
    if suffix in (".docx", ".pdf") and not data.startswith(b"PK\x03\x04" if suffix == ".docx" else b"%PDF"):
        return f"{name}: the name ends in {suffix} but the content is not a {suffix[1:].upper()} file"
    return None
