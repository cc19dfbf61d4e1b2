"""The units' reports -> the förvaltning's report tables, as in the delårsrapport.

Amounts stay exact (kronor as Decimal); totals are computed from exact amounts, and rounding to
tkr happens once, when a table is shown. Every table carries, beside its figures, why a unit's
figure is missing (`gaps`) and which units a total lacks (`lacking`): a figure never silently
leaves a unit out. Rows are keyed by unit id (and measure or project id), never by display name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from .. import calc
from ..keys import (
    INVEST_SUMMA,
    INVEST_TOTALS,
    INVEST_VARAV_INKOMSTER,
    INVEST_VARAV_UTGIFTER,
    OPEN_INVESTMENT,
    RESULTAT,
    SUMMA_KOSTNADER,
    Act,
    Drift,
    Invest,
    Key,
    Measure,
    activity,
    answer,
    drift,
    invest,
    personnel,
    volume,
)
from ..model import Forvaltning, LineKind, PersonnelKind, UnitReport
from .marked import Amount, Described, Figure, Lacking, Marked, Total, add_up, derive

__all__ = ["Amount", "Described", "Lacking", "Marked", "Total"]  # the tables' vocabulary, re-exported

UNIT, TOTAL = "enhet", "summa"
NETTO, KOSTNADER, INTAKTER = "netto", "kostnader", "intakter"

DRIFT_COLUMNS = (
    Drift.REDOVISAT,
    Drift.BUDGET,
    Drift.AVVIKELSE,
    Drift.REDOVISAT_FG,
    Drift.PROGNOS,
    Drift.BUDGET_HELAR,
    Drift.AVVIKELSE_HELAR,
    Drift.BOKSLUT_FG,
    Drift.FOREGAENDE_PROGNOS,
    Drift.FORANDRING,
)
# Columns a total computes from two other totals, as the unit workbook does: (function, a, b).
DERIVED = {
    Drift.AVVIKELSE: (calc.avvikelse, Drift.REDOVISAT, Drift.BUDGET),
    Drift.AVVIKELSE_HELAR: (calc.avvikelse, Drift.PROGNOS, Drift.BUDGET_HELAR),
    Drift.FORANDRING: (calc.change, Drift.PROGNOS, Drift.FOREGAENDE_PROGNOS),
}
INVEST_COLUMNS = (
    Invest.REDOVISAT_UTGIFTER,
    Invest.REDOVISAT_INKOMSTER,
    Invest.PROGNOS_UTGIFTER,
    Invest.PROGNOS_INKOMSTER,
    Invest.PROGNOS_NETTO,
    Invest.INVESTERINGSRAM,
    Invest.AVVIKELSE,
)
INVEST_SUMMED = tuple(c for c in INVEST_COLUMNS if c not in (Invest.PROGNOS_NETTO, Invest.AVVIKELSE))
PERSONAL_METHOD = (
    "Antal är summan av enheternas antal. Procenttal är vägda med enheternas antal "
    "tillsvidareanställda (Σ procent × antal / Σ antal), inte ett rakt medelvärde."
)


# Total columns that add up each unit's (or project's) comparison of two figures: where such a
# total lacks a unit it is not the difference of the row's other totals, and the notes say so.
COMPARED = frozenset((*DERIVED, Invest.PROGNOS_NETTO, Invest.AVVIKELSE, "avvikelse"))


def _figure(rep: UnitReport, key: Key) -> tuple[Amount, str]:
    return rep.amount(key), rep.gap(key)


NO_PREVIOUS = "föregående prognos saknas"
HISTORY = (Drift.FOREGAENDE_PROGNOS, Drift.FORANDRING)


def has_history(forv: Forvaltning, reports: Mapping[str, UnitReport]) -> bool:
    """Whether any unit has a previous prognos on any line: the history columns are shown then."""
    items = (RESULTAT, SUMMA_KOSTNADER, *(x.id for x in forv.drift_lines))
    return any(
        reports[u.id].amount(drift(item, Drift.FOREGAENDE_PROGNOS)) is not None
        for u in forv.units
        for item in items
    )


def driftsammandrag(forv: Forvaltning, reports: Mapping[str, UnitReport], history: bool) -> Marked:
    """One row per unit (Resultat, netto), then Summa, varav kostnader, varav intäkter. A total of
    a derived column (avvikelse, förändring) is the sum of the units' own: like with like."""
    # With history, a unit without a previous prognos (a new unit, a line that had none) is a gap
    # in the history columns: their totals would otherwise pass for the whole förvaltning's.

    keys: dict[str, tuple[tuple[Drift, Key], ...]] = {}  # each row's keys, made once for all units

    def figures(rep: UnitReport, item: str) -> dict[str, tuple[Amount, str]]:
        out: dict[str, tuple[Amount, str]] = {}
        row = keys.get(item)
        if row is None:
            row = keys[item] = tuple((c, drift(item, c)) for c in DRIFT_COLUMNS if c not in DERIVED)
        for c, key in row:
            amount, gap = rep.amount(key), rep.gap(key)
            if history and c in HISTORY and amount is None and not gap:
                gap = NO_PREVIOUS
            out[c] = amount, gap
        for c, (function, first, second) in DERIVED.items():
            out[c] = derive(function, out[first], out[second])
        return out

    rows: dict[object, dict[str, Figure]] = {}
    for u in forv.units:
        rows[(UNIT, u.id)] = dict(figures(reports[u.id], RESULTAT))
    for name, item in ((NETTO, RESULTAT), (KOSTNADER, SUMMA_KOSTNADER), (INTAKTER, forv.income_total)):
        if item is None:  # no income lines in the settings: nothing to show, not a 0
            rows[(TOTAL, name)] = {c: Total(None) for c in DRIFT_COLUMNS}
            continue
        per_unit = [(u.id, figures(reports[u.id], item)) for u in forv.units]
        rows[(TOTAL, name)] = {c: add_up((uid, *f[c]) for uid, f in per_unit) for c in DRIFT_COLUMNS}
    return Marked.build(rows, DRIFT_COLUMNS)


