"""Excel functions (UDFs) through xlwings: thin wrappers over calc.

They take what Excel passes (floats, None for an empty cell, lists of lists for ranges,
datetimes, error values) and answer a number, an empty text for an empty result, or an
Excel-style error text ("#VÄRDEFEL! …") for bad input, never a Python traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import xlwings as xw

from .. import calc

CATEGORY = "VSS uppföljning"
ERROR = "#VÄRDEFEL!"
_F = TypeVar("_F", bound=Callable[..., Any])


class BadInput(ValueError):
    """An argument Excel passed that the function cannot use; the message is Swedish."""


# Each function's parameters and their help, in order: Excel's function wizard shows it, in the
# classic workbook (xlwings' arg decorator) and in xlwings Lite (lite.py reads it from here).
ARG_DOCS: dict[str, dict[str, str]] = {}


def _args(**docs: str) -> Callable[[_F], _F]:
    """The parameters' help, for both workbooks."""

    def inner(f: _F) -> _F:
        ARG_DOCS[f.__name__] = docs
        for name, doc in docs.items():
            f = xw.arg(name, doc=doc)(f)
        return f

    return inner


def _excel(f: _F) -> _F:
    """Turn bad input and calc's errors into an Excel-style error text in the cell."""

    @functools.wraps(f)
    def inner(*args: Any) -> Any:
        try:
            return f(*args)
        except (BadInput, ValueError, ArithmeticError) as e:
            return f"{ERROR} {e}"

    return inner  # type: ignore[return-value]


def _is_error(x: object) -> bool:
    # COM passes an error cell as a negative int code; xlwings' err_to_str as '#N/A' etc.
    return (isinstance(x, int) and not isinstance(x, bool) and x <= -2146826200) or (
        isinstance(x, str) and x.startswith("#")
    )


def _single(x: object, name: str) -> object:
    """A one-cell range arrives as a value, or as [[value]] / [value]."""
    while isinstance(x, list | tuple):
        if len(x) != 1:
            raise BadInput(f"{name} ska vara en cell, inte ett område.")
        x = x[0]
    return x


def amount(x: object, name: str) -> Decimal | None:
    """An Excel argument as an exact amount; None for an empty cell."""
    x = _single(x, name)
    if x is None or x == "":
        return None
    if _is_error(x):
        raise BadInput(f"{name} innehåller ett fel ({x}).")
    if isinstance(x, bool):
        raise BadInput(f"{name} ska vara ett tal, inte SANT/FALSKT.")
    if isinstance(x, dt.date | dt.time):
        raise BadInput(f"{name} ska vara ett tal, inte ett datum.")
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        if x != x or x in (float("inf"), float("-inf")):
            raise BadInput(f"{name} är inget ändligt tal.")
        return Decimal(repr(x))
    raise BadInput(f"{name} ska vara ett tal, inte texten '{x}'.")


def _required(x: object, name: str) -> Decimal:
    v = amount(x, name)
    if v is None:
        raise BadInput(f"{name} saknas.")
    return v


def _months(x: object) -> int:
    v = _required(x, "Månader")
    if v != v.to_integral_value() or not 1 <= v <= 12:
        raise BadInput("Månader ska vara ett heltal 1–12.")
    return int(v)


def _out(v: Decimal | None) -> float | str:
    return "" if v is None else float(v)


def _row(x: object, name: str) -> list[Decimal | None]:
    """A range of monthly figures (one row or one column) as a flat list."""
    if not isinstance(x, list | tuple):
        x = [x]
    flat: list[object] = []
    for item in x:
        flat.extend(item if isinstance(item, list | tuple) else [item])
    return [amount(v, name) for v in flat]


@xw.func(category=CATEGORY)
@_args(
    utfall="Utfall eller prognos i kronor (resultattecken).",
    budget="Budget för samma period i kronor.",
)
@_excel
def VSS_AVVIKELSE(utfall: Any, budget: Any) -> Any:
    """Avvikelse = utfall − budget; positiv är bättre än budget, också på kostnadsrader."""
    return _out(calc.avvikelse(amount(utfall, "Utfall"), amount(budget, "Budget")))


@xw.func(category=CATEGORY)
@_args(
    utfall="Utfall eller prognos i kronor.",
    budget="Budget i kronor; tom eller 0 ger tomt svar.",
)
@_excel
def VSS_AVVIKELSE_PROCENT(utfall: Any, budget: Any) -> Any:
    """Avvikelse i procent av budgetens belopp (utan tecken)."""
    b = amount(budget, "Budget")
    return _out(calc.avvikelse_percent(calc.avvikelse(amount(utfall, "Utfall"), b), b))


@xw.func(category=CATEGORY)
@_args(
    utfall="Utfall hittills i år i kronor.",
    manader="Antal månader utfallet gäller (1–12).",
)
@_excel
def VSS_PROGNOS_UTFALLSTAKT(utfall: Any, manader: Any) -> Any:
    """Prognos helår enligt utfallstakt: utfall × 12 / månader."""
    return _out(calc.forecast_run_rate(amount(utfall, "Utfall"), _months(manader)))


