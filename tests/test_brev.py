"""What goes out with the templates: the letter to the units and the list for sending, from the
settings; and mallar prefilled from the ledger (SIE 4) with its reconciliation."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pdf_structure
import pytest
from docx import Document
from pypdf import PdfReader

from vss_excel import demo
from vss_excel.cli import EXIT_INTERRUPTED, main
from vss_excel.enhetsmall import brev
from vss_excel.ledger import underlag
from vss_excel.model import Period


def test_the_letter_says_what_the_settings_say(forv, tmp_path, writer):
    path, pdf = brev.write_letter(
        tmp_path, forv, forv.period
    ).files  # Writer is installed where the tests run
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].style.name == "Heading 1"
    for must in (
        "hela kronor, inte i tusental",  # kronor, not tkr
        "Intäkter skrivs med plustecken och kostnader med minustecken",  # the sign rule
        "minst 500 tkr eller minst 10 % av budget",  # the väsentlighet threshold
        "Statusarna är Klar, Anpassats, Ersatts, Pågående, Pausad och Utgått",
        "Status Anpassats, Ersatts, Pausad och Utgått kräver en kommentar",
        "senast 6 november 2020 via e-post till ekonomi@exempel.se",  # return date and address
        "Gula celler",
        "röd",
    ):
        assert must in text, must
    assert "arbetsbok för delårsrapporten jan–okt 2020. Den är redan ifylld med redovisning" in text
    assert doc.core_properties.language == "sv-SE"
    # the language every style inherits (the document defaults), as the report sets it
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    langs = {x.get(f"{w}val") for x in doc.styles.element.iter(f"{w}lang")}
    assert langs == {"sv-SE"}


def test_the_letter_is_a4_like_the_report_and_its_pdf_passes_the_checks(forv, tmp_path, writer):
    """A4 in Word and in the PDF (python-docx's own template is US Letter), real bullets ("•", not
    Symbol's private-use character), and the PDF's tags as the report's (tests/pdf_structure.py)."""
    path, pdf = brev.write_letter(tmp_path, forv, forv.period).files
    section = Document(str(path)).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    reader = PdfReader(str(pdf))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {
        (595, 842)
    }
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "\u2022 Gula celler fyller du i." in text and "\uf0b7" not in text
    assert pdf_structure.problems(pdf) == []
    labels = pdf_structure.Structure(pdf).of("/Lbl")
    assert len(labels) == sum(1 for kind, _ in brev.paragraphs(forv, forv.period) if kind == "b")


@pytest.mark.parametrize(
    ("period", "named"),
    [
        (Period(2020, 12, "delårsrapport"), "verksamhetsberättelsen jan–dec 2020"),  # as the report names it
        (Period(2021, 4, "tertialrapport"), "tertialrapporten jan–apr 2021"),
        (Period(2021, 2, "månadsuppföljning"), "månadsuppföljningen jan–feb 2021"),
    ],
)
def test_the_letter_names_the_report_in_its_definite_form(forv, period, named):
    text = " ".join(t for _, t in brev.paragraphs(forv, period))
    assert f"arbetsbok för {named}." in text and "seen " not in text


def test_the_letter_claims_prefilled_amounts_only_when_there_are_some(forv):
    text = " ".join(t for _, t in brev.paragraphs(forv, forv.period, prefilled=False))
    assert "redan ifylld" not in text and "Du fyller i prognos" in text


def test_a_letter_whose_pdf_cannot_be_made_is_the_word_file_and_a_note(forv, tmp_path, monkeypatch, writer):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_bytes(b"\x00\x01 inget program")  # LibreOffice, broken
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    letter = brev.write_letter(tmp_path, forv, forv.period)
    assert letter.files == (tmp_path / brev.letter_name(forv, forv.period),) and letter.files[0].exists()
    assert (
        letter.note.startswith("Ingen PDF av brevet till enheterna skapades")
        and "kunde inte startas" in letter.note
    )
    # and Skapa mallar goes on to the list for sending: no unexpected error (exit 3)
    assert main(["mallar", "--ut", str(tmp_path / "ut"), "--enhet", "lkdata"]) == 0
    assert (tmp_path / "ut" / "Utskick VSS 2020-10.csv").exists()


def test_a_failure_while_the_pdf_is_made_stops_libreoffice_and_leaves_nothing(forv, tmp_path, writer):
    with pytest.raises(RuntimeError), brev.PendingLetter(tmp_path, forv, forv.period) as pending:
        pending.start()
        assert pending.export is not None  # LibreOffice runs beside what comes next
        soffice = pending.export.conversion.proc
        profile = pending.export.conversion.tmp.name  # on the command line of each of its processes
        _until(lambda: len(_running(profile)) >= 2)  # soffice has started soffice.bin
        raise RuntimeError("mallarna kunde inte skrivas")
    assert soffice.poll() is not None  # stopped, not left running, and nor are its children:
    _until(lambda: not _running(profile))
    assert list(tmp_path.iterdir()) == []  # no letter of a run that failed, no temporary folder


def test_a_pdf_made_while_the_templates_are_written_is_put_in_place_only_with_its_word_file(
    forv, tmp_path, writer
):
    """Skapa mallar has the PDF's tags repaired while its workers run (step); a run that fails
    after that leaves neither file, and one that ends puts both in place."""
    with pytest.raises(RuntimeError), brev.PendingLetter(tmp_path, forv, forv.period) as pending:
        pending.step()  # the Word document made, LibreOffice started
        assert pending.export is not None
        _until(pending.export.done)
        pending.step()  # the PDF made and repaired, not yet in place
        assert pending.export.written is not None and pending.export.written.is_file()
        raise RuntimeError("mallarna kunde inte skrivas")
    assert list(tmp_path.iterdir()) == []
    with brev.PendingLetter(tmp_path, forv, forv.period) as pending:
        pending.step()
        assert pending.export is not None
        _until(pending.export.done)
        pending.step()
        letter = pending.finish()
    assert [p.name for p in letter.files] == [
        "Instruktioner till enheterna VSS 2020-10.docx",
        "Instruktioner till enheterna VSS 2020-10.pdf",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in letter.files)
    assert letter.files[1].read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="SIGHUP finns bara på POSIX")
