"""Small WordprocessingML edits that keep the schema's order of elements: Word calls a file whose
settings or table properties are out of order unreadable, though LibreOffice opens it."""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm

LANG = "sv-SE"
A4 = (Cm(21.0), Cm(29.7))  # width, height

# The tail of w:settings' sequence (ECMA-376 CT_Settings), from the first setting the report sets.
SETTINGS_ORDER = (
    "w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
    "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
    "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting", "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing", "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery", "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin", "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin", "w:doNotShadeFormData", "w:noPunctuationKerning",
    "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
    "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
    "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
LVL_ORDER = (
    "w:start", "w:numFmt", "w:lvlRestart", "w:pStyle", "w:isLgl", "w:suff", "w:lvlText",
    "w:lvlPicBulletId", "w:legacy", "w:lvlJc", "w:pPr", "w:rPr",
)  # fmt: skip
TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip


def child(parent: BaseOxmlElement, tag: str, order: tuple[str, ...] = ()) -> BaseOxmlElement:
    """The parent's child with the tag, made where the schema puts it (before any child that
    comes after it in `order`) if there is none; appended when no order is given."""
    found = parent.find(qn(tag))
    if found is not None:
        return found  # type: ignore[no-any-return]
    new = OxmlElement(tag)
    later = order[order.index(tag) + 1 :] if tag in order else ()
    successor = next((c for c in parent if c.tag in {qn(t) for t in later}), None)
    if successor is not None:
        successor.addprevious(new)
    else:
        parent.append(new)
    return new


def setting(doc: Document, tag: str, value: str | None = None) -> None:
    el = child(doc.settings.element, tag, SETTINGS_ORDER)
    if value is not None:
        el.set(qn("w:val"), value)


def set_language(doc: Document) -> None:
    """sv-SE in the document defaults (every style inherits it), the settings and the properties."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)  # first in w:styles
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)  # before w:pPrDefault
    lang = child(
        child(rpr_default, "w:rPr"), "w:lang", ("w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
    )
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    setting(doc, "w:themeFontLang", LANG)
    doc.core_properties.language = LANG


def update_fields_on_open(doc: Document) -> None:
    """Word refreshes the table of contents (page numbers) when the document is opened."""
    setting(doc, "w:updateFields", "true")


def hyphenate(doc: Document, never: tuple[str, ...] = ()) -> None:
    """Automatic hyphenation: long Swedish compounds in narrow table cells break at a syllable;
    never in the paragraph styles `never` (headings read whole)."""
    setting(doc, "w:autoHyphenation", "true")
    setting(doc, "w:doNotHyphenateCaps", "true")  # LKDATA, SUA: never LKDA-TA
    for name in never:
        ppr = doc.styles[name].element.get_or_add_pPr()
        child(ppr, "w:suppressAutoHyphens", PPR_ORDER)


BULLET = "\u2022"  # a real bullet, not Symbol's private-use character: the PDF's text says "•"


def bullets(doc: Document, font: str) -> None:
    """The style List Bullet marks its items with "•" in the given font (Word's own template uses
    a private-use character of the Symbol font, which a screen reader or a copy cannot read)."""
    style = doc.styles["List Bullet"]
    num_id = style.element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    if not num_id:
        return
    numbering = doc.part.numbering_part.element
    abstract = numbering.xpath(f"./w:num[@w:numId='{num_id[0]}']/w:abstractNumId/@w:val")
    if not abstract:
        return
    for lvl in numbering.xpath(f"./w:abstractNum[@w:abstractNumId='{abstract[0]}']/w:lvl"):
        child(lvl, "w:lvlText", LVL_ORDER).set(qn("w:val"), BULLET)
        fonts = child(child(lvl, "w:rPr", LVL_ORDER), "w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), font)
        fonts.attrib.pop(qn("w:hint"), None)
