"""The demo's förvaltning texts (VSS delår oktober 2020), from data/demo_texter.toml."""

from __future__ import annotations

import tomllib
from importlib import resources


def demo_texts() -> dict[str, str]:
    """Section key -> text, as the economist would have written them on the sheet Texter."""
    raw = resources.files("vss_excel").joinpath("data", "demo_texter.toml").read_text(encoding="utf-8")
    return {k: str(v).strip() for k, v in tomllib.loads(raw).items()}
