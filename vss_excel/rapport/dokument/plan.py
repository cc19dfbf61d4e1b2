"""Uppföljning av verksamhetsplanen: what each status means, counts, one table per perspektiv."""

from __future__ import annotations

from dataclasses import dataclass

from ...konsolidera.tables import MISSING_STATUS, TOTAL_COUNT, Tables
from ...model import Forvaltning, Period, swedish_date
from ...swedish import count
from ..aktiviteter import strategic
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


@dataclass(frozen=True)
class Perspective:
    name: str
    table: Table  # every activity, the mål in the first column (for a template of the kommun's own)
    counts: str  # 'Klar 8, Pågående 2 (totalt 10 aktiviteter).'
    goals: tuple[Table, ...] = ()  # a table per mål: the mål heads it, on every page it runs over


def intro(period: Period) -> str:
    return (
        "Aktiviteterna i verksamhetsplanen ska säkra förvaltningens uppdrag enligt budget och "
        f"instruktion. Här redovisas hur långt varje aktivitet har kommit per den {swedish_date(period.end)}."
    )


def meanings(forv: Forvaltning) -> list[str]:
    return [f"{s} – {MEANINGS[s]}" if s in MEANINGS else s for s in forv.statuses]


def status_table(forv: Forvaltning, t: Tables) -> Table:
    columns = [*t.status_counts.shown, TOTAL_COUNT]
    rows = [
        row(name, (str(counts[c]) for c in columns), bold=name == TOTAL_COUNT)
        for name, counts in t.status_counts.rows.items()
    ]
    notes: tuple[str, ...] = ()
    if MISSING_STATUS in columns:
        notes = (
            f"{MISSING_STATUS}: aktiviteter som saknar giltig status (ingen angiven, eller en som inte "
            "finns bland statusarna).",
        )
    return Table("Aktiviteter per perspektiv och status, antal", ("Perspektiv", *columns), tuple(rows), notes)


def _activity_cell(text: str, mark: str) -> Cell:
    return Cell(f"{text}\n{mark}" if mark else text)


def _short(goal: str) -> str:
    """A mål's name: its first sentence ('Goda arbetsplatser' of 'Goda arbetsplatser. Varje …')."""
    return goal.split(". ", 1)[0].rstrip(".")


def _status_cell(status: str, forv: Forvaltning) -> Cell:
    """A status of the settings' list as it is; any other (none, or one not accepted) is missing,
    as the counts have it."""
    if status in forv.statuses:
        return Cell(status)
    return Cell(MISSING_STATUS.lower(), italic=True)


def perspectives(forv: Forvaltning, period: Period, t: Tables) -> list[Perspective]:
    """Per perspektiv with activities: a table per mål (aktivitet, slutdatum, status, kommentar; the
    mål heads the table on every page), and the counts."""
    out = []
    columns = ("Aktivitet", f"Slutdatum {period.year}", "Status", "Kommentar")
    for p in forv.perspectives:
        sub = [a for a in t.aktiviteter if a.perspektiv == p.name]
        if not sub:
            continue
        rows, goals = [], []
        groups: dict[str, list[tuple[Cell, ...]]] = {}
        goal = None
        for a in sub:
            same = a.mal == goal
            goal = a.mal
            cells = (
                _activity_cell(a.aktivitet, strategic(period) if a.strategiskt else ""),
                Cell(a.slutdatum),
                _status_cell(a.status, forv),
                Cell(a.kommentar),
            )
            rows.append((Cell("" if same else goal, continues=same), *cells))
            groups.setdefault(a.mal, []).append(cells)
        for name, group in groups.items():
            goals.append(
                Table(
                    f"{p.name}: {p.goal_heading.lower()} {_short(name)}",
                    columns,
                    tuple(group),
                    (),
                    f"{p.goal_heading}: {name}",
                )
            )
        counts = t.status_counts.rows[p.name]
        shown = [f"{s} {counts[s]}" for s in t.status_counts.shown if counts[s]]
        total = count(counts[TOTAL_COUNT], "aktivitet", "aktiviteter")
        out.append(
            Perspective(
                p.name,
                Table(
                    f"Aktiviteter inom perspektivet {p.name}",
                    (p.goal_heading, *columns),
                    tuple(rows),
                ),
                f"Status: {', '.join(shown)} (totalt {total}).",
                tuple(goals),
            )
        )
    return out
