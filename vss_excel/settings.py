"""Settings: a förvaltning described in TOML; the VSS default is embedded in the package."""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from . import files
from .model import (
    PERIOD_KINDS,
    STATUSES,
    Activity,
    AnalysisQuestion,
    DriftLine,
    Forvaltning,
    InvestmentProject,
    LineKind,
    Period,
    PersonnelKind,
    PersonnelMeasure,
    Perspective,
    Thresholds,
    Unit,
    VolumeMeasure,
)

DEFAULT_NAME = "vss.toml"


class SettingsError(ValueError):
    """A settings file that cannot be used; the message is Swedish and names the key."""


def default_text() -> str:
    return resources.files("vss_excel").joinpath("data", DEFAULT_NAME).read_text(encoding="utf-8")


def load_default() -> Forvaltning:
    return parse(default_text(), "standardinställningarna")


def load(path: str | Path | None) -> Forvaltning:
    if path is None:
        return load_default()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"Inställningsfilen {p} finns inte.") from None
    except UnicodeDecodeError:
        raise SettingsError(f"Inställningsfilen {p} är inte sparad som UTF-8.") from None
    return parse(text, p.name)


def write_default(path: str | Path, overwrite: bool = False) -> Path:
    """`vss-excel init`: write the embedded default for editing, atomically."""
    p = Path(path)
    if p.exists() and not overwrite:
        raise SettingsError(f"{p} finns redan; välj ett annat namn eller ange --skriv-over.")
    p.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing(p, ".toml") as tmp:
        tmp.write_text(default_text(), encoding="utf-8")
    return p


# --- parsing -------------------------------------------------------------------------------


