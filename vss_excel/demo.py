"""The demo: VSS delår oktober 2020, the whole cycle, filled as the units would; and the
verksamhetsplan's follow-up at the year end.

Inputs come from `data/demo_2020.toml` (the figures and texts of the two reports); workbooks are
filled with openpyxl and then saved by LibreOffice where it is installed, so Konsolidera reads
files a real spreadsheet program wrote.

Two reports, each dated as its data: the delårsrapport per 31 oktober 2020 (ekonomi, and the
activities as the units reported them in October), and the verksamhetsplan's follow-up per
31 december 2020 (the published statuses and comments), from a second cycle in the folder
YEAR_END_FOLDER with the report's settings of a year-end follow-up (`year_end_settings`). The
demo has no ledger for November and December: that cycle's templates are not prefilled, and the
units write the same prognoses as in October; its report shows only the verksamhetsplan.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import replace
from decimal import Decimal
from decimal import Decimal as D
from importlib import resources
from pathlib import Path
from typing import Any

import openpyxl

from . import archive, libreoffice, settings
from . import keys as K
from .enhetsmall import layout as L
from .enhetsmall.cells import WorkbookLayout
from .enhetsmall.mallar import skapa_mallar
from .errors import UserError
from .keys import Key
from .konsolidera.job import Consolidation
from .model import Finding, Forvaltning, LineKind, Period, ReportSettings, Severity, Unit
from .paths import INBOX_FOLDER, TEMPLATES_FOLDER, konsolidering_name
from .rapport import run as konsolidera_run
from .rapport import texter
from .rapport.dokument import demo_texts, file_stem, write_report

COST_SPLIT = {"personal": Decimal("0.6"), "lokal": Decimal("0.1")}  # övriga: the rest
YEAR_END = Period(2020, 12, "verksamhetsberättelse")
YEAR_END_FOLDER = "arsskifte 2020-12"
YEAR_END_TITLE = "Uppföljning av verksamhetsplanen för"


def data_file(name: str) -> Path:
    return Path(str(resources.files("vss_excel").joinpath("data", name)))


def load_demo() -> dict[str, Any]:
    with data_file("demo_2020.toml").open("rb") as f:
        return tomllib.load(f)


def _split_costs(forv: Forvaltning, total: Decimal) -> dict[str, Decimal]:
    cost_ids = [x.id for x in forv.drift_lines if x.kind is LineKind.KOSTNAD]
    out: dict[str, Decimal] = {}
    rest = total
    for cid in cost_ids[:-1]:
        share = (total * COST_SPLIT.get(cid, Decimal(0))).to_integral_value()
        out[cid] = share
        rest -= share
    out[cost_ids[-1]] = rest
    return out


def activities(demo: dict[str, Any], year_end: bool = False) -> dict[str, list[str]]:
    """Each activity's [status, kommentar]: at the year end as published, in October where the
    demo's October table says otherwise."""
    out = dict(demo["aktiviteter"])
    return out if year_end else out | demo.get("aktiviteter_oktober", {})


def unit_inputs(
    forv: Forvaltning, unit: Unit, demo: dict[str, Any], year_end: bool = False
) -> dict[Key, object]:
    """What the unit types into its workbook, by layout key (`year_end`: the activities' follow-up
    per 31 december; else per 31 oktober)."""
    v: dict[Key, object] = {}
    prog = demo["prognos"][unit.id]
    income = [x.id for x in forv.drift_lines if x.kind is LineKind.INTAKT]
    v[K.drift(income[0], K.Drift.PROGNOS)] = prog["intakter"]
    for cid, amount in _split_costs(forv, Decimal(prog["kostnader"])).items():
        v[K.drift(cid, K.Drift.PROGNOS)] = int(amount)
    if unit.id in demo["kommentarer"]:
        v[K.drift(K.RESULTAT, K.Drift.KOMMENTAR)] = demo["kommentarer"][unit.id]
    for pid, inv in demo.get("investeringar", {}).items():
        if any(p.id == pid for p in forv.investments_of(unit.id)):
            for k, val in inv.items():
                v[K.invest(pid, K.Invest(k))] = val
    for mid, vol in demo.get("volymer", {}).items():
        if any(m.id == mid for m in forv.volumes_of(unit.id)):
            for k, val in vol.items():
                v[K.volume(mid, K.Measure(k))] = val
    figures = demo["personal"].get(unit.id)
    if figures:
        for m, (now, before) in zip(
            forv.personnel, zip(figures[::2], figures[1::2], strict=True), strict=True
        ):
            v[K.personnel(m.id, K.Measure.UTFALL)] = now if now != "" else None
            v[K.personnel(m.id, K.Measure.UTFALL_FG)] = before if before != "" else None
    reported = activities(demo, year_end)
    for a in forv.activities_of(unit.id):
        if a.id in reported:
            status, comment = reported[a.id]
            v[K.activity(a.id, K.Act.STATUS)] = status
            v[K.activity(a.id, K.Act.KOMMENTAR)] = comment
    for qid, text in demo.get("analys", {}).get(unit.id, {}).items():
        v[K.answer(qid)] = text
    v[K.FILLED_BY_KEY] = f"Ekonom, {unit.name}"
    late = unit.id in demo["klar"]["ej_klara"] and not year_end  # ready by the year end
    v[K.READY_KEY] = "Nej" if late else "Ja"
    return v


