"""The Avstämning workbook beside the templates: what the ledger says, what went where, what did not.

Sheet "Avstämning": the whole ledger first, then one block per unit. Each block shows the drift
rows as the templates get them (tkr), the amounts not placed by reason (tkr), and the
reconciliation in kronor: huvudboken = driftraderna + ej placerat, with the difference (0). A
full-year column the file lacks months for is empty on the drift rows, said under the title and
in each unit's block, with the months.
Sheet "Ej placerat": every amount no drift row holds, with its line, object, account and reason.
Sheet "Investeringar" (when the settings name projects in the ledger): each investment's
Redovisat utgifter and inkomster as the templates get them, empty where the template is, and why.
Text from the ledger is written as text, never as a formula. Written atomically.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import calc, files
from ..keys import DRIFT_PREFILL, Drift
from ..model import MONTH_ABBR, Forvaltning
from ..xlsxtext import write_text
from .distribute import mapped_lines
from .records import ZERO, Reason, Reconciliation, Tally
from .texts import SHEET, column_titles, partial_text, workbook_name

TKR, KR = "#,##0", "#,##0.00"
MAX_ROWS = 1_000_000  # rows of the Ej placerat sheet (a sheet holds 1 048 576)


def write(folder: str | Path, forv: Forvaltning, rec: Reconciliation) -> Path:
    """Write `Avstämning <kortnamn> <period>.xlsx` in the folder; return its path."""
    import xlsxwriter

    target = Path(folder) / workbook_name(forv, rec)
    target.parent.mkdir(parents=True, exist_ok=True)
    files.check_output(target, [])
    with files.replacing(target, ".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"in_memory": True})
        fmt = {
            "title": wb.add_format({"bold": True, "font_size": 14}),
            "head": wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}),
            "block": wb.add_format({"bold": True, "top": 1}),
            "tkr": wb.add_format({"num_format": TKR}),
            "kr": wb.add_format({"num_format": KR}),
            "sum_tkr": wb.add_format({"num_format": TKR, "bold": True}),
            "sum_kr": wb.add_format({"num_format": KR, "bold": True}),
            "note": wb.add_format({"bold": True, "font_color": "#9C0006"}),
        }
        _summary(wb.add_worksheet("Avstämning"), fmt, forv, rec)
        _not_placed(wb.add_worksheet(SHEET), fmt, forv, rec)
        if rec.projects:
            _projects(wb.add_worksheet("Investeringar"), fmt, forv, rec)
        for ws in wb.worksheets():  # printed as read: A4 landscape, every column on the page
            ws.set_paper(9)
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
        wb.close()
    return target


def _summary(ws: Any, fmt: dict[str, Any], forv: Forvaltning, rec: Reconciliation) -> None:
    titles = column_titles(rec.period)
    ws.set_column(0, 0, 44)
    ws.set_column(1, len(DRIFT_PREFILL), 17)
    ws.write_string(
        0, 0, f"Avstämning av huvudboken mot mallarna – {forv.name}, {rec.period.span()}", fmt["title"]
    )
    ws.write_string(
        1,
        0,
        f"Källa: {rec.source}. Belopp i tkr där inget annat anges; avstämningen i kronor. "
        "Avrundningsdifferenser kan förekomma.",
    )
    if rec.partial:
        lacks, export = partial_text(rec, list(rec.partial))
        ws.write_string(
            2,
            0,
            f"{_left_empty(rec, list(rec.partial))} i alla mallar: filen har ingen rad med {lacks}. "
            f"Exportera {export}.",
            fmt["note"],
        )
    ws.write_string(3, 0, "", fmt["head"])
    for j, c in enumerate(DRIFT_PREFILL, 1):
        ws.write_string(3, j, titles[c], fmt["head"])
    ws.freeze_panes(4, 1)
    names = {x.id: x.name for x in forv.drift_lines}
    lines = mapped_lines(forv)
    sums = _reason_sums(rec)
    row = 5
    blocks: list[tuple[str, str | None, dict[Drift, Tally]]] = [("Hela huvudboken", None, dict(rec.total))]
    for u in forv.units:
        codes = f" (ansvar {', '.join(u.ansvar)})" if u.ansvar else ""
        shown = u.name + codes + ("" if u.id in rec.found else ": inga belopp i huvudboken")
        blocks.append((shown, u.id, dict(rec.units[u.id])))
    for title, unit, tallies in blocks:
        write_text(ws, row, 0, title, fmt["block"])
        for j in range(1, len(DRIFT_PREFILL) + 1):
            ws.write_blank(row, j, None, fmt["block"])
        row += 1
        cols = [c for c in rec.partial if unit is not None and (unit, c) in rec.present]
        if cols:
            lacks, _ = partial_text(rec, cols)
            ws.write_string(row, 0, f"{_left_empty(rec, cols)} i mallen: filen har ingen rad med {lacks}.")
            row += 1
        for line in lines:
            amounts = [_placed(rec, forv, unit, line, c) for c in DRIFT_PREFILL]
            row = _row(ws, row, names[line], amounts, fmt["tkr"], True, _blank(rec, unit, line))
        placed = [tallies[c].placed for c in DRIFT_PREFILL]
        row = _row(ws, row, "Summa på driftraderna", placed, fmt["sum_tkr"], True, _blank(rec, unit))
        for reason in Reason:
            amounts = [sums.get((unit, reason, c), ZERO) for c in DRIFT_PREFILL]
            if any(amounts):
                row = _row(ws, row, f"Ej placerat: {reason.value}", amounts, fmt["tkr"], tkr=True)
        row = _row(ws, row, "Huvudboken, kr", [tallies[c].ledger for c in DRIFT_PREFILL], fmt["kr"])
        row = _row(ws, row, "Driftraderna, kr", [tallies[c].placed for c in DRIFT_PREFILL], fmt["kr"])
        row = _row(ws, row, "Ej placerat, kr", [tallies[c].not_placed for c in DRIFT_PREFILL], fmt["kr"])
        row = _row(ws, row, "Differens, kr", [tallies[c].difference for c in DRIFT_PREFILL], fmt["sum_kr"])
        row += 1


def _left_empty(rec: Reconciliation, cols: list[Drift]) -> str:
    """'Budget helår 2020 lämnas tom', 'Budget helår 2020 och Bokslut 2019 lämnas tomma'."""
    titles = column_titles(rec.period)
    return f"{' och '.join(titles[c] for c in cols)} {'lämnas tom' if len(cols) == 1 else 'lämnas tomma'}"


def _placed(rec: Reconciliation, forv: Forvaltning, unit: str | None, line: str, c: Drift) -> Decimal:
    units = [u.id for u in forv.units] if unit is None else [unit]
    return sum((rec.placed.get((u, line, c), ZERO) for u in units), ZERO)


def _reason_sums(rec: Reconciliation) -> dict[tuple[str | None, Reason, Drift], Decimal]:
    """Not placed per (unit, reason, column), and per (None, reason, column) for the whole ledger."""
    out: dict[tuple[str | None, Reason, Drift], Decimal] = {}
    for x in rec.not_placed:
        for c in x.columns:
            for key in ((x.unit, x.reason, c), (None, x.reason, c)):
                out[key] = out.get(key, ZERO) + x.amount
    return out


def _blank(rec: Reconciliation, unit: str | None, line: str = "") -> list[bool]:
    """Columns the templates leave empty for the unit: the ledger has nothing of that kind, or (on
    a line) an amount for the cell could not be read; and in every block a full-year column the
    file lacks months for."""
    return [
        c in rec.partial
        or (unit is not None and ((unit, c) not in rec.present or (unit, line, c) in rec.refused))
        for c in DRIFT_PREFILL
    ]


def _row(
    ws: Any,
    row: int,
    label: str,
    amounts: list[Decimal],
    f: Any,
    tkr: bool = False,
    blank: list[bool] | None = None,
) -> int:
    write_text(ws, row, 0, label)
    for j, a in enumerate(amounts, 1):
        if blank and blank[j - 1]:
            ws.write_blank(row, j, None, f)
        else:
            ws.write_number(row, j, calc.tkr(a) or 0 if tkr else float(a), f)
    return row + 1


def _not_placed(ws: Any, fmt: dict[str, Any], forv: Forvaltning, rec: Reconciliation) -> None:
    titles = column_titles(rec.period)
    head = [
        "Rad i filen",
        "Ansvar",
        "Ansvarets namn",
        "Enhet",
        "Konto",
        "Kontots namn",
        "Slag",
        "År",
        "Månad",
        "Belopp, kr",
        "Belopp, tkr",
        "Skäl",
        "Ingår i",
    ]
    widths = [16, 10, 26, 24, 9, 30, 9, 7, 8, 16, 12, 36, 40]
    for j, (h, w) in enumerate(zip(head, widths, strict=True)):
        ws.set_column(j, j, w)
        ws.write_string(0, j, h, fmt["head"])
    ws.freeze_panes(1, 0)
    for i, x in enumerate(rec.not_placed[:MAX_ROWS], 1):
        unit = forv.unit(x.unit).name if x.unit else ""
        texts = [
            x.where,
            x.obj,
            rec.objects.get(x.obj, ""),
            unit,
            x.account,
            rec.accounts.get(x.account, ""),
            x.kind.value,
        ]
        for j, t in enumerate(texts):
            write_text(ws, i, j, t)  # names from the ledger file, as text
        ws.write_number(i, 7, x.year)
        ws.write_string(i, 8, MONTH_ABBR[x.month - 1] if x.month else "helår")
        ws.write_number(i, 9, float(x.amount), fmt["kr"])
        ws.write_number(i, 10, calc.tkr(x.amount) or 0, fmt["tkr"])
        ws.write_string(i, 11, x.reason.value)
        ws.write_string(i, 12, ", ".join(titles[c] for c in x.columns) or "ingen (utanför perioden)")
    shown = min(len(rec.not_placed), MAX_ROWS)
    ws.autofilter(0, 0, max(shown, 1), len(head) - 1)
    if len(rec.not_placed) > MAX_ROWS:
        ws.write_string(
            shown + 2, 0, f"… och {len(rec.not_placed) - MAX_ROWS} belopp till, som inte får plats."
        )
    if not rec.not_placed:
        ws.write_string(1, 0, "Alla belopp i huvudboken fördes till driftraderna.")


def _projects(ws: Any, fmt: dict[str, Any], forv: Forvaltning, rec: Reconciliation) -> None:
    head = [
        "Investering",
        "Enhet",
        "Projekt",
        "Projektets namn i filen",
        "Redovisat utgifter, tkr",
        "Redovisat inkomster, tkr",
        "Redovisat utgifter, kr",
        "Redovisat inkomster, kr",
        "Anmärkning",
    ]
    widths = [28, 24, 10, 28, 14, 14, 16, 16, 44]
    ws.write_string(0, 0, f"Investeringarnas Redovisat ur {rec.source}, {rec.period.span()}", fmt["title"])
    for j, (h, w) in enumerate(zip(head, widths, strict=True)):
        ws.set_column(j, j, w)
        ws.write_string(1, j, h, fmt["head"])
    ws.set_row(1, 30)  # the headers wrap onto two lines
    ws.freeze_panes(2, 0)
    for i, x in enumerate(rec.projects, 2):
        p = x.project
        for j, t in enumerate((p.name, forv.unit(p.unit).name, p.code, x.name_in_ledger)):
            if t:
                write_text(ws, i, j, t)  # names from the settings and the ledger file, as text
        for j, amount in enumerate((x.utgifter, x.inkomster)):
            if amount is None:  # empty in the template too: never 0
                ws.write_blank(i, 4 + j, None, fmt["tkr"])
                ws.write_blank(i, 6 + j, None, fmt["kr"])
            else:
                ws.write_number(i, 4 + j, calc.tkr(amount) or 0, fmt["tkr"])
                ws.write_number(i, 6 + j, float(amount), fmt["kr"])
        if x.note:
            write_text(ws, i, 8, x.note)
