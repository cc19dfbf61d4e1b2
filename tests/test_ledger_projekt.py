"""Investments' Redovisat from the ledger's project dimension (SIE dimension 6), each rule on a
short inline file; the figures read back from the written template and the Avstämning."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from vss_excel import ledger, settings
from vss_excel.errors import UserError
from vss_excel.model import InvestmentProject, Period, Severity

PERIOD = Period(2020, 10)
HEAD = """\
#FLAGGA 0
#PROGRAM "Raindance Ekonomi" 5.2
#FORMAT PC8
#SIETYP 4
#RAR 0 20200101 20201231
#DIM 1 "Ansvar"
#OBJEKT 1 "1770" "LKDATA"
"""
WITH_PROJECTS = (
    HEAD
    + """\
#DIM 6 "Projekt"
#OBJEKT 6 "7701" "IT-utrustning"
#OBJEKT 6 "7702" "Servrar"
#OBJEKT 6 "8800" "Annan förvaltnings projekt"
"""
)
DRIFT = '#PSALDO 0 202001 3080 {1 "1770"} -1000\n'
UTG, INK = "redovisat_utgifter", "redovisat_inkomster"


@pytest.fixture
def forv3(forv):
    """LKDATA with three projects: booked (7701), declared without amounts (7702), unknown (7799)."""
    projects = (
        InvestmentProject("lkdata-it", "lkdata", "IT-utrustning", D(60_000_000), "7701"),
        InvestmentProject("servrar", "lkdata", "Servrar", None, "7702"),
        InvestmentProject("natverk", "lkdata", "Nätverk", None, "7799"),
    )
    return dataclasses.replace(forv, investments=projects)


def sie_file(tmp_path: Path, body: str, head: str = WITH_PROJECTS, name: str = "huvudbok.se") -> Path:
    path = tmp_path / name
    path.write_bytes((head + DRIFT + body).replace("\n", "\r\n").encode("cp437"))
    return path


def cells(r: ledger.LedgerResult, project: str) -> tuple[D | None, D | None]:
    return r.prefill.get("lkdata", project, UTG), r.prefill.get("lkdata", project, INK)


# Utgifter: net debit on klass 1 (10-13) and 4-7; inkomster: net credit on klass 3 and 2388.
BOOKED = """\
#PSALDO 0 202003 1260 {6 "7701"} 1000000
#PSALDO 0 202010 5110 {6 "7701"} 200000
#PSALDO 0 202011 1260 {6 "7701"} 5000000
#PSALDO 0 202006 3080 {6 "7701"} -300000
#PSALDO 0 202008 2388 {6 "7701"} -50000
#PSALDO 0 202007 2440 {6 "7701"} -1200000
#PSALDO 0 202002 1260 {6 "8800"} 700000
#PSALDO 0 202004 3080 {6 "8800"} -100000
#PSALDO 0 202012 1260 {6 "8800"} 999000
"""


def test_a_projects_amounts_through_the_period_month_with_their_signs(tmp_path, forv3):
    r = ledger.load(sie_file(tmp_path, BOOKED), forv3, PERIOD)
    # 1 000 000 + 200 000 (November's 5 000 000 is after October; 2440 is the other side)
    assert cells(r, "lkdata-it") == (D(1_200_000), D(350_000))
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 1000  # drift as before
    # the same file for November counts November's line
    r11 = ledger.load(sie_file(tmp_path, BOOKED), forv3, Period(2020, 11))
    assert cells(r11, "lkdata-it") == (D(6_200_000), D(350_000))


def test_declared_without_amounts_is_0_unknown_is_empty_and_named(tmp_path, forv3):
    r = ledger.load(sie_file(tmp_path, BOOKED), forv3, PERIOD)
    assert cells(r, "servrar") == (0, 0)  # the ledger says nothing was booked
    assert cells(r, "natverk") == (None, None)  # the file does not know it: never 0
    (f,) = [f for f in r.findings if "7799" in f.message]
    assert f.severity is Severity.VARNING and f.unit == "lkdata"
    assert "'investeringar[3].projekt'" in f.message and "lämnas tomma" in f.message
    assert not [f for f in r.findings if "7702" in f.message or "7701" in f.message]


def test_amounts_on_projects_not_in_the_settings_are_one_finding_with_their_sums(tmp_path, forv3):
    r = ledger.load(sie_file(tmp_path, BOOKED), forv3, PERIOD)
    (f,) = [f for f in r.findings if "8800" in f.message]
    assert f.severity is Severity.INFO
    # through October: 700 000 on the asset, 100 000 credited on klass 3 (December's not counted)
    assert "8800 Annan förvaltnings projekt (utgifter 700 000 kr, inkomster 100 000 kr)" in f.message
    assert "1 projekt i filen har belopp men finns inte under [[investeringar]]" in f.message
    assert not [x for x in r.findings if "andra dimensioner" in x.message]  # the lines were read


def test_a_file_without_a_project_dimension_is_one_finding(tmp_path, forv3):
    r = ledger.load(sie_file(tmp_path, "", head=HEAD), forv3, PERIOD)
    for p in ("lkdata-it", "servrar", "natverk"):
        assert cells(r, p) == (None, None), p
    (f,) = [f for f in r.findings if "projekt" in f.message.lower()]
    assert f.severity is Severity.VARNING
    assert "ingen projektdimension" in f.message and "3 investeringar" in f.message
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 1000


def test_without_projekt_keys_nothing_is_said_of_a_file_without_projects(tmp_path, forv):
    plain = dataclasses.replace(
        forv, investments=tuple(dataclasses.replace(p, code="") for p in forv.investments)
    )
    r = ledger.load(sie_file(tmp_path, "", head=HEAD), plain, PERIOD)
    assert not [f for f in r.findings if "projekt" in f.message.lower()]
    assert r.prefill.get("lkdata", "lkdata-it", UTG) is None


def test_an_amount_on_a_project_that_cannot_be_read_leaves_its_cell_empty(tmp_path, forv3):
    body = '#PSALDO 0 202003 1260 {6 "7701"} 1000\n#PSALDO 0 202004 1260 {6 "7701"} 12,50\n'
    # 7701 is not declared here: its lines say the file has it
    head = WITH_PROJECTS.replace('#OBJEKT 6 "7701" "IT-utrustning"\n', "")
    r = ledger.load(sie_file(tmp_path, body, head), forv3, PERIOD)
    assert cells(r, "lkdata-it") == (None, 0)  # not 1000: a partial sum
    assert ("lkdata", "lkdata-it", UTG) in r.refused
    (f,) = [f for f in r.findings if "kunde inte läsas" in f.message and "7701" in f.message]
    assert "Redovisat utgifter" in f.message and "(rad 13)" in f.message
    assert not [f for f in r.findings if "Projektet 7701" in f.message]


def test_a_project_alone_and_split_by_ansvar_is_counted_once(tmp_path, forv3):
    body = """\
