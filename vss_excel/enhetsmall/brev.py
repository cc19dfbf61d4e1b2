"""What goes out with the templates: a short letter to the units (Word, and PDF where LibreOffice
Writer is installed) and a list for sending (CSV for a mail merge), all from the settings."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import files, pdf
from ..files import OutputError
from ..libreoffice import LibreOfficeError
from ..model import Forvaltning, Period, swedish_date
from . import writer
from .texts import and_list, threshold_figures

if TYPE_CHECKING:  # python-docx is imported where the letter is made (document())
    from docx.document import Document as DocxDocument


@dataclass(frozen=True)
class Letter:
    """The letter's files (the .docx, and the .pdf where one was made) and, when a PDF could not
    be made, why."""

    files: tuple[Path, ...]
    note: str = ""


def letter_name(forv: Forvaltning, period: Period) -> str:
    return f"Instruktioner till enheterna {forv.short_name} {period.iso}.docx"


def paragraphs(forv: Forvaltning, period: Period, prefilled: bool = True) -> list[tuple[str, str]]:
    """The letter as (style, text) pairs: 'h' heading, 'p' paragraph, 'b' bullet. `prefilled`: the
    templates hold redovisning and budget from a ledger (the letter says so only then)."""
    letter = forv.letter
    due = swedish_date(letter.return_by) if letter.return_by else "det datum ekonomen anger"
    where = letter.address or "ekonomen"
    send = f"e-post till {where}" if "@" in where else f"mappen {where}"
    needing = and_list(forv.statuses_needing_comment)
    tkr, pct = threshold_figures(forv)  # as set, as the templates say it (2,5 %, not 3 %)
    out = [
        ("h", f"Uppföljning {period.span()}: så fyller du i arbetsboken"),
        (
            "p",
            f"Här är {forv.name}s arbetsbok för {period.report_kind_definite} {period.span()}. "
            + ("Den är redan ifylld med redovisning och budget ur ekonomisystemet. " if prefilled else "")
            + "Du fyller i prognos, kommentarer och status, i Excel, Excel på webben eller LibreOffice; "
            "du behöver inga makron.",
        ),
        ("h2", "Vad du fyller i"),
        ("b", "Gula celler fyller du i. Allt annat är låst och ska stå kvar som det är."),
        ("b", "Drift: Prognos helår på varje rad. Skriv 0 på en rad som inte har några belopp."),
        ("b", "Investeringar, Volymer och Personal: prognos och utfall där det finns gula celler."),
        ("b", "Aktiviteter: välj status i listan för varje aktivitet och skriv en kommentar."),
        ("b", "Analys: svara på frågorna, skriv ditt namn och välj till sist Klar för konsolidering = Ja."),
        ("h2", "Belopp och tecken"),
        ("b", "Skriv belopp i hela kronor, inte i tusental: 250000, inte 250. Arbetsboken visar dem i tkr."),
        ("b", "Intäkter skrivs med plustecken och kostnader med minustecken, t.ex. −850000."),
        ("b", "Skriv bara siffror i sifferceller: inga 'kr', 'ca' eller mellanslag."),
        ("h2", "Röda celler och kommentarer"),
        (
            "b",
            f"En kommentarcell blir röd vid en väsentlig avvikelse: minst {tkr} tkr eller minst {pct} % "
            "av budget, eller en lika stor ändring sedan förra prognosen. En kommentar på raden Resultat "
            "räcker för hela bladet.",
        ),
        ("b", f"Statusarna är {and_list(forv.statuses)}. Status {needing} kräver en kommentar."),
        ("b", "Har ett slutdatum passerat utan att aktiviteten är klar, förklara det i kommentaren."),
        ("h2", "När du är klar"),
        (
            "p",
            f"Spara filen som Excel-arbetsbok (.xlsx) med samma namn och skicka den senast {due} via {send}. "
            "Byt inte namn på filen och lägg inte till eller ta bort rader eller blad.",
        ),
    ]
    if letter.economist:
        out.append(("p", f"Frågor? Kontakta {letter.economist}."))
    return out


class PendingLetter:
    """The letter to the units, made in steps: `start()` makes the Word document and begins its PDF
    in LibreOffice, `finish()` writes the Word file, puts the PDF beside it and gives the Letter.
    `step()` does whichever is due without waiting, for a caller with work of its own meanwhile
    (Skapa mallar starts the letter once its workers run, and has the PDF's tags repaired as soon
    as LibreOffice is done). Used as a context manager, a failure before `finish()` stops
    LibreOffice and leaves nothing in the folder."""

    def __init__(self, folder: Path, forv: Forvaltning, period: Period, prefilled: bool = True) -> None:
        self.target = folder / letter_name(forv, period)
        self.what = (forv, period, prefilled)
        self.doc: DocxDocument | None = None
        self.export: pdf.Export | None = None
        self.note = ""

    def start(self) -> None:
        """The Word document, and its tagged PDF started in LibreOffice Writer where it is installed.
        A PDF that cannot be made leaves the Word file and a note."""
        self.doc = document(*self.what)
        if not pdf.writer_installed():
            return
        try:
            self.export = pdf.Export(self.doc, self.target.with_suffix(".pdf"))
        except (LibreOfficeError, OutputError) as e:
            self.note = f"{NO_PDF}{e}"

    def step(self) -> None:
        if self.doc is None:
            self.start()
        elif self.export is not None and self.export.written is None and self.export.done():
            try:
                self.export.ready()  # in place only in finish(), after the Word file
            except LibreOfficeError as e:
                self._no_pdf(e)

    def _no_pdf(self, e: Exception) -> None:
        assert self.export is not None
        self.export.cancel()
        self.export = None
        self.note = f"{NO_PDF}{e}"

    def finish(self) -> Letter:
        if self.doc is None:
            self.start()
        assert self.doc is not None
        with files.replacing(self.target, ".docx") as tmp:
            self.doc.save(str(tmp))
        if self.export is not None:
            export, self.export = self.export, None
            try:
                return Letter((self.target, export.finish()))
            except (LibreOfficeError, OutputError) as e:  # the Word file is the letter; the PDF a copy
                self.note = f"{NO_PDF}{e}"
        return Letter(
            (self.target,), (self.note + pdf.discard_stale(self.target.with_suffix(".pdf"))).strip()
        )

    def __enter__(self) -> PendingLetter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.export is not None:
            self.export.cancel()
            self.export = None


NO_PDF = "Ingen PDF av brevet till enheterna skapades (Word-dokumentet finns): "


def document(forv: Forvaltning, period: Period, prefilled: bool = True) -> DocxDocument:
    """The letter as a Word document (sv-SE, A4)."""
    # python-docx (0.1 s to import) only now: Skapa mallar makes the letter while its workers run
    from docx import Document
    from docx.shared import Cm, Pt

    from ..word import A4, bullets, set_language

    doc = Document()
    section = doc.sections[0]  # python-docx's own template is US Letter: A4, as the report
    section.page_width, section.page_height = A4
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    bullets(doc, "Calibri")  # "•", not Symbol's private-use character
    set_language(doc)  # Swedish spelling and hyphenation in every paragraph, as in the report
    doc.core_properties.title = f"Instruktioner till enheterna, {forv.short_name} {period.span()}"
    doc.core_properties.author = forv.name
    for kind, text in paragraphs(forv, period, prefilled):
        if kind == "h":
            doc.add_heading(text, level=1)
        elif kind == "h2":
            doc.add_heading(text, level=2)
        elif kind == "b":
            doc.add_paragraph(text, style="List Bullet")
        else:
            doc.add_paragraph(text)
    return doc


def write_letter(folder: Path, forv: Forvaltning, period: Period, prefilled: bool = True) -> Letter:
    """The letter as Word and, where LibreOffice Writer is installed, as tagged PDF."""
    with PendingLetter(folder, forv, period, prefilled) as pending:
        return pending.finish()


def write_mailing(
    folder: Path, forv: Forvaltning, period: Period, units: Collection[str] | None = None
) -> Path:
    """One row per unit (those given; None: all): whom to send which file, for a mail merge (UTF-8
    with BOM, semicolons)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(["enhet", "kontakt", "epost", "fil", "sista_dag", "skicka_till"])
    due = forv.letter.return_by.isoformat() if forv.letter.return_by else ""
    for u in forv.units:
        if units is not None and u.id not in units:
            continue
        w.writerow([u.name, u.contact, u.email, writer.file_name(forv, u, period), due, forv.letter.address])
    target = folder / f"Utskick {forv.short_name} {period.iso}.csv"
    with files.replacing(target, ".csv") as tmp:
        tmp.write_text(out.getvalue(), encoding="utf-8-sig")
    return target
