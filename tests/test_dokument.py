"""The delårsrapport as Word and PDF: every table as the consolidated tables say, in the report's
format; sections in order as real headings; alt text, Swedish language, marked incomplete totals."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tomllib
import zipfile
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import docx
import pdf_structure
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from vss_excel import calc, demo
from vss_excel import pdf as pdf_export
from vss_excel.errors import UserError
from vss_excel.keys import INVEST_TOTALS, Drift, Measure
from vss_excel.konsolidera.job import Consolidation, consolidate_folder
from vss_excel.konsolidera.tables import (
    INTAKTER,
    KOSTNADER,
    MISSING_STATUS,
    NETTO,
    TOTAL,
    UNIT,
    Tables,
)
from vss_excel.model import Forvaltning, Period, PersonnelKind
from vss_excel.rapport.dokument import build_template, charts, demo_texts, file_stem, write_report
from vss_excel.rapport.dokument import numbers as N

NB, MINUS, DASH = "\u00a0", "\u2212", "–"
DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain"
H1 = [
    "Förvaltningens uppdrag",
    "Förvaltningschefens bedömning och analys",
    "Ekonomi",
    "Basuppdrag",
    "Personal",
    "Driftsammandrag",
    "Investeringar",
    "Uppföljning av verksamhetsplanen",
]


# --- the report's number format, written out independently of the package -------------------


def integer(n: int) -> str:
    return (MINUS if n < 0 else "") + f"{abs(n):,}".replace(",", NB)


def tkr(table: Any, row: object, col: str) -> str:
    if table.gap(row, col):
        return "saknas"
    v = table.value(row, col)
    if v is None:
        return DASH
    return integer(calc.round_tkr(v)) + ("*" if table.lacks(row, col) else "")


def one_decimal(v: Decimal) -> str:
    return f"{calc.round_half_up(v, 1):.1f}".replace(".", ",")


def label(base: str, lacking: tuple[tuple[str, str], ...], forv: Forvaltning) -> str:
    n = len(forv.units)
    return f"{base} ({n - len(lacking)} av {n} enheter)" if lacking else base


def expected_tables(forv: Forvaltning, period: Period, t: Tables) -> list[list[list[str]]]:
    """Every table of the report, header first, from the consolidated tables."""
    y, span, month = period.year, period.span(), period.month_label
    out = []
    e = t.ekonomi
    out.append(
        [["Belopp tkr", "Prognos helår", f"Budget {y}", "Avvikelse"]]
        + [
            [
                label(str(r), e.all_lacking([r]), forv),
                *(tkr(e, r, c) for c in ("prognos", "budget", "avvikelse")),
            ]
            for r in e.rows
        ]
    )
    v, vt = t.volymer.figures, t.volymer.texts
    vols = []
    for r in v.rows:
        cells = []
        for c in (Measure.PROGNOS, Measure.UTFALL, Measure.UTFALL_FG):
            x = v.value(r, c)
            cells.append("saknas" if v.gap(r, c) else "N/A" if x is None else integer(int(x)))
        vols.append([str(vt[r]["matt"]), *cells])
    out.append([["Volymmått", f"Prognos {y}", month(), month(y - 1)], *vols])
    p, pt = t.personal.figures, t.personal.texts
    pers = []
    for m in forv.personnel:
        cells = []
        for c in (Measure.UTFALL, Measure.UTFALL_FG, Measure.MALVARDE):
            x = p.value(m.id, c)
            text = DASH if x is None else integer(int(x)) if m.kind is PersonnelKind.ANTAL else one_decimal(x)
            cells.append(text + ("*" if x is not None and p.lacks(m.id, c) else ""))
        pers.append([label(str(pt[m.id]["matt"]), p.all_lacking([m.id]), forv), *cells])
    out.append([["Personal", month(), month(y - 1), "Målvärde helår"], *pers])
    d = t.drift
    pcols = (Drift.REDOVISAT, Drift.BUDGET, Drift.AVVIKELSE, Drift.REDOVISAT_FG)
    ycols = (Drift.PROGNOS, Drift.BUDGET_HELAR, Drift.AVVIKELSE_HELAR, Drift.BOKSLUT_FG)
    units = [[u.name, *(tkr(d, (UNIT, u.id), c) for c in pcols)] for u in forv.units]
    summa = (TOTAL, NETTO)
    out.append(
        [
            [
                "Verksamhet",
                f"Redovisat {span}",
                f"Budget {span}",
                "Avvikelse",
                "Redovisat samma period föregående år",
            ],
            *units,
            [label("Summa", d.all_lacking([summa], pcols), forv), *(tkr(d, summa, c) for c in pcols)],
        ]
    )
    units = [[u.name, *(tkr(d, (UNIT, u.id), c) for c in ycols)] for u in forv.units]
    totals = [
        [label(name, d.all_lacking([(TOTAL, key)], ycols), forv), *(tkr(d, (TOTAL, key), c) for c in ycols)]
        for key, name in (
            (NETTO, "Summa nettokostnader, tkr"),
            (KOSTNADER, "varav kostnader"),
            (INTAKTER, "varav intäkter"),
        )
    ]
    out.append(
        [["Verksamhet", "Prognos helår", f"Budget {y}", "Avvikelse", f"Bokslut {y - 1}"], *units, *totals]
    )
    inv, it = t.investeringar.figures, t.investeringar.texts
    rows: list[list[str]] = []
    unit = None
    for r in inv.rows:
        if r[0] == TOTAL:
            name = label(INVEST_TOTALS[r[1]], inv.all_lacking([r]), forv)
        else:
            if it[r]["enhet"] != unit:
                unit = it[r]["enhet"]
                rows.append([str(unit)] + [""] * 7)
            name = str(it[r]["projekt"])
        rows.append([name, *(tkr(inv, r, c) for c in inv.columns)])
    out.append(
        [
            [
                "Verksamhet och projekt",
                f"Redovisat utgifter {span}",
                f"Redovisat inkomster {span}",
                f"Prognos utgifter {y}",
                f"Prognos inkomster {y}",
                f"Prognos netto {y}",
                f"Investeringsram {y}",
                "Avvikelse",
            ],
            *rows,
        ]
    )
    counts = t.status_counts.rows
    statuses = [*forv.statuses] + ([MISSING_STATUS] if counts["Totalt"][MISSING_STATUS] else [])
    out.append(
        [["Perspektiv", *statuses, "Totalt"]]
        + [[name, *(str(row[s]) for s in [*statuses, "Totalt"])] for name, row in counts.items()]
    )
    strategic = f"\nStrategiskt utvecklingsuppdrag i Budget {y} med plan för {y + 1}–{y + 3}"
    for persp in forv.perspectives:
        goals: dict[str, list[list[str]]] = {}
        for a in t.aktiviteter:
            if a.perspektiv == persp.name:
                goals.setdefault(a.mal, []).append(
                    [
                        a.aktivitet + (strategic if a.strategiskt else ""),
                        a.slutdatum,
                        a.status or "saknas",
                        a.kommentar,
                    ]
                )
        for goal, rows in goals.items():
            out.append(
                [
                    [f"{persp.goal_heading}: {goal}"] * 4,  # one cell over the four columns
                    ["Aktivitet", f"Slutdatum {y}", "Status", "Kommentar"],
                    *rows,
                ]
            )
    return out


def clean(text: str) -> str:
    """What a reader sees: without the word joiners and soft hyphens that only steer line breaks."""
    return text.replace("\u2060", "").replace("\u00ad", "")


def docx_tables(path: Path) -> list[list[list[str]]]:
    d = docx.Document(str(path))
    return [[[clean(c.text) for c in row.cells] for row in t.rows] for t in d.tables]


def headings(path: Path) -> list[tuple[int, str]]:
    d = docx.Document(str(path))
    out = []
    for p in d.paragraphs:
        m = re.fullmatch(r"Heading (\d)", p.style.name if p.style is not None else "")
        if m:
            out.append((int(m.group(1)), p.text))
    return out


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_run(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Consolidation, Path]:
    out = tmp_path_factory.mktemp("demo")
    result, _, _ = demo.run(out, workers=2, year_end=False)
    return result, out


@pytest.fixture(scope="module")
def tables(demo_run: tuple[Consolidation, Path]) -> Tables:
    return demo_run[0].tables


@pytest.fixture(scope="module")
def report(tables: Tables, forv: Forvaltning, tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = write_report(
        tmp_path_factory.mktemp("rapport"), forv, forv.period, tables, demo_texts(), pdf=False
    )
    assert files.pdf is None and files.notes == ()
    return files.docx


@pytest.fixture(scope="module")
def lacking_tables(
    demo_run: tuple[Consolidation, Path], forv: Forvaltning, tmp_path_factory: pytest.TempPathFactory
) -> Tables:
    """The demo without Löneservice's workbook: its figures are gaps, the totals lack it."""
    _, out = demo_run
    inbox = tmp_path_factory.mktemp("inkorg")
    for f in (out / "inkorg").iterdir():
        if "Löneservice" not in f.name:
            shutil.copy2(f, inbox / f.name)
    return consolidate_folder(inbox, forv, forv.period, 2, templates=out / "mallar").tables


