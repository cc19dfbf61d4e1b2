"""A fingerprint of every fixed cell, so Konsolidera sees whether the locked part was changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from .cells import WorkbookLayout


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


def _lookup(values: Mapping[tuple[str, int, int], object] | ValueAt) -> ValueAt:
    if isinstance(values, Mapping):
        return lambda sheet, row, col: values.get((sheet, row, col))
    return values


def _fixed_items(layout: WorkbookLayout, value_at: ValueAt) -> list[list[str]]:
    return [
        [s.name, c.ref, canonical(value_at(s.name, c.row, c.col))] for s in layout.sheets for c in s.fixed
    ]


def _digest(items: list[list[str]]) -> str:
    data = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Fingerprints:
    """The whole fingerprint, and each sheet's when asked, from one reading of the fixed cells."""

    layout: WorkbookLayout
    items: list[list[str]]

    @cached_property
    def whole(self) -> str:
        """SHA-256 over every fixed cell (title, headers, labels, prefilled values) but itself."""
        return _digest(self.items)

    @cached_property
    def per_sheet(self) -> str:
        """'Drift:1a2b…;Investeringar:…': tells which sheet's locked part was changed."""
        by_sheet: dict[str, list[list[str]]] = {s.name: [] for s in self.layout.sheets}
        for item in self.items:
            by_sheet[item[0]].append(item)
        return ";".join(f"{name}:{_digest(items)[:16]}" for name, items in by_sheet.items())


def of(layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object] | ValueAt) -> Fingerprints:
    return Fingerprints(layout, _fixed_items(layout, _lookup(values)))


def fingerprint(layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object] | ValueAt) -> str:
    return of(layout, values).whole


def sheet_fingerprints(
    layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object] | ValueAt
) -> str:
    return of(layout, values).per_sheet
