"""The investment table on units' reports built in memory: the totals add up by kind, and a
value that is missing is never left out of a total without a mark."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from vss_excel import keys as K
from vss_excel.keys import Invest, invest, open_investment
from vss_excel.konsolidera import tables as T
from vss_excel.model import Forvaltning, UnitReport

SUMMED = T.INVEST_SUMMED
SUMMA, UTG, INK = ((T.TOTAL, k) for k in (K.INVEST_SUMMA, K.INVEST_VARAV_UTGIFTER, K.INVEST_VARAV_INKOMSTER))


def reports(forv: Forvaltning, values=None, gaps=None, unit: str = "lkdata") -> dict[str, UnitReport]:
    out = {u.id: UnitReport(u.id, forv.period, f"{u.id}.xlsx", {}, {}) for u in forv.units}
    out[unit] = UnitReport(unit, forv.period, f"{unit}.xlsx", values or {}, gaps or {})
    return out


def test_open_rows_with_their_own_gaps_each_stay_marked(forv):
    gaps = {
        invest(open_investment(1), Invest.PROGNOS_UTGIFTER): "texten 'ca 5 mkr' är inget tal",
        invest(open_investment(2), Invest.PROGNOS_INKOMSTER): "felvärdet #REF!",
    }
    inv = T.investeringar(forv, reports(forv, gaps=gaps)).figures
    assert ("lkdata", open_investment(1)) in inv.rows and ("lkdata", open_investment(2)) in inv.rows
    assert dict(inv.lacks(SUMMA, Invest.PROGNOS_UTGIFTER)) == {"lkdata": "texten 'ca 5 mkr' är inget tal"}
    assert dict(inv.lacks(SUMMA, Invest.PROGNOS_INKOMSTER)) == {"lkdata": "felvärdet #REF!"}


def test_open_rows_alike_are_one_row(forv):
    why = "ingen användbar fil inlämnad"
    gaps = {
        invest(open_investment(i), c): why
        for i in range(1, forv.open_investment_rows + 1)
        for c in (Invest.PROGNOS_UTGIFTER, Invest.PROGNOS_INKOMSTER)
    }
    d = T.investeringar(forv, reports(forv, gaps=gaps, unit="hrservice"))
    assert [r for r in d.figures.rows if r[0] == "hrservice"] == [("hrservice", K.OPEN_INVESTMENT)]
    assert d.texts[("hrservice", K.OPEN_INVESTMENT)]["projekt"] == "nya projekt: uppgift saknas"
    assert dict(d.figures.lacks(SUMMA, Invest.PROGNOS_NETTO)) == {"hrservice": why}


amounts = st.one_of(st.none(), st.integers(-(10**9), 10**9).map(D))


# LKDATA's project and its first open row, and another unit's first open row (each named, so
# it counts): any value or gap in each summed column.
ITEMS = (("lkdata", "lkdata-it"), ("lkdata", open_investment(1)), ("hrservice", open_investment(1)))
CELLS = len(ITEMS) * len(SUMMED)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(amounts, st.booleans()), min_size=CELLS, max_size=CELLS))
def test_summa_is_varav_utgifter_plus_varav_inkomster_in_every_column(forv, cells):
    named = {invest(open_investment(1), Invest.PROJEKT): "Nytt projekt"}
    values = {u: dict(named) for u, _ in ITEMS}
    gaps: dict[str, dict] = {u: {} for u, _ in ITEMS}
    accepted: dict[str, list[D]] = {c: [] for c in SUMMED}
    refused: dict[str, set[str]] = {c: set() for c in SUMMED}
    cases = [(u, i, c) for u, i in ITEMS for c in SUMMED]
    for (amount, is_refused), (unit, item, column) in zip(cells, cases, strict=True):
        if is_refused:
            gaps[unit][invest(item, column)] = "ej godtaget"
            refused[column].add(unit)
        elif amount is not None:
            values[unit][invest(item, column)] = amount
            accepted[column].append(amount)
    reps = reports(forv)
    reps.update({u: UnitReport(u, forv.period, f"{u}.xlsx", values[u], gaps[u]) for u in values})
    inv = T.investeringar(forv, reps).figures
    # Netto and avvikelse over the rows that have every figure they need, by hand: an incomplete
    # total compares like with like.
    netto, avvikelse = D(0), D(0)
    netto_rows = avvikelse_rows = 0
    for unit, item in ITEMS:
        got = {c: values[unit].get(invest(item, c)) for c in SUMMED}
        bad = {c for c in SUMMED if invest(item, c) in gaps[unit]}
        utg, ink, ram = (
            got[c] for c in (Invest.PROGNOS_UTGIFTER, Invest.PROGNOS_INKOMSTER, Invest.INVESTERINGSRAM)
        )
        if bad & {Invest.PROGNOS_UTGIFTER, Invest.PROGNOS_INKOMSTER} or (utg is None and ink is None):
            continue
        row_netto = (utg or D(0)) - (ink or D(0))
        netto, netto_rows = netto + row_netto, netto_rows + 1
        if Invest.INVESTERINGSRAM not in bad:
            avvikelse, avvikelse_rows = avvikelse + (ram or D(0)) - row_netto, avvikelse_rows + 1
    assert inv.value(SUMMA, Invest.PROGNOS_NETTO) == (netto if netto_rows else None)
    assert inv.value(SUMMA, Invest.AVVIKELSE) == (avvikelse if avvikelse_rows else None)
    for c in SUMMED:
        # What Summa must show, added up here rather than by the code under test.
        expected = sum(accepted[c], D(0)) if accepted[c] else None
        assert inv.value(SUMMA, c) == expected, (c, accepted[c])
        assert {u for u, _ in inv.lacks(SUMMA, c)} == refused[c], c
    for c in inv.columns:
        total, parts = inv.value(SUMMA, c), (inv.value(UTG, c), inv.value(INK, c))
        if total is None:
            assert None in parts, c  # a part never shows a figure the total cannot
        else:
            assert None not in parts and total == parts[0] + parts[1], (c, total, parts)
        assert dict(inv.lacks(SUMMA, c)) == dict(inv.lacks(UTG, c)) | dict(inv.lacks(INK, c)), c
