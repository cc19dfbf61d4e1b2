"""The report's first tables: Ekonomi (prognos against budget), Basuppdrag, Personal."""

from __future__ import annotations

from ...konsolidera.tables import EKONOMI_COLUMNS, PERSONAL_COLUMNS, VOLUME_COLUMNS, Tables
from ...model import Forvaltning, Period, PersonnelKind
from ..common import ROUNDING_NOTE, compared_note, count_label
from . import numbers as N
from .content import Table, gap_notes, lacking_note, row

PERSONAL_NOTE = "Procenttalen är vägda med antalet tillsvidareanställda i varje verksamhet."


def ekonomi(forv: Forvaltning, period: Period, t: Tables) -> Table:
    """Verksamhetens nettokostnader, each varav row and Investeringar, netto (budget = ram)."""
    e = t.ekonomi
    rows = []
    for name in e.rows:
        figures = (N.tkr(e.value(name, c), e.gap(name, c), bool(e.lacks(name, c))) for c in EKONOMI_COLUMNS)
        rows.append(row(count_label(str(name), e.all_lacking([name]), forv), figures))
    notes = [ROUNDING_NOTE]  # every figure here is a total: what it lacks is said below, never a gap
    if lacking := e.all_lacking():
        notes.append(lacking_note(lacking, forv, "Beloppen", compared_note(e, e.rows, e.columns)))
    return Table(
        "Ekonomi, belopp tkr",
        ("Belopp tkr", "Prognos helår", f"Budget {period.year}", "Avvikelse"),
        tuple(rows),
        tuple(notes),
    )


def volymer(forv: Forvaltning, period: Period, t: Tables) -> Table:
    """Prognos for the year, the period and the same period last year; 'N/A' where last year's
    figure is empty (the measure did not exist then), as the report writes it."""
    figures, texts = t.volymer.figures, t.volymer.texts
    rows = [
        row(
            str(texts[r]["matt"]),
            (N.count(figures.value(r, c), figures.gap(r, c), empty=N.empty_text(c)) for c in VOLUME_COLUMNS),
        )
        for r in figures.rows
    ]
    notes = [str(texts[r]["fotnot"]) for r in figures.rows if texts[r]["fotnot"]]
    named = [(r, str(texts[r]["namn"])) for r in figures.rows]
    notes += gap_notes(figures, named, VOLUME_COLUMNS)
    return Table(
        "Basuppdrag (volymmått)",
        ("Volymmått", f"Prognos {period.year}", period.month_label(), period.month_label(period.year - 1)),
        tuple(rows),
        tuple(notes),
    )


def personal(forv: Forvaltning, period: Period, t: Tables) -> Table:
    """Counts summed, percentages weighted; '–' for a målvärde that is not set."""
    figures, texts = t.personal.figures, t.personal.texts
    rows = []
    for m in forv.personnel:
        shown = N.count if m.kind is PersonnelKind.ANTAL else N.percent
        cells = (
            shown(figures.value(m.id, c), figures.gap(m.id, c), bool(figures.lacks(m.id, c)))
            for c in PERSONAL_COLUMNS
        )
        rows.append(row(count_label(str(texts[m.id]["matt"]), figures.all_lacking([m.id]), forv), cells))
    notes = []
    if any(m.kind is PersonnelKind.PROCENT for m in forv.personnel):
        notes.append(PERSONAL_NOTE)
    if lacking := figures.all_lacking():
        notes.append(lacking_note(lacking, forv, "Personaltalen"))
    return Table(
        "Personal",
        ("Personal", period.month_label(), period.month_label(period.year - 1), "Målvärde helår"),
        tuple(rows),
        tuple(notes),
    )
