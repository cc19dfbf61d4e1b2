"""The report's sections from the settings ([rapport] and [[avsnitt]]): the published delårsrapport's
by default; every key takes effect, or is refused with a message that names it; the sheet Texter
and the report follow them."""

from __future__ import annotations

import dataclasses
import re
import tomllib

import pytest
import tomli_w

from vss_excel import settings
from vss_excel.konsolidera.tables import UnitAnswer
from vss_excel.model import DEFAULT_SECTIONS, REPORT_PARTS, Forvaltning, ReportSection, ReportSettings
from vss_excel.rapport import texter
from vss_excel.rapport.dokument.texts import build, paragraphs

ENGLISH = re.compile(r"Field required|Input should|Extra inputs|validation error|Value error|pydantic")


def _parse(change) -> Forvaltning:
    raw = tomllib.loads(settings.default_text())
    change(raw)
    return settings.parse(tomli_w.dumps(raw), "inst.toml")


def _refused(change) -> str:
    with pytest.raises(settings.SettingsError) as e:
        _parse(change)
    message = str(e.value)
    assert message.startswith("inst.toml: ") and not ENGLISH.search(message), message
    return message


def test_the_default_is_the_published_delarsrapport(forv: Forvaltning) -> None:
    """The VSS default lists the code's default sections (the internbudget text also gathers the
    answers to VSS's own question about it)."""
    assert forv.report.parts == REPORT_PARTS and forv.report.title == ""
    listed = [dataclasses.replace(s, drafts=()) for s in forv.report.sections]
    assert listed == [dataclasses.replace(s, drafts=()) for s in DEFAULT_SECTIONS]
    drafts = {s.id: s.drafts for s in forv.report.sections if s.drafts}
    assert drafts == {s.id: s.drafts for s in DEFAULT_SECTIONS if s.drafts} | {
        "internbudget": ("internbudget-nasta-ar",)
    }
    titles = [s.title for s in forv.report.sections if s.place == "inledning"]
    assert titles[2] == "Uppföljning av effekterna för nämndens verksamhet av coronapandemin"  # as published


def test_without_the_tables_the_code_default_applies() -> None:
    def without(raw: dict) -> None:
        del raw["avsnitt"], raw["rapport"]

    f = _parse(without)
    assert f.report == ReportSettings()
    only_plan = _parse(lambda raw: (raw.pop("avsnitt"), raw["rapport"].update(delar=["verksamhetsplan"])))
    assert [s.id for s in only_plan.report.sections] == [
        *(s.id for s in DEFAULT_SECTIONS if s.place == "inledning"),
        "verksamhetsplan",
    ]


def test_edited_sections_take_effect() -> None:
    def edit(raw: dict) -> None:
        raw["rapport"].update(delar=["ekonomi", "investeringar"], titel="Tertialrapport med framtid")
        raw["avsnitt"] = [
            {"id": "inledning", "rubrik": "Sammanfattning", "niva": 1, "underlag": ["analys", "drift"]},
            {"id": "framtid", "rubrik": "Framtid", "plats": "investeringar", "niva": 1},
            {"id": "risker", "rubrik": "Risker", "plats": "investeringar"},
            {"id": "ekonomi_not", "tabell": "ekonomi"},
            {"id": "kort", "plats": "ekonomi"},
        ]

    f = _parse(edit)
    assert f.report.parts == ("ekonomi", "investeringar") and f.report.title == "Tertialrapport med framtid"
    assert f.report.sections == (
        ReportSection("inledning", "Sammanfattning", "inledning", 1, ("analys", "drift")),
        ReportSection("framtid", "Framtid", "investeringar", 1),
        ReportSection("risker", "Risker", "investeringar", 2),
        ReportSection("ekonomi_not", "", "ekonomi", 2, (), "ekonomi"),
        ReportSection("kort", "", "ekonomi", 2),
    )


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            lambda r: r["avsnitt"][0].update(niva=2),
            "nyckeln 'avsnitt[1].niva' är 2, men inget avsnitt med niva = 1",
        ),
        (lambda r: r["avsnitt"][0].update(niva=3), "nyckeln 'avsnitt[1].niva' måste vara 1 eller 2"),
        (
            lambda r: r["rapport"].update(delar=["ekonomi"]),
            "nyckeln 'avsnitt[6].plats' är 'basuppdrag', som inte finns i rapport.delar",
        ),
        (
            lambda r: r["rapport"].update(delar=["ekonomi", "personal"]),
            "nyckeln 'avsnitt[8].tabell' är 'prognos', en tabell i delen 'driftsammandrag'",
        ),
        (
            lambda r: r["rapport"].update(delar=["personal", "ekonomi"]),
            "nyckeln 'rapport.delar' har delarna i en annan ordning än rapportens",
        ),
        (lambda r: r["rapport"].update(delar=["kassa"]), "nyckeln 'rapport.delar' måste vara en lista av"),
        (lambda r: r["rapport"].update(delar=[]), "nyckeln 'rapport.delar' måste vara en lista av"),
        (lambda r: r["avsnitt"][2].update(underlag=["analyss"]), "'avsnitt[3].underlag' har 'analyss'"),
        (lambda r: r["avsnitt"][7].update(rubrik="Not"), "nyckeln 'avsnitt[8].rubrik' gäller inte en not"),
        (lambda r: r["avsnitt"][7].update(plats="ekonomi"), "nyckeln 'avsnitt[8].plats' gäller inte en not"),
        (
            lambda r: r["avsnitt"][11].update(niva=1),
            "nyckeln 'avsnitt[12].niva' gäller bara ett avsnitt med rubrik",
        ),
        (lambda r: r["avsnitt"][1].update(id="uppdrag"), "nyckeln 'avsnitt' har id 'uppdrag' mer än en gång"),
        (
            lambda r: r["avsnitt"][1].update(plats="kapitel"),
            "nyckeln 'avsnitt[2].plats' måste vara en av inledning",
        ),
        (
            lambda r: r["avsnitt"][1].update(tabell="drift"),
            "nyckeln 'avsnitt[2].tabell' måste vara en av ekonomi",
        ),
        (lambda r: r["avsnitt"][1].update(rubrik=3), "nyckeln 'avsnitt[2].rubrik' måste vara en text"),
        (lambda r: r["avsnitt"][1].update(sida=3), "sida"),
    ],
)
def test_a_wrong_section_is_refused_by_name(change, named: str) -> None:
    assert named in _refused(change)


