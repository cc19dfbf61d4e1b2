"""Cells: the types the parsers return, A1 references, and the value rules both parsers share."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from .errors import _corrupt
from .formats import NumberFormat
from .strings import _Strings
from .text import _x_unescape


class CellType(Enum):
    NUMBER = "number"
    TEXT = "text"
    BOOL = "bool"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RawCell:
    """One cell as stored. For ERROR the value is the text Excel shows ('#DIV/0!', '#REF!')."""

    value: float | str | bool
    type: CellType
    formula: str | None = None  # the formula (without '='), when the cell holds one
    # What the cell's number format makes of a NUMBER (0.055 shown as 5,5 %, a date's serial);
    # NUMBER for every other type.
    number_format: NumberFormat = NumberFormat.NUMBER


@dataclass(frozen=True)
class SheetCells:
    name: str
    cells: Mapping[tuple[int, int], RawCell]  # 0-based (row, col), only cells inside the area
    outside: int  # cells with a value or a formula outside the area
    first_outside: str  # the A1 reference of the first of them in the file ('XFD1048576'), or ''


# ---------------------------------------------------------------------------------------------
# Cell references

_REF = re.compile(r"([A-Za-z]{1,3})([1-9][0-9]{0,6})")
_COLS: dict[bytes, int] = {}


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


def cell_ref(row: int, col: int) -> str:
    """A1 reference of a 0-based (row, col)."""
    letters = ""
    c = col + 1
    while c > 0:
        c, rest = divmod(c - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


# ---------------------------------------------------------------------------------------------
# Cells and their values, by the rules both parsers share

_NEW = object.__new__
_SET_VALUE: Callable[[RawCell, object], None] = vars(RawCell)["value"].__set__
_SET_TYPE: Callable[[RawCell, object], None] = vars(RawCell)["type"].__set__
_SET_FORMULA: Callable[[RawCell, object], None] = vars(RawCell)["formula"].__set__
_SET_FORMAT: Callable[[RawCell, object], None] = vars(RawCell)["number_format"].__set__


def _cell(
    value: float | str | bool, typ: CellType, formula: str | None, fmt: NumberFormat = NumberFormat.NUMBER
) -> RawCell:
    """RawCell without the frozen dataclass's __init__ (four object.__setattr__ calls): the
    parsers make hundreds per file, and this halves their cost. _sheet_fast inlines it."""
    c: RawCell = _NEW(RawCell)
    _SET_VALUE(c, value)
    _SET_TYPE(c, typ)
    _SET_FORMULA(c, formula)
    _SET_FORMAT(c, fmt)
    return c


def _number(v: bytes | str, sheet: str, ref: str) -> float:
    try:
        x = float(v)
    except ValueError:
        raise _corrupt(f"{ref}: number {v!r}", sheet=sheet) from None
    if not math.isfinite(x):
        raise _corrupt(f"{ref}: number {v!r}", sheet=sheet)
    return x


def _bool(v: str, sheet: str, ref: str) -> bool:
    v = v.strip()
    if v in ("1", "true"):
        return True
    if v in ("0", "false"):
        return False
    raise _corrupt(f"{ref}: boolean {v!r}", sheet=sheet)


def _value(t: str, v: str, strings: _Strings, sheet: str, ref: str) -> tuple[float | str | bool, CellType]:
    """The value of a non-empty cell from its type attribute and text (the general path)."""
    if t in ("", "n"):
        return _number(v, sheet, ref), CellType.NUMBER
    if t == "s":
        try:
            i = int(v)
        except ValueError:
            raise _corrupt(f"{ref}: shared string index {v!r}", sheet=sheet) from None
        return strings.get(i, sheet), CellType.TEXT
    if t in ("str", "inlineStr"):
        return _x_unescape(v), CellType.TEXT
    if t == "d":
        return v, CellType.TEXT
    if t == "e":
        return v, CellType.ERROR
    if t == "b":
        return _bool(v, sheet, ref), CellType.BOOL
    raise _corrupt(f"{ref}: cell type {t!r}", sheet=sheet)
