"""Rules about a file as a whole: can it be read, is it our template, for this period and unit."""

from __future__ import annotations

from collections.abc import Iterator

from ...enhetsmall import fingerprint, metadata
from ...enhetsmall.cells import CellSpec, Kind, cell_ref
from ...enhetsmall.fingerprint import canonical
from ...enhetsmall.reader import FileKind
from ...model import Finding
from ...swedish import listing, short
from .context import FEL, INFO, VARNING, FileContext

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".xlsb", ".ods")
RESEND = "Be enheten spara den ifyllda mallen som Excel-arbetsbok (.xlsx) och skicka den igen."

_KIND_MESSAGES = {
    FileKind.XLS: "Filen är i det gamla Excelformatet (.xls) och används inte. " + RESEND,
    FileKind.XLSB: "Filen är sparad som binär Excel-arbetsbok (.xlsb) och används inte. " + RESEND,
    FileKind.ODS: "Filen är sparad i OpenDocument-format (.ods) och används inte. " + RESEND,
    FileKind.ENCRYPTED: (
        "Filen är lösenordsskyddad och kan inte läsas. Be enheten ta bort lösenordet (Arkiv > Info > "
        "Skydda arbetsbok) och skicka igen."
    ),
    FileKind.FOREIGN: (
        "Arbetsboken är ingen enhetsmall från vss-excel (det dolda bladet Metadata saknas eller är "
        "fel). Be enheten fylla i den mall som skickades ut."
    ),
    FileKind.LINK: ("Filen är en symbolisk länk (genväg) och följs inte. Lägg själva filen i inkorgen."),
    FileKind.CRASHED: (
        "Filen fick läsningen att avbrytas (programmet som läste den stannade) och används inte. "
        "Be enheten öppna den i Excel, spara som .xlsx och skicka igen."
    ),
}


def check_file_kind(ctx: FileContext) -> Iterator[Finding]:
    """Files that are not a readable workbook: each kind with what to do."""
    src = ctx.rw.source
    kind = src.kind
    if kind in (FileKind.WORKBOOK, FileKind.OTHER_FORVALTNING):
        return  # another förvaltning's files are told once for the inbox (selection)
    if kind is FileKind.LOCK:
        yield ctx.finding(
            INFO,
            "",
            "",
            "Excels låsfil (~$…) ignoreras: den finns medan någon har arbetsboken öppen.",
            blocks=True,
        )
    elif kind is FileKind.NOT_WORKBOOK:
        if src.path.suffix.lower() in EXCEL_SUFFIXES:
            yield ctx.finding(
                FEL,
                "",
                "",
                "Filen heter som en Excelfil men är ingen arbetsbok. Be enheten skicka den ifyllda mallen "
                "igen.",
                blocks=True,
            )
        else:
            yield ctx.finding(INFO, "", "", "Ingen Excelfil; ignoreras.", blocks=True)
    elif kind in (FileKind.CORRUPT, FileKind.TOO_LARGE, FileKind.UNREADABLE):
        message = src.error or "Filen kunde inte läsas."
        if kind is FileKind.UNREADABLE:
            message += " Kontrollera filen och behörigheterna och kör Konsolidera igen."
        yield ctx.finding(FEL, "", "", message, blocks=True)
    elif kind is FileKind.CRASHED and src.detail:  # where the technical details were written
        yield ctx.finding(FEL, "", "", f"{_KIND_MESSAGES[kind]} ({src.detail}.)", blocks=True)
    else:
        yield ctx.finding(FEL, "", "", _KIND_MESSAGES[kind], blocks=True)


def check_template_version(ctx: FileContext) -> Iterator[Finding]:
    version = ctx.rw.source.meta.get("mallversion")
    if ctx.rw.source.kind is FileKind.WORKBOOK and version != metadata.TEMPLATE_VERSION:
        yield ctx.finding(
            FEL,
            metadata.NAME,
            "",
            f"Mallversion {version or 'saknas'}, men den här versionen av vss-excel läser version "
            f"{metadata.TEMPLATE_VERSION}. Skapa nya mallar och be enheten föra över sina uppgifter.",
            blocks=True,
        )


def check_period(ctx: FileContext) -> Iterator[Finding]:
    meta = ctx.rw.source.meta
    if ctx.rw.source.kind is FileKind.WORKBOOK and meta.get("period") != ctx.period.iso:
        yield ctx.finding(
            FEL,
            metadata.NAME,
            "",
            f"Filen gäller period {meta.get('period') or 'okänd'} men konsolideringen gäller "
            f"{ctx.period.iso}. Filen används inte; be enheten fylla i mallen för rätt period.",
            blocks=True,
        )


def check_unit_known(ctx: FileContext) -> Iterator[Finding]:
    src = ctx.rw.source
    if src.kind is FileKind.WORKBOOK and ctx.rw.layout is None:
        yield ctx.finding(
            FEL,
            metadata.NAME,
            "",
            f"Enheten '{src.unit_id or '?'}' ({src.meta.get('enhet_namn', '')}) finns inte i "
            "inställningarna. Filen används inte; kontrollera inställningsfilen.",
            blocks=True,
        )


def check_sheets_present(ctx: FileContext) -> Iterator[Finding]:
    if ctx.rw.layout is None:
        return
    for name in ctx.rw.sheets_missing:
        s = ctx.rw.layout.sheet(name)
        yield ctx.finding(
            FEL,
            name,
            "",
            f"Bladet {name} saknas (borttaget eller omdöpt); dess värden saknas i sammanställningen. "
            "Be enheten använda mallen som den skickades ut.",
            gaps=tuple(c.key for c in s.read_cells if c.takes_number),
            brief=f"bladet {name} saknas",
        )


