"""The one description of the unit workbook (Enhetsmall): sheets, rows, columns, cells, names.

The template writer and the reader both use it, so a position is never guessed. Every cell is a
CellSpec with a domain key; formula cells carry a Derivation that both the Excel formula and
`evaluate` (through calc) are made from, so the workbook and Python compute the same thing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cached_property, lru_cache

from . import calc
from .model import STATUSES_NEEDING_COMMENT, Forvaltning, Key, LineKind, Period, PersonnelKind, Unit

TEMPLATE_VERSION = "1"
TEMPLATE_FORMAT = "vss-excel enhetsmall"
META_SHEET = "Metadata"

Value = str | Decimal | None


class Kind(Enum):
    TITLE = "title"
    NOTE = "note"
    HEADER = "header"
    LABEL = "label"  # fixed text in a locked cell
    PREFILL = "prefill"  # a value filled in before sending, locked
    INPUT = "input"  # open for the unit
    FORMULA = "formula"


# Kinds whose values are fixed when the workbook is made: the fingerprint covers them.
FIXED_KINDS = (Kind.TITLE, Kind.HEADER, Kind.LABEL, Kind.PREFILL)


@dataclass(frozen=True)
class Derivation:
    op: str  # sum, avvikelse, netto, inv_avvikelse, run_rate or budget_rest (see formula/derive)
    args: tuple[tuple[int, int], ...]  # (row, col) of the cells it reads, 0-based


@dataclass(frozen=True)
class CellSpec:
    row: int  # 0-based
    col: int
    kind: Kind
    key: Key
    style: str
    value: Value = None
    derivation: Derivation | None = None
    validation: str | None = None

    @cached_property
    def ref(self) -> str:
        return cell_ref(self.row, self.col)


@dataclass(frozen=True)
class CondFormat:
    first_row: int
    last_row: int
    col: int
    formula: str  # for the first row, relative row references
    style: str  # 'missing' (red) or 'attention' (orange)


@dataclass
class SheetLayout:
    name: str
    widths: list[float]
    header_row: int
    first_data_row: int
    cells: list[CellSpec] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    row_heights: dict[int, float] = field(default_factory=dict)
    conditional: list[CondFormat] = field(default_factory=list)
    hidden: bool = False
    _by_key: dict[Key, CellSpec] | None = field(default=None, repr=False, compare=False)

    @property
    def last_data_row(self) -> int:
        return max(c.row for c in self.cells)

    def by_key(self) -> dict[Key, CellSpec]:
        if self._by_key is None or len(self._by_key) != len(self.cells):
            self._by_key = {c.key: c for c in self.cells}
        return self._by_key

    @cached_property
    def fixed(self) -> list[CellSpec]:
        """Cells whose values are fixed when the workbook is made (the fingerprint's part)."""
        return [c for c in self.cells if c.kind in FIXED_KINDS and c.key not in FINGERPRINT_KEYS]

    def inputs(self) -> list[CellSpec]:
        return [c for c in self.cells if c.kind is Kind.INPUT]


@dataclass
class WorkbookLayout:
    forvaltning: str
    unit: Unit
    period: Period
    sheets: list[SheetLayout]  # the visible sheets, then the hidden metadata sheet
    names: dict[str, tuple[str, int, int]]  # defined name -> (sheet, row, col)

    def sheet(self, name: str) -> SheetLayout:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


def wrapped_height(cells: Iterable[tuple[object, float]]) -> float | None:
    """Row height (points) that shows wrapped texts whole: (text, column width) pairs.

    Neither XlsxWriter nor every spreadsheet program fits rows to wrapped text, so we do.
    """
    lines = 1
    for text, width in cells:
        if isinstance(text, str) and text:
            per_line = max(1, int(width * 1.1))
            lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in text.split("\n")))
    return min(409.0, 15.0 * lines) if lines > 1 else None


def col_letter(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


@lru_cache(maxsize=65536)
def cell_ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row + 1}"


# --- formulas ----------------------------------------------------------------------------

# Every worksheet function the workbook uses: all classic ones, readable by any Excel since 2007.
FUNCTIONS = frozenset({"IF", "COUNT", "SUM", "N", "AND", "OR", "ABS", "LEN", "TRIM"})


