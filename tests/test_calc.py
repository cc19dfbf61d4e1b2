from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_excel import calc

amounts = st.decimals(min_value=-(10**10), max_value=10**10, places=2, allow_nan=False, allow_infinity=False)


def test_avvikelse_is_actual_minus_budget_and_positive_is_better():
    # Intäkter above budget and kostnader below budget are both better: positive.
    assert calc.avvikelse(D(1200), D(1000)) == D(200)
    assert calc.avvikelse(D(-800), D(-1000)) == D(200)
    assert calc.avvikelse(D(-1200), D(-1000)) == D(-200)
    assert calc.avvikelse(None, D(5)) is None
    assert calc.avvikelse(D(5), None) == D(5)


def test_avvikelse_percent():
    assert calc.avvikelse_percent(D(-200), D(-1000)) == D(-20)
    assert calc.avvikelse_percent(D(50), D(0)) is None
    assert calc.avvikelse_percent(None, D(10)) is None


@pytest.mark.parametrize(
    ("kronor", "tkr"),
    [
        (D(500), 1),
        (D(499), 0),
        (D(-500), -1),
        (D(-499), 0),
        (D(1500), 2),
        (D(2500), 3),
        (D("-0.4"), 0),
        (D(-1500), -2),
        (D("191600"), 192),
        (D("-623400"), -623),
    ],
)
def test_round_tkr_half_away_from_zero_like_excel(kronor, tkr):
    assert calc.round_tkr(kronor) == tkr


def test_no_negative_zero():
    r = calc.round_half_up(D("-0.4"))
    assert r == 0 and not r.is_signed()


@given(amounts)
def test_rounding_is_symmetric(x):
    assert calc.round_tkr(-x) == -calc.round_tkr(x)


@given(amounts)
def test_rounding_error_at_most_half_tkr(x):
    assert abs(D(calc.round_tkr(x)) * 1000 - x) <= 500


@given(st.lists(amounts, min_size=1, max_size=30))
def test_total_rounded_once_differs_from_sum_of_rounded_rows_by_at_most_half_the_rows(xs):
    exact = calc.round_tkr(sum(xs, D(0)))
    rows = sum(calc.round_tkr(x) for x in xs)
    # each row is off by at most 0.5 tkr and the total by at most 0.5: never more.
    assert abs(exact - rows) <= (len(xs) + 1) // 2


def test_rounding_difference_exists_and_is_not_an_error():
    # The delårsrapport's jan–okt column: rows that round to 9 963 total, exact sum rounds to 9 962.
    rows = [
        D(x)
        for x in (
            "-623400",
            "118600",
            "-283000",
            "191600",
            "1999000",
            "74000",
            "-710000",
            "9196000",
            "-1000",
        )
    ]
    assert sum(calc.round_tkr(r) for r in rows) == 9963
    assert calc.round_tkr(sum(rows, D(0))) == 9962


@given(amounts, amounts)
def test_cost_row_sign(prognos_cost, budget_cost):
    # On kostnader rows (negative), spending less than budget is a positive avvikelse.
    p, b = -abs(prognos_cost), -abs(budget_cost)
    dev = calc.avvikelse(p, b)
    assert dev is not None
    assert (dev > 0) == (abs(p) < abs(b))


@given(amounts, amounts)
def test_budget_remainder_lands_on_budget_when_on_track(utfall, budget_helar):
    # utfall exactly on budget for the period -> forecast equals budget helår.
    assert calc.forecast_budget_remainder(utfall, budget_helar, utfall) == budget_helar


def test_forecasts():
    assert calc.forecast_run_rate(D(1000), 10) == D(1200)
    assert calc.forecast_budget_remainder(D(900), D(1200), D(1000)) == D(1100)
    assert calc.forecast_seasonal(D(500), D(400), D(1000)) == D(1250)
    assert calc.forecast_seasonal(D(500), D(0), D(1000)) is None
    assert calc.forecast("Utfallstakt", D(600), months=6) == D(1200)
    assert calc.forecast("säsong", D(500), months=10, last_year_period=D(400), last_year_full=D(1000)) == D(
        1250
    )
    with pytest.raises(ValueError, match="Okänd prognosmetod"):
        calc.forecast("gissning", D(1), months=1)


def test_forecast_from_months_uses_last_years_profile():
    last = [D(100)] * 6 + [D(300)] * 6  # heavy second half
    this = [D(110)] * 6 + [None] * 6
    assert calc.forecast_from_months(this, last) == D(660) * D(2400) / D(600)
    assert calc.forecast_from_months([None] * 12, last) is None


@given(amounts)
def test_run_rate_at_year_end_is_utfall(x):
    assert calc.forecast_run_rate(x, 12) == x


def test_significance():
    t, pct = D(500), D(10)
    assert calc.is_significant(D(-500_000), D(0), t, pct)
    assert not calc.is_significant(D(-499_999), D(0), t, pct)  # budget 0: only the tkr rule
    assert calc.is_significant(D(100_000), D(-1_000_000), t, pct)  # 10 % of |budget|
    assert not calc.is_significant(D(99_999), D(-1_000_000), t, pct)
    assert not calc.is_significant(None, D(1), t, pct)


@given(amounts, amounts)
def test_significance_is_sign_blind(dev, budget):
    t, pct = D(500), D(5)
    assert calc.is_significant(dev, budget, t, pct) == calc.is_significant(-dev, -budget, t, pct)


@given(st.lists(st.one_of(st.none(), amounts), max_size=8))
def test_total_of_all_is_the_total_only_when_nothing_is_missing(values):
    whole = calc.total_of_all(values)
    if values and None not in values:
        assert whole == calc.total(values) == sum(values)
    else:
        assert whole is None


def test_total_and_investments():
    assert calc.total([None, None]) is None
    assert calc.total([D(1), None, D(2)]) == D(3)
    assert calc.investment_netto(D(45_000_000), D(0)) == D(45_000_000)
    # 45 mkr prognos under a 60 mkr ram: +15 mkr, better than budget.
    assert calc.investment_avvikelse(D(60_000_000), D(45_000_000)) == D(15_000_000)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Tertial 1", dt.date(2020, 4, 30)),
        ("Tertial 2", dt.date(2020, 8, 31)),
        ("Tertial 3", dt.date(2020, 12, 31)),
        ("Löpande under året", dt.date(2020, 12, 31)),
        ("Jan 2020", dt.date(2020, 1, 31)),
        ("April 2020", dt.date(2020, 4, 30)),
        ("december", dt.date(2020, 12, 31)),
        ("2020-06-15", dt.date(2020, 6, 15)),
        ("snart", None),
    ],
)
def test_deadline_date(text, date):
    assert calc.deadline_date(text, 2020) == date
