"""Entry points of the Konsolidering workbook's buttons (VBA RunPython -> these functions).

Thin on purpose: they read the Start sheet, run the same jobs as the CLI and put the result
into the open workbook. Every xlwings call goes through ExcelPort, so everything else here
runs, and is tested, without Excel.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from .. import settings
from ..errors import UserError, log_unexpected, os_reason
from ..model import Finding, Forvaltning, Period, Severity, sorted_findings
from ..paths import INBOX_FOLDER, TEMPLATES_FOLDER
from ..rapport.sheet import Sheet  # light: how a sheet is described
from ..swedish import count, count_text

# The jobs (matplotlib, docxtpl) are imported by the button that runs them, as the CLI's
# commands do: a click does not wait for what it does not use.

START_SHEET = "Start"
# Named cells on the Start sheet: (name, label). The build lays them out from here and fills
# them from `start_values`.
START_CELLS = (
    ("Start_Period", "Period (ÅÅÅÅ-MM)"),
    ("Start_Mallmapp", "Mapp för nya mallar"),
    ("Start_Underlag", "Huvudbok eller underlag (SIE, Excel eller CSV, valfritt)"),
    ("Start_Inkorg", "Inkorg: mappen med ifyllda mallar"),
    ("Start_Installningar", f"Inställningsfil (tom = {settings.FILE_NAME} i mappen, annars VSS)"),
)
STATUS = "Start_Status"
# The Start sheet's buttons, in this order in both workbooks: caption and row (0-based) in column D.
BUTTONS = (("Skapa mallar", 2), ("Konsolidera", 5), ("Skapa rapport", 8))
BUTTON_COLUMN = 3
TEXT_PREFIXES = ("=", "+", "-", "@")
# A text Excel would read as something else when it is written, as when it is typed: a number, a
# date or time ('2', '2020-10-05 12:00', 'okt 2020', '1/2'), a truth value.
_TYPED = re.compile(
    r"[\d.,−]|(sant|falskt|true|false)$|(jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)\w*[-\s./]*\d",
    re.IGNORECASE,
)
Fill = tuple[int, int, int, tuple[int, int, int]]  # row, first and last column (0-based), RGB


def start_values(forv: Forvaltning, settings_path: str = "") -> dict[str, str]:
    """The Start sheet's cells in a new workbook: the period and the settings it was built with."""
    return {
        "Start_Period": forv.period.iso,
        "Start_Mallmapp": TEMPLATES_FOLDER,
        "Start_Underlag": "",
        "Start_Inkorg": INBOX_FOLDER,
        "Start_Installningar": settings_path,
    }


def fills_of(sheet: Sheet) -> list[Fill]:
    """The sheet's cell fills as its styles give them (headers, marks, fel and varning), in runs
    of one row and one colour: a few calls to Excel rather than one per cell."""
    from ..rapport.xlsx import STYLES

    out: list[Fill] = []
    for (r, c), cell in sorted(sheet.cells.items()):
        hex_colour = STYLES[cell.style].get("bg_color")
        if hex_colour is None:
            continue
        rgb = (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))
        if out and out[-1][0] == r and out[-1][2] == c - 1 and out[-1][3] == rgb:
            out[-1] = (r, out[-1][1], c, rgb)
        else:
            out.append((r, c, c, rgb))
    return out


class ExcelPort(Protocol):
    """The few things the jobs ask of the workbook and of the place it runs in: the classic
    workbook's buttons (XlwingsPort) and xlwings Lite's scripts (lite.LitePort) give the same."""

    @property
    def workers(self) -> int | None:
        """Worker processes for the files (None: the default; 0: in this process)."""

    @property
    def no_pdf(self) -> str | None:
        """Why the report gets no PDF here, said to the user (None: it gets one)."""

    @property
    def files_note(self) -> str:
        """Where the files just written can be found, said after the status line."""

    def read(self, name: str) -> object: ...
    def write(self, name: str, value: object) -> None: ...
    def show_sheet(self, sheet: Sheet) -> None: ...
    def sheet_values(self, sheet: str) -> list[list[object]]: ...
    def alert(self, text: str, title: str) -> None: ...
    def folder(self) -> Path: ...
    def log_unexpected(self) -> str: ...


def as_excel_text(value: object) -> object:
    """A text Excel would take for a formula, a number or a date ('=…', '-…', '2', 'okt 2020') gets a
    leading apostrophe: it stays the text it is."""
    if isinstance(value, str) and (value.startswith(TEXT_PREFIXES) or _TYPED.match(value.strip())):
        return "'" + value
    return value


