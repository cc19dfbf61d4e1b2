"""What one value may be: each kind of leaf of the settings file, with its Swedish `Expect`.

A leaf is an `Annotated` type: a plain validator that accepts only what TOML gives for that kind
of value (no bool for a number, no number for a text), and an `Expect` that says in Swedish what
the value must be; `messages` builds the message from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import PlainValidator
from pydantic_core import PydanticCustomError

from ..files import FILE_CHARS
from ..model import INTRODUCTION, PERIOD_KINDS, REPORT_PARTS, REPORT_TABLES, LineKind, PersonnelKind


class Expect:
    """What a key's value must be, in Swedish ("måste vara ett tal"): the message when it is not."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def invalid() -> PydanticCustomError:
    """The value is not what the key's `Expect` says."""
    return PydanticCustomError("vss_invalid", "ogiltigt värde")


def reason(text: str) -> PydanticCustomError:
    """The value is wrong for a reason more precise than the `Expect` (Swedish, in ctx)."""
    return PydanticCustomError("vss_reason", "{reason}", {"reason": text})


# --- leaf values --------------------------------------------------------------------------------


def _text(v: object) -> str:
    if isinstance(v, str) and v.strip():
        return v.strip()
    raise invalid()


def _file_safe_text(v: object) -> str:
    t = _text(v)
    if any(c in FILE_CHARS for c in t):
        raise invalid()
    return t


def _int_between(lo: int, hi: int) -> Callable[[object], int]:
    def check(v: object) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise invalid()
        return v

    return check


def _number(lo: int | None = None, hi: int | None = None) -> Callable[[object], Decimal]:
    def check(v: object) -> Decimal:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise invalid()
        try:
            d = Decimal(str(v))
        except InvalidOperation:
            raise invalid() from None
        if not d.is_finite() or (lo is not None and d < lo) or (hi is not None and d > hi):
            raise invalid()
        return d

    return check


def _choice(options: tuple[str, ...]) -> Callable[[object], str]:
    def check(v: object) -> str:
        if isinstance(v, str) and v.strip() in options:
            return v.strip()
        raise invalid()

    return check


def _boolean(v: object) -> bool:
    if isinstance(v, bool):
        return v
    raise invalid()


def _codes(v: object) -> tuple[str, ...]:
    """ansvar: one code or a list; a code may be written as text or as a whole number."""
    items = v if isinstance(v, list) else [v]
    out: list[str] = []
    for x in items:
        if isinstance(x, str) and x.strip():
            out.append(x.strip())
        elif isinstance(x, int) and not isinstance(x, bool):
            out.append(str(x))
        else:
            raise invalid()
    return tuple(out)


_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)


def _email(v: object) -> str:
    t = _text(v)
    local = t.partition("@")[0]
    if len(t) > 254 or not _EMAIL.fullmatch(t) or local.startswith(".") or ".." in t:
        raise invalid()
    return t


def _deadline(v: object) -> str:
    """slutdatum: a text ('Tertial 2', 'April 2020', '2020-06-30') or a TOML date (2020-06-30)."""
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    return _text(v)


def _statuses(min_items: int) -> Callable[[object], tuple[str, ...]]:
    def check(v: object) -> tuple[str, ...]:
        if not isinstance(v, list) or len(v) < min_items:
            raise invalid()
        out = tuple(_text(x) for x in v)
        for s in out:
            if "," in s or '"' in s:
                raise reason(
                    f"innehåller '{s}'; en status får inte innehålla kommatecken eller citattecken, "
                    "eftersom mallens statuslista och formler skiljer statusarna åt med dem"
                )
        seen: set[str] = set()
        for s in out:
            if s.casefold() in seen:
                raise reason(f"har statusen '{s}' mer än en gång")
            seen.add(s.casefold())
        return out

    return check


TEXT = "måste vara en text som inte är tom"
NUMBER = "måste vara ett tal"
STATUS_LIST = 'måste vara en lista av texter, t.ex. ["Klar", "Pågående"]'

