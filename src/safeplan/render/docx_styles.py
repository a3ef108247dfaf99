"""The Word report's print style: the 公文 fonts (official first, free fallbacks declared
in the font table), the paragraph styles, A4 with the GB/T 9704-2012 margins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.text.paragraph import Paragraph


#: Fonts, the official one first; Word, WPS and LibreOffice substitute the alternative
#: (declared in the font table) where the official one is not installed.
BODY_FONT = ("仿宋", "Noto Serif CJK SC")
TITLE_FONT = ("方正小标宋简体", "Noto Serif CJK SC")
HEI_FONT = ("黑体", "Noto Sans CJK SC")
KAI_FONT = ("楷体", "Noto Serif CJK SC")
LATIN_FONT = "Times New Roman"


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
