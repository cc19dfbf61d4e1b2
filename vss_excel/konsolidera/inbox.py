"""Reads every file in the inbox folder, checks each, and picks one report per unit."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..enhetsmall import reader
from ..model import Finding, Forvaltning, Period, UnitReport
from . import checks

Progress = Callable[[int, int], None]


@dataclass
class Inbox:
    files: list[reader.ReadWorkbook] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reports: dict[str, UnitReport] = field(default_factory=dict)  # unit id -> the report used


def _one(path: Path, forv: Forvaltning, period: Period) -> tuple[reader.ReadWorkbook, list[Finding], bool]:
    rw = reader.read(path, forv)
    findings, usable = checks.check_file(rw, forv, period)
    # Only the source, the report and the findings are needed after the checks: what crosses
    # processes stays small (a layout alone is larger than a report).
    rw.cells, rw.row_map, rw.layout, rw._computed = {}, {}, None, {}
    return rw, findings, usable


_shared: tuple[Forvaltning, Period] | None = None


def _init(forv: Forvaltning, period: Period) -> None:
    global _shared
    _shared = (forv, period)


def _work(path: Path) -> tuple[reader.ReadWorkbook, list[Finding], bool]:
    assert _shared is not None
    return _one(path, *_shared)


def list_files(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
        key=lambda p: p.name.lower(),
    )


def read_inbox(
    folder: str | Path, forv: Forvaltning, period: Period, workers: int = 1, progress: Progress | None = None
) -> Inbox:
    paths = list_files(Path(folder))
    results: list[tuple[reader.ReadWorkbook, list[Finding], bool]] = []
    if workers > 1 and len(paths) > 8:
        chunk = max(1, len(paths) // (workers * 8))
        with ProcessPoolExecutor(workers, initializer=_init, initargs=(forv, period)) as pool:
            for i, res in enumerate(pool.map(_work, paths, chunksize=chunk), 1):
                results.append(res)
                if progress:
                    progress(i, len(paths))
    else:
        for i, p in enumerate(paths, 1):
            results.append(_one(p, forv, period))
            if progress:
                progress(i, len(paths))
    return decide(results, forv)


def decide(results: Sequence[tuple[reader.ReadWorkbook, list[Finding], bool]], forv: Forvaltning) -> Inbox:
    box = Inbox()
    usable: dict[str, bool] = {}
    for rw, findings, ok in results:
        box.files.append(rw)
        box.findings += findings
        usable[rw.source.name] = ok
        if not ok:
            rw.source.reason = "kan inte användas, se Kontroll"
    for rule in checks.INBOX_RULES:
        box.findings += list(rule(box.files, usable, forv))
    for rw in box.files:
        if usable[rw.source.name] and rw.report is not None:
            rw.source.used = True
            rw.source.reason = "används"
            box.reports[rw.report.unit] = rw.report
    return box


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
