"""Validation rules: one small function each, all listed in FILE_RULES and INBOX_RULES.

A rule gets what the reader found and returns findings (severity, file, sheet, cell, a Swedish
message that says what to do). Rules never change the files and never stop the run.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .. import calc
from ..enhetsmall import metadata
from ..enhetsmall.cells import NUMBER_RULES, CellSpec, Kind, SheetLayout
from ..enhetsmall.fingerprint import fingerprint, sheet_fingerprints
from ..enhetsmall.reader import FileKind, ReadWorkbook, number
from ..keys import Key, Section
from ..model import Finding, Forvaltning, LineKind, Period, Severity

FEL, VARNING, INFO = Severity.FEL, Severity.VARNING, Severity.INFO
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".xlsb", ".ods")


@dataclass
class Context:
    rw: ReadWorkbook
    forv: Forvaltning
    period: Period

    def finding(self, severity: Severity, sheet: str, cell: str, message: str) -> Finding:
        return Finding(severity, self.rw.source.name, sheet, cell, message)

    @property
    def readable(self) -> bool:
        """Our template, for this period and a known unit: its cells can be checked."""
        return self.rw.layout is not None and self.rw.report is not None


def tkr_text(amount: Decimal | None) -> str:
    if amount is None:
        return "–"
    return f"{calc.round_tkr(amount):,}".replace(",", " ") + " tkr"


# --- the file as a whole -------------------------------------------------------------------


def check_file_kind(ctx: Context) -> Iterator[Finding]:
    src = ctx.rw.source
    suffix = src.path.suffix.lower()
    if src.kind == FileKind.LOCK:
        yield ctx.finding(
            INFO,
            "",
            "",
            "Excels låsfil (~$…) ignoreras: den finns medan någon har "
            "arbetsboken öppen. Stäng arbetsboken i Excel om den ska läsas.",
        )
    elif src.kind == FileKind.XLS:
        yield ctx.finding(
            FEL,
            "",
            "",
            "Gammalt Excelformat (.xls) används inte. Be enheten öppna "
            "filen och spara den som Excel-arbetsbok (.xlsx).",
        )
    elif src.kind == FileKind.ENCRYPTED:
        yield ctx.finding(
            FEL,
            "",
            "",
            "Filen är lösenordsskyddad och kan inte läsas. Be enheten ta "
            "bort lösenordet (Arkiv > Info > Skydda arbetsbok) och skicka igen.",
        )
    elif src.kind == FileKind.NOT_WORKBOOK:
        if suffix in EXCEL_SUFFIXES:
            yield ctx.finding(
                FEL,
                "",
                "",
                "Filen heter som en Excelfil men är ingen arbetsbok. "
                "Be enheten skicka den ifyllda mallen igen.",
            )
        else:
            yield ctx.finding(INFO, "", "", "Ingen Excelfil; ignoreras.")
    elif src.kind == FileKind.CORRUPT:
        yield ctx.finding(
            FEL,
            "",
            "",
            f"Filen är skadad och kunde inte läsas ({src.error}). Be "
            "enheten öppna den i Excel, spara om och skicka igen.",
        )
    elif src.kind == FileKind.FOREIGN:
        yield ctx.finding(
            FEL,
            "",
            "",
            "Arbetsboken är ingen enhetsmall från vss-excel (det dolda "
            "bladet Metadata saknas eller är fel). Be enheten fylla i den mall som "
            "skickades ut.",
        )


def check_template_version(ctx: Context) -> Iterator[Finding]:
    version = ctx.rw.source.meta.get("mallversion")
    if ctx.rw.source.kind == FileKind.WORKBOOK and version != metadata.TEMPLATE_VERSION:
        yield ctx.finding(
            FEL,
            metadata.NAME,
            "",
            f"Mallversion {version or 'saknas'}, men den här "
            f"versionen av vss-excel läser version {metadata.TEMPLATE_VERSION}. Skapa nya "
            "mallar och be enheten föra över sina uppgifter.",
        )


def check_period(ctx: Context) -> Iterator[Finding]:
    meta = ctx.rw.source.meta
    if ctx.rw.source.kind == FileKind.WORKBOOK and meta.get("period") != ctx.period.iso:
        yield ctx.finding(
            FEL,
            metadata.NAME,
            "",
            f"Filen gäller period {meta.get('period') or 'okänd'} "
            f"men konsolideringen gäller {ctx.period.iso}. Filen används inte; be "
            "enheten fylla i mallen för rätt period.",
        )


def check_unit_known(ctx: Context) -> Iterator[Finding]:
    src = ctx.rw.source
    if src.kind == FileKind.WORKBOOK and ctx.rw.layout is None:
        yield ctx.finding(
            FEL,
            metadata.NAME,
            "",
            f"Enheten '{src.unit_id or '?'}' "
            f"({src.meta.get('enhet_namn', '')}) finns inte i inställningarna. Filen "
            "används inte; kontrollera inställningsfilen.",
        )


def check_sheets_present(ctx: Context) -> Iterator[Finding]:
    for name in ctx.rw.sheets_missing:
        yield ctx.finding(
            FEL,
            name,
            "",
            f"Bladet {name} saknas (borttaget eller omdöpt). Använd mallen som den skickades ut.",
        )


def check_rows_moved(ctx: Context) -> Iterator[Finding]:
    if not ctx.readable:
        return
    assert ctx.rw.layout is not None
    for s in ctx.rw.layout.sheets:
        moved = ctx.rw.row_map.get(s.name, {})
        labels = {c.row: c.value for c in s.cells if c.col == 0 and c.kind is Kind.LABEL}
        shown = False
        for row, actual in sorted(moved.items()):
            if actual is None and row in labels:
                yield ctx.finding(
                    FEL,
                    s.name,
                    f"A{row + 1}",
                    f"Raden '{labels[row]}' saknas (raden har "
                    "tagits bort eller skrivits över). Dess värden kunde inte läsas.",
                )
            elif actual is not None and actual != row and not shown and row in labels:
                shown = True
                yield ctx.finding(
                    VARNING,
                    s.name,
                    f"A{actual + 1}",
                    f"Rader har infogats eller tagits "
                    f"bort: '{labels[row]}' hör hemma på rad {row + 1} men står på rad "
                    f"{actual + 1}. Värdena lästes från rätt rad; använd mallen utan att "
                    "ändra raderna.",
                )


def check_fingerprint(ctx: Context) -> Iterator[Finding]:
    """Locked (prefilled) values changed since the template was made."""
    if not ctx.readable:
        return
    wl = ctx.rw.layout
    assert wl is not None
    values = {(s.name, c.row, c.col): ctx.rw.value(s.name, c.row, c.col) for s in wl.sheets for c in s.fixed}
    stored = ctx.rw.source.meta.get("fingeravtryck_blad", "")
    if fingerprint(wl, values) == ctx.rw.source.meta.get("fingeravtryck"):
        return
    now = dict(x.split(":", 1) for x in sheet_fingerprints(wl, values).split(";"))
    then = dict(x.split(":", 1) for x in stored.split(";") if ":" in x)
    changed = [name for name in now if then.get(name) != now[name]] or ["(okänt blad)"]
    for name in changed:
        if name == metadata.NAME:
            yield ctx.finding(
                FEL,
                name,
                "",
                "Det dolda bladet Metadata har ändrats. Filens enhet och "
                "period kan inte litas på; skicka en ny mall.",
            )
        else:
            yield ctx.finding(
                FEL,
                name,
                "",
                "Låsta celler (rubriker, radnamn eller förifyllda belopp) "
                "har ändrats sedan mallen skickades. Jämför med underlaget; värdena i "
                "filen har använts.",
            )


# --- cells ---------------------------------------------------------------------------------


def _cells(ctx: Context) -> Iterator[tuple[SheetLayout, CellSpec]]:
    if not ctx.readable:
        return
    assert ctx.rw.layout is not None
    for s in ctx.rw.layout.sheets:
        if s.name in ctx.rw.cells:
            for c in s.cells:
                yield s, c


def check_numbers(ctx: Context) -> Iterator[Finding]:
    for s, c in _cells(ctx):
        if c.kind is Kind.INPUT and c.validation in NUMBER_RULES:
            raw = ctx.rw.value(s.name, c.row, c.col)
            if raw is not None and number(raw) is None:
                yield ctx.finding(
                    FEL,
                    s.name,
                    ctx.rw.actual_ref(s.name, c.row, c.col),
                    f"'{raw}' är inget tal. Skriv bara siffror (kronor utan 'kr', "
                    "mellanslag eller text); värdet har inte använts.",
                )


def check_formulas(ctx: Context) -> Iterator[Finding]:
    """Cached formula results must equal what calc computes from the cells they read."""
    if not ctx.readable:
        return
    wl = ctx.rw.layout
    assert wl is not None
    missing, total = 0, 0
    wrong: list[Finding] = []
    for s in wl.sheets:
        if s.name not in ctx.rw.cells:
            continue
        computed = ctx.rw.computed(s)
        for c in s.cells:
            if c.derivation is None:
                continue
            row, col, want = c.row, c.col, computed[(c.row, c.col)]
            raw = ctx.rw.value(s.name, row, col)
            if want is None and raw is None:
                continue
            total += 1
            got = number(raw)
            if raw is None:
                missing += 1
            elif want is not None and got is not None and abs(got - want) <= Decimal("0.01"):
                continue
            where = ctx.rw.actual_ref(s.name, row, col)
            shown = "tomt" if raw is None else tkr_text(got) if got is not None else f"'{raw}'"
            wrong.append(
                ctx.finding(
                    FEL,
                    s.name,
                    where,
                    f"Cellen visar {shown} men ska ge "
                    f"{tkr_text(want)}: formeln har skrivits över eller raden har "
                    "flyttats. Beräknat värde har använts; återställ formeln.",
                )
            )
    if total and missing == total:
        yield ctx.finding(
            INFO,
            "",
            "",
            "Filen saknar sparade formelvärden (sparad av ett program som "
            "inte räknar). Alla summor och avvikelser räknades om.",
        )
    else:
        yield from wrong


def _drift_rows(ctx: Context) -> Iterator[tuple[str, str]]:
    assert ctx.rw.layout is not None
    for c in ctx.rw.layout.sheet("Drift").cells:
        if c.key[2] == "rad" and isinstance(c.value, str):
            yield c.key[1], c.value


def _drift_totals(ctx: Context) -> dict[str, dict[str, Decimal | None]]:
    """Every drift row's amounts by row and field, sum rows included, as the layout computes them."""
    assert ctx.rw.layout is not None
    drift = ctx.rw.layout.sheet("Drift")
    computed = ctx.rw.computed(drift)
    out: dict[str, dict[str, Decimal | None]] = {}
    for c in drift.cells:
        if (c.row, c.col) in computed:
            out.setdefault(c.key[1], {})[c.key[2]] = computed[(c.row, c.col)]
    return out


