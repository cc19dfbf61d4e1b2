"""One file per unit, with the reason for every file; what the inbox as a whole is missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..enhetsmall.reader import FileKind
from ..model import Finding, Forvaltning, Severity
from ..swedish import listing
from .inbox import FileResult

USED = "används"  # the reason of the file each unit is read from (Källor says Ja)

FEL, VARNING = Severity.FEL, Severity.VARNING


@dataclass(frozen=True)
class Selection:
    chosen: Mapping[str, FileResult]  # unit id -> the file used
    reasons: Mapping[str, str]  # file name -> why it is used or not (Källor)
    findings: tuple[Finding, ...]  # every finding to show: the files' and the inbox's


def _rank(r: FileResult) -> tuple[bool, object, str]:
    assert r.report is not None
    return (r.report.ready, r.source.modified, r.source.name)


def select(results: Sequence[FileResult], forv: Forvaltning) -> Selection:
    """Use the file marked ready and newest for each unit; say what is missing and why."""
    reasons: dict[str, str] = {}
    findings: list[Finding] = []
    by_unit: dict[str, list[FileResult]] = {}
    for r in results:
        if r.report is not None:
            by_unit.setdefault(r.report.unit, []).append(r)
        else:
            reasons[r.source.name] = _not_used(r)
            findings.extend(r.findings)
    chosen: dict[str, FileResult] = {}
    for unit_id, group in by_unit.items():
        group.sort(key=_rank, reverse=True)
        best = group[0]
        chosen[unit_id] = best
        reasons[best.source.name] = USED
        findings.extend(best.findings)
        if len(group) > 1:
            findings.append(_duplicates(forv, unit_id, best, group[1:], reasons))
    foreign = [r for r in results if r.source.kind is FileKind.OTHER_FORVALTNING]
    if foreign:
        findings.append(_other_forvaltning(forv, foreign))
    if not (foreign and not chosen):  # all files another förvaltning's: said once above
        for u in forv.units:
            if u.id not in chosen:
                findings.append(
                    Finding(
                        FEL,
                        "",
                        "",
                        "",
                        f"{u.name} har inte lämnat in någon användbar fil. Enhetens prognos saknas i "
                        "summorna, som är markerade på resultatbladen.",
                        unit=u.id,
                    )
                )
    return Selection(chosen, reasons, tuple(findings))


def _why(best: FileResult) -> str:
    assert best.report is not None
    return "markerad klar för konsolidering och senast ändrad" if best.report.ready else "senast ändrad"


def _duplicates(
    forv: Forvaltning, unit_id: str, best: FileResult, others: list[FileResult], reasons: dict[str, str]
) -> Finding:
    why = _why(best)
    for other in others:
        reasons[other.source.name] = f"{best.source.name} används i stället ({why})"
    names = [o.source.name for o in others]
    return Finding(
        VARNING,
        best.source.name,
        "",
        "",
        f"{len(others) + 1} filer för {forv.unit(unit_id).name}: den här används ({why}); "
        f"{listing(names)} används inte. Ta bort de filer som inte gäller.",
        unit=unit_id,
    )


def _other_forvaltning(forv: Forvaltning, foreign: list[FileResult]) -> Finding:
    names = sorted({r.source.meta.get("forvaltning", "?") for r in foreign})
    files = [r.source.name for r in foreign]
    return Finding(
        FEL,
        "",
        "",
        "",
        f"{len(files)} {'fil' if len(files) == 1 else 'filer'} i inkorgen gäller förvaltningen "
        f"{' och '.join(repr(n) for n in names)}, inte {forv.name!r} som inställningarna beskriver "
        f"({listing(files, 3)}). Används inte. Ange rätt inställningsfil med --installningar, eller lägg "
        "den som vss-excel.toml i inkorgens mapp.",
    )


_KIND_REASONS = {
    FileKind.LOCK: "Excels låsfil",
    FileKind.NOT_WORKBOOK: "ingen arbetsbok",
    FileKind.OTHER_FORVALTNING: "gäller en annan förvaltning",
}


def _not_used(r: FileResult) -> str:
    return "används inte: " + _KIND_REASONS.get(r.source.kind, "se Kontroll")
