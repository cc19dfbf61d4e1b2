"""The classic workbook's buttons (XlwingsPort) through xlwings' own Office.js protocol.

The book is the committed Konsolidering.xlsm as Excel sends it (`xw.Book(json=…)`: its sheets, the
values of the Start sheet and of Texter, the defined names), the button's function runs on it, and
the actions xlwings records are applied to the workbook as Excel applies them (officejs.py). The
sheets it ends up with must hold what `vss-excel konsolidera` writes for the same inbox.

A JSON book's fullname is its name only, so the workbook's folder is the working folder: each test
changes into the folder the workbook sits in.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings as xw
from helpers import RESULT_SHEETS
from officejs import book_json, replay, typed, values
from openpyxl.styles import PatternFill

from vss_excel import cli, demo, settings
from vss_excel.cli import main
from vss_excel.excel import macros
from vss_excel.excel.build.xlsm import CONF_SHEET
from vss_excel.excel.macros import XlwingsPort
from vss_excel.model import Period
from vss_excel.rapport import prognossakerhet, texter

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "workbooks" / "Konsolidering.xlsm"
READ = ["Start", texter.NAME]  # the sheets the buttons read: the Start sheet's cells, the texts
STATUS_CELL = "B9"  # Start_Status
TEXT_CELL = f"{openpyxl.utils.get_column_letter(texter.TEXT_COL + 1)}5"  # the first section's text
SHEETS = ["Start", *RESULT_SHEETS, CONF_SHEET]  # the workbook's sheets as built
Click = tuple[Any, list[str], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    demo.run(out, workers=2)
    return out


def workbook(folder: Path, cells: dict[tuple[str, str], object] | None = None) -> Path:
    """The committed workbook in `folder`, with what the economist typed into it."""
    return typed(WORKBOOK, folder / "Konsolidering.xlsx", cells or {})


def click(button: Any, book_file: Path, out: Path) -> Click:
    """The button clicked in the workbook: the workbook after Excel applied the recorded actions
    (saved to `out`), the message boxes' texts, and the actions."""
    book = xw.Book(json=book_json(book_file, READ))
    button(XlwingsPort(book))
    actions = list(book.json()["actions"])
    replayed, alerts = replay(book_file, actions, out)
    return replayed, alerts, actions


def titles(actions: list[dict[str, Any]]) -> list[str]:
    return [a["args"][1] for a in actions if a["func"] == "alert"]


def fills(ws: Any) -> dict[tuple[int, int], tuple[int, int, int]]:
    """The solid fills of a sheet: (row, col) 0-based -> RGB."""
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.fill.fill_type == "solid":
                argb = c.fill.fgColor.rgb
                out[(c.row - 1, c.column - 1)] = (int(argb[2:4], 16), int(argb[4:6], 16), int(argb[6:8], 16))
    return out


def cli_konsolidering(inbox: Path, target: Path, *more: str) -> Any:
    """The CLI's Konsolidering workbook for the inbox (its archive beside it, unless given)."""
    main(["konsolidera", "--in", str(inbox), "--ut", str(target), *more])
    return openpyxl.load_workbook(target)


def assert_same_sheets(replayed: Any, theirs: Any, names: list[str]) -> None:
    """Every value of each sheet as the CLI's file has it (the economist's Texter column aside),
    and every fill: headers, marks and fel/varning, none left from an earlier run."""
    for name in names:
        skip = texter.TEXT_COL if name == texter.NAME else None
        assert values(replayed[name], skip) == values(theirs[name], skip), name
        if name != texter.NAME:  # its input column keeps the economist's own formats
            assert fills(replayed[name]) == fills(theirs[name]), name


# Konsolidera


def test_konsolidera_writes_what_the_cli_writes(demo_folder, tmp_path, monkeypatch):
    monkeypatch.chdir(demo_folder)  # the workbook sits beside the inbox: relative paths work
    own = "Förvaltningens egen text"
    book = workbook(tmp_path, {(texter.NAME, TEXT_CELL): own})
    marked = openpyxl.load_workbook(book)  # a mark left by an earlier run
    marked["Driftsammandrag"]["D61"].fill = PatternFill("solid", fgColor="FCE4D6")
    marked.save(book)
    replayed, alerts, actions = click(macros.konsolidera, book, tmp_path / "efter.xlsx")
    cli_book = cli_konsolidering(demo_folder / "inkorg", tmp_path / "cli.xlsx")
    assert cli_book.sheetnames == RESULT_SHEETS
    assert replayed.sheetnames == SHEETS  # no sheet added
    assert_same_sheets(replayed, cli_book, RESULT_SHEETS)
    assert replayed[texter.NAME][TEXT_CELL].value == own  # the economist's text stays
    assert (60, 3) not in fills(replayed["Driftsammandrag"])  # the earlier mark is gone
    assert fills(replayed["Driftsammandrag"])  # the headers' fill is set again
    status = replayed["Start"][STATUS_CELL].value
    assert "Konsoliderat jan–okt 2020: 9 filer lästa, 9 används. 0 fel" in status
    assert alerts == []  # no fel: no message box
    assert {a["func"] for a in actions} <= {"setValues", "rangeClearContents", "setRangeColor"}


