"""Reads the prefill (underlag) from a CSV or Excel file into a Prefill, with findings.

Format, one amount per line (as a ledger export is), header on the first line:

    enhet;post;kolumn;belopp
    lkdata;intakter;redovisat;250347000

enhet: a unit's id, name or ansvar code; post: a drift row, investment project, volume or
personnel measure (id or name); kolumn: see COLUMNS. Amounts are kronor, result view for drift
(kostnader negative). Lines with the same enhet, post and kolumn are added up; where one of them
has an amount that cannot be read, the cell is left empty (a gap, never a partial sum).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..keys import DRIFT_PREFILL, INVESTMENT_PREFILL
from ..model import Finding, Forvaltning, LineKind, Prefill, Severity

HEADER = ("enhet", "post", "kolumn", "belopp")
COLUMNS = {
    "drift": DRIFT_PREFILL,
    "investering": INVESTMENT_PREFILL,
    "volym": ("utfall_fg",),
    "personal": ("utfall_fg",),
}


ZERO = Decimal(0)


def parse_amount(text: object) -> Decimal | None:
    """'-1 234 567,50', '1234567.5', 1234567.5 -> Decimal; None if not a number."""
    if type(text) is str and text.lstrip("-").isdigit() and text.count("-") <= 1 and text.isascii():
        return Decimal(text)  # most amounts in an export: whole kronor, no spaces (and not "--5")
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
    s = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    s = s.replace("−", "-")
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    else:
        s = s.replace(",", ".")
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _rows_csv(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # Excel's "CSV" on Swedish Windows
    # Counted over the first lines, not only the first: an export may begin with a title.
    head = "\n".join([x for x in text.splitlines()[:40] if x.strip()][:20])
    delim = max((";", "\t", ","), key=head.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delim)]


def _rows_excel(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return [list(r) for r in wb.get_sheet_by_index(0).to_python()]


EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def read_rows(path: Path) -> list[list[object]]:
    """The rows of a CSV file, or of a workbook's first sheet; raises what the reading raises."""
    return _rows_excel(path) if path.suffix.lower() in EXCEL_SUFFIXES else _rows_csv(path)


def is_underlag(rows: list[list[object]]) -> bool:
    """True when the first row is this format's header (enhet, post, kolumn, belopp)."""
    header = {str(h).strip().lower() for h in rows[0]} if rows else set()
    return all(h in header for h in HEADER)


def read(path: str | Path, forv: Forvaltning) -> tuple[Prefill, list[Finding]]:
    p = Path(path)
    findings: list[Finding] = []

    def finding(sev: Severity, cell: str, msg: str) -> None:
        findings.append(Finding(sev, p.name, "", cell, msg))

    try:
        rows = read_rows(p)
    except FileNotFoundError:
        finding(Severity.FEL, "", "Underlaget finns inte. Ange sökvägen till en CSV- eller Excelfil.")
        return Prefill(), findings
    except Exception:  # any unreadable file is a finding, not a crash
        finding(
            Severity.FEL,
            "",
            "Underlaget kunde inte läsas som CSV eller Excelfil. Spara det som CSV eller .xlsx.",
        )
        return Prefill(), findings
    prefill, found, _ = parse(rows, forv, p.name, findings)
    return prefill, found


Key = tuple[str, str, str]  # (unit, post, column)


def _text(v: object) -> str:
    """A cell as the text it is read as: None (an empty cell in a workbook) as ''."""
    return "" if v is None else (v.strip() if type(v) is str else str(v).strip())


