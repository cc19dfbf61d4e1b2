"""A fingerprint of every fixed cell, so Konsolidera sees whether the locked part was changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from json.encoder import encode_basestring  # json.dumps' own (ensure_ascii=False)
from typing import Any

from .cells import CellSpec, WorkbookLayout


def canonical(value: object) -> str:
    """One text per value however a reader returns it: 191600, 191600.0 and Decimal agree."""
    if type(value) is str:  # most fixed cells: labels and headers
        return value.strip()
    if value is None:
        return ""
    if type(value) is float and value.is_integer() and abs(value) < 1e15:  # amounts as read; exact here
        return str(int(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if d == d.to_integral_value():
            return str(int(d))
        return format(d.normalize(), "f")
    return str(value).strip()


ValueAt = Callable[[str, int, int], object]  # (sheet, row, col) at layout positions -> the value
Values = Mapping[tuple[str, int, int], object] | ValueAt
# What the fingerprint hashes is the JSON text of [[sheet, ref, canonical value], …] (compact,
# ensure_ascii=False), as json.dumps writes it: built here from the same string encoder, each
# sheet's part once, so that the whole and the per-sheet prints share it.
_encode = encode_basestring


def _lookup(values: Values) -> ValueAt:
    if isinstance(values, Mapping):
        return lambda sheet, row, col: values.get((sheet, row, col))
    return values


def _items(sheet: str, fixed: tuple[CellSpec, ...], values: Iterable[object]) -> list[str]:
    """Each fixed cell of a sheet, with its value, as its item's JSON text '["Drift","A1","Intäkter"]'."""
    head = "[" + _encode(sheet) + ',"'
    return [f'{head}{c.ref}",{_encoded(v)}]' for c, v in zip(fixed, values, strict=True)]


def _encoded(value: object) -> str:
    return _encoded_text(value) if type(value) is str else _encode(canonical(value))


@lru_cache(maxsize=4096)  # labels and headers, the same in every unit's file: encoded once
def _encoded_text(value: str) -> str:
    return _encode(canonical(value))


def _digest(items: list[str]) -> str:
    return hashlib.sha256(("[" + ",".join(items) + "]").encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Fingerprints:
    """The whole fingerprint, and each sheet's when asked, from one reading of the fixed cells."""

    layout: WorkbookLayout
    by_sheet: dict[str, list[str]]  # sheet name -> its fixed cells' items, as JSON texts

    @cached_property
    def whole(self) -> str:
        """SHA-256 over every fixed cell (title, headers, labels, prefilled values) but itself."""
        return _digest([item for items in self.by_sheet.values() for item in items])

    @cached_property
    def per_sheet(self) -> str:
        """'Drift:1a2b…;Investeringar:…': tells which sheet's locked part was changed."""
        return ";".join(f"{name}:{_digest(items)[:16]}" for name, items in self.by_sheet.items())


def of(layout: WorkbookLayout, values: Values) -> Fingerprints:
    value_at = _lookup(values)
    return Fingerprints(
        layout,
        {
            s.name: _items(s.name, s.fixed, (value_at(s.name, c.row, c.col) for c in s.fixed))
            for s in layout.sheets
        },
    )


def of_read(layout: WorkbookLayout, cells: Mapping[str, Mapping[tuple[int, int], Any]]) -> Fingerprints:
    """From a file's cells as read, by sheet and layout position (RawCell: the value is .value);
    the same prints as `of` with those values. Every file takes this path: one loop a sheet."""
    empty: Mapping[tuple[int, int], Any] = {}
    by_sheet: dict[str, list[str]] = {}
    for s in layout.sheets:
        get = cells.get(s.name, empty).get
        values = [None if (raw := get((c.row, c.col))) is None else raw.value for c in s.fixed]
        by_sheet[s.name] = _items(s.name, s.fixed, values)
    return Fingerprints(layout, by_sheet)


def fingerprint(layout: WorkbookLayout, values: Values) -> str:
    return of(layout, values).whole


def sheet_fingerprints(layout: WorkbookLayout, values: Values) -> str:
    return of(layout, values).per_sheet
