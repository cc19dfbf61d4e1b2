"""Konsolidering Lite through xlwings' own Office.js protocol, as xlwings Lite runs it in Excel.

The book is built as Excel sends it (`xw.Book(json=…)`: the sheets' values and the defined names,
from the built Konsolidering Lite.xlsx with what the economist typed), the scripts are called by
xlwings' `custom_scripts_call`, and the actions they return are applied to the workbook as Excel
applies them (officejs.py). The result must be what `vss-excel konsolidera` writes: every value of
every result sheet, and its look. The functions go through `custom_functions_meta` and
`custom_functions_call` with the payload Excel sends for a cell.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections import Counter
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings as xw
from helpers import RESULT_SHEETS
from officejs import replay, run_script, typed, values
from xlwings.server import custom_functions_call, custom_functions_meta, custom_scripts_meta

from vss_excel import calc, demo
from vss_excel.cli import main
from vss_excel.excel import lite, udfs
from vss_excel.excel.build import lite as build
from vss_excel.excel.macros import STATUS
from vss_excel.rapport import texter
from vss_excel.rapport.xlsx import STYLES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    demo.run(out, workers=2)
    assert main(["arbetsbok", "--lite", "--ut", str(out)]) == 0
    return out


# What Konsolidera writes, compared with the CLI's workbook.


def look(cell: Any) -> tuple[object, ...]:
    """What the economist sees of a cell besides its value."""
    fill = cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None
    rgb = cell.font.color.rgb if cell.font.color is not None else None
    return (
        cell.number_format,
        bool(cell.font.b),
        bool(cell.font.i),
        cell.font.sz,
        rgb[-6:] if isinstance(rgb, str) else None,
        fill,
        bool(cell.alignment.wrap_text),
        cell.alignment.horizontal,
        cell.alignment.vertical,
        *(_line(getattr(cell.border, edge)) for edge in ("top", "bottom", "left", "right")),
    )


def _line(side: Any) -> tuple[object, object]:
    rgb = side.color.rgb if side.style and side.color is not None else None
    return side.style, rgb[-6:] if isinstance(rgb, str) else None


def widths(ws: Any) -> dict[int, int]:
    """Every column's width in pixels as Excel draws it (0-based column); a <col> may span several."""
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.customWidth or dim.width:
            for c in range(dim.min, dim.max + 1):
                out[c - 1] = round(dim.width * 7)
    return out


def assert_same_sheets(replayed: Any, cli: Any, sheets: list[str]) -> None:
    for name in sheets:
        mine, theirs = replayed[name], cli[name]
        skip = texter.TEXT_COL if name == texter.NAME else None
        assert values(mine, skip) == values(theirs, skip), name
        if name == texter.NAME:  # the economist's sheet: its formats are the workbook's, never redone
            continue
        for row in theirs.iter_rows():
            for c in row:
                assert look(mine[c.coordinate]) == look(c), (name, c.coordinate)
        drawn = widths(mine)
        for col, px in widths(theirs).items():  # XlsxWriter's include Excel's padding of 5 pixels
            assert abs(drawn[col] - (px - 5)) <= 1, (name, col)
        heights = {r: d.height for r, d in theirs.row_dimensions.items() if d.height}
        assert {r: mine.row_dimensions[r].height for r in heights} == heights, name
        assert {str(m) for m in mine.merged_cells.ranges} == {str(m) for m in theirs.merged_cells.ranges}


def cli_konsolidering(inbox: Path, out: Path) -> Any:
    target = out / "cli.xlsx"
    main(["konsolidera", "--in", str(inbox), "--ut", str(target), "--arkiv", str(out / "arkiv")])
    return openpyxl.load_workbook(target)


