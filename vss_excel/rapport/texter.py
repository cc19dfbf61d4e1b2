"""The förvaltning's own texts: the report's sections no unit writes (settings: [[avsnitt]]), in the
report's order.

The economist writes them on the sheet Texter of the Konsolidering workbook (a run of Konsolidera
never overwrites them); the units' answers are gathered beside each one as a draft.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..enhetsmall import xlsx
from ..errors import os_reason
from ..files import OutputError
from ..konsolidera.tables import UnitAnswer
from ..model import DRIFT_COMMENTS, INTRODUCTION, REPORT_PARTS, Forvaltning, ReportSection
from .sheet import Sheet

# How the sheet and the report's notes name a part and a table.
PART_NAMES = {
    "ekonomi": "Ekonomi",
    "basuppdrag": "Basuppdrag",
    "personal": "Personal",
    "driftsammandrag": "Driftsammandrag",
    "investeringar": "Investeringar",
    "verksamhetsplan": "Uppföljning av verksamhetsplanen",
}
TABLE_NAMES = {
    "ekonomi": "Ekonomi",
    "volymer": "Basuppdrag (volymmått)",
    "personal": "Personal",
    "resultat": "Resultat",
    "prognos": "Prognos resultat",
    "investeringar": "Investeringar",
    "status": "Aktiviteter per perspektiv och status",
}


def sections(forv: Forvaltning) -> list[ReportSection]:
    """The förvaltning's sections in the report's order: the introduction's, then each part's."""
    order = (INTRODUCTION, *REPORT_PARTS)
    return sorted(forv.report.sections, key=lambda s: order.index(s.place))


def label(s: ReportSection) -> str:
    """'Ekonomi: Väsentliga avvikelser', as the sheet Texter and the report's notes name a section."""
    if s.table:
        return f"Not under tabellen {TABLE_NAMES[s.table]} (visas bara om den är ifylld)"
    title = s.title or "text utan egen rubrik"
    return f"{PART_NAMES[s.place]}: {title}" if s.place in PART_NAMES else title


NAME = "Texter"
TITLE_COL, TEXT_COL, DRAFT_COL, KEY_COL = 0, 1, 2, 3  # the key column is hidden
TITLE_WIDTH, TEXT_WIDTH, DRAFT_WIDTH = 34, 110, 80
LINE_HEIGHT, MAX_HEIGHT = 15.0, 409.0  # points: Calibri 11's line; Excel's highest row
HEAD_ROW = 3
MAX_SECTIONS = 200  # rows read back below the header


def drafts(forv: Forvaltning, analys: Sequence[UnitAnswer]) -> dict[str, str]:
    """The units' answers gathered under each section, as a starting draft."""
    out: dict[str, list[str]] = {}
    for a in analys:
        for s in forv.report.sections:
            if a.id in s.drafts or (DRIFT_COMMENTS in s.drafts and a.id.startswith("drift:")):
                out.setdefault(s.id, []).append(f"{a.enhet}: {a.svar}")
    return {k: "\n\n".join(v) for k, v in out.items()}


def row_height(text: str, draft: str, title: str) -> float:
    """Points that show the section's texts whole, as far as a row can (409 at most), counted with
    a character per unit of column width: narrower than Calibri's own (1.1), so the text fits in
    LibreOffice's wider fallback font too."""
    lines = max(_lines(text, TEXT_WIDTH), _lines(draft, DRAFT_WIDTH), _lines(title, TITLE_WIDTH), 4)
    return min(MAX_HEIGHT, LINE_HEIGHT * lines + 4)


def _lines(text: str, width: int) -> int:
    return sum(-(-max(1, len(part)) // width) for part in text.split("\n")) if text else 0


def describe(forv: Forvaltning, analys: Sequence[UnitAnswer], texts: Mapping[str, str]) -> Sheet:
    """The sheet where the economist writes the förvaltning's texts; re-running keeps them."""
    ws = Sheet.new(NAME, "Förvaltningens texter till rapporten", [TITLE_WIDTH, TEXT_WIDTH, DRAFT_WIDTH, 10])
    ws.note(
        1,
        "Skriv förvaltningens egna texter i den gula kolumnen; de följer med när Konsolidera körs igen och "
        "hamnar i rapporten (Skapa rapport). Enheternas svar står till höger som underlag.",
        across=3,
    )
    ws.headers(HEAD_ROW, ["Avsnitt", "Förvaltningens text", "Enheternas underlag (utkast)", "Nyckel"], 99)
    ws.keep_columns = (TEXT_COL,)
    ws.hidden_columns = (KEY_COL,)
    gathered = drafts(forv, analys)
    for r, s in enumerate(sections(forv), HEAD_ROW + 1):
        title, text, draft = label(s), texts.get(s.id, ""), gathered.get(s.id, "")
        ws.put(r, KEY_COL, s.id, "note")
        ws.put(r, TITLE_COL, title, "wrap")
        ws.put(r, TEXT_COL, text, "input_wrap")
        ws.put(r, DRAFT_COL, draft, "wrap")
        ws.heights[r] = row_height(text, draft, title)
    return ws


def from_rows(rows: Sequence[Sequence[object]]) -> dict[str, str]:
    """The texts from the sheet's values as rows from A1 (the open workbook's, through xlwings), by
    section id; also those of sections the settings no longer have (the report names them)."""
    out: dict[str, str] = {}
    for row in rows[HEAD_ROW + 1 :]:
        key = row[KEY_COL] if len(row) > KEY_COL else None
        text = row[TEXT_COL] if len(row) > TEXT_COL else None
        if isinstance(key, str) and key.strip() and text is not None and str(text).strip():
            out[key.strip()] = str(text)
    return out


def read(path: Path) -> dict[str, str]:
    """The texts of an earlier Konsolidering workbook (empty if it has no Texter sheet).

    Raises OutputError when the file exists but cannot be read: the texts are never lost silently.
    """
    try:
        book = xlsx.XlsxFile.open(path.read_bytes())
        if NAME not in book.sheet_names:
            return {}
        cells = book.sheet(NAME, HEAD_ROW + MAX_SECTIONS, KEY_COL).cells
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
