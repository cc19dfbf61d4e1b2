"""Uppföljning av verksamhetsplanen: what each status means, counts, one table per perspektiv."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...konsolidera.tables import MISSING_STATUS, Tables
from ...model import Forvaltning, Period, swedish_date
from ...swedish import count
from .content import Cell, Table, row

# What the six standard statuses mean; a status of the kommun's own is listed without one.
MEANINGS = {
    "Klar": "genomförd som planerat",
    "Anpassats": "genomförd, men med ändringar mot planen",
    "Ersatts": "resultatet har nåtts på ett annat sätt än med den planerade aktiviteten",
    "Pågående": "arbetet fortsätter efter periodens slut",
    "Pausad": "arbetet har stoppats tillfälligt och ska tas upp igen",
    "Utgått": "aktiviteten kommer inte att genomföras",
}
STRATEGIC = "Strategiskt utvecklingsuppdrag"
TOTAL = "Totalt"


@dataclass(frozen=True)
class Perspective:
    name: str
    table: Table
    counts: str  # 'Klar 8, Pågående 2 (totalt 10 aktiviteter).'


def intro(period: Period) -> str:
    return (
        "Aktiviteterna i verksamhetsplanen ska säkra förvaltningens uppdrag enligt budget och "
        f"instruktion. Här redovisas hur långt varje aktivitet har kommit per den {swedish_date(period.end)}."
    )


def meanings(forv: Forvaltning) -> list[str]:
    return [f"{s} – {MEANINGS[s]}" if s in MEANINGS else s for s in forv.statuses]


def counts_of(t: Tables) -> dict[str, dict[str, int]]:
    """Activities per perspektiv (and Totalt) and status, as plain numbers."""
    return {str(name): {str(c): int(v) for c, v in r.items()} for name, r in t.status_counts.iterrows()}


def status_columns(counts: pd.DataFrame) -> list[str]:
    """The statuses in settings order; 'Saknas' only when some activity has no status."""
    return [c for c in counts.columns if c != TOTAL and (c != MISSING_STATUS or counts[c].sum() > 0)]


def status_table(forv: Forvaltning, t: Tables) -> Table:
    columns = [*status_columns(t.status_counts), TOTAL]
    rows = [
        row(name, (str(counts[c]) for c in columns), bold=name == TOTAL)
        for name, counts in counts_of(t).items()
    ]
    notes: tuple[str, ...] = ()
    if MISSING_STATUS in columns:
        notes = (
            f"{MISSING_STATUS}: aktiviteter som saknar giltig status (ingen angiven, eller en som inte "
            "finns bland statusarna).",
        )
    return Table("Aktiviteter per perspektiv och status, antal", ("Perspektiv", *columns), tuple(rows), notes)


def _activity_cell(text: str, strategic: bool) -> Cell:
    return Cell(f"{text}\n{STRATEGIC}" if strategic else text)


def _status_cell(status: object, forv: Forvaltning) -> Cell:
    """A status of the settings' list as it is; any other (none, or one not accepted) is missing,
    as the counts have it."""
    text = str(status)
    if text in forv.statuses:
        return Cell(text)
    return Cell(MISSING_STATUS.lower(), italic=True)


def perspectives(forv: Forvaltning, period: Period, t: Tables) -> list[Perspective]:
    """Per perspektiv with activities: mål, aktivitet, slutdatum, status, kommentar; and counts."""
    out = []
    acts = t.aktiviteter
    for p in forv.perspectives:
        sub = acts[acts["perspektiv"] == p.name]
        if sub.empty:
            continue
        rows = []
        goal = None
        for _, a in sub.iterrows():
            same = a["mal"] == goal
            goal = a["mal"]
            rows.append(
                (
                    Cell("" if same else str(goal), continues=same),
                    _activity_cell(str(a["aktivitet"]), bool(a["strategiskt"])),
                    Cell(str(a["slutdatum"])),
                    _status_cell(a["status"], forv),
                    Cell(str(a["kommentar"])),
                )
            )
        counts = counts_of(t)[p.name]
        shown = [f"{s} {counts[s]}" for s in status_columns(t.status_counts) if counts[s]]
        out.append(
            Perspective(
                p.name,
                Table(
                    f"Aktiviteter inom perspektivet {p.name}",
                    (p.goal_heading, "Aktivitet", f"Slutdatum {period.year}", "Status", "Kommentar"),
                    tuple(rows),
                ),
                f"Status: {', '.join(shown)} (totalt {count(counts[TOTAL], 'aktivitet', 'aktiviteter')}).",
            )
        )
    return out
