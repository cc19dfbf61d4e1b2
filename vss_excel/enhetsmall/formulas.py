"""A Derivation as an Excel formula and as a value computed by calc: one source for both."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache

from .. import calc
from .cells import Derivation, Op, SheetLayout, cell_ref

# Every worksheet function the workbook uses: all classic ones, readable by any Excel since 2007.
FUNCTIONS = frozenset({"IF", "COUNT", "SUM", "N", "AND", "OR", "ABS", "LEN", "TRIM"})


def _refs(cells: tuple[tuple[int, int], ...]) -> str:
    """A1 list for SUM/COUNT; one range where the cells are adjacent in one column."""
    cols = {c for _, c in cells}
    rows = sorted(r for r, _ in cells)
    if len(cols) == 1 and rows == list(range(rows[0], rows[0] + len(rows))) and len(rows) > 1:
        c = cols.pop()
        return f"{cell_ref(rows[0], c)}:{cell_ref(rows[-1], c)}"
    return ",".join(cell_ref(r, c) for r, c in cells)


@lru_cache(maxsize=4096)  # a thousand units' workbooks repeat the same few hundred formulas
def formula(d: Derivation, months: int) -> str:
    """The Excel formula of a derivation; empty inputs give an empty result, as calc does."""
    a = [cell_ref(r, c) for r, c in d.args]
    match d.op:
        case Op.SUM:
            refs = _refs(d.args)
            return f'=IF(COUNT({refs})=0,"",SUM({refs}))'
        case Op.SUM_ALL:
            refs = _refs(d.args)
            return f'=IF(COUNT({refs})<{len(d.args)},"",SUM({refs}))'

        case Op.AVVIKELSE:
            return f'=IF({a[0]}="","",{a[0]}-N({a[1]}))'
        case Op.NETTO:
            return f'=IF(AND({a[0]}="",{a[1]}=""),"",N({a[0]})-N({a[1]}))'
        case Op.INV_AVVIKELSE:
            return f'=IF({a[1]}="","",N({a[0]})-{a[1]})'
        case Op.RUN_RATE:
            return f'=IF({a[0]}="","",{a[0]}*12/{months})'
        case Op.BUDGET_REST:
            return f'=IF({a[0]}="","",{a[0]}+N({a[1]})-N({a[2]}))'
        case Op.SEASONAL:
            return f'=IF(OR({a[0]}="",{a[1]}="",{a[2]}="",N({a[1]})=0),"",{a[0]}*{a[2]}/{a[1]})'
        case Op.CHANGE:
            return f'=IF(OR({a[0]}="",{a[1]}=""),"",{a[0]}-{a[1]})'


def derive(d: Derivation, args: list[Decimal | None], months: int) -> Decimal | None:
    """The same derivation computed by calc."""
    return _DERIVE[d.op](args, months)


# Op -> calc's function, by a dict: a match over the Op members costs a lookup of each member
# it passes (Python 3.11), and every formula of every file is derived.
_DERIVE: dict[Op, Callable[[list[Decimal | None], int], Decimal | None]] = {
    Op.SUM: lambda a, _: calc.total(a),
    Op.SUM_ALL: lambda a, _: calc.total_of_all(a),
    Op.AVVIKELSE: lambda a, _: calc.avvikelse(a[0], a[1]),
    Op.NETTO: lambda a, _: calc.investment_netto(a[0], a[1]),
    Op.INV_AVVIKELSE: lambda a, _: calc.investment_avvikelse(a[0], a[1]),
    Op.RUN_RATE: lambda a, months: calc.forecast_run_rate(a[0], months),
    Op.BUDGET_REST: lambda a, _: calc.forecast_budget_remainder(a[0], a[1], a[2]),
    Op.SEASONAL: lambda a, _: calc.forecast_seasonal(a[0], a[1], a[2]),
    Op.CHANGE: lambda a, _: calc.change(a[0], a[1]),
}


def evaluate(
    sheet: SheetLayout, values: Mapping[tuple[int, int], Decimal | None], months: int
) -> dict[tuple[int, int], Decimal | None]:
    """Values of every formula cell, given the numbers in the other cells (row, col)."""
    known: dict[tuple[int, int], Decimal | None] = dict(values)
    out: dict[tuple[int, int], Decimal | None] = {}
    for c in sheet.formulas:  # cells are listed after the cells they depend on
        assert c.derivation is not None
        args = [known.get(rc) for rc in c.derivation.args]
        known[(c.row, c.col)] = out[(c.row, c.col)] = derive(c.derivation, args, months)
    return out


def propagate_gaps(sheet: SheetLayout, gaps: Mapping[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    """Every cell whose value is missing or not accepted, with its reason, plus each formula cell
    computed from such a cell (it takes the first reason it meets): a figure from a gap is no figure."""
    out = dict(gaps)
    for c in sheet.formulas:
        assert c.derivation is not None
        reason = next((out[rc] for rc in c.derivation.args if rc in out), None)
        if reason is not None:
            out[(c.row, c.col)] = reason
    return out