def test_konsolidera_at_year_end_adds_prognossakerhet_as_the_cli_has_it(demo_folder, tmp_path, monkeypatch):
    """December, with the year's earlier periods in the demo's year-end archive: the sheet the
    workbook lacks is added last, with the CLI's figures (it used to end in 'ett oväntat fel')."""
    year_end = demo_folder / demo.YEAR_END_FOLDER
    mine, theirs = tmp_path / "knapp", tmp_path / "cli"
    for folder in (mine, theirs):
        for sub in ("inkorg", "mallar", "arkiv"):
            shutil.copytree(year_end / sub, folder / sub)
    monkeypatch.chdir(mine)
    book = workbook(mine, {("Start", "B3"): "2020-12"})
    replayed, alerts, _ = click(macros.konsolidera, book, tmp_path / "efter.xlsx")
    cli_book = cli_konsolidering(theirs / "inkorg", theirs / "cli.xlsx", "--period", "2020-12")
    assert cli_book.sheetnames == [*RESULT_SHEETS, prognossakerhet.NAME]
    assert replayed.sheetnames == [*SHEETS, prognossakerhet.NAME]
    assert_same_sheets(replayed, cli_book, [*RESULT_SHEETS, prognossakerhet.NAME])
    added = values(replayed[prognossakerhet.NAME])
    assert any(isinstance(v, int | float) for v in added.values())  # figures, not only dashes
    periods = {v for (_, c), v in added.items() if c == 1 and isinstance(v, str) and "2020" in v}
    assert periods == {"jan–aug 2020", "jan–okt 2020"}, periods
    status = replayed["Start"][STATUS_CELL].value
    assert "Konsoliderat jan–dec 2020: 9 filer lästa, 9 används." in status, status
    assert "oväntat" not in status and alerts == []


def test_konsolidera_adds_a_sheet_deleted_by_hand_whole(demo_folder, tmp_path, monkeypatch):
    """Texter deleted: it comes back last with every column, the economist's too (its header)."""
    monkeypatch.chdir(demo_folder)
    book = workbook(tmp_path, {("", texter.NAME): None})
    replayed, alerts, _ = click(macros.konsolidera, book, tmp_path / "efter.xlsx")
    cli_book = cli_konsolidering(demo_folder / "inkorg", tmp_path / "cli.xlsx")
    assert replayed.sheetnames == [s for s in SHEETS if s != texter.NAME] + [texter.NAME]
    assert values(replayed[texter.NAME]) == values(cli_book[texter.NAME])
    assert alerts == []


