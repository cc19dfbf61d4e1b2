"""The Skapa mallar job: one prefilled workbook per unit, never over a file that may be filled;
with it the reconciliation of the ledger, the letter to the units and the list for sending."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import archive, ledger, workers
from ..keys import DRIFT_PREFILL
from ..model import Finding, Forvaltning, Period, Prefill, Severity
from . import brev, writer


def make_templates(
    forv: Forvaltning,
    period: Period,
    outdir: Path,
    prefill: Prefill | None,
    units: Sequence[str] | None = None,
    n_workers: int | None = None,
    overwrite: bool = False,
    withheld: Collection[str] = (),
    beside: Callable[[], None] | None = None,
) -> tuple[list[Path], list[Finding]]:
    """One workbook per unit; a file already there (it may be filled) is never overwritten, and a
    unit in `withheld` (the underlag has an amount of its that could not be read) gets none.
    `beside`: this process's own work while the workers write (workers.run)."""
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
        if unit.id in withheld:  # a figure of its would be a partial sum: no template with one
            why = (
                "Mallen skrevs inte: underlaget har belopp för enheten som inte kunde läsas (se fynden "
                "för underlaget), och summorna skulle bli ofullständiga. Rätta underlaget och skapa "
                f"mallen igen (--enhet {unit.id})."
            )
            if target.exists():
                why += " Mallen som redan ligger i mappen är från en tidigare körning: skicka den inte."
        elif target.exists() and not overwrite:
            why = (
                "Filen finns redan och skrevs inte över (den kan vara ifylld). Flytta den eller ange "
                "--skriv-over."
            )
        else:
            jobs.append(writer.Job(target, unit))
            continue
        findings.append(Finding(Severity.FEL, target.name, "", "", why, unit=unit.id))
    results = workers.run(
        writer.run_job,
        jobs,
        writer.failed_job,
        n_workers,
        init=writer.init_worker,
        initargs=(forv, period, prefill),
        beside=beside,
    )
    written = [r for r in results if isinstance(r, Path)]
    findings += [r for r in results if isinstance(r, Finding)]
    return written, findings


@dataclass(frozen=True)
class Sent:
    """What Skapa mallar made, and what it found in the underlag."""

    written: list[Path]
    findings: list[Finding]
    earlier: Period | None = None  # the period whose prognos is the templates' föregående prognos
    files: list[Path] = field(default_factory=list)  # avstämning, letter, list for sending


def skapa_mallar(
    forv: Forvaltning,
    period: Period,
    outdir: Path,
    underlag: Sequence[Path],
    archive_dir: Path | None,
    units: Sequence[str] | None = None,
    n_workers: int | None = None,
    overwrite: bool = False,
) -> Sent:
    """The whole job, as the CLI and the button run it. Several underlag files may be given (the
    ledger, and a CSV with volumes and personnel figures): where two give one cell, the first wins,
    and a finding says so where they differ."""
    findings: list[Finding] = []
    loaded = [ledger.load(path, forv, period) for path in underlag]
    prefill: Prefill | None = ledger.combined(*loaded) if loaded else None
    for x in loaded:
        findings += x.findings
    findings += ledger.conflicts(loaded, [Path(p).name for p in underlag], forv)
    withheld = {unit for x in loaded for unit, _, _ in x.refused}
    ledger_amounts = any(col in DRIFT_PREFILL for x in loaded for _, _, col in x.prefill.values)
    outdir.mkdir(parents=True, exist_ok=True)
    earlier = archive.previous(archive_dir, forv, period)
    if earlier is not None:
        prefill = archive.merged(prefill, archive.previous_forecasts(earlier, forv))
    # The letter is made here while the workers write the templates, and LibreOffice makes its PDF
    # beside them: every step of it before they start would keep both cores waiting
    with brev.PendingLetter(outdir, forv, period, prefilled=ledger_amounts) as pending:
        written, found = make_templates(
            forv, period, outdir, prefill, units, n_workers, overwrite, withheld, beside=pending.step
        )
        letter = pending.finish()
    if letter.note:  # no PDF: the Word letter is there, and why is said
        found.append(Finding(Severity.INFO, letter.files[0].name, "", "", letter.note))
    mailed = [u.id for u in forv.units if (not units or u.id in units) and u.id not in withheld]
    extra = [*letter.files, brev.write_mailing(outdir, forv, period, mailed)]
    for x in loaded:
        if x.reconciliation is not None:
            extra.insert(0, ledger.write_avstamning(outdir, forv, x.reconciliation))
    return Sent(written, findings + found, earlier.period if earlier else None, extra)
