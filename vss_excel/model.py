"""Domain model: plain dataclasses, free of any file format."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from itertools import repeat
from typing import Protocol, TypeVar

from .errors import InputError
from .keys import FILLED_BY_KEY, READY_KEY, SUMMA_INTAKTER, Key, open_investment

MONTH_ABBR = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
MONTH_NAME = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def swedish_date(d: dt.date, year: bool = True) -> str:
    """'31 oktober 2020' ('31 oktober' without the year)."""
    return f"{d.day} {MONTH_NAME[d.month - 1]}" + (f" {d.year}" if year else "")


PERIOD_KINDS = ("månadsuppföljning", "tertialrapport", "delårsrapport", "verksamhetsberättelse")
YEAR_END_KINDS = ("delårsrapport", "tertialrapport")  # never the name of a report per 31 december
# Swedish definite forms are not one suffix: 'rapporten', 'uppföljningen', 'berättelsen'.
DEFINITE_KINDS = {
    "månadsuppföljning": "månadsuppföljningen",
    "tertialrapport": "tertialrapporten",
    "delårsrapport": "delårsrapporten",
    "verksamhetsberättelse": "verksamhetsberättelsen",
}

STATUSES = ("Klar", "Anpassats", "Ersatts", "Pågående", "Pausad", "Utgått")
# Statuses that say the plan was not followed: they need a comment.
STATUSES_NEEDING_COMMENT = ("Anpassats", "Ersatts", "Pausad", "Utgått")


@dataclass(frozen=True)
class Period:
    """A follow-up period: the year and the last month included (1-12)."""

    year: int
    month: int
    kind: str = "delårsrapport"

    @classmethod
    def parse(cls, text: str, kind: str = "delårsrapport") -> Period:
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise InputError(f"Ogiltig period '{text}': ange år och sista månad som ÅÅÅÅ-MM, t.ex. 2020-10.")
        return cls(int(m.group(1)), int(m.group(2)), kind)

    @staticmethod
    def kind_of(month: int) -> str:
        """The usual report for a period ending that month: April tertial, December the year's."""
        return {4: "tertialrapport", 8: "delårsrapport", 12: "verksamhetsberättelse"}.get(
            month, "delårsrapport" if month > 6 else "månadsuppföljning"
        )

    @property
    def report_kind(self) -> str:
        """'Delårsrapport': the period's kind (settings), a full year always a Verksamhetsberättelse."""
        kind = self.kind if self.kind in PERIOD_KINDS else "månadsuppföljning"
        if self.month == 12 and kind in YEAR_END_KINDS:
            kind = "verksamhetsberättelse"
        return kind.capitalize()

    @property
    def report_kind_definite(self) -> str:
        """'delårsrapporten': the report's kind with the definite article, as a sentence says it."""
        return DEFINITE_KINDS[self.report_kind.lower()]

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def end(self) -> dt.date:
        """The period's last day (31 October 2020 for 2020-10)."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def span(self, year: int | None = None) -> str:
        """'jan–okt 2020' (or 'jan 2020' for January)."""
        y = self.year if year is None else year
        if self.month == 1:
            return f"jan {y}"
        return f"jan–{MONTH_ABBR[self.month - 1]} {y}"

    @property
    def previous_span(self) -> str:
        return self.span(self.year - 1)

    def month_label(self, year: int | None = None) -> str:
        """'Oktober 2020', as the personal and volume tables head their columns."""
        y = self.year if year is None else year
        return f"{MONTH_NAME[self.month - 1].capitalize()} {y}"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    ansvar: tuple[str, ...] = ()
    email: str = ""  # whom the economist asks about the unit's file (Kontroll, utskickslista)
    contact: str = ""  # that person's name


class LineKind(Enum):
    INTAKT = "intakt"
    KOSTNAD = "kostnad"
    VARAV = "varav"


@dataclass(frozen=True)
class DriftLine:
    id: str
    name: str
    kind: LineKind


@dataclass(frozen=True)
class InvestmentProject:
    id: str
    unit: str
    name: str
    ram: Decimal | None = None
    code: str = ""  # the project's code in the ledger (settings: projekt); '' = not read from it


@dataclass(frozen=True)
class VolumeMeasure:
    id: str
    unit: str
    name: str
    footnote: str = ""  # shown under the table, the name marked with an asterisk


class PersonnelKind(Enum):
    ANTAL = "antal"
    PROCENT = "procent"


@dataclass(frozen=True)
class PersonnelMeasure:
    id: str
    name: str
    kind: PersonnelKind
    target: Decimal | None = None


@dataclass(frozen=True)
class Perspective:
    name: str
    goal_heading: str = "Mål"


@dataclass(frozen=True)
class Activity:
    id: str
    perspective: str
    goal: str
    text: str
    deadline: str
    unit: str
    strategic: bool = False


@dataclass(frozen=True)
class AnalysisQuestion:
    id: str
    text: str


# The questions every unit workbook asks, before the förvaltning's own: (id, question).
STANDARD_QUESTIONS = (
    ("vasentliga_avvikelser", "Väsentliga avvikelser: ekonomi, volymer och personal"),
    ("analys", "Analys och kommentar"),
    ("sarskilda_handelser", "Påverkan av särskilda händelser (t.ex. coronapandemin)"),
    ("samlad_bedomning", "Samlad bedömning av ekonomi, verksamhet och personal"),
)


@dataclass(frozen=True)
class Thresholds:
    """Väsentlig avvikelse: |avvikelse| >= tkr, or >= procent of |budget|."""

    tkr: Decimal
    percent: Decimal


@dataclass(frozen=True)
class AccountRange:
    """Accounts whose leading digits lie in first..last (both as long): '61'..'62' holds 6100-6299.

    Compared by leading digits, so a range holds accounts of any length (6110, 61105).
    """

    first: str
    last: str
    line: str  # the drift line's id

    def holds(self, account: str) -> bool:
        n = len(self.first)
        return len(account) >= n and self.first <= account[:n] <= self.last

    @property
    def text(self) -> str:
        """'61-62', or '3' for one group, as the settings write it."""
        return self.first if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class Kontoplan:
    """Which accounts go to which drift line, and the SIE dimension whose objects are the units."""

    ranges: tuple[AccountRange, ...] = ()
    dimension: str = "1"

    def line_of(self, account: str) -> str | None:
        for r in self.ranges:
            if r.holds(account):
                return r.line
        return None


@dataclass(frozen=True)
class ExportColumns:
    """Header names of an ekonomisystem's export (any of each tuple, case ignored), and its sign."""

    account: tuple[str, ...] = ("Konto",)
    ansvar: tuple[str, ...] = ("Ansvar",)
    period: tuple[str, ...] = ("Period",)
    actual: tuple[str, ...] = ("Utfall",)
    budget: tuple[str, ...] = ("Budget",)
    debit_positive: bool = True  # the ledger's sign (costs positive), as SIE: flipped when read
    project: tuple[str, ...] = ("Projekt",)  # optional: the investments' project code


