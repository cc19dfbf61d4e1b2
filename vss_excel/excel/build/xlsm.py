"""Builds Konsolidering.xlsm: the economist's workbook with the Skapa mallar and Konsolidera buttons.

The VBA base is xlwings' own standalone workbook, read from the installed xlwings package at
build time (its `xlwings` and `Dictionary` modules, its project); our module comes from
macros/*.bas and the UDF wrapper from xlwings' own generator. Sheets are written with
XlsxWriter (form-control buttons, the xlwings.conf sheet, result sheets pre-formatted as the
CLI's output); modules are put in with pyOpenVBA.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import xlsxwriter
from pyopenvba import ExcelFile, VBAModuleKind

from ... import files, settings
from ...model import Forvaltning
from ..macros import BUTTON_COLUMN, BUTTONS
from . import start, xlwings_api

FILE_NAME = "Konsolidering.xlsm"
# On open: the functions' Swedish help for the wizard; registering marks the book as changed.
WORKBOOK_OPEN = (
    "Private Sub Workbook_Open()\r\n"
    "    RegistreraBeskrivningar\r\n"
    "    ThisWorkbook.Saved = True\r\n"
    "End Sub\r\n"
)
CONF_SHEET = "xlwings.conf"
# Modules taken from xlwings' standalone workbook; its sample Module1 is left out.
XLWINGS_MODULES = ("xlwings", "Dictionary")
MACROS = ("SkapaMallar", "Konsolidera", "SkapaRapport")  # the VBA Subs behind macros.BUTTONS
CONFIG = (
    ("Interpreter_Win", r"%USERPROFILE%\vss-excel\.venv\Scripts\pythonw.exe"),
    ("Interpreter_Mac", "$HOME/vss-excel/.venv/bin/python"),
    ("UDF Modules", "vss_excel.excel.udfs"),
    ("Use UDF Server", "False"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "False"),
    ("Show Console", "False"),
)


def vba_sources() -> dict[str, str]:
    """Our module sources as shipped: macros/*.bas beside the package, or inside it when installed."""
    here = Path(__file__).resolve().parents[3] / "macros"
    folder = here if here.is_dir() else Path(str(resources.files("vss_excel").joinpath("macros")))
    out = {}
    for p in sorted(folder.glob("*.bas")):
        text = p.read_text(encoding="utf-8")
        out[p.stem] = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return out


def read_modules(path: Path) -> dict[str, str]:
    """Every VBA module's source, read from a copy: a file we do not own is never opened for writing."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copy(path, copy)
        with ExcelFile(copy) as x:
            return {name: str(x.get_module(name)) for name in x.module_names()}


def _standalone() -> tuple[bytes, dict[str, str]]:
    """xlwings' standalone workbook: its vbaProject.bin and every module's source."""
    with zipfile.ZipFile(xlwings_api.STANDALONE) as z:
        project = z.read("xl/vbaProject.bin")
    return project, read_modules(xlwings_api.STANDALONE)


STEPS = (
    "1. Skapa mallar: en förifylld enhetsmall per enhet skrivs till mappen för nya mallar "
    "(ur huvudboken eller underlaget, om du anger ett), med avstämning och brev till enheterna. "
    "Skicka dem till enheterna.\n"
    "2. Lägg de ifyllda mallarna i inkorgen och klicka Konsolidera: tabellerna fylls i på "
    "bladen till höger och varje problem i filerna listas på bladet Kontroll.\n"
    "3. Skriv förvaltningens texter på bladet Texter och klicka Skapa rapport: rapporten skrivs "
    "som Word-dokument och tillgänglig PDF bredvid arbetsboken.\n"
    "Relativa sökvägar gäller från mappen där den här arbetsboken ligger. Enheternas filer "
    'ändras aldrig. Excelfunktionerna heter VSS_… (t.ex. =VSS_PROGNOS("budgetrest"; …)).'
)


def _buttons(ws: Any) -> None:
    """Form-control buttons that run the VBA macros (RunPython)."""
    for (caption, row), macro in zip(BUTTONS, MACROS, strict=True):
        ws.insert_button(row, BUTTON_COLUMN, {"macro": macro, "caption": caption, "width": 180, "height": 34})


def _conf_sheet(wb: xlsxwriter.Workbook) -> None:
    ws = wb.add_worksheet(CONF_SHEET)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 60)
    for i, (key, value) in enumerate(CONFIG):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    ws.hide()  # xlwings reads it hidden too (wb.Sheets(name)); hidden, it is neither seen nor printed


def _sheets(path: Path, project: bytes, forv: Forvaltning, settings_path: str) -> list[str]:
    """Write the workbook's sheets; return the sheets' code names in order."""
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    wb.set_properties(
        {
            "title": f"Konsolidering {forv.short_name}",
            "author": forv.name,
            "company": forv.organisation,
            "created": dt.datetime(2020, 1, 1),
        }
    )
    wb.add_vba_project(io.BytesIO(project), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    start.start_sheet(wb, forv, settings_path, STEPS, _buttons)
    start.result_sheets(wb, forv, path.parent)
    _conf_sheet(wb)
    names = []
    for i, ws in enumerate(wb.worksheets(), 1):
        ws.set_vba_name(f"Sheet{i}")
        names.append(f"Sheet{i}")
    wb.close()
    return names


def build(target: str | Path, settings_path: str | Path | None = None) -> Path:
    """Konsolidering.xlsm, written to a temporary file and renamed into place. The Start sheet
    holds the period and the settings file it was built with."""
    target = Path(target)
    forv = settings.load(settings_path)
    project, base = _standalone()
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing(target, ".xlsm") as tmp:
        code_names = _sheets(tmp, project, forv, start.settings_cell(settings_path, target.parent))
        sheet_header = base["Sheet1"]
        with ExcelFile(tmp) as x:
            vba = x.vba_project()
            for name in list(vba.module_names()):
                if name not in ("ThisWorkbook", *code_names, *XLWINGS_MODULES):
                    vba.delete_module(name)  # the standalone's sample code
            present = set(vba.module_names())
            for name in code_names:  # one document module per sheet, as Excel keeps them
                if name not in present:
                    vba.add_module(
                        name, sheet_header.replace('"Sheet1"', f'"{name}"', 1), kind=VBAModuleKind.other
                    )
            for name, source in vba_sources().items():
                vba.add_module(name, source)
            vba.add_module(xlwings_api.DESCRIPTIONS_MODULE, xlwings_api.descriptions_vba())
            x.set_module("ThisWorkbook", base["ThisWorkbook"].rstrip("\r\n") + "\r\n" + WORKBOOK_OPEN)
            vba.add_module(
                xlwings_api.UDF_VBA_MODULE, xlwings_api.udf_wrapper_vba(FILE_NAME).replace("\n", "\r\n")
            )
            x.save()
    return target


def embedded_xlwings_version(path: Path) -> str:
    """The xlwings version written in a workbook's xlwings VBA module ('Version: 0.37.8')."""
    for line in read_modules(path).get("xlwings", "").splitlines():
        if line.startswith("'Version:"):
            return str(line.split(":", 1)[1].strip())
    return "okänd"
