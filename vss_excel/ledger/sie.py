"""SIE 4 reader (SIE typ 1-4, the Swedish standard ledger export): bytes in, immutable records out.

Pure: `parse` takes the file's bytes and a source name (used in findings) and returns a `SieFile`;
`read` is the one function that touches the disk. Nothing here raises on bad input: a file that is
not SIE, or cannot be read, gives a `SieFile` with `usable=False` and one finding saying why; a
broken line gives a finding with its line number ("rad 12"), is left out, and the rest is read.

What the records hold -- exactly what the file says, nothing added up, nothing flipped:

- Amounts are `Decimal`, in SIE's sign: **debit positive, credit negative**, so costs (class 4-8)
  are positive and income (class 3) negative. The report's sign is the opposite (income positive,
  costs negative); `report_sign(amount)` / `Balance.report_amount` give it, and the caller decides
  where to use it.
- `#PSALDO` / `#PBUDGET` lines become `Balance` records, in file order. The standard says such a
  line holds *the period's change* on the account (a month's movement, not accumulated), for the
  object list given. A line with `{}` is the account's total over all objects; a type 3/4 file has
  both the total and the object rows, so adding the two double counts. They are kept apart:
  `Balance.is_total` tells them apart, and the caller chooses (and can reconcile object rows
  against the total).
- `#IB` / `#UB` / `#RES` become mappings (year index, account) -> amount; `#OIB` / `#OUB`
  (year index, account, objects) -> amount.
- Year indexes are as in the file: 0 = the current year (räkenskapsår), -1 = the previous, ...;
  `SieFile.years` maps them to the (start, end) dates of `#RAR`. Checking that the file is for
  the right year is the caller's job.
- Object lists are tuples of (dimension, object code) pairs, sorted by dimension number (so the
  same combination is one key whatever order the file wrote it in); () for the account total.
- `#VER` / `#TRANS` (verifications) are not read, only counted (`transaction_count`).

Left out, each with a finding (FEL, "rad N"): a line with missing fields, an amount that is not a
number ('12,50'; the standard writes '-1234.50'), a period that is not YYYYMM, unbalanced quotes or
braces, an odd object list; a second line for the same saldo (kind, year, period, account, objects:
the first is kept, which one is right cannot be known); a balance whose period lies outside its
year's #RAR. A bad quantity only drops the quantity (VARNING). Unknown labels and extra fields at
the end of a line are ignored, as the standard says. After MAX_LINE_FINDINGS line findings, one
finding counts the rest. A #KSUMMA file without its closing checksum is reported as cut off (the
CRC itself is not checked).

Encoding: the standard says IBM PC 8-bit ASCII (code page 437, `#FORMAT PC8`); UTF-8 (with or
without BOM) and Windows-1252 / ISO-8859-1 files exist too. See `detect_encoding`.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, TypeVar

from vss_excel.model import Finding, Severity

__all__ = [
    "MAX_BYTES",
    "MAX_LINE_FINDINGS",
    "Balance",
    "BalanceKind",
    "ObjectList",
    "SieFile",
    "detect_encoding",
    "parse",
    "read",
    "report_sign",
]

# A (dimension, object code) list; () is the account as a whole.
ObjectList = tuple[tuple[str, str], ...]

MAX_BYTES: Final = 1 << 30  # read() refuses larger files (bounded memory)
MAX_LINE_FINDINGS: Final = 100  # after this many broken lines, one summary finding for the rest


class BalanceKind(Enum):
    PSALDO = "PSALDO"  # outcome (utfall) for the period
    PBUDGET = "PBUDGET"  # budget for the period


@dataclass(frozen=True, slots=True)
class Balance:
    """One `#PSALDO` or `#PBUDGET` line, as the file has it.

    `amount` is in SIE's sign (debit positive: costs positive, income negative); `report_amount`
    is the report's sign. `objects` is () for the account's total over all objects.
    """

    line: int  # 1-based line number in the file
    kind: BalanceKind
    year: int  # year index: 0 = current räkenskapsår, -1 = previous (see SieFile.years)
    period: str  # 'YYYYMM', calendar year and month
    account: str
    objects: ObjectList
    amount: Decimal
    quantity: Decimal | None = None

    @property
    def is_total(self) -> bool:
        """True for the `{}` line: the account's total over all objects."""
        return not self.objects

    @property
    def report_amount(self) -> Decimal:
        """The amount in the report's sign: income positive, costs negative."""
        return report_sign(self.amount)


