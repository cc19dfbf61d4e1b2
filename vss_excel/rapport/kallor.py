"""Källor: every file read, what it is, whether it is used and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..enhetsmall.reader import SourceFile
from ..konsolidera.selection import USED
from .sheet import Sheet

NAME = "Källor"


def describe(sources: Sequence[SourceFile], reasons: Mapping[str, str]) -> Sheet:
    ws = Sheet.new(NAME, "Källor: varje läst fil", [40, 22, 12, 19, 66, 12, 10, 50])
    ws.headers(
        2, ["Fil", "Enhet", "Storlek (byte)", "Ändrad", "SHA-256", "Mallversion", "Används", "Varför"], 2
    )
    ws.repeat_rows = (2, 2)
    ws.freeze = (3, 0)
    for i, s in enumerate(sources, 3):
        why = reasons.get(s.name, "")
        ws.put(i, 0, s.name)
        ws.put(i, 1, s.meta.get("enhet_namn", ""))
        ws.put(i, 2, s.size, "num")
        ws.put(i, 3, s.modified.isoformat(sep=" ") if s.modified else "", "text_right")
        ws.put(i, 4, s.sha256)
        ws.put(i, 5, s.meta.get("mallversion", ""), "text_right")
        ws.put(i, 6, "Ja" if why == USED else "Nej", "text_right")
        ws.put(i, 7, why, "wrap")
    return ws
