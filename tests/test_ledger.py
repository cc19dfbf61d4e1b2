"""The ledger in: SIE 4 -> prefill, reconciliation, findings; each rule on a short inline file."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from vss_excel import ledger, settings
from vss_excel.errors import UserError
from vss_excel.keys import Drift
from vss_excel.ledger import Reason, Tally, underlag
from vss_excel.ledger.texts import months_text
from vss_excel.model import Kontoplan, Period, Prefill, Severity

PERIOD = Period(2020, 10)
HEAD = """\
#FLAGGA 0
#PROGRAM "Raindance Ekonomi" 5.2
#FORMAT PC8
#GEN 20201105
#SIETYP 4
#FNAMN "Linköpings kommun"
#RAR 0 20200101 20201231
#RAR -1 20190101 20191231
#DIM 1 "Ansvar"
#DIM 6 "Projekt"
#OBJEKT 1 "1770" "LKDATA"
#OBJEKT 1 "1740" "Kontakt Linköping"
#OBJEKT 1 "9999" "Annan förvaltning"
#KONTO 3080 "Försäljning av tjänster"
#KONTO 5110 "Löner"
#KONTO 8410 "Räntekostnader"
"""
LINES = HEAD.count("\n")  # the first balance line of a test is line LINES + 1


def sie_file(tmp_path: Path, body: str, head: str = HEAD, name: str = "huvudbok.se") -> Path:
    path = tmp_path / name
    path.write_bytes((head + body).replace("\n", "\r\n").encode("cp437"))
    return path


def load(tmp_path: Path, body: str, forv, head: str = HEAD) -> ledger.LedgerResult:
    return ledger.load(sie_file(tmp_path, body, head), forv, PERIOD)


def amounts(result: ledger.LedgerResult, unit: str) -> dict[tuple[str, str], D]:
    return {(line, col): v for (u, line, col), v in result.prefill.values.items() if u == unit and v}


def test_each_column_takes_its_months_and_the_sign_is_flipped(tmp_path, forv):
    r = load(
        tmp_path,
        """\
#PSALDO 0 202001 3080 {1 "1770"} -1000.50
#PSALDO 0 202010 5110 {1 "1770"} 400
#PBUDGET 0 202003 3080 {1 "1770"} -900
#PBUDGET 0 202012 3080 {1 "1770"} -100
#PBUDGET 0 202011 3080 {1 "1770"} 0
#PSALDO -1 201905 5110 {1 "1770"} 300
#PSALDO -1 201912 5110 {1 "1770"} 50
#PSALDO -1 201911 5110 {1 "1770"} 0
""",
        forv,
    )
    assert amounts(r, "lkdata") == {
        ("intakter", "redovisat"): D("1000.50"),
        ("personal", "redovisat"): D(-400),
        ("intakter", "budget"): D(900),
        ("intakter", "budget_helar"): D(1000),
        ("personal", "redovisat_fg"): D(-300),
        ("personal", "bokslut_fg"): D(-350),
    }
    # every mapped row of a column the ledger has is prefilled, 0 where nothing was booked
    assert r.prefill.get("lkdata", "lokal", "redovisat") == 0
    assert r.prefill.get("kontakt", "intakter", "redovisat") is None  # no amounts: left empty
    assert r.reconciliation is not None and r.reconciliation.balanced


def test_account_totals_are_never_added_and_the_remainder_is_reported(tmp_path, forv):
    r = load(
        tmp_path,
        """\
#PSALDO 0 202001 3080 {} -1500
#PSALDO 0 202001 3080 {1 "1770"} -1000
#PSALDO 0 202001 3080 {1 "1740"} -300
#PSALDO 0 202002 5110 {} 700
#PSALDO 0 202002 5110 {1 "1770"} 700
""",
        forv,
    )
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 1000
    assert r.prefill.get("kontakt", "intakter", "redovisat") == 300
    rec = r.reconciliation
    (rest,) = rec.not_placed
    assert (rest.reason, rest.amount, rest.where, rest.account) == (
        Reason.NO_OBJECT,
        D(200),
        f"rad {LINES + 1}",
        "3080",
    )
    (f,) = [f for f in r.findings if f.cell == f"rad {LINES + 1}"]
    assert f.severity is Severity.VARNING and "200 kr" in f.message and "utan ansvar" in f.message
    assert rec.total[Drift.REDOVISAT].ledger == D(1500 - 700)  # the file's totals
    assert rec.balanced


def test_nothing_is_dropped_unknown_object_class_8_outside_and_unmapped(tmp_path, forv):
    r = load(
        tmp_path,
        """\
