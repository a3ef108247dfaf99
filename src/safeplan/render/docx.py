"""The Word report: the HTML report's content, laid out as a 公文 attachment in a .docx.

Built from the HTML report (the same template, so a plan's own templates apply, and the
same view model, so Word, PDF, HTML and Markdown cannot disagree about a figure): its
headings, paragraphs and tables become Word's, its SVG charts pictures (CairoSVG). What
Word adds is print layout: A4 with the GB/T 9704-2012 margins, 仿宋 body and 小标宋 title
(with free fallbacks named for Word/WPS and LibreOffice), header rows repeated on every page,
rows never split, hazard ids that never break (non-breaking hyphens), and
``第 N 页 共 M 页`` at the foot. What made the report goes into the document's
properties, not its text.

The same data gives the same bytes: the properties are dated with the report's day, and
every part of the zip carries one fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from safeplan.models.reports import Report
from safeplan.models.rollup import CountyReport

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph
from safeplan.render.docx_html import Node, read_html
from safeplan.render.docx_styles import HEI_FONT, _font_table, _fonts, _no_autospace, _page, _styles

#: The one timestamp of every part of the .docx (the zip format's earliest).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

#: What XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF): a record
#: may hold it, the .docx shows U+FFFD instead.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --------------------------------------------------------------------------- Word, written


def _add_text(para: Paragraph, text: str, nobreak: bool = False, underline: bool = False) -> None:
    """Text into a paragraph: a line break for ``\\n``; with ``nobreak``, each hyphen a
    non-breaking one (a hazard id never breaks across lines)."""
    from docx.oxml import OxmlElement

    lines = _XML_UNSAFE.sub("\ufffd", text).split("\n")
    for i, line in enumerate(lines):
        if i:
            para.add_run().add_break()
        if not nobreak:
            if line:
                run = para.add_run(line)
                run.underline = underline or None
            continue
        run = para.add_run()
        for j, piece in enumerate(line.split("-")):
            if j:
                run._r.append(OxmlElement("w:noBreakHyphen"))
            if piece:
                t = OxmlElement("w:t")
                t.text = piece
                run._r.append(t)


def _table_rows(table: Node) -> list[tuple[Node, bool]]:
    """Each row with whether it is a header row (in ``<thead>``)."""
    rows: list[tuple[Node, bool]] = []
    for part in table.children:
        if not isinstance(part, Node):
            continue
        if part.tag == "tr":
            rows.append((part, False))
        elif part.tag in ("thead", "tbody", "tfoot"):
            rows.extend(
                (tr, part.tag == "thead")
                for tr in part.children
                if isinstance(tr, Node) and tr.tag == "tr"
            )
    return rows


def _cells(tr: Node) -> list[Node]:
    return [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]


#: The width of the text on an A4 page with the 公文 margins, mm.
TEXT_WIDTH_MM = 210 - 28 - 26


def _column_widths(rows: list[tuple[Node, bool]], count: int, size: float) -> list[Any]:
    """Each column as wide as its text asks, within the page: a column that must not wrap
    (ids, dates, numbers) gets its whole width; the others share the rest by their longest
    text (as a browser lays out an automatic table)."""
    from docx.shared import Mm

    from safeplan.render.width import cell_width

    # One cell (half an em) of text, mm, with room for a wider Latin face than Times New
    # Roman where it is missing (DejaVu Serif's digits are 0.64 em).
    cell_mm = size * 0.66 * 0.3528
    pad = 2.4
    ids: set[int] = set()  # the columns of hazard ids
    need = [0.0] * count  # what a column needs without wrapping its no-wrap cells
    want = [1.0] * count  # how much text it holds, longest line
    for tr, header in rows:
        col = 0
        for c in _cells(tr):
            span = int(c.attrs.get("colspan", "1") or 1)
            if span == 1 and col < count:
                lines = c.text().strip().split("\n") or [""]
                longest = max(cell_width(line.strip()) for line in lines)
                if header:
                    want[col] = max(want[col], min(longest, 8))
                    need[col] = max(need[col], min(longest, 4) * cell_mm + pad)
                else:
                    want[col] = max(want[col], min(longest, 40))
                    if "id" in c.classes:
                        ids.add(col)
                    nowrap = c.classes & {"id", "date", "n", "short", "unit", "state"}
                    if (nowrap and longest <= 16) or "id" in c.classes or longest <= 6:
                        need[col] = max(need[col], longest * cell_mm + pad)
            col += span
    total = TEXT_WIDTH_MM
    if sum(need) >= total:
        # Too wide: every column but a hazard id's (which never breaks) may wrap down to
        # four cells, and the columns share what is left by how much text they hold.
        least = 4 * cell_mm + pad
        need = [n if i in ids else min(n, least) for i, n in enumerate(need)]
    fixed = sum(need)
    rest = max(total - fixed, 0.0)
    share = [max(w * cell_mm + pad - n, 0.0) for w, n in zip(want, need, strict=True)]
    spare = sum(share)
    if spare <= rest:
        widths = [n + s for n, s in zip(need, share, strict=True)]
        grow = (total - sum(widths)) / count
        widths = [w + grow for w in widths]
    else:
        widths = [n + s * rest / spare for n, s in zip(need, share, strict=True)]
    return [Mm(round(w, 1)) for w in widths]


def _table(doc: DocumentObject, node: Node) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rows = _table_rows(node)
    if not rows:
        return
    width = max(sum(int(c.attrs.get("colspan", "1") or 1) for c in _cells(tr)) for tr, _ in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    small = width > 6
    style = doc.styles["Report Table Small" if small else "Report Table"]
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "57")  # 1 mm
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    table._tbl.tblPr.append(margins)
    for i, mm in enumerate(_column_widths(rows, width, 9 if small else 10.5)):
        table.columns[i].width = mm
        for row in table.rows:
            row.cells[i].width = mm
    for i, (tr, header) in enumerate(rows):
        row = table.rows[i]
        trpr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        trpr.append(cant)
        if header:
            repeat = OxmlElement("w:tblHeader")
            trpr.append(repeat)
        col = 0
        for cell_node in _cells(tr):
            span = int(cell_node.attrs.get("colspan", "1") or 1)
            cell: _Cell = row.cells[col]
            if span > 1:
                cell = cell.merge(row.cells[min(col + span, width) - 1])
            col += span
            para = cell.paragraphs[0]
            para.style = style
            classes = cell_node.classes
            if header or "n" in classes:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.RIGHT
            _add_text(para, cell_node.text().strip(), nobreak="id" in classes)
            if header or (cell_node.tag == "th" and "group" in tr.classes):
                for run in para.runs:
                    _fonts(run._r.get_or_add_rPr(), HEI_FONT)
            if header:
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), "F0F0F0")
                cell._tc.get_or_add_tcPr().append(shd)


def _chart(doc: DocumentObject, svg: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from safeplan.render.pdf import missing_library

    try:
        import cairosvg
    except (ImportError, OSError):
        raise missing_library("docx") from None
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2.0)
    para = doc.add_paragraph(style=doc.styles["Report Caption"])
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.keep_with_next = True
    para.add_run().add_picture(io.BytesIO(png), width=Mm(150))


_PARAGRAPH_STYLE = {
    "attachment": "Report Attachment",
    "period": "Report Period",
    "note": "Report Note",
    "warning": "Report Note",
    "signature": "Report Signature",
}


def _blocks(doc: DocumentObject, node: Node, charts: list[str]) -> None:
    """Each block of the HTML body, in order, as Word's."""
    for child in node.children:
        if not isinstance(child, Node):
            continue
        tag = child.tag
        if tag == "h1":
            doc.add_paragraph(child.text().strip(), style=doc.styles["Report Title"])
        elif tag in ("h2", "h3"):
            level = 1 if tag == "h2" else 2
            doc.add_paragraph(child.text().strip(), style=doc.styles[f"Report Heading {level}"])
        elif tag == "p" and "fill" in child.classes:
            _fill_line(doc, child)
        elif tag == "p":
            if "signature" in child.classes:
                _keep_with_next(doc)
            name = next((s for c, s in _PARAGRAPH_STYLE.items() if c in child.classes), None)
            para = doc.add_paragraph(style=doc.styles[name or "Report Body"])
            _add_text(para, child.text().strip())
            if "nil" in child.classes or "warning" in child.classes:
                for run in para.runs:
                    run.bold = True
        elif tag == "table":
            _table(doc, child)
        elif tag == "img" and "data-chart" in child.attrs:
            _chart(doc, charts[int(child.attrs["data-chart"])])
        elif tag == "figcaption":
            doc.add_paragraph(child.text().strip(), style=doc.styles["Report Caption"])
        elif tag in ("head", "style", "script", "title"):
            continue
        else:
            _blocks(doc, child, charts)