EKONOMI_COLUMNS = ("prognos", "budget", "avvikelse")


def ekonomi(
    forv: Forvaltning, reports: Mapping[str, UnitReport], drift_table: Marked, invest_table: Marked
) -> Marked:
    """Prognos helår, budget and avvikelse: nettokostnader, each varav row, investeringar netto."""
    rows: dict[object, dict[str, Figure]] = {}
    net = (TOTAL, NETTO)

    def total_of(table: Marked, row: object, col: str) -> Total:
        return Total(table.value(row, col), table.lacks(row, col))

    rows["Verksamhetens nettokostnader"] = {
        "prognos": total_of(drift_table, net, Drift.PROGNOS),
        "budget": total_of(drift_table, net, Drift.BUDGET_HELAR),
        "avvikelse": total_of(drift_table, net, Drift.AVVIKELSE_HELAR),
    }
    for x in forv.drift_lines:
        if x.kind is LineKind.VARAV:
            pairs = [
                (
                    u.id,
                    _figure(reports[u.id], drift(x.id, Drift.PROGNOS)),
                    _figure(reports[u.id], drift(x.id, Drift.BUDGET_HELAR)),
                )
                for u in forv.units
            ]
            rows[x.name] = {
                "prognos": add_up((u, *p) for u, p, _ in pairs),
                "budget": add_up((u, *b) for u, _, b in pairs),
                "avvikelse": add_up((u, *derive(calc.avvikelse, p, b)) for u, p, b in pairs),
            }
    summa = (TOTAL, INVEST_SUMMA)
    rows["Investeringar, netto"] = {
        "prognos": total_of(invest_table, summa, Invest.PROGNOS_NETTO),
        "budget": total_of(invest_table, summa, Invest.INVESTERINGSRAM),
        "avvikelse": total_of(invest_table, summa, Invest.AVVIKELSE),
    }
    return Marked.build(rows, EKONOMI_COLUMNS)


UTG, INK, RAM = Invest.PROGNOS_UTGIFTER, Invest.PROGNOS_INKOMSTER, Invest.INVESTERINGSRAM
NOTHING: tuple[Amount, str] = (Decimal(0), "")  # a column of the other kind


