"""vss-excel: period follow-up of a förvaltning in Excel (unit templates, Konsolidera, Excel functions)."""

__version__ = "0.1.0"
