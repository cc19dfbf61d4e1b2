"""Analys: every unit's answers and comments, as a draft for the förvaltning's texts."""

from __future__ import annotations

from ..konsolidera.tables import Tables
from ..model import Forvaltning, Period
from .sheet import Sheet

NAME = "Analys"


def describe(forv: Forvaltning, period: Period, t: Tables) -> Sheet:
    ws = Sheet.new(NAME, f"Analys och kommentarer per verksamhet, {period.span()}", [22, 40, 110])
    ws.headers(2, ["Verksamhet", "Fråga", "Svar"], numeric_from=99)
    ws.repeat_rows = (2, 2)
    for i, a in enumerate(t.analys, 3):
        ws.put(i, 0, a.enhet, "wrap")
        ws.put(i, 1, a.fraga, "wrap")
        ws.put(i, 2, a.svar, "wrap")
        ws.fit(i, [(a.fraga, 40), (a.svar, 110)])
    return ws
