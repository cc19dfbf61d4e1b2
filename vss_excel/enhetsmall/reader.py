"""Reads a returned unit workbook: what the file is, its metadata, and the cells the layout names.

The file is only read, never written, and never more than the layout's area of it (see the xlsx package for
the limits that keep a hostile file from costing more than a real one). Nothing here decides
what is wrong: the checks do, from what this module reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path

from ..errors import os_reason
from ..keys import Key
from ..model import Forvaltning, Period
from . import layout, metadata, xlsx
from .cells import SheetLayout, WorkbookLayout, cell_ref
from .fingerprint import canonical
from .xlsx import RawCell, SheetCells

# How far beyond the layout a sheet is read: rows a unit may have inserted, notes typed beside
# the table. What lies further out is only counted (a value in XFD1048576 costs nothing).
EXTRA_ROWS = 200
EXTRA_COLS = 26
# The Metadata sheet's area, as _cells would ask for it (12 rows, 2 columns): read once for both.
META_AREA = (len(metadata.FIELDS) + EXTRA_ROWS, 1 + EXTRA_COLS)


class FileKind(Enum):
    WORKBOOK = "arbetsbok"  # one of our templates, its cells read
    LOCK = "låsfil"
    XLS = "xls"
    XLSB = "xlsb"
    ODS = "ods"
    ENCRYPTED = "lösenord"
    NOT_WORKBOOK = "ingen arbetsbok"
    CORRUPT = "trasig"
    TOO_LARGE = "för stor"
    FOREIGN = "främmande"  # a workbook, but not our template
    OTHER_FORVALTNING = "annan förvaltning"  # our template, for another förvaltning
    LINK = "länk"  # a symbolic link: not followed
    UNREADABLE = "oläsbar"  # the operating system could not read it
    CRASHED = "kraschade"  # reading it stopped the process that read it


_SNIFFED = {
    xlsx.FileKind.LOCK: FileKind.LOCK,
    xlsx.FileKind.XLS: FileKind.XLS,
    xlsx.FileKind.XLSB: FileKind.XLSB,
    xlsx.FileKind.ODS: FileKind.ODS,
    xlsx.FileKind.ENCRYPTED: FileKind.ENCRYPTED,
    xlsx.FileKind.NOT_WORKBOOK: FileKind.NOT_WORKBOOK,
}
_ERRORS = {
    xlsx.ErrorKind.CORRUPT: FileKind.CORRUPT,
    xlsx.ErrorKind.TOO_LARGE: FileKind.TOO_LARGE,
    xlsx.ErrorKind.ENCRYPTED: FileKind.ENCRYPTED,
    xlsx.ErrorKind.NOT_XLSX: FileKind.NOT_WORKBOOK,
    xlsx.ErrorKind.UNSAFE: FileKind.CORRUPT,
}


@dataclass(frozen=True)
class SourceFile:
    """A file in the inbox as Källor lists it."""

    path: Path
    name: str
    size: int
    modified: dt.datetime | None
    sha256: str
    kind: FileKind
    error: str = ""  # Swedish: why it could not be read, for the finding
    detail: str = ""  # technical, for the log
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def unit_id(self) -> str:
        return self.meta.get("enhet_id", "")


@dataclass(frozen=True)
class ReadWorkbook:
    """What was read from one file: its source and, for our template, its cells by sheet."""

    source: SourceFile
    layout: WorkbookLayout | None = None
    sheets: Mapping[str, SheetCells] = field(default_factory=dict)  # cells at their real places
    sheets_missing: tuple[str, ...] = ()
    # layout row -> the row where it really is, per sheet (differs when rows were inserted/deleted)
    row_map: Mapping[str, Mapping[int, int | None]] = field(default_factory=dict)
    external_links: bool = False
    date1904: bool = False  # date serials count from 1904 (old Mac files)

    def actual_row(self, sheet: str, row: int) -> int | None:
        moved = self.row_map.get(sheet)
        return moved.get(row, row) if moved else row

    @cached_property
    def _by_layout(self) -> dict[str, Mapping[tuple[int, int], RawCell]]:
        """Each sheet's cells at their layout positions (the file's own map when no row moved)."""
        out: dict[str, Mapping[tuple[int, int], RawCell]] = {}
        for name, read in self.sheets.items():
            moved = self.row_map.get(name)
            if not moved:
                out[name] = read.cells
                continue
            first = self.layout.sheet(name).first_data_row if self.layout is not None else 0
            back = {r: r for r in range(first)}  # title and header rows stay where they are
            back.update({actual: row for row, actual in moved.items() if actual is not None})
            out[name] = {(back[r], c): v for (r, c), v in read.cells.items() if r in back}
        return out

    def cells_at_layout(self, sheet: str) -> Mapping[tuple[int, int], RawCell]:
        """A sheet's cells by layout position (empty when the sheet is missing)."""
        return self._by_layout.get(sheet, {})

    def raw(self, sheet: str, row: int, col: int) -> RawCell | None:
        """The cell at a layout position, following moved rows; None where empty or the row is gone."""
        cells = self._by_layout.get(sheet)
        return None if cells is None else cells.get((row, col))

    def actual_ref(self, sheet: str, row: int, col: int) -> str:
        actual = self.actual_row(sheet, row)
        return cell_ref(row if actual is None else actual, col)


