"""Build-only code: Konsolidering.xlsm from xlwings' own standalone workbook and our VBA."""