def _keep_with_next(doc: DocumentObject) -> None:
    """The block before the 落款 kept on its page (a paragraph, or a table's last row), so
    that the 落款 never stands alone on a page."""
    from docx.oxml.ns import qn

    blocks = [el for el in doc.element.body.iterchildren() if el.tag in (qn("w:p"), qn("w:tbl"))]
    if not blocks:
        return
    last = blocks[-1]
    paragraphs = [last] if last.tag == qn("w:p") else last.findall(qn("w:tr"))[-1:]
    for el in paragraphs:
        for p in [el] if el.tag == qn("w:p") else el.iter(qn("w:p")):
            p.get_or_add_pPr().keepNext_val = True
    if len(blocks) > 1 and last.tag == qn("w:p") and blocks[-2].tag == qn("w:tbl"):
        for p in blocks[-2].findall(qn("w:tr"))[-1].iter(qn("w:p")):
            p.get_or_add_pPr().keepNext_val = True


def _fill_line(doc: DocumentObject, node: Node) -> None:
    """填报单位（盖章）：…　填报人：…: each value underlined, a blank one as a line to write on."""
    para = doc.add_paragraph(style=doc.styles["Report Fill"])
    items = [c for c in node.children if isinstance(c, Node) and "item" in c.classes]
    for i, item in enumerate(items):
        if i:
            para.add_run("　　")
        for part in item.children:
            if isinstance(part, str):  # the label and its colon (": " in English)
                _add_text(para, re.sub(r"\s+", " ", part).lstrip())
            elif "value" in part.classes:
                value = part.text().strip()
                _add_text(para, value or "\u3000" * 6, underline=True)


