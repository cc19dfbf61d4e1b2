"""A stencil per workbook shape: the next unit's workbook written as XlsxWriter writes it, faster.

Units of one shape (the same sheets, cells, styles, validations, row heights; only values and
texts differ) get files that differ only in their cells' values, the shared strings and the
title. The first unit of a shape is written by XlsxWriter; its file is cut into the parts that
stay and the cells that change, and the next units of that shape are written from it, each
changed cell made as XlsxWriter makes it (worksheet.py `_write_cell`, sharedstrings.py). The
result is byte for byte the file XlsxWriter writes (tests/test_stencil.py compares whole files),
so Excel meets the same file either way. What a stencil cannot make that way is left to
XlsxWriter: a text with a control character or over 16 383 characters, a number that is not
finite, a merged text that XlsxWriter would turn into a link or a formula.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from xlsxwriter.utility import xl_cell_to_rowcol

from ..model import Forvaltning
from . import packing
from .cells import WorkbookLayout
from .puts import Put, What

CACHED = 16  # shapes kept per process; a förvaltning has a few (units with 1, 2, 3 … activities)
_stencils: dict[Hashable, Stencil | None] = {}  # None: that shape's file could not be cut

# What XlsxWriter writes for a cell (worksheet.py `_write_cell`); a cell it writes otherwise stays
# in the literal text, and the stencil is then refused (every put cell must be a slot).
_CELL = re.compile(
    r'(?P<head><c r="(?P<ref>[A-Z]+[0-9]+)"(?: s="[0-9]+")?)(?: t="[a-z]+")?'
    r"(?:/>|>(?P<f><f>[^<]*</f>)?(?:<v>[^<]*</v>)?</c>)"
)
# XlsxWriter writes these as _xHHHH_ (xmlwriter.py `_escape_control_characters`); left to it
_CONTROL = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_LEADING, _TRAILING = re.compile(r"^\s"), re.compile(r"\s$")  # xml:space="preserve" (utility.py)
_URL = re.compile(r"(ftp|http)s?://|mailto:|(in|ex)ternal:|file://")  # worksheet.py `_write_token_as_string`
_SST_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{}" uniqueCount="{}">'
)
_SST = "xl/sharedStrings.xml"
_CORE = "docProps/core.xml"
_SHEET = re.compile(r"xl/worksheets/sheet([0-9]+)\.xml")


class Unsupported(Exception):
    """This workbook is not made by the stencil: XlsxWriter writes it."""


def shape_of(forv: Forvaltning, wl: WorkbookLayout, props: Mapping[str, Any]) -> Hashable:
    """Everything but the values and texts that the writer's output depends on."""
    return (
        wl.period.month,  # the formulas' texts
        tuple(forv.statuses),  # the status list's validation
        tuple(sorted((k, v) for k, v in props.items() if k != "title")),
        tuple(s.shape for s in wl.sheets),
        tuple(sorted(wl.names.items())),
    )


def write(target: Path, shape: Hashable, cells: Sequence[Sequence[Put]], title: str) -> bool:
    """Write the workbook from the stencil of its shape; False when there is none or it cannot."""
    stencil = _stencils.get(shape)
    if stencil is None:
        return False
    try:
        parts = stencil.render(cells, title)
    except Unsupported:
        return False
    packing.write(target, parts)
    return True


def remember(shape: Hashable, data: bytes, cells: Sequence[Sequence[Put]]) -> None:
    """Keep the stencil cut from the file XlsxWriter wrote for a unit of this shape."""
    if shape in _stencils:
        return
    if len(_stencils) >= CACHED:
        del _stencils[next(iter(_stencils))]
    try:
        _stencils[shape] = Stencil.cut(data, cells)
    except Unsupported:
        _stencils[shape] = None


def forget() -> None:
    _stencils.clear()


class _Slot(NamedTuple):
    at: int  # the index of the cell in the sheet's puts: one shape, one order
    head: str  # '<c r="B5" s="7"'
    formula: str  # '<f>…</f>' as written, or ''


