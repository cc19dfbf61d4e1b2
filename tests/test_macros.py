"""The buttons' Python side, driven through the real xlwings adapter against a stand-in book.

The stand-in implements only the xlwings calls XlwingsPort makes, with Excel's own rules for
them (a text that starts with an apostrophe is stored without it); the sheets it ends up with
must equal what `vss-excel konsolidera` writes for the same inbox.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from helpers import RESULT_SHEETS

from vss_excel import demo, settings
from vss_excel.cli import main
from vss_excel.excel import macros
from vss_excel.excel.macros import START_CELLS, STATUS, XlwingsPort
from vss_excel.model import Period
from vss_excel.rapport import texter


def _a1(address: str) -> tuple[int, int]:
    letters = "".join(ch for ch in address if ch.isalpha())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(address[len(letters) :]) - 1, col - 1


class FakeRange:
    def __init__(self, sheet: FakeSheet, row: int, col: int, last_col: int | None = None) -> None:
        self.sheet, self.row, self.col = sheet, row, col
        self.last_col = col if last_col is None else last_col

    @property
    def color(self) -> object:
        return self.sheet.colors.get((self.row, self.col))

    @color.setter
    def color(self, rgb: tuple[int, int, int] | None) -> None:
        assert rgb is None or (len(rgb) == 3 and all(0 <= x <= 255 for x in rgb))  # xlwings: an RGB tuple
        for c in range(self.col, self.last_col + 1):
            self.sheet.colors[(self.row, c)] = rgb

    @property
    def value(self) -> object:
        return self.sheet.data.get((self.row, self.col))

    @value.setter
    def value(self, v: object) -> None:
        rows = v if isinstance(v, list) and v and isinstance(v[0], list) else [[v]]
        for r, row in enumerate(rows):
            for c, x in enumerate(row):
                if isinstance(x, str) and x.startswith("'"):
                    x = x[1:]  # Excel keeps the text, not the apostrophe
                if x is None or x == "":
                    self.sheet.data.pop((self.row + r, self.col + c), None)
                else:
                    self.sheet.data[(self.row + r, self.col + c)] = x


class FakeCells:
    def __init__(self, sheet: FakeSheet) -> None:
        self.sheet = sheet

    def clear_contents(self) -> None:
        self.sheet.data.clear()

    @property
    def color(self) -> None:
        return None

    @color.setter
    def color(self, rgb: None) -> None:
        assert rgb is None
        self.sheet.colors.clear()


class FakeSheet:
    def __init__(self, name: str) -> None:
        self.name, self.data = name, {}
        self.colors: dict[tuple[int, int], object] = {}
        self.cells = FakeCells(self)

    @property
    def used_range(self) -> FakeUsed:
        return FakeUsed(self)

    def range(self, address: str | tuple[int, int], last: tuple[int, int] | None = None) -> FakeRange:
        if isinstance(address, tuple):  # xlwings: (row, column), 1-based; a second cell ends the range
            assert last is None or last[0] == address[0]  # the macros colour runs within a row
            return FakeRange(self, address[0] - 1, address[1] - 1, None if last is None else last[1] - 1)
        return FakeRange(self, *_a1(address))


class FakeUsed:
    """xlwings' used_range.value: the rows from A1 to the last cell with a value."""

    def __init__(self, sheet: FakeSheet) -> None:
        self.sheet = sheet

    @property
    def value(self) -> list[list[object]]:
        rows = max((r for r, _ in self.sheet.data), default=0) + 1
        cols = max((c for _, c in self.sheet.data), default=0) + 1
        return [[self.sheet.data.get((r, c)) for c in range(cols)] for r in range(rows)]


class FakeName:
    def __init__(self, rng: FakeRange) -> None:
        self.refers_to_range = rng


class FakeApp:
    def __init__(self) -> None:
        self.alerts: list[tuple[str, str]] = []

    def alert(self, prompt: str, title: str = "") -> None:
        self.alerts.append((prompt, title))


class FakeBook:
    """Only what XlwingsPort touches: names, sheets, app.alert, fullname."""

    def __init__(self, folder: Path, sheets: list[str]) -> None:
        self.fullname = str(folder / "Konsolidering.xlsm")
        self.sheets = {name: FakeSheet(name) for name in ["Start", *sheets]}
        self.app = FakeApp()
        self.names = {}
        values = macros.start_values(settings.load_default())  # as the built workbook has them
        for i, (name, _label) in enumerate(START_CELLS, 2):
            rng = self.sheets["Start"].range(f"B{i + 1}")
            rng.value = values[name]
            self.names[name] = FakeName(rng)
        self.names[STATUS] = FakeName(self.sheets["Start"].range("B9"))


SHEETS = RESULT_SHEETS


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    demo.run(out, workers=2)
    return out


