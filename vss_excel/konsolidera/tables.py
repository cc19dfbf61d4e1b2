"""UnitReports -> the förvaltning's report tables (pandas), as in the delårsrapport.

Amounts stay exact (kronor as Decimal) in the tables; totals are computed from exact amounts.
Rounding to tkr happens once, when the tables are shown (workbook.py), so a shown total may
differ from the sum of its shown rows by a rounding difference.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .. import calc
from ..enhetsmall.analys import STANDARD_QUESTIONS
from ..model import Forvaltning, LineKind, PersonnelKind, UnitReport

Amount = Decimal | None

DRIFT_COLUMNS = (
    "redovisat",
    "budget",
    "avvikelse",
    "redovisat_fg",
    "prognos",
    "budget_helar",
    "avvikelse_helar",
    "bokslut_fg",
)
_BASE = ("redovisat", "budget", "redovisat_fg", "prognos", "budget_helar", "bokslut_fg")


def cell(v: object) -> Amount:
    """A table cell as an exact amount (pandas gives NaN or None for a missing one)."""
    return v if isinstance(v, Decimal) else None


def _with_deviation(row: dict[str, Amount]) -> dict[str, Amount]:
    row["avvikelse"] = calc.avvikelse(row["redovisat"], row["budget"])
    row["avvikelse_helar"] = calc.avvikelse(row["prognos"], row["budget_helar"])
    return {k: row[k] for k in DRIFT_COLUMNS}


def _lines(forv: Forvaltning, rep: UnitReport | None, kinds: tuple[LineKind, ...]) -> dict[str, Amount]:
    ids = [x.id for x in forv.drift_lines if x.kind in kinds]
    if rep is None:
        return dict.fromkeys(_BASE)
    return {f: calc.total(rep.amount("drift", i, f) for i in ids) for f in _BASE}


def driftsammandrag(forv: Forvaltning, reports: dict[str, UnitReport]) -> pd.DataFrame:
    """One row per unit (netto), then Summa, varav kostnader, varav intäkter."""
    rows: list[dict[str, Amount]] = []
    index: list[str] = []
    net_kinds = (LineKind.INTAKT, LineKind.KOSTNAD)
    for u in forv.units:
        rows.append(_with_deviation(_lines(forv, reports.get(u.id), net_kinds)))
        index.append(u.name)
    everyone = list(reports.values())

    def over_all(kinds: tuple[LineKind, ...]) -> dict[str, Amount]:
        per_unit = [_lines(forv, r, kinds) for r in everyone]
        return _with_deviation({f: calc.total(p[f] for p in per_unit) for f in _BASE})

    rows.append(over_all(net_kinds))
    index.append("Summa")
    rows.append(over_all((LineKind.KOSTNAD,)))
    index.append("varav kostnader")
    rows.append(over_all((LineKind.INTAKT,)))
    index.append("varav intäkter")
    return pd.DataFrame(rows, index=pd.Index(index, name="Verksamhet"), columns=list(DRIFT_COLUMNS))


def ekonomi(
    forv: Forvaltning, reports: dict[str, UnitReport], drift: pd.DataFrame, invest: pd.DataFrame
) -> pd.DataFrame:
    """Prognos helår, budget and avvikelse: nettokostnader, each varav row, investeringar netto."""
    rows: dict[str, dict[str, Amount]] = {}
    total = drift.loc["Summa"]
    rows["Verksamhetens nettokostnader"] = {
        "prognos": cell(total["prognos"]),
        "budget": cell(total["budget_helar"]),
        "avvikelse": cell(total["avvikelse_helar"]),
    }
    for x in forv.drift_lines:
        if x.kind is LineKind.VARAV:
            p = calc.total(r.amount("drift", x.id, "prognos") for r in reports.values())
            b = calc.total(r.amount("drift", x.id, "budget_helar") for r in reports.values())
            rows[x.name] = {"prognos": p, "budget": b, "avvikelse": calc.avvikelse(p, b)}
    inv = invest.loc[invest["enhet"] == "Summa investeringar"]
    netto = inv["prognos_netto"].iloc[0] if len(inv) else None
    ram = inv["investeringsram"].iloc[0] if len(inv) else None
    rows["Investeringar, netto"] = {
        "prognos": netto,
        "budget": ram,
        "avvikelse": calc.investment_avvikelse(ram, netto),
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=["prognos", "budget", "avvikelse"])


INVEST_COLUMNS = (
    "redovisat_utgifter",
    "redovisat_inkomster",
    "prognos_utgifter",
    "prognos_inkomster",
    "prognos_netto",
    "investeringsram",
    "avvikelse",
)


def investeringar(forv: Forvaltning, reports: dict[str, UnitReport]) -> pd.DataFrame:
    """Per unit and project (open rows the units named included), then Summa investeringar."""
    rows: list[dict[str, object]] = []
    names = {p.id: p.name for p in forv.investments}
    for u in forv.units:
        rep = reports.get(u.id)
        if rep is None:
            continue
        ids = [p.id for p in forv.investments_of(u.id)]
        ids += [f"nytt{i}" for i in range(1, forv.open_investment_rows + 1)]
        for pid in ids:
            amounts: dict[str, Amount] = {c: rep.amount("investering", pid, c) for c in INVEST_COLUMNS[:4]}
            amounts["investeringsram"] = rep.amount("investering", pid, "investeringsram")
            name = names.get(pid) or rep.text("investering", pid, "projekt")
            if pid not in names and not name and all(v is None for v in amounts.values()):
                continue  # an open row left empty
            amounts["prognos_netto"] = calc.investment_netto(
                amounts["prognos_utgifter"], amounts["prognos_inkomster"]
            )
            amounts["avvikelse"] = calc.investment_avvikelse(
                amounts["investeringsram"], amounts["prognos_netto"]
            )
            rows.append(
                {
                    "enhet": u.name,
                    "projekt": name or "(namn saknas)",
                    **amounts,
                    "kommentar": rep.text("investering", pid, "kommentar"),
                }
            )
    total: dict[str, object] = {"enhet": "Summa investeringar", "projekt": "", "kommentar": ""}
    for c in (
        "redovisat_utgifter",
        "redovisat_inkomster",
        "prognos_utgifter",
        "prognos_inkomster",
        "investeringsram",
    ):
        total[c] = calc.total(r[c] for r in rows)  # type: ignore[misc]
    total["prognos_netto"] = calc.investment_netto(total["prognos_utgifter"], total["prognos_inkomster"])  # type: ignore[arg-type]
    total["avvikelse"] = calc.investment_avvikelse(total["investeringsram"], total["prognos_netto"])  # type: ignore[arg-type]
    rows.append(total)
    return pd.DataFrame(rows, columns=["enhet", "projekt", *INVEST_COLUMNS, "kommentar"])


def volymer(forv: Forvaltning, reports: dict[str, UnitReport]) -> pd.DataFrame:
    rows = []
    for v in forv.volumes:
        rep = reports.get(v.unit)

        def get(name: str, rep: UnitReport | None = rep, mid: str = v.id) -> Amount:
            return rep.amount("volym", mid, name) if rep else None

        rows.append(
            {
                "matt": v.name,
                "enhet": forv.unit(v.unit).name,
                "prognos": get("prognos"),
                "utfall": get("utfall"),
                "utfall_fg": get("utfall_fg"),
                "kommentar": rep.text("volym", v.id, "kommentar") if rep else "",
            }
        )
    return pd.DataFrame(rows, columns=["matt", "enhet", "prognos", "utfall", "utfall_fg", "kommentar"])


PERSONAL_METHOD = (
    "Antal är summan av enheternas antal. Procenttal är vägda med enheternas antal "
    "tillsvidareanställda (Σ procent × antal / Σ antal), inte ett rakt medelvärde."
)


def _weighted(pairs: list[tuple[Amount, Amount]]) -> Amount:
    used = [(p, n) for p, n in pairs if p is not None and n is not None and n > 0]
    weight = sum((n for _, n in used), Decimal(0))
    if not used or weight == 0:
        return None
    return sum((p * n for p, n in used), Decimal(0)) / weight


def personal(forv: Forvaltning, reports: dict[str, UnitReport]) -> pd.DataFrame:
    """Förvaltning totals: counts summed, percentages weighted by headcount."""
    count = next((m for m in forv.personnel if m.kind is PersonnelKind.ANTAL), None)
    rows = []
    for m in forv.personnel:
        values = {}
        for f in ("utfall", "utfall_fg"):
            if m.kind is PersonnelKind.ANTAL:
                values[f] = calc.total(r.amount("personal", m.id, f) for r in reports.values())
            else:
                values[f] = _weighted(
                    [
                        (r.amount("personal", m.id, f), r.amount("personal", count.id, f) if count else None)
                        for r in reports.values()
                    ]
                )
        rows.append({"matt": m.name, **values, "malvarde": m.target})
    return pd.DataFrame(rows, columns=["matt", "utfall", "utfall_fg", "malvarde"])


def personal_per_unit(forv: Forvaltning, reports: dict[str, UnitReport]) -> pd.DataFrame:
    rows = []
    for u in forv.units:
        rep = reports.get(u.id)
        row: dict[str, object] = {"enhet": u.name}
        for m in forv.personnel:
            row[m.id] = rep.amount("personal", m.id, "utfall") if rep else None
            row[f"{m.id}_fg"] = rep.amount("personal", m.id, "utfall_fg") if rep else None
        rows.append(row)
    return pd.DataFrame(rows)


def aktiviteter(forv: Forvaltning, reports: dict[str, UnitReport]) -> pd.DataFrame:
    """Every activity in the verksamhetsplan's order, with the reporting unit's status and comment."""
    order = {p.name: i for i, p in enumerate(forv.perspectives)}
    rows = []
    for a in sorted(forv.activities, key=lambda a: order.get(a.perspective, len(order))):
        rep = reports.get(a.unit)
        rows.append(
            {
                "perspektiv": a.perspective,
                "mal": a.goal,
                "aktivitet": a.text,
                "strategiskt": a.strategic,
                "slutdatum": a.deadline,
                "status": rep.text("aktivitet", a.id, "status") if rep else "",
                "kommentar": rep.text("aktivitet", a.id, "kommentar") if rep else "",
                "enhet": forv.unit(a.unit).name,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "perspektiv",
            "mal",
            "aktivitet",
            "strategiskt",
            "slutdatum",
            "status",
            "kommentar",
            "enhet",
        ],
    )


def status_counts(forv: Forvaltning, activities: pd.DataFrame) -> pd.DataFrame:
    """Number of activities per perspektiv and status (statuses in settings order, then 'Saknas')."""
    columns = [*forv.statuses, "Saknas"]
    rows = {}
    for p in forv.perspectives:
        sub = activities[activities["perspektiv"] == p.name]
        c = Counter(s if s in forv.statuses else "Saknas" for s in sub["status"])
        rows[p.name] = {k: c.get(k, 0) for k in columns}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table.loc["Totalt"] = table.sum()
    table["Totalt"] = table.sum(axis=1)
    return table


def analys(forv: Forvaltning, reports: dict[str, UnitReport]) -> pd.DataFrame:
    questions = [*STANDARD_QUESTIONS, *((q.id, q.text) for q in forv.questions)]
    rows = []
    for u in forv.units:
        rep = reports.get(u.id)
        if rep is None:
            continue
        for qid, text in questions:
            answer = rep.text("analys", qid, "svar")
            if answer:
                rows.append({"enhet": u.name, "fraga": text, "svar": answer})
        for item, name in ((x.id, x.name) for x in forv.drift_lines):
            comment = rep.text("drift", item, "kommentar")
            if comment:
                rows.append({"enhet": u.name, "fraga": f"Kommentar drift: {name}", "svar": comment})
        comment = rep.text("drift", "resultat", "kommentar")
        if comment:
            rows.append({"enhet": u.name, "fraga": "Kommentar drift: resultat", "svar": comment})
    return pd.DataFrame(rows, columns=["enhet", "fraga", "svar"])


@dataclass
class Tables:
    drift: pd.DataFrame
    ekonomi: pd.DataFrame
    investeringar: pd.DataFrame
    volymer: pd.DataFrame
    personal: pd.DataFrame
    personal_per_unit: pd.DataFrame
    aktiviteter: pd.DataFrame
    status_counts: pd.DataFrame
    analys: pd.DataFrame


def build(forv: Forvaltning, reports: dict[str, UnitReport]) -> Tables:
    drift = driftsammandrag(forv, reports)
    invest = investeringar(forv, reports)
    acts = aktiviteter(forv, reports)
    return Tables(
        drift=drift,
        ekonomi=ekonomi(forv, reports, drift, invest),
        investeringar=invest,
        volymer=volymer(forv, reports),
        personal=personal(forv, reports),
        personal_per_unit=personal_per_unit(forv, reports),
        aktiviteter=acts,
        status_counts=status_counts(forv, acts),
        analys=analys(forv, reports),
    )


def tkr_table(df: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The shown table: each exact amount rounded once to whole tkr (None stays empty)."""
    out = df.copy()
    for c in columns:
        out[c] = [calc.tkr(cell(v)) for v in out[c]]
    return out
