"""Kontroll: per unit who to ask and how much is wrong, then every finding with what to do."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..enhetsmall.reader import SourceFile
from ..model import Finding, Forvaltning, Severity, UnitReport, sorted_findings
from ..swedish import count_text
from .sheet import Sheet

NAME = "Kontroll"
SEVERITY_STYLE = {Severity.FEL: "fel", Severity.VARNING: "varning", Severity.INFO: "info"}


def _link_targets(sources: Sequence[SourceFile], out_dir: Path) -> dict[str, str]:
    """Each file's link, relative to the workbook's folder. A folder is resolved once (the inbox's
    thousand files share one), the file's own name kept: a link to a linked file opens it too."""
    out = out_dir.resolve()
    folders: dict[Path, Path] = {}
    links = {}
    for src in sources:
        folder = folders.get(src.path.parent)
        if folder is None:
            folder = folders[src.path.parent] = src.path.parent.resolve()
        path = folder / src.path.name
        try:
            links[src.name] = "external:" + os.path.relpath(path, out)
        except ValueError:  # another drive on Windows
            links[src.name] = "external:" + str(path)
    return links


def describe(
    forv: Forvaltning,
    findings: Sequence[Finding],
    sources: Sequence[SourceFile],
    reports: Mapping[str, UnitReport],
    out_dir: Path,
) -> Sheet:
    """Two tables sharing their first columns (Enhet, Fil): per unit, then every finding."""
    ws = Sheet.new(NAME, f"Kontroll: {count_text(findings)}", [24, 36, 14, 10, 10, 90])
    ws.put(2, 0, "Per enhet: vem som fyllt i filen och vem du frågar", "subtitle")
    ws.headers(3, ["Enhet", "Fil", "Klar", "Fel", "Varningar", "Ifylld av och kontakt"], 3, 5)
    per_unit = Counter((f.unit, f.severity) for f in findings)
    links = _link_targets(sources, out_dir)
    r = 4
    for u in forv.units:
        rep = reports.get(u.id)
        returned = rep is not None and rep.returned
        ws.put(r, 0, u.name)
        if not (returned and rep):
            ws.put(r, 1, "ingen användbar fil", "fel")
        elif rep.source in links:  # the file, a click away
            ws.put(r, 1, rep.source, "link", links[rep.source])
        else:
            ws.put(r, 1, rep.source)
        ws.put(r, 2, ("Ja" if rep.ready else "Nej") if returned and rep else "")
        ws.put(r, 3, per_unit[(u.id, Severity.FEL)], "num")
        ws.put(r, 4, per_unit[(u.id, Severity.VARNING)], "num")
        who = [f"Ifylld av {rep.filled_by}" if returned and rep and rep.filled_by else ""]
        who.append(", ".join(x for x in (u.contact, u.email) if x))
        ws.put(r, 5, "; ".join(x for x in who if x) or "–", "wrap")
        r += 1
    r += 1
    ws.put(r, 0, "Fynd: vad som ska göras, per fil, blad och cell", "subtitle")
    head = r + 1
    ws.headers(head, ["Enhet", "Fil", "Blad", "Cell", "Allvar", "Vad som ska göras"], numeric_from=99)
    ws.repeat_rows = (head, head)
    ws.freeze = (head + 1, 0)
    names = {u.id: u.name for u in forv.units}
    rows = sorted_findings(findings)
    for i, f in enumerate(rows, head + 1):
        ws.put(i, 0, names.get(f.unit, ""), "wrap")
        ws.put(i, 1, f.file, "link" if f.file in links else "wrap", links.get(f.file))
        ws.put(i, 2, f.sheet)
        ws.put(i, 3, f.cell, "wrap")
        ws.put(i, 4, f.severity.value, SEVERITY_STYLE[f.severity])
        ws.put(i, 5, f.message, "wrap")
        ws.fit(i, [(f.message, 90), (f.cell, 10), (f.file, 36)])
    ws.autofilter = (head, 0, head + max(1, len(rows)), 5)
    return ws
