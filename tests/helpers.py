"""Test helpers: read workbooks back, fill input cells as a unit would."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from vss_excel import libreoffice
from vss_excel.enhetsmall import cells, formulas

# The Konsolidering workbook's result sheets, in order (DESIGN.md and the issues name them).
RESULT_SHEETS = [
    "Driftsammandrag",
    "Ekonomi",
    "Investeringar",
    "Volymer",
    "Personal",
    "Aktiviteter",
    "Analys",
    "Texter",
    "Kontroll",
    "Källor",
]


def cell_values(path: str | Path) -> dict[str, dict[tuple[int, int], object]]:
    """Every non-empty cell's value (cached results for formulas), 0-based, per sheet."""
    wb = CalamineWorkbook.from_path(str(path))
    out: dict[str, dict[tuple[int, int], object]] = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}
    return out


def recalculated(template: Path, sheet: cells.SheetLayout, folder: Path) -> Callable[[object], object]:
    """The template after LibreOffice recalculated it: the value of a layout key's cell on `sheet`
    ('' for an empty one)."""
    (path,) = libreoffice.convert([template], folder)
    values = cell_values(path)[sheet.name]

    def at(key: object) -> object:
        c = sheet.by_key[key]
        return values.get((c.row, c.col), "")

    return at


def as_number(v: object) -> Decimal | None:
    if v is None or v == "":
        return None
    assert isinstance(v, int | float), v
    return Decimal(repr(float(v)))


def expected_formulas(
    wl: cells.WorkbookLayout, numbers: dict[tuple[str, int, int], Decimal | None]
) -> dict[tuple[str, int, int], Decimal | None]:
    """What every formula cell must show, computed by calc through the layout."""
    out: dict[tuple[str, int, int], Decimal | None] = {}
    for s in wl.sheets:
        vals = {(r, c): v for (name, r, c), v in numbers.items() if name == s.name}
        for (r, c), v in formulas.evaluate(s, vals, wl.period.month).items():
            out[(s.name, r, c)] = v
    return out


def fill(src: Path, dst: Path, values: dict[tuple[str, int, int], object]) -> None:
    """Type values into cells (sheet, row, col 0-based) with openpyxl and save a copy."""
    wb = openpyxl.load_workbook(src)
    for (sheet, r, c), v in values.items():
        wb[sheet].cell(row=r + 1, column=c + 1, value=v)
    wb.save(dst)


def assert_close(actual: object, expected: Decimal | None, where: str) -> None:
    if expected is None:
        assert actual in ("", None), f"{where}: väntade tomt, fick {actual!r}"
        return
    got = as_number(actual)
    assert got is not None, f"{where}: väntade {expected}, fick tomt"
    assert abs(got - expected) <= Decimal("0.000001") * max(Decimal(1), abs(expected)), (
        f"{where}: väntade {expected}, fick {got}"
    )
