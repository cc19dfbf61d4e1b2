"""Writes unit workbooks (Enhetsmall) from settings + prefill, through layout.

XlsxWriter is used because it stores cached formula results: a reader that does not
recalculate, and Excel's protected view, then show the right numbers. Skapa mallar runs
`run_job` in worker processes (mallar.py, workers.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from .. import files
from ..errors import UserError, os_reason
from ..keys import FINGERPRINT, FINGERPRINT_SHEETS, Key, Section
from ..model import Finding, Forvaltning, Period, Prefill, Severity, Unit
from ..xlsxtext import write_text
from . import fingerprint, layout, metadata
from .cells import CellSpec, Kind, SheetLayout, Value, WorkbookLayout
from .formulas import evaluate, formula
from .texts import VALIDATIONS, status_validation

TKR = "#,##0,;-#,##0,;0"
# Shown for −500 < x < 0 so that a small negative amount reads 0, not −0, in tkr.
TKR_NO_SIGN = "#,##0,;#,##0,;0"
INPUT_FILL = "#FFF2CC"
HEADER_FILL = "#DDEBF7"

_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "note": {"italic": True, "text_wrap": True, "valign": "top", "font_color": "#404040"},
    "header": {
        "bold": True,
        "text_wrap": True,
        "valign": "bottom",
        "bg_color": HEADER_FILL,
        "bottom": 1,
    },
    "label": {},
    "label_bold": {"bold": True, "top": 1},
    "label_wrap": {"text_wrap": True, "valign": "top"},
    "meta": {},
    "tkr": {"num_format": TKR},
    "tkr_bold": {"num_format": TKR, "bold": True, "top": 1},
    "tkr_hint": {"num_format": TKR, "font_color": "#7F7F7F", "italic": True},
    "count": {"num_format": "#,##0"},
    "pct": {"num_format": "0.0"},
    "input_tkr": {"num_format": TKR},
    "input_count": {"num_format": "#,##0"},
    "input_pct": {"num_format": "0.0"},
    "input_text": {"valign": "top"},
    "input_wrap": {"text_wrap": True, "valign": "top"},
}
_INPUT = {"locked": False, "bg_color": INPUT_FILL, "border": 1, "border_color": "#BFBFBF"}


def file_name(forv: Forvaltning, unit: Unit, period: Period) -> str:
    """Unit and period visible in the name; only characters every OS accepts."""
    return f"{forv.short_name} {period.iso} {files.file_stem(unit.name)}.xlsx"


def resolve_values(
    wl: WorkbookLayout, forv: Forvaltning, prefill: Prefill | None
) -> dict[tuple[str, int, int], Value]:
    """Value of every cell that has one before the unit opens the file."""
    prefill = prefill or Prefill()
    unit = wl.unit.id
    rams = {p.id: p.ram for p in forv.investments_of(unit)}
    targets = {m.id: m.target for m in forv.personnel}
    out: dict[tuple[str, int, int], Value] = {}
    for s in wl.sheets:
        for c in s.cells:
            _, item, field = c.key
            v: Value = c.value
            if c.kind is Kind.PREFILL:
                v = prefill.get(unit, item, field)
                if v is None and field == "investeringsram":
                    v = rams.get(item)
                if v is None and field == "malvarde":
                    v = targets.get(item)
            elif c.kind is Kind.INPUT and field == "utfall_fg":
                v = prefill.get(unit, item, field)  # a suggestion the unit may correct
            if v is not None:
                out[(s.name, c.row, c.col)] = v
    return out


class _Sheet(Worksheet):  # type: ignore[misc]
    """XlsxWriter's worksheet, minus its search of every formula for Excel 365 function names
    (30 regex passes, over 100 for a conditional format's): a quarter of a template's time.

    Our formulas use only classic functions (formulas.FUNCTIONS), which need no _xlfn prefix;
    tests/test_template.py checks that every formula in every VSS unit's workbook is the one
    XlsxWriter's own worksheet writes.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula


class _Formats:
    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.cache: dict[str, Any] = {}

    def __getitem__(self, style: str) -> Any:
        f = self.cache.get(style)
        if f is None:
            props = dict(_STYLES[style])
            if style.startswith("input"):
                props.update(_INPUT)
            f = self.cache[style] = self.wb.add_format(props)
        return f

    def fill(self, color: str) -> Any:
        key = f"cf:{color}"
        if key not in self.cache:
            self.cache[key] = self.wb.add_format({"bg_color": color})
        return self.cache[key]

    def small_negative(self) -> Any:
        if "cf:neg" not in self.cache:
            self.cache["cf:neg"] = self.wb.add_format({"num_format": TKR_NO_SIGN})
        return self.cache["cf:neg"]


def _runs(cells: Iterable[CellSpec]) -> list[tuple[int, int, int, str]]:
    """Adjacent input cells in one column with one rule -> (first_row, last_row, col, rule)."""
    runs: list[list[Any]] = []
    for c in sorted(cells, key=lambda c: (c.col, c.row)):
        assert c.validation is not None
        last = runs[-1] if runs else None
        if last and last[2] == c.col and last[3] == c.validation and last[1] == c.row - 1:
            last[1] = c.row
        else:
            runs.append([c.row, c.row, c.col, c.validation])
    return [(a, b, col, v) for a, b, col, v in runs]


def _write_sheet(
    wb: Any,
    fmt: _Formats,
    s: SheetLayout,
    values: Mapping[tuple[int, int], Value],
    forv: Forvaltning,
    months: int,
) -> None:
    """The sheet's cells, given its values by (row, col), then its rules, set-up and protection."""
    ws = wb.add_worksheet(s.name, worksheet_class=_Sheet)
    for i, w in enumerate(s.widths):
        ws.set_column(i, i, w)
    for r, h in s.row_heights:
        ws.set_row(r, h)
    merged = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in s.merges}
    cached = evaluate(s, {k: v for k, v in values.items() if isinstance(v, Decimal)}, months)
    for c in s.cells:
        f = fmt[c.style]
        v = values.get((c.row, c.col))
        if c.kind is Kind.FORMULA:
            assert c.derivation is not None
            result = cached.get((c.row, c.col))
            ws.write_formula(
                c.row, c.col, formula(c.derivation, months), f, "" if result is None else float(result)
            )
            continue
        if (c.row, c.col) in merged:
            ws.merge_range(c.row, c.col, *merged[(c.row, c.col)], "", f)
        if v is None:
            ws.write_blank(c.row, c.col, None, f)
        elif isinstance(v, Decimal):
            ws.write_number(c.row, c.col, float(v), f)
        else:
            write_text(ws, c.row, c.col, str(v), f)  # stays text, even '=…', a web address, '<r>…</r>'
    for first, last, col, rule in _runs(s.inputs):
        opts = status_validation(forv.statuses) if rule == "status" else dict(VALIDATIONS[rule])
        ws.data_validation(first, col, last, col, opts)
    for cf in s.conditional:
        color = "#F4B6B6" if cf.style == "missing" else "#FCE4D6"
        ws.conditional_format(
            cf.first_row,
            cf.col,
            cf.last_row,
            cf.col,
            {
                "type": "formula",
                "criteria": "=" + cf.formula,
                "format": fmt.fill(color),
            },
        )
    tkr_cols = sorted({c.col for c in s.cells if c.style.endswith("tkr") or c.style.startswith("tkr")})
    if tkr_cols:
        ws.conditional_format(
            s.first_data_row,
            tkr_cols[0],
            s.last_data_row,
            tkr_cols[-1],
            {
                "type": "cell",
                "criteria": "between",
                "minimum": -499.999999,
                "maximum": -0.000001,
                "format": fmt.small_negative(),
            },
        )
    if s.hidden:
        ws.very_hidden()
        ws.protect("", {"select_locked_cells": True})
        return
    ws.freeze_panes(s.first_data_row, 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(s.header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&L&A&R&P (&N)")
    ws.protect(
        "",
        {
            "select_locked_cells": True,
            "select_unlocked_cells": True,
            "format_columns": True,
            "format_rows": True,
        },
    )


def write_workbook(
    target: str | Path, forv: Forvaltning, unit: Unit, period: Period, prefill: Prefill | None = None
) -> Path:
    """Write one unit workbook; to a temporary file first, renamed into place."""
    target = Path(target)
    wl = layout.build(forv, unit, period)
    values = resolve_values(wl, forv, prefill)
    meta = wl.sheet(metadata.NAME)
    fp_cell = meta.cell(Key(Section.META, FINGERPRINT, metadata.VALUE))
    sheets_cell = meta.cell(Key(Section.META, FINGERPRINT_SHEETS, metadata.VALUE))
    prints = fingerprint.of(wl, values)
    values[(metadata.NAME, fp_cell.row, fp_cell.col)] = prints.whole
    values[(metadata.NAME, sheets_cell.row, sheets_cell.col)] = prints.per_sheet
    by_sheet: dict[str, dict[tuple[int, int], Value]] = {s.name: {} for s in wl.sheets}
    for (sheet, r, c), v in values.items():
        by_sheet[sheet][(r, c)] = v
    with files.replacing(target, ".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"in_memory": True})
        wb.set_properties(
            {
                "title": f"{forv.short_name} {period.iso} {unit.name}",
                "subject": f"Enhetsmall {period.kind} {period.span()}",
                "company": forv.organisation,
                "author": forv.name,
                "comments": f"{metadata.TEMPLATE_FORMAT} version {metadata.TEMPLATE_VERSION}",
            }
        )
        fmt = _Formats(wb)
        for s in wl.sheets:
            _write_sheet(wb, fmt, s, by_sheet[s.name], forv, period.month)
        for name, (sheet, r, c) in wl.names.items():
            wb.define_name(name, f"='{sheet}'!{xl_rowcol_to_cell(r, c, row_abs=True, col_abs=True)}")
        wb.get_worksheet_by_name("Drift").activate()
        wb.close()
    return target


@dataclass(frozen=True)
class Job:
    target: Path
    unit: Unit


_shared: tuple[Forvaltning, Period, Prefill | None] | None = None


def init_worker(forv: Forvaltning, period: Period, prefill: Prefill | None) -> None:
    global _shared
    _shared = (forv, period, prefill)  # sent once per worker process, not once per file


def run_job(job: Job) -> Path | Finding:
    assert _shared is not None
    forv, period, prefill = _shared
    try:
        return write_workbook(job.target, forv, job.unit, period, prefill)
    except UserError as e:  # the file is open in Excel: the message says what to do
        return Finding(Severity.FEL, job.target.name, "", "", str(e), unit=job.unit.id)
    except OSError as e:
        return Finding(
            Severity.FEL,
            job.target.name,
            "",
            "",
            f"Mallen kunde inte skrivas ({os_reason(e)}). Kontrollera mappen och behörigheterna.",
            unit=job.unit.id,
        )


def failed_job(job: Job, detail: str) -> Finding:
    return Finding(
        Severity.FEL,
        job.target.name,
        "",
        "",
        f"Mallen kunde inte skrivas (internt fel: {detail}).",
        unit=job.unit.id,
    )
