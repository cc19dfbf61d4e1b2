"""The two jobs, Skapa mallar and Konsolidera, as the CLI and the Excel buttons both run them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..enhetsmall import writer as template
from ..model import Finding, Forvaltning, Period, Prefill, Severity, sorted_findings
from ..rapport import konsolidering as workbook
from . import inbox
from . import tables as consolidate


def make_templates(
    forv: Forvaltning,
    period: Period,
    outdir: Path,
    prefill: Prefill | None,
    units: Sequence[str] | None = None,
    workers: int = 1,
    overwrite: bool = False,
) -> tuple[list[Path], list[Finding]]:
    """One workbook per unit; a file already there (it may be filled) is never overwritten."""
    findings: list[Finding] = []
    outdir.mkdir(parents=True, exist_ok=True)
    jobs: list[template.Job] = []
    known = {x.id for x in forv.units}
    for u in units or ():
        if u not in known:
            findings.append(Finding(Severity.FEL, "", "", "", f"Enheten '{u}' finns inte i inställningarna."))
    for unit in forv.units:
        if units and unit.id not in units:
            continue
        target = outdir / template.file_name(forv, unit, period)
        if target.exists() and not overwrite:
            findings.append(
                Finding(
                    Severity.FEL,
                    target.name,
                    "",
                    "",
                    "Filen finns redan och skrevs inte över (den kan vara ifylld). Flytta den eller "
                    "ange --skriv-over.",
                )
            )
            continue
        jobs.append(template.Job(target, unit))
    return template.write_all(jobs, forv, period, prefill, workers), findings


@dataclass
class Consolidation:
    tables: consolidate.Tables
    inbox: inbox.Inbox
    findings: list[Finding]
    output: Path | None

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.FEL for f in self.findings)


def consolidate_folder(
    folder: Path,
    forv: Forvaltning,
    period: Period,
    target: Path | None,
    workers: int = 1,
    progress: inbox.Progress | None = None,
) -> Consolidation:
    """Read every returned workbook, check, build the tables, write the Konsolidering workbook."""
    box = inbox.read_inbox(folder, forv, period, workers, progress)
    tables = consolidate.build(forv, box.reports)
    findings = sorted_findings(box.findings)
    written = None
    if target is not None:
        written = workbook.write(target, forv, period, tables, findings, [f.source for f in box.files])
    return Consolidation(tables, box, findings, written)