def test_konsolidera_through_xlwings_protocol_writes_what_the_cli_writes(demo_folder, tmp_path, monkeypatch):
    monkeypatch.chdir(demo_folder)  # Lite's /data: the inbox 'inkorg' is there
    own = "Förvaltningens egen text"
    book = typed(demo_folder / build.FILE_NAME, tmp_path / "bok.xlsx", {(texter.NAME, "B5"): own})
    actions = run_script("konsolidera", book)
    replayed, alerts = replay(book, actions, tmp_path / "efter.xlsx")
    cli = cli_konsolidering(demo_folder / "inkorg", tmp_path)
    assert cli.sheetnames == RESULT_SHEETS
    assert replayed.sheetnames == ["Start", *RESULT_SHEETS]
    assert_same_sheets(replayed, cli, RESULT_SHEETS)
    assert replayed[texter.NAME]["B5"].value == own  # the economist's text stays
    status = replayed["Start"]["B9"].value
    assert "Konsoliderat jan–okt 2020: 9 filer lästa, 9 används. 0 fel" in status
    assert alerts == []
    # few calls: each result sheet's values in one, its look in whole blocks
    written = Counter(a["sheet_position"] for a in actions if a["func"] == "setValues")
    assert all(written[replayed.sheetnames.index(n)] == 1 for n in RESULT_SHEETS if n != texter.NAME)
    cells = sum(len(values(cli[n])) for n in RESULT_SHEETS)
    assert len(actions) < cells / 2, (len(actions), cells)  # the look too in blocks, not per cell


def test_konsolidera_marks_the_totals_a_missing_unit_leaves_incomplete(demo_folder, tmp_path, monkeypatch):
    """A unit's file missing: its figures 'saknas' and every total lacking it is marked, as in the
    CLI's file; a sheet the economist deleted is added again."""
    inbox = tmp_path / "inkorg"
    files = sorted((demo_folder / "inkorg").glob("*.xlsx"))
    inbox.mkdir()
    for f in files[1:]:
        shutil.copy(f, inbox)
    monkeypatch.chdir(tmp_path)
    book = typed(demo_folder / build.FILE_NAME, tmp_path / "bok.xlsx", {("", "Källor"): None})
    replayed, alerts = replay(book, run_script("konsolidera", book), tmp_path / "efter.xlsx")
    cli = cli_konsolidering(inbox, tmp_path / "cli")
    assert replayed.sheetnames == ["Start", *RESULT_SHEETS]  # Källor added again, last as before
    assert_same_sheets(replayed, cli, RESULT_SHEETS)
    drift = cli["Driftsammandrag"]
    marked = [
        c for row in drift.iter_rows() for c in row if c.fill.fill_type == "solid" and c.value == "saknas"
    ]
    assert marked and all(look(replayed["Driftsammandrag"][c.coordinate]) == look(c) for c in marked)
    assert any(" *" in c.number_format for row in drift.iter_rows() for c in row)  # totals marked
    status = replayed["Start"]["B9"].value
    assert "8 filer lästa" in status and "Summorna är ofullständiga (8 av 9 enheter)" in status
    fel = [r[5].value for r in cli["Kontroll"].iter_rows() if r[4].value == "fel"]  # Allvar, Vad
    assert fel and len(alerts) == 1 and all(text in alerts[0] for text in fel)  # the message box


def test_every_style_of_the_result_sheets_is_shown_or_left_out_on_purpose():
    keys = {k for style in STYLES.values() for k in style}
    assert keys <= lite.SHOWN | lite.NOT_SHOWN, keys - lite.SHOWN - lite.NOT_SHOWN
    colours = [v for name in STYLES for k, v in lite.cell_format(name).items() if k in ("fill", "font_color")]
    assert colours and all(re.fullmatch(r"#[0-9A-F]{6}", str(c)) for c in colours)  # as Office.js takes them


# The buttons' other two scripts.


def test_skapa_mallar_writes_the_templates_into_the_folder_named_on_the_start_sheet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    built = build.build(tmp_path / build.FILE_NAME)
    sie = shutil.copy(demo.data_file("demo_2020.se"), tmp_path / "huvudbok.se")
    book = typed(built, tmp_path / "bok.xlsx", {("Start", "B4"): "utskick", ("Start", "B5"): Path(sie).name})
    replayed, alerts = replay(book, run_script("skapa_mallar", book), tmp_path / "efter.xlsx")
    written = sorted(p.name for p in (tmp_path / "utskick").glob("VSS 2020-10 *.xlsx"))
    assert len(written) == 9
    status = replayed["Start"]["B9"].value
    assert "9 mallar för jan–okt 2020 skrevs till" in status and lite.FILES_NOTE.strip() in status
    assert alerts == []


