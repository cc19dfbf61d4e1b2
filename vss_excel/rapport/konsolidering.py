"""Writes the Konsolidering workbook (.xlsx) from the consolidated tables and the findings.

Amounts are written as whole tkr, each rounded once from exact kronor; every text a unit
wrote is written as text, never as a formula. Written to a temporary file, renamed into place.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from .. import calc, files
from ..enhetsmall.cells import wrapped_height
from ..enhetsmall.reader import SourceFile
from ..konsolidera.tables import INVEST_COLUMNS, PERSONAL_METHOD, Tables, cell
from ..model import MONTH_NAME, Finding, Forvaltning, Period, Severity, count_text, sorted_findings

ROUNDING_NOTE = "Avrundningsdifferenser kan förekomma."
TKR = "#,##0;-#,##0;0"


class Recorder:
    """A worksheet stand-in: records what is written, to replay on a real sheet.

    The sheets are described once; XlsxWriter (the CLI's file) and the open workbook (the
    Konsolidera button, through xlwings) both show what was recorded.
    """

    VALUE_CALLS = ("write_string", "write_number", "write_blank", "write_url")

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.values: dict[tuple[int, int], object] = {}

    def __getattr__(self, method: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((method, args, kwargs))
            if method in self.VALUE_CALLS:
                r, c = args[0], args[1]
                if method == "write_url":  # (row, col, url, format, string): the text shown
                    value = args[4] if len(args) > 4 else kwargs.get("string", args[2])
                else:
                    value = None if method == "write_blank" else args[2]
                self.values[(r, c)] = value

        return record

    def replay(self, ws: Any) -> None:
        for method, args, kwargs in self.calls:
            getattr(ws, method)(*args, **kwargs)

    def grid(self) -> list[list[object]]:
        """The sheet's values as rows from A1 (None where nothing is written)."""
        if not self.values:
            return []
        rows = max(r for r, _ in self.values) + 1
        cols = max(c for _, c in self.values) + 1
        out: list[list[object]] = [[None] * cols for _ in range(rows)]
        for (r, c), v in self.values.items():
            out[r][c] = v
        return out


class _NullChart:
    def __getattr__(self, method: str) -> Any:
        return lambda *args, **kwargs: None


class _NullBook:
    """Formats and charts that go nowhere: for describing sheets without writing a file."""

    def add_format(self, props: dict[str, Any] | None = None) -> object:
        return object()

    def add_chart(self, props: dict[str, Any]) -> _NullChart:
        return _NullChart()