def parse(
    rows: Iterable[list[object]],
    forv: Forvaltning,
    source: str,
    findings: list[Finding] | None = None,
) -> tuple[Prefill, list[Finding], frozenset[Key]]:
    """The prefill, the findings, and the cells left empty because an amount could not be read."""
    findings = [] if findings is None else findings
    amounts: dict[Key, Decimal] = {}
    refused: set[Key] = set()

    def bad(where: str, message: str, severity: Severity = Severity.FEL, unit: str = "") -> None:
        findings.append(Finding(severity, source, "", where, message, unit=unit))

    rows = list(rows)
    if not rows:
        bad("", "Underlaget är tomt.")
        return Prefill(), findings, frozenset()
    header = [str(h).strip().lower() for h in rows[0]]
    missing = [h for h in HEADER if h not in header]
    if missing:
        expected = ";".join(HEADER)
        bad("rad 1", f"Rubrikraden saknar {', '.join(missing)}. Första raden ska vara: {expected}.")
        return Prefill(), findings, frozenset()
    idx = {h: header.index(h) for h in HEADER}

    units: dict[str, str] = {}
    for u in forv.units:
        for alias in (u.id, u.name, *u.ansvar):
            units[alias.strip().lower()] = u.id
    # A post's name or id -> (section, item, name). The drift lines and personnel measures are every
    # unit's, looked up in one table each; a later section's alias wins over an earlier's (drift,
    # investment, volume, personnel), as in one table filled in that order.
    Posts = dict[str, tuple[str, str, str]]
    drift_posts: Posts = {}
    for line in forv.drift_lines:
        for alias in (line.id, line.name):
            drift_posts[alias.lower()] = ("drift", line.id, line.name)
    personnel_posts: Posts = {}
    for pm in forv.personnel:
        for alias in (pm.id, pm.name):
            personnel_posts[alias.lower()] = ("personal", pm.id, pm.name)
    own_posts: dict[str, Posts] = {}  # a unit's investment projects and volume measures

    def own(unit_id: str) -> Posts:
        table: Posts = {}
        for proj in forv.investments_of(unit_id):
            for alias in (proj.id, proj.name):
                table[alias.lower()] = ("investering", proj.id, proj.name)
        for vol in forv.volumes_of(unit_id):
            for alias in (vol.id, vol.name):
                table[alias.lower()] = ("volym", vol.id, vol.name)
        own_posts[unit_id] = table
        return table

    cost_lines = {x.id for x in forv.drift_lines if x.kind is LineKind.KOSTNAD}
    income_lines = {x.id for x in forv.drift_lines if x.kind is LineKind.INTAKT}
    i_enhet, i_post, i_kolumn, i_belopp = (idx[h] for h in HEADER)
    width = max(idx.values()) + 1

    for n, row in enumerate(rows[1:], start=2):
        if len(row) < width:
            row = [*row, *[""] * (width - len(row))]
        enhet = _text(row[i_enhet])
        post = _text(row[i_post])
        kolumn = _text(row[i_kolumn]).lower()
        raw_amount = "" if row[i_belopp] is None else row[i_belopp]
        if not (enhet or post or kolumn or _text(raw_amount)) and all(_text(v) == "" for v in row):
            continue
        where = f"rad {n}"
        unit_id = units.get(enhet.lower())
        if unit_id is None:
            bad(
                where,
                f"Enheten '{enhet}' finns inte i inställningarna; raden används inte. "
                "Rätta enhetens id eller namn, eller lägg till enheten.",
            )
            continue
        p = post.lower()
        target = personnel_posts.get(p)
        if target is None:
            table = own_posts.get(unit_id)
            target = (own(unit_id) if table is None else table).get(p) or drift_posts.get(p)
        if target is None:
            bad(
                where,
                f"Posten '{post}' finns inte för {forv.unit(unit_id).name}; raden används inte. "
                "Ange en driftrad, ett investeringsprojekt eller ett mått ur inställningarna.",
            )
            continue
        section, item, name = target
        if kolumn not in COLUMNS[section]:
            bad(
                where,
                f"Kolumnen '{kolumn}' gäller inte {section}; tillåtna är {', '.join(COLUMNS[section])}.",
            )
            continue
        key = (unit_id, item, kolumn)
        amount = parse_amount(raw_amount)
        if amount is None:
            refused.add(key)
            bad(
                where,
                f"Beloppet '{raw_amount}' är inget tal; raden används inte, "
                f"och cellen kan inte fyllas i ({forv.unit(unit_id).name}: {name}, {kolumn}), så mallen "
                "skrivs inte för enheten: den skulle visa en ofullständig summa. Rätta beloppet och "
                "skapa mallen igen.",
                unit=unit_id,
            )
            continue
        amounts[key] = amounts.get(key, ZERO) + amount
    for key in refused:  # other lines' amounts for the cell would be a partial sum
        amounts.pop(key, None)

    wrong = [
        (key, amount)
        for key, amount in amounts.items()
        if (key[1] in cost_lines and amount > 0) or (key[1] in income_lines and amount < 0)
    ]
    for (unit_id, item, kolumn), amount in sorted(wrong):
        kind = "kostnad" if item in cost_lines else "intäkt"
        bad(
            f"{unit_id}/{item}/{kolumn}",
            f"En {kind} har fel tecken ({amount} kr). Kostnader anges negativa och intäkter "
            "positiva; kontrollera exporten.",
            Severity.VARNING,
        )
    return Prefill(amounts), findings, frozenset(refused)