def _sections(
    forv: Forvaltning, *sections: ReportSection, parts: tuple[str, ...] = REPORT_PARTS
) -> Forvaltning:
    return dataclasses.replace(forv, report=ReportSettings(parts, "", sections))


def test_texter_follows_the_sections(forv: Forvaltning) -> None:
    """One row per section in the report's order (whatever order the file lists them in), named by
    its place; the units' answers to its questions, and their drift comments, as its draft."""
    f = _sections(
        forv,
        ReportSection("framtid", "Framtid", "investeringar", 1, ("internbudget-nasta-ar",)),
        ReportSection("uppdrag", "Uppdraget", level=1),
        ReportSection("drift", "Analys", "driftsammandrag", drafts=("drift",)),
        ReportSection("not", "", table="prognos", place="driftsammandrag"),
    )
    answers = [
        UnitAnswer("LKDATA", "internbudget-nasta-ar", "Fråga", "Svar om nästa år."),
        UnitAnswer("LKDATA", "drift:resultat", "Kommentar drift: resultat", "Överskott."),
        UnitAnswer("HR service", "analys", "Analys", "Inte med."),
    ]
    sheet = texter.describe(f, answers, {"framtid": "Vår text."})
    grid = sheet.grid()
    rows = grid[texter.HEAD_ROW + 1 :]
    assert [r[texter.KEY_COL] for r in rows] == ["uppdrag", "drift", "not", "framtid"]
    assert [r[texter.TITLE_COL] for r in rows] == [
        "Uppdraget",
        "Driftsammandrag: Analys",
        "Not under tabellen Prognos resultat (visas bara om den är ifylld)",
        "Investeringar: Framtid",
    ]
    assert (
        rows[3][texter.TEXT_COL] == "Vår text." and rows[3][texter.DRAFT_COL] == "LKDATA: Svar om nästa år."
    )
    assert rows[1][texter.DRAFT_COL] == "LKDATA: Överskott."
    assert texter.from_rows(grid) == {"framtid": "Vår text."}


def test_texter_rows_are_as_tall_as_their_text() -> None:
    """A row holds its longest text whole (a character a unit of width; Calibri's line is 15 points),
    up to the 409 points a row can have."""
    text = "\n".join(["x" * 220] * 5)  # 5 lines of two rows each in the 110 wide text column
    assert texter.row_height(text, "", "Avsnitt") == 15.0 * 10 + 4
    assert texter.row_height("kort", "", "") == 15.0 * 4 + 4  # never lower than four lines
    assert texter.row_height("x" * 110 * 40, "", "") == 409.0


def test_the_report_renders_the_sections_in_place(forv: Forvaltning) -> None:
    """Headings and levels as the settings say; a note under a table has no placeholder when empty;
    a heading's 'nästa år' is the year after the period's."""
    f = _sections(
        forv,
        ReportSection("a", "Först", level=1),
        ReportSection("b", "Plan för nästa år", "investeringar", 1),
        ReportSection("c", "", "investeringar"),
        ReportSection("n", "", "driftsammandrag", table="prognos"),
    )
    got = build(f, f.period, {"c": "Rad ett\n- en punkt"})
    assert [(s.id, s.heading, s.level, s.place) for s in got] == [
        ("a", "Först", 1, "inledning"),
        ("n", "", 0, "driftsammandrag"),
        ("b", "Plan för 2021", 1, "investeringar"),
        ("c", "", 0, "investeringar"),
    ]
    assert got[0].paragraphs[0].placeholder and got[1].paragraphs == ()
    assert got[3].paragraphs == tuple(paragraphs("Rad ett\n- en punkt"))