def _by_kind(f: Mapping[str, tuple[Amount, str]]) -> tuple[dict[str, tuple[Amount, str]], ...]:
    """A project row's utgifter part and inkomster part, which add up to the row in every column
    (netto = utgifter − inkomster; avvikelse = ram − netto); each a gap where the row's is."""
    netto, gap_n = f[Invest.PROGNOS_NETTO]
    avvikelse, gap_a = f[Invest.AVVIKELSE]
    utg, ink, ram = (calc.n(f[c][0]) for c in (UTG, INK, RAM))
    utgifter: dict[str, tuple[Amount, str]] = {
        Invest.REDOVISAT_UTGIFTER: f[Invest.REDOVISAT_UTGIFTER],
        Invest.REDOVISAT_INKOMSTER: NOTHING,
        UTG: f[UTG],
        INK: NOTHING,
        Invest.PROGNOS_NETTO: (None if netto is None else utg, gap_n),
        RAM: f[RAM],
        Invest.AVVIKELSE: (None if avvikelse is None else ram - utg, gap_a),
    }
    inkomster: dict[str, tuple[Amount, str]] = {
        Invest.REDOVISAT_UTGIFTER: NOTHING,
        Invest.REDOVISAT_INKOMSTER: f[Invest.REDOVISAT_INKOMSTER],
        UTG: NOTHING,
        INK: f[INK],
        Invest.PROGNOS_NETTO: (None if netto is None else Decimal(0) - ink, gap_n),  # no −0
        RAM: NOTHING,
        Invest.AVVIKELSE: (None if avvikelse is None else ink, gap_a),
    }
    return utgifter, inkomster


def investeringar(forv: Forvaltning, reports: Mapping[str, UnitReport]) -> Described:
    """Per unit and project (open rows the units named included), then Summa investeringar,
    varav utgifter and varav inkomster."""
    rows: dict[object, dict[str, Figure]] = {}
    texts: dict[object, dict[str, str]] = {}
    for u in forv.units:
        rep = reports[u.id]
        unknown: list[tuple[str, dict[str, tuple[Amount, str]]]] = []  # open rows: empty, with gaps
        for item, name in forv.investment_rows(u.id):
            figures: dict[str, tuple[Amount, str]] = {c: _figure(rep, invest(item, c)) for c in INVEST_SUMMED}
            netto = derive(calc.investment_netto, figures[UTG], figures[INK])
            figures[Invest.PROGNOS_NETTO] = netto
            figures[Invest.AVVIKELSE] = derive(calc.investment_avvikelse, figures[RAM], netto)
            title = name or rep.text(invest(item, Invest.PROJEKT))
            if name is None and not title and all(v is None for v, _ in figures.values()):
                if any(g for _, g in figures.values()):
                    unknown.append((item, figures))
                continue  # an open row left empty
            rows[(u.id, item)] = dict(figures)
            texts[(u.id, item)] = {
                "enhet": u.name,
                "projekt": title or "(namn saknas)",
                "kommentar": rep.text(invest(item, Invest.KOMMENTAR)),
            }
        if unknown and all(f == unknown[0][1] for _, f in unknown):
            # Alike (no file came back): whether the unit has new projects is unknown, said once
            rows[(u.id, OPEN_INVESTMENT)] = dict(unknown[0][1])
            texts[(u.id, OPEN_INVESTMENT)] = {
                "enhet": u.name,
                "projekt": "nya projekt: uppgift saknas",
                "kommentar": "",
            }
        else:
            for item, figures in unknown:  # each its own gaps: every one stays, marked
                rows[(u.id, item)] = dict(figures)
                texts[(u.id, item)] = {"enhet": u.name, "projekt": "(namn saknas)", "kommentar": ""}
    projects = list(rows)
    # Each row split by kind, so that in every column Summa = varav utgifter + varav inkomster:
    # the ram belongs to the utgifter, the columns of the other kind are 0. A total adds up the
    # rows' own figures (netto and avvikelse too): an incomplete total compares like with like.
    parts: dict[str, dict[object, dict[str, tuple[Amount, str]]]] = {
        INVEST_SUMMA: {r: cast(dict[str, tuple[Amount, str]], rows[r]) for r in projects},
        INVEST_VARAV_UTGIFTER: {},
        INVEST_VARAV_INKOMSTER: {},
    }
    for r, f in parts[INVEST_SUMMA].items():
        parts[INVEST_VARAV_UTGIFTER][r], parts[INVEST_VARAV_INKOMSTER][r] = _by_kind(f)
    for key, part in parts.items():
        rows[(TOTAL, key)] = {
            c: add_up((str(r[0]), *f[c]) for r, f in part.items())  # type: ignore[index]
            for c in INVEST_COLUMNS
        }
        texts[(TOTAL, key)] = {"enhet": INVEST_TOTALS[key], "projekt": "", "kommentar": ""}
    return Described(Marked.build(rows, INVEST_COLUMNS), texts)


VOLUME_COLUMNS = (Measure.PROGNOS, Measure.UTFALL, Measure.UTFALL_FG)


