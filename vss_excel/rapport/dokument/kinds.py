"""The report's kind as the documents name it: the title's 'Delårsrapport', the letter's
'delårsrapporten'. Light on purpose: the letter that goes out with the templates uses it."""

from __future__ import annotations

from ...model import PERIOD_KINDS, Period

YEAR_END_KINDS = ("delårsrapport", "tertialrapport")  # never the name of a report per 31 december
# Swedish definite forms are not one suffix: 'rapporten', 'uppföljningen', 'berättelsen'.
DEFINITE = {
    "månadsuppföljning": "månadsuppföljningen",
    "tertialrapport": "tertialrapporten",
    "delårsrapport": "delårsrapporten",
    "verksamhetsberättelse": "verksamhetsberättelsen",
}


def report_kind(period: Period) -> str:
    """'Delårsrapport': the period's kind (settings), a full year always a Verksamhetsberättelse."""
    kind = period.kind if period.kind in PERIOD_KINDS else "månadsuppföljning"
    if period.month == 12 and kind in YEAR_END_KINDS:
        kind = "verksamhetsberättelse"
    return kind.capitalize()


def definite(period: Period) -> str:
    """'delårsrapporten': the report's kind with the definite article, as a sentence says it."""
    return DEFINITE[report_kind(period).lower()]
