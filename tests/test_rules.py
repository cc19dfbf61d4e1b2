"""Every check rule on a short in-memory input, without LibreOffice: what it finds, and that a
clean file gives it nothing. A value a rule rejects is a gap, never a 0 in a figure."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from inmemory import context, returned

from vss_excel import calc, demo
from vss_excel import keys as K
from vss_excel.enhetsmall.reader import FileKind, ReadWorkbook, SourceFile
from vss_excel.enhetsmall.xlsx import CellType, NumberFormat, RawCell
from vss_excel.konsolidera import checks, tables
from vss_excel.konsolidera.checks import activities, analysis, cells, drift, files
from vss_excel.model import Severity, UnitReport

FEL, VARNING, INFO = Severity.FEL, Severity.VARNING, Severity.INFO
PROGNOS = K.Drift.PROGNOS


@pytest.fixture(scope="module")
def filled(forv):
    data = demo.load_demo()
    return {u.id: demo.unit_inputs(forv, u, data) for u in forv.units}


def without_sheet(rw: ReadWorkbook, name: str) -> ReadWorkbook:
    """The file as the reader gives it when the unit deleted a sheet."""
    sheets = {k: v for k, v in rw.sheets.items() if k != name}
    return dataclasses.replace(rw, sheets=sheets, sheets_missing=(name,))


def run(rule, forv, rw):
    return list(rule(context(forv, rw)))


def test_every_rule_has_a_test_here():
    text = Path(__file__).read_text(encoding="utf-8")
    assert [r.__name__ for r in checks.RULES if f"def test_{r.__name__}(" not in text] == []


def test_a_clean_file_gives_no_finding(forv, prefill, filled):
    """The demo's units as they filled in: one finding in all, true in the data (Löneservice has
    not marked its file ready)."""
    found = [
        (u.id, f.severity, f.message)
        for u in forv.units
        for f in checks.check(context(forv, returned(forv, u.id, filled[u.id], prefill)))
    ]
    assert [(u, s) for u, s, _ in found] == [("loneservice", VARNING)]
    assert "Klar för konsolidering" in found[0][2]


# --- files ---------------------------------------------------------------------------------


def _source(kind: FileKind, name: str = "x.xlsx", error: str = "") -> ReadWorkbook:
    return ReadWorkbook(SourceFile(Path(name), name, 10, dt.datetime(2020, 11, 1), "", kind, error))


@pytest.mark.parametrize(
    ("kind", "name", "severity", "text"),
    [
        (FileKind.LOCK, "~$a.xlsx", INFO, "låsfil"),
        (FileKind.XLS, "a.xlsx", FEL, "gamla Excelformatet (.xls)"),
        (FileKind.XLSB, "a.xlsb", FEL, ".xlsb"),
        (FileKind.ODS, "a.ods", FEL, "OpenDocument"),
        (FileKind.ENCRYPTED, "a.xlsx", FEL, "lösenordsskyddad"),
        (FileKind.NOT_WORKBOOK, "a.xlsx", FEL, "ingen arbetsbok"),
        (FileKind.NOT_WORKBOOK, "a.pdf", INFO, "Ingen Excelfil"),
        (FileKind.FOREIGN, "a.xlsx", FEL, "ingen enhetsmall"),
        (FileKind.LINK, "a.xlsx", FEL, "symbolisk länk"),
        (FileKind.CRASHED, "a.xlsx", FEL, "avbrytas"),
    ],
)
def test_check_file_kind(forv, kind, name, severity, text):
    (f,) = run(files.check_file_kind, forv, _source(kind, name))
    assert f.severity is severity and text in f.message and f.blocks_file and f.file == name


def test_check_file_kind_passes_on_the_readers_reason(forv):
    for kind in (FileKind.CORRUPT, FileKind.TOO_LARGE, FileKind.UNREADABLE):
        (f,) = run(files.check_file_kind, forv, _source(kind, error="Filen är skadad och kan inte läsas."))
        assert f.severity is FEL and f.message.startswith("Filen är skadad") and f.blocks_file
    assert (
        run(files.check_file_kind, forv, _source(FileKind.OTHER_FORVALTNING)) == []
    )  # told once, for the inbox


def test_check_template_version(forv, prefill):
    rw = returned(forv, "lkdata", {}, prefill)
    assert run(files.check_template_version, forv, rw) == []
    old = dataclasses.replace(
        rw, source=dataclasses.replace(rw.source, meta={**rw.source.meta, "mallversion": "0"})
    )
    (f,) = run(files.check_template_version, forv, old)
    assert "Mallversion 0" in f.message and f.blocks_file


def test_check_period(forv, prefill):
    from vss_excel.model import Period

    rw = returned(forv, "lkdata", {}, prefill, period=Period(2020, 8))
    (f,) = run(files.check_period, forv, rw)
    assert "period 2020-08" in f.message and f.blocks_file
    assert run(files.check_period, forv, returned(forv, "lkdata", {}, prefill)) == []


def test_check_unit_known(forv, prefill):
    rw = returned(forv, "lkdata", {}, prefill)
    assert run(files.check_unit_known, forv, rw) == []
    unknown = dataclasses.replace(
        rw, layout=None, source=dataclasses.replace(rw.source, meta={**rw.source.meta, "enhet_id": "okand"})
    )
    (f,) = run(files.check_unit_known, forv, unknown)
    assert "'okand'" in f.message and f.blocks_file


def test_check_sheets_present(forv, prefill, filled):
    rw = returned(forv, "lkdata", filled["lkdata"], prefill)
    gone = dataclasses.replace(
        rw, sheets={k: v for k, v in rw.sheets.items() if k != "Drift"}, sheets_missing=("Drift",)
    )
    (f,) = run(files.check_sheets_present, forv, gone)
    assert f.sheet == "Drift" and K.drift("intakter", PROGNOS) in f.gaps


def test_check_rows_moved(forv, prefill, filled):
    rw = returned(forv, "lkdata", filled["lkdata"], prefill)
    lost = dataclasses.replace(rw, row_map={"Drift": {6: None}})
    (f,) = run(files.check_rows_moved, forv, lost)
    assert (
        f.severity is FEL and "'Lokalkostnader' saknas" in f.message and K.drift("lokal", PROGNOS) in f.gaps
    )
    assert run(files.check_rows_moved, forv, rw) == []


def test_check_fingerprint(forv, prefill, filled):
    rw = returned(
        forv, "elarande", filled["elarande"], prefill, changed={K.drift("intakter", K.Drift.REDOVISAT): 1}
    )
    (f,) = run(files.check_fingerprint, forv, rw)
    assert f.severity is FEL and f.sheet == "Drift" and "Låsta celler" in f.message
    # without the template that was sent, every prefilled amount of the sheet is a gap
    assert K.drift("intakter", K.Drift.REDOVISAT) in f.gaps and K.drift("personal", K.Drift.BUDGET) in f.gaps
    assert run(files.check_fingerprint, forv, returned(forv, "elarande", filled["elarande"], prefill)) == []
    # A deleted sheet is its own finding (check_sheets_present), not also 'locked cells changed'
    for name in ("Drift", "Personal"):
        lacking = without_sheet(returned(forv, "elarande", filled["elarande"], prefill), name)
        assert run(files.check_fingerprint, forv, lacking) == [], name
    both = without_sheet(rw, "Personal")  # a changed sheet is still found beside a deleted one
    assert [f.sheet for f in run(files.check_fingerprint, forv, both)] == ["Drift"]


def test_check_stray_cells(forv, prefill, filled):
    rw = returned(forv, "lkdata", filled["lkdata"], prefill, extra={("Drift", 6, 16): "se mejlet"})
    (f,) = run(files.check_stray_cells, forv, rw)
    assert f.severity is VARNING and f.cell == "Q7" and "'se mejlet'" in f.message
    far = returned(forv, "lkdata", filled["lkdata"], prefill)
    sheet = dataclasses.replace(far.sheets["Drift"], outside=1, first_outside="XFD1048576")
    far = dataclasses.replace(far, sheets={**far.sheets, "Drift": sheet})
    (f,) = run(files.check_stray_cells, forv, far)
    assert f.severity is INFO and "XFD1048576" in f.message


# --- cells -----------------------------------------------------------------------------------


def test_check_numbers(forv, prefill, filled):
    rw = returned(forv, "lkdata", {**filled["lkdata"], K.drift("intakter", PROGNOS): "ca 9,3 mkr"}, prefill)
    (f,) = run(cells.check_numbers, forv, rw)
    assert (f.sheet, f.cell) == ("Drift", "F5") and "'ca 9,3 mkr' är inget tal" in f.message
    assert f.gaps == (K.drift("intakter", PROGNOS),)
    b = returned(forv, "lkdata", {**filled["lkdata"], K.drift("intakter", PROGNOS): True}, prefill)
    (f,) = run(cells.check_numbers, forv, b)
    assert "'SANT'" in f.message  # a boolean as Excel shows it, never 'True'
    # LibreOffice stores a TRUE it shows for a number other than 1 as that number, in its
    # "TRUE";"TRUE";"FALSE" format: not a figure either, and never 2 kronor.
    shown_true = RawCell(2.0, CellType.NUMBER, None, NumberFormat.BOOL_FORMAT)
    lo = returned(forv, "lkdata", {**filled["lkdata"], K.drift("intakter", PROGNOS): shown_true}, prefill)
    (f,) = run(cells.check_numbers, forv, lo)
    assert (f.cell, f.gaps) == ("F5", (K.drift("intakter", PROGNOS),)) and "'SANT' är inget tal" in f.message
    used = context(forv, lo).without(checks.check(context(forv, lo)))
    assert (
        used.values[K.drift("intakter", PROGNOS)] is None
        and used.amount(K.drift(K.RESULTAT, PROGNOS)) is None
    )
    # An Excel TRUE that LibreOffice saved in a cell with a number format: =TRUE(), stored as 1
    saved = RawCell(1.0, CellType.NUMBER, "TRUE()")
    lo = returned(forv, "lkdata", {**filled["lkdata"], K.drift("intakter", PROGNOS): saved}, prefill)
    (f,) = run(cells.check_numbers, forv, lo)
    assert "'SANT' är inget tal" in f.message and f.gaps == (K.drift("intakter", PROGNOS),)
    assert context(forv, lo).values[K.drift("intakter", PROGNOS)] is None  # not 1 krona


def date(serial: float) -> RawCell:
    return RawCell(serial, CellType.NUMBER, None, NumberFormat.DATE)


def percent(value: float) -> RawCell:
    return RawCell(value, CellType.NUMBER, None, NumberFormat.PERCENT)


def test_check_number_formats(forv, prefill, filled):
    """A date typed in an amount cell is stored as its serial (44 135 for 2020-10-31): a FEL on the
    cell, the serial never used, nor judged as a sign or a prognos in tkr."""
    personal = K.drift("personal", PROGNOS)
    inputs = {**filled["lkdata"], personal: date(44135.0)}
    rw = returned(forv, "lkdata", inputs, prefill)
    (f,) = run(cells.check_number_formats, forv, rw)
    assert (f.severity, f.sheet, f.cell, f.gaps) == (FEL, "Drift", "F6", (personal,))
    assert f.message.startswith("Cellen visar 2020-10-31: ett datum, inte ett belopp. Skriv beloppet")
    assert "Värdet har inte använts" in f.message
    ctx = context(forv, rw)
    assert ctx.values[personal] is None  # not 44 135 kronor
    found = checks.check(ctx)
    assert [x.cell for x in found if personal in x.gaps] == ["F6"]  # no sign, tkr or formula finding
    assert [x for x in found if "formeln" in x.message] == []
    assert "datum i stället för belopp, Drift F6" in ctx.without(found).gaps[personal]
    # A time, a volume cell: a date is no number of anything
    chatt = K.volume("kontakt-chatt", K.Measure.UTFALL)
    rw = returned(forv, "kontakt", {**filled["kontakt"], chatt: date(0.5)}, prefill)
    (f,) = run(cells.check_number_formats, forv, rw)
    assert f.message.startswith("Cellen visar 12:00: ett datum, inte ett tal.") and f.gaps == (chatt,)
    # A percent where an amount belongs: 5 % is no amount
    rw = returned(forv, "lkdata", {**filled["lkdata"], K.drift("intakter", PROGNOS): percent(0.05)}, prefill)
    (f,) = run(cells.check_number_formats, forv, rw)
    assert "Cellen visar 5 %: ett procenttal, inte ett belopp" in f.message
    assert context(forv, rw).values[K.drift("intakter", PROGNOS)] is None
    # A percent where a percent belongs is the percent shown: 0.055 formatted 5,5 % is 5.5
    sick = K.personnel("sjukfranvaro", K.Measure.UTFALL)
    rw = returned(forv, "hrservice", {**filled["hrservice"], sick: percent(0.055)}, prefill)
    assert run(cells.check_number_formats, forv, rw) == []
    assert context(forv, rw).values[sick] == D("5.5")
    assert run(cells.check_number_formats, forv, returned(forv, "lkdata", filled["lkdata"], prefill)) == []


def test_check_too_large(forv, prefill, filled):
    """1,23E+31 is beyond what Decimal rounds (28 digits): a FEL on the cell, never a crash of
    the file (a positive cost would have its sign judged, in kronor)."""
    personal = K.drift("personal", PROGNOS)
    with pytest.raises(ArithmeticError):
        calc.round_half_up(D(repr(1.23e31)))  # what judging it as a figure would do
    rw = returned(forv, "lkdata", {**filled["lkdata"], personal: 1.23e31}, prefill)
    (f,) = run(cells.check_too_large, forv, rw)
    assert (f.severity, f.cell, f.gaps) == (FEL, "F6", (personal,))
    assert f.message.startswith("Talet 1,23E+31 är orimligt stort")
    ctx = context(forv, rw)
    found = checks.check(ctx)  # every rule, without an exception
    assert [x.brief for x in found if personal in x.gaps] == ["talet är orimligt stort"]
    assert ctx.without(found).amount(K.drift(K.SUMMA_KOSTNADER, PROGNOS)) is None
    just_under = returned(forv, "lkdata", {**filled["lkdata"], personal: -999_999_999_999_999.0}, prefill)
    assert run(cells.check_too_large, forv, just_under) == []
    assert context(forv, just_under).values[personal] == D(-999_999_999_999_999)
    # A locked amount changed to 1E-300 divides the säsong forecast up to some 1E+314: no figure
    # is computed beyond the bound either, and the file is checked to the end.
    tiny = returned(
        forv, "lkdata", filled["lkdata"], prefill, changed={K.drift("personal", K.Drift.REDOVISAT_FG): 1e-300}
    )
    ctx = context(forv, tiny)
    assert ctx.values[K.drift("personal", K.Drift.FORSLAG_SASONG)] is None
    found = checks.check(ctx)
    assert any("Låsta celler" in f.message for f in found)
    assert K.drift("personal", K.Drift.FORSLAG_SASONG) in ctx.without(found).gaps


def test_check_error_values(forv, prefill, filled):
    rw = returned(
        forv,
        "lkdata",
        {**filled["lkdata"], K.drift("personal", PROGNOS): RawCell("#DIV/0!", CellType.ERROR, "1/0")},
        prefill,
    )
    (f,) = run(cells.check_error_values, forv, rw)
    assert (
        (f.sheet, f.cell) == ("Drift", "F6")
        and "#DIV/0!" in f.message
        and f.gaps == (K.drift("personal", PROGNOS),)
    )


def test_check_input_formulas(forv, prefill, filled):
    linked = RawCell(-18_000_000.0, CellType.NUMBER, "[1]Blad1!A1")
    today = RawCell(44000.0, CellType.NUMBER, "TODAY()")
    plain = RawCell(-100.0, CellType.NUMBER, "-50-50")
    rw = returned(
        forv,
        "lkdata",
        {
            **filled["lkdata"],
            K.drift("personal", PROGNOS): linked,
            K.drift("lokal", PROGNOS): today,
            K.drift("ovrigt", PROGNOS): plain,
        },
        prefill,
    )
    found = {f.cell: f for f in run(cells.check_input_formulas, forv, rw)}
    assert set(found) == {"F6", "F7"}  # a plain formula in an input is fine
    assert "annan arbetsbok" in found["F6"].message and found["F6"].gaps == (K.drift("personal", PROGNOS),)
    assert "TODAY" in found["F7"].message


def test_check_percent_range(forv, prefill, filled):
    rw = returned(
        forv, "lkdata", {**filled["lkdata"], K.personnel("sjukfranvaro", K.Measure.UTFALL): 150}, prefill
    )
    (f,) = run(cells.check_percent_range, forv, rw)
    assert f.sheet == "Personal" and "utanför 0–100" in f.message
    assert f.gaps == (K.personnel("sjukfranvaro", K.Measure.UTFALL),)
    typed_with_sign = {**filled["lkdata"], K.personnel("sjukfranvaro", K.Measure.UTFALL): percent(1.25)}
    (f,) = run(cells.check_percent_range, forv, returned(forv, "lkdata", typed_with_sign, prefill))
    assert f.message.startswith("125 ligger utanför 0–100")  # 125 %, as the unit sees it


def _reports(forv, prefill, filled, changed_unit, inputs):
    """Every unit's report, as Konsolidera makes it, one unit's inputs changed."""
    out = {}
    for u in forv.units:
        rw = returned(forv, u.id, inputs if u.id == changed_unit else filled[u.id], prefill)
        ctx = context(forv, rw)
        used = ctx.without(checks.check(ctx))
        out[u.id] = UnitReport(u.id, forv.period, rw.source.name, dict(used.values), dict(used.gaps))
    return out


def test_check_percent_fraction(forv, prefill, filled):
    """HR typed its sjukfrånvaro 5,5 % where the % format was lost: 0,055, against 4,5 last year.
    Used, it would have pulled the förvaltning's weighted 5,0 down to 4,4 without a word; left
    out, the figure says it lacks HR."""
    sick, sick_fg = (K.personnel("sjukfranvaro", m) for m in (K.Measure.UTFALL, K.Measure.UTFALL_FG))
    hr = filled["hrservice"]
    assert (hr[sick], hr[sick_fg]) == (5.5, 4.5)
    rw = returned(forv, "hrservice", {**hr, sick: 0.055}, prefill)
    (f,) = run(cells.check_percent_fraction, forv, rw)
    assert (f.severity, f.sheet, f.cell, f.gaps) == (FEL, "Personal", "B6", (sick,))
    assert f.message == (
        "Total sjukfrånvaro (%): 0,055 ser ut att vara en andel, inte procent (samma period föregående "
        "år är det 4,5). Procent anges som tal: 5,5 för 5,5 %. Värdet har inte använts; be enheten rätta det."
    )
    # Last year's figure typed as a fraction is found the same way
    (f,) = run(
        cells.check_percent_fraction, forv, returned(forv, "hrservice", {**hr, sick_fg: 0.045}, prefill)
    )
    assert f.gaps == (sick_fg,) and "(i år är det 5,5)" in f.message
    # Not a fraction: under 1 but not a tenth of last year, a percent format kept, no last year
    for fine in (0.9, percent(0.055)):
        assert (
            run(cells.check_percent_fraction, forv, returned(forv, "hrservice", {**hr, sick: fine}, prefill))
            == []
        )
    assert (
        run(cells.check_percent_fraction, forv, returned(forv, "upphandling", filled["upphandling"], prefill))
        == []
    )

    def sjukfranvaro(reports):
        figures = tables.personal(forv, reports).figures
        return figures.value("sjukfranvaro", "utfall"), figures.lacks("sjukfranvaro", "utfall")

    clean, lacking = sjukfranvaro(_reports(forv, prefill, filled, "hrservice", hr))
    assert calc.round_half_up(clean, 1) == D("5.0") and lacking == ()
    silent = sjukfranvaro(_reports(forv, prefill, filled, "hrservice", {**hr, sick: percent(0.055)}))
    assert silent == (clean, ())  # 5,5 % read as 5.5: the same figure
    value, lacking = sjukfranvaro(_reports(forv, prefill, filled, "hrservice", {**hr, sick: 0.055}))
    assert [u for u, _ in lacking] == ["hrservice"] and "procent skriven som andel" in lacking[0][1]
    heads = {u.id: filled[u.id][K.personnel("tillsvidare", K.Measure.UTFALL)] for u in forv.units}
    others = [u.id for u in forv.units if u.id != "hrservice"]
    expected = sum(D(str(filled[u][sick])) * heads[u] for u in others) / sum(heads[u] for u in others)
    assert value == expected  # the others, weighted; not 4,4 with HR's 0,055 in it


def test_check_signs(forv, prefill, filled):
    rw = returned(forv, "lkdata", {**filled["lkdata"], K.drift("personal", PROGNOS): 86_000_000}, prefill)
    (f,) = run(cells.check_signs, forv, rw)
    assert f.severity is FEL and "fel tecken" in f.message and "Personalkostnader" in f.message
    assert "86 000 000 kr" in f.message and "tkr" not in f.message
    assert f.gaps == (K.drift("personal", PROGNOS),)


def test_check_tkr_scale(forv, prefill, filled):
    typed_in_tkr = {
        k: v // 1000 if k.field == PROGNOS and isinstance(v, int) else v for k, v in filled["lkdata"].items()
    }
    rw = returned(forv, "lkdata", typed_in_tkr, prefill)
    (f,) = run(cells.check_tkr_scale, forv, rw)
    assert f.severity is FEL and "i tkr" in f.message and f.sheet == "Drift"
    assert set(f.gaps) == {K.drift(x, PROGNOS) for x in ("intakter", "personal", "lokal", "ovrigt")}
    assert run(cells.check_tkr_scale, forv, returned(forv, "lkdata", filled["lkdata"], prefill)) == []


def test_check_required(forv, prefill, filled):
    partial = {k: v for k, v in filled["lkdata"].items() if k != K.drift("lokal", PROGNOS)}
    found = run(cells.check_required, forv, returned(forv, "lkdata", partial, prefill))
    (f,) = [f for f in found if f.sheet == "Drift"]
    assert "Lokalkostnader" in f.message and f.gaps == (K.drift("lokal", PROGNOS),)
    assert run(cells.check_required, forv, returned(forv, "kontakt", filled["kontakt"], prefill)) == []
    chatt = K.volume("kontakt-chatt", K.Measure.PROGNOS)
    partial = {k: v for k, v in filled["kontakt"].items() if k != chatt}
    (f,) = run(cells.check_required, forv, returned(forv, "kontakt", partial, prefill))
    assert f.severity is VARNING and f.sheet == "Volymer" and f.gaps == (chatt,)
    assert "Varav chatt" in f.message
    count = K.personnel("tillsvidare", K.Measure.UTFALL)  # last year's may be empty, the period's not
    partial = {k: v for k, v in filled["kontakt"].items() if k != count}
    (f,) = run(cells.check_required, forv, returned(forv, "kontakt", partial, prefill))
    assert (f.severity, f.sheet, f.cell, f.gaps) == (VARNING, "Personal", "B5", (count,))
    assert "Antal tillsvidareanställda" in f.message
    # Without its Drift sheet, the unit's other sheets are still checked
    rw = returned(forv, "kontakt", {k: v for k, v in filled["kontakt"].items() if k != chatt}, prefill)
    rw = without_sheet(rw, "Drift")
    (f,) = run(cells.check_required, forv, rw)
    assert f.gaps == (chatt,)


def test_check_formulas(forv, prefill, filled):
    rw = returned(forv, "lkdata", filled["lkdata"], prefill)
    assert run(cells.check_formulas, forv, rw) == []
    drift_cells = dict(rw.sheets["Drift"].cells)
    drift_cells[(4, 3)] = RawCell(12345.0, CellType.NUMBER)  # Avvikelse for Intäkter typed over
    broken = dataclasses.replace(
        rw, sheets={**rw.sheets, "Drift": dataclasses.replace(rw.sheets["Drift"], cells=drift_cells)}
    )
    (f,) = run(cells.check_formulas, forv, broken)
    assert (f.sheet, f.cell) == ("Drift", "D5") and "formeln har skrivits över" in f.message
    # Text in a number cell: the program shows #VALUE! beside it, and the formula is intact
    text = {**filled["lkdata"], K.drift("intakter", PROGNOS): "ca 31 mkr"}
    shown = returned(forv, "lkdata", text, prefill, extra={("Drift", 4, 7): "#VALUE!"})
    assert run(cells.check_formulas, forv, shown) == []
    typed_over = returned(forv, "lkdata", filled["lkdata"], prefill, extra={("Drift", 4, 7): "#VALUE!"})
    assert [f.cell for f in run(cells.check_formulas, forv, typed_over)] == ["H5"]


# --- drift -------------------------------------------------------------------------------------


def test_check_significant_without_comment(forv, prefill, filled):
    rw = returned(forv, "elarande", filled["elarande"], prefill)  # explained on the Resultat row
    assert run(drift.check_significant_without_comment, forv, rw) == []
    silent = {k: v for k, v in filled["elarande"].items() if k.field != K.Drift.KOMMENTAR}
    (f,) = run(drift.check_significant_without_comment, forv, returned(forv, "elarande", silent, prefill))
    assert (
        f.severity is VARNING and f.cell == "J10" and "Personalkostnader perioden" in f.message
    )  # one per unit


def test_check_investment_without_comment(forv, prefill, filled):
    inputs = {k: v for k, v in filled["lkdata"].items() if k != K.invest("lkdata-it", K.Invest.KOMMENTAR)}
    (f,) = run(drift.check_investment_without_comment, forv, returned(forv, "lkdata", inputs, prefill))
    assert f.sheet == "Investeringar" and "investeringsramen" in f.message


def test_check_forecast_plausible(forv, prefill, filled):
    far = {**filled["lkdata"], K.drift("lokal", PROGNOS): -90_000_000}
    found = run(drift.check_forecast_plausible, forv, returned(forv, "lkdata", far, prefill))
    assert [f.severity for f in found] == [INFO] and "Lokalkostnader" in found[0].message
    assert (
        run(drift.check_forecast_plausible, forv, returned(forv, "lkdata", filled["lkdata"], prefill)) == []
    )
    # Near one method and far from the others is a forecast with a reason: nothing to ask
    spread = {K.drift("lokal", K.Drift.BUDGET_HELAR): -60_000_000}  # budgetrest ~ -60 mkr, the rest ~ -17
    rest = context(forv, returned(forv, "lkdata", filled["lkdata"], prefill, changed=spread)).amount(
        K.drift("lokal", K.Drift.FORSLAG_BUDGETREST)
    )
    assert rest is not None and rest < -50_000_000
    near_one = {**filled["lkdata"], K.drift("lokal", PROGNOS): float(rest)}
    rw = returned(forv, "lkdata", near_one, prefill, changed=spread)
    assert run(drift.check_forecast_plausible, forv, rw) == []


# --- activities and analysis ------------------------------------------------------------------


def _activity(forv, unit, status, comment):
    a = forv.activities_of(unit)[0]
    return a, {K.activity(a.id, K.Act.STATUS): status, K.activity(a.id, K.Act.KOMMENTAR): comment}


def test_check_status(forv, prefill, filled):
    _a, typed = _activity(forv, "kontakt", "Klart", "")
    (f,) = run(
        activities.check_status, forv, returned(forv, "kontakt", {**filled["kontakt"], **typed}, prefill)
    )
    assert "'Klart' finns inte" in f.message


def test_check_status_comment(forv, prefill, filled):
    _a, typed = _activity(forv, "kontakt", "Pausad", None)
    (f,) = run(
        activities.check_status_comment,
        forv,
        returned(forv, "kontakt", {**filled["kontakt"], **typed}, prefill),
    )
    assert "Status Pausad kräver en kommentar" in f.message


def test_check_deadline_passed(forv, prefill, filled):
    due = next(a for a in forv.activities_of("kontakt") if a.deadline.lower().startswith("tertial 1"))
    status, comment = K.activity(due.id, K.Act.STATUS), K.activity(due.id, K.Act.KOMMENTAR)
    base = filled["kontakt"]
    for finished in forv.finished_statuses:  # Klar, Anpassats and Ersatts are done
        rw = returned(forv, "kontakt", {**base, status: finished, comment: None}, prefill)
        assert run(activities.check_deadline_passed, forv, rw) == []
    rw = returned(forv, "kontakt", {**base, status: "Pågående", comment: "Förseningen beror på …"}, prefill)
    assert run(activities.check_deadline_passed, forv, rw) == []  # explained
    rw = returned(forv, "kontakt", {**base, status: "Pågående", comment: None}, prefill)
    (f,) = run(activities.check_deadline_passed, forv, rw)
    assert f.severity is VARNING and "har passerat" in f.message
    # the finished statuses come from the settings: where only Klar is done, Anpassats is not
    strict = dataclasses.replace(forv, finished_statuses=("Klar",))
    rw = returned(strict, "kontakt", {**base, status: "Anpassats", comment: None}, prefill)
    assert len(run(activities.check_deadline_passed, strict, rw)) == 1


def test_check_ready_mark(forv, prefill, filled):
    not_ready = {**filled["lkdata"], K.READY_KEY: "Nej"}
    (f,) = run(analysis.check_ready_mark, forv, returned(forv, "lkdata", not_ready, prefill))
    assert f.severity is VARNING and (f.sheet, f.cell) == ("Analys", "B12")
    for ready in ("Ja", "JA", " ja "):
        marked = {**filled["lkdata"], K.READY_KEY: ready}
        assert run(analysis.check_ready_mark, forv, returned(forv, "lkdata", marked, prefill)) == [], ready


# --- what a rule's gaps do ----------------------------------------------------------------------


def test_a_rejected_value_is_a_gap_in_every_figure_computed_from_it(forv, prefill, filled):
    rw = returned(forv, "kontakt", {**filled["kontakt"], K.drift("intakter", PROGNOS): "ca 31 mkr"}, prefill)
    ctx = context(forv, rw)
    found, used = checks.judged(ctx)
    assert used.values == ctx.without(found).values  # what the report uses
    values, gaps = used.values, used.gaps
    for key in (
        K.drift("intakter", PROGNOS),
        K.drift("intakter", K.Drift.AVVIKELSE_HELAR),
        K.drift(K.RESULTAT, PROGNOS),
        K.drift(K.RESULTAT, K.Drift.AVVIKELSE_HELAR),
    ):
        assert "'ca 31 mkr' är inget tal, Drift F5" in gaps[key], key
    assert used.amount(K.drift(K.RESULTAT, PROGNOS)) is None  # a judging rule sees no partial sum
    assert K.drift(K.SUMMA_KOSTNADER, PROGNOS) not in gaps  # costs are complete, and used
    costs = [x.id for x in forv.drift_lines if x.kind.value == "kostnad"]
    typed = sum(D(filled["kontakt"][K.drift(c, PROGNOS)]) for c in costs)
    assert values[K.drift(K.SUMMA_KOSTNADER, PROGNOS)] == typed < 0


def test_check_tkr_scale_on_investments(forv, prefill, filled):
    typed = {**filled["lkdata"], K.invest("lkdata-it", K.Invest.PROGNOS_UTGIFTER): 45_000}
    found = run(cells.check_tkr_scale, forv, returned(forv, "lkdata", typed, prefill))
    assert [(f.sheet, f.gaps) for f in found] == [
        ("Investeringar", (K.invest("lkdata-it", K.Invest.PROGNOS_UTGIFTER),))
    ]


def test_a_missing_sheet_is_a_gap_in_every_figure_from_it(forv, prefill, filled):
    rw = returned(forv, "kontakt", filled["kontakt"], prefill)
    rw = without_sheet(rw, "Drift")
    ctx = context(forv, rw)
    gaps = ctx.without(checks.check(ctx)).gaps
    for key in (
        K.drift("intakter", K.Drift.REDOVISAT),
        K.drift(K.RESULTAT, K.Drift.REDOVISAT),
        K.drift(K.RESULTAT, PROGNOS),
        K.drift(K.SUMMA_KOSTNADER, K.Drift.AVVIKELSE_HELAR),
    ):
        assert "Drift" in gaps[key], key
    assert K.volume("kontakt-chatt", K.Measure.PROGNOS) not in gaps  # the other sheets are used


def test_refused_values_are_not_judged(forv, prefill, filled):
    """A value refused for its sign is a gap: no rule asks the unit to explain the deviation it
    would have made, nor compares it with the forecast methods."""
    inputs = dict(filled["kontakt"])
    lokal = K.drift("lokal", PROGNOS)
    inputs[lokal] = -inputs[lokal]  # a cost typed as a positive amount
    ctx = context(forv, returned(forv, "kontakt", inputs, prefill))
    naive = [f for rule in checks.JUDGING_RULES for f in rule(ctx) if "Lokalkostnader" in f.message]
    assert naive  # judged on the raw values, the refused cost would be a deviation to explain
    found = checks.check(ctx)
    assert any("fel tecken" in f.message and lokal in f.gaps for f in found)
    judged = [f for f in found if f.severity is not FEL and "Lokalkostnader" in f.message]
    assert judged == []


def test_a_refused_budget_makes_no_deviation(forv, prefill, filled):
    """Locked amounts changed: the sheet's budgets are refused (gaps). A deviation against them is
    unknown, not the whole prognos against 0."""
    silent = {k: v for k, v in filled["lkdata"].items() if k.field != K.Drift.KOMMENTAR}
    rw = returned(forv, "lkdata", silent, prefill, changed={K.drift("intakter", K.Drift.BUDGET_HELAR): 1})
    found = checks.check(context(forv, rw))
    assert any("Låsta celler" in f.message for f in found)
    assert [f.message for f in found if "Väsentliga avvikelser" in f.message] == []


def test_a_template_made_before_sum_all_is_not_an_overwritten_formula(forv, prefill, filled):
    """Templates sent before SUM_ALL summed the previous prognoser a line lacked as 0: that partial
    sum (and the change beside it) is not reported as a formula the unit typed over."""
    from vss_excel.enhetsmall import layout
    from vss_excel.model import Prefill

    previous = {("lkdata", x.id, "foregaende_prognos"): D(-1000) for x in forv.drift_lines}
    del previous[("lkdata", "lokal", "foregaende_prognos")]
    merged = Prefill({**prefill.values, **previous})
    s = layout.build(forv, forv.unit("lkdata"), forv.period).sheet("Drift")
    at = {f: s.by_key[K.drift(K.RESULTAT, f)] for f in (K.Drift.FOREGAENDE_PROGNOS, K.Drift.FORANDRING)}
    old = {("Drift", c.row, c.col): -2000 for c in at.values()}  # what SUM gave: the partial sum
    rw = returned(forv, "lkdata", filled["lkdata"], merged, extra=old)
    assert run(cells.check_formulas, forv, rw) == []
    complete = Prefill({**merged.values, ("lkdata", "lokal", "foregaende_prognos"): D(-1000)})
    typed_over = returned(forv, "lkdata", filled["lkdata"], complete, extra=old)  # every line there
    found = run(cells.check_formulas, forv, typed_over)  # so -2000 is a real mismatch, still found
    assert "formeln har skrivits över" in found[0].message