def report_sign(amount: Decimal) -> Decimal:
    """SIE sign (debit +, so income -) -> report sign (income +, costs -). Never gives -0."""
    return -amount if amount else abs(amount)


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class SieFile:
    """What one SIE file says. Mappings are read-only; amounts in SIE's sign (see module doc)."""

    source: str
    usable: bool  # False: the whole file was refused (not SIE, unreadable); findings say why
    encoding: str  # the codec the text was decoded with: see detect_encoding
    program: str = ""  # #PROGRAM name and version
    format: str = ""  # #FORMAT as written (normally 'PC8')
    sie_type: str = ""  # #SIETYP as written; '' if missing (the standard then means type 1)
    company: str = ""  # #FNAMN
    orgnr: str = ""  # #ORGNR
    currency: str = ""  # #VALUTA
    generated: date | None = None  # #GEN
    balances_through: date | None = None  # #OMFATTN: the period balances go up to this date
    years: Mapping[int, tuple[date, date]] = field(default_factory=_empty)  # #RAR index -> (start, end)
    accounts: Mapping[str, str] = field(default_factory=_empty)  # #KONTO number -> name
    account_types: Mapping[str, str] = field(default_factory=_empty)  # #KTYP number -> T/S/K/I
    dimensions: Mapping[str, str] = field(default_factory=_empty)  # #DIM and #UNDERDIM number -> name
    subdimensions: Mapping[str, str] = field(default_factory=_empty)  # #UNDERDIM number -> parent number
    objects: Mapping[tuple[str, str], str] = field(default_factory=_empty)  # #OBJEKT (dim, code) -> name
    balances: tuple[Balance, ...] = ()  # #PSALDO and #PBUDGET, file order
    opening: Mapping[tuple[int, str], Decimal] = field(default_factory=_empty)  # #IB
    closing: Mapping[tuple[int, str], Decimal] = field(default_factory=_empty)  # #UB
    results: Mapping[tuple[int, str], Decimal] = field(default_factory=_empty)  # #RES
    object_opening: Mapping[tuple[int, str, ObjectList], Decimal] = field(default_factory=_empty)  # #OIB
    object_closing: Mapping[tuple[int, str, ObjectList], Decimal] = field(default_factory=_empty)  # #OUB
    transaction_count: int = 0  # #TRANS lines (not read)
    findings: tuple[Finding, ...] = ()


# --------------------------------------------------------------------------------------------
# Encoding

_BOM_UTF8 = b"\xef\xbb\xbf"
_FORMAT_RE = re.compile(rb'^[ \t]*#FORMAT[ \t]+"?([^ \t\r\n"]*)', re.MULTILINE | re.IGNORECASE)
_SWEDISH = frozenset("åäöÅÄÖéÉüÜ")
# Characters a Windows-1252 text may well hold that cp437 would read as letters: neutral.
_NEUTRAL = frozenset("–—‘’“”€§°½¼¾…´¨·«»±×£¤µ¹²³ªº¿¡\xa0")


def _weight(ch: str) -> int:
    if ch in _SWEDISH:
        return 1
    if ch in _NEUTRAL or ch.isalpha():
        return 0
    return -1  # box drawing, maths, control characters: not what a ledger's names are made of


