"""The Konsolidera job's steps: read and check the inbox, choose one file per unit, the units'
reports and the tables (`consolidate_folder`); keep the figures in the archive (`archive_run`);
at year end, the year's prognossäkerhet (`year_accuracy`). rapport.run puts them in order and
writes the Konsolidering workbook."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import archive, collector, settings, workers
from ..enhetsmall import layout, reader, writer
from ..enhetsmall.reader import FileKind
from ..enhetsmall.values import prefilled, template_values
from ..errors import UserError
from ..model import Finding, Forvaltning, Period, Severity, UnitReport, sorted_findings
from . import tables
from .accuracy import UnitAccuracy, accuracy
from .inbox import FileResult, list_files, read_inbox
from .selection import Selection, select

NOT_RETURNED = "ingen användbar fil inlämnad"
NO_TEMPLATE = "ingen användbar fil inlämnad och ingen utskickad mall i mallmappen"


@dataclass(frozen=True)
class Consolidation:
    tables: tables.Tables
    results: tuple[FileResult, ...]
    selection: Selection
    reports: Mapping[str, UnitReport]  # every unit's; a unit that returned nothing has a template report
    findings: tuple[Finding, ...]
    output: Path | None = None  # the Konsolidering workbook, once written
    accuracy: tuple[UnitAccuracy, ...] = ()  # at year end, when the archive has the year's periods
    archived: str = ""  # what the run did to the archive, in a sentence for the user

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.FEL for f in self.findings)

    @property
    def sources(self) -> tuple[reader.SourceFile, ...]:
        return tuple(r.source for r in self.results)


def sent_templates(folder: Path | None, forv: Forvaltning, period: Period) -> dict[str, Path]:
    """The template each unit was sent, where it is at hand (by the name `mallar` gives it)."""
    if folder is None or not folder.is_dir():
        return {}
    out = {}
    for u in forv.units:
        path = folder / writer.file_name(forv, u, period)
        if path.is_file():
            out[u.id] = path
    return out


def template_report(forv: Forvaltning, period: Period, unit_id: str, sent: Path | None) -> UnitReport:
    """A unit that returned nothing: the amounts it was sent, its own figures gaps."""
    wl = layout.build(forv, forv.unit(unit_id), period)
    prefill = None
    if sent is not None:
        rw = reader.read(sent, forv)
        if (
            rw.layout is not None
            and rw.source.meta.get("period") == period.iso
            and rw.layout.unit.id == unit_id
        ):
            prefill = prefilled(rw)
    values, gaps = template_values(wl, prefill, NOT_RETURNED if prefill is not None else NO_TEMPLATE)
    return UnitReport(unit_id, period, "", values, gaps, returned=False)


def archive_run(folder: Path, forv: Forvaltning, period: Period, result: Consolidation) -> str:
    """Keep the run's figures in the archive, never making it worse: a run that used no file of the
    period (all refused, a wrong period) leaves the snapshot as it was; one that replaces it keeps
    the earlier one beside it."""
    target = archive.path_for(folder, forv.short_name, period)
    if not result.selection.chosen:
        kept = f"{target.name} lämnades som den var" if target.is_file() else "inget skrevs"
        return (
            f"Arkivet ändrades inte: ingen inlämnad fil för {period.iso} kunde användas, så {kept}. "
            "Rätta filerna eller perioden (--period) och konsolidera igen."
        )
    hashes = {r.source.name: r.source.sha256 for r in result.results}
    saved = archive.save(folder, archive.snapshot(forv, period, result.reports, hashes))
    if saved.unchanged:
        return f"Arkivet: {saved.path.name} har redan samma siffror."
    if saved.kept is None:
        return f"Arkivet: {saved.path.name} skrevs."
    return (
        f"Arkivet: {saved.path.name} ersattes; den förra finns kvar som {saved.kept.name} "
        "(byt namn på den för att ångra)."
    )


class OtherForvaltning(UserError):
    """The example's settings used on another förvaltning's files: nothing is written."""


def refuse_example_for_others(sources: Iterable[reader.SourceFile], forv: Forvaltning) -> None:
    """Without a settings file the built-in example is used; an inbox whose files are all another
    förvaltning's stops the run there, instead of giving that förvaltning the example's tables."""
    named: set[str] = set()
    for source in sources:
        if source.kind is FileKind.WORKBOOK:
            return  # the example's own files: another's among them is a finding, as always
        if source.kind is FileKind.OTHER_FORVALTNING and (name := source.meta.get("forvaltning")):
            named.add(name)
    if named:
        raise OtherForvaltning(
            f"Filerna i inkorgen gäller {' och '.join(sorted(named))}, men inga inställningar för den "
            f"hittades: det inbyggda exemplet ({forv.short_name}, {forv.name}) gäller inte dem. Ange "
            "förvaltningens inställningsfil (--installningar FIL, eller Inställningar på bladet Start), "
            f"eller lägg den som {settings.FILE_NAME} i arbetsmappen, i inkorgen eller bredvid den. "
            "Inget skrevs."
        )


def glance(folder: Path, forv: Forvaltning) -> Iterator[reader.SourceFile]:
    """The inbox's files as far as needed to tell whose they are (before Konsolidera runs)."""
    if folder.is_dir():
        for path in list_files(folder):
            yield reader.read(path, forv).source


@collector.paused()
def consolidate_folder(
    folder: Path,
    forv: Forvaltning,
    period: Period,
    n_workers: int | None = None,
    progress: workers.Progress | None = None,
    templates: Path | None = None,
    example: bool = False,
) -> Consolidation:
    """Read and check every returned workbook, choose one per unit, build the tables.
    `example`: the settings are the built-in example's, not a file the user chose."""
    sent = sent_templates(templates, forv, period)
    results = tuple(read_inbox(folder, forv, period, sent, n_workers, progress))
    if example:
        refuse_example_for_others((r.source for r in results), forv)
    chosen = select(results, forv)
    reports: dict[str, UnitReport] = {}
    for u in forv.units:
        used = chosen.chosen.get(u.id)
        reports[u.id] = (
            used.report
            if used is not None and used.report is not None
            else template_report(forv, period, u.id, sent.get(u.id))
        )
    built = tables.build(forv, reports)
    return Consolidation(built, results, chosen, reports, tuple(sorted_findings(chosen.findings)))


def year_accuracy(folder: Path, forv: Forvaltning, period: Period) -> tuple[UnitAccuracy, ...]:
    """At year end, how the year's prognoser did (from the archive); () before December."""
    if period.month != 12:
        return ()
    return tuple(accuracy(forv, period.year, archive.snapshots(folder, forv)) or ())
