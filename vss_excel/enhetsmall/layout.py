"""The one description of a unit's workbook: its sheets in order, built once and shared.

The writer and the reader both use it, so a position is never guessed.
"""

from __future__ import annotations

from types import ModuleType

from ..keys import READY_KEY
from ..model import Forvaltning, Period, Unit
from . import aktiviteter, analys, drift, investeringar, metadata, personal, volymer
from .cells import SheetLayout, WorkbookLayout

# The sheets in order. A module with share_key() and title() builds one layout for all units alike
# (a thousand units' Drift sheets differ only in their titles); metadata is every unit's own.
SHEETS: tuple[ModuleType, ...] = (drift, investeringar, volymer, personal, aktiviteter, analys, metadata)
_shapes: dict[tuple[int, Period, str, tuple[object, ...]], tuple[Forvaltning, SheetLayout]] = {}

_built: dict[tuple[int, str, Period], tuple[Forvaltning, WorkbookLayout]] = {}
CACHED = 64  # layouts kept; a thousand units' would hold ~100 MB in every worker


def build(forv: Forvaltning, unit: Unit, period: Period | None = None) -> WorkbookLayout:
    """The layout of one unit's workbook; built once per settings, unit and period (read-only)."""
    period = period or forv.period
    key = (id(forv), unit.id, period)
    hit = _built.get(key)
    if hit is not None and hit[0] is forv and hit[1].unit == unit:
        _built[key] = _built.pop(key)  # the most recently used is evicted last
        return hit[1]
    if len(_built) >= CACHED:
        del _built[next(iter(_built))]  # the least recently used: a run meets each unit's a few times
    wl = _build(forv, unit, period)
    _built[key] = (forv, wl)
    return wl


def _sheet(module: ModuleType, forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    if not hasattr(module, "share_key"):
        sheet: SheetLayout = module.build(forv, unit, period)
        return sheet
    key = (id(forv), period, module.NAME, module.share_key(forv, unit))
    hit = _shapes.get(key)
    if hit is not None and hit[0] is forv:
        _shapes[key] = _shapes.pop(key)  # shared by many units: kept while it is used
        shared: SheetLayout = hit[1].retitled(module.title(forv, unit, period))
        return shared
    if len(_shapes) >= CACHED:
        del _shapes[next(iter(_shapes))]
    sheet = module.build(forv, unit, period)
    _shapes[key] = (forv, sheet)
    return sheet


def _build(forv: Forvaltning, unit: Unit, period: Period) -> WorkbookLayout:
    sheets = tuple(_sheet(m, forv, unit, period) for m in SHEETS)
    meta = sheets[-1]
    names = {}
    for c in meta.cells:
        if c.key.field == metadata.VALUE and c.key.item in metadata.DEFINED_NAMES:
            names[metadata.DEFINED_NAMES[c.key.item]] = (metadata.NAME, c.row, c.col)
    ready = next(s for s in sheets if s.name == analys.NAME).cell(READY_KEY)
    names["Mall_KlarForKonsolidering"] = (analys.NAME, ready.row, ready.col)
    return WorkbookLayout(forv.name, unit, period, sheets, names)
