"""The Drift sheet: one row per drift line, sums, Resultat, the unit's prognos and comments."""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name

from ..keys import RESULTAT, SUMMA_INTAKTER, SUMMA_KOSTNADER, Drift, drift
from ..model import Forvaltning, LineKind, Period, Unit
from .builder import FIRST_DATA_ROW, SheetBuilder, significant, thresholds
from .cells import CondFormat, Kind, Op, SheetLayout
from .texts import AMOUNTS, DEVIATION, threshold

NAME = "Drift"
# Where each column stands: the one place the sheet's positions are said (formulas, the
# conditional format and the headers follow it).
COL = {
    Drift.REDOVISAT: 1,
    Drift.BUDGET: 2,
    Drift.AVVIKELSE: 3,
    Drift.REDOVISAT_FG: 4,
    Drift.PROGNOS: 5,
    Drift.BUDGET_HELAR: 6,
    Drift.AVVIKELSE_HELAR: 7,
    Drift.BOKSLUT_FG: 8,
    Drift.KOMMENTAR: 9,
    Drift.FORSLAG_UTFALLSTAKT: 10,
    Drift.FORSLAG_BUDGETREST: 11,
    Drift.FORSLAG_SASONG: 12,
    Drift.FOREGAENDE_PROGNOS: 13,
    Drift.FORANDRING: 14,
}
# Columns: the amounts a sum row adds up, and the prefilled ones of a line row.
SUM_COLS = {
    COL[f]: f
    for f in (
        Drift.REDOVISAT,
        Drift.BUDGET,
        Drift.REDOVISAT_FG,
        Drift.PROGNOS,
        Drift.BUDGET_HELAR,
        Drift.BOKSLUT_FG,
        Drift.FOREGAENDE_PROGNOS,
    )
}
PREFILL_COLS = {c: f for c, f in SUM_COLS.items() if f is not Drift.PROGNOS}
PROGNOS_COL, COMMENT_COL = COL[Drift.PROGNOS], COL[Drift.KOMMENTAR]
# What every row computes: (column, operation, the columns it reads, a suggestion's style).
DERIVED = (
    (Drift.AVVIKELSE, Op.AVVIKELSE, (Drift.REDOVISAT, Drift.BUDGET), False),
    (Drift.AVVIKELSE_HELAR, Op.AVVIKELSE, (Drift.PROGNOS, Drift.BUDGET_HELAR), False),
    (Drift.FORSLAG_UTFALLSTAKT, Op.RUN_RATE, (Drift.REDOVISAT,), True),
    (Drift.FORSLAG_BUDGETREST, Op.BUDGET_REST, (Drift.REDOVISAT, Drift.BUDGET_HELAR, Drift.BUDGET), True),
    (Drift.FORSLAG_SASONG, Op.SEASONAL, (Drift.REDOVISAT, Drift.REDOVISAT_FG, Drift.BOKSLUT_FG), True),
    (Drift.FORANDRING, Op.CHANGE, (Drift.PROGNOS, Drift.FOREGAENDE_PROGNOS), False),
)
VALIDATION = {LineKind.INTAKT: "intakt", LineKind.KOSTNAD: "kostnad", LineKind.VARAV: "belopp"}


def title(forv: Forvaltning, unit: Unit, period: Period) -> str:
    return f"{forv.short_name} – {unit.name}: drift {period.span()}"


def share_key(forv: Forvaltning, unit: Unit) -> tuple[object, ...]:
    """What of the unit the sheet depends on besides its title: units alike share one layout."""
    return ()


