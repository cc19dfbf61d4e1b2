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
    for i, (_, row) in enumerate(t.analys.iterrows(), 3):
        ws.put(i, 0, row["enhet"], "wrap")
        ws.put(i, 1, row["fraga"], "wrap")
        ws.put(i, 2, row["svar"], "wrap")
        ws.fit(i, [(row["fraga"], 40), (row["svar"], 110)])
    return ws