#PSALDO 0 202001 3080 {1 "9999"} -300
#PSALDO 0 202006 8410 {1 "1770"} 1250
#PSALDO 0 202011 5110 {1 "1770"} 400
#PSALDO 0 202002 9310 {1 "1770"} 75.25
#PSALDO 0 202002 5110 {1 "1770"} 500
#PSALDO 0 202002 1930 {1 "1770"} 999
""",
        forv,
    )
    rec = r.reconciliation
    got = {(x.reason, x.where, x.obj, x.account, x.amount) for x in rec.not_placed}
    assert got == {
        (Reason.UNKNOWN_OBJECT, f"rad {LINES + 1}", "9999", "3080", D(300)),
        (Reason.FINANCIAL, f"rad {LINES + 2}", "1770", "8410", D(-1250)),
        (Reason.OUTSIDE, f"rad {LINES + 3}", "1770", "5110", D(-400)),
        (Reason.UNMAPPED, f"rad {LINES + 4}", "1770", "9310", D("-75.25")),
    }
    by_cell = {f.cell: f for f in r.findings}
    assert by_cell[f"rad {LINES + 1}"].severity is Severity.VARNING
    assert "9999" in by_cell[f"rad {LINES + 1}"].message and "300 kr" in by_cell[f"rad {LINES + 1}"].message
    assert (
        by_cell[f"rad {LINES + 2}"].severity is Severity.INFO
        and "klass 8" in by_cell[f"rad {LINES + 2}"].message
    )
    assert (
        by_cell[f"rad {LINES + 3}"].severity is Severity.INFO
        and "utanför perioden" in by_cell[f"rad {LINES + 3}"].message
    )
    assert (
        "9310" in by_cell[f"rad {LINES + 4}"].message and "−75,25 kr" in by_cell[f"rad {LINES + 4}"].message
    )
    assert any("balanskonton" in f.message for f in r.findings)  # 1930 is not part of the result
    lk = rec.units["lkdata"][Drift.REDOVISAT]
    assert (lk.ledger, lk.placed, lk.not_placed) == (D("-1825.25"), D(-500), D("-1325.25"))
    total = rec.total[Drift.REDOVISAT]
    assert (total.ledger, total.placed, total.not_placed) == (D("-1525.25"), D(-500), D("-1025.25"))
    assert rec.balanced


def test_a_file_for_another_year_is_a_clear_error(tmp_path, forv):
    head = HEAD.replace("#RAR 0 20200101 20201231", "#RAR 0 20190101 20191231").replace(
        "#RAR -1 20190101 20191231\n", ""
    )
    with pytest.raises(ledger.LedgerError) as e:
        load(tmp_path, '#PSALDO 0 201901 3080 {1 "1770"} -1\n', forv, head)
    assert isinstance(e.value, UserError)
    assert "räkenskapsåret 2019-01-01–2019-12-31" in str(e.value) and "jan–okt 2020" in str(e.value)
    without_rar = "\n".join(x for x in HEAD.splitlines() if not x.startswith("#RAR")) + "\n"
    with pytest.raises(ledger.LedgerError, match="år 2021"):
        load(tmp_path, '#PSALDO 0 202101 3080 {1 "1770"} -1\n', forv, without_rar)


def test_broken_lines_come_as_findings_with_their_line(tmp_path, forv):
    r = load(
        tmp_path,
        """\
