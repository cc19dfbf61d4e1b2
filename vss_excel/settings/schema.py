"""The shape of a settings file: every table and key, what each value must be; nothing else passes.

Pydantic models with `extra="forbid"`: a key the schema does not know is refused, never ignored.
Field names are the TOML keys; the kinds of value are in `values`, each with the Swedish words for
what it must be, from which `messages` makes pydantic's errors into sentences. Checks that need
more than one key (references, unique ids and names, dates that need the year) are in `rules`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..model import REPORT_PARTS
from .values import (
    AccountRanges,
    Address,
    Amount,
    Codes,
    ColumnNames,
    Date,
    Deadline,
    Dimension,
    Email,
    FileSafeText,
    Flag,
    Level,
    LineKindText,
    MaybeText,
    Month,
    NonNegative,
    OpenRows,
    Parts,
    Percent,
    PeriodKind,
    PersonnelKindText,
    Place,
    ProjectCode,
    SignText,
    Statuses,
    StatusesMaybeEmpty,
    TableName,
    Text,
    Texts,
    Year,
)


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ForvaltningTable(Table):
    namn: Text
    kortnamn: FileSafeText  # begins every template's file name
    organisation: Text = ""


class PeriodTable(Table):
    ar: Year
    manad: Month
    typ: PeriodKind


class VasentlighetTable(Table):
    tkr: NonNegative
    procent: Percent


class StatusarTable(Table):
    alla: Statuses
    klara: Statuses
    kraver_kommentar: StatusesMaybeEmpty


class EnhetTable(Table):
    id: Text
    namn: Text
    ansvar: Codes = ()
    epost: Email = ""
    kontakt: Text = ""


class DriftradTable(Table):
    id: Text
    namn: Text
    typ: LineKindText


class InvesteringTable(Table):
    id: Text
    enhet: Text
    namn: Text
    ram: Amount = None
    projekt: ProjectCode = ""  # the project's code in the ledger (SIE dimension 6)


class InvesteringarOppnaTable(Table):
    rader: OpenRows


class VolymTable(Table):
    id: Text
    enhet: Text
    namn: Text
    fotnot: Text = ""


class PersonalTable(Table):
    id: Text
    namn: Text
    typ: PersonnelKindText
    malvarde: Amount = None


class AnalysfragaTable(Table):
    id: Text
    fraga: Text


class PerspektivTable(Table):
    namn: Text
    malrubrik: Text = "Mål"


class AktivitetTable(Table):
    id: Text = ""  # A001, A002, … by position when absent
    perspektiv: Text
    mal: Text
    aktivitet: Text
    slutdatum: Deadline
    enhet: Text
    strategiskt: Flag = False


class KontoTable(Table):
    rad: Text  # a drift line's id
    konton: AccountRanges


class KontoplanTable(Table):
    dimension: Dimension = "1"
    konton: Annotated[tuple[KontoTable, ...], Field(min_length=1)]


class ExportTable(Table):
    konto: ColumnNames = ("Konto",)
    ansvar: ColumnNames = ("Ansvar",)
    period: ColumnNames = ("Period",)
    utfall: ColumnNames = ("Utfall",)
    budget: ColumnNames = ("Budget",)
    tecken: SignText = "bokforing"
    projekt: ColumnNames = ("Projekt",)


class UtskickTable(Table):
    sista_dag: Date = None
    adress: Address = ""
    ekonom: Text = ""


class RapportTable(Table):
    delar: Parts = REPORT_PARTS
    titel: Text = ""  # the report's kind in its title; "": the period's


class AvsnittTable(Table):
    id: Text
    rubrik: MaybeText = ""
    plats: Place = ""  # "": inledning, or the part of its tabell
    niva: Level = 0  # 0: not given (2)
    underlag: Texts = ()
    tabell: TableName = ""


def activity_id(number: int, a: AktivitetTable) -> str:
    """An activity's id; A001, A002, … by its place in the file (from 1) when it has none."""
    return a.id or f"A{number:03d}"


class SettingsFile(Table):
    """The whole file. Tables that may be left out have their default here."""

    forvaltning: ForvaltningTable
    period: PeriodTable
    vasentlighet: VasentlighetTable
    statusar: StatusarTable | None = None
    enheter: Annotated[tuple[EnhetTable, ...], Field(min_length=1)]
    driftrader: Annotated[tuple[DriftradTable, ...], Field(min_length=1)]
    investeringar: tuple[InvesteringTable, ...] = ()
    investeringar_oppna: InvesteringarOppnaTable | None = None
    volymer: tuple[VolymTable, ...] = ()
    personal: tuple[PersonalTable, ...] = ()
    analysfragor: tuple[AnalysfragaTable, ...] = ()
    perspektiv: tuple[PerspektivTable, ...] = ()
    aktiviteter: tuple[AktivitetTable, ...] = ()
    kontoplan: KontoplanTable | None = None
    export: ExportTable | None = None
    utskick: UtskickTable | None = None
    rapport: RapportTable | None = None
    avsnitt: tuple[AvsnittTable, ...] | None = None  # None: the published delårsrapport's