def test_skapa_mallar_says_an_excel_underlag_cannot_be_read_without_calamine(tmp_path, monkeypatch):
    """What the economist sees in Excel on the web, where python-calamine is not installed."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as if not installed
    built = build.build(tmp_path / build.FILE_NAME)
    book = typed(built, tmp_path / "bok.xlsx", {("Start", "B5"): "export.xlsx"})
    (tmp_path / "export.xlsx").write_bytes(b"")
    _, alerts = replay(book, run_script("skapa_mallar", book), tmp_path / "efter.xlsx")
    assert "export.xlsx är en Excelfil" in alerts[0] and "CSV" in alerts[0]
    assert not (tmp_path / "mallar").exists()


def test_skapa_rapport_writes_the_word_report_and_says_why_there_is_no_pdf(
    demo_folder, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # Lite's /data: the report is written here, for download
    own = "Förvaltningen samlar kommunens interna tjänster."
    cells = {("Start", "B6"): str(demo_folder / "inkorg"), (texter.NAME, "B5"): own}
    book = typed(demo_folder / build.FILE_NAME, tmp_path / "bok.xlsx", cells)
    replayed, alerts = replay(book, run_script("skapa_rapport", book), tmp_path / "efter.xlsx")
    stem = "Delårsrapport Verksamhetsstöd och service 2020-10"
    status = replayed["Start"]["B9"].value
    assert f"Rapporten skrevs: {stem}.docx." in status
    assert (
        "Ingen PDF: i Excel med xlwings Lite finns inget LibreOffice" in status
        and "Spara som > PDF" in status
    )
    assert not (tmp_path / f"{stem}.pdf").exists()
    from docx import Document

    doc = Document(str(tmp_path / f"{stem}.docx"))
    assert any(p.text == own for p in doc.paragraphs)
    assert alerts == []


def test_skapa_rapport_without_a_texter_sheet_writes_the_report_without_texts(
    demo_folder, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    cells = {("Start", "B6"): str(demo_folder / "inkorg"), ("", texter.NAME): None}  # deleted by hand
    book = typed(demo_folder / build.FILE_NAME, tmp_path / "bok.xlsx", cells)
    replayed, alerts = replay(book, run_script("skapa_rapport", book), tmp_path / "efter.xlsx")
    status = replayed["Start"]["B9"].value
    assert "Rapporten skrevs: Delårsrapport Verksamhetsstöd och service 2020-10.docx." in status, status
    assert "oväntat" not in status and alerts == []


# The Excel functions.


def cell_call(name: str, *args: object) -> object:
    """The payload Excel sends for a cell: every argument a matrix, an omitted optional one null."""
    data = {
        "func_name": name,
        "args": [None if a is None else a if isinstance(a, list) else [[a]] for a in args],
        "caller_address": "[Konsolidering Lite.xlsx]Blad1!C3",
        "content_language": "sv-SE",
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "culture_info_name": "sv-SE",
        "date_format": "yyyy-MM-dd",
    }
    return asyncio.run(custom_functions_call(data, lite))


def test_every_function_is_listed_with_swedish_help():
    meta = custom_functions_meta(lite)
    listed = {f["name"]: f for f in meta["functions"]}
    assert sorted(listed) == sorted(f.__name__ for f in udfs.UDFS)
    assert meta["allowErrorForDataTypeAny"]  # an error cell comes in as an error, not as empty
    for f in udfs.UDFS:
        info = listed[f.__name__]
        assert info["description"] == f.__doc__
        assert [(p["name"], p["description"]) for p in info["parameters"]] == list(
            udfs.ARG_DOCS[f.__name__].items()
        )
    optional = {p["name"] for p in listed["VSS_PROGNOS"]["parameters"] if p.get("optional")}
    assert optional == {"budget_helar", "budget_period", "fg_period", "fg_helar"}


def test_functions_compute_what_calc_computes():
    assert cell_call("VSS_AVVIKELSE", 1200.0, 1000.0) == [[float(calc.avvikelse(D(1200), D(1000)))]]
    assert cell_call("VSS_AVVIKELSE", "", 1000.0) == [[""]]  # an empty cell: nothing to compare yet
    pct = calc.avvikelse_percent(calc.avvikelse(D(900), D(1000)), D(1000))
    assert cell_call("VSS_AVVIKELSE_PROCENT", 900.0, 1000.0) == [[float(pct)]]
    assert cell_call("VSS_PROGNOS_UTFALLSTAKT", 1000.0, 10.0) == [
        [float(calc.forecast_run_rate(D(1000), 10))]
    ]
    rest = calc.forecast_budget_remainder(D(900), D(1200), D(1000))
    assert cell_call("VSS_PROGNOS_BUDGETREST", 900.0, 1200.0, 1000.0) == [[float(rest)]]
    season = calc.forecast_seasonal(D(500), D(400), D(1000))
    assert cell_call("VSS_PROGNOS_SASONG", 500.0, 400.0, 1000.0) == [[float(season)]]
    assert cell_call("VSS_PROGNOS", "budgetrest", 900.0, 10.0, 1200.0, 1000.0, None, None) == [[float(rest)]]
    assert cell_call("VSS_PROGNOS", "säsong", 500.0, 10.0, None, None, 400.0, 1000.0) == [[float(season)]]
    this_year = [[110.0] * 6 + [""] * 6]  # a row of months, those to come empty
    last_year = [[100.0] * 6 + [300.0] * 6]
    months = calc.forecast_from_months([D(110)] * 6, [D(100)] * 6 + [D(300)] * 6)
    assert cell_call("VSS_PROGNOS_MANADER", this_year, last_year) == [[float(months)]]
    assert cell_call("VSS_VASENTLIG", -500_000.0, 0.0, 500.0, 10.0) == [[True]]
    assert cell_call("VSS_VASENTLIG", -499_999.0, 0.0, 500.0, None) == [[False]]
    assert cell_call("VSS_TKR", 2500.0) == [[calc.round_tkr(D(2500))]] == [[3]]


ERROR_CELL = {"type": "Error", "errorType": "NotAvailable", "basicValue": "#N/A"}  # Excel's data type


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("xlwings", 1.0), "Utfall ska vara ett tal, inte texten 'xlwings'"),
        ((True, 1.0), "Utfall ska vara ett tal, inte SANT/FALSKT"),
        ((ERROR_CELL, 1.0), "Utfall innehåller ett fel (#N/A)"),
        (([[1.0, 2.0]], 1.0), "Utfall ska vara en cell, inte ett område"),
    ],
)
def test_bad_input_gives_excels_own_error_and_the_reason_in_the_output_pane(args, reason, capsys):
    assert cell_call("VSS_AVVIKELSE", *args) == [[{"type": "Error", "errorType": "Value"}]]
    out = capsys.readouterr().out
    assert f"VSS_AVVIKELSE: {reason}" in out and "Traceback" not in out


def test_a_forecast_method_excel_does_not_know_is_an_error():
    assert cell_call("VSS_PROGNOS", "gissa", 1.0, 1.0, None, None, None, None) == [
        [{"type": "Error", "errorType": "Value"}]
    ]
    assert cell_call("VSS_PROGNOS_UTFALLSTAKT", 1000.0, 13.0) == [[{"type": "Error", "errorType": "Value"}]]


# What Lite can install, and the build.


def test_the_scripts_run_without_calamine_pyopenvba_processes_or_libreoffice(demo_folder, tmp_path):
    """What Pyodide lacks, missing: python-calamine and pyOpenVBA (compiled), _multiprocessing (no
    processes) and soffice on PATH. The module imports, and the three scripts do their work."""
    sie = demo.data_file("demo_2020.se")
    code = f"""
