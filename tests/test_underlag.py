from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest

from vss_excel.ledger import underlag
from vss_excel.model import Severity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-1 234 567,50", D("-1234567.50")),
        ("1234567.5", D("1234567.5")),
        ("1.234.567,5", D("1234567.5")),
        ("1,234,567.5", D("1234567.5")),
        ("−250", D(-250)),
        ("12\u00a0000", D(12000)),
        (42, D(42)),
        ("abc", None),
        ("", None),
        ("nan", None),
    ],
)
def test_parse_amount(text, value):
    assert underlag.parse_amount(text) == value


def test_csv_semicolon_decimal_comma_names_and_sums(forv, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(
        "Enhet;Post;Kolumn;Belopp\n"
        "LKDATA;Intäkter;redovisat;1 000,50\n"
        "lkdata;intakter;redovisat;999,50\n"  # same cell again: added up, as ledger lines are
        "Kontakt Linköping;Personalkostnader;budget;-5000\n"
        "lkdata;IT-utrustning;investeringsram;70000000\n"
        ";;;\n",
        encoding="utf-8-sig",
    )
    prefill, findings = underlag.read(path, forv)
    assert findings == []
    assert prefill.get("lkdata", "intakter", "redovisat") == D(2000)
    assert prefill.get("kontakt", "personal", "budget") == D(-5000)
    assert prefill.get("lkdata", "lkdata-it", "investeringsram") == D(70_000_000)


def test_unknown_units_rows_and_columns_are_reported_not_dropped_silently(forv, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(
        "enhet,post,kolumn,belopp\n"
        "Okänd enhet,intakter,redovisat,1\n"
        "lkdata,Reklamintäkter,redovisat,1\n"
        "lkdata,intakter,prognos,1\n"
        "lkdata,intakter,redovisat,mycket\n"
        "lkdata,personal,redovisat,5000\n"
        "lkdata,intakter,redovisat,7\n",
        encoding="cp1252",
    )
    prefill, findings = underlag.read(path, forv)
    # row 5's amount could not be read: row 7's 7 alone would be a partial sum, so the cell is a gap
    assert prefill.values == {("lkdata", "personal", "redovisat"): D(5000)}
    by_row = {f.cell: f for f in findings}
    assert "Enheten 'Okänd enhet' finns inte" in by_row["rad 2"].message
    assert "Posten 'Reklamintäkter' finns inte för LKDATA" in by_row["rad 3"].message
    assert "Kolumnen 'prognos'" in by_row["rad 4"].message
    assert "'mycket' är inget tal" in by_row["rad 5"].message
    assert "cellen kan inte fyllas i (LKDATA: Intäkter, redovisat)" in by_row["rad 5"].message
    assert by_row["rad 5"].unit == "lkdata"
    assert all(by_row[f"rad {i}"].severity is Severity.FEL for i in range(2, 6))
    sign = by_row["lkdata/personal/redovisat"]
    assert sign.severity is Severity.VARNING and "fel tecken" in sign.message
    assert all(f.file == "u.csv" for f in findings)


def test_excel_underlag(forv, tmp_path):
    path = tmp_path / "u.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["enhet", "post", "kolumn", "belopp"])
    ws.append(["stadsarkivet", "Ärenden Stadsarkivet", "utfall_fg", 490])
    ws.append(["hrservice", "sjukfranvaro", "utfall_fg", 4.5])
    wb.save(path)
    prefill, findings = underlag.read(path, forv)
    assert findings == []
    assert prefill.get("stadsarkivet", "stadsarkivet-arenden", "utfall_fg") == D(490)
    assert prefill.get("hrservice", "sjukfranvaro", "utfall_fg") == D("4.5")


def test_bad_files(forv, tmp_path):
    _, findings = underlag.read(tmp_path / "saknas.csv", forv)
    assert findings[0].severity is Severity.FEL and "finns inte" in findings[0].message
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"inte en zip")
    _, findings = underlag.read(bad, forv)
    assert "kunde inte läsas" in findings[0].message
    header = tmp_path / "h.csv"
    header.write_text("a;b\n1;2\n", encoding="utf-8")
    _, findings = underlag.read(header, forv)
    assert "Rubrikraden saknar enhet, post, kolumn, belopp" in findings[0].message


def test_example_underlag_matches_the_delarsrapport(prefill, forv):
    """The example's nets round to the document's driftsammandrag (jan–okt, bokslut 2019)."""
    from vss_excel import calc

    def net(unit, col):
        vals = [prefill.get(unit, x.id, col) for x in forv.drift_lines if x.kind.value != "varav"]
        return calc.total(vals)

    ids = [u.id for u in forv.units]
    red = [net(u, "redovisat") for u in ids]
    assert [calc.tkr(x) for x in red] == [-623, 119, -283, 192, 1999, 74, -710, 9196, -1]
    assert calc.tkr(calc.total(red)) == 9962  # the document's sum, 1 tkr from its rows
    bud = [net(u, "budget") for u in ids]
    assert [calc.tkr(x) for x in bud] == [0, 0, 84, 129, 0, 0, 0, 580, 0]
    assert calc.tkr(calc.total(bud)) == 793
    assert [calc.tkr(calc.avvikelse(r, b)) for r, b in zip(red, bud, strict=True)] == [
        -623,
        119,
        -367,
        62,
        1999,
        74,
        -710,
        8616,
        -1,
    ]
    assert calc.tkr(calc.total(red) - calc.total(bud)) == 9169
    fg = [net(u, "redovisat_fg") for u in ids]
    assert [calc.tkr(x) for x in fg] == [-1221, None, -252, -174, 3880, -9, None, 15786, None]
    assert calc.tkr(calc.total(fg)) == 18011
    bok = [net(u, "bokslut_fg") for u in ids]
    assert calc.tkr(calc.total(bok)) == 17301
    costs = calc.total(
        prefill.get(u, x.id, "bokslut_fg") for u in ids for x in forv.drift_lines if x.kind.value == "kostnad"
    )
    assert calc.tkr(costs) == -254_067
    budget_income = calc.total(prefill.get(u, "intakter", "budget_helar") for u in ids)
    assert calc.tkr(budget_income) == 294_028


def test_a_cell_refused_by_the_underlag_stays_empty_through_ledger_load(forv, tmp_path):
    from vss_excel import ledger

    path = tmp_path / "u.csv"
    path.write_text(
        "enhet;post;kolumn;belopp\nlkdata;intakter;redovisat;7\nlkdata;intakter;redovisat;x\n",
        encoding="utf-8",
    )
    r = ledger.load(path, forv, forv.period)
    assert r.prefill.get("lkdata", "intakter", "redovisat") is None
    assert r.refused == {("lkdata", "intakter", "redovisat")}


def test_a_unit_with_an_amount_that_cannot_be_read_gets_no_template(tmp_path, capsys):
    """Its Redovisat would be a partial sum: no template is written for it (the others are), and
    Skapa mallar says why and how to make it once the underlag is right."""
    from vss_excel.cli import main

    path = tmp_path / "u.csv"
    path.write_text(
        "enhet,post,kolumn,belopp\n"
        "lkdata,intakter,redovisat,1000\n"
        "lkdata,personal,redovisat,-2OO\n"
        "kontakt,intakter,redovisat,500\n",
        encoding="utf-8",
    )
    out = tmp_path / "ut"
    assert main(["mallar", "--underlag", str(path), "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    written = sorted(p.name for p in out.glob("VSS 2020-10 *.xlsx"))
    assert "VSS 2020-10 LKDATA.xlsx" not in written and "VSS 2020-10 Kontakt Linköping.xlsx" in written
    assert len(written) == 8
    assert "Mallen skrevs inte" in err and "--enhet lkdata" in err
    assert "'-2OO' är inget tal" in err
    mailing = (out / "Utskick VSS 2020-10.csv").read_text(encoding="utf-8-sig")
    assert "LKDATA" not in mailing and "Kontakt Linköping" in mailing  # nothing to send it
    # A template from an earlier run stays (nothing is deleted), and is said not to be sent
    good = tmp_path / "bra.csv"
    good.write_text("enhet,post,kolumn,belopp\nlkdata,intakter,redovisat,1000\n", encoding="utf-8")
    assert main(["mallar", "--underlag", str(good), "--ut", str(out), "--enhet", "lkdata"]) == 0
    capsys.readouterr()
    assert main(["mallar", "--underlag", str(path), "--ut", str(out), "--skriv-over"]) == 1
    assert "från en tidigare körning: skicka den inte" in capsys.readouterr().err


def test_the_letter_claims_ledger_figures_only_when_there_are_some(tmp_path):
    from docx import Document

    from vss_excel.cli import main

    path = tmp_path / "personal.csv"
    path.write_text("enhet,post,kolumn,belopp\nlkdata,tillsvidare,utfall_fg,12\n", encoding="utf-8")
    assert main(["mallar", "--underlag", str(path), "--ut", str(tmp_path / "ut"), "--enhet", "lkdata"]) == 0
    (letter,) = (tmp_path / "ut").glob("*.docx")
    assert "redan ifylld" not in " ".join(p.text for p in Document(str(letter)).paragraphs)
