"""The default Word template, built from code: `vss-excel rapportmall` writes it for a kommun to restyle.

The report is rendered with docxtpl: Jinja tags in a .docx. Restyle freely in Word (styles, cover,
header and footer, logo); keep the tags, or move them. The tags a template may use:

    {{ rubrik }}          "Delårsrapport Verksamhetsstöd och service per 31 oktober 2020"
    {{ rapporttyp }}      "Delårsrapport"          {{ datum }}    "31 oktober 2020"
    {{ forvaltning }}     "Verksamhetsstöd och service"   {{ kortnamn }} "VSS"
    {{ organisation }}    "Linköpings kommun"      {{ ar }} "2020"   {{ period }} "jan–okt 2020"
    delar                 the report's parts (settings: rapport.delar): {%p if 'ekonomi' in delar %}

    avsnitt.<plats>: the förvaltning's own sections at a place (settings: [[avsnitt]]), in order;
    plats is inledning (before the first part) or a part (ekonomi, basuppdrag, personal,
    driftsammandrag, investeringar, verksamhetsplan), after its tables. Each has .rubrik (its
    heading, '' for none), .niva (1, 2, or 0 without a heading) and .text: a list of paragraphs,
    each with .text (rich text: write {{r s.text }}), .punkt (true for a list item) and .hall
    (keep with the next paragraph: a list and its lead stay on one page). An empty text gives a
    marked "[Skriv här: …]". The same by id: text.<id> (paragraphs) and rubriker.<id> (heading).

        {%p for a in avsnitt.inledning %}
        {%p if a.niva == 1 %} {{ a.rubrik }} (style Heading 1)
        {%p elif a.niva == 2 %} {{ a.rubrik }} (style Heading 2)
        {%p endif %}
        {%p for s in a.text %}
        {%p if s.punkt %}  {{r s.text }} (paragraph style List Bullet)
        {%p else %}        {{r s.text }} (paragraph style Normal)
        {%p endif %}
        {%p endfor %}
        {%p endfor %}

    tabell.<namn>: ekonomi, volymer, personal, resultat, prognos, investeringar, status. Each has
    .rubrik (caption, also the table's title for screen readers), .kolumner (the header row's
    texts), .rader (rows; each a list of cells, rich text: {{r rad[0] }}; figures already in tkr
    as "6 339", "−1 100", "–", "saknas", "9 962*") and .noter (notes for under the table: rounding,
    what "saknas" stands for, which units a total marked * lacks, and the förvaltning's own note
    under it, from [[avsnitt]] with tabell). A table in Word: a header row with
    {{ tabell.ekonomi.kolumner[0] }} …, then three rows: {%tr for rad in tabell.ekonomi.rader %},
    the cells {{r rad[0] }} …, and {%tr endfor %}. tabell.status has one column per status: its
    cells repeat with {%tc for k in tabell.status.kolumner[1:] %} {{ k }} {%tc endfor %}.

    perspektiv: a list, each with .namn, .antal ("Status: Klar 8, Pågående 2 (totalt 10
    aktiviteter).") and .mal: a table per mål (as above: aktivitet, slutdatum, status, kommentar),
    whose .grupp ("Förvaltningsmål: God service") heads it in a header row of its own, repeated
    with the column headers on every page the table runs over. (.tabell has every activity of the
    perspektiv, the mål in a first column, for a template that wants one table.)
    verksamhetsplan.inledning (text) and verksamhetsplan.statusar (each "Klar – genomförd som planerat").
    diagram.drift, diagram.aktiviteter: pictures with alt text ({{ diagram.drift }} alone in a
    paragraph); diagram.aktiviteter is empty when there are no activities: wrap it in {%p if %}.

Headings must use the styles Heading 1 and Heading 2 (Rubrik 1, Rubrik 2 in Swedish Word), and
never skip a level: the table of contents lists them and the PDF tags them H1 and H2. Table
captions use the style Caption (Beskrivning), a table's first column Radrubrik (the PDF tags its
cells as row headers). Put a table of contents field where it should stand (References > Table of
Contents); the report fills it in. Title, subject, author and language (sv-SE) are set by the
report, whatever the template says.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from ... import files
from ...word import TBLPR_ORDER, child
from .styles import ROW_HEADER, TABLE_HEADER, TABLE_NOTE, TABLE_TEXT, setup

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
GOAL_WIDTHS = (5.8, 2.3, 2.2, 6.7)  # aktivitet, slutdatum, status, kommentar
STATUS_FIRST, STATUS_REPEATED = 3.0, 2.0


def build_template(target: Path) -> Path:
    """Write the default template to target (renamed into place when whole)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing(target, ".docx") as tmp:
        template_document().save(str(tmp))
    return target


