"""Settings: a förvaltning described in TOML; the VSS default is embedded in the package.

A setting the user edits takes effect, or is refused with a Swedish message naming the key and
its table: unknown keys, keys TOML puts in another table than the user meant, duplicate ids and
names, references to units or perspektiv that do not exist and impossible slutdatum are refused.

Where the settings come from: `--installningar FIL`, else `find(...)`, which looks for a file
named `vss-excel.toml` (FILE_NAME) in the folders it is given, in order; the commands pass the
working folder, the inbox and the inbox's parent. Without one, the embedded VSS default
(`vss_excel/data/vss.toml`, DEFAULT_NAME) applies; `vss-excel init` writes it for editing.

Modules: `schema` (the tables and keys, pydantic, unknown keys refused), `values` (what each
kind of value may be), `messages` (pydantic's errors in Swedish), `toml_errors` (TOML syntax errors
in Swedish), `rules` (checks across keys), `convert` (to the domain model), `loading` (files,
discovery, the default).
"""

from __future__ import annotations

from .errors import SettingsError
from .loading import DEFAULT_NAME, FILE_NAME, default_text, find, load, load_default, parse, write_default

__all__ = [
    "DEFAULT_NAME",
    "FILE_NAME",
    "SettingsError",
    "default_text",
    "find",
    "load",
    "load_default",
    "parse",
    "write_default",
]
