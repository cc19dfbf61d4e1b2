"""The Analys sheet: the unit's answers, who filled the file in, and the ready mark."""

from __future__ import annotations

from ..keys import FILLED_BY, READY, Answer, answer
from ..model import Forvaltning, Period, Unit
from .builder import SheetBuilder
from .cells import CondFormat, Kind, SheetLayout
from .texts import returning

NAME = "Analys"


def title(forv: Forvaltning, unit: Unit, period: Period) -> str:
    return f"{forv.short_name} – {unit.name}: analys {period.span()}"


def share_key(forv: Forvaltning, unit: Unit) -> tuple[object, ...]:
    """What of the unit the sheet depends on besides its title: units alike share one layout."""
    return ()


def build(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    b = SheetBuilder(
        NAME,
        title(forv, unit, period),
        "Besvara frågorna i de gula rutorna, skriv ditt namn och markera till sist Klar för "
        f"konsolidering = Ja. {returning(forv)}",
        ["Fråga", "Svar"],
        [44, 110],
    )
    for qid, text in forv.all_questions():
        row = b.next_row()
        b.add(row, 0, Kind.LABEL, answer(qid, Answer.FRAGA), "label_wrap", text)
        b.add(row, 1, Kind.INPUT, answer(qid), "input_wrap", validation="text")
        b.heights[row] = 110
    b.row += 1
    row = b.next_row()
    b.add(row, 0, Kind.LABEL, answer(FILLED_BY, Answer.FRAGA), "label_bold", "Ifylld av (namn)")
    b.add(row, 1, Kind.INPUT, answer(FILLED_BY), "input_text", validation="text")
    row = b.next_row()
    b.add(row, 0, Kind.LABEL, answer(READY, Answer.FRAGA), "label_bold", "Klar för konsolidering")
    b.add(row, 1, Kind.INPUT, answer(READY), "input_text", validation="jaNej")
    b.conditional.append(CondFormat(row, row, 1, f'TRIM($B{row + 1})<>"Ja"', "attention"))
    return b.done()
