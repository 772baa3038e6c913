"""A source document converted to HTML, Word and PDF (made here from the .txt with the
libraries planwatch reads them with) yields the same catalogue rows as the .txt."""
import html
import io
import subprocess
import sys

import pytest

from planwatch.errors import PlanwatchError
from planwatch.parse.convert import to_text
from planwatch.parse.extract import extract
from tests.conftest import RAW


def blocks(text: str):
    """('p', line) and ('table', rows) blocks of a source text (tables: tab-cell lines)."""
    out, rows, row = [], [], []
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        if ln.startswith("\t"):
            row.append(ln.strip())
        elif ln.strip() and row and len(ln.strip()) <= 12 and i + 1 < len(lines) and any(x.startswith("\t") for x in lines[i + 1:i + 3]):
            row[-1] += ln.strip()           # a wrapped cell (与经济 / 增长同步)
        else:
            if row:
                rows.append(row)
                row = []
            if ln.strip() and rows:
                out.append(("table", rows))
                rows = []
            if ln.strip():
                out.append(("p", ln.strip()))
    if row:
        rows.append(row)
    if rows:
        out.append(("table", rows))
    return out


def to_html(text: str) -> bytes:
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>计划</title><script>var x=1;</script></head><body>",
             "<nav><a href='/'>首页</a> &gt; <a href='/zwgk'>政务公开</a></nav><div class='main'>"]
    for kind, content in blocks(text):
        if kind == "p":
            parts.append(f"<p>{html.escape(content)}</p>")
        else:
            parts.append("<table>" + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in content) + "</table>")
    parts.append("</div><footer>网站标识码 扫码使用手机浏览本页内容</footer></body></html>")
    return "".join(parts).encode("utf-8")


def to_docx(text: str) -> bytes:
    import docx
    d = docx.Document()
    for kind, content in blocks(text):
        if kind == "p":
            d.add_paragraph(content)
        else:
            width = max(len(r) for r in content)
            t = d.add_table(rows=len(content), cols=width)
            for i, r in enumerate(content):
                for j, c in enumerate(r):
                    t.cell(i, j).text = c
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def to_pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1)
    doc.build([Paragraph(html.escape(c), style) for k, c in blocks(text) if k == "p"])
    return buf.getvalue()


def catalogue_rows(text):
    _f, records = extract(text)
    return sorted(((r.indicator, r.kind, r.period_year, r.value, r.unit, r.growth_pct, r.qualifier, r.origin)
                   for r in records if not r.indicator.startswith("other:")), key=repr)


@pytest.mark.parametrize("doc", ["boshan_2026_plan", "zibo_2026_plan", "boshan_2024_plan_report"])
@pytest.mark.parametrize("fmt,maker,name", [("html", to_html, "x.html"), ("docx", to_docx, "x.docx"), ("pdf", to_pdf, "x.pdf")])
def test_same_rows_as_text(doc, fmt, maker, name):
    raw = (RAW / f"{doc}.txt").read_text(encoding="utf-8")
    expected = catalogue_rows(raw)
    text, how = to_text(maker(raw), name)
    assert how.startswith(fmt)
    got = catalogue_rows(text)
    if fmt == "pdf":   # tables are not written to the PDF here: compare the prose rows
        expected = [r for r in expected if r[-1] == "prose"]
    assert got == expected


def test_html_drops_page_chrome():
    text, _ = to_text(to_html((RAW / "boshan_2026_plan.txt").read_text(encoding="utf-8")), "p.html")
    assert "首页" not in text and "var x" not in text and "扫码" not in text


def test_scanned_pdf_is_refused_with_a_clear_error():
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 300, 400, fill=1)    # an image-only page: no text layer
    c.showPage()
    c.save()
    with pytest.raises(PlanwatchError, match="no text layer"):
        to_text(buf.getvalue(), "scan.pdf")


def test_old_word_file_is_refused():
    with pytest.raises(PlanwatchError, match=r"\.doc"):
        to_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "plan.doc")


def test_add_then_duplicate_is_refused(tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    (raw_dir / "manifest.csv").write_text("file,original_name,sha256,note\n", encoding="utf-8")
    src = tmp_path / "博山区计划.docx"
    src.write_bytes(to_docx((RAW / "boshan_2026_plan.txt").read_text(encoding="utf-8")))
    cmd = [sys.executable, "-m", "planwatch", "add", str(src), "--raw-dir", str(raw_dir)]
    first = subprocess.run(cmd, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "博山区 (district), plan 2026" in first.stdout
    added = [p for p in raw_dir.iterdir() if p.suffix == ".docx"]
    assert len(added) == 1 and added[0].read_bytes() == src.read_bytes()
    assert added[0].name in (raw_dir / "manifest.csv").read_text(encoding="utf-8")
    second = subprocess.run(cmd, capture_output=True, text=True)
    assert second.returncode == 1 and "already in the corpus" in second.stderr