class _Writer:
    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.sheets: list[Recorder] = []
        f = wb.add_format
        self.title = f({"bold": True, "font_size": 14})
        self.subtitle = f({"bold": True, "font_size": 11})
        self.header = f(
            {"bold": True, "text_wrap": True, "valign": "bottom", "bottom": 1, "bg_color": "#DDEBF7"}
        )
        self.header_num = f(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "bottom",
                "bottom": 1,
                "bg_color": "#DDEBF7",
                "align": "right",
            }
        )
        self.text = f({"valign": "top"})
        self.wrap = f({"text_wrap": True, "valign": "top"})
        self.bold = f({"bold": True, "top": 1})
        self.tkr = f({"num_format": TKR, "align": "right"})
        self.tkr_bold = f({"num_format": TKR, "bold": True, "top": 1})
        self.num = f({"num_format": "#,##0"})
        self.pct = f({"num_format": "0.0"})
        self.note = f({"italic": True, "font_color": "#595959"})
        self.link = f({"font_color": "blue", "underline": 1, "valign": "top"})
        self.sev = {
            Severity.FEL: f({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE", "valign": "top"}),
            Severity.VARNING: f({"font_color": "#9C5700", "bg_color": "#FFEB9C", "valign": "top"}),
            Severity.INFO: f({"font_color": "#404040", "valign": "top"}),
        }

    def sheet(self, name: str, title: str, widths: Sequence[float]) -> Recorder:
        """A new result sheet: column widths from A on, and its title in A1."""
        rec = Recorder(name)
        self.sheets.append(rec)
        for c, width in enumerate(widths):
            rec.set_column(c, c, width)
        rec.write_string(0, 0, title, self.title)
        return rec

    def chart(self, props: dict[str, Any]) -> Any:
        return self.wb.add_chart(props)

    def value(self, ws: Any, r: int, c: int, v: object, fmt: Any = None) -> None:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            if fmt is self.tkr or fmt is self.tkr_bold:
                ws.write_string(r, c, "–", fmt)  # as the report shows a figure that does not exist
            else:
                ws.write_blank(r, c, None, fmt)
        elif isinstance(v, bool):
            ws.write_string(r, c, "Ja" if v else "", fmt)
        elif isinstance(v, int | float):
            ws.write_number(r, c, v, fmt)
        else:
            ws.write_string(r, c, str(v), fmt)  # units' texts stay text, even '=…'

    def headers(self, ws: Any, r: int, names: Sequence[str], numeric_from: int = 1) -> None:
        longest = max((len(h) for h in names[1:]), default=0)
        ws.set_row(r, 15 * min(4, max(1, -(-longest // 13))))  # room for wrapped headers
        for c, h in enumerate(names):
            ws.write_string(r, c, h, self.header_num if c >= numeric_from else self.header)


def fit_height(ws: Any, r: int, cells: Sequence[tuple[object, float]]) -> None:
    height = wrapped_height(cells)
    if height:
        ws.set_row(r, height)


def _drift(w: _Writer, forv: Forvaltning, period: Period, t: Tables) -> None:
    ws = w.sheet("Driftsammandrag", f"{forv.name}: driftsammandrag, netto tkr", [30, 15, 15, 15, 15])
    last_day = calendar.monthrange(period.year, period.month)[1]
    ws.write_string(2, 0, f"Resultat {last_day} {MONTH_NAME[period.month - 1]} {period.year}", w.subtitle)
    w.headers(
        ws,
        3,
        [
            "Verksamhet",
            f"Redovisat {period.span()}",
            f"Budget {period.span()}",
            "Avvikelse",
            "Redovisat samma period föregående år",
        ],
    )
    r = 4
    units = [u.name for u in forv.units]
    for name in [*units, "Summa"]:
        row = t.drift.loc[name]
        fmt = w.tkr_bold if name == "Summa" else w.tkr
        w.value(ws, r, 0, name, w.bold if name == "Summa" else w.text)
        for c, col in enumerate(("redovisat", "budget", "avvikelse", "redovisat_fg"), 1):
            w.value(ws, r, c, calc.tkr(cell(row[col])), fmt)
        r += 1
    ws.write_string(r, 0, ROUNDING_NOTE, w.note)
    r += 2
    first_2 = r
    ws.write_string(r, 0, f"Prognos resultat {period.year}", w.subtitle)
    w.headers(
        ws,
        r + 1,
        ["Verksamhet", "Prognos helår", f"Budget {period.year}", "Avvikelse", f"Bokslut {period.year - 1}"],
    )
    r += 2
    table_start = r
    for name in [*units, "Summa", "varav kostnader", "varav intäkter"]:
        row = t.drift.loc[name]
        bold = name == "Summa"
        w.value(ws, r, 0, "Summa nettokostnader, tkr" if bold else name, w.bold if bold else w.text)
        for c, col in enumerate(("prognos", "budget_helar", "avvikelse_helar", "bokslut_fg"), 1):
            w.value(ws, r, c, calc.tkr(cell(row[col])), w.tkr_bold if bold else w.tkr)
        r += 1
    ws.write_string(r, 0, ROUNDING_NOTE, w.note)
    chart = w.chart({"type": "column"})
    n = len(units)
    for value_col, series in ((2, f"Budget {period.year}"), (1, "Prognos helår")):
        chart.add_series(
            {
                "name": series,
                "categories": ["Driftsammandrag", table_start, 0, table_start + n - 1, 0],
                "values": ["Driftsammandrag", table_start, value_col, table_start + n - 1, value_col],
            }
        )
    chart.set_title({"name": f"Budget och prognos {period.year} per verksamhet, netto tkr"})
    chart.set_y_axis({"num_format": TKR})
    chart.set_size({"width": 720, "height": 360})
    ws.insert_chart(first_2 - 1, 6, chart)


def _ekonomi(w: _Writer, forv: Forvaltning, period: Period, t: Tables) -> None:
    ws = w.sheet("Ekonomi", "Ekonomi, belopp tkr", [44, 14, 14, 14])
    w.headers(ws, 2, ["", "Prognos helår", f"Budget {period.year}", "Avvikelse"])
    for i, (name, row) in enumerate(t.ekonomi.iterrows(), 3):
        w.value(ws, i, 0, name, w.text)
        for c, col in enumerate(("prognos", "budget", "avvikelse"), 1):
            w.value(ws, i, c, calc.tkr(cell(row[col])), w.tkr)
    ws.write_string(
        3 + len(t.ekonomi),
        0,
        "Investeringar: budget = investeringsram, avvikelse = ram − prognos netto. " + ROUNDING_NOTE,
        w.note,
    )


def _investeringar(w: _Writer, forv: Forvaltning, period: Period, t: Tables) -> None:
    ws = w.sheet("Investeringar", "Investeringar, belopp tkr", [24, 24, 14, 14, 14, 14, 14, 14, 14, 60])
    w.headers(
        ws,
        2,
        [
            "Verksamhet",
            "Projekt",
            f"Redovisat utgifter {period.span()}",
            f"Redovisat inkomster {period.span()}",
            f"Prognos utgifter {period.year}",
            f"Prognos inkomster {period.year}",
            f"Prognos netto {period.year}",
            f"Investeringsram {period.year}",
            "Avvikelse",
            "Kommentar",
        ],
        numeric_from=2,
    )
    cols = INVEST_COLUMNS
    r = 3
    for _, row in t.investeringar.iterrows():
        bold = row["enhet"] == "Summa investeringar"
        w.value(ws, r, 0, row["enhet"], w.bold if bold else w.text)
        w.value(ws, r, 1, row["projekt"], w.bold if bold else w.text)
        for c, col in enumerate(cols, 2):
            w.value(ws, r, c, calc.tkr(cell(row[col])), w.tkr_bold if bold else w.tkr)
        w.value(ws, r, 9, row["kommentar"], w.wrap)
        fit_height(ws, r, [(row["kommentar"], 60)])
        r += 1
    ws.write_string(
        r, 0, "Avvikelse = investeringsram − prognos netto (positiv: under ramen). " + ROUNDING_NOTE, w.note
    )


def _volymer(w: _Writer, forv: Forvaltning, period: Period, t: Tables) -> None:
    ws = w.sheet("Volymer", "Basuppdrag (volymmått)", [32, 20, 14, 14, 14, 60])
    w.headers(
        ws,
        2,
        [
            "Volymmått",
            "Verksamhet",
            f"Prognos {period.year}",
            period.month_label(),
            period.month_label(period.year - 1),
            "Kommentar",
        ],
        numeric_from=2,
    )
    for i, (_, row) in enumerate(t.volymer.iterrows(), 3):
        w.value(ws, i, 0, row["matt"], w.text)
        w.value(ws, i, 1, row["enhet"], w.text)
        for c, col in enumerate(("prognos", "utfall", "utfall_fg"), 2):
            v = cell(row[col])
            w.value(ws, i, c, None if v is None else float(v), w.num)
        w.value(ws, i, 5, row["kommentar"], w.wrap)
        fit_height(ws, i, [(row["kommentar"], 60)])


def _personal(w: _Writer, forv: Forvaltning, period: Period, t: Tables) -> None:
    ws = w.sheet("Personal", "Personal", [34, 14, 14, 14])
    w.headers(
        ws, 2, ["Personal", period.month_label(), period.month_label(period.year - 1), "Målvärde helår"]
    )
    r = 3
    for _, row in t.personal.iterrows():
        w.value(ws, r, 0, row["matt"], w.text)
        is_count = row["matt"] == forv.personnel[0].name and forv.personnel[0].kind.value == "antal"
        for c, col in enumerate(("utfall", "utfall_fg", "malvarde"), 1):
            v = cell(row[col])
            if v is None:
                w.value(ws, r, c, None)
            elif is_count:
                w.value(ws, r, c, int(calc.round_half_up(v)), w.num)
            else:
                w.value(ws, r, c, float(calc.round_half_up(v, 1)), w.pct)
        r += 1
    ws.write_string(r, 0, PERSONAL_METHOD, w.note)
    r += 2
    ws.write_string(r, 0, "Per verksamhet", w.subtitle)
    names = [m.name for m in forv.personnel]
    heads = ["Verksamhet"]
    for n in names:
        heads += [f"{n}, {period.month_label()}", f"{n}, {period.month_label(period.year - 1)}"]
    ws.set_column(4, len(heads), 14)
    w.headers(ws, r + 1, heads)
    for i, (_, row) in enumerate(t.personal_per_unit.iterrows(), r + 2):
        w.value(ws, i, 0, row["enhet"], w.text)
        c = 1
        for m in forv.personnel:
            for key in (m.id, f"{m.id}_fg"):
                v = cell(row[key])
                w.value(
                    ws, i, c, None if v is None else float(v), w.num if m.kind.value == "antal" else w.pct
                )
                c += 1


def _aktiviteter(w: _Writer, forv: Forvaltning, period: Period, t: Tables) -> None:
    ws = w.sheet(
        "Aktiviteter", f"Uppföljning av verksamhetsplanen {period.span()}", [14, 30, 60, 13, 13, 60, 20]
    )
    counts = t.status_counts
    w.headers(ws, 2, ["Perspektiv", *counts.columns], numeric_from=1)
    for i, (name, row) in enumerate(counts.iterrows(), 3):
        bold = name == "Totalt"
        w.value(ws, i, 0, name, w.bold if bold else w.text)
        for c, v in enumerate(row, 1):
            w.value(ws, i, c, int(v), w.bold if bold else w.num)
    n_persp = len(counts) - 1
    chart = w.chart({"type": "bar", "subtype": "stacked"})
    for c in range(1, len(counts.columns)):
        chart.add_series(
            {
                "name": ["Aktiviteter", 2, c],
                "categories": ["Aktiviteter", 3, 0, 2 + n_persp, 0],
                "values": ["Aktiviteter", 3, c, 2 + n_persp, c],
            }
        )
    chart.set_title({"name": "Status per perspektiv"})
    chart.set_size({"width": 620, "height": 300})
    ws.insert_chart(2, 10, chart)
    r = 4 + len(counts) + 1
    for persp in forv.perspectives:
        sub = t.aktiviteter[t.aktiviteter["perspektiv"] == persp.name]
        if sub.empty:
            continue
        ws.write_string(r, 0, persp.name, w.subtitle)
        w.headers(
            ws,
            r + 1,
            [
                "Perspektiv",
                persp.goal_heading,
                "Aktivitet",
                f"Slutdatum {period.year}",
                "Status",
                "Kommentar",
                "Verksamhet",
            ],
            numeric_from=99,
        )
        r += 2
        for _, row in sub.iterrows():
            text = row["aktivitet"] + ("\nStrategiskt utvecklingsuppdrag" if row["strategiskt"] else "")
            for c, v in enumerate(
                (
                    row["perspektiv"],
                    row["mal"],
                    text,
                    row["slutdatum"],
                    row["status"],
                    row["kommentar"],
                    row["enhet"],
                )
            ):
                w.value(ws, r, c, v, w.wrap)
            fit_height(ws, r, [(row["mal"], 30), (text, 60), (row["kommentar"], 60)])
            r += 1
        r += 1


def _analys(w: _Writer, forv: Forvaltning, period: Period, t: Tables) -> None:
    ws = w.sheet("Analys", f"Analys och kommentarer per verksamhet, {period.span()}", [22, 40, 110])
    w.headers(ws, 2, ["Verksamhet", "Fråga", "Svar"], numeric_from=99)
    for i, (_, row) in enumerate(t.analys.iterrows(), 3):
        w.value(ws, i, 0, row["enhet"], w.wrap)
        w.value(ws, i, 1, row["fraga"], w.wrap)
        w.value(ws, i, 2, row["svar"], w.wrap)
        fit_height(ws, i, [(row["fraga"], 40), (row["svar"], 110)])


def _link_target(src: SourceFile, out_dir: Path) -> str:
    try:
        return os.path.relpath(src.path.resolve(), out_dir.resolve())
    except ValueError:  # another drive on Windows
        return str(src.path.resolve())


def _kontroll(w: _Writer, findings: Sequence[Finding], sources: Sequence[SourceFile], out_dir: Path) -> None:
    ws = w.sheet("Kontroll", f"Kontroll: {count_text(findings)}", [9, 40, 13, 13, 100])
    w.headers(ws, 2, ["Allvar", "Fil", "Blad", "Cell", "Vad som ska göras"], numeric_from=99)
    links = {s.name: "external:" + _link_target(s, out_dir) for s in sources}  # once per file
    rows = sorted_findings(findings)
    for i, f in enumerate(rows, 3):
        ws.write_string(i, 0, f.severity.value, w.sev[f.severity])
        link = links.get(f.file)
        if link is not None:
            ws.write_url(i, 1, link, w.link, f.file)
        else:
            w.value(ws, i, 1, f.file, w.text)
        w.value(ws, i, 2, f.sheet, w.text)
        w.value(ws, i, 3, f.cell, w.text)
        w.value(ws, i, 4, f.message, w.wrap)
        fit_height(ws, i, [(f.message, 100)])
    ws.autofilter(2, 0, 2 + max(1, len(rows)), 4)
    ws.freeze_panes(3, 0)


def _kallor(w: _Writer, sources: Sequence[SourceFile]) -> None:
    ws = w.sheet("Källor", "Källor: varje läst fil", [40, 22, 10, 19, 66, 12, 10, 50])
    w.headers(
        ws,
        2,
        ["Fil", "Enhet", "Storlek (byte)", "Ändrad", "SHA-256", "Mallversion", "Används", "Varför"],
        numeric_from=99,
    )
    for i, s in enumerate(sources, 3):
        values = (
            s.name,
            s.meta.get("enhet_namn", ""),
            s.size,
            s.modified.isoformat(sep=" "),
            s.sha256,
            s.meta.get("mallversion", ""),
            "Ja" if s.used else "Nej",
            s.reason,
        )
        for c, v in enumerate(values):
            w.value(ws, i, c, v, w.text)
    ws.freeze_panes(3, 0)


def describe(
    wb: Any,
    forv: Forvaltning,
    period: Period,
    tables: Tables,
    findings: Sequence[Finding],
    sources: Sequence[SourceFile],
    out_dir: Path,
) -> list[Recorder]:
    """Every result sheet, in order, as recorded calls (formats and charts made on wb)."""
    w = _Writer(wb)
    for part in (_drift, _ekonomi, _investeringar, _volymer, _personal, _aktiviteter, _analys):
        part(w, forv, period, tables)
    _kontroll(w, findings, sources, out_dir)
    _kallor(w, sources)
    return w.sheets


def sheet_values(
    forv: Forvaltning,
    period: Period,
    tables: Tables,
    findings: Sequence[Finding],
    sources: Sequence[SourceFile],
    out_dir: Path,
) -> dict[str, list[list[object]]]:
    """What each result sheet shows, as rows of values: for the open workbook (xlwings)."""
    return {s.name: s.grid() for s in describe(_NullBook(), forv, period, tables, findings, sources, out_dir)}


def render(wb: Any, sheets: Sequence[Recorder]) -> None:
    """Replay recorded sheets on an XlsxWriter workbook, with the print setup of a report."""
    for rec in sheets:
        ws = wb.add_worksheet(rec.name)
        rec.replay(ws)
        ws.set_landscape()  # every sheet prints on A4 landscape, as wide as the page
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.set_footer("&L&A&R&P (&N)")


def write(
    target: str | Path,
    forv: Forvaltning,
    period: Period,
    tables: Tables,
    findings: Sequence[Finding],
    sources: Sequence[SourceFile],
) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing(target, ".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"in_memory": True})
        wb.set_properties(
            {
                "title": f"Konsolidering {forv.short_name} {period.iso}",
                "author": forv.name,
                "company": forv.organisation,
                "created": dt.datetime(period.year, period.month, 1),
            }
        )
        render(wb, describe(wb, forv, period, tables, findings, sources, target.parent))
        wb.close()
    return target