def test_konsolidera_with_a_bad_inbox_says_so_and_does_not_raise(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = workbook(tmp_path, {("Start", "B6"): "finns-inte"})
    replayed, alerts, actions = click(macros.konsolidera, book, tmp_path / "efter.xlsx")
    assert "Konsolidera avbröts: Inkorgen" in replayed["Start"][STATUS_CELL].value
    assert len(alerts) == 1 and "finns-inte" in alerts[0] and titles(actions) == ["Konsolidera"]
    (tmp_path / "inkorg").mkdir()
    book = workbook(tmp_path, {("Start", "B6"): "inkorg", ("Start", "B3"): "2020-13"})
    replayed, alerts, _ = click(macros.konsolidera, book, tmp_path / "efter.xlsx")
    assert "Ogiltig period" in alerts[-1]
    assert "Konsolidera avbröts: Ogiltig period" in replayed["Start"][STATUS_CELL].value


def test_konsolidera_with_errors_shows_a_message_box(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    (inbox / "Trasig.xlsx").write_bytes(b"inte en arbetsbok")
    replayed, alerts, _ = click(macros.konsolidera, workbook(tmp_path), tmp_path / "efter.xlsx")
    (prompt,) = alerts
    assert "Trasig.xlsx" in prompt and "[fel]" in prompt
    assert "Trasig.xlsx" in values(replayed["Kontroll"]).values()
    # no unit returned a usable file: every unit's figure is missing, and marked, in the open workbook
    drift = replayed["Driftsammandrag"]
    missing = {rc for rc, v in values(drift).items() if v == "saknas"}
    assert missing and missing <= set(fills(drift))
    assert "Summorna är ofullständiga (0 av 9 enheter)" in replayed["Start"][STATUS_CELL].value


# Skapa mallar and the settings


def test_skapa_mallar_writes_the_templates_beside_the_workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    replayed, alerts, _ = click(macros.skapa_mallar, workbook(tmp_path), tmp_path / "efter.xlsx")
    assert len(list((tmp_path / "mallar").glob("VSS 2020-10 *.xlsx"))) == 9
    assert "9 mallar för jan–okt 2020" in replayed["Start"][STATUS_CELL].value and alerts == []
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "mallar").glob("VSS 2020-10 *.xlsx")}
    # again: the templates are there, none is overwritten
    replayed, alerts, _ = click(macros.skapa_mallar, tmp_path / "efter.xlsx", tmp_path / "igen.xlsx")
    assert "finns redan" in alerts[-1]
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "mallar").glob("VSS 2020-10 *.xlsx")} == before
    kontroll = replayed["Kontroll"]
    assert kontroll["A1"].value == "Allvar" and kontroll["A2"].value == "fel"
    assert fills(kontroll)[(0, 4)] == (0xDD, 0xEB, 0xF7) and fills(kontroll)[(1, 0)] == (0xFF, 0xC7, 0xCE)


def test_the_button_and_the_cli_take_the_same_kind_of_report_for_a_period(tmp_path, monkeypatch):
    """April is a tertial: a month other than the settings' (October, delår) is another report."""
    monkeypatch.chdir(tmp_path)  # no vss-excel.toml found: the VSS settings
    book = xw.Book(json=book_json(workbook(tmp_path, {("Start", "B3"): "2021-04"}), READ))
    _, from_button, example = macros._settings(XlwingsPort(book))
    _, from_cli = cli._settings(argparse.Namespace(installningar=None, period="2021-04"))
    assert from_button == from_cli == Period(2021, 4, "tertialrapport") and example
    empty = xw.Book(json=book_json(workbook(tmp_path, {("Start", "B3"): None}), READ))
    assert macros._settings(XlwingsPort(empty))[1] == settings.load_default().period  # the settings' own


def test_a_click_does_not_load_what_its_job_does_not_use():
    code = (
        "import sys, vss_excel.excel.macros; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'docxtpl', 'docx') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_text_that_excel_would_read_as_a_formula_is_written_as_text():
    assert macros.as_excel_text("=SUMMA(A1)") == "'=SUMMA(A1)"
    assert macros.as_excel_text("-5 tkr") == "'-5 tkr"
    assert macros.as_excel_text("Klar") == "Klar"
    assert macros.as_excel_text(-5.0) == -5.0


# Skapa rapport


def test_skapa_rapport_takes_the_texts_from_the_open_workbook(demo_folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the report is written beside the workbook
    book = workbook(tmp_path, {("Start", "B6"): str(demo_folder / "inkorg")})
    click(macros.konsolidera, book, tmp_path / "konsoliderad.xlsx")
    own = "Förvaltningen samlar kommunens interna tjänster."
    written = typed(
        tmp_path / "konsoliderad.xlsx", tmp_path / "skrivet.xlsx", {(texter.NAME, TEXT_CELL): own}
    )
    replayed, alerts, _ = click(macros.skapa_rapport, written, tmp_path / "efter.xlsx")
    stem = "Delårsrapport Verksamhetsstöd och service 2020-10"
    assert f"Rapporten skrevs: {stem}.docx, {stem}.pdf." in replayed["Start"][STATUS_CELL].value
    assert alerts == []
    from docx import Document

    doc = Document(str(tmp_path / f"{stem}.docx"))
    assert any(p.text == own for p in doc.paragraphs)


def test_skapa_rapport_without_the_texter_sheet_writes_the_report_without_texts(
    demo_folder, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    cells = {("Start", "B6"): str(demo_folder / "inkorg"), ("", texter.NAME): None}
    replayed, alerts, _ = click(macros.skapa_rapport, workbook(tmp_path, cells), tmp_path / "efter.xlsx")
    status = replayed["Start"][STATUS_CELL].value
    assert "Rapporten skrevs: Delårsrapport" in status and "oväntat" not in status, status
    assert alerts == []
