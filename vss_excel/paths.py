"""Where a period's files lie by default: the folders beside the inbox and the workbook's name.
The CLI, the buttons and the demo agree on these."""

from __future__ import annotations

from .model import Forvaltning, Period

TEMPLATES_FOLDER = "mallar"  # the templates' folder beside the inbox, and the buttons' default
INBOX_FOLDER = "inkorg"  # the buttons' inbox beside the workbook


def konsolidering_name(forv: Forvaltning, period: Period) -> str:
    """'Konsolidering VSS 2020-10.xlsx': where konsolidera writes and rapport reads by default."""
    return f"Konsolidering {forv.short_name} {period.iso}.xlsx"
