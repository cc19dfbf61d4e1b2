"""Entry points of the Konsolidering workbook's buttons (VBA RunPython -> these functions).

Thin on purpose: they read the Start sheet, run the same jobs as the CLI and put the result
into the open workbook. Every xlwings call goes through ExcelPort, so everything else here
runs, and is tested, without Excel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from .. import settings
from ..konsolidera import job as jobs
from ..ledger import underlag
from ..model import Finding, Forvaltning, Period, Severity, count_text, sorted_findings
from ..rapport import konsolidering as workbook

START_SHEET = "Start"
# Named cells on the Start sheet: (name, label, default). The build lays them out from here.
START_CELLS = (
    ("VSS_Period", "Period (ÅÅÅÅ-MM)", "2020-10"),
    ("VSS_Mallmapp", "Mapp för nya mallar", "mallar"),
    ("VSS_Underlag", "Underlag för mallarna (CSV/Excel, valfritt)", ""),
    ("VSS_Inkorg", "Inkorg: mappen med ifyllda mallar", "inkorg"),
    ("VSS_Installningar", "Inställningsfil (tom = VSS standard)", ""),
)
STATUS = "VSS_Status"
TEXT_PREFIXES = ("=", "+", "-", "@")


class ExcelPort(Protocol):
    """The few things the macros ask of Excel."""

    def read(self, name: str) -> object: ...
    def write(self, name: str, value: object) -> None: ...
    def show_sheet(self, sheet: str, rows: list[list[object]]) -> None: ...
    def alert(self, text: str, title: str) -> None: ...
    def folder(self) -> Path: ...


def as_excel_text(value: object) -> object:
    """A text Excel would take for a formula or a number ('=…', '-…') gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TEXT_PREFIXES):
        return "'" + value
    return value


class XlwingsPort:
    """ExcelPort over an xlwings Book (the workbook whose button was clicked)."""

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

    def show_sheet(self, sheet: str, rows: list[list[object]]) -> None:
        ws = self.book.sheets[sheet]
        ws.cells.clear_contents()  # formats stay: the sheets are pre-formatted
        if rows:
            ws.range("A1").value = [[as_excel_text(v) for v in row] for row in rows]

    def alert(self, text: str, title: str) -> None:
        self.book.app.alert(text, title=title)

    def folder(self) -> Path:
        return Path(self.book.fullname).parent


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


def _settings(port: ExcelPort) -> tuple[Forvaltning, Period]:
    forv = settings.load(_path(port, "VSS_Installningar"))
    text = _text(port, "VSS_Period")
    return forv, Period.parse(text, forv.period.kind) if text else forv.period


def _run(port: ExcelPort, title: str, job: Callable[[ExcelPort], tuple[str, list[Finding]]]) -> None:
    """Status line always; a message box when something is wrong; never a traceback."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    port.write(STATUS, f"{stamp} {title} pågår …")
    try:
        summary, findings = job(port)
    except (settings.SettingsError, ValueError, OSError) as e:
        port.write(STATUS, f"{stamp} {title} avbröts: {e}")
        port.alert(f"{title} avbröts:\n{e}", title)
        return
    port.write(STATUS, f"{stamp} {summary}")
    errors = [f for f in findings if f.severity is Severity.FEL]
    if errors:
        lines = "\n".join(f.line() for f in errors[:10])
        more = f"\n… och {len(errors) - 10} till." if len(errors) > 10 else ""
        port.alert(f"{summary}\n\n{lines}{more}", title)


def _konsolidera(port: ExcelPort) -> tuple[str, list[Finding]]:
    forv, period = _settings(port)
    inbox = _path(port, "VSS_Inkorg")
    if inbox is None or not inbox.is_dir():
        raise ValueError(f"Inkorgen {inbox or '(tom)'} finns inte. Ange mappen med de ifyllda mallarna.")
    result = jobs.consolidate_folder(inbox, forv, period, None)
    sources = [f.source for f in result.inbox.files]
    sheets = workbook.sheet_values(forv, period, result.tables, result.findings, sources, port.folder())
    for name, rows in sheets.items():
        port.show_sheet(name, rows)
    used = sum(s.used for s in sources)
    summary = (
        f"Konsoliderat {period.span()}: {len(sources)} filer, {used} används; {count_text(result.findings)}."
    )
    return summary, result.findings


def _skapa_mallar(port: ExcelPort) -> tuple[str, list[Finding]]:
    forv, period = _settings(port)
    target = _path(port, "VSS_Mallmapp") or port.folder() / "mallar"
    findings: list[Finding] = []
    prefill = None
    source = _path(port, "VSS_Underlag")
    if source is not None:
        prefill, findings = underlag.read(source, forv)
    written, found = jobs.make_templates(forv, period, target, prefill)
    findings += found
    if findings:
        rows: list[list[object]] = [["Allvar", "Fil", "Blad", "Cell", "Vad som ska göras"]]
        rows += [[f.severity.value, f.file, f.sheet, f.cell, f.message] for f in sorted_findings(findings)]
        port.show_sheet("Kontroll", rows)
    summary = f"{len(written)} mallar för {period.span()} skrevs till {target}; {count_text(findings)}."
    return summary, findings


def konsolidera(port: ExcelPort | None = None) -> None:
    """The Konsolidera button."""
    _run(port or XlwingsPort.caller(), "Konsolidera", _konsolidera)


def skapa_mallar(port: ExcelPort | None = None) -> None:
    """The Skapa mallar button."""
    _run(port or XlwingsPort.caller(), "Skapa mallar", _skapa_mallar)
