"""A read workbook's values by key, every formula computed from the cells it reads (once).

The same evaluation serves the checks (before they have judged anything) and the unit's report
(after: a value the checks did not accept is left out, and every result computed from it is a
gap with the reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from ..keys import Key
from ..model import Value
from .cells import CellSpec, Kind, SheetLayout, WorkbookLayout
from .formulas import evaluate, propagate_gaps
from .reader import ReadWorkbook
from .texts import swedish_number
from .xlsx import CellType, NumberFormat, RawCell

# No figure a unit reports comes near this (a kommun's whole budget is some 1E10 kronor): a number
# this large is a slip, and Decimal's rounding (28 digits) cannot take one far beyond it (1,23E31).
# The one bound every number read passes: beyond it a cell holds no number (check_too_large).
TOO_LARGE = 1e15


def number(cell: RawCell | None) -> Decimal | None:
    """A numeric cell as stored, an exact Decimal; None for empty, anything that is not a number,
    and a number whose size is TOO_LARGE or more."""
    if cell is None or cell.type is not CellType.NUMBER:
        return None
    v = cell.value
    if isinstance(v, float):  # as the parsers store every number
        return Decimal(repr(v)) if -TOO_LARGE < v < TOO_LARGE else None  # NaN and infinities fail too
    if isinstance(v, bool) or not isinstance(v, int) or not -TOO_LARGE < v < TOO_LARGE:
        return None
    return Decimal(v)


def figure(cell: RawCell | None, spec: CellSpec) -> Decimal | None:
    """The figure a unit typed in an input cell, as its format shows it: in a percent cell a value
    formatted as percent is the percent shown (0.055 shown as 5,5 % is 5.5); a date, a TRUE or
    FALSE (see boolean), or a percent where no percent belongs is no figure (the checks say so).
    A cell the unit does not fill in (prefilled) is read as stored."""
    v = number(cell)
    if cell is None or v is None or spec.kind is not Kind.INPUT:
        return v
    if cell.number_format is NumberFormat.NUMBER:
        return None if cell.formula is not None and boolean(cell) is not None else v
    if cell.number_format is NumberFormat.PERCENT and spec.validation == "procent":
        return v * 100
    return None


_BOOLEAN_FORMULAS = {"TRUE()": True, "FALSE()": False}


def boolean(cell: RawCell) -> bool | None:
    """TRUE or FALSE, however the file stores it: a boolean (Excel; LibreOffice for a 1 or 0 in
    its boolean format), a number LibreOffice's boolean format shows as TRUE or FALSE, or a number
    computed by =TRUE() or =FALSE() (an Excel TRUE that LibreOffice saved in a cell with a number
    format); None for anything else."""
    v = cell.value
    if cell.type is CellType.BOOL:
        return bool(v)
    if cell.type is not CellType.NUMBER:
        return None
    if cell.number_format is NumberFormat.BOOL_FORMAT:
        return bool(v)
    if cell.formula is not None:
        return _BOOLEAN_FORMULAS.get(cell.formula.replace(" ", "").upper())
    return None


def text(cell: RawCell | None, date1904: bool = False) -> str | None:
    """A cell as the text a person reads in it; None when empty. A number in a date, percent or
    TRUE/FALSE format reads as it is shown ('2020-10-31', '5,5 %', 'SANT')."""
    if cell is None:
        return None
    v = cell.value
    if cell.type is CellType.ERROR:
        return None
    truth = boolean(cell)
    if truth is not None:
        return "SANT" if truth else "FALSKT"
    if cell.number_format is not NumberFormat.NUMBER and isinstance(v, float):
        formatted = _formatted(v, cell.number_format, date1904)
        if formatted is not None:
            return formatted
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # a number typed as an answer
    return str(v)


def shown(cell: RawCell, date1904: bool = False) -> str:
    """A cell's content quoted in a message, as Excel shows it (Swedish booleans)."""
    t = text(cell, date1904)
    return str(cell.value) if t is None else t


def _formatted(v: float, fmt: NumberFormat, date1904: bool) -> str | None:
    if not -TOO_LARGE < v < TOO_LARGE:
        return None
    if fmt is NumberFormat.PERCENT:
        return swedish_number(Decimal(repr(v)) * 100) + " %"
    return date_text(v, date1904)


def date_text(serial: float, date1904: bool = False) -> str | None:
    """A date serial as Swedish Excel shows it: '2020-10-31', '2020-10-31 12:30', '12:30' (a
    time alone); None for a number that is no date (below 0 or after 9999)."""
    if not 0 <= serial < 2_958_466:
        return None
    day = int(serial)
    minutes = round((serial - day) * 1440)
    if minutes == 1440:
        day, minutes = day + 1, 0
    clock = f"{minutes // 60:02d}:{minutes % 60:02d}"
    if day == 0 and not date1904:
        return clock
    if day == 60 and not date1904:
        return "1900-02-29" + (f" {clock}" if minutes else "")  # Excel's day that never was
    # Serial 1 is 1900-01-01, and Excel counts a 29 February 1900: later days are one less.
    start = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 31 if day < 60 else 30)
    try:
        date = start + dt.timedelta(days=day)
    except OverflowError:  # after 9999
        return None
    return date.isoformat() + (f" {clock}" if minutes else "")


