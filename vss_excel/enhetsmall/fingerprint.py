"""A fingerprint of every fixed cell, so Konsolidera sees whether the locked part was changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal

from .cells import WorkbookLayout


def canonical(value: object) -> str:
    """One text per value however a reader returns it: 191600, 191600.0 and Decimal agree."""
    if type(value) is str:  # most fixed cells: labels and headers
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if d == d.to_integral_value():
            return str(int(d))
        return format(d.normalize(), "f")
    return str(value).strip()


def _fixed_items(
    layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object], sheet: str | None = None
) -> list[list[str]]:
    return [
        [s.name, c.ref, canonical(values.get((s.name, c.row, c.col)))]
        for s in layout.sheets
        if sheet is None or s.name == sheet
        for c in s.fixed
    ]


def _digest(items: list[list[str]]) -> str:
    data = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def fingerprint(layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object]) -> str:
    """SHA-256 over every fixed cell (title, headers, labels, prefilled values) but itself."""
    return _digest(_fixed_items(layout, values))


def sheet_fingerprints(layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object]) -> str:
    """'Drift:1a2b…;Investeringar:…': tells which sheet's locked part was changed."""
    return ";".join(f"{s.name}:{_digest(_fixed_items(layout, values, s.name))[:16]}" for s in layout.sheets)
