"""The bounded .xlsx cell reader (vss_excel.enhetsmall.xlsx): real files, odd forms, hostile files.

Real files come from the demo (LibreOffice, XlsxWriter and openpyxl wrote them) and from
LibreOffice directly; odd and hostile ones are made here, small, with zipfile and openpyxl.
The fast (regex) parser and the expat parser must agree wherever both apply.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import re
import struct
import subprocess
import sys
import textwrap
import weakref
import zipfile
from collections.abc import Mapping
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from vss_excel import libreoffice
from vss_excel.enhetsmall import xlsx
from vss_excel.enhetsmall.xlsx import (
    CellType,
    ErrorKind,
    FileKind,
    Limits,
    RawCell,
    SheetCells,
    XlsxError,
    XlsxFile,
    sniff,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
AREA = (300, 30)


# ---------------------------------------------------------------------------------------------
# Building workbooks by hand


def worksheet(sheet_data: str, root: str = f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">') -> str:
    """A worksheet part in the canonical form; sheet_data is what goes inside <sheetData>."""
    return (
        f'{DECL}{root}<dimension ref="A1"/><sheetData>{sheet_data}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )


def stylesheet(num_fmts: Mapping[int, str], xf_formats: list[int]) -> str:
    """A styles part: custom formats by id, and the number format id of each cell style
    (cellXfs), in order; a cellStyleXfs before them, which the cells do not use."""
    fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{xml_attr(code)}"/>' for i, code in num_fmts.items())
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for i in xf_formats)
    return (
        f'{DECL}<styleSheet xmlns="{MAIN}"><numFmts count="{len(num_fmts)}">{fmts}</numFmts>'
        '<fonts count="1"><font><sz val="11"/></font></fonts>'
        '<cellStyleXfs count="1"><xf numFmtId="9" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xf_formats)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


def sst(*items: str) -> str:
    """A sharedStrings part; items are <si> bodies (e.g. '<t>text</t>')."""
    body = "".join(f"<si>{i}</si>" for i in items)
    return f'{DECL}<sst xmlns="{MAIN}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>'


def build(
    sheets: Mapping[str, str | bytes],
    strings: str | None = None,
    extra: dict[str, str | bytes] | None = None,
    workbook_pr: str = "",
    order: list[int] | None = None,
    styles: str | bytes | None = None,
) -> bytes:
    """An .xlsx from worksheet parts. order: the sheetN.xml number of each sheet (default 1..n),
    to check that sheet order comes from workbook.xml and not from the part names."""
    names = list(sheets)
    numbers = order or list(range(1, len(names) + 1))
    sheet_tags = "".join(
        f'<sheet name="{xml_attr(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names)
    )
    workbook = (
        f'{DECL}<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>{sheet_tags}</sheets>'
        f'<definedNames><definedName name="X">{xml_attr(names[0])}!$A$1</definedName></definedNames>'
        "</workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{REL}/worksheet" Target="worksheets/sheet{numbers[i]}.xml"/>'
        for i in range(len(names))
    )
    if strings is not None:
        rels += f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    if styles is not None:
        rels += f'<Relationship Id="rIdY" Type="{REL}/styles" Target="styles.xml"/>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr(
            "_rels/.rels",
            f'{DECL}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", f'{DECL}<Relationships xmlns="{PKG}">{rels}</Relationships>')
        for i, name in enumerate(names):
            z.writestr(f"xl/worksheets/sheet{numbers[i]}.xml", sheets[name])
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", strings)
        if styles is not None:
            z.writestr("xl/styles.xml", styles)
        for part, content in (extra or {}).items():
            z.writestr(part, content)
    return buf.getvalue()


def xml_attr(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def both(
    data: bytes, name: str, max_row: int = AREA[0], max_col: int = AREA[1]
) -> tuple[SheetCells | None, SheetCells]:
    """The fast parser's result (None if it declines) and expat's, for one sheet."""
    book = XlsxFile.open(data)
    part = book._sheets[name]
    raw = book._read(part, name)
    formats = book._number_formats()
    fast = xlsx._sheet_fast(raw, name, max_row, max_col, book._strings, formats)
    slow = xlsx._sheet_expat(raw, name, part, max_row, max_col, book._strings, formats)
    return fast, slow


def read(data: bytes, name: str, max_row: int = AREA[0], max_col: int = AREA[1]) -> SheetCells:
    """The public way, after checking that both parsers agree when the fast one applies."""
    fast, slow = both(data, name, max_row, max_col)
    if fast is not None:
        assert fast == slow
    got = XlsxFile.open(data).sheet(name, max_row, max_col)
    assert got == slow
    return got


def values(cells: SheetCells) -> dict[str, float | str | bool]:
    return {xlsx.cell_ref(r, c): cell.value for (r, c), cell in cells.cells.items()}


def raised(fn: object, *args: object) -> XlsxError:
    with pytest.raises(XlsxError) as info:
        fn(*args)  # type: ignore[operator]
    e = info.value
    assert str(e) == e.message and e.message
    return e


def assert_swedish(e: XlsxError) -> None:
    """The user sees a Swedish sentence with what to do, never the technical detail."""
    assert "Be enheten" in e.message, e.message
    if e.detail:
        assert e.detail not in e.message
    for english in ("Error", "error", "invalid", "zip:", "XML:", "bytes"):
        assert english not in e.message, e.message


# ---------------------------------------------------------------------------------------------
# Cells in the canonical form (every writer's), both parsers

ALL_TYPES = worksheet(
    '<row r="1" spans="1:9"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1"><v>12.5</v></c>'
    '<c r="C1" t="n"><v>-3E-2</v></c><c r="D1" t="b"><v>1</v></c><c r="E1" t="b"><v>0</v></c>'
    '<c r="F1" t="e"><v>#DIV/0!</v></c><c r="G1" t="e"><f>#REF!+1</f><v>#REF!</v></c>'
    '<c r="H1" t="str"><f>A1&amp;"x"</f><v>Intäkter &amp; mer</v></c>'
    '<c r="I1" t="d"><v>2020-10-31T00:00:00</v></c></row>'
    '<row r="2"><c r="A2" s="3"/><c r="B2"><f>SUM(B1:B1)</f><v>12.5</v></c><c r="C2" t="s"><v>1</v></c>'
    '<c r="D2"><f>IF(B1="","",B1)</f><v></v></c><c r="E2" t="str"><f>""</f><v/></c>'
    '<c r="F2"><v></v></c><c r="G2" t="s"><v>2</v></c><c r="H2" t="s"><v>3</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>inline</t></is></c>'
    '<c r="B3" t="inlineStr"><is><t xml:space="preserve"> space </t></is></c>'
    '<c r="C3"><f>[1]Blad1!A1</f><v>42</v></c><c r="D3" t="s"><v>4</v></c></row>'
)
ALL_STRINGS = sst(
    "<t>Intäkter</t>",
    '<t xml:space="preserve">rad 1&#10;rad 2 &lt;&gt;&amp;&quot;&apos; _x000D_ _x005F_x000D_</t>',
    '<r><t>fet</t></r><r><rPr><b/></rPr><t xml:space="preserve"> och normal</t></r>'
    '<rPh sb="0" eb="1"><t>ふりがな</t></rPh><phoneticPr fontId="1"/>',
    "<t/>",
    "<t>en\r\nrad</t>",
)


def test_every_cell_type_in_the_canonical_form() -> None:
    data = build({"Drift": ALL_TYPES}, ALL_STRINGS)
    fast, _slow = both(data, "Drift")
    assert fast is not None  # the fast parser read it
    got = read(data, "Drift")
    assert values(got) == {
        "A1": "Intäkter",
        "B1": 12.5,
        "C1": -0.03,
        "D1": True,
        "E1": False,
        "F1": "#DIV/0!",
        "G1": "#REF!",
        "H1": "Intäkter & mer",
        "I1": "2020-10-31T00:00:00",
        "B2": 12.5,
        "C2": "rad 1\nrad 2 <>&\"' \r _x000D_",
        "D2": "",
        "E2": "",
        "G2": "fet och normal",
        "H2": "",
        "A3": "inline",
        "B3": " space ",
        "C3": 42.0,
        "D3": "en\nrad",
    }
    c = got.cells
    assert c[0, 0] == RawCell("Intäkter", CellType.TEXT)
    assert c[0, 3].type is CellType.BOOL and c[0, 3].value is True
    assert c[0, 5] == RawCell("#DIV/0!", CellType.ERROR)
    assert c[0, 6] == RawCell("#REF!", CellType.ERROR, "#REF!+1")
    assert c[0, 7].formula == 'A1&"x"'
    assert c[0, 8].type is CellType.TEXT
    assert c[1, 1] == RawCell(12.5, CellType.NUMBER, "SUM(B1:B1)")
    # A formula with an empty result is kept, so a formula in an input cell is never hidden;
    # a cell with neither value nor formula is left out.
    assert c[1, 3] == RawCell("", CellType.TEXT, 'IF(B1="","",B1)')
    assert c[1, 4] == RawCell("", CellType.TEXT, '""')
    assert (1, 0) not in c and (1, 5) not in c
    assert c[2, 2] == RawCell(42.0, CellType.NUMBER, "[1]Blad1!A1")  # external link, cached value
    assert got.outside == 0 and got.first_outside == ""
    assert isinstance(c[1, 1].value, float)


def test_rich_text_and_phonetic_runs_in_inline_strings() -> None:
    sheet = worksheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>Rik</t></r>'
        '<r><rPr><i/></rPr><t xml:space="preserve"> text</t></r><rPh sb="0" eb="1"><t>X</t></rPh></is></c>'
        '<c r="B1" t="inlineStr"><is><t></t></is></c></row>'
    )
    fast, _ = both(build({"S": sheet}), "S")
    assert fast is None  # rich inline text: expat
    got = read(build({"S": sheet}), "S")
    assert values(got) == {"A1": "Rik text", "B1": ""}


def test_shared_formulas_take_the_masters_text() -> None:
    sheet = worksheet(
        '<row r="1"><c r="A1"><v>1</v></c>'
        '<c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/><v>4</v></c></row>'
        '<row r="3"><c r="B3"><f t="shared" si="0"/><v>6</v></c>'
        '<c r="C3"><f t="shared" si="7"/><v>0</v></c></row>'
        '<row r="9"><c r="Z9"><f t="shared" ref="Z9:Z12" si="1">Y9+1</f><v>1</v></c></row>'
        '<row r="10"><c r="B10"><f t="shared" si="1"/><v>1</v></c></row>'
    )
    data = build({"S": sheet})
    assert both(data, "S", 20, 5)[0] is not None
    got = read(data, "S", 20, 5)
    assert got.cells[1, 1] == RawCell(4.0, CellType.NUMBER, "A1*2")
    assert got.cells[2, 1].formula == "A1*2"
    assert got.cells[2, 2].formula == ""  # no master in the file
    assert got.cells[9, 1].formula == "Y9+1"  # the master lies outside the area
    assert got.outside == 1 and got.first_outside == "Z9"


def test_the_last_cell_of_the_sheet_is_counted_not_gridded() -> None:
    """Ctrl+End and a keystroke: a value in XFD1048576 beside the real cells. calamine would
    allocate 16384 × 1048576 cells; here it is one count."""
    sheet = worksheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>'
    ).replace('<dimension ref="A1"/>', '<dimension ref="A1:XFD1048576"/>')
    data = build({"Drift": sheet}, sst("<t>Intäkter</t>"))
    assert both(data, "Drift")[0] is not None
    got = read(data, "Drift")  # a grid of that size would not fit in memory: the test would fail
    assert values(got) == {"A1": "Intäkter", "B1": 1.0}
    assert got.outside == 1 and got.first_outside == "XFD1048576"


def test_the_area_is_inclusive_and_only_cells_with_content_count_outside() -> None:
    sheet = worksheet(
        '<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>2</v></c><c r="D1" s="2"/><c r="E1"><v></v></c></row>'
        '<row r="2"><c r="A2"><v>3</v></c></row><row r="3"><c r="B3"><f>A1</f><v></v></c></row>'
    )
    got = read(build({"S": sheet}), "S", 1, 2)
    assert values(got) == {"A1": 1.0, "C1": 2.0, "A2": 3.0}
    assert got.outside == 1 and got.first_outside == "B3"
    assert read(build({"S": sheet}), "S", -1, -1).outside == 4


def test_rows_and_cells_without_r_follow_their_order() -> None:
    sheet = worksheet(
        '<row><c t="s"><v>0</v></c><c><v>1</v></c></row>'  # row 1: A1, B1
        '<row><c/><c><v>2</v></c><c r="E2"><v>3</v></c><c><v>4</v></c></row>'  # row 2: B2, E2, F2
        '<row r="5"><c><v>5</v></c></row><row><c r="C6"><v>6</v></c></row><row><c><v>7</v></c></row>'
    )
    data = build({"S": sheet}, sst("<t>x</t>"))
    assert both(data, "S")[0] is None  # expat reads it
    assert values(read(data, "S")) == {
        "A1": "x", "B1": 1.0, "B2": 2.0, "E2": 3.0, "F2": 4.0, "A5": 5.0, "C6": 6.0, "A7": 7.0,
    }  # fmt: skip
    got = read(data, "S", 5, 0)
    assert got.outside == 6 and got.first_outside == "B1"


def test_a_bad_row_number_matters_only_to_cells_without_r() -> None:
    fine = worksheet('<row r="0"><c r="A1"><v>1</v></c></row><row r="x"><c r="B2"><v>2</v></c></row>')
    assert values(read(build({"S": fine}), "S")) == {"A1": 1.0, "B2": 2.0}
    bad = worksheet('<row r="x"><c><v>1</v></c></row>')
    assert raised(XlsxFile.open(build({"S": bad})).sheet, "S", *AREA).kind is ErrorKind.CORRUPT


def test_namespace_prefixes_are_read_as_without() -> None:
    plain = worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>A1</f><v>2</v></c></row>')
    prefixed = (
        f'{DECL}<x:worksheet xmlns:x="{MAIN}" xmlns:r="{REL}"><x:sheetData><x:row r="1">'
        '<x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:f>A1</x:f><x:v>2</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    strings = f'{DECL}<x:sst xmlns:x="{MAIN}"><x:si><x:t>Hej</x:t></x:si></x:sst>'
    a = build({"S": plain}, sst("<t>Hej</t>"))
    b = build({"S": prefixed}, strings)
    assert both(b, "S")[0] is None
    assert read(a, "S").cells == read(b, "S").cells
    assert values(read(b, "S")) == {"A1": "Hej", "B1": 2.0}
    # Prefixed workbook.xml and relationships too (some libraries write them).
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(b)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            content = zin.read(info)
            if info.filename == "xl/workbook.xml":
                content = (
                    f'{DECL}<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}"><x:sheets>'
                    '<x:sheet name="S" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>'
                ).encode()
            zout.writestr(info, content)
    assert XlsxFile.open(buf.getvalue()).sheet_names == ("S",)
    assert values(XlsxFile.open(buf.getvalue()).sheet("S", *AREA)) == {"A1": "Hej", "B1": 2.0}


def test_a_default_namespace_other_than_main_hides_nothing_from_the_fast_parser() -> None:
    """A part whose cells are not in the main namespace has no cells; only expat knows."""
    other = worksheet('<row r="1"><c r="A1"><v>1</v></c></row>', root='<worksheet xmlns="urn:other">')
    assert both(build({"S": other}), "S")[0] is None
    assert read(build({"S": other}), "S").cells == {}


def test_strict_ooxml_namespaces() -> None:
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    sheet = worksheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>',
        root=f'<worksheet xmlns="{strict}">',
    )
    data = build({"S": sheet}, f'{DECL}<sst xmlns="{strict}"><si><t>Strikt</t></si></sst>')
    assert values(read(data, "S")) == {"A1": "Strikt", "B1": 2.0}


def test_odd_but_well_formed_xml_goes_to_expat() -> None:
    canonical = worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1" t="n"><v>5</v></c></row>')
    variants: list[str | bytes] = [
        canonical.replace('<c r="B1" s="1" t="n">', '<c t="n" r="B1" s="1">'),  # attribute order
        canonical.replace('<c r="B1"', '<c\n r="B1"'),  # line break in the tag
        canonical.replace("<v>5</v>", "<v><![CDATA[5]]></v>"),  # CDATA
        canonical.replace("<v>5</v>", "<!-- note --><v>5</v>"),  # a comment inside the cell
        canonical.replace("<v>5</v>", "<v>&#53;</v>"),  # a character reference
        canonical.replace(DECL, '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"),
        canonical.replace("<row ", "<!-- a --><row "),
    ]
    data = build({"S": canonical}, sst("<t>a</t>"))
    expected = values(read(data, "S"))
    assert expected == {"A1": "a", "B1": 5.0}
    for i, variant in enumerate(variants):
        d = build({"S": variant}, sst("<t>a</t>"))
        assert values(read(d, "S")) == expected, i


def test_sheet_order_comes_from_the_workbook_not_the_part_names() -> None:
    data = build(
        {"Drift": worksheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
         "Analys": worksheet('<row r="1"><c r="A1"><v>2</v></c></row>'),
         "Metadata & Co": worksheet('<row r="1"><c r="A1"><v>3</v></c></row>')},
        order=[3, 1, 2],
    )  # fmt: skip
    book = XlsxFile.open(data)
    assert book.sheet_names == ("Drift", "Analys", "Metadata & Co")
    assert values(book.sheet("Drift", *AREA)) == {"A1": 1.0}
    assert values(book.sheet("Metadata & Co", *AREA)) == {"A1": 3.0}
    assert not book.has_external_links and not book.date1904
    with pytest.raises(KeyError):
        book.sheet("drift", *AREA)


def test_date1904_and_external_links_are_reported() -> None:
    link = f'{DECL}<externalLink xmlns="{MAIN}"><externalBook r:id="rId1" xmlns:r="{REL}"/></externalLink>'
    data = build(
        {"S": worksheet('<row r="1"><c r="A1"><f>[1]Blad1!A1</f><v>42</v></c></row>')},
        workbook_pr='<workbookPr date1904="1"/>',
        extra={"xl/externalLinks/externalLink1.xml": link},
    )
    book = XlsxFile.open(data)
    assert book.date1904 and book.has_external_links
    assert book.sheet("S", *AREA).cells[0, 0] == RawCell(42.0, CellType.NUMBER, "[1]Blad1!A1")


# ---------------------------------------------------------------------------------------------
# Number formats: the cell's style, through styles.xml


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("General", "number"),
        ("0.0", "number"),
        ("#,##0,;-#,##0,;0", "number"),  # the templates' tkr
        ('#,##0\\ "kr";[Red]\\-#,##0\\ "kr"', "number"),
        ("#,##0\\ [$kr-41D]", "number"),
        ("0.00E+00", "number"),
        ('0" %"', "number"),  # a quoted % is text: Excel does not multiply by 100
        ("0\\%", "number"),
        ("#,##0*d", "number"),  # a fill character, not a day
        ('#,##0" dagar"', "number"),
        ("@", "number"),
        (";;;", "number"),  # hides the value, shows no text either
        ("0%", "percent"),
        ("0.0%", "percent"),
        ("0.0\\ %", "percent"),  # LibreOffice's 5,5 %
        ("[Red]-0.0%;0.0%", "percent"),
        ("yyyy\\-mm\\-dd", "date"),  # LibreOffice's ISO date
        ("YYYY-MM-DD", "date"),
        ("[$-41D]d\\ mmmm\\ yyyy", "date"),
        ("hh:mm", "date"),
        ("[h]:mm:ss", "date"),  # elapsed time
        ("[mm]", "date"),
        ("h:mm AM/PM", "date"),
        ('"TRUE";"TRUE";"FALSE"', "bool_format"),  # LibreOffice's boolean
        ('"SANT";"SANT";"FALSKT"', "bool_format"),
        ('"Ja";"Ja";"Nej"', "bool_format"),
    ],
)
def test_format_kind(code: str, kind: str) -> None:
    assert xlsx.format_kind(code).value == kind


FORMATS = stylesheet(
    {164: "0.0%", 165: "yyyy\\-mm\\-dd", 166: '"TRUE";"TRUE";"FALSE"', 167: "#,##0,;-#,##0,;0", 9: "0.0"},
    # s: 0 General, 1 custom %, 2 date, 3 boolean, 4 tkr, 5 built-in 10 (0.00%), 6 built-in 14 (a
    # date), 7 built-in 46 ([h]:mm:ss), 8 id 9 restated by the file as 0.0, 9 an undefined custom id
    [0, 164, 165, 166, 167, 10, 14, 46, 9, 170],
)


def test_number_formats_come_from_the_cell_style() -> None:
    row = "".join(f'<c r="{xlsx.cell_ref(0, i)}" s="{i}"><v>0.5</v></c>' for i in range(10))
    others = (
        '<c r="A2" s="1" t="s"><v>0</v></c><c r="B2" s="3" t="b"><v>1</v></c>'  # text and booleans: no format
        '<c r="C2" s="2"><f>TODAY()</f><v>44135</v></c>'  # a formula's result has its format too
        '<c r="D2" s="99"><v>1</v></c>'  # no such style (Excel would repair the file): a number
        '<c r="E2" s="2" t="e"><v>#N/A</v></c>'
    )
    data = build(
        {"S": worksheet(f'<row r="1">{row}</row><row r="2">{others}</row>')}, sst("<t>a</t>"), styles=FORMATS
    )
    assert both(data, "S")[0] is not None  # the fast parser read it
    got = read(data, "S")  # and expat agrees
    kinds = {xlsx.cell_ref(*k): c.number_format.value for k, c in got.cells.items()}
    assert kinds == {
        "A1": "number",
        "B1": "percent",
        "C1": "date",
        "D1": "bool_format",
        "E1": "number",
        "F1": "percent",
        "G1": "date",
        "H1": "date",
        "I1": "number",
        "J1": "number",
        "A2": "number",
        "B2": "number",
        "C2": "date",
        "D2": "number",
        "E2": "number",
    }
    assert got.cells[0, 1] == RawCell(
        0.5, CellType.NUMBER, None, xlsx.NumberFormat.PERCENT
    )  # the value as stored
    # A style index the fast parser does not take (a leading zero) is read by expat, the same
    odd = build({"S": worksheet('<row r="1"><c r="A1" s="01"><v>0.5</v></c></row>')}, styles=FORMATS)
    assert both(odd, "S")[0] is None
    assert read(odd, "S").cells[0, 0].number_format is xlsx.NumberFormat.PERCENT
    # No styles part: every number is a plain number
    plain = build({"S": worksheet('<row r="1"><c r="A1" s="1"><v>0.5</v></c></row>')})
    assert read(plain, "S").cells[0, 0].number_format is xlsx.NumberFormat.NUMBER


def test_styles_are_read_once_within_the_limits() -> None:
    sheet = worksheet('<row r="1"><c r="A1" s="1"><v>0.5</v></c></row>')
    book = XlsxFile.open(build({"A": sheet, "B": sheet}, styles=FORMATS))
    assert book._formats is None  # nothing read at opening
    book.sheet("A", *AREA)
    first = book._formats
    assert first is not None and first[b"1"] is xlsx.NumberFormat.PERCENT
    book.sheet("B", *AREA)
    assert book._formats is first
    # Another file made from the same template: its styles part, byte for byte, is not read again
    other = XlsxFile.open(build({"C": sheet}, styles=FORMATS))
    assert other._number_formats() is first
    changed = XlsxFile.open(build({"C": sheet}, styles=FORMATS.replace('"0.0%"', '"0.0"')))
    assert changed._number_formats() is not first and b"1" not in changed._number_formats()
    bomb = (
        BILLION_LAUGHS + f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="&lol9;"/>'
    )
    e = raised(XlsxFile.open(build({"S": sheet}, styles=bomb + "</numFmts></styleSheet>")).sheet, "S", *AREA)
    assert e.kind is ErrorKind.UNSAFE
    broken = FORMATS.replace("</cellXfs>", "</cellXf>")  # what follows cellXfs is not read
    e = raised(XlsxFile.open(build({"S": sheet}, styles=broken)).sheet, "S", *AREA)
    assert e.kind is ErrorKind.CORRUPT
    assert_swedish(e)
    huge = FORMATS.replace("<fonts", "<fonts" + " " * (3 << 20))  # 3 MiB packing to a few kB
    assert raised(XlsxFile.open, build({"S": sheet}, styles=huge)).kind is ErrorKind.TOO_LARGE


FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:boolean-style style:name="N99"><number:boolean/></number:boolean-style>
 <number:percentage-style style:name="N12"><number:number number:decimal-places="1"
  number:min-decimal-places="1" number:min-integer-digits="1"/><number:text> %</number:text>
 </number:percentage-style>
 <number:date-style style:name="N37"><number:year number:style="long"/><number:text>-</number:text>
  <number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>
 </number:date-style>
 <style:style style:name="bool" style:family="table-cell" style:data-style-name="N99"/>
 <style:style style:name="pct" style:family="table-cell" style:data-style-name="N12"/>
 <style:style style:name="date" style:family="table-cell" style:data-style-name="N37"/>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Blad1"><table:table-row>
 <table:table-cell table:style-name="pct" office:value-type="percentage" office:value="0.055"/>
 <table:table-cell table:style-name="bool" office:value-type="boolean" office:boolean-value="true"/>
 <table:table-cell table:style-name="bool" table:formula="of:=TRUE()" office:value-type="boolean"
  office:boolean-value="true"/>
 <table:table-cell table:style-name="bool" office:value-type="float" office:value="2"/>
 <table:table-cell table:style-name="date" office:value-type="date" office:date-value="2020-10-31"/>
 <table:table-cell office:value-type="float" office:value="1.23E31"/>
</table:table-row></table:table></office:spreadsheet></office:body></office:document>
"""


