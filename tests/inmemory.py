"""A returned unit workbook built in memory, cell by cell as the reader would see it, for testing a
rule on a short inline input (as beancount tests each validation on a short inline ledger)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from vss_excel import keys as K
from vss_excel.enhetsmall import layout, metadata, writer
from vss_excel.enhetsmall.cells import Kind
from vss_excel.enhetsmall.fingerprint import canonical, fingerprint, sheet_fingerprints
from vss_excel.enhetsmall.formulas import evaluate
from vss_excel.enhetsmall.reader import FileKind, ReadWorkbook, SourceFile
from vss_excel.enhetsmall.xlsx import CellType, RawCell, SheetCells
from vss_excel.keys import Key
from vss_excel.konsolidera.checks import FileContext
from vss_excel.model import Forvaltning, Period, Prefill


def raw(value: object, formula: str | None = None) -> RawCell:
    """A cell as stored: a number, a text, a boolean, or an error ('#DIV/0!'); a RawCell as it is
    (a number with its format: RawCell(44135.0, CellType.NUMBER, None, NumberFormat.DATE))."""
    if isinstance(value, RawCell):
        return value
    if isinstance(value, bool):
        return RawCell(value, CellType.BOOL, formula)
    if isinstance(value, int | float | Decimal):
        return RawCell(float(value), CellType.NUMBER, formula)
    text = str(value)
    if text.startswith("#") and text.endswith(("!", "?", "A")):
        return RawCell(text, CellType.ERROR, formula)
    return RawCell(text, CellType.TEXT, formula)


def returned(
    forv: Forvaltning,
    unit_id: str,
    inputs: Mapping[Key, object] | None = None,
    prefill: Prefill | None = None,
    *,
    period: Period | None = None,
    changed: Mapping[Key, object] | None = None,
    extra: Mapping[tuple[str, int, int], object] | None = None,
    name: str = "",
) -> ReadWorkbook:
    """The file a unit returns: the template as sent, `inputs` typed in, `changed` typed over
    locked cells (after the fingerprint was made), `extra` cells anywhere (sheet, row, col)."""
    period = period or forv.period
    unit = forv.unit(unit_id)
    wl = layout.build(forv, unit, period)
    values: dict[tuple[str, int, int], object] = dict(writer.resolve_values(wl, forv, prefill))
    meta = wl.sheet(metadata.NAME)
    fp = meta.cell(K.meta(K.FINGERPRINT, metadata.VALUE))
    fps = meta.cell(K.meta(K.FINGERPRINT_SHEETS, metadata.VALUE))
    values[(metadata.NAME, fp.row, fp.col)] = fingerprint(wl, values)
    values[(metadata.NAME, fps.row, fps.col)] = sheet_fingerprints(wl, values)
    for key, v in {**(inputs or {}), **(changed or {})}.items():
        found = wl.find(key)
        assert found is not None, key
        s, c = found
        values[(s.name, c.row, c.col)] = v
    sheets: dict[str, SheetCells] = {}
    for s in wl.sheets:
        cells: dict[tuple[int, int], RawCell] = {}
        numbers: dict[tuple[int, int], Decimal | None] = {}
        for c in s.cells:
            v = values.get((s.name, c.row, c.col))
            if v is None or c.kind is Kind.FORMULA:
                continue
            cell = cells[(c.row, c.col)] = raw(v)
            # The program computes its formulas from the stored number, whatever the format shows
            if c.takes_number and cell.type is CellType.NUMBER:
                numbers[(c.row, c.col)] = Decimal(str(cell.value))
        for (r, col), result in evaluate(s, numbers, period.month).items():
            cells[(r, col)] = raw("" if result is None else float(result), formula="…")
        for (sheet, r, col), v in (extra or {}).items():
            if sheet == s.name:
                cells[(r, col)] = raw(v)
        sheets[s.name] = SheetCells(s.name, cells, 0, "")
    meta_values = {
        key: canonical(values.get((metadata.NAME, i + 1, 1))) for i, (key, _) in enumerate(metadata.FIELDS)
    }
    source = SourceFile(
        Path(name or f"{forv.short_name} {period.iso} {unit.name}.xlsx"),
        name or f"{forv.short_name} {period.iso} {unit.name}.xlsx",
        1000,
        dt.datetime(2020, 11, 5, 12, 0),
        "0" * 64,
        FileKind.WORKBOOK,
        meta=meta_values,
    )
    return ReadWorkbook(source, wl, sheets)


def context(forv: Forvaltning, rw: ReadWorkbook) -> FileContext:
    return FileContext.of(rw, forv, forv.period)
