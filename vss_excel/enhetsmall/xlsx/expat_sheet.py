"""The general worksheet parser, with expat: any well-formed sheet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from .cells import _REF, CellType, RawCell, SheetCells, _cell, _col_index, _value, cell_ref
from .errors import _corrupt
from .formats import NumberFormat
from .limits import _Bytes
from .strings import _Strings
from .text import _MAIN_NS, _SEP, _WHITESPACE, _XML_SPACE, _expat, _split


class _SheetParser:
    """Any well-formed worksheet, with expat. Positions of rows and cells without `r` follow
    from their order; only elements of the main namespace count."""

    def __init__(
        self,
        name: str,
        part: str,
        max_row: int,
        max_col: int,
        strings: _Strings,
        formats: Mapping[bytes, NumberFormat],
    ) -> None:
        self.name, self.part, self.max_row, self.max_col, self.strings = name, part, max_row, max_col, strings
        self.formats = formats
        self.cells: dict[tuple[int, int], RawCell] = {}
        self.outside = 0
        self.first_outside = ""
        self.masters: dict[str, str] = {}
        self.pending: list[tuple[tuple[int, int], str]] = []
        self.in_data = False
        self.row = -1
        self.row_known = True  # whether self.row is where the next cell without r goes
        self.col = -1
        self.cell: dict[str, str] | None = None  # attributes of the open <c>
        self.ref = ""
        self.v: list[str] | None = None
        self.f: list[str] | None = None
        self.f_attrs: dict[str, str] = {}
        self.is_text: list[str] | None = None  # the inline string's <t> texts, each trimmed or not
        self.t_text: list[str] = []  # the open <t>'s text
        self.t_preserve = False  # the open <t> has xml:space="preserve"
        self.target: list[str] | None = None  # where character data goes now
        self.rph = 0
        self.depth = 0  # element depth inside the open <c>

    def start(self, name: str, attrs: dict[str, str]) -> None:
        ns, local = _split(name)
        if self.cell is not None:
            self.depth += 1
            if ns not in _MAIN_NS:
                return
            if self.depth == 1:
                if local == "v":
                    self.v = self.target = []
                elif local == "f":
                    self.f = self.target = []
                    self.f_attrs = attrs
                elif local == "is":
                    self.is_text = []
            elif self.is_text is not None:
                if local == "rPh":
                    self.rph += 1
                elif local == "t" and not self.rph:
                    self.t_text = self.target = []
                    self.t_preserve = attrs.get(_XML_SPACE) == "preserve"
            return
        if ns not in _MAIN_NS:
            return
        if local == "sheetData":
            self.in_data = True
        elif not self.in_data:
            return
        elif local == "row":
            r = attrs.get("r")
            if r is None:
                self.row += 1
            elif r.isdigit() and 1 <= int(r) <= 9_999_999:
                self.row, self.row_known = int(r) - 1, True
            else:  # matters only to a cell without r (as in the fast parser, which needs none)
                self.row_known = False
            self.col = -1
        elif local == "c":
            r = attrs.get("r")
            if r is not None:
                m = _REF.fullmatch(r)
                if m is None:
                    raise _corrupt(f"cell r={r!r}", self.part, self.name)
                self.col = _col_index(m.group(1).encode())
                self.row, self.row_known = int(m.group(2)) - 1, True
                self.ref = r.upper()
            elif not self.row_known:
                raise _corrupt(
                    f"a cell without r in a row with a bad r, after {self.ref}", self.part, self.name
                )
            else:
                self.col += 1
                self.ref = ""
            self.cell = attrs
            self.depth = 0
            self.v = self.f = self.is_text = self.target = None
            self.f_attrs = {}
            self.rph = 0

    def end(self, name: str) -> None:
        if self.cell is None:
            if name.rpartition(_SEP)[2] == "sheetData":
                self.in_data = False
            return
        if self.depth == 0:
            self._finish(self.cell)
            self.cell = None
            return
        self.depth -= 1
        ns, local = _split(name)
        if ns in _MAIN_NS:
            if local in ("v", "f"):
                self.target = None
            elif local == "rPh":
                self.rph -= 1
            elif local == "t" and self.target is not None:
                t = "".join(self.t_text)
                if self.is_text is not None:
                    self.is_text.append(t if self.t_preserve else t.strip(_WHITESPACE))
                self.target = None

    def text(self, s: str) -> None:
        if self.target is not None:
            self.target.append(s)

    def _finish(self, attrs: dict[str, str]) -> None:
        t = attrs.get("t", "")
        v = "".join(self.v) if self.v is not None else ""
        if t == "inlineStr" and self.is_text is not None:
            v = "".join(self.is_text)
            has_value = True
        else:
            has_value = v != ""
        formula = "".join(self.f) if self.f is not None else None
        if not has_value and formula is None:
            return
        row, col = self.row, self.col
        si = self.f_attrs.get("si") if self.f is not None else None
        if si is not None and formula:
            self.masters[si] = formula
        if row > self.max_row or col > self.max_col:
            self.outside += 1
            if not self.first_outside:
                self.first_outside = self.ref or cell_ref(row, col)
            return
        if si is not None and not formula:
            self.pending.append(((row, col), si))
        if not has_value:
            self.cells[row, col] = _cell("", CellType.TEXT, formula)
            return
        value, typ = _value(t, v, self.strings, self.name, self.ref or cell_ref(row, col))
        fmt = NumberFormat.NUMBER
        if typ is CellType.NUMBER:
            s = attrs.get("s", "")
            if s.isascii() and s.isdigit():
                fmt = self.formats.get(str(int(s)).encode(), fmt)
        self.cells[row, col] = _cell(value, typ, formula, fmt)

    def result(self) -> SheetCells:
        for key, si in self.pending:
            self.cells[key] = replace(self.cells[key], formula=self.masters.get(si, ""))
        return SheetCells(self.name, MappingProxyType(self.cells), self.outside, self.first_outside)


def _sheet_expat(
    xml: _Bytes,
    name: str,
    part: str,
    max_row: int,
    max_col: int,
    strings: _Strings,
    formats: Mapping[bytes, NumberFormat],
) -> SheetCells:
    p = _SheetParser(name, part, max_row, max_col, strings, formats)
    _expat(xml, part, p.start, p.end, p.text, sheet=name)
    return p.result()
