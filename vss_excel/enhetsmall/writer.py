"""Writes unit workbooks (Enhetsmall) from settings + prefill, through layout.

XlsxWriter is used because it stores cached formula results: a reader that does not
recalculate, and Excel's protected view, then show the right numbers. Skapa mallar runs
`run_job` in worker processes (mallar.py, workers.py).
"""

from __future__ import annotations

import io
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
from .cells import CellSpec, Kind, SheetLayout, Value, WorkbookLayout, cell_ref
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
# Each style's format properties, an input style's with the input cell's look
_PROPS = {
    style: {**props, **(_INPUT if style.startswith("input") else {})} for style, props in _STYLES.items()
}


def file_name(forv: Forvaltning, unit: Unit, period: Period) -> str:
    """Unit and period visible in the name; only characters every OS accepts."""
    return f"{forv.short_name} {period.iso} {files.file_stem(unit.name)}.xlsx"


def resolve_values(
    wl: WorkbookLayout, forv: Forvaltning, prefill: Prefill | None
) -> dict[tuple[str, int, int], Value]:
    """Value of every cell that has one before the unit opens the file."""
    return {
        (sheet, r, c): v
        for sheet, values in _values(wl, forv, prefill).items()
        for (r, c), v in values.items()
    }


def _values(
    wl: WorkbookLayout, forv: Forvaltning, prefill: Prefill | None
) -> dict[str, dict[tuple[int, int], Value]]:
    """resolve_values by sheet: each sheet's values by (row, col)."""
    given = (prefill or Prefill()).values
    unit = wl.unit.id
    rams = {p.id: p.ram for p in forv.investments_of(unit)}
    targets = {m.id: m.target for m in forv.personnel}
    out: dict[str, dict[tuple[int, int], Value]] = {}
    for s in wl.sheets:
        values = out[s.name] = {}
        for c in s.cells:
            kind = c.kind
            if kind is Kind.PREFILL:
                _, item, field = c.key
                v: Value = given.get((unit, item, field))
                if v is None and field == "investeringsram":
                    v = rams.get(item)
                if v is None and field == "malvarde":
                    v = targets.get(item)
            elif kind is Kind.INPUT and c.key.field == "utfall_fg":
                v = given.get((unit, c.key.item, "utfall_fg"))  # a suggestion the unit may correct
            else:
                v = c.value
            if v is not None:
                values[(c.row, c.col)] = v
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
        if style in self.cache:
            return self.cache[style]
        props = _PROPS[style]
        # None for a style of no properties: the default format, not a copy of it (no blank cell
        # is written for it, and styles.xml gets no second default)
        f = self.cache[style] = self.wb.add_format(props) if props else None
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


@dataclass(frozen=True)
class _Plan:
    """What of a sheet every unit with its layout writes alike, worked out once per layout:
    a thousand units share a handful of them (layout.py). A cell's format is given by its index in
    `styles` (plain tuples: a thousand units' sheets make hundreds of thousands of cells)."""

    columns: tuple[tuple[int, int, float], ...]  # (first, last, width): adjacent equal widths as one
    formulas: tuple[tuple[int, int, int, str], ...]  # row, col, format, the Excel formula
    cells: tuple[tuple[int, int, int], ...]  # row, col, format: the other cells, a value or blank
    merges: tuple[tuple[int, int, int, int], ...]  # the merged ranges, in the order of their cells
    validations: tuple[tuple[str, tuple[tuple[int, int, int], ...]], ...]  # rule, its (first, last, col)
    tkr_cols: tuple[int, int] | None  # the first and last column with an amount in tkr
    styles: tuple[str, ...]  # the cells' styles, in the order of first use


def _plan(s: SheetLayout, months: int) -> _Plan:
    columns: list[list[Any]] = []
    for i, w in enumerate(s.widths):
        if columns and columns[-1][2] == w:
            columns[-1][1] = i
        else:
            columns.append([i, i, w])
    styles = tuple(dict.fromkeys(c.style for c in s.cells))
    index = {style: i for i, style in enumerate(styles)}
    merged = {(r1, c1): (r1, c1, r2, c2) for r1, c1, r2, c2 in s.merges}
    formulas: list[tuple[int, int, int, str]] = []
    cells: list[tuple[int, int, int]] = []
    merges: list[tuple[int, int, int, int]] = []
    for c in s.cells:
        if c.kind is Kind.FORMULA:
            assert c.derivation is not None
            formulas.append((c.row, c.col, index[c.style], formula(c.derivation, months)))
            continue
        cells.append((c.row, c.col, index[c.style]))
        if (c.row, c.col) in merged:
            merges.append(merged[(c.row, c.col)])
    # One validation per rule, over all its ranges (a multi-range): the same rules on the same cells
    by_rule: dict[str, list[tuple[int, int, int]]] = {}
    for first, last, col, rule in _runs(s.inputs):
        by_rule.setdefault(rule, []).append((first, last, col))
    tkr = sorted({c.col for c in s.cells if c.style.endswith("tkr") or c.style.startswith("tkr")})
    return _Plan(
        tuple((a, b, w) for a, b, w in columns),
        tuple(formulas),
        tuple(cells),
        tuple(merges),
        tuple((rule, tuple(ranges)) for rule, ranges in by_rule.items()),
        (tkr[0], tkr[-1]) if tkr else None,
        styles,
    )


