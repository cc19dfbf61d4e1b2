"""An ekonomisystem's export (rows of a CSV or the first sheet of a workbook) -> the ledger's entries.

The header row is the first of the first HEADER_ROWS rows that names the konto and ansvar columns
(`[export]` in the settings; a title above it is skipped). Two forms:

- long: a period column (YYYYMM, 'YYYY-MM' or a date) and an utfall and/or a budget column;
- wide: no period column; one column per month instead, headed '202001', '2020-01', 'jan 2020',
  'januari' (no year: the period's year) or a date. A month column holds utfall; headed with the
  budget column's name first ('Budget 202001', 'Budget jan') it holds budget.

A row without a konto whose amount cells are empty is skipped (a blank or a heading); with amounts
it is reported (a sum row, most likely) and not used. An amount that cannot be read, or one whose
period cannot be read, is returned as `Refused`: its cells are left empty (see distribute).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from ..model import MONTH_ABBR, MONTH_NAME, ExportColumns, Finding, Period, Severity
from . import projects, sie
from .records import Entry, Kind, LedgerError, Refused
from .underlag import parse_amount

HEADER_ROWS = 20

_MONTHS = {name: n for n, name in enumerate(MONTH_NAME, 1)} | {a: n for n, a in enumerate(MONTH_ABBR, 1)}
_MONTHS |= {name[:3]: n for n, name in enumerate(MONTH_NAME, 1)} | {"sept": 9}
_YYYYMM = re.compile(r"(\d{4})\s*[-/ ]?\s*(\d{2})(?:[-/]\d{2})?(?:[ T].*)?")
_NAMED = re.compile(r"([a-zåäö]+)\.?(?:\s+(\d{4}))?")


def text(value: object) -> str:
    """A cell as text: 1770.0 -> '1770' (Excel gives codes as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def month_of(value: object, default_year: int) -> tuple[int, int] | None:
    """(year, month) of a period cell or a month column's heading; None if it is no month."""
    if isinstance(value, dt.date):
        return value.year, value.month
    t = text(value).lower()
    m = _YYYYMM.fullmatch(t)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    m = _NAMED.fullmatch(t)
    if m and m.group(1) in _MONTHS:
        return (int(m.group(2)) if m.group(2) else default_year), _MONTHS[m.group(1)]
    return None


def _find(header: Sequence[str], names: Sequence[str]) -> int | None:
    wanted = {n.strip().casefold() for n in names}
    return next((i for i, h in enumerate(header) if h.casefold() in wanted), None)


def _month_column(head: str, cols: ExportColumns, year: int) -> tuple[Kind, int, int] | None:
    low = head.casefold()
    for kind, names in ((Kind.BUDGET, cols.budget), (Kind.UTFALL, cols.actual)):
        for n in names:
            if low.startswith(n.casefold() + " "):
                found = month_of(head[len(n) + 1 :].strip(), year)
                return (kind, *found) if found else None
    found = month_of(head, year)
    return (Kind.UTFALL, *found) if found else None


def entries(
    rows: list[list[object]], cols: ExportColumns, period: Period, source: str
) -> tuple[list[Entry], list[Finding], list[Refused], projects.ProjectLedger]:
    """The entries, findings and unread amounts of an export, and its projects: with a project
    column (`[export] projekt`), each row's amounts of this year's outcome also count for its
    project (a row is one combination of konto, ansvar and projekt: nothing is counted twice).
    A code in the column is a project the export knows, even with no amount."""
    findings: list[Finding] = []
    refused: list[Refused] = []
    named = _names(cols.project)
    none = projects.ProjectLedger(
        source,
        holder=f"exportens projektkolumn ({named})",
        lacking=f"Exporten har ingen projektkolumn ({named})",
        remedy="Ta med projektet i exporten, eller ange kolumnens namn under [export] projekt",
    )

    def bad(where: str, message: str, severity: Severity = Severity.FEL) -> None:
        findings.append(Finding(severity, source, "", where, message))

    start = None
    for n, row in enumerate(rows[:HEADER_ROWS]):
        header = [text(h) for h in row]
        if _find(header, cols.account) is not None and _find(header, cols.ansvar) is not None:
            start = n
            break
    if start is None:
        bad(
            "",
            f"Exporten har ingen rubrikrad med kolumnerna {_names(cols.account)} och {_names(cols.ansvar)} "
            f"bland de {HEADER_ROWS} första raderna. Heter kolumnerna något annat: ange namnen under "
            "[export] (konto, ansvar, period, utfall, budget) i inställningarna.",
        )
        return [], findings, [], replace(none, usable=False)
    header = [text(h) for h in rows[start]]
    konto, ansvar = _find(header, cols.account), _find(header, cols.ansvar)
    assert konto is not None and ansvar is not None
    per = _find(header, cols.period)
    proj = _find(header, cols.project)
    declared: dict[str, str] = {}
    on_projects: list[projects.ProjectAmount] = []
    unread: list[projects.ProjectUnread] = []
    # Amount columns: (index, kind, year index or None for the period column's, month or 0)
    amounts: list[tuple[int, Kind, int | None, int]] = []
    if per is not None:
        for kind, names in ((Kind.UTFALL, cols.actual), (Kind.BUDGET, cols.budget)):
            i = _find(header, names)
            if i is not None:
                amounts.append((i, kind, None, 0))
        form = "lång"
    else:
        for i, h in enumerate(header):
            found = _month_column(h, cols, period.year) if i not in (konto, ansvar, proj) and h else None
            if found:
                amounts.append((i, found[0], found[1] - period.year, found[2]))
        form = "bred"
        used = {konto, ansvar, proj, *(c[0] for c in amounts)}
        for i, h in enumerate(header):
            if i not in used and _find([h], (*cols.actual, *cols.budget)) is not None:
                bad(
                    f"rad {start + 1}, kolumn {h!r}",
                    f"Kolumnen {h!r} anger ingen månad och lästes inte: exporten har ingen periodkolumn "
                    f"({_names(cols.period)}), så beloppen läses per månad ur kolumner som '202001' eller "
                    f"'{h} 202001'.",
                    Severity.VARNING,
                )
    if not amounts:
        what = (
            f"en kolumn för utfall ({_names(cols.actual)}) eller budget ({_names(cols.budget)})"
            if per is not None
            else f"en periodkolumn ({_names(cols.period)}) eller kolumner per månad ('202001', 'jan 2020')"
        )
        bad(
            f"rad {start + 1}",
            f"Exporten saknar {what}. Ange kolumnernas namn under [export] i inställningarna.",
        )
        return [], findings, [], replace(none, usable=False)

    out: list[Entry] = []
    sign = sie.report_sign if cols.debit_positive else _same
    for n, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = [*row, *([None] * (len(header) - len(row)))]
        values = [(c, cells[c[0]]) for c in amounts if text(cells[c[0]]) != ""]
        account = text(cells[konto])
        where = f"rad {n}"
        if not values:
            continue
        m = re.match(r"\d+", account)
        if m is None:
            bad(
                where,
                f"Raden har belopp men {f'kontot {account!r}' if account else 'inget konto'}; den "
                "användes inte (är det en summarad kan den stå kvar).",
                Severity.VARNING if not account else Severity.FEL,
            )
            continue
        obj = text(cells[ansvar])
        code = text(cells[proj]) if proj is not None else ""
        if code:
            declared.setdefault(code, "")
        year, month = 0, 0
        if per is not None:
            ym = month_of(cells[per], period.year)
            if ym is None:
                message = (
                    f"Perioden {text(cells[per])!r} går inte att läsa (skriv den som ÅÅÅÅMM, t.ex. 202001)"
                )
                refused += [Refused(where, c[1], None, 0, m.group(0), obj, message) for c, _ in values]
                if code and any(c[1] is Kind.UTFALL for c, _ in values):
                    unread.append(projects.ProjectUnread(where, None, m.group(0), code))
                continue
            year, month = ym[0] - period.year, ym[1]
        for (i, kind, col_year, col_month), raw in values:
            amount = parse_amount(raw)
            y, mo = (year, month) if col_year is None else (col_year, col_month)
            for_project = code and kind is Kind.UTFALL and y == 0
            if amount is None:
                message = f"Beloppet {text(raw)!r} är inget tal"
                refused.append(
                    Refused(f"{where}, kolumn {header[i]!r}", kind, y, mo, m.group(0), obj, message)
                )
                if for_project:
                    unread.append(projects.ProjectUnread(where, mo, m.group(0), code))
                continue
            out.append(Entry(where, kind, y, mo, m.group(0), obj, sign(amount)))
            if for_project:  # in SIE's sign, debit positive, as the projects' amounts are
                debit = amount if cols.debit_positive else -amount
                on_projects.append(projects.ProjectAmount(where, mo, m.group(0), code, debit))
    if out and not any(e.year == 0 for e in out):
        years = ", ".join(str(y) for y in sorted({period.year + e.year for e in out}))
        raise LedgerError(
            f"{source}: exporten ({form} form) har inga belopp för {period.year}, periodens år; dess belopp "
            f"gäller {years}. Exportera perioden {period.span()}, eller ange den period filen gäller "
            "(--period ÅÅÅÅ-MM)."
        )
    if not out and not findings and not refused:
        bad("", "Exporten har inga belopp.")
    ledger = replace(none, has_dimension=proj is not None, declared=declared)
    ledger = replace(ledger, amounts=tuple(on_projects), unread=tuple(unread))
    return out, findings, refused, ledger


def _names(names: Sequence[str]) -> str:
    return " eller ".join(f"'{n}'" for n in names)


def _same(amount: Decimal) -> Decimal:
    return amount
