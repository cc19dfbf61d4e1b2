"""Benchmark: the demo's delårsrapport as Word (goal ≤ 3 s) and as PDF; prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_rapport.py [N]      (default 5 runs)

Runs the demo (mallar, ifyllning, konsolidera; not timed), then writes the report N times without
the PDF: the first run with the imports (docxtpl, matplotlib), the median of the rest, and how much
of a run the content and the charts take. Then once with the PDF, where LibreOffice Writer is
installed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from vss_excel import demo, settings

    forv = settings.load_default()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        consolidation, _, _ = demo.run(root / "demo", workers=2)
        print(f"Förberedelse: demon (mallar, ifyllning, konsolidera) {time.perf_counter() - t:.1f} s.")
        tables = consolidation.tables

        from vss_excel import pdf
        from vss_excel.rapport.dokument import context, demo_texts, write_report

        # The demo has imported the package already: its import is timed in a new process. The
        # package loads docxtpl, python-docx and matplotlib when a report is written, so the modules
        # that write one are imported, not the package alone (which defers them).
        code = "import time; t = time.perf_counter(); import vss_excel.rapport.dokument.report, "
        code += "vss_excel.rapport.dokument.context; print(time.perf_counter() - t)"
        imported = float(
            subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        )

        texts = demo_texts()
        runs = []
        for i in range(n):
            t = time.perf_counter()
            files = write_report(root / f"ut{i}", forv, forv.period, tables, texts, pdf=False)
            runs.append(time.perf_counter() - t)
        size = files.docx.stat().st_size / 1024
        print(f"Import av rapportpaketet (docxtpl, python-docx, matplotlib): {imported:.2f} s")
        print(f"Word-rapporten, första körningen: {runs[0]:.2f} s (med import: {imported + runs[0]:.2f} s)")
        if n > 1:
            print(f"Word-rapporten, median av {n - 1} körningar till: {statistics.median(runs[1:]):.2f} s")
        print(f"  {files.docx.name}: {size:.0f} KiB")

        t = time.perf_counter()
        context.build(forv, forv.period, tables, texts)
        print(f"  varav innehåll och diagram: {time.perf_counter() - t:.2f} s")

        if pdf.writer_installed():
            t = time.perf_counter()
            files = write_report(root / "pdf", forv, forv.period, tables, texts)
            print(f"Word och PDF (LibreOffice Writer): {time.perf_counter() - t:.2f} s")
        else:
            print("PDF: LibreOffice Writer är inte installerat, ingen mätning.")
    print(f"Maskin: {os.cpu_count()} kärnor, Python {sys.version.split()[0]}.")


if __name__ == "__main__":
    main()
