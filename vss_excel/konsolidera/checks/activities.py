"""Rules about the verksamhetsplan's activities: a known status, comments where they are needed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ... import calc
from ...enhetsmall import aktiviteter as sheet
from ...keys import Act, activity
from ...model import Finding
from ...swedish import short
from .context import FEL, VARNING, FileContext


class _Reported(NamedTuple):
    text: str
    deadline: str
    status: str
    comment: str
    status_cell: str
    comment_cell: str


def _activities(ctx: FileContext) -> Iterator[_Reported]:
    if not ctx.readable or sheet.NAME not in ctx.rw.sheets:
        return
    for a in ctx.forv.activities_of(ctx.unit):
        yield _Reported(
            a.text,
            a.deadline,
            ctx.text(activity(a.id, Act.STATUS)),
            ctx.text(activity(a.id, Act.KOMMENTAR)),
            ctx.where(activity(a.id, Act.STATUS))[1],
            ctx.where(activity(a.id, Act.KOMMENTAR))[1],
        )


def check_status(ctx: FileContext) -> Iterator[Finding]:
    known = ", ".join(ctx.forv.statuses)
    for act in _activities(ctx):
        if not act.status:
            yield ctx.finding(
                FEL,
                sheet.NAME,
                act.status_cell,
                f"Status saknas för '{short(act.text)}'. Välj en av {known}.",
            )
        elif act.status not in ctx.forv.statuses:
            yield ctx.finding(
                FEL, sheet.NAME, act.status_cell, f"Statusen '{act.status}' finns inte. Välj en av {known}."
            )


def check_status_comment(ctx: FileContext) -> Iterator[Finding]:
    for act in _activities(ctx):
        if act.status in ctx.forv.statuses_needing_comment and not act.comment:
            yield ctx.finding(
                FEL,
                sheet.NAME,
                act.comment_cell,
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
                act.comment_cell,
                f"Slutdatum {act.deadline} har passerat men status är {act.status}, utan kommentar: "
                f"'{short(act.text)}'. Be enheten kommentera eller ändra status.",
            )
