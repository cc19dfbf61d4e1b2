"""Reads a returned unit workbook into a UnitReport, through layout and the hidden metadata.

The file is only read, never written. Values come from python-calamine (fast; it reads the
cached results of formulas). Nothing here decides what is wrong: checks.py does, from what
this module reports (the file's kind, its metadata, its cells and where its rows really are).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook

from ..model import Forvaltning, Period, UnitReport
from . import layout, metadata
from .cells import CellSpec, Kind, SheetLayout, WorkbookLayout, cell_ref
from .fingerprint import canonical
from .formulas import evaluate

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted (password) .xlsx


class FileKind:
    WORKBOOK = "arbetsbok"
    LOCK = "låsfil"
    XLS = "xls"
    ENCRYPTED = "lösenord"
    NOT_WORKBOOK = "ingen arbetsbok"
    CORRUPT = "trasig"
    FOREIGN = "främmande"  # a workbook, but not our template


@dataclass
class SourceFile:
    path: Path
    name: str
    size: int
    modified: dt.datetime
    sha256: str
    kind: str
    error: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    used: bool = False
    reason: str = ""

    @property
    def unit_id(self) -> str:
        return self.meta.get("enhet_id", "")


@dataclass
class ReadWorkbook:
    source: SourceFile
    layout: WorkbookLayout | None = None
    cells: dict[str, dict[tuple[int, int], object]] = field(default_factory=dict)
    sheets_missing: list[str] = field(default_factory=list)
    # layout row -> row where it really is, per sheet (differs when rows were inserted/deleted)
    row_map: dict[str, dict[int, int | None]] = field(default_factory=dict)
    report: UnitReport | None = None
    _computed: dict[str, dict[tuple[int, int], Decimal | None]] = field(default_factory=dict, repr=False)

    def computed(self, sheet: SheetLayout) -> dict[tuple[int, int], Decimal | None]:
        """The sheet's numbers by layout position: inputs and prefilled values as read, every
        formula recomputed by calc. Computed once per sheet; the checks share it."""
        hit = self._computed.get(sheet.name)
        if hit is None:
            assert self.layout is not None
            hit = numbers_by_position(self, sheet)
            hit.update(evaluate(sheet, hit, self.layout.period.month))
            self._computed[sheet.name] = hit
        return hit

    def value(self, sheet: str, row: int, col: int) -> object:
        """The cell of a layout position, following moved rows; None where the row is gone."""
        moved = self.row_map.get(sheet)
        if moved:
            actual = moved.get(row, row)
            if actual is None:
                return None
            row = actual
        return self.cells.get(sheet, {}).get((row, col))

    def actual_ref(self, sheet: str, row: int, col: int) -> str:
        actual = self.row_map.get(sheet, {}).get(row, row)
        return cell_ref(row if actual is None else actual, col)


def _classify(name: str, head: bytes) -> str:
    if name.startswith("~$"):
        return FileKind.LOCK
    if head.startswith(ZIP_MAGIC):
        return FileKind.WORKBOOK
    if head.startswith(OLE_MAGIC):
        return FileKind.XLS if name.lower().endswith(".xls") else FileKind.ENCRYPTED
    return FileKind.NOT_WORKBOOK


def _meta(sheet_rows: list[list[object]]) -> dict[str, str]:
    labels = {label: key for key, label in metadata.FIELDS}
    out: dict[str, str] = {}
    for row in sheet_rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[0] in labels:
            out[labels[row[0]]] = canonical(row[1])
    return out


def _rows(wb: CalamineWorkbook, name: str) -> list[list[object]]:
    return [list(r) for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=False)]


def read(path: str | Path, forv: Forvaltning) -> ReadWorkbook:
    p = Path(path)
    data = p.read_bytes()
    st = p.stat()
    src = SourceFile(
        path=p,
        name=p.name,
        size=st.st_size,
        modified=dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=_classify(p.name, data[:8]),
    )
    rw = ReadWorkbook(src)
    if src.kind != FileKind.WORKBOOK:
        return rw
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
    except Exception as e:  # calamine raises several types for a damaged zip or XML
        src.kind, src.error = FileKind.CORRUPT, f"{type(e).__name__}: {e}"[:300]
        return rw
    if metadata.NAME not in names:
        src.kind = FileKind.FOREIGN
        return rw
    try:
        src.meta = _meta(_rows(wb, metadata.NAME))
    except Exception as e:
        src.kind, src.error = FileKind.CORRUPT, f"{type(e).__name__}: {e}"[:300]
        return rw
    if src.meta.get("format") != metadata.TEMPLATE_FORMAT:
        src.kind = FileKind.FOREIGN
        return rw
    unit = next((u for u in forv.units if u.id == src.unit_id), None)
    if unit is None:
        return rw
    try:
        period = Period.parse(src.meta.get("period", ""), forv.period.kind)
    except ValueError:
        period = forv.period
    rw.layout = layout.build(forv, unit, period)
    for s in rw.layout.sheets:
        if s.name not in names:
            rw.sheets_missing.append(s.name)
            continue
        try:
            rows = _rows(wb, s.name)
        except Exception as e:
            src.kind, src.error = FileKind.CORRUPT, f"{s.name}: {type(e).__name__}: {e}"[:300]
            return rw
        rw.cells[s.name] = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}
        rw.row_map[s.name] = _locate_rows(s, rw.cells[s.name])
    rw.report = extract(rw)
    return rw


def _anchor(sheet: SheetLayout) -> dict[int, CellSpec]:
    """The fixed text that identifies each data row (its label in the first column)."""
    return {
        c.row: c
        for c in sheet.cells
        if c.col == 0 and c.row >= sheet.first_data_row and c.kind is Kind.LABEL and isinstance(c.value, str)
    }


def _locate_rows(sheet: SheetLayout, cells: dict[tuple[int, int], object]) -> dict[int, int | None]:
    """Where each layout row is in the file: in place, or found again by its label."""
    anchors = _anchor(sheet)
    if all(cells.get((r, 0)) == c.value for r, c in anchors.items()):
        return {}
    by_text: dict[object, list[int]] = {}
    for (r, col), v in sorted(cells.items()):
        if col == 0 and r >= sheet.first_data_row:
            by_text.setdefault(v, []).append(r)
    out: dict[int, int | None] = {}
    shift = 0
    rows = sorted({c.row for c in sheet.cells if c.row >= sheet.first_data_row})
    for r in rows:
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


def number(value: object) -> Decimal | None:
    """A numeric cell as Decimal; None for empty or anything that is not a number."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def extract(rw: ReadWorkbook) -> UnitReport:
    """Inputs and prefilled values by key; a non-number where a number belongs is left out."""
    assert rw.layout is not None
    wl = rw.layout
    rep = UnitReport(wl.unit.id, wl.period, rw.source.name)
    for s in wl.sheets:
        if s.name not in rw.cells:
            continue
        for c in s.cells:
            if c.kind not in (Kind.INPUT, Kind.PREFILL):
                continue
            v = rw.value(s.name, c.row, c.col)
            if c.takes_number:
                rep.values[c.key] = number(v)
            elif v is None:
                rep.values[c.key] = None
            elif isinstance(v, float) and v.is_integer():
                rep.values[c.key] = str(int(v))  # a number typed as text answer
            else:
                rep.values[c.key] = str(v)
    return rep


def numbers_by_position(rw: ReadWorkbook, sheet: SheetLayout) -> dict[tuple[int, int], Decimal | None]:
    """Every non-formula cell's number at its layout position, for layout.evaluate."""
    return {
        (c.row, c.col): number(rw.value(sheet.name, c.row, c.col))
        for c in sheet.cells
        if c.kind in (Kind.INPUT, Kind.PREFILL)
    }
