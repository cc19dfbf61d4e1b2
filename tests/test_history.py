"""History kept: the archive's snapshots, föregående prognos in the next period's templates, the
change since the last prognos, and prognossäkerhet for a finished year."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal as D

import openpyxl
import pytest

from vss_excel import archive, demo, settings
from vss_excel import keys as K
from vss_excel.cli import main
from vss_excel.konsolidera.accuracy import accuracy, best_method
from vss_excel.konsolidera.tables import NETTO, TOTAL, UNIT
from vss_excel.model import Period
from vss_excel.rapport import prognossakerhet

PROGNOS = K.drift(K.RESULTAT, K.Drift.PROGNOS)


def _snap(forv, period: Period, figures: dict[str, dict[K.Drift, int]]) -> archive.Snapshot:
    units = {
        u.id: archive.UnitSnapshot(
            u.name, "", "", True, {K.drift(K.RESULTAT, f): D(v) for f, v in figures.get(u.id, {}).items()}, {}
        )
        for u in forv.units
    }
    return archive.Snapshot(forv.name, forv.short_name, period, "2020-01-01T00:00:00", units)


def test_a_snapshot_is_written_read_back_and_replaced_only_for_its_period(forv, tmp_path):
    a = _snap(forv, Period(2020, 8), {"lkdata": {K.Drift.PROGNOS: 4_000_000}})
    b = _snap(forv, Period(2020, 10), {"lkdata": {K.Drift.PROGNOS: 6_989_000}})
    pa, pb = archive.save(tmp_path, a).path, archive.save(tmp_path, b).path
    assert archive.load(pa).units["lkdata"].amount(PROGNOS) == D(4_000_000)
    data = json.loads(pb.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["period"]) == ("vss-excel arkiv", 1, "2020-10")
    assert data["enheter"]["lkdata"]["varden"] == {"drift/resultat/prognos": "6989000"}
    lines = pb.read_text(encoding="utf-8").split("\n")  # readable: a line per unit
    assert [line.split('"')[1] for line in lines if line.startswith('  "')] == [u.id for u in forv.units]
    empty = archive.save(tmp_path.parent / f"{tmp_path.name}-tom", dataclasses.replace(b, units={})).path
    assert json.loads(empty.read_text(encoding="utf-8"))["enheter"] == {}
    again = _snap(forv, Period(2020, 10), {"lkdata": {K.Drift.PROGNOS: 7_000_000}})
    archive.save(tmp_path, again)
    assert archive.load(pa).units["lkdata"].amount(PROGNOS) == D(4_000_000)  # August untouched
    assert archive.load(pb).units["lkdata"].amount(PROGNOS) == D(7_000_000)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "VSS 2020-08.json",
        "VSS 2020-10.json",
        "VSS 2020-10.json.1",
    ]


def test_a_replaced_snapshot_is_kept_and_the_same_figures_write_nothing(forv, tmp_path):
    path = archive.path_for(tmp_path, forv.short_name, Period(2020, 10))
    for i, prognos in enumerate((1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000)):
        saved = archive.save(tmp_path, _snap(forv, Period(2020, 10), {"lkdata": {K.Drift.PROGNOS: prognos}}))
        assert saved.path == path and (saved.kept is None) == (i == 0)
    # the newest earlier one is .1, up to three are kept
    kept = {
        n: archive.load(path.with_name(f"{path.name}.{n}")).units["lkdata"].amount(PROGNOS) for n in (1, 2, 3)
    }
    assert kept == {1: D(4_000_000), 2: D(3_000_000), 3: D(2_000_000)}
    assert not path.with_name(f"{path.name}.4").exists()
    # the same figures at another time: nothing moves
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    same = dataclasses.replace(
        _snap(forv, Period(2020, 10), {"lkdata": {K.Drift.PROGNOS: 5_000_000}}), created="2021-01-01T00:00:00"
    )
    assert archive.save(tmp_path, same).unchanged
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    # a kept copy is not read as a period of its own
    assert [s.period for s in archive.snapshots(tmp_path, forv)] == [Period(2020, 10)]


def test_previous_is_the_latest_earlier_period_of_the_same_year(forv, tmp_path):
    for month in (4, 8, 10):
        archive.save(tmp_path, _snap(forv, Period(2020, month), {}))
    archive.save(tmp_path, _snap(forv, Period(2019, 12), {}))
    assert archive.previous(tmp_path, forv, Period(2020, 10)).period == Period(2020, 8)
    assert archive.previous(tmp_path, forv, Period(2020, 4)) is None  # a prognos is for its own year
    assert archive.previous(tmp_path / "saknas", forv, Period(2020, 10)) is None


def test_a_file_that_is_no_snapshot_is_refused_by_name(forv, tmp_path):
    (tmp_path / "VSS 2020-08.json").write_text('{"format": "annat"}', encoding="utf-8")
    with pytest.raises(archive.ArchiveError, match=r"VSS 2020-08\.json är ingen arkivfil"):
        archive.snapshots(tmp_path, forv)


@pytest.mark.parametrize(
    ("content", "said"),
    [("{inte json", "innehållet är inte ett arkiv som vss-excel skrivit"), (None, "det är en mapp")],
)
def test_an_archive_file_that_cannot_be_read_is_said_in_swedish(tmp_path, content, said):
    path = tmp_path / "VSS 2020-08.json"
    if content is None:
        path.mkdir()
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(archive.ArchiveError) as caught:
        archive.load(path)
    assert (
        str(caught.value) == f"Arkivfilen VSS 2020-08.json kunde inte läsas ({said}); flytta den ur arkivet."
    )


def test_texts_that_cannot_be_read_are_said_in_swedish(tmp_path):
    from vss_excel.files import OutputError
    from vss_excel.rapport import texter

    (tmp_path / "K.xlsx").mkdir()
    with pytest.raises(OutputError, match=r"K\.xlsx finns redan men dess texter .* \(det är en mapp\)"):
        texter.read(tmp_path / "K.xlsx")
    (tmp_path / "L.xlsx").write_bytes(b"PK\x03\x04 inte en zip")
    with pytest.raises(OutputError) as caught:
        texter.read(tmp_path / "L.xlsx")
    assert "Error" not in str(caught.value) and "kunde inte läsas (" in str(caught.value)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, soffice):
    out = tmp_path_factory.mktemp("demo")
    result, _, _ = demo.run(out, workers=2)
    return out, result


def test_the_demo_shows_how_each_prognos_moved_since_august(demo_run):
    out, result = demo_run
    d = result.tables.drift
    assert d.value((TOTAL, NETTO), K.Drift.FOREGAENDE_PROGNOS) == D(2_800_000)  # "från 2,8 mkr"
    assert d.value((UNIT, "lkdata"), K.Drift.FOREGAENDE_PROGNOS) == D(4_000_000)  # "från 4 mkr"
    assert d.value((UNIT, "upphandling"), K.Drift.FOREGAENDE_PROGNOS) < 0  # "från minusprognos"
    assert d.value((UNIT, "elarande"), K.Drift.FOREGAENDE_PROGNOS) == D(-700_000)
    assert d.value((UNIT, "kontakt"), K.Drift.FORANDRING) == 0  # "ligger kvar på 1 mkr"
    ws = openpyxl.load_workbook(out / "Konsolidering VSS 2020-10.xlsx")["Driftsammandrag"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 8)] for r in range(1, ws.max_row + 1)}
    assert rows["Summa nettokostnader, tkr"] == [6339, 0, 6339, 17301, 2800, 3539]
    assert sorted(p.name for p in (out / "arkiv").iterdir()) == ["VSS 2020-08.json", "VSS 2020-10.json"]


def test_the_next_period_s_templates_carry_the_prognos_as_foregaende(demo_run, tmp_path, capsys):
    out, _ = demo_run
    target = out / "nästa"
    assert main(["mallar", "--period", "2020-12", "--ut", str(target), "--enhet", "lkdata"]) == 0
    assert "Föregående prognos: jan–okt 2020" in capsys.readouterr().err
    ws = openpyxl.load_workbook(target / "VSS 2020-12 LKDATA.xlsx")["Drift"]
    header = [ws.cell(4, c).value for c in range(1, 16)]
    col = header.index("Föregående prognos") + 1
    assert ws.cell(5, 1).value == "Intäkter" and ws.cell(5, col).value == 189_000_000


def _lkdata_accuracy(forv, folder, figures):
    """LKDATA's accuracy for 2020 from an archive of the given Resultat figures per month."""
    for month, f in figures.items():
        archive.save(folder, _snap(forv, Period(2020, month), {"lkdata": f}))
    (lk,) = [u for u in accuracy(forv, 2020, archive.snapshots(folder, forv)) if u.unit == "lkdata"]
    return lk


