"""The Konsolidera command and button, step by step: the output checked before anything is read,
the inbox consolidated, the figures archived, at year end the prognossäkerhet, the workbook
written (the economist's texts on it kept)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from .. import collector, files, workers
from ..konsolidera import job
from ..model import Forvaltning, Period
from . import konsolidering, prognossakerhet, texter
from .sheet import Sheet


# The whole run: its thousand units' results, made inside consolidate_folder, live to its end, and
# each automatic collection after it (the archive, the sheets) would scan them all again.
@collector.paused()
def konsolidera(
    folder: Path,
    forv: Forvaltning,
    period: Period,
    target: Path | None = None,
    archive_dir: Path | None = None,
    *,
    templates: Path | None = None,
    n_workers: int | None = None,
    progress: workers.Progress | None = None,
    example: bool = False,
) -> job.Consolidation:
    """Consolidate the inbox; archive the figures (where `archive_dir` is given) and write the
    Konsolidering workbook (where `target` is)."""
    if target is not None:
        files.check_output(target, [folder] + ([templates] if templates else []))
    result = job.consolidate_folder(folder, forv, period, n_workers, progress, templates, example)
    if archive_dir is not None:  # the next period's föregående prognos; replaces this period's only
        archived = job.archive_run(archive_dir, forv, period, result)
        result = replace(result, archived=archived, accuracy=job.year_accuracy(archive_dir, forv, period))
    if target is None:
        return result
    kept = texter.read(target) if target.exists() else {}  # the economist's texts survive a new run
    written = konsolidering.write(target, forv, period, sheets(result, forv, period, target.parent, kept))
    return replace(result, output=written)


def sheets(
    result: job.Consolidation,
    forv: Forvaltning,
    period: Period,
    out_dir: Path,
    texts: Mapping[str, str] | None = None,
) -> list[Sheet]:
    """The Konsolidering workbook's result sheets, for a file or the open workbook."""
    described = konsolidering.describe(
        forv,
        period,
        result.tables,
        result.findings,
        result.sources,
        result.selection.reasons,
        result.reports,
        out_dir,
        texts,
    )
    if result.accuracy:
        described.append(prognossakerhet.describe(period.year, result.accuracy))
    return described