def detect_encoding(data: bytes) -> str:
    """The codec to decode a SIE file's bytes with.

    'utf-8-sig' (BOM), 'utf-16' (BOM), 'ascii' (nothing else; every 8-bit reading agrees),
    'utf-8' (valid UTF-8 with non-ASCII), else 'cp437' (#FORMAT PC8, the standard) or 'cp1252' /
    'latin-1' (Windows and ISO 8859-1/-15 files): whichever reads the non-ASCII bytes as Swedish
    letters (å ä ö Å Ä Ö é ü); when neither does better, cp437 unless #FORMAT names something else.
    """
    if data.startswith(_BOM_UTF8):
        try:
            data[3:].decode("utf-8")
        except UnicodeDecodeError:
            data = data[3:]  # a BOM on a file that is not UTF-8 after all: judge the rest
        else:
            return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.isascii():
        return "ascii"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    high = Counter(data.translate(None, bytes(range(128))))
    score_437 = sum(n * _weight(bytes([b]).decode("cp437")) for b, n in high.items())
    score_1252 = 0
    undefined_1252 = False
    for b, n in high.items():
        try:
            score_1252 += n * _weight(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D: C1 controls in ISO 8859-1
            score_1252 -= n
            undefined_1252 = True
    windows = "latin-1" if undefined_1252 else "cp1252"
    if score_1252 > score_437:
        return windows
    if score_437 > score_1252:
        return "cp437"
    m = _FORMAT_RE.search(data, 0, 1 << 16)
    return windows if m and m.group(1).upper() not in (b"PC8", b"") else "cp437"


# --------------------------------------------------------------------------------------------
# Lines and fields

Field = str | list[str]  # a plain or quoted field, or an object list {…}


class _LineError(Exception):
    """A line that cannot be used; the message (Swedish) says why."""


_TOKEN = re.compile(r'[ \t]*(?:"((?:[^"\\]|\\.)*)"|(\{)|(\})|([^ \t{}"]+))')
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
# At most 15 digits before and 6 after the point: sums of millions of them stay exact in
# Decimal's 28 digits. SIE allows 2 decimals; more are kept exactly rather than refused.
_AMOUNT = re.compile(r"[+-]?(?:\d{1,15}(?:\.\d{0,6})?|\.\d{1,6})", re.ASCII)
_INT = re.compile(r"[+-]?\d{1,9}", re.ASCII)
_PERIOD = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])", re.ASCII)  # YYYYMM, 1900-2099

# The common #PSALDO / #PBUDGET line (year, period and account quoted or not; no escapes, no
# braces inside quotes): the fast path. Anything else goes through _fields.
_FAST = re.compile(
    r"[ \t]*#(PSALDO|PBUDGET)[ \t]+"
    r'((")?(-?\d{1,9})(?(3)")[ \t]+(")?((?:19|20)\d\d(?:0[1-9]|1[0-2]))(?(5)")[ \t]+(")?(\d+)(?(7)"))[ \t]*'
    r'\{([^{}"\\]*(?:"[^{}"\\]*"[^{}"\\]*)*)\}[ \t]*'
    r"(-?\d{1,15}(?:\.\d{1,6})?)(?:[ \t]+(-?\d{1,15}(?:\.\d{1,6})?))?[ \t\r]*\Z",
    re.ASCII,
)

_SIE_LABELS = frozenset(
    (
        "#FLAGGA",
        "#PROGRAM",
        "#FORMAT",
        "#GEN",
        "#SIETYP",
        "#FNAMN",
        "#ORGNR",
        "#RAR",
        "#KPTYP",
        "#KONTO",
        "#PSALDO",
        "#PBUDGET",
        "#IB",
        "#UB",
        "#RES",
        "#VER",
        "#KSUMMA",
        "#PROSA",
        "#FNR",
        "#DIM",
        "#OBJEKT",
    )
)


def _fields(line: str) -> list[Field]:
    """Split a line into fields; quoted fields unescaped (\\" -> "), {…} as a list of strings."""
    out: list[Field] = []
    group: list[str] | None = None
    pos, end = 0, len(line)
    while pos < end:
        m = _TOKEN.match(line, pos)
        if m is None:
            if line[pos:].strip(" \t") == "":
                break
            raise _LineError('ett citattecken (") saknar sitt avslutande citattecken')
        pos = m.end()
        quoted, open_, close, bare = m.groups()
        if open_ is not None:
            if group is not None:
                raise _LineError("en objektlista { } står inuti en annan")
            group = []
        elif close is not None:
            if group is None:
                raise _LineError("klammern } saknar en inledande {")
            out.append(group)
            group = None
        else:
            text = bare if bare is not None else quoted.replace('\\"', '"')
            if group is not None:
                group.append(text)
            else:
                out.append(text)
    if group is not None:
        raise _LineError("objektlistan saknar avslutande }")
    return out


def _dim_key(dim: str) -> tuple[int, str]:
    return (int(dim), dim) if len(dim) < 18 and dim.isascii() and dim.isdigit() else (1 << 62, dim)


def _object_list(items: list[str]) -> ObjectList:
    if len(items) % 2:
        raise _LineError(
            "objektlistan ska ha par av dimensionsnummer och objektkod, men har ett udda antal värden"
        )
    pairs = [(items[i], items[i + 1]) for i in range(0, len(items), 2)]
    dims = [d for d, _ in pairs]
    if any(not d or not c for d, c in pairs):
        raise _LineError("objektlistan har ett tomt dimensionsnummer eller en tom objektkod")
    if len(set(dims)) != len(dims):
        raise _LineError("objektlistan har samma dimension två gånger")
    return tuple(sorted(pairs, key=lambda p: _dim_key(p[0])))


