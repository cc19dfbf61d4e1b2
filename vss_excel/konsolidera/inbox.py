"""Every file in the inbox, read and checked in worker processes, each to a small FileResult."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import workers
from ..enhetsmall import reader
from ..model import Finding, Forvaltning, Period, UnitReport
from .checks import FileContext, check, judged


@dataclass(frozen=True)
class FileResult:
    """What one file gave: where it came from, its findings, and its report if it can be used."""

    source: reader.SourceFile
    findings: tuple[Finding, ...]
    report: UnitReport | None = None


def list_files(folder: Path) -> list[Path]:
    """Entries of the inbox but folders and hidden files (LibreOffice's .~lock files, .DS_Store)."""
    return sorted(
        (p for p in folder.iterdir() if not p.name.startswith(".") and (p.is_symlink() or not p.is_dir())),
        key=lambda p: p.name.lower(),
    )


def examine(path: Path, forv: Forvaltning, period: Period, sent: Mapping[str, Path]) -> FileResult:
    """Read, check and evaluate one file (in a worker process)."""
    rw = reader.read(path, forv)
    ctx = FileContext.of(rw, forv, period, sent.get(rw.source.unit_id))
    findings, used = judged(ctx)  # used: the values less what a finding left out
    if rw.layout is None or any(f.blocks_file for f in findings):
        return FileResult(rw.source, findings)
    report = UnitReport(
        rw.layout.unit.id, rw.layout.period, rw.source.name, dict(used.values), dict(used.gaps)
    )
    return FileResult(rw.source, findings, report)


_shared: tuple[Forvaltning, Period, Mapping[str, Path]] | None = None


def _init(forv: Forvaltning, period: Period, sent: Mapping[str, Path]) -> None:
    global _shared
    _shared = (forv, period, sent)  # sent once per worker process, not once per file


def _work(path: Path) -> FileResult:
    assert _shared is not None
    return examine(path, *_shared)


def _failed(path: Path, detail: str) -> FileResult:
    src = reader.crashed(path, detail)
    ctx = FileContext(reader.ReadWorkbook(src), *_context())
    return FileResult(src, check(ctx))


def _context() -> tuple[Forvaltning, Period]:
    assert _shared is not None
    return _shared[0], _shared[1]


def read_inbox(
    folder: Path,
    forv: Forvaltning,
    period: Period,
    sent: Mapping[str, Path],
    n_workers: int | None = None,
    progress: workers.Progress | None = None,
) -> list[FileResult]:
    _init(forv, period, sent)  # for _failed, in this process
    return workers.run(
        _work,
        list_files(folder),
        _failed,
        n_workers,
        init=_init,
        initargs=(forv, period, sent),
        progress=progress,
    )