def _refs(cells: tuple[tuple[int, int], ...]) -> str:
    """A1 list for SUM/COUNT; one range where the cells are adjacent in one column."""
    cols = {c for _, c in cells}
    rows = sorted(r for r, _ in cells)
    if len(cols) == 1 and rows == list(range(rows[0], rows[0] + len(rows))) and len(rows) > 1:
        c = cols.pop()
        return f"{cell_ref(rows[0], c)}:{cell_ref(rows[-1], c)}"
    return ",".join(cell_ref(r, c) for r, c in cells)


def formula(d: Derivation, months: int) -> str:
    """The Excel formula of a derivation; empty inputs give an empty result, as calc does."""
    a = [cell_ref(r, c) for r, c in d.args]
    if d.op == "sum":
        refs = _refs(d.args)
        return f'=IF(COUNT({refs})=0,"",SUM({refs}))'
    if d.op == "avvikelse":
        return f'=IF({a[0]}="","",{a[0]}-N({a[1]}))'
    if d.op == "netto":
        return f'=IF(AND({a[0]}="",{a[1]}=""),"",N({a[0]})-N({a[1]}))'
    if d.op == "inv_avvikelse":
        return f'=IF({a[1]}="","",N({a[0]})-{a[1]})'
    if d.op == "run_rate":
        return f'=IF({a[0]}="","",{a[0]}*12/{months})'
    if d.op == "budget_rest":
        return f'=IF({a[0]}="","",{a[0]}+N({a[1]})-N({a[2]}))'
    raise ValueError(d.op)


def derive(d: Derivation, args: list[Decimal | None], months: int) -> Decimal | None:
    """The same derivation computed by calc."""
    if d.op == "sum":
        return calc.total(args)
    if d.op == "avvikelse":
        return calc.avvikelse(args[0], args[1])
    if d.op == "netto":
        return calc.investment_netto(args[0], args[1])
    if d.op == "inv_avvikelse":
        return calc.investment_avvikelse(args[0], args[1])
    if d.op == "run_rate":
        return calc.forecast_run_rate(args[0], months)
    if d.op == "budget_rest":
        return calc.forecast_budget_remainder(args[0], args[1], args[2])
    raise ValueError(d.op)


def evaluate(
    sheet: SheetLayout, values: Mapping[tuple[int, int], Decimal | None], months: int
) -> dict[tuple[int, int], Decimal | None]:
    """Values of every formula cell, given the numbers in the other cells (row, col)."""
    known: dict[tuple[int, int], Decimal | None] = dict(values)
    out: dict[tuple[int, int], Decimal | None] = {}
    for c in sheet.cells:  # cells are listed after the cells they depend on
        if c.derivation is None:
            continue
        args = [known.get(rc) for rc in c.derivation.args]
        known[(c.row, c.col)] = out[(c.row, c.col)] = derive(c.derivation, args, months)
    return out


# --- texts -------------------------------------------------------------------------------

LEGEND = (
    "Gula celler fyller du i; övriga celler är låsta. Belopp anges i kronor och visas i tkr. "
    "Intäkter anges med plustecken och kostnader med minustecken. "
    "Avvikelse = utfall eller prognos − budget: positiv avvikelse är bättre än budget."
)

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


# --- building ----------------------------------------------------------------------------


class _SheetBuilder:
    """Places title, instructions, header and rows; keeps cells in dependency order."""

    def __init__(self, name: str, title: str, instructions: str, headers: list[str], widths: list[float]):
        self.sheet = SheetLayout(name, widths, header_row=3, first_data_row=4)
        last_col = len(headers) - 1
        self.add(0, 0, Kind.TITLE, ("sheet", name, "title"), "title", title)
        self.add(1, 0, Kind.NOTE, ("sheet", name, "instructions"), "note", f"{instructions} {LEGEND}")
        self.sheet.merges.append((1, 0, 1, last_col))
        self.sheet.row_heights[1] = 62
        for c, h in enumerate(headers):
            self.add(3, c, Kind.HEADER, ("header", name, str(c)), "header", h)
        self.sheet.row_heights[3] = 45
        self.row = 4

    def add(
        self,
        row: int,
        col: int,
        kind: Kind,
        key: Key,
        style: str,
        value: Value = None,
        derivation: Derivation | None = None,
        validation: str | None = None,
    ) -> CellSpec:
        spec = CellSpec(row, col, kind, key, style, value, derivation, validation)
        self.sheet.cells.append(spec)
        return spec

    def formula(self, row: int, col: int, key: Key, op: str, args: list[tuple[int, int]], style: str) -> None:
        self.add(row, col, Kind.FORMULA, key, style, None, Derivation(op, tuple(args)))