def check_rows_moved(ctx: FileContext) -> Iterator[Finding]:
    for s in ctx.sheets():
        moved = ctx.rw.row_map.get(s.name, {})
        if not moved:  # every row in place (most files)
            continue
        labels = {c.row: c.value for c in s.cells if c.col == 0 and c.kind is Kind.LABEL}
        shown = False
        for row, actual in sorted(moved.items()):
            if actual is None and row in labels:
                lost = tuple(c.key for c in s.read_cells if c.row == row and c.takes_number)
                yield ctx.finding(
                    FEL,
                    s.name,
                    f"A{row + 1}",
                    f"Raden '{labels[row]}' saknas (raden har tagits bort eller skrivits över). "
                    "Dess värden kunde inte läsas.",
                    gaps=lost,
                    brief=f"raden '{labels[row]}' saknas",
                )
            elif actual is not None and actual != row and not shown and row in labels:
                shown = True
                yield ctx.finding(
                    VARNING,
                    s.name,
                    f"A{actual + 1}",
                    f"Rader har infogats eller tagits bort: '{labels[row]}' hör hemma på rad {row + 1} men "
                    f"står på rad {actual + 1}. Värdena lästes från rätt rad; använd mallen utan att "
                    "ändra raderna.",
                )


def check_fingerprint(ctx: FileContext) -> Iterator[Finding]:
    """Locked cells changed since the template was sent: their amounts are not trusted."""
    wl = ctx.rw.layout
    if wl is None:
        return

    prints = fingerprint.of_read(wl, {s.name: ctx.rw.cells_at_layout(s.name) for s in wl.sheets})
    if prints.whole == ctx.rw.source.meta.get("fingeravtryck"):
        return
    now = dict(x.split(":", 1) for x in prints.per_sheet.split(";"))
    stored = ctx.rw.source.meta.get("fingeravtryck_blad", "")
    then = dict(x.split(":", 1) for x in stored.split(";") if ":" in x)
    differing = [name for name in now if then.get(name) != now[name]]
    changed = [name for name in differing if name in ctx.rw.sheets]
    if not changed and differing and all(name in ctx.rw.sheets_missing for name in differing):
        return  # only sheets the file lacks differ: check_sheets_present says so
    for name in changed or [""]:  # "": the stored per-sheet prints are unreadable
        if name == metadata.NAME:
            yield ctx.finding(
                FEL,
                name,
                "",
                "Det dolda bladet Metadata har ändrats. Filens enhet och period kan inte litas på; "
                "skicka en ny mall.",
                blocks=True,
            )
            continue
        sheet = wl.sheet(name) if name else None
        amounts = [c for c in sheet.fixed if c.kind is Kind.PREFILL] if sheet else []
        if ctx.sent is not None and sheet is not None:
            differ = [c for c in sheet.fixed if _differs(ctx, sheet.name, c)]
            amounts = [c for c in differ if c.kind is Kind.PREFILL]
            where = listing([ctx.ref(sheet, c) for c in differ])
            yield ctx.finding(
                FEL,
                name,
                where,
                f"Låsta celler har ändrats sedan mallen skickades ({where}). "
                + (
                    "De ändrade beloppen används inte; be enheten fylla i en ny mall."
                    if amounts
                    else "Inga belopp har ändrats, bara texter."
                ),
                gaps=tuple(c.key for c in amounts),
                brief="låsta belopp ändrade",
            )
        else:
            yield ctx.finding(
                FEL,
                name,
                "",
                "Låsta celler (rubriker, radnamn eller förifyllda belopp) har ändrats sedan mallen "
                "skickades. Bladets förifyllda belopp används inte. Lägg de utskickade mallarna i "
                "mallmappen för att se exakt vilka celler som ändrats, eller be enheten fylla i en ny mall.",
                gaps=tuple(c.key for c in amounts),
                brief="låsta belopp ändrade",
            )


def _differs(ctx: FileContext, sheet: str, c: CellSpec) -> bool:
    assert ctx.sent is not None
    raw = ctx.rw.raw(sheet, c.row, c.col)
    return canonical(None if raw is None else raw.value) != canonical(ctx.sent.get(c.key, c.value))


def check_stray_cells(ctx: FileContext) -> Iterator[Finding]:
    """Values typed outside the template's cells are not read: say where, so nothing is lost."""
    for s in ctx.sheets():
        read = ctx.rw.sheets[s.name]
        places = (
            {(ctx.rw.actual_row(s.name, c.row), c.col) for c in s.cells}
            if ctx.rw.row_map.get(s.name)
            else s.positions
        )
        stray = sorted(read.cells.keys() - places)
        if not stray and not read.outside:
            continue
        shown = [f"{cell_ref(r, c)} '{short(str(read.cells[(r, c)].value), 30)}'" for r, c in stray[:3]]
        if read.outside:
            shown.append(
                f"{read.first_outside}" + (f" och {read.outside - 1} till" if read.outside > 1 else "")
            )
        count = len(stray) + read.outside
        yield ctx.finding(
            VARNING if stray else INFO,
            s.name,
            cell_ref(*stray[0]) if stray else read.first_outside,
            f"{count} {'värde' if count == 1 else 'värden'} utanför mallens celler läses inte "
            f"({'; '.join(shown)}). Står det något viktigt där, be enheten skriva det i en gul cell.",
        )
