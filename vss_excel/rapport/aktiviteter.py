"""Aktiviteter: the verksamhetsplan's follow-up, counts per status, then every activity."""

from __future__ import annotations

from ..konsolidera.tables import Tables
from ..model import Forvaltning, Period
from .sheet import Chart, Series, Sheet

NAME = "Aktiviteter"
STRATEGIC = "\nStrategiskt utvecklingsuppdrag"


def describe(forv: Forvaltning, period: Period, t: Tables) -> Sheet:
    ws = Sheet.new(NAME, f"Uppföljning av verksamhetsplanen {period.span()}", [14, 30, 60, 13, 13, 60, 20])
    counts = t.status_counts
    ws.headers(2, ["Perspektiv", *counts.columns])
    for i, (name, row) in enumerate(counts.iterrows(), 3):
        bold = name == "Totalt"
        ws.put(i, 0, str(name), "bold" if bold else "text")
        for c, v in enumerate(row, 1):
            ws.put(i, c, int(v), "bold" if bold else "num")
    n_persp = len(counts) - 1
    r = 3 + len(counts) + 1
    for persp in forv.perspectives:
        sub = t.aktiviteter[t.aktiviteter["perspektiv"] == persp.name]
        if sub.empty:
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
        for _, row in sub.iterrows():
            text = row["aktivitet"] + (STRATEGIC if row["strategiskt"] else "")
            values = (
                row["perspektiv"],
                row["mal"],
                text,
                row["slutdatum"],
                row["status"],
                row["kommentar"],
                row["enhet"],
            )
            for c, v in enumerate(values):
                ws.put(r, c, v, "wrap")
            ws.fit(r, [(row["mal"], 30), (text, 60), (row["kommentar"], 60), (row["slutdatum"], 13)])
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