Text = Annotated[str, PlainValidator(_text), Expect(TEXT)]
FileSafeText = Annotated[
    str, PlainValidator(_file_safe_text), Expect(f"måste vara en text utan tecknen {' '.join(FILE_CHARS)}")
]
Year = Annotated[
    int, PlainValidator(_int_between(2000, 2100)), Expect("måste vara ett heltal mellan 2000 och 2100")
]
Month = Annotated[int, PlainValidator(_int_between(1, 12)), Expect("måste vara ett heltal mellan 1 och 12")]
OpenRows = Annotated[
    int, PlainValidator(_int_between(0, 50)), Expect("måste vara ett heltal mellan 0 och 50")
]
Amount = Annotated[Decimal | None, PlainValidator(_number()), Expect(NUMBER)]
NonNegative = Annotated[
    Decimal, PlainValidator(_number(lo=0)), Expect("måste vara ett tal som är 0 eller större")
]
Percent = Annotated[
    Decimal, PlainValidator(_number(lo=0, hi=100)), Expect("måste vara ett tal mellan 0 och 100")
]
PeriodKind = Annotated[
    str, PlainValidator(_choice(PERIOD_KINDS)), Expect(f"måste vara en av {', '.join(PERIOD_KINDS)}")
]
LINE_KINDS = tuple(k.value for k in LineKind)
LineKindText = Annotated[
    str, PlainValidator(_choice(LINE_KINDS)), Expect(f"måste vara en av {', '.join(LINE_KINDS)}")
]
PERSONNEL_KINDS = tuple(k.value for k in PersonnelKind)
PersonnelKindText = Annotated[
    str, PlainValidator(_choice(PERSONNEL_KINDS)), Expect(f"måste vara en av {', '.join(PERSONNEL_KINDS)}")
]
Flag = Annotated[bool, PlainValidator(_boolean), Expect("måste vara true eller false")]
Codes = Annotated[
    tuple[str, ...],
    PlainValidator(_codes),
    Expect('måste vara en ansvarskod eller en lista av ansvarskoder, t.ex. "1100" eller ["1100", "1110"]'),
]
Email = Annotated[
    str, PlainValidator(_email), Expect("måste vara en e-postadress, t.ex. 'fornamn.efternamn@kommunen.se'")
]
Deadline = Annotated[
    str,
    PlainValidator(_deadline),
    Expect("måste vara ett slutdatum, t.ex. 'Tertial 2', 'April 2020' eller 2020-06-30"),
]
Statuses = Annotated[tuple[str, ...], PlainValidator(_statuses(1)), Expect(STATUS_LIST)]
StatusesMaybeEmpty = Annotated[
    tuple[str, ...],
    PlainValidator(_statuses(0)),
    Expect('måste vara en lista av texter (den får vara tom), t.ex. ["Pausad", "Utgått"]'),
]


# --- the ledger in and the letter to the units ----------------------------------------------------

_RANGE = re.compile(r"(\d+)(?:\s*[-–]\s*(\d+))?")


def _account_ranges(v: object) -> tuple[tuple[str, str], ...]:
    """konton: "3", "61-62" or 3 (leading digits of an account), one or a list, as (first, last)."""
    items = v if isinstance(v, list) else [v]
    if not items:
        raise invalid()
    out: list[tuple[str, str]] = []
    for x in items:
        if isinstance(x, int) and not isinstance(x, bool) and x >= 0:
            x = str(x)
        if not isinstance(x, str):
            raise invalid()
        m = _RANGE.fullmatch(x.strip())
        if m is None:
            raise invalid()
        first, last = m.group(1), m.group(2) or m.group(1)
        if len(first) != len(last):
            raise reason(
                f"har '{x.strip()}', där början och slutet har olika många siffror; skriv t.ex. "
                "'61-62' eller '6100-6299'"
            )
        if first > last:
            raise reason(f"har '{x.strip()}', där början är större än slutet")
        out.append((first, last))
    return tuple(out)


def _names(v: object) -> tuple[str, ...]:
    """A column's name in an export: one text or a list of texts (any of them)."""
    items = v if isinstance(v, list) else [v]
    if not items:
        raise invalid()
    return tuple(_text(x) for x in items)


