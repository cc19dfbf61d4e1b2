"""The line loop: what each SIE line says, into the builder's state.

Most of a type 3/4 file is #PSALDO lines, so `run` tries the `FAST` regex first and builds the
`Balance` straight from its groups (caching object lists and saldo keys by their text); any other
line, and any the fast path is unsure of, goes to `general`, which splits fields and dispatches
on the label. The two paths must agree on every line (the tests check it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final, TypeVar

from vss_excel.model import Severity

from ...swedish import count
from .builder import MAX_LINE_FINDINGS, SieBuilder
from .records import Balance, BalanceKind, ObjectList, Unread
from .tokens import (
    FAST,
    PERIOD,
    Field,
    LineError,
    object_list,
    split_fields,
    to_amount,
    to_date,
    to_int,
    to_objects,
    to_text,
)

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

# Labels whose last field is a name, with the fields before it. SoftOne XE writes some names with
# a stray quote where a letter was lost ('"Fordringar hos leverant"r"', 'L"neskatt'); an
# accountant still reads the account and its name, so the name is taken as written (between the
# first and the last quote when quoted), and nothing is lost: no finding.
_NAME_LAST: Final[dict[str, int]] = {"#KONTO": 1, "#OBJEKT": 2, "#DIM": 1, "#FNAMN": 0}
_FIELD = r'(?:[ \t]+(?:"[^"]*"|[^ \t"{}]+))'
_NAME = r'[ \t]+(?:"(.*)"|([^ \t"{}][^ \t{}]*))[ \t]*'  # quoted, or one word with a quote inside


def _named(label: str, line: str) -> list[Field] | None:
    """The fields of a name line whose name holds a stray quote; None if it is not such a line."""
    before = _NAME_LAST.get(label)
    if before is None:
        return None
    m = re.fullmatch(r"\S+(" + _FIELD + "{" + str(before) + "})" + _NAME, line)
    if m is None:
        return None
    head = split_fields(m.group(1)) if before else []
    return [label, *head, m.group(2) if m.group(2) is not None else m.group(3)]


class Parser(SieBuilder):
    """Reads one file's lines (`run`), once; the state and findings are the builder's."""

    # the loop ---------------------------------------------------------------------------------

    def run(self, lines: Iterable[str]) -> None:
        fast = FAST.match
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
                        self.duplicate(no, kind, first, year, period, account, objs[0])
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
            rows = count(self.suppressed, "rad", "rader")
            self.file_finding(
                f"Ytterligare {rows} har fel och användes inte "
                f"(bara de första {MAX_LINE_FINDINGS} visas rad för rad)."
            )

    def content_objects(self, content: str) -> tuple[ObjectList, int] | None:
        """The object list inside {…} on a fast-path line; None if the slow path must judge it."""
        try:
            items = split_fields(content)
            texts = [x for x in items if isinstance(x, str)]
            if len(texts) != len(items):
                return None
            return self.object_id(object_list(texts))
        except LineError:
            return None

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
            fields = split_fields(stripped)
        except LineError as e:
            named = _named(label, stripped)
            if named is None:
                self.bad(no, f"{label}: {e}; raden användes inte.")
                return
            fields = named
        try:
            self.record(no, label, fields[1:])
        except LineError as e:
            self.bad(no, f"{label}: {e}; raden användes inte.")

    def record(self, no: int, label: str, f: list[Field]) -> None:
        need = _NEED_COUNT.get(label)
        if need is not None and len(f) < need and label not in ("#PSALDO", "#PBUDGET"):  # see balance
            raise LineError(f"raden saknar fält (ska ha {_NEEDS[label]})")
        if label in ("#PSALDO", "#PBUDGET"):
            self.balance(no, label, f)
        elif label in ("#IB", "#UB", "#RES"):
            year = to_int(f[0], "årsnr")
            account = to_text(f[1], "kontonumret")
            amount = to_amount(f[2])
            self.keep(no, label, self.year_amounts[label], self.year_lines_of[label], (year, account), amount)
            self.quantity(no, label, f, 3)
        elif label in ("#OIB", "#OUB"):
            year = to_int(f[0], "årsnr")
            account = to_text(f[1], "kontonumret")
            objs = to_objects(f[2])
            amount = to_amount(f[3])
            self.keep(
                no, label, self.object_amounts[label], self.object_lines[label], (year, account, objs), amount
            )
            self.quantity(no, label, f, 4)
        elif label == "#RAR":
            year = to_int(f[0], "årsnr")
            start, end = to_date(f[1], "startdatumet"), to_date(f[2], "slutdatumet")
            if end < start:
                raise LineError("slutdatumet ligger före startdatumet")
            if year in self.years and self.years[year] != (start, end):
                raise LineError(
                    f"årsnr {year} har redan ett annat räkenskapsår på rad {self.year_lines[year]}"
                )
            self.years[year] = (start, end)
            self.year_lines.setdefault(year, no)
        elif label == "#KONTO":
            self.accounts[to_text(f[0], "kontonumret")] = to_text(f[1], "namnet")
        elif label == "#KTYP":
            self.account_types[to_text(f[0], "kontonumret")] = to_text(f[1], "kontotypen")
        elif label in ("#DIM", "#UNDERDIM"):
            dim = to_text(f[0], "dimensionsnumret")
            self.dimensions[dim] = to_text(f[1], "namnet")
            if label == "#UNDERDIM":
                self.subdimensions[dim] = to_text(f[2], "den överordnade dimensionen")
        elif label == "#OBJEKT":
            key = (to_text(f[0], "dimensionsnumret"), to_text(f[1], "objektkoden"))
            self.object_name(no, key, to_text(f[2], "namnet"))
        elif label == "#KSUMMA":
            if f:
                self.ksumma_closed = True
            else:
                self.ksumma_open = True
        elif label in _HEAD_LABELS:
            if f and label not in self.head:
                words = [to_text(x, "fältet") for x in (f[:2] if label == "#PROGRAM" else f[:1])]
                self.head[label] = " ".join(w for w in words if w)
        elif label == "#GEN" and f:
            self.generated = to_date(f[0], "datumet")
        elif label == "#OMFATTN" and f:
            self.through = to_date(f[0], "datumet")

    def balance(self, no: int, label: str, f: list[Field]) -> None:
        kind = BalanceKind.PSALDO if label == "#PSALDO" else BalanceKind.PBUDGET
        missing = LineError(f"raden saknar fält (ska ha {_NEEDS[label]})")
        if len(f) < 4:
            raise missing  # not even its account and objects: nothing to leave empty
        account = to_text(f[2], "kontonumret")
        if not account:
            raise LineError("kontonumret är tomt")
        objs, oid = self.object_id(to_objects(f[3]))
        # From here the line's account and unit are known: whatever else cannot be read, its cells
        # are left empty (all of its kind when its period is unknown), never partly summed.
        try:
            year = to_int(f[0], "årsnr")
            period = to_text(f[1], "perioden")
            if not PERIOD.fullmatch(period):
                raise LineError(f"perioden '{period}' är inte en månad i formen ÅÅÅÅMM (t.ex. 202010)")
        except LineError as e:
            self.unread.append(Unread(no, kind, None, None, account, objs, f"{label}: {e}"))
            raise
        try:
            if len(f) < 5:
                raise missing
            amount = to_amount(f[4])
        except LineError as e:
            self.unread.append(Unread(no, kind, year, period, account, objs, f"{label}: {e}"))
            raise
        quantity = self.quantity(no, label, f, 5)
        period, account = self.intern(period), self.intern(account)
        first = self.seen[kind].setdefault((year, period, account), {}).setdefault(oid, no)
        if first != no:
            self.duplicate(no, kind, first, year, period, account, objs)
            return
        self.balances.append(Balance(no, kind, year, period, account, objs, amount, quantity))

    def quantity(self, no: int, label: str, f: list[Field], i: int) -> Decimal | None:
        if len(f) <= i or f[i] == "":
            return None
        try:
            return to_amount(f[i], "kvantiteten")
        except LineError as e:
            self.bad(no, f"{label}: {e}; beloppet användes, kvantiteten inte.", Severity.VARNING)
            return None

    def keep(
        self, no: int, label: str, amounts: dict[_K, Decimal], lines: dict[_K, int], key: _K, amount: Decimal
    ) -> None:
        first = lines.setdefault(key, no)
        if first != no:
            what = "år, konto och objekt" if label in ("#OIB", "#OUB") else "år och konto"
            raise LineError(f"samma {what} som rad {first} (två belopp för samma saldo)")
        amounts[key] = amount
