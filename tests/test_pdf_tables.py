"""PDF annex tables read as tables: a source document made into a PDF here (prose as paragraphs,
its annex table as a ruled reportlab Table) yields the rows the .txt yields; prose reads as before."""
import html
import io
import re
from collections import Counter

import pytest

from planwatch.errors import PlanwatchError
from planwatch.parse import convert
from planwatch.parse.convert import to_text
from planwatch.parse.extract import extract
from planwatch.parse.tables import table_rows
from tests.conftest import RAW
from tests.test_ingest_formats import to_pdf

NOTE = "注：增长速度按可比价格计算。"      # a paragraph after the table: read after it, not inside it
_YEAR_HEAD = re.compile(r"20\d\d年")


def prose_and_table(raw: str) -> tuple[list[str], list[list[str]]]:
    """The paragraphs before the annex table and the table's rows, as tables.py reads them."""
    rows = table_rows(raw)
    start = raw.rfind("\n", 0, rows[0][0].start) + 1
    return [ln.strip() for ln in raw[:start].split("\n") if ln.strip()], [[c.text for c in r] for r in rows]


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def to_pdf_with_table(raw: str) -> bytes:
    """Prose as paragraphs, the annex as a ruled table: year headers span their two sub-columns,
    section rows (一、…) span the row, the header repeats on each page, long names wrap in their cell."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    font = _font()
    body = ParagraphStyle("zh", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    small = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    paragraphs, rows = prose_and_table(raw)
    width = max(len(r) for r in rows)
    data, spans = [], []
    for i, r in enumerate(rows):
        if len(r) < width and any(_YEAR_HEAD.match(c) for c in r):
            cells = r[:2]
            for c in r[2:]:
                spans.append(("SPAN", (len(cells), i), (len(cells) + 1, i)))
                cells += [c, ""]
        elif not any(c.strip() for c in r[1:]):
            cells = [r[0]] + [""] * (width - 1)
            spans.append(("SPAN", (0, i), (-1, i)))
        else:
            cells = r + [""] * (width - len(r))
        data.append([Paragraph(html.escape(c), small) for c in cells])
    table = Table(data, colWidths=[96] + [62] * (width - 1), repeatRows=2)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), *spans]))
    buf = io.BytesIO()
    flow = [Paragraph(html.escape(p), body) for p in paragraphs] + [table, Paragraph(NOTE, body)]
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(flow)
    return buf.getvalue()


def with_kangxi_radicals(pdf: bytes, text: str, radicals: dict[str, str]) -> bytes:
    """The PDF with a ToUnicode map on its Chinese font that reads some glyphs as Kangxi radicals
    (工 → ⼯), as PDFs exported by some office suites do; added as an incremental update.

    pdfminer looks ToUnicode up by CID, and reportlab's UniGB-UCS2-H maps a radical and its
    ideograph to one CID, so every occurrence of the glyph reads as the radical."""
    from pdfminer.cmapdb import CMapDB
    cmap = CMapDB.get_cmap("UniGB-UCS2-H")
    to_unicode = {}
    for ch in set(text) - {"\n", "\t"}:
        for cid in cmap.decode(ch.encode("utf-16-be")):
            to_unicode[cid] = radicals.get(ch, ch)
    entries = "".join(f"<{cid:04X}> <{u.encode('utf-16-be').hex().upper()}>\n" for cid, u in sorted(to_unicode.items()))
    chunks = [entries.splitlines(keepends=True)[i:i + 100] for i in range(0, len(to_unicode), 100)]
    stream = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
              "/CMapName /Kangxi def /CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
              + "".join(f"{len(c)} beginbfchar\n{''.join(c)}endbfchar\n" for c in chunks)
              + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()
    m = re.search(rb"\n(\d+) 0 obj\n(<<\n/BaseFont /STSong-Light /DescendantFonts.*?)\nendobj", pdf, re.S)
    font_num, font_dict = int(m.group(1)), m.group(2)
    size = int(re.search(rb"/Size (\d+)", pdf[pdf.rfind(b"trailer"):]).group(1))
    root = re.search(rb"/Root (\d+ 0 R)", pdf[pdf.rfind(b"trailer"):]).group(1)
    prev = int(re.search(rb"startxref\s+(\d+)", pdf[pdf.rfind(b"startxref"):]).group(1))
    font_dict = font_dict.replace(b"/Encoding /UniGB-UCS2-H", b"/Encoding /UniGB-UCS2-H /ToUnicode %d 0 R" % size)
    out = bytearray(pdf)
    offsets = {}
    offsets[font_num] = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (font_num, font_dict)
    offsets[size] = len(out)
    out += b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (size, len(stream), stream)
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    out += b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size + 1, root, prev, xref)
    return bytes(out)


def catalogue_rows(text: str) -> list[tuple]:
    _facts, records = extract(text)
    return [(r.indicator, r.kind, r.period_year, r.value, r.unit, r.growth_pct, r.qualifier)
            for r in records if not r.indicator.startswith("other:")]


def test_zibo_annex_table_as_pdf_keeps_the_rows_of_the_text():
    raw = (RAW / "zibo_2026_plan.txt").read_text(encoding="utf-8")
    text, how = to_text(to_pdf_with_table(raw), "zibo.pdf")
    assert how == "pdf"
    expected, got = Counter(catalogue_rows(raw)), Counter(catalogue_rows(text))
    kept = sum((expected & got).values()) / sum(expected.values())
    print(f"\nzibo_2026_plan as a PDF with a ruled annex table: {kept:.1%} of "
          f"{sum(expected.values())} catalogued rows kept, {sum((got - expected).values())} extra")
    assert kept >= 0.95
    assert sum((got - expected).values()) == 0
    _f, records = extract(text)
    assert sum(r.origin == "table" for r in records) >= 40      # the table is read as a table


def test_table_area_is_not_read_again_as_prose():
    raw = (RAW / "zibo_2026_plan.txt").read_text(encoding="utf-8")
    text, _ = to_text(to_pdf_with_table(raw), "zibo.pdf")
    lines = text.split("\n")
    _paragraphs, rows = prose_and_table(raw)
    cells = {c for r in rows for c in r if c}
    assert not [ln for ln in lines if not ln.startswith("\t") and ln.strip() in cells]
    cell_lines = [i for i, ln in enumerate(lines) if ln.startswith("\t")]
    caption = lines.index("2026年国民经济和社会发展主要预期目标")
    assert caption < cell_lines[0] and lines.index(NOTE) > cell_lines[-1]    # in reading order
    assert "\t一、地区生产总值" in lines and "\t5以上" in lines
    assert "\t每千人口拥有执业医师数" in lines           # a name wrapped in its cell is one cell again


def test_kangxi_radicals_in_a_pdf_yield_the_rows_of_the_clean_twin():
    raw = (RAW / "zibo_2026_plan.txt").read_text(encoding="utf-8")
    clean = to_pdf_with_table(raw)
    radicals = {"工": "\u2f2f", "行": "\u2f8f", "人": "\u2f08"}
    text, _ = to_text(with_kangxi_radicals(clean, raw + NOTE, radicals), "kangxi.pdf")
    clean_text, _ = to_text(clean, "clean.pdf")
    assert "规模以上\u2f2f业增加值" in text                                       # in prose
    assert "\t规模以上\u2f2f业增加值" in text.split("\n")                         # and in a table cell
    assert "工" not in text and text.translate(str.maketrans({v: k for k, v in radicals.items()})) == clean_text
    assert catalogue_rows(text) == catalogue_rows(clean_text)
    _f, records = extract(text)
    table_row = next(r for r in records if r.origin == "table" and r.indicator_zh == "规模以上\u2f2f业增加值")
    assert text[table_row.char_start:table_row.char_end].startswith("规模以上\u2f2f业增加值")   # spans: raw text


def _old_pdf_to_text(data: bytes) -> str:
    """How PDFs were read before tables: pdfminer's text, pages joined, lines right-stripped."""
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams
    text = extract_text(io.BytesIO(data), laparams=LAParams(line_margin=0.5)).replace("\x0c", "\n")
    return "\n".join(ln.rstrip() for ln in text.splitlines()) + "\n"


