"""A parsed SIE file -> the ledger's entries (the units' dimension, in the report's sign) and the
projects' amounts (this year's #PSALDO lines with an object of dimension 6; see `projects`).

Kept: `#PSALDO` (utfall) and `#PBUDGET` (budget) lines whose object list is one object of the
units' dimension (`{1 "1770"}`), and the account totals (`{}`, to reconcile with). Lines that
combine that dimension with others, or have only other dimensions, split the same amounts once
more: they are counted in one finding and not used (except the projects' lines). A kept line
whose amount could not be read becomes `Refused` (its cells are left empty). `#RES -1` (no
objects in SIE) gives last year's bokslut only when the file has no months for last year and its
objects are one unit's.

An object of the units' dimension that the file names differently on two #OBJEKT lines is
found by its code only, never by a name (`object_names`); a finding says so where a name would
have led its amounts to a unit. `whole_years` tells which outcome years are whole by #RES.

A file for another year than the period's raises `LedgerError`: every figure would be wrong.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Finding, Forvaltning, Period, Severity
from ..swedish import count, listing
from . import projects, sie
from .distribute import UnitResolver
from .records import Entry, Kind, LedgerError, Refused

KINDS = {sie.BalanceKind.PSALDO: Kind.UTFALL, sie.BalanceKind.PBUDGET: Kind.BUDGET}


def check_year(f: sie.SieFile, period: Period) -> None:
    span = f.years.get(0)
    if span is not None:
        if span[0].year == span[1].year == period.year:
            return
        found = f"räkenskapsåret {span[0]:%Y-%m-%d}–{span[1]:%Y-%m-%d} (#RAR 0)"
    else:
        years = sorted({b.period[:4] for b in f.balances if b.year == 0})
        if not years or years == [str(period.year)]:
            return
        found = f"år {', '.join(years)}"
    raise LedgerError(
        f"{f.source}: SIE-filen gäller {found}, men perioden är {period.span()} ({period.iso}). "
        f"Exportera SIE-filen för {period.year}, eller ange den period filen gäller (--period ÅÅÅÅ-MM)."
    )


def entries(
    f: sie.SieFile, forv: Forvaltning, period: Period
) -> tuple[list[Entry], list[Finding], list[Refused], projects.ProjectLedger]:
    """The entries of a usable SIE file, findings about what the file lacks, the amounts that
    could not be read, and what the file says of projects (the same pass over its lines)."""
    check_year(f, period)
    dim = forv.kontoplan.dimension
    out: list[Entry] = []
    findings: list[Finding] = []
    other: list[int] = []  # lines with objects of other dimensions, or combinations
    on_projects: list[sie.Balance] = []  # this year's outcome on a project
    unit_rows = 0
    for b in f.balances:
        objs = b.objects
        if objs and (len(objs) != 1 or objs[0][0] != dim):
            project = any(d == projects.DIMENSION for d, _ in objs)
            if project and b.kind is sie.BalanceKind.PSALDO and b.year == 0:
                on_projects.append(b)
            else:
                other.append(b.line)
            continue
        unit_rows += bool(objs)
        out.append(
            Entry(
                f"rad {b.line}",
                KINDS[b.kind],
                b.year,
                int(b.period[4:6]),
                b.account,
                objs[0][1] if objs else None,
                b.report_amount,
            )
        )

    refused = [
        Refused(
            f"rad {u.line}",
            KINDS[u.kind],
            u.year,
            int(u.period[4:6]) if u.period else 0,
            u.account,
            u.objects[0][1] if u.objects else None,
            u.message,
        )
        for u in f.unread
        if not u.objects or (len(u.objects) == 1 and u.objects[0][0] == dim)
    ]

    def note(severity: Severity, message: str, cell: str = "") -> None:
        findings.append(Finding(severity, f.source, "", cell, message))

    project_ledger, unused = _projects(f, on_projects)
    other = sorted([*other, *unused])

    dim_name = f.dimensions.get(dim, "")
    named = f"dimension {dim}" + (f" ({dim_name})" if dim_name else "")
    if not f.balances:
        note(
            Severity.FEL,
            "SIE-filen har inga periodsaldon (#PSALDO, #PBUDGET), så beloppen per enhet och månad går inte "
            "att läsa. Exportera SIE typ 4 (eller 3) med periodsaldon per ansvar.",
        )
    elif not unit_rows:
        dims = sorted({d for b in f.balances for d, _ in b.objects})
        have = (
            f"filens objekt hör till dimension {', '.join(dims)}"
            if dims
            else "filen har bara kontonas totaler"
        )
        note(
            Severity.FEL,
            f"SIE-filen har inga saldon per objekt i {named}, som enheterna har enligt [kontoplan] "
            f"dimension; {have}. Ange rätt dimension i inställningarna, eller exportera saldon per ansvar.",
        )
    elif other:
        note(
            Severity.INFO,
            f"{_rows(len(other))} objekt i andra dimensioner än {named} eller flera dimensioner "
            "samtidigt; sådana rader delar upp samma belopp en gång till och lästes inte.",
            f"rad {other[0]}",
        )
    findings += _renamed(f, forv, out)
    last_year = any(b.year == -1 and b.kind is sie.BalanceKind.PSALDO for b in f.balances)
    if not last_year and not _last_year_result(f, forv, out):
        note(
            Severity.VARNING,
            "SIE-filen har föregående års resultat bara per konto (#RES -1, utan ansvar), så bokslut "
            "föregående år kan inte fördelas på enheterna och lämnas tomt. Exportera även föregående "
            "års periodsaldon (#PSALDO -1) per ansvar.",
        )
    return out, findings, refused, project_ledger


def _projects(f: sie.SieFile, on_projects: list[sie.Balance]) -> tuple[projects.ProjectLedger, list[int]]:
    """The projects' amounts, and the lines not used for them.

    Programs write a project's saldo in two ways: one line per combination of objects the
    bookings had (Avendo: {1 "Syd" 6 "0001" 7 "4"} and {1 "Nord" 6 "0001"} are different
    amounts, to be added), or the project alone ({6 "7701"}) and again split by another dimension
    ({1 "1770" 6 "7701"}, parts of it). So, per month, account and project: lines of one
    combination of dimensions are added up; where there are several, the project-alone line is
    taken when every other combination adds up to it (parts of it); otherwise which is meant
    cannot be known, and the cell is left empty, with a finding.
    """
    dim = projects.DIMENSION
    alone = (dim,)
    by_saldo: dict[tuple[str, str, str], dict[tuple[str, ...], list[sie.Balance]]] = {}
    for b in on_projects:
        key = (b.period, b.account, dict(b.objects)[dim])
        by_saldo.setdefault(key, {}).setdefault(tuple(d for d, _ in b.objects), []).append(b)
    used: list[sie.Balance] = []
    unused: list[int] = []
    unclear: list[projects.ProjectUnread] = []
    for (period, account, code), combos in by_saldo.items():
        if len(combos) == 1:
            (lines,) = combos.values()
            used += lines
            continue
        total = sum((b.amount for b in combos.get(alone, [])), Decimal(0))
        if alone in combos and all(sum(b.amount for b in ls) == total for ls in combos.values()):
            used += combos[alone]
            unused += [b.line for dims, ls in combos.items() if dims != alone for b in ls]
            continue
        first = min(b.line for ls in combos.values() for b in ls)
        unclear.append(projects.ProjectUnread(f"rad {first}", int(period[4:6]), account, code))
    found: list[Finding] = []
    if unclear:
        shown = [f"{u.code} konto {u.account} ({u.where})" for u in unclear]
        found.append(
            Finding(
                Severity.VARNING,
                f.source,
                "",
                unclear[0].where,
                f"{count(len(unclear), 'saldo', 'saldon')} per projekt står både ensamt och tillsammans med "
                f"andra dimensioner, och beloppen går inte ihop: {listing(shown)}. Om raderna är delar av "
                "samma belopp eller belopp därtill går inte att veta, så projektets Redovisat lämnas tomt. "
                f"Exportera saldon per projekt på ett sätt (t.ex. dimension {dim} ensam).",
            )
        )
    declared = {code: name for (d, code), name in f.objects.items() if d == dim}
    amounts = tuple(
        projects.ProjectAmount(f"rad {b.line}", int(b.period[4:6]), b.account, dict(b.objects)[dim], b.amount)
        for b in used
    )
    unread = tuple(
        projects.ProjectUnread(
            f"rad {u.line}", int(u.period[4:6]) if u.period else None, u.account, dict(u.objects)[dim]
        )
        for u in f.unread
        if u.kind is sie.BalanceKind.PSALDO and u.year in (0, None) and dim in dict(u.objects)
    )
    has_dimension = dim in f.dimensions or bool(declared) or bool(on_projects)
    ledger = projects.ProjectLedger(
        f.source, has_dimension, declared, amounts, unread, findings=tuple(found), unclear=tuple(unclear)
    )
    return ledger, unused


def _last_year_result(f: sie.SieFile, forv: Forvaltning, out: list[Entry]) -> bool:
    """Add #RES -1 for the one unit the file's objects belong to; False when it cannot be split."""
    res = {acc: amount for (year, acc), amount in f.results.items() if year == -1}
    if not res:
        return True
    resolve = UnitResolver(forv, object_names(f, forv.kontoplan.dimension))
    codes = sorted({e.obj for e in out if e.obj})
    units = {resolve(c) for c in codes}
    if len(units) != 1 or None in units:
        return False
    out += [
        Entry(f"#RES -1 {acc}", Kind.UTFALL, -1, 0, acc, codes[0], sie.report_sign(amount))
        for acc, amount in sorted(res.items())
    ]
    return True


