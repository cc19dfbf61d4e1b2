"""What has been read so far, and the findings: the parser's state, turned into a `SieFile` at the end.

Kept apart from the parser so that the line reading (parser.py) only decides what a line says,
and the checks that need the whole file (periods against #RAR, the finding cap) live here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from vss_excel.model import Finding, Severity

from .records import Balance, BalanceKind, ObjectList, SieFile, Unread
from .tokens import period_span

MAX_LINE_FINDINGS: Final = 100  # after this many broken lines, one summary finding for the rest


class SieBuilder:
    """One file's records and findings as they are read; `result` freezes them into a SieFile."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.findings: list[Finding] = []
        self.line_findings = 0
        self.suppressed = 0
        self.head: dict[str, str] = {}
        self.generated: date | None = None
        self.through: date | None = None
        self.years: dict[int, tuple[date, date]] = {}
        self.year_lines: dict[int, int] = {}
        self.accounts: dict[str, str] = {}
        self.account_types: dict[str, str] = {}
        self.dimensions: dict[str, str] = {}
        self.subdimensions: dict[str, str] = {}
        self.objects: dict[tuple[str, str], str] = {}
        self.balances: list[Balance] = []
        self.unread: list[Unread] = []
        # kind -> (year, period, account) -> object id -> line: catches a second line for one saldo
        self.seen: dict[BalanceKind, dict[tuple[int, str, str], dict[int, int]]] = {
            k: {} for k in BalanceKind
        }
        self.year_amounts: dict[str, dict[tuple[int, str], Decimal]] = {"#IB": {}, "#UB": {}, "#RES": {}}
        self.year_lines_of: dict[str, dict[tuple[int, str], int]] = {"#IB": {}, "#UB": {}, "#RES": {}}
        self.object_amounts: dict[str, dict[tuple[int, str, ObjectList], Decimal]] = {"#OIB": {}, "#OUB": {}}
        self.object_lines: dict[str, dict[tuple[int, str, ObjectList], int]] = {"#OIB": {}, "#OUB": {}}
        self.transactions = 0
        self.ksumma_open = False
        self.ksumma_closed = False
        self.block_start = 0  # line of the { of an open #VER block; 0 = not in a block
        self.obj_cache: dict[str, tuple[ObjectList, int] | None] = {}  # {…} text -> objects, id
        self.obj_ids: dict[ObjectList, tuple[ObjectList, int]] = {}
        self.interned: dict[str, str] = {}

    # findings ---------------------------------------------------------------------------------

    def file_finding(self, message: str) -> None:
        self.findings.append(Finding(Severity.FEL, self.source, "", "", message))

    def bad(self, no: int, message: str, severity: Severity = Severity.FEL) -> None:
        if self.line_findings >= MAX_LINE_FINDINGS:
            self.suppressed += 1
            return
        self.line_findings += 1
        self.findings.append(Finding(severity, self.source, "", f"rad {no}", message))

    def duplicate(
        self, no: int, kind: BalanceKind, first: int, year: int, period: str, account: str, objs: ObjectList
    ) -> None:
        """Two amounts for one balance: which is right is unknown, so neither fills its cell."""
        message = (
            f"#{kind.value}: samma år, period, konto och objekt som rad {first} (två belopp för samma "
            "saldo, kontrollera exporten)"
        )
        self.unread.append(Unread(no, kind, year, period, account, objs, message))
        self.bad(no, f"{message}; raden användes inte.")

    # shared values ----------------------------------------------------------------------------

    def intern(self, text: str) -> str:
        """One string object per period and account: a million balances share a few thousand."""
        return self.interned.setdefault(text, text)

    def object_id(self, objs: ObjectList) -> tuple[ObjectList, int]:
        """One shared tuple per object combination, and a small number for it (cheap dict keys)."""
        found = self.obj_ids.get(objs)
        if found is None:
            found = self.obj_ids[objs] = (objs, len(self.obj_ids))
        return found

    # the whole file ---------------------------------------------------------------------------

    def check_periods(self) -> None:
        """A balance whose period lies outside its year's #RAR is not used: which one is wrong?"""
        if not self.years:
            return
        outside = set()
        for year, period in {(k[0], k[1]) for keys in self.seen.values() for k in keys}:
            span = self.years.get(year)
            if span is not None:  # no #RAR for this index: nothing to compare with
                first, last = period_span(period)
                if first > span[1] or last < span[0]:
                    outside.add((year, period))
        if not outside:
            return
        kept: list[Balance] = []
        left_out: dict[tuple[int, str], list[int]] = {}
        for b in self.balances:
            if (b.year, b.period) in outside:
                left_out.setdefault((b.year, b.period), []).append(b.line)
            else:
                kept.append(b)
        self.balances = kept
        for (year, period), lines in sorted(left_out.items(), key=lambda x: x[1][0]):
            start, end = self.years[year]
            rows = "raden" if len(lines) == 1 else f"de {len(lines)} raderna (första här)"
            self.bad(
                lines[0],
                f"perioden {period} ligger utanför räkenskapsår {year} ({start:%Y-%m-%d}–{end:%Y-%m-%d} "
                f"enligt #RAR); {rows} med årsnr {year} och period {period} användes inte.",
            )

    def result(self, encoding: str) -> SieFile:
        ro = MappingProxyType
        return SieFile(
            source=self.source,
            usable=True,
            encoding=encoding,
            program=self.head.get("#PROGRAM", ""),
            format=self.head.get("#FORMAT", ""),
            sie_type=self.head.get("#SIETYP", ""),
            company=self.head.get("#FNAMN", ""),
            orgnr=self.head.get("#ORGNR", ""),
            currency=self.head.get("#VALUTA", ""),
            generated=self.generated,
            balances_through=self.through,
            years=ro(self.years),
            accounts=ro(self.accounts),
            account_types=ro(self.account_types),
            dimensions=ro(self.dimensions),
            subdimensions=ro(self.subdimensions),
            objects=ro(self.objects),
            balances=tuple(self.balances),
            unread=tuple(self.unread),
            opening=ro(self.year_amounts["#IB"]),
            closing=ro(self.year_amounts["#UB"]),
            results=ro(self.year_amounts["#RES"]),
            object_opening=ro(self.object_amounts["#OIB"]),
            object_closing=ro(self.object_amounts["#OUB"]),
            transaction_count=self.transactions,
            findings=tuple(self.findings),
        )
