"""The checks: one list of small pure rules, each FileContext -> findings (by area in the modules).

A rule never changes anything; what a finding does is said on it (`gaps`: values left out of the
figures; `blocks_file`: the file is not used). The inbox as a whole is judged in selection.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ...model import Finding
from .activities import check_deadline_passed, check_status, check_status_comment
from .analysis import check_ready_mark
from .cells import (
    check_error_values,
    check_formulas,
    check_input_formulas,
    check_number_formats,
    check_numbers,
    check_percent_fraction,
    check_percent_range,
    check_required,
    check_signs,
    check_tkr_scale,
    check_too_large,
)
from .context import FileContext
from .drift import (
    check_forecast_plausible,
    check_investment_without_comment,
    check_significant_without_comment,
)
from .files import (
    check_file_kind,
    check_fingerprint,
    check_period,
    check_rows_moved,
    check_sheets_present,
    check_stray_cells,
    check_template_version,
    check_unit_known,
)

Rule = Callable[[FileContext], Iterable[Finding]]

# Whether the file can be used at all; the rest only runs on a file that can.
FILE_RULES: tuple[Rule, ...] = (
    check_file_kind,
    check_template_version,
    check_period,
    check_unit_known,
)
# Whether each value can be used: a refused value is a gap (on the finding).
CONTENT_RULES: tuple[Rule, ...] = (
    check_sheets_present,
    check_rows_moved,
    check_fingerprint,
    check_stray_cells,
    check_numbers,
    check_number_formats,
    check_too_large,
    check_error_values,
    check_input_formulas,
    check_percent_range,
    check_percent_fraction,
    check_signs,
    check_tkr_scale,
    check_required,
    check_formulas,
    check_status,
    check_status_comment,
    check_deadline_passed,
    check_ready_mark,
)
# What the accepted figures say: these see the values the report uses, never a refused one.
JUDGING_RULES: tuple[Rule, ...] = (
    check_significant_without_comment,
    check_investment_without_comment,
    check_forecast_plausible,
)

RULES = FILE_RULES + CONTENT_RULES + JUDGING_RULES


def judged(ctx: FileContext) -> tuple[tuple[Finding, ...], FileContext]:
    """Every finding for one file, and the values the report uses (those the findings leave out
    are gaps); a file that cannot be used gets only the reason why. Evaluated once: the judging
    rules see the accepted values and leave none out themselves."""
    found = tuple(f for rule in FILE_RULES for f in rule(ctx))
    if any(f.blocks_file for f in found) or not ctx.readable:
        return found, ctx
    found += tuple(f for rule in CONTENT_RULES for f in rule(ctx))
    if any(f.blocks_file for f in found):  # not used (a changed locked part): nothing to judge
        return found, ctx
    accepted = ctx.without(found)
    judging = tuple(f for rule in JUDGING_RULES for f in rule(accepted))
    if any(f.gaps for f in judging):  # a judging rule that leaves a value out: evaluate again
        accepted = ctx.without(found + judging)
    return found + judging, accepted


def check(ctx: FileContext) -> tuple[Finding, ...]:
    """Every finding for one file (see `judged`)."""
    return judged(ctx)[0]


__all__ = ["CONTENT_RULES", "FILE_RULES", "JUDGING_RULES", "RULES", "FileContext", "Rule", "check", "judged"]