@pytest.mark.libreoffice
def test_number_formats_as_libreoffice_saves_them(soffice: str, tmp_path: Path) -> None:
    """What a unit types in LibreOffice, saved as .xlsx: 5,5 % (0.055 in a percent format), TRUE
    (a boolean), =TRUE(), a 2 shown as TRUE by the boolean format, a date, 1,23E+31."""
    src = tmp_path / "typed.fods"
    src.write_text(FODS, encoding="utf-8")
    (saved,) = libreoffice.convert([src], tmp_path / "lo")
    data = saved.read_bytes()
    assert both(data, "Blad1")[0] is not None  # the fast parser reads LibreOffice's form
    c = read(data, "Blad1").cells
    fmt = xlsx.NumberFormat
    assert c[0, 0] == RawCell(0.055, CellType.NUMBER, None, fmt.PERCENT)
    assert c[0, 1] == RawCell(True, CellType.BOOL)  # t="b", as Excel writes a TRUE
    assert c[0, 2] == RawCell(True, CellType.BOOL, "TRUE()")
    assert c[0, 3] == RawCell(2.0, CellType.NUMBER, None, fmt.BOOL_FORMAT)  # shown as TRUE
    assert c[0, 4] == RawCell(44135.0, CellType.NUMBER, None, fmt.DATE)
    assert c[0, 5] == RawCell(1.23e31, CellType.NUMBER)  # written 1.23E+031


