"""Benchmark: read every sheet of the demo's workbooks, with our reader and with python-calamine.

    .venv/bin/python benchmarks/bench_xlsx_reader.py [FOLDER [READS]]

FOLDER holds .xlsx files (searched recursively, grouped by subfolder); without it the demo is
written to a temporary folder first (`vss-excel demo`: inkorg = filled workbooks saved by
LibreOffice, mallar = templates written by XlsxWriter). Each figure is the best of several
rounds, in ms per file, files read from memory: calamine opens the workbook and converts every
sheet to Python (`to_python`); ours opens it and reads every sheet within rows 0..300 and
columns 0..30. Prints figures; asserts nothing.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from python_calamine import CalamineWorkbook

from vss_excel.enhetsmall.xlsx import book as xlsx  # XlsxFile, and the _sheet_fast it calls

AREA = (300, 30)


def calamine(data: bytes) -> None:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()


def ours(data: bytes) -> None:
    book = xlsx.XlsxFile.open(data)
    for name in book.sheet_names:
        book.sheet(name, *AREA)


def ours_open_only(data: bytes) -> None:
    xlsx.XlsxFile.open(data)


def ours_expat_only(data: bytes) -> None:
    fast = xlsx._sheet_fast
    xlsx._sheet_fast = lambda *_args: None  # type: ignore[assignment]
    try:
        ours(data)
    finally:
        xlsx._sheet_fast = fast


READS = 2000  # files read per round and function: the second argument changes it


def ms_per_file(fn: Callable[[bytes], None], files: list[bytes], rounds: int = 7) -> float:
    reps = max(1, READS // len(files))
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            for data in files:
                fn(data)
        best = min(best, (time.perf_counter() - t) / (reps * len(files)))
    return best * 1000


def report(label: str, files: list[bytes]) -> None:
    cal = ms_per_file(calamine, files)
    mine = ms_per_file(ours, files)
    print(
        f"{label:<28} {len(files):>5} {sum(map(len, files)) / len(files) / 1024:>7.1f} "
        f"{cal:>9.3f} {mine:>9.3f} {mine / cal:>6.2f} "
        f"{ms_per_file(ours_open_only, files):>9.3f} {ms_per_file(ours_expat_only, files, 3):>9.3f}"
    )


def main() -> None:
    global READS
    if len(sys.argv) > 2:
        READS = int(sys.argv[2])
    if len(sys.argv) > 1:
        root = Path(sys.argv[1])
        run(root)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "vss_excel.cli", "demo", "--ut", str(root)],
            check=True,
            capture_output=True,
        )
        print(f"Demo written ({time.perf_counter() - t:.1f} s).")
        run(root)


def run(root: Path) -> None:
    groups: dict[str, list[bytes]] = {}
    for path in sorted(root.rglob("*.xlsx")):
        groups.setdefault(str(path.parent.relative_to(root)) or ".", []).append(path.read_bytes())
    print(f"{'folder':<28} files kB/file  calamine      ours      ×      open     expat")
    print(f"{'':<28} {'':>5} {'':>7} {'ms/file':>9} {'ms/file':>9} {'':>6} {'ms/file':>9} {'ms/file':>9}")
    for label, files in groups.items():
        report(label, files)
    report("all", [d for files in groups.values() for d in files])
    print("ours: open + every sheet (fast path where it applies); open: the zip directory and the")
    print("sheet list only; expat: every sheet read with the expat parser (the fast path switched off).")


if __name__ == "__main__":
    main()