class XlwingsPort:
    """ExcelPort over an xlwings Book (the workbook whose button was clicked)."""

    workers: int | None = None
    no_pdf: str | None = None
    files_note = ""  # beside the workbook, where the status line says

    def __init__(self, book: Any) -> None:
        self.book = book

    @classmethod
    def caller(cls) -> XlwingsPort:
        import xlwings as xw

        return cls(xw.Book.caller())

    def read(self, name: str) -> object:
        return self.book.names[name].refers_to_range.value

    def write(self, name: str, value: object) -> None:
        self.book.names[name].refers_to_range.value = as_excel_text(value)

    def show_sheet(self, sheet: Sheet) -> None:
        """The values and fills; the workbook's sheets are pre-formatted as the CLI's file. A sheet
        it lacks is added last (Prognossäkerhet at year end, or a sheet deleted by hand)."""
        names = [s.name for s in self.book.sheets]
        if sheet.name not in names:
            self.book.sheets.add(sheet.name, after=self.book.sheets[len(names) - 1])
        ws = self.book.sheets[sheet.name]
        rows = sheet.grid()
        if sheet.keep_columns and sheet.name in names:  # the economist's columns: write the others
            for r, c, column in other_columns(sheet):
                ws.range((r + 1, c + 1)).value = column
            return
        ws.cells.clear_contents()  # formats stay: the sheets are pre-formatted
        ws.cells.color = None  # the last run's marks go; every fill of this run is set below
        if rows:
            ws.range("A1").value = [[as_excel_text(v) for v in row] for row in rows]
        for r, first, last, rgb in fills_of(sheet):
            ws.range((r + 1, first + 1), (r + 1, last + 1)).color = rgb

    def sheet_values(self, sheet: str) -> list[list[object]]:
        return sheet_values(self.book, sheet)

    def alert(self, text: str, title: str) -> None:
        self.book.app.alert(text, title=title)

    def folder(self) -> Path:
        return Path(self.book.fullname).parent

    def log_unexpected(self) -> str:
        return str(log_unexpected())


def sheet_values(book: Any, sheet: str) -> list[list[object]]:
    """A sheet's values from A1, through xlwings (either workbook); none for a sheet the workbook
    lacks (deleted by hand), as texter.read gives for a file without one."""
    if sheet not in [s.name for s in book.sheets]:
        return []
    value = book.sheets[sheet].used_range.value
    if not isinstance(value, list):
        return [[value]]
    return [row if isinstance(row, list) else [row] for row in value]


Column = list[list[object]]  # a column's values as Excel takes them: rows of one


def other_columns(sheet: Sheet) -> list[tuple[int, int, Column]]:
    """The values of every column but those the economist writes in, as (first row, column,
    values) runs; a cell inside a merged range is skipped (Excel refuses to write part of one)."""
    rows = sheet.grid()
    hidden = {
        (r, c)
        for r1, c1, r2, c2 in sheet.merges
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }
    runs: list[tuple[int, int, Column]] = []
    for c in range(max((len(r) for r in rows), default=0)):
        if c in sheet.keep_columns:
            continue
        for r, row in enumerate(rows):
            if (r, c) in hidden:
                continue
            value = as_excel_text(row[c] if c < len(row) else None)
            if runs and runs[-1][1] == c and runs[-1][0] + len(runs[-1][2]) == r:
                runs[-1][2].append([value])
            else:
                runs.append((r, c, [[value]]))
    return runs


def _text(port: ExcelPort, name: str) -> str:
    v = port.read(name)
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):  # Excel may turn 2020-10 into a date
        return f"{v.year:04d}-{v.month:02d}"
    return str(v).strip()


def _path(port: ExcelPort, name: str) -> Path | None:
    text = _text(port, name)
    if not text:
        return None
    p = Path(text).expanduser()
    return p if p.is_absolute() else port.folder() / p


def _settings(port: ExcelPort, *folders: Path) -> tuple[Forvaltning, Period, bool]:
    """The settings named on the Start sheet, else vss-excel.toml found, else the built-in example
    (True)."""
    path = _path(port, "Start_Installningar") or settings.find(port.folder(), *folders)
    forv = settings.load(path)
    return forv, forv.period_for(_text(port, "Start_Period")), path is None


def _inbox(port: ExcelPort) -> tuple[Path, Forvaltning, Period, Path | None, bool]:
    """The inbox, the settings found beside it (and whether they are the example's), and the sent
    templates' folder where there is one."""
    inbox = _path(port, "Start_Inkorg")
    if inbox is None or not inbox.is_dir():
        raise UserError(f"Inkorgen {inbox or '(tom)'} finns inte. Ange mappen med de ifyllda mallarna.")
    forv, period, example = _settings(port, inbox, inbox.parent)
    templates = _path(port, "Start_Mallmapp")  # before the first Skapa mallar it may not exist yet
    return inbox, forv, period, templates if templates and templates.is_dir() else None, example


