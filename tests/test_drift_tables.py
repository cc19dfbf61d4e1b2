"""The drift tables on units' reports built in memory: a figure computed from a total that lacks a
unit lacks it too, and settings without an income line give no figure rather than a 0."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from vss_excel import calc
from vss_excel.keys import RESULTAT, SUMMA_KOSTNADER, Drift, Key, drift
from vss_excel.konsolidera import tables as T
from vss_excel.model import Forvaltning, LineKind, UnitReport
from vss_excel.rapport import driftsammandrag


def _reports(forv: Forvaltning, values, gaps=None, gapped: str = "") -> dict[str, UnitReport]:
    return {
        u.id: UnitReport(u.id, forv.period, f"{u.id}.xlsx", values, (gaps or {}) if u.id == gapped else {})
        for u in forv.units
    }


def test_a_varav_rows_avvikelse_lacks_the_units_its_budget_lacks(forv):
    varav = next(x for x in forv.drift_lines if x.kind is LineKind.VARAV)
    values = {drift(varav.id, Drift.PROGNOS): D(-1000), drift(varav.id, Drift.BUDGET_HELAR): D(-900)}
    gaps = {drift(varav.id, Drift.BUDGET_HELAR): "låsta celler ändrade"}
    ek = T.build(forv, _reports(forv, values, gaps, "ledning")).ekonomi
    assert dict(ek.lacks(varav.name, "budget")) == {"ledning": "låsta celler ändrade"}
    assert dict(ek.lacks(varav.name, "avvikelse")) == {"ledning": "låsta celler ändrade"}


def test_settings_without_income_lines_give_no_varav_intakter(forv):
    costs_only = dataclasses.replace(
        forv, drift_lines=tuple(x for x in forv.drift_lines if x.kind is not LineKind.INTAKT)
    )
    assert costs_only.income_total is None
    d = T.build(costs_only, _reports(costs_only, {})).drift
    for c in T.DRIFT_COLUMNS:
        assert d.value((T.TOTAL, T.INTAKTER), c) is None
        assert d.lacks((T.TOTAL, T.INTAKTER), c) == ()


def test_a_gap_in_the_history_columns_is_said_on_the_unit_row_and_the_sum(forv):
    values = {
        drift("resultat", Drift.PROGNOS): D(-1000),
        drift("resultat", Drift.FOREGAENDE_PROGNOS): D(-900),
    }
    gaps = {drift(RESULTAT, Drift.FOREGAENDE_PROGNOS): "föregående prognos saknas"}
    reports = _reports(forv, values, gaps, "ledning")
    ws = driftsammandrag.describe(forv, forv.period, T.build(forv, reports), reports)
    texts = [str(c.value) for c in ws.cells.values() if isinstance(c.value, str)]
    assert any("föregående prognos saknas" in t for t in texts)  # the unit row's Anmärkning
    n = len(forv.units)
    assert any(t.startswith(f"Summa nettokostnader, tkr ({n - 1} av {n} enheter)") for t in texts)


def test_a_unit_without_a_previous_prognos_is_a_gap_once_others_have_one(forv):
    values = {drift(RESULTAT, Drift.PROGNOS): D(-1000), drift(RESULTAT, Drift.FOREGAENDE_PROGNOS): D(-900)}
    reports = _reports(forv, values)
    reports["elarande"] = UnitReport(
        "elarande", forv.period, "e.xlsx", {drift(RESULTAT, Drift.PROGNOS): D(-5)}, {}
    )
    d = T.build(forv, reports).drift
    for c in (Drift.FOREGAENDE_PROGNOS, Drift.FORANDRING):
        assert d.gap((T.UNIT, "elarande"), c) == T.NO_PREVIOUS
        assert dict(d.lacks((T.TOTAL, T.NETTO), c)) == {"elarande": T.NO_PREVIOUS}
    assert d.value((T.TOTAL, T.NETTO), Drift.FOREGAENDE_PROGNOS) == -900 * (len(forv.units) - 1)
    # before any unit has one (the first period), the columns are simply not in use
    first = T.build(forv, _reports(forv, {drift(RESULTAT, Drift.PROGNOS): D(-1000)})).drift
    assert first.lacks((T.TOTAL, T.NETTO), Drift.FOREGAENDE_PROGNOS) == ()


def test_the_history_columns_are_in_use_when_any_line_has_a_previous_prognos(forv):
    """Each unit lacks a different line's previous prognos, so no unit's Resultat has one (the
    sheet's sums are empty unless every line has one); the varav kostnader total must still not be
    a partial sum without a mark."""
    costs = [x.id for x in forv.drift_lines if x.kind is LineKind.KOSTNAD]
    lines = [x.id for x in forv.drift_lines if x.kind is not LineKind.VARAV]
    reports = {}
    for i, u in enumerate(forv.units):
        known = {x: D(-100) for x in lines if x != lines[i % len(lines)]}
        values = {drift(x, Drift.FOREGAENDE_PROGNOS): v for x, v in known.items()}
        values[drift(SUMMA_KOSTNADER, Drift.FOREGAENDE_PROGNOS)] = calc.total_of_all(
            known.get(c) for c in costs
        )
        reports[u.id] = UnitReport(u.id, forv.period, f"{u.id}.xlsx", values, {})
    d = T.build(forv, reports).drift
    total = (T.TOTAL, T.KOSTNADER)
    assert d.value(total, Drift.FOREGAENDE_PROGNOS) is not None  # some units' sums are known
    assert d.lacks(total, Drift.FOREGAENDE_PROGNOS)  # and the total says which it lacks


def test_the_sheet_shows_the_history_columns_whenever_the_tables_use_them(forv):
    """Some unit has a previous prognos on a line, while every unit's Resultat lacks it for another
    reason than 'none yet' (a refused value): the history columns, and their marked totals, stay."""
    line = next(x.id for x in forv.drift_lines if x.kind is LineKind.KOSTNAD)
    refused = {drift(RESULTAT, Drift.FOREGAENDE_PROGNOS): "värdet användes inte"}
    reports = {
        u.id: UnitReport(
            u.id, forv.period, f"{u.id}.xlsx", {drift(line, Drift.FOREGAENDE_PROGNOS): D(-100)}, refused
        )
        for u in forv.units
    }
    tables = T.build(forv, reports)
    assert tables.history
    ws = driftsammandrag.describe(forv, forv.period, tables, reports)
    assert "Föregående prognos" in [c.value for c in ws.cells.values()]


# --- an incomplete total compares like with like ------------------------------------------------
# Every unit has its own nonzero figures (budgets included); one unit's first figure is missing.
# The total's avvikelse/förändring is then the sum over the units that have both figures, added
# up here by hand; never the prognos of some minus the budget of all.
MISSING = "elarande"
WHY = "texten 'ca 5 mkr' är inget tal"


def _per_unit(forv: Forvaltning, first: Key, second: Key, gapped: Key) -> tuple[dict[str, UnitReport], D]:
    """Reports where unit i has first = −1000·(i+1) − 7, second = −900·(i+1); MISSING's `gapped`
    figure is refused. Returns them and Σ(first − second) over the other units."""
    reports, expected = {}, D(0)
    for i, u in enumerate(forv.units):
        a, b = D(-1000 * (i + 1) - 7), D(-900 * (i + 1))
        gaps = {gapped: WHY} if u.id == MISSING else {}
        reports[u.id] = UnitReport(u.id, forv.period, f"{u.id}.xlsx", {first: a, second: b}, gaps)
        if u.id != MISSING:
            expected += a - b
    return reports, expected


@pytest.mark.parametrize(
    ("item", "row"),
    [(RESULTAT, T.NETTO), (SUMMA_KOSTNADER, T.KOSTNADER), ("intakter", T.INTAKTER)],
)
@pytest.mark.parametrize(
    ("first", "second", "derived", "gapped"),
    [
        (Drift.PROGNOS, Drift.BUDGET_HELAR, Drift.AVVIKELSE_HELAR, Drift.PROGNOS),
        (Drift.REDOVISAT, Drift.BUDGET, Drift.AVVIKELSE, Drift.REDOVISAT),
        (Drift.PROGNOS, Drift.FOREGAENDE_PROGNOS, Drift.FORANDRING, Drift.PROGNOS),
        (Drift.PROGNOS, Drift.FOREGAENDE_PROGNOS, Drift.FORANDRING, Drift.FOREGAENDE_PROGNOS),
    ],
)
def test_an_incomplete_drift_total_compares_like_with_like(forv, item, row, first, second, derived, gapped):
    assert forv.income_total == "intakter"  # VSS has one income line: it is varav intäkter
    reports, expected = _per_unit(forv, drift(item, first), drift(item, second), drift(item, gapped))
    d = T.build(forv, reports).drift
    total = (T.TOTAL, row)
    assert d.value(total, derived) == expected
    assert dict(d.lacks(total, derived)) == {MISSING: WHY}
    # the complete column is every unit's; the figure is not the difference of the two totals
    complete = second if gapped == first else first
    assert not d.lacks(total, complete)
    assert d.value(total, derived) != calc.change(d.value(total, first), d.value(total, second))


def test_every_unit_on_budget_and_one_prognos_missing_is_no_deviation(forv):
    """Before: the missing unit's whole budget showed as the förvaltning's avvikelse."""
    reports = {}
    for i, u in enumerate(forv.units):
        b = D(-1_000_000 * (i + 1))
        values = {drift(RESULTAT, Drift.PROGNOS): b, drift(RESULTAT, Drift.BUDGET_HELAR): b}
        gaps = {drift(RESULTAT, Drift.PROGNOS): WHY} if u.id == MISSING else {}
        reports[u.id] = UnitReport(u.id, forv.period, f"{u.id}.xlsx", values, gaps)
    d = T.build(forv, reports).drift
    assert d.value((T.TOTAL, T.NETTO), Drift.AVVIKELSE_HELAR) == 0
    assert dict(d.lacks((T.TOTAL, T.NETTO), Drift.AVVIKELSE_HELAR)) == {MISSING: WHY}


def test_the_ekonomi_rows_compare_like_with_like(forv):
    varav = next(x for x in forv.drift_lines if x.kind is LineKind.VARAV)
    reports, net = _per_unit(
        forv,
        drift(RESULTAT, Drift.PROGNOS),
        drift(RESULTAT, Drift.BUDGET_HELAR),
        drift(RESULTAT, Drift.PROGNOS),
    )
    expected_varav = D(0)
    for i, u in enumerate(forv.units):
        p, b = D(-10 * (i + 1) - 3), D(-20 * (i + 1))
        values = {
            **reports[u.id].values,
            drift(varav.id, Drift.PROGNOS): p,
            drift(varav.id, Drift.BUDGET_HELAR): b,
        }
        gaps = {**reports[u.id].gaps}
        if u.id == MISSING:
            gaps[drift(varav.id, Drift.PROGNOS)] = WHY
        else:
            expected_varav += p - b
        reports[u.id] = UnitReport(u.id, forv.period, f"{u.id}.xlsx", values, gaps)
    e = T.build(forv, reports).ekonomi
    assert e.value("Verksamhetens nettokostnader", "avvikelse") == net
    assert e.value(varav.name, "avvikelse") == expected_varav
    assert dict(e.lacks(varav.name, "avvikelse")) == {MISSING: WHY}
    assert not e.lacks(varav.name, "budget")


def test_the_cli_line_says_over_which_units_an_incomplete_avvikelse_is(forv):
    from vss_excel.konsolidera.job import Consolidation
    from vss_excel.konsolidera.selection import Selection
    from vss_excel.konsolidera.summary import drift_line
    from vss_excel.swedish import tkr_text

    reports, expected = _per_unit(
        forv,
        drift(RESULTAT, Drift.PROGNOS),
        drift(RESULTAT, Drift.BUDGET_HELAR),
        drift(RESULTAT, Drift.PROGNOS),
    )
    result = Consolidation(T.build(forv, reports), (), Selection({}, {}, ()), reports, (), None)
    n = len(forv.units)
    line = drift_line(result)
    assert f"avvikelse {tkr_text(expected)}* (för de {n - 1} av {n} enheter som har både " in line
    assert line.endswith("(* saknar enheter, se nedan)")


def test_a_weighted_percent_marks_a_unit_that_has_only_one_of_its_two_figures(forv):
    """Staff but no percent, or a percent but no headcount: the unit is lacking, never silently
    left out; a unit with neither is no part of the figure."""
    from vss_excel.keys import Measure, personnel

    count = next(m for m in forv.personnel if m.kind.value == "antal")
    sick = next(m for m in forv.personnel if m.kind.value == "procent")
    figures = {"ledning": (D(5), D(10)), "upphandling": (D(2), D(30)), "ekonomiservice": (None, D(20))}
    figures |= {"hrservice": (D(9), None), "kontakt": (None, None)}
    reports = {}
    for u in forv.units:
        pct, n = figures.get(u.id, (None, None))
        values = {personnel(sick.id, Measure.UTFALL_FG): pct, personnel(count.id, Measure.UTFALL_FG): n}
        reports[u.id] = UnitReport(u.id, forv.period, f"{u.id}.xlsx", values, {})
    p = T.build(forv, reports).personal.figures
    # (5 × 10 + 2 × 30) / 40, by hand: the units with both figures
    assert p.value(sick.id, Measure.UTFALL_FG) == D(110) / D(40)
    assert dict(p.lacks(sick.id, Measure.UTFALL_FG)) == {
        "ekonomiservice": T.NO_PERCENT,
        "hrservice": T.NO_COUNT,
    }