def check_significant_without_comment(ctx: Context) -> Iterator[Finding]:
    if not ctx.readable or "Drift" not in ctx.rw.cells:
        return
    rep, t = ctx.rw.report, ctx.forv.thresholds
    assert rep is not None and ctx.rw.layout is not None
    drift = ctx.rw.layout.sheet("Drift").by_key
    totals = _drift_totals(ctx)
    for item, name in _drift_rows(ctx):
        row = totals.get(item)
        if row is None or rep.text("drift", item, "kommentar"):
            continue
        for actual, budget, label in (
            ("redovisat", "budget", "perioden"),
            ("prognos", "budget_helar", "helåret"),
        ):
            dev = calc.avvikelse(row[actual], row[budget])
            if calc.is_significant(dev, row[budget], t.tkr, t.percent):
                cell = drift[Key(Section("drift"), item, "kommentar")]
                yield ctx.finding(
                    VARNING,
                    "Drift",
                    ctx.rw.actual_ref("Drift", cell.row, cell.col),
                    f"Väsentlig avvikelse för {label} på raden '{name}' ({tkr_text(dev)}) "
                    "saknar kommentar. Be enheten förklara avvikelsen.",
                )
                break
    inv = ctx.rw.layout.sheet("Investeringar").by_key
    for proj in [k[1] for k in inv if k[0] == "investering" and k[2] == "projekt" and k[1] != "summa"]:
        netto = calc.investment_netto(
            rep.amount("investering", proj, "prognos_utgifter"),
            rep.amount("investering", proj, "prognos_inkomster"),
        )
        ram = rep.amount("investering", proj, "investeringsram")
        dev = calc.investment_avvikelse(ram, netto)
        if calc.is_significant(dev, ram, t.tkr, t.percent) and not rep.text("investering", proj, "kommentar"):
            cell = inv[Key(Section("investering"), proj, "kommentar")]
            yield ctx.finding(
                VARNING,
                "Investeringar",
                ctx.rw.actual_ref("Investeringar", cell.row, cell.col),
                f"Väsentlig avvikelse mot investeringsramen ({tkr_text(dev)}) saknar kommentar.",
            )


