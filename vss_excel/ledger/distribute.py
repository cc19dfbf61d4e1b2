"""Entries of a ledger -> the prefill's drift amounts, what was not placed, and the reconciliation.

Pure. Each entry of a result account lands in exactly one place: on a unit's drift row, or in
`NotPlaced` with its reason, so ledger = placed + not placed holds per unit and column and in
total, to the öre. An account total (`{}`) is never added to the object rows: where the total
differs from the sum of its object rows, the difference was booked without an ansvar and is
listed as not placed.

A unit's column is prefilled when the ledger has any amount for the unit of that column's kind
and year (a row with no amount is then 0); without one it is left empty, never 0. A cell that an
amount the reader could not read belongs to is left empty too (a gap, never a partial sum): what
the other entries put there is kept as not placed (`Reason.INCOMPLETE`). So is a full-year column
when the file lacks months after the period (`missing_months`): Budget helår and Bokslut fg
would be only part of the year, so they are left empty for every unit and their amounts are not
placed (`Reason.PARTIAL`), with a finding per unit naming the months.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType

from ..keys import DRIFT_PREFILL, Drift
from ..model import Finding, Forvaltning, LineKind, Period, Prefill, Severity
from .records import (
    SOURCES,
    ZERO,
    Entry,
    Kind,
    NotPlaced,
    Reason,
    Reconciliation,
    Refused,
    Tally,
    columns,
    missing_months,
    refused_columns,
)
from .texts import (
    Cell,
    not_placed_findings,
    partial_findings,
    refused_findings,
    sign_findings,
    unit_findings,
)

BALANCE_CLASSES = ("1", "2")  # balance accounts: not part of the result


class UnitResolver:
    """An object code -> a unit's id, by ansvar code, id or name (case ignored), or by its name."""

    def __init__(self, forv: Forvaltning, object_names: Mapping[str, str]) -> None:
        self.aliases: dict[str, str] = {}
        for u in forv.units:  # ansvar codes first: they are what a ledger's objects are
            for alias in u.ansvar:
                self.aliases.setdefault(alias.strip().casefold(), u.id)
        for u in forv.units:
            for alias in (u.id, u.name):
                self.aliases.setdefault(alias.strip().casefold(), u.id)
        self.names = object_names
        self.cache: dict[str, str | None] = {}

    def __call__(self, code: str) -> str | None:
        if code not in self.cache:
            found = self.aliases.get(code.strip().casefold())
            if found is None and code in self.names:
                found = self.aliases.get(self.names[code].strip().casefold())
            self.cache[code] = found
        return self.cache[code]


def distribute(
    entries: Sequence[Entry],
    forv: Forvaltning,
    period: Period,
    source: str,
    accounts: Mapping[str, str] | None = None,
    objects: Mapping[str, str] | None = None,
    refused: Sequence[Refused] = (),
    whole: Collection[tuple[Kind, int]] = (),
) -> tuple[Prefill, list[Finding], Reconciliation]:
    """`whole`: (kind, year) the reader knows to be the whole year even where months have no line."""
    accounts, objects = accounts or {}, objects or {}
    partial = missing_months(entries, refused, period.month, whole)
    resolve = UnitResolver(forv, objects)
    kontoplan = forv.kontoplan
    line_of: dict[str, str | None] = {}
    last = period.month
    left_empty = refused_cells(refused, forv, period, resolve)
    empty = frozenset(c for _, cells in left_empty for c in cells)
    placed: dict[tuple[str, str, Drift], Decimal] = {}
    unit_ledger: dict[tuple[str, Drift], Decimal] = {}
    present: set[tuple[str, Drift]] = set()
    total_ledger: dict[Drift, Decimal] = dict.fromkeys(DRIFT_PREFILL, ZERO)
    totals: dict[tuple[Kind, int, int, str], Entry] = {}
    object_sums: dict[tuple[Kind, int, int, str], Decimal] = {}
    not_placed: list[NotPlaced] = []
    balance_lines = 0

    def keep(e: Entry, unit: str, reason: Reason, cols: tuple[Drift, ...], amount: Decimal) -> None:
        if not amount:
            return  # 0 kr not placed loses nothing: no finding
        not_placed.append(
            NotPlaced(
                e.where,
                e.obj or "",
                unit,
                e.account,
                e.kind,
                period.year + e.year,
                e.month,
                amount,
                reason,
                cols,
            )
        )

    for e in entries:
        if e.account[:1] in BALANCE_CLASSES:
            balance_lines += 1
            continue
        key = (e.kind, e.year, e.month, e.account)
        if e.obj is None:
            totals.setdefault(key, e)
            continue
        object_sums[key] = object_sums.get(key, ZERO) + e.amount
        cols = columns(e.kind, e.year, e.month, last)
        for c in cols:
            total_ledger[c] += e.amount
        unit = resolve(e.obj) if e.obj else None
        if unit is not None:
            # A whole-year amount (#RES) says nothing about the months: it marks only its own columns.
            marks = cols if e.month == 0 else [c for c in DRIFT_PREFILL if SOURCES[c] == (e.kind, e.year)]
            present.update((unit, c) for c in marks)
            for c in cols:
                unit_ledger[unit, c] = unit_ledger.get((unit, c), ZERO) + e.amount
        if not cols:
            keep(e, unit or "", Reason.OUTSIDE, cols, e.amount)
            continue
        if unit is None:
            keep(e, "", Reason.UNKNOWN_OBJECT if e.obj else Reason.NO_OBJECT, cols, e.amount)
            continue
        if e.account not in line_of:
            line_of[e.account] = kontoplan.line_of(e.account)
        line = line_of[e.account]
        if line is None:
            keep(e, unit, Reason.FINANCIAL if e.account.startswith("8") else Reason.UNMAPPED, cols, e.amount)
            continue
        blocked = tuple(c for c in cols if (unit, line, c) in empty)
        if blocked:
            keep(e, unit, Reason.INCOMPLETE, blocked, e.amount)
        short = tuple(c for c in cols if c in partial and c not in blocked)
        if short:
            keep(e, unit, Reason.PARTIAL, short, e.amount)
        for c in cols:
            if c not in blocked and c not in partial:
                placed[unit, line, c] = placed.get((unit, line, c), ZERO) + e.amount

    # An account's total that holds an amount the reader could not read: its rest is that amount
    # (its cell is left unfilled, and said so), not one booked without ansvar.
    unread = {(r.kind, r.year, r.month, r.account) for r in refused if r.year is not None}
    unread_any_month = {(r.kind, r.account) for r in refused if r.year is None}
    for key, t in totals.items():
        rest = t.amount - object_sums.get(key, ZERO)
        if rest:
            cols = columns(t.kind, t.year, t.month, last)
            for c in cols:
                total_ledger[c] += rest
            holds_unread = key in unread or (t.kind, t.account) in unread_any_month
            reason = Reason.INCOMPLETE if holds_unread else Reason.NO_OBJECT if cols else Reason.OUTSIDE
            keep(t, "", reason, cols, rest)

    prefill = _prefill(forv, placed, present, empty, partial)
    not_placed.sort(key=_line_number)
    rec = _reconciliation(forv, period, source, prefill, unit_ledger, total_ledger, not_placed)
    rec = replace(
        rec,
        placed=MappingProxyType(placed),
        accounts=MappingProxyType(dict(accounts)),
        objects=MappingProxyType(dict(objects)),
        present=frozenset(present),
        refused=empty,
        partial=MappingProxyType(partial),
    )
    findings = refused_findings(left_empty, forv, period, source)
    findings += not_placed_findings(rec, forv)
    findings += unit_findings(rec, forv)
    findings += partial_findings(rec, forv)
    findings += sign_findings(prefill.values, forv, source)
    if balance_lines:
        findings.append(
            Finding(
                Severity.INFO,
                source,
                "",
                "",
                f"{balance_lines} belopp på balanskonton (klass 1 och 2) hör inte till driftredovisningen "
                "och lästes inte.",
            )
        )
    return prefill, findings, rec