@xw.func(category=CATEGORY)
@_args(
    utfall="Utfall hittills i år i kronor.",
    budget_helar="Budget för helåret i kronor.",
    budget_period="Budget för samma period som utfallet i kronor.",
)
@_excel
def VSS_PROGNOS_BUDGETREST(utfall: Any, budget_helar: Any, budget_period: Any) -> Any:
    """Prognos helår enligt budgetrest: utfall + budget helår − budget för perioden."""
    return _out(
        calc.forecast_budget_remainder(
            amount(utfall, "Utfall"),
            amount(budget_helar, "Budget helår"),
            amount(budget_period, "Budget period"),
        )
    )


@xw.func(category=CATEGORY)
@_args(
    utfall="Utfall hittills i år i kronor.",
    fg_period="Föregående års utfall för samma period.",
    fg_helar="Föregående års utfall för helåret.",
)
@_excel
def VSS_PROGNOS_SASONG(utfall: Any, fg_period: Any, fg_helar: Any) -> Any:
    """Prognos helår med föregående års säsongsmönster: utfall ÷ (fg period / fg helår)."""
    return _out(
        calc.forecast_seasonal(
            amount(utfall, "Utfall"),
            amount(fg_period, "Föregående period"),
            amount(fg_helar, "Föregående helår"),
        )
    )


@xw.func(category=CATEGORY)
@_args(
    metod='"utfallstakt", "budgetrest" eller "säsong".',
    utfall="Utfall hittills i år i kronor.",
    manader="Antal månader utfallet gäller (1–12).",
    budget_helar="Budget helår (för budgetrest).",
    budget_period="Budget för perioden (för budgetrest).",
    fg_period="Föregående års utfall samma period (för säsong).",
    fg_helar="Föregående års utfall helår (för säsong).",
)
@_excel
def VSS_PROGNOS(
    metod: Any,
    utfall: Any,
    manader: Any,
    budget_helar: Any = None,
    budget_period: Any = None,
    fg_period: Any = None,
    fg_helar: Any = None,
) -> Any:
    """Prognos helår med vald metod: utfallstakt, budgetrest eller säsong."""
    method = _single(metod, "Metod")
    if not isinstance(method, str) or not method.strip():
        raise BadInput("Metod ska vara utfallstakt, budgetrest eller säsong.")
    return _out(
        calc.forecast(
            method,
            amount(utfall, "Utfall"),
            months=_months(manader),
            budget_helar=amount(budget_helar, "Budget helår"),
            budget_period=amount(budget_period, "Budget period"),
            last_year_period=amount(fg_period, "Föregående period"),
            last_year_full=amount(fg_helar, "Föregående helår"),
        )
    )


@xw.func(category=CATEGORY)
@_args(
    manader_i_ar="Årets månadsutfall (1–12 celler; tomma för månader som inte har kommit).",
    manader_fg="Föregående års tolv månadsutfall (säsongsprofilen).",
)
@_excel
def VSS_PROGNOS_MANADER(manader_i_ar: Any, manader_fg: Any) -> Any:
    """Prognos helår från månadsutfall, med föregående års månader som säsongsprofil."""
    this_year = _row(manader_i_ar, "Årets månader")
    last_year = _row(manader_fg, "Föregående års månader")
    if len(this_year) > 12 or len(last_year) != 12:
        raise BadInput("Ange högst tolv månader i år och exakt tolv för föregående år.")
    return _out(calc.forecast_from_months(this_year, last_year))


@xw.func(category=CATEGORY)
@_args(
    avvikelse="Avvikelsen i kronor.",
    budget="Budgeten avvikelsen gäller, i kronor.",
    troskel_tkr="Gräns i tkr; en avvikelse minst så stor är väsentlig.",
    troskel_procent="Gräns i procent av budget; tom = bara tkr-gränsen.",
)
@_excel
def VSS_VASENTLIG(avvikelse: Any, budget: Any, troskel_tkr: Any, troskel_procent: Any = None) -> Any:
    """SANT om avvikelsen är väsentlig: minst gränsen i tkr, eller minst gränsen i % av budget."""
    pct = amount(troskel_procent, "Tröskel procent")
    return calc.is_significant(
        amount(avvikelse, "Avvikelse"),
        amount(budget, "Budget"),
        _required(troskel_tkr, "Tröskel tkr"),
        Decimal(10**9) if pct is None else pct,
    )


@xw.func(category=CATEGORY)
@_args(kronor="Belopp i kronor.")
@_excel
def VSS_TKR(kronor: Any) -> Any:
    """Belopp i hela tkr, avrundat som Excels AVRUNDA (hälften bort från noll), aldrig −0."""
    v = amount(kronor, "Belopp")
    return "" if v is None else calc.round_tkr(v)


UDFS = (
    VSS_AVVIKELSE,
    VSS_AVVIKELSE_PROCENT,
    VSS_PROGNOS_UTFALLSTAKT,
    VSS_PROGNOS_BUDGETREST,
    VSS_PROGNOS_SASONG,
    VSS_PROGNOS,
    VSS_PROGNOS_MANADER,
    VSS_VASENTLIG,
    VSS_TKR,
)
