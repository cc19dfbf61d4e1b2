"""Figures as the report prints them: whole tkr, a space between thousands, a real minus sign.

The thousands separator is a no-break space and the minus sign U+2212, so a figure never breaks
over two lines and a screen reader says "minus" (the source report's hyphen it may skip). A figure
that is missing is never printed as 0: "saknas" where a value is missing or was not accepted,
"–" where there is no figure (as the report's "-"), "N/A" where a measure does not apply.
"""

from __future__ import annotations

from decimal import Decimal

from ... import calc
from ...keys import Measure

NBSP = "\u00a0"
MINUS = "\u2212"
NO_FIGURE = "–"
NOT_APPLICABLE = "N/A"
MISSING = "saknas"
MARK = "*"  # after a total that lacks units; the note under the table says which


def empty_text(column: str) -> str:
    """What an empty figure (no gap) shows: N/A for last year's, the measure did not exist then."""
    return NOT_APPLICABLE if column == Measure.UTFALL_FG else NO_FIGURE


def integer(n: int) -> str:
    """6339 -> '6 339', -1100 -> '−1 100'."""
    text = f"{abs(n):,}".replace(",", NBSP)
    return MINUS + text if n < 0 else text


def decimal(v: Decimal, places: int = 1) -> str:
    """5.04 -> '5,0' (half away from zero, as Excel's ROUND)."""
    r = calc.round_half_up(v, places)
    whole, _, frac = f"{abs(r):.{places}f}".partition(".")
    text = integer(int(whole)) + ("," + frac if frac else "")
    return MINUS + text if r < 0 else text


def tkr(kronor: Decimal | None, gap: str = "", marked: bool = False, empty: str = NO_FIGURE) -> str:
    """An amount in whole tkr, rounded once from exact kronor."""
    if gap:
        return MISSING
    if kronor is None:
        return empty
    return integer(calc.round_tkr(kronor)) + (MARK if marked else "")


def count(v: Decimal | None, gap: str = "", marked: bool = False, empty: str = NO_FIGURE) -> str:
    """A number of things (ärenden, anställda): whole if it is whole, else one decimal."""
    if gap:
        return MISSING
    if v is None:
        return empty
    text = integer(int(v)) if v == v.to_integral_value() else decimal(v)
    return text + (MARK if marked else "")


def percent(v: Decimal | None, gap: str = "", marked: bool = False, empty: str = NO_FIGURE) -> str:
    """A percentage with one decimal, without the sign (the row says it is in %)."""
    if gap:
        return MISSING
    if v is None:
        return empty
    return decimal(v) + (MARK if marked else "")
