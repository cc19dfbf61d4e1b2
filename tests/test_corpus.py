"""The bad-input corpus: one returned workbook per kind of problem, each with the finding it must give.

Made by code: templates are filled as units would fill them, broken in one way each, and saved by
LibreOffice; a folder with all of them consolidates without a crash and uses the good ones.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
from decimal import Decimal
from urllib.parse import unquote

import msoffcrypto
import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from vss_excel import calc, demo, libreoffice
from vss_excel import keys as K
from vss_excel.enhetsmall import layout as L
from vss_excel.enhetsmall import writer as template
from vss_excel.konsolidera.tables import KOSTNADER, NETTO, TOTAL, UNIT
from vss_excel.model import Period, Severity, Unit
from vss_excel.rapport import run

pytestmark = pytest.mark.libreoffice
MARKUP = "<r>x</si><si>y</r>"
FEL, VARNING, INFO = Severity.FEL, Severity.VARNING, Severity.INFO


def _cell(forv, unit_id: str, sheet: str, key) -> str:
    return L.build(forv, forv.unit(unit_id), forv.period).sheet(sheet).by_key[key].ref


@pytest.fixture(scope="module")
def corpus(soffice, forv, prefill, tmp_path_factory):
    root = tmp_path_factory.mktemp("korpus")
    made, staged, inbox = root / "mallar", root / "ifyllda", root / "inkorg"
    for d in (made, staged, inbox):
        d.mkdir()
    data = demo.load_demo()

    def filled(unit_id: str, name: str, change=None, period: Period | None = None, settings=None) -> None:
        s = settings or forv
        unit = s.unit(unit_id)
        p = period or s.period
        src = template.write_workbook(made / name, s, unit, p, prefill)
        inputs = demo.unit_inputs(s, unit, data) if unit_id in data["prognos"] else {}
        wl = L.build(s, unit, p)
        demo.fill_workbook(src, staged / name, wl, inputs)
        if change:
            wb = openpyxl.load_workbook(staged / name)
            change(wb, wl)
            wb.save(staged / name)

    def at(wl, sheet, key):
        spec = wl.sheet(sheet).by_key[key]
        return spec.row + 1, spec.col + 1

    def put(sheet, key, value):
        def change(wb, wl):
            r, c = at(wl, sheet, key)
            cell = wb[sheet].cell(r, c)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text (Excel: a leading apostrophe)

        return change

    def formula(sheet, key, text):
        def change(wb, wl):
            r, c = at(wl, sheet, key)
            wb[sheet].cell(r, c).value = text  # a formula: LibreOffice computes and saves its result

        return change

    def chain(*changes):
        def change(wb, wl):
            for ch in changes:
                ch(wb, wl)

        return change

    # a comment that looks like a formula; an error value and a volatile function in prognos cells
    filled(
        "ledning",
        "VSS 2020-10 VSS ledning.xlsx",
        chain(
            put("Analys", ("analys", "analys", "svar"), "=SUMMA(1;2) är ingen formel, bara text"),
            put("Analys", ("analys", "samlad_bedomning", "svar"), MARKUP),  # XlsxWriter's rich-text form
            formula("Drift", ("drift", "personal", "prognos"), "=1/0"),
            formula("Drift", ("drift", "lokal", "prognos"), "=-TODAY()"),
        ),
    )
    # rows inserted above Lokalkostnader; a cost typed with a plus sign
    filled(
        "upphandling",
        "VSS 2020-10 Upphandling & inköp.xlsx",
        chain(
            put("Drift", ("drift", "ovrigt", "prognos"), 500_000),
            lambda wb, wl: wb["Drift"].insert_rows(at(wl, "Drift", ("drift", "lokal", "rad"))[0]),
        ),
    )
    # a formula typed over, and the result comment removed (väsentlig avvikelse without comment)
    filled(
        "ekonomiservice",
        "VSS 2020-10 Ekonomiservice.xlsx",
        chain(
            put("Drift", ("drift", "intakter", "avvikelse"), 12345),
            put("Drift", ("drift", "resultat", "kommentar"), None),
            put("Drift", ("drift", "intakter", "prognos"), 25_000_000),
        ),
    )
    # another period
    filled("hrservice", "VSS 2020-08 HR service.xlsx", period=Period(2020, 8))
    # text in a number cell, status missing and unknown, Anpassats without comment, % out of range
    acts = forv.activities_of("kontakt")
    filled(
        "kontakt",
        "VSS 2020-10 Kontakt Linköping.xlsx",
        chain(
            put("Drift", ("drift", "intakter", "prognos"), "ca 31 mkr"),
            put("Aktiviteter", ("aktivitet", acts[0].id, "status"), None),
            put("Aktiviteter", ("aktivitet", acts[1].id, "status"), "Klart"),
            put("Aktiviteter", ("aktivitet", acts[2].id, "status"), "Anpassats"),
            put("Aktiviteter", ("aktivitet", acts[2].id, "kommentar"), None),
            put("Personal", ("personal", "sjukfranvaro", "utfall"), 150),
        ),
    )
    # an old template version
    filled(
        "stadsarkivet",
        "VSS 2020-10 Stadsarkivet.xlsx",
        put("Metadata", ("meta", "mallversion", "varde"), "0"),
    )
    # a prefilled (locked) amount changed
    filled("elarande", "VSS 2020-10 eLärandeCenter.xlsx", put("Drift", ("drift", "intakter", "redovisat"), 1))
    # two files for LKDATA: the used one has its prognos typed in tkr; the other is not ready and lost a row
    filled("lkdata", "VSS 2020-10 LKDATA.xlsx", put("Drift", ("drift", "intakter", "prognos"), 189_000))
    filled(
        "lkdata",
        "VSS 2020-10 LKDATA (kopia).xlsx",
        chain(
            put("Analys", ("analys", "klar", "svar"), "Nej"),
            lambda wb, wl: wb["Drift"].delete_rows(at(wl, "Drift", ("drift", "lokal", "rad"))[0]),
        ),
    )
    # a unit the settings do not know
    odd = dataclasses.replace(forv, units=(*forv.units, Unit("okand", "Okänd enhet")))
    filled("okand", "VSS 2020-10 Okänd enhet.xlsx", settings=odd)
    # a workbook that is not our template
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Min egen uppföljning"
    wb.save(staged / "Egen arbetsbok.xlsx")

    libreoffice.convert(sorted(staged.iterdir()), inbox)
    # Löneservice was sent its template and never returned it.
    template.write_workbook(
        made / "VSS 2020-10 Löneservice.xlsx", forv, forv.unit("loneservice"), forv.period, prefill
    )
    # The rest are not workbooks LibreOffice could write:
    libreoffice.convert([inbox / "VSS 2020-10 VSS ledning.xlsx"], root / "xls", "xls:MS Excel 97")
    shutil.copy(root / "xls" / "VSS 2020-10 VSS ledning.xls", inbox / "Gammalt format.xls")
    good = (inbox / "VSS 2020-10 VSS ledning.xlsx").read_bytes()
    (inbox / "Trasig.xlsx").write_bytes(good[: len(good) // 2])
    (inbox / "Anteckningar.xlsx").write_bytes("Det här är ingen arbetsbok".encode())
    (inbox / "~$VSS 2020-10 LKDATA.xlsx").write_bytes(b"\x0bEkonom LKDATA" + b"\x00" * 150)
    (inbox / "Läs mig.txt").write_text("Filerna från enheterna", encoding="utf-8")
    locked = io.BytesIO()
    f = OOXMLFile(io.BytesIO(good))
    f.encrypt("hemligt", locked)
    (inbox / "Lösenord.xlsx").write_bytes(locked.getvalue())
    assert msoffcrypto.OfficeFile(io.BytesIO(locked.getvalue())).is_encrypted()

    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    result = run.konsolidera(
        inbox, forv, forv.period, root / "Konsolidering.xlsx", templates=made, n_workers=2
    )
    return inbox, result, before


def _find(
    result, file: str, severity: Severity, text: str, sheet: str | None = None, cell: str | None = None
):
    hits = [
        f
        for f in result.findings
        if f.file == file
        and f.severity is severity
        and text in f.message
        and (sheet is None or f.sheet == sheet)
        and (cell is None or f.cell == cell)
    ]
    assert hits, f"inget fynd '{text}' för {file}; fick: " + "; ".join(
        f.line() for f in result.findings if f.file == file
    )
    return hits[0]


EXPECTED = [
    ("Anteckningar.xlsx", FEL, "ingen arbetsbok"),
    ("Trasig.xlsx", FEL, "skadad"),
    ("Lösenord.xlsx", FEL, "lösenordsskyddad"),
    ("Gammalt format.xls", FEL, "gamla Excelformatet (.xls)"),
    ("~$VSS 2020-10 LKDATA.xlsx", INFO, "låsfil"),
    ("Läs mig.txt", INFO, "ignoreras"),
    ("Egen arbetsbok.xlsx", FEL, "ingen enhetsmall"),
    ("VSS 2020-10 Stadsarkivet.xlsx", FEL, "Mallversion 0"),
    ("VSS 2020-08 HR service.xlsx", FEL, "gäller period 2020-08"),
    ("VSS 2020-10 Okänd enhet.xlsx", FEL, "Enheten 'okand'"),
    ("VSS 2020-10 LKDATA.xlsx", VARNING, "2 filer för LKDATA: den här används"),
    ("", FEL, "Löneservice har inte lämnat in"),
    ("", FEL, "HR service har inte lämnat in"),
    ("", FEL, "Stadsarkivet har inte lämnat in"),
    ("VSS 2020-10 eLärandeCenter.xlsx", FEL, "Låsta celler"),
    ("VSS 2020-10 Upphandling & inköp.xlsx", VARNING, "Rader har infogats eller tagits bort"),
    ("VSS 2020-10 LKDATA.xlsx", FEL, "angiven i tkr, inte i kronor"),
    ("VSS 2020-10 Kontakt Linköping.xlsx", FEL, "'ca 31 mkr' är inget tal"),
    ("VSS 2020-10 Kontakt Linköping.xlsx", FEL, "Status saknas"),
    ("VSS 2020-10 Kontakt Linköping.xlsx", FEL, "Statusen 'Klart' finns inte"),
    ("VSS 2020-10 Kontakt Linköping.xlsx", FEL, "Status Anpassats kräver en kommentar"),
    ("VSS 2020-10 Kontakt Linköping.xlsx", FEL, "utanför 0–100"),
    ("VSS 2020-10 Ekonomiservice.xlsx", FEL, "formeln har skrivits över"),
    ("VSS 2020-10 VSS ledning.xlsx", FEL, "felvärdet #DIV/0!"),
    ("VSS 2020-10 VSS ledning.xlsx", FEL, "TODAY"),
    (
        "VSS 2020-10 Upphandling & inköp.xlsx",
        FEL,
        "Kostnaden 500 000 kr på raden 'Övriga kostnader' har fel tecken",
    ),
    ("VSS 2020-10 Ekonomiservice.xlsx", VARNING, "Väsentliga avvikelser saknar kommentar: Intäkter"),
]


@pytest.mark.parametrize(("file", "severity", "text"), EXPECTED, ids=[f"{e[0]}:{e[2]}" for e in EXPECTED])
def test_each_bad_input_gives_its_finding(corpus, file, severity, text):
    _, result, _ = corpus
    _find(result, file, severity, text)


def test_findings_name_sheet_and_cell(corpus, forv):
    _, result, _ = corpus
    f = _find(result, "VSS 2020-10 Kontakt Linköping.xlsx", FEL, "inget tal")
    assert (f.sheet, f.cell) == ("Drift", _cell(forv, "kontakt", "Drift", ("drift", "intakter", "prognos")))
    f = _find(result, "VSS 2020-10 Ekonomiservice.xlsx", FEL, "formeln har skrivits över")
    assert (f.sheet, f.cell) == (
        "Drift",
        _cell(forv, "ekonomiservice", "Drift", ("drift", "intakter", "avvikelse")),
    )
    f = _find(result, "VSS 2020-10 eLärandeCenter.xlsx", FEL, "Låsta celler")
    assert f.sheet == "Drift"
    f = _find(result, "VSS 2020-10 Kontakt Linköping.xlsx", FEL, "utanför 0–100")
    assert (f.sheet, f.cell) == (
        "Personal",
        _cell(forv, "kontakt", "Personal", ("personal", "sjukfranvaro", "utfall")),
    )


def test_good_ones_are_consolidated_and_bad_ones_are_not(corpus):
    _, result, _ = corpus
    chosen = result.selection.chosen
    assert set(chosen) == {"ledning", "upphandling", "ekonomiservice", "kontakt", "elarande", "lkdata"}
    assert chosen["lkdata"].source.name == "VSS 2020-10 LKDATA.xlsx"
    # moved rows are read from where they really are
    upph = result.reports["upphandling"]
    assert upph.amount(K.drift("lokal", K.Drift.PROGNOS)) == -1_325_000
    # a non-number is not used, and is a gap; the rest of Kontakt's figures are used
    kontakt = result.reports["kontakt"]
    assert kontakt.amount(K.drift("intakter", K.Drift.PROGNOS)) is None
    assert "'ca 31 mkr' är inget tal" in kontakt.gap(K.drift(K.RESULTAT, K.Drift.PROGNOS))
    assert kontakt.amount(K.drift("personal", K.Drift.PROGNOS)) == -18_000_000
    # a unit that never returned its file: the amounts it was sent, its prognos a gap
    lone = result.reports["loneservice"]
    assert not lone.returned and lone.amount(K.drift(K.RESULTAT, K.Drift.REDOVISAT)) is not None
    assert lone.gap(K.drift(K.RESULTAT, K.Drift.PROGNOS)) == "ingen användbar fil inlämnad"


def test_totals_that_lack_units_say_so_where_they_stand(corpus):
    _, result, _ = corpus
    d = result.tables.drift
    lacking = dict(d.lacks((TOTAL, NETTO), K.Drift.PROGNOS))
    # Kontakt (text), LKDATA (tkr), VSS ledning (an error value), Upphandling (a cost with a plus
    # sign), and three units without a usable file
    assert set(lacking) == {
        "kontakt",
        "lkdata",
        "ledning",
        "upphandling",
        "loneservice",
        "hrservice",
        "stadsarkivet",
    }
    assert "inget tal" in lacking["kontakt"] and "tkr" in lacking["lkdata"]
    assert "#DIV/0!" in lacking["ledning"] and "fel tecken" in lacking["upphandling"]
    assert d.gap((UNIT, "kontakt"), K.Drift.PROGNOS) and d.value((UNIT, "kontakt"), K.Drift.PROGNOS) is None
    # the sum is of the units that are complete, never with a missing one as 0
    ws = openpyxl.load_workbook(result.output)["Driftsammandrag"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Summa nettokostnader, tkr (2 av 9 enheter)" in labels
    # the period table lacks eLärandeCenter (a locked amount changed) and the units with no template
    assert "Summa (7 av 9 enheter)" in labels
    assert any(
        isinstance(x, str)
        and x.startswith("*Summorna saknar")
        and "Löneservice (ingen användbar fil inlämnad" in x
        for x in labels
    )
    row = labels.index("Kontakt Linköping", labels.index("Kontakt Linköping") + 1) + 1
    assert ws.cell(row, 2).value == "saknas"
    assert "inget tal" in ws.cell(row, 6).value
    summa = labels.index("Summa nettokostnader, tkr (2 av 9 enheter)") + 1
    assert ws.cell(summa, 2).number_format.endswith('" *"') and isinstance(ws.cell(summa, 2).value, int)
    # varav kostnader's avvikelse is over the units that have both prognos and budget, added up
    # here from the files' own figures: not their prognos against every unit's budget
    costs = (TOTAL, KOSTNADER)
    missing = dict(d.lacks(costs, K.Drift.AVVIKELSE_HELAR))
    complete = [u for u in result.reports if u not in missing]
    assert len(complete) == 4, missing

    def of(u: str, field: K.Drift) -> Decimal:
        amount = result.reports[u].amount(K.drift(K.SUMMA_KOSTNADER, field))
        assert amount is not None
        return amount

    by_hand = sum((of(u, K.Drift.PROGNOS) - of(u, K.Drift.BUDGET_HELAR) for u in complete), Decimal(0))
    row = next(r for r, x in enumerate(labels, 1) if isinstance(x, str) and x.startswith("varav kostnader"))
    assert ws.cell(row, 4).value == calc.round_tkr(by_hand)
    budgets = d.value(costs, K.Drift.BUDGET_HELAR)  # every unit that has one: not like for like
    assert budgets is not None and budgets < -100_000_000
    old_way = sum((of(u, K.Drift.PROGNOS) for u in complete), Decimal(0)) - budgets
    assert calc.round_tkr(old_way) - ws.cell(row, 4).value > 30_000  # tkr: +29 517 against −3 511
    assert any(isinstance(x, str) and "räknas bara för de enheter som har båda beloppen" in x for x in labels)


def test_every_file_is_listed_in_kallor_and_nothing_was_changed(corpus):
    inbox, result, before = corpus
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before
    wb = openpyxl.load_workbook(result.output)
    ws = wb["Källor"]
    listed = {
        ws.cell(r, 1).value: (ws.cell(r, 7).value, ws.cell(r, 8).value) for r in range(4, ws.max_row + 1)
    }
    assert set(listed) == set(before)
    assert listed["VSS 2020-10 LKDATA.xlsx"][0] == "Ja"
    assert listed["VSS 2020-10 LKDATA (kopia).xlsx"] == (
        "Nej",
        "VSS 2020-10 LKDATA.xlsx används i stället (markerad klar för konsolidering och senast ändrad)",
    )
    kontroll = wb["Kontroll"]
    head = next(r for r in range(1, kontroll.max_row + 1) if kontroll.cell(r, 5).value == "Allvar")
    severities = [kontroll.cell(r, 5).value for r in range(head + 1, kontroll.max_row + 1)]
    order = {"fel": 0, "varning": 1, "info": 2}
    assert severities and severities == sorted(severities, key=order.__getitem__)
    linked = [
        kontroll.cell(r, 2) for r in range(head + 1, kontroll.max_row + 1) if kontroll.cell(r, 2).hyperlink
    ]
    assert linked
    for c in linked:  # a relative link next to the Konsolidering file, as Excel stores it
        assert unquote(c.hyperlink.target).replace("\\", "/") == f"inkorg/{c.value}"
    per_unit = {kontroll.cell(r, 1).value: kontroll.cell(r, 2).value for r in range(5, 14)}
    assert per_unit["Löneservice"] == "ingen användbar fil"
    assert per_unit["LKDATA"] == "VSS 2020-10 LKDATA.xlsx"
    lkdata = next(kontroll.cell(r, 2) for r in range(5, 14) if kontroll.cell(r, 1).value == "LKDATA")
    assert unquote(lkdata.hyperlink.target).replace("\\", "/") == "inkorg/VSS 2020-10 LKDATA.xlsx"


def test_unit_text_that_looks_like_a_formula_or_markup_stays_text(corpus):
    _, result, _ = corpus
    ws = openpyxl.load_workbook(result.output)["Analys"]
    cells = [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=SUMMA")
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    # a text XlsxWriter would have stored as markup: the workbook still opens, the text as typed
    assert MARKUP in [c.value for row in ws.iter_rows() for c in row]


def test_exit_code_and_json(corpus, tmp_path, capsys):
    import json

    from vss_excel.cli import main

    inbox, _, _ = corpus
    assert main(["konsolidera", "--in", str(inbox), "--ut", str(tmp_path / "k.xlsx"), "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert {"allvar", "enhet", "fil", "blad", "cell", "meddelande"} == set(found[0])
    assert any(x["fil"] == "Trasig.xlsx" and x["allvar"] == "fel" for x in found)
    assert main(["konsolidera", "--in", str(tmp_path / "finns-inte")]) == 2