def test_shared_strings_are_read_once_and_only_when_needed() -> None:
    data = build(
        {"Tal": worksheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
         "Text": worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')},
        sst("<t>a</t>"),
    )  # fmt: skip
    book = XlsxFile.open(data)
    calls: list[str] = []
    load = book._load_strings

    def counting() -> tuple[str, bytes]:
        calls.append("x")
        return load()

    book._strings._load = lambda: counting  # as the weak reference it replaces
    book.sheet("Tal", *AREA)
    assert calls == []
    book.sheet("Text", *AREA)
    book.sheet("Text", *AREA)
    assert calls == ["x"]


def test_a_file_read_is_freed_without_the_cycle_collector() -> None:
    """A bulk run pauses the cyclic collector (vss_excel.collector): a file and its bytes must be
    freed by reference counting alone, or a thousand files' bytes would stay in memory."""
    data = build({"Text": worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')}, sst("<t>a</t>"))
    book = XlsxFile.open(data)
    assert book.sheet("Text", *AREA).cells[0, 0].value == "a"
    gone = weakref.ref(book)
    gc.disable()
    try:
        del book
        assert gone() is None
    finally:
        gc.enable()


def test_many_shared_strings_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx.strings, "_KEEP_BATCHES", 1)  # every jump to another batch decodes it again
    n = 3000
    strings = sst(*(f"<t>s{i} &amp; {'_x000D_' if i == 2500 else ''}</t>" for i in range(n)))
    order = [i * 1031 % n for i in range(n)]  # all over the table
    rows = "".join(
        f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{k}</v></c></row>' for i, k in enumerate(order)
    )
    got = read(build({"S": worksheet(rows)}, strings), "S", n, 1)
    assert len(got.cells) == n
    for i, k in enumerate(order):
        # Trimmed (no xml:space="preserve"), and trimmed before _x000D_ becomes a carriage return
        assert got.cells[i, 0].value == (f"s{k} & \r" if k == 2500 else f"s{k} &")


def test_bad_cell_contents_are_corrupt_with_the_sheet_named() -> None:
    cases = [
        '<c r="A1"><v>tolv</v></c>',  # not a number
        '<c r="A1"><v>NaN</v></c>',
        '<c r="A1" t="s"><v>9</v></c>',  # no such shared string
        '<c r="A1" t="s"><v>x</v></c>',
        '<c r="A1" t="b"><v>2</v></c>',
        '<c r="A1" t="q"><v>1</v></c>',  # no such type
        '<c r="A0"><v>1</v></c>',
        '<c r="A1"><v>&bogus;</v></c>',  # an undefined entity: not well-formed
        '<c r="A1"><v>1</v>',  # not well-formed
    ]
    for cell in cases:
        data = build({"Drift": worksheet(f'<row r="1">{cell}</row>')}, sst("<t>a</t>"))
        e = raised(XlsxFile.open(data).sheet, "Drift", *AREA)
        assert e.kind is ErrorKind.CORRUPT, cell
        assert "Bladet 'Drift'" in e.message, cell
        assert_swedish(e)


# ---------------------------------------------------------------------------------------------
# Hostile and broken files


BOMB_SIZE = 1 << 30  # 1 GiB of text, about 1 MB packed


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An .xlsx whose sharedStrings.xml unpacks to 1 GiB, written streaming (never in memory)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    small = build({"Drift": worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')}, sst("<t>a</t>"))
    with zipfile.ZipFile(io.BytesIO(small)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            if info.filename != "xl/sharedStrings.xml":
                z.writestr(info.filename, zin.read(info))
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(f'{DECL}<sst xmlns="{MAIN}"><si><t>'.encode())
            chunk = b"0" * (1 << 20)
            for _ in range(BOMB_SIZE >> 20):
                f.write(chunk)
            f.write(b"</t></si></sst>")
    assert path.stat().st_size < 2_000_000
    return path


def lie_about_size(data: bytes, part: str, size: int) -> bytes:
    """The zip with `part`'s declared unpacked size changed in its local and central headers."""
    out = bytearray(data)
    name = part.encode()
    cd = out.find(b"PK\x01\x02")
    while cd >= 0:
        nlen = struct.unpack_from("<H", out, cd + 28)[0]
        if out[cd + 46 : cd + 46 + nlen] == name:
            struct.pack_into("<I", out, cd + 24, size)
            local = struct.unpack_from("<I", out, cd + 42)[0]
            struct.pack_into("<I", out, local + 22, size)
            return bytes(out)
        cd = out.find(b"PK\x01\x02", cd + 4)
    raise AssertionError(part)


PEAK = """
import resource
from pathlib import Path
status = Path("/proc/self/status")
if status.exists():  # the peak of this process's own memory (ru_maxrss may include the parent's)
    print(next(int(x.split()[1]) for x in status.read_text().splitlines() if x.startswith("VmHWM")))
else:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mib(code: str) -> float:
    """Run code in a fresh Python and return its peak resident memory in MiB."""
    script = textwrap.dedent(code) + PEAK
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked(bomb: Path) -> None:
    data = bomb.read_bytes()
    e = raised(XlsxFile.open, data)  # refused from the directory: the peak memory below shows it
    assert e.kind is ErrorKind.TOO_LARGE and e.part == "xl/sharedStrings.xml"
    assert_swedish(e)
    base = peak_rss_mib("import vss_excel.enhetsmall.xlsx")
    peak = peak_rss_mib(
        f"""
        from pathlib import Path
        from vss_excel.enhetsmall.xlsx import XlsxFile, XlsxError
        try:
            XlsxFile.open(Path({str(bomb)!r}).read_bytes())
        except XlsxError as e:
            assert e.kind.value == "too_large"
        """
    )
    print(f"\nshared strings bomb (1 GiB in {len(data)} B): peak {peak:.1f} MiB, bare import {base:.1f} MiB")
    assert peak < base + 20


def test_a_header_that_lies_about_the_size_is_cut_off(bomb: Path) -> None:
    """The 1 GiB part claiming 2 kB: unpacking stops after 2 kB and the file is CORRUPT."""
    data = lie_about_size(bomb.read_bytes(), "xl/sharedStrings.xml", 2000)
    book = XlsxFile.open(data)  # nothing big declared: the directory passes
    e = raised(book.sheet, "Drift", *AREA)
    assert e.kind is ErrorKind.CORRUPT
    assert_swedish(e)
    peak = peak_rss_mib(
        f"""
        import struct
        from pathlib import Path
        from vss_excel.enhetsmall.xlsx import XlsxFile, XlsxError
        data = bytearray(Path({str(bomb)!r}).read_bytes())
        for sig, at in ((b"PK\\x01\\x02", 24), (b"PK\\x03\\x04", 22)):
            pos = data.find(sig)
            while pos >= 0:
                nlen = struct.unpack_from("<H", data, pos + (28 if at == 24 else 26))[0]
                start = pos + (46 if at == 24 else 30)
                if data[start:start + nlen] == b"xl/sharedStrings.xml":
                    struct.pack_into("<I", data, pos + at, 2000)
                pos = data.find(sig, pos + 4)
        try:
            XlsxFile.open(bytes(data)).sheet("Drift", 300, 30)
        except XlsxError as e:
            assert e.kind.value == "corrupt", e.detail
        """
    )
    print(f"\nsize-lying header over a 1 GiB part: peak {peak:.1f} MiB")
    assert peak < 100
    # And the other way: a part shorter than declared.
    small = build({"S": worksheet('<row r="1"><c r="A1"><v>1</v></c></row>')})
    e = raised(XlsxFile.open(lie_about_size(small, "xl/worksheets/sheet1.xml", 5000)).sheet, "S", *AREA)
    assert e.kind is ErrorKind.CORRUPT


def test_a_large_part_is_unpacked_in_chunks_and_checked_the_same() -> None:
    """Parts over 1 MiB are unpacked into one buffer a chunk at a time; sizes are checked alike."""
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{c}{r}"><v>{r * 7919 % 100003}.{r % 97}</v></c>' for c in "ABCDEFGH")
        + "</row>"
        for r in range(1, 12001)
    )
    sheet = worksheet(rows)
    assert len(sheet) > 2 * (1 << 20)
    data = build({"S": sheet})
    got = read(data, "S", 299, 29)
    assert len(got.cells) == 300 * 8 and got.outside == 11700 * 8 and got.first_outside == "A301"
    assert got.cells[299, 7].value == float(f"{300 * 7919 % 100003}.{300 % 97}")
    real = len(sheet.encode())
    for lie in (real - 10, real + 10, real + (1 << 20)):
        e = raised(XlsxFile.open(lie_about_size(data, "xl/worksheets/sheet1.xml", lie)).sheet, "S", 9, 9)
        assert e.kind is ErrorKind.CORRUPT, lie


def test_a_part_that_packs_too_well_is_too_large() -> None:
    zeros = f'{DECL}<worksheet xmlns="{MAIN}"><sheetData/>' + " " * (3 << 20) + "</worksheet>"
    e = raised(XlsxFile.open, build({"S": zeros}))
    assert e.kind is ErrorKind.TOO_LARGE
    assert_swedish(e)


def test_limits_on_file_size_entries_parts_and_strings() -> None:
    data = build(
        {"S": worksheet('<row r="1"><c r="A1" t="s"><v>1</v></c></row>')}, sst("<t>a</t>", "<t>b</t>")
    )
    assert raised(XlsxFile.open, data, Limits(max_file_bytes=1000)).kind is ErrorKind.TOO_LARGE
    assert raised(XlsxFile.open, data, Limits(max_entries=5)).kind is ErrorKind.TOO_LARGE
    assert raised(XlsxFile.open, data, Limits(max_part_bytes=200)).kind is ErrorKind.TOO_LARGE
    assert raised(XlsxFile.open, data, Limits(max_total_bytes=500)).kind is ErrorKind.TOO_LARGE
    e = raised(XlsxFile.open(data, Limits(max_strings=1)).sheet, "S", *AREA)
    assert e.kind is ErrorKind.TOO_LARGE
    assert XlsxFile.open(data, Limits(max_strings=2)).sheet("S", *AREA).cells[0, 0].value == "b"


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
)


def test_xml_with_doctype_or_entities_is_refused() -> None:
    sheet = (
        BILLION_LAUGHS
        + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        + ("<is><t>&lol9;</t></is></c></row></sheetData></worksheet>")
    )
    e = raised(XlsxFile.open(build({"S": sheet})).sheet, "S", *AREA)
    assert e.kind is ErrorKind.UNSAFE
    assert_swedish(e)
    # In the shared strings, in workbook.xml, in UTF-16, after a comment: the same.
    strings = BILLION_LAUGHS + f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'
    data = build({"S": worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')}, strings)
    assert raised(XlsxFile.open(data).sheet, "S", *AREA).kind is ErrorKind.UNSAFE
    utf16 = sheet.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16")
    assert raised(XlsxFile.open(build({"S": utf16})).sheet, "S", *AREA).kind is ErrorKind.UNSAFE
    commented = sheet.replace("<!DOCTYPE", "<!-- x --><!DOCTYPE")
    assert raised(XlsxFile.open(build({"S": commented})).sheet, "S", *AREA).kind is ErrorKind.UNSAFE
    good = build({"S": worksheet("")})
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            content = zin.read(info)
            if info.filename == "xl/workbook.xml":
                content = BILLION_LAUGHS.encode() + content[content.index(b"<workbook") :]
            zout.writestr(info, content)
    assert raised(XlsxFile.open, buf.getvalue()).kind is ErrorKind.UNSAFE


def test_broken_zips_are_corrupt() -> None:
    data = build({"S": worksheet('<row r="1"><c r="A1"><v>1</v></c></row>')}, sst("<t>a</t>"))
    for broken in (data[: len(data) // 2], data[:-10], data[:30], b"PK\x03\x04" + bytes(100)):
        e = raised(XlsxFile.open, broken)
        assert e.kind is ErrorKind.CORRUPT
        assert_swedish(e)
    # A flipped byte inside a packed part: deflate or the CRC notices.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    at = info.header_offset + 30 + len(info.filename) + 5
    flipped = data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :]
    assert raised(XlsxFile.open(flipped).sheet, "S", *AREA).kind is ErrorKind.CORRUPT


def test_parts_missing_or_twice() -> None:
    good = build({"S": worksheet("")})

    def rewrite(skip: str = "", twice: str = "") -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(buf, "w") as zout:
            for info in zin.infolist():
                if info.filename != skip:
                    zout.writestr(info.filename, zin.read(info))
                if info.filename == twice:
                    zout.writestr(info.filename.upper() if "/" in twice else twice, zin.read(info))
        return buf.getvalue()

    for skip in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        assert raised(XlsxFile.open, rewrite(skip=skip)).kind is ErrorKind.CORRUPT
    e = raised(XlsxFile.open(rewrite(skip="xl/worksheets/sheet1.xml")).sheet, "S", *AREA)
    assert e.kind is ErrorKind.CORRUPT and "Bladet 'S'" in e.message
    assert raised(XlsxFile.open, rewrite(twice="xl/worksheets/sheet1.xml")).kind is ErrorKind.CORRUPT
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert raised(XlsxFile.open, docx.getvalue()).kind is ErrorKind.NOT_XLSX
    assert raised(XlsxFile.open, b"hej").kind is ErrorKind.NOT_XLSX
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    docx = io.BytesIO()  # a Word document renamed .xlsx
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "_rels/.rels",
            f'{DECL}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", f'{DECL}<w:document xmlns:w="{word}"><w:body/></w:document>')
    e = raised(XlsxFile.open, docx.getvalue())
    assert e.kind is ErrorKind.NOT_XLSX
    assert_swedish(e)


def test_bad_xml_in_the_workbook_is_corrupt_in_swedish() -> None:
    good = build({"S": worksheet("")})
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            content = zin.read(info)
            if info.filename == "xl/workbook.xml":  # an unclosed <sheet>
                content = content.replace(b'r:id="rId1"/>', b'r:id="rId1">')
            zout.writestr(info, content)
    e = raised(XlsxFile.open, buf.getvalue())
    assert e.kind is ErrorKind.CORRUPT and e.part == "xl/workbook.xml" and "XML" in e.detail
    assert_swedish(e)


# ---------------------------------------------------------------------------------------------
# Sniffing


def test_sniff_names_and_zips() -> None:
    data = build({"S": worksheet("")})
    assert sniff("VSS 2020-10 Drift.xlsx", data) is FileKind.XLSX
    assert sniff("/inkorg/~$VSS 2020-10 Drift.xlsx", b"\x0bAnna") is FileKind.LOCK
    assert sniff(".~lock.VSS 2020-10 Drift.xlsx#", b",Anna,dator") is FileKind.LOCK
    assert sniff("a.xlsx", b"") is FileKind.NOT_WORKBOOK
    assert sniff("a.xlsx", b"<html>") is FileKind.NOT_WORKBOOK
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01")
    assert sniff("a.xlsx", buf.getvalue()) is FileKind.XLSB
    assert raised(XlsxFile.open, buf.getvalue()).kind is ErrorKind.NOT_XLSX
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert sniff("a.xlsx", docx.getvalue()) is FileKind.NOT_WORKBOOK
    # Only the first bytes of a large file: the local headers tell.
    assert sniff("a.xlsx", data[:200]) is FileKind.XLSX


def test_sniff_and_open_a_password_protected_workbook() -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain.getvalue())).encrypt("pw", out)
    data = out.getvalue()
    assert sniff("VSS.xlsx", data) is FileKind.ENCRYPTED
    assert sniff("VSS.xls", data) is FileKind.ENCRYPTED  # by content, not by name
    assert sniff("VSS.xlsx", data[: xlsx.SNIFF_BYTES]) is FileKind.ENCRYPTED
    e = raised(XlsxFile.open, data)
    assert e.kind is ErrorKind.ENCRYPTED and "lösenord" in e.message


@pytest.mark.libreoffice
def test_sniff_xls_and_ods_written_by_libreoffice(soffice: str, tmp_path: Path) -> None:
    src = tmp_path / "blad.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Intäkter"
    wb.save(src)
    (xls,) = libreoffice.convert([src], tmp_path / "xls", "xls:MS Excel 97")
    (ods,) = libreoffice.convert([src], tmp_path / "ods", "ods")
    renamed = xls.read_bytes()
    assert sniff("blad.xlsx", renamed) is FileKind.XLS  # an .xls renamed .xlsx is not "encrypted"
    assert sniff("blad.xls", renamed[: xlsx.SNIFF_BYTES]) is FileKind.XLS
    e = raised(XlsxFile.open, renamed)
    assert e.kind is ErrorKind.NOT_XLSX and ".xls" in e.message
    assert sniff("blad.xlsx", ods.read_bytes()) is FileKind.ODS
    e = raised(XlsxFile.open, ods.read_bytes())
    assert e.kind is ErrorKind.NOT_XLSX and ".ods" in e.message


# ---------------------------------------------------------------------------------------------
# Files real programs wrote


@pytest.mark.libreoffice
def test_errors_and_formulas_typed_in_libreoffice(soffice: str, tmp_path: Path) -> None:
    src = tmp_path / "typed.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Drift"
    ws["A1"] = 10
    ws["B1"] = "=1/0"
    ws["C1"] = "=A1*2"
    ws["D1"] = "=NA()"
    ws["E1"] = "=Z99"  # an empty result
    ws["F1"] = '="a"&"b"'
    ws["G1"] = "=#REF!"
    ws["H1"] = "Kommentar & mer\nrad två"
    wb.save(src)
    (saved,) = libreoffice.convert([src], tmp_path / "lo")
    data = saved.read_bytes()
    assert sniff(saved.name, data) is FileKind.XLSX
    got = read(data, "Drift")
    c = got.cells
    assert c[0, 0] == RawCell(10.0, CellType.NUMBER)
    assert c[0, 1] == RawCell("#DIV/0!", CellType.ERROR, "1/0")
    assert c[0, 2] == RawCell(20.0, CellType.NUMBER, "A1*2")
    assert c[0, 3] == RawCell("#N/A", CellType.ERROR, "NA()")
    assert c[0, 4].formula == "Z99" and c[0, 4].value in ("", 0.0)
    assert c[0, 5] == RawCell("ab", CellType.TEXT, '"a"&"b"')
    assert c[0, 6].type is CellType.ERROR and c[0, 6].value == "#REF!"
    assert c[0, 7] == RawCell("Kommentar & mer\nrad två", CellType.TEXT)
    fast, _ = both(data, "Drift")
    assert fast is not None


@pytest.fixture(scope="module")
def demo_files(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The demo's workbooks: filled ones saved by LibreOffice (inkorg), templates written by
    XlsxWriter (mallar), the Konsolidering workbook, and whatever else it writes."""
    out = tmp_path_factory.mktemp("demo")
    subprocess.run(
        [sys.executable, "-m", "vss_excel.cli", "demo", "--ut", str(out)], check=True, capture_output=True
    )
    files = sorted(out.rglob("*.xlsx"))
    assert any(p.parent.name == "inkorg" for p in files) and any(p.parent.name == "mallar" for p in files)
    return files


def _as_serial(v: object) -> object:
    """calamine turns numbers in date formats into dates; the file holds serials."""
    if isinstance(v, dt.datetime):
        return (v - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(v, dt.date):
        return float((v - dt.date(1899, 12, 30)).days)
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return float(v)
    return v


@pytest.mark.libreoffice
def test_real_files_read_as_calamine_reads_them(demo_files: list[Path]) -> None:
    """Every cell's value equals calamine's (errors aside: calamine shows them as ''), and the
    fast parser read every sheet, with the same result as expat."""
    sheets = 0
    for path in demo_files:
        data = path.read_bytes()
        assert sniff(path.name, data) is FileKind.XLSX
        cal = CalamineWorkbook.from_filelike(io.BytesIO(data))
        book = XlsxFile.open(data)
        assert list(book.sheet_names) == list(cal.sheet_names), path
        for name in book.sheet_names:
            fast, slow = both(data, name, 2000, 200)
            assert fast is not None, (path.name, name)
            assert fast == slow, (path.name, name)
            assert fast.outside == 0
            rows = cal.get_sheet_by_name(name).to_python(skip_empty_area=False)
            expected = {
                (r, c): _as_serial(v) for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""
            }
            mine = {
                k: c.value for k, c in fast.cells.items() if c.value != "" and c.type is not CellType.ERROR
            }
            assert mine == expected, (path.name, name)
            sheets += 1
    assert sheets >= 9 * 7


@pytest.mark.libreoffice
def test_real_files_formulas_as_openpyxl_reads_them(demo_files: list[Path]) -> None:
    for path in demo_files:
        book = XlsxFile.open(path.read_bytes())
        wb = openpyxl.load_workbook(path)
        for name in book.sheet_names:
            ws = wb[name]
            for (r, c), cell in book.sheet(name, 2000, 200).cells.items():
                theirs = ws.cell(r + 1, c + 1).value
                if cell.formula is not None:
                    assert theirs == "=" + cell.formula, (path.name, name, r, c)
                else:
                    assert not (isinstance(theirs, str) and theirs.startswith("=")), (path.name, name, r, c)


# ---------------------------------------------------------------------------------------------
# The two parsers agree on any sheet in the canonical form

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    .filter(lambda ch: ch in "\t\n\r" or ord(ch) >= 0x20)
    .filter(lambda ch: not 0xFFFE <= ord(ch) <= 0xFFFF),
    max_size=12,
) | st.sampled_from(["_x000D_", "a&b", "<tag>", '"quoted"', " ", "x\r\ny", "_x005F_x0041_"])


def escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


@st.composite
def canonical_sheets(draw: st.DrawFn) -> tuple[str, str, int, int]:
    strings = draw(st.lists(TEXT, min_size=1, max_size=8))
    positions = draw(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 30)), max_size=40, unique=True))
    rows: dict[int, list[str]] = {}
    for r, c in sorted(positions):
        ref = xlsx.cell_ref(r, c)
        kind = draw(st.sampled_from(["n", "s", "str", "b", "e", "d", "inline", "empty", "styled"]))
        formula = draw(st.none() | TEXT | st.sampled_from(["shared-master", "shared"]))
        f = ""
        if formula == "shared-master":
            f = f'<f t="shared" ref="{ref}:{ref}" si="{c % 3}">{escape("M" + ref)}</f>'
        elif formula == "shared":
            f = f'<f t="shared" si="{c % 3}"/>'
        elif formula is not None:
            f = f"<f>{escape(formula)}</f>"
        s = draw(st.sampled_from(["", ' s="0"', ' s="1"', ' s="2"', ' s="3"', ' s="5"', ' s="12"']))
        if kind == "n":
            v = repr(draw(st.floats(allow_nan=False, allow_infinity=False)))
            cell = f'<c r="{ref}"{s}>{f}<v>{v}</v></c>'
        elif kind == "s":
            cell = f'<c r="{ref}"{s} t="s">{f}<v>{draw(st.integers(0, len(strings) - 1))}</v></c>'
        elif kind in ("str", "e", "d"):
            cell = f'<c r="{ref}"{s} t="{kind}">{f}<v>{escape(draw(TEXT))}</v></c>'
        elif kind == "b":
            cell = f'<c r="{ref}"{s} t="b">{f}<v>{draw(st.sampled_from(["0", "1"]))}</v></c>'
        elif kind == "inline":
            cell = f'<c r="{ref}"{s} t="inlineStr"><is>{draw(t_elements())}</is></c>'
        elif kind == "empty":
            cell = f'<c r="{ref}"{s}>{f}<v></v></c>'
        else:
            cell = f'<c r="{ref}"{s}/>'
        rows.setdefault(r, []).append(cell)
    body = "".join(f'<row r="{r + 1}">{"".join(cells)}</row>' for r, cells in rows.items())
    shared = sst(*(f'<t xml:space="preserve">{escape(t)}</t>' for t in strings))
    area = st.sampled_from([45, 45, 45, 20]) | st.integers(-1, 45)  # mostly all, sometimes part
    return worksheet(body), shared, draw(area), draw(area)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canonical_sheets())
def test_fast_and_expat_parsers_agree(case: tuple[str, str, int, int]) -> None:
    sheet, strings, max_row, max_col = case
    fast, slow = both(build({"S": sheet}, strings, styles=FORMATS), "S", max_row, max_col)
    assert fast is not None
    assert fast == slow  # values, types, formulas and number formats


PRESERVE = ' xml:space="preserve"'
# White space around a text, as characters or as references (&#10; is a line break too).
EDGE = st.sampled_from(["", " ", "  ", "\n", "\n   ", "\t", "\r\n", "&#10;", "&#x9;", "&#32;", " &#13;&#10;"])
# White space between elements: a writer that indents its XML (SpreadsheetGear).
INDENT = st.sampled_from(["", "", "\n", "\n  ", "\n    ", "\r\n\t", " "])


@st.composite
def t_elements(draw: st.DrawFn) -> str:
    """A <t> with or without xml:space="preserve", its text maybe with white space at its ends."""
    text = draw(EDGE) + escape(draw(TEXT)) + draw(EDGE)
    attr = draw(st.sampled_from(["", PRESERVE]))
    return f"<t{attr}>{text}</t>"


@st.composite
def shared_string_items(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["plain", "plain", "rich", "phonetic", "empty", "self-closing"]))
    pad = [draw(INDENT) for _ in range(8)]
    t1, t2, t3 = draw(t_elements()), draw(t_elements()), draw(t_elements())
    return {
        "plain": f"{pad[0]}{t1}{pad[1]}",
        "rich": f"{pad[0]}<r>{pad[1]}{t1}{pad[2]}</r>{pad[3]}<r>{pad[4]}<rPr>{pad[5]}<b/>{pad[6]}"
        f'<sz val="11"/></rPr>{pad[7]}{t2}</r>{pad[0]}',
        "phonetic": f'{pad[0]}{t1}{pad[1]}<rPh sb="0" eb="1">{pad[2]}{t3}</rPh>{pad[3]}'
        '<phoneticPr fontId="1"/>',
        "empty": pad[0],
        "self-closing": f"{pad[0]}<t/>{pad[1]}",
    }[kind]