def _year(april, august, outcome=6_000_000):
    """LKDATA's Resultat in April and August as (prognos, utfallstakt, budgetrest); None: none."""
    fields = (K.Drift.PROGNOS, K.Drift.FORSLAG_UTFALLSTAKT, K.Drift.FORSLAG_BUDGETREST)
    return {
        month: {f: v for f, v in zip(fields, figures, strict=True) if v is not None}
        for month, figures in ((4, april), (8, august))
    } | {12: {K.Drift.REDOVISAT: outcome}}


EVERY_PERIOD = _year(april=(2_000_000, 9_000_000, 4_000_000), august=(4_000_000, 7_000_000, 5_000_000))
# A prognos missing in a hard period (where the methods missed by millions) must not make it look
# the best: every method is measured over the periods where all of them have a figure.
HARD_PERIOD_MISSING = _year(april=(None, 9_000_000, 4_000_000), august=(5_500_000, 6_200_000, 6_300_000))


@pytest.mark.parametrize(
    ("figures", "errors", "best"),
    [
        # (4 + 2) / 2 mkr, (3 + 1) / 2, (2 + 1) / 2
        (EVERY_PERIOD, (3_000_000, 2_000_000, 1_500_000), "budgetrest"),
        (HARD_PERIOD_MISSING, (500_000, 200_000, 300_000), "utfallstakt"),  # August only
    ],
)
def test_each_method_s_mean_error_over_the_same_periods(forv, tmp_path, figures, errors, best):
    lk = _lkdata_accuracy(forv, tmp_path / "arkiv", figures)
    assert lk.outcome == D(6_000_000)
    assert lk.mean_error == {
        "prognos": D(errors[0]),
        "utfallstakt": D(errors[1]),
        "budgetrest": D(errors[2]),
        "sasong": None,
    }
    assert best_method(lk) == best