class _Act(NamedTuple):
    id: str
    text: str
    status: str
    comment: str
    status_cell: CellSpec
    comment_cell: CellSpec


def _activities(ctx: Context) -> Iterator[_Act]:
    """Each activity the unit reports, with what it wrote and where."""
    if not ctx.readable or "Aktiviteter" not in ctx.rw.cells:
        return
    assert ctx.rw.layout is not None and ctx.rw.report is not None
    cells = ctx.rw.layout.sheet("Aktiviteter").by_key
    rep = ctx.rw.report
    for a in ctx.forv.activities_of(ctx.rw.layout.unit.id):
        yield _Act(
            a.id,
            a.text,
            rep.text("aktivitet", a.id, "status"),
            rep.text("aktivitet", a.id, "kommentar"),
            cells[Key(Section("aktivitet"), a.id, "status")],
            cells[Key(Section("aktivitet"), a.id, "kommentar")],
        )


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def check_status(ctx: Context) -> Iterator[Finding]:
    for act in _activities(ctx):
        text, status = act.text, act.status
        ref = ctx.rw.actual_ref("Aktiviteter", act.status_cell.row, act.status_cell.col)
        if not status:
            yield ctx.finding(
                FEL,
                "Aktiviteter",
                ref,
                f"Status saknas för '{_short(text)}'. Välj en av {', '.join(ctx.forv.statuses)}.",
            )
        elif status not in ctx.forv.statuses:
            yield ctx.finding(
                FEL,
                "Aktiviteter",
                ref,
                f"Statusen '{status}' finns inte. Välj en av {', '.join(ctx.forv.statuses)}.",
            )


