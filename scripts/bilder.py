"""Pictures for the handbook, made from the demo so they stay true: docs/bilder/*.png.

    .venv/bin/python scripts/bilder.py

Runs the demo, prints a unit's template, the Konsolidering workbook and the report to PDF with
LibreOffice, and the pages the handbook shows to PNG with pdftoppm. Konsolidering Lite is shown as
built and after its Konsolidera script ran: the actions xlwings' protocol returns, applied as
Excel applies them (tests/officejs.py). Run it again after a change to the workbooks or the
report; it replaces the pictures.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "bilder"

# picture name -> (which file, a text that is on the page)
PAGES = {
    "start.png": ("arbetsbok", "uppföljning och konsolidering"),
    "mall-drift.png": ("mall", "drift jan–okt 2020"),
    "mall-aktiviteter.png": ("mall", "verksamhetsplanens aktiviteter"),
    "mall-analys.png": ("mall", "Klar för konsolidering"),
    "konsolidering-driftsammandrag.png": ("konsolidering", "driftsammandrag, netto tkr"),
    "konsolidering-kontroll.png": ("konsolidering", "Kontroll:"),
    "konsolidering-texter.png": ("konsolidering", "Förvaltningens texter till rapporten"),
    "rapport-forsta-sidan.png": ("rapport", ""),
    "rapport-driftsammandrag.png": ("rapport", "Driftsammandrag, netto tkr"),
    "lite-start.png": ("lite", "Första gången"),
    "lite-status.png": ("lite-efter", "Konsoliderat jan–okt 2020"),
    "lite-driftsammandrag.png": ("lite-efter", "driftsammandrag, netto tkr"),
}


def pdf(source: Path, folder: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
    )
    return folder / (source.stem + ".pdf")


def page_with(document: Path, text: str) -> int:
    """The first page (1-based) whose text has `text` ('' = the first page)."""
    if not text:
        return 1
    pages = subprocess.run(
        ["pdftotext", "-layout", str(document), "-"], capture_output=True, text=True, check=True
    )
    for i, page in enumerate(pages.stdout.split("\f"), 1):
        if text in page:
            return i
    raise SystemExit(f"'{text}' finns inte i {document.name}")


def lite(folder: Path) -> dict[str, Path]:
    """Konsolidering Lite as built beside the demo's inbox, and after Konsolidera in xlwings Lite."""
    import os

    sys.path.insert(0, str(ROOT / "tests"))
    from officejs import replay, run_script, typed

    from vss_excel.excel.build import lite as build

    built = build.build(folder / build.FILE_NAME)
    here = Path.cwd()
    os.chdir(folder)  # Lite's /data: the inbox is there
    try:
        book = typed(built, folder / "Lite före.xlsx", {})
        after = folder / "Lite efter.xlsx"
        replay(book, run_script("konsolidera", book), after)
    finally:
        os.chdir(here)
    return {"lite": built, "lite-efter": after}


def main() -> None:
    from vss_excel import demo

    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        sys.exit("Bilderna kräver LibreOffice (soffice) och poppler-utils (pdftoppm).")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result, _, _ = demo.run(work / "demo", workers=2)
        sources = {
            "arbetsbok": ROOT / "workbooks" / "Konsolidering.xlsm",
            "mall": work / "demo" / "inkorg" / "VSS 2020-10 LKDATA.xlsx",
            "konsolidering": result.output,
        }
        sources.update(lite(work / "demo"))
        pdfs = {name: pdf(path, work) for name, path in sources.items() if path is not None}
        # The report's own PDF, as the demo wrote it (its table of contents has page numbers)
        reports = sorted((work / "demo").glob("Delårsrapport*.pdf"))
        if reports:
            pdfs["rapport"] = reports[0]
        OUT.mkdir(parents=True, exist_ok=True)
        for picture, (source, text) in PAGES.items():
            if source not in pdfs:
                print(f"{picture}: hoppar över ({source} saknas)")
                continue
            page = page_with(pdfs[source], text)
            stem = OUT / picture.removesuffix(".png")
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "70",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(pdfs[source]),
                    str(stem),
                ],
                check=True,
            )
            print(f"{picture}: sida {page} av {pdfs[source].name}")


if __name__ == "__main__":
    main()
