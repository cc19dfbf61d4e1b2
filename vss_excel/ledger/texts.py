"""The ledger's findings in Swedish: amounts not placed or not read, units not found, signs that
look wrong.

Amounts not placed are grouped by reason, object, account, kind and year (one finding names the
first line and how many more), at most MAX_PER_REASON per reason; the rest are counted in one
finding, and every amount stands in the Avstämning workbook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ..keys import Drift
from ..model import MONTH_ABBR, MONTH_NAME, Finding, Forvaltning, LineKind, Period, Severity
from .records import ZERO, Kind, NotPlaced, Reason, Reconciliation, Refused

MAX_PER_REASON = 20
MAX_REFUSED = 100  # as many as the SIE reader lists line by line
SHEET = "Ej placerat"


def column_titles(period: Period) -> dict[Drift, str]:
    return {
        Drift.REDOVISAT: f"Redovisat {period.span()}",
        Drift.BUDGET: f"Budget {period.span()}",
        Drift.REDOVISAT_FG: f"Redovisat {period.previous_span}",
        Drift.BUDGET_HELAR: f"Budget helår {period.year}",
        Drift.BOKSLUT_FG: f"Bokslut {period.year - 1}",
    }


def kronor(amount: Decimal) -> str:
    """-1234567.5 -> '−1 234 567,50 kr'; whole kronor without öre."""
    q = amount.quantize(Decimal("0.01"))
    text = f"{abs(q):,.2f}".replace(",", " ").replace(".", ",").removesuffix(",00")
    return f"{'−' if q < 0 else ''}{text} kr"


def what(kind: Kind, year: int, month: int) -> str:
    """'utfall okt 2020', 'budget 2020' (whole year)."""
    return f"{kind.value} {MONTH_ABBR[month - 1]} {year}" if month else f"{kind.value} {year}"


def workbook_name(forv: Forvaltning, rec: Reconciliation) -> str:
    return f"Avstämning {forv.short_name} {rec.period.iso}.xlsx"


def _unit_name(forv: Forvaltning, unit: str) -> str:
    return forv.unit(unit).name if unit else ""


def _message(x: NotPlaced, n: int, amount: Decimal, forv: Forvaltning, rec: Reconciliation) -> str:
    account = x.account + (f" ({rec.accounts[x.account]})" if x.account in rec.accounts else "")
    obj = f"ansvar {x.obj}" + (f" ({rec.objects[x.obj]})" if x.obj in rec.objects else "")
    period = what(x.kind, x.year, x.month if n == 1 else 0)
    lines = "" if n == 1 else f" ({n} belopp)"
    of = f"för {_unit_name(forv, x.unit)} (ansvar {x.obj})" if x.unit else (f"på {obj}" if x.obj else "")
    if x.reason is Reason.UNKNOWN_OBJECT:
        return (
            f"{obj[0].upper()}{obj[1:]} finns inte bland enheterna: {kronor(amount)}{lines} {period} på "
            f"konto {account} förs inte till någon mall. Hör beloppet till en enhet: lägg till ansvarskoden "
            "under [[enheter]] ansvar i inställningarna."
        )
    if x.reason is Reason.NO_OBJECT:
        return (
            f"{kronor(amount)}{lines} {period} på konto {account} är bokförda utan ansvar och förs inte till "
            "någon mall. Kontrollera konteringen."
        )
    if x.reason is Reason.UNMAPPED:
        return (
            f"Konto {account} finns inte i kontoplanen: {kronor(amount)}{lines} {period} {of} förs inte till "
            "någon driftrad. Lägg till kontot under [[kontoplan.konton]] i inställningarna."
        )
    if x.reason is Reason.FINANCIAL:
        return (
            f"Konto {account} är en finansiell post (klass 8): {kronor(amount)}{lines} {period} {of} hör "
            "inte till driftredovisningen och förs inte till någon driftrad."
        )
    return (
        f"{kronor(amount)}{lines} {period} på konto {account} {of} ligger utanför perioden "
        f"({rec.period.span()}) och används inte."
    ).replace("  ", " ")


def not_placed_findings(rec: Reconciliation, forv: Forvaltning) -> list[Finding]:
    groups: dict[tuple[Reason, str, str, Kind, int], list[NotPlaced]] = {}
    for x in rec.not_placed:
        groups.setdefault((x.reason, x.obj, x.account, x.kind, x.year), []).append(x)
    shown: dict[Reason, int] = {}
    rest: dict[Reason, tuple[int, Decimal]] = {}
    out: list[Finding] = []
    for (reason, *_), items in groups.items():
        if reason in (Reason.INCOMPLETE, Reason.PARTIAL):
            continue  # the refused amount's own finding names these cells; partial_findings the months
        amount = sum((x.amount for x in items), ZERO)
        if shown.get(reason, 0) >= MAX_PER_REASON:
            n, total = rest.get(reason, (0, ZERO))
            rest[reason] = (n + len(items), total + amount)
            continue
        shown[reason] = shown.get(reason, 0) + 1
        first = items[0]
        cell = first.where if len(items) == 1 else f"{first.where} (och {len(items) - 1} till)"
        out.append(
            Finding(
                reason.severity,
                rec.source,
                "",
                cell,
                _message(first, len(items), amount, forv, rec),
                unit=first.unit,
            )
        )
    for reason, (n, total) in rest.items():
        out.append(
            Finding(
                reason.severity,
                rec.source,
                "",
                "",
                f"… och {n} belopp till ({reason.value}, sammanlagt {kronor(total)}); alla står på bladet "
                f"{SHEET} i {workbook_name(forv, rec)}.",
            )
        )
    return out


def unit_findings(rec: Reconciliation, forv: Forvaltning) -> list[Finding]:
    out = []
    for u in forv.units:
        if u.id in rec.found:
            continue
        codes = f"ansvar {', '.join(u.ansvar)}" if u.ansvar else "ingen ansvarskod angiven"
        hint = "" if u.ansvar else " Ange enhetens ansvarskod under [[enheter]] ansvar i inställningarna."
        out.append(
            Finding(
                Severity.VARNING,
                rec.source,
                "",
                "",
                f"Huvudboken har inga belopp för {u.name} ({codes}); mallens belopp lämnas tomma.{hint}",
                unit=u.id,
            )
        )
    return out


def sign_findings(
    values: Mapping[tuple[str, str, str], Decimal], forv: Forvaltning, source: str
) -> list[Finding]:
    """A cost above 0 or an income below 0: one warning each, or one error when nearly all are so."""
    kinds = {x.id: x.kind for x in forv.drift_lines}
    checked = [
        (k, v)
        for k, v in sorted(values.items())
        if v and kinds.get(k[1]) in (LineKind.INTAKT, LineKind.KOSTNAD)
    ]
    wrong = [(k, v) for k, v in checked if (v > 0) == (kinds[k[1]] is LineKind.KOSTNAD)]
    if len(checked) >= 4 and len(wrong) > len(checked) // 2:
        return [
            Finding(
                Severity.FEL,
                source,
                "",
                "",
                f"{len(wrong)} av {len(checked)} belopp har omvänt tecken (kostnader positiva, intäkter "
                "negativa). Är det en export: ändra [export] tecken i inställningarna.",
            )
        ]
    return [
        Finding(
            Severity.VARNING,
            source,
            "",
            "/".join(k),
            f"En {'kostnad' if kinds[k[1]] is LineKind.KOSTNAD else 'intäkt'} har ovanligt tecken "
            f"({kronor(v)}) enligt huvudboken; kontrollera konteringen.",
            unit=k[0],
        )
        for k, v in wrong
    ]


def months_text(months: Sequence[int], year: int) -> str:
    """(9, 10, 11, 12), 2020 -> 'september–december 2020'; (3, 5, 6) -> 'mars och maj–juni …'."""
    runs: list[list[int]] = []
    for m in sorted(months):
        if runs and runs[-1][-1] == m - 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    names = [(MONTH_NAME[r[0] - 1], MONTH_NAME[r[-1] - 1]) for r in runs]
    parts = [a if a == b else f"{a}–{b}" for a, b in names]
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} och {parts[-1]}"
    return f"{listed} {year}"


def partial_text(rec: Reconciliation, columns: Sequence[Drift]) -> tuple[str, str]:
    """What the file lacks for the full-year columns, and what to export instead."""
    lacks, export = [], []
    for c in columns:
        if c is Drift.BUDGET_HELAR:
            lacks.append(f"budget för {months_text(rec.partial[c], rec.period.year)}")
            export.append("hela årets budget (alla tolv månader)")
        else:
            lacks.append(f"utfall för {months_text(rec.partial[c], rec.period.year - 1)}")
            export.append("hela föregående års utfall (alla tolv månader)")
    return " och ingen med ".join(lacks), " och ".join(export)


def partial_findings(rec: Reconciliation, forv: Forvaltning) -> list[Finding]:
    """One finding per unit whose full-year columns are left empty because months are missing."""
    titles = column_titles(rec.period)
    out = []
    for u in forv.units:
        cols = [c for c in rec.partial if (u.id, c) in rec.present]
        if not cols:
            continue
        lacks, export = partial_text(rec, cols)
        one = len(cols) == 1
        out.append(
            Finding(
                Severity.VARNING,
                rec.source,
                "",
                "",
                f"{' och '.join(titles[c] for c in cols)} {'lämnas tom' if one else 'lämnas tomma'} i mallen "
                f"för {u.name}: filen har ingen rad med {lacks}, så {'helåret' if one else 'helåren'} "
                f"skulle bara bli en del av året. Exportera {export} ur ekonomisystemet och skapa mallen "
                "igen.",
                unit=u.id,
            )
        )
    return out


Cell = tuple[str, str, Drift]  # (unit, drift line, column)


def refused_findings(
    refused: Sequence[tuple[Refused, Sequence[Cell]]], forv: Forvaltning, period: Period, source: str
) -> list[Finding]:
    """One FEL per amount that could not be read, naming the template cells left empty for it."""
    groups: dict[tuple[str, str], dict[Cell, None]] = {}
    for r, keys in refused:
        groups.setdefault((r.where, r.message), {}).update(dict.fromkeys(keys))
    out = []
    for (where, message), cells in list(groups.items())[:MAX_REFUSED]:
        unit = next(iter(cells))[0] if cells else ""
        text = f"{message}; det användes inte."
        if cells:
            text = f"{message}; det användes inte, och {_left_empty(list(cells), forv, period)}"
        out.append(Finding(Severity.FEL, source, "", where, text, unit=unit))
    if len(groups) > MAX_REFUSED:
        out.append(
            Finding(
                Severity.FEL,
                source,
                "",
                "",
                f"… och {len(groups) - MAX_REFUSED} belopp till kunde inte läsas; cellerna de hör till "
                "fylls inte i, och de enheternas mallar skrivs inte.",
            )
        )
    return out


def _left_empty(cells: list[Cell], forv: Forvaltning, period: Period) -> str:
    """'cellen kan inte fyllas i (LKDATA: Intäkter, Redovisat jan–okt 2020); mallen …'"""
    titles = column_titles(period)
    lines = {x.id: x.name for x in forv.drift_lines}
    by_place: dict[tuple[str, str], list[str]] = {}
    for unit, line, col in cells:
        by_place.setdefault((unit, line), []).append(titles[col])
    places = "; ".join(
        f"{forv.unit(unit).name}: {lines.get(line, line)}, {' och '.join(cols)}"
        for (unit, line), cols in by_place.items()
    )
    what = "cellen" if len(cells) == 1 else "cellerna"
    return (
        f"{what} kan inte fyllas i ({places}), och mallen skrivs inte för enheten: den skulle visa en "
        "ofullständig summa. Rätta beloppet i filen och skapa mallen igen."
    )
