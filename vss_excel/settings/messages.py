"""Pydantic's validation errors as Swedish sentences that name the key and its table.

Only the structured part of an error is used (`type`, `loc`, `input`, `ctx`), never pydantic's
English text: the key's place comes from `loc`, what it must be from the schema's `Expect`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from .schema import SettingsFile
from .values import Expect

ROOT = "på översta nivån"
STATUSAR_HINT = (
    "Statusarna anges i en egen tabell [statusar] med alla = [...], klara = [...] och "
    "kraver_kommentar = [...] (se filen som vss-excel init skriver)."
)


def problems(error: ValidationError) -> list[str]:
    """One sentence per error, in the schema's order, each once."""
    errors = error.errors(include_url=False)
    # A key the user misspelt is also missing under its right name: say it once, as the misspelling.
    meant = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            where = locate(e["loc"])
            guess = closest(where.key, list(where.model.model_fields))
            if guess is not None:
                meant.add((*e["loc"][:-1], guess))
    out: list[str] = []
    for e in errors:
        if e["type"] == "missing" and tuple(e["loc"]) in meant:
            continue
        m = sentence(e)
        if m not in out:
            out.append(m)
    return out


@dataclass(frozen=True)
class Where:
    """Where a `loc` points in the file."""

    path: str  # 'enheter[2].namn', as messages name a key
    table: str  # 'i [[enheter]] nr 2', 'i [period]' or ROOT: the table that holds the last key
    model: type[BaseModel]  # the schema of that table
    kind: Literal["leaf", "table", "tables", "item", "unknown"]
    key: str  # the last key ('namn'); for an item, the name of its list ('enheter')
    info: FieldInfo | None = None


def table_of(annotation: Any) -> tuple[type[BaseModel], bool] | None:
    """(schema, is a list of tables) when a field holds a table or a list of tables."""
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        annotation = members[0] if len(members) == 1 else annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    if get_origin(annotation) in (tuple, list):
        items = get_args(annotation)
        if items and isinstance(items[0], type) and issubclass(items[0], BaseModel):
            return items[0], True
    return None


def locate(loc: Sequence[int | str]) -> Where:
    model: type[BaseModel] = SettingsFile
    path, table = "", ROOT
    parts = list(loc)
    while parts:
        key = parts.pop(0)
        if not isinstance(key, str) or key not in model.model_fields:
            return Where(_join(path, str(key)), table, model, "unknown", str(key))
        info = model.model_fields[key]
        path = _join(path, key)
        inner = table_of(info.annotation)
        if inner is None:
            return Where(path, table, model, "leaf", key, info)
        model_here, many = inner
        if not parts:
            return Where(path, table, model, "tables" if many else "table", key, info)
        base = _unindexed(path)  # a nested table is named by its dotted path: [[kontoplan.konton]]
        if many:
            index = parts.pop(0)
            if not isinstance(index, int):
                return Where(path, table, model, "tables", key, info)
            path = f"{path}[{index + 1}]"
            if not parts:
                return Where(path, table, model_here, "item", key, info)
            table = f"i [[{base}]] nr {index + 1}"
        else:
            table = f"i [{base}]"
        model = model_here
    return Where(path, table, model, "table", "")


def _unindexed(path: str) -> str:
    """'a[2].b' -> 'a.b': a nested table's TOML header name."""
    return re.sub(r"\[\d+\]", "", path)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def expect(info: FieldInfo | None) -> str | None:
    if info is None:
        return None
    return next((m.text for m in info.metadata if isinstance(m, Expect)), None)