class _Reader:
    """Typed access to the TOML tree with Swedish messages naming the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, expected: str) -> SettingsError:
        return SettingsError(f"{self.source}: nyckeln '{key}' {expected}.")

    def table(self, d: dict[str, Any], key: str, path: str) -> dict[str, Any]:
        v = d.get(key)
        if not isinstance(v, dict):
            raise self.fail(path, "saknas eller är inte en tabell ([...])")
        return v

    def tables(self, d: dict[str, Any], key: str, required: bool = True) -> list[dict[str, Any]]:
        v = d.get(key)
        if v is None and not required:
            return []
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            raise self.fail(key, "saknas eller är inte en lista av tabeller ([[...]])")
        if required and not v:
            raise self.fail(key, "måste ha minst en post")
        return v

    def text(self, d: dict[str, Any], key: str, path: str, required: bool = True) -> str:
        v = d.get(key)
        if v is None and not required:
            return ""
        if not isinstance(v, str) or not v.strip():
            raise self.fail(path, "måste vara en text som inte är tom")
        return v.strip()

    def integer(self, d: dict[str, Any], key: str, path: str, lo: int, hi: int) -> int:
        v = d.get(key)
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise self.fail(path, f"måste vara ett heltal mellan {lo} och {hi}")
        return v

    def number(self, d: dict[str, Any], key: str, path: str, required: bool = True) -> Decimal | None:
        v = d.get(key)
        if v is None and not required:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self.fail(path, "måste vara ett tal")
        try:
            result = Decimal(str(v))
        except InvalidOperation:
            raise self.fail(path, "måste vara ett tal") from None
        if not result.is_finite():
            raise self.fail(path, "måste vara ett ändligt tal")
        return result

    def boolean(self, d: dict[str, Any], key: str, path: str) -> bool:
        v = d.get(key, False)
        if not isinstance(v, bool):
            raise self.fail(path, "måste vara true eller false")
        return v

    def choice(self, d: dict[str, Any], key: str, path: str, options: tuple[str, ...]) -> str:
        v = self.text(d, key, path)
        if v not in options:
            raise self.fail(path, f"måste vara en av {', '.join(options)} (är '{v}')")
        return v


def _unique(r: _Reader, items: list[str], key: str) -> None:
    seen: set[str] = set()
    for i in items:
        if i in seen:
            raise r.fail(key, f"har id '{i}' mer än en gång; varje id måste vara unikt")
        seen.add(i)


def parse(text: str, source: str) -> Forvaltning:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{source}: inte giltig TOML ({e}).") from None
    r = _Reader(source)

    forv = r.table(raw, "forvaltning", "forvaltning")
    per = r.table(raw, "period", "period")
    period = Period(
        r.integer(per, "ar", "period.ar", 2000, 2100),
        r.integer(per, "manad", "period.manad", 1, 12),
        r.choice(per, "typ", "period.typ", PERIOD_KINDS),
    )
    vas = r.table(raw, "vasentlighet", "vasentlighet")
    tkr = r.number(vas, "tkr", "vasentlighet.tkr")
    pct = r.number(vas, "procent", "vasentlighet.procent")
    assert tkr is not None and pct is not None
    if tkr < 0 or not 0 <= pct <= 100:
        raise r.fail("vasentlighet", "måste ha tkr >= 0 och procent mellan 0 och 100")

    units = tuple(
        Unit(
            r.text(u, "id", f"enheter[{i}].id"),
            r.text(u, "namn", f"enheter[{i}].namn"),
            tuple(str(a) for a in u.get("ansvar", [])),
        )
        for i, u in enumerate(r.tables(raw, "enheter"), 1)
    )
    _unique(r, [u.id for u in units], "enheter")
    unit_ids = {u.id for u in units}

    def unit_ref(d: dict[str, Any], path: str) -> str:
        v = r.text(d, "enhet", path)
        if v not in unit_ids:
            raise r.fail(path, f"pekar på enheten '{v}' som inte finns under [[enheter]]")
        return v

    kinds = tuple(k.value for k in LineKind)
    lines = tuple(
        DriftLine(
            r.text(d, "id", f"driftrader[{i}].id"),
            r.text(d, "namn", f"driftrader[{i}].namn"),
            LineKind(r.choice(d, "typ", f"driftrader[{i}].typ", kinds)),
        )
        for i, d in enumerate(r.tables(raw, "driftrader"), 1)
    )
    _unique(r, [x.id for x in lines], "driftrader")
    if not any(x.kind is LineKind.KOSTNAD for x in lines):
        raise r.fail("driftrader", 'måste ha minst en rad med typ = "kostnad"')

    investments = tuple(
        InvestmentProject(
            r.text(d, "id", f"investeringar[{i}].id"),
            unit_ref(d, f"investeringar[{i}].enhet"),
            r.text(d, "namn", f"investeringar[{i}].namn"),
            r.number(d, "ram", f"investeringar[{i}].ram", required=False),
        )
        for i, d in enumerate(r.tables(raw, "investeringar", required=False), 1)
    )
    _unique(r, [x.id for x in investments], "investeringar")
    open_rows = 3
    if "investeringar_oppna" in raw:
        oppna = r.table(raw, "investeringar_oppna", "investeringar_oppna")
        open_rows = r.integer(oppna, "rader", "investeringar_oppna.rader", 0, 50)

    volumes = tuple(
        VolumeMeasure(
            r.text(d, "id", f"volymer[{i}].id"),
            unit_ref(d, f"volymer[{i}].enhet"),
            r.text(d, "namn", f"volymer[{i}].namn"),
        )
        for i, d in enumerate(r.tables(raw, "volymer", required=False), 1)
    )
    _unique(r, [x.id for x in volumes], "volymer")

    pkinds = tuple(k.value for k in PersonnelKind)
    personnel = tuple(
        PersonnelMeasure(
            r.text(d, "id", f"personal[{i}].id"),
            r.text(d, "namn", f"personal[{i}].namn"),
            PersonnelKind(r.choice(d, "typ", f"personal[{i}].typ", pkinds)),
            r.number(d, "malvarde", f"personal[{i}].malvarde", required=False),
        )
        for i, d in enumerate(r.tables(raw, "personal", required=False), 1)
    )
    _unique(r, [x.id for x in personnel], "personal")

    statuses = tuple(raw.get("statusar", STATUSES))
    if not statuses or not all(isinstance(s, str) and s.strip() for s in statuses):
        raise r.fail("statusar", "måste vara en lista av texter")

    perspectives = tuple(
        Perspective(
            r.text(d, "namn", f"perspektiv[{i}].namn"),
            r.text(d, "malrubrik", f"perspektiv[{i}].malrubrik", required=False) or "Mål",
        )
        for i, d in enumerate(r.tables(raw, "perspektiv", required=False), 1)
    )
    known_persp = {p.name for p in perspectives}
    activities: list[Activity] = []
    for i, d in enumerate(r.tables(raw, "aktiviteter", required=False), 1):
        path = f"aktiviteter[{i}]"
        persp = r.text(d, "perspektiv", f"{path}.perspektiv")
        if perspectives and persp not in known_persp:
            raise r.fail(f"{path}.perspektiv", f"är '{persp}', som inte finns under [[perspektiv]]")
        activities.append(
            Activity(
                r.text(d, "id", f"{path}.id", required=False) or f"A{i:03d}",
                persp,
                r.text(d, "mal", f"{path}.mal"),
                r.text(d, "aktivitet", f"{path}.aktivitet"),
                r.text(d, "slutdatum", f"{path}.slutdatum"),
                unit_ref(d, f"{path}.enhet"),
                r.boolean(d, "strategiskt", f"{path}.strategiskt"),
            )
        )
    _unique(r, [a.id for a in activities], "aktiviteter")
    if not perspectives:
        perspectives = tuple(Perspective(p) for p in dict.fromkeys(a.perspective for a in activities))

    questions = tuple(
        AnalysisQuestion(
            r.text(d, "id", f"analysfragor[{i}].id"), r.text(d, "fraga", f"analysfragor[{i}].fraga")
        )
        for i, d in enumerate(r.tables(raw, "analysfragor", required=False), 1)
    )
    _unique(r, [q.id for q in questions], "analysfragor")

    return Forvaltning(
        name=r.text(forv, "namn", "forvaltning.namn"),
        short_name=r.text(forv, "kortnamn", "forvaltning.kortnamn"),
        organisation=r.text(forv, "organisation", "forvaltning.organisation", required=False),
        period=period,
        units=units,
        drift_lines=lines,
        investments=investments,
        open_investment_rows=open_rows,
        volumes=volumes,
        personnel=personnel,
        perspectives=perspectives,
        activities=tuple(activities),
        statuses=statuses,
        thresholds=Thresholds(tkr, pct),
        questions=questions,
    )
