"""Reading settings: the embedded default, a user's file, discovery of `vss-excel.toml`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .. import files
from ..model import Forvaltning
from . import cache
from .errors import SettingsError

DEFAULT_NAME = "vss.toml"  # the embedded default, vss_excel/data/vss.toml
FILE_NAME = "vss-excel.toml"  # the name `find` looks for, and `vss-excel init` writes by default
DEFAULT_SOURCE = "standardinställningarna"


def default_text() -> str:
    return resources.files("vss_excel").joinpath("data", DEFAULT_NAME).read_text(encoding="utf-8")


def load_default() -> Forvaltning:
    data = resources.files("vss_excel").joinpath("data", DEFAULT_NAME).read_bytes()
    return _checked(data, data.decode("utf-8"), DEFAULT_SOURCE)


def load(path: str | Path | None) -> Forvaltning:
    """The förvaltning a settings file describes; None: the embedded VSS default."""
    if path is None:
        return load_default()
    p = Path(path)
    try:
        data = p.read_bytes()
        text = data.decode("utf-8-sig")  # Notepad may begin the file with a BOM
    except FileNotFoundError:
        raise SettingsError(f"Inställningsfilen {p} finns inte.") from None
    except IsADirectoryError:
        raise SettingsError(f"Inställningsfilen {p} är en mapp, inte en fil.") from None
    except UnicodeDecodeError:
        raise SettingsError(f"Inställningsfilen {p} är inte sparad som UTF-8.") from None
    return _checked(data, text, p.name)


def _checked(data: bytes, text: str, source: str) -> Forvaltning:
    """The settings these bytes describe: as checked last time they were read, or checked now."""
    forv = cache.get(data)
    if forv is None:
        forv = parse(text, source)
        cache.put(data, forv)
    return forv


def parse(text: str, source: str) -> Forvaltning:
    """Check the text against the schema and the rules; every problem is named in the error."""
    import tomllib  # here, not above: a cached file needs neither TOML nor pydantic

    from pydantic import ValidationError

    from . import convert, messages, rules, toml_errors
    from .schema import SettingsFile

    text = text.removeprefix("\ufeff")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError.of(source, [toml_errors.sentence(e, text)]) from None
    try:
        checked = SettingsFile.model_validate(raw)
    except ValidationError as e:
        raise SettingsError.of(source, messages.problems(e)) from None
    problems = rules.check(checked)
    if problems:
        raise SettingsError.of(source, problems)
    return convert.forvaltning(checked)


def find(*folders: str | Path) -> Path | None:
    """The first `vss-excel.toml` in the folders, in the order given; None when there is none."""
    for folder in folders:
        candidate = Path(folder) / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def write_default(path: str | Path, overwrite: bool = False) -> Path:
    """`vss-excel init`: write the embedded default for editing, atomically."""
    p = Path(path)
    if p.exists() and not overwrite:
        raise SettingsError(f"{p} finns redan; välj ett annat namn eller ange --skriv-over.")
    p.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing(p, ".toml") as tmp:
        tmp.write_text(default_text(), encoding="utf-8")
    return p
