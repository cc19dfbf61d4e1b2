"""An ekonomisystem's export (CSV or Excel, long or wide) as the ledger: small files in tmp_path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal as D

import pytest
import xlsxwriter

from vss_excel import ledger
from vss_excel.keys import Drift
from vss_excel.ledger import Reason
from vss_excel.model import ExportColumns, Period, Severity

PERIOD = Period(2020, 10)
ENGLISH = re.compile(r"Error|error|Traceback|Invalid|cannot|No such|calamine|zip", re.IGNORECASE)


def write_xlsx(path, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Export")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(
                    i, j, dt.datetime(v.year, v.month, v.day), wb.add_format({"num_format": "yyyy-mm"})
                )
            elif v is not None:
                ws.write(i, j, v)
    wb.close()
    return path


def test_long_csv_semicolon_decimal_comma_cp1252_with_a_title_above(tmp_path, forv):
    path = tmp_path / "export.csv"
    path.write_text(
        "Huvudbok per ansvar, Linköpings kommun\n"
        "\n"
        "Konto;Kontonamn;Ansvar;Period;Utfall;Budget\n"
        "3080;Försäljning;1770;202001;-1 000,50;-900\n"
        "5110;Löner;1770;202002;400;500\n"
        "5110;Löner;1770;202012;;100\n"
        "5110;Löner;1770;202011;;0\n"
        "5110;Löner;1770;201903;300;\n"
        "5110;Löner;1770;201911;0;\n"
        "5110;Löner;1770;201912;0;\n"
        "8410;Räntor;1770;202006;1250;\n"
        ";Summa;;;1 950,50;-300\n",
        encoding="cp1252",
    )
    r = ledger.load(path, forv, PERIOD)
    get = r.prefill.get
    assert get("lkdata", "intakter", "redovisat") == D("1000.50")
    assert get("lkdata", "personal", "redovisat") == D(-400)
    assert get("lkdata", "intakter", "budget") == D(900)
    assert get("lkdata", "personal", "budget_helar") == D(-600)
    assert get("lkdata", "personal", "redovisat_fg") == D(-300)
    rec = r.reconciliation
    assert rec.balanced and [x.reason for x in rec.not_placed] == [Reason.FINANCIAL]
    (summa,) = [f for f in r.findings if f.cell == "rad 12"]
    assert summa.severity is Severity.VARNING and "inget konto" in summa.message


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8-sig"), ("\t", "utf-8")])
def test_long_csv_comma_or_tab(tmp_path, forv, delimiter, encoding):
    path = tmp_path / "export.csv"
    rows = [["konto", "ANSVAR", "period", "utfall"], ["3080", "Kontakt Linköping", "2020-03", "-250.75"]]
    path.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding=encoding)
    r = ledger.load(path, forv, PERIOD)
    assert r.prefill.get("kontakt", "intakter", "redovisat") == D("250.75")
    assert r.prefill.get("kontakt", "intakter", "budget") is None  # no budget column


def test_long_excel_with_numbers_where_codes_are(tmp_path, forv):
    path = write_xlsx(
        tmp_path / "export.xlsx",
        [
            ["Konto", "Ansvar", "Period", "Utfall", "Budget"],
            [3080, 1770, 202001, -1000, -1100],
            [5110, 1770, dt.date(2020, 2, 1), 500, None],
        ],
    )
    r = ledger.load(path, forv, PERIOD)
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 1000
    assert r.prefill.get("lkdata", "personal", "redovisat") == -500
    assert r.prefill.get("lkdata", "intakter", "budget") == 1100
    assert r.reconciliation.balanced


def test_wide_excel_one_column_per_month(tmp_path, forv):
    head = [
        "Konto",
        "Ansvar",
        "202001",
        "feb 2020",
        "Mars",
        dt.date(2020, 4, 1),
        "Budget 202001",
        "Budget nov",
        "Budget dec",
        "2019-01",
        "2019-11",
        "2019-12",
    ]
    row = [3080, "1770", -100, -200, -300, -400, -1000, 0, -50, -70, 0, 0]
    path = write_xlsx(tmp_path / "bred.xlsx", [head, row])
    r = ledger.load(path, forv, PERIOD)
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 1000
    assert r.prefill.get("lkdata", "intakter", "budget") == 1000
    assert r.prefill.get("lkdata", "intakter", "budget_helar") == 1050
    assert r.prefill.get("lkdata", "intakter", "redovisat_fg") == 70
    assert r.prefill.get("lkdata", "intakter", "bokslut_fg") == 70
    assert r.reconciliation.balanced


def test_wide_form_with_a_yearly_budget_column_says_it_is_not_read(tmp_path, forv):
    path = tmp_path / "bred.csv"
    path.write_text("Konto;Ansvar;jan;feb;Budget\n3080;1770;-1;-2;-100\n", encoding="utf-8")
    r = ledger.load(path, forv, PERIOD)
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 3
    (f,) = [f for f in r.findings if "'Budget'" in f.cell]
    assert f.severity is Severity.VARNING and "ingen månad" in f.message


def test_report_sign_export_and_names_from_the_settings(tmp_path, forv):
    cols = ExportColumns(
        account=("Kto",),
        ansvar=("Ansv", "Ansvar"),
        period=("Månad",),
        actual=("Belopp",),
        debit_positive=False,
    )
    custom = dataclasses.replace(forv, export_columns=cols)
    path = tmp_path / "export.csv"
    path.write_text("Kto;Ansv;Månad;Belopp\n3080;1770;202001;1000\n5110;1770;202001;-400\n", encoding="utf-8")
    r = ledger.load(path, custom, PERIOD)
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 1000
    assert r.prefill.get("lkdata", "personal", "redovisat") == -400


def test_bad_rows_are_findings_with_their_row(tmp_path, forv):
    path = tmp_path / "export.csv"
    path.write_text(
        "Konto;Ansvar;Period;Utfall\n"
        "3080;1770;2020 januari;-1\n"
        "3080;1770;202001;mycket\n"
        "abc;1770;202001;-5\n"
        "3080;;202001;-7\n"
        "3080;1770;202001;-10\n",
        encoding="utf-8",
    )
    r = ledger.load(path, forv, PERIOD)
    by_cell = {f.cell: f for f in r.findings}
    assert "Perioden '2020 januari'" in by_cell["rad 2"].message
    assert by_cell["rad 3, kolumn 'Utfall'"].severity is Severity.FEL
    assert "'abc'" in by_cell["rad 4"].message
    assert by_cell["rad 5"].severity is Severity.VARNING and "utan ansvar" in by_cell["rad 5"].message
    # rows 2 and 3 could not be read: the cell they belong to is a gap, not the -10 of row 6 alone
    assert r.prefill.get("lkdata", "intakter", "redovisat") is None
    assert r.prefill.get("lkdata", "personal", "redovisat") == 0
    assert "cellen kan inte fyllas i" in by_cell["rad 3, kolumn 'Utfall'"].message
    assert by_cell["rad 3, kolumn 'Utfall'"].message.startswith(
        "Beloppet 'mycket' är inget tal; det användes"
    )
    # an unreadable period may be any year's: every utfall column of the row's cell is left empty
    assert "cellerna kan inte fyllas i" in by_cell["rad 2"].message
    assert {("lkdata", "intakter", c) for c in ("redovisat", "redovisat_fg", "bokslut_fg")} <= r.refused
    rec = r.reconciliation
    assert rec.balanced
    assert [x.reason for x in rec.not_placed] == [Reason.NO_OBJECT, Reason.INCOMPLETE]  # file order


def test_missing_columns_name_the_settings_key(tmp_path, forv):
    path = tmp_path / "export.csv"
    path.write_text("Kto;Ansvar;Period;Utfall\n3080;1770;202001;-1\n", encoding="utf-8")
    (f,) = ledger.load(path, forv, PERIOD).findings
    assert f.severity is Severity.FEL and "'Konto'" in f.message and "[export]" in f.message
    path.write_text("Konto;Ansvar;Period;Summa\n3080;1770;202001;-1\n", encoding="utf-8")
    (f,) = ledger.load(path, forv, PERIOD).findings
    assert f.cell == "rad 1" and "'Utfall' eller 'Belopp'" in f.message


def test_an_export_for_another_year_is_a_clear_error(tmp_path, forv):
    path = tmp_path / "export.csv"
    path.write_text(
        "Konto;Ansvar;Period;Utfall\n3080;1770;201901;-1\n3080;1770;201801;-1\n", encoding="utf-8"
    )
    with pytest.raises(ledger.LedgerError, match=r"inga belopp för 2020.*2018, 2019"):
        ledger.load(path, forv, PERIOD)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trasig.xlsx", b"PK\x03\x04 inte en arbetsbok"),
        ("gammal.xls", b"\xd0\xcf\x11\xe0trasig"),
        ("binar.csv", b"\x81\x8d\x8f\x90\x9d"),
    ],
)
def test_an_unreadable_export_is_one_swedish_finding(tmp_path, forv, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    (f,) = ledger.load(path, forv, PERIOD).findings
    assert f.severity is Severity.FEL and not ENGLISH.search(f.message), f.message


def test_reconciliation_per_unit_and_in_total(tmp_path, forv):
    path = tmp_path / "export.csv"
    path.write_text(
        "Konto;Ansvar;Period;Utfall\n"
        "3080;1770;202001;-100\n3080;1740;202001;-50\n3080;4444;202001;-25\n9310;1740;202001;10\n",
        encoding="utf-8",
    )
    rec = ledger.load(path, forv, PERIOD).reconciliation
    for unit, (ledger_, placed, not_placed) in {"lkdata": (100, 100, 0), "kontakt": (40, 50, -10)}.items():
        t = rec.units[unit][Drift.REDOVISAT]
        assert (t.ledger, t.placed, t.not_placed) == (ledger_, placed, not_placed)
    t = rec.total[Drift.REDOVISAT]
    assert (t.ledger, t.placed, t.not_placed) == (165, 150, 15)


def test_an_export_jan_aug_for_both_years_leaves_the_full_year_columns_empty(tmp_path, forv):
    # The export ends with the period (August) for both years; a row for September without a budget
    # amount is no budget for September.
    rows = ["Konto;Ansvar;Period;Utfall;Budget"]
    rows += [f"5110;1770;2020{m:02d};400;500" for m in range(1, 9)]
    rows += [f"5110;1770;2019{m:02d};300;" for m in range(1, 9)]
    rows += ["5110;1770;202009;400;"]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = ledger.load(path, forv, Period(2020, 8))
    get = r.prefill.get
    assert (get("lkdata", "personal", "budget"), get("lkdata", "personal", "redovisat_fg")) == (-4000, -2400)
    assert get("lkdata", "personal", "budget_helar") is None
    assert get("lkdata", "personal", "bokslut_fg") is None
    after = (9, 10, 11, 12)
    assert r.reconciliation.partial == {Drift.BUDGET_HELAR: after, Drift.BOKSLUT_FG: after}
    (x,) = [f for f in r.findings if f.unit == "lkdata" and "i mallen för" in f.message]
    assert x.severity is Severity.VARNING and x.message.startswith(
        "Budget helår 2020 och Bokslut 2019 lämnas tomma i mallen för LKDATA: filen har ingen rad med "
        "budget för september–december 2020 och ingen med utfall för september–december 2019"
    )
    # the whole year (a 0 for a month is a month) fills them
    rows += [f"5110;1770;2020{m:02d};;0" for m in range(9, 13)]
    rows += [f"5110;1770;2019{m:02d};0;" for m in range(9, 13)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = ledger.load(path, forv, Period(2020, 8))
    assert r.prefill.get("lkdata", "personal", "budget_helar") == -4000
    assert r.prefill.get("lkdata", "personal", "bokslut_fg") == -2400
    assert r.reconciliation.partial == {}