def _properties(
    doc: DocumentObject, view: Report | CountyReport, meta: dict[str, str], title: str
) -> None:
    """Title, author and what made the report, dated with the report's day."""
    props = doc.core_properties
    day = dt.datetime.combine(view.as_of, dt.time(0, 0))
    author = _XML_UNSAFE.sub("\ufffd", meta.get("author", ""))[:255]
    props.title = _XML_UNSAFE.sub("\ufffd", title)[:255]
    props.author = author
    props.last_modified_by = author
    props.comments = _XML_UNSAFE.sub("\ufffd", meta.get("description", ""))
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.language = "zh-CN" if meta.get("lang") == "zh" else "en"
    props.version = view.version
    props.revision = 1
    props.created = day
    props.modified = day
    props.last_printed = day


def _fixed_zip(data: bytes) -> bytes:
    """The .docx with one timestamp for every part, in the order written."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def docx_bytes(view: Report | CountyReport, html: str, lang: str) -> bytes:
    """The Word report of ``view``, from its HTML report ``html``."""
    from docx import Document

    root, charts = read_html(html)
    meta = {m.attrs.get("name", ""): m.attrs.get("content", "") for m in root.find("meta")}
    meta["lang"] = lang
    titles = root.find("title")
    title = titles[0].text().strip() if titles else ""
    doc = Document()
    _styles(doc)
    _font_table(doc)
    _page(doc, lang)
    bodies = root.find("body")
    _blocks(doc, bodies[0] if bodies else root, charts)
    # The template's first, empty paragraph would open the page with a blank line.
    first = doc.paragraphs[0] if doc.paragraphs else None
    if (
        first is not None
        and not first.text
        and first.style is not None
        and first.style.name == "Normal"
    ):
        first._element.getparent().remove(first._element)
    from docx.oxml.ns import qn

    for p in doc.element.body.iter(qn("w:p")):
        _no_autospace(p.get_or_add_pPr())
    for p in doc.sections[0].footer._element.iter(qn("w:p")):
        _no_autospace(p.get_or_add_pPr())
    _properties(doc, view, meta, title)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue())
