"""The förvaltning's own texts: the report's sections no unit writes, in the report's order.

The economist writes them on the sheet Texter of the Konsolidering workbook (a run of Konsolidera
never overwrites them); the units' answers are gathered beside each one as a draft.
"""

from __future__ import annotations

from typing import NamedTuple


class Section(NamedTuple):
    key: str
    title: str  # as the report heads it
    drafts: tuple[str, ...] = ()  # the units' analysis questions whose answers are its draft


SECTIONS = (
    Section("uppdrag", "Förvaltningens uppdrag"),
    Section("bedomning", "Förvaltningschefens bedömning och analys", ("analys",)),
    Section("sarskilda_handelser", "Uppföljning av coronapandemin", ("sarskilda_handelser",)),
    Section(
        "samlad_bedomning",
        "Samlad bedömning och analys av ekonomi, verksamhet och personal",
        ("samlad_bedomning",),
    ),
    Section("ekonomi_avvikelser", "Ekonomi: väsentliga avvikelser", ("vasentliga_avvikelser",)),
    Section("basuppdrag", "Basuppdrag: väsentliga avvikelser"),
    Section("personal", "Personal: väsentliga avvikelser"),
    Section("driftsammandrag", "Driftsammandrag: analys och kommentar"),
    Section(
        "internbudget", "Hur påverkas internbudget och verksamhet nästa år av prognostiserade avvikelser?"
    ),
    Section("investeringar", "Investeringar: analys och kommentar"),
)
BY_KEY = {s.key: s for s in SECTIONS}
