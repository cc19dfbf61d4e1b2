"""A SIE line's fields, and each field read as the value it should be.

Two ways in: `FAST` matches the common #PSALDO / #PBUDGET line whole (the parser's fast path,
most of a type 3/4 file); `split_fields` splits any line, and the `to_*` functions read a field
or raise `LineError` with the Swedish message for the finding. Both must read a line the same.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .records import ObjectList

Field = str | list[str]  # a plain or quoted field, or an object list {…}


class LineError(Exception):
    """A line that cannot be used; the message (Swedish) says why."""


_TOKEN = re.compile(r'[ \t]*(?:"((?:[^"\\]|\\.)*)"|(\{)|(\})|([^ \t{}"]+))')
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
# At most 15 digits before and 6 after the point: sums of millions of them stay exact in
# Decimal's 28 digits. SIE allows 2 decimals; more are kept exactly rather than refused.
_AMOUNT = re.compile(r"[+-]?(?:\d{1,15}(?:\.\d{0,6})?|\.\d{1,6})", re.ASCII)
_INT = re.compile(r"[+-]?\d{1,9}", re.ASCII)
PERIOD = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])", re.ASCII)  # YYYYMM, 1900-2099

# The common #PSALDO / #PBUDGET line (year, period and account quoted or not; no escapes, no
# braces inside quotes): the fast path. Anything else goes through split_fields.
FAST = re.compile(
    r"[ \t]*#(PSALDO|PBUDGET)[ \t]+"
    r'((")?(-?\d{1,9})(?(3)")[ \t]+(")?((?:19|20)\d\d(?:0[1-9]|1[0-2]))(?(5)")[ \t]+(")?(\d+)(?(7)"))[ \t]*'
    r'\{([^{}"\\]*(?:"[^{}"\\]*"[^{}"\\]*)*)\}[ \t]*'
    r"(-?\d{1,15}(?:\.\d{1,6})?)(?:[ \t]+(-?\d{1,15}(?:\.\d{1,6})?))?[ \t\r]*\Z",
    re.ASCII,
)


def split_fields(line: str) -> list[Field]:
    """Split a line into fields; quoted fields unescaped (\\" -> "), {…} as a list of strings."""
    out: list[Field] = []
    group: list[str] | None = None
    pos, end = 0, len(line)
    while pos < end:
        m = _TOKEN.match(line, pos)
        if m is None:
            if line[pos:].strip(" \t") == "":
                break
            raise LineError('ett citattecken (") saknar sitt avslutande citattecken')
        pos = m.end()
        quoted, open_, close, bare = m.groups()
        if open_ is not None:
            if group is not None:
                raise LineError("en objektlista { } står inuti en annan")
            group = []
        elif close is not None:
            if group is None:
                raise LineError("klammern } saknar en inledande {")
            out.append(group)
            group = None
        else:
            text = bare if bare is not None else quoted.replace('\\"', '"')
            if group is not None:
                group.append(text)
            else:
                out.append(text)
    if group is not None:
        raise LineError("objektlistan saknar avslutande }")
    return out


def _dim_key(dim: str) -> tuple[int, str]:
    return (int(dim), dim) if len(dim) < 18 and dim.isascii() and dim.isdigit() else (1 << 62, dim)


def object_list(items: list[str]) -> ObjectList:
    """The pairs of an object list, sorted by dimension number: one key whatever the file's order."""
    if len(items) % 2:
        raise LineError(
            "objektlistan ska ha par av dimensionsnummer och objektkod, men har ett udda antal värden"
        )
    pairs = [(items[i], items[i + 1]) for i in range(0, len(items), 2)]
    dims = [d for d, _ in pairs]
    if any(not d or not c for d, c in pairs):
        raise LineError("objektlistan har ett tomt dimensionsnummer eller en tom objektkod")
    if len(set(dims)) != len(dims):
        raise LineError("objektlistan har samma dimension två gånger")
    return tuple(sorted(pairs, key=lambda p: _dim_key(p[0])))


def to_amount(text: Field, what: str = "beloppet") -> Decimal:
    if isinstance(text, str) and _AMOUNT.fullmatch(text):
        return Decimal(text)
    if isinstance(text, str) and _NUMBER.fullmatch(text):
        raise LineError(
            f"{what} '{text[:40]}' har för många siffror (högst 15 före och 6 efter decimalpunkten)"
        )
    raise LineError(
        f"{what} '{_shown(text)[:40]}' är inte ett tal (SIE skriver belopp med decimalpunkt, t.ex. -1234.50)"
    )


def to_int(text: Field, what: str) -> int:
    if isinstance(text, str) and _INT.fullmatch(text):
        return int(text)
    raise LineError(f"{what} '{_shown(text)[:40]}' är inte ett heltal")


def to_date(text: Field, what: str) -> date:
    if isinstance(text, str) and len(text) == 8 and text.isascii() and text.isdigit():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise LineError(f"{what} '{_shown(text)[:40]}' är inte ett datum i formen ÅÅÅÅMMDD")


def to_text(text: Field, what: str) -> str:
    if isinstance(text, str):
        return text
    raise LineError(f"{what} är en objektlista {{…}} men ska vara text")


def to_objects(text: Field) -> ObjectList:
    if isinstance(text, list):
        return object_list(text)
    raise LineError(f"fältet '{text[:40]}' ska vara en objektlista inom {{ }} ({{}} för hela kontot)")


def _shown(text: Field) -> str:
    return "{…}" if isinstance(text, list) else text


def period_span(period: str) -> tuple[date, date]:
    """A 'YYYYMM' period's first and last day."""
    y, m = int(period[:4]), int(period[4:])
    last = date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1
    return date(y, m, 1), date.fromordinal(last)
