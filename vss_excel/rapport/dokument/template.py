"""The default Word template, built from code: `vss-excel rapportmall` writes it for a kommun to restyle.

The report is rendered with docxtpl: Jinja tags in a .docx. Restyle freely in Word (styles, cover,
header and footer, logo); keep the tags, or move them. The tags a template may use:

    {{ rubrik }}          "Delårsrapport Verksamhetsstöd och service per 31 oktober 2020"
    {{ rapporttyp }}      "Delårsrapport"          {{ datum }}    "31 oktober 2020"
    {{ forvaltning }}     "Verksamhetsstöd och service"   {{ kortnamn }} "VSS"
    {{ organisation }}    "Linköpings kommun"      {{ ar }} "2020"   {{ period }} "jan–okt 2020"
    {{ rubriker.coronapandemin }}, {{ rubriker.samlad_bedomning }}, {{ rubriker.internbudget }}

    text.<avsnitt>: the förvaltning's own text as a list of paragraphs, each with .text (rich
    text: write {{r s.text }}) and .punkt (true for a list item). Avsnitt: uppdrag, bedomning,
    sarskilda_handelser, samlad_bedomning, ekonomi_avvikelser, basuppdrag, personal,
    driftsammandrag, internbudget, investeringar. An empty text gives a marked "[Skriv här: …]".

        {%p for s in text.uppdrag %}
        {%p if s.punkt %}  {{r s.text }} (paragraph style List Bullet)
        {%p else %}        {{r s.text }} (paragraph style Normal)
        {%p endif %}
        {%p endfor %}

    tabell.<namn>: ekonomi, volymer, personal, resultat, prognos, investeringar, status. Each has
    .rubrik (caption, also the table's title for screen readers), .kolumner (the header row's
    texts), .rader (rows; each a list of cells, rich text: {{r rad[0] }}; figures already in tkr
    as "6 339", "−1 100", "–", "saknas", "9 962*") and .noter (notes for under the table: rounding,
    what "saknas" stands for, which units a total marked * lacks). A table in Word: a header
    row with {{ tabell.ekonomi.kolumner[0] }} …, then three rows: {%tr for rad in tabell.ekonomi.rader %},
    the cells {{r rad[0] }} …, and {%tr endfor %}. tabell.status has one column per status: its
    cells repeat with {%tc for k in tabell.status.kolumner[1:] %} {{ k }} {%tc endfor %}.

    perspektiv: a list, each with .namn, .tabell (as above: mål, aktivitet, slutdatum, status,
    kommentar) and .antal ("Status: Klar 8, Pågående 2 (totalt 10 aktiviteter)."). A row's
    .ny_grupp is false when its mål is the row above's: the default template's mål cell has
    <w:vMerge w:val="{% if rad.ny_grupp %}restart{% else %}continue{% endif %}"/>, so a mål
    stands once for its activities, as in the verksamhetsplan.
    verksamhetsplan.inledning (text) and verksamhetsplan.statusar (each "Klar – genomförd som planerat").
    diagram.drift, diagram.aktiviteter: pictures with alt text ({{ diagram.drift }} alone in a
    paragraph); diagram.aktiviteter is empty when there are no activities: wrap it in {%p if %}.

Headings must use the styles Heading 1 and Heading 2 (Rubrik 1, Rubrik 2 in Swedish Word): the
table of contents lists them. Put a table of contents field where it should stand (References >
Table of Contents); the report fills it in. Title, subject, author and language (sv-SE) are set
by the report, whatever the template says.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from ... import files
from ...word import TBLPR_ORDER, child
from .styles import TABLE_HEADER, TABLE_NOTE, TABLE_TEXT, setup

HEADER_FILL = "DCE6F1"
TOC_INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '
TOC_PLACEHOLDER = "Innehållsförteckningen fylls i när rapporten skapas."
# Column widths in cm per table (numbers right-aligned from the second column on).
WIDTHS = {
    "ekonomi": (8.6, 2.8, 2.8, 2.8),
    "volymer": (8.6, 2.8, 2.8, 2.8),
    "personal": (8.6, 2.8, 2.8, 2.8),
    "resultat": (5.4, 2.9, 2.9, 2.9, 2.9),
    "prognos": (5.4, 2.9, 2.9, 2.9, 2.9),
    "investeringar": (2.9, 2.0, 2.0, 2.0, 2.0, 2.0, 2.05, 2.05),
}
ACTIVITY_WIDTHS = (3.0, 5.0, 2.2, 2.0, 4.8)
STATUS_FIRST, STATUS_REPEATED = 3.0, 2.0
# The activity table's mål cell: merged with the one above while the mål stays the same.
GROUP_MERGE = "{% if rad.ny_grupp %}restart{% else %}continue{% endif %}"


def build_template(target: Path) -> Path:
    """Write the default template to target (renamed into place when whole)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing(target, ".docx") as tmp:
        template_document().save(str(tmp))
    return target


