"""Pure calculations: deviations, forecasts, significance, tkr rounding. No I/O.

Amounts are kronor as Decimal, in result view (intäkter positive, kostnader negative).
`None` is an empty cell; the functions mirror the unit workbook's formulas, which
leave a result empty when the figure it starts from is empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from .model import MONTH_ABBR, MONTH_NAME

Amount = Decimal | None

ZERO = Decimal(0)


def n(x: Amount) -> Decimal:
    """Excel's N(): an empty cell counts as zero."""
    return ZERO if x is None else x


def avvikelse(actual: Amount, budget: Amount) -> Amount:
    """Utfall (or prognos) − budget: positive is better than budget, on every row."""
    if actual is None:
        return None
    return actual - n(budget)


def avvikelse_percent(deviation: Amount, budget: Amount) -> Decimal | None:
    """Avvikelse in % of |budget|; None where the budget is empty or zero."""
    if deviation is None or budget is None or budget == 0:
        return None
    return deviation / abs(budget) * 100


def total(values: Iterable[Amount]) -> Amount:
    """Sum of the non-empty values; empty when all are empty (like the workbook's sums)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, ZERO)


def total_of_all(values: Iterable[Amount]) -> Amount:
    """Sum when every value is there; empty when one is missing (the previous prognos of a line
    that had none: a partial sum would pass for the unit's whole)."""
    present: list[Decimal] = []
    for v in values:
        if v is None:
            return None
        present.append(v)
    return sum(present, ZERO) if present else None


def change(new: Amount, old: Amount) -> Amount:
    """How much a figure moved (a prognos since the previous one); empty when either is empty."""
    if new is None or old is None:
        return None
    return new - old


def investment_netto(utgifter: Amount, inkomster: Amount) -> Amount:
    """Netto = utgifter − inkomster (investment tables show utgifter as positive)."""
    if utgifter is None and inkomster is None:
        return None
    return n(utgifter) - n(inkomster)


def investment_avvikelse(ram: Amount, netto: Amount) -> Amount:
    """Investeringsram − prognos netto: positive means under the ram, i.e. better."""
    if netto is None:
        return None
    return n(ram) - netto


# --- forecasts ---------------------------------------------------------------------------


def forecast_run_rate(utfall: Amount, months: int) -> Amount:
    """Utfallstakt: utfall × 12 / months."""
    if utfall is None:
        return None
    if not 1 <= months <= 12:
        raise ValueError("Månader ska vara 1–12.")
    return utfall * 12 / months


def forecast_budget_remainder(utfall: Amount, budget_helar: Amount, budget_period: Amount) -> Amount:
    """Budgetrest: utfall + (budget helår − budget period)."""
    if utfall is None:
        return None
    return utfall + n(budget_helar) - n(budget_period)


def forecast_seasonal(utfall: Amount, last_year_period: Amount, last_year_full: Amount) -> Amount:
    """Säsong: utfall ÷ (share of last year's full year reached by the same month)."""
    if utfall is None or last_year_period is None or last_year_full is None:
        return None
    if last_year_period == 0:
        return None
    return utfall * last_year_full / last_year_period


FORECAST_METHODS = ("utfallstakt", "budgetrest", "säsong")


def forecast(
    method: str,
    utfall: Amount,
    *,
    months: int,
    budget_helar: Amount = None,
    budget_period: Amount = None,
    last_year_period: Amount = None,
    last_year_full: Amount = None,
) -> Amount:
    """The chooser by method name (Swedish names as in FORECAST_METHODS)."""
    key = method.strip().lower()
    if key == "utfallstakt":
        return forecast_run_rate(utfall, months)
    if key == "budgetrest":
        return forecast_budget_remainder(utfall, budget_helar, budget_period)
    if key in ("säsong", "sasong"):
        return forecast_seasonal(utfall, last_year_period, last_year_full)
    raise ValueError(f"Okänd prognosmetod '{method}': välj {', '.join(FORECAST_METHODS)}.")


def forecast_from_months(months: Sequence[Amount], last_year_months: Sequence[Amount]) -> Amount:
    """Forecast from this year's monthly figures, seasonal profile from last year's twelve."""
    done = [m for m in months if m is not None]
    if not done:
        return None
    count = len(done)
    last = [n(m) for m in last_year_months]
    if len(last) != 12:
        raise ValueError("Föregående år behöver tolv månader.")
    return forecast_seasonal(sum(done, ZERO), sum(last[:count], ZERO), sum(last, ZERO))


# --- significance and rounding -----------------------------------------------------------


def is_significant(deviation: Amount, budget: Amount, threshold_tkr: Decimal, threshold_pct: Decimal) -> bool:
    """Väsentlig avvikelse: |avvikelse| ≥ threshold in tkr, or ≥ threshold % of |budget|."""
    if deviation is None:
        return False
    size = abs(deviation)
    if size >= threshold_tkr * 1000:
        return True
    b = n(budget)
    return b != 0 and size >= abs(b) * threshold_pct / 100


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Excel's ROUND: halves away from zero; never banker's rounding. −0 becomes 0."""
    q = Decimal(1).scaleb(-places)
    r = value.quantize(q, rounding=ROUND_HALF_UP)
    return abs(r) if r == 0 else r


def round_tkr(kronor: Decimal) -> int:
    """Kronor shown in whole tkr, half away from zero, no −0."""
    return int(round_half_up(kronor / 1000))


def tkr(kronor: Amount) -> int | None:
    return None if kronor is None else round_tkr(kronor)


# --- slutdatum ---------------------------------------------------------------------------

_TERTIAL_END = {1: (4, 30), 2: (8, 31), 3: (12, 31)}


def deadline_date(text: str, year: int) -> dt.date | None:
    """The last day an activity's slutdatum allows: 'Tertial 2', 'April 2020', 'Löpande…'."""
    t = " ".join(text.lower().split())
    m = re.fullmatch(r"tertial\s*([123])(?:\s+(\d{4}))?", t)
    if m:
        month, day = _TERTIAL_END[int(m.group(1))]
        return dt.date(int(m.group(2) or year), month, day)
    if t.startswith("löpande"):
        return dt.date(year, 12, 31)
    m = re.fullmatch(r"([a-zåäö]+)\.?\s*(\d{4})?", t)
    if m:
        word = m.group(1)
        for i, (abbr, name) in enumerate(zip(MONTH_ABBR, MONTH_NAME, strict=True)):
            if word in (abbr, name) or (len(word) >= 3 and name.startswith(word)):
                y = int(m.group(2) or year)
                nxt = dt.date(y + (i == 11), (i + 1) % 12 + 1, 1)
                return nxt - dt.timedelta(days=1)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None
