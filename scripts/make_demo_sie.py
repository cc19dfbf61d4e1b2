"""Write vss_excel/data/demo_2020.se: the demo's ledger as a SIE 4 file, from exempel_underlag.csv.

    .venv/bin/python scripts/make_demo_sie.py [OUT]

Every drift amount of the underlag (kronor, report sign) is spread over months and accounts, so
that the file gives back exactly the underlag's amounts:

- redovisat over jan-okt 2020 (#PSALDO 0), budget over jan-okt and budget_helar minus budget over
  nov-dec 2020 (#PBUDGET 0), redovisat_fg over jan-okt 2019 and bokslut_fg minus redovisat_fg over
  nov-dec 2019 (#PSALDO -1); months weighted as such costs run (July lower for salaries);
- each drift row over two to four accounts of the default kontoplan (Kommun-Bas 13 groups);
- one object per unit in dimension 1 (its ansvar code), the account totals `{}` too, and #RES;
- the investments in dimension 6 (projekt): LKDATA's IT-utrustning (settings: projekt = "7701")
  with utgifter 32 054 000 kr over jan-okt 2020 on an asset account (klass 1), the published
  figure, and no inkomster. Balance accounts are not drift's, so no `{}` line is written for them.

One amount on purpose outside the drift rows: 1 250 kr interest (konto 8410, klass 8) on LKDATA
in June 2020, which the reconciliation lists as not placed. A unit with no amount of a kind
(Löneservice's budget is 0) gets one 0 line, so the ledger says it has one. Written as real
exports are: #FORMAT PC8 (code page 437), CRLF. Deterministic: the same input gives the same file.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from vss_excel import settings
from vss_excel.ledger import underlag

DATA = Path(__file__).resolve().parents[1] / "vss_excel" / "data"

# (account, name, share in percent) per drift row; the shares of a row sum to 100.
ACCOUNTS = {
    "intakter": [("3080", "Försäljning av tjänster", 25), ("3610", "Intern försäljning av tjänster", 75)],
    "personal": [
        ("5110", "Löner månadsavlönade", 70),
        ("5610", "Arbetsgivaravgifter", 24),
        ("5810", "Utbildning och personalsociala kostnader", 6),
    ],
    "lokal": [("6110", "Lokalhyror", 85), ("6210", "Fastighetsservice och städning", 15)],
    "ovrigt": [
        ("4610", "Köp av verksamhet och tjänster", 30),
        ("6310", "El och uppvärmning", 5),
        ("6410", "Förbrukningsmaterial", 15),
        ("7010", "IT-tjänster och licenser", 50),
    ],
}
# The investments' Redovisat utgifter by the period's end (kronor), and the asset account.
INVESTMENTS = {"lkdata-it": Decimal(32_054_000)}
ASSET = ("1260", "Datorer och IT-utrustning")
PROJECT_WEIGHTS = [0, 5, 10, 15, 10, 10, 5, 10, 15, 20]  # jan-okt
INTEREST = ("8410", "Räntekostnader", "lkdata", "202006", Decimal(1250))  # SIE sign: a cost
# Monthly weights (jan-dec) per drift row.
WEIGHTS = {
    "intakter": [10, 10, 11, 10, 10, 11, 7, 9, 11, 11, 10, 12],
    "personal": [10, 10, 10, 10, 10, 10, 5, 8, 10, 10, 10, 12],
    "lokal": [1] * 12,
    "ovrigt": [8, 9, 11, 10, 10, 12, 5, 7, 12, 13, 11, 15],
}


def split(amount: Decimal, weights: list[int]) -> list[Decimal]:
    """Whole kronor in proportion to the weights, summing exactly (largest remainder)."""
    sign = -1 if amount < 0 else 1
    total, whole = abs(amount), sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [x.to_integral_value(rounding="ROUND_FLOOR") for x in exact]
    rest = int(total - sum(parts))
    for i in sorted(range(len(weights)), key=lambda i: parts[i] - exact[i])[:rest]:
        parts[i] += 1
    return [sign * p for p in parts]


def sie_amount(report: Decimal) -> str:
    """Report sign -> SIE sign, '-1234.00'; never '-0.00'."""
    d = -report
    return f"{d:.2f}" if d else "0.00"


def build() -> str:
    forv = settings.load_default()
    prefill, findings = underlag.read(DATA / "exempel_underlag.csv", forv)
    assert not findings, findings
    for line, accounts in ACCOUNTS.items():
        assert sum(s for _, _, s in accounts) == 100
        assert all(forv.kontoplan.line_of(a) == line for a, _, _ in accounts), line
    code = {u.id: u.ansvar[0] for u in forv.units}
    # (label, year index, yyyymm, account) -> ansvar -> report amount
    cells: dict[tuple[str, int, str, str], dict[str, Decimal]] = defaultdict(dict)

    def put(
        label: str, year_index: int, year: int, months: range, line: str, unit: str, amount: Decimal
    ) -> None:
        weights = [WEIGHTS[line][m - 1] for m in months]
        for m, month_amount in zip(months, split(amount, weights), strict=True):
            shares = ACCOUNTS[line]
            parts = split(month_amount, [s for _, _, s in shares])
            for (account, _, _), part in zip(shares, parts, strict=True):
                if part:
                    key = (label, year_index, f"{year}{m:02d}", account)
                    cells[key][code[unit]] = cells[key].get(code[unit], Decimal(0)) + part

    y, last = forv.period.year, forv.period.month
    first_half, rest = range(1, last + 1), range(last + 1, 13)
    for u in forv.units:
        got = {(line, col): prefill.get(u.id, line, col) for line in ACCOUNTS for col in COLUMNS}
        for line in ACCOUNTS:
            r, b, h = got[line, "redovisat"], got[line, "budget"], got[line, "budget_helar"]
            f, k = got[line, "redovisat_fg"], got[line, "bokslut_fg"]
            if r is not None:
                put("#PSALDO", 0, y, first_half, line, u.id, r)
            if b is not None and h is not None:
                put("#PBUDGET", 0, y, first_half, line, u.id, b)
                put("#PBUDGET", 0, y, rest, line, u.id, h - b)
            if f is not None and k is not None:
                put("#PSALDO", -1, y - 1, first_half, line, u.id, f)
                put("#PSALDO", -1, y - 1, rest, line, u.id, k - f)
        # A kind the unit has, all 0: one 0 line says the ledger has it (else the column stays empty).
        for label, year_index, year, col in (("#PSALDO", 0, y, "redovisat"), ("#PBUDGET", 0, y, "budget")):
            has = any(got[line, col] is not None for line in ACCOUNTS)
            if has and not any(
                code[u.id] in v for (lb, yi, _, _), v in cells.items() if (lb, yi) == (label, year_index)
            ):
                cells[label, year_index, f"{year}01", ACCOUNTS["intakter"][0][0]][code[u.id]] = Decimal(0)
    account, _, unit, month, interest = INTEREST
    cells["#PSALDO", 0, month, account][code[unit]] = -interest  # report sign

    lines = [
        "#FLAGGA 0",
        '#PROGRAM "vss-excel make_demo_sie" 1.0',
        "#FORMAT PC8",
        f"#GEN {y}1105",
        "#SIETYP 4",
        f'#FNAMN "{forv.organisation} (demo)"',
        f"#OMFATTN {y}{last:02d}31",
        f"#RAR 0 {y}0101 {y}1231",
        f"#RAR -1 {y - 1}0101 {y - 1}1231",
        '#DIM 1 "Ansvar"',
    ]
    lines += [f'#OBJEKT 1 "{code[u.id]}" "{u.name}"' for u in forv.units]
    projects = [p for p in forv.investments if p.id in INVESTMENTS]
    assert all(p.code for p in projects), "the demo's investments need projekt in vss.toml"
    lines.append('#DIM 6 "Projekt"')
    lines += [f'#OBJEKT 6 "{p.code}" "{p.name}"' for p in projects]
    names = {a: n for accounts in ACCOUNTS.values() for a, n, _ in accounts} | {
        INTEREST[0]: INTEREST[1],
        ASSET[0]: ASSET[1],
    }
    lines += [f'#KONTO {a} "{n}"' for a, n in sorted(names.items())]
    results: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for (label, year_index, _, account), by_obj in cells.items():
        if label == "#PSALDO":
            results[year_index, account] += sum(by_obj.values(), Decimal(0))
    lines += [
        f"#RES {yi} {a} {sie_amount(v)}"
        for (yi, a), v in sorted(results.items(), key=lambda x: (-x[0][0], x[0][1]))
    ]
    for (label, year_index, yyyymm, account), by_obj in sorted(
        cells.items(), key=lambda x: (x[0][0] != "#PSALDO", -x[0][1], x[0][2], x[0][3])
    ):
        lines.append(
            f"{label} {year_index} {yyyymm} {account} {{}} {sie_amount(sum(by_obj.values(), Decimal(0)))}"
        )
        lines += [
            f'{label} {year_index} {yyyymm} {account} {{1 "{c}"}} {sie_amount(v)}'
            for c, v in sorted(by_obj.items())
        ]
    for p in projects:  # a debit on the asset: SIE sign positive
        for m, part in enumerate(split(INVESTMENTS[p.id], PROJECT_WEIGHTS), 1):
            if part:
                lines.append(f'#PSALDO 0 {y}{m:02d} {ASSET[0]} {{6 "{p.code}"}} {part:.2f}')
    return "\r\n".join(lines) + "\r\n"


COLUMNS = ("redovisat", "budget", "budget_helar", "redovisat_fg", "bokslut_fg")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA / "demo_2020.se"
    out.write_bytes(build().encode("cp437"))
    print(out)


if __name__ == "__main__":
    main()