@dataclass(frozen=True)
class _Sheet:
    head: str  # up to <sheetData>: dimension, views, columns
    pieces: tuple[str | _Slot, ...]  # row tags and cells that stay, and the cells that change
    tail: str  # merges, validations, conditional formats, page set-up, protection

    def render(self, cells: Sequence[Put], strings: Mapping[str, int]) -> bytes:
        out = [self.head]
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            p = cells[piece.at]
            what, value = p.what, p.value
            if what is What.FORMULA:
                if not piece.formula:
                    raise Unsupported
                out.append(f"{piece.head}>{piece.formula}<v>{value}</v></c>")  # a float as str(), or ''
            elif what is What.BLANK or (what is What.MERGE and value == ""):
                out.append(piece.head + "/>")
            elif what is What.NUMBER:
                assert isinstance(value, float)
                if not math.isfinite(value):
                    raise Unsupported  # XlsxWriter refuses it, with its own message
                out.append(f"{piece.head}><v>{value:.16G}</v></c>")
            else:
                assert isinstance(value, str)
                out.append(f'{piece.head} t="s"><v>{strings[value]}</v></c>')
        out.append(self.tail)
        return "".join(out).encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _si(text: str) -> str:
    if _CONTROL.search(text) or len(text) > 16383 or (text.startswith("<r>") and text.endswith("</r>")):
        raise Unsupported
    space = ' xml:space="preserve"' if _LEADING.search(text) or _TRAILING.search(text) else ""
    return f"<si><t{space}>{_escape(text)}</t></si>"


def _strings(cells: Sequence[Sequence[Put]]) -> tuple[dict[str, int], int]:
    """The shared strings numbered as XlsxWriter numbers them: in the order they are written."""
    index: dict[str, int] = {}
    count = 0
    for sheet in cells:
        for p in sheet:
            if p.what is What.STRING or (p.what is What.MERGE and p.value != ""):
                text = p.value
                assert isinstance(text, str)
                if p.what is What.MERGE and (
                    text.startswith(("=", "{=")) or (":" in text and _URL.match(text))
                ):
                    raise Unsupported  # XlsxWriter writes it as a formula or a link
                if text not in index:
                    index[text] = len(index)
                count += 1
    return index, count


@dataclass(frozen=True)
class Stencil:
    members: tuple[tuple[str, packing.Packed | None], ...]  # XlsxWriter's order; None: made per unit
    sheets: Mapping[str, tuple[int, _Sheet]]  # member -> (index of the sheet in the layout, its cut)
    core: tuple[str, str]  # docProps/core.xml before and after the title's text

    @classmethod
    def cut(cls, data: bytes, cells: Sequence[Sequence[Put]]) -> Stencil:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [(i.filename, z.read(i)) for i in z.infolist()]
        names = {name for name, _ in parts}
        if _SST not in names or _CORE not in names or not all(n.isascii() for n in names):
            raise Unsupported
        sheets = {}
        for name, part in parts:
            m = _SHEET.fullmatch(name)
            if m is not None:
                i = int(m.group(1)) - 1
                if i >= len(cells):
                    raise Unsupported
                sheets[name] = (i, _cut_sheet(part.decode("utf-8"), cells[i]))
        if len(sheets) != len(cells):
            raise Unsupported
        _strings(cells)  # a merged text that became a link or a formula would be in every copy
        core = dict(parts)[_CORE].decode("utf-8")
        start, end = core.find("<dc:title>"), core.find("</dc:title>")
        if start < 0 or end < start:
            raise Unsupported
        made = {*sheets, _SST, _CORE}
        members = tuple((n, None if n in made else packing.pack(n, part)) for n, part in parts)
        return cls(members, sheets, (core[: start + len("<dc:title>")], core[end:]))

    def render(self, cells: Sequence[Sequence[Put]], title: str) -> list[packing.Packed]:
        if _CONTROL.search(title):
            raise Unsupported
        strings, count = _strings(cells)
        out = []
        for name, packed in self.members:
            if packed is None:
                if name == _SST:
                    sst = _SST_HEAD.format(count, len(strings)) + "".join(map(_si, strings)) + "</sst>"
                    part = sst.encode("utf-8")
                elif name == _CORE:
                    part = (self.core[0] + _escape(title) + self.core[1]).encode("utf-8")
                else:
                    i, sheet = self.sheets[name]
                    part = sheet.render(cells[i], strings)
                packed = packing.pack(name, part)
            out.append(packed)
        return out


def _cut_sheet(xml: str, cells: Sequence[Put]) -> _Sheet:
    start, end = xml.find("<sheetData>"), xml.find("</sheetData>")
    if start < 0 or end < start:
        raise Unsupported
    start += len("<sheetData>")
    body = xml[start:end]
    positions = {(p.row, p.col): i for i, p in enumerate(cells)}
    pieces: list[str | _Slot] = []
    last = 0
    for m in _CELL.finditer(body):
        i = positions.get(xl_cell_to_rowcol(m["ref"]))
        if i is not None:  # a cell the writer puts; the others (a merged range's) stay as written
            pieces += [body[last : m.start()], _Slot(i, m["head"], m["f"] or "")]
            last = m.end()
    pieces.append(body[last:])
    if sum(isinstance(p, _Slot) for p in pieces) != len(positions):
        raise Unsupported
    return _Sheet(xml[:start], tuple(pieces), xml[end:])
