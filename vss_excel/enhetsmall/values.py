"""A read workbook's values by key, every formula computed from the cells it reads (once).

The same evaluation serves the checks (before they have judged anything) and the unit's report
(after: a value the checks did not accept is left out, and every result computed from it is a
gap with the reason).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from ..keys import Key
from ..model import Value
from .cells import CellSpec, Kind, SheetLayout, WorkbookLayout
from .formulas import evaluate, propagate_gaps
from .reader import ReadWorkbook
from .xlsx import CellType, RawCell


def number(cell: RawCell | None) -> Decimal | None:
    """A numeric cell as an exact Decimal; None for empty or anything that is not a number."""
    if cell is None or cell.type is not CellType.NUMBER:
        return None
    v = cell.value
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    return d if d.is_finite() else None


def text(cell: RawCell | None) -> str | None:
    """A cell as the text a person reads in it; None when empty."""
    if cell is None:
        return None
    v = cell.value
    if cell.type is CellType.BOOL:
        return "SANT" if v else "FALSKT"
    if cell.type is CellType.ERROR:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # a number typed as an answer
    return str(v)


def shown(cell: RawCell) -> str:
    """A cell's content quoted in a message, as Excel shows it (Swedish booleans)."""
    t = text(cell)
    return str(cell.value) if t is None else t


def evaluate_workbook(rw: ReadWorkbook) -> dict[Key, Value]:
    """Every key's value: read cells as read (numbers where numbers belong), formulas computed.
    The path every file takes, so kept lean; a sheet the file lacks has no keys here."""
    wl = rw.layout
    assert wl is not None
    values: dict[Key, Value] = {}
    for s in wl.sheets:
        if s.name not in rw.sheets:
            continue
        cells = rw.cells_at_layout(s.name)
        numbers: dict[tuple[int, int], Decimal | None] = {}
        for pos, key in s.number_cells:
            numbers[pos] = values[key] = number(cells.get(pos))
        for pos, key in s.text_cells:
            values[key] = text(cells.get(pos))
        computed = evaluate(s, numbers, wl.period.month)
        for c in s.formulas:
            values[c.key] = computed[(c.row, c.col)]
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
            values[c.key] = computed[(c.row, c.col)]
        for (r, col), why in propagate_gaps(s, at_gaps).items():
            gaps[s.by_position[(r, col)].key] = why
    return values, gaps


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