def check_status_comment(ctx: Context) -> Iterator[Finding]:
    for act in _activities(ctx):
        if act.status in ctx.forv.statuses_needing_comment and not act.comment:
            yield ctx.finding(
                FEL,
                "Aktiviteter",
                ctx.rw.actual_ref("Aktiviteter", act.comment_cell.row, act.comment_cell.col),
                f"Status {act.status} kräver en kommentar: '{_short(act.text)}'.",
            )


def period_end(period: Period) -> dt.date:
    return dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def check_deadline_passed(ctx: Context) -> Iterator[Finding]:
    end = period_end(ctx.period)
    deadlines = {a.id: a.deadline for a in ctx.forv.activities}
    done = ctx.forv.statuses[0]  # "Klar": the settings list the finished status first
    for act in _activities(ctx):
        due = calc.deadline_date(deadlines[act.id], ctx.period.year)
        if due is not None and due < end and act.status != done and act.status in ctx.forv.statuses:
            yield ctx.finding(
                VARNING,
                "Aktiviteter",
                ctx.rw.actual_ref("Aktiviteter", act.status_cell.row, act.status_cell.col),
                f"Slutdatum {deadlines[act.id]} har passerat men status är {act.status}: "
                f"'{_short(act.text)}'. Kommentera eller ändra status.",
            )


def check_percent_range(ctx: Context) -> Iterator[Finding]:
    for s, c in _cells(ctx):
        if c.kind is Kind.INPUT and c.validation == "procent":
            v = number(ctx.rw.value(s.name, c.row, c.col))
            if v is not None and not 0 <= v <= 100:
                yield ctx.finding(
                    FEL,
                    s.name,
                    ctx.rw.actual_ref(s.name, c.row, c.col),
                    f"{v} ligger utanför 0–100. Procent anges som tal, 5,0 för 5 %.",
                )