#PSALDO 0 202001 3080 {1 "1770"} 12,50
#PSALDO 0 202001 3080 {1 "1770"} -100
#PSALDO 0 2020-1 5110 {1 "1770"} 1
#PSALDO 0 202001 6110 {1 "1770"} 30
#PSALDO 0 202001 6110 {1 "1740"}
#PSALDO x 202001 6110 {1 "1740"} 5
""",
        forv,
    )
    cells = {f.cell for f in r.findings if f.severity is Severity.FEL}
    assert {f"rad {LINES + i}" for i in (1, 3, 5, 6)} <= cells
    assert r.prefill.get("lkdata", "lokal", "redovisat") == -30  # the rest is read (a cost: sign flipped)
    # a period that cannot be read may be any month of any year: every utfall column of the cell
    assert {("lkdata", "personal", c) for c in ("redovisat", "redovisat_fg", "bokslut_fg")} <= r.refused
    assert r.prefill.get("lkdata", "personal", "redovisat") is None
    # a missing amount and an unreadable year leave their unit's cells empty too
    assert r.prefill.get("kontakt", "lokal", "redovisat") is None
    assert ("kontakt", "lokal", "redovisat") in r.refused


def test_an_amount_that_cannot_be_read_leaves_its_cell_empty_never_a_partial_sum(tmp_path, forv):
    r = load(
        tmp_path,
        """\
#PSALDO 0 202001 3080 {1 "1770"} 12,50
#PSALDO 0 202002 3080 {1 "1770"} -100
#PSALDO 0 202002 5110 {1 "1770"} 40
#PBUDGET 0 202003 3080 {1 "1740"} 1.2.3
#PSALDO 0 202001 3080 {1 "9999"} 1,5
""",
        forv,
    )
    # the -100 of line 2 alone would be a partial sum of Intäkter, Redovisat: the cell is a gap
    assert r.prefill.get("lkdata", "intakter", "redovisat") is None
    assert r.prefill.get("lkdata", "personal", "redovisat") == -40
    assert ("lkdata", "intakter", "redovisat") in r.refused
    assert r.prefill.get("kontakt", "intakter", "budget") is None  # nothing else: empty anyway
    assert {("kontakt", "intakter", "budget"), ("kontakt", "intakter", "budget_helar")} <= r.refused
    (f,) = [f for f in r.findings if f.cell == f"rad {LINES + 1}"]  # said once, with the consequence
    assert f.severity is Severity.FEL and f.unit == "lkdata"
    assert "'12,50' är inte ett tal" in f.message and "cellen kan inte fyllas i" in f.message
    assert "mallen skrivs inte för enheten" in f.message
    assert "LKDATA: Intäkter, Redovisat jan–okt 2020" in f.message
    (f,) = [f for f in r.findings if f.cell == f"rad {LINES + 4}"]
    assert "cellerna kan inte fyllas i" in f.message and "Budget helår 2020" in f.message
    (f,) = [f for f in r.findings if f.cell == f"rad {LINES + 5}"]  # no unit's: only not used
    assert f.message.endswith("det användes inte.") and "fyllas i" not in f.message
    rec = r.reconciliation
    assert rec.balanced  # the -100 is kept as not placed, with why
    (x,) = [x for x in rec.not_placed if x.reason is Reason.INCOMPLETE]
    assert (x.where, x.amount, x.columns) == (f"rad {LINES + 2}", D(100), (Drift.REDOVISAT,))
    assert not [f for f in r.findings if f.cell == f"rad {LINES + 2}"]  # no second finding for it
    # the Avstämning shows the cell empty, as the template has it, and the -100 by its reason
    ws = openpyxl.load_workbook(ledger.write_avstamning(tmp_path / "ut", forv, rec))["Avstämning"]
    labels = [c.value for c in ws["A"]]
    block = labels.index("LKDATA (ansvar 1770)")
    intakter = labels.index("Intäkter", block) + 1
    assert ws.cell(intakter, 2).value is None and ws.cell(intakter + 1, 2).value == 0  # Personal
    reason = labels.index(f"Ej placerat: {Reason.INCOMPLETE.value}", block) + 1
    assert ws.cell(reason, 2).value == 0  # 100 kr in tkr


def test_a_refused_cell_stays_empty_when_a_later_underlag_has_it(tmp_path, forv):
    r = load(
        tmp_path, '#PSALDO 0 202001 3080 {1 "1770"} 12,50\n#PSALDO 0 202002 3080 {1 "1770"} -100\n', forv
    )
    later = Prefill({("lkdata", "intakter", "redovisat"): D(5), ("lkdata", "lokal", "budget"): D(-7)})
    both = ledger.combined(r, later)
    assert both.get("lkdata", "intakter", "redovisat") is None  # the first source's gap wins
    assert both.get("lkdata", "lokal", "budget") == -7
    assert ledger.combined(r.prefill, later).get("lkdata", "intakter", "redovisat") == 5  # as before


def test_other_dimensions_and_combinations_are_not_added(tmp_path, forv):
    r = load(
        tmp_path,
        """\
