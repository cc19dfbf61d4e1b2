"""Excel's side of xlwings' Office.js protocol, for the tests of Konsolidering Lite and of the
classic workbook's buttons: the book as xlwings Lite sends it to a script (`xw.Book(json=…)`), the
script called as Lite calls it, and the actions it returns applied to the workbook as Excel
applies them (a text is typed: an apostrophe keeps it text, one that reads as a number or a date
becomes one). Nothing here imports python-calamine, so a test can block it.

xlwings' Office.js engine is under PolyForm Noncommercial; the key `noncommercial` is xlwings' own
for such use, set before xlwings is imported (it registers its engines on import).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"

import openpyxl
import xlwings as xw
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from xlwings.constants import MAX_COLUMNS, MAX_ROWS
from xlwings.server import custom_scripts_call

from vss_excel.excel import lite

if "remote" not in [e.name for e in xw.engines]:  # xlwings was imported before the key was set:
    from xlwings.pro import _xlofficejs, _xlremote  # its Office.js engines, as its import adds them

    xw.engines.add(xw.Engine(impl=_xlremote.engine))
    xw.engines.add(xw.Engine(impl=_xlofficejs.engine))


def typed(workbook: str | Path, out: str | Path, cells: dict[tuple[str, str], object]) -> Path:
    """The workbook after the economist typed into it: (sheet, cell) -> value; ('', sheet) -> None
    deletes that sheet."""
    wb = openpyxl.load_workbook(workbook)
    for (sheet, cell), value in cells.items():
        if sheet == "":
            del wb[cell]
        else:
            wb[sheet][cell] = value
    wb.save(out)
    return Path(out)


def book_json(workbook: Path, include: list[str]) -> dict[str, Any]:
    """What xlwings Lite sends for a script: every sheet (the values of those it reads, from A1,
    empty cells as ''), the workbook's names with their sheet and address."""
    wb = openpyxl.load_workbook(workbook)
    sheets = []
    for ws in wb.worksheets:
        values: list[list[object]] = [[""]]
        if ws.title in include:
            rows = ws.iter_rows(max_row=max(ws.max_row, 1), max_col=max(ws.max_column, 1), values_only=True)
            values = [["" if v is None else v for v in row] for row in rows]
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": []})
    names = []
    for name, defined in wb.defined_names.items():
        m = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+)", defined.attr_text)
        assert m, defined.attr_text
        names.append(
            {
                "name": name,
                "sheet_index": wb.sheetnames.index(m[1]),
                "address": f"{m[2]}{m[3]}",
                "book_scope": True,
                "scope_sheet_name": None,
                "scope_sheet_index": None,
                "refers_to": f"={defined.attr_text}",
            }
        )
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": workbook.name, "active_sheet_index": 0, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def run_script(name: str, workbook: Path) -> list[dict[str, Any]]:
    """The script called as xlwings Lite calls it (the sheets its decorator includes sent); the
    actions it returns."""
    config = getattr(lite, name).__xlscript__
    book = xw.Book(json=book_json(workbook, config["include"]))
    done = asyncio.run(custom_scripts_call(lite, name, typehint_to_value={xw.Book: book}))
    return list(done.json()["actions"])


def values(ws: Any, skip_column: int | None = None) -> dict[tuple[int, int], object]:
    """Every value of a sheet, 0-based (row, column)."""
    return {
        (c.row - 1, c.column - 1): c.value
        for row in ws.iter_rows()
        for c in row
        if c.value not in (None, "") and c.column - 1 != skip_column
    }


def as_typed(value: object) -> object:
    """A value as Excel stores it when it is written as typed."""
    if value in ("", None):
        return None
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]
    assert not value.startswith("="), f"Excel would compute {value!r}"
    try:
        return float(value.replace("\u2212", "-").replace(",", ".").replace(" ", ""))
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d\d(-\d\d)?( \d\d:\d\d(:\d\d)?)?", value):
        return dt.datetime.fromisoformat(value if len(value) > 7 else value + "-01")
    return value