def show(value: object, limit: int = 60) -> str:
    """A value as the user wrote it in TOML, shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = "'" + (value if len(value) <= limit else value[: limit - 1] + "…") + "'"
    elif isinstance(value, int | float | Decimal):
        text = str(value)
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    elif isinstance(value, dict):
        text = "en tabell"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(show(v, 20) for v in value[:5]) + (", …" if len(value) > 5 else "") + "]"
    else:
        text = "ett värde av okänt slag"
    return text if len(text) <= limit + 2 else text[:limit] + "…"


def sentence(e: ErrorDetails) -> str:
    where = locate(e["loc"])
    kind, path, typ = where.kind, where.path, e["type"]
    value = e.get("input")
    if typ == "extra_forbidden" or kind == "unknown":
        return unknown_key(where)
    if typ == "missing":
        if kind == "table":
            return f"nyckeln '{path}' saknas; filen måste ha tabellen [{path}]."
        if kind == "tables":
            return f"nyckeln '{path}' saknas; filen måste ha minst en tabell [[{path}]]."
        must = expect(where.info) or "måste anges"
        return f"nyckeln '{path}' {must}, men den saknas {where.table}."
    if kind == "tables":
        if typ == "too_short":
            return f"nyckeln '{path}' måste ha minst en post, dvs. minst en tabell [[{path}]]."
        if isinstance(value, dict):
            return (
                f"nyckeln '{path}' måste vara en lista av tabeller: skriv [[{path}]] (dubbla hakparenteser) "
                f"framför varje post, inte [{path}]."
            )
        return f"nyckeln '{path}' måste vara en lista av tabeller [[{path}]] (är {show(value)})."
    if kind == "table" and path == "statusar" and isinstance(value, list):
        return f"nyckeln 'statusar' är en lista, men den måste vara en tabell. {STATUSAR_HINT}"
    if kind == "table":
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return (
                f"nyckeln '{path}' måste vara en tabell: skriv [{path}] (enkla hakparenteser), "
                f"inte [[{path}]]."
            )
        return f"nyckeln '{path}' måste vara en tabell [{path}] (är {show(value)})."
    if kind == "item":
        return f"nyckeln '{path}' måste vara en tabell [[{_unindexed(path)}]] (är {show(value)})."
    if typ == "vss_reason":
        return f"nyckeln '{path}' {(e.get('ctx') or {}).get('reason', 'går inte att använda')}."
    what = expect(where.info)
    if what is not None:
        return f"nyckeln '{path}' {what} (är {show(value)})."
    return f"nyckeln '{path}' har ett värde som inte går att använda (är {show(value)})."


# --- unknown keys -------------------------------------------------------------------------------

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "-": "_", " ": "_"})


def _fold(key: str) -> str:
    return key.lower().translate(_FOLD)


def closest(key: str, candidates: Sequence[str]) -> str | None:
    """The key the user most likely meant (misspelt, with å/ä/ö, with '-' for '_')."""
    folded = {_fold(c): c for c in candidates}
    match = difflib.get_close_matches(_fold(key), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def _schemas() -> dict[str, tuple[type[BaseModel], bool]]:
    out: dict[str, tuple[type[BaseModel], bool]] = {}
    for name, info in SettingsFile.model_fields.items():
        inner = table_of(info.annotation)
        if inner is not None:
            out[name] = inner
    return out


def _header(name: str, many: bool) -> str:
    return f"[[{name}]]" if many else f"[{name}]"


def unknown_key(where: Where) -> str:
    key, here = where.key, where.table
    top = _schemas()
    if where.model is not SettingsFile and key in top:
        # The classic TOML slip: a key written under a table belongs to that table.
        hint = (
            STATUSAR_HINT
            if key == "statusar"
            else f"'{key}' ska stå som en egen tabell {_header(key, top[key][1])}."
        )
        return (
            f"nyckeln '{key}' står {here}, där den inte gäller: i TOML hör en nyckel till den tabell som "
            f"står närmast ovanför den. {hint}"
        )
    allowed = list(where.model.model_fields)
    guess = closest(key, allowed)
    if guess is not None:
        return f"okänd nyckel '{key}' {here} – menade du '{guess}'?"
    elsewhere = [
        _header(n, many) for n, (m, many) in top.items() if key in m.model_fields and m is not where.model
    ]
    if elsewhere:
        return (
            f"okänd nyckel '{key}' {here}; '{key}' hör till {' och '.join(elsewhere)}. I TOML hör en "
            "nyckel till den tabell som står närmast ovanför den."
        )
    return f"okänd nyckel '{key}' {here}; där finns nycklarna {', '.join(allowed)}."
