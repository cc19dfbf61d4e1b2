"""Rules about the Analys sheet: the unit says its figures are ready."""

from __future__ import annotations

from collections.abc import Iterator

from ...enhetsmall import analys
from ...keys import READY_KEY
from ...model import Finding
from .context import VARNING, FileContext


def check_ready_mark(ctx: FileContext) -> Iterator[Finding]:
    if ctx.readable and analys.NAME in ctx.rw.sheets and ctx.text(READY_KEY).lower() != "ja":
        sheet, cell = ctx.where(READY_KEY)
        yield ctx.finding(
            VARNING,
            sheet,
            cell,
            "Enheten har inte markerat Klar för konsolidering = Ja. Siffrorna kan vara preliminära.",
        )
