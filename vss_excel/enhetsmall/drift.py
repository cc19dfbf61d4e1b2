"""The Drift sheet: one row per drift line, sums, Resultat, the unit's prognos and comments."""

from __future__ import annotations

from ..keys import RESULTAT, SUMMA_INTAKTER, SUMMA_KOSTNADER, Drift, drift
from ..model import Forvaltning, LineKind, Period, Unit
from .builder import FIRST_DATA_ROW, SheetBuilder, significant, thresholds
from .cells import CondFormat, Kind, Op, SheetLayout
from .texts import AMOUNTS, DEVIATION, threshold

NAME = "Drift"
# Columns: the amounts a sum row adds up, and the prefilled ones of a line row.
SUM_COLS = {
    1: Drift.REDOVISAT,
    2: Drift.BUDGET,
    4: Drift.REDOVISAT_FG,
    5: Drift.PROGNOS,
    6: Drift.BUDGET_HELAR,
    8: Drift.BOKSLUT_FG,
    13: Drift.FOREGAENDE_PROGNOS,
}
PREFILL_COLS = {c: f for c, f in SUM_COLS.items() if f is not Drift.PROGNOS}
PROGNOS_COL, COMMENT_COL = 5, 9
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
        b.formula(row, 3, drift(item, Drift.AVVIKELSE), Op.AVVIKELSE, [(row, 1), (row, 2)], tkr)
        b.formula(row, 7, drift(item, Drift.AVVIKELSE_HELAR), Op.AVVIKELSE, [(row, 5), (row, 6)], tkr)
        b.add(row, COMMENT_COL, Kind.INPUT, drift(item, Drift.KOMMENTAR), "input_wrap", validation="text")
        b.formula(row, 10, drift(item, Drift.FORSLAG_UTFALLSTAKT), Op.RUN_RATE, [(row, 1)], "tkr_hint")
        b.formula(
            row,
            11,
            drift(item, Drift.FORSLAG_BUDGETREST),
            Op.BUDGET_REST,
            [(row, 1), (row, 6), (row, 2)],
            "tkr_hint",
        )
        b.formula(
            row,
            12,
            drift(item, Drift.FORSLAG_SASONG),
            Op.SEASONAL,
            [(row, 1), (row, 4), (row, 8)],
            "tkr_hint",
        )
        b.formula(row, 14, drift(item, Drift.FORANDRING), Op.CHANGE, [(row, 5), (row, 13)], tkr)

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
    b.conditional.append(
        CondFormat(
            FIRST_DATA_ROW,
            b.row - 1,
            COMMENT_COL,
            (  # a comment on the Resultat row explains the unit's rows too, as Konsolidera reads it
                f"AND(LEN(TRIM($J5))=0,LEN(TRIM($J${result_row + 1}))=0,"
                f"OR({significant('$D5', '$C5', t, pct)},{significant('$H5', '$G5', t, pct)},"
                f"{significant('$O5', '$G5', t, pct)}))"
            ),
            "missing",
        )
    )
    return b.done()
