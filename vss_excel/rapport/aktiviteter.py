"""Aktiviteter: the verksamhetsplan's follow-up: the counts per status, then every activity.

The counts stand at the top, to the right of where the list's columns are, in columns of their
own: one width for every status (in the list's columns they would take its widths, 30 for one
status and 60 for the next), and rows of their own (the list begins below them, so its tall rows
do not stretch theirs). The chart stands beside the list. The statuses have the same colours here
as in the report's chart.
"""

from __future__ import annotations

from ..konsolidera.tables import TOTAL_COUNT, Tables
from ..model import Forvaltning, Period
from .sheet import Chart, Series, Sheet

NAME = "Aktiviteter"
LIST_WIDTHS = (14, 30, 60, 13, 13, 60, 20)
GAP_WIDTH, COUNT_FIRST_WIDTH, COUNT_WIDTH = 3, 14, 11
COUNTS_COL = len(LIST_WIDTHS) + 1  # after the list and a narrow gap
# Told apart by colour-blind readers and by lightness (Okabe and Ito's palette); the report's
# chart uses the same. A status of the kommun's own gets one of OTHER_COLOURS, in its order.
STATUS_COLOURS = {
    "Klar": "#009E73",
    "Anpassats": "#F0E442",
    "Ersatts": "#56B4E9",
    "Pågående": "#0072B2",
    "Pausad": "#E69F00",
    "Utgått": "#D55E00",
    "Saknas": "#999999",
}
OTHER_COLOURS = ("#CC79A7", "#000000", "#8C564B", "#BCBD22", "#17BECF")


def strategic(period: Period) -> str:
    """The mark of a strategic activity, as the verksamhetsplan words it (never shortened)."""
    y = period.year
    return f"Strategiskt utvecklingsuppdrag i Budget {y} med plan för {y + 1}–{y + 3}"


def status_colour(status: str, statuses: tuple[str, ...]) -> str:
    """A status's colour: its own, or one of OTHER_COLOURS by its place among the kommun's own."""
    if status in STATUS_COLOURS:
        return STATUS_COLOURS[status]
    own = [s for s in statuses if s not in STATUS_COLOURS]
    i = own.index(status) if status in own else len(own)
    return OTHER_COLOURS[i % len(OTHER_COLOURS)]


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG's relative luminance)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(background[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def describe(forv: Forvaltning, period: Period, t: Tables) -> Sheet:
    counts = t.status_counts
    widths = [*LIST_WIDTHS, GAP_WIDTH, COUNT_FIRST_WIDTH, *([COUNT_WIDTH] * len(counts.columns))]
    ws = Sheet.new(NAME, f"Uppföljning av verksamhetsplanen {period.span()}", widths)
    head = 2
    ws.put(head - 1, COUNTS_COL, "Antal aktiviteter per perspektiv och status", "subtitle")
    ws.put(head, COUNTS_COL, "Perspektiv", "header")
    for c, column in enumerate(counts.columns, COUNTS_COL + 1):
        ws.put(head, c, column, "header_num")
    for i, (name, row) in enumerate(counts.rows.items(), head + 1):
        bold = name == TOTAL_COUNT
        ws.put(i, COUNTS_COL, name, "bold" if bold else "text")
        for c, column in enumerate(counts.columns, COUNTS_COL + 1):
            ws.put(i, c, row[column], "bold" if bold else "num")
    n_persp = len(counts.rows) - 1
    mark = "\n" + strategic(period)
    r = list_start = head + len(counts.rows) + 2
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
            text = a.aktivitet + (mark if a.strategiskt else "")
            values = (a.perspektiv, a.mal, text, a.slutdatum, a.status, a.kommentar, a.enhet)
            for c, v in enumerate(values):
                ws.put(r, c, v, "wrap")
            ws.fit(r, [(a.mal, 30), (text, 60), (a.kommentar, 60), (a.slutdatum, 13)])
            r += 1
        r += 1
    first, last = head + 1, head + n_persp
    ws.charts.append(
        Chart(
            "bar",
            "Status per perspektiv",
            tuple(
                Series(
                    (head, c),
                    (first, COUNTS_COL, last, COUNTS_COL),
                    (first, c, last, c),
                    status_colour(counts.columns[c - COUNTS_COL - 1], forv.statuses),
                )
                for c in range(COUNTS_COL + 1, COUNTS_COL + len(counts.columns))  # not Totalt
            ),
            (list_start, COUNTS_COL),
            (620, 300),
            subtype="stacked",
            description=(
                "Liggande staplar: antal aktiviteter per status i varje perspektiv, som tabellen ovanför."
            ),
        )
    )
    return ws
