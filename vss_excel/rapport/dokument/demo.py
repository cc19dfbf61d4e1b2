"""The demo's förvaltning texts, from data/demo_texter.toml: the delårsrapport per 31 oktober 2020's
(its top level) and the verksamhetsplan follow-up per 31 december 2020's (its table [arsskifte])."""

from __future__ import annotations

import tomllib
from importlib import resources

YEAR_END = "arsskifte"


def demo_texts(year_end: bool = False) -> dict[str, str]:
    """Section id -> text, as the economist would have written them on the sheet Texter."""
    raw = resources.files("vss_excel").joinpath("data", "demo_texter.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    texts = data[YEAR_END] if year_end else data
    return {k: str(v).strip() for k, v in texts.items() if isinstance(v, str)}
