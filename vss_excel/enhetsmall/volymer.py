"""The Volymer sheet: the unit's basuppdrag measures."""

from __future__ import annotations

from ..keys import Measure, volume
from ..model import Forvaltning, Period, Unit
from .builder import FIRST_DATA_ROW, SheetBuilder
from .cells import Kind, SheetLayout

NAME = "Volymer"


def title(forv: Forvaltning, unit: Unit, period: Period) -> str:
    return f"{forv.short_name} – {unit.name}: basuppdrag (volymmått)"


def share_key(forv: Forvaltning, unit: Unit) -> tuple[object, ...]:
    """What of the unit the sheet depends on besides its title: units alike share one layout."""
    return tuple((x.id, x.name) for x in forv.volumes_of(unit.id))


def build(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    p = period
    b = SheetBuilder(
        NAME,
        title(forv, unit, period),
        "Fyll i prognos för helåret och utfall till och med periodens slut (ackumulerat), "
        "samt samma period föregående år om det saknas.",
        [
            "Volymmått (basuppdrag)",
            f"Prognos {p.year}",
            f"Utfall {p.span()}",
            f"Utfall {p.previous_span}",
            "Kommentar",
        ],
        [40, 15, 17, 17, 60],
    )
    for v in forv.volumes_of(unit.id):
        row = b.next_row()
        b.add(row, 0, Kind.LABEL, volume(v.id, Measure.MATT), "label", v.name)
        for col, field in ((1, Measure.PROGNOS), (2, Measure.UTFALL), (3, Measure.UTFALL_FG)):
            b.add(row, col, Kind.INPUT, volume(v.id, field), "input_count", validation="volym")
        b.add(row, 4, Kind.INPUT, volume(v.id, Measure.KOMMENTAR), "input_wrap", validation="text")
    if b.row == FIRST_DATA_ROW:
        b.add(
            row=FIRST_DATA_ROW,
            col=0,
            kind=Kind.LABEL,
            key=volume("-", Measure.MATT),
            style="note",
            value="Enheten har inga volymmått att rapportera.",
        )
    return b.done()
