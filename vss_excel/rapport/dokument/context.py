"""Everything the report shows (`Content`), and the same as the names a Word template uses.

The template's names are Swedish (a kommun edits them in Word); see template.py for the list.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage, RichText

from ...konsolidera.tables import Tables
from ...model import INTRODUCTION, REPORT_PARTS, Forvaltning, Period, swedish_date
from . import charts, drift, economy, plan, texts
from .content import Cell, Chart, Paragraph, Table, safe

PLACEHOLDER_SHADE = "FFE699"
NBSP = "\u00a0"  # a text still to write stands out on screen and on paper


@dataclass(frozen=True)
class Content:
    title: str
    kind: str
    date: str
    parts: tuple[str, ...]
    sections: list[texts.Section]
    tables: Mapping[str, Table]
    perspectives: list[plan.Perspective]
    plan_intro: str
    plan_statuses: list[str]
    charts: Mapping[str, Chart | None]


def report_kind(forv: Forvaltning, period: Period) -> str:
    """'Delårsrapport': the settings' title for the report, else the period's kind."""
    return forv.report.title or period.report_kind


def build(forv: Forvaltning, period: Period, t: Tables, own_texts: Mapping[str, str]) -> Content:
    kind = report_kind(forv, period)
    date = swedish_date(period.end)
    sections = texts.build(forv, period, own_texts)
    tables = {
        "ekonomi": economy.ekonomi(forv, period, t),
        "volymer": economy.volymer(forv, period, t),
        "personal": economy.personal(forv, period, t),
        "resultat": drift.resultat(forv, period, t),
        "prognos": drift.prognos(forv, period, t),
        "investeringar": drift.investeringar(forv, period, t),
        "status": plan.status_table(forv, t),
    }
    for s in sections:  # the förvaltning's notes, after the table's own
        if s.note_under:
            table = tables[s.note_under]
            tables[s.note_under] = replace(table, notes=(*table.notes, *(p.text for p in s.paragraphs)))
    return Content(
        title=f"{kind} {forv.name} per {date}",
        kind=kind,
        date=date,
        parts=forv.report.parts,
        sections=sections,
        tables=tables,
        perspectives=plan.perspectives(forv, period, t),
        plan_intro=plan.intro(period),
        plan_statuses=plan.meanings(forv),
        charts={"drift": charts.drift(forv, period, t), "aktiviteter": charts.statuses(forv, t)},
    )


class DescribedImage(InlineImage):  # type: ignore[misc]
    """A picture with alt text (docxtpl's own leaves wp:docPr descr empty)."""

    def __init__(self, tpl: DocxTemplate, chart: Chart) -> None:
        super().__init__(tpl, None, width=Cm(chart.width_cm))
        self.chart = chart

    def _insert_image(self) -> str:
        part = self.tpl.current_rendering_part
        inline = part.new_pic_inline(io.BytesIO(self.chart.png), self.width, self.height)
        inline.docPr.set("descr", safe(self.chart.description))
        return f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


def _rich(cell: Cell) -> RichText:
    return RichText(safe(cell.text), bold=cell.bold, italic=cell.italic)


class Row(list[RichText]):
    """A table row's cells, and whether it starts a group (its first cell is not merged upwards)."""

    def __init__(self, cells: tuple[Cell, ...]) -> None:
        super().__init__(_rich(c) for c in cells)
        self.ny_grupp = not (cells and cells[0].continues)


def _table(t: Table) -> dict[str, Any]:
    return {
        "rubrik": t.caption,
        "kolumner": list(t.headers),
        "rader": [Row(row) for row in t.rows],
        "noter": list(t.notes),
        "grupp": t.group,
    }


def _section(s: texts.Section) -> dict[str, Any]:
    return {"id": s.id, "rubrik": s.heading, "niva": s.level, "text": [_paragraph(p) for p in s.paragraphs]}


def _headings(c: Content) -> dict[str, str]:
    """rubriker.<id>; and rubriker.coronapandemin, the name a template of the kommun's own made
    before the sections came from the settings uses for the corona section's heading."""
    out = {s.id: s.heading for s in c.sections if not s.note_under}
    if "sarskilda_handelser" in out:
        out.setdefault("coronapandemin", out["sarskilda_handelser"])
    return out


def _places(c: Content) -> dict[str, list[dict[str, Any]]]:
    """avsnitt.<plats>: the sections (not the notes under tables) of each place, in order."""
    out: dict[str, list[dict[str, Any]]] = {p: [] for p in (INTRODUCTION, *REPORT_PARTS)}
    for s in c.sections:
        if not s.note_under:
            out[s.place].append(_section(s))
    return out


def _paragraph(p: Paragraph) -> dict[str, Any]:
    text = (
        RichText(safe(p.text), italic=True, highlight=PLACEHOLDER_SHADE)
        if p.placeholder
        else RichText(safe(p.text))
    )
    return {"text": text, "punkt": p.bullet, "hall": p.keep_with_next}


def _safe(value: Any) -> Any:
    """Every plain text in the context made safe (rich texts and pictures are already)."""
    if isinstance(value, str):
        return safe(value)
    if isinstance(value, dict):
        return {k: _safe(v) for k, v in value.items()}
    if isinstance(value, list) and not isinstance(value, Row):
        return [_safe(v) for v in value]
    return value


def jinja(c: Content, forv: Forvaltning, period: Period, tpl: DocxTemplate) -> dict[str, Any]:
    """The template's names for the content."""
    names: dict[str, Any] = _safe(
        {
            "rubrik": c.title.replace(c.date, c.date.replace(" ", NBSP, 1)),  # '31 oktober' on one line
            "rapporttyp": c.kind,
            "datum": c.date,
            "forvaltning": forv.name,
            "kortnamn": forv.short_name,
            "organisation": forv.organisation,
            "ar": str(period.year),
            "period": period.span(),
            "delar": list(c.parts),
            "avsnitt": _places(c),
            "rubriker": _headings(c),
            "text": {s.id: [_paragraph(p) for p in s.paragraphs] for s in c.sections if not s.note_under},
            "tabell": {k: _table(t) for k, t in c.tables.items()},
            "perspektiv": [
                {
                    "namn": p.name,
                    "tabell": _table(p.table),
                    "antal": p.counts,
                    "mal": [_table(g) for g in p.goals],
                }
                for p in c.perspectives
            ],
            "verksamhetsplan": {"inledning": c.plan_intro, "statusar": c.plan_statuses},
            "diagram": {k: (DescribedImage(tpl, ch) if ch else None) for k, ch in c.charts.items()},
        }
    )
    return names