#PSALDO 0 202003 1260 {6 "7701"} 1000
#PSALDO 0 202003 1260 {1 "1770" 6 "7701"} 600
#PSALDO 0 202003 1260 {1 "1760" 6 "7701"} 400
"""
    r = ledger.load(sie_file(tmp_path, body), forv3, PERIOD)
    assert cells(r, "lkdata-it")[0] == 1000  # the parts add up to the project's line: not 2000
    (f,) = [f for f in r.findings if "andra dimensioner" in f.message]
    assert "2 rader" in f.message
    # only split (as Avendo writes: one line per combination the bookings had): added up
    body = '#PSALDO 0 202003 1260 {1 "1770" 6 "7701"} 600\n#PSALDO 0 202003 1260 {1 "1760" 6 "7701"} 400\n'
    r = ledger.load(sie_file(tmp_path, body), forv3, PERIOD)
    assert cells(r, "lkdata-it")[0] == 1000


def test_lines_that_do_not_add_up_leave_the_project_empty_with_a_finding(tmp_path, forv3):
    body = '#PSALDO 0 202003 1260 {6 "7701"} 1000\n#PSALDO 0 202003 1260 {1 "1770" 6 "7701"} 600\n'
    r = ledger.load(sie_file(tmp_path, body), forv3, PERIOD)
    assert cells(r, "lkdata-it") == (None, 0)  # parts of 1000 or 600 more: not known
    assert ("lkdata", "lkdata-it", UTG) not in r.refused  # the template is still written
    assert not [f for f in r.findings if "Projektet 7701" in f.message]  # the file has it
    (f,) = [f for f in r.findings if "går inte ihop" in f.message]
    assert f.severity is Severity.VARNING and "7701 konto 1260 (rad 13)" in f.message
    # two splits and no line of the project alone: parts of one amount, or two? not known either
    body = '#PSALDO 0 202003 1260 {1 "1770" 6 "7701"} 600\n#PSALDO 0 202003 1260 {6 "7701" 7 "A"} 600\n'
    r = ledger.load(sie_file(tmp_path, body), forv3, PERIOD)
    assert cells(r, "lkdata-it") == (None, 0)


def test_the_csv_underlag_fills_what_the_ledger_does_not_and_a_difference_is_a_finding(tmp_path, forv3):
    sie = sie_file(tmp_path, BOOKED)
    csv = tmp_path / "investeringar.csv"
    csv.write_text(
        "enhet;post;kolumn;belopp\n"
        "lkdata;natverk;redovisat_utgifter;400000\n"  # the ledger does not know 7799
        "lkdata;lkdata-it;redovisat_utgifter;1200000\n"  # the same as the ledger
        "lkdata;lkdata-it;redovisat_inkomster;1\n",  # differs
        encoding="utf-8",
    )
    loaded = [ledger.load(p, forv3, PERIOD) for p in (sie, csv)]
    combined = ledger.combined(*loaded)
    assert combined.get("lkdata", "natverk", UTG) == 400_000
    assert combined.get("lkdata", "lkdata-it", UTG) == 1_200_000
    assert combined.get("lkdata", "lkdata-it", INK) == 350_000  # the first file's
    (f,) = ledger.conflicts(loaded, ["huvudbok.se", "investeringar.csv"], forv3)
    assert f.severity is Severity.VARNING and f.unit == "lkdata" and f.file == "investeringar.csv"
    assert "350 000 kr i huvudbok.se men 1 kr i investeringar.csv" in f.message


def test_the_template_and_the_avstamning_show_the_projects(tmp_path, forv3, soffice):
    from helpers import recalculated

    from vss_excel.enhetsmall import layout
    from vss_excel.enhetsmall.mallar import skapa_mallar
    from vss_excel.keys import INVEST_SUMMA, Invest, invest

    sent = skapa_mallar(forv3, PERIOD, tmp_path / "mallar", [sie_file(tmp_path, BOOKED)], None, ["lkdata"], 1)
    (template,) = sent.written
    sheet = layout.build(forv3, forv3.unit("lkdata"), PERIOD).sheet("Investeringar")
    cell = recalculated(template, sheet, tmp_path / "lo")

    def at(item: str, field: Invest) -> object:
        return cell(invest(item, field))

    assert at("lkdata-it", Invest.REDOVISAT_UTGIFTER) == 1_200_000  # kronor, shown in tkr
    assert at("lkdata-it", Invest.REDOVISAT_INKOMSTER) == 350_000
    assert at("servrar", Invest.REDOVISAT_UTGIFTER) == 0 and at("servrar", Invest.REDOVISAT_INKOMSTER) == 0
    assert at("natverk", Invest.REDOVISAT_UTGIFTER) == "" and at("natverk", Invest.REDOVISAT_INKOMSTER) == ""
    assert at(INVEST_SUMMA, Invest.REDOVISAT_UTGIFTER) == 1_200_000

    (avstamning,) = [p for p in sent.files if p.name.startswith("Avstämning")]
    rows = list(openpyxl.load_workbook(avstamning)["Investeringar"].iter_rows(min_row=3, values_only=True))
    assert [r[:8] for r in rows] == [
        ("IT-utrustning", "LKDATA", "7701", "IT-utrustning", 1200, 350, 1_200_000, 350_000),
        ("Servrar", "LKDATA", "7702", "Servrar", 0, 0, 0, 0),
        ("Nätverk", "LKDATA", "7799", None, None, None, None, None),
    ]
    assert rows[2][8] == "projektet finns inte i filen"


def test_a_real_programs_file_with_amounts_on_a_project(forv):
    # Avendo's Övningsbolaget (SIE 3) declares projects (#DIM 6, #OBJEKT 6 "0001" …) and books on
    # 0001 with ansvar and sometimes dimension 7, one line per combination: {"1" "Syd" "6" "0001"
    # "7" "4"}. Through March 2011: 5090 400 + 6071 200 kr utgifter (1510, kundfordringar, is the
    # other side), 3041 50 400 + 36 000 kr inkomster. 0002 is declared with nothing booked: 0.
    from vss_excel.model import Unit

    files = Path(__file__).parent / "fixtures" / "sie"
    units = (Unit("nord", "Kontor Nord", ("Nord",)), Unit("syd", "Kontor Syd", ("Syd",)))
    projects = (
        InvestmentProject("utb", "nord", "Utbildning av användare", None, "0001"),
        InvestmentProject("drift", "syd", "Driftsättning nätverk", None, "0002"),
        InvestmentProject("nat", "syd", "Nätverk", None, "0003"),
    )
    forv = dataclasses.replace(forv, units=units, investments=projects)
    r = ledger.load(files / "avendo_objektsaldo.se", forv, Period(2011, 3))
    assert (r.prefill.get("nord", "utb", UTG), r.prefill.get("nord", "utb", INK)) == (600, 86_400)
    assert (r.prefill.get("syd", "drift", UTG), r.prefill.get("syd", "drift", INK)) == (0, 0)
    assert r.prefill.get("syd", "nat", UTG) is None and r.prefill.get("syd", "nat", INK) is None
    (f,) = [f for f in r.findings if "Projektet" in f.message]
    assert "0003" in f.message and f.unit == "syd"
    r1 = ledger.load(files / "avendo_objektsaldo.se", forv, Period(2011, 1))  # January only
    assert (r1.prefill.get("nord", "utb", UTG), r1.prefill.get("nord", "utb", INK)) == (0, 50_400)
    assert r.reconciliation is not None
    assert [x.name_in_ledger for x in r.reconciliation.projects] == [
        "Utbildning av användare",
        "Driftsättning nätverk",
        "",
    ]


def test_the_demo_ledger_gives_lkdatas_published_investment(forv):
    r = ledger.load(Path(__file__).parents[1] / "vss_excel" / "data" / "demo_2020.se", forv, forv.period)
    assert cells(r, "lkdata-it") == (D(32_054_000), 0)


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ('projket = "7701"\n', "okänd nyckel 'projket' i [[investeringar]] nr 1 – menade du 'projekt'?"),
        ("projekt = []\n", "projekt"),
    ],
)
def test_the_projekt_key_is_checked(tmp_path, extra, said):
    text = settings.default_text().replace('projekt = "7701"\n', extra)
    with pytest.raises(UserError) as e:
        settings.parse(text, "vss.toml")
    assert said in str(e.value)


def test_two_investments_with_one_project_code_are_refused():
    text = settings.default_text().replace(
        "[investeringar_oppna]",
        '[[investeringar]]\nid = "andra"\nenhet = "lkdata"\nnamn = "Annat"\nprojekt = "7701"\n\n'
        "[investeringar_oppna]",
    )
    with pytest.raises(UserError) as e:
        settings.parse(text, "vss.toml")
    assert "'investeringar[2].projekt' är '7701', som investeringar[1] redan har" in str(e.value)
    f = settings.parse(settings.default_text().replace('projekt = "7701"', "projekt = 7701"), "x")
    assert f.investments[0].code == "7701"


# --- an ekonomisystem's export with a project column ---------------------------------------------


def test_an_export_with_a_project_column_is_read_as_the_sie_files_projects(tmp_path, forv3):
    path = tmp_path / "export.csv"
    path.write_text(
        "Konto;Ansvar;Projekt;Period;Utfall;Budget\n"
        "3080;1770;;202001;-1000;\n"
        "1260;1770;7701;202003;1000000;\n"
        "5110;1770;7701;202010;200000;\n"
        "1260;1770;7701;202011;5000000;\n"  # after October
        "3080;1770;7701;202006;-300000;\n"
        "2440;1770;7701;202007;-1200000;\n"  # the other side: not counted
        "4610;1770;7702;202001;;50000\n"  # 7702: in the export, budget only: nothing booked
        "1260;1770;8800;202002;700000;\n",
        encoding="utf-8",
    )
    r = ledger.load(path, forv3, PERIOD)
    assert cells(r, "lkdata-it") == (D(1_200_000), D(300_000))
    assert cells(r, "servrar") == (0, 0)
    assert cells(r, "natverk") == (None, None)
    (f,) = [f for f in r.findings if "7799" in f.message]
    assert "exportens projektkolumn ('Projekt')" in f.message and "'investeringar[3].projekt'" in f.message
    (f,) = [f for f in r.findings if "8800" in f.message]
    assert "(utgifter 700 000 kr, inkomster 0 kr)" in f.message
    assert r.prefill.get("lkdata", "intakter", "redovisat") == 1000 + 300_000  # drift as before
    # without the column: one finding, the cells empty
    path.write_text("Konto;Ansvar;Period;Utfall\n3080;1770;202001;-1000\n", encoding="utf-8")
    r = ledger.load(path, forv3, PERIOD)
    assert cells(r, "lkdata-it") == (None, None)
    (f,) = [f for f in r.findings if "projekt" in f.message.lower()]
    assert f.message.startswith("Exporten har ingen projektkolumn ('Projekt'), så Redovisat utgifter")
