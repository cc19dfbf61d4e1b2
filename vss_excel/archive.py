"""The archive: every Konsolidera run keeps a snapshot of the consolidated figures, one JSON file
per förvaltning and period, beside the Konsolidering workbook (folder `arkiv`).

The next period's templates take "Föregående prognos" from it, the Driftsammandrag shows how
each prognos moved, and a finished year's snapshots give the prognossäkerhet (accuracy.py).

Format (version 1), meant to be read by later versions too: a UTF-8 JSON object
    {"format": "vss-excel arkiv", "version": 1, "forvaltning": <name>, "kortnamn": <short name>,
     "period": "2020-10", "skapad": <ISO time>,
     "enheter": {<unit id>: {"namn": <name>, "fil": <file used or "">, "sha256": <its hash or "">,
                             "inlamnad": true|false,
                             "varden": {"drift/resultat/prognos": "6339000", ...},
                             "luckor": {"drift/intakter/prognos": <why the value is missing>, ...}}}}
Amounts are exact decimal strings in kronor, keyed "section/item/field" as the unit workbook names
its cells (vss_excel.keys); only numbers are kept. A run for a period replaces that period's file
(written to a temporary file and renamed), never another period's, and only when at least one
returned file of the period was used. The file it replaces is kept as `… .json.1` (the one before
as `.json.2`, up to `.json.3`), so a run on the wrong files can be undone by renaming; a run that
changes no figure writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import files
from .errors import UserError, os_reason
from .keys import Drift, Key, Section, drift
from .model import Forvaltning, Period, Prefill, UnitReport

FORMAT = "vss-excel arkiv"
VERSION = 1
FOLDER = "arkiv"
KEPT = (Section.DRIFT, Section.INVESTERING, Section.VOLYM, Section.PERSONAL)


class ArchiveError(UserError):
    """A snapshot file that cannot be read as one."""


@dataclass(frozen=True)
class UnitSnapshot:
    name: str
    source: str
    sha256: str
    returned: bool
    values: Mapping[Key, Decimal]
    gaps: Mapping[Key, str]

    def amount(self, key: Key) -> Decimal | None:
        return None if key in self.gaps else self.values.get(key)


@dataclass(frozen=True)
class Snapshot:
    forvaltning: str
    short_name: str
    period: Period
    created: str
    units: Mapping[str, UnitSnapshot]


def _key_text(key: Key) -> str:
    return "/".join(key)  # "drift/personal/prognos": the section is a StrEnum, its text its value


def _key(text: str) -> Key:
    section, item, field = text.split("/", 2)
    return Key(Section(section), item, field)


def snapshot(
    forv: Forvaltning, period: Period, reports: Mapping[str, UnitReport], hashes: Mapping[str, str]
) -> Snapshot:
    """The consolidated figures of a run: every unit's numbers and gaps, and the file each came from."""
    units = {}
    for u in forv.units:
        rep = reports[u.id]
        units[u.id] = UnitSnapshot(
            u.name,
            rep.source,
            hashes.get(rep.source, ""),
            rep.returned,
            {k: v for k, v in rep.values.items() if k.section in KEPT and isinstance(v, Decimal)},
            {k: why for k, why in rep.gaps.items() if k.section in KEPT},
        )
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    return Snapshot(forv.name, forv.short_name, period, now, units)


def path_for(folder: Path, short_name: str, period: Period) -> Path:
    return folder / f"{short_name} {period.iso}.json"


KEPT_COPIES = 3


@dataclass(frozen=True)
class Saved:
    path: Path
    kept: Path | None = None  # where the snapshot it replaced is now
    unchanged: bool = False  # the same figures were there already: nothing was written


