"""Rules about the unit's figures: väsentliga avvikelser explained, prognoser plausible."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ... import calc
from ...enhetsmall import drift as drift_sheet
from ...enhetsmall import investeringar as invest_sheet
from ...keys import RESULTAT, SUMMA_INTAKTER, SUMMA_KOSTNADER, Drift, Invest, drift, invest
from ...model import Finding, LineKind
from ...swedish import listing, tkr_text
from .context import INFO, VARNING, FileContext


def _rows(ctx: FileContext) -> list[tuple[str, str, LineKind | None]]:
    """(item, label, kind) of every drift row the workbook has, sums and Resultat included."""
    assert ctx.rw.layout is not None
    labels = {
        c.key.item: str(c.value)
        for c in ctx.rw.layout.sheet(drift_sheet.NAME).cells
        if c.key.field == Drift.RAD and isinstance(c.value, str)
    }
    kinds = {x.id: x.kind for x in ctx.forv.drift_lines}
    return [(item, label, kinds.get(item)) for item, label in labels.items()]


def _covered_by(item: str, kind: LineKind | None) -> tuple[str, ...]:
    """The rows whose comment also explains this row: its sum row and Resultat."""
    if item == RESULTAT:
        return ()
    if kind is LineKind.KOSTNAD:
        return (SUMMA_KOSTNADER, RESULTAT)
    if kind is LineKind.INTAKT:
        return (SUMMA_INTAKTER, RESULTAT)
    return (RESULTAT,)


def check_significant_without_comment(ctx: FileContext) -> Iterator[Finding]:
    """Väsentliga avvikelser nobody explained: one finding per unit, where to write."""
    if not ctx.readable or drift_sheet.NAME not in ctx.rw.sheets:
        return
    t = ctx.forv.thresholds
    unexplained: list[str] = []
    for item, label, kind in _rows(ctx):
        if kind is LineKind.VARAV:
            continue
        if any(ctx.text(drift(x, Drift.KOMMENTAR)) for x in (item, *_covered_by(item, kind))):
            continue
        for deviation, budget, when in (
            (Drift.AVVIKELSE, Drift.BUDGET, "perioden"),
            (Drift.AVVIKELSE_HELAR, Drift.BUDGET_HELAR, "helåret"),
        ):
            # The workbook's own deviation: empty where either side is refused (a refused budget
            # read as 0 would make the whole figure a deviation)
            b = ctx.amount(drift(item, budget))
            dev = ctx.amount(drift(item, deviation))
            if calc.is_significant(dev, b, t.tkr, t.percent):
                unexplained.append(f"{label} {when} {tkr_text(dev)}")
        moved = ctx.amount(drift(item, Drift.FORANDRING))  # since the previous period's prognos
        if calc.is_significant(moved, ctx.amount(drift(item, Drift.BUDGET_HELAR)), t.tkr, t.percent):
            unexplained.append(f"{label} prognosen ändrad {tkr_text(moved)}")
    if unexplained:
        sheet, cell = ctx.where(drift(RESULTAT, Drift.KOMMENTAR))
        yield ctx.finding(
            VARNING,
            sheet,
            cell,
            f"Väsentliga avvikelser saknar kommentar: {listing(unexplained)}. Be enheten förklara dem i "
            "kommentaren på raden Resultat (eller på varje rad).",
        )


def check_investment_without_comment(ctx: FileContext) -> Iterator[Finding]:
    if not ctx.readable or invest_sheet.NAME not in ctx.rw.sheets:
        return
    t = ctx.forv.thresholds
    assert ctx.rw.layout is not None
    for item, _ in ctx.forv.investment_rows(ctx.rw.layout.unit.id):
        ram = ctx.amount(invest(item, Invest.INVESTERINGSRAM))
        dev = ctx.amount(invest(item, Invest.AVVIKELSE))
        if calc.is_significant(dev, ram, t.tkr, t.percent) and not ctx.text(invest(item, Invest.KOMMENTAR)):
            sheet, cell = ctx.where(invest(item, Invest.KOMMENTAR))
            yield ctx.finding(
                VARNING,
                sheet,
                cell,
                f"Väsentlig avvikelse mot investeringsramen ({tkr_text(dev)}) saknar kommentar. Be enheten "
                "förklara den.",
            )


def check_forecast_plausible(ctx: FileContext) -> Iterator[Finding]:
    """A prognos far from every forecast method is worth a look (info, not an error)."""
    if not ctx.readable or drift_sheet.NAME not in ctx.rw.sheets:
        return
    floor = ctx.forv.thresholds.tkr * 1000
    for line in ctx.forv.drift_lines:
        if line.kind is LineKind.VARAV:
            continue

        def get(field: Drift, item: str = line.id) -> Decimal | None:
            return ctx.amount(drift(item, field))

        prognos, utfall = get(Drift.PROGNOS), get(Drift.REDOVISAT)
        if prognos is None or utfall is None:
            continue
        methods = {  # the workbook's own suggestions, computed once with its formulas
            "utfallstakt": get(Drift.FORSLAG_UTFALLSTAKT),
            "budgetrest": get(Drift.FORSLAG_BUDGETREST),
            "säsong": get(Drift.FORSLAG_SASONG),
        }
        figures = {k: v for k, v in methods.items() if v is not None}
        if not figures:
            continue
        tolerance = max(floor, Decimal("0.25") * max(abs(v) for v in figures.values()))
        if all(abs(prognos - v) > tolerance for v in figures.values()):
            sheet, cell = ctx.where(drift(line.id, Drift.PROGNOS))
            figures_text = ", ".join(f"{k} {tkr_text(v)}" for k, v in figures.items())
            yield ctx.finding(
                INFO,
                sheet,
                cell,
                f"Prognosen för {line.name} ({tkr_text(prognos)}) ligger långt från alla prognosmetoder "
                f"({figures_text}). Stämmer beloppet?",
            )