def check_forecast_plausible(ctx: Context) -> Iterator[Finding]:
    """A prognos far from every forecast method is worth a look (info)."""
    if not ctx.readable or "Drift" not in ctx.rw.cells:
        return
    assert ctx.rw.layout is not None
    cells = ctx.rw.layout.sheet("Drift").by_key
    months = ctx.period.month
    floor = ctx.forv.thresholds.tkr * 1000
    for item, row in _drift_totals(ctx).items():
        if item not in {x.id for x in ctx.forv.drift_lines if x.kind is not LineKind.VARAV}:
            continue
        prognos, utfall = row["prognos"], row["redovisat"]
        if prognos is None or utfall is None:
            continue
        methods = {
            "utfallstakt": calc.forecast_run_rate(utfall, months),
            "budgetrest": calc.forecast_budget_remainder(utfall, row["budget_helar"], row["budget"]),
            "säsong": calc.forecast_seasonal(utfall, row["redovisat_fg"], row["bokslut_fg"]),
        }
        figures = {k: v for k, v in methods.items() if v is not None}
        tolerance = max(floor, Decimal("0.25") * max(abs(v) for v in figures.values()))
        if all(abs(prognos - v) > tolerance for v in figures.values()):
            cell = cells[Key(Section("drift"), item, "prognos")]
            shown = ", ".join(f"{k} {tkr_text(v)}" for k, v in figures.items())
            yield ctx.finding(
                INFO,
                "Drift",
                ctx.rw.actual_ref("Drift", cell.row, cell.col),
                f"Prognosen {tkr_text(prognos)} ligger långt från alla prognosmetoder "
                f"({shown}). Kontrollera beloppet (kronor, inte tkr?).",
            )


def check_ready_mark(ctx: Context) -> Iterator[Finding]:
    if ctx.readable and ctx.rw.report is not None and not ctx.rw.report.ready:
        assert ctx.rw.layout is not None
        cell = ctx.rw.layout.sheet("Analys").by_key[Key(Section("analys"), "klar", "svar")]
        yield ctx.finding(
            VARNING,
            "Analys",
            ctx.rw.actual_ref("Analys", cell.row, cell.col),
            "Enheten har inte markerat Klar för konsolidering = Ja. Siffrorna kan vara preliminära.",
        )


FILE_RULES: tuple[Callable[[Context], Iterable[Finding]], ...] = (
    check_file_kind,
    check_template_version,
    check_period,
    check_unit_known,
    check_sheets_present,
    check_rows_moved,
    check_fingerprint,
    check_numbers,
    check_formulas,
    check_significant_without_comment,
    check_status,
    check_status_comment,
    check_deadline_passed,
    check_percent_range,
    check_forecast_plausible,
    check_ready_mark,
)

# Findings of these rules keep a file out of the consolidation.
BLOCKING_RULES = (check_file_kind, check_template_version, check_period, check_unit_known)


def check_file(rw: ReadWorkbook, forv: Forvaltning, period: Period) -> tuple[list[Finding], bool]:
    """All findings for one file, and whether the file can be used."""
    ctx = Context(rw, forv, period)
    findings: list[Finding] = []
    usable = rw.report is not None
    for rule in FILE_RULES:
        found = list(rule(ctx))
        findings += found
        if rule in BLOCKING_RULES and any(f.severity is not INFO for f in found):
            usable = False
        if rule is check_file_kind and found:
            usable = False
    return findings, usable


# --- the inbox as a whole ------------------------------------------------------------------


def check_duplicates(
    files: list[ReadWorkbook], usable: dict[str, bool], forv: Forvaltning
) -> Iterator[Finding]:
    """Two files for one unit: use the one marked ready, else the newest; say so."""
    by_unit: dict[str, list[ReadWorkbook]] = {}
    for rw in files:
        if usable.get(rw.source.name):
            by_unit.setdefault(rw.source.unit_id, []).append(rw)
    for unit_id, group in by_unit.items():
        if len(group) < 2:
            continue
        group.sort(
            key=lambda r: (r.report is not None and r.report.ready, r.source.modified, r.source.name),
            reverse=True,
        )
        chosen = group[0]
        why = (
            "markerad klar för konsolidering och senast ändrad"
            if chosen.report and chosen.report.ready
            else "senast ändrad"
        )
        for other in group[1:]:
            usable[other.source.name] = False
            other.source.reason = f"{chosen.source.name} används i stället ({why})"
            yield Finding(
                VARNING,
                other.source.name,
                "",
                "",
                f"Två filer för {forv.unit(unit_id).name}: "
                f"{chosen.source.name} används ({why}), den här används inte. Ta bort den "
                "fil som inte gäller.",
            )


def check_missing_units(
    files: list[ReadWorkbook], usable: dict[str, bool], forv: Forvaltning
) -> Iterator[Finding]:
    returned = {rw.source.unit_id for rw in files if usable.get(rw.source.name)}
    for u in forv.units:
        if u.id not in returned:
            yield Finding(
                FEL,
                "",
                "",
                "",
                f"{u.name} har inte lämnat in någon användbar fil. Enhetens "
                "rader är tomma i sammanställningen.",
            )


INBOX_RULES = (check_duplicates, check_missing_units)
