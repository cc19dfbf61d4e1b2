"""Rules about the verksamhetsplan's activities: a known status, comments where they are needed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ... import calc
from ...enhetsmall import aktiviteter as sheet
from ...keys import Act, Key, activity
from ...model import Finding
from ...swedish import short
from .context import FEL, VARNING, FileContext


class _Reported(NamedTuple):
    text: str
    deadline: str
    status: str
    comment: str
    status_key: Key  # where it is: looked up for a finding only
    comment_key: Key


def _activities(ctx: FileContext) -> Iterator[_Reported]:
    if not ctx.readable or sheet.NAME not in ctx.rw.sheets:
        return
    for a in ctx.forv.activities_of(ctx.unit):
        status, comment = activity(a.id, Act.STATUS), activity(a.id, Act.KOMMENTAR)
        yield _Reported(a.text, a.deadline, ctx.text(status), ctx.text(comment), status, comment)


def check_status(ctx: FileContext) -> Iterator[Finding]:
    known = ", ".join(ctx.forv.statuses)
    for act in _activities(ctx):
        if not act.status:
            yield ctx.finding(
                FEL,
                sheet.NAME,
                ctx.where(act.status_key)[1],
                f"Status saknas för '{short(act.text)}'. Välj en av {known}.",
            )
        elif act.status not in ctx.forv.statuses:
            yield ctx.finding(
                FEL,
                sheet.NAME,
                ctx.where(act.status_key)[1],
                f"Statusen '{act.status}' finns inte. Välj en av {known}.",
            )


def check_status_comment(ctx: FileContext) -> Iterator[Finding]:
    for act in _activities(ctx):
        if act.status in ctx.forv.statuses_needing_comment and not act.comment:
            yield ctx.finding(
                FEL,
                sheet.NAME,
                ctx.where(act.comment_key)[1],
                f"Status {act.status} kräver en kommentar: '{short(act.text)}'.",
            )


def check_deadline_passed(ctx: FileContext) -> Iterator[Finding]:
    """Slutdatum passed, not finished, and nothing said about it."""
    end = ctx.period.end
    for act in _activities(ctx):
        if act.status in ctx.forv.finished_statuses or act.status not in ctx.forv.statuses or act.comment:
            continue
        due = calc.deadline_date(act.deadline, ctx.period.year)
        if due is not None and due < end:
            yield ctx.finding(
                VARNING,
                sheet.NAME,
                ctx.where(act.comment_key)[1],
                f"Slutdatum {act.deadline} har passerat men status är {act.status}, utan kommentar: "
                f"'{short(act.text)}'. Be enheten kommentera eller ändra status.",
            )
