"""The Konsolidering workbook's buttons and the Excel functions for xlwings Lite: Excel on Windows,
Mac and the web, with Python inside Excel (Pyodide) instead of installed on the computer.

The scripts run the same jobs as the classic workbook's buttons (macros.py), through a second
ExcelPort over the book xlwings Lite passes in (`xw.Book(json=…)`): what they do to the workbook
goes back to Excel as xlwings' actions, applied when the script returns. The functions are the
classic ones (udfs.py) under xlwings' Office.js decorators; bad input gives Excel's own #VÄRDEFEL!
(#VALUE!), and the reason is printed in xlwings Lite's output pane.

Files: Lite sees the folders dropped into it (Import/Export) under /data, and writes what it offers
for download there; a folder mounted on Windows is named by its full path on the Start sheet.
No worker processes and no LibreOffice exist there: the files are read in this process, and the
report is written as Word only. The module imports neither python-calamine nor pyOpenVBA.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import sys
import traceback
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import xlwings as xw
from xlwings.server import arg, func, script

from ..rapport import texter
from ..rapport.sheet import Sheet
from ..rapport.xlsx import STYLES
from . import macros, udfs
from .macros import BUTTON_COLUMN, BUTTONS, START_SHEET, as_excel_text, other_columns

__all__ = [
    "VSS_AVVIKELSE",
    "VSS_AVVIKELSE_PROCENT",
    "VSS_PROGNOS",
    "VSS_PROGNOS_BUDGETREST",
    "VSS_PROGNOS_MANADER",
    "VSS_PROGNOS_SASONG",
    "VSS_PROGNOS_UTFALLSTAKT",
    "VSS_TKR",
    "VSS_VASENTLIG",
    "konsolidera",
    "skapa_mallar",
    "skapa_rapport",
]

DATA = Path("/data")  # where xlwings Lite keeps the files dropped into it, and offers its own
FILES_NOTE = " Hämta filerna i xlwings Lite: menyn > Files > Import/Export."
EXCEL_ERROR = "#VALUE!"  # xlwings' Office.js engine returns it as Excel's own error (#VÄRDEFEL!)
V = TypeVar("V", bound=Hashable)
Block = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


def data_folder() -> Path:
    """Relative paths on the Start sheet start here: /data in xlwings Lite, else the working folder."""
    return DATA if sys.platform == "emscripten" else Path.cwd()


class LitePort:
    """ExcelPort over the book xlwings Lite passes to a script (the Office.js protocol)."""

    workers = 0  # Pyodide starts no processes: the files are read in this one
    files_note = FILES_NOTE

    def __init__(self, book: xw.Book) -> None:
        self.book = book

    @property
    def no_pdf(self) -> str:
        from ..rapport.dokument.report import SAVE_FROM_WORD  # with the report's modules, when used

        return f"Ingen PDF: i Excel med xlwings Lite finns inget LibreOffice som gör den. {SAVE_FROM_WORD}"

    def read(self, name: str) -> object:
        return self.book.names[name].refers_to_range.value

    def write(self, name: str, value: object) -> None:
        self.book.names[name].refers_to_range.value = as_excel_text(value)

    def show_sheet(self, sheet: Sheet) -> None:
        """The sheet as the CLI's file shows it (values, number formats, marks and notes, lines,
        widths), a property at a time over whole blocks of cells; the economist's columns are left
        alone."""
        names = [s.name for s in self.book.sheets]
        if sheet.name not in names:  # e.g. Prognossäkerhet at year end, or a sheet deleted by hand
            self.book.sheets.add(sheet.name, after=self.book.sheets[len(names) - 1])
        ws = self.book.sheets[sheet.name]
        rows = sheet.grid()
        if sheet.keep_columns and sheet.name in names:
            for r, c, column in other_columns(sheet):
                ws.range((r + 1, c + 1)).value = column
            return
        ws.cells.unmerge()
        ws.clear()  # the last run's values, formats and marks
        if rows:
            ws.range((1, 1), (len(rows), len(rows[0]))).value = [[as_excel_text(v) for v in r] for r in rows]
        for (first, last), width in blocks_1d(enumerate(sheet.widths)):
            ws.range((1, first + 1), (1, last + 1)).column_width = column_points(width)
        for c in sheet.hidden_columns:
            ws.range((1, c + 1)).columns.hidden = True
        if rows:  # an earlier run's tall rows may lie elsewhere: every row first, then the tall ones
            ws.range((1, 1), (len(rows), 1)).row_height = DEFAULT_HEIGHT
        for (first, last), height in blocks_1d(
            sorted(h for h in sheet.heights.items() if h[1] != DEFAULT_HEIGHT)
        ):
            ws.range((first + 1, 1), (last + 1, 1)).row_height = height
        looks = {rc: cell_format(cell.style) for rc, cell in sheet.cells.items()}
        for prop, setter in PROPERTIES.items():
            cells = {rc: look[prop] for rc, look in looks.items() if prop in look}
            for (r1, c1, r2, c2), value in blocks(cells):
                setter(ws.range((r1 + 1, c1 + 1), (r2 + 1, c2 + 1)), value)
        for r1, c1, r2, c2 in sheet.merges:
            ws.range((r1 + 1, c1 + 1), (r2 + 1, c2 + 1)).merge()
        if sheet.freeze:
            ws.freeze_panes.freeze_at(frozen(*sheet.freeze))

    def sheet_values(self, sheet: str) -> list[list[object]]:
        return macros.sheet_values(self.book, sheet)

    def alert(self, text: str, title: str) -> None:
        self.book.app.alert(text, title=title)

    def folder(self) -> Path:
        return data_folder()

    def log_unexpected(self) -> str:
        """The details in the output pane, and in a file Lite offers for download."""
        text = traceback.format_exc()
        print(text)
        path = self.folder() / f"vss-excel-fel-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
        try:
            path.write_text(text, encoding="utf-8")
        except OSError:
            return "xlwings Lites utdatafönster"
        return f"{path} och i xlwings Lites utdatafönster"


# A style's look, property by property, from the XlsxWriter formats the CLI's file has (one source).
DEFAULT_HEIGHT = 15.0  # points: Excel's and XlsxWriter's row height for Calibri 11
NAMED_COLOURS = {"blue": "#0000FF"}
SHOWN = {
    *("num_format", "bold", "italic", "font_color", "font_size", "bg_color", "text_wrap"),
    *("align", "valign", "top", "bottom", "border", "border_color"),
}
NOT_SHOWN = {"underline"}  # a link's: Lite's files (/data) cannot be opened from a cell


def _colour(name: str) -> str:
    return name if name.startswith("#") else NAMED_COLOURS[name]


@functools.cache
def cell_format(style: str) -> dict[str, object]:
    """What a style sets, as the properties below name it; Excel's defaults left out."""
    s = STYLES[style]
    out: dict[str, object] = {}
    for key, prop in (("num_format", "number_format"), ("font_size", "size"), ("align", "align")):
        if key in s:
            out[prop] = s[key]
    for key in ("bold", "italic"):
        if s.get(key):
            out[key] = True
    if s.get("text_wrap"):
        out["wrap"] = True
    if s.get("valign", "bottom") != "bottom":
        out["valign"] = s["valign"]
    if "font_color" in s:
        out["font_color"] = _colour(s["font_color"])
    if "bg_color" in s:
        out["fill"] = _colour(s["bg_color"])
    for key in ("top", "bottom"):
        if s.get(key):
            out[f"line_{key}"] = True  # Excel's automatic colour
    if s.get("border"):
        out["lines"] = _colour(s["border_color"]) if "border_color" in s else True
    return out


