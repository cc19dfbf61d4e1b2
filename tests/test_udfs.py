"""Contract of the Excel functions: what Excel passes in, what the cell shows."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal as D

import pytest

from vss_excel import calc
from vss_excel.excel import udfs
from vss_excel.excel.build import xlwings_api

# What Excel (through xlwings' default converter) hands a UDF, as xlwings' own UDF tests list
# them: a float for a number, None for an empty cell, a str for text, a datetime for a date,
# a flat list for a one-row or one-column range, a list of lists for a block; an error cell
# arrives as COM's negative code (or as '#N/A' text with err_to_str).
EMPTY, TEXT, DATE = None, "xlwings", dt.datetime(2015, 1, 15)
NA_COM, NA_TEXT = -2146826246, "#N/A"


def test_avvikelse_with_values_excel_passes():
    assert udfs.VSS_AVVIKELSE(1200.0, 1000.0) == 200.0
    assert udfs.VSS_AVVIKELSE(-800.0, -1000.0) == 200.0  # cost below budget: positive
    assert udfs.VSS_AVVIKELSE(EMPTY, 1000.0) == ""  # nothing to compare yet: empty cell
    assert udfs.VSS_AVVIKELSE(5.0, EMPTY) == 5.0
    assert udfs.VSS_AVVIKELSE([[1200.0]], [1000.0]) == 200.0  # one-cell ranges
    assert udfs.VSS_AVVIKELSE_PROCENT(900.0, 1000.0) == -10.0
    assert udfs.VSS_AVVIKELSE_PROCENT(900.0, 0.0) == ""


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ((TEXT, 1.0), "inte texten 'xlwings'"),
        ((DATE, 1.0), "inte ett datum"),
        ((True, 1.0), "SANT/FALSKT"),
        ((NA_COM, 1.0), "innehåller ett fel"),
        ((NA_TEXT, 1.0), "innehåller ett fel"),
        (([1.0, 2.0], 1.0), "en cell, inte ett område"),
        ((float("nan"), 1.0), "inget ändligt tal"),
    ],
)
def test_bad_input_gives_an_excel_error_text_not_a_traceback(args, needle):
    out = udfs.VSS_AVVIKELSE(*args)
    assert isinstance(out, str) and out.startswith("#VÄRDEFEL! ") and needle in out
    assert "Traceback" not in out and "Error" not in out


def test_forecasts_match_calc():
    assert udfs.VSS_PROGNOS_UTFALLSTAKT(1000.0, 10.0) == 1200.0
    assert udfs.VSS_PROGNOS_UTFALLSTAKT(1000.0, 13.0).startswith("#VÄRDEFEL! Månader")
    assert udfs.VSS_PROGNOS_UTFALLSTAKT(1000.0, EMPTY).startswith("#VÄRDEFEL! Månader saknas")
    assert udfs.VSS_PROGNOS_BUDGETREST(900.0, 1200.0, 1000.0) == 1100.0
    assert udfs.VSS_PROGNOS_SASONG(500.0, 400.0, 1000.0) == 1250.0
    assert udfs.VSS_PROGNOS_SASONG(500.0, 0.0, 1000.0) == ""
    assert udfs.VSS_PROGNOS("Budgetrest", 900.0, 10.0, 1200.0, 1000.0) == 1100.0
    assert udfs.VSS_PROGNOS("säsong", 500.0, 10.0, EMPTY, EMPTY, 400.0, 1000.0) == 1250.0
    assert udfs.VSS_PROGNOS("utfallstakt", 600.0, 6.0) == 1200.0
    assert "Okänd prognosmetod 'gissa'" in udfs.VSS_PROGNOS("gissa", 1.0, 1.0)
    assert udfs.VSS_PROGNOS(EMPTY, 1.0, 1.0).startswith("#VÄRDEFEL! Metod")


def test_forecast_from_monthly_ranges_as_excel_passes_them():
    last = [100.0] * 6 + [300.0] * 6
    this_row = [110.0] * 6 + [None] * 6  # a one-row range: a flat list, empty months None
    want = float(calc.forecast_from_months([D(110)] * 6, [D(x) for x in (100,) * 6 + (300,) * 6]))
    assert udfs.VSS_PROGNOS_MANADER(this_row, last) == want
    column = [[v] for v in this_row]  # a one-column range read as 2D
    assert udfs.VSS_PROGNOS_MANADER(column, [[v] for v in last]) == want
    assert udfs.VSS_PROGNOS_MANADER(this_row, last[:11]).startswith("#VÄRDEFEL!")


def test_significance_and_tkr():
    assert udfs.VSS_VASENTLIG(-500_000.0, 0.0, 500.0, 10.0) is True
    assert udfs.VSS_VASENTLIG(-499_999.0, 0.0, 500.0, 10.0) is False
    assert udfs.VSS_VASENTLIG(100_000.0, -1_000_000.0, 500.0, 10.0) is True
    assert udfs.VSS_VASENTLIG(100_000.0, -1_000_000.0, 500.0, EMPTY) is False  # no % rule
    assert udfs.VSS_VASENTLIG(1.0, 1.0, EMPTY).startswith("#VÄRDEFEL! Tröskel tkr saknas")
    assert udfs.VSS_TKR(2500.0) == 3 and udfs.VSS_TKR(-2500.0) == -3  # like Excel's ROUND
    assert udfs.VSS_TKR(-400.0) == 0 and str(udfs.VSS_TKR(-400.0)) == "0"  # never −0
    assert udfs.VSS_TKR(EMPTY) == ""


def test_xlwings_real_decorators_describe_every_function_in_swedish():
    module = xlwings_api.decorated_udfs()
    names = [f.__name__ for f in udfs.UDFS]
    assert all(n.startswith("VSS_") for n in names)
    for name in names:
        info = getattr(module, name).__xlfunc__
        assert info["name"] == name and info["category"] == udfs.CATEGORY and not info["sub"]
        assert info["ret"]["doc"] and "Python function" not in info["ret"]["doc"]
        params = list(inspect.signature(getattr(udfs, name)).parameters)
        assert [a["name"] for a in info["args"]] == params
        for a in info["args"]:
            assert not a["doc"].startswith("Positional argument"), (name, a["name"])
    optional = {a["name"] for a in module.VSS_PROGNOS.__xlfunc__["args"] if "optional" in a}
    assert optional == {"budget_helar", "budget_period", "fg_period", "fg_helar"}


def test_the_wrapper_module_is_xlwings_own():
    vba = xlwings_api.udf_wrapper_vba()
    assert vba.startswith('Attribute VB_Name = "xlwings_udfs"')
    for f in udfs.UDFS:
        assert f"Function {f.__name__}(" in vba
        assert f'XLPy.CallUDF("vss_excel.excel.udfs", "{f.__name__}", ' in vba
    assert "Optional budget_helar" in vba
