"""`load`: one entry point for every ledger file the economist may give, by what the file is.

- `.se`, `.si`, `.sie`, or text that begins with a SIE label (#FLAGGA, …): a SIE 4 file;
- a CSV or workbook whose first row is `enhet;post;kolumn;belopp`: the underlag (`underlag.py`),
  read as before, without a reconciliation;
- any other CSV or workbook: an ekonomisystem's export (`export.py`, columns from `[export]`).

A file that cannot be read gives one Swedish finding. A file for another year than the period's,
or a SIE file or export when the settings have no kontoplan, raises `LedgerError` (a UserError):
the whole run stops with the message, since every unit's figures would be wrong. An amount that
cannot be read leaves the cells it belongs to empty (`LedgerResult.refused`), never a partial sum.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from ..errors import os_reason
from ..model import Finding, Forvaltning, Period, Prefill, Severity
from ..swedish import kr_text
from . import export, projects, sie, sie_in, underlag
from .distribute import distribute
from .records import Entry, Kind, LedgerError, LedgerResult, Refused
from .texts import refused_findings

SIE_SUFFIXES = (".se", ".si", ".sie")
WHAT = "en SIE-fil, en export från ekonomisystemet (Excel eller CSV) eller ett underlag (CSV)"


def _failed(source: str, message: str) -> LedgerResult:
    return LedgerResult(Prefill(), (Finding(Severity.FEL, source, "", "", message),))


def _looks_like_sie(p: Path) -> bool:
    with p.open("rb") as f:
        head = f.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] == b"#" and head[1:2].isalpha()


def load(path: str | Path, forv: Forvaltning, period: Period) -> LedgerResult:
    """The prefill, findings and reconciliation of a ledger file; see the module's doc."""
    p = Path(path)
    if not p.is_file():
        return _failed(p.name, f"Underlaget finns inte (eller är en mapp). Ange sökvägen till {WHAT}.")
    try:
        is_sie = p.suffix.lower() in SIE_SUFFIXES or _looks_like_sie(p)
    except OSError as e:
        return _failed(p.name, f"Underlaget kunde inte läsas ({os_reason(e)}).")
    if is_sie:
        return _from_sie(p, forv, period)
    try:
        rows = underlag.read_rows(p)
    except OSError as e:
        return _failed(p.name, f"Underlaget kunde inte läsas ({os_reason(e)}).")
    except Exception:  # calamine's and csv's errors are English: a Swedish finding instead
        return _failed(
            p.name,
            "Filen kunde inte läsas som CSV eller Excelfil (den kan vara skadad, lösenordsskyddad eller av "
            f"ett annat slag). Ange {WHAT}; spara en export som .xlsx eller CSV.",
        )
    if underlag.is_underlag(rows):
        prefill, findings, refused = underlag.parse(rows, forv, p.name)
        return LedgerResult(prefill, tuple(findings), refused=refused)
    _need_kontoplan(forv, p.name)
    entries, findings, unread, on_projects = export.entries(rows, forv.export_columns, period, p.name)
    drift = _distributed(entries, findings, unread, forv, period, p.name)
    return _with_projects(drift, on_projects, forv, period)


def _from_sie(p: Path, forv: Forvaltning, period: Period) -> LedgerResult:
    f = sie.read(p)
    if not f.usable:
        return LedgerResult(Prefill(), f.findings)
    _need_kontoplan(forv, p.name)
    entries, findings, unread, on_projects = sie_in.entries(f, forv, period)
    # The reader's finding for such a line is said again with the cells it leaves empty.
    lines = {r.where for r in unread} | {u.where for u in on_projects.unread}
    said = [x for x in f.findings if not (x.severity is Severity.FEL and x.cell in lines)]
    objects = sie_in.object_names(f, forv.kontoplan.dimension)
    whole = sie_in.whole_years(f)
    drift = _distributed(
        entries, [*said, *findings], unread, forv, period, f.source, f.accounts, objects, whole
    )
    return _with_projects(drift, on_projects, forv, period)


def _with_projects(
    drift: LedgerResult, on_projects: projects.ProjectLedger, forv: Forvaltning, period: Period
) -> LedgerResult:
    """The drift's result with the investments' Redovisat added (distinct cells: no overlap)."""
    prefill, found, rows, refused = projects.prefill(on_projects, forv, period)
    rec = drift.reconciliation
    return LedgerResult(
        Prefill({**drift.prefill.values, **prefill.values}),
        (*drift.findings, *found),
        replace(rec, projects=rows) if rec is not None else None,
        drift.refused | refused,
    )


def _distributed(
    entries: list[Entry],
    findings: list[Finding],
    unread: list[Refused],
    forv: Forvaltning,
    period: Period,
    source: str,
    accounts: Mapping[str, str] | None = None,
    objects: Mapping[str, str] | None = None,
    whole: Collection[tuple[Kind, int]] = (),
) -> LedgerResult:
    if not entries:  # nothing placed, so nothing partly summed: the amounts are only reported
        found = refused_findings([(r, ()) for r in unread], forv, period, source)
        return LedgerResult(Prefill(), (*findings, *found))
    prefill, found, rec = distribute(entries, forv, period, source, accounts, objects, unread, whole)
    refused = frozenset((u, line, c.value) for u, line, c in rec.refused)
    return LedgerResult(prefill, (*findings, *found), rec, refused)


def _need_kontoplan(forv: Forvaltning, source: str) -> None:
    if not forv.kontoplan.ranges:
        raise LedgerError(
            f"{source}: inställningarna har ingen kontoplan, så kontona kan inte föras till driftraderna. "
            "Lägg till tabellen [kontoplan] med [[kontoplan.konton]] (se filen som vss-excel init skriver)."
        )


def conflicts(loaded: Sequence[LedgerResult], sources: Sequence[str], forv: Forvaltning) -> list[Finding]:
    """A finding per cell that two files give different amounts: `combined` takes the first
    file's, and the economist must know which, and that the other differs."""
    out = []
    first: dict[tuple[str, str, str], tuple[Decimal, str]] = {}
    for result, source in zip(loaded, sources, strict=True):
        for key, value in result.prefill.values.items():
            if key not in first:
                first[key] = (value, source)
                continue
            used, where = first[key]
            if value != used:
                unit, post, column = key
                out.append(
                    Finding(
                        Severity.VARNING,
                        source,
                        "",
                        "",
                        f"{forv.unit(unit).name}: {post}, {column} är {kr_text(used)} i {where} men "
                        f"{kr_text(value)} i {source}. Mallen får beloppet ur {where} (det första "
                        "underlaget); stäm av vilket som stämmer, och ta bort det andra beloppet ur "
                        "det ena underlaget.",
                        unit=unit,
                    )
                )
    return out


def combined(*sources: Prefill | LedgerResult) -> Prefill:
    """One prefill from several; where two hold the same value, the first given wins. A cell a
    LedgerResult refused (an amount in it could not be read) stays empty for those after it."""
    values: dict[tuple[str, str, str], Decimal] = {}
    for s in reversed(sources):
        if isinstance(s, LedgerResult):
            values.update(s.prefill.values)
            for key in s.refused:
                values.pop(key, None)
        else:
            values.update(s.values)
    return Prefill(values)
