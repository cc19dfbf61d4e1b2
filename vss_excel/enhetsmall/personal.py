"""The Personal sheet: the personnel measures every unit reports."""

from __future__ import annotations

from ..keys import Measure, personnel
from ..model import Forvaltning, Period, PersonnelKind, Unit
from .builder import SheetBuilder
from .cells import Kind, SheetLayout

NAME = "Personal"


def title(forv: Forvaltning, unit: Unit, period: Period) -> str:
    return f"{forv.short_name} – {unit.name}: personal"


def share_key(forv: Forvaltning, unit: Unit) -> tuple[object, ...]:
    """What of the unit the sheet depends on besides its title: units alike share one layout."""
    return ()


def build(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    p = period
    b = SheetBuilder(
        NAME,
        title(forv, unit, period),
        "Fyll i värden per periodens slut för i år och samma period föregående år. "
        "Procent anges som tal mellan 0 och 100 (5,0 betyder 5 %).",
        ["Personal", p.month_label(), p.month_label(p.year - 1), "Målvärde helår", "Kommentar"],
        [40, 15, 15, 15, 60],
    )
    for m in forv.personnel:
        row = b.next_row()
        count = m.kind is PersonnelKind.ANTAL
        style = "input_count" if count else "input_pct"
        rule = "antal" if count else "procent"
        b.add(row, 0, Kind.LABEL, personnel(m.id, Measure.MATT), "label", m.name)
        b.add(row, 1, Kind.INPUT, personnel(m.id, Measure.UTFALL), style, validation=rule)
        b.add(row, 2, Kind.INPUT, personnel(m.id, Measure.UTFALL_FG), style, validation=rule)
        b.add(row, 3, Kind.PREFILL, personnel(m.id, Measure.MALVARDE), "count" if count else "pct")
        b.add(row, 4, Kind.INPUT, personnel(m.id, Measure.KOMMENTAR), "input_wrap", validation="text")
    return b.done()
