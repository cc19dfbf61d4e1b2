"""What has been read so far, and the findings: the parser's state, turned into a `SieFile` at the end.

Kept apart from the parser so that the line reading (parser.py) only decides what a line says,
and the checks that need the whole file (periods against #RAR, the finding cap) live here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from vss_excel.model import Finding, Severity

from ...swedish import count
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
        self.object_first: dict[tuple[str, str], int] = {}  # the line of an object's first #OBJEKT
        self.object_conflicts: dict[tuple[str, str], list[tuple[int, str]]] = {}
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

    def object_name(self, no: int, key: tuple[str, str], name: str) -> None:
        """An #OBJEKT line. The first name is kept; another name for the same object is kept aside
        (`SieFile.object_conflicts`): whether it matters depends on the object's amounts, so the
        caller judges it. The same name again changes nothing."""
        first = self.objects.setdefault(key, name)
        line = self.object_first.setdefault(key, no)
        if name != first:
            names = self.object_conflicts.setdefault(key, [(line, first)])
            if all(n != name for _, n in names):
                names.append((no, name))

    # the whole file ---------------------------------------------------------------------------

    def check_periods(self) -> None:
        """Each balance's period against its year index's #RAR; where they disagree, the date decides.

        A period names a calendar month; the year index only points to a #RAR line. Real programs
        get the index wrong: SmallOffice writes the current year's budget under -1, BL
        Administration last year's outcome under 0 (its months add up to #RES -1 to the öre),
        Avendo the budget twice, under 0 and under -1, with the same months and amounts. An
        accountant reads the month, so a balance whose month lies in another #RAR year is read as
        that year's: a copy of a line already there (same amount) is dropped without a finding,
        since nothing is lost; one that differs from it gives way to it (that line's index and
        month agree, this one's do not); the rest are moved, with one finding per kind and index
        (the reader had to choose). A month in no #RAR year cannot be placed: it is left out (FEL).
        """
        if not self.years:
            return
        outside: set[tuple[int, str]] = set()
        moves: dict[tuple[int, str], int] = {}
        keys = {(k[0], k[1]) for seen in self.seen.values() for k in seen}
        keys |= {(u.year, u.period) for u in self.unread if u.year is not None and u.period is not None}
        for year, period in keys:
            span = self.years.get(year)
            first, last = period_span(period)
            if span is not None and first <= span[1] and last >= span[0]:
                continue
            homes = [y for y, (s, e) in self.years.items() if first <= e and last >= s]
            if len(homes) == 1:
                moves[year, period] = homes[0]
            elif span is not None:  # no #RAR for this index nor for the month: nothing to compare with
                outside.add((year, period))
        if not outside and not moves:
            return
        self._move(moves)
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
                f"enligt #RAR) och i inget annat räkenskapsår i filen; {rows} med årsnr {year} och period "
                f"{period} användes inte.",
            )

    def _move(self, moves: dict[tuple[int, str], int]) -> None:
        """Read the balances of `moves` ((index, period) -> the index whose #RAR holds the month)."""
        if not moves:
            return
        targets = {(to, period) for (_, period), to in moves.items()}
        there = {
            (b.kind, b.year, b.period, b.account, b.objects): b
            for b in self.balances
            if (b.year, b.period) in targets and (b.year, b.period) not in moves
        }
        moved: dict[tuple[BalanceKind, int, int], list[Balance]] = {}
        differing: dict[tuple[BalanceKind, int, int], list[tuple[Balance, Balance]]] = {}
        out: list[Balance] = []
        for b in self.balances:
            to = moves.get((b.year, b.period))
            if to is None:
                out.append(b)
                continue
            key = (b.kind, to, b.period, b.account, b.objects)
            other = there.get(key)
            if other is None:
                there[key] = nb = replace(b, year=to)
                out.append(nb)
                moved.setdefault((b.kind, b.year, to), []).append(b)
            elif other.amount != b.amount:
                differing.setdefault((b.kind, b.year, to), []).append((b, other))
            # else: the same amount as the line already there; nothing is lost
        self.balances = out
        unread: list[Unread] = []
        for u in self.unread:
            to = moves.get((u.year, u.period)) if u.year is not None and u.period is not None else None
            if to is None:
                unread.append(u)
            elif (u.kind, to, u.period, u.account, u.objects) not in there:  # else that line stands
                unread.append(replace(u, year=to))
        self.unread = unread
        for (kind, frm, to), items in moved.items():
            self.bad(items[0].line, self._moved_message(kind, frm, to, items), Severity.VARNING)
        for (kind, frm, to), pairs in differing.items():
            n = len(pairs)
            rows = count(n, "rad", "rader")
            line, there_line = pairs[0][0].line, pairs[0][1].line
            self.bad(
                line,
                f"#{kind.value}: {rows} med årsnr {frm} och {_periods([b for b, _ in pairs])} i årsnr "
                f"{to}:s räkenskapsår {self._span(to)} har andra belopp än raderna med årsnr {to} för "
                f"samma period, konto och objekt (den första: rad {line} mot rad {there_line}). Raderna med "
                f"årsnr {to}, där årsnr och period stämmer med #RAR, används; "
                f"{'den' if n == 1 else 'de'} med årsnr {frm} inte.",
                Severity.VARNING,
            )

    def _span(self, year: int) -> str:
        start, end = self.years[year]
        return f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"

    def _moved_message(self, kind: BalanceKind, frm: int, to: int, items: list[Balance]) -> str:
        n = len(items)
        own = f"räkenskapsåret {self._span(frm)} enligt #RAR" if frm in self.years else "som saknar #RAR"
        start, end = self.years[to]
        year = str(start.year) if start.year == end.year else f"räkenskapsåret {self._span(to)}"
        what = "budgeten" if kind is BalanceKind.PBUDGET else "utfallet"
        rows = count(n, "rad", "rader")
        read = "raden lästes" if n == 1 else "raderna lästes"
        return (
            f"#{kind.value}: {rows} med årsnr {frm} ({own}) har {_periods(items)} i årsnr "
            f"{to}:s räkenskapsår {self._span(to)}. Perioden är ett datum och årsnumret bara en "
            f"hänvisning till #RAR, så {read} som årsnr {to}. Kontrollera att {what} för {year} i "
            "mallarna stämmer med ekonomisystemet."
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
            object_conflicts=ro({k: tuple(v) for k, v in self.object_conflicts.items()}),
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


def _periods(items: list[Balance]) -> str:
    """'perioden 201912', 'perioder 201401–201403'."""
    periods = sorted({b.period for b in items})
    return f"perioden {periods[0]}" if len(periods) == 1 else f"perioder {periods[0]}–{periods[-1]}"