def build(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    p = period
    headers = [
        "Driftredovisning, kronor (visas i tkr)",
        f"Redovisat {p.span()}",
        f"Budget {p.span()}",
        "Avvikelse",
        f"Redovisat {p.previous_span}",
        f"Prognos helår {p.year}",
        f"Budget {p.year}",
        "Avvikelse helår",
        f"Bokslut {p.year - 1}",
        "Kommentar (krävs vid väsentlig avvikelse)",
        "Förslag: prognos enligt utfallstakt",
        "Förslag: prognos enligt budgetrest",
        "Förslag: prognos enligt säsong (som föregående år)",
        "Föregående prognos",
        "Förändring mot föregående prognos",
    ]
    b = SheetBuilder(
        NAME,
        title(forv, unit, period),
        "Fyll i Prognos helår på varje rad (0 om raden inte har några belopp). "
        f"{AMOUNTS} {DEVIATION} {threshold(forv)} En kommentar på raden Resultat gäller hela bladet. "
        "Förslagskolumnerna till höger är beräknade förslag, inte din prognos.",
        headers,
        [42, 15, 15, 13, 15, 15, 15, 13, 15, 48, 17, 17, 17, 15, 15],
    )

    def derived_tail(row: int, item: str, bold: bool) -> None:
        tkr = "tkr_bold" if bold else "tkr"
        for field, op, reads, hint in DERIVED:
            args = [(row, COL[f]) for f in reads]
            b.formula(row, COL[field], drift(item, field), op, args, "tkr_hint" if hint else tkr)
            if field is Drift.AVVIKELSE_HELAR:  # the comment stands between the two kinds
                b.add(
                    row,
                    COMMENT_COL,
                    Kind.INPUT,
                    drift(item, Drift.KOMMENTAR),
                    "input_wrap",
                    validation="text",
                )

    def line_row(line_id: str, name: str, kind: LineKind) -> int:
        row = b.next_row()
        b.add(row, 0, Kind.LABEL, drift(line_id, Drift.RAD), "label", name)
        for col, field in PREFILL_COLS.items():
            b.add(row, col, Kind.PREFILL, drift(line_id, field), "tkr")
        b.add(
            row,
            PROGNOS_COL,
            Kind.INPUT,
            drift(line_id, Drift.PROGNOS),
            "input_tkr",
            validation=VALIDATION[kind],
        )
        derived_tail(row, line_id, False)
        return row

    def sum_row(item: str, name: str, rows: list[int]) -> int:
        row = b.next_row()
        b.add(row, 0, Kind.LABEL, drift(item, Drift.RAD), "label_bold", name)
        for col, field in SUM_COLS.items():
            op = Op.SUM_ALL if field is Drift.FOREGAENDE_PROGNOS else Op.SUM
            b.formula(row, col, drift(item, field), op, [(r, col) for r in rows], "tkr_bold")
        derived_tail(row, item, True)
        return row

    income = [line_row(x.id, x.name, x.kind) for x in forv.drift_lines if x.kind is LineKind.INTAKT]
    total_rows: list[int] = []
    if forv.income_total == SUMMA_INTAKTER:
        total_rows.append(sum_row(SUMMA_INTAKTER, "Summa intäkter", income))
    else:
        total_rows += income
    costs = [line_row(x.id, x.name, x.kind) for x in forv.drift_lines if x.kind is LineKind.KOSTNAD]
    total_rows.append(sum_row(SUMMA_KOSTNADER, "Summa kostnader", costs))
    result_row = sum_row(RESULTAT, "Resultat (netto)", total_rows)
    for x in forv.drift_lines:
        if x.kind is LineKind.VARAV:
            line_row(x.id, x.name, x.kind)
    t, pct = thresholds(forv)

    def at(field: Drift, row: str = str(FIRST_DATA_ROW + 1)) -> str:
        return f"${xl_col_to_name(COL[field])}{row}"

    dev, dev_year, moved = at(Drift.AVVIKELSE), at(Drift.AVVIKELSE_HELAR), at(Drift.FORANDRING)
    comment, result_comment = at(Drift.KOMMENTAR), at(Drift.KOMMENTAR, f"${result_row + 1}")
    budget, budget_year = at(Drift.BUDGET), at(Drift.BUDGET_HELAR)
    b.conditional.append(
        CondFormat(  # the rows a comment is asked for: up to Resultat (varav rows need none)
            FIRST_DATA_ROW,
            result_row,
            COMMENT_COL,
            (  # a comment on the Resultat row explains the unit's rows too, as Konsolidera reads it
                f"AND(LEN(TRIM({comment}))=0,LEN(TRIM({result_comment}))=0,"
                f"OR({significant(dev, budget, t, pct)},{significant(dev_year, budget_year, t, pct)},"
                f"{significant(moved, budget_year, t, pct)}))"
            ),
            "missing",
        )
    )
    return b.done()
