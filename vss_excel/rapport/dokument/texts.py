"""The förvaltning's own texts as paragraphs, and what to write where a text is still empty.

Which texts the report has, their headings and places come from the settings ([[avsnitt]]); a
section that is a note under a table (`table`) shows nothing while it is empty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ...model import Forvaltning, Period, ReportSection
from ..texter import label, sections
from .content import Paragraph

# Shown, visibly marked, where the förvaltning has not written its text yet (the default sections).
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
    "verksamhetsplan": "en sammanfattning av uppföljningen, t.ex. vad som har påverkat aktiviteterna.",
}
DRAFTS = " Verksamheternas svar finns som utkast på bladet Texter i Konsolideringen."
BULLET = re.compile(r"^\s*(?:[-–•*]|\u2022)\s+")
NEXT_YEAR = "nästa år"
SHORT_LIST = 6  # items: a list this short stays on one page with its lead
# A space that must not break a line: inside a figure ('10 000') and before its unit ('81 %').
KEEP_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))|(?<=\d) (?=%|(?:tkr|mkr|kr|st)\b)")
NBSP = "\u00a0"


@dataclass(frozen=True)
class Section:
    id: str
    heading: str  # '' where the text follows the heading before it
    level: int  # 1 or 2; 0 without a heading
    place: str
    paragraphs: tuple[Paragraph, ...]
    note_under: str = ""  # a note under this table (its paragraphs are the table's last notes)


def placeholder(s: ReportSection) -> str:
    what = TO_WRITE.get(s.id) or f"texten till avsnittet {label(s)}."
    drafts = DRAFTS if s.drafts else ""
    return f"[Skriv här: {what}{drafts}]"


def paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per line; a line that starts with '-', '–', '•' or '*' and a space is a list
    item. A list of at most SHORT_LIST items stays on one page with the paragraph that leads into
    it; a longer one keeps its lead with its first item. A figure never breaks over two lines."""
    lines = [x.strip() for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if x.strip()]
    items = [bool(BULLET.match(x)) for x in lines]
    keep = [False] * len(lines)
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and items[end]:
            end += 1
        if end > start:  # a list: lines start..end-1
            lead = start - 1 if start > 0 and not items[start - 1] else start
            last = end - 1 if end - start <= SHORT_LIST else start
            for i in range(lead, last):
                keep[i] = True
        start = end + 1 if end > start else start + 1
    return [
        Paragraph(
            KEEP_SPACE.sub(NBSP, BULLET.sub("", line, count=1).strip() if bullet else line),
            bullet=bullet,
            keep_with_next=kept,
        )
        for line, bullet, kept in zip(lines, items, keep, strict=True)
    ]


def heading(s: ReportSection, period: Period) -> str:
    """The section's heading; 'nästa år' in it is the year after the period's."""
    return s.title.replace(NEXT_YEAR, str(period.year + 1))


def build(forv: Forvaltning, period: Period, texts: Mapping[str, str]) -> list[Section]:
    """Every section in the report's order, a placeholder where a text is empty (nothing for a
    note under a table)."""
    out = []
    for s in sections(forv):
        written = tuple(paragraphs(texts.get(s.id, "") or ""))
        if not written and not s.table:
            written = (Paragraph(placeholder(s), placeholder=True),)
        title = "" if s.table else heading(s, period)
        out.append(Section(s.id, title, s.level if title else 0, s.place, written, s.table))
    return out


def unknown_keys(forv: Forvaltning, texts: Mapping[str, str]) -> list[str]:
    ids = {s.id for s in forv.report.sections}
    return [k for k in texts if k not in ids]