def _para(doc: Document, text: str = "", style: str = "Normal") -> DocxParagraph:
    return doc.add_paragraph(text, style=style)


def _field(p: DocxParagraph, instruction: str, shown: str = "") -> None:
    """A field (begin, instruction, separate, shown result, end) at the end of the paragraph."""

    def char(kind: str) -> None:
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        p.add_run()._r.append(fc)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    p.add_run()._r.append(instr)
    char("separate")
    p.add_run(shown)
    char("end")


def _cover(doc: Document) -> None:
    _para(doc, "{{ rubrik }}", "Title")
    _para(doc, "{{ organisation }}", "Subtitle")
    _para(doc, "Innehåll", "TOC Heading")
    _field(_para(doc), TOC_INSTRUCTION, TOC_PLACEHOLDER)
    _para(doc).add_run().add_break(WD_BREAK.PAGE)


def _footer(doc: Document) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.style = doc.styles["Footer"]
    p.add_run("{{ rubrik }}\tSida ")
    _field(p, " PAGE ", "1")


def _text(doc: Document, key: str) -> None:
    for text, style in (
        (f"{{%p for s in text.{key} %}}", "Normal"),
        ("{%p if s.punkt %}", "Normal"),
        ("{{r s.text }}", "List Bullet"),
        ("{%p else %}", "Normal"),
        ("{{r s.text }}", "Normal"),
        ("{%p endif %}", "Normal"),
        ("{%p endfor %}", "Normal"),
    ):
        _para(doc, text, style)


def _cell(table: DocxTable, r: int, c: int, text: str, style: str, right: bool, width: float) -> None:
    cell = table.cell(r, c)
    cell.width = Cm(width)
    p = cell.paragraphs[0]
    p.style = style
    p.add_run(text)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table_props(table: DocxTable, path: str) -> None:
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    tblpr = table._tbl.tblPr
    margins = child(tblpr, "w:tblCellMar", TBLPR_ORDER)
    for side in ("w:left", "w:right"):
        m = child(margins, side)
        m.set(qn("w:w"), "57")  # 0.1 cm: more room for figures in narrow columns
        m.set(qn("w:type"), "dxa")
    child(tblpr, "w:tblCaption", TBLPR_ORDER).set(qn("w:val"), f"{{{{ {path}.rubrik }}}}")
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))  # repeated on every page; the PDF tags it as TH
    for cell in header.cells:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), HEADER_FILL)
        cell._tc.get_or_add_tcPr().append(shd)
    for r in table.rows:
        r._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _table(
    doc: Document, path: str, widths: tuple[float, ...], empty: str = "", merge_groups: bool = False
) -> None:
    """Caption, a table with a header row and one row repeated per data row, then the notes."""
    _para(doc, f"{{%p if {path}.rader %}}")
    _para(doc, f"{{{{ {path}.rubrik }}}}", "Caption")
    t = doc.add_table(rows=4, cols=len(widths))
    t.autofit = False
    for c, w in enumerate(widths):
        t.columns[c].width = Cm(w)
    for c, w in enumerate(widths):
        right = c > 0 and path != "p.tabell"
        _cell(t, 0, c, f"{{{{ {path}.kolumner[{c}] }}}}", TABLE_HEADER, right, w)
        _cell(t, 1, c, f"{{%tr for rad in {path}.rader %}}" if c == 0 else "", TABLE_TEXT, False, w)
        _cell(t, 2, c, f"{{{{r rad[{c}] }}}}", TABLE_TEXT, right, w)
        _cell(t, 3, c, "{%tr endfor %}" if c == 0 else "", TABLE_TEXT, False, w)
    if not merge_groups:
        _keep_together(t)
    else:
        vmerge = OxmlElement("w:vMerge")
        vmerge.set(qn("w:val"), GROUP_MERGE)
        t.cell(2, 0)._tc.get_or_add_tcPr().append(vmerge)
    _table_props(t, path)
    _notes(doc, path)
    if empty:
        _para(doc, "{%p else %}")
        _para(doc, empty)
    _para(doc, "{%p endif %}")