def _amount(text: Field, what: str = "beloppet") -> Decimal:
    if isinstance(text, str) and _AMOUNT.fullmatch(text):
        return Decimal(text)
    if isinstance(text, str) and _NUMBER.fullmatch(text):
        raise _LineError(
            f"{what} '{text[:40]}' har för många siffror (högst 15 före och 6 efter decimalpunkten)"
        )
    raise _LineError(
        f"{what} '{_shown(text)[:40]}' är inte ett tal (SIE skriver belopp med decimalpunkt, t.ex. -1234.50)"
    )


def _int(text: Field, what: str) -> int:
    if isinstance(text, str) and _INT.fullmatch(text):
        return int(text)
    raise _LineError(f"{what} '{_shown(text)[:40]}' är inte ett heltal")


def _date(text: Field, what: str) -> date:
    if isinstance(text, str) and len(text) == 8 and text.isascii() and text.isdigit():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise _LineError(f"{what} '{_shown(text)[:40]}' är inte ett datum i formen ÅÅÅÅMMDD")


def _text(text: Field, what: str) -> str:
    if isinstance(text, str):
        return text
    raise _LineError(f"{what} är en objektlista {{…}} men ska vara text")


def _objects_field(text: Field) -> ObjectList:
    if isinstance(text, list):
        return _object_list(text)
    raise _LineError(f"fältet '{text[:40]}' ska vara en objektlista inom {{ }} ({{}} för hela kontot)")


def _shown(text: Field) -> str:
    return "{…}" if isinstance(text, list) else text


def _period_month(period: str) -> tuple[date, date]:
    y, m = int(period[:4]), int(period[4:])
    last = date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1
    return date(y, m, 1), date.fromordinal(last)


# Fields each label needs (after the label), named for the message.
_NEEDS: Final[dict[str, str]] = {
    "#PSALDO": "årsnr, period, konto, {objektlista} och belopp",
    "#PBUDGET": "årsnr, period, konto, {objektlista} och belopp",
    "#IB": "årsnr, konto och belopp",
    "#UB": "årsnr, konto och belopp",
    "#RES": "årsnr, konto och belopp",
    "#OIB": "årsnr, konto, {objektlista} och belopp",
    "#OUB": "årsnr, konto, {objektlista} och belopp",
    "#RAR": "årsnr, startdatum och slutdatum",
    "#KONTO": "kontonummer och namn",
    "#KTYP": "kontonummer och kontotyp",
    "#DIM": "dimensionsnummer och namn",
    "#UNDERDIM": "dimensionsnummer, namn och överordnad dimension",
    "#OBJEKT": "dimensionsnummer, objektkod och namn",
}
_NEED_COUNT: Final[dict[str, int]] = {
    "#PSALDO": 5,
    "#PBUDGET": 5,
    "#IB": 3,
    "#UB": 3,
    "#RES": 3,
    "#OIB": 4,
    "#OUB": 4,
    "#RAR": 3,
    "#KONTO": 2,
    "#KTYP": 2,
    "#DIM": 2,
    "#UNDERDIM": 3,
    "#OBJEKT": 3,
}
_BLOCK_LABELS = frozenset(("#TRANS", "#RTRANS", "#BTRANS"))
_HEAD_LABELS = ("#PROGRAM", "#FORMAT", "#SIETYP", "#FNAMN", "#ORGNR", "#VALUTA")
_READ_LABELS = frozenset((*_NEED_COUNT, *_HEAD_LABELS, "#GEN", "#OMFATTN", "#KSUMMA"))
_K = TypeVar("_K")


