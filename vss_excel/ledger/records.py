"""The ledger's amounts on their way to the templates, and the reconciliation: frozen records.

An `Entry` is one amount of a ledger (a SIE #PSALDO/#PBUDGET line, a row or cell of an export) in
the report's sign. `columns` says which prefilled drift columns it counts in. Every entry of a
result account is either placed on a drift row or kept as `NotPlaced`, with the reason; the
`Reconciliation` holds, per unit and column and in total, ledger = placed + not placed.
A `Refused` amount (one that could not be read) is in no tally: the cells it belongs to are left
empty, and what the other lines put in them is kept as not placed (`Reason.INCOMPLETE`). A
full-year column whose months after the period the file lacks (`missing_months`) is left empty
for every unit, its amounts kept as not placed (`Reason.PARTIAL`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Any

from ..errors import UserError
from ..keys import DRIFT_PREFILL, Drift
from ..model import Finding, Period, Prefill, Severity
from .projects import ProjectRow

ZERO = Decimal(0)


class LedgerError(UserError):
    """A ledger file that cannot be used at all (another year, no kontoplan): Swedish, stops the run."""


class Kind(Enum):
    UTFALL = "utfall"
    BUDGET = "budget"


@dataclass(frozen=True, slots=True)
class Entry:
    """One amount of the ledger, in the report's sign (income positive, costs negative)."""

    where: str  # 'rad 12': the line of a SIE file, the row of an export
    kind: Kind
    year: int  # 0 = the period's year, -1 = the year before, …
    month: int  # 1-12; 0 = the whole year (#RES)
    account: str
    obj: str | None  # object code in the units' dimension; '' = none given; None = the account total {}
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Refused:
    """An amount of the ledger that could not be read, with what is known of where it belongs."""

    where: str
    kind: Kind
    year: int | None  # None: the period could not be read either (any year of its kind)
    month: int
    account: str
    obj: str | None
    message: str  # what is wrong, for the finding; what happens to the cells is added to it


# Where each prefilled drift column takes its amounts from: (kind, year).
SOURCES: Mapping[Drift, tuple[Kind, int]] = {
    Drift.REDOVISAT: (Kind.UTFALL, 0),
    Drift.BUDGET: (Kind.BUDGET, 0),
    Drift.REDOVISAT_FG: (Kind.UTFALL, -1),
    Drift.BUDGET_HELAR: (Kind.BUDGET, 0),
    Drift.BOKSLUT_FG: (Kind.UTFALL, -1),
}
FULL_YEAR = (Drift.BUDGET_HELAR, Drift.BOKSLUT_FG)  # the other three stop at the period's month


def columns(kind: Kind, year: int, month: int, last_month: int) -> tuple[Drift, ...]:
    """The drift columns an amount counts in; () when it lies outside the period."""
    out = []
    for col in DRIFT_PREFILL:
        if SOURCES[col] == (kind, year) and (col in FULL_YEAR or (month != 0 and month <= last_month)):
            out.append(col)
    return tuple(out)


def missing_months(
    entries: Iterable[Entry],
    refused: Iterable[Refused],
    last_month: int,
    whole: Collection[tuple[Kind, int]] = (),
) -> dict[Drift, tuple[int, ...]]:
    """The full-year columns (Budget helår, Bokslut fg) that would be only part of the year: the
    months after the period that have no line at all of the column's kind and year in the file.

    A month with no line anywhere (any account, any ansvar, any amount, also a line that could
    not be read) is what an export "jan–aug" looks like; a month whose lines hold 0 kr is there.
    A single month of a whole förvaltning without one line of budget or outcome does not happen,
    so no line at all is the clear signal. Not judged: a kind and year with no amounts (the
    column is left empty anyway), one with a whole-year amount (#RES), one the reader knows is
    whole (`whole`: its months add up to #RES), and the months up to the period's (the period's
    own columns have the same months, and are not checked here).
    """
    wanted = {SOURCES[c]: c for c in FULL_YEAR}
    months: dict[tuple[Kind, int], set[int]] = {k: set() for k in wanted}
    for e in entries:
        got = months.get((e.kind, e.year))
        if got is not None:
            got.add(e.month)
    for r in refused:
        got = months.get((r.kind, r.year)) if r.year is not None else None
        if got is not None:
            got.add(r.month)
    out = {}
    for key, col in wanted.items():
        got = months[key]
        if not got or 0 in got or key in whole:
            continue
        missing = tuple(m for m in range(last_month + 1, 13) if m not in got)
        if missing:
            out[col] = missing
    return out