def _para(doc: Document, text: str = "", style: str = "Normal", keep: bool = False) -> DocxParagraph:
    p = doc.add_paragraph(text, style=style)
    if keep:
        p.paragraph_format.keep_with_next = True
    return p


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


def _paragraphs(doc: Document, items: str) -> None:
    """A list of paragraphs (rich text), list items as List Bullet, each kept with the next where
    it says so."""
    _para(doc, f"{{%p for s in {items} %}}")
    _para(doc, "{%p if s.punkt and s.hall %}")
    _para(doc, "{{r s.text }}", "List Bullet", keep=True)
    _para(doc, "{%p elif s.punkt %}")
    _para(doc, "{{r s.text }}", "List Bullet")
    _para(doc, "{%p elif s.hall %}")
    _para(doc, "{{r s.text }}", keep=True)
    _para(doc, "{%p else %}")
    _para(doc, "{{r s.text }}")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")


def _sections(doc: Document, place: str) -> None:
    """The förvaltning's sections at a place: heading (level 1 or 2, or none) and paragraphs."""
    _para(doc, f"{{%p for a in avsnitt.{place} %}}")
    _para(doc, "{%p if a.niva == 1 %}")
    _para(doc, "{{ a.rubrik }}", "Heading 1")
    _para(doc, "{%p elif a.niva == 2 %}")
    _para(doc, "{{ a.rubrik }}", "Heading 2")
    _para(doc, "{%p endif %}")
    _paragraphs(doc, "a.text")
    _para(doc, "{%p endfor %}")


def _cell(table: DocxTable, r: int, c: int, text: str, style: str, right: bool, width: float) -> None:
    cell = table.cell(r, c)
    cell.width = Cm(width)
    p = cell.paragraphs[0]
    p.style = style
    p.add_run(text)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _shade(cell: _Cell) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), HEADER_FILL)
    cell._tc.get_or_add_tcPr().append(shd)


def _table_props(table: DocxTable, path: str, header_rows: int = 1) -> None:
    """Grid, narrow cell margins, the caption as the table's title; the header rows repeated on
    every page (the PDF tags them TH), every row whole on one page."""
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    tblpr = table._tbl.tblPr
    margins = child(tblpr, "w:tblCellMar", TBLPR_ORDER)
    for side in ("w:left", "w:right"):
        m = child(margins, side)
        m.set(qn("w:w"), "57")  # 0.1 cm: more room for figures in narrow columns
        m.set(qn("w:type"), "dxa")
    child(tblpr, "w:tblCaption", TBLPR_ORDER).set(qn("w:val"), f"{{{{ {path}.rubrik }}}}")
    for header in table.rows[:header_rows]:
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell in dict.fromkeys(header.cells):  # a merged cell once
            _shade(cell)
    for r in table.rows:
        r._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _rows_table(
    doc: Document, path: str, widths: tuple[float, ...], heads: list[list[str]], right: list[bool]
) -> DocxTable:
    """Caption, then the header rows (`heads`, a text per column), then one row repeated per data
    row with the first column's cells as row headers. `right` aligns a column to the right."""
    _para(doc, f"{{{{ {path}.rubrik }}}}", "Caption")
    n = len(heads)
    t: DocxTable = doc.add_table(rows=n + 3, cols=len(widths))
    t.autofit = False
    for c, w in enumerate(widths):
        t.columns[c].width = Cm(w)
    for c, w in enumerate(widths):
        for r, head in enumerate(heads):
            _cell(t, r, c, head[c], TABLE_HEADER, right[c], w)
        _cell(t, n, c, f"{{%tr for rad in {path}.rader %}}" if c == 0 else "", TABLE_TEXT, False, w)
        _cell(t, n + 1, c, f"{{{{r rad[{c}] }}}}", ROW_HEADER if c == 0 else TABLE_TEXT, right[c], w)
        _cell(t, n + 2, c, "{%tr endfor %}" if c == 0 else "", TABLE_TEXT, False, w)
    return t


def _table(
    doc: Document, path: str, widths: tuple[float, ...], empty: str = "", numbers: bool = True
) -> None:
    """A table with a header row, then the notes. A table of figures stays on one page."""
    _para(doc, f"{{%p if {path}.rader %}}")
    columns = range(len(widths))
    t = _rows_table(
        doc,
        path,
        widths,
        [[f"{{{{ {path}.kolumner[{c}] }}}}" for c in columns]],
        [c > 0 and numbers for c in columns],
    )
    _keep_together(t)
    _table_props(t, path)
    _notes(doc, path)
    if empty:
        _para(doc, "{%p else %}")
        _para(doc, empty)
    _para(doc, "{%p endif %}")


