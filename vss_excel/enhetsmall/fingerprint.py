"""A fingerprint of every fixed cell, so Konsolidera sees whether the locked part was changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from decimal import Decimal

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


def fingerprint(layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object] | ValueAt) -> str:
    """SHA-256 over every fixed cell (title, headers, labels, prefilled values) but itself."""
    return _digest(_fixed_items(layout, _lookup(values)))


def sheet_fingerprints(
    layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object] | ValueAt
) -> str:
    """'Drift:1a2b…;Investeringar:…': tells which sheet's locked part was changed."""
    return both(layout, values)[1]


def both(layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object] | ValueAt) -> tuple[str, str]:
    """fingerprint and sheet_fingerprints from one reading of the fixed cells (the writer needs both)."""
    items = _fixed_items(layout, _lookup(values))
    per_sheet = ";".join(
        f"{s.name}:{_digest([i for i in items if i[0] == s.name])[:16]}" for s in layout.sheets
    )
    return _digest(items), per_sheet
