"""A result sheet described once, as data: cells with a style name, rows, charts, print setup.

Two renderers show it: XlsxWriter for the file the CLI writes (xlsx.py) and xlwings for the open
workbook (the Konsolidera button, through excel/macros.py), which takes the values and the marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from .. import calc
from ..enhetsmall.cells import wrapped_height

Scalar = str | int | float | None
Range = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based)


class Cell(NamedTuple):
    """A tuple: a thousand units' Konsolidering has some 64 000."""

    value: Scalar
    style: str = "text"
    link: str | None = None  # an external link the cell opens


@dataclass(frozen=True)
class Series:
    name: str | tuple[int, int]  # a text, or the cell holding it
    categories: Range
    values: Range
    colour: str | None = None  # '#RRGGBB'; None: the chart's own


@dataclass(frozen=True)
class Chart:
    kind: str  # 'column' or 'bar'
    title: str
    series: tuple[Series, ...]
    anchor: tuple[int, int]
    size: tuple[int, int] = (720, 340)
    subtype: str | None = None
    number_format: str | None = None
    description: str = ""  # alt text


@dataclass
class Sheet:
    name: str
    widths: Sequence[float]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    freeze: tuple[int, int] | None = None
    autofilter: Range | None = None
    repeat_rows: tuple[int, int] | None = None  # printed on every page
    merges: list[Range] = field(default_factory=list)
    keep_columns: tuple[int, ...] = ()  # the user writes there: the open workbook's are never cleared
    hidden_columns: tuple[int, ...] = ()

    @classmethod
    def new(cls, name: str, title: str, widths: Sequence[float]) -> Sheet:
        s = cls(name, tuple(widths))
        s.put(0, 0, title, "title")
        return s

    def put(self, r: int, c: int, value: Scalar, style: str = "text", link: str | None = None) -> None:
        if isinstance(value, bool):
            value = "Ja" if value else None
        if value == "":
            value = None  # an empty text is a blank cell, as every program reads it back
        self.cells[(r, c)] = Cell(value, style, link)

    def headers(
        self, r: int, names: Sequence[str], numeric_from: int = 1, numeric_to: int | None = None
    ) -> None:
        """A header row; numeric columns' headers (numeric_from up to numeric_to) align right. Headers
        wrap at whole words only: a column is widened to its header's longest word."""
        widths = list(self.widths) + [10.0] * max(0, len(names) - len(self.widths))
        end = len(names) if numeric_to is None else numeric_to
        for c, h in enumerate(names):
            self.put(r, c, h or None, "header_num" if numeric_from <= c < end else "header")
            longest = max((len(w) for w in h.split()), default=0)
            widths[c] = max(widths[c], longest * 1.15 + 1)
        self.widths = tuple(widths)
        lines = max(_header_lines(h, widths[c]) for c, h in enumerate(names))
        self.heights[r] = max(15.0 * lines, self.heights.get(r, 0))

    def note(self, r: int, text: str, style: str = "note", across: int = 0) -> None:
        """A note under a table; across > 1 merges it over that many columns and wraps it."""
        self.put(r, 0, text, style)
        if across > 1:
            self.merges.append((r, 0, r, across - 1))
            self.fit(r, [(text, sum(self.widths[:across]))])

    def fit(self, r: int, cells: Sequence[tuple[object, float]]) -> None:
        """Make row r tall enough for its wrapped texts."""
        height = wrapped_height(cells)
        if height:
            self.heights[r] = max(height, self.heights.get(r, 0))

    def amount(
        self, r: int, c: int, kronor: Decimal | None, *, bold: bool = False, marked: bool = False
    ) -> None:
        """An amount in whole tkr, rounded once; '–' where there is no figure."""
        style = "tkr_bold" if bold else "tkr"
        if marked:
            style += "_marked"
        if kronor is None:
            self.put(r, c, "–", style)
        else:
            self.put(r, c, calc.round_tkr(kronor), style)

    def missing(self, r: int, c: int) -> None:
        """A figure that cannot be given: a value was missing or not accepted."""
        self.put(r, c, "saknas", "missing")

    def grid(self) -> list[list[Scalar]]:
        """The sheet's values as rows from A1 (None where nothing is written)."""
        if not self.cells:
            return []
        rows = max(r for r, _ in self.cells) + 1
        cols = max(c for _, c in self.cells) + 1
        out: list[list[Scalar]] = [[None] * cols for _ in range(rows)]
        for (r, c), cell in self.cells.items():
            out[r][c] = cell.value
        return out


def _header_lines(text: str, width: float) -> int:
    """Lines a header needs when it wraps at spaces only (never mid-word)."""
    per_line = max(1, int(width * 1.1))
    lines, used = 1, 0
    for word in text.split():
        need = len(word) + (1 if used else 0)
        if used and used + need > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += need
    return min(lines, 5)