# --- numbers ------------------------------------------------------------------------------------


def test_numbers_are_written_the_swedish_way() -> None:
    assert N.integer(6339) == "6\u00a0339"
    assert N.integer(-1100) == "\u22121\u00a0100"
    assert N.integer(-623) == "\u2212623"
    assert N.integer(0) == "0"
    assert N.tkr(Decimal("-499.99")) == "0"  # never −0
    assert N.tkr(Decimal("1500")) == "2" and N.tkr(Decimal("-1500")) == "\u22122"  # half away from zero
    assert N.tkr(Decimal("6339000"), marked=True) == "6\u00a0339*"
    assert N.tkr(None) == "–" and N.tkr(Decimal(0), gap="ej ifylld") == "saknas"
    assert N.percent(Decimal("5.05")) == "5,1" and N.percent(Decimal("-0.04")) == "0,0"
    assert N.count(Decimal("212752")) == "212\u00a0752" and N.count(None, empty="N/A") == "N/A"


# --- the Word document --------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_every_table_is_the_consolidated_tables(report: Path, tables: Tables, forv: Forvaltning) -> None:
    got = docx_tables(report)
    want = expected_tables(forv, forv.period, tables)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g == w


@pytest.mark.libreoffice
def test_driftsammandrag_is_the_delarsrapports(report: Path) -> None:
    """Spot checks against the printed report (its own inconsistent cells aside)."""
    got = docx_tables(report)
    year = next(t for t in got if t[0][1] == "Prognos helår" and t[0][0] == "Verksamhet")
    rows = {r[0]: r[1:] for r in year}
    assert rows["VSS ledning"] == ["\u22121\u00a0100", "0", "\u22121\u00a0100", "\u22122\u00a0356"]
    assert rows["Upphandling & inköp"][3] == DASH  # no bokslut 2019: not 0
    assert rows["Summa nettokostnader, tkr"] == ["6\u00a0339", "0", "6\u00a0339", "17\u00a0301"]
    assert rows["varav intäkter"][:2] == ["306\u00a0653", "294\u00a0028"]
    invest = {r[0]: r[1:] for r in next(t for t in got if t[0][0] == "Verksamhet och projekt")}
    published = ["32\u00a0054", "0", "45\u00a0000", "0", "45\u00a0000", "60\u00a0000", "15\u00a0000"]
    assert invest["Summa investeringar"] == invest["varav utgifter"] == published
    assert invest["varav inkomster"] == ["0"] * 7