def test_a_closed_terminal_ends_mallar_and_its_libreoffice_as_ctrl_c_does(tmp_path, writer):
    out = tmp_path / "ut"
    run = subprocess.Popen(
        [sys.executable, "-m", "vss_excel.cli", "mallar", "--ut", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _until(lambda: bool(list(out.glob(".~vss-pdf-*"))) or run.poll() is not None)  # the letter's PDF begun
    assert run.poll() is None, "mallar ended before LibreOffice started"
    run.send_signal(signal.SIGHUP)
    _, err = run.communicate(timeout=60)
    assert run.returncode == EXIT_INTERRUPTED and "Avbrutet" in err.decode()
    assert (
        not list(out.glob(".~vss-*")) and not (out / "Instruktioner till enheterna VSS 2020-10.docx").exists()
    )
    _until(lambda: not _running(str(out)))  # LibreOffice's processes end with the run


def _running(marker: str) -> list[Path]:
    """The processes whose command line holds `marker` (LibreOffice's profile or output folder)."""
    return [p for p in Path("/proc").glob("[0-9]*/cmdline") if marker.encode() in _read(p)]


def _until(done: Callable[[], bool], within: float = 60) -> None:
    """Wait for something another process does; fail only after a generous time."""
    deadline = time.monotonic() + within
    while not done():
        assert time.monotonic() < deadline, "det hände inte inom en minut"
        time.sleep(0.01)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # the process ended meanwhile
        return b""


def test_the_list_for_sending_has_a_row_per_unit(forv, tmp_path):
    path = brev.write_mailing(tmp_path, forv, forv.period)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM as UTF-8
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["enhet", "kontakt", "epost", "fil", "sista_dag", "skicka_till"]
    assert len(rows) == 1 + len(forv.units)
    assert rows[8] == ["LKDATA", "", "", "VSS 2020-10 LKDATA.xlsx", "2020-11-06", "ekonomi@exempel.se"]


def test_mallar_from_the_sie_ledger_prefills_as_the_csv_does_and_reconciles(forv, tmp_path, capsys):
    sie = demo.data_file("demo_2020.se")
    assert main(["mallar", "--underlag", str(sie), "--ut", str(tmp_path / "ut"), "--enhet", "lkdata"]) == 0
    out = capsys.readouterr().out
    assert "Avstämning VSS 2020-10.xlsx" in out
    drift = openpyxl.load_workbook(tmp_path / "ut" / "VSS 2020-10 LKDATA.xlsx")["Drift"]
    from_csv, _ = underlag.read(demo.data_file("exempel_underlag.csv"), forv)
    columns = {2: "redovisat", 3: "budget", 5: "redovisat_fg", 7: "budget_helar", 9: "bokslut_fg"}
    for row, line in ((5, "intakter"), (6, "personal"), (7, "lokal"), (8, "ovrigt")):
        for col, field in columns.items():
            assert D(drift.cell(row, col).value) == from_csv.get("lkdata", line, field), (line, field)
    rec = openpyxl.load_workbook(tmp_path / "ut" / "Avstämning VSS 2020-10.xlsx")
    assert rec.sheetnames[:2] == ["Avstämning", "Ej placerat"]
