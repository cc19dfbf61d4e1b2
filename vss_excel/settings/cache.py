"""Validated settings kept between runs, so that a click does not parse and check the same file
again (TOML and the schema took a quarter of a second of Konsolidera on the demo).

An entry is keyed by the settings file's bytes and by the code that reads them (the settings
package and the model), so an edited file or a new version of vss-excel is read anew, and only
settings that passed every check are kept. The folder is the user's cache folder (or
VSS_EXCEL_CACHE, or none when that is empty); anything wrong with an entry, or with the folder,
makes it a miss: the file is then read as without a cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import cache
from pathlib import Path

from .. import files
from ..model import Forvaltning

ENV = "VSS_EXCEL_CACHE"  # a folder for the cache; empty: no cache
_CODE = ("settings", "model.py", "keys.py", "calc.py")  # what the cached record depends on


def folder() -> Path | None:
    given = os.environ.get(ENV)
    if given is not None:
        return Path(given) if given.strip() else None
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "vss-excel" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "vss-excel"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vss-excel"


@cache
def _code_digest() -> bytes:
    """The source of what reads settings into a Forvaltning: another version is another key."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(sys.version.encode())
    for name in _CODE:
        path = package / name
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.digest()


def _entry(text: bytes) -> Path | None:
    where = folder()
    if where is None:
        return None
    return where / (hashlib.sha256(_code_digest() + text).hexdigest() + ".pickle")


def get(text: bytes) -> Forvaltning | None:
    """The settings these bytes gave last time, or None."""
    path = _entry(text)
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            forv = pickle.load(f)
    except Exception:  # missing, unreadable, or written by something else: read the file instead
        return None
    return forv if isinstance(forv, Forvaltning) else None


def put(text: bytes, forv: Forvaltning) -> None:
    """Keep settings that passed every check; a cache that cannot be written is no error."""
    path = _entry(text)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with files.replacing(path, ".pickle") as tmp:
            tmp.write_bytes(pickle.dumps(forv, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, files.OutputError):
        pass