def _run(port: ExcelPort, title: str, job: Callable[[ExcelPort], tuple[str, list[Finding]]]) -> None:
    """Status line always; a message box when something is wrong; never a traceback."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    port.write(STATUS, f"{stamp} {title} pågår …")
    try:
        summary, findings = job(port)
    except UserError as e:
        return _stopped(port, stamp, title, str(e))
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        return _stopped(port, stamp, title, f"kunde inte läsa eller skriva{where}: {os_reason(e)}.")
    except Exception:
        where = port.log_unexpected()
        return _stopped(port, stamp, title, f"ett oväntat fel inträffade; detaljerna finns i {where}.")
    port.write(STATUS, f"{stamp} {summary}")
    errors = [f for f in findings if f.severity is Severity.FEL]
    if errors:
        lines = "\n".join(f.line() for f in errors[:10])
        more = f"\n… och {len(errors) - 10} till." if len(errors) > 10 else ""
        port.alert(f"{summary}\n\n{lines}{more}", title)


def _stopped(port: ExcelPort, stamp: str, title: str, why: str) -> None:
    port.write(STATUS, f"{stamp} {title} avbröts: {why}")
    port.alert(f"{title} avbröts:\n{why}", title)


def _konsolidera(port: ExcelPort) -> tuple[str, list[Finding]]:
    from .. import archive
    from ..konsolidera.summary import summary
    from ..rapport import run

    inbox, forv, period, templates, example = _inbox(port)
    archive_dir = port.folder() / archive.FOLDER
    result = run.konsolidera(
        inbox, forv, period, None, archive_dir, templates=templates, n_workers=port.workers, example=example
    )
    for sheet in run.sheets(result, forv, period, port.folder()):
        port.show_sheet(sheet)
    return f"Konsoliderat {period.span()}: {summary(result, forv)}", list(result.findings)


def _findings_sheet(findings: Sequence[Finding]) -> Sheet:
    s = Sheet("Kontroll", (10, 36, 14, 10, 90))
    s.headers(0, ["Allvar", "Fil", "Blad", "Cell", "Vad som ska göras"], numeric_from=99)
    for r, f in enumerate(sorted_findings(findings), 1):
        for c, v in enumerate((f.severity.value, f.file, f.sheet, f.cell, f.message)):
            s.put(r, c, v, f.severity.value if c == 0 else "text")
    return s


def _skapa_mallar(port: ExcelPort) -> tuple[str, list[Finding]]:
    from .. import archive
    from ..enhetsmall import mallar

    forv, period, _ = _settings(port)
    target = _path(port, "Start_Mallmapp") or port.folder() / TEMPLATES_FOLDER
    source = _path(port, "Start_Underlag")
    if source is not None:
        _readable_here(source)
    archive_dir = port.folder() / archive.FOLDER
    sources = [source] if source else []
    sent = mallar.skapa_mallar(forv, period, target, sources, archive_dir, n_workers=port.workers)
    written, findings = sent.written, sent.findings
    if findings:
        port.show_sheet(_findings_sheet(findings))
    made = count(len(written), "mall", "mallar")
    summary = f"{made} för {period.span()} skrevs till {target}; {count_text(findings)}.{port.files_note}"
    return summary, findings


def _readable_here(source: Path) -> None:
    """An Excel export needs python-calamine, which Excel on Mac and the web (xlwings Lite) lacks:
    said before anything is written, with what to give instead."""
    from ..ledger.underlag import EXCEL_SUFFIXES

    if source.suffix.lower() in EXCEL_SUFFIXES and importlib.util.find_spec("python_calamine") is None:
        raise UserError(
            f"Underlaget {source.name} är en Excelfil, och här finns inget som läser Excelfiler som "
            "underlag (python-calamine). Ange SIE-filen från ekonomisystemet, eller spara exporten som CSV."
        )


def _skapa_rapport(port: ExcelPort) -> tuple[str, list[Finding]]:
    from ..konsolidera import job as jobs
    from ..rapport import texter
    from ..rapport.dokument import write_report

    inbox, forv, period, templates, example = _inbox(port)
    result = jobs.consolidate_folder(inbox, forv, period, port.workers, templates=templates, example=example)
    texts = texter.from_rows(port.sheet_values(texter.NAME))
    written = write_report(port.folder(), forv, period, result.tables, texts, pdf=port.no_pdf is None)
    made = ", ".join(p.name for p in (written.docx, written.pdf) if p is not None)
    notes = " ".join((*written.notes, port.no_pdf or ""))
    return f"Rapporten skrevs: {made}. {notes}".strip() + port.files_note, list(result.findings)


def skapa_rapport(port: ExcelPort | None = None) -> None:
    """The Skapa rapport button."""
    _run(port or XlwingsPort.caller(), "Skapa rapport", _skapa_rapport)


def konsolidera(port: ExcelPort | None = None) -> None:
    """The Konsolidera button."""
    _run(port or XlwingsPort.caller(), "Konsolidera", _konsolidera)


def skapa_mallar(port: ExcelPort | None = None) -> None:
    """The Skapa mallar button."""
    _run(port or XlwingsPort.caller(), "Skapa mallar", _skapa_mallar)
