"""Benchmark: parse a SIE 4 file with about a million #PSALDO rows. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_sie.py [ROWS]

The file is written to a temporary folder in code page 437 (as the standard says): 12 months,
100 accounts, per account and month one `{}` total and object rows, most with one object
(`{1 "100"}`), every tenth with two (`{1 "100" 6 "P7"}`), and a #PBUDGET row for every tenth.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from vss_excel.ledger import sie


def write(path: Path, rows: int) -> int:
    accounts = [str(3000 + 10 * i) if i < 20 else str(4000 + 10 * i) for i in range(100)]
    per_cell = max(1, rows // (12 * len(accounts)) - 1)  # object rows per account and month
    head = [
        "#FLAGGA 0",
        '#PROGRAM "Ekonomisystem" 1.0',
        "#FORMAT PC8",
        "#GEN 20201110",
        "#SIETYP 4",
        '#FNAMN "Linköpings kommun"',
        "#ORGNR 212000-0449",
        "#RAR 0 20200101 20201231",
        "#RAR -1 20190101 20191231",
        '#DIM 1 "Ansvar"',
        '#DIM 6 "Projekt"',
    ]
    head += [f'#KONTO {a} "Konto {a} för år"' for a in accounts]
    head += [f'#OBJEKT 1 "{100 + j}" "Enhet {j} Åtvidaberg"' for j in range(per_cell)]
    lines = 0
    with path.open("w", encoding="cp437", newline="\r\n") as f:
        f.write("\n".join(head) + "\n")
        for month in range(1, 13):
            period = f"2020{month:02d}"
            for a in accounts:
                sign = "-" if a.startswith("3") else ""
                f.write(f"#PSALDO 0 {period} {a} {{}} {sign}{per_cell * 1000}.00\n")
                lines += 1
                for j in range(per_cell):
                    two = j % 10 == 0
                    obj = f'{{1 "{100 + j}" 6 "P{j % 7}"}}' if two else f'{{1 "{100 + j}"}}'
                    f.write(f"#PSALDO 0 {period} {a} {obj} {sign}{1000 + j}.{j % 100:02d}\n")
                    lines += 1
                    if two:
                        f.write(f"#PBUDGET 0 {period} {a} {obj} {sign}{1000 + j}.00\n")
                        lines += 1
    return lines


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "huvudbok.se"
        t = time.perf_counter()
        written = write(path, rows)
        size = path.stat().st_size
        print(f"wrote {written:,} balance rows, {size / 1e6:.1f} MB, in {time.perf_counter() - t:.1f} s")
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        result = sie.read(path)
        elapsed = time.perf_counter() - t
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    psaldo = sum(b.kind is sie.BalanceKind.PSALDO for b in result.balances)
    print(
        f"parsed {psaldo:,} #PSALDO + {len(result.balances) - psaldo:,} #PBUDGET rows ({result.encoding}) "
        f"in {elapsed:.2f} s = {elapsed / max(1, len(result.balances)) * 1e6:.2f} µs/row; "
        f"findings: {len(result.findings)}"
    )
    print(f"peak RSS {rss1 / 1024:.0f} MB (before parsing {rss0 / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
