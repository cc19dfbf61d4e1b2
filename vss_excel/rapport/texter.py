"""The förvaltning's own texts: the report's sections no unit writes, in the report's order.

The economist writes them on the sheet Texter of the Konsolidering workbook (a run of Konsolidera
never overwrites them); the units' answers are gathered beside each one as a draft.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from ..enhetsmall import xlsx
from ..errors import os_reason
from ..files import OutputError
from ..konsolidera.tables import UnitAnswer
from .sheet import Sheet


class Section(NamedTuple):
    key: str
    title: str  # as the report heads it
    drafts: tuple[str, ...] = ()  # the units' analysis questions whose answers are its draft


SECTIONS = (
    Section("uppdrag", "Förvaltningens uppdrag"),
    Section("bedomning", "Förvaltningschefens bedömning och analys", ("analys",)),
    Section("sarskilda_handelser", "Uppföljning av coronapandemin", ("sarskilda_handelser",)),
    Section(
        "samlad_bedomning",
        "Samlad bedömning och analys av ekonomi, verksamhet och personal",
        ("samlad_bedomning",),
    ),
    Section("ekonomi_avvikelser", "Ekonomi: väsentliga avvikelser", ("vasentliga_avvikelser",)),
    Section("basuppdrag", "Basuppdrag: väsentliga avvikelser"),
    Section("personal", "Personal: väsentliga avvikelser"),
    Section("driftsammandrag", "Driftsammandrag: analys och kommentar"),
    Section(
        "internbudget", "Hur påverkas internbudget och verksamhet nästa år av prognostiserade avvikelser?"
    ),
    Section("investeringar", "Investeringar: analys och kommentar"),
)
BY_KEY = {s.key: s for s in SECTIONS}


NAME = "Texter"
TITLE_COL, TEXT_COL, DRAFT_COL, KEY_COL = 0, 1, 2, 3  # the key column is hidden
HEAD_ROW = 3


def drafts(analys: Sequence[UnitAnswer]) -> dict[str, str]:
    """The units' answers gathered under each section, as a starting draft."""
    out: dict[str, list[str]] = {}
    for a in analys:
        for s in SECTIONS:
            if a.id in s.drafts or (s.key == "driftsammandrag" and a.id.startswith("drift:")):
                out.setdefault(s.key, []).append(f"{a.enhet}: {a.svar}")
    return {k: "\n\n".join(v) for k, v in out.items()}


def describe(analys: Sequence[UnitAnswer], texts: Mapping[str, str]) -> Sheet:
    """The sheet where the economist writes the förvaltning's texts; re-running keeps them."""
    ws = Sheet.new(NAME, "Förvaltningens texter till rapporten", [34, 90, 70, 10])
    ws.note(
        1,
        "Skriv förvaltningens egna texter i den gula kolumnen; de följer med när Konsolidera körs igen och "
        "hamnar i rapporten (Skapa rapport). Enheternas svar står till höger som underlag.",
        across=3,
    )
    ws.headers(HEAD_ROW, ["Avsnitt", "Förvaltningens text", "Enheternas underlag (utkast)", "Nyckel"], 99)
    ws.keep_columns = (TEXT_COL,)
    ws.hidden_columns = (KEY_COL,)
    gathered = drafts(analys)
    for r, s in enumerate(SECTIONS, HEAD_ROW + 1):
        ws.put(r, KEY_COL, s.key, "note")
        ws.put(r, TITLE_COL, s.title, "wrap")
        ws.put(r, TEXT_COL, texts.get(s.key, ""), "input_wrap")
        draft = gathered.get(s.key, "")
        ws.put(r, DRAFT_COL, draft, "wrap")
        ws.fit(r, [(texts.get(s.key, ""), 90), (draft, 70), (s.title, 34)])
        ws.heights[r] = max(ws.heights.get(r, 0), 60.0)
    return ws


def from_rows(rows: Sequence[Sequence[object]]) -> dict[str, str]:
    """The texts from the sheet's values as rows from A1 (the open workbook's, through xlwings)."""
    out: dict[str, str] = {}
    for row in rows[HEAD_ROW + 1 :]:
        key = row[KEY_COL] if len(row) > KEY_COL else None
        text = row[TEXT_COL] if len(row) > TEXT_COL else None
        if isinstance(key, str) and key in BY_KEY and text is not None and str(text).strip():
            out[key] = str(text)
    return out


def read(path: Path) -> dict[str, str]:
    """The texts of an earlier Konsolidering workbook (empty if it has no Texter sheet).

    Raises OutputError when the file exists but cannot be read: the texts are never lost silently.
    """
    try:
        book = xlsx.XlsxFile.open(path.read_bytes())
        if NAME not in book.sheet_names:
            return {}
        cells = book.sheet(NAME, HEAD_ROW + len(SECTIONS) + 50, KEY_COL).cells
    except (OSError, xlsx.XlsxError) as e:
        reason = os_reason(e) if isinstance(e, OSError) else e.message
        raise OutputError(
            f"{path.name} finns redan men dess texter (bladet {NAME}) kunde inte läsas ({reason}). "
            "Flytta filen eller kopiera texterna, och kör igen: texterna skrivs aldrig över."
        ) from None
    last = max((r for r, _ in cells), default=-1)
    rows = [
        [v.value if (v := cells.get((r, c))) else None for c in range(KEY_COL + 1)] for r in range(last + 1)
    ]
    return from_rows(rows)  # one reading of the sheet, whether from the file or the open workbook
