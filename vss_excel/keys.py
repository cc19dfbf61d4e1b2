"""Typed names of every value a unit reports: (section, item, field).

A Key is a NamedTuple of str enums, so it equals and hashes like the plain tuple of its texts;
the texts are what the unit workbook's layout and the underlag use. Spell a key here once.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Section(StrEnum):
    DRIFT = "drift"
    INVESTERING = "investering"
    VOLYM = "volym"
    PERSONAL = "personal"
    AKTIVITET = "aktivitet"
    ANALYS = "analys"
    META = "meta"
    SHEET = "sheet"  # a sheet's title and instructions
    HEADER = "header"  # a column header


class Key(NamedTuple):
    section: Section
    item: str
    field: str


class Drift(StrEnum):
    RAD = "rad"  # the row's label
    REDOVISAT = "redovisat"
    BUDGET = "budget"
    AVVIKELSE = "avvikelse"
    REDOVISAT_FG = "redovisat_fg"
    PROGNOS = "prognos"
    BUDGET_HELAR = "budget_helar"
    AVVIKELSE_HELAR = "avvikelse_helar"
    BOKSLUT_FG = "bokslut_fg"
    KOMMENTAR = "kommentar"
    FORSLAG_UTFALLSTAKT = "forslag_utfallstakt"
    FORSLAG_BUDGETREST = "forslag_budgetrest"
    FORSLAG_SASONG = "forslag_sasong"
    FOREGAENDE_PROGNOS = "foregaende_prognos"  # the unit's prognos in the previous period (archive)
    FORANDRING = "forandring"  # prognos − föregående prognos


# The drift rows the workbook adds to the settings' lines.
SUMMA_INTAKTER = "summa_intakter"
SUMMA_KOSTNADER = "summa_kostnader"
RESULTAT = "resultat"

# Drift columns prefilled from the ledger, in the workbook's order.
DRIFT_PREFILL = (Drift.REDOVISAT, Drift.BUDGET, Drift.REDOVISAT_FG, Drift.BUDGET_HELAR, Drift.BOKSLUT_FG)


class Invest(StrEnum):
    PROJEKT = "projekt"
    REDOVISAT_UTGIFTER = "redovisat_utgifter"
    REDOVISAT_INKOMSTER = "redovisat_inkomster"
    PROGNOS_UTGIFTER = "prognos_utgifter"
    PROGNOS_INKOMSTER = "prognos_inkomster"
    PROGNOS_NETTO = "prognos_netto"
    INVESTERINGSRAM = "investeringsram"
    AVVIKELSE = "avvikelse"
    KOMMENTAR = "kommentar"


INVEST_SUMMA = "summa"
# Summa investeringar split in two, as the report shows it: in every column Summa = the two added.
INVEST_VARAV_UTGIFTER, INVEST_VARAV_INKOMSTER = "varav_utgifter", "varav_inkomster"
INVEST_TOTALS = {
    INVEST_SUMMA: "Summa investeringar",
    INVEST_VARAV_UTGIFTER: "varav utgifter",
    INVEST_VARAV_INKOMSTER: "varav inkomster",
}

INVESTMENT_PREFILL = (Invest.REDOVISAT_UTGIFTER, Invest.REDOVISAT_INKOMSTER, Invest.INVESTERINGSRAM)


OPEN_INVESTMENT = "nytt"


def open_investment(i: int) -> str:
    """Item of the i:th open investment row (1-based), where a unit names a new project."""
    return f"{OPEN_INVESTMENT}{i}"


def is_open_investment(item: str) -> bool:
    """An open row (nytt1, nytt2, …) or the one row for a unit's unknown new projects (nytt)."""
    rest = item.removeprefix(OPEN_INVESTMENT)
    return rest != item and (rest == "" or rest.isdigit())


class Measure(StrEnum):
    """Fields of a volume or personnel measure's row."""

    MATT = "matt"
    PROGNOS = "prognos"
    UTFALL = "utfall"
    UTFALL_FG = "utfall_fg"
    MALVARDE = "malvarde"
    KOMMENTAR = "kommentar"


class Act(StrEnum):
    PERSPEKTIV = "perspektiv"
    MAL = "mal"
    AKTIVITET = "aktivitet"
    SLUTDATUM = "slutdatum"
    STATUS = "status"
    KOMMENTAR = "kommentar"


class Answer(StrEnum):
    FRAGA = "fraga"
    SVAR = "svar"


# Analysis items every workbook has: the unit's name and its "ready" mark.
FILLED_BY = "ifylld_av"
READY = "klar"


def drift(item: str, field: Drift) -> Key:
    return Key(Section.DRIFT, item, field)


def invest(item: str, field: Invest) -> Key:
    return Key(Section.INVESTERING, item, field)


def volume(item: str, field: Measure) -> Key:
    return Key(Section.VOLYM, item, field)


def personnel(item: str, field: Measure) -> Key:
    return Key(Section.PERSONAL, item, field)


def activity(item: str, field: Act) -> Key:
    return Key(Section.AKTIVITET, item, field)


def answer(item: str, field: Answer = Answer.SVAR) -> Key:
    return Key(Section.ANALYS, item, field)


def meta(item: str, field: str) -> Key:
    return Key(Section.META, item, field)


# The metadata fields that hold the fingerprint: outside what it covers.
FINGERPRINT = "fingeravtryck"
FINGERPRINT_SHEETS = "fingeravtryck_blad"

READY_KEY = answer(READY)
FILLED_BY_KEY = answer(FILLED_BY)
