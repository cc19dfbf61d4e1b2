"""The cell model of the unit workbook: every cell a CellSpec with a domain key.

Formula cells carry a Derivation from which both the Excel formula and Python's value are made
(see formulas.py), so the workbook and Python compute the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from functools import cached_property, lru_cache
from typing import NamedTuple

from xlsxwriter.utility import xl_rowcol_to_cell

from ..keys import FINGERPRINT, FINGERPRINT_SHEETS, Key, Section
from ..model import Period, Unit

Value = str | Decimal | None


class Kind(Enum):
    TITLE = "title"
    NOTE = "note"
    HEADER = "header"
    LABEL = "label"  # fixed text in a locked cell
    PREFILL = "prefill"  # a value filled in before sending, locked
    INPUT = "input"  # open for the unit
    FORMULA = "formula"


# Kinds whose values are fixed when the workbook is made: the fingerprint covers them.
FIXED_KINDS = (Kind.TITLE, Kind.HEADER, Kind.LABEL, Kind.PREFILL)
# Validation rules of input cells that take a number.
NUMBER_RULES = frozenset({"belopp", "intakt", "kostnad", "investering", "volym", "antal", "procent"})


class Op(Enum):
    """What a formula cell computes from the cells it reads (see formulas.py)."""

    SUM = "sum"
    SUM_ALL = "sum_all"  # empty unless every cell has a figure: a partial sum would pass for the whole

    AVVIKELSE = "avvikelse"
    NETTO = "netto"
    INV_AVVIKELSE = "inv_avvikelse"
    RUN_RATE = "run_rate"
    BUDGET_REST = "budget_rest"
    SEASONAL = "seasonal"
    CHANGE = "change"


@dataclass(frozen=True)
class Derivation:
    op: Op
    args: tuple[tuple[int, int], ...]  # (row, col) of the cells it reads, 0-based


class CellSpec(NamedTuple):
    """One cell of the layout (a tuple: thousands are made for every unit's workbook)."""

    row: int  # 0-based
    col: int
    kind: Kind
    key: Key
    style: str
    value: Value = None
    derivation: Derivation | None = None
    validation: str | None = None

    @property
    def ref(self) -> str:
        return cell_ref(self.row, self.col)

    @property
    def takes_number(self) -> bool:
        return self.kind is Kind.PREFILL or self.validation in NUMBER_RULES


@dataclass(frozen=True)
class CondFormat:
    first_row: int
    last_row: int
    col: int
    formula: str  # for the first row, relative row references
    style: str  # 'missing' (red) or 'attention' (orange)


class _Groups(NamedTuple):
    """What SheetLayout's properties give, computed together (see SheetLayout._groups)."""

    last_row: int
    last_col: int
    fixed: tuple[CellSpec, ...]
    inputs: tuple[CellSpec, ...]
    read: tuple[CellSpec, ...]
    numbers: tuple[tuple[tuple[int, int], Key], ...]
    texts: tuple[tuple[tuple[int, int], Key], ...]
    formulas: tuple[CellSpec, ...]
    labels: dict[int, CellSpec]


_INPUT, _PREFILL, _LABEL = Kind.INPUT, Kind.PREFILL, Kind.LABEL  # an Enum member costs a lookup


@dataclass(frozen=True)
class SheetLayout:
    name: str
    widths: tuple[float, ...]
    header_row: int
    first_data_row: int
    cells: tuple[CellSpec, ...]  # listed after the cells they depend on
    merges: tuple[tuple[int, int, int, int], ...] = ()
    row_heights: tuple[tuple[int, float], ...] = ()
    conditional: tuple[CondFormat, ...] = ()
    hidden: bool = False

    @cached_property
    def _groups(self) -> _Groups:
        """The cells sorted by what they are, in one pass: a unit's own sheets (its projects,
        volumes, activities, metadata) are grouped for every file read, and a pass per group
        cost more than reading the sheet."""
        fixed: list[CellSpec] = []
        inputs: list[CellSpec] = []
        read: list[CellSpec] = []
        numbers: list[tuple[tuple[int, int], Key]] = []
        texts: list[tuple[tuple[int, int], Key]] = []
        formulas: list[CellSpec] = []
        labels: dict[int, CellSpec] = {}
        last_row = last_col = 0
        first = self.first_data_row
        for c in self.cells:
            row, col, kind = c.row, c.col, c.kind
            if row > last_row:
                last_row = row
            if col > last_col:
                last_col = col
            if kind is _INPUT or kind is _PREFILL:
                read.append(c)
                (numbers if c.takes_number else texts).append(((row, col), c.key))
                if kind is _INPUT:
                    inputs.append(c)
            if kind in FIXED_KINDS and not _fingerprint_cell(c.key):
                fixed.append(c)
            if kind is _LABEL and col == 0 and row >= first and isinstance(c.value, str):
                labels[row] = c
            if c.derivation is not None:
                formulas.append(c)
        return _Groups(
            last_row,
            last_col,
            tuple(fixed),
            tuple(inputs),
            tuple(read),
            tuple(numbers),
            tuple(texts),
            tuple(formulas),
            labels,
        )

    @cached_property
    def last_data_row(self) -> int:
        return self._groups.last_row

    @cached_property
    def last_col(self) -> int:
        return self._groups.last_col

    @cached_property
    def by_key(self) -> Mapping[Key, CellSpec]:
        return {c.key: c for c in self.cells}

    @cached_property
    def by_position(self) -> Mapping[tuple[int, int], CellSpec]:
        return {(c.row, c.col): c for c in self.cells}

    @cached_property
    def fixed(self) -> tuple[CellSpec, ...]:
        """Cells whose values are fixed when the workbook is made (the fingerprint's part)."""
        return self._groups.fixed

    @cached_property
    def inputs(self) -> tuple[CellSpec, ...]:
        return self._groups.inputs

    @cached_property
    def read_cells(self) -> tuple[CellSpec, ...]:
        """Cells whose values are read back: prefilled and input cells."""
        return self._groups.read

    @cached_property
    def number_cells(self) -> tuple[tuple[tuple[int, int], Key], ...]:
        """(position, key) of each read cell that holds a number; read for every file."""
        return self._groups.numbers

    @cached_property
    def text_cells(self) -> tuple[tuple[tuple[int, int], Key], ...]:
        return self._groups.texts

    @cached_property
    def positions(self) -> frozenset[tuple[int, int]]:
        return frozenset((c.row, c.col) for c in self.cells)

    @cached_property
    def formulas(self) -> tuple[CellSpec, ...]:
        return self._groups.formulas

    @cached_property
    def row_labels(self) -> Mapping[int, CellSpec]:
        """The fixed text that identifies each data row (its label in the first column)."""
        return self._groups.labels

    def cell(self, key: Key) -> CellSpec:
        return self.by_key[key]

    def retitled(self, title: str) -> SheetLayout:
        """The same sheet under another title (another unit's): what was computed from the cells
        is shared, not computed again for every unit."""
        first = self.cells[0]
        if first.kind is not Kind.TITLE:
            raise ValueError(f"{self.name}: the first cell is not the title")
        new = first._replace(value=title)
        out = replace(self, cells=(new, *self.cells[1:]))
        for attr in _TITLE_FREE:
            out.__dict__[attr] = getattr(self, attr)
        # The lookups that hold the title cell: copied with it replaced (a dict copy, not a rebuild)
        out.__dict__["by_key"] = {**self.by_key, new.key: new}
        out.__dict__["by_position"] = {**self.by_position, (new.row, new.col): new}
        out.__dict__["fixed"] = tuple(new if c is first else c for c in self.fixed)
        return out


# What retitled() may take from another unit's sheet: nothing in it depends on the title's text.
_TITLE_FREE = (
    "last_data_row",
    "last_col",
    "number_cells",
    "text_cells",
    "positions",
    "formulas",
    "read_cells",
    "inputs",
    "row_labels",
)


@dataclass(frozen=True)
class WorkbookLayout:
    forvaltning: str
    unit: Unit
    period: Period
    sheets: tuple[SheetLayout, ...]  # the visible sheets, then the hidden metadata sheet
    names: Mapping[str, tuple[str, int, int]]  # defined name -> (sheet, row, col)

    @cached_property
    def _by_name(self) -> Mapping[str, SheetLayout]:
        return {s.name: s for s in self.sheets}

    def sheet(self, name: str) -> SheetLayout:
        return self._by_name[name]

    def find(self, key: Key) -> tuple[SheetLayout, CellSpec] | None:
        """The sheet and cell of a key, wherever it is."""
        for s in self.sheets:
            c = s.by_key.get(key)
            if c is not None:
                return s, c
        return None


def _fingerprint_cell(key: Key) -> bool:
    return (
        key.section is Section.META and key.item in (FINGERPRINT, FINGERPRINT_SHEETS) and key.field == "varde"
    )


@lru_cache(maxsize=65536)
def cell_ref(row: int, col: int) -> str:
    """'B5' for (4, 1); cached, since checks and writers ask for the same few cells often."""
    return str(xl_rowcol_to_cell(row, col))


def wrapped_height(cells: Iterable[tuple[object, float]]) -> float | None:
    """Row height (points) that shows wrapped texts whole: (text, column width) pairs.

    Neither XlsxWriter nor every spreadsheet program fits rows to wrapped text, so we do.
    """
    lines = 1
    for text, width in cells:
        if isinstance(text, str) and text:
            per_line = max(1, int(width * 1.1))
            lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in text.split("\n")))
    return min(409.0, 15.0 * lines) if lines > 1 else None
