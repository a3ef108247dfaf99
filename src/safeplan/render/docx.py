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
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from safeplan.models.reports import Report
from safeplan.models.rollup import CountyReport

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

#: Fonts, the official one first; Word, WPS and LibreOffice substitute the alternative
#: (declared in the font table) where the official one is not installed.
BODY_FONT = ("仿宋", "Noto Serif CJK SC")
TITLE_FONT = ("方正小标宋简体", "Noto Serif CJK SC")
HEI_FONT = ("黑体", "Noto Sans CJK SC")
KAI_FONT = ("楷体", "Noto Serif CJK SC")
LATIN_FONT = "Times New Roman"
#: The one timestamp of every part of the .docx (the zip format's earliest).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

#: What XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF): a record
#: may hold it, the .docx shows U+FFFD instead.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_VOID = {"br", "meta", "img", "hr", "link", "input", "col", "wbr"}
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


# --------------------------------------------------------------------------- the HTML, read


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """The text, a ``<br>`` as a line break, blanks collapsed as a browser does."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(re.sub(r"[ \t\r\n]+", " ", child))
            elif child.tag == "br":
                parts.append("\n")
            else:
                parts.append(child.text())
        return "".join(parts)

    def find(self, tag: str) -> list[Node]:
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find(tag))
        return found


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def read_html(html: str) -> tuple[Node, list[str]]:
    """The HTML report as a tree, its SVG charts taken out (``<img data-chart="0">``)."""
    charts: list[str] = []

    def keep(m: re.Match[str]) -> str:
        charts.append(m.group(0))
        return f'<img data-chart="{len(charts) - 1}">'

    reader = _Reader()
    reader.feed(_SVG.sub(keep, html))
    reader.close()
    return reader.root, charts


# --------------------------------------------------------------------------- Word, written


def _fonts(rpr: Any, fonts: tuple[str, str], size: float | None = None, bold: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), fonts[0])
    rfonts.set(qn("w:cs"), LATIN_FONT)
    if size is not None:
        for name in ("w:sz", "w:szCs"):
            el = rpr.find(qn(name))
            if el is None:
                el = OxmlElement(name)
                rpr.append(el)
            el.set(qn("w:val"), str(int(Pt(size).pt * 2)))
    if bold:
        rpr.append(OxmlElement("w:b"))


def _no_autospace(ppr: Any) -> None:
    """No blank drawn between Chinese and digits or Latin letters (Word's and LibreOffice's
    default adds one): official text writes 2项, 逾期966天."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        if ppr.find(qn(name)) is not None:
            continue
        el = OxmlElement(name)
        el.set(qn("w:val"), "0")
        ppr.insert_element_before(
            el, "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:jc"
        )


def _styles(doc: DocumentObject) -> None:
    """Normal (仿宋 16 pt, 28 pt lines, two characters' indent), the title, the headings,
    the table text and the 附件 label."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT, 16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    # No blank drawn between Chinese and digits: official text writes 2项, 逾期966天.

    _no_autospace(normal.element.get_or_add_pPr())

    def add(name: str, fonts: tuple[str, str], size: float, bold: bool = False) -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _fonts(style.element.get_or_add_rPr(), fonts, size, bold)
        return style

    body = add("Report Body", BODY_FONT, 16)
    body.paragraph_format.first_line_indent = Pt(32)
    title = add("Report Title", TITLE_FONT, 22, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(6)
    label = add("Report Attachment", HEI_FONT, 16)
    label.paragraph_format.space_after = Pt(8)
    period = add("Report Period", KAI_FONT, 16)
    period.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period.paragraph_format.space_after = Pt(12)
    for level, fonts in ((1, HEI_FONT), (2, KAI_FONT)):
        heading = add(f"Report Heading {level}", fonts, 16)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = Pt(8 if level == 1 else 4)
        heading.paragraph_format.outline_level = level - 1
    for name, size in (("Report Table", 10.5), ("Report Table Small", 9)):
        cell = add(name, BODY_FONT, size)
        cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    note = add("Report Note", BODY_FONT, 10.5)
    note.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    note.paragraph_format.space_before = Pt(2)
    note.paragraph_format.space_after = Pt(4)
    caption = add("Report Caption", KAI_FONT, 12)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    caption.paragraph_format.space_after = Pt(6)
    sign = add("Report Signature", BODY_FONT, 16)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.space_before = Pt(28)
    sign.paragraph_format.right_indent = Pt(32)
    sign.paragraph_format.keep_with_next = True
    fill = add("Report Fill", BODY_FONT, 12)
    fill.paragraph_format.space_before = Pt(14)
    fill.paragraph_format.line_spacing = Pt(24)


def _font_table(doc: DocumentObject) -> None:
    """Each official font named with its free alternative (``w:altName``), so that Word,
    WPS and LibreOffice without it print in Noto CJK rather than a font of their choosing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    part = doc.part
    table = next(
        (
            rel.target_part
            for rel in part.rels.values()
            if rel.reltype.endswith("/fontTable") and not rel.is_external
        ),
        None,
    )
    if table is None:
        return
    from docx.oxml import parse_xml

    root = parse_xml(table.blob)
    for official, alternative in (BODY_FONT, TITLE_FONT, HEI_FONT, KAI_FONT):
        font = OxmlElement("w:font")
        font.set(qn("w:name"), official)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        root.append(font)
    from lxml import etree

    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(doc: DocumentObject, lang: str) -> None:
    """A4, the 公文 margins (37 / 35 mm, 28 / 26 mm) and ``第 N 页 共 M 页`` at the foot."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Pt(0)
    words = ("第 ", " 页 共 ", " 页") if lang == "zh" else ("Page ", " of ", "")
    para.add_run(words[0])
    _field(para, "PAGE")
    para.add_run(words[1])
    _field(para, "NUMPAGES")
    para.add_run(words[2])
    for run in para.runs:
        _fonts(run._r.get_or_add_rPr(), ("宋体", "Noto Serif CJK SC"), 12)


def _field(para: Paragraph, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = para.add_run()

    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    run._r.append(instr)
    char("separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    run._r.append(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


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
