"""The Skapa mallar job: one prefilled workbook per unit, never over a file that may be filled."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import workers
from ..model import Finding, Forvaltning, Period, Prefill, Severity
from . import writer


def make_templates(
    forv: Forvaltning,
    period: Period,
    outdir: Path,
    prefill: Prefill | None,
    units: Sequence[str] | None = None,
    n_workers: int = 1,
    overwrite: bool = False,
) -> tuple[list[Path], list[Finding]]:
    """One workbook per unit; a file already there (it may be filled) is never overwritten."""
    findings: list[Finding] = []
    outdir.mkdir(parents=True, exist_ok=True)
    jobs: list[writer.Job] = []
    known = {x.id for x in forv.units}
    for u in units or ():
        if u not in known:
            findings.append(Finding(Severity.FEL, "", "", "", f"Enheten '{u}' finns inte i inställningarna."))
    for unit in forv.units:
        if units and unit.id not in units:
            continue
        target = outdir / writer.file_name(forv, unit, period)
        if target.exists() and not overwrite:
            findings.append(
                Finding(
                    Severity.FEL,
                    target.name,
                    "",
                    "",
                    "Filen finns redan och skrevs inte över (den kan vara ifylld). Flytta den eller "
                    "ange --skriv-over.",
                    unit=unit.id,
                )
            )
            continue
        jobs.append(writer.Job(target, unit))
    results = workers.run(
        writer.run_job,
        jobs,
        writer.failed_job,
        n_workers,
        init=writer.init_worker,
        initargs=(forv, period, prefill),
    )
    written = [r for r in results if isinstance(r, Path)]
    findings += [r for r in results if isinstance(r, Finding)]
    return written, findings
