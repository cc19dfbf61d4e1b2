"""Ekonomi: the förvaltning's prognos against budget, varav rows, investeringar netto."""

from __future__ import annotations

from ..konsolidera.tables import EKONOMI_COLUMNS, Tables
from ..model import Forvaltning, Period
from .common import compared_note, count_label, notes, put_figure
from .sheet import Sheet

NAME = "Ekonomi"


def describe(forv: Forvaltning, period: Period, t: Tables) -> Sheet:
    ws = Sheet.new(NAME, "Ekonomi, belopp tkr", [44, 14, 14, 14])
    ws.headers(2, ["", "Prognos helår", f"Budget {period.year}", "Avvikelse"])
    ws.repeat_rows = (2, 2)
    e = t.ekonomi
    r = 3
    for name in e.rows:
        ws.put(r, 0, count_label(str(name), e.all_lacking([name]), forv))
        for c, col in enumerate(EKONOMI_COLUMNS, 1):
            put_figure(ws, r, c, e, name, col)
        r += 1
    ws.note(r, "Investeringar: budget = investeringsram, avvikelse = ram − prognos netto.")
    notes(
        ws, r + 1, e.all_lacking(), forv, "Beloppen", across=4, compared=compared_note(e, e.rows, e.columns)
    )
    return ws