@pytest.mark.parametrize("doc", ["boshan_2026_plan", "zibo_2026_plan", "boshan_2024_plan_report"])
def test_pdf_without_tables_reads_as_before(doc):
    pdf = to_pdf((RAW / f"{doc}.txt").read_text(encoding="utf-8"))
    assert convert.pdf_to_text(pdf, "x.pdf") == _old_pdf_to_text(pdf)


def test_a_ruled_box_around_a_paragraph_is_prose():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    style = ParagraphStyle("zh", fontName=_font(), fontSize=10, leading=14, wordWrap="CJK")
    text = "全市地区生产总值增长5%左右，一般公共预算收入增长2%以上，居民人均可支配收入与经济增长同步。" * 3
    boxed = Table([[Paragraph(text, style)]], colWidths=[400])
    boxed.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, "black")]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1).build([Paragraph("一、主要预期目标", style), boxed])
    out = convert.pdf_to_text(buf.getvalue(), "box.pdf")
    assert "\t" not in out and out == _old_pdf_to_text(buf.getvalue())


def test_scanned_pdf_is_still_refused():
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 300, 400, fill=1)      # an image-only page: no text layer
    c.showPage()
    c.save()
    with pytest.raises(PlanwatchError, match=r"^scan\.pdf: the PDF has no text layer \(a scan\?\); run OCR first or supply the text$"):
        to_text(buf.getvalue(), "scan.pdf")


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (numbered from 1; object 1 the catalog) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_too_many_pages_is_refused_before_reading_them(monkeypatch):
    monkeypatch.setattr(convert, "MAX_PDF_PAGES", 50)
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(51))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"] * 51
    pdf = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 51 /Kids [%s] >>" % kids, *pages])
    with pytest.raises(PlanwatchError, match="more than 50 pages"):
        convert.pdf_to_text(pdf, "long.pdf")       # in process: the patched limit is not the sandbox child's


