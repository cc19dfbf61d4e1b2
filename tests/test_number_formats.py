"""Number formats on real files: what a unit types in Excel (5,5 %, a date, TRUE, 1,23E+31),
the workbook saved by LibreOffice, then `vss-excel konsolidera` on the inbox. Every case is a
finding on its cell or the figure the unit meant, never a silent wrong figure nor a crash."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from vss_excel import demo, libreoffice, settings
from vss_excel import keys as K
from vss_excel.enhetsmall import layout
from vss_excel.enhetsmall.values import boolean
from vss_excel.enhetsmall.xlsx import NumberFormat, XlsxFile
from vss_excel.konsolidera import job

SICK = K.personnel("sjukfranvaro", K.Measure.UTFALL)
HEADS = K.personnel("tillsvidare", K.Measure.UTFALL)
PROGNOS = K.Drift.PROGNOS

# (unit, key) -> (value, number format) as the unit's program stores what was typed.
TYPED = {
    ("hrservice", SICK): (0.055, "0.0%"),  # 5,5 % typed in Excel: 0.055 in a percent format
    ("kontakt", SICK): (0.065, None),  # 0,065 where 6,5 was meant, the cell's 0.0 format kept
    ("lkdata", K.drift("personal", PROGNOS)): (dt.date(2020, 10, 31), "yyyy-mm-dd"),  # a date
    ("ekonomiservice", K.drift("intakter", PROGNOS)): (True, None),  # TRUE, a boolean in Excel
    # What LibreOffice stores for a cell its boolean format shows as TRUE (see test_xlsx_reader)
    ("stadsarkivet", K.drift("lokal", PROGNOS)): (2, '"TRUE";"TRUE";"FALSE"'),
    ("elarande", K.drift("ovrigt", PROGNOS)): (1.23e31, None),  # beyond what Decimal rounds
    # A locked amount changed (the sheet unprotected): the säsong forecast divides by it
    ("loneservice", K.drift("personal", K.Drift.REDOVISAT_FG)): (1e-300, None),
}


@pytest.fixture(scope="module")
def forv():
    return settings.load_default()


@pytest.fixture(scope="module")
def inbox(forv, soffice, tmp_path_factory) -> Path:
    """Every unit's demo figures typed into its template, the cases above with them, each file
    saved by LibreOffice into the inbox."""
    root = tmp_path_factory.mktemp("formats")
    demo.run(root / "demo", workers=2, report=False)
    data = demo.load_demo()
    filled = root / "ifyllda"
    filled.mkdir()
    files = []
    for unit in forv.units:
        wl = layout.build(forv, unit, forv.period)
        src = next((root / "demo" / "mallar").glob(f"* {unit.name}.xlsx"))
        wb = openpyxl.load_workbook(src)
        typed = {key: v for (u, key), v in TYPED.items() if u == unit.id}
        inputs = {key: (value, None) for key, value in demo.unit_inputs(forv, unit, data).items()}
        for key, (value, fmt) in {**inputs, **typed}.items():
            found = wl.find(key)
            assert found is not None
            s, spec = found
            cell = wb[s.name].cell(row=spec.row + 1, column=spec.col + 1)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            if fmt is not None:
                cell.number_format = fmt
        dst = filled / src.name
        wb.save(dst)
        files.append(dst)
    out = root / "inkorg"
    libreoffice.convert(files, out)
    return out


def _file(inbox: Path, forv, unit_id: str) -> Path:
    return next(inbox.glob(f"* {forv.unit(unit_id).name}.xlsx"))


def test_libreoffice_kept_what_was_typed(inbox, forv):
    """The saved files hold what the cases are about (else the test below proves nothing)."""
    for (unit, key), (_, fmt) in TYPED.items():
        if unit == "loneservice":
            continue
        s, spec = layout.build(forv, forv.unit(unit), forv.period).find(key)
        cell = (
            XlsxFile.open(_file(inbox, forv, unit).read_bytes())
            .sheet(s.name, 200, 30)
            .cells[spec.row, spec.col]
        )
        want = {
            "0.0%": NumberFormat.PERCENT,
            "yyyy-mm-dd": NumberFormat.DATE,
            '"TRUE";"TRUE";"FALSE"': NumberFormat.BOOL_FORMAT,
        }.get(fmt or "", NumberFormat.NUMBER)
        assert cell.number_format is want, (unit, cell)
    # Excel's TRUE comes back from LibreOffice as =TRUE(), whose result it stores as the number 1
    # in the cell's tkr format (t="n"); values.boolean knows it for the TRUE it is.
    s, spec = layout.build(forv, forv.unit("ekonomiservice"), forv.period).find(K.drift("intakter", PROGNOS))
    cell = (
        XlsxFile.open(_file(inbox, forv, "ekonomiservice").read_bytes())
        .sheet(s.name, 200, 30)
        .cells[spec.row, spec.col]
    )
    assert (cell.value, cell.formula, boolean(cell)) == (1, "TRUE()", True)


def test_konsolidera_says_what_each_cell_holds_without_a_traceback(inbox, tmp_path):
    command = ["konsolidera", "--in", str(inbox), "--ut", str(tmp_path / "K.xlsx"), "--json"]
    run = subprocess.run(
        [sys.executable, "-m", "vss_excel.cli", *command],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 1, run.stderr  # FEL findings, the consolidation written
    assert (tmp_path / "K.xlsx").is_file()
    found = json.loads(run.stdout)
    by_unit: dict[str, list[str]] = {}
    for f in found:
        by_unit.setdefault(f["enhet"], []).append(f"{f['blad']} {f['cell']}: {f['meddelande']}")
    assert not [f for f in found if "avbrytas" in f["meddelande"]]  # no file crashed its reading
    assert by_unit["lkdata"] == [
        "Drift F6: Cellen visar 2020-10-31: ett datum, inte ett belopp. Skriv beloppet i hela kronor med "
        "bara siffror (cellens talformat kan behöva sättas till Tal). Värdet har inte använts."
    ]  # not 44 135 kronor, neither a cost with the wrong sign nor a prognos in tkr
    assert by_unit["ekonomiservice"] == [
        "Drift F5: 'SANT' är inget tal. Skriv bara siffror (kronor utan 'kr', mellanslag eller text); "
        "värdet har inte använts."
    ]
    assert by_unit["stadsarkivet"] == [
        "Drift F7: 'SANT' är inget tal. Skriv bara siffror (kronor utan 'kr', mellanslag eller text); "
        "värdet har inte använts."
    ]
    assert by_unit["elarande"] == [
        "Drift F8: Talet 1,23E+31 är orimligt stort: inget belopp eller tal i mallen är i närheten av "
        "det. Be enheten skriva rätt värde; värdet har inte använts."
    ]
    assert by_unit["kontakt"] == [
        "Personal B6: Total sjukfrånvaro (%): 0,065 ser ut att vara en andel, inte procent (samma period "
        "föregående år är det 5). Procent anges som tal: 6,5 för 6,5 %. Värdet har inte använts; be "
        "enheten rätta det."
    ]
    assert "hrservice" not in by_unit  # 5,5 % is 5,5
    assert [
        m for m in by_unit["loneservice"] if "Låsta celler" in m and "har ändrats" in m
    ]  # read to the end


def test_the_figures_are_what_the_units_meant_or_marked(inbox, forv):
    result = job.consolidate_folder(inbox, forv, forv.period, None)
    reports = result.reports
    assert reports["hrservice"].amount(SICK) == D("5.5")
    for unit, key in [(u, k) for (u, k) in TYPED if u != "hrservice"]:
        assert reports[unit].amount(key) is None and reports[unit].gap(key), (unit, key)
    assert reports["loneservice"].gap(K.drift("personal", K.Drift.FORSLAG_SASONG))
    # The förvaltning's sjukfrånvaro: weighted by headcount over the units it has, HR at 5,5;
    # it says it lacks Kontakt (0,065 would have pulled it down without a word).
    figures = result.tables.personal.figures
    data = demo.load_demo()
    typed = {u.id: demo.unit_inputs(forv, u, data) for u in forv.units}
    used = [u.id for u in forv.units if u.id != "kontakt"]
    expected = sum(D(str(typed[u][SICK])) * typed[u][HEADS] for u in used) / sum(
        typed[u][HEADS] for u in used
    )
    assert typed["hrservice"][SICK] == 5.5
    assert figures.value("sjukfranvaro", "utfall") == expected
    assert [u for u, _ in figures.lacks("sjukfranvaro", "utfall")] == ["kontakt"]
    # The result rows lack the units whose prognos was refused; none is summed as 0 or 44 135
    lacking = {u for u, _ in result.tables.drift.all_lacking()}
    assert {"lkdata", "ekonomiservice", "stadsarkivet", "elarande", "loneservice"} <= lacking