def _set_font(prop: str) -> Callable[[Any, object], None]:
    def setter(rng: Any, value: object) -> None:
        setattr(rng.font, prop, value)

    return setter


def _set(prop: str) -> Callable[[Any, object], None]:
    def setter(rng: Any, value: object) -> None:
        setattr(rng, prop, value)

    return setter


def _lines(sides: str | list[str]) -> Callable[[Any, object], None]:
    """Thin lines on these sides of every cell of a block (inside_horizontal: between its rows)."""

    def setter(rng: Any, colour: object) -> None:
        coloured = {"color": colour} if isinstance(colour, str) else {}  # else Excel's automatic
        rng.borders.set(sides, line_style="continuous", weight="thin", **coloured)

    return setter


PROPERTIES: dict[str, Callable[[Any, object], None]] = {
    "number_format": _set("number_format"),
    "fill": _set("color"),
    "bold": _set_font("bold"),
    "italic": _set_font("italic"),
    "font_color": _set_font("color"),
    "size": _set_font("size"),
    "wrap": _set("wrap_text"),
    "align": _set("horizontal_alignment"),
    "valign": _set("vertical_alignment"),
    "line_top": _lines(["edge_top", "inside_horizontal"]),
    "line_bottom": _lines(["edge_bottom", "inside_horizontal"]),
    "lines": _lines("all"),
}


def blocks(cells: dict[tuple[int, int], V]) -> list[tuple[Block, V]]:
    """Cells with the same value as few rectangles: runs along each row, stacked where the next
    row has the same run."""
    runs: list[tuple[int, int, int, V]] = []
    for (r, c), v in sorted(cells.items()):
        if runs and runs[-1][0] == r and runs[-1][2] == c - 1 and runs[-1][3] == v:
            runs[-1] = (r, runs[-1][1], c, v)
        else:
            runs.append((r, c, c, v))
    open_: dict[tuple[int, int, V], list[int]] = {}  # (first col, last col, value) -> [first row, last row]
    done: list[tuple[Block, V]] = []
    for r, c1, c2, v in runs:
        key = (c1, c2, v)
        if key in open_ and open_[key][1] == r - 1:
            open_[key][1] = r
            continue
        if key in open_:
            done.append(((open_[key][0], c1, open_[key][1], c2), v))
        open_[key] = [r, r]
    done += [((r1, c1, r2, c2), v) for (c1, c2, v), (r1, r2) in open_.items()]
    return sorted(done, key=lambda b: b[0])


