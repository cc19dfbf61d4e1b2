"""The ledger's project dimension -> the investments' Redovisat utgifter and Redovisat inkomster.

Pure. A reader (`sie_in.projects`) gives what the file says of projects (`ProjectLedger`):
whether it has a project dimension, the projects it declares, and this year's amounts per
project, month and account in SIE's sign (debit positive). `prefill` turns that into the
templates' cells, in kronor, up to and including the period's month:

- a project of `[[investeringar]]` (key `projekt`) with amounts: their sums;
- one the file declares (#OBJEKT 6) with no amounts: 0, since the ledger says nothing was booked;
- one the file does not know: empty cells, never 0, and a finding per project;
- a file with no project dimension at all: empty cells and one finding, not one per project;
- amounts on projects the settings do not name: one finding listing them, summed, so nothing
  disappears silently;
- an amount on a project that could not be read: its cell is left empty (never a partial sum).

Which accounts count (Kommun-Bas, SKR's chart of accounts for kommuner): an investment's
utgifter are booked on the asset (klass 1, groups 10–13: immateriella, mark och byggnader,
maskiner och inventarier, finansiella anläggningstillgångar) or first on cost accounts (klass
4–7) and moved to the asset later; the net debit of the two together is the utgift whichever
way a kommun books, and the move from cost to asset nets out. Inkomster are the net credit on
klass 3 and on 2388, where Kommun-Bas 20r keeps offentliga investeringsbidrag (förutbetald
intäkt, RKR R2). Other accounts on a project (leverantörsskulder, moms, bank) are the other side
of those bookings and are not counted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from ..keys import Invest
from ..model import Finding, Forvaltning, InvestmentProject, Period, Prefill, Severity
from ..swedish import count, kr_text, listing

DIMENSION = "6"  # SIE 4 reserves dimension 6 for projekt
EXPENDITURE = ("10", "11", "12", "13", "4", "5", "6", "7")  # account prefixes: net debit = utgift
INCOME = ("3", "2388")  # net credit = inkomst
COLUMNS = (Invest.REDOVISAT_UTGIFTER, Invest.REDOVISAT_INKOMSTER)
ZERO = Decimal(0)


def column_of(account: str) -> Invest | None:
    """The column an account's amounts on a project count in; None for the other side of a booking."""
    if account.startswith(EXPENDITURE):
        return Invest.REDOVISAT_UTGIFTER
    if account.startswith(INCOME):
        return Invest.REDOVISAT_INKOMSTER
    return None


@dataclass(frozen=True, slots=True)
class ProjectAmount:
    """One amount of this year's outcome on a project (a #PSALDO 0 line), in SIE's sign."""

    where: str  # 'rad 12'
    month: int
    account: str
    code: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ProjectUnread:
    """An amount on a project that could not be read: the cell it belongs to is left empty."""

    where: str
    month: int | None  # None: the period could not be read
    account: str
    code: str


