"""The demo: VSS delår oktober 2020, the whole cycle, filled as the units would.

Inputs come from `data/demo_2020.toml` (the figures and texts of the two reports); workbooks are
filled with openpyxl and then saved by LibreOffice where it is installed, so Konsolidera reads
files a real spreadsheet program wrote.
"""

from __future__ import annotations

import shutil
import tomllib
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
from .model import Finding, Forvaltning, LineKind, Period, Severity, Unit
from .paths import INBOX_FOLDER, TEMPLATES_FOLDER, konsolidering_name
from .rapport import run as konsolidera_run
from .rapport import texter
from .rapport.dokument import demo_texts, write_report

COST_SPLIT = {"personal": Decimal("0.6"), "lokal": Decimal("0.1")}  # övriga: the rest


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


def unit_inputs(forv: Forvaltning, unit: Unit, demo: dict[str, Any]) -> dict[Key, object]:
    """What the unit types into its workbook, by layout key."""
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
    for a in forv.activities_of(unit.id):
        if a.id in demo["aktiviteter"]:
            status, comment = demo["aktiviteter"][a.id]
            v[K.activity(a.id, K.Act.STATUS)] = status
            v[K.activity(a.id, K.Act.KOMMENTAR)] = comment
    for qid, text in demo.get("analys", {}).get(unit.id, {}).items():
        v[K.answer(qid)] = text
    v[K.FILLED_BY_KEY] = f"Ekonom, {unit.name}"
    v[K.READY_KEY] = "Nej" if unit.id in demo["klar"]["ej_klara"] else "Ja"
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
    """Type the förvaltning's texts into the Konsolidering workbook's sheet Texter, as in Excel."""
    wb = openpyxl.load_workbook(book)
    ws = wb[texter.NAME]
    for row in ws.iter_rows(min_row=texter.HEAD_ROW + 2):
        key = row[texter.KEY_COL].value
        if key in texts:
            row[texter.TEXT_COL].value = texts[key]
    wb.save(book)


def run(out: Path, workers: int = 1, report: bool = True) -> tuple[Consolidation, list[Finding], bool]:
    """The whole cycle in `out`: templates, filled files, the consolidation and the report."""
    forv = settings.load_default()
    period = forv.period
    demo = load_demo()
    _claim(out)
    templates_dir, filled_dir, inbox_dir = out / TEMPLATES_FOLDER, out / "ifyllda", out / INBOX_FOLDER
    archive_dir = out / archive.FOLDER
    for d in (templates_dir, filled_dir, inbox_dir, archive_dir):
        if d.exists():
            shutil.rmtree(d)  # the demo's own folders (see _claim): made anew each run
    archive.save(archive_dir, previous_period(forv, demo))
    # The ledger gives the drift rows; the CSV what no ledger has (investments, volumes, personnel).
    ledger_files = [data_file("demo_2020.se"), data_file("exempel_underlag.csv")]
    sent = skapa_mallar(forv, period, templates_dir, ledger_files, archive_dir, n_workers=workers)
    written, findings = sent.written, sent.findings
    filled = []
    for path, unit in zip(written, forv.units, strict=True):
        wl = L.build(forv, unit, period)
        dst = filled_dir / path.name
        filled_dir.mkdir(parents=True, exist_ok=True)
        fill_workbook(path, dst, wl, unit_inputs(forv, unit, demo))
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
    if report and result.output is not None:
        write_texts(result.output, demo_texts())  # as the economist writes them on the sheet Texter
        made = write_report(out, forv, period, result.tables, texter.read(result.output))
        findings += [Finding(Severity.INFO, made.docx.name, "", "", note) for note in made.notes]
    return result, findings, by_libreoffice