def replay(workbook: Path, actions: list[dict[str, Any]], out: Path) -> tuple[Any, list[str]]:
    """The workbook after Excel applied the actions (saved to `out` and read back), and the
    message boxes shown. An action this replay does not know fails the test."""
    wb = openpyxl.load_workbook(workbook)
    alerts: list[str] = []
    for a in actions:
        f, args = a["func"], a["args"]
        ws = wb.worksheets[a["sheet_position"]] if a["sheet_position"] is not None else None
        if f == "setValues":
            for r, row in enumerate(a["values"]):
                for c, v in enumerate(row):
                    cell = ws.cell(a["start_row"] + r + 1, a["start_column"] + c + 1)
                    if isinstance(cell, MergedCell) and as_typed(v) is None:
                        continue  # a merged range's hidden cell, written empty: Excel keeps it so
                    cell.value = as_typed(v)
        elif f == "rangeClearContents":  # the values go, the formats stay
            for cell in _cells(ws, a):
                if not isinstance(cell, MergedCell):
                    cell.value = None
        elif f == "sheetClear":
            for row in ws.iter_rows():
                for cell in row:
                    cell.value, cell.style = None, "Normal"
        elif f == "rangeUnmerge":
            for merged in list(ws.merged_cells.ranges):
                ws.unmerge_cells(str(merged))
        elif f == "rangeMerge":
            ws.merge_cells(
                start_row=a["start_row"] + 1,
                start_column=a["start_column"] + 1,
                end_row=a["start_row"] + a["row_count"],
                end_column=a["start_column"] + a["column_count"],
            )
        elif f == "setColumnWidth":  # points, as Office.js takes them: characters of 7 pixels
            for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                ws.column_dimensions[get_column_letter(c + 1)].width = (args[0] / 0.75 - 5) / 7
        elif f == "setColumnHidden":
            for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                ws.column_dimensions[get_column_letter(c + 1)].hidden = args[0]
        elif f == "setRowHeight":
            for r in range(a["start_row"], a["start_row"] + a["row_count"]):
                ws.row_dimensions[r + 1].height = args[0]
        elif f == "freezePaneAtRange":
            rows = re.fullmatch(r"1:(\d+)", args[0])
            assert rows, args[0]  # the result sheets freeze rows only
            ws.freeze_panes = f"A{int(rows[1]) + 1}"
        elif f == "addSheet":
            wb.create_sheet(args[1], args[0])
        elif f == "alert":
            alerts.append(args[0])
        elif f == "setBorderProperty":
            _lines(ws, a, *args)
        else:
            for cell in _cells(ws, a):
                _format(cell, f, args)
    wb.save(out)
    return openpyxl.load_workbook(out), alerts


def _lines(ws: Any, a: dict[str, Any], side: str, attribute: str, value: object) -> None:
    """One attribute of one side of a range's lines, on the cells' own sides as Excel draws them."""
    r1, c1 = a["start_row"], a["start_column"]
    r2, c2 = r1 + a["row_count"] - 1, c1 + a["column_count"] - 1
    edges: dict[str, list[tuple[int, int, str]]] = {
        "edge_top": [(r1, c, "top") for c in range(c1, c2 + 1)],
        "edge_bottom": [(r2, c, "bottom") for c in range(c1, c2 + 1)],
        "edge_left": [(r, c1, "left") for r in range(r1, r2 + 1)],
        "edge_right": [(r, c2, "right") for r in range(r1, r2 + 1)],
        "inside_horizontal": [
            (r, c, edge) for r in range(r1, r2) for c in range(c1, c2 + 1) for edge in ("bottom",)
        ]
        + [(r, c, "top") for r in range(r1 + 1, r2 + 1) for c in range(c1, c2 + 1)],
        "inside_vertical": [(r, c, "right") for r in range(r1, r2 + 1) for c in range(c1, c2)]
        + [(r, c, "left") for r in range(r1, r2 + 1) for c in range(c1 + 1, c2 + 1)],
    }
    for r, c, edge in edges[side]:
        cell = ws.cell(r + 1, c + 1)
        old = getattr(cell.border, edge)
        style, colour = old.style, old.color
        if attribute == "line_style":
            style = {"continuous": style or "thin", None: None}[value]  # type: ignore[index]
        elif attribute == "weight":
            style = {"thin": "thin", "medium": "medium", "thick": "thick", "hairline": "hair"}[str(value)]
        else:
            colour = str(value).lstrip("#")
        cell.border = Border(**{**_border(cell.border), edge: Side(style=style, color=colour)})


def _border(b: Any) -> dict[str, Any]:
    return {"left": b.left, "right": b.right, "top": b.top, "bottom": b.bottom}


def _cells(ws: Any, a: dict[str, Any]) -> Iterator[Any]:
    if (a["row_count"], a["column_count"]) == (MAX_ROWS, MAX_COLUMNS):  # sheet.cells: every cell there is
        yield from (cell for row in ws.iter_rows() for cell in row)
        return
    for r in range(a["start_row"], a["start_row"] + a["row_count"]):
        for c in range(a["start_column"], a["start_column"] + a["column_count"]):
            yield ws.cell(r + 1, c + 1)


def _format(cell: Any, f: str, args: list[Any]) -> None:
    if f == "setNumberFormat":
        cell.number_format = args[0]
    elif f == "setRangeColor":
        cell.fill = PatternFill("solid", fgColor=args[0].lstrip("#")) if args[0] else PatternFill()
    elif f == "setFontProperty":
        prop, value = args
        font = {"bold": "b", "italic": "i", "size": "sz", "color": "color"}[prop]
        cell.font = Font(**{**_font(cell.font), font: value.lstrip("#") if prop == "color" else value})
    elif f == "setWrapText":
        cell.alignment = Alignment(**{**_alignment(cell.alignment), "wrap_text": args[0]})
    elif f in ("setHorizontalAlignment", "setVerticalAlignment"):
        which = "horizontal" if f == "setHorizontalAlignment" else "vertical"
        cell.alignment = Alignment(**{**_alignment(cell.alignment), which: args[0].lower()})
    else:
        raise AssertionError(f"okänd åtgärd {f}")  # Excel would do something this replay does not


def _font(font: Any) -> dict[str, Any]:
    return {"name": font.name, "b": font.b, "i": font.i, "sz": font.sz, "color": font.color}


def _alignment(al: Any) -> dict[str, Any]:
    return {"horizontal": al.horizontal, "vertical": al.vertical, "wrap_text": al.wrap_text}