@dataclass(frozen=True)
class Letter:
    """The letter that goes with the templates: when and where to return them, and from whom."""

    return_by: dt.date | None = None
    address: str = ""  # an e-mail address or a folder
    economist: str = ""


# The report's parts, each a heading and its tables, in the report's order (settings: rapport.delar).
REPORT_PARTS = ("ekonomi", "basuppdrag", "personal", "driftsammandrag", "investeringar", "verksamhetsplan")
INTRODUCTION = "inledning"  # the place before the first part
# The tables a förvaltning's note may stand under (settings: avsnitt.tabell), and their parts.
TABLE_PART = {
    "ekonomi": "ekonomi",
    "volymer": "basuppdrag",
    "personal": "personal",
    "resultat": "driftsammandrag",
    "prognos": "driftsammandrag",
    "investeringar": "investeringar",
    "status": "verksamhetsplan",
}
REPORT_TABLES = tuple(TABLE_PART)
DRIFT_COMMENTS = "drift"  # as a section's drafts: the units' comments on their drift rows


@dataclass(frozen=True)
class ReportSection:
    """A text of the förvaltning's own in the report (a row of the sheet Texter)."""

    id: str
    title: str  # its heading; '' continues the text under the heading before it
    place: str = INTRODUCTION  # INTRODUCTION, or after the tables of one of REPORT_PARTS
    level: int = 2  # 1: a chapter of its own, 2: under the heading before it
    drafts: tuple[str, ...] = ()  # analysis questions (or DRIFT_COMMENTS) whose answers are its draft
    table: str = ""  # one of REPORT_TABLES: a note under that table, not a section


# The published delårsrapport's sections (per 31 oktober 2020) and the verksamhetsplan follow-up's text.
DEFAULT_SECTIONS = (
    ReportSection("uppdrag", "Förvaltningens uppdrag", level=1),
    ReportSection("bedomning", "Förvaltningschefens bedömning och analys", level=1),
    ReportSection(
        "sarskilda_handelser",
        "Uppföljning av effekterna för nämndens verksamhet av coronapandemin",
        drafts=("sarskilda_handelser",),
    ),
    ReportSection(
        "samlad_bedomning",
        "Samlad bedömning och analys av ekonomi, verksamhet och personal",
        drafts=("samlad_bedomning",),
    ),
    ReportSection(
        "ekonomi_avvikelser", "Väsentliga avvikelser", "ekonomi", drafts=("vasentliga_avvikelser",)
    ),
    ReportSection("basuppdrag", "Väsentliga avvikelser", "basuppdrag"),
    ReportSection("personal", "Väsentliga avvikelser", "personal"),
    ReportSection("prognos_not", "", "driftsammandrag", table="prognos"),
    ReportSection(
        "driftsammandrag", "Analys och kommentar", "driftsammandrag", drafts=("analys", DRIFT_COMMENTS)
    ),
    ReportSection(
        "internbudget",
        "Hur påverkas internbudget och verksamhet nästa år av prognostiserade avvikelser?",
        "driftsammandrag",
    ),
    ReportSection("investeringar", "Analys och kommentar", "investeringar"),
    ReportSection("verksamhetsplan", "", "verksamhetsplan"),
)