@pytest.mark.parametrize("depth,message", [(20, r"more than 10,000 drawings \(XObjects\) on page 1"),
                                           (40, "drawings nested more than 32 deep on page 1")])
def test_forms_drawing_forms_are_refused_not_followed(depth, message):
    """Forms each drawing the next twice: 2^depth drawings if followed to the end."""
    forms = []
    for i in range(depth):
        nxt = 6 + i                     # objects: 1 catalog, 2 pages, 3 page, 4 content, 5… forms
        draws = b"/X Do /X Do" if i < depth - 1 else b""
        res = b"/Resources << /XObject << /X %d 0 R >> >>" % nxt if i < depth - 1 else b""
        forms.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] %s /Length %d >>\nstream\n%s\nendstream"
                     % (res, len(draws), draws))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>"
    content = b"<< /Length 5 >>\nstream\n/X Do\nendstream"
    pdf = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>", page, content, *forms])
    with pytest.raises(PlanwatchError, match=message):
        to_text(pdf, "fan.pdf")


def _scattered(n: int) -> bytes:
    """One page of n characters far apart: n text boxes for pdfminer to order."""
    import random
    from reportlab.pdfgen import canvas
    font = _font()
    rng = random.Random(1)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(5000, 5000), invariant=1)
    c.setFont(font, 2)
    for _ in range(n):
        c.drawString(rng.uniform(0, 4990), rng.uniform(0, 4990), "经")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_page_of_many_text_boxes_is_read_without_pairwise_grouping(monkeypatch):
    from pdfminer.layout import LTPage
    grouped = []
    original = LTPage.group_textboxes
    monkeypatch.setattr(LTPage, "group_textboxes", lambda self, la, boxes: grouped.append(len(boxes)) or original(self, la, boxes))
    text = convert.pdf_to_text(_scattered(convert.MAX_PDF_PAGE_BOXES + 100), "boxes.pdf")
    assert text.count("经") == convert.MAX_PDF_PAGE_BOXES + 100 and grouped == []
    convert.pdf_to_text(_scattered(50), "few.pdf")
    assert grouped == [50]


def test_too_many_text_boxes_in_all_is_refused(monkeypatch):
    monkeypatch.setattr(convert, "MAX_PDF_BOXES", 40)
    with pytest.raises(PlanwatchError, match="more than 40 blocks of text"):
        convert.pdf_to_text(_scattered(50), "boxes.pdf")
