"""The Aktiviteter sheet: the unit's activities of the verksamhetsplan, with status and comment."""

from __future__ import annotations

from ..keys import Act, activity
from ..model import Forvaltning, Period, Unit
from .builder import FIRST_DATA_ROW, SheetBuilder
from .cells import CondFormat, Kind, SheetLayout, wrapped_height
from .texts import and_list

NAME = "Aktiviteter"
STRATEGIC = " (Strategiskt utvecklingsuppdrag)"


def title(forv: Forvaltning, unit: Unit, period: Period) -> str:
    when = f" per 31 december {period.year}" if period.month == 12 else ""
    return f"{forv.short_name} – {unit.name}: verksamhetsplanens aktiviteter{when}"


def share_key(forv: Forvaltning, unit: Unit) -> tuple[object, ...]:
    """What of the unit the sheet depends on besides its title: units alike share one layout."""
    return tuple(a.id for a in forv.activities_of(unit.id))


def build(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    legend = "; ".join(forv.statuses)
    needing = and_list(forv.statuses_needing_comment)
    # At year end the follow-up is of the whole year: statuses as of 31 December.
    when = f" per 31 december {period.year}" if period.month == 12 else ""
    b = SheetBuilder(
        NAME,
        title(forv, unit, period),
        f"Välj status{when or ' just nu'} för varje aktivitet ({legend}) och kommentera. Status {needing} "
        "kräver kommentar. Har slutdatum passerat utan att aktiviteten är klar, förklara det i kommentaren.",
        ["Perspektiv", "Mål", "Aktivitet", f"Slutdatum {period.year}", "Status", "Kommentar"],
        [14, 34, 56, 13, 13, 60],
    )
    for a in forv.activities_of(unit.id):
        row = b.next_row()
        text = a.text + (STRATEGIC if a.strategic else "")
        b.add(row, 0, Kind.LABEL, activity(a.id, Act.PERSPEKTIV), "label_wrap", a.perspective)
        b.add(row, 1, Kind.LABEL, activity(a.id, Act.MAL), "label_wrap", a.goal)
        b.add(row, 2, Kind.LABEL, activity(a.id, Act.AKTIVITET), "label_wrap", text)
        b.add(row, 3, Kind.LABEL, activity(a.id, Act.SLUTDATUM), "label_wrap", a.deadline)
        b.add(row, 4, Kind.INPUT, activity(a.id, Act.STATUS), "input_text", validation="status")
        height = wrapped_height([(a.goal, 34), (text, 56), (a.deadline, 13)])
        if height:
            b.heights[row] = max(height, 30.0)  # room for a comment too
        b.add(row, 5, Kind.INPUT, activity(a.id, Act.KOMMENTAR), "input_wrap", validation="text")
    if b.row == FIRST_DATA_ROW:
        b.add(
            FIRST_DATA_ROW,
            0,
            Kind.LABEL,
            activity("-", Act.PERSPEKTIV),
            "note",
            "Enheten har inga aktiviteter i verksamhetsplanen att följa upp.",
        )
    else:
        needs = ",".join(f'$E5="{s}"' for s in forv.statuses_needing_comment)
        b.conditional.append(
            CondFormat(FIRST_DATA_ROW, b.row - 1, 5, f"AND(LEN(TRIM($F5))=0,OR({needs}))", "missing")
        )
        b.conditional.append(CondFormat(FIRST_DATA_ROW, b.row - 1, 4, "LEN(TRIM($E5))=0", "attention"))
    return b.done()
