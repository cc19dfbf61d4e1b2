"""The run in a few lines, for the CLI and the Start sheet's status: files, findings, totals."""

from __future__ import annotations

from ..model import Forvaltning, count_text
from .checks.context import tkr_text
from .job import Consolidation
from .tables import NETTO, TOTAL


def summary(result: Consolidation, forv: Forvaltning) -> str:
    """Files read and used, the findings, and whether the totals lack units."""
    used = len(result.selection.chosen)
    text = f"{len(result.results)} filer lästa, {used} används. {count_text(result.findings)}."
    lacking = result.tables.drift.all_lacking([(TOTAL, NETTO)])
    if lacking:
        names = {u.id: u.name for u in forv.units}
        n = len(forv.units)
        text += (
            f"\nSummorna är ofullständiga ({n - len(lacking)} av {n} enheter): saknar "
            + "; ".join(f"{names.get(u, u)} ({why})" for u, why in lacking)
            + "."
        )
    return text


def drift_line(result: Consolidation) -> str:
    """The driftsammandrag's Summa in one line (with the previous prognos, where there is one)."""
    d = result.tables.drift
    shown = {
        c: tkr_text(d.value((TOTAL, NETTO), c))
        for c in ("redovisat", "budget", "prognos", "budget_helar", "avvikelse_helar")
    }
    earlier = d.value((TOTAL, NETTO), "foregaende_prognos")
    before = f" (föregående prognos {tkr_text(earlier)})" if earlier is not None else ""
    return (
        f"Driftsammandrag: redovisat hittills {shown['redovisat']} mot budget {shown['budget']}; "
        f"prognos helår {shown['prognos']}{before} mot budget {shown['budget_helar']}, "
        f"avvikelse {shown['avvikelse_helar']}."
    )