def fill_workbook(src: Path, dst: Path, wl: WorkbookLayout, inputs: dict[Key, object]) -> None:
    """Type values into a copy of a unit workbook; texts stay texts even when they start with '='."""
    wb = openpyxl.load_workbook(src)
    for s in wl.sheets:
        for key, spec in s.by_key.items():
            if key in inputs:
                cell = wb[s.name].cell(row=spec.row + 1, column=spec.col + 1)
                value = inputs[key]
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
    wb.save(dst)


def save_through_libreoffice(files: list[Path], inbox_dir: Path) -> bool:
    """Let LibreOffice open, recalculate and save the filled files; False if it is not installed."""
    if libreoffice.find() is None:
        for f in files:
            shutil.copy2(f, inbox_dir / f.name)
        return False
    libreoffice.convert(files, inbox_dir)
    return True


MARKER = ".vss-excel-demo"


def _claim(out: Path) -> None:
    """The demo rewrites its folder on every run, so it only ever takes an empty folder or its own."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UserError(f"Mappen {out} finns redan och är ingen demomapp; ange en ny mapp med --ut.")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(
        "Skapad av vss-excel demo; mappen skrivs om vid nästa körning.\n", encoding="utf-8"
    )


def previous_period(forv: Forvaltning, demo: dict[str, Any]) -> archive.Snapshot:
    """August's consolidation as the archive would hold it: each unit's prognos per drift line,
    income as in October and the costs making up August's netto."""
    earlier = demo["foregaende_prognos"]
    period = Period.parse(earlier["period"], "delårsrapport")
    units = {}
    for u in forv.units:
        income = D(demo["prognos"][u.id]["intakter"])
        lines = {
            K.drift(x.id, K.Drift.PROGNOS): income for x in forv.drift_lines if x.kind is LineKind.INTAKT
        }
        for cid, amount in _split_costs(forv, D(earlier[u.id]) - income).items():
            lines[K.drift(cid, K.Drift.PROGNOS)] = amount
        lines[K.drift(K.RESULTAT, K.Drift.PROGNOS)] = D(earlier[u.id])
        units[u.id] = archive.UnitSnapshot(u.name, "", "", True, lines, {})
    return archive.Snapshot(forv.name, forv.short_name, period, f"{period.iso}-31T12:00:00", units)


def write_texts(book: Path, texts: dict[str, str]) -> None:
    """Type the förvaltning's texts into the Konsolidering workbook's sheet Texter, as in Excel;
    each row as tall as its texts need (as Excel makes a row whose text is typed in)."""
    wb = openpyxl.load_workbook(book)
    ws = wb[texter.NAME]
    for row in ws.iter_rows(min_row=texter.HEAD_ROW + 2):
        key = row[texter.KEY_COL].value
        if key in texts:
            row[texter.TEXT_COL].value = texts[key]
            draft, title = row[texter.DRAFT_COL].value or "", row[texter.TITLE_COL].value or ""
            height = texter.row_height(texts[key], str(draft), str(title))
            ws.row_dimensions[row[0].row].height = height
    wb.save(book)


def year_end_settings(forv: Forvaltning) -> Forvaltning:
    """The settings of a year-end follow-up of the verksamhetsplan alone: its part, its one text
    (the [[avsnitt]] verksamhetsplan) and its title, as a förvaltning would write them:

        [rapport]
        delar = ["verksamhetsplan"]
        titel = "Uppföljning av verksamhetsplanen för"
    """
    texts = tuple(s for s in forv.report.sections if s.place == "verksamhetsplan")
    return replace(forv, period=YEAR_END, report=ReportSettings(("verksamhetsplan",), YEAR_END_TITLE, texts))


