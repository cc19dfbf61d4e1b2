"""The drift tables on units' reports built in memory: a figure computed from a total that lacks a
unit lacks it too, and settings without an income line give no figure rather than a 0."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from vss_excel.keys import RESULTAT, Drift, drift
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
    from vss_excel import calc
    from vss_excel.keys import SUMMA_KOSTNADER

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
