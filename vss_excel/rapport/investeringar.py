"""Investeringar: per unit and project, with Summa investeringar, varav utgifter and varav inkomster."""

from __future__ import annotations

from ..keys import INVEST_SUMMA
from ..konsolidera.tables import INVEST_COLUMNS, TOTAL, Tables
from ..model import Forvaltning, Period
from .common import compared_note, count_label, notes, put_figure
from .sheet import Sheet

NAME = "Investeringar"


def describe(forv: Forvaltning, period: Period, t: Tables) -> Sheet:
    ws = Sheet.new(NAME, "Investeringar, belopp tkr", [22, 26, 13, 13, 13, 13, 13, 13, 13, 50])
    ws.headers(
        2,
        [
            "Verksamhet",
            "Projekt",
            f"Redovisat utgifter {period.span()}",
            f"Redovisat inkomster {period.span()}",
            f"Prognos utgifter {period.year}",
            f"Prognos inkomster {period.year}",
            f"Prognos netto {period.year}",
            f"Investeringsram {period.year}",
            "Avvikelse",
            "Kommentar",
        ],
        numeric_from=2,
    )
    ws.repeat_rows = (2, 2)
    figures, texts = t.investeringar.figures, t.investeringar.texts
    projects = [row for row in figures.rows if row[0] != TOTAL]  # type: ignore[index]
    if not projects and not figures.all_lacking([(TOTAL, INVEST_SUMMA)]):
        ws.note(3, "Förvaltningen har inga investeringar.", across=9)
        return ws
    r = 3
    for row in figures.rows:
        summa = row == (TOTAL, INVEST_SUMMA)
        label = str(texts[row]["enhet"])
        if row[0] == TOTAL:  # type: ignore[index]
            label = count_label(label, figures.all_lacking([row]), forv)
        ws.put(r, 0, label, "bold" if summa else "wrap")
        ws.put(r, 1, str(texts[row]["projekt"]), "bold" if summa else "wrap")
        for c, col in enumerate(INVEST_COLUMNS, 2):
            put_figure(ws, r, c, figures, row, col, bold=summa)
        comment = str(texts[row]["kommentar"])
        ws.put(r, 9, comment, "wrap")
        ws.fit(r, [(comment, 50), (texts[row]["projekt"], 26)])
        r += 1
    ws.note(r, "Avvikelse = investeringsram − prognos netto (positiv: under ramen).")
    totals = [(TOTAL, INVEST_SUMMA)]
    compared = compared_note(figures, totals, INVEST_COLUMNS, "projekt")
    notes(ws, r + 1, figures.all_lacking(totals), forv, across=9, compared=compared)
    return ws
