"""Prognossäkerhet: each unit's estimates per period against the year's outcome, and the mean error
of the unit's own prognos and of each forecast method."""

from __future__ import annotations

from collections.abc import Sequence

from ..konsolidera.accuracy import METHODS, UnitAccuracy, best_method
from ..swedish import listing
from .sheet import Sheet

NAME = "Prognossäkerhet"


def describe(year: int, units: Sequence[UnitAccuracy]) -> Sheet:
    title = f"Prognossäkerhet {year}: prognos och prognosmetoder mot utfallet, tkr"
    ws = Sheet.new(NAME, title, [28, 14, 14, 14, 14, 14, 14, 22])
    ws.put(2, 0, "Medelfel per verksamhet (genomsnittlig skillnad mot utfallet, utan tecken)", "subtitle")
    ws.headers(
        3, ["Verksamhet", *(label for _, _, label in METHODS), f"Utfall {year}", "", "Träffsäkrast"], 1, 6
    )
    r = 4
    for u in units:
        ws.put(r, 0, u.name)
        for c, (m, _, _) in enumerate(METHODS, 1):
            ws.amount(r, c, u.mean_error[m])
        ws.amount(r, 5, u.outcome)
        ws.put(r, 7, next((label for m, _, label in METHODS if m == best_method(u)), "–"))
        r += 1
    ws.note(
        r,
        "Medelfel = medelvärdet av |uppskattning − utfall| över de perioder där alla metoder har en "
        "siffra, så att de jämförs på samma perioder. Lägre är bättre.",
        across=8,
    )
    for why in missing(year, units):  # a sheet of dashes says why
        r += 1
        ws.note(r, why, across=8)
    r += 2
    ws.put(r, 0, "Per period", "subtitle")
    ws.headers(r + 1, ["Verksamhet", "Period", *(label for _, _, label in METHODS), f"Utfall {year}"], 2)
    ws.repeat_rows = (r + 1, r + 1)
    r += 2
    for u in units:
        for e in u.periods:
            ws.put(r, 0, u.name)
            ws.put(r, 1, e.period.span(), "text_right")
            for c, (m, _, _) in enumerate(METHODS, 2):
                ws.amount(r, c, e.figures[m])
            ws.amount(r, 6, u.outcome)
            r += 1
    return ws


def missing(year: int, units: Sequence[UnitAccuracy]) -> list[str]:
    """Why figures are '–': no earlier period in the archive, or no outcome for some units."""
    out = []
    if not any(u.periods for u in units):
        out.append(
            f"Arkivet har ingen period av {year} före december, så det finns inga prognoser att "
            "jämföra med utfallet. Lägg årets tidigare arkivfiler (en per konsolidering, t.ex. "
            f"{year}-04 och {year}-08) i arkivmappen och konsolidera december igen."
        )
    lacking = [u.name for u in units if u.outcome is None]
    if lacking:
        whom = "alla verksamheter" if len(lacking) == len(units) > 1 else listing(lacking)
        them, their = ("dem", "deras") if len(lacking) > 1 else ("den", "dess")
        out.append(
            f"Utfall {year} saknas för {whom}: Redovisat jan–dec (eller nästa års "
            f"Bokslut föregående år) finns inte i arkivet för {them}, så {their} medelfel kan inte räknas."
        )
    return out
