"""Rules about what the unit typed: numbers where numbers belong, no error values or links,
plausible signs and scales, the required figures there, formulas intact."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from ... import calc
from ...enhetsmall import drift as drift_sheet
from ...enhetsmall import investeringar as invest_sheet
from ...enhetsmall import personal as personnel_sheet
from ...enhetsmall import volymer as volume_sheet
from ...enhetsmall.cells import CellSpec, Op, SheetLayout
from ...enhetsmall.formulas import propagate_gaps
from ...enhetsmall.texts import swedish_number
from ...enhetsmall.values import TOO_LARGE, boolean, figure, number, shown
from ...enhetsmall.xlsx import CellType, NumberFormat, RawCell
from ...keys import Drift, Invest, Key, Measure, drift, invest, personnel, volume
from ...model import Finding, LineKind, PersonnelKind, Severity
from ...swedish import kr_text, listing, short, tkr_text
from .context import FEL, INFO, VARNING, FileContext, is_number_input

# Functions whose value changes at every recalculation, or that read cells by address at run time.
VOLATILE = frozenset(
    {"NOW", "TODAY", "RAND", "RANDBETWEEN", "RANDARRAY", "OFFSET", "INDIRECT", "INFO", "CELL"}
    | {"NU", "IDAG", "SLUMP", "SLUMP.MELLAN", "FÖRSKJUTNING", "INDIREKT"}
)
_EXTERNAL = re.compile(r"\[\d+\]|\[[^\]]+\.xls[xmb]?\]|'[A-Za-z]:\\|https?://|file:", re.IGNORECASE)
_FUNCTION = re.compile(r"([A-ZÅÄÖ][A-ZÅÄÖ0-9._]*)\(")
# A figure typed in tkr is about a thousandth of what the ledger and budget say.
TKR_RATIO = (Decimal(250), Decimal(4000))


def check_numbers(ctx: FileContext) -> Iterator[Finding]:
    """Text in a number cell is not a number: never read as 0. Nor is TRUE or FALSE, however the
    file stores it (values.boolean: Excel's, and the forms LibreOffice saves)."""
    for s, c, raw in ctx.inputs():
        if not is_number_input(c):
            continue
        if (raw.type is CellType.TEXT and raw.value != "") or boolean(raw) is not None:
            yield ctx.finding(
                FEL,
                s.name,
                ctx.ref(s, c),
                f"'{short(shown(raw), 40)}' är inget tal. Skriv bara siffror (kronor utan 'kr', mellanslag "
                "eller text); värdet har inte använts.",
                gaps=(c.key,),
                brief=f"'{short(shown(raw), 30)}' är inget tal",
            )


def check_error_values(ctx: FileContext) -> Iterator[Finding]:
    """An error value (#DIV/0!, #REF!) where the unit types: the value is unknown."""
    for s, c, raw in ctx.inputs():
        if raw.type is CellType.ERROR:
            yield ctx.finding(
                FEL,
                s.name,
                ctx.ref(s, c),
                f"Cellen visar felvärdet {raw.value}"
                + (f" (formeln ={short(raw.formula, 40)})" if raw.formula else "")
                + ". Be enheten skriva in värdet i stället."
                + (" Värdet saknas i sammanställningen." if c.takes_number else ""),
                gaps=(c.key,) if c.takes_number else (),
                brief=f"felvärdet {raw.value}",
            )


def check_input_formulas(ctx: FileContext) -> Iterator[Finding]:
    """A link to another workbook or a volatile function in an input: its value cannot be trusted."""
    for s, c, raw in ctx.inputs():
        f = raw.formula
        if not f or raw.type is CellType.ERROR:
            continue
        if _EXTERNAL.search(f):
            why = "hämtar sitt värde från en annan arbetsbok (extern länk)"
        elif volatile := sorted(set(_FUNCTION.findall(f.upper())) & VOLATILE):
            why = f"använder {', '.join(volatile)}, som ger ett nytt värde vid varje omräkning"
        else:
            continue
        yield ctx.finding(
            FEL,
            s.name,
            ctx.ref(s, c),
            f"Cellen {why} (={short(f, 50)}). Be enheten skriva in värdet i stället för formeln."
            + (" Värdet har inte använts." if c.takes_number else ""),
            gaps=(c.key,) if c.takes_number else (),
            brief="formel med extern länk" if "extern" in why else "flyktig formel",
        )


def check_number_formats(ctx: FileContext) -> Iterator[Finding]:
    """A number the cell's format shows as a date, or as a percent where no percent belongs, is
    not the figure asked for (a serial such as 44 135 is no amount): it is never used."""
    for s, c, raw in ctx.inputs():
        fmt = raw.number_format
        if (
            (fmt is not NumberFormat.DATE and fmt is not NumberFormat.PERCENT)  # most: a plain number
            or not is_number_input(c)
            or raw.type is not CellType.NUMBER
            or number(raw) is None
            or boolean(raw) is not None
        ):
            continue
        amount = c.validation in _AMOUNT_RULES
        if fmt is NumberFormat.DATE:
            what, brief = "ett datum", "datum i stället för belopp" if amount else "datum i stället för tal"
        elif fmt is NumberFormat.PERCENT and c.validation != "procent":
            what, brief = (
                "ett procenttal",
                "procent i stället för belopp" if amount else "procent i stället för tal",
            )
        else:
            continue
        yield ctx.finding(
            FEL,
            s.name,
            ctx.ref(s, c),
            f"Cellen visar {shown(raw, ctx.rw.date1904)}: {what}, inte "
            + (
                "ett belopp. Skriv beloppet i hela kronor med bara siffror"
                if amount
                else "ett tal. Skriv talet med bara siffror"
            )
            + " (cellens talformat kan behöva sättas till Tal). Värdet har inte använts.",
            gaps=(c.key,),
            brief=brief,
        )


_AMOUNT_RULES = frozenset({"belopp", "intakt", "kostnad", "investering"})


def check_too_large(ctx: FileContext) -> Iterator[Finding]:
    """A number far beyond any figure a unit has (1,23E+31) is a slip, and no sum can round it."""
    for s, c, raw in ctx.inputs():
        v = raw.value
        if (
            isinstance(v, float)
            and not -TOO_LARGE < v < TOO_LARGE  # first: seldom true
            and is_number_input(c)
            and raw.type is CellType.NUMBER
            and boolean(raw) is None  # check_numbers says what it is
        ):
            yield ctx.finding(
                FEL,
                s.name,
                ctx.ref(s, c),
                f"Talet {f'{v:.6G}'.replace('.', ',')} är orimligt stort: inget belopp eller tal i mallen "
                "är i närheten av det. Be enheten skriva rätt värde; värdet har inte använts.",
                gaps=(c.key,),
                brief="talet är orimligt stort",
            )


def check_percent_range(ctx: FileContext) -> Iterator[Finding]:
    for s, c, _ in ctx.inputs():
        if c.validation != "procent":
            continue
        v = ctx.values.get(c.key)  # figure(raw, c), as evaluated once for the file
        if isinstance(v, Decimal) and not 0 <= v <= 100:
            yield ctx.finding(
                FEL,
                s.name,
                ctx.ref(s, c),
                f"{swedish_number(v)} ligger utanför 0–100. Procent anges som tal, 5,0 för 5 %; värdet har "
                "inte använts.",
                gaps=(c.key,),
                brief="procent utanför 0–100",
            )


def check_percent_fraction(ctx: FileContext) -> Iterator[Finding]:
    """A percent typed as a fraction, its percent format gone (0,055 where 5,5 % was meant): under
    1 where the unit's other year on the row is over 1, and under a tenth of it. Left out, so the
    förvaltning's weighted percentage says it lacks the unit instead of falling silently."""
    if personnel_sheet.NAME not in ctx.rw.sheets:
        return
    years = {Measure.UTFALL: "i år", Measure.UTFALL_FG: "samma period föregående år"}
    for m in ctx.forv.personnel:
        if m.kind is not PersonnelKind.PROCENT:
            continue
        for field, other_field in ((Measure.UTFALL, Measure.UTFALL_FG), (Measure.UTFALL_FG, Measure.UTFALL)):
            key = personnel(m.id, field)
            v, other = ctx.amount(key), ctx.amount(personnel(m.id, other_field))
            if v is None or other is None or not 0 < v < 1 < other or v * 10 >= other:
                continue
            sheet, cell = ctx.where(key)
            meant = swedish_number(v * 100)
            yield ctx.finding(
                FEL,
                sheet,
                cell,
                f"{m.name}: {swedish_number(v)} ser ut att vara en andel, inte procent ({years[other_field]} "
                f"är det {swedish_number(other)}). Procent anges som tal: {meant} för {meant} %. Värdet har "
                "inte använts; be enheten rätta det.",
                gaps=(key,),
                brief="procent skriven som andel",
            )


def check_signs(ctx: FileContext) -> Iterator[Finding]:
    """Costs negative, income and investment amounts positive: a wrong sign is never used."""
    for s, c, _ in ctx.inputs():
        if c.validation not in ("kostnad", "intakt", "investering"):
            continue
        v = ctx.values.get(c.key)  # figure(raw, c), as evaluated once for the file
        if not isinstance(v, Decimal) or v == 0:
            continue
        if c.validation == "kostnad" and v > 0:
            what, rule = "Kostnaden", "kostnader anges med minustecken"
        elif c.validation == "intakt" and v < 0:
            what, rule = "Intäkten", "intäkter anges med plustecken"
        elif c.validation == "investering" and v < 0:
            what, rule = "Investeringsbeloppet", "investeringar anges som positiva belopp"
        else:
            continue
        yield ctx.finding(
            FEL,
            s.name,
            ctx.ref(s, c),
            f"{what} {kr_text(v)} på raden '{_row_label(ctx, c.key)}' har fel tecken: {rule}. Värdet har "
            "inte använts; be enheten rätta tecknet.",
            gaps=(c.key,),
            brief="fel tecken",
        )


def _in_tkr(p: Decimal | None, refs: list[Decimal | None]) -> bool:
    """A figure about a thousandth of every reference it has (ledger, budget, ram)."""
    known = [r for r in refs if r]
    if not p or not known:
        return False
    return all(TKR_RATIO[0] <= abs(r) / abs(p) <= TKR_RATIO[1] for r in known)


def _tkr_candidates(ctx: FileContext) -> Iterator[tuple[str, Key, list[Decimal | None]]]:
    """(row, prognos key, what it should be near) for each drift line and investment project."""
    months = ctx.period.month
    for line in ctx.forv.drift_lines:
        if line.kind is not LineKind.VARAV:
            utfall = ctx.amount(drift(line.id, Drift.REDOVISAT))
            refs = [ctx.amount(drift(line.id, Drift.BUDGET_HELAR)), calc.forecast_run_rate(utfall, months)]
            yield line.name, drift(line.id, Drift.PROGNOS), refs
    for proj in ctx.forv.investments_of(ctx.unit):
        refs = [
            ctx.amount(invest(proj.id, Invest.INVESTERINGSRAM)),
            ctx.amount(invest(proj.id, Invest.REDOVISAT_UTGIFTER)),
        ]
        yield proj.name, invest(proj.id, Invest.PROGNOS_UTGIFTER), refs


def check_tkr_scale(ctx: FileContext) -> Iterator[Finding]:
    """Prognoser about a thousandth of budget and outcome were typed in tkr, not kronor."""
    if not ctx.readable:
        return
    hits = [(name, key, refs) for name, key, refs in _tkr_candidates(ctx) if _in_tkr(ctx.amount(key), refs)]
    by_sheet: dict[str, list[tuple[str, Key, list[Decimal | None]]]] = {}
    for hit in hits:
        by_sheet.setdefault(ctx.where(hit[1])[0], []).append(hit)
    for sheet, found in by_sheet.items():
        name, key, refs = found[0]
        p, ref = ctx.amount(key), next(r for r in refs if r)
        assert p is not None
        yield ctx.finding(
            FEL,
            sheet,
            listing([ctx.where(k)[1] for _, k, _ in found]),
            f"Prognosen ser ut att vara angiven i tkr, inte i kronor ({name}: {kr_text(p)} mot budget och "
            f"utfall kring {tkr_text(ref)}). Värdena har inte använts; be enheten skriva beloppen i kronor.",
            gaps=tuple(k for _, k, _ in found),
            brief="prognos i tkr i stället för kronor",
        )


ASKED_MEASURES = (Measure.PROGNOS, Measure.UTFALL)


def check_required(ctx: FileContext) -> Iterator[Finding]:
    """What a unit must fill in, each part on its own sheet (a missing sheet is its own finding)."""
    if not ctx.readable:
        return
    # Every income and cost line needs a prognos: without it the unit's result is unknown.
    yield from _asked_for(
        ctx,
        drift_sheet.NAME,
        [(x.name, drift(x.id, Drift.PROGNOS)) for x in ctx.forv.drift_lines if x.kind is not LineKind.VARAV],
        lambda names: (
            f"Prognos helår saknas för {listing(names)}. Be enheten fylla i en prognos "
            "på varje rad (0 om raden inte har några belopp)."
        ),
        "prognos saknas",
        FEL,
    )
    yield from _asked_for(
        ctx,
        invest_sheet.NAME,
        [(p.name, invest(p.id, Invest.PROGNOS_UTGIFTER)) for p in ctx.forv.investments_of(ctx.unit)],
        lambda names: (
            f"Prognos för utgifter saknas för {listing(names)}. Be enheten fylla i "
            "prognosen (0 om projektet inte har några utgifter i år)."
        ),
        "prognos saknas",
        FEL,
    )
    # A volume's prognos and utfall: left empty they are unknown, not 'N/A' (only last year's
    # figure may be empty: the measure may not have existed).
    yield from _asked_for(
        ctx,
        volume_sheet.NAME,
        [
            (v.name, volume(v.id, m))
            for v in ctx.forv.volumes_of(ctx.unit)
            for m in (Measure.PROGNOS, Measure.UTFALL)
        ],
        lambda names: (
            f"Volymmåttet saknar prognos eller utfall: {listing(sorted(set(names)))}. Be enheten "
            "fylla i dem; de visas som saknade."
        ),
        "volym saknas",
    )
    # The period's personnel figures: left empty, the förvaltning's count and weighted percentages
    # lack the unit (last year's may be empty).
    yield from _asked_for(
        ctx,
        personnel_sheet.NAME,
        [(m.name, personnel(m.id, Measure.UTFALL)) for m in ctx.forv.personnel],
        lambda names: (
            f"Personalmåttet saknar utfall: {listing(names)}. Be enheten fylla i det; "
            "förvaltningens summa saknar annars enheten."
        ),
        "personaluppgift saknas",
    )


def _asked_for(
    ctx: FileContext,
    sheet: str,
    asked: list[tuple[str, Key]],
    message: Callable[[list[str]], str],
    brief: str,
    severity: Severity = VARNING,
) -> Iterator[Finding]:
    """A finding on the cells asked for (name, key) that were left empty, each a gap; the message
    is given their names. Only on a sheet the file has: a missing sheet is its own finding."""
    if sheet not in ctx.rw.sheets:
        return
    missing = [(name, key) for name, key in asked if _empty(ctx, key)]
    if missing:
        yield ctx.finding(
            severity,
            sheet,
            listing([ctx.where(k)[1] for _, k in missing]),
            message([n for n, _ in missing]),
            gaps=tuple(k for _, k in missing),
            brief=brief,
        )


def _empty(ctx: FileContext, key: Key) -> bool:
    """Nothing typed (a formula with an empty result counts as nothing)."""
    assert ctx.rw.layout is not None
    found = ctx.rw.layout.find(key)
    assert found is not None
    s, c = found
    raw = ctx.rw.raw(s.name, c.row, c.col)
    return raw is None or raw.value == ""


def _row_label(ctx: FileContext, key: Key) -> str:
    assert ctx.rw.layout is not None
    found = ctx.rw.layout.find(key)
    if found is None:
        return key.item
    s, c = found
    label = next((x for x in s.cells if x.row == c.row and x.col == 0), None)
    value = label.value if label is not None else None
    return (
        value if isinstance(value, str) else ctx.text(Key(key.section, key.item, Invest.PROJEKT)) or key.item
    )


def check_formulas(ctx: FileContext) -> Iterator[Finding]:
    """Cached formula results must equal what calc computes from the cells they read."""
    missing, total = 0, 0
    wrong: list[tuple[SheetLayout, CellSpec, RawCell | None, Decimal | None]] = []
    cent = Decimal("0.01")
    values = ctx.values  # each number cell's figure(raw, spec), as read
    for s in ctx.sheets():
        cells = ctx.rw.cells_at_layout(s.name)
        get = cells.get
        # A text in a number cell makes the program show #VALUE! in what is computed from it, a date
        # or a percent a figure other than ours: that is said on the cell itself (check_numbers,
        # check_number_formats), the formula is intact.
        not_numbers = {
            pos: ""
            for pos, key in s.number_cells
            if (raw := get(pos)) is not None
            and raw.value != ""
            and (values[key] if key in values else figure(raw, s.by_position[pos])) is None
        }
        # A sum of previous prognoser that lacks a line is empty now; a template made before
        # (SUM, not SUM_ALL) shows the partial sum there and in the change beside it: not a fault.
        older = {
            (c.row, c.col): ""
            for c in s.formulas
            if c.derivation is not None and c.derivation.op is Op.SUM_ALL and ctx.amount(c.key) is None
        }
        spoiled = propagate_gaps(s, {**not_numbers, **older}) if not_numbers or older else {}
        for c in s.formulas:
            pos = (c.row, c.col)
            if pos in spoiled:
                continue
            want = ctx.amount(c.key)
            raw = get(pos)
            empty = raw is None or raw.value == ""
            if want is None and empty:
                continue
            total += 1
            if empty:
                missing += 1
            else:
                assert raw is not None
                v = raw.value
                # Most cached results are our figure to the last bit: the float compare says so
                # without a Decimal (below 1E12 a float is within 0,0001 of its decimal).
                if (
                    want is not None
                    and type(v) is float
                    and raw.type is CellType.NUMBER
                    and -1e12 < v < 1e12
                    and float(want) == v
                ):
                    continue
                got = number(raw)
                if want is not None and got is not None and abs(got - want) <= cent:
                    continue
            wrong.append((s, c, raw, want))
    if total and missing == total:
        yield ctx.finding(
            INFO,
            "",
            "",
            "Filen saknar sparade formelvärden (sparad av ett program som inte räknar). Alla summor och "
            "avvikelser räknades om.",
        )
        return
    for s, c, raw, want in wrong:  # the messages, only for the cells that are wrong
        got = number(raw)
        now = (
            "tomt"
            if raw is None or raw.value == ""
            else tkr_text(got)
            if got is not None
            else f"'{shown(raw)}'"
        )
        yield ctx.finding(
            FEL,
            s.name,
            ctx.ref(s, c),
            f"Cellen visar {now} men ska ge {tkr_text(want)}: formeln har skrivits över eller raden har "
            "flyttats. Beräknat värde har använts; återställ formeln.",
        )


__all__ = [
    "VARNING",
    "check_error_values",
    "check_formulas",
    "check_input_formulas",
    "check_number_formats",
    "check_numbers",
    "check_percent_fraction",
    "check_percent_range",
    "check_required",
    "check_signs",
    "check_tkr_scale",
    "check_too_large",
]