def evaluate_workbook(rw: ReadWorkbook) -> dict[Key, Value]:
    """Every key's value: read cells as read (numbers where numbers belong), formulas computed.
    The path every file takes, so kept lean; a sheet the file lacks has no keys here."""
    wl = rw.layout
    assert wl is not None
    values: dict[Key, Value] = {}
    plain = NumberFormat.NUMBER  # looked up once: an Enum member costs a call (Python 3.11)
    for s in wl.sheets:
        if s.name not in rw.sheets:
            continue
        cells = rw.cells_at_layout(s.name)
        numbers: dict[tuple[int, int], Decimal | None] = {}
        for pos, key in s.number_cells:
            cell = cells.get(pos)
            v = number(cell)
            if v is not None and cell is not None and (cell.number_format is not plain or cell.formula):
                v = figure(cell, s.by_position[pos])  # seldom: a percent, a date typed, a formula
            numbers[pos] = values[key] = v
        for pos, key in s.text_cells:
            values[key] = text(cells.get(pos), rw.date1904)
        computed = evaluate(s, numbers, wl.period.month)
        for c in s.formulas:
            values[c.key] = _bounded(computed[(c.row, c.col)])
    return values


def leave_out(
    wl: WorkbookLayout, values: Mapping[Key, Value], left_out: Mapping[Key, str]
) -> tuple[dict[Key, Value], dict[Key, str]]:
    """The values without those left out (refused, or on a sheet the file lacks): each counts as
    empty, and every formula computed from one is a gap with its reason. Every sheet of the layout
    is evaluated, so a missing sheet's gaps reach the sums."""
    if not left_out:
        return dict(values), {}
    return _evaluate(wl, wl.sheets, lambda s, c: values.get(c.key), lambda c: left_out.get(c.key))


def template_values(
    wl: WorkbookLayout, prefill: Mapping[Key, Value] | None, reason: str
) -> tuple[dict[Key, Value], dict[Key, str]]:
    """A unit that returned nothing: the amounts it was sent, every number input a gap (and every
    amount, when the template that was sent is not at hand either)."""

    def read(s: SheetLayout, c: CellSpec) -> Value:
        return prefill.get(c.key) if prefill is not None and c.kind is Kind.PREFILL else None

    def gap(c: CellSpec) -> str | None:
        if not c.takes_number or (c.kind is Kind.PREFILL and prefill is not None):
            return None
        return reason

    return _evaluate(wl, wl.sheets, read, gap)


def _evaluate(
    wl: WorkbookLayout,
    sheets: Iterable[SheetLayout],
    read: Callable[[SheetLayout, CellSpec], Value],
    gap_of: Callable[[CellSpec], str | None],
) -> tuple[dict[Key, Value], dict[Key, str]]:
    values: dict[Key, Value] = {}
    gaps: dict[Key, str] = {}
    for s in sheets:
        numbers: dict[tuple[int, int], Decimal | None] = {}
        at_gaps: dict[tuple[int, int], str] = {}
        for c in s.read_cells:
            reason = gap_of(c)
            v = None if reason is not None else read(s, c)
            if reason is not None:
                at_gaps[(c.row, c.col)] = reason
            if c.takes_number:
                numbers[(c.row, c.col)] = v if isinstance(v, Decimal) else None
            values[c.key] = v
        computed = evaluate(s, numbers, wl.period.month)
        for c in s.formulas:
            v = values[c.key] = _bounded(computed[(c.row, c.col)])
            if v is None and computed[(c.row, c.col)] is not None:
                gaps[c.key] = TOO_LARGE_RESULT
        for (r, col), why in propagate_gaps(s, at_gaps).items():
            gaps[s.by_position[(r, col)].key] = why
    return values, gaps


TOO_LARGE_RESULT = "beräknat värde orimligt stort"
_LIMIT = Decimal(TOO_LARGE)
_NEG_LIMIT = -_LIMIT


def _bounded(v: Decimal | None) -> Decimal | None:
    """A computed figure within TOO_LARGE, as every figure read is; None beyond (a säsong forecast
    divided by a changed prefilled 1E-300 is no figure, and no rounding could take it)."""
    return None if v is not None and not _NEG_LIMIT < v < _LIMIT else v


def prefilled(rw: ReadWorkbook) -> dict[Key, Value]:
    """The prefilled amounts of a workbook as read (for a template that was sent)."""
    assert rw.layout is not None
    out: dict[Key, Value] = {}
    for s in rw.layout.sheets:
        for c in s.read_cells:
            if c.kind is Kind.PREFILL:
                raw = rw.raw(s.name, c.row, c.col)
                out[c.key] = number(raw) if c.takes_number else text(raw)
    return out
