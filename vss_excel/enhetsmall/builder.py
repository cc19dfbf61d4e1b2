"""Places a sheet's title, instructions, header and rows; the sheet modules use it."""

from __future__ import annotations

from decimal import Decimal

from ..keys import Key, Section
from ..model import Forvaltning
from .cells import CellSpec, CondFormat, Derivation, Kind, Op, SheetLayout, Value
from .texts import YELLOW

HEADER_ROW = 3
FIRST_DATA_ROW = 4


class SheetBuilder:
    """Collects cells in dependency order; `done()` gives the frozen SheetLayout."""

    def __init__(self, name: str, title: str, instructions: str, headers: list[str], widths: list[float]):
        self.name = name
        self.widths = tuple(widths)
        self.cells: list[CellSpec] = []
        self.merges: list[tuple[int, int, int, int]] = []
        self.heights: dict[int, float] = {}
        self.conditional: list[CondFormat] = []
        self.add(0, 0, Kind.TITLE, Key(Section.SHEET, name, "title"), "title", title)
        self.add(
            1, 0, Kind.NOTE, Key(Section.SHEET, name, "instructions"), "note", f"{instructions} {YELLOW}"
        )
        self.merges.append((1, 0, 1, len(headers) - 1))
        self.heights[1] = 62
        for c, h in enumerate(headers):
            self.add(HEADER_ROW, c, Kind.HEADER, Key(Section.HEADER, name, str(c)), "header", h)
        self.heights[HEADER_ROW] = 45
        self.row = FIRST_DATA_ROW

    def next_row(self) -> int:
        row = self.row
        self.row += 1
        return row

    def add(
        self,
        row: int,
        col: int,
        kind: Kind,
        key: Key,
        style: str,
        value: Value = None,
        derivation: Derivation | None = None,
        validation: str | None = None,
    ) -> CellSpec:
        spec = CellSpec(row, col, kind, key, style, value, derivation, validation)
        self.cells.append(spec)
        return spec

    def formula(self, row: int, col: int, key: Key, op: Op, args: list[tuple[int, int]], style: str) -> None:
        self.add(row, col, Kind.FORMULA, key, style, None, Derivation(op, tuple(args)))

    def done(self) -> SheetLayout:
        return SheetLayout(
            self.name,
            self.widths,
            HEADER_ROW,
            FIRST_DATA_ROW,
            tuple(self.cells),
            tuple(self.merges),
            tuple(sorted(self.heights.items())),
            tuple(self.conditional),
        )


def thresholds(forv: Forvaltning) -> tuple[str, str]:
    """The väsentlighet thresholds as formula texts: kronor and percent."""
    return _num(forv.thresholds.tkr * 1000), _num(forv.thresholds.percent)


def _num(d: Decimal) -> str:
    return format(d.normalize(), "f")


def significant(dev: str, budget: str, t: str, pct: str) -> str:
    """Excel mirror of calc.is_significant for one avvikelse cell and its budget cell."""
    return f"ABS(N({dev}))>={t},AND(N({budget})<>0,ABS(N({dev}))>=ABS(N({budget}))*{pct}/100)"