def _cycle(
    out: Path,
    forv: Forvaltning,
    period: Period,
    demo: dict[str, Any],
    ledger_files: list[Path],
    archive_dir: Path,
    workers: int,
    year_end: bool = False,
) -> tuple[Consolidation, list[Finding], bool]:
    """Templates, the units' filled files (saved by LibreOffice) and Konsolidera, in out."""
    templates_dir, filled_dir, inbox_dir = out / TEMPLATES_FOLDER, out / "ifyllda", out / INBOX_FOLDER
    for d in (templates_dir, filled_dir, inbox_dir):
        if d.exists():
            shutil.rmtree(d)  # the demo's own folders (see _claim): made anew each run
    archive_dir.mkdir(parents=True, exist_ok=True)
    sent = skapa_mallar(forv, period, templates_dir, ledger_files, archive_dir, n_workers=workers)
    written, findings = sent.written, sent.findings
    filled = []
    for path, unit in zip(written, forv.units, strict=True):
        wl = L.build(forv, unit, period)
        dst = filled_dir / path.name
        filled_dir.mkdir(parents=True, exist_ok=True)
        fill_workbook(path, dst, wl, unit_inputs(forv, unit, demo, year_end))
        filled.append(dst)
    inbox_dir.mkdir(parents=True, exist_ok=True)
    by_libreoffice = save_through_libreoffice(filled, inbox_dir)
    result = konsolidera_run.konsolidera(
        inbox_dir,
        forv,
        period,
        out / konsolidering_name(forv, period),
        archive_dir,
        templates=templates_dir,
        n_workers=workers,
    )
    return result, findings, by_libreoffice


def _report(
    out: Path, forv: Forvaltning, period: Period, result: Consolidation, texts: dict[str, str]
) -> list[Finding]:
    """The report of a cycle, from the texts the economist wrote on the sheet Texter."""
    if result.output is None:
        return []
    write_texts(result.output, texts)
    made = write_report(out, forv, period, result.tables, texter.read(result.output))
    return [Finding(Severity.INFO, made.docx.name, "", "", note) for note in made.notes]


def run(
    out: Path, workers: int = 1, report: bool = True, year_end: bool = True
) -> tuple[Consolidation, list[Finding], bool]:
    """The whole cycle in `out`: templates, filled files, the consolidation and the report per
    31 oktober 2020; with `year_end` also the verksamhetsplan's follow-up per 31 december 2020 in
    out / YEAR_END_FOLDER. Returns October's consolidation, and every finding of the templates
    and the reports."""
    forv = settings.load_default()
    period = forv.period
    demo = load_demo()
    _claim(out)
    archive_dir = out / archive.FOLDER
    for d in (archive_dir, out / YEAR_END_FOLDER):
        if d.exists():
            shutil.rmtree(d)
    archive.save(archive_dir, previous_period(forv, demo))
    # The ledger gives the drift rows; the CSV what no ledger has (investments, volumes, personnel).
    ledger_files = [data_file("demo_2020.se"), data_file("exempel_underlag.csv")]
    result, findings, by_libreoffice = _cycle(out, forv, period, demo, ledger_files, archive_dir, workers)
    if report:
        findings += _report(out, forv, period, result, demo_texts())
    if year_end:
        later = year_end_settings(forv)
        folder = out / YEAR_END_FOLDER
        # An archive of its own: the year end's snapshot (October's prognoses, no ledger) is no
        # real year's, and stays out of the archive the October run reads and writes. It starts
        # with the year's earlier snapshots, as a kept archive would, for the Prognossäkerhet.
        (folder / archive.FOLDER).mkdir(parents=True)
        for snap in sorted(archive_dir.glob("*.json")):
            shutil.copy2(snap, folder / archive.FOLDER / snap.name)
        done, _, _ = _cycle(
            folder, later, YEAR_END, demo, [], folder / archive.FOLDER, workers, year_end=True
        )
        findings += [f for f in done.findings if f.severity is not Severity.INFO]
        if report:
            findings += _report(folder, later, YEAR_END, done, demo_texts(year_end=True))
            stem = file_stem(later, YEAR_END)
            findings.append(
                Finding(
                    Severity.INFO,
                    f"{stem}.docx",
                    "",
                    "",
                    f"Uppföljningen av verksamhetsplanen per 31 december 2020 finns i {folder}.",
                )
            )
    return result, findings, by_libreoffice