def _status_table(doc: Document) -> None:
    """Perspektiv, then one column per status (as many as the settings have), then Totalt."""
    path = "tabell.status"
    _para(doc, f"{{%p if {path}.rader %}}")
    _para(doc, f"{{{{ {path}.rubrik }}}}", "Caption")
    t = doc.add_table(rows=4, cols=4)
    t.autofit = False  # the columns' widths are set when the statuses are known (finish.fit_tables)
    rows = (
        (
            f"{{{{ {path}.kolumner[0] }}}}",
            f"{{%tc for k in {path}.kolumner[1:] %}}",
            "{{ k }}",
            "{%tc endfor %}",
        ),
        (f"{{%tr for rad in {path}.rader %}}", "", "", ""),
        ("{{r rad[0] }}", "{%tc for c in rad[1:] %}", "{{r c }}", "{%tc endfor %}"),
        ("{%tr endfor %}", "", "", ""),
    )
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            width = STATUS_FIRST if c == 0 else STATUS_REPEATED
            _cell(t, r, c, text, TABLE_HEADER if r == 0 else TABLE_TEXT, c == 2, width)
    _keep_together(t)
    _table_props(t, path)
    _notes(doc, path)
    _para(doc, "{%p endif %}")


def _keep_together(t: DocxTable) -> None:
    """A short table stays on one page: each row's text keeps with the next."""
    for cell in t.rows[2].cells:
        cell.paragraphs[0].paragraph_format.keep_with_next = True


def _notes(doc: Document, path: str) -> None:
    _para(doc, f"{{%p for n in {path}.noter %}}")
    _para(doc, "{{ n }}", TABLE_NOTE)
    _para(doc, "{%p endfor %}")


def _chart(doc: Document, name: str) -> None:
    _para(doc, f"{{%p if diagram.{name} %}}")
    _para(doc, f"{{{{ diagram.{name} }}}}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "{%p endif %}")


def template_document() -> Document:
    doc = docx.Document()
    setup(doc)
    _cover(doc)
    _footer(doc)
    h = doc.add_heading
    h("Förvaltningens uppdrag", 1)
    _text(doc, "uppdrag")
    h("Förvaltningschefens bedömning och analys", 1)
    _text(doc, "bedomning")
    h("{{ rubriker.coronapandemin }}", 2)
    _text(doc, "sarskilda_handelser")
    h("{{ rubriker.samlad_bedomning }}", 2)
    _text(doc, "samlad_bedomning")
    h("Ekonomi", 1)
    _table(doc, "tabell.ekonomi", WIDTHS["ekonomi"])
    h("Väsentliga avvikelser", 3)
    _text(doc, "ekonomi_avvikelser")
    h("Basuppdrag", 1)
    _table(doc, "tabell.volymer", WIDTHS["volymer"], "Förvaltningen har inga volymmått angivna.")
    h("Väsentliga avvikelser", 3)
    _text(doc, "basuppdrag")
    h("Personal", 1)
    _table(doc, "tabell.personal", WIDTHS["personal"], "Förvaltningen har inga personalmått angivna.")
    h("Väsentliga avvikelser", 3)
    _text(doc, "personal")
    h("Driftsammandrag", 1)
    h("Resultat {{ datum }}", 2)
    _table(doc, "tabell.resultat", WIDTHS["resultat"])
    h("Prognos resultat {{ ar }}", 2)
    _table(doc, "tabell.prognos", WIDTHS["prognos"])
    _chart(doc, "drift")
    h("Analys och kommentar", 3)
    _text(doc, "driftsammandrag")
    h("{{ rubriker.internbudget }}", 3)
    _text(doc, "internbudget")
    h("Investeringar", 1)
    _table(doc, "tabell.investeringar", WIDTHS["investeringar"], "Förvaltningen har inga investeringar.")
    h("Analys och kommentar", 3)
    _text(doc, "investeringar")
    h("Uppföljning av verksamhetsplanen", 1)
    _para(doc, "{{ verksamhetsplan.inledning }}")
    _para(doc, "{%p for s in verksamhetsplan.statusar %}")
    _para(doc, "{{ s }}", "List Bullet")
    _para(doc, "{%p endfor %}")
    _status_table(doc)
    _chart(doc, "aktiviteter")
    _para(doc, "{%p for p in perspektiv %}")
    h("{{ p.namn }}", 2)
    _para(doc, "{{ p.antal }}")
    _table(doc, "p.tabell", ACTIVITY_WIDTHS, merge_groups=True)
    _para(doc, "{%p endfor %}")
    return doc
