"""What every result sheet shares: marks for figures that lack something, and their notes."""

from __future__ import annotations

from collections.abc import Sequence

from ..konsolidera.tables import COMPARED, Lacking, Marked
from ..model import Forvaltning
from ..swedish import count, listing
from .sheet import Sheet

ROUNDING_NOTE = "Avrundningsdifferenser kan förekomma."
TKR = "#,##0;-#,##0;0"
MARK = " *"  # after a label whose figures lack units; explained in the note under the table


def compared_note(table: Marked, rows: Sequence[object], columns: Sequence[str], of: str = "enheter") -> str:
    """What a marked avvikelse, förändring or netto in these totals is ('' when none is marked)."""
    if not table.all_lacking(rows, [c for c in columns if c in COMPARED]):
        return ""
    what = "Prognos netto och avvikelse" if of == "projekt" else "Avvikelse och förändring"
    return (
        f"{what} i en markerad summa räknas bara för de {of} som har båda beloppen, och är alltså inte "
        "skillnaden mellan summaradens belopp."
    )


def count_label(base: str, lacking: Lacking, forv: Forvaltning) -> str:
    """'Summa (8 av 9 enheter)' when a total lacks units, else the label as it is."""
    if not lacking:
        return base
    n = len(forv.units)
    return f"{base} ({n - len(lacking)} av {count(n, 'enhet', 'enheter')})"


def lacking_note(lacking: Lacking, forv: Forvaltning, what: str = "Summorna", compared: str = "") -> str:
    """'* Summorna saknar Löneservice (ingen fil inlämnad) och Kontakt Linköping (…).'"""
    names = {u.id: u.name for u in forv.units}
    parts = [f"{names.get(u, u)} ({why})" for u, why in lacking]
    tail = f" {compared}" if compared else ""
    return f"*{what} saknar {listing(parts, 8)}. Markerade belopp är ofullständiga.{tail} Se bladet Kontroll."


def put_figure(
    ws: Sheet, r: int, c: int, table: Marked, row: object, col: str, *, bold: bool = False
) -> None:
    """A figure of a table: the amount, 'saknas' for a unit's missing one, marked if a total lacks units."""
    if table.gap(row, col):
        ws.missing(r, c)
    else:
        ws.amount(r, c, table.value(row, col), bold=bold, marked=bool(table.lacks(row, col)))


def notes(
    ws: Sheet,
    r: int,
    lacking: Lacking,
    forv: Forvaltning,
    what: str = "Summorna",
    across: int = 5,
    compared: str = "",
) -> int:
    """The rounding note and, if a total lacks units, what it lacks (over the table's `across`
    columns); returns the next free row."""
    ws.note(r, ROUNDING_NOTE)
    r += 1
    if lacking:
        ws.note(r, lacking_note(lacking, forv, what, compared), "note_marked", across)
        r += 1
    return r


def unit_gap_note(table: Marked, row: object, columns: Sequence[str]) -> str:
    """Why a unit's row has no figure in some of the columns ('' when it has them all)."""
    reasons = list(dict.fromkeys(g for c in columns if (g := table.gap(row, c))))
    return "; ".join(reasons)
