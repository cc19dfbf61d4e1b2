"""A checked settings file -> the domain's Forvaltning: every key lands in one field of the model."""

from __future__ import annotations

import dataclasses

from ..model import (
    DEFAULT_SECTIONS,
    INTRODUCTION,
    STATUSES,
    TABLE_PART,
    AccountRange,
    Activity,
    AnalysisQuestion,
    DriftLine,
    ExportColumns,
    Forvaltning,
    InvestmentProject,
    Kontoplan,
    Letter,
    LineKind,
    Period,
    PersonnelKind,
    PersonnelMeasure,
    Perspective,
    ReportSection,
    ReportSettings,
    Thresholds,
    Unit,
    VolumeMeasure,
)
from .schema import ExportTable, KontoplanTable, SettingsFile, UtskickTable, activity_id

DEFAULT_OPEN_INVESTMENT_ROWS = 3  # when the file has no [investeringar_oppna]


def forvaltning(s: SettingsFile) -> Forvaltning:
    activities = tuple(
        Activity(
            id=activity_id(n, a),
            perspective=a.perspektiv,
            goal=a.mal,
            text=a.aktivitet,
            deadline=a.slutdatum,
            unit=a.enhet,
            strategic=a.strategiskt,
        )
        for n, a in enumerate(s.aktiviteter, 1)
    )
    perspectives = tuple(Perspective(p.namn, p.malrubrik) for p in s.perspektiv) or tuple(
        Perspective(name) for name in dict.fromkeys(a.perspective for a in activities)
    )
    f = Forvaltning(
        name=s.forvaltning.namn,
        short_name=s.forvaltning.kortnamn,
        organisation=s.forvaltning.organisation,
        period=Period(s.period.ar, s.period.manad, s.period.typ),
        units=tuple(Unit(u.id, u.namn, u.ansvar, email=u.epost, contact=u.kontakt) for u in s.enheter),
        drift_lines=tuple(DriftLine(x.id, x.namn, LineKind(x.typ)) for x in s.driftrader),
        investments=tuple(
            InvestmentProject(x.id, x.enhet, x.namn, x.ram, x.projekt) for x in s.investeringar
        ),
        open_investment_rows=(
            s.investeringar_oppna.rader if s.investeringar_oppna else DEFAULT_OPEN_INVESTMENT_ROWS
        ),
        volumes=tuple(VolumeMeasure(x.id, x.enhet, x.namn, x.fotnot) for x in s.volymer),
        personnel=tuple(PersonnelMeasure(x.id, x.namn, PersonnelKind(x.typ), x.malvarde) for x in s.personal),
        perspectives=perspectives,
        activities=activities,
        thresholds=Thresholds(s.vasentlighet.tkr, s.vasentlighet.procent),
        questions=tuple(AnalysisQuestion(q.id, q.fraga) for q in s.analysfragor),
        statuses=STATUSES,
        kontoplan=kontoplan(s.kontoplan),
        export_columns=export_columns(s.export),
        letter=letter(s.utskick),
        report=report(s),
    )
    # Without [statusar], the model's defaults: the six statuses, Klar/Anpassats/Ersatts finished.
    st = s.statusar
    if st is None:
        return f
    return dataclasses.replace(
        f, statuses=st.alla, finished_statuses=st.klara, statuses_needing_comment=st.kraver_kommentar
    )


def kontoplan(k: KontoplanTable | None) -> Kontoplan:
    if k is None:
        return Kontoplan()
    ranges = tuple(AccountRange(first, last, x.rad) for x in k.konton for first, last in x.konton)
    return Kontoplan(ranges, k.dimension)


def export_columns(e: ExportTable | None) -> ExportColumns:
    if e is None:
        return ExportColumns()
    return ExportColumns(e.konto, e.ansvar, e.period, e.utfall, e.budget, e.tecken == "bokforing", e.projekt)


def letter(u: UtskickTable | None) -> Letter:
    return Letter() if u is None else Letter(u.sista_dag, u.adress, u.ekonom)


def report(s: SettingsFile) -> ReportSettings:
    """[rapport] and [[avsnitt]]; without [[avsnitt]], the published delårsrapport's sections."""
    r = ReportSettings()
    if s.rapport is not None:
        r = ReportSettings(s.rapport.delar, s.rapport.titel or "")
    if s.avsnitt is None:
        return ReportSettings(r.parts, r.title, tuple(x for x in DEFAULT_SECTIONS if _kept(x, r.parts)))
    sections = tuple(
        ReportSection(
            a.id,
            a.rubrik,
            TABLE_PART[a.tabell] if a.tabell else (a.plats or INTRODUCTION),
            a.niva or 2,
            a.underlag,
            a.tabell or "",
        )
        for a in s.avsnitt
    )
    return ReportSettings(r.parts, r.title, sections)


def _kept(x: ReportSection, parts: tuple[str, ...]) -> bool:
    """A default section stays where its part is in the report (or in the introduction)."""
    return x.place == INTRODUCTION or x.place in parts
