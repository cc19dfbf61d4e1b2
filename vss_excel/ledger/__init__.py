"""The ledger in: SIE 4 and ekonomisystem exports, kontoplan mapping, reconciliation -> prefill.

`load(path, forv, period) -> LedgerResult` reads any ledger file the economist gives (see
`reading`); `write_avstamning(folder, forv, reconciliation) -> Path` writes the Avstämning
workbook beside the templates; `combined(*prefills)` merges prefills, the first winning;
`conflicts` says where two differ.

Modules: `sie` (the SIE 4 parser), `projects` (the project
dimension -> the investments' Redovisat), `underlag` (the long CSV: enhet;post;kolumn;belopp), `export`
(an ekonomisystem's Excel/CSV export), `sie_in` (SIE records -> entries), `records` (entries,
the reconciliation), `distribute` (entries -> prefill, not placed, reconciliation), `texts`
(findings), `avstamning` (the workbook), `reading` (`load`).
"""

from __future__ import annotations

from .avstamning import write as write_avstamning
from .reading import combined, conflicts, load
from .records import Entry, Kind, LedgerError, LedgerResult, NotPlaced, Reason, Reconciliation, Tally

__all__ = [
    "Entry",
    "Kind",
    "LedgerError",
    "LedgerResult",
    "NotPlaced",
    "Reason",
    "Reconciliation",
    "Tally",
    "combined",
    "conflicts",
    "load",
    "write_avstamning",
]
