"""Documents as accessible PDF: LibreOffice Writer exports a Word document as tagged PDF/UA.

The language (sv-SE) and title come from the document itself (its w:lang and core properties);
the filter options, as LibreOffice's PDF export names them, ask for structure tags, PDF/UA and
the title shown in the viewer's window. What LibreOffice's tags lack (a table of contents as TOC,
list labels, row headers, captions) `pdftags` adds. LibreOffice writes into a temporary folder
beside the target, and the finished file is renamed into place: a reader never sees half a PDF.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from . import libreoffice
from .files import OutputError

if TYPE_CHECKING:
    from docx.document import Document

FILTER_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
    "ExportFormFields": {"type": "boolean", "value": "false"},
}
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(FILTER_OPTIONS, separators=(",", ":"))
WRITER_LIBRARIES = ("libswlo.so", "swlo.dll", "libswlo.dylib")
PROGRAM_DIRS = ("/usr/lib/libreoffice/program", "/usr/lib64/libreoffice/program", "/opt/libreoffice/program")
NO_WRITER = (
    "Ingen PDF skapades: LibreOffice Writer är inte installerat (bara LibreOffice Calc, eller inget "
    "LibreOffice alls). Installera LibreOffice (Debian/Ubuntu: paketet libreoffice-writer-nogui) och kör "
    "igen, eller spara PDF:en från Word: Arkiv > Spara som > PDF, med Alternativ > "
    "Dokumentstrukturtaggar för hjälpmedel."
)
TIMEOUT = 300


def writer_installed() -> bool:
    """LibreOffice with its Writer part (the Calc-only packages cannot read a .docx)."""
    soffice = libreoffice.find()
    if soffice is None:
        return False
    program = Path(soffice).resolve().parent
    dirs = [program, program.parent / "Frameworks", *map(Path, PROGRAM_DIRS)]  # Frameworks: macOS
    return any((d / lib).exists() for d in dirs for lib in WRITER_LIBRARIES)


class Export:
    """A PDF under way (LibreOffice runs beside the caller): `finish()` puts it in place."""

    def __init__(self, doc: Document, target: Path) -> None:
        self.target = target
        self.written: Path | None = None  # the PDF made and repaired, not yet in place
        self.tmp = tempfile.TemporaryDirectory(
            prefix=".~vss-pdf-", dir=target.parent, ignore_cleanup_errors=True
        )
        try:
            source = Path(self.tmp.name) / (target.stem + ".docx")
            doc.save(str(source))
            self.conversion = libreoffice.start([source], Path(self.tmp.name) / "ut", PDF_FILTER, TIMEOUT)
        except BaseException:
            self.tmp.cleanup()
            raise

    def done(self) -> bool:
        """LibreOffice has ended: `ready()` no longer waits for it."""
        return self.conversion.proc.poll() is not None

    def ready(self) -> Path:
        """Wait for the PDF and repair its tags, still in the temporary folder (once; the caller
        may do it early and put the PDF in place later); raises LibreOfficeError."""
        if self.written is None:
            # pypdf (0.15 s to import) only now: Skapa mallar gets here while its workers run
            from pypdf.errors import PyPdfError

            from . import pdftags

            written = self.conversion.wait()[0]
            try:
                pdftags.repair(written)
            except PyPdfError as e:  # LibreOffice's own PDF, unreadable to pypdf: a fault of ours
                raise libreoffice.LibreOfficeError(
                    f"PDF:en som LibreOffice skrev kunde inte läsas för att rätta dess taggar ({e})."
                ) from e
            self.written = written
        return self.written

    def finish(self) -> Path:
        """The PDF ready and renamed into place; raises LibreOfficeError or OutputError."""
        try:
            written = self.ready()
            try:
                os.replace(written, self.target)
            except PermissionError:
                raise OutputError(
                    f"{self.target} kunde inte skrivas över: filen är troligen öppen i ett annat program. "
                    "Stäng den och kör igen."
                ) from None
            return self.target
        finally:
            self.tmp.cleanup()

    def cancel(self) -> None:
        self.conversion.cancel()
        self.tmp.cleanup()


def discard_stale(target: Path) -> str:
    """When no new PDF was made: an earlier run's beside the new Word file would no longer match it,
    so it goes; what happened, as a sentence to add to the note ('' when there was none)."""
    if not target.exists():
        return ""
    try:
        target.unlink()
    except OSError:
        return (
            f" Den tidigare {target.name} stämmer inte med Word-filen och kunde inte tas bort: ta bort den."
        )
    return f" Den tidigare {target.name} togs bort, eftersom den inte stämmer med den nya Word-filen."


def export(doc: Document, target: Path) -> None:
    """Save doc as target (.pdf) through LibreOffice; raises LibreOfficeError or OutputError."""
    Export(doc, target).finish()