def volymer(forv: Forvaltning, reports: Mapping[str, UnitReport]) -> Described:
    """One row per measure; a measure with a footnote gets *, ** … after its name ("matt") and
    the marked footnote ("fotnot") to show under the table."""
    rows: dict[object, dict[str, Figure]] = {}
    texts: dict[object, dict[str, str]] = {}
    marks = 0
    for v in forv.volumes:
        rep = reports[v.unit]
        rows[v.id] = {c: _figure(rep, volume(v.id, c)) for c in VOLUME_COLUMNS}
        mark = ""
        if v.footnote:
            marks += 1
            mark = "*" * marks
        texts[v.id] = {
            "matt": v.name + mark,
            "namn": v.name,
            "enhet": forv.unit(v.unit).name,
            "kommentar": rep.text(volume(v.id, Measure.KOMMENTAR)),
            "fotnot": f"{mark}{v.footnote}" if mark else "",
        }
    return Described(Marked.build(rows, VOLUME_COLUMNS), texts)


PERSONAL_COLUMNS = (Measure.UTFALL, Measure.UTFALL_FG, Measure.MALVARDE)


NO_PERCENT, NO_COUNT = "procent saknas", "antal saknas"


def _weighted(pairs: list[tuple[str, Amount, str, Amount, str]]) -> Total:
    """Σ percent × count / Σ count over units with both. A unit with a gap in either is lacking, and
    so is one that has one of the two figures but not the other (it has staff but no percent, or a
    percent but no headcount): dropped silently, it would move the figure without a mark. A unit
    with neither (none that period) is no part of it."""
    lacking: dict[str, str] = {}
    used: list[tuple[Decimal, Decimal]] = []
    for u, p, g1, n, g2 in pairs:
        if g1 or g2:
            lacking[u] = g1 or g2
        elif p is None and n:
            lacking[u] = NO_PERCENT
        elif p is not None and n is None:
            lacking[u] = NO_COUNT
        elif p is not None and n is not None and n > 0:
            used.append((p, n))
    weight = sum((n for _, n in used), Decimal(0))
    if not used or weight == 0:
        return Total(None, tuple(lacking.items()))
    return Total(sum((p * n for p, n in used), Decimal(0)) / weight, tuple(lacking.items()))


def personal(forv: Forvaltning, reports: Mapping[str, UnitReport]) -> Described:
    """Förvaltning totals: counts summed, percentages weighted by headcount."""
    count = next((m for m in forv.personnel if m.kind is PersonnelKind.ANTAL), None)
    rows: dict[object, dict[str, Figure]] = {}
    texts: dict[object, dict[str, str]] = {}
    for m in forv.personnel:
        row: dict[str, Figure] = {Measure.MALVARDE: m.target}
        for f in (Measure.UTFALL, Measure.UTFALL_FG):
            if m.kind is PersonnelKind.ANTAL or count is None:
                row[f] = add_up((u.id, *_figure(reports[u.id], personnel(m.id, f))) for u in forv.units)
            else:
                row[f] = _weighted(
                    [
                        (
                            u.id,
                            *_figure(reports[u.id], personnel(m.id, f)),
                            *_figure(reports[u.id], personnel(count.id, f)),
                        )
                        for u in forv.units
                    ]
                )
        rows[m.id] = row
        texts[m.id] = {"matt": m.name, "typ": m.kind.value}
    return Described(Marked.build(rows, PERSONAL_COLUMNS), texts)


def personal_per_unit(forv: Forvaltning, reports: Mapping[str, UnitReport]) -> Marked:
    columns = [f"{m.id}|{f}" for m in forv.personnel for f in (Measure.UTFALL, Measure.UTFALL_FG)]
    rows: dict[object, dict[str, Figure]] = {}
    for u in forv.units:
        rep = reports[u.id]
        rows[u.id] = {
            f"{m.id}|{f}": _figure(rep, personnel(m.id, f))
            for m in forv.personnel
            for f in (Measure.UTFALL, Measure.UTFALL_FG)
        }
    return Marked.build(rows, columns)


@dataclass(frozen=True)
class ActivityRow:
    """An activity of the verksamhetsplan with the reporting unit's status and comment."""

    id: str
    perspektiv: str
    mal: str
    aktivitet: str
    strategiskt: bool
    slutdatum: str
    status: str
    kommentar: str
    enhet: str


