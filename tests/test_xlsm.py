"""Konsolidering.xlsm as built: its VBA modules, buttons, xlwings.conf and sheets, read back
by independent readers (oletools' olevba, openpyxl, the zip itself) and opened by LibreOffice."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings
from helpers import RESULT_SHEETS
from oletools.olevba import VBA_Parser
from test_workbooks import dump

from vss_excel import libreoffice
from vss_excel.excel.build import xlsm, xlwings_api

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbooks" / "Konsolidering.xlsm"
SHEETS = ["Start", *RESULT_SHEETS, "xlwings.conf"]
DOCUMENTS = ["ThisWorkbook", *(f"Sheet{i}" for i in range(1, len(SHEETS) + 1))]


def modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {
            name.rsplit(".", 1)[0]: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()
        }
    finally:
        parser.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return xlsm.build(tmp_path_factory.mktemp("xlsm") / "Konsolidering.xlsm")


def test_module_list_is_exactly_the_expected_one(built):
    assert sorted(modules(built)) == sorted(
        [*DOCUMENTS, "xlwings", "Dictionary", "VssKnappar", "xlwings_udfs", "VssBeskrivningar"]
    )


def test_module_sources_are_ours_and_xlwings_own(built):
    found = modules(built)
    for name, source in xlsm.vba_sources().items():
        assert found[name] == source.replace("\r\n", "\n"), name
    assert found["xlwings_udfs"] == xlwings_api.udf_wrapper_vba().replace("\r\n", "\n")
    version = re.search(r"^'Version: (\S+)", found["xlwings"], re.M)
    assert version and version.group(1) == xlwings.__version__  # the VBA matches the installed package
    standalone = modules(xlwings_api.STANDALONE)
    assert found["xlwings"] == standalone["xlwings"] and found["Dictionary"] == standalone["Dictionary"]
    assert "Module1" not in found  # the standalone's sample is left out
    assert found["VssBeskrivningar"] == xlwings_api.descriptions_vba().replace("\r\n", "\n")


def test_function_help_is_registered_when_the_workbook_opens(built):
    from vss_excel.excel import udfs

    found = modules(built)
    assert "Private Sub Workbook_Open()\n    RegistreraBeskrivningar\n" in found["ThisWorkbook"]
    calls = re.findall(
        r"MacroOptions Macro:=.*?'!(\w+)\", Description:=\"([^\"]+)\", Category:=\"([^\"]+)\"",
        found["VssBeskrivningar"],
    )
    assert [c[0] for c in calls] == sorted(f.__name__ for f in udfs.UDFS)
    by_name = {name: (doc, cat) for name, doc, cat in calls}
    assert by_name["VSS_TKR"] == (
        "Belopp i hela tkr, avrundat som Excels AVRUNDA (hälften bort från noll), aldrig -0.",
        udfs.CATEGORY,
    )
    assert all(len(line) < 1000 for line in found["VssBeskrivningar"].splitlines())  # VBA's line limit


def test_vba_calls_runpython_without_inner_double_quotes():
    source = xlsm.vba_sources()["VssKnappar"]
    subs = re.findall(r"^Sub (\w+)\(\)", source, re.M)
    assert subs == ["SkapaMallar", "Konsolidera", "SkapaRapport"]
    module = re.search(r'^Attribute VB_Name = "(\w+)"', source, re.M)
    assert module and module.group(1) not in subs  # the module's name differs from its Subs'
    commands = re.findall(r'RunPython "(.*)"\r?$', source, re.M)
    assert len(commands) == 3 and all('"' not in c for c in commands)
    assert commands == [
        "import vss_excel.excel.macros as m; m.skapa_mallar()",
        "import vss_excel.excel.macros as m; m.konsolidera()",
        "import vss_excel.excel.macros as m; m.skapa_rapport()",
    ]


def test_buttons_run_the_macros(built):
    with zipfile.ZipFile(built) as z:
        vml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".vml"))
    assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == [
        "SkapaMallar",
        "Konsolidera",
        "SkapaRapport",
    ]
    assert "Skapa mallar" in vml and "Konsolidera" in vml and "Skapa rapport" in vml


def test_code_names_match_the_document_modules(built):
    with zipfile.ZipFile(built) as z:
        book = z.read("xl/workbook.xml").decode()
        sheet_names = re.findall(r'<sheet name="([^"]+)"', book)
        code_names = [
            re.search(r'codeName="([^"]+)"', z.read(f"xl/worksheets/sheet{i}.xml").decode()).group(1)
            for i in range(1, len(sheet_names) + 1)
        ]
    assert sheet_names == SHEETS
    assert 'workbookPr codeName="ThisWorkbook"' in book
    assert ["ThisWorkbook", *code_names] == DOCUMENTS
    assert set(DOCUMENTS) <= set(modules(built))


def test_xlwings_conf_sheet(built):
    ws = openpyxl.load_workbook(built)["xlwings.conf"]
    conf = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert conf["UDF Modules"] == "vss_excel.excel.udfs"
    assert conf["Use UDF Server"] == "False"
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] == "False"
    assert conf["Interpreter_Win"].startswith("%USERPROFILE%\\") and conf["Interpreter_Win"].endswith(
        "pythonw.exe"
    )
    assert ws.cell(1, 1).value and None not in [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]


def test_start_sheet_names(built):
    wb = openpyxl.load_workbook(built)
    assert wb.sheetnames == SHEETS
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    assert names["Start_Period"] == "'Start'!$B$3" and wb["Start"]["B3"].value == "2020-10"
    assert {"Start_Mallmapp", "Start_Underlag", "Start_Inkorg", "Start_Installningar", "Start_Status"} <= set(
        names
    )
    assert names["Start_Installningar"] == "'Start'!$B$7" and not wb["Start"]["B7"].value  # VSS
    assert wb["Start"]["A7"].value == "Inställningsfil (tom = vss-excel.toml i mappen, annars VSS)"
    drift = wb["Driftsammandrag"]  # pre-formatted like the CLI's output
    assert drift["A1"].value.endswith("driftsammandrag, netto tkr") and drift["B4"].font.b


@pytest.mark.parametrize("beside", [True, False])
def test_start_sheet_holds_the_settings_it_was_built_with(tmp_path, beside):
    from vss_excel import settings

    folder = tmp_path / "bok"
    toml = settings.write_default((folder if beside else tmp_path / "annan") / "linkoping.toml")
    text = toml.read_text(encoding="utf-8").replace("manad = 10 ", "manad = 4 ", 1)
    toml.write_text(text.replace("ar = 2020", "ar = 2021", 1), encoding="utf-8")
    start = openpyxl.load_workbook(xlsm.build(folder / "Konsolidering.xlsm", toml))["Start"]
    assert start["B3"].value == "2021-04"  # the settings' period, not a fixed 2020-10
    # relative to the workbook where it lies beside it (the buttons read it from there)
    assert start["B7"].value == ("linkoping.toml" if beside else str(toml.resolve()))


def test_build_is_reproducible(built, tmp_path):
    again = xlsm.build(tmp_path / "igen.xlsm")
    assert modules(again) == modules(built)
    assert dump(again) == dump(built)


def test_committed_workbook_matches_the_code(built):
    assert COMMITTED.exists(), "workbooks/Konsolidering.xlsm saknas: kör vss-excel arbetsbok"
    assert modules(COMMITTED) == modules(built), "kör vss-excel arbetsbok"
    assert dump(COMMITTED) == dump(built), "kör vss-excel arbetsbok"


@pytest.mark.libreoffice
def test_libreoffice_opens_it_lists_the_modules_and_binds_the_buttons(built, soffice, tmp_path):
    ods = libreoffice.convert([built], tmp_path, "ods")[0]
    with zipfile.ZipFile(ods) as z:
        basic = {
            Path(n).stem for n in z.namelist() if n.startswith("Basic/VBAProject/") and n.endswith(".xml")
        }
        content = z.read("content.xml").decode()
    assert {
        "VssKnappar",
        "VssBeskrivningar",
        "xlwings",
        "xlwings_udfs",
        "Dictionary",
        "ThisWorkbook",
    } <= basic
    bound = re.findall(r"vnd\.sun\.star\.script:VBAProject\.(\w+)\.(\w+)\?language=Basic", content)
    assert bound == [
        ("VssKnappar", "SkapaMallar"),
        ("VssKnappar", "Konsolidera"),
        ("VssKnappar", "SkapaRapport"),
    ]
    labels = re.findall(r'<form:button [^>]*form:label="([^"]+)"', content)
    assert labels == ["Skapa mallar", "Konsolidera", "Skapa rapport"]


def test_windows_setup_matches_the_workbook_configuration(capsys):
    from vss_excel.cli import main

    script = (ROOT / "scripts" / "installera-windows.ps1").read_text(encoding="utf-8")
    interpreter = dict(xlsm.CONFIG)["Interpreter_Win"]
    assert interpreter == r"%USERPROFILE%\vss-excel\.venv\Scripts\pythonw.exe"
    assert 'Join-Path $env:USERPROFILE "vss-excel"' in script and 'Join-Path $home_dir ".venv"' in script
    assert "Unblock-File" in script and "xlwings==$wanted" in script
    assert main(["kontrollera", "--arbetsbok", str(COMMITTED)]) == 0
    out = capsys.readouterr().out
    assert f"xlwings i arbetsboken: {xlwings.__version__} (stämmer)" in out and "= 200.0" in out


def test_the_conf_sheet_is_hidden(built):
    import openpyxl

    wb = openpyxl.load_workbook(built, keep_vba=True)
    assert wb["xlwings.conf"].sheet_state == "hidden"
    assert all(wb[s].sheet_state == "visible" for s in wb.sheetnames if s != "xlwings.conf")


def test_the_windows_install_script_names_modules_that_exist():
    """The PowerShell script runs Python one-liners: their imports must exist after any move."""
    import importlib
    import re

    script = (ROOT / "scripts" / "installera-windows.ps1").read_text(encoding="utf-8")
    imports = re.findall(r"from (vss_excel[\w.]*) import (\w+)", script)
    imports += [(m, "") for m in re.findall(r"(?:^|[;\s\"])import (vss_excel[\w.]*)", script)]
    imports += [(m, "") for m in re.findall(r"-m (vss_excel[\w.]*)", script)]
    assert imports  # the script does name our modules: a test that finds none checks nothing
    for module, name in imports:
        found = importlib.import_module(module)
        assert not name or hasattr(found, name), (module, name)
