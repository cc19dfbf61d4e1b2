"""The delårsrapport itself: an editable Word document (the kommun's template) and an accessible PDF.

    write_report(target_dir, forv, period, tables, texts) -> ReportFiles(docx, pdf, notes)
    build_template(target)   the default Word template, for `vss-excel rapportmall`

The template's tags are listed in template.py.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .demo import demo_texts
    from .report import ReportFiles, file_stem, write_report
    from .template import build_template

__all__ = ["ReportFiles", "build_template", "demo_texts", "file_stem", "write_report"]

# Loaded when first asked for: the light module ooxml serves the letter that goes out
# with the templates, and Skapa mallar never waits for docxtpl and matplotlib.
_MODULE_OF = {
    "demo_texts": "demo",
    "ReportFiles": "report",
    "file_stem": "report",
    "write_report": "report",
    "build_template": "template",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