def _conflicting(names: tuple[tuple[int, str], ...]) -> bool:
    return len({n.strip().casefold() for _, n in names}) > 1  # 'LKDATA' and 'Lkdata' name one unit


def object_names(f: sie.SieFile, dim: str) -> dict[str, str]:
    """The units' dimension's object code -> name, for finding units and for showing; an object
    the file names differently twice is left out: which name is right would be a guess."""
    return {
        code: name
        for (d, code), name in f.objects.items()
        if d == dim and not _conflicting(f.object_conflicts.get((d, code), ()))
    }


def _renamed(f: sie.SieFile, forv: Forvaltning, out: list[Entry]) -> list[Finding]:
    """An object with two names matters only where it has amounts, its code is no unit's, and a
    name would have been: then its amounts go to no template, and this says why (the reader
    would have had to guess the unit). Elsewhere nothing is lost: no finding."""
    dim = forv.kontoplan.dimension
    by_code = UnitResolver(forv, {})
    used = {e.obj for e in out if e.obj}
    findings = []
    for (d, code), names in f.object_conflicts.items():
        if d != dim or code not in used or not _conflicting(names) or by_code(code) is not None:
            continue
        units = {by_code(n) for _, n in names} - {None}
        if not units:
            continue  # no name is a unit's either: the amounts' own finding (unknown ansvar) says it
        shown = [f"'{n}' (rad {line})" for line, n in names]
        listed = f"{', '.join(shown[:-1])} och {shown[-1]}"
        findings.append(
            Finding(
                Severity.VARNING,
                f.source,
                "",
                f"rad {names[1][0]}",
                f"Objekt {code} i dimension {dim} har olika namn i SIE-filen: {listed}. Vilket som gäller "
                "går inte att veta, så enheten söks bara efter koden, och beloppen på objektet förs inte "
                f"till någon mall. Hör de till en enhet: lägg till koden {code} under [[enheter]] ansvar "
                "i inställningarna, och rätta namnet i ekonomisystemet.",
            )
        )
    return findings


