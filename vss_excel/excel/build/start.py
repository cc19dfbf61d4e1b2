"""What both Konsolidering workbooks have (the classic .xlsm and the xlwings Lite .xlsx): the Start
sheet with its named cells, and the result sheets pre-formatted as an empty consolidation shows them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...konsolidera import tables
from ...model import Forvaltning, UnitReport
from ...rapport import konsolidering
from ...rapport.xlsx import render
from ..macros import START_CELLS, START_SHEET, STATUS, start_values


def start_sheet(
    wb: Any,
    forv: Forvaltning,
    settings_path: str,
    steps: str,
    buttons: Callable[[Any], None],
    step_rows: int = 7,
) -> None:
    """The Start sheet: title, the named cells, the status line, the buttons and the steps."""
    ws = wb.add_worksheet(START_SHEET)
    title = wb.add_format({"bold": True, "font_size": 16})
    label = wb.add_format({"bold": True})
    cell = wb.add_format({"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "num_format": "@"})
    note = wb.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
    ws.set_column(0, 0, 52)  # the longest label in bold
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 4)
    ws.set_column(3, 3, 26)
    ws.write_string(0, 0, f"{forv.name}: uppföljning och konsolidering", title)
    values = start_values(forv, settings_path)
    for i, (name, text) in enumerate(START_CELLS, 2):
        ws.write_string(i, 0, text, label)
        ws.write_string(i, 1, values[name], cell)
        wb.define_name(name, f"='{START_SHEET}'!$B${i + 1}")
    status_row = 2 + len(START_CELLS) + 1
    ws.write_string(status_row, 0, "Status", label)
    ws.write_blank(status_row, 1, None)
    wb.define_name(STATUS, f"='{START_SHEET}'!$B${status_row + 1}")
    buttons(ws)
    ws.merge_range(status_row + 2, 0, status_row + 1 + step_rows, 1, steps, note)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.activate()


def result_sheets(wb: Any, forv: Forvaltning, folder: Path) -> None:
    """The result sheets as an empty consolidation shows them; the buttons fill them."""
    reports = {u.id: UnitReport(u.id, forv.period, "", {}) for u in forv.units}
    empty = tables.build(forv, reports)
    render(wb, konsolidering.describe(forv, forv.period, empty, [], [], {}, reports, folder))


def settings_cell(settings_path: str | Path | None, folder: Path) -> str:
    """The settings file as the Start sheet names it: relative to the workbook's folder (the
    buttons read it from there) where it lies below it, else the full path; '' for VSS."""
    if settings_path is None:
        return ""
    full = Path(settings_path).resolve()
    try:
        return full.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(full)