@pytest.mark.libreoffice
def test_sections_are_headings_in_the_reports_order(report: Path, forv: Forvaltning) -> None:
    hs = headings(report)
    assert [t for lvl, t in hs if lvl == 1] == H1
    level2 = [t for lvl, t in hs if lvl == 2]
    assert level2 == [
        "Uppföljning av effekterna för nämndens verksamhet av coronapandemin",
        "Samlad bedömning och analys av ekonomi, verksamhet och personal",
        "Väsentliga avvikelser",  # Ekonomi
        "Väsentliga avvikelser",  # Basuppdrag
        "Väsentliga avvikelser",  # Personal
        "Resultat 31 oktober 2020",
        "Prognos resultat 2020",
        "Analys och kommentar",
        "Hur påverkas internbudget och verksamhet 2021 av prognostiserade avvikelser?",
        "Analys och kommentar",  # Investeringar
        *(p.name for p in forv.perspectives),
    ]
    assert {lvl for lvl, _ in hs} == {1, 2}  # never a level skipped
    d = docx.Document(str(report))
    paragraphs = [p.text for p in d.paragraphs]
    texts = demo_texts()
    first = paragraphs.index("Förvaltningens uppdrag")
    assert paragraphs[first + 1] == texts["uppdrag"].splitlines()[0]
    bullets = [p.text for p in d.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert "utvärderingen av krisarbetet" in bullets


@pytest.mark.libreoffice
def test_pictures_have_alt_text_and_the_document_is_swedish(report: Path) -> None:
    d = docx.Document(str(report))
    pictures = list(d.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == 2
    assert all(len(p.get("descr", "")) > 40 for p in pictures)
    lang = (
        d.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == "sv-SE"
    assert d.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == "sv-SE"
    cp = d.core_properties
    assert cp.title == "Delårsrapport Verksamhetsstöd och service per 31 oktober 2020"
    assert cp.author == "Verksamhetsstöd och service" and cp.language == "sv-SE" and cp.subject
    assert report.name == "Delårsrapport Verksamhetsstöd och service 2020-10.docx"


@pytest.mark.libreoffice
def test_table_of_contents_lists_every_heading(report: Path) -> None:
    d = docx.Document(str(report))
    body = d.element.body
    instructions = [i.text.strip() for i in body.iter(qn("w:instrText"))]
    assert instructions[0].startswith("TOC")
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    refs = [i.split()[1] for i in instructions if i.startswith("PAGEREF")]
    assert len(refs) == len([h for h in headings(report) if h[0] <= 2]) and set(refs) <= bookmarks
    toc_texts = [
        p.text.split("\t")[0] for p in d.paragraphs if p.style is not None and p.style.name == "toc 1"
    ]
    assert toc_texts == H1


@pytest.mark.libreoffice
def test_a_total_that_lacks_a_unit_is_marked_and_explained(
    lacking_tables: Tables, forv: Forvaltning, tmp_path: Path
) -> None:
    files = write_report(tmp_path, forv, forv.period, lacking_tables, demo_texts(), pdf=False)
    got = docx_tables(files.docx)
    assert got == expected_tables(forv, forv.period, lacking_tables)
    year = next(t for t in got if t[0][1] == "Prognos helår" and t[0][0] == "Verksamhet")
    rows = {r[0]: r[1:] for r in year}
    assert rows["Löneservice"][0] == "saknas"  # never 0
    summa = next(k for k in rows if k.startswith("Summa nettokostnader"))
    assert summa == "Summa nettokostnader, tkr (8 av 9 enheter)"
    assert rows[summa][0].endswith("*")
    notes = [p.text for p in docx.Document(str(files.docx)).paragraphs if p.style.name == "Tabellnot"]
    assert any(n.startswith("* Summorna saknar Löneservice") for n in notes)
    assert any(n.startswith("”saknas”: Löneservice") for n in notes)
    # the avvikelse is over the units that have both figures, and the note says so
    assert any("Avvikelse och förändring i en markerad summa räknas bara för de enheter" in n for n in notes)


@pytest.mark.libreoffice
def test_empty_texts_show_marked_placeholders(tables: Tables, forv: Forvaltning, tmp_path: Path) -> None:
    files = write_report(tmp_path, forv, forv.period, tables, {"okand": "x"}, pdf=False)
    d = docx.Document(str(files.docx))
    holders = [p for p in d.paragraphs if p.text.startswith("[Skriv här:")]
    sections = [s for s in forv.report.sections if not s.table]  # an empty note shows nothing
    assert len(holders) == len(sections) == 11
    for p in holders:
        run = next(r for r in p.runs if r.text)._r
        assert (
            run.find(f"{qn('w:rPr')}/{qn('w:shd')}") is not None
            and run.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None
        )
    assert any("Text saknas i 11 avsnitt" in n for n in files.notes)
    assert any("Ekonomi: Väsentliga avvikelser" in n for n in files.notes)  # the place names it
    assert any("okand" in n for n in files.notes)


@pytest.mark.libreoffice
def test_texts_stay_texts(tables: Tables, forv: Forvaltning, tmp_path: Path) -> None:
    """Markup, template tags and control characters in a text are written as the text says (a
    space between a figure and '%' becomes a no-break space: '1 %' is never split over two lines)."""
    hostile = "=SUMMA(A1) <b>fet</b> & {{ rubrik }} {% if 1 %}x{% endif %}\x0b\x07slut\n- punkt"
    files = write_report(tmp_path, forv, forv.period, tables, {"uppdrag": hostile}, pdf=False)
    paragraphs = [p.text for p in docx.Document(str(files.docx)).paragraphs]
    first = paragraphs.index("Förvaltningens uppdrag")
    assert paragraphs[first + 1 : first + 3] == [
        "=SUMMA(A1) <b>fet</b> & {{ rubrik }} {% if 1\u00a0%}x{% endif %}slut",
        "punkt",
    ]


@pytest.mark.libreoffice
def test_year_end_is_a_verksamhetsberattelse(tables: Tables, forv: Forvaltning, tmp_path: Path) -> None:
    period = Period(2020, 12)
    files = write_report(tmp_path, forv, period, tables, demo_texts(), pdf=False)
    assert files.docx.name == "Verksamhetsberättelse Verksamhetsstöd och service 2020-12.docx"
    assert (
        file_stem(forv, Period(2020, 4, "tertialrapport"))
        == "Tertialrapport Verksamhetsstöd och service 2020-04"
    )
    d = docx.Document(str(files.docx))
    assert d.core_properties.title == "Verksamhetsberättelse Verksamhetsstöd och service per 31 december 2020"
    assert any("per den 31 december 2020" in p.text for p in d.paragraphs)


@pytest.mark.libreoffice
def test_the_kommuns_own_template(tables: Tables, forv: Forvaltning, tmp_path: Path) -> None:
    template = build_template(tmp_path / "mall" / "Rapportmall.docx")
    with zipfile.ZipFile(template) as z:
        xml = z.read("word/document.xml").decode()
    assert "{{ rubrik }}" in xml and "{%tr for rad in tabell.ekonomi.rader %}" in xml
    d = docx.Document(str(template))
    d.paragraphs[0].insert_paragraph_before("Kommunens logga här")
    d.save(str(template))
    files = write_report(
        tmp_path / "ut", forv, forv.period, tables, demo_texts(), pdf=False, template=template
    )
    assert docx.Document(str(files.docx)).paragraphs[0].text == "Kommunens logga här"
    assert docx_tables(files.docx) == expected_tables(forv, forv.period, tables)

    broken = docx.Document()
    broken.add_paragraph("{{ okand_tagg }}")
    broken.save(str(tmp_path / "trasig.docx"))
    with pytest.raises(UserError, match=r"Rapportmallen .*trasig\.docx kunde inte användas"):
        write_report(
            tmp_path / "ut2", forv, forv.period, tables, {}, pdf=False, template=tmp_path / "trasig.docx"
        )
    plain = docx.Document()
    plain.add_paragraph("{{ rubrik }}")
    plain.save(str(tmp_path / "enkel.docx"))
    files = write_report(
        tmp_path / "ut3", forv, forv.period, tables, {}, pdf=False, template=tmp_path / "enkel.docx"
    )
    assert any("ingen innehållsförteckning" in n for n in files.notes)


# --- the PDF --------------------------------------------------------------------------------------


def structure(node: Any, seen: set[int] | None = None) -> list[DictionaryObject]:
    """Every structure element below node (pypdf objects), each once."""
    seen = set() if seen is None else seen
    out: list[DictionaryObject] = []
    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return out
        seen.add(node.idnum)
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for k in node:
            out += structure(k, seen)
    elif isinstance(node, DictionaryObject) and "/S" in node:
        out.append(node)
        if "/K" in node:
            out += structure(node["/K"], seen)
    return out


@pytest.fixture(scope="module")
def pdf_report(
    writer: None, tables: Tables, forv: Forvaltning, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """The demo's report as Word and PDF, written once for the PDF's tests."""
    out = tmp_path_factory.mktemp("pdf")
    files = write_report(out, forv, forv.period, tables, demo_texts())
    assert files.pdf == out / "Delårsrapport Verksamhetsstöd och service 2020-10.pdf" and files.notes == ()
    assert sorted(p.name for p in out.iterdir()) == [files.docx.name, files.pdf.name]  # no temp left
    return files.docx, files.pdf


@pytest.mark.libreoffice
def test_pdf_is_tagged_swedish_and_titled(pdf_report: tuple[Path, Path]) -> None:
    r = PdfReader(str(pdf_report[1]))
    root = r.trailer["/Root"]
    assert root["/Lang"] == "sv-SE"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert (
        r.metadata is not None
        and r.metadata.title == "Delårsrapport Verksamhetsstöd och service per 31 oktober 2020"
    )
    assert b"pdfuaid:part>1<" in root["/Metadata"].get_object().get_data()
    elements = structure(root["/StructTreeRoot"]["/K"])
    kinds = {str(e["/S"]) for e in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/Caption", "/TOC", "/TOCI", "/Lbl"} <= kinds
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == 2 and all(len(str(e.get("/Alt", ""))) > 40 for e in figures)
    first = r.pages[0].extract_text()
    assert re.search(r"Förvaltningens uppdrag\.*\s*2\b", first)  # the TOC has page numbers


@pytest.mark.libreoffice
def test_pdf_passes_the_pdf_ua_structure_checks(pdf_report: tuple[Path, Path]) -> None:
    """Language, title, PDF/UA identification, headings that never skip a level, every table row as
    wide as the header (a row split by a page break once had 9 cells in a 5-column table), TH with
    Scope, lists with Lbl and LBody, TOCI in TOC, figures with alt text, the parent tree whole, and
    no private-use character in the text (see tests/pdf_structure.py)."""
    assert pdf_structure.problems(pdf_report[1]) == []


@pytest.mark.libreoffice
def test_pdf_tables_are_the_word_tables_with_whole_rows(pdf_report: tuple[Path, Path]) -> None:
    """One PDF table per Word table, with as many rows (the header repeated on a new page is no
    row), each row on one page; several tables run over a page break, so the check means it."""
    word = docx_tables(pdf_report[0])
    s = pdf_structure.Structure(pdf_report[1])
    tables = s.of("/Table")
    assert [len(pdf_structure.rows(t)) for t in tables] == [len(t) for t in word]
    split = [t for t in tables if len(t.pages()) > 1]
    assert len(split) >= 3
    for t in split:
        assert len(set(pdf_structure.widths(t))) == 1
        assert all(len(r.pages()) == 1 for r in pdf_structure.rows(t))


@pytest.mark.libreoffice
def test_pdf_has_captions_row_headers_toc_and_list_labels(pdf_report: tuple[Path, Path]) -> None:
    word_doc, pdf = pdf_report
    s = pdf_structure.Structure(pdf)
    tables = s.of("/Table")
    assert all(t.kids[0].kind == "/Caption" for t in tables) and len(s.of("/Caption")) == len(tables)
    word = docx_tables(word_doc)
    for t, w in zip(tables, word, strict=True):
        body = [r for r in pdf_structure.rows(t) if any(c.kind == "/TD" for c in r.kids)]
        header = [r for r in pdf_structure.rows(t) if r not in body]
        assert all(c.kind == "/TH" and c.attributes()["/Scope"] == "/Column" for r in header for c in r.kids)
        assert all(r.kids[0].kind == "/TH" and r.kids[0].attributes()["/Scope"] == "/Row" for r in body)
        assert len(body) == len(w) - len(header)
    (toc,) = s.of("/TOC")
    assert [k.kind for k in toc.kids] == ["/TOCI"] * len([h for h in headings(word_doc) if h[0] <= 2])
    items = s.of("/LI")
    assert len(items) > 20 and all([k.kind for k in i.kids] == ["/Lbl", "/LBody"] for i in items)
    text = " ".join(p.extract_text() for p in s.reader.pages)
    assert "\u2022 Folkhälsomyndighetens restriktioner" in text and "\uf0b7" not in text
    assert pdf_structure.headings(s) == [lvl for lvl, _ in headings(word_doc)]


@pytest.mark.libreoffice
def test_the_checks_find_the_defects_they_check_for(soffice: str, tmp_path: Path) -> None:
    """The checker is not blind: a table whose mål cells are merged down over a page break (as the
    report was before) gives rows wider than the table, a list straight from python-docx's
    template gives items without Lbl and Symbol's private-use bullet."""
    doc = docx.Document()
    doc.add_paragraph("Punkt", style="List Bullet")
    doc.add_heading("Rubrik", 1)
    doc.add_heading("Underrubrik", 3)
    t = doc.add_table(rows=1, cols=3)
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for c, h in enumerate(("Mål", "Aktivitet", "Kommentar")):
        t.cell(0, c).text = h
    for i in range(60):
        r = t.add_row()
        r.cells[1].text, r.cells[2].text = f"Aktivitet {i}\nrad två", f"Kommentar {i}"
        v = OxmlElement("w:vMerge")
        if i % 20 == 0:
            r.cells[0].text = f"Mål {i // 20}"
            v.set(qn("w:val"), "restart")
        r.cells[0]._tc.get_or_add_tcPr().append(v)
        r._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    from vss_excel import libreoffice

    source = tmp_path / "fel.docx"
    doc.save(str(source))
    (made,) = libreoffice.convert([source], tmp_path / "ut", pdf_export.PDF_FILTER)  # no repair
    found = pdf_structure.problems(made)
    assert "Rubriknivån hoppar från H1 till H3." in found
    assert any(re.fullmatch(r"Tabellen på sidan \d+: rad \d+ har [5-9] kolumner av 3\.", p) for p in found)
    assert any(p.startswith("En listpunkt har ['/LBody']") for p in found)
    assert any("privata område" in p for p in found)


@pytest.mark.libreoffice
def test_without_writer_no_pdf_and_a_note(
    tables: Tables, forv: Forvaltning, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_export, "writer_installed", lambda: False)
    files = write_report(tmp_path, forv, forv.period, tables, demo_texts())
    assert files.pdf is None and files.notes == (pdf_export.NO_WRITER,)
    assert "libreoffice-writer-nogui" in pdf_export.NO_WRITER


# --- the demo's texts -------------------------------------------------------------------------------


def test_demo_texts_fill_every_section(forv: Forvaltning) -> None:
    texts = demo_texts()
    assert set(texts) == {s.id for s in forv.report.sections} and all(texts.values())
    later = demo.year_end_settings(forv)
    year_end = demo_texts(year_end=True)
    assert set(year_end) == {s.id for s in later.report.sections} == {"verksamhetsplan"}


@pytest.mark.skipif(not DOMAIN.is_dir(), reason="shared/domain finns inte")
def test_demo_texts_are_our_own_words() -> None:
    """No run of 8 words of the demo's texts is the source reports' (figures may carry over)."""

    def words(t: str) -> list[str]:
        return re.findall(r"[0-9a-zåäöé]+(?:[,.][0-9]+)?", t.lower())

    reports = sorted(DOMAIN.glob("0*.txt"))
    assert reports, f"no source reports (0*.txt) in {DOMAIN}"  # else nothing is compared
    source: list[str] = []
    for f in reports:
        read = words(f.read_text(encoding="utf-8").replace("-\n", ""))
        assert len(read) >= 8, f  # an empty report would give no 8-word run to compare with
        source += read
    grams = {tuple(source[i : i + 8]) for i in range(len(source) - 7)}
    data = Path(demo.__file__).parent / "data"
    texts = dict(_strings(tomllib.loads((data / "demo_texter.toml").read_text(encoding="utf-8"))))
    units = tomllib.loads((data / "demo_2020.toml").read_text(encoding="utf-8"))
    for table in ("kommentarer", "analys", "investeringar", "volymer", "aktiviteter", "aktiviteter_oktober"):
        texts |= {f"{table}.{k}": v for k, v in _strings(units[table])}  # the units' own words too
    assert len(texts) > 150
    for key, text in texts.items():
        w = words(text)
        shared = [" ".join(w[i : i + 8]) for i in range(len(w) - 7) if tuple(w[i : i + 8]) in grams]
        assert not shared, (key, shared)


def _strings(node: Any, path: str = "") -> list[tuple[str, str]]:
    """(key path, text) of every text in a TOML table, through its tables and lists."""
    if isinstance(node, str):
        return [(path, node)]
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    return [x for k, v in items for x in _strings(v, f"{path}.{k}" if path else str(k))]


# --- layout --------------------------------------------------------------------------------------------

HYPHENATION = Path("/usr/share/hyphen/hyph_sv_SE.dic")  # Debian's hyphen-sv (scripts/setup.sh)


@pytest.mark.libreoffice
def test_narrow_columns_hyphenate_swedish_words(writer: None, tmp_path: Path) -> None:
    """A word too long for its column breaks at a syllable, with a hyphen ('tjänste-|produktion'),
    not anywhere without one ('tjänsteproduktio|n'); a heading and a word in capitals never do."""
    if not HYPHENATION.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(
                f"Svensk avstavning saknas i CI ({HYPHENATION}): installera hyphen-sv (scripts/setup.sh)."
            )
        pytest.skip("hyphen-sv är inte installerat")
    from vss_excel.rapport.dokument.styles import TABLE_TEXT, setup

    doc = docx.Document()
    setup(doc)
    doc.add_heading("Tjänsteproduktionsuppföljningsarbete", 1)
    t = doc.add_table(rows=1, cols=2)
    t.autofit = False
    for column, cell, cm in zip(t.columns, t.rows[0].cells, (2.2, 14.8), strict=True):
        column.width = cell.width = docx.shared.Cm(cm)
    t.cell(0, 0).paragraphs[0].style = TABLE_TEXT
    t.cell(0, 0).paragraphs[0].add_run("God styrning av tjänsteproduktion inom LKDATASUPPORTEN")
    pdf = tmp_path / "smal.pdf"
    pdf_export.export(doc, pdf)
    lines = [x.strip() for x in PdfReader(str(pdf)).pages[0].extract_text().splitlines()]
    assert "Tjänsteproduktionsuppföljningsarbete" in lines  # the heading whole
    cell = lines[lines.index("Tjänsteproduktionsuppföljningsarbete") + 1 :]
    broken = [x for x in cell if x.endswith("-")]
    assert broken and all(re.search(r"[a-zåäö]{3,}-$", x) for x in broken), cell
    assert "tjänsteproduktio" not in cell and "n" not in cell
    assert not any(re.search(r"[A-Z]{2,}-$", x) for x in cell), cell  # no LKDATA-|SUPPORTEN


def test_a_budget_of_0_everywhere_is_no_series(tables: Tables, forv: Forvaltning) -> None:
    """The demo's budget is 0 for every verksamhet: its series is left out (no empty legend entry),
    and the title and alt text say why; with a budget of its own, both series are drawn."""
    chart = charts.drift(forv, forv.period, tables)
    assert "budgeten är 0 tkr för varje verksamhet och visas inte" in chart.description
    d, lkdata = tables.drift, (UNIT, "lkdata")
    values = {**d._values, lkdata: {**d._values[lkdata], Drift.BUDGET_HELAR: Decimal(5_000_000)}}
    budgeted = dataclasses.replace(tables, drift=dataclasses.replace(d, _values=values))
    both = charts.drift(forv, forv.period, budgeted)
    assert both.description.startswith("Liggande stapeldiagram: budget 2020 och prognos helår")


@pytest.mark.libreoffice
def test_no_heading_alone_at_the_foot_of_a_page_and_short_lists_whole(pdf_report: tuple[Path, Path]) -> None:
    """Each heading is on the page where the text after it begins; a list of at most six items (and
    the paragraph that leads into it) is on one page; a table's caption on its first row's page."""
    s = pdf_structure.Structure(pdf_report[1])
    (document,) = s.roots
    kids = document.kids
    checked = 0
    for here, after in pairwise(kids):
        if pdf_structure.HEADING.match(here.kind) and after.pages():
            assert max(here.pages()) == min(after.pages()), here.kind
            checked += 1
        if after.kind == "/L" and len(after.kids) <= 6:
            assert len(after.pages() | here.pages()) == 1, "en kort lista delas"
    assert checked >= 20
    for t in s.of("/Table"):
        caption, first = t.kids[0], pdf_structure.rows(t)[0]
        assert caption.pages() == first.pages()
