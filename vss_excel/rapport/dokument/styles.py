"""The default template's look: A4, Arial, headings, table text and notes, Swedish language.

A kommun restyles these in Word (Format > Styles); the report only names them. The language is
set in the document defaults and the settings, so spelling and hyphenation are Swedish and the PDF
says /Lang sv-SE.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle

from ...word import A4, bullets, hyphenate, set_language, update_fields_on_open

FONT = "Arial"  # in every Word; LibreOffice on Linux shows a metric twin or its fallback
HEADING_COLOUR = RGBColor(0x1F, 0x38, 0x64)
TABLE_TEXT, TABLE_HEADER, TABLE_NOTE = "Tabelltext", "Tabellhuvud", "Tabellnot"
ROW_HEADER = "Radrubrik"  # a table's first column: the PDF tags its cells as row headers (TH)
TOC_LEVELS = 2
PAGE_WIDTH, PAGE_HEIGHT = A4
SIDE_MARGIN = Cm(2.0)
TEXT_WIDTH_CM = 17.0
RIGHT_TAB = Cm(TEXT_WIDTH_CM)


def _font(style: ParagraphStyle, size: float, bold: bool = False, italic: bool = False) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)  # a theme font would win over the named one
    rfonts.set(qn("w:cs"), FONT)


def _paragraph_style(doc: Document, name: str, base: str = "Normal") -> ParagraphStyle:
    names = {s.name for s in doc.styles}
    if name in names:
        return doc.styles[name]  # type: ignore[no-any-return]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    return style  # type: ignore[no-any-return]


def setup(doc: Document) -> None:
    """Page, fonts, headings, table and note styles of the default template."""
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = SIDE_MARGIN
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    normal = doc.styles["Normal"]
    _font(normal, 10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 24), ("Subtitle", 14)):
        _font(doc.styles[name], size)
        doc.styles[name].font.color.rgb = HEADING_COLOUR
    for level, size, before in ((1, 16, 18), (2, 13, 14), (3, 11, 10)):
        h = doc.styles[f"Heading {level}"]
        _font(h, size, bold=True)
        h.font.color.rgb = HEADING_COLOUR
        h.paragraph_format.space_before = Pt(before)
        h.paragraph_format.space_after = Pt(4)
        h.paragraph_format.keep_with_next = True
    _font(doc.styles["TOC Heading"], 16, bold=True)
    _font(doc.styles["Caption"], 9.5, bold=True)
    doc.styles["Caption"].font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Caption"].paragraph_format.keep_with_next = True
    doc.styles["Caption"].paragraph_format.space_before = Pt(6)
    doc.styles["Caption"].paragraph_format.space_after = Pt(3)
    _font(doc.styles["List Bullet"], 10.5)
    doc.styles["List Bullet"].paragraph_format.keep_together = True  # an item's lines on one page
    normal.paragraph_format.widow_control = True
    for i in range(1, TOC_LEVELS + 1):
        toc = _paragraph_style(doc, f"toc {i}")  # Word's own name and id for its TOC levels
        toc.element.styleId = f"TOC{i}"
        toc.element.attrib.pop(qn("w:customStyle"), None)
        toc.paragraph_format.left_indent = Cm(0.6 * (i - 1))
        toc.paragraph_format.space_after = Pt(2)
        toc.paragraph_format.tab_stops.add_tab_stop(RIGHT_TAB, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    text = _paragraph_style(doc, TABLE_TEXT)
    _font(text, 9)
    text.paragraph_format.space_before = Pt(1)  # the text clears the cell's borders
    text.paragraph_format.space_after = Pt(1)
    text.paragraph_format.line_spacing = 1.0
    _paragraph_style(doc, ROW_HEADER, TABLE_TEXT)  # looks as the table's text
    header = _paragraph_style(doc, TABLE_HEADER, TABLE_TEXT)
    _font(header, 8.5, bold=True)
    header.paragraph_format.keep_with_next = True
    note = _paragraph_style(doc, TABLE_NOTE)
    _font(note, 8.5, italic=True)
    note.paragraph_format.space_after = Pt(2)
    footer = doc.styles["Footer"]
    _font(footer, 8.5)
    footer.paragraph_format.tab_stops.clear_all()  # the title left, the page number at the margin
    footer.paragraph_format.tab_stops.add_tab_stop(RIGHT_TAB, WD_TAB_ALIGNMENT.RIGHT)
    bullets(doc, FONT)
    hyphenate(
        doc,
        never=(
            "Title",
            "Subtitle",
            "Heading 1",
            "Heading 2",
            "Heading 3",
            "Caption",
            "TOC Heading",
            "toc 1",
            "toc 2",
        ),
    )
    set_language(doc)
    update_fields_on_open(doc)