def _drift(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
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
    ]
    b = _SheetBuilder(
        "Drift",
        f"{forv.short_name} – {unit.name}: drift {p.span()}",
        "Fyll i Prognos helår för varje rad och kommentera väsentliga avvikelser (röd kommentarcell). "
        "Förslagskolumnerna längst till höger är beräknade förslag, inte din prognos.",
        headers,
        [42, 15, 15, 13, 15, 15, 15, 13, 15, 48, 17, 17],
    )
    # columns: 1 redovisat, 2 budget, 3 avv, 4 fg, 5 prognos, 6 budget helår, 7 avv helår, 8 bokslut
    sum_cols = {
        1: "redovisat",
        2: "budget",
        4: "redovisat_fg",
        5: "prognos",
        6: "budget_helar",
        8: "bokslut_fg",
    }
    prefill_cols = {
        1: "redovisat",
        2: "budget",
        4: "redovisat_fg",
        6: "budget_helar",
        8: "bokslut_fg",
    }

    def derived_tail(row: int, item: str, bold: bool) -> None:
        tkr = "tkr_bold" if bold else "tkr"
        b.formula(row, 3, ("drift", item, "avvikelse"), "avvikelse", [(row, 1), (row, 2)], tkr)
        b.formula(row, 7, ("drift", item, "avvikelse_helar"), "avvikelse", [(row, 5), (row, 6)], tkr)
        b.add(row, 9, Kind.INPUT, ("drift", item, "kommentar"), "input_wrap", validation="text")
        b.formula(row, 10, ("drift", item, "forslag_utfallstakt"), "run_rate", [(row, 1)], "tkr_hint")
        b.formula(
            row,
            11,
            ("drift", item, "forslag_budgetrest"),
            "budget_rest",
            [(row, 1), (row, 6), (row, 2)],
            "tkr_hint",
        )

    def line_row(line_id: str, name: str, kind: LineKind) -> int:
        row = b.row
        b.row += 1
        b.add(row, 0, Kind.LABEL, ("drift", line_id, "rad"), "label", name)
        for col, field_name in prefill_cols.items():
            b.add(row, col, Kind.PREFILL, ("drift", line_id, field_name), "tkr")
        check = {LineKind.INTAKT: "intakt", LineKind.KOSTNAD: "kostnad"}.get(kind, "belopp")
        b.add(row, 5, Kind.INPUT, ("drift", line_id, "prognos"), "input_tkr", validation=check)
        derived_tail(row, line_id, False)
        return row

    def sum_row(item: str, name: str, rows: list[int]) -> int:
        row = b.row
        b.row += 1
        b.add(row, 0, Kind.LABEL, ("drift", item, "rad"), "label_bold", name)
        for col, field_name in sum_cols.items():
            b.formula(row, col, ("drift", item, field_name), "sum", [(r, col) for r in rows], "tkr_bold")
        derived_tail(row, item, True)
        return row

    income = [line_row(x.id, x.name, x.kind) for x in forv.drift_lines if x.kind is LineKind.INTAKT]
    total_rows: list[int] = []
    if len(income) > 1:
        total_rows.append(sum_row("summa_intakter", "Summa intäkter", income))
    else:
        total_rows += income
    costs = [line_row(x.id, x.name, x.kind) for x in forv.drift_lines if x.kind is LineKind.KOSTNAD]
    total_rows.append(sum_row("summa_kostnader", "Summa kostnader", costs))
    sum_row("resultat", "Resultat (netto)", total_rows)
    for x in forv.drift_lines:
        if x.kind is LineKind.VARAV:
            line_row(x.id, x.name, x.kind)
    b.sheet.first_data_row = 4
    t, pct = _thresholds(forv)
    first, last = 4, b.row - 1
    b.sheet.conditional.append(
        CondFormat(
            first,
            last,
            9,
            (
                f"AND(LEN(TRIM($J5))=0,OR({_significant('$D5', '$C5', t, pct)},"
                f"{_significant('$H5', '$G5', t, pct)}))"
            ),
            "missing",
        )
    )
    return b.sheet