# --------------------------------------------------------------------------------------------
# The parser


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.findings: list[Finding] = []
        self.line_findings = 0
        self.suppressed = 0
        self.head: dict[str, str] = {}
        self.generated: date | None = None
        self.through: date | None = None
        self.years: dict[int, tuple[date, date]] = {}
        self.year_lines: dict[int, int] = {}
        self.accounts: dict[str, str] = {}
        self.account_types: dict[str, str] = {}
        self.dimensions: dict[str, str] = {}
        self.subdimensions: dict[str, str] = {}
        self.objects: dict[tuple[str, str], str] = {}
        self.balances: list[Balance] = []
        # kind -> (year, period, account) -> object id -> line: catches a second line for one saldo
        self.seen: dict[BalanceKind, dict[tuple[int, str, str], dict[int, int]]] = {
            k: {} for k in BalanceKind
        }
        self.year_amounts: dict[str, dict[tuple[int, str], Decimal]] = {"#IB": {}, "#UB": {}, "#RES": {}}
        self.year_lines_of: dict[str, dict[tuple[int, str], int]] = {"#IB": {}, "#UB": {}, "#RES": {}}
        self.object_amounts: dict[str, dict[tuple[int, str, ObjectList], Decimal]] = {"#OIB": {}, "#OUB": {}}
        self.object_lines: dict[str, dict[tuple[int, str, ObjectList], int]] = {"#OIB": {}, "#OUB": {}}
        self.transactions = 0
        self.ksumma_open = False
        self.ksumma_closed = False
        self.block_start = 0  # line of the { of an open #VER block; 0 = not in a block
        self.obj_cache: dict[str, tuple[ObjectList, int] | None] = {}  # {…} text -> objects, id
        self.obj_ids: dict[ObjectList, tuple[ObjectList, int]] = {}
        self.interned: dict[str, str] = {}

    # findings ---------------------------------------------------------------------------------

    def file_finding(self, message: str) -> None:
        self.findings.append(Finding(Severity.FEL, self.source, "", "", message))

    def bad(self, no: int, message: str, severity: Severity = Severity.FEL) -> None:
        if self.line_findings >= MAX_LINE_FINDINGS:
            self.suppressed += 1
            return
        self.line_findings += 1
        self.findings.append(Finding(severity, self.source, "", f"rad {no}", message))

    # the loop ---------------------------------------------------------------------------------

    def run(self, lines: Iterable[str]) -> None:
        fast = _FAST.match
        objects = self.obj_cache
        # "PSALDO0 202001 3010" as written -> kind, year, period, account, the saldo's lines so far
        heads: dict[str, tuple[BalanceKind, int, str, str, dict[int, int]]] = {}
        append = self.balances.append
        for no, line in enumerate(lines, 1):
            m = fast(line) if self.block_start == 0 else None
            if m is not None:
                kind_s, ypa, _, year_s, _, period, _, account, content, amount_s, qty_s = m.groups()
                try:
                    objs = objects[content]
                except KeyError:
                    objs = objects[content] = self.content_objects(content)
                if objs is not None:
                    try:
                        kind, year, period, account, group = heads[kind_s + ypa]
                    except KeyError:
                        kind = BalanceKind(kind_s)
                        year, period, account = int(year_s), self.intern(period), self.intern(account)
                        group = self.seen[kind].setdefault((year, period, account), {})
                        heads[kind_s + ypa] = (kind, year, period, account, group)
                    first = group.setdefault(objs[1], no)
                    if first != no:
                        self.duplicate(no, kind, first)
                        continue
                    append(
                        Balance(
                            no,
                            kind,
                            year,
                            period,
                            account,
                            objs[0],
                            Decimal(amount_s),
                            None if qty_s is None else Decimal(qty_s),
                        )
                    )
                    continue
            if not line or line.isspace():
                continue
            self.general(no, line)
        if self.block_start:
            self.bad(
                self.block_start,
                "verifikationen (#VER) som börjar här avslutas aldrig med }; filen verkar avkortad.",
            )
        if self.ksumma_open and not self.ksumma_closed:
            self.file_finding(
                "Filen börjar med #KSUMMA men saknar den avslutande kontrollsumman: filen verkar avkortad "
                "(inte hela filen kom med). Exportera SIE-filen på nytt."
            )
        self.check_periods()
        if self.suppressed:
            self.file_finding(
                f"Ytterligare {self.suppressed} rader har fel och användes inte "
                f"(bara de första {MAX_LINE_FINDINGS} visas rad för rad)."
            )

    def intern(self, text: str) -> str:
        """One string object per period and account: a million balances share a few thousand."""
        return self.interned.setdefault(text, text)

    def object_id(self, objs: ObjectList) -> tuple[ObjectList, int]:
        """One shared tuple per object combination, and a small number for it (cheap dict keys)."""
        found = self.obj_ids.get(objs)
        if found is None:
            found = self.obj_ids[objs] = (objs, len(self.obj_ids))
        return found

    def content_objects(self, content: str) -> tuple[ObjectList, int] | None:
        """The object list inside {…} on a fast-path line; None if the slow path must judge it."""
        try:
            items = _fields(content)
            texts = [x for x in items if isinstance(x, str)]
            if len(texts) != len(items):
                return None
            return self.object_id(_object_list(texts))
        except _LineError:
            return None

    def duplicate(self, no: int, kind: BalanceKind, first: int) -> None:
        self.bad(
            no,
            f"#{kind.value}: samma år, period, konto och objekt som rad {first}; raden användes inte "
            "(två belopp för samma saldo, kontrollera exporten).",
        )

    # the general path -------------------------------------------------------------------------

    def general(self, no: int, line: str) -> None:
        stripped = line.strip(" \t\r\x1a")
        if stripped == "{":
            if self.block_start:
                self.bad(no, "en { står inuti en annan verifikation; raden användes inte.")
                return
            self.block_start = no
            return
        if stripped == "}":
            if self.block_start:
                self.block_start = 0
            else:
                self.bad(
                    no, "klammern } avslutar ingen verifikation; filen kan vara skadad.", Severity.VARNING
                )
            return
        if not stripped:
            return
        if not stripped.startswith("#"):
            self.bad(no, "raden börjar inte med en etikett (#…); den användes inte.")
            return
        label = stripped.split(None, 1)[0].upper()
        if self.block_start:
            if label in _BLOCK_LABELS:
                self.transactions += label == "#TRANS"
                return
            self.bad(
                self.block_start,
                "verifikationen (#VER) som börjar här avslutas aldrig med }; filen kan vara skadad "
                "(verifikationer läses inte, saldona påverkas inte).",
                Severity.VARNING,
            )
            self.block_start = 0
        if label in _BLOCK_LABELS:
            self.bad(
                no,
                f"{label} står utanför en verifikation (#VER {{ … }}); filen kan vara skadad "
                "(verifikationer läses inte, saldona påverkas inte).",
                Severity.VARNING,
            )
            return
        if label == "#VER":  # not read; its { … } block of #TRANS lines follows
            if stripped.endswith("{"):  # the { on the #VER line itself
                self.block_start = no
            return
        if label not in _READ_LABELS:
            return  # as the standard says: unknown labels (and those not needed here) are ignored
        try:
            fields = _fields(stripped)
            self.record(no, label, fields[1:])
        except _LineError as e:
            self.bad(no, f"{label}: {e}; raden användes inte.")

    def record(self, no: int, label: str, f: list[Field]) -> None:
        need = _NEED_COUNT.get(label)
        if need is not None and len(f) < need:
            raise _LineError(f"raden saknar fält (ska ha {_NEEDS[label]})")
        if label in ("#PSALDO", "#PBUDGET"):
            self.balance(no, label, f)
        elif label in ("#IB", "#UB", "#RES"):
            year = _int(f[0], "årsnr")
            account = _text(f[1], "kontonumret")
            amount = _amount(f[2])
            self.keep(no, label, self.year_amounts[label], self.year_lines_of[label], (year, account), amount)
            self.quantity(no, label, f, 3)
        elif label in ("#OIB", "#OUB"):
            year = _int(f[0], "årsnr")
            account = _text(f[1], "kontonumret")
            objs = _objects_field(f[2])
            amount = _amount(f[3])
            self.keep(
                no, label, self.object_amounts[label], self.object_lines[label], (year, account, objs), amount
            )
            self.quantity(no, label, f, 4)
        elif label == "#RAR":
            year = _int(f[0], "årsnr")
            start, end = _date(f[1], "startdatumet"), _date(f[2], "slutdatumet")
            if end < start:
                raise _LineError("slutdatumet ligger före startdatumet")
            if year in self.years and self.years[year] != (start, end):
                raise _LineError(
                    f"årsnr {year} har redan ett annat räkenskapsår på rad {self.year_lines[year]}"
                )
            self.years[year] = (start, end)
            self.year_lines.setdefault(year, no)
        elif label == "#KONTO":
            self.accounts[_text(f[0], "kontonumret")] = _text(f[1], "namnet")
        elif label == "#KTYP":
            self.account_types[_text(f[0], "kontonumret")] = _text(f[1], "kontotypen")
        elif label in ("#DIM", "#UNDERDIM"):
            dim = _text(f[0], "dimensionsnumret")
            self.dimensions[dim] = _text(f[1], "namnet")
            if label == "#UNDERDIM":
                self.subdimensions[dim] = _text(f[2], "den överordnade dimensionen")
        elif label == "#OBJEKT":
            key = (_text(f[0], "dimensionsnumret"), _text(f[1], "objektkoden"))
            self.objects[key] = _text(f[2], "namnet")
        elif label == "#KSUMMA":
            if f:
                self.ksumma_closed = True
            else:
                self.ksumma_open = True
        elif label in _HEAD_LABELS:
            if f and label not in self.head:
                words = [_text(x, "fältet") for x in (f[:2] if label == "#PROGRAM" else f[:1])]
                self.head[label] = " ".join(w for w in words if w)
        elif label == "#GEN" and f:
            self.generated = _date(f[0], "datumet")
        elif label == "#OMFATTN" and f:
            self.through = _date(f[0], "datumet")

    def balance(self, no: int, label: str, f: list[Field]) -> None:
        kind = BalanceKind.PSALDO if label == "#PSALDO" else BalanceKind.PBUDGET
        year = _int(f[0], "årsnr")
        period = _text(f[1], "perioden")
        if not _PERIOD.fullmatch(period):
            raise _LineError(f"perioden '{period}' är inte en månad i formen ÅÅÅÅMM (t.ex. 202010)")
        account = _text(f[2], "kontonumret")
        if not account:
            raise _LineError("kontonumret är tomt")
        objs, oid = self.object_id(_objects_field(f[3]))
        amount = _amount(f[4])
        quantity = self.quantity(no, label, f, 5)
        period, account = self.intern(period), self.intern(account)
        first = self.seen[kind].setdefault((year, period, account), {}).setdefault(oid, no)
        if first != no:
            self.duplicate(no, kind, first)
            return
        self.balances.append(Balance(no, kind, year, period, account, objs, amount, quantity))

    def quantity(self, no: int, label: str, f: list[Field], i: int) -> Decimal | None:
        if len(f) <= i or f[i] == "":
            return None
        try:
            return _amount(f[i], "kvantiteten")
        except _LineError as e:
            self.bad(no, f"{label}: {e}; beloppet användes, kvantiteten inte.", Severity.VARNING)
            return None

    def keep(
        self, no: int, label: str, amounts: dict[_K, Decimal], lines: dict[_K, int], key: _K, amount: Decimal
    ) -> None:
        first = lines.setdefault(key, no)
        if first != no:
            what = "år, konto och objekt" if label in ("#OIB", "#OUB") else "år och konto"
            raise _LineError(f"samma {what} som rad {first} (två belopp för samma saldo)")
        amounts[key] = amount

    def check_periods(self) -> None:
        """A balance whose period lies outside its year's #RAR is not used: which one is wrong?"""
        if not self.years:
            return
        outside = set()
        for year, period in {(k[0], k[1]) for keys in self.seen.values() for k in keys}:
            span = self.years.get(year)
            if span is not None:  # no #RAR for this index: nothing to compare with
                first, last = _period_month(period)
                if first > span[1] or last < span[0]:
                    outside.add((year, period))
        if not outside:
            return
        kept: list[Balance] = []
        left_out: dict[tuple[int, str], list[int]] = {}
        for b in self.balances:
            if (b.year, b.period) in outside:
                left_out.setdefault((b.year, b.period), []).append(b.line)
            else:
                kept.append(b)
        self.balances = kept
        for (year, period), lines in sorted(left_out.items(), key=lambda x: x[1][0]):
            start, end = self.years[year]
            rows = "raden" if len(lines) == 1 else f"de {len(lines)} raderna (första här)"
            self.bad(
                lines[0],
                f"perioden {period} ligger utanför räkenskapsår {year} ({start:%Y-%m-%d}–{end:%Y-%m-%d} "
                f"enligt #RAR); {rows} med årsnr {year} och period {period} användes inte.",
            )

    def result(self, encoding: str) -> SieFile:
        ro = MappingProxyType
        return SieFile(
            source=self.source,
            usable=True,
            encoding=encoding,
            program=self.head.get("#PROGRAM", ""),
            format=self.head.get("#FORMAT", ""),
            sie_type=self.head.get("#SIETYP", ""),
            company=self.head.get("#FNAMN", ""),
            orgnr=self.head.get("#ORGNR", ""),
            currency=self.head.get("#VALUTA", ""),
            generated=self.generated,
            balances_through=self.through,
            years=ro(self.years),
            accounts=ro(self.accounts),
            account_types=ro(self.account_types),
            dimensions=ro(self.dimensions),
            subdimensions=ro(self.subdimensions),
            objects=ro(self.objects),
            balances=tuple(self.balances),
            opening=ro(self.year_amounts["#IB"]),
            closing=ro(self.year_amounts["#UB"]),
            results=ro(self.year_amounts["#RES"]),
            object_opening=ro(self.object_amounts["#OIB"]),
            object_closing=ro(self.object_amounts["#OUB"]),
            transaction_count=self.transactions,
            findings=tuple(self.findings),
        )


