"""Prognossäkerhet: for a year whose outcome is known, how close each period's prognos came, beside
the three forecast methods' suggestions at the same periods, with the mean absolute error.

The figures come from the archive: every period's snapshot keeps each unit's prognos and the
workbook's suggestions (utfallstakt, budgetrest, säsong) for the Resultat row. The outcome is the
year's December redovisat, or a later year's "bokslut föregående år".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..archive import Snapshot
from ..keys import RESULTAT, Drift, Key, drift
from ..model import Forvaltning, Period

METHODS = (
    ("prognos", Drift.PROGNOS, "Enhetens prognos"),
    ("utfallstakt", Drift.FORSLAG_UTFALLSTAKT, "Utfallstakt"),
    ("budgetrest", Drift.FORSLAG_BUDGETREST, "Budgetrest"),
    ("sasong", Drift.FORSLAG_SASONG, "Säsong"),
)


@dataclass(frozen=True)
class Estimates:
    period: Period
    figures: dict[str, Decimal | None]  # method -> the Resultat row's figure at that period


@dataclass(frozen=True)
class UnitAccuracy:
    unit: str
    name: str
    outcome: Decimal | None
    periods: tuple[Estimates, ...]
    mean_error: dict[str, Decimal | None]  # method -> mean |estimate − outcome|


def _resultat(field: Drift) -> Key:
    return drift(RESULTAT, field)


def outcome_of(year: int, snaps: Sequence[Snapshot]) -> Snapshot | None:
    """The snapshot that knows the year's outcome: its December, else a later year's first."""
    december = [s for s in snaps if s.period.year == year and s.period.month == 12]
    if december:
        return december[-1]
    later = [s for s in snaps if s.period.year == year + 1]
    return later[0] if later else None


def _outcome(unit: str, snap: Snapshot, year: int) -> Decimal | None:
    u = snap.units.get(unit)
    if u is None:
        return None
    field = Drift.REDOVISAT if snap.period.year == year else Drift.BOKSLUT_FG
    return u.amount(_resultat(field))


def accuracy(forv: Forvaltning, year: int, snaps: Sequence[Snapshot]) -> list[UnitAccuracy] | None:
    """Per unit, each period's estimates against the outcome; None when the outcome is not known."""
    known = outcome_of(year, snaps)
    if known is None:
        return None
    periods = [s for s in snaps if s.period.year == year and s.period.month < 12]
    out = []
    for u in forv.units:
        outcome = _outcome(u.id, known, year)
        rows = []
        for s in periods:
            unit = s.units.get(u.id)
            figures = {m: (unit.amount(_resultat(f)) if unit else None) for m, f, _ in METHODS}
            rows.append(Estimates(s.period, figures))
        # Methods are compared over the same periods: those where every method that has a figure
        # in the year has one (a prognos missing in a hard period would otherwise look better).
        present = [m for m, _, _ in METHODS if any(r.figures[m] is not None for r in rows)]
        common = [r for r in rows if all(r.figures[m] is not None for m in present)]
        errors: dict[str, Decimal | None] = {}
        for m, _, _ in METHODS:
            misses = [
                abs(f - outcome) for r in common if (f := r.figures[m]) is not None and outcome is not None
            ]
            errors[m] = sum(misses, Decimal(0)) / len(misses) if misses else None
        out.append(UnitAccuracy(u.id, u.name, outcome, tuple(rows), errors))
    return out


def best_method(unit: UnitAccuracy) -> str:
    """The method with the smallest mean error ('' when none could be measured)."""
    measured = [(e, m) for m, e in unit.mean_error.items() if e is not None]
    return min(measured)[1] if measured else ""