def aktiviteter(forv: Forvaltning, reports: Mapping[str, UnitReport]) -> tuple[ActivityRow, ...]:
    """Every activity in the verksamhetsplan's order, with the reporting unit's status and comment."""
    order = {p.name: i for i, p in enumerate(forv.perspectives)}
    return tuple(
        ActivityRow(
            a.id,
            a.perspective,
            a.goal,
            a.text,
            a.strategic,
            a.deadline,
            reports[a.unit].text(activity(a.id, Act.STATUS)),
            reports[a.unit].text(activity(a.id, Act.KOMMENTAR)),
            forv.unit(a.unit).name,
        )
        for a in sorted(forv.activities, key=lambda a: order.get(a.perspective, len(order)))
    )


MISSING_STATUS = "Saknas"
TOTAL_COUNT = "Totalt"


@dataclass(frozen=True)
class StatusCounts:
    """Activities per perspektiv and status: `rows` per perspektiv, then Totalt; `columns` the
    statuses in settings order, Saknas (no valid status), Totalt."""

    columns: tuple[str, ...]
    rows: Mapping[str, Mapping[str, int]]

    @property
    def shown(self) -> list[str]:
        """The statuses to show: the settings' list, and Saknas only when some activity has none."""
        total = self.rows[TOTAL_COUNT]
        return [c for c in self.columns if c != TOTAL_COUNT and (c != MISSING_STATUS or total[c] > 0)]

    @property
    def perspectives(self) -> list[str]:
        return [name for name in self.rows if name != TOTAL_COUNT]


def status_counts(forv: Forvaltning, activities: Sequence[ActivityRow]) -> StatusCounts:
    """Number of activities per perspektiv and status (statuses in settings order, then 'Saknas')."""
    statuses = [*forv.statuses, MISSING_STATUS]
    rows: dict[str, dict[str, int]] = {}
    for p in forv.perspectives:
        c = Counter(
            a.status if a.status in forv.statuses else MISSING_STATUS
            for a in activities
            if a.perspektiv == p.name
        )
        rows[p.name] = {k: c.get(k, 0) for k in statuses}
    rows[TOTAL_COUNT] = {k: sum(r[k] for r in rows.values()) for k in statuses}
    for r in rows.values():
        r[TOTAL_COUNT] = sum(r[k] for k in statuses)
    return StatusCounts((*statuses, TOTAL_COUNT), rows)


@dataclass(frozen=True)
class UnitAnswer:
    """A unit's answer to an analysis question, or its comment on a drift row (id 'drift:<row>')."""

    enhet: str
    id: str
    fraga: str
    svar: str


def analys(forv: Forvaltning, reports: Mapping[str, UnitReport]) -> tuple[UnitAnswer, ...]:
    """Every unit's answers and drift comments."""
    rows = []
    asked = forv.all_questions()
    for u in forv.units:
        rep = reports[u.id]
        for qid, text in asked:
            if a := rep.text(answer(qid)):
                rows.append(UnitAnswer(u.name, qid, text, a))
        for item, name in [*((x.id, x.name) for x in forv.drift_lines), (RESULTAT, "resultat")]:
            if comment := rep.text(drift(item, Drift.KOMMENTAR)):
                rows.append(UnitAnswer(u.name, f"drift:{item}", f"Kommentar drift: {name}", comment))
    return tuple(rows)


@dataclass(frozen=True)
class Tables:
    drift: Marked
    history: bool  # some unit has a previous prognos: the history columns are shown
    ekonomi: Marked
    investeringar: Described
    volymer: Described
    personal: Described
    personal_per_unit: Marked
    aktiviteter: tuple[ActivityRow, ...]
    status_counts: StatusCounts
    analys: tuple[UnitAnswer, ...]


def build(forv: Forvaltning, reports: Mapping[str, UnitReport]) -> Tables:
    """Every table, from one report per unit (a unit that returned nothing has a template report)."""
    history = has_history(forv, reports)
    drift_table = driftsammandrag(forv, reports, history)
    invest_table = investeringar(forv, reports)
    acts = aktiviteter(forv, reports)
    return Tables(
        drift=drift_table,
        history=history,
        ekonomi=ekonomi(forv, reports, drift_table, invest_table.figures),
        investeringar=invest_table,
        volymer=volymer(forv, reports),
        personal=personal(forv, reports),
        personal_per_unit=personal_per_unit(forv, reports),
        aktiviteter=acts,
        status_counts=status_counts(forv, acts),
        analys=analys(forv, reports),
    )