# --------------------------------------------------------------------------------------------
# Entry points


def _refused(source: str, encoding: str, message: str) -> SieFile:
    return SieFile(
        source=source,
        usable=False,
        encoding=encoding,
        findings=(Finding(Severity.FEL, source, "", "", message),),
    )


_NOT_SIE = "Filen är inte en SIE-fil"
_WHAT_TO_DO = "Exportera saldona från ekonomisystemet som SIE typ 4 (.se) och försök igen."


def _not_sie_reason(data: bytes) -> str | None:
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return f"{_NOT_SIE} utan en Excel- eller zip-fil. {_WHAT_TO_DO}"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return f"{_NOT_SIE} utan en äldre Office-fil (t.ex. .xls). {_WHAT_TO_DO}"
    if head.startswith(b"%PDF"):
        return f"{_NOT_SIE} utan en PDF. {_WHAT_TO_DO}"
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[: 1 << 16]:
        return f"{_NOT_SIE} utan en binärfil. {_WHAT_TO_DO}"
    return None


def parse(data: bytes, source: str) -> SieFile:
    """Read a SIE file's bytes. `source` names the file in findings (e.g. the file name).

    Never raises on bad input: a file that is not SIE gives `usable=False` and one finding.
    """
    if not data.strip():
        return _refused(source, "", "Filen är tom. " + _WHAT_TO_DO)
    reason = _not_sie_reason(data)
    if reason:
        return _refused(source, "", reason)
    encoding = detect_encoding(data)
    if encoding != "utf-8-sig" and data.startswith(_BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:  # only a broken UTF-16 file gets here
        return _refused(
            source, encoding, f"{_NOT_SIE}: tecknen går inte att läsa ({encoding}). {_WHAT_TO_DO}"
        )
    crs = text.count("\r")
    if crs and crs != text.count("\r\n"):  # CR alone ends a line (old Mac) somewhere
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # else CRLF or LF: split on LF; the CR left at the end of a line is whitespace to the parser.
    first = (x.strip(" \t\r\x1a\ufeff") for x in text[: 1 << 16].split("\n")[:200])
    labels = [x.split(maxsplit=1)[0].upper() for x in first if x and not x.isspace()]
    if not any(lb in _SIE_LABELS for lb in labels[:50]):
        return _refused(
            source,
            encoding,
            f"{_NOT_SIE}: den börjar inte med SIE-poster som #FLAGGA, #SIETYP eller #RAR. {_WHAT_TO_DO}",
        )
    parser = _Parser(source)
    # A million records and no reference cycles: the cyclic collector would only rescan them
    # again and again (a third of the time). Switched off while parsing, restored afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        parser.run(_lines(text))
    finally:
        if collecting:
            gc.enable()
    return parser.result(encoding)


def _lines(text: str, chunk: int = 1 << 20) -> Iterator[str]:
    """`text.split("\\n")`, a chunk at a time: no list of all the lines at once."""
    pos = 0
    while (cut := text.find("\n", pos + chunk)) >= 0:
        yield from text[pos:cut].split("\n")
        pos = cut + 1
    yield from text[pos:].split("\n")


def read(path: str | Path, max_bytes: int = MAX_BYTES) -> SieFile:
    """Read a SIE file from disk; a file that cannot be read gives `usable=False` and one finding."""
    p = Path(path)
    try:
        if not p.is_file():
            return _refused(p.name, "", "SIE-filen finns inte (eller är en mapp). Ange sökvägen till filen.")
        size = p.stat().st_size
        if size > max_bytes:
            return _refused(
                p.name,
                "",
                f"SIE-filen är för stor ({size // (1 << 20)} MB, högst {max_bytes // (1 << 20)} MB läses).",
            )
        data = p.read_bytes()
    except OSError as e:
        return _refused(p.name, "", f"SIE-filen kunde inte läsas ({e.strerror or type(e).__name__}).")
    return parse(data, p.name)