def test_prognossakerhet_for_a_finished_year(forv, tmp_path, capsys):
    _lkdata_accuracy(forv, tmp_path / "arkiv", EVERY_PERIOD)
    assert accuracy(forv, 2021, archive.snapshots(tmp_path / "arkiv", forv)) is None
    assert main(["prognossakerhet", "--ar", "2020", "--arkiv", str(tmp_path / "arkiv")]) == 0
    ws = openpyxl.load_workbook(tmp_path / "Prognossäkerhet VSS 2020.xlsx")["Prognossäkerhet"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 9)] for r in range(5, 14)}
    assert rows["LKDATA"] == [3000, 2000, 1500, "–", 6000, None, "Budgetrest"]
    assert main(["prognossakerhet", "--ar", "2021", "--arkiv", str(tmp_path / "arkiv")]) == 2
    assert "inget utfall för 2021" in capsys.readouterr().err
    # The settings beside the archive are found, and named, as konsolidera finds them beside its inbox
    (tmp_path / "vss-excel.toml").write_text(settings.default_text(), encoding="utf-8")
    assert main(["prognossakerhet", "--ar", "2020", "--arkiv", str(tmp_path / "arkiv")]) == 0
    assert f"Inställningar: {tmp_path / 'vss-excel.toml'}" in capsys.readouterr().err


def test_the_report_says_how_the_prognos_moved(demo_run):
    from docx import Document

    out, _ = demo_run
    doc = Document(str(out / "Delårsrapport Verksamhetsstöd och service 2020-10.docx"))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    (note,) = [line for line in text.splitlines() if line.startswith("Prognosen jämfört med föregående")]
    assert note.startswith("Prognosen jämfört med föregående prognos: förvaltningen 2\u00a0800 → 6\u00a0339")
    assert "LKDATA 4\u00a0000 → 6\u00a0989" in note
    assert "Kontakt Linköping" not in note  # its prognos stayed at 1 mkr


def test_a_run_whose_files_were_all_refused_leaves_the_archive_as_it_was(demo_run, tmp_path, capsys):
    """The demo's October files consolidated as August by mistake: every file is refused, and
    August's snapshot (the next templates' föregående prognos) stays; a right run keeps the old one."""
    out, _ = demo_run
    folder = tmp_path / "arkiv"
    folder.mkdir()
    august = folder / "VSS 2020-08.json"
    august.write_bytes((out / "arkiv" / august.name).read_bytes())
    before = august.read_bytes()
    args = ["konsolidera", "--in", str(out / "inkorg"), "--arkiv", str(folder)]
    assert main([*args, "--period", "2020-08", "--ut", str(tmp_path / "fel.xlsx")]) == 1
    said = capsys.readouterr().out
    assert "Arkivet ändrades inte: ingen inlämnad fil för 2020-08 kunde användas, så VSS 2020-08.json" in said
    assert august.read_bytes() == before and sorted(p.name for p in folder.iterdir()) == [august.name]
    # October, twice: written, then the same figures again write nothing
    for said_then in (
        "Arkivet: VSS 2020-10.json skrevs.",
        "Arkivet: VSS 2020-10.json har redan samma siffror.",
    ):
        main([*args, "--period", "2020-10", "--ut", str(tmp_path / "rätt.xlsx")])
        assert said_then in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == [august.name, "VSS 2020-10.json"]


def test_a_prognossakerhet_of_dashes_says_why(forv, tmp_path):
    """December alone in the archive, and a unit whose December has no Redovisat: every '–' has its
    reason under the table, naming the units."""
    folder = tmp_path / "arkiv"
    _lkdata_accuracy(forv, folder, {12: {K.Drift.REDOVISAT: 6_000_000}})
    units = accuracy(forv, 2020, archive.snapshots(folder, forv))
    assert units is not None and all(not u.periods for u in units)
    said = prognossakerhet.missing(2020, units)
    assert len(said) == 2 and "ingen period av 2020 före december" in said[0]
    others = [u.name for u in forv.units if u.id != "lkdata"]
    assert f"Utfall 2020 saknas för {others[0]}, {others[1]}, {others[2]}, {others[3]} och 4 till" in said[1]
    ws = prognossakerhet.describe(2020, units)
    texts = [v for row in ws.grid() for v in row if isinstance(v, str)]
    assert all(s in texts for s in said)
    others_only = [u for u in units if u.unit != "lkdata"]
    assert "Utfall 2020 saknas för alla verksamheter: " in prognossakerhet.missing(2020, others_only)[1]
    # LKDATA with the year's periods and its outcome: nothing to explain
    lk = _lkdata_accuracy(forv, tmp_path / "hela", EVERY_PERIOD)
    assert prognossakerhet.missing(2020, [lk]) == []