class _Part:
    def __init__(self, xml: bytes) -> None:
        self.xml = xml

    def load(self) -> tuple[str, bytes]:
        return "xl/sharedStrings.xml", self.xml


@settings(max_examples=300, deadline=None)
@given(st.lists(shared_string_items(), min_size=1, max_size=30), INDENT)
def test_fast_and_expat_shared_strings_agree(items: list[str], between: str) -> None:
    """Any layout of the items (indented or not, xml:space="preserve" or not, rich and phonetic
    runs, white space as references): the fast reading gives what expat gives."""
    xml = sst(*items).replace("<si>", between + "<si>").encode()
    part = _Part(xml)  # _Strings holds its loader weakly: a bound method of a live object
    strings = xlsx._Strings(part.load, 1000)
    fast = [strings.get(i, "S") for i in range(len(items))]
    assert strings._bodies  # the fast way was taken
    assert fast == xlsx._parse_strings(xml, "xl/sharedStrings.xml")


def test_shared_strings_as_excel_reads_them() -> None:
    """A <t> without xml:space="preserve" is trimmed of XML white space at both ends, as Excel
    shows it; white space between the elements is no text; each run's <t> on its own."""
    spreadsheetgear = (
        f'{DECL}<sst xmlns="{MAIN}" count="6" uniqueCount="6">\n'
        "  <si>\n    <t>\n   String Value 32\n  </t>\n  </si>\n"
        '  <si>\n    <t xml:space="preserve">  kept  </t>\n  </si>\n'
        "  <si>\n    <r>\n      <t>fet </t>\n    </r>\n"
        '    <r>\n      <rPr><b/></rPr>\n      <t xml:space="preserve"> och\nnormal </t>\n    </r>\n  </si>\n'
        "  <si><t>&#10;&#9;rad&#13;&#10;två&#32;</t></si>\n"
        "  <si><t>  _x0020_x_x0020_ </t></si>\n"
        "  <si><t> \n </t></si>\n</sst>"
    )
    sheet = worksheet(
        '<row r="1">'
        + "".join(f'<c r="{xlsx.cell_ref(0, i)}" t="s"><v>{i}</v></c>' for i in range(6))
        + "</row>"
        '<row r="2"><c r="A2" t="inlineStr"><is><t>  inline  </t></is></c>'
        '<c r="B2" t="inlineStr"><is><t xml:space="preserve">  inline  </t></is></c>'
        '<c r="C2" t="inlineStr"><is>\n  <t>\n  indented\n  </t>\n</is></c></row>'
    )
    data = build({"S": sheet}, spreadsheetgear)
    got = values(read(data, "S"))  # expat's sheet and the fast one agree
    assert got == {
        "A1": "String Value 32",
        "B1": "  kept  ",
        "C1": "fet och\nnormal ",
        "D1": "rad\r\ntvå",
        "E1": " x ",  # _x0020_ is a space Excel's own escape makes, after the trimming
        "F1": "",
        "A2": "inline",
        "B2": "  inline  ",
        "C2": "indented",
    }
    part = _Part(spreadsheetgear.encode())
    strings = xlsx._Strings(part.load, 1000)
    assert [strings.get(i, "S") for i in range(6)] == [got[f"{c}1"] for c in "ABCDEF"]
    assert strings._bodies  # read the fast way, the indented items by expat
    assert xlsx._parse_strings(part.xml, "xl/sharedStrings.xml") == [got[f"{c}1"] for c in "ABCDEF"]