def _line_number(x: NotPlaced) -> int:
    """'rad 12' -> 12, for the file's order; #RES lines last."""
    head, _, number = x.where.partition(" ")
    return int(number) if head == "rad" and number.isdigit() else 1 << 62


def mapped_lines(forv: Forvaltning) -> tuple[str, ...]:
    """The drift lines the kontoplan fills, in the settings' order."""
    targets = {r.line for r in forv.kontoplan.ranges}
    return tuple(x.id for x in forv.drift_lines if x.id in targets and x.kind is not LineKind.VARAV)


def refused_cells(
    refused: Iterable[Refused], forv: Forvaltning, period: Period, resolve: UnitResolver
) -> list[tuple[Refused, tuple[Cell, ...]]]:
    """Each amount that could not be read, with the template cells it belongs to (none when its
    unit, drift line or columns cannot be told)."""
    lines = set(mapped_lines(forv))
    out = []
    for r in refused:
        unit = resolve(r.obj) if r.obj else None
        line = forv.kontoplan.line_of(r.account) if r.account[:1] not in BALANCE_CLASSES else None
        cells: tuple[Cell, ...] = ()
        if unit is not None and line is not None and line in lines:
            cells = tuple((unit, line, c) for c in refused_columns(r, period.month))
        out.append((r, cells))
    return out


def _prefill(
    forv: Forvaltning,
    placed: Mapping[tuple[str, str, Drift], Decimal],
    present: set[tuple[str, Drift]],
    empty: frozenset[Cell],
    partial: Collection[Drift],
) -> Prefill:
    lines = mapped_lines(forv)
    values: dict[tuple[str, str, str], Decimal] = {}
    for u in forv.units:
        for c in DRIFT_PREFILL:
            if (u.id, c) in present and c not in partial:
                for line in lines:
                    if (u.id, line, c) not in empty:
                        values[u.id, line, c.value] = placed.get((u.id, line, c), ZERO)
    return Prefill(values)


def _reconciliation(
    forv: Forvaltning,
    period: Period,
    source: str,
    prefill: Prefill,
    unit_ledger: Mapping[tuple[str, Drift], Decimal],
    total_ledger: Mapping[Drift, Decimal],
    not_placed: list[NotPlaced],
) -> Reconciliation:
    lines = mapped_lines(forv)
    missing: dict[tuple[str, Drift], Decimal] = {}
    for x in not_placed:
        for c in x.columns:
            missing[x.unit, c] = missing.get((x.unit, c), ZERO) + x.amount
    units: dict[str, dict[Drift, Tally]] = {}
    for u in forv.units:
        units[u.id] = {
            c: Tally(
                unit_ledger.get((u.id, c), ZERO),
                sum((prefill.get(u.id, line, c.value) or ZERO for line in lines), ZERO),
                missing.get((u.id, c), ZERO),
            )
            for c in DRIFT_PREFILL
        }
    total = {
        c: Tally(
            total_ledger[c],
            sum((units[u.id][c].placed for u in forv.units), ZERO),
            sum((v for (_, col), v in missing.items() if col is c), ZERO),
        )
        for c in DRIFT_PREFILL
    }
    return Reconciliation(source, period, units, total, tuple(not_placed))
