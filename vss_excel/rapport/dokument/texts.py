"""The förvaltning's own texts as paragraphs, and what to write where a text is still empty."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ...model import Period
from ..texter import BY_KEY, SECTIONS
from .content import Paragraph

# Shown, visibly marked, where the förvaltning has not written its text yet.
TO_WRITE = {
    "uppdrag": "förvaltningens uppdrag och vilka verksamheter som ingår.",
    "bedomning": "förvaltningschefens bedömning och analys av perioden.",
    "sarskilda_handelser": "hur coronapandemin har påverkat verksamheten, och vad förvaltningen har gjort.",
    "samlad_bedomning": "en samlad bedömning och analys av ekonomi, verksamhet och personal.",
    "ekonomi_avvikelser": "de väsentliga avvikelserna mot budget och vad de beror på.",
    "basuppdrag": "hur volymerna har utvecklats och de väsentliga avvikelserna.",
    "personal": "personalmåtten och de väsentliga avvikelserna mot målvärdena.",
    "driftsammandrag": "en analys av driftsammandraget: resultat och prognos per verksamhet.",
    "internbudget": "hur prognostiserade avvikelser påverkar internbudget och verksamhet nästa år.",
    "investeringar": "en analys av investeringarna: utfall, prognos och ramen.",
}
DRAFTS = " Verksamheternas svar finns som utkast på bladet Texter i Konsolideringen."
BULLET = re.compile(r"^\s*(?:[-–•*]|\u2022)\s+")


def placeholder(key: str) -> str:
    what = TO_WRITE.get(key) or BY_KEY[key].title.lower() + "."
    drafts = DRAFTS if BY_KEY[key].drafts else ""
    return f"[Skriv här: {what}{drafts}]"


def paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per line; a line that starts with '-', '–', '•' or '*' and a space is a list item."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        bullet = BULLET.match(line)
        out.append(Paragraph(line[bullet.end() :].strip() if bullet else line.strip(), bullet=bool(bullet)))
    return out


def sections(texts: Mapping[str, str]) -> dict[str, list[Paragraph]]:
    """Every section's paragraphs, in the report's order; a placeholder where there is no text."""
    out = {}
    for s in SECTIONS:
        written = paragraphs(texts.get(s.key, "") or "")
        out[s.key] = written or [Paragraph(placeholder(s.key), placeholder=True)]
    return out


def unknown_keys(texts: Mapping[str, str]) -> list[str]:
    return [k for k in texts if k not in BY_KEY]


def headings(period: Period) -> dict[str, str]:
    """Headings the report takes from the sections' titles."""
    question = BY_KEY["internbudget"].title.replace("nästa år", str(period.year + 1))
    return {
        "coronapandemin": BY_KEY["sarskilda_handelser"].title,
        "samlad_bedomning": BY_KEY["samlad_bedomning"].title,
        "internbudget": question,
    }