def save(folder: Path, snap: Snapshot) -> Saved:
    """Write the period's snapshot, replacing that period's earlier one only; the earlier one is
    kept as `.json.1` (older ones move up to `.json.3`)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "forvaltning": snap.forvaltning,
        "kortnamn": snap.short_name,
        "period": snap.period.iso,
        "skapad": snap.created,
        "enheter": {
            uid: {
                "namn": u.name,
                "fil": u.source,
                "sha256": u.sha256,
                "inlamnad": u.returned,
                "varden": {_key_text(k): str(v) for k, v in sorted(u.values.items())},
                "luckor": {_key_text(k): why for k, why in sorted(u.gaps.items())},
            }
            for uid, u in snap.units.items()
        },
    }
    target = path_for(folder, snap.short_name, snap.period)
    if target.is_file() and _same_figures(target, data):
        return Saved(target, unchanged=True)
    kept = _copy(target, 1) if target.is_file() else None
    with files.replacing(target, ".json") as tmp:
        tmp.write_text(_readable(data), encoding="utf-8")
        if kept is not None:  # only once the new one is written: .2 -> .3, .1 -> .2, the file -> .1
            for n in range(KEPT_COPIES, 1, -1):
                if (older := _copy(target, n - 1)).is_file():
                    older.replace(_copy(target, n))
            shutil.copy2(target, kept)
    return Saved(target, kept)


def _copy(path: Path, n: int) -> Path:
    return path.with_name(f"{path.name}.{n}")


def _same_figures(path: Path, data: Mapping[str, object]) -> bool:
    """Whether the file holds these very figures (its creation time aside)."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    ignored = ("skapad",)
    return isinstance(old, dict) and {k: v for k, v in old.items() if k not in ignored} == {
        k: v for k, v in data.items() if k not in ignored
    }


def _readable(data: dict[str, object]) -> str:
    """JSON with a line per unit: readable, and fast (json's own indenting is pure Python: a
    quarter of a second for a thousand units)."""
    units = data["enheter"]
    assert isinstance(units, dict)
    head = [
        f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items() if k != "enheter"
    ]
    rows = [
        f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(u, ensure_ascii=False)}"
        for k, u in units.items()
    ]
    return "{\n" + ",\n".join([*head, ' "enheter": {\n' + ",\n".join(rows) + "\n }"]) + "\n}\n"


def load(path: Path) -> Snapshot:
    """Read a snapshot; a file that is not one is refused by name."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ArchiveError(f"{path.name} är ingen arkivfil från vss-excel.")
        if not isinstance(data.get("version"), int) or data["version"] > VERSION:
            raise ArchiveError(
                f"{path.name} är skriven av en senare version av vss-excel; uppdatera vss-excel."
            )
        period = Period.parse(data["period"])
        units = {
            uid: UnitSnapshot(
                u["namn"],
                u.get("fil", ""),
                u.get("sha256", ""),
                bool(u.get("inlamnad", True)),
                {_key(k): Decimal(v) for k, v in u.get("varden", {}).items()},
                {_key(k): str(why) for k, why in u.get("luckor", {}).items()},
            )
            for uid, u in data["enheter"].items()
        }
        return Snapshot(data["forvaltning"], data.get("kortnamn", ""), period, data.get("skapad", ""), units)
    except ArchiveError:
        raise
    except OSError as e:
        raise ArchiveError(
            f"Arkivfilen {path.name} kunde inte läsas ({os_reason(e)}); flytta den ur arkivet."
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError, InvalidOperation):
        raise ArchiveError(
            f"Arkivfilen {path.name} kunde inte läsas (innehållet är inte ett arkiv som vss-excel skrivit); "
            "flytta den ur arkivet."
        ) from None


_NAME = re.compile(r".* (\d{4}-\d{2})\.json")


def snapshots(folder: Path | None, forv: Forvaltning) -> list[Snapshot]:
    """This förvaltning's snapshots in the folder, oldest first (other files are left alone)."""
    if folder is None or not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.glob(f"{forv.short_name} *.json")):
        if _NAME.fullmatch(p.name):
            snap = load(p)
            if snap.forvaltning == forv.name:
                out.append(snap)
    return sorted(out, key=lambda s: (s.period.year, s.period.month))


def previous(folder: Path | None, forv: Forvaltning, period: Period) -> Snapshot | None:
    """The latest snapshot of an earlier period of the same year (a prognos is for its year)."""
    earlier = [
        s for s in snapshots(folder, forv) if s.period.year == period.year and s.period.month < period.month
    ]
    return earlier[-1] if earlier else None


def previous_forecasts(snap: Snapshot, forv: Forvaltning) -> Prefill:
    """'Föregående prognos' per drift line and unit, as the templates prefill it."""
    values: dict[tuple[str, str, str], Decimal] = {}
    for u in forv.units:
        unit = snap.units.get(u.id)
        if unit is None:
            continue
        for line in forv.drift_lines:
            v = unit.amount(drift(line.id, Drift.PROGNOS))
            if v is not None:
                values[(u.id, line.id, Drift.FOREGAENDE_PROGNOS)] = v
    return Prefill(values)


def merged(*parts: Prefill | None) -> Prefill:
    """Prefills added together (the ledger's amounts and the archive's forecasts)."""
    values: dict[tuple[str, str, str], Decimal] = {}
    for part in parts:
        if part is not None:
            values.update(part.values)
    return Prefill(values)
