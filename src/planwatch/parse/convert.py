"""Documents as governments publish them → the text of record that spans point into.

.txt (any encoding reading.py knows), .html/.htm (a saved web page: the article only,
tables kept as tables), .docx (paragraphs and tables in document order) and .pdf with a
text layer (reading order). Tables become the one-cell-per-line layout tables.py reads:
each cell a line starting with a tab, rows separated by a blank line.

Libraries and why: BeautifulSoup with the stdlib html.parser (tolerant of broken
government HTML, no compiled dependency); python-docx (reads body paragraphs and tables,
which is all a plan has); pdfminer.six (text with layout analysis for reading order, and
the Adobe CJK CMaps needed for Chinese fonts without a ToUnicode map).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from planwatch.errors import PlanwatchError
from planwatch.parse.limits import Limits
from planwatch.parse.reading import MIN_CJK_CHARS, check_text, decode

SUFFIXES = (".txt", ".text", ".html", ".htm", ".docx", ".pdf")
_CJK = re.compile(r"[\u4e00-\u9fff]")
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
        text, enc = decode(data, name)
        out = html_to_text(text)
        how = f"html:{enc}"
    elif kind == "docx":
        out, how = docx_to_text(data, name, limits), "docx"
    else:
        out, how = pdf_to_text(data, name), "pdf"
    if len(_CJK.findall(out)) < MIN_CJK_CHARS:
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
    lines: list[str] = []
    for el in article.find_all(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "pre"]):
        if el.find_parent("table") is not None and el.name != "table":
            continue
        if el.name != "table" and el.find(["p", "table", "li"]) is not None:
            continue
        if el.name == "table":
            rows = [[td.get_text(" ", strip=True) for td in tr.find_all(["td", "th"])] for tr in el.find_all("tr")]
            if lines and lines[-1] != "":
                lines.append("")
            lines.extend(_table_lines(rows))
        else:
            text = el.get_text("", strip=True)
            if text:
                lines.append(text)
    if not lines:
        lines = [ln.strip() for ln in article.get_text("\n").splitlines() if ln.strip()]
    head = [h for h in _page_head(soup, body) if not any(h in ln for ln in lines[:3])]
    return "\n".join(head + lines) + "\n"


_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜| - )\s*")
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期)[:：]\s*(20\d\d[-年./]\d{1,2}[-月./]\d{1,2}日?)")


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
    if len(_CJK.findall(title)) >= 4:
        out.append(" ".join(title.split()))
    meta = soup.find("meta", attrs={"name": re.compile(r"(?i)^(pubdate|publishdate|firstpublishedtime)$")})
    m = re.match(r"(20\d\d-\d{1,2}-\d{1,2})", meta.get("content", "").strip()) if meta else None
    if m:
        out.append(f"发布时间：{m.group(1)}")
    elif body is not None:
        m = _PUBLISHED.search(body.get_text(" "))
        if m:
            out.append(f"发布时间：{m.group(1)}")
    return out


def _densest(body):
    """The element whose direct <p> children hold the most Chinese text (the article body)."""
    best, best_n = None, 0
    for el in body.find_all(["div", "section", "td"]):
        n = sum(len(_CJK.findall(p.get_text())) for p in el.find_all("p", recursive=False))
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


def pdf_to_text(data: bytes, name: str) -> str:
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.layout import LAParams
        text = extract_text(io.BytesIO(data), laparams=LAParams(line_margin=0.5))
    except Exception as exc:   # pdfminer raises many types on damaged files
        raise PlanwatchError(f"{name}: cannot read the PDF ({type(exc).__name__})") from None
    text = text.replace("\x0c", "\n")
    return "\n".join(ln.rstrip() for ln in text.splitlines()) + "\n"


def read_document(path: Path, limits: Limits | None = None) -> tuple[bytes, str, str]:
    """A file on disk: its bytes, its text of record, and how it was read."""
    limits = limits or Limits()
    if path.suffix.lower() not in SUFFIXES and path.suffix:
        raise PlanwatchError(f"{path}: unsupported file type {path.suffix!r}; planwatch reads {', '.join(SUFFIXES)}")
    size = path.stat().st_size
    if size > limits.max_file_mb * 1e6:    # refuse before reading it into memory
        raise limits.refuse(str(path), f"the file is {size / 1e6:,.1f} MB", "max_file_mb", f"{limits.max_file_mb:g} MB")
    data = path.read_bytes()
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
