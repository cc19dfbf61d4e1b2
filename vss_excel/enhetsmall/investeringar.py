"""The Investeringar sheet: the unit's projects, open rows for new ones, Summa investeringar."""

from __future__ import annotations

from ..keys import INVEST_SUMMA, Invest, invest
from ..model import Forvaltning, Period, Unit
from .builder import FIRST_DATA_ROW, SheetBuilder, significant, thresholds
from .cells import CondFormat, Kind, Op, SheetLayout
from .texts import threshold

NAME = "Investeringar"
SUM_COLS = {
    1: Invest.REDOVISAT_UTGIFTER,
    2: Invest.REDOVISAT_INKOMSTER,
    3: Invest.PROGNOS_UTGIFTER,
    4: Invest.PROGNOS_INKOMSTER,
    6: Invest.INVESTERINGSRAM,
}
COMMENT_COL = 8


def title(forv: Forvaltning, unit: Unit, period: Period) -> str:
    return f"{forv.short_name} – {unit.name}: investeringar {period.year}"


def share_key(forv: Forvaltning, unit: Unit) -> tuple[object, ...]:
    """What of the unit the sheet depends on besides its title: units alike share one layout."""
    return tuple((x.id, x.name) for x in forv.investments_of(unit.id))


def build(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    p = period
    headers = [
        "Projekt",
        f"Redovisat utgifter {p.span()}",
        f"Redovisat inkomster {p.span()}",
        f"Prognos utgifter {p.year}",
        f"Prognos inkomster {p.year}",
        f"Prognos netto {p.year}",
        f"Investeringsram {p.year}",
        "Avvikelse (ram − netto)",
        "Kommentar (krävs vid väsentlig avvikelse)",
    ]
    b = SheetBuilder(
        NAME,
        title(forv, unit, period),
        "Fyll i prognos för utgifter och inkomster per projekt, i hela kronor och som positiva belopp. "
        "Nya projekt skrivs på de tomma raderna. Avvikelse = ram − prognos netto: positiv betyder att "
        f"prognosen ligger under ramen. {threshold(forv)}",
        headers,
        [40, 16, 16, 16, 16, 15, 16, 15, 48],
    )
    rows: list[int] = []

    def tail(row: int, item: str, style: str) -> None:
        b.formula(row, 5, invest(item, Invest.PROGNOS_NETTO), Op.NETTO, [(row, 3), (row, 4)], style)
        b.formula(row, 7, invest(item, Invest.AVVIKELSE), Op.INV_AVVIKELSE, [(row, 6), (row, 5)], style)
        b.add(row, COMMENT_COL, Kind.INPUT, invest(item, Invest.KOMMENTAR), "input_wrap", validation="text")

    for pid, name in forv.investment_rows(unit.id):
        row = b.next_row()
        rows.append(row)
        if name is None:
            b.add(row, 0, Kind.INPUT, invest(pid, Invest.PROJEKT), "input_text", validation="projekt")
        else:
            b.add(row, 0, Kind.LABEL, invest(pid, Invest.PROJEKT), "label", name)
        b.add(row, 1, Kind.PREFILL, invest(pid, Invest.REDOVISAT_UTGIFTER), "tkr")
        b.add(row, 2, Kind.PREFILL, invest(pid, Invest.REDOVISAT_INKOMSTER), "tkr")
        for col, field in ((3, Invest.PROGNOS_UTGIFTER), (4, Invest.PROGNOS_INKOMSTER)):
            b.add(row, col, Kind.INPUT, invest(pid, field), "input_tkr", validation="investering")
        b.add(row, 6, Kind.PREFILL, invest(pid, Invest.INVESTERINGSRAM), "tkr")
        tail(row, pid, "tkr")
    row = b.next_row()
    b.add(row, 0, Kind.LABEL, invest(INVEST_SUMMA, Invest.PROJEKT), "label_bold", "Summa investeringar")
    for col, field in SUM_COLS.items():
        b.formula(row, col, invest(INVEST_SUMMA, field), Op.SUM, [(r, col) for r in rows], "tkr_bold")
    tail(row, INVEST_SUMMA, "tkr_bold")
    t, pct = thresholds(forv)
    b.conditional.append(
        CondFormat(
            FIRST_DATA_ROW,
            row,
            COMMENT_COL,
            f"AND(LEN(TRIM($I5))=0,OR({significant('$H5', '$G5', t, pct)}))",
            "missing",
        )
    )
    return b.done()
