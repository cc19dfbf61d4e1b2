"""Benchmark: write N unit workbooks with one and two worker processes. Prints figures.

    .venv/bin/python benchmarks/bench_mallar.py [N ...]      (default: 9 and 1000)

Units are copies of the nine VSS units (same activities and measures), prefilled from the
example underlag, so each file is as large as a real one. The goal: 1 000 templates in at most
10 s with two processes. CPU per template is the work of every process (the workers' and this
one's) divided by N: the figure a busy machine disturbs least.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

from vss_excel import settings
from vss_excel.cli import example_underlag
from vss_excel.enhetsmall.mallar import make_templates
from vss_excel.ledger import underlag
from vss_excel.model import Prefill


def scaled(n: int):
    forv = settings.load_default()
    prefill, _ = underlag.read(example_underlag(), forv)
    units, big = [], Prefill()
    for i in range(n):
        base = forv.units[i % len(forv.units)]
        u = dataclasses.replace(base, id=f"{base.id}-{i}", name=f"{base.name} {i}")
        units.append(u)
        for (unit, post, col), v in prefill.values.items():
            if unit == base.id:
                big.values[(u.id, post, col)] = v
    owner = {u.id: forv.units[i % len(forv.units)].id for i, u in enumerate(units)}
    acts = tuple(
        dataclasses.replace(a, id=f"{a.id}-{u.id}", unit=u.id)
        for u in units
        for a in forv.activities
        if a.unit == owner[u.id]
    )
    vols = tuple(
        dataclasses.replace(v, id=f"{v.id}-{u.id}", unit=u.id)
        for u in units
        for v in forv.volumes
        if v.unit == owner[u.id]
    )
    invs = tuple(
        dataclasses.replace(p, id=f"{p.id}-{u.id}", unit=u.id)
        for u in units
        for p in forv.investments
        if p.unit == owner[u.id]
    )
    return dataclasses.replace(forv, units=tuple(units), activities=acts, volumes=vols, investments=invs), big


GOAL_UNITS, GOAL_WORKERS, GOAL_SECONDS = 1000, 2, 10.0


def cpu() -> float:
    """CPU seconds of this process and its ended children (the workers, joined when a run ends)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(n: int, workers: int) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds of one run."""
    forv, prefill = scaled(n)
    with tempfile.TemporaryDirectory() as tmp:
        c, t = cpu(), time.perf_counter()
        written, findings = make_templates(forv, forv.period, Path(tmp), prefill, n_workers=workers)
        secs, work = time.perf_counter() - t, cpu() - c
        assert len(written) == n and not findings, findings[:3]
        return secs, work


def floor_ms(sheets: int = 7, n: int = 200) -> float:
    """XlsxWriter's own cost for an empty workbook with as many sheets: the limit per file."""
    import xlsxwriter

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        for i in range(n):
            wb = xlsxwriter.Workbook(str(Path(tmp) / f"{i}.xlsx"), {"in_memory": True})
            for _ in range(sheets):
                wb.add_worksheet()
            wb.close()
        return (time.perf_counter() - t) / n * 1000


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [9, GOAL_UNITS]
    cores = os.cpu_count() or 1
    print(f"Enhetsmallar, {cores} kärnor, Python {sys.version.split()[0]}")
    print(f"{'N':>6} {'processer':>9} {'sekunder':>9} {'ms/fil':>7} {'CPU ms/fil':>10} {'filer/s':>8}")
    for n in sizes:
        for workers in (1, GOAL_WORKERS):
            secs, work = run(n, workers)
            print(
                f"{n:>6} {workers:>9} {secs:>9.2f} {secs / n * 1000:>7.1f} {work / n * 1000:>10.1f} "
                f"{n / secs:>8.0f}"
            )
            if (n, workers) == (GOAL_UNITS, GOAL_WORKERS):
                verdict = "nått" if secs <= GOAL_SECONDS else "INTE nått"
                goal = f"mål {GOAL_UNITS} mallar på högst {GOAL_SECONDS:.0f} s med {GOAL_WORKERS} processer"
                print(f"{'':>6} {'':>9} {goal}: {verdict} ({cores} kärnor)")
    print(f"Golv: en tom arbetsbok med 7 blad tar {floor_ms():.1f} ms i XlsxWriter (per kärna).")


if __name__ == "__main__":
    main()