CODES = st.sampled_from(
    [
        *("General", "0.0", "#,##0,;-#,##0,;0", "0.0%", "0.0\\ %", "yyyy\\-mm\\-dd", "[h]:mm"),
        *('"TRUE";"TRUE";"FALSE"', '#,##0 "kr"', "[Red]0%", "0\\%", "a&b<c", "x\ny", "\t0"),
    ]
)


@st.composite
def stylesheets(draw: st.DrawFn) -> tuple[str, bool]:
    """A styles part in some layout, and whether it is in the canonical form (the fast way)."""
    pad = lambda: draw(INDENT)  # noqa: E731
    canonical = True
    ids = draw(st.lists(st.integers(164, 200), max_size=5, unique=True))
    fmts = []
    for i in ids:
        code = xml_attr(draw(CODES)).replace("\n", "&#10;" if draw(st.booleans()) else "\n")
        if draw(st.integers(0, 9)) == 0:
            fmts.append(f'<numFmt formatCode="{code}" numFmtId="{i}"/>')  # another order: expat
            canonical = False
        else:
            canonical = canonical and "\n" not in code and "\t" not in code  # normalized by expat
            fmts.append(f'<numFmt numFmtId="{i}" formatCode="{code}"/>')
    xfs = []
    for _ in range(draw(st.integers(0, 12))):
        fmt_id = draw(st.sampled_from([None, 0, 3, 9, 10, 14, 22, 46, 49, *ids, 999]))
        attrs = [f'numFmtId="{fmt_id}"'] if fmt_id is not None else []
        attrs += draw(st.sampled_from([[], ['fontId="0"'], ['applyNumberFormat="1"', 'xfId="0"']]))
        order = draw(st.permutations(attrs))
        body = draw(st.sampled_from(["", '<alignment horizontal="left"/>', '<protection locked="0"/>']))
        tag = f"<xf {' '.join(order)}" if order else "<xf"
        xfs.append(f"{tag}/>" if not body else f"{tag}>{pad()}{body}{pad()}</xf>")
    comment = draw(st.integers(0, 9)) == 0
    canonical = canonical and not comment
    prefix = draw(st.integers(0, 9)) == 0
    canonical = canonical and not prefix
    parts = [
        f'<numFmts count="{len(fmts)}">' + "".join(pad() + f for f in fmts) + f"{pad()}</numFmts>"
        if fmts
        else "",
        '<fonts count="1"><font><sz val="11"/></font></fonts>'
        + ("<!-- <xf numFmtId='9'/> -->" if comment else ""),
        '<cellStyleXfs count="1"><xf numFmtId="9" fontId="0"/></cellStyleXfs>',
        f'<cellXfs count="{len(xfs)}">' + "".join(pad() + x for x in xfs) + f"{pad()}</cellXfs>"
        if xfs
        else "",
        '<dxfs count="1"><dxf><numFmt numFmtId="10" formatCode="0%"/></dxf></dxfs>',
    ]
    root = f'<x:styleSheet xmlns:x="{MAIN}">' if prefix else f'<styleSheet xmlns="{MAIN}" xmlns:mc="urn:x">'
    body = "".join(pad() + p for p in parts) + pad()
    if prefix:
        body = re.sub(r"<(/?)(?=[a-zA-Z])", r"<\1x:", body)
    return f"{DECL}{root}{body}</{'x:' if prefix else ''}styleSheet>", canonical


