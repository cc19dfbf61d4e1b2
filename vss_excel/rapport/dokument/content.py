"""What the report shows, before any Word: tables of formatted cells, paragraphs, charts.

The builders (economy, drift, plan, texts, charts) fill these from the consolidated tables; the
template renders them (see template.py for the names a template uses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...konsolidera.marked import Lacking, Marked
from ...model import Forvaltning
from ...swedish import listing
from ..common import unit_gap_note
from .numbers import MARK, MISSING

# Characters XML 1.0 cannot hold (and docxtpl's own \a and \f breaks): a unit's text may carry them.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe(text: str) -> str:
    """Text as it may stand in the document: without control characters; tabs and newlines stay."""
    return NOT_IN_XML.sub("", text)


@dataclass(frozen=True)
class Cell:
    text: str
    bold: bool = False
    italic: bool = False
    continues: bool = False  # merged with the cell above (a group's mål, shown once)


@dataclass(frozen=True)
class Table:
    caption: str  # shown above the table and given to it as its title (alt text)
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    group: str = ""  # a heading over every column, repeated with the header on each page


@dataclass(frozen=True)
class Paragraph:
    text: str
    bullet: bool = False
    placeholder: bool = False  # a bracketed note saying what to write, visibly marked
    keep_with_next: bool = False  # on the same page as the next paragraph (a list and its lead)


@dataclass(frozen=True)
class Chart:
    png: bytes
    description: str  # alt text
    width_cm: float


def nowrap(header: str) -> str:
    """'Redovisat jan–okt 2020' never breaks after the dash (a word joiner follows it)."""
    return header.replace("–", "–\u2060")


def row(label: str, figures: Iterable[str], bold: bool = False) -> tuple[Cell, ...]:
    return (Cell(label, bold), *(Cell(f, bold) for f in figures))


def group_row(label: str, width: int) -> tuple[Cell, ...]:
    """A row that heads a group (a unit's projects): its name, the other cells empty."""
    return (Cell(label, True), *(Cell("") for _ in range(width - 1)))


def lacking_note(lacking: Lacking, forv: Forvaltning, what: str = "Summan", compared: str = "") -> str:
    """'* Summan saknar Löneservice (ingen fil inlämnad). …' for a total that lacks units. Not
    common.lacking_note: the report's mark and tail differ from the sheets' ('se bladet Kontroll')."""
    names = {u.id: u.name for u in forv.units}
    parts = [f"{names.get(u, u)} ({why})" for u, why in lacking]
    tail = f" {compared}" if compared else ""
    return f"{MARK} {what} saknar {listing(parts, 8)}. Belopp markerade med {MARK} är ofullständiga.{tail}"


def gap_notes(table: Marked, rows: Sequence[tuple[object, str]], columns: Sequence[str]) -> list[str]:
    """'"saknas": Kontakt Linköping: <why>.' for each (row, name) with a missing figure."""
    notes: dict[str, None] = {}  # each note once: a unit's open investment rows share theirs
    for r, name in rows:
        why = unit_gap_note(table, r, columns)
        if why:
            notes[f"”{MISSING}”: {name}: {why.rstrip('.')}."] = None
    return list(notes)
