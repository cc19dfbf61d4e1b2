"""Every file in the inbox, read and checked in worker processes, each to a small FileResult."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from .. import workers
from ..enhetsmall import reader
from ..keys import Key
from ..model import Finding, Forvaltning, Period, UnitReport, Value
from .checks import FileContext, check, judged


@dataclass(frozen=True)
class FileResult:
    """What one file gave: where it came from, its findings, and its report if it can be used."""

    source: reader.SourceFile
    findings: tuple[Finding, ...]
    report: UnitReport | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent from a worker to the parent: a report's keys as (section, field) pairs listed once
        # and the items, not a few hundred Keys each pickling its two enum members (that cost
        # more than the rest of the result, on both sides of the pipe).
        r = self.report
        if r is None:
            return (FileResult, (self.source, self.findings))
        return (
            _unpacked,
            (
                self.source,
                self.findings,
                r.unit,
                r.period,
                r.source,
                r.returned,
                _packed(r.values),
                _packed(r.gaps),
            ),
        )


# A report's keys as the kinds of key they are, (section, field), each listed once as plain texts
# with its class (no enum member to look up on the other side for every file: a kind list seen
# before is taken as it was), then per value the index of its kind and its item.
_Kind = tuple[type, str, type, str]
_Packed = tuple[tuple[_Kind, ...], list[int], list[str], list[Any]]


def _plain(x: Any) -> str:
    return x._value_ if isinstance(x, Enum) else x  # type: ignore[no-any-return]


def _packed(by_key: Mapping[Key, Any]) -> _Packed:
    kinds: dict[tuple[Any, Any], int] = {}
    at = []
    for section, _, field in by_key:
        i = kinds.get((section, field))
        if i is None:
            i = kinds[(section, field)] = len(kinds)
        at.append(i)
    listed = tuple((type(sec), _plain(sec), type(f), _plain(f)) for sec, f in kinds)
    return listed, at, [k[1] for k in by_key], list(by_key.values())


_kinds_seen: dict[tuple[_Kind, ...], list[tuple[Any, Any]]] = {}
_KINDS_KEPT = 64


def _member(cls: type, text: str) -> Any:
    return text if cls is str else cls(text)


def _kinds(listed: tuple[_Kind, ...]) -> list[tuple[Any, Any]]:
    found = _kinds_seen.get(listed)
    if found is None:
        found = [(_member(sc, s), _member(fc, f)) for sc, s, fc, f in listed]
        if len(_kinds_seen) >= _KINDS_KEPT:
            del _kinds_seen[next(iter(_kinds_seen))]
        _kinds_seen[listed] = found
    return found


def _unpacked_keys(packed: _Packed) -> dict[Key, Any]:
    listed, at, items, values = packed
    kinds = _kinds(listed)
    new = tuple.__new__
    keys = [new(Key, (s, item, f)) for (s, f), item in zip(map(kinds.__getitem__, at), items, strict=True)]
    return dict(zip(keys, values, strict=True))


def _unpacked(
    source: reader.SourceFile,
    findings: tuple[Finding, ...],
    unit: str,
    period: Period,
    name: str,
    returned: bool,
    values: _Packed,
    gaps: _Packed,
) -> FileResult:
    report_values: dict[Key, Value] = _unpacked_keys(values)
    report = UnitReport(unit, period, name, report_values, _unpacked_keys(gaps), returned)
    return FileResult(source, findings, report)


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
