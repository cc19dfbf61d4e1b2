"""Aktiviteter: the verksamhetsplan's follow-up, counts per status, then every activity."""

from __future__ import annotations

from ..konsolidera.tables import TOTAL_COUNT, Tables
from ..model import Forvaltning, Period
from .sheet import Chart, Series, Sheet

NAME = "Aktiviteter"
STRATEGIC = "\nStrategiskt utvecklingsuppdrag"


def describe(forv: Forvaltning, period: Period, t: Tables) -> Sheet:
    ws = Sheet.new(NAME, f"Uppföljning av verksamhetsplanen {period.span()}", [14, 30, 60, 13, 13, 60, 20])
    counts = t.status_counts
    ws.headers(2, ["Perspektiv", *counts.columns])
    for i, (name, row) in enumerate(counts.rows.items(), 3):
        bold = name == TOTAL_COUNT
        ws.put(i, 0, name, "bold" if bold else "text")
        for c, column in enumerate(counts.columns, 1):
            ws.put(i, c, row[column], "bold" if bold else "num")
    n_persp = len(counts.rows) - 1
    r = 3 + len(counts.rows) + 1
    for persp in forv.perspectives:
        sub = [a for a in t.aktiviteter if a.perspektiv == persp.name]
        if not sub:
            continue
        ws.put(r, 0, persp.name, "subtitle")
        ws.headers(
            r + 1,
            [
                "Perspektiv",
                persp.goal_heading,
                "Aktivitet",
                f"Slutdatum {period.year}",
                "Status",
                "Kommentar",
                "Verksamhet",
            ],
            numeric_from=99,
        )
        r += 2
        for a in sub:
            text = a.aktivitet + (STRATEGIC if a.strategiskt else "")
            values = (a.perspektiv, a.mal, text, a.slutdatum, a.status, a.kommentar, a.enhet)
            for c, v in enumerate(values):
                ws.put(r, c, v, "wrap")
            ws.fit(r, [(a.mal, 30), (text, 60), (a.kommentar, 60), (a.slutdatum, 13)])
            r += 1
        r += 1
    # The chart goes below the lists: beside them it would shrink the printed page to fit.
    ws.charts.append(
        Chart(
            "bar",
            "Status per perspektiv",
            tuple(
                Series((2, c), (3, 0, 2 + n_persp, 0), (3, c, 2 + n_persp, c))
                for c in range(1, len(counts.columns))
            ),
            (r + 1, 0),
            (620, 300),
            subtype="stacked",
            description=(
                "Liggande staplar: antal aktiviteter per status i varje perspektiv, som tabellen överst."
            ),
        )
    )
    return ws