def read(path: str | Path, forv: Forvaltning) -> ReadWorkbook:
    """Read one file. OS errors and broken files become a SourceFile with a kind and a reason."""
    p = Path(path)
    try:
        st = p.lstat()
        if stat.S_ISLNK(st.st_mode):
            return ReadWorkbook(_source(p, st, b"", FileKind.LINK))
        if not stat.S_ISREG(st.st_mode):  # a pipe or a device would block or never end
            return ReadWorkbook(
                _source(
                    p,
                    st,
                    b"",
                    FileKind.UNREADABLE,
                    "Filen är ingen vanlig fil (en pipe, ett uttag eller en enhet).",
                )
            )
        if st.st_size > xlsx.DEFAULT_LIMITS.max_file_bytes:
            return ReadWorkbook(
                _source(
                    p,
                    st,
                    b"",
                    FileKind.TOO_LARGE,
                    error=f"Filen är {st.st_size // 2**20} MB, för stor för en mall.",
                )
            )
        data = _read_bytes(p)
    except OSError as e:
        return ReadWorkbook(_unreadable(p, e))
    kind = xlsx.sniff(p.name, data)  # the whole file: an OLE directory may lie beyond the first bytes
    # A zip that does not look like a workbook may be a damaged one: let the opening say which.
    if kind is not xlsx.FileKind.XLSX and not (kind is xlsx.FileKind.NOT_WORKBOOK and data.startswith(b"PK")):
        return ReadWorkbook(_source(p, st, data, _SNIFFED[kind]))
    try:
        book = xlsx.XlsxFile.open(data)
        meta_cells = book.sheet(metadata.NAME, *META_AREA) if metadata.NAME in book.sheet_names else None
        meta = _meta(meta_cells) if meta_cells is not None else None
    except xlsx.XlsxError as e:
        return ReadWorkbook(_source(p, st, data, _ERRORS[e.kind], e.message, e.detail))
    if meta is None or meta.get("format") != metadata.TEMPLATE_FORMAT:
        return ReadWorkbook(_source(p, st, data, FileKind.FOREIGN, meta=meta or {}))
    if meta.get("forvaltning") != forv.name:
        return ReadWorkbook(_source(p, st, data, FileKind.OTHER_FORVALTNING, meta=meta))
    src = _source(p, st, data, FileKind.WORKBOOK, meta=meta)
    unit = forv.find_unit(src.unit_id)
    if unit is None:
        return ReadWorkbook(src)
    try:
        period = Period.parse(meta.get("period", ""), forv.period.kind)
    except ValueError:
        period = forv.period  # check_period reports it
    wl = layout.build(forv, unit, period)
    try:
        return _cells(src, book, wl, meta_cells)
    except xlsx.XlsxError as e:
        return ReadWorkbook(_source(p, st, data, _ERRORS[e.kind], e.message, e.detail, meta))


