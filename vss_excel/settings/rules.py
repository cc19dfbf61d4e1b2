"""Checks that need more than one key: references, unique ids and names, dates, statuses.

Each rule adds Swedish sentences naming the key to a list; `check` returns them all, so one
round of editing fixes every problem of a file. The schema has already checked each value alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .. import calc, keys
from ..files import FILE_CHARS, file_stem
from ..model import DRIFT_COMMENTS, INTRODUCTION, REPORT_PARTS, STANDARD_QUESTIONS, TABLE_PART, LineKind
from .messages import closest
from .schema import SettingsFile, activity_id

# Names the result tables give their own rows: a unit or a driftrad with one of them would be
# mistaken for, or overwritten by, that row (Driftsammandrag, Investeringar, the status counts).
RESERVED_NAMES = (
    "Summa",
    "Summa nettokostnader, tkr",
    "varav kostnader",
    "varav intäkter",
    "Summa investeringar",
    "Totalt",
)
# The unit workbook's own drift rows and the Ekonomi sheet's rows (by name).
RESERVED_LINE_NAMES = (
    *RESERVED_NAMES,
    "Summa intäkter",
    "Summa kostnader",
    "Resultat (netto)",
    "Verksamhetens nettokostnader",
    "Investeringar, netto",
)
RESERVED_STATUSES = ("Saknas", "Totalt")  # the status count table's own columns
RESERVED_PERSPECTIVES = ("Totalt",)  # the status count table's own row
# Items the unit workbook names its own rows with (vss_excel.keys, enhetsmall.analys): an id of
# the settings equal to one would share that row's cells.
RESERVED_IDS = {
    "driftrader": (keys.SUMMA_INTAKTER, keys.SUMMA_KOSTNADER, keys.RESULTAT),
    "analysfragor": (*(q for q, _ in STANDARD_QUESTIONS), keys.FILLED_BY, keys.READY),
}
EXCEL_LIST_MAX = 255  # characters of a data validation list, commas included
DEADLINE_EXAMPLES = "skriv t.ex. 'Tertial 2', 'April 2020', 'Löpande under året' eller '2020-06-30'"


def check(s: SettingsFile) -> list[str]:
    out: list[str] = []
    _ids(s, out)
    _units(s, out)
    _references(s, out)
    _lines(s, out)
    _perspectives(s, out)
    _statuses(s, out)
    _deadlines(s, out)
    _kontoplan(s, out)
    _report(s, out)
    return out


def _listing(names: Iterable[str]) -> str:
    return ", ".join(names)


def _unique(table: str, what: str, values: Sequence[str], out: list[str], fold: bool = True) -> None:
    """Each value once; `what` is 'id' or 'namnet'. Numbers in messages count from 1."""
    seen: dict[str, tuple[int, str]] = {}
    for n, v in enumerate(values, 1):
        k = v.casefold() if fold else v
        if k not in seen:
            seen[k] = (n, v)
            continue
        first, original = seen[k]
        if original == v:
            out.append(
                f"nyckeln '{table}' har {what} '{v}' mer än en gång (nr {first} och nr {n}); "
                f"varje {what.removesuffix('et')} måste vara unikt."
            )
        else:
            out.append(
                f"nyckeln '{table}' har {what} '{original}' (nr {first}) och '{v}' (nr {n}), som räknas som "
                f"samma {what.removesuffix('et')} (stora och små bokstäver räknas lika); ändra ett av dem."
            )


def _reserved(path: str, value: str, reserved: Sequence[str], out: list[str], what: str) -> None:
    if value.casefold() in {r.casefold() for r in reserved}:
        out.append(
            f"nyckeln '{path}' är '{value}', {what}; välj ett annat "
            f"(upptagna: {_listing(repr(r) for r in reserved)})."
        )


def _ids(s: SettingsFile, out: list[str]) -> None:
    _unique("enheter", "id", [u.id for u in s.enheter], out)
    _unique("driftrader", "id", [x.id for x in s.driftrader], out)
    _unique("investeringar", "id", [x.id for x in s.investeringar], out)
    # one ledger project is one row: two rows with its code would show its amounts twice
    first_code: dict[str, int] = {}
    for n, inv in enumerate(s.investeringar, 1):
        code = inv.projekt
        if code and first_code.setdefault(code, n) != n:
            out.append(
                f"nyckeln 'investeringar[{n}].projekt' är '{code}', som investeringar[{first_code[code]}] "
                "redan har; ett projekt i ekonomisystemet hör till en investering."
            )
    _unique("volymer", "id", [x.id for x in s.volymer], out)
    _unique("personal", "id", [x.id for x in s.personal], out)
    _unique("analysfragor", "id", [x.id for x in s.analysfragor], out)
    _unique("aktiviteter", "id", [activity_id(n, a) for n, a in enumerate(s.aktiviteter, 1)], out)
    own = "ett id som enhetsmallen själv använder för en egen rad"
    for n, x in enumerate(s.driftrader, 1):
        _reserved(f"driftrader[{n}].id", x.id, RESERVED_IDS["driftrader"], out, own)
    for n, q in enumerate(s.analysfragor, 1):
        _reserved(f"analysfragor[{n}].id", q.id, RESERVED_IDS["analysfragor"], out, own)
    for n, p in enumerate(s.investeringar, 1):
        folded = p.id.casefold()  # the sum rows, the open rows and the one for unknown new projects
        if folded in keys.INVEST_TOTALS or keys.is_open_investment(folded):
            out.append(
                f"nyckeln 'investeringar[{n}].id' är '{p.id}', {own} (summa, varav_utgifter, "
                "varav_inkomster, nytt, nytt1, nytt2, …); välj ett annat."
            )


def _units(s: SettingsFile, out: list[str]) -> None:
    names = [u.namn for u in s.enheter]
    _unique("enheter", "namnet", names, out)
    first_of: dict[str, tuple[int, str]] = {}
    for n, name in enumerate(names, 1):
        stem = file_stem(name).casefold()
        if stem in first_of and first_of[stem][1].casefold() != name.casefold():
            m, other = first_of[stem]
            out.append(
                f"nyckeln 'enheter' har namnen '{other}' (nr {m}) och '{name}' (nr {n}), som ger samma "
                f"filnamn för enhetsmallen ('{file_stem(name)}'), eftersom tecknen {' '.join(FILE_CHARS)} "
                "blir '-' i ett filnamn; ändra ett av namnen."
            )
        first_of.setdefault(stem, (n, name))
        _reserved(
            f"enheter[{n}].namn", name, RESERVED_NAMES, out, "ett namn som resultattabellerna själva använder"
        )
    # Underlag rows name their unit by id, name or ansvarskod: each must point at one unit only.
    # (Two ids or two names alike are reported above.)
    seen: dict[str, list[tuple[int, str]]] = {}
    for n, u in enumerate(s.enheter, 1):
        for key, value in dict.fromkeys([("id", u.id), ("namn", u.namn), *(("ansvar", a) for a in u.ansvar)]):
            others = [(m, kind) for m, kind in seen.get(value.casefold(), []) if m != n]
            if others and not any(kind == key != "ansvar" for _, kind in others):
                m, kind = others[0]
                what = {"id": "id", "namn": "namnet", "ansvar": "en ansvarskod"}[kind]
                out.append(
                    f"nyckeln 'enheter[{n}].{key}' har '{value}', som också är {what} för enheten "
                    f"'{s.enheter[m - 1].id}' (enheter[{m}]); underlaget kan då inte avgöra vilken enhet "
                    "en rad hör till."
                )
            seen.setdefault(value.casefold(), []).append((n, key))


def _references(s: SettingsFile, out: list[str]) -> None:
    ids = [u.id for u in s.enheter]
    by_name = {u.namn.casefold(): u.id for u in s.enheter}
    refs = [
        *((f"investeringar[{n}].enhet", x.enhet) for n, x in enumerate(s.investeringar, 1)),
        *((f"volymer[{n}].enhet", x.enhet) for n, x in enumerate(s.volymer, 1)),
        *((f"aktiviteter[{n}].enhet", x.enhet) for n, x in enumerate(s.aktiviteter, 1)),
    ]
    for path, value in refs:
        if value in ids:
            continue
        hint = ""
        if value.casefold() in by_name:
            hint = f"; ange enhetens id, här '{by_name[value.casefold()]}'."
        elif (guess := closest(value, ids)) is not None:
            hint = f"; menade du '{guess}'?"
        out.append(
            f"nyckeln '{path}' pekar på enheten '{value}' som inte finns under [[enheter]]{hint or '.'}"
        )


def _lines(s: SettingsFile, out: list[str]) -> None:
    _unique("driftrader", "namnet", [x.namn for x in s.driftrader], out)
    for n, x in enumerate(s.driftrader, 1):
        _reserved(
            f"driftrader[{n}].namn",
            x.namn,
            RESERVED_LINE_NAMES,
            out,
            "ett namn som mallen eller resultattabellerna själva använder",
        )
    if not any(x.typ == LineKind.KOSTNAD.value for x in s.driftrader):
        out.append("nyckeln 'driftrader' måste ha minst en rad med typ = \"kostnad\".")
    _unique("personal", "namnet", [x.namn for x in s.personal], out)


def _perspectives(s: SettingsFile, out: list[str]) -> None:
    names = [p.namn for p in s.perspektiv]
    _unique("perspektiv", "namnet", names, out)
    for n, name in enumerate(names, 1):
        _reserved(
            f"perspektiv[{n}].namn",
            name,
            RESERVED_PERSPECTIVES,
            out,
            "ett namn som statustabellen själv använder",
        )
    if not names:
        return  # the perspectives are the activities' own, in order
    for n, a in enumerate(s.aktiviteter, 1):
        if a.perspektiv not in names:
            guess = closest(a.perspektiv, names)
            hint = f"; menade du '{guess}'?" if guess else f"; där finns {_listing(repr(p) for p in names)}."
            out.append(
                f"nyckeln 'aktiviteter[{n}].perspektiv' är '{a.perspektiv}', som inte finns under "
                f"[[perspektiv]]{hint}"
            )


def _statuses(s: SettingsFile, out: list[str]) -> None:
    if s.statusar is None:
        return
    alla = s.statusar.alla
    for n, status in enumerate(alla, 1):
        _reserved(
            f"statusar.alla[{n}]",
            status,
            RESERVED_STATUSES,
            out,
            "ett namn som statustabellen själv använder",
        )
    if len(",".join(alla)) > EXCEL_LIST_MAX:
        out.append(
            f"nyckeln 'statusar.alla' är för lång: statusarna får tillsammans ha högst {EXCEL_LIST_MAX} "
            "tecken (med ett kommatecken mellan varje), eftersom Excel inte tar längre listor i en cell."
        )
    for key, subset in (("klara", s.statusar.klara), ("kraver_kommentar", s.statusar.kraver_kommentar)):
        for status in subset:
            if status not in alla:
                out.append(
                    f"nyckeln 'statusar.{key}' innehåller '{status}', som inte finns i statusar.alla "
                    f"({_listing(repr(a) for a in alla)}); skriv den som i alla."
                )


def _deadlines(s: SettingsFile, out: list[str]) -> None:
    for n, a in enumerate(s.aktiviteter, 1):
        try:
            ok = calc.deadline_date(a.slutdatum, s.period.ar) is not None
            why = "som inget slutdatum kan läsas ur"
        except (ValueError, OverflowError):
            ok, why = False, "som inte är ett datum som finns"
        if not ok:
            out.append(
                f"nyckeln 'aktiviteter[{n}].slutdatum' är '{a.slutdatum}', {why}; {DEADLINE_EXAMPLES}."
            )


def _kontoplan(s: SettingsFile, out: list[str]) -> None:
    """Each range to a drift line that exists and is not a varav line; no account in two ranges."""
    if s.kontoplan is None:
        return
    kinds = {x.id: x.typ for x in s.driftrader}
    by_name = {x.namn.casefold(): x.id for x in s.driftrader}
    seen: list[tuple[str, str, str, str]] = []  # (path, text, padded first, padded last)
    width = max((len(f) for k in s.kontoplan.konton for f, _ in k.konton), default=1)
    for n, k in enumerate(s.kontoplan.konton, 1):
        path = f"kontoplan.konton[{n}]"
        if k.rad not in kinds:
            if k.rad.casefold() in by_name:
                hint = f"; ange radens id, här '{by_name[k.rad.casefold()]}'."
            elif (guess := closest(k.rad, list(kinds))) is not None:
                hint = f"; menade du '{guess}'?"
            else:
                hint = f"; där finns {_listing(repr(i) for i in kinds)}."
            out.append(
                f"nyckeln '{path}.rad' pekar på driftraden '{k.rad}' som inte finns under "
                f"[[driftrader]]{hint}"
            )
        elif kinds[k.rad] == LineKind.VARAV.value:
            out.append(
                f"nyckeln '{path}.rad' pekar på '{k.rad}', en varav-rad: dess belopp ingår redan i en annan "
                "rad, så inga konton kan föras dit (de skulle räknas två gånger). Välj en intäkts- eller "
                "kostnadsrad."
            )
        for first, last in k.konton:
            text = first if first == last else f"{first}-{last}"
            if first[0] in "12" or last[0] in "12":
                out.append(
                    f"nyckeln '{path}.konton' har '{text}': konton i klass 1 och 2 är balanskonton och hör "
                    "inte till driftredovisningen."
                )
            lo, hi = first.ljust(width, "0"), last.ljust(width, "9")
            for other_path, other, olo, ohi in seen:
                if lo <= ohi and olo <= hi:
                    where = "i samma lista" if other_path == path else f"i {other_path}.konton"
                    out.append(
                        f"nyckeln '{path}.konton' har '{text}', som överlappar '{other}' {where}; ett konto "
                        "får höra till en enda driftrad."
                    )
                    break
            seen.append((path, text, lo, hi))


def _report(s: SettingsFile, out: list[str]) -> None:
    """[[avsnitt]]: ids once, places and tables in the report's parts, answers of questions that are
    asked, and headings whose levels never skip (a level 2 needs a level 1 before it)."""
    sections = s.avsnitt or ()
    _unique("avsnitt", "id", [a.id for a in sections], out)
    parts = s.rapport.delar if s.rapport else REPORT_PARTS
    asked = [*(q for q, _ in STANDARD_QUESTIONS), *(q.id for q in s.analysfragor), DRIFT_COMMENTS]
    chapter = False  # a level 1 heading before, in the introduction
    for n, a in enumerate(sections, 1):
        key = f"avsnitt[{n}]"
        if a.tabell:
            for name, given in (("rubrik", a.rubrik), ("plats", a.plats), ("niva", a.niva)):
                if given:
                    out.append(
                        f"nyckeln '{key}.{name}' gäller inte en not under en tabell (tabell = "
                        f'"{a.tabell}"): noten står under tabellen, utan rubrik; ta bort {name}.'
                    )
            if TABLE_PART[a.tabell] not in parts:
                out.append(
                    f"nyckeln '{key}.tabell' är '{a.tabell}', en tabell i delen '{TABLE_PART[a.tabell]}', "
                    "som inte finns i rapport.delar."
                )
        place = a.plats or INTRODUCTION
        if place != INTRODUCTION and place not in parts:
            out.append(f"nyckeln '{key}.plats' är '{place}', som inte finns i rapport.delar.")
        if a.niva and not a.rubrik and not a.tabell:
            out.append(
                f"nyckeln '{key}.niva' gäller bara ett avsnitt med rubrik; ange en rubrik eller ta bort niva."
            )
        if place == INTRODUCTION and a.rubrik and not a.tabell:
            if (a.niva or 2) == 2 and not chapter:
                out.append(
                    f"nyckeln '{key}.niva' är 2, men inget avsnitt med niva = 1 står före det i inledningen: "
                    "en underrubrik måste ha en huvudrubrik före sig (rubriknivåerna får inte hoppa)."
                )
            chapter = chapter or a.niva == 1
        for q in a.underlag:
            if q not in asked:
                hint = f"; menade du '{guess}'?" if (guess := closest(q, asked)) else ""
                out.append(
                    f"nyckeln '{key}.underlag' har '{q}', som inte är någon analysfråga "
                    f"({_listing(asked)}){hint or '.'}"
                )
