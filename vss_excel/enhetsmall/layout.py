"""The one description of a unit's workbook: its sheets in order, built once and shared.

The writer and the reader both use it, so a position is never guessed.
"""

from __future__ import annotations

from collections.abc import Callable

from ..keys import READY_KEY
from ..model import Forvaltning, Period, Unit
from . import aktiviteter, analys, drift, investeringar, metadata, personal, volymer
from .cells import SheetLayout, WorkbookLayout

SHEETS: tuple[Callable[[Forvaltning, Unit, Period], SheetLayout], ...] = (
    drift.build,
    investeringar.build,
    volymer.build,
    personal.build,
    aktiviteter.build,
    analys.build,
    metadata.build,
)

_built: dict[tuple[int, str, Period], tuple[Forvaltning, WorkbookLayout]] = {}


def build(forv: Forvaltning, unit: Unit, period: Period | None = None) -> WorkbookLayout:
    """The layout of one unit's workbook; built once per settings, unit and period (read-only)."""
    period = period or forv.period
    key = (id(forv), unit.id, period)
    hit = _built.get(key)
    if hit is not None and hit[0] is forv and hit[1].unit == unit:
        return hit[1]
    if len(_built) > 4096:
        _built.clear()
    wl = _build(forv, unit, period)
    _built[key] = (forv, wl)
    return wl


def _build(forv: Forvaltning, unit: Unit, period: Period) -> WorkbookLayout:
    sheets = tuple(f(forv, unit, period) for f in SHEETS)
    meta = sheets[-1]
    names = {}
    for c in meta.cells:
        if c.key.field == metadata.VALUE and c.key.item in metadata.DEFINED_NAMES:
            names[metadata.DEFINED_NAMES[c.key.item]] = (metadata.NAME, c.row, c.col)
    ready = next(s for s in sheets if s.name == analys.NAME).cell(READY_KEY)
    names["VSS_KlarForKonsolidering"] = (analys.NAME, ready.row, ready.col)
    return WorkbookLayout(forv.name, unit, period, sheets, names)
