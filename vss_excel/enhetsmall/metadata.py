"""The very hidden Metadata sheet: what Konsolidera needs to know what it is reading."""

from __future__ import annotations

from ..keys import FINGERPRINT, FINGERPRINT_SHEETS, meta
from ..model import Forvaltning, Period, Unit
from .cells import CellSpec, Kind, SheetLayout, Value

NAME = "Metadata"
TEMPLATE_VERSION = "2"  # 2: säsong, föregående prognos and förändring on Drift
TEMPLATE_FORMAT = "vss-excel enhetsmall"
FIELDS = (
    ("format", "Format"),
    ("mallversion", "Mallversion"),
    ("forvaltning", "Förvaltning"),
    ("enhet_id", "Enhet (id)"),
    ("enhet_namn", "Enhet"),
    ("period", "Period"),
    ("periodtyp", "Periodtyp"),
    ("vasentlighet_tkr", "Väsentlighet, tkr"),
    ("vasentlighet_procent", "Väsentlighet, procent"),
    (FINGERPRINT, "Fingeravtryck"),
    (FINGERPRINT_SHEETS, "Fingeravtryck per blad"),
)
DEFINED_NAMES = {
    "mallversion": "Mall_Version",
    "enhet_id": "Mall_Enhet",
    "period": "Mall_Period",
    FINGERPRINT: "Mall_Fingeravtryck",
}
VALUE = "varde"


def build(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    values: dict[str, Value] = {
        "format": TEMPLATE_FORMAT,
        "mallversion": TEMPLATE_VERSION,
        "forvaltning": forv.name,
        "enhet_id": unit.id,
        "enhet_namn": unit.name,
        "period": period.iso,
        "periodtyp": period.kind,
        "vasentlighet_tkr": forv.thresholds.tkr,
        "vasentlighet_procent": forv.thresholds.percent,
        FINGERPRINT: None,  # set by the writer once the fixed values are known
        FINGERPRINT_SHEETS: None,
    }
    cells = [
        CellSpec(0, 0, Kind.HEADER, meta("nyckel", "rubrik"), "header", "Nyckel"),
        CellSpec(0, 1, Kind.HEADER, meta(VALUE, "rubrik"), "header", "Värde"),
    ]
    for i, (k, label) in enumerate(FIELDS, 1):
        cells.append(CellSpec(i, 0, Kind.LABEL, meta(k, "nyckel"), "label", label))
        cells.append(CellSpec(i, 1, Kind.LABEL, meta(k, VALUE), "meta", values[k]))
    return SheetLayout(NAME, (24, 70), header_row=0, first_data_row=1, cells=tuple(cells), hidden=True)