def test_konsolidera_writes_what_the_cli_writes(demo_folder, tmp_path):
    book = FakeBook(demo_folder, SHEETS)  # the workbook sits beside the inbox: relative paths work
    written = (4, texter.TEXT_COL)  # the economist's own text for the first section
    book.sheets[texter.NAME].data[written] = "Förvaltningens egen text"
    book.sheets["Driftsammandrag"].colors[(60, 3)] = (252, 228, 214)  # a mark left by an earlier run
    macros.konsolidera(XlwingsPort(book))
    assert book.sheets[texter.NAME].data.pop(written) == "Förvaltningens egen text"  # kept
    cli_file = tmp_path / "cli.xlsx"
    assert main(["konsolidera", "--in", str(demo_folder / "inkorg"), "--ut", str(cli_file)]) == 0
    cli = openpyxl.load_workbook(cli_file)
    assert cli.sheetnames == SHEETS
    for name in SHEETS:
        ws = cli[name]
        expected = {
            (c.row - 1, c.column - 1): c.value
            for row in ws.iter_rows()
            for c in row
            if c.value not in (None, "") and not (name == texter.NAME and c.column - 1 == texter.TEXT_COL)
        }
        assert book.sheets[name].data == expected, name
        if name != texter.NAME:  # its input column keeps the economist's own formats
            # the fills too: headers and fel/varning as the CLI's file has them; the earlier mark gone
            assert {rc: rgb for rc, rgb in book.sheets[name].colors.items() if rgb} == fills(ws), name
    assert any(book.sheets["Driftsammandrag"].colors.values())  # the headers' fill is set again
    status = book.names[STATUS].refers_to_range.value
    assert "Konsoliderat jan–okt 2020: 9 filer lästa, 9 används. 0 fel" in status
    assert book.app.alerts == []  # no fel: no message box


def fills(ws) -> dict[tuple[int, int], tuple[int, int, int]]:
    """The solid fills of an openpyxl sheet, as xlwings gives colours: (row, col) 0-based -> RGB."""
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.fill.fill_type == "solid":
                argb = c.fill.fgColor.rgb
                out[(c.row - 1, c.column - 1)] = (int(argb[2:4], 16), int(argb[4:6], 16), int(argb[6:8], 16))
    return out


def test_konsolidera_with_a_bad_inbox_says_so_and_does_not_raise(tmp_path):
    book = FakeBook(tmp_path, SHEETS)
    book.names["Start_Inkorg"].refers_to_range.value = "finns-inte"
    macros.konsolidera(XlwingsPort(book))
    assert "Konsolidera avbröts: Inkorgen" in book.names[STATUS].refers_to_range.value
    ((prompt, title),) = book.app.alerts
    assert title == "Konsolidera" and "finns-inte" in prompt
    (tmp_path / "inkorg").mkdir()
    book.names["Start_Inkorg"].refers_to_range.value = "inkorg"
    book.names["Start_Period"].refers_to_range.value = "2020-13"
    macros.konsolidera(XlwingsPort(book))
    assert "Ogiltig period" in book.app.alerts[-1][0]


def test_konsolidera_with_errors_shows_a_message_box(demo_folder, tmp_path):
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    (inbox / "Trasig.xlsx").write_bytes(b"inte en arbetsbok")
    book = FakeBook(tmp_path, SHEETS)
    macros.konsolidera(XlwingsPort(book))
    ((prompt, _),) = book.app.alerts
    assert "Trasig.xlsx" in prompt and "[fel]" in prompt
    kontroll = book.sheets["Kontroll"].data
    assert any(v == "Trasig.xlsx" for v in kontroll.values())
    # no unit returned a usable file: every unit's figure is missing, and marked, in the open workbook
    drift = book.sheets["Driftsammandrag"]
    missing = {rc for rc, v in drift.data.items() if v == "saknas"}
    assert missing and missing <= set(drift.colors)
    assert "Summorna är ofullständiga (0 av 9 enheter)" in book.names[STATUS].refers_to_range.value


def test_skapa_mallar_writes_the_templates_beside_the_workbook(tmp_path):
    book = FakeBook(tmp_path, SHEETS)
    macros.skapa_mallar(XlwingsPort(book))
    assert len(list((tmp_path / "mallar").glob("VSS 2020-10 *.xlsx"))) == 9
    assert "9 mallar för jan–okt 2020" in book.names[STATUS].refers_to_range.value
    macros.skapa_mallar(XlwingsPort(book))  # again: the files are there, none is overwritten
    assert "finns redan" in book.app.alerts[-1][0]
    kontroll = book.sheets["Kontroll"]
    assert kontroll.data[(0, 0)] == "Allvar" and kontroll.data[(1, 0)] == "fel"
    assert kontroll.colors[(0, 4)] == (0xDD, 0xEB, 0xF7) and kontroll.colors[(1, 0)] == (0xFF, 0xC7, 0xCE)


def test_the_button_and_the_cli_take_the_same_kind_of_report_for_a_period(tmp_path, monkeypatch):
    """April is a tertial: a month other than the settings' (October, delår) is another report."""
    import argparse

    from vss_excel import cli

    monkeypatch.chdir(tmp_path)  # no vss-excel.toml found: the VSS settings
    book = FakeBook(tmp_path, SHEETS)
    book.names["Start_Period"].refers_to_range.value = "2021-04"
    _, from_button, example = macros._settings(XlwingsPort(book))
    _, from_cli = cli._settings(argparse.Namespace(installningar=None, period="2021-04"))
    assert from_button == from_cli == Period(2021, 4, "tertialrapport") and example
    book.names["Start_Period"].refers_to_range.value = None  # empty: the settings' own period
    assert macros._settings(XlwingsPort(book))[1] == settings.load_default().period


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


def test_skapa_rapport_takes_the_texts_from_the_open_workbook(demo_folder):
    book = FakeBook(demo_folder, SHEETS)
    macros.konsolidera(XlwingsPort(book))
    book.sheets[texter.NAME].data[(4, texter.TEXT_COL)] = "Förvaltningen samlar kommunens interna tjänster."
    macros.skapa_rapport(XlwingsPort(book))
    status = book.names[STATUS].refers_to_range.value
    assert "Rapporten skrevs: Delårsrapport Verksamhetsstöd och service 2020-10.docx" in status
    from docx import Document

    doc = Document(str(demo_folder / "Delårsrapport Verksamhetsstöd och service 2020-10.docx"))
    assert any(p.text == "Förvaltningen samlar kommunens interna tjänster." for p in doc.paragraphs)