def _ro() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ProjectLedger:
    """What one ledger file says of projects."""

    source: str
    has_dimension: bool = False  # #DIM 6, an #OBJEKT 6 or an amount on a project
    declared: Mapping[str, str] = field(default_factory=_ro)  # code -> name (#OBJEKT 6)
    amounts: tuple[ProjectAmount, ...] = ()
    unread: tuple[ProjectUnread, ...] = ()
    findings: tuple[Finding, ...] = ()  # about how the file writes projects (the reader's)
    # what holds the projects in this kind of file, and what to do when it has none (Swedish)
    holder: str = f"filens projektdimension (dimension {DIMENSION})"
    lacking: str = f"Filen har ingen projektdimension (#DIM {DIMENSION} eller #OBJEKT {DIMENSION})"
    remedy: str = f"Exportera SIE-filen med saldon per projekt (dimension {DIMENSION})"
    # saldon whose lines cannot be told apart (parts or more?): their cells are left empty, not
    # withheld as an unread amount is; the reader's finding says why
    unclear: tuple[ProjectUnread, ...] = ()
    usable: bool = True  # False: the file itself could not be read (its own finding says so)


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One investment of the settings as the templates get it, for the Avstämning workbook."""

    project: InvestmentProject
    name_in_ledger: str
    utgifter: Decimal | None  # kronor; None = left empty
    inkomster: Decimal | None
    note: str  # why it is empty or 0, in Swedish


def prefill(
    ledger: ProjectLedger, forv: Forvaltning, period: Period
) -> tuple[Prefill, list[Finding], tuple[ProjectRow, ...], frozenset[tuple[str, str, str]]]:
    """The investments' Redovisat cells from the file, the findings, a row per named project, and
    the cells left empty because an amount for them could not be read (as drift's: a gap)."""
    findings = list(ledger.findings)
    named = [(n, p) for n, p in enumerate(forv.investments, 1) if p.code]
    if not ledger.usable:  # nothing to say of projects in a file that could not be read
        unread = tuple(ProjectRow(p, "", None, None, "filen kunde inte läsas") for _, p in named)
        return Prefill(), findings, unread, frozenset()
    codes = {p.code for _, p in named}
    sums: dict[tuple[str, Invest], Decimal] = {}
    booked: set[str] = set()  # codes with any amount this year, in the period or after it
    for a in ledger.amounts:
        booked.add(a.code)
        col = column_of(a.account)
        if col is not None and a.month <= period.month:
            # utgifter: net debit; inkomster: net credit, both shown positive
            signed = a.amount if col is Invest.REDOVISAT_UTGIFTER else -a.amount
            sums[a.code, col] = sums.get((a.code, col), ZERO) + signed
    booked |= {u.code for u in (*ledger.unread, *ledger.unclear)}  # the file has amounts for them
    empty = _unread_cells(ledger.unread, period)
    unclear = _unread_cells(ledger.unclear, period)
    values: dict[tuple[str, str, str], Decimal] = {}
    refused: set[tuple[str, str, str]] = set()
    rows: list[ProjectRow] = []

    def note(severity: Severity, message: str, unit: str = "") -> None:
        findings.append(Finding(severity, ledger.source, "", "", message, unit=unit))

    if named and not ledger.has_dimension:
        note(
            Severity.VARNING,
            f"{ledger.lacking}, så Redovisat utgifter och Redovisat inkomster lämnas tomma för "
            f"{count(len(named), 'investering', 'investeringar')} med projekt i inställningarna. "
            f"{ledger.remedy}, eller ange beloppen i ett underlag (CSV, se handboken).",
        )
    for n, p in named:
        in_file = p.code in ledger.declared or p.code in booked
        shown = ledger.declared.get(p.code, "")
        if not ledger.has_dimension:
            rows.append(ProjectRow(p, shown, None, None, "filen har ingen projektdimension"))
            continue
        if not in_file:
            note(
                Severity.VARNING,
                f"Projektet {p.code} ({p.name}, nyckeln 'investeringar[{n}].projekt') finns inte i "
                f"{ledger.holder}, så Redovisat utgifter och Redovisat inkomster lämnas tomma i mallen. "
                "Rätta projektkoden i inställningarna, eller ta ut filen med projektet; annars skriver "
                "enheten beloppen själv.",
                p.unit,
            )
            rows.append(ProjectRow(p, "", None, None, "projektet finns inte i filen"))
            continue
        got: dict[Invest, Decimal | None] = {}
        for col in COLUMNS:
            if (p.code, col) in empty or (p.code, col) in unclear:
                got[col] = None
                if (p.code, col) in empty:
                    refused.add((p.unit, p.id, col.value))
            else:
                got[col] = sums.get((p.code, col), ZERO)
                values[p.unit, p.id, col.value] = got[col] or ZERO
        blank = [c for c in COLUMNS if (p.code, c) in empty]
        if blank:
            lines = sorted({u.where for u in ledger.unread if u.code == p.code})
            note(
                Severity.VARNING,
                f"Ett belopp på projektet {p.code} ({p.name}) kunde inte läsas ({listing(lines)}), så "
                f"{' och '.join(_TITLE[c] for c in blank)} kan inte fyllas i: det vore en ofullständig "
                "summa, så mallen skrivs inte för enheten. Rätta raden i filen och skapa mallen igen.",
                p.unit,
            )
        why = "" if p.code in booked else "inga belopp på projektet i filen: 0"
        if any((p.code, c) in unclear for c in COLUMNS):
            why = "saldona står på två sätt som inte går ihop"
        if blank:
            why = "ett belopp kunde inte läsas"
        rows.append(ProjectRow(p, shown, got[COLUMNS[0]], got[COLUMNS[1]], why))

    others = sorted(booked - codes)
    if others:
        parts = []
        for code in others:
            name = ledger.declared.get(code, "")
            utg = sums.get((code, Invest.REDOVISAT_UTGIFTER), ZERO)
            ink = sums.get((code, Invest.REDOVISAT_INKOMSTER), ZERO)
            parts.append(
                f"{code}{' ' + name if name else ''} (utgifter {kr_text(utg)}, inkomster {kr_text(ink)})"
            )
        note(
            Severity.INFO,
            f"{count(len(others), 'projekt', 'projekt')} i filen har belopp men finns inte under "
            f"[[investeringar]] (nyckeln projekt): {listing(parts, 10)}, till och med {period.span()}. "
            "Beloppen förs inte till någon mall. Hör ett projekt till förvaltningens investeringar: lägg "
            'till det under [[investeringar]] med projekt = "koden".',
        )
    return Prefill(values), findings, tuple(rows), frozenset(refused)


_TITLE = {Invest.REDOVISAT_UTGIFTER: "Redovisat utgifter", Invest.REDOVISAT_INKOMSTER: "Redovisat inkomster"}


def _unread_cells(unread: Collection[ProjectUnread], period: Period) -> set[tuple[str, Invest]]:
    out = set()
    for u in unread:
        col = column_of(u.account)
        if col is not None and (u.month is None or u.month <= period.month):
            out.add((u.code, col))
    return out
