"""Driftsammandrag (Resultat per period and Prognos resultat) and Investeringar, as in the report."""

from __future__ import annotations

from collections.abc import Mapping

from ...keys import INVEST_SUMMA, INVEST_TOTALS, Drift, is_open_investment
from ...konsolidera.marked import Marked
from ...konsolidera.tables import INTAKTER, INVEST_COLUMNS, KOSTNADER, NETTO, TOTAL, UNIT, Tables
from ...model import Forvaltning, Period
from ..common import ROUNDING_NOTE, compared_note, count_label
from . import numbers as N
from .content import Cell, Table, gap_notes, group_row, lacking_note, nowrap, row

PERIOD_COLS = (Drift.REDOVISAT, Drift.BUDGET, Drift.AVVIKELSE, Drift.REDOVISAT_FG)
YEAR_COLS = (Drift.PROGNOS, Drift.BUDGET_HELAR, Drift.AVVIKELSE_HELAR, Drift.BOKSLUT_FG)
YEAR_TOTALS = (
    ((TOTAL, NETTO), "Summa nettokostnader, tkr"),
    ((TOTAL, KOSTNADER), "varav kostnader"),
    ((TOTAL, INTAKTER), "varav intäkter"),
)
CAPTION = "Driftsammandrag, netto tkr"
SOFT_HYPHEN = "\u00ad"  # lets a narrow header break inside a long word, with a hyphen


def _figures(d: Marked, r: object, columns: tuple[str, ...]) -> list[str]:
    return [N.tkr(d.value(r, c), d.gap(r, c), bool(d.lacks(r, c))) for c in columns]


def _unit_rows(forv: Forvaltning, d: Marked, columns: tuple[str, ...]) -> list[tuple[Cell, ...]]:
    return [row(u.name, _figures(d, (UNIT, u.id), columns)) for u in forv.units]


def _notes(forv: Forvaltning, d: Marked, totals: list[object], columns: tuple[str, ...]) -> tuple[str, ...]:
    notes = [ROUNDING_NOTE, *gap_notes(d, [((UNIT, u.id), u.name) for u in forv.units], columns)]
    if lacking := d.all_lacking(totals, columns):
        what = "Summan" if len(totals) == 1 else "Summorna"
        notes.append(lacking_note(lacking, forv, what, compared_note(d, totals, columns)))
    return tuple(notes)


def resultat(forv: Forvaltning, period: Period, t: Tables) -> Table:
    """'Resultat 31 oktober 2020': per verksamhet, then Summa."""
    d = t.drift
    total = (TOTAL, NETTO)
    label = count_label("Summa", d.all_lacking([total], PERIOD_COLS), forv)
    return Table(
        CAPTION,
        (
            "Verksamhet",
            nowrap(f"Redovisat {period.span()}"),
            nowrap(f"Budget {period.span()}"),
            "Avvikelse",
            "Redovisat samma period föregående år",
        ),
        (*_unit_rows(forv, d, PERIOD_COLS), row(label, _figures(d, total, PERIOD_COLS), bold=True)),
        _notes(forv, d, [total], PERIOD_COLS),
    )


def prognos(forv: Forvaltning, period: Period, t: Tables) -> Table:
    """'Prognos resultat 2020': per verksamhet, Summa nettokostnader, varav kostnader and intäkter."""
    d = t.drift
    totals = [
        row(
            count_label(label, d.all_lacking([r], YEAR_COLS), forv),
            _figures(d, r, YEAR_COLS),
            bold=r[1] == NETTO,
        )
        for r, label in YEAR_TOTALS
    ]
    return Table(
        CAPTION,
        ("Verksamhet", "Prognos helår", f"Budget {period.year}", "Avvikelse", f"Bokslut {period.year - 1}"),
        (*_unit_rows(forv, d, YEAR_COLS), *totals),
        _notes(forv, d, [r for r, _ in YEAR_TOTALS], YEAR_COLS) + _moved(forv, d),
    )


def _moved(forv: Forvaltning, d: Marked) -> tuple[str, ...]:
    """Where the archive has the previous period: how each prognos moved since (the analysis's
    'från 2,8 mkr till 6,3 mkr'), for the förvaltning and every unit whose prognos changed."""
    net = (TOTAL, NETTO)
    before = d.value(net, Drift.FOREGAENDE_PROGNOS)
    if before is None or d.lacks(net, Drift.FOREGAENDE_PROGNOS) or d.lacks(net, Drift.PROGNOS):
        return ()
    parts = [f"förvaltningen {N.tkr(before)} → {N.tkr(d.value(net, Drift.PROGNOS))} tkr"]
    for u in forv.units:
        then, now = d.value((UNIT, u.id), Drift.FOREGAENDE_PROGNOS), d.value((UNIT, u.id), Drift.PROGNOS)
        if then is not None and now is not None and N.tkr(then) != N.tkr(now):
            parts.append(f"{u.name} {N.tkr(then)} → {N.tkr(now)}")
    return ("Prognosen jämfört med föregående prognos: " + "; ".join(parts) + ".",)


def investeringar(forv: Forvaltning, period: Period, t: Tables) -> Table:
    """Per verksamhet (a heading row) and project, then Summa investeringar, varav utgifter and
    varav inkomster."""
    figures, texts = t.investeringar.figures, t.investeringar.texts
    summa = (TOTAL, INVEST_SUMMA)
    projects = [r for r in figures.rows if r[0] != TOTAL]  # type: ignore[index]
    rows: list[tuple[Cell, ...]] = []
    unit = None
    for r in projects:
        if texts[r]["enhet"] != unit:
            unit = texts[r]["enhet"]
            rows.append(group_row(str(unit), len(INVEST_COLUMNS) + 1))
        rows.append(row(str(texts[r]["projekt"]), _figures(figures, r, INVEST_COLUMNS)))
    if not projects and not figures.all_lacking([summa]):
        return Table("Investeringar, belopp tkr", (), (), ())  # the report says there are none
    for key, name in INVEST_TOTALS.items():
        total = (TOTAL, key)
        label = count_label(name, figures.all_lacking([total]), forv)
        rows.append(row(label, _figures(figures, total, INVEST_COLUMNS), bold=total == summa))
    notes = [
        ROUNDING_NOTE,
        "Avvikelse = investeringsram − prognos netto; ett positivt belopp betyder under ramen.",
        *gap_notes(
            figures,
            [(r, _where(r, texts[r])) for r in projects],
            INVEST_COLUMNS,
        ),
    ]
    if lacking := figures.all_lacking([summa]):
        notes.append(
            lacking_note(lacking, forv, compared=compared_note(figures, [summa], INVEST_COLUMNS, "projekt"))
        )
    span, year = period.span(), period.year
    return Table(
        "Investeringar, belopp tkr",
        (
            "Verksamhet och projekt",
            nowrap(f"Redovisat utgifter {span}"),
            nowrap(f"Redovisat inkomster {span}"),
            f"Prognos utgifter {year}",
            f"Prognos inkomster {year}",
            f"Prognos netto {year}",
            f"Investe{SOFT_HYPHEN}rings{SOFT_HYPHEN}ram {year}",
            "Avvikelse",
        ),
        tuple(rows),
        tuple(notes),
    )


def _where(r: object, texts: Mapping[str, str]) -> str:
    """'LKDATA, IT-utrustning'; a unit's open rows all by the unit's name (one note for them)."""
    item = r[1] if isinstance(r, tuple) else ""
    return str(texts["enhet"]) if is_open_investment(str(item)) else f"{texts['enhet']}, {texts['projekt']}"