# Plans by the identity of a layout's last cell (a sheet's layout shared by units, each under its
# own title, shares all cells but the title: layout.py) and the months
_plans: dict[tuple[int, int], tuple[CellSpec, _Plan]] = {}


def _plan_of(s: SheetLayout, months: int) -> _Plan:
    last = s.cells[-1]
    key = (id(last), months)
    hit = _plans.get(key)
    if hit is not None and hit[0] is last:
        _plans[key] = _plans.pop(key)  # the most recently used is evicted last
        return hit[1]
    if len(_plans) >= layout.CACHED:
        del _plans[next(iter(_plans))]
    plan = _plan(s, months)
    _plans[key] = (last, plan)  # held: its id is not given to another cell while it is cached
    return plan


def _multi_range(ranges: Iterable[tuple[int, int, int]]) -> str:
    return " ".join(
        cell_ref(a, col) if a == b else f"{cell_ref(a, col)}:{cell_ref(b, col)}" for a, b, col in ranges
    )


def _write_sheet(
    wb: Any,
    fmt: _Formats,
    s: SheetLayout,
    values: Mapping[tuple[int, int], Value],
    forv: Forvaltning,
    months: int,
) -> None:
    """The sheet's cells, given its values by (row, col), then its rules, set-up and protection."""
    plan = _plan_of(s, months)
    ws = wb.add_worksheet(s.name, worksheet_class=_Sheet)
    for first, last, w in plan.columns:
        ws.set_column(first, last, w)
    for r, h in s.row_heights:
        ws.set_row(r, h)
    formats = [fmt[style] for style in plan.styles]  # made in the order the cells use them
    if plan.formulas:
        cached = evaluate(s, {k: v for k, v in values.items() if isinstance(v, Decimal)}, months)
        for row, col, f, text in plan.formulas:
            result = cached.get((row, col))
            ws.write_formula(row, col, text, formats[f], "" if result is None else float(result))
    for first_row, first_col, last_row, last_col in plan.merges:
        # Without a format: XlsxWriter pads no blank cells then. A merged cell shows its first
        # cell's format, and ours (the note) has no border or fill that the others would draw.
        ws.merge_range(first_row, first_col, last_row, last_col, "", None)
    get = values.get
    for row, col, f in plan.cells:
        v = get((row, col))
        if v is None:
            if formats[f] is not None:  # a blank cell of the default format is no cell
                ws.write_blank(row, col, None, formats[f])
        elif isinstance(v, Decimal):
            ws.write_number(row, col, float(v), formats[f])
        else:
            write_text(ws, row, col, v, formats[f])  # stays text, even '=…', a web address, '<r>…</r>'
    for rule, ranges in plan.validations:
        opts = status_validation(forv.statuses) if rule == "status" else dict(VALIDATIONS[rule])
        first, last, col = ranges[0]
        if len(ranges) > 1:
            opts["multi_range"] = _multi_range(ranges)
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
    if plan.tkr_cols:
        ws.conditional_format(
            s.first_data_row,
            plan.tkr_cols[0],
            s.last_data_row,
            plan.tkr_cols[1],
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
    by_sheet = _values(wl, forv, prefill)
    meta = wl.sheet(metadata.NAME)
    fp_cell = meta.cell(Key(Section.META, FINGERPRINT, metadata.VALUE))
    sheets_cell = meta.cell(Key(Section.META, FINGERPRINT_SHEETS, metadata.VALUE))
    prints = fingerprint.of(wl, lambda sheet, r, c: by_sheet[sheet].get((r, c)))
    by_sheet[metadata.NAME][(fp_cell.row, fp_cell.col)] = prints.whole
    by_sheet[metadata.NAME][(sheets_cell.row, sheets_cell.col)] = prints.per_sheet
    # Zipped in memory and written at once: XlsxWriter's zip on a file makes some hundred small
    # writes and seeks (system calls) per workbook
    data = io.BytesIO()
    wb = xlsxwriter.Workbook(data, {"in_memory": True})
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
    with files.replacing(target, ".xlsx") as tmp:
        tmp.write_bytes(data.getbuffer())
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
