"""What goes out with the templates: the letter to the units and the list for sending, from the
settings; and mallar prefilled from the ledger (SIE 4) with its reconciliation."""

from __future__ import annotations

import csv
from decimal import Decimal as D

import openpyxl
from docx import Document

from vss_excel import demo
from vss_excel.cli import main
from vss_excel.enhetsmall import brev
from vss_excel.ledger import underlag


def test_the_letter_says_what_the_settings_say(forv, tmp_path, writer):
    path, pdf = brev.write_letter(tmp_path, forv, forv.period)  # Writer is installed where the tests run
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].style.name == "Heading 1"
    for must in (
        "hela kronor, inte i tusental",  # kronor, not tkr
        "Intäkter skrivs med plustecken och kostnader med minustecken",  # the sign rule
        "minst 500 tkr eller minst 10 % av budget",  # the väsentlighet threshold
        "Statusarna är Klar, Anpassats, Ersatts, Pågående, Pausad och Utgått",
        "Status Anpassats, Ersatts, Pausad och Utgått kräver en kommentar",
        "senast 6 november 2020 via e-post till ekonomi@exempel.se",  # return date and address
        "Gula celler",
        "röd",
    ):
        assert must in text, must
    assert doc.core_properties.language == "sv-SE"
    normal = doc.styles["Normal"].element.rPr
    assert (
        normal.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang").get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"
        )
        == "sv-SE"
    )


def test_the_list_for_sending_has_a_row_per_unit(forv, tmp_path):
    path = brev.write_mailing(tmp_path, forv, forv.period)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM as UTF-8
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["enhet", "kontakt", "epost", "fil", "sista_dag", "skicka_till"]
    assert len(rows) == 1 + len(forv.units)
    assert rows[8] == ["LKDATA", "", "", "VSS 2020-10 LKDATA.xlsx", "2020-11-06", "ekonomi@exempel.se"]


def test_mallar_from_the_sie_ledger_prefills_as_the_csv_does_and_reconciles(forv, tmp_path, capsys):
    sie = demo.data_file("demo_2020.se")
    assert main(["mallar", "--underlag", str(sie), "--ut", str(tmp_path / "ut"), "--enhet", "lkdata"]) == 0
    out = capsys.readouterr().out
    assert "Avstämning VSS 2020-10.xlsx" in out
    drift = openpyxl.load_workbook(tmp_path / "ut" / "VSS 2020-10 LKDATA.xlsx")["Drift"]
    from_csv, _ = underlag.read(demo.data_file("exempel_underlag.csv"), forv)
    columns = {2: "redovisat", 3: "budget", 5: "redovisat_fg", 7: "budget_helar", 9: "bokslut_fg"}
    for row, line in ((5, "intakter"), (6, "personal"), (7, "lokal"), (8, "ovrigt")):
        for col, field in columns.items():
            assert D(drift.cell(row, col).value) == from_csv.get("lkdata", line, field), (line, field)
    rec = openpyxl.load_workbook(tmp_path / "ut" / "Avstämning VSS 2020-10.xlsx")
    assert rec.sheetnames[:2] == ["Avstämning", "Ej placerat"]
