"""Personal: the förvaltning's figures (counts summed, percentages weighted) and per unit."""

from __future__ import annotations

from decimal import Decimal

from .. import calc
from ..keys import Measure
from ..konsolidera.tables import PERSONAL_COLUMNS, PERSONAL_METHOD, Tables
from ..model import Forvaltning, Period, PersonnelKind
from .common import count_label, notes
from .sheet import Sheet

NAME = "Personal"


def _figure(ws: Sheet, r: int, c: int, v: Decimal | None, count: bool, marked: bool = False) -> None:
    suffix = "_marked" if marked else ""
    if v is None:
        ws.put(r, c, "–", ("num" if count else "pct") + suffix)
    elif count:
        ws.put(r, c, int(calc.round_half_up(v)), "num" + suffix)
    else:
        ws.put(r, c, float(calc.round_half_up(v, 1)), "pct" + suffix)


def describe(forv: Forvaltning, period: Period, t: Tables) -> Sheet:
    ws = Sheet.new(NAME, "Personal", [34, 14, 14, 14])
    ws.headers(2, ["Personal", period.month_label(), period.month_label(period.year - 1), "Målvärde helår"])
    ws.repeat_rows = (2, 2)
    figures = t.personal.figures
    r = 3
    for m in forv.personnel:
        count = m.kind is PersonnelKind.ANTAL
        ws.put(r, 0, count_label(m.name, figures.all_lacking([m.id]), forv))
        for c, col in enumerate(PERSONAL_COLUMNS, 1):
            _figure(ws, r, c, figures.value(m.id, col), count, bool(figures.lacks(m.id, col)))
        r += 1
    ws.note(r, PERSONAL_METHOD)
    r = notes(ws, r + 1, figures.all_lacking(), forv, "Personaltalen", across=4) + 1
    ws.put(r, 0, "Per verksamhet", "subtitle")
    heads = ["Verksamhet"]
    for m in forv.personnel:
        heads += [f"{m.name}, {period.month_label()}", f"{m.name}, {period.month_label(period.year - 1)}"]
    ws.widths = tuple(list(ws.widths) + [14.0] * (len(heads) - len(ws.widths)))
    ws.headers(r + 1, heads)
    per_unit = t.personal_per_unit
    for i, u in enumerate(forv.units, r + 2):
        ws.put(i, 0, u.name)
        c = 1
        for m in forv.personnel:
            for field in (Measure.UTFALL, Measure.UTFALL_FG):
                name = f"{m.id}|{field}"
                if per_unit.gap(u.id, name):
                    ws.missing(i, c)
                else:
                    _figure(ws, i, c, per_unit.value(u.id, name), m.kind is PersonnelKind.ANTAL)
                c += 1
    return ws
