"""The run in a few lines, for the CLI and the Start sheet's status: files, findings, totals."""

from __future__ import annotations

from ..model import Forvaltning
from ..swedish import count, count_text, tkr_text
from .job import Consolidation
from .tables import NETTO, TOTAL, UNIT


def summary(result: Consolidation, forv: Forvaltning) -> str:
    """Files read and used, the findings, and whether the totals lack units."""
    used = len(result.selection.chosen)
    read = count(len(result.results), "fil läst", "filer lästa")
    text = f"{read}, {used} används. {count_text(result.findings)}."
    lacking = result.tables.drift.all_lacking([(TOTAL, NETTO)])
    if lacking:
        names = {u.id: u.name for u in forv.units}
        n = len(forv.units)
        text += (
            f"\nSummorna är ofullständiga ({n - len(lacking)} av {count(n, 'enhet', 'enheter')}): saknar "
            + "; ".join(f"{names.get(u, u)} ({why})" for u, why in lacking)
            + "."
        )
    if result.archived:
        text += "\n" + result.archived
    return text


def drift_line(result: Consolidation) -> str:
    """The driftsammandrag's Summa in one line (with the previous prognos, where there is one)."""
    d = result.tables.drift
    total = (TOTAL, NETTO)

    def shown(c: str) -> str:  # a figure that lacks units is marked, as on the sheet
        return tkr_text(d.value(total, c)) + ("*" if d.lacks(total, c) else "")

    earlier = d.value(total, "foregaende_prognos")
    before = f" (föregående prognos {shown('foregaende_prognos')})" if earlier is not None else ""
    columns = ("redovisat", "budget", "prognos", "budget_helar", "avvikelse_helar", "foregaende_prognos")
    marked = " (* saknar enheter, se nedan)" if any(d.lacks(total, c) for c in columns) else ""
    deviation = shown("avvikelse_helar")
    if lacking := d.lacks(total, "avvikelse_helar"):  # like for like: say over which units
        n = sum(1 for r in d.rows if isinstance(r, tuple) and r[0] == UNIT)
        units = count(n, "enhet", "enheter")
        deviation += f" (för de {n - len(lacking)} av {units} som har både prognos och budget)"
    return (
        f"Driftsammandrag: redovisat hittills {shown('redovisat')} mot budget {shown('budget')}; "
        f"prognos helår {shown('prognos')}{before} mot budget {shown('budget_helar')}, "
        f"avvikelse {deviation}.{marked}"
    )
