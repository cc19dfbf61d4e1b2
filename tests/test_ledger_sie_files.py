"""SIE files written by real programs (tests/fixtures/sie, origins and licences in its README),
read as an accountant reads them: each case the way the program wrote it, with the figures."""

from __future__ import annotations

import dataclasses
from collections import Counter
from decimal import Decimal as D
from pathlib import Path

from vss_excel import ledger
from vss_excel.keys import Drift
from vss_excel.ledger import Kind, sie, sie_in
from vss_excel.ledger.sie import BalanceKind
from vss_excel.model import Period, Severity, Unit

FILES = Path(__file__).parent / "fixtures" / "sie"
RESULT_CLASSES = ("3", "4", "5", "6", "7", "8")


def read(name: str) -> sie.SieFile:
    f = sie.read(FILES / name)
    assert f.usable and f.encoding == "cp437"
    return f


def totals(f: sie.SieFile, kind: BalanceKind, year: int) -> D:
    """The file's own account totals ({}) on result accounts, in the report's sign."""
    return sum(
        (
            b.report_amount
            for b in f.balances
            if b.kind is kind and b.year == year and not b.objects and b.account.startswith(RESULT_CLASSES)
        ),
        D(0),
    )


def test_every_file_is_there_with_its_origin_and_licence():
    readme = (FILES / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in FILES.glob("*.se"))
    assert files == [
        "avendo_objektsaldo.se",
        "bl_administration_sie3.se",
        "smalloffice_sie4.se",
        "softone_xe_sie4.se",
    ]
    for name in files:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}`"))
        assert "github.com/" in row and ("MIT" in row or "GPL-3.0" in row), name


def test_smalloffice_budget_under_last_years_index_is_this_years_budget():
    # SmallOffice writes the 2014 budget as '#PBUDGET -1 201401 …' while #RAR -1 is 2013. The
    # month is a date: the lines are 2014's budget (before: left out, 3 FEL, no budget at all).
    f = read("smalloffice_sie4.se")
    (x,) = f.findings
    assert (x.severity, x.cell) == (Severity.VARNING, "rad 2643")
    assert x.message == (
        "#PBUDGET: 92 rader med årsnr -1 (räkenskapsåret 2013-01-01–2013-12-31 enligt #RAR) har perioder "
        "201401–201403 i årsnr 0:s räkenskapsår 2014-01-01–2014-12-31. Perioden är ett datum och "
        "årsnumret bara en hänvisning till #RAR, så raderna lästes som årsnr 0. Kontrollera att budgeten "
        "för 2014 i mallarna stämmer med ekonomisystemet."
    )
    budget = [b for b in f.balances if b.kind is BalanceKind.PBUDGET]
    assert len(budget) == 92 and {b.year for b in budget} == {0}
    assert {b.period for b in budget} == {"201401", "201402", "201403"}
    assert totals(f, BalanceKind.PBUDGET, 0) == D("134664")  # before: 0


def test_smalloffice_in_the_templates_budget_period_filled_budget_helar_left_empty(forv):
    f = read("smalloffice_sie4.se")
    units = (Unit("noll", "Ansvar 0", ("0",)), Unit("gemensam", "Gemensam", ("99",)))
    forv = dataclasses.replace(forv, units=units)
    r = ledger.load(FILES / "smalloffice_sie4.se", forv, Period(2014, 2))
    get = r.prefill.get
    # Budget jan–feb 2014 from the lines that were under -1 (before: every budget cell empty)
    budget = {line: get("gemensam", line, "budget") for line in ("intakter", "personal", "lokal", "ovrigt")}
    assert budget == {
        "intakter": D("637628.5"),
        "personal": D(-32000),
        "lokal": D(-5000),
        "ovrigt": D(-466044),
    }
    # … but the file's budget stops in March: Budget helår 2014 would be a quarter of the year
    assert all(get(u.id, line, "budget_helar") is None for u in units for line in budget)
    assert r.reconciliation.partial == {Drift.BUDGET_HELAR: (4, 5, 6, 7, 8, 9, 10, 11, 12)}
    (partial,) = [x for x in r.findings if "Budget helår" in x.message]
    assert (partial.severity, partial.unit) == (Severity.VARNING, "gemensam")
    assert partial.message == (
        "Budget helår 2014 lämnas tom i mallen för Gemensam: filen har ingen rad med budget för "
        "april–december 2014, så helåret skulle bara bli en del av året. Exportera hela årets budget "
        "(alla tolv månader) ur ekonomisystemet och skapa mallen igen."
    )
    # Last year's outcome is all in May 2013, and adds up to #RES -1: the year is whole
    assert sie_in.whole_years(f) == {(Kind.UTFALL, -1)}
    assert get("noll", "intakter", "bokslut_fg") == D("1605687.17")
    assert get("gemensam", "intakter", "bokslut_fg") == D(-11200)
    assert r.reconciliation.balanced


def test_avendo_budget_written_twice_the_same_is_read_once_without_a_finding(forv):
    # Avendo writes the 2011 budget under index 0 and again under -1 (#RAR -1 is 2010) with the
    # same months and amounts. Nothing is lost: no finding (before: 12 FEL, one per month).
    f = read("avendo_objektsaldo.se")
    assert f.findings == ()
    budget = [b for b in f.balances if b.kind is BalanceKind.PBUDGET]
    assert len(budget) == 624 and {b.year for b in budget} == {0}
    assert len({(b.period, b.account, b.objects) for b in budget}) == 624  # each saldo once
    assert totals(f, BalanceKind.PBUDGET, 0) == D(800000)  # the same before and after

    units = (Unit("nord", "Kontor Nord", ("Nord",)), Unit("syd", "Kontor Syd", ("Syd",)))
    forv = dataclasses.replace(forv, units=units)
    r = ledger.load(FILES / "avendo_objektsaldo.se", forv, Period(2011, 3))
    rec = r.reconciliation
    assert rec.total[Drift.BUDGET_HELAR].ledger == D(800000) and rec.balanced
    assert rec.partial == {}  # twelve months of budget and of last year's outcome
    assert not [x for x in r.findings if "årsnr" in x.message or x.severity is Severity.FEL]
    assert r.prefill.get("nord", "intakter", "bokslut_fg") is not None


def test_bl_administration_last_years_outcome_under_index_0_is_last_years(forv):
    # BL Administration writes 2016's outcome as '#PSALDO 0 201601 …' (#RAR 0 is 2017). Its months
    # add up to #RES -1 account by account: it is last year's outcome (before: 12 FEL, dropped).
    f = read("bl_administration_sie3.se")
    (x,) = f.findings
    assert (x.severity, x.cell) == (Severity.VARNING, "rad 761")
    assert x.message.startswith(
        "#PSALDO: 276 rader med årsnr 0 (räkenskapsåret 2017-01-01–2017-12-31 enligt #RAR) har perioder "
        "201601–201612 i årsnr -1:s räkenskapsår 2016-01-01–2016-12-31."
    )
    assert "raderna lästes som årsnr -1" in x.message and "utfallet för 2016" in x.message
    kinds = Counter((b.kind, b.year, b.period[:4]) for b in f.balances)
    assert kinds == {
        (BalanceKind.PSALDO, -1, "2016"): 276,
        (BalanceKind.PSALDO, 0, "2017"): 216,
        (BalanceKind.PBUDGET, 0, "2017"): 276,
    }
    res = sum((sie.report_sign(v) for (y, a), v in f.results.items() if y == -1 and a[0] in "345678"), D(0))
    assert totals(f, BalanceKind.PSALDO, -1) == res == D("-141205.13")
    assert sie_in.whole_years(f) == {(Kind.UTFALL, -1), (Kind.UTFALL, 0)}

    r = ledger.load(FILES / "bl_administration_sie3.se", forv, Period(2017, 10))
    rec = r.reconciliation
    assert rec.total[Drift.BOKSLUT_FG].ledger == D("-141205.13")  # before: 0
    assert rec.total[Drift.REDOVISAT_FG].ledger == D("-140658.03")  # jan–okt 2016; before: 0
    assert rec.partial == {} and rec.balanced


def test_softone_object_named_three_times_and_names_with_a_stray_quote():
    # SoftOne XE gives '#OBJEKT 6 9874649' three names, and loses letters of some account names to
    # a stray '"'. No amount is booked on the object and a name is no amount: no finding (before:
    # the last name silently won, and 54 FEL lines for account names).
    f = read("softone_xe_sie4.se")
    assert f.findings == ()
    assert f.objects[("6", "9874649")] == "104 Göteborgs Kommun AB"
    assert f.object_conflicts == {
        ("6", "9874649"): ((54, "104 Göteborgs Kommun AB"), (55, "101 Ulla Andersson"), (56, "testtest"))
    }
    assert not any(("6", "9874649") in b.objects for b in f.balances)
    assert f.accounts["1684"] == 'Fordringar hos leverant"r'  # as written: the letter is lost
    assert f.accounts["2943"] == 'L"neskatt' and f.accounts["1010"] == "Balanserade utgifter"
    assert len(f.accounts) == 373  # every #KONTO line (before: 319)