def blocks_1d(items: Iterable[tuple[int, V]]) -> list[tuple[tuple[int, int], V]]:
    """Consecutive indexes with the same value as (first, last) runs."""
    out: list[tuple[tuple[int, int], V]] = []
    for i, v in items:
        if out and out[-1][0][1] == i - 1 and out[-1][1] == v:
            out[-1] = ((out[-1][0][0], i), v)
        else:
            out.append(((i, i), v))
    return out


def column_points(width: float) -> float:
    """An XlsxWriter column width (characters of Calibri 11) in points, as Office.js takes it:
    the pixels Excel draws (7 a character and 5 of padding), at 96 to the inch."""
    pixels = int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)
    return pixels * 0.75


def frozen(rows: int, cols: int) -> str:
    """XlsxWriter's freeze_panes(rows, cols) as the cells Office.js keeps in view."""
    from xlsxwriter.utility import xl_col_to_name

    if rows and cols:
        return f"A1:{xl_col_to_name(cols - 1)}{rows}"
    if rows:
        return f"1:{rows}"
    return f"A:{xl_col_to_name(cols - 1)}"


# The scripts: one per button. Lite sends the Start sheet (the settings, the status line) and the
# Texter sheet (the economist's texts); the result sheets are only written.
READS = [START_SHEET, texter.NAME]


def _button(i: int) -> str:
    """The Start sheet's shape for the i-th button ('TextBox n', XlsxWriter's name for it) and the
    cell under it that its link selects, which is what runs the script."""
    _caption, row = BUTTONS[i]
    return f"[TextBox {i + 1}]{START_SHEET}!{chr(ord('A') + BUTTON_COLUMN)}{row + 1}"


@script(name="Skapa mallar", include=READS, button=_button(0), show_taskpane=True)
def skapa_mallar(book: xw.Book) -> None:
    """En förifylld enhetsmall per enhet, i mappen för nya mallar på bladet Start."""
    macros.skapa_mallar(LitePort(book))


@script(name="Konsolidera", include=READS, button=_button(1), show_taskpane=True)
def konsolidera(book: xw.Book) -> None:
    """Läser inkorgen, kontrollerar varje fil och fyller i bladen med förvaltningens tabeller."""
    macros.konsolidera(LitePort(book))


@script(name="Skapa rapport", include=READS, button=_button(2), show_taskpane=True)
def skapa_rapport(book: xw.Book) -> None:
    """Skriver rapporten som Word-dokument med förvaltningens texter från bladet Texter."""
    macros.skapa_rapport(LitePort(book))


# The functions: the classic ones, with their Swedish names, parameters and help, under xlwings'
# Office.js decorators. An error cell passed in arrives as its text ('#N/A'), so it is refused.
def _lite(udf: Callable[..., Any]) -> Callable[..., Any]:
    compute = inspect.unwrap(udf)  # the classic function without its error text in the cell
    name = udf.__name__

    def call(*args: Any) -> Any:
        try:
            return compute(*args)
        except (udfs.BadInput, ValueError, ArithmeticError) as e:
            print(f"{name}: {e}")  # xlwings Lite's output pane
            return EXCEL_ERROR

    call.__name__ = call.__qualname__ = name
    call.__doc__ = udf.__doc__
    call.__module__ = __name__
    call.__annotations__ = {}
    call.__signature__ = inspect.signature(compute)  # type: ignore[attr-defined]
    decorated: Callable[..., Any] = func(call)
    for param, doc in udfs.ARG_DOCS[name].items():
        decorated = arg(param, doc=doc, err_to_str=True)(decorated)
    return decorated


VSS_AVVIKELSE = _lite(udfs.VSS_AVVIKELSE)
VSS_AVVIKELSE_PROCENT = _lite(udfs.VSS_AVVIKELSE_PROCENT)
VSS_PROGNOS_UTFALLSTAKT = _lite(udfs.VSS_PROGNOS_UTFALLSTAKT)
VSS_PROGNOS_BUDGETREST = _lite(udfs.VSS_PROGNOS_BUDGETREST)
VSS_PROGNOS_SASONG = _lite(udfs.VSS_PROGNOS_SASONG)
VSS_PROGNOS = _lite(udfs.VSS_PROGNOS)
VSS_PROGNOS_MANADER = _lite(udfs.VSS_PROGNOS_MANADER)
VSS_VASENTLIG = _lite(udfs.VSS_VASENTLIG)
VSS_TKR = _lite(udfs.VSS_TKR)
