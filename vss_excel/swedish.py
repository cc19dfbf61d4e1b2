"""Swedish number texts for messages, notes and summaries: amounts in tkr and kronor, lists and
counts that agree in number ('1 varning', '2 varningar')."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from . import calc
from .model import Finding, Severity


def tkr_text(amount: Decimal | None) -> str:
    """'6 339 tkr' ('–' for no amount)."""
    if amount is None:
        return "–"
    return f"{calc.round_tkr(amount):,}".replace(",", " ") + " tkr"


def kr_text(amount: Decimal) -> str:
    """'18 000 000 kr' (whole kronor as a unit typed them)."""
    return f"{calc.round_half_up(amount):,}".replace(",", " ") + " kr"


def short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 3] + "…"


def listing(items: list[str], n: int = 4) -> str:
    """'a, b, c och 2 till'."""
    if len(items) <= n:
        return ", ".join(items[:-1]) + " och " + items[-1] if len(items) > 1 else "".join(items)
    return ", ".join(items[:n]) + f" och {len(items) - n} till"


def count(n: int, singular: str, plural: str) -> str:
    """'1 varning', '2 varningar': a count and its noun, agreeing in number."""
    return f"{n} {singular if n == 1 else plural}"


def count_text(findings: Iterable[Finding]) -> str:
    """'2 fel, 1 varning, 0 info'."""
    n = Counter(f.severity for f in findings)
    warnings = count(n[Severity.VARNING], "varning", "varningar")
    return f"{n[Severity.FEL]} fel, {warnings}, {n[Severity.INFO]} info"
