"""Volymer: the basuppdrag's measures."""

from __future__ import annotations

from ..konsolidera.tables import VOLUME_COLUMNS, Tables
from ..model import Forvaltning, Period
from .common import unit_gap_note
from .dokument.numbers import empty_text
from .sheet import Sheet

NAME = "Volymer"


def describe(forv: Forvaltning, period: Period, t: Tables) -> Sheet:
    ws = Sheet.new(NAME, "Basuppdrag (volymmått)", [32, 20, 14, 14, 14, 60])
    ws.headers(
        2,
        [
            "Volymmått",
            "Verksamhet",
            f"Prognos {period.year}",
            period.month_label(),
            period.month_label(period.year - 1),
            "Kommentar",
        ],
        numeric_from=2,
    )
    ws.repeat_rows = (2, 2)
    figures, texts = t.volymer.figures, t.volymer.texts
    for r, row in enumerate(figures.rows, 3):
        ws.put(r, 0, str(texts[row]["matt"]))
        ws.put(r, 1, str(texts[row]["enhet"]))
        for c, col in enumerate(VOLUME_COLUMNS, 2):
            v = figures.value(row, col)
            if figures.gap(row, col):
                ws.missing(r, c)
            else:
                ws.put(r, c, empty_text(col) if v is None else float(v), "num")
        comment = str(texts[row]["kommentar"]) or unit_gap_note(figures, row, list(VOLUME_COLUMNS))
        ws.put(r, 5, comment, "wrap")
        ws.fit(r, [(comment, 60)])
    notes = [str(texts[row]["fotnot"]) for row in figures.rows if texts[row]["fotnot"]]
    for r, text in enumerate(notes, len(figures.rows) + 3):
        ws.note(r, text, across=5)
    return ws