def _goal_table(doc: Document, path: str) -> None:
    """An activity table of one mål: the mål in a header row over every column, then the column
    headers, both repeated on each page; rows whole, the table free to run over pages."""
    columns = range(len(GOAL_WIDTHS))
    heads = [
        [f"{{{{ {path}.grupp }}}}" if c == 0 else "" for c in columns],
        [f"{{{{ {path}.kolumner[{c}] }}}}" for c in columns],
    ]
    t = _rows_table(doc, path, GOAL_WIDTHS, heads, [False for _ in columns])
    t.cell(0, 0).merge(t.cell(0, len(GOAL_WIDTHS) - 1))
    for extra in t.cell(0, 0).paragraphs[1:]:  # merging keeps each cell's paragraph
        extra._p.getparent().remove(extra._p)
    _table_props(t, path, header_rows=2)
    _notes(doc, path)


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
            style = TABLE_HEADER if r == 0 else ROW_HEADER if (r, c) == (2, 0) else TABLE_TEXT
            _cell(t, r, c, text, style, c == 2, width)
    _keep_together(t)
    _table_props(t, path)
    _notes(doc, path)
    _para(doc, "{%p endif %}")


def _keep_together(t: DocxTable) -> None:
    """A short table stays on one page: each row's text keeps with the next."""
    for row in t.rows:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True


def _notes(doc: Document, path: str) -> None:
    _para(doc, f"{{%p for n in {path}.noter %}}")
    _para(doc, "{{ n }}", TABLE_NOTE)
    _para(doc, "{%p endfor %}")


def _chart(doc: Document, name: str) -> None:
    _para(doc, f"{{%p if diagram.{name} %}}")
    p = _para(doc, f"{{{{ diagram.{name} }}}}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(8)  # clear of the table and its notes above
    _para(doc, "{%p endif %}")


def _part(doc: Document, name: str) -> None:
    _para(doc, f"{{%p if '{name}' in delar %}}")


def _end(doc: Document) -> None:
    _para(doc, "{%p endif %}")


def template_document() -> Document:
    doc = docx.Document()
    setup(doc)
    _cover(doc)
    _footer(doc)
    h = doc.add_heading
    _sections(doc, "inledning")
    _part(doc, "ekonomi")
    h("Ekonomi", 1)
    _table(doc, "tabell.ekonomi", WIDTHS["ekonomi"])
    _sections(doc, "ekonomi")
    _end(doc)
    _part(doc, "basuppdrag")
    h("Basuppdrag", 1)
    _table(doc, "tabell.volymer", WIDTHS["volymer"], "Förvaltningen har inga volymmått angivna.")
    _sections(doc, "basuppdrag")
    _end(doc)
    _part(doc, "personal")
    h("Personal", 1)
    _table(doc, "tabell.personal", WIDTHS["personal"], "Förvaltningen har inga personalmått angivna.")
    _sections(doc, "personal")
    _end(doc)
    _part(doc, "driftsammandrag")
    h("Driftsammandrag", 1)
    h("Resultat {{ datum }}", 2)
    _table(doc, "tabell.resultat", WIDTHS["resultat"])
    h("Prognos resultat {{ ar }}", 2)
    _table(doc, "tabell.prognos", WIDTHS["prognos"])
    _chart(doc, "drift")
    _sections(doc, "driftsammandrag")
    _end(doc)
    _part(doc, "investeringar")
    h("Investeringar", 1)
    _table(doc, "tabell.investeringar", WIDTHS["investeringar"], "Förvaltningen har inga investeringar.")
    _sections(doc, "investeringar")
    _end(doc)
    _part(doc, "verksamhetsplan")
    h("Uppföljning av verksamhetsplanen", 1)
    _para(doc, "{{ verksamhetsplan.inledning }}", keep=True)
    _para(doc, "{%p for s in verksamhetsplan.statusar %}")
    _para(doc, "{{ s }}", "List Bullet", keep=True)  # the last keeps with the text after: one page
    _para(doc, "{%p endfor %}")
    _sections(doc, "verksamhetsplan")
    _status_table(doc)
    _chart(doc, "aktiviteter")
    _para(doc, "{%p for p in perspektiv %}")
    h("{{ p.namn }}", 2)
    _para(doc, "{{ p.antal }}", keep=True)
    _para(doc, "{%p for g in p.mal %}")
    _goal_table(doc, "g")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endfor %}")
    _end(doc)
    return doc