import os, sys
for name in ("python_calamine", "pyopenvba", "_multiprocessing"):
    sys.modules[name] = None  # an import of it fails
sys.path.insert(0, {str(ROOT / "tests")!r})
from officejs import replay, run_script, typed
from vss_excel.excel import lite
from xlwings.server import custom_functions_meta
assert len(custom_functions_meta(lite)["functions"]) == 9
os.chdir({str(tmp_path)!r})
cells = {{("Start", "B6"): {str(demo_folder / "inkorg")!r}, ("Start", "B5"): {str(sie)!r}}}
book = typed({str(demo_folder / build.FILE_NAME)!r}, "bok.xlsx", cells)
for script in ("konsolidera", "skapa_rapport", "skapa_mallar"):
    replayed, alerts = replay(book, run_script(script, book), "efter.xlsx")
    print(replayed["Start"]["B9"].value.replace(chr(10), " "), alerts)
print(sorted(m for m in ("python_calamine", "pyopenvba", "_multiprocessing") if sys.modules.get(m)))
"""
    folders = os.environ["PATH"].split(os.pathsep)
    path = os.pathsep.join(p for p in folders if not shutil.which("soffice", path=p))
    env = {**os.environ, "PATH": path, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    konsolidera, rapport, mallar, loaded = proc.stdout.strip().splitlines()[-4:]
    assert "Konsoliderat jan–okt 2020: 9 filer lästa, 9 används." in konsolidera
    assert "Rapporten skrevs: Delårsrapport" in rapport and "Ingen PDF" in rapport
    assert "9 mallar för jan–okt 2020 skrevs till" in mallar
    assert all(line.endswith(" []") for line in (konsolidera, rapport, mallar))  # no message box
    assert loaded == "[]"
    assert len(list((tmp_path / "mallar").glob("VSS 2020-10 *.xlsx"))) == 9


def test_the_lite_workbook_has_the_start_sheet_and_buttons_the_scripts_name(demo_folder):
    built = demo_folder / build.FILE_NAME
    wb = openpyxl.load_workbook(built)
    assert wb.sheetnames == ["Start", *RESULT_SHEETS]
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    assert names["Start_Inkorg"] == "'Start'!$B$6" and wb["Start"]["B6"].value == "inkorg"
    assert names[STATUS] == "'Start'!$B$9"
    with zipfile.ZipFile(built) as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode()
        rels = z.read("xl/drawings/_rels/drawing1.xml.rels").decode()
    shapes = re.findall(r'name="(TextBox \d+)".*?<a:t>([^<]+)</a:t>', drawing)
    links = re.findall(r'Target="#([^"]+)"', rels)
    buttons = {s["name"]: s["button"] for s in custom_scripts_meta(lite)}
    for (shape, caption), link in zip(shapes, links, strict=True):
        assert buttons[caption] == f"[{shape}]{link.replace(chr(39), '')}"  # [TextBox 2]Start!D6
    assert sorted(buttons) == ["Konsolidera", "Skapa mallar", "Skapa rapport"] == sorted(c for _, c in shapes)


def test_main_py_and_requirements_are_what_lite_needs(demo_folder):
    beside = build.lite_folder(demo_folder / build.FILE_NAME)
    main_py = (beside / "main.py").read_text(encoding="utf-8")
    assert "from vss_excel.excel.lite import *" in main_py
    namespace: dict[str, Any] = {}
    exec(compile(main_py, "main.py", "exec"), namespace)  # what Lite runs
    assert {"konsolidera", "skapa_mallar", "skapa_rapport", "VSS_AVVIKELSE"} <= set(namespace)
    copied = beside / "personal" / "vss_excel"
    assert (copied / "excel" / "lite.py").read_bytes() == (ROOT / "vss_excel/excel/lite.py").read_bytes()
    assert (copied / "data" / "vss.toml").is_file() and not list(copied.rglob("__pycache__"))
    wanted = (beside / "requirements.txt").read_text(encoding="utf-8").split()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = lambda spec: re.split(r"[<>=!~ ;]", spec, maxsplit=1)[0]  # noqa: E731
    assert [name(s) for s in wanted] == [name(s) for s in project["dependencies"]]
    for spec, ours in zip(project["dependencies"], wanted, strict=True):  # Pyodide's own: unpinned
        assert ours == spec or ours == name(spec), (ours, spec)
    optional = project["optional-dependencies"]
    extras = {name(s) for s in optional["xlsm"] + optional["calamine"]}
    assert extras == {"pyopenvba", "python-calamine"} and not extras & {name(s) for s in wanted}
