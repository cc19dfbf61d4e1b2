"""The Avstämning workbook: Swedish, tkr and kronor, every amount not placed, text kept as text."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from vss_excel import ledger
from vss_excel.files import OutputError
from vss_excel.keys import Drift
from vss_excel.ledger.records import Tally
from vss_excel.model import Period

PERIOD = Period(2020, 10)
SIE = """\
#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#RAR 0 20200101 20201231
#DIM 1 "Ansvar"
#OBJEKT 1 "=1+1" "=HYPERLINK(\\"http://x\\")"
#KONTO 8410 "=SUM(A1)"
#PSALDO 0 202001 3080 {} -1234967
#PSALDO 0 202001 3080 {1 "1770"} -1234567
#PSALDO 0 202001 3080 {1 "=1+1"} -300
#PSALDO 0 202001 8410 {1 "1770"} 12.34
"""


@pytest.fixture
def result(tmp_path, forv) -> ledger.LedgerResult:
    path = tmp_path / "bok.se"
    path.write_bytes(SIE.replace("\n", "\r\n").encode("cp437"))
    return ledger.load(path, forv, PERIOD)


def test_workbook_beside_the_templates(tmp_path, forv, result):
    out = ledger.write_avstamning(tmp_path / "mallar", forv, result.reconciliation)
    assert out == tmp_path / "mallar" / "Avstämning VSS 2020-10.xlsx"
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left
    wb = openpyxl.load_workbook(out)
    # Investeringar: the settings name a project (lkdata-it, projekt 7701); the file has none
    assert wb.sheetnames == ["Avstämning", "Ej placerat", "Investeringar"]
    (row,) = wb["Investeringar"].iter_rows(min_row=3, values_only=True)
    assert row == (
        "IT-utrustning",
        "LKDATA",
        "7701",
        None,
        None,
        None,
        None,
        None,
        "filen har ingen projektdimension",
    )
    assert wb["Investeringar"].row_dimensions[2].height == 30  # its headers wrap onto two lines
    for sheet in wb.worksheets:  # printed as read: A4 landscape, every column on the page
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)  # 1 is the default, left out
    ws = wb["Avstämning"]
    rows: dict = {}
    for r in ws.iter_rows(min_row=5):
        rows.setdefault(r[0].value, r)  # the first block's
    assert [c.value for c in ws[4][1:]] == [
        "Redovisat jan–okt 2020",
        "Budget jan–okt 2020",
        "Redovisat jan–okt 2019",
        "Budget helår 2020",
        "Bokslut 2019",
    ]
    # the whole ledger's block comes first: tkr rows, then kronor
    assert rows["Intäkter"][1].value == 1235 and rows["Intäkter"][1].number_format == "#,##0"
    assert rows["Huvudboken, kr"][1].value == pytest.approx(1234967 - 12.34)
    assert rows["Huvudboken, kr"][1].number_format == "#,##0.00"
    assert rows["Differens, kr"][1].value == 0
    titles = [r[0].value for r in ws.iter_rows(min_row=5) if r[0].font.bold and r[0].value]
    assert titles[0] == "Hela huvudboken" and "LKDATA (ansvar 1770)" in titles
    assert any("VSS ledning" in t and "inga belopp" in t for t in titles)


def test_a_tally_that_does_not_reconcile_has_its_difference():
    t = Tally(ledger=D(100), placed=D(90), not_placed=D(0))
    assert t.difference == 10 and not t.balanced
    assert Tally(D(100), D(90), D(-10)).difference == 20 and Tally(D(100), D(90), D(10)).balanced


def test_a_unit_that_does_not_reconcile_shows_its_differens(tmp_path, forv, result):
    # Every real ledger reconciles, so the Differens row is tried with a tally that does not.
    rec = result.reconciliation
    off = {**rec.units["lkdata"], Drift.REDOVISAT: Tally(D(100), D(90), D(0))}
    rec = replace(rec, units={**rec.units, "lkdata": off})
    ws = openpyxl.load_workbook(ledger.write_avstamning(tmp_path, forv, rec))["Avstämning"]
    block = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(block) if r[0] and str(r[0]).startswith("LKDATA"))
    differens = next(r for r in block[start:] if r[0] == "Differens, kr")
    assert differens[1] == 10 and all(v == 0 for v in differens[2:])
    assert [r[1] for r in block if r[0] == "Differens, kr"].count(10) == 1  # that unit's block only


def test_every_amount_not_placed_is_listed_and_text_stays_text(tmp_path, forv, result):
    out = ledger.write_avstamning(tmp_path, forv, result.reconciliation)
    ws = openpyxl.load_workbook(out)["Ej placerat"]
    head = [c.value for c in ws[1]]
    assert head[:6] == ["Rad i filen", "Ansvar", "Ansvarets namn", "Enhet", "Konto", "Kontots namn"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value]
    assert len(rows) == len(result.reconciliation.not_placed) == 3
    by_reason = {r[11]: r for r in rows}
    unknown = by_reason["ansvaret finns inte bland enheterna"]
    assert unknown[1] == "=1+1" and unknown[2].startswith("=HYPERLINK") and unknown[9] == 300
    assert ws.cell(row=2 + rows.index(unknown), column=2).data_type == "s"  # a string, not a formula
    assert by_reason["finansiell post (klass 8)"][5] == "=SUM(A1)"
    assert by_reason["bokfört utan ansvar"][9] == 100


def test_an_open_workbook_is_not_written_over(tmp_path, forv, result):
    (tmp_path / "~$Avstämning VSS 2020-10.xlsx").write_bytes(b"")
    with pytest.raises(OutputError, match="öppen"):
        ledger.write_avstamning(tmp_path, forv, result.reconciliation)


def test_demo_reconciliation_workbook(tmp_path, forv):
    demo = Path(__file__).parents[1] / "vss_excel" / "data" / "demo_2020.se"
    rec = ledger.load(demo, forv, forv.period).reconciliation
    ws = openpyxl.load_workbook(ledger.write_avstamning(tmp_path, forv, rec))["Avstämning"]
    differences = [r[1:] for r in ws.iter_rows(values_only=True) if r[0] == "Differens, kr"]
    assert len(differences) == 1 + len(forv.units)
    assert all(v in (0, None) for row in differences for v in row)
    # eLärandeCenter has no last year in the ledger: those columns stay empty, as in its template
    block = [r for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(block) if r[0] and str(r[0]).startswith("eLärandeCenter"))
    assert (
        block[start + 1][0] == "Intäkter" and block[start + 1][3] is None and block[start + 1][1] is not None
    )


def test_a_partial_year_is_said_above_and_in_each_units_block(tmp_path, forv):
    # budget and last year's outcome January–August only, for a period of August
    lines = [f'#PBUDGET 0 2020{m:02d} 5110 {{1 "1770"}} 500' for m in range(1, 9)]
    lines += [f'#PSALDO -1 2019{m:02d} 5110 {{1 "1740"}} 300' for m in range(1, 9)]
    path = tmp_path / "bok.se"
    path.write_bytes((SIE + "\n".join(lines) + "\n").replace("\n", "\r\n").encode("cp437"))
    rec = ledger.load(path, forv, Period(2020, 8)).reconciliation
    ws = openpyxl.load_workbook(ledger.write_avstamning(tmp_path / "ut", forv, rec))["Avstämning"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][0] == (
        "Budget helår 2020 och Bokslut 2019 lämnas tomma i alla mallar: filen har ingen rad med budget för "
        "september–december 2020 och ingen med utfall för september–december 2019. Exportera hela årets "
        "budget (alla tolv månader) och hela föregående års utfall (alla tolv månader)."
    )

    def block(title: str) -> list[tuple]:
        start = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith(title))
        end = next(i for i, r in enumerate(rows[start:], start) if r[0] == "Differens, kr")
        return rows[start : end + 1]

    lk, kontakt = block("LKDATA"), block("Kontakt Linköping")
    assert lk[1][0] == (
        "Budget helår 2020 lämnas tom i mallen: filen har ingen rad med budget för september–december 2020."
    )
    assert kontakt[1][0] == (
        "Bokslut 2019 lämnas tom i mallen: filen har ingen rad med utfall för september–december 2019."
    )
    assert not any("lämnas tom" in str(r[0]) for r in block("VSS ledning"))  # no amounts: no such line
    by_label = {r[0]: r for r in lk}
    # columns: Redovisat, Budget, Redovisat fg, Budget helår, Bokslut fg
    assert by_label["Personalkostnader"][2] == -4 and by_label["Personalkostnader"][4] is None
    assert by_label["Summa på driftraderna"][4] is None
    assert by_label["Ej placerat: helåret fylls inte i: filen saknar månader efter perioden"][4] == -4
    assert by_label["Huvudboken, kr"][4] == -4000 and by_label["Ej placerat, kr"][4] == -4000
    assert by_label["Differens, kr"][4] == 0
    whole = block("Hela huvudboken")
    assert {r[0]: r for r in whole}["Personalkostnader"][4] is None  # empty in the whole ledger too
