"""The fast worksheet parser: the canonical form, with compiled bytes regexes. It declines
(returns None) whatever it cannot prove it read in full; expat_sheet then reads the sheet."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType

from .cells import (
    _COLS,
    _NEW,
    _SET_FORMAT,
    _SET_FORMULA,
    _SET_TYPE,
    _SET_VALUE,
    CellType,
    RawCell,
    SheetCells,
    _col_index,
    _value,
)
from .formats import NumberFormat
from .limits import _CHUNK, _Bytes
from .strings import _Strings
from .text import _WHITESPACE, _canonical_root, _Fallback, _text, _x_unescape

# A cell in canonical form. Groups: column letters, row digits, style index, type, the <f start
# tag (empty if no formula), <f> text, <v> text, and '<t …>text' of a plain inline string
# (openpyxl writes those). A style index with a leading zero goes to expat. Possessive
# quantifiers: nothing here needs backtracking, and findall is 1.5x faster.
# The second alternative matches any other '<c' start tag (no r, other attribute order, inline
# rich text, a comment or CDATA inside, '<c>' or a line break after '<c'): a match with an
# empty row tells the fast parser that it cannot read this sheet, so expat does.
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}+)([1-9][0-9]{0,6}+)"'
    rb'(?: s="(0|[1-9][0-9]{0,8}+)")?+'
    rb'(?: t="([a-zA-Z]++)")?+'
    rb'(?: (?:cm|vm|ph)="[^"<]*+")*+'
    rb" ?+(?:/>|>"
    rb"(?:(<f(?: [^>]*)?)(?:/>|>([^<]*+)</f>))?+"
    rb'(?:<v>([^<]*+)</v>|<v ?/>|<is>(<t(?: xml:space="preserve")?>[^<]*+)</t></is>)?+'
    rb"</c>)"
    rb"|<c(?=[\s/>])"
)
_SI_ATTR = re.compile(rb'\bsi="([0-9]+)"')
# Formula texts as decoded, by their bytes: a thousand files of one template repeat the same few
# hundred (short ones only: a file of long unique formulas fills no memory).
_formula_text = lru_cache(maxsize=4096)(_text)
_FORMULA_CACHED_LEN = 256


def _cells(xml: _Bytes, start: int, end: int) -> Iterator[tuple[bytes, ...]]:
    """_CELL's matches in sheetData, a chunk at a time, so that a sheet of a million cells
    outside the area costs a bounded list, not one of a million tuples. A chunk ends before a
    '<c', that is between two cells (if it is not, the cell cut in two fails the regex, and
    expat reads the sheet)."""
    pos = start
    while pos < end:
        cut = xml.find(b"<c", pos + _CHUNK, end) if end - pos > _CHUNK else -1
        stop = end if cut < 0 else cut
        yield from _CELL.findall(xml, pos, stop)
        pos = stop


def _sheet_fast(
    xml: _Bytes,
    name: str,
    max_row: int,
    max_col: int,
    strings: _Strings,
    formats: Mapping[bytes, NumberFormat],
) -> SheetCells | None:
    """The canonical form with regexes; None when the sheet is not in that form. `formats`: the
    number format of each style index that is not a plain number (see formats.parse_styles)."""
    if not _canonical_root(xml, b"worksheet"):
        return None
    start = xml.find(b"<sheetData>")
    if start < 0:
        return SheetCells(name, MappingProxyType({}), 0, "") if b"<sheetData/>" in xml else None
    end = xml.find(b"</sheetData>", start)
    if end < 0:
        return None
    cells: dict[tuple[int, int], RawCell] = {}
    outside = 0
    first_outside = ""
    masters: dict[bytes, bytes] = {}
    pending: list[tuple[tuple[int, int], bytes]] = []
    cols = _COLS
    new, set_value, set_type, set_formula, set_format = _NEW, _SET_VALUE, _SET_TYPE, _SET_FORMULA, _SET_FORMAT
    text, isfinite = _text, math.isfinite
    number_t, text_t = CellType.NUMBER, CellType.TEXT
    plain = NumberFormat.NUMBER
    format_of = formats.get
    formula_text = _formula_text
    try:
        start += 11
        found = _CELL.findall(xml, start, end) if end - start <= _CHUNK else _cells(xml, start, end)
        for col_s, row_s, style, t, fa, ft, v, inline in found:
            if not v and not fa and not (inline and t == b"inlineStr"):
                if not row_s:
                    return None  # a cell the regex could not read
                continue  # no value, no formula (fa is the <f start tag)
            row = int(row_s) - 1
            col = cols.get(col_s)
            if col is None:
                col = cols[col_s] = _col_index(col_s)
            if row > max_row or col > max_col:
                if ft and b"si=" in fa:  # a shared formula's master: its dependents need it
                    m = _SI_ATTR.search(fa)
                    if m is not None:
                        masters[m.group(1)] = ft
                outside += 1
                if not first_outside:
                    first_outside = (col_s + row_s).decode()
                continue
            formula: str | None = None
            if fa:
                formula = formula_text(ft) if len(ft) <= _FORMULA_CACHED_LEN else text(ft)
                if b"si=" in fa:
                    m = _SI_ATTR.search(fa)
                    if m is not None:
                        if ft:
                            masters[m.group(1)] = ft
                        else:
                            pending.append(((row, col), m.group(1)))
            fmt = plain
            if inline and t == b"inlineStr":
                if inline[2] == 62:  # '<t>' without xml:space="preserve": trimmed (see strings.py)
                    value: float | str | bool = _x_unescape(text(inline[3:]).strip(_WHITESPACE))
                else:
                    value = _x_unescape(text(inline[inline.index(b">") + 1 :]))
                typ = text_t
            elif not v:
                value, typ = "", text_t
            elif t == b"" or t == b"n":
                value, typ = float(v), number_t
                if not isfinite(value):
                    raise ValueError
                fmt = format_of(style, plain)
            elif t == b"s":
                value, typ = strings.get(int(v), name), text_t
            else:
                ref = (col_s + row_s).decode()
                value, typ = _value(t.decode("ascii"), text(v), strings, name, ref)
            c = new(RawCell)
            set_value(c, value)
            set_type(c, typ)
            set_formula(c, formula)
            set_format(c, fmt)
            cells[row, col] = c
    except _Fallback:
        return None  # an odd entity or encoding: expat decides whether the sheet is broken
    except ValueError:  # float() or int() of the cell's text
        return None  # expat reads it again and says which cell is wrong
    for key, si in pending:
        try:
            cells[key] = replace(cells[key], formula=text(masters.get(si, b"")))
        except _Fallback:
            return None
    return SheetCells(name, MappingProxyType(cells), outside, first_outside)