def whole_years(f: sie.SieFile) -> frozenset[tuple[Kind, int]]:
    """Outcome years whose #PSALDO account totals ({}) add up, account by account, to #RES: the
    whole year is in the file even where months have no line (SmallOffice's test company booked
    all of 2013 in May). Years with no total lines, or one sum off by an öre, are not known whole."""
    result_classes = ("3", "4", "5", "6", "7", "8")
    res: dict[int, dict[str, Decimal]] = {}
    for (year, account), amount in f.results.items():
        if account.startswith(result_classes):
            res.setdefault(year, {})[account] = amount
    sums: dict[int, dict[str, Decimal]] = {}
    for b in f.balances:
        if b.kind is sie.BalanceKind.PSALDO and not b.objects and b.year in res:
            year_sums = sums.setdefault(b.year, {})
            if b.account.startswith(result_classes):
                year_sums[b.account] = year_sums.get(b.account, Decimal(0)) + b.amount
    out = set()
    for year, year_sums in sums.items():
        accounts = set(res[year]) | set(year_sums)
        if all(res[year].get(a, 0) == year_sums.get(a, 0) for a in accounts):
            out.add((Kind.UTFALL, year))
    return frozenset(out)


def _rows(n: int) -> str:
    return f"{count(n, 'rad', 'rader')} har"
