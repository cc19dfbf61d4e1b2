"""The cells of a sheet as the writer puts them: one list that XlsxWriter and a stencil both take."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from .cells import Kind, SheetLayout, Value
from .formulas import evaluate, formula


class What(Enum):
    BLANK = "blank"
    NUMBER = "number"
    STRING = "string"
    FORMULA = "formula"  # value: the cached result, a float or '' (none)
    MERGE = "merge"  # value: the text of the merged range's first cell; end: its last cell


class Put(NamedTuple):
    """One cell as the writer puts it: XlsxWriter and a stencil (stencil.py) take the same list."""

    row: int
    col: int
    style: str
    what: What
    value: float | str | None = None
    formula: str = ""
    end: tuple[int, int] = (0, 0)


def puts(s: SheetLayout, values: Mapping[tuple[int, int], Value], months: int) -> list[Put]:
    """The sheet's cells, given its values by (row, col), in the order they are written (shared
    strings are numbered in it)."""
    merged = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in s.merges}
    cached = evaluate(s, {k: v for k, v in values.items() if isinstance(v, Decimal)}, months)
    out = []
    for c in s.cells:
        v = values.get((c.row, c.col))
        if c.kind is Kind.FORMULA:
            assert c.derivation is not None
            result = cached.get((c.row, c.col))
            out.append(
                Put(
                    c.row,
                    c.col,
                    c.style,
                    What.FORMULA,
                    "" if result is None else float(result),
                    formula(c.derivation, months),
                )
            )
        elif (c.row, c.col) in merged:
            text = "" if v is None else str(v)
            out.append(Put(c.row, c.col, c.style, What.MERGE, text, end=merged[(c.row, c.col)]))
        elif v is None:
            out.append(Put(c.row, c.col, c.style, What.BLANK))
        elif isinstance(v, Decimal):
            out.append(Put(c.row, c.col, c.style, What.NUMBER, float(v)))
        else:
            out.append(Put(c.row, c.col, c.style, What.STRING, v))  # text stays text, even '=…'
    return out