def _code(v: object) -> str:
    """A code in the ledger (a project's): text, or a whole number written without quotes."""
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    return _text(v)


def _digits(v: object) -> str:
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return str(v)
    t = _text(v)
    if not t.isdigit():
        raise invalid()
    return t


def _date(v: object) -> dt.date | None:
    """A TOML date (2020-11-06) or the same written as text."""
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise invalid()


def _address(v: object) -> str:
    """An e-mail address (it has an @ and no slash) or a folder."""
    t = _text(v)
    if "@" in t and not any(c in t for c in "/\\"):
        return _email(t)
    return t


SIGNS = ("bokforing", "rapport")
AccountRanges = Annotated[
    tuple[tuple[str, str], ...],
    PlainValidator(_account_ranges),
    Expect(
        "måste vara en lista av kontogrupper eller kontointervall (kontots första siffror), "
        't.ex. ["3"], ["61-62"] eller ["4", "6300-6999"]'
    ),
]
ColumnNames = Annotated[
    tuple[str, ...],
    PlainValidator(_names),
    Expect(
        'måste vara ett kolumnnamn eller en lista av kolumnnamn, t.ex. "Konto" eller ["Utfall", "Belopp"]'
    ),
]
ProjectCode = Annotated[
    str, PlainValidator(_code), Expect('måste vara projektets kod i ekonomisystemet, t.ex. "7701"')
]
Dimension = Annotated[
    str, PlainValidator(_digits), Expect('måste vara ett dimensionsnummer ur SIE-filens #DIM, t.ex. "1"')
]
SignText = Annotated[str, PlainValidator(_choice(SIGNS)), Expect(f"måste vara en av {', '.join(SIGNS)}")]
Date = Annotated[dt.date | None, PlainValidator(_date), Expect("måste vara ett datum, t.ex. 2020-11-06")]
Address = Annotated[
    str,
    PlainValidator(_address),
    Expect(
        "måste vara en e-postadress (t.ex. 'ekonomi@kommunen.se') eller en mapp (t.ex. 'G:\\Ekonomi\\Inkorg')"
    ),
]


# --- the report ---------------------------------------------------------------------------------


def _maybe_text(v: object) -> str:
    """A text that may be empty ("": no heading)."""
    if isinstance(v, str):
        return v.strip()
    raise invalid()


def _texts(v: object) -> tuple[str, ...]:
    """A list of texts (it may be empty)."""
    if not isinstance(v, list):
        raise invalid()
    return tuple(_text(x) for x in v)


def _parts(v: object) -> tuple[str, ...]:
    if not isinstance(v, list) or not v:
        raise invalid()
    out = tuple(_choice(REPORT_PARTS)(x) for x in v)
    if len(set(out)) < len(out):
        raise reason("har samma del mer än en gång")
    if list(out) != sorted(out, key=REPORT_PARTS.index):
        raise reason(f"har delarna i en annan ordning än rapportens: {', '.join(REPORT_PARTS)}")
    return out


PLACES = (INTRODUCTION, *REPORT_PARTS)
MaybeText = Annotated[str, PlainValidator(_maybe_text), Expect("måste vara en text (den får vara tom)")]
Texts = Annotated[
    tuple[str, ...], PlainValidator(_texts), Expect('måste vara en lista av texter, t.ex. ["analys"]')
]
Level = Annotated[int, PlainValidator(_int_between(1, 2)), Expect("måste vara 1 eller 2")]
Place = Annotated[str, PlainValidator(_choice(PLACES)), Expect(f"måste vara en av {', '.join(PLACES)}")]
TableName = Annotated[
    str, PlainValidator(_choice(REPORT_TABLES)), Expect(f"måste vara en av {', '.join(REPORT_TABLES)}")
]
Parts = Annotated[
    tuple[str, ...],
    PlainValidator(_parts),
    Expect(f"måste vara en lista av rapportens delar, några av: {', '.join(REPORT_PARTS)}"),
]