def _cells(src: SourceFile, book: xlsx.XlsxFile, wl: WorkbookLayout, meta: SheetCells | None) -> ReadWorkbook:
    sheets: dict[str, SheetCells] = {}
    missing: list[str] = []
    row_map: dict[str, Mapping[int, int | None]] = {}
    for s in wl.sheets:
        if s.name not in book.sheet_names:
            missing.append(s.name)
            continue
        if s.name == metadata.NAME and meta is not None:
            cells = meta
        else:
            cells = book.sheet(s.name, s.last_data_row + EXTRA_ROWS, s.last_col + EXTRA_COLS)
        sheets[s.name] = cells
        row_map[s.name] = locate_rows(s, cells.cells)
    return ReadWorkbook(src, wl, sheets, tuple(missing), row_map, book.has_external_links, book.date1904)


def _read_bytes(p: Path) -> bytes:
    # O_NOFOLLOW: a link swapped in after lstat is refused too, where the OS has the flag.
    fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        return f.read(xlsx.DEFAULT_LIMITS.max_file_bytes + 1)


def _source(
    p: Path,
    st: os.stat_result,
    data: bytes,
    kind: FileKind,
    error: str = "",
    detail: str = "",
    meta: Mapping[str, str] | None = None,
) -> SourceFile:
    return SourceFile(
        path=p,
        name=p.name,
        size=st.st_size,
        modified=dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0),
        sha256=hashlib.sha256(data).hexdigest() if data else "",
        kind=kind,
        error=error,
        detail=detail,
        meta=meta or {},
    )


def _unreadable(p: Path, e: OSError) -> SourceFile:
    reason = os_reason(e)
    try:
        st = p.stat()
        size, modified = st.st_size, dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0)
    except OSError:
        size, modified = 0, None
    return SourceFile(
        p,
        p.name,
        size,
        modified,
        "",
        FileKind.UNREADABLE,
        f"Filen kunde inte läsas: {reason}.",
        f"{type(e).__name__}: {e}",
    )


def crashed(p: Path, detail: str) -> SourceFile:
    """The file whose reading stopped the process that read it (found by reading it alone)."""
    try:
        st = p.lstat()
        size, modified = st.st_size, dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0)
    except OSError:
        size, modified = 0, None
    return SourceFile(p, p.name, size, modified, "", FileKind.CRASHED, "", detail)


def _meta(sheet: SheetCells) -> dict[str, str]:
    labels = {label: key for key, label in metadata.FIELDS}
    cells = sheet.cells
    out: dict[str, str] = {}
    for (r, c), cell in cells.items():
        if c == 0 and isinstance(cell.value, str) and cell.value in labels:
            value = cells.get((r, 1))
            out[labels[cell.value]] = canonical(value.value) if value is not None else ""
    return out


def fixed_values(rw: ReadWorkbook) -> dict[Key, object]:
    """The fixed cells' values as read (labels, headers, prefilled amounts), by key."""
    assert rw.layout is not None
    out: dict[Key, object] = {}
    for s in rw.layout.sheets:
        for c in s.fixed:
            raw = rw.raw(s.name, c.row, c.col)
            out[c.key] = None if raw is None else raw.value
    return out


def locate_rows(sheet: SheetLayout, cells: Mapping[tuple[int, int], RawCell]) -> dict[int, int | None]:
    """Where each layout row is in the file: {} when all are in place; else found again by label."""
    anchors = sheet.row_labels

    def text(r: int) -> object:
        cell = cells.get((r, 0))
        return cell.value if cell is not None else None

    if all(text(r) == c.value for r, c in anchors.items()):
        return {}
    by_text: dict[object, list[int]] = {}
    for r, col in sorted(cells):
        if col == 0 and r >= sheet.first_data_row:
            by_text.setdefault(text(r), []).append(r)
    out: dict[int, int | None] = {}
    shift = 0
    for r in sorted({c.row for c in sheet.cells if c.row >= sheet.first_data_row}):
        a = anchors.get(r)
        if a is None:  # an open row (no label): it moves with the row above
            out[r] = r + shift
            continue
        found = [x for x in by_text.get(a.value, []) if x >= r + shift - 50]
        if found:
            out[r] = found[0]
            shift = found[0] - r
        else:
            out[r] = None
    return out