def refused_columns(r: Refused, last_month: int) -> tuple[Drift, ...]:
    """The drift columns a refused amount may count in: all of its kind when its year is unknown."""
    if r.year is None:
        return tuple(c for c in DRIFT_PREFILL if SOURCES[c][0] is r.kind)
    return columns(r.kind, r.year, r.month, last_month)


class Reason(Enum):
    """Why an amount of the ledger was not placed on a drift row."""

    OUTSIDE = "utanför perioden"
    UNKNOWN_OBJECT = "ansvaret finns inte bland enheterna"
    NO_OBJECT = "bokfört utan ansvar"
    UNMAPPED = "kontot finns inte i kontoplanen"
    FINANCIAL = "finansiell post (klass 8)"
    INCOMPLETE = "cellen fylls inte i: ett belopp till den kunde inte läsas"
    PARTIAL = "helåret fylls inte i: filen saknar månader efter perioden"

    @property
    def severity(self) -> Severity:
        return Severity.INFO if self in (Reason.OUTSIDE, Reason.FINANCIAL) else Severity.VARNING


@dataclass(frozen=True, slots=True)
class NotPlaced:
    """An amount of the ledger that no drift row holds, where it is and why."""

    where: str
    obj: str  # the object code; '' when the amount has none (a total's remainder, a blank ansvar)
    unit: str  # the unit's id; '' when the object is no unit's
    account: str
    kind: Kind
    year: int  # calendar year
    month: int  # 1-12; 0 = the whole year
    amount: Decimal  # report sign
    reason: Reason
    columns: tuple[Drift, ...]  # the drift columns it would have counted in


@dataclass(frozen=True)
class Tally:
    """One unit's (or the total's) figures for one drift column, in kronor."""

    ledger: Decimal = ZERO  # what the ledger says
    placed: Decimal = ZERO  # on the drift rows
    not_placed: Decimal = ZERO

    @property
    def difference(self) -> Decimal:
        return self.ledger - self.placed - self.not_placed

    @property
    def balanced(self) -> bool:
        return self.difference == 0


def _ro() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Reconciliation:
    """ledger = placed + not placed, per unit (settings order) and column, and in total."""

    source: str
    period: Period
    units: Mapping[str, Mapping[Drift, Tally]] = field(default_factory=_ro)
    total: Mapping[Drift, Tally] = field(default_factory=_ro)
    not_placed: tuple[NotPlaced, ...] = ()
    placed: Mapping[tuple[str, str, Drift], Decimal] = field(default_factory=_ro)  # (unit, line, column)
    accounts: Mapping[str, str] = field(default_factory=_ro)  # account -> name, where the file names it
    objects: Mapping[str, str] = field(default_factory=_ro)  # object code -> name
    present: frozenset[tuple[str, Drift]] = frozenset()  # (unit, column) the ledger has amounts for
    refused: frozenset[tuple[str, str, Drift]] = frozenset()  # (unit, line, column) left empty
    # full-year columns left empty for every unit: the months after the period the file lacks
    partial: Mapping[Drift, tuple[int, ...]] = field(default_factory=_ro)
    projects: tuple[ProjectRow, ...] = ()  # the investments with a project code, as prefilled

    @property
    def found(self) -> frozenset[str]:
        """The units the ledger has any amount for."""
        return frozenset(u for u, _ in self.present)

    @property
    def balanced(self) -> bool:
        tallies = [*self.total.values(), *(t for u in self.units.values() for t in u.values())]
        return all(t.balanced for t in tallies)


@dataclass(frozen=True)
class LedgerResult:
    """What `ledger.load` gives: the prefill, the findings, the reconciliation (None for an underlag)."""

    prefill: Prefill
    findings: tuple[Finding, ...] = ()
    reconciliation: Reconciliation | None = None
    refused: frozenset[tuple[str, str, str]] = frozenset()  # prefill keys left empty: a gap, not a sum