#PSALDO 0 202001 3080 {1 "1770"} -1000
#PSALDO 0 202001 3080 {1 "1770" 6 "P1"} -400
#PSALDO 0 202001 3080 {6 "P1"} -400
""",
        forv,
    )
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 1000
    (f,) = [f for f in r.findings if "andra dimensioner" in f.message]
    assert f.severity is Severity.INFO and f.cell == f"rad {LINES + 2}" and "1 rad har" in f.message
    # the project's own line (dimension 6 alone) is read for the investments: no project of the
    # settings has it, so it is listed with its sum
    (f,) = [f for f in r.findings if "[[investeringar]]" in f.message]
    assert f.severity is Severity.INFO and "P1 (utgifter 0 kr, inkomster 400 kr)" in f.message


def test_objects_in_another_dimension_only_is_an_error_naming_the_key(tmp_path, forv):
    r = load(tmp_path, '#PSALDO 0 202001 3080 {6 "P1"} -400\n', forv)
    assert any(f.severity is Severity.FEL and "[kontoplan] dimension" in f.message for f in r.findings)
    other = dataclasses.replace(forv, kontoplan=dataclasses.replace(forv.kontoplan, dimension="6"))
    r = ledger.load(
        sie_file(tmp_path, '#OBJEKT 6 "P1" "LKDATA"\n#PSALDO 0 202001 3080 {6 "P1"} -400\n'), other, PERIOD
    )
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 400  # matched by the object's name


def test_res_of_last_year_for_a_file_of_one_unit(tmp_path, forv):
    body = '#RES -1 3080 -5000\n#RES -1 5110 3000\n#PSALDO 0 202001 3080 {1 "1770"} -100\n'
    r = load(tmp_path, body, forv)
    assert r.prefill.get("lkdata", "intakter", "bokslut_fg") == 5000
    assert r.prefill.get("lkdata", "personal", "bokslut_fg") == -3000
    assert r.prefill.get("lkdata", "intakter", "redovisat_fg") is None  # #RES has no months
    assert r.reconciliation.balanced
    r = load(tmp_path, body + '#PSALDO 0 202001 3080 {1 "1740"} -100\n', forv)
    assert r.prefill.get("lkdata", "intakter", "bokslut_fg") is None
    assert any(f.severity is Severity.VARNING and "#RES -1" in f.message for f in r.findings)


def test_units_found_by_ansvar_id_or_name_and_a_unit_missing_is_named(tmp_path, forv):
    r = load(
        tmp_path,
        '#PSALDO 0 202001 3080 {1 "1770"} -1\n#PSALDO 0 202001 3080 {1 "kontakt"} -2\n'
        '#PSALDO 0 202001 3080 {1 "Stadsarkivet"} -3\n',
        forv,
    )
    assert [r.prefill.get(u, "intakter", "redovisat") for u in ("lkdata", "kontakt", "stadsarkivet")] == [
        1,
        2,
        3,
    ]
    missing = [f for f in r.findings if f.unit == "ledning"]
    assert (
        len(missing) == 1 and "ansvar 1700" in missing[0].message and missing[0].severity is Severity.VARNING
    )


def test_a_zero_budget_line_prefills_zeros(tmp_path, forv):
    r = load(tmp_path, "".join(f'#PBUDGET 0 2020{m} 3080 {{1 "1780"}} 0\n' for m in ("01", "11", "12")), forv)
    assert r.prefill.get("loneservice", "personal", "budget") == 0
    assert r.prefill.get("loneservice", "personal", "budget_helar") == 0
    assert r.prefill.get("loneservice", "personal", "redovisat") is None


def test_without_a_kontoplan_the_ledger_is_refused(tmp_path, forv):
    bare = dataclasses.replace(forv, kontoplan=Kontoplan())
    with pytest.raises(ledger.LedgerError, match=r"\[kontoplan\]"):
        load(tmp_path, '#PSALDO 0 202001 3080 {1 "1770"} -1\n', bare)


def test_what_the_file_is_decides_the_reader(tmp_path, forv):
    # SIE content under another name
    r = ledger.load(
        sie_file(tmp_path, '#PSALDO 0 202001 3080 {1 "1770"} -7\n', name="export.txt"), forv, PERIOD
    )
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 7
    # the long underlag CSV, as before, without a reconciliation
    u = tmp_path / "u.csv"
    u.write_text("enhet;post;kolumn;belopp\nlkdata;intakter;redovisat;5\n", encoding="utf-8")
    r = ledger.load(u, forv, PERIOD)
    assert r.reconciliation is None and r.prefill == underlag.read(u, forv)[0]
    # a file that is not there, or not SIE
    (f,) = ledger.load(tmp_path / "saknas.se", forv, PERIOD).findings
    assert f.severity is Severity.FEL and "finns inte" in f.message
    bad = tmp_path / "trasig.se"
    bad.write_bytes(b"PK\x03\x04 not a sie file")
    (f,) = ledger.load(bad, forv, PERIOD).findings
    assert f.severity is Severity.FEL and "inte en SIE-fil" in f.message


def test_combined_prefill_first_wins():
    a = Prefill({("u", "x", "redovisat"): D(1)})
    b = Prefill({("u", "x", "redovisat"): D(2), ("u", "y", "redovisat"): D(3)})
    assert ledger.combined(a, b).values == {("u", "x", "redovisat"): D(1), ("u", "y", "redovisat"): D(3)}


# --- the demo ledger ---------------------------------------------------------------------------------

DEMO = Path(__file__).parents[1] / "vss_excel" / "data" / "demo_2020.se"


def test_demo_ledger_gives_the_underlag_amounts_and_balances(forv, prefill):
    r = ledger.load(DEMO, forv, forv.period)
    lines = {x.id for x in forv.drift_lines if x.kind.value != "varav"}
    expected = {k: v for k, v in prefill.values.items() if k[1] in lines}
    # the drift rows as the underlag's, and the investment from the project dimension (dimension 6)
    expected |= {("lkdata", "lkdata-it", "redovisat_utgifter"): D(32_054_000)}
    expected |= {("lkdata", "lkdata-it", "redovisat_inkomster"): D(0)}
    assert dict(r.prefill.values) == expected
    rec = r.reconciliation
    assert rec.balanced
    # the one amount left out on purpose: interest (klass 8) on LKDATA
    (x,) = rec.not_placed
    assert (x.reason, x.unit, x.account, x.amount) == (Reason.FINANCIAL, "lkdata", "8410", D(-1250))
    assert [f.severity for f in r.findings] == [Severity.INFO]
    t = rec.total[Drift.REDOVISAT]
    assert t.ledger == t.placed + t.not_placed and t.not_placed == D(-1250)


def test_demo_ledger_is_written_as_real_exports_are_and_is_up_to_date(tmp_path):
    import runpy

    data = DEMO.read_bytes()
    assert b"#FORMAT PC8\r\n" in data and data.count(b"\r\n") == data.count(b"\n")
    assert "Löneservice".encode("cp437") in data
    script = runpy.run_path(str(Path(__file__).parents[1] / "scripts" / "make_demo_sie.py"))
    assert script["build"]().encode("cp437") == data, "kör scripts/make_demo_sie.py"


def test_settings_default_has_the_kommun_bas_mapping(forv):
    line_of = forv.kontoplan.line_of
    assert [line_of(a) for a in ("3080", "5110", "6110", "6299", "6310", "4610", "7010", "8410", "1930")] == [
        "intakter",
        "personal",
        "lokal",
        "lokal",
        "ovrigt",
        "ovrigt",
        "ovrigt",
        None,
        None,
    ]
    assert line_of("61105") == "lokal"  # five-digit accounts by their leading digits
    assert settings.load_default().kontoplan.dimension == "1"


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="Linux' /proc gives a read error")
def test_a_sie_file_that_cannot_be_read_says_why_in_swedish(forv):
    from vss_excel.ledger import sie

    (f,) = sie.read("/proc/self/mem").findings  # a file whose reading fails (EIO)
    assert f.message == "SIE-filen kunde inte läsas (disken eller nätverket gav ett läsfel)."


def test_an_account_total_holding_an_unread_amount_is_not_booked_without_ansvar(tmp_path, forv):
    r = load(
        tmp_path,
        """\
