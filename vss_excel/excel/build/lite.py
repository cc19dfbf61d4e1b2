"""Builds Konsolidering Lite.xlsx: the economist's workbook for xlwings Lite (Excel on Windows, Mac
and the web, no Python installed), and beside it what Lite keeps in the workbook once pasted in
(main.py, requirements.txt) and the folder `personal` with the vss_excel package, which Lite reads
when it is dropped into it (Files > Import/Export) as a personal module.

The sheets are the classic workbook's (build/start.py); the buttons are shapes whose link selects
the cell under them, which is how xlwings Lite runs a script from a sheet (lite.py names them).
Nothing here imports xlwings' Office.js engine: the build needs no licence key.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import xlsxwriter

from ... import __version__, files, settings
from ..macros import BUTTON_COLUMN, BUTTONS, START_SHEET
from . import start

FILE_NAME = "Konsolidering Lite.xlsx"
PACKAGE = Path(__file__).resolve().parents[2]  # vss_excel, as installed or in the source tree
# The package's dependencies as Pyodide's micropip installs them: pyproject.toml's, the optional
# python-calamine and pyOpenVBA left out. Pyodide builds some itself, tied to its own version: those
# are not pinned (Lite's advice).
REQUIREMENTS = (
    "xlsxwriter>=3.2,<4",
    "openpyxl>=3.1",
    "xlwings==0.37.8",
    "pydantic",
    "python-docx>=1.1",
    "docxtpl>=0.18",
    "matplotlib",
    "pypdf>=5",
)
STEPS = (
    "Första gången: öppna xlwings Lite (fliken Start > xlwings Lite), klistra in main.py och "
    "requirements.txt från mappen bredvid arbetsboken i flikarna med samma namn, dra mappen personal "
    "till menyn > Files > Import/Export och starta om xlwings Lite (menyn > Restart). Spara arbetsboken.\n"
    "1. Skapa mallar: dra huvudboken (SIE) till Import/Export och skriv dess namn vid Huvudbok. Mallarna, "
    "avstämningen och brevet hamnar i mappen mallar i Import/Export: hämta dem och skicka mallarna.\n"
    "2. Dra mappen inkorg med de ifyllda mallarna till Import/Export och klicka Konsolidera: tabellerna "
    "fylls i på bladen till höger och varje problem i filerna listas på bladet Kontroll.\n"
    "3. Skriv förvaltningens texter på bladet Texter och klicka Skapa rapport: rapporten hamnar som "
    "Word-dokument i Import/Export (PDF:en sparar du från Word).\n"
    "Relativa sökvägar gäller från /data, mappen som Import/Export visar; en mapp du har monterat "
    "(Excel på Windows) anges med hela sökvägen. Hämta mappen arkiv efter Konsolidera och dra in den "
    "igen nästa period: Lite tömmer sina filer när Office-cachen rensas. Enheternas filer ändras aldrig."
)


def main_py() -> str:
    """The main.py Lite keeps in the workbook: the scripts and functions, from the package."""
    return (
        '"""Konsolidering Lite: knapparna Skapa mallar, Konsolidera och Skapa rapport och\n'
        "Excelfunktionerna VSS_… från vss-excel. Skriven av vss-excel arbetsbok --lite "
        f"(vss-excel {__version__}).\n\n"
        "Koden finns i paketet vss_excel i mappen personal (xlwings Lite > Files > Import/Export);\n"
        'ändra den där, inte här.\n"""\n\n'
        "from vss_excel.excel.lite import *  # noqa: F403\n"
    )


def requirements_txt() -> str:
    return "\n".join(REQUIREMENTS) + "\n"


def _buttons(ws: Any) -> None:
    """A shape per button, linked to the cell under it: selecting that cell runs the script."""
    for caption, row in BUTTONS:
        cell = f"{chr(ord('A') + BUTTON_COLUMN)}{row + 1}"
        ws.insert_textbox(
            row,
            BUTTON_COLUMN,
            caption,
            {
                "width": 180,
                "height": 34,
                "url": f"internal:'{START_SHEET}'!{cell}",
                "tip": f"{caption} (xlwings Lite)",
                "font": {"bold": True, "color": "white", "size": 11},
                "fill": {"color": "#2E75B6"},
                "line": {"none": True},
                "align": {"vertical": "middle", "horizontal": "center"},
                "description": f"Knappen {caption}",
            },
        )


def _workbook(path: Path, forv: Any, settings_path: str) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    wb.set_properties(
        {
            "title": f"Konsolidering {forv.short_name} (xlwings Lite)",
            "author": forv.name,
            "company": forv.organisation,
            "created": dt.datetime(2020, 1, 1),
        }
    )
    start.start_sheet(wb, forv, settings_path, STEPS, _buttons, step_rows=12)
    start.result_sheets(wb, forv, path.parent)
    wb.close()


def _package(target: Path) -> None:
    """The vss_excel package's sources and data, as Lite imports it from `personal`."""
    if target.exists():
        shutil.rmtree(target)  # our own copy: made anew, so no file of an older version stays
    for src in sorted(PACKAGE.rglob("*")):
        if src.is_file() and "__pycache__" not in src.parts and src.suffix != ".pyc":
            dst = target / src.relative_to(PACKAGE)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)


def build(target: str | Path, settings_path: str | Path | None = None) -> Path:
    """Konsolidering Lite.xlsx, and beside it the folder of the same name with main.py,
    requirements.txt and personal/vss_excel. Returns the workbook."""
    target = Path(target)
    forv = settings.load(settings_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing(target, ".xlsx") as tmp:
        _workbook(tmp, forv, start.settings_cell(settings_path, target.parent))
    beside = lite_folder(target)
    beside.mkdir(exist_ok=True)
    (beside / "main.py").write_text(main_py(), encoding="utf-8")
    (beside / "requirements.txt").write_text(requirements_txt(), encoding="utf-8")
    _package(beside / "personal" / "vss_excel")
    return target


def lite_folder(workbook: Path) -> Path:
    """'Konsolidering Lite.xlsx' -> the folder 'Konsolidering Lite' beside it."""
    return workbook.with_suffix("")