def _thresholds(forv: Forvaltning) -> tuple[str, str]:
    return _num(forv.thresholds.tkr * 1000), _num(forv.thresholds.percent)


def _num(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _significant(dev: str, budget: str, t: str, pct: str) -> str:
    """Excel mirror of calc.is_significant for one avvikelse cell and its budget cell."""
    return f"ABS(N({dev}))>={t},AND(N({budget})<>0,ABS(N({dev}))>=ABS(N({budget}))*{pct}/100)"


def _investeringar(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
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
    b = _SheetBuilder(
        "Investeringar",
        f"{forv.short_name} – {unit.name}: investeringar {p.year}",
        "Fyll i prognos för utgifter och inkomster per projekt (positiva belopp). Nya projekt skrivs "
        "på de tomma raderna. Positiv avvikelse betyder att prognosen ligger under ramen.",
        headers,
        [40, 16, 16, 16, 16, 15, 16, 15, 48],
    )
    rows: list[int] = []
    projects: list[tuple[str, str | None]] = [(x.id, x.name) for x in forv.investments_of(unit.id)]
    projects += [(f"nytt{i}", None) for i in range(1, forv.open_investment_rows + 1)]
    for pid, name in projects:
        row = b.row
        b.row += 1
        rows.append(row)
        if name is None:
            b.add(
                row,
                0,
                Kind.INPUT,
                ("investering", pid, "projekt"),
                "input_text",
                validation="projekt",
            )
        else:
            b.add(row, 0, Kind.LABEL, ("investering", pid, "projekt"), "label", name)
        b.add(row, 1, Kind.PREFILL, ("investering", pid, "redovisat_utgifter"), "tkr")
        b.add(row, 2, Kind.PREFILL, ("investering", pid, "redovisat_inkomster"), "tkr")
        b.add(
            row,
            3,
            Kind.INPUT,
            ("investering", pid, "prognos_utgifter"),
            "input_tkr",
            validation="investering",
        )
        b.add(
            row,
            4,
            Kind.INPUT,
            ("investering", pid, "prognos_inkomster"),
            "input_tkr",
            validation="investering",
        )
        b.formula(row, 5, ("investering", pid, "prognos_netto"), "netto", [(row, 3), (row, 4)], "tkr")
        b.add(row, 6, Kind.PREFILL, ("investering", pid, "investeringsram"), "tkr")
        b.formula(row, 7, ("investering", pid, "avvikelse"), "inv_avvikelse", [(row, 6), (row, 5)], "tkr")
        b.add(row, 8, Kind.INPUT, ("investering", pid, "kommentar"), "input_wrap", validation="text")
    row = b.row
    b.add(row, 0, Kind.LABEL, ("investering", "summa", "projekt"), "label_bold", "Summa investeringar")
    for col, fname in (
        (1, "redovisat_utgifter"),
        (2, "redovisat_inkomster"),
        (3, "prognos_utgifter"),
        (4, "prognos_inkomster"),
        (6, "investeringsram"),
    ):
        b.formula(row, col, ("investering", "summa", fname), "sum", [(r, col) for r in rows], "tkr_bold")
    b.formula(row, 5, ("investering", "summa", "prognos_netto"), "netto", [(row, 3), (row, 4)], "tkr_bold")
    b.formula(
        row,
        7,
        ("investering", "summa", "avvikelse"),
        "inv_avvikelse",
        [(row, 6), (row, 5)],
        "tkr_bold",
    )
    b.add(row, 8, Kind.INPUT, ("investering", "summa", "kommentar"), "input_wrap", validation="text")
    b.row += 1
    t, pct = _thresholds(forv)
    b.sheet.conditional.append(
        CondFormat(4, row, 8, (f"AND(LEN(TRIM($I5))=0,OR({_significant('$H5', '$G5', t, pct)}))"), "missing")
    )
    return b.sheet


def _volymer(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    p = period
    headers = [
        "Volymmått (basuppdrag)",
        f"Prognos {p.year}",
        f"Utfall {p.span()}",
        f"Utfall {p.previous_span}",
        "Kommentar",
    ]
    b = _SheetBuilder(
        "Volymer",
        f"{forv.short_name} – {unit.name}: basuppdrag (volymmått)",
        "Fyll i prognos för helåret och utfall till och med periodens slut (ackumulerat), "
        "samt samma period föregående år om det saknas.",
        headers,
        [40, 15, 17, 17, 60],
    )
    for v in forv.volumes_of(unit.id):
        row = b.row
        b.row += 1
        b.add(row, 0, Kind.LABEL, ("volym", v.id, "matt"), "label", v.name)
        b.add(row, 1, Kind.INPUT, ("volym", v.id, "prognos"), "input_count", validation="volym")
        b.add(row, 2, Kind.INPUT, ("volym", v.id, "utfall"), "input_count", validation="volym")
        b.add(row, 3, Kind.INPUT, ("volym", v.id, "utfall_fg"), "input_count", validation="volym")
        b.add(row, 4, Kind.INPUT, ("volym", v.id, "kommentar"), "input_wrap", validation="text")
    if b.row == 4:
        b.add(
            4,
            0,
            Kind.LABEL,
            ("volym", "-", "matt"),
            "note",
            "Enheten har inga volymmått att rapportera.",
        )
    return b.sheet


def _personal(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    p = period
    headers = [
        "Personal",
        p.month_label(),
        p.month_label(p.year - 1),
        "Målvärde helår",
        "Kommentar",
    ]
    b = _SheetBuilder(
        "Personal",
        f"{forv.short_name} – {unit.name}: personal",
        "Fyll i värden per periodens slut för i år och samma period föregående år. "
        "Procent anges som tal mellan 0 och 100 (5,0 betyder 5 %).",
        headers,
        [40, 15, 15, 15, 60],
    )
    for m in forv.personnel:
        row = b.row
        b.row += 1
        count = m.kind is PersonnelKind.ANTAL
        style = "input_count" if count else "input_pct"
        rule = "antal" if count else "procent"
        b.add(row, 0, Kind.LABEL, ("personal", m.id, "matt"), "label", m.name)
        b.add(row, 1, Kind.INPUT, ("personal", m.id, "utfall"), style, validation=rule)
        b.add(row, 2, Kind.INPUT, ("personal", m.id, "utfall_fg"), style, validation=rule)
        b.add(row, 3, Kind.PREFILL, ("personal", m.id, "malvarde"), "count" if count else "pct")
        b.add(row, 4, Kind.INPUT, ("personal", m.id, "kommentar"), "input_wrap", validation="text")
    return b.sheet


def _aktiviteter(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    headers = ["Perspektiv", "Mål", "Aktivitet", f"Slutdatum {period.year}", "Status", "Kommentar"]
    legend = "; ".join(forv.statuses)
    b = _SheetBuilder(
        "Aktiviteter",
        f"{forv.short_name} – {unit.name}: verksamhetsplanens aktiviteter",
        f"Välj status för varje aktivitet ({legend}) och kommentera. Status Anpassats, Ersatts, "
        "Pausad och Utgått kräver kommentar.",
        headers,
        [14, 34, 56, 13, 13, 60],
    )
    for a in forv.activities_of(unit.id):
        row = b.row
        b.row += 1
        text = a.text + (" (Strategiskt utvecklingsuppdrag)" if a.strategic else "")
        b.add(row, 0, Kind.LABEL, ("aktivitet", a.id, "perspektiv"), "label_wrap", a.perspective)
        b.add(row, 1, Kind.LABEL, ("aktivitet", a.id, "mal"), "label_wrap", a.goal)
        b.add(row, 2, Kind.LABEL, ("aktivitet", a.id, "aktivitet"), "label_wrap", text)
        b.add(row, 3, Kind.LABEL, ("aktivitet", a.id, "slutdatum"), "label_wrap", a.deadline)
        b.add(row, 4, Kind.INPUT, ("aktivitet", a.id, "status"), "input_text", validation="status")
        height = wrapped_height([(a.goal, 34), (text, 56)])
        if height:
            b.sheet.row_heights[row] = max(height, 30.0)  # room for a comment too
        b.add(row, 5, Kind.INPUT, ("aktivitet", a.id, "kommentar"), "input_wrap", validation="text")
    if b.row == 4:
        b.add(
            4,
            0,
            Kind.LABEL,
            ("aktivitet", "-", "perspektiv"),
            "note",
            "Enheten har inga aktiviteter i verksamhetsplanen att följa upp.",
        )
    else:
        needs = ",".join(f'$E5="{s}"' for s in STATUSES_NEEDING_COMMENT if s in forv.statuses)
        b.sheet.conditional.append(
            CondFormat(4, b.row - 1, 5, f"AND(LEN(TRIM($F5))=0,OR({needs}))", "missing")
        )
        b.sheet.conditional.append(CondFormat(4, b.row - 1, 4, "LEN(TRIM($E5))=0", "attention"))
    return b.sheet


STANDARD_QUESTIONS = (
    ("vasentliga_avvikelser", "Väsentliga avvikelser: ekonomi, volymer och personal"),
    ("analys", "Analys och kommentar"),
    ("sarskilda_handelser", "Påverkan av särskilda händelser (t.ex. coronapandemin)"),
    ("samlad_bedomning", "Samlad bedömning av ekonomi, verksamhet och personal"),
)


def _analys(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    b = _SheetBuilder(
        "Analys",
        f"{forv.short_name} – {unit.name}: analys {period.span()}",
        "Besvara frågorna i de gula rutorna. Markera till sist Klar för konsolidering = Ja.",
        ["Fråga", "Svar"],
        [44, 110],
    )
    questions = list(STANDARD_QUESTIONS) + [(q.id, q.text) for q in forv.questions]
    for qid, text in questions:
        row = b.row
        b.row += 1
        b.add(row, 0, Kind.LABEL, ("analys", qid, "fraga"), "label_wrap", text)
        b.add(row, 1, Kind.INPUT, ("analys", qid, "svar"), "input_wrap", validation="text")
        b.sheet.row_heights[row] = 110
    b.row += 1
    row = b.row
    b.add(row, 0, Kind.LABEL, ("analys", "ifylld_av", "fraga"), "label_bold", "Ifylld av (namn)")
    b.add(row, 1, Kind.INPUT, ("analys", "ifylld_av", "svar"), "input_text", validation="text")
    b.add(row + 1, 0, Kind.LABEL, ("analys", "klar", "fraga"), "label_bold", "Klar för konsolidering")
    b.add(row + 1, 1, Kind.INPUT, ("analys", "klar", "svar"), "input_text", validation="jaNej")
    b.sheet.conditional.append(
        CondFormat(row + 1, row + 1, 1, "TRIM($B" + str(row + 2) + ')<>"Ja"', "attention")
    )
    b.row += 2
    return b.sheet


META_FIELDS = (
    ("format", "Format"),
    ("mallversion", "Mallversion"),
    ("forvaltning", "Förvaltning"),
    ("enhet_id", "Enhet (id)"),
    ("enhet_namn", "Enhet"),
    ("period", "Period"),
    ("periodtyp", "Periodtyp"),
    ("vasentlighet_tkr", "Väsentlighet, tkr"),
    ("vasentlighet_procent", "Väsentlighet, procent"),
    ("fingeravtryck", "Fingeravtryck"),
    ("fingeravtryck_blad", "Fingeravtryck per blad"),
)
META_NAMES = {
    "mallversion": "VSS_Mallversion",
    "enhet_id": "VSS_Enhet",
    "period": "VSS_Period",
    "fingeravtryck": "VSS_Fingeravtryck",
}


def _metadata(forv: Forvaltning, unit: Unit, period: Period) -> SheetLayout:
    s = SheetLayout(META_SHEET, [24, 70], header_row=0, first_data_row=1, hidden=True)
    values: dict[str, Value] = {
        "format": TEMPLATE_FORMAT,
        "mallversion": TEMPLATE_VERSION,
        "forvaltning": forv.name,
        "enhet_id": unit.id,
        "enhet_namn": unit.name,
        "period": period.iso,
        "periodtyp": period.kind,
        "vasentlighet_tkr": forv.thresholds.tkr,
        "vasentlighet_procent": forv.thresholds.percent,
        "fingeravtryck": None,  # set by the template once the fixed values are known
        "fingeravtryck_blad": None,
    }
    s.cells.append(CellSpec(0, 0, Kind.HEADER, ("meta", "nyckel", "rubrik"), "header", "Nyckel"))
    s.cells.append(CellSpec(0, 1, Kind.HEADER, ("meta", "varde", "rubrik"), "header", "Värde"))
    for i, (k, label) in enumerate(META_FIELDS, 1):
        s.cells.append(CellSpec(i, 0, Kind.LABEL, ("meta", k, "nyckel"), "label", label))
        s.cells.append(CellSpec(i, 1, Kind.LABEL, ("meta", k, "varde"), "meta", values[k]))
    return s


SHEET_BUILDERS: tuple[Callable[[Forvaltning, Unit, Period], SheetLayout], ...] = (
    _drift,
    _investeringar,
    _volymer,
    _personal,
    _aktiviteter,
    _analys,
    _metadata,
)


_built: dict[tuple[int, str, Period], tuple[Forvaltning, WorkbookLayout]] = {}


def build(forv: Forvaltning, unit: Unit, period: Period | None = None) -> WorkbookLayout:
    """The layout of one unit's workbook; built once per settings, unit and period (read-only)."""
    period = period or forv.period
    key = (id(forv), unit.id, period)
    hit = _built.get(key)
    if hit is not None and hit[0] is forv and hit[1].unit == unit:
        return hit[1]
    if len(_built) > 4096:
        _built.clear()
    wl = _build(forv, unit, period)
    _built[key] = (forv, wl)
    return wl


def _build(forv: Forvaltning, unit: Unit, period: Period) -> WorkbookLayout:
    sheets = [f(forv, unit, period) for f in SHEET_BUILDERS]
    meta = sheets[-1]
    names = {}
    for c in meta.cells:
        if c.key[2] == "varde" and c.key[1] in META_NAMES:
            names[META_NAMES[c.key[1]]] = (META_SHEET, c.row, c.col)
    klar = sheets[5].by_key()[("analys", "klar", "svar")]
    names["VSS_KlarForKonsolidering"] = ("Analys", klar.row, klar.col)
    return WorkbookLayout(forv.name, unit, period, sheets, names)


# --- fingerprint ---------------------------------------------------------------------------


def canonical(value: object) -> str:
    """One text per value however a reader returns it: 191600, 191600.0 and Decimal agree."""
    if type(value) is str:  # most fixed cells: labels and headers
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if d == d.to_integral_value():
            return str(int(d))
        return format(d.normalize(), "f")
    return str(value).strip()


FINGERPRINT_KEYS = (("meta", "fingeravtryck", "varde"), ("meta", "fingeravtryck_blad", "varde"))


def _fixed_items(
    layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object], sheet: str | None = None
) -> list[list[str]]:
    return [
        [s.name, c.ref, canonical(values.get((s.name, c.row, c.col)))]
        for s in layout.sheets
        if sheet is None or s.name == sheet
        for c in s.fixed
    ]


def _digest(items: list[list[str]]) -> str:
    data = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def fingerprint(layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object]) -> str:
    """SHA-256 over every fixed cell (title, headers, labels, prefilled values) but itself."""
    return _digest(_fixed_items(layout, values))


def sheet_fingerprints(layout: WorkbookLayout, values: Mapping[tuple[str, int, int], object]) -> str:
    """'Drift:1a2b…;Investeringar:…': tells which sheet's locked part was changed."""
    return ";".join(f"{s.name}:{_digest(_fixed_items(layout, values, s.name))[:16]}" for s in layout.sheets)