@settings(max_examples=300, deadline=None)
@given(stylesheets())
def test_fast_and_expat_styles_agree(case: tuple[str, bool]) -> None:
    """Any layout of numFmts and cellXfs: the regexes read what expat reads, or decline."""
    xml, canonical = case
    fast = xlsx.formats._styles_fast(xml.encode())
    slow = xlsx.formats._styles_expat(xml.encode(), "xl/styles.xml")
    if canonical:
        assert fast is not None
    if fast is not None:
        assert fast[1] == slow[1]  # each cell style's format id
        assert xlsx.formats._kinds(*fast) == xlsx.formats._kinds(*slow)  # and what it makes of a number


def test_an_unknown_xml_encoding_is_corrupt_not_a_crash() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="rTF-8"?>'
            '<workbook><sheets><sheet name="A" r:id="rId1"/></sheets></workbook>',
        )
    with pytest.raises(xlsx.XlsxError) as e:
        xlsx.XlsxFile.open(data.getvalue())
    assert e.value.kind is xlsx.ErrorKind.CORRUPT


def test_escaped_utf16_halves_read_as_excel_stores_them() -> None:
    """_xD83D__xDE00_ is one character in UTF-16, as Excel keeps text; half a pair is no character
    (LibreOffice saves a typed '_xD800_' unescaped): it stays as written, and the text can be saved."""
    strings = sst("<t>_xD83D__xDE00_ ok</t>", "<t>a_xD800_b</t>", "<t>_x005F_xD83D__xDE00_</t>")
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>{i - 1}</v></c></row>' for i in (1, 2, 3))
    data = build({"Drift": worksheet(rows)}, strings)
    fast, slow = both(data, "Drift")
    assert fast is not None and values(fast) == values(slow)
    got = values(read(data, "Drift"))
    assert got == {"A1": "\U0001f600 ok", "A2": "a_xD800_b", "A3": "_xD83D__xDE00_"}
    assert all(v.encode("utf-8") for v in got.values())