#PSALDO 0 202001 3080 {} 150
#PSALDO 0 202001 3080 {1 "1770"} 100
#PSALDO 0 202001 3080 {1 "1740"} 50,00
""",
        forv,
    )
    assert not [f for f in r.findings if "utan ansvar" in f.message]  # the rest is the unread 50
    (rest,) = [x for x in r.reconciliation.not_placed if x.where == f"rad {LINES + 1}"]
    assert rest.reason is Reason.INCOMPLETE and rest.amount == -50
    assert ("kontakt", "intakter", "redovisat") in r.refused


def test_two_amounts_for_one_balance_fill_no_cell(tmp_path, forv):
    """Which of two amounts for the same balance is right is unknown: neither fills the cell, and
    the unit gets no template (the first was used before)."""
    r = load(
        tmp_path,
        """\
#PSALDO 0 202001 3080 {1 "1770"} -100
#PSALDO 0 202001 3080 {1 "1770"} -120
#PSALDO 0 202001 6110 {1 "1770"} 30
""",
        forv,
    )
    assert r.prefill.get("lkdata", "intakter", "redovisat") is None
    assert ("lkdata", "intakter", "redovisat") in r.refused
    assert r.prefill.get("lkdata", "lokal", "redovisat") == -30
    (f,) = [f for f in r.findings if f.cell == f"rad {LINES + 2}"]
    assert "två belopp för samma saldo" in f.message and "cellen kan inte fyllas i" in f.message
    assert r.reconciliation.balanced  # the first amount is kept as not placed, with why


# --- a partial year: the months after the period are missing ---------------------------------

AUG = Period(2020, 8)


def jan_aug(kind: str, year: int, account: str, obj: str, amount: int) -> str:
    """One line per month, January to August, as an export 'jan–aug' has them."""
    line = '#{} {} {}{:02d} {} {{1 "{}"}} {}\n'
    return "".join(line.format(kind, year, 2020 + year, m, account, obj, amount) for m in range(1, 9))


JAN_AUG = (
    jan_aug("PSALDO", 0, "3080", "1770", -90)
    + jan_aug("PBUDGET", 0, "3080", "1770", -100)
    + jan_aug("PBUDGET", 0, "5110", "1740", 40)
    + jan_aug("PSALDO", -1, "5110", "1740", 50)
)


def test_a_year_without_its_last_months_leaves_budget_helar_and_bokslut_empty(tmp_path, forv):
    r = ledger.load(sie_file(tmp_path, JAN_AUG), forv, AUG)
    get = r.prefill.get
    # the period's columns are whole and filled
    assert (get("lkdata", "intakter", "redovisat"), get("lkdata", "intakter", "budget")) == (720, 800)
    assert (get("kontakt", "personal", "budget"), get("kontakt", "personal", "redovisat_fg")) == (-320, -400)
    # the full-year ones would be January–August only: left empty, never a partial figure
    for unit, line in (("lkdata", "intakter"), ("kontakt", "personal"), ("kontakt", "lokal")):
        assert get(unit, line, "budget_helar") is None and get(unit, line, "bokslut_fg") is None
    rec = r.reconciliation
    assert rec.partial == {Drift.BUDGET_HELAR: (9, 10, 11, 12), Drift.BOKSLUT_FG: (9, 10, 11, 12)}
    partial = [(f.severity, f.unit, f.message) for f in r.findings if "i mallen för" in f.message]
    assert partial == [
        (
            Severity.VARNING,
            "kontakt",
            "Budget helår 2020 och Bokslut 2019 lämnas tomma i mallen för Kontakt Linköping: filen har "
            "ingen rad med budget för september–december 2020 och ingen med utfall för september–december "
            "2019, så helåren skulle bara bli en del av året. Exportera hela årets budget (alla tolv "
            "månader) och hela föregående års utfall (alla tolv månader) ur ekonomisystemet och skapa "
            "mallen igen.",
        ),
        (
            Severity.VARNING,
            "lkdata",
            "Budget helår 2020 lämnas tom i mallen för LKDATA: filen har ingen rad med budget för "
            "september–december 2020, så helåret skulle bara bli en del av året. Exportera hela årets "
            "budget (alla tolv månader) ur ekonomisystemet och skapa mallen igen.",
        ),
    ]
    # every amount is still somewhere: not placed, for its full-year column only
    assert rec.units["lkdata"][Drift.BUDGET_HELAR] == Tally(D(800), D(0), D(800))
    assert rec.units["kontakt"][Drift.BOKSLUT_FG] == Tally(D(-400), D(0), D(-400))
    assert rec.units["lkdata"][Drift.BUDGET] == Tally(D(800), D(800), D(0))
    assert {x.reason for x in rec.not_placed} == {Reason.PARTIAL} and len(rec.not_placed) == 24
    assert {x.columns for x in rec.not_placed} == {(Drift.BUDGET_HELAR,), (Drift.BOKSLUT_FG,)}
    assert rec.balanced
    assert not [f for f in r.findings if "ej placerat" in f.message.lower() or f.cell.startswith("rad")]


def test_a_month_with_a_zero_line_is_not_missing(tmp_path, forv):
    # A line of 0 kr, on any account and ansvar (here a balance account's total), is a month there.
    later = "".join(
        f"#PBUDGET 0 2020{m:02d} 1930 {{}} 0\n#PSALDO -1 2019{m:02d} 1930 {{}} 0\n" for m in range(9, 13)
    )
    r = ledger.load(sie_file(tmp_path, JAN_AUG + later), forv, AUG)
    assert r.reconciliation.partial == {}
    assert r.prefill.get("lkdata", "intakter", "budget_helar") == 800
    assert r.prefill.get("kontakt", "personal", "bokslut_fg") == -400
    assert not [f for f in r.findings if "i mallen för" in f.message]
    # one month still missing is named alone; months up to the period are not judged here
    no_november = later.replace("#PBUDGET 0 202011 1930 {} 0\n", "")
    r = ledger.load(sie_file(tmp_path, JAN_AUG + no_november), forv, AUG)
    assert r.reconciliation.partial == {Drift.BUDGET_HELAR: (11,)}
    (x,) = [f for f in r.findings if f.unit == "lkdata" and "i mallen för" in f.message]
    assert "ingen rad med budget för november 2020," in x.message


def test_last_years_months_that_add_up_to_res_are_the_whole_year(tmp_path, forv):
    # All of last year booked in May: its months are one, but #RES -1 says it is the whole year.
    body = '#RES -1 5110 350\n#PSALDO -1 201905 5110 {} 350\n#PSALDO -1 201905 5110 {1 "1770"} 350\n'
    r = load(tmp_path, body, forv)
    assert r.prefill.get("lkdata", "personal", "bokslut_fg") == -350 and r.reconciliation.partial == {}
    # an öre off: not known whole, and November–December have no line
    r = load(tmp_path, body.replace("#RES -1 5110 350", "#RES -1 5110 350.01"), forv)
    assert r.prefill.get("lkdata", "personal", "bokslut_fg") is None
    assert r.reconciliation.partial == {Drift.BOKSLUT_FG: (11, 12)}


@pytest.mark.parametrize(
    ("months", "year", "text"),
    [
        ((9, 10, 11, 12), 2020, "september–december 2020"),
        ((12,), 2019, "december 2019"),
        ((9, 11, 12), 2020, "september och november–december 2020"),
        ((1, 3, 5), 2019, "januari, mars och maj 2019"),
    ],
)
def test_months_are_named_in_runs(months, year, text):
    assert months_text(months, year) == text


def test_the_templates_and_the_avstamning_say_it_per_unit(tmp_path, forv, soffice):
    """Skapa mallar on an export 'jan–aug': the templates' Budget helår and Bokslut cells are
    empty (LibreOffice recalculates them: the sums stay empty too), and the finding is there."""
    from helpers import recalculated

    from vss_excel.enhetsmall import layout
    from vss_excel.enhetsmall.mallar import skapa_mallar
    from vss_excel.keys import RESULTAT, drift

    sent = skapa_mallar(forv, AUG, tmp_path / "mallar", [sie_file(tmp_path, JAN_AUG)], None, ["kontakt"], 1)
    (said,) = [f for f in sent.findings if "i mallen för" in f.message and f.unit == "kontakt"]
    assert said.message.startswith("Budget helår 2020 och Bokslut 2019 lämnas tomma i mallen för Kontakt")
    (template,) = sent.written
    cell = recalculated(
        template, layout.build(forv, forv.unit("kontakt"), AUG).sheet("Drift"), tmp_path / "lo"
    )

    def at(item: str, field: Drift) -> object:
        return cell(drift(item, field))

    assert at("personal", Drift.BUDGET) == -320 and at("personal", Drift.REDOVISAT_FG) == -400
    for item in ("personal", "intakter", RESULTAT):
        assert at(item, Drift.BUDGET_HELAR) == "" and at(item, Drift.BOKSLUT_FG) == "", item
    (avstamning,) = [p for p in sent.files if p.name.startswith("Avstämning")]
    rows = [r[0] for r in openpyxl.load_workbook(avstamning)["Avstämning"].iter_rows(values_only=True)]
    assert (
        "Budget helår 2020 och Bokslut 2019 lämnas tomma i mallen: filen har ingen rad med budget för "
        "september–december 2020 och ingen med utfall för september–december 2019." in rows
    )


def test_an_object_with_two_names_is_found_by_its_code_only(tmp_path, forv):
    conflict = (
        '#OBJEKT 1 "5555" "LKDATA"\n#OBJEKT 1 "5555" "Kontakt Linköping"\n'
        '#PSALDO 0 202001 3080 {1 "5555"} -100\n'
    )
    r = load(tmp_path, conflict, forv)
    (x,) = [f for f in r.findings if "olika namn" in f.message]
    assert (x.severity, x.cell) == (Severity.VARNING, f"rad {LINES + 2}")
    assert x.message == (
        f"Objekt 5555 i dimension 1 har olika namn i SIE-filen: 'LKDATA' (rad {LINES + 1}) och 'Kontakt "
        f"Linköping' (rad {LINES + 2}). Vilket som gäller går inte att veta, så enheten söks bara efter "
        "koden, och beloppen på objektet förs inte till någon mall. Hör de till en enhet: lägg till koden "
        "5555 under [[enheter]] ansvar i inställningarna, och rätta namnet i ekonomisystemet."
    )
    assert r.prefill.get("lkdata", "intakter", "redovisat") is None  # never a guess
    assert r.prefill.get("kontakt", "intakter", "redovisat") is None
    assert [x.reason for x in r.reconciliation.not_placed] == [Reason.UNKNOWN_OBJECT]
    # With one name the name finds the unit, as before; names that differ only in case are one name.
    for one in ('"LKDATA"', '"lkdata "'):
        r = load(tmp_path, conflict.replace('"Kontakt Linköping"', one), forv)
        assert r.prefill.get("lkdata", "intakter", "redovisat") == 100
        assert not [f for f in r.findings if "olika namn" in f.message]
    # A code that is a unit's own needs no name: nothing is lost, no finding.
    r = load(tmp_path, '#OBJEKT 1 "1770" "Annat namn"\n#PSALDO 0 202001 3080 {1 "1770"} -100\n', forv)
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 100
    assert not [f for f in r.findings if "olika namn" in f.message]
