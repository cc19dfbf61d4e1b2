"""The Konsolidering workbook: every result sheet described once, written with XlsxWriter (the
CLI) or shown in the open workbook (the Konsolidera button, through xlwings).

Amounts are written as whole tkr, each rounded once from exact kronor; every text a unit wrote
is written as text, never as a formula. Written to a temporary file, renamed into place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import xlsxwriter

from .. import collector, files
from ..enhetsmall.reader import SourceFile
from ..konsolidera.tables import Tables
from ..model import Finding, Forvaltning, Period, UnitReport
from . import (
    aktiviteter,
    analys,
    driftsammandrag,
    ekonomi,
    investeringar,
    kallor,
    kontroll,
    personal,
    texter,
    volymer,
)
from .sheet import Sheet
from .xlsx import render


# Both make tens of thousands of small objects (a thousand units' cells) beside the run's results:
# the cyclic collector's full collections would scan those results again and again, for nothing.
@collector.paused()
def describe(
    forv: Forvaltning,
    period: Period,
    tables: Tables,
    findings: Sequence[Finding],
    sources: Sequence[SourceFile],
    reasons: Mapping[str, str],
    reports: Mapping[str, UnitReport],
    out_dir: Path,
    texts: Mapping[str, str] | None = None,
) -> list[Sheet]:
    """Every result sheet, in order; `texts` are the förvaltning's own, kept from the last run."""
    return [
        driftsammandrag.describe(forv, period, tables, dict(reports)),
        ekonomi.describe(forv, period, tables),
        investeringar.describe(forv, period, tables),
        volymer.describe(forv, period, tables),
        personal.describe(forv, period, tables),
        aktiviteter.describe(forv, period, tables),
        analys.describe(forv, period, tables),
        texter.describe(forv, tables.analys, texts or {}),
        kontroll.describe(forv, findings, sources, reports, out_dir),
        kallor.describe(sources, reasons),
    ]


@collector.paused()
def write(target: Path, forv: Forvaltning, period: Period, sheets: Sequence[Sheet]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing(target, ".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"in_memory": True})
        wb.set_properties(
            {
                "title": f"Konsolidering {forv.short_name} {period.iso}",
                "author": forv.name,
                "company": forv.organisation,
                "created": dt.datetime(period.year, period.month, 1),
            }
        )
        render(wb, sheets)
        wb.close()
    return target
