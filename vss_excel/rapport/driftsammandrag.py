"""Driftsammandrag: the delårsrapport's two tables, per unit with Summa and varav rows."""

from __future__ import annotations

from ..keys import Drift
from ..konsolidera.tables import INTAKTER, KOSTNADER, NETTO, TOTAL, UNIT, Tables
from ..model import Forvaltning, Period, UnitReport, swedish_date
from .common import TKR, compared_note, count_label, notes, put_figure, unit_gap_note
from .sheet import Chart, Series, Sheet

NAME = "Driftsammandrag"
PERIOD_COLS = [Drift.REDOVISAT, Drift.BUDGET, Drift.AVVIKELSE, Drift.REDOVISAT_FG]
YEAR_COLS = [Drift.PROGNOS, Drift.BUDGET_HELAR, Drift.AVVIKELSE_HELAR, Drift.BOKSLUT_FG]
HISTORY_COLS = [Drift.FOREGAENDE_PROGNOS, Drift.FORANDRING]  # shown when an earlier period's prognos exists
NOT_RETURNED_PERIOD = "Ingen användbar fil inlämnad: beloppen är den utskickade mallens."


def describe(forv: Forvaltning, period: Period, t: Tables, reports: dict[str, UnitReport]) -> Sheet:
    d = t.drift
    history = t.history
    year_cols = YEAR_COLS + HISTORY_COLS if history else YEAR_COLS
    note_col = len(year_cols) + 1
    ws = Sheet.new(NAME, f"{forv.name}: driftsammandrag, netto tkr", [40] + [15] * (note_col - 1) + [50])
    ws.put(2, 0, f"Resultat {swedish_date(period.end)}", "subtitle")
    ws.headers(
        3,
        [
            "Verksamhet",
            f"Redovisat {period.span()}",
            f"Budget {period.span()}",
            "Avvikelse",
            "Redovisat samma period föregående år",
            *[""] * (note_col - 5),
            "Anmärkning",
        ],
        numeric_to=note_col,
    )
    ws.repeat_rows = (3, 3)
    r = 4
    for u in forv.units:
        ws.put(r, 0, u.name)
        for c, col in enumerate(PERIOD_COLS, 1):
            put_figure(ws, r, c, d, (UNIT, u.id), col)
        why = unit_gap_note(d, (UNIT, u.id), PERIOD_COLS)
        if not why and not reports[u.id].returned:
            why = NOT_RETURNED_PERIOD
        _remark(ws, r, note_col, why)
        r += 1
    lacking = d.all_lacking([(TOTAL, NETTO)], PERIOD_COLS)
    ws.put(r, 0, count_label("Summa", lacking, forv), "bold")
    for c, col in enumerate(PERIOD_COLS, 1):
        put_figure(ws, r, c, d, (TOTAL, NETTO), col, bold=True)
    compared = compared_note(d, [(TOTAL, NETTO)], PERIOD_COLS)
    r = notes(ws, r + 1, lacking, forv, across=note_col + 1, compared=compared) + 1

    ws.put(r, 0, f"Prognos resultat {period.year}", "subtitle")
    ws.headers(
        r + 1,
        [
            "Verksamhet",
            "Prognos helår",
            f"Budget {period.year}",
            "Avvikelse",
            f"Bokslut {period.year - 1}",
            *(["Föregående prognos", "Förändring"] if history else []),
            "Anmärkning",
        ],
        numeric_to=note_col,
    )
    r += 2
    first = r
    for u in forv.units:
        ws.put(r, 0, u.name)
        for c, col in enumerate(year_cols, 1):
            put_figure(ws, r, c, d, (UNIT, u.id), col)
        _remark(ws, r, note_col, unit_gap_note(d, (UNIT, u.id), year_cols))
        r += 1
    totals = [(TOTAL, NETTO), (TOTAL, KOSTNADER), (TOTAL, INTAKTER)]
    lacking = d.all_lacking(totals, year_cols)
    for row, label in zip(
        totals, ("Summa nettokostnader, tkr", "varav kostnader", "varav intäkter"), strict=True
    ):
        bold = row[1] == NETTO
        ws.put(r, 0, count_label(label, d.all_lacking([row], year_cols), forv), "bold" if bold else "text")
        for c, col in enumerate(year_cols, 1):
            put_figure(ws, r, c, d, row, col, bold=bold)
        r += 1
    compared = compared_note(d, totals, year_cols)
    r = notes(ws, r, lacking, forv, across=note_col + 1, compared=compared) + 1
    n = len(forv.units)
    ws.charts.append(
        Chart(
            "column",
            f"Budget och prognos {period.year} per verksamhet, netto tkr",
            tuple(
                Series(name, (first, 0, first + n - 1, 0), (first, col, first + n - 1, col))
                for col, name in ((2, f"Budget {period.year}"), (1, "Prognos helår"))
            ),
            (r, 0),
            number_format=TKR,
            description=(
                f"Stapeldiagram: budget och prognos för {period.year} per verksamhet i tkr, "
                "samma siffror som tabellen ovan."
            ),
        )
    )
    return ws


def _remark(ws: Sheet, r: int, col: int, text: str) -> None:
    if text:
        ws.put(r, col, text, "wrap_marked")
        ws.fit(r, [(text, ws.widths[col])])
