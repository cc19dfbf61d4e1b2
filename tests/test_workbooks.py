"""workbooks/ holds the blank VSS Enhetsmall; it must be what the code builds now."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from vss_excel.cli import main

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbooks" / "Enhetsmall VSS.xlsx"


def dump(path: Path) -> dict[str, object]:
    """Everything a user meets in the workbook, without timestamps."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, object] = {"names": sorted((n, str(d.attr_text)) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        cells = [
            (
                c.coordinate,
                c.value,
                c.data_type,
                c.number_format,
                c.protection.locked,
                c.fill.fgColor.rgb,
                c.font.b,
                c.alignment.wrap_text,
            )
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or not c.protection.locked
        ]
        out[ws.title] = {
            "state": ws.sheet_state,
            "protected": ws.protection.sheet,
            "freeze": ws.freeze_panes,
            "cells": cells,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted(
                (str(d.sqref), d.type, d.formula1, d.prompt, d.error)
                for d in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(r.sqref), tuple(f for x in r.rules for f in x.formula))
                for r in ws.conditional_formatting
            ),
            "widths": sorted((k, v.width) for k, v in ws.column_dimensions.items()),
            "page": (ws.page_setup.orientation, ws.page_setup.paperSize),
        }
    return out


def test_committed_enhetsmall_matches_the_code(tmp_path):
    fresh = tmp_path / "Enhetsmall VSS.xlsx"
    assert main(["exempelmall", "--ut", str(fresh)]) == 0
    assert COMMITTED.exists(), "workbooks/Enhetsmall VSS.xlsx saknas: kör vss-excel exempelmall"
    assert dump(COMMITTED) == dump(fresh), "workbooks/ är inaktuell: kör vss-excel exempelmall"
