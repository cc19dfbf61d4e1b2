"""The records a SIE file is read into: frozen, amounts in SIE's sign (see the package doc)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Any

from vss_excel.model import Finding

# A (dimension, object code) list; () is the account as a whole.
ObjectList = tuple[tuple[str, str], ...]


class BalanceKind(Enum):
    PSALDO = "PSALDO"  # outcome (utfall) for the period
    PBUDGET = "PBUDGET"  # budget for the period


@dataclass(frozen=True, slots=True)
class Balance:
    """One `#PSALDO` or `#PBUDGET` line, as the file has it.

    `amount` is in SIE's sign (debit positive: costs positive, income negative); `report_amount`
    is the report's sign. `objects` is () for the account's total over all objects.
    """

    line: int  # 1-based line number in the file
    kind: BalanceKind
    year: int  # year index: 0 = current räkenskapsår, -1 = previous (see SieFile.years)
    period: str  # 'YYYYMM', calendar year and month
    account: str
    objects: ObjectList
    amount: Decimal
    quantity: Decimal | None = None

    @property
    def is_total(self) -> bool:
        """True for the `{}` line: the account's total over all objects."""
        return not self.objects

    @property
    def report_amount(self) -> Decimal:
        """The amount in the report's sign: income positive, costs negative."""
        return report_sign(self.amount)


@dataclass(frozen=True, slots=True)
class Unread:
    """A `#PSALDO` or `#PBUDGET` line that could not be read whose account and objects are known:
    the caller can leave the cells it belongs to empty instead of showing a partial sum."""

    line: int
    kind: BalanceKind
    year: int | None  # None: the year or period could not be read (any of its kind)
    period: str | None  # 'YYYYMM'
    account: str
    objects: ObjectList
    message: str  # the line's finding, without "raden användes inte"


def report_sign(amount: Decimal) -> Decimal:
    """SIE sign (debit +, so income -) -> report sign (income +, costs -). Never gives -0."""
    return -amount if amount else abs(amount)


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class SieFile:
    """What one SIE file says. Mappings are read-only; amounts in SIE's sign (see the package doc)."""

    source: str
    usable: bool  # False: the whole file was refused (not SIE, unreadable); findings say why
    encoding: str  # the codec the text was decoded with: see detect_encoding
    program: str = ""  # #PROGRAM name and version
    format: str = ""  # #FORMAT as written (normally 'PC8')
    sie_type: str = ""  # #SIETYP as written; '' if missing (the standard then means type 1)
    company: str = ""  # #FNAMN
    orgnr: str = ""  # #ORGNR
    currency: str = ""  # #VALUTA
    generated: date | None = None  # #GEN
    balances_through: date | None = None  # #OMFATTN: the period balances go up to this date
    years: Mapping[int, tuple[date, date]] = field(default_factory=_empty)  # #RAR index -> (start, end)
    accounts: Mapping[str, str] = field(default_factory=_empty)  # #KONTO number -> name
    account_types: Mapping[str, str] = field(default_factory=_empty)  # #KTYP number -> T/S/K/I
    dimensions: Mapping[str, str] = field(default_factory=_empty)  # #DIM and #UNDERDIM number -> name
    subdimensions: Mapping[str, str] = field(default_factory=_empty)  # #UNDERDIM number -> parent number
    objects: Mapping[tuple[str, str], str] = field(default_factory=_empty)  # #OBJEKT (dim, code) -> name
    # An object the file names more than once, differently (`objects` has the first name): (line,
    # name) of each name, in file order.
    object_conflicts: Mapping[tuple[str, str], tuple[tuple[int, str], ...]] = field(default_factory=_empty)
    balances: tuple[Balance, ...] = ()  # #PSALDO and #PBUDGET, file order
    unread: tuple[Unread, ...] = ()  # #PSALDO and #PBUDGET lines whose amount could not be read
    opening: Mapping[tuple[int, str], Decimal] = field(default_factory=_empty)  # #IB
    closing: Mapping[tuple[int, str], Decimal] = field(default_factory=_empty)  # #UB
    results: Mapping[tuple[int, str], Decimal] = field(default_factory=_empty)  # #RES
    object_opening: Mapping[tuple[int, str, ObjectList], Decimal] = field(default_factory=_empty)  # #OIB
    object_closing: Mapping[tuple[int, str, ObjectList], Decimal] = field(default_factory=_empty)  # #OUB
    transaction_count: int = 0  # #TRANS lines (not read)
    findings: tuple[Finding, ...] = ()
