"""The unit workbook's texts for the person filling it in: each sheet's instructions and the data
validation help. What the settings decide (the threshold, the return date) comes from them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..model import Forvaltning, swedish_date

YELLOW = "Gula celler fyller du i; övriga celler är låsta."
AMOUNTS = (
    "Belopp anges i hela kronor (inte tkr) och visas i tkr. Intäkter anges med plustecken och kostnader "
    "med minustecken."
)
DEVIATION = "Avvikelse = utfall eller prognos − budget: positiv avvikelse är bättre än budget."


def swedish_number(d: Decimal) -> str:
    """An exact figure as Swedish writes it: '1 250', '2,5' (the rule as set, never rounded)."""
    whole, _, fraction = format(abs(d.normalize()), "f").partition(".")
    sign = "-" if d < 0 else ""
    return sign + f"{int(whole):,}".replace(",", " ") + ("," + fraction if fraction else "")


def threshold_figures(forv: Forvaltning) -> tuple[str, str]:
    """The väsentlighet threshold's tkr and percent as the texts show them."""
    return swedish_number(forv.thresholds.tkr), swedish_number(forv.thresholds.percent)


def threshold(forv: Forvaltning) -> str:
    """'Väsentlig avvikelse: minst 500 tkr eller 10 % av budget …' from the settings."""
    tkr, pct = threshold_figures(forv)
    return (
        f"En väsentlig avvikelse (minst {tkr} tkr eller {pct} % av budget) kräver en kommentar: "
        "cellen blir röd tills den finns."
    )


def returning(forv: Forvaltning) -> str:
    """When and where the file goes back, if the settings say."""
    letter = forv.letter
    if letter.return_by is None and not letter.address:
        return ""
    when = f" senast {swedish_date(letter.return_by, year=False)}" if letter.return_by else ""
    where = f" till {letter.address}" if letter.address else ""
    return f"Spara filen med samma namn och skicka den{when}{where}."


VALIDATIONS: dict[str, dict[str, object]] = {
    "belopp": {
        "validate": "decimal",
        "criteria": "between",
        "minimum": -1e12,
        "maximum": 1e12,
        "input_title": "Belopp i kronor",
        "input_message": "Ange beloppet i hela kronor (visas i tkr). Intäkter med plus, kostnader med minus.",
        "error_title": "Inte ett belopp",
        "error_message": "Cellen tar bara emot ett tal i kronor, t.ex. -250000.",
    },
    "intakt": {
        "validate": "decimal",
        "criteria": ">=",
        "value": 0,
        "input_title": "Prognos intäkter",
        "input_message": "Ange prognos för helåret i kronor, med plustecken (visas i tkr).",
        "error_title": "Intäkter anges positiva",
        "error_message": "Intäkter anges som ett positivt tal i kronor, t.ex. 1200000.",
    },
    "kostnad": {
        "validate": "decimal",
        "criteria": "<=",
        "value": 0,
        "input_title": "Prognos kostnader",
        "input_message": "Ange prognos för helåret i kronor, med minustecken (visas i tkr).",
        "error_title": "Kostnader anges negativa",
        "error_message": "Kostnader anges med minustecken i kronor, t.ex. -850000.",
    },
    "investering": {
        "validate": "decimal",
        "criteria": ">=",
        "value": 0,
        "input_title": "Investering i kronor",
        "input_message": "Ange beloppet i kronor som ett positivt tal (visas i tkr).",
        "error_title": "Inte ett belopp",
        "error_message": "Cellen tar bara emot ett positivt tal i kronor.",
    },
    "volym": {
        "validate": "decimal",
        "criteria": ">=",
        "value": 0,
        "input_title": "Volym",
        "input_message": "Ange antal (ackumulerat för perioden), t.ex. 212752.",
        "error_title": "Inte ett antal",
        "error_message": "Cellen tar bara emot ett tal som är 0 eller större.",
    },
    "antal": {
        "validate": "integer",
        "criteria": ">=",
        "value": 0,
        "input_title": "Antal",
        "input_message": "Ange antal som ett heltal.",
        "error_title": "Inte ett heltal",
        "error_message": "Cellen tar bara emot ett heltal som är 0 eller större.",
    },
    "procent": {
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": 100,
        "input_title": "Procent",
        "input_message": "Ange procent som ett tal mellan 0 och 100, t.ex. 5,0 för 5 %.",
        "error_title": "Procent utanför intervallet",
        "error_message": "Ange ett tal mellan 0 och 100 (5,0 betyder 5 %).",
    },
    "text": {
        "validate": "length",
        "criteria": "<=",
        "value": 32000,
        "input_title": "Text",
        "input_message": "Skriv fritt. Alt+Enter ger ny rad i cellen.",
        "error_title": "För lång text",
        "error_message": "Texten får vara högst 32 000 tecken.",
    },
    "projekt": {
        "validate": "length",
        "criteria": "<=",
        "value": 200,
        "input_title": "Nytt projekt",
        "input_message": "Skriv projektets namn om det saknas i listan ovan.",
        "error_title": "För långt namn",
        "error_message": "Projektnamnet får vara högst 200 tecken.",
    },
    "jaNej": {
        "validate": "list",
        "source": ["Ja", "Nej"],
        "input_title": "Klar för konsolidering",
        "input_message": "Välj Ja när allt är ifyllt och granskat.",
        "error_title": "Välj Ja eller Nej",
        "error_message": "Välj Ja eller Nej i listan.",
    },
}


def status_validation(statuses: Iterable[str]) -> dict[str, object]:
    return {
        "validate": "list",
        "source": list(statuses),
        "input_title": "Status",
        "input_message": "Välj status i listan.",
        "error_title": "Okänd status",
        "error_message": "Välj en av statusarna i listan.",
    }


def and_list(items: Iterable[str]) -> str:
    """'a, b och c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1] if items else ""
