"""The delårsrapport itself: an editable Word document (the kommun's template) and an accessible PDF.

    write_report(target_dir, forv, period, tables, texts) -> ReportFiles(docx, pdf, notes)
    build_template(target)   the default Word template, for `vss-excel rapportmall`

The template's tags are listed in template.py.
"""

from __future__ import annotations

from .demo import demo_texts
from .report import ReportFiles, file_stem, write_report
from .template import build_template

__all__ = ["ReportFiles", "build_template", "demo_texts", "file_stem", "write_report"]