@dataclass(frozen=True)
class ReportSettings:
    """What the report holds (settings: [rapport] and [[avsnitt]])."""

    parts: tuple[str, ...] = REPORT_PARTS
    title: str = ""  # the report's kind in its title; '' is the period's (Delårsrapport, …)
    sections: tuple[ReportSection, ...] = DEFAULT_SECTIONS


@dataclass(frozen=True)
class Forvaltning:
    """Everything the settings file describes."""

    name: str
    short_name: str
    organisation: str
    period: Period
    units: tuple[Unit, ...]
    drift_lines: tuple[DriftLine, ...]
    investments: tuple[InvestmentProject, ...]
    open_investment_rows: int
    volumes: tuple[VolumeMeasure, ...]
    personnel: tuple[PersonnelMeasure, ...]
    perspectives: tuple[Perspective, ...]
    activities: tuple[Activity, ...]
    statuses: tuple[str, ...]
    thresholds: Thresholds
    questions: tuple[AnalysisQuestion, ...]
    # Statuses that count as done for deadlines, and those that need a comment (settings).
    finished_statuses: tuple[str, ...] = ("Klar", "Anpassats", "Ersatts")
    statuses_needing_comment: tuple[str, ...] = STATUSES_NEEDING_COMMENT
    kontoplan: Kontoplan = Kontoplan()  # empty: only the long underlag CSV can prefill
    export_columns: ExportColumns = ExportColumns()
    letter: Letter = Letter()
    report: ReportSettings = ReportSettings()

    def period_for(self, text: str | None) -> Period:
        """The period the user typed ('2020-10'), or the settings' own when none was. Another month
        than the settings' is another kind of report (tertial, delår, helår): the CLI and the
        buttons agree."""
        if not text or not text.strip():
            return self.period
        month = Period.parse(text).month
        kind = self.period.kind if month == self.period.month else Period.kind_of(month)
        return Period.parse(text, kind)

    # Derived once, at construction (also by dataclasses.replace): lookups the stages ask often.
    income_total: str | None = field(init=False, compare=False)
    _units_by_id: Mapping[str, Unit] = field(init=False, repr=False, compare=False)
    _investments_by_unit: Mapping[str, tuple[InvestmentProject, ...]] = field(
        init=False, repr=False, compare=False
    )
    _volumes_by_unit: Mapping[str, tuple[VolumeMeasure, ...]] = field(init=False, repr=False, compare=False)
    _activities_by_unit: Mapping[str, tuple[Activity, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The drift row that holds all intäkter: Summa intäkter for several income lines, the line
        # itself for one, None without (the Drift sheet is built by this rule).
        income = [x.id for x in self.drift_lines if x.kind is LineKind.INTAKT]
        derived = {
            "income_total": SUMMA_INTAKTER if len(income) > 1 else (income[0] if income else None),
            "_units_by_id": {u.id: u for u in self.units},
            "_investments_by_unit": _by_unit(self.investments),
            "_volumes_by_unit": _by_unit(self.volumes),
            "_activities_by_unit": _by_unit(self.activities),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)  # a frozen dataclass's own fields, set once

    def unit(self, unit_id: str) -> Unit:
        return self._units_by_id[unit_id]

    def find_unit(self, unit_id: str) -> Unit | None:
        return self._units_by_id.get(unit_id)

    def investments_of(self, unit_id: str) -> tuple[InvestmentProject, ...]:
        return self._investments_by_unit.get(unit_id, ())

    def volumes_of(self, unit_id: str) -> tuple[VolumeMeasure, ...]:
        return self._volumes_by_unit.get(unit_id, ())

    def activities_of(self, unit_id: str) -> tuple[Activity, ...]:
        return self._activities_by_unit.get(unit_id, ())

    def investment_rows(self, unit_id: str) -> list[tuple[str, str | None]]:
        """(item, name) of each of a unit's investment rows: its projects, then the open rows
        (no name: the unit writes it)."""
        rows: list[tuple[str, str | None]] = [(x.id, x.name) for x in self.investments_of(unit_id)]
        rows += [(open_investment(i), None) for i in range(1, self.open_investment_rows + 1)]
        return rows

    def all_questions(self) -> list[tuple[str, str]]:
        """(id, question) of every analysis question, the standard ones first."""
        return [*STANDARD_QUESTIONS, *((q.id, q.text) for q in self.questions)]


class _OfUnit(Protocol):
    @property
    def unit(self) -> str: ...


_T = TypeVar("_T", bound=_OfUnit)


def _by_unit(items: tuple[_T, ...]) -> dict[str, tuple[_T, ...]]:
    """Items of one kind grouped by unit, in settings order."""
    groups: dict[str, list[_T]] = {}
    for item in items:
        groups.setdefault(item.unit, []).append(item)
    return {k: tuple(v) for k, v in groups.items()}


@dataclass(frozen=True)
class Prefill:
    """Values the economist fills in before sending: (unit, post, column) -> amount."""

    values: Mapping[tuple[str, str, str], Decimal] = field(default_factory=dict)

    def get(self, unit: str, post: str, column: str) -> Decimal | None:
        return self.values.get((unit, post, column))


class Severity(Enum):
    FEL = "fel"
    VARNING = "varning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem, where it is and what to do; a value, as beancount's errors are.

    `gaps` names the values the finding leaves out of every figure (a value not accepted, or one
    that is required and missing): they are shown as missing, never as 0, and every figure
    computed from them is marked. `blocks_file` keeps the whole file out of the consolidation.
    `brief` is a short phrase for the notes under the result tables.
    """

    severity: Severity
    file: str
    sheet: str
    cell: str
    message: str
    unit: str = ""  # the unit id the finding concerns, when known
    gaps: tuple[Key, ...] = ()
    blocks_file: bool = False
    brief: str = ""

    def line(self) -> str:
        where = " ".join(x for x in (self.file, self.sheet, self.cell) if x)
        return (
            f"[{self.severity.value}] {where}: {self.message}"
            if where
            else (f"[{self.severity.value}] {self.message}")
        )


Value = Decimal | str | None


@dataclass(frozen=True)
class UnitReport:
    """What one unit reported for a period, evaluated once: every value by its key.

    `values` holds inputs, prefilled amounts and every formula's result, computed from the values
    the checks accepted. `gaps` names each value that is missing or was not accepted, and each
    result computed from such a value, with the reason; such a value is never a figure.
    """

    unit: str
    period: Period
    source: str  # the file it was read from; '' when no file was returned
    values: Mapping[Key, Value]
    gaps: Mapping[Key, str] = field(default_factory=dict)
    returned: bool = True  # False: built from the template that was sent (prefilled amounts only)

    def amount(self, key: Key) -> Decimal | None:
        """The amount if it is known and complete; None when missing or in a gap."""
        v = self.values.get(key)
        return v if isinstance(v, Decimal) and key not in self.gaps else None

    def text(self, key: Key) -> str:
        v = self.values.get(key)
        return v.strip() if isinstance(v, str) else ""

    def gap(self, key: Key) -> str:
        return self.gaps.get(key, "")

    @property
    def ready(self) -> bool:
        return self.text(READY_KEY).lower() == "ja"

    @property
    def filled_by(self) -> str:
        return self.text(FILLED_BY_KEY)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Every report crosses from a worker to the parent. Keys as plain tuples pickle in C; as
        # Key, each one costs two Python calls (half a millisecond for a unit's ~170 values).
        return (
            _unit_report,
            (
                self.unit,
                self.period,
                self.source,
                tuple(map(tuple, self.values)),
                tuple(self.values.values()),
                tuple(map(tuple, self.gaps)),
                tuple(self.gaps.values()),
                self.returned,
            ),
        )


def _unit_report(
    unit: str,
    period: Period,
    source: str,
    keys: Iterable[tuple[object, ...]],
    values: Iterable[Value],
    gap_keys: Iterable[tuple[object, ...]],
    gaps: Iterable[str],
    returned: bool,
) -> UnitReport:
    """A pickled UnitReport back (see UnitReport.__reduce__); tuple.__new__ makes each Key in C."""
    return UnitReport(
        unit,
        period,
        source,
        dict(zip(map(tuple.__new__, repeat(Key), keys), values, strict=True)),
        dict(zip(map(tuple.__new__, repeat(Key), gap_keys), gaps, strict=True)),
        returned,
    )


SEVERITY_ORDER = {Severity.FEL: 0, Severity.VARNING: 1, Severity.INFO: 2}


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Fel first, then varningar, then info; within each by file, sheet and cell."""
    return sorted(
        findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.file.lower(), f.sheet, f.cell, f.message)
    )
