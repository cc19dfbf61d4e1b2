"""Benchmark: consolidate N filled unit workbooks, whole process, beside openpyxl's plain way.

    .venv/bin/python benchmarks/bench_konsolidera.py [N ...]

The workbooks are the demo's nine (filled as the units would and saved by LibreOffice), copied
to N files. Every file is read and checked in full; the copies of one unit count as duplicates,
which costs nothing extra. Each measurement runs in a fresh process, so the peak memory (max
RSS, workers included) belongs to it alone. Prints figures; asserts nothing.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(folder: Path, workers: int) -> tuple[float, float]:
    """Seconds and peak MiB of `konsolidera` (read, check, tables, workbook) in a new process."""
    code = f"""
import time, resource
from pathlib import Path
from vss_excel import settings
from vss_excel.konsolidera import job as jobs
forv = settings.load_default()
t = time.perf_counter()
jobs.consolidate_folder(Path({str(folder)!r}), forv, forv.period, Path({str(folder)!r} + '.xlsx'), {workers})
s = time.perf_counter() - t
usage = [resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
peak = max(usage)
print(s, peak / 1024)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def measure_openpyxl(folder: Path) -> tuple[float, float]:
    """The straightforward way: openpyxl.load_workbook per file, every sheet's values."""
    code = f"""
import time, resource, openpyxl
from pathlib import Path
t = time.perf_counter()
for p in sorted(Path({str(folder)!r}).iterdir()):
    wb = openpyxl.load_workbook(p, data_only=True)
    for ws in wb.worksheets:
        list(ws.iter_rows(values_only=True))
s = time.perf_counter() - t
print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    from vss_excel import demo

    sizes = [int(a) for a in sys.argv[1:]] or [10, 100, 1000]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        demo.run(root / "demo", workers=2)
        print(
            f"Förberedelse: demons nio arbetsböcker sparade av LibreOffice ({time.perf_counter() - t:.1f} s)."
        )
        source = sorted((root / "demo" / "inkorg").glob("*.xlsx"))
        print(f"{'N':>6} {'sätt':>22} {'sekunder':>9} {'ms/fil':>7} {'topp MiB':>9} {'× openpyxl':>10}")
        for n in sizes:
            folder = root / f"inkorg-{n}"
            folder.mkdir()
            for i in range(n):
                src = source[i % len(source)]
                shutil.copy(src, folder / f"{i:05d} {src.name}")
            base, base_mem = measure_openpyxl(folder)
            row = f"{base:>9.2f} {base / n * 1000:>7.1f} {base_mem:>9.0f}"
            print(f"{n:>6} {'openpyxl, 1 process':>22} {row} {1:>10.1f}")
            for workers in (1, 2):
                secs, mem = measure(folder, workers)
                label = f"vss-excel, {workers} proc."
                row = f"{secs:>9.2f} {secs / n * 1000:>7.1f} {mem:>9.0f}"
                print(f"{n:>6} {label:>22} {row} {base / secs:>10.1f}")
    print(f"Maskin: {resource.getpagesize()} B sidor, Python {sys.version.split()[0]}.")


if __name__ == "__main__":
    main()
