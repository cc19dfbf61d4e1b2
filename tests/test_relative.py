"""Relative folders give the same result as absolute ones, for every command, the PDFs included;
a PDF that cannot be made leaves no stale one from an earlier run, and says why in Swedish."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import cell_values

from vss_excel import archive, demo, pdf
from vss_excel.cli import main
from vss_excel.keys import RESULTAT, Drift, drift
from vss_excel.model import Period

pytestmark = pytest.mark.libreoffice
BOOK = "Konsolidering VSS 2020-10.xlsx"
REPORT = "Delårsrapport Verksamhetsstöd och service 2020-10"


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory, soffice: str, writer: None) -> Path:
    out = tmp_path_factory.mktemp("demo")
    demo.run(out, workers=2)
    return out


def _period_folder(demo_out: Path, where: Path) -> Path:
    """A copy of the demo's inbox and sent templates, as an economist's period folder."""
    for name in ("inkorg", "mallar"):
        shutil.copytree(demo_out / name, where / name)
    return where


def test_konsolidera_and_rapport_from_inside_the_inbox(demo_out, tmp_path, monkeypatch, capsys):
    absolute = _period_folder(demo_out, tmp_path / "absolut")
    assert main(["konsolidera", "--in", str(absolute / "inkorg")]) == 0
    relative = _period_folder(demo_out, tmp_path / "relativ")
    monkeypatch.chdir(relative / "inkorg")
    assert main(["konsolidera", "--in", "."]) == 0  # beside the inbox, as for an absolute one
    assert cell_values(relative / BOOK)["Driftsammandrag"] == cell_values(absolute / BOOK)["Driftsammandrag"]
    assert (relative / "arkiv" / "VSS 2020-10.json").is_file()
    capsys.readouterr()
    assert main(["rapport", "--in", "."]) == 0
    err = capsys.readouterr().err
    assert "finns inte" not in err  # the Konsolidering beside the inbox was found, with its texts
    assert sorted(p.name for p in relative.glob(f"{REPORT}.*")) == [f"{REPORT}.docx", f"{REPORT}.pdf"]
    assert not list((relative / "inkorg").glob(f"{REPORT}.*"))  # never into the inbox


def test_rapport_ut_dot_makes_the_pdf(demo_out, tmp_path, monkeypatch, capsys):
    folder = _period_folder(demo_out, tmp_path)
    monkeypatch.chdir(folder)
    assert main(["konsolidera", "--in", "inkorg", "--ut", "."]) == 0
    assert (folder / BOOK).is_file()  # --ut a folder: the usual name inside it
    assert main(["rapport", "--in", "inkorg", "--ut", "."]) == 0
    made = folder / f"{REPORT}.pdf"
    assert made.read_bytes().startswith(b"%PDF") and "Error" not in capsys.readouterr().err
    # the inbox is no place for the report: the next Konsolidera would read it
    assert main(["rapport", "--in", "inkorg", "--ut", "inkorg"]) == 2
    assert "indata skrivs aldrig över" in capsys.readouterr().err


def test_mallar_ut_dot_keeps_the_letter_s_pdf(tmp_path, monkeypatch, writer):
    monkeypatch.chdir(tmp_path)
    assert main(["mallar", "--ut", ".", "--enhet", "lkdata"]) == 0
    assert (tmp_path / "VSS 2020-10 LKDATA.xlsx").is_file()
    assert (tmp_path / "Instruktioner till enheterna VSS 2020-10.pdf").read_bytes().startswith(b"%PDF")


def test_a_pdf_that_cannot_be_made_leaves_no_stale_one(demo_out, tmp_path, monkeypatch, capsys):
    folder = _period_folder(demo_out, tmp_path)
    shutil.copy2(demo_out / BOOK, folder / BOOK)
    assert main(["rapport", "--in", str(folder / "inkorg")]) == 0
    stale = folder / f"{REPORT}.pdf"
    assert stale.is_file()
    capsys.readouterr()
    monkeypatch.setattr(pdf, "TIMEOUT", 0.001)  # LibreOffice is stopped before it can finish
    assert main(["rapport", "--in", str(folder / "inkorg")]) == 0
    err = capsys.readouterr().err
    assert not stale.exists() and (folder / f"{REPORT}.docx").is_file()
    assert "Ingen PDF skapades: LibreOffice svarade inte på 0.001 sekunder och avbröts." in err
    assert f"Den tidigare {stale.name} togs bort, eftersom den inte stämmer med den nya Word-filen." in err
    assert "Arkiv > Spara som > PDF" in err


def test_prognossakerhet_with_the_archive_as_the_working_folder(forv, tmp_path, monkeypatch):
    """Written beside the archive, as for an absolute --arkiv: never among the snapshots."""
    folder = tmp_path / "arkiv"
    for month, field, amount in ((4, Drift.PROGNOS, 2_000_000), (12, Drift.REDOVISAT, 6_000_000)):
        values = {drift(RESULTAT, field): Decimal(amount)}
        units = {u.id: archive.UnitSnapshot(u.name, "", "", True, values, {}) for u in forv.units}
        archive.save(folder, archive.Snapshot(forv.name, forv.short_name, Period(2020, month), "", units))
    monkeypatch.chdir(folder)
    assert main(["prognossakerhet", "--ar", "2020", "--arkiv", "."]) == 0
    assert (tmp_path / "Prognossäkerhet VSS 2020.xlsx").is_file()
    assert sorted(p.name for p in folder.iterdir()) == ["VSS 2020-04.json", "VSS 2020-12.json"]
