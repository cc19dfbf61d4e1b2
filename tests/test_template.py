from __future__ import annotations

import dataclasses
import re
import tempfile
import zipfile
from collections.abc import Iterable
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from helpers import assert_close, cell_values, expected_formulas
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.cell_range import CellRange

from vss_excel import libreoffice
from vss_excel.enhetsmall import cells, formulas, metadata, reader
from vss_excel.enhetsmall import fingerprint as fp
from vss_excel.enhetsmall import layout as L
from vss_excel.enhetsmall import writer as template
from vss_excel.enhetsmall.mallar import make_templates
from vss_excel.keys import FINGERPRINT, FINGERPRINT_SHEETS
from vss_excel.model import Forvaltning, Period, Prefill, Unit


@pytest.fixture(scope="session")
def templates(forv, prefill, session_dir) -> list[Path]:
    out = session_dir / "mallar"
    out.mkdir()
    written, findings = make_templates(forv, forv.period, out, prefill, n_workers=2)
    assert findings == []
    return written


def test_one_workbook_per_unit_named_by_unit_and_period(templates, forv):
    assert len(templates) == 9
    for path, unit in zip(templates, forv.units, strict=True):
        assert path.exists()
        assert "2020-10" in path.name and unit.name in path.name
    assert not list(templates[0].parent.glob(".~vss-*"))  # no temporary files left


def test_sheets_and_hidden_metadata(templates):
    wb = openpyxl.load_workbook(templates[0])
    assert wb.sheetnames == [
        "Drift",
        "Investeringar",
        "Volymer",
        "Personal",
        "Aktiviteter",
        "Analys",
        "Metadata",
    ]
    assert wb["Metadata"].sheet_state == "veryHidden"
    assert all(wb[s].sheet_state == "visible" for s in wb.sheetnames[:-1])


def test_cached_formula_results_equal_calc(templates, forv, prefill):
    for path, unit in zip(templates, forv.units, strict=True):
        wl = L.build(forv, unit, forv.period)
        values = template.resolve_values(wl, forv, prefill)
        numbers = {k: v for k, v in values.items() if isinstance(v, D)}
        read = cell_values(path)
        expected = expected_formulas(wl, numbers)
        assert expected
        for (sheet, r, c), want in expected.items():
            assert_close(read[sheet].get((r, c), ""), want, f"{path.name} {sheet}!{cells.cell_ref(r, c)}")


def test_prefilled_values_are_written(templates, forv, prefill):
    read = cell_values(templates[7])  # LKDATA
    wl = L.build(forv, forv.units[7], forv.period)
    cell = wl.sheet("Drift").by_key[("drift", "intakter", "redovisat")]
    assert read["Drift"][(cell.row, cell.col)] == float(prefill.get("lkdata", "intakter", "redovisat"))
    ram = wl.sheet("Investeringar").by_key[("investering", "lkdata-it", "investeringsram")]
    assert read["Investeringar"][(ram.row, ram.col)] == 60_000_000


def test_headers_follow_the_period(forv, tmp_path):
    for period, expected in [
        (
            Period(2020, 10),
            [
                "Redovisat jan–okt 2020",
                "Budget jan–okt 2020",
                "Avvikelse",
                "Redovisat jan–okt 2019",
                "Prognos helår 2020",
                "Budget 2020",
                "Avvikelse helår",
                "Bokslut 2019",
            ],
        ),
        (
            Period(2021, 4),
            [
                "Redovisat jan–apr 2021",
                "Budget jan–apr 2021",
                "Avvikelse",
                "Redovisat jan–apr 2020",
                "Prognos helår 2021",
                "Budget 2021",
                "Avvikelse helår",
                "Bokslut 2020",
            ],
        ),
    ]:
        path = template.write_workbook(tmp_path / f"{period.iso}.xlsx", forv, forv.units[0], period)
        ws = openpyxl.load_workbook(path)["Drift"]
        assert [ws.cell(4, c).value for c in range(2, 10)] == expected
        assert ws.cell(4, 10).value.startswith("Kommentar")
        personal = openpyxl.load_workbook(path)["Personal"]
        month = "Oktober" if period.month == 10 else "April"
        assert [personal.cell(4, c).value for c in (2, 3)] == [
            f"{month} {period.year}",
            f"{month} {period.year - 1}",
        ]


def _cells(ranges) -> set[str]:
    out = set()
    for rng in str(ranges).split():
        cr = CellRange(rng)
        for r in range(cr.min_row, cr.max_row + 1):
            for c in range(cr.min_col, cr.max_col + 1):
                out.add(f"{openpyxl.utils.get_column_letter(c)}{r}")
    return out


def test_protection_and_validation_exactly_on_layout_inputs(templates, forv):
    for path, unit in zip(templates, forv.units, strict=True):
        wb = openpyxl.load_workbook(path)
        wl = L.build(forv, unit, forv.period)
        for s in wl.sheets:
            ws = wb[s.name]
            assert ws.protection.sheet, f"{path.name} {s.name} är inte skyddat"
            inputs = {c.ref for c in s.inputs}
            unlocked = {
                cell.coordinate for row in ws.iter_rows() for cell in row if not cell.protection.locked
            }
            assert unlocked == inputs, f"{path.name} {s.name}"
            validated: set[str] = set()
            for dv in ws.data_validations.dataValidation:
                assert dv.promptTitle and dv.prompt and dv.errorTitle and dv.error, "svensk hjälptext saknas"
                assert dv.showInputMessage and dv.showErrorMessage
                validated |= _cells(dv.sqref)
            assert validated == inputs, f"{path.name} {s.name}"


def test_status_list_and_input_marking(templates, forv):
    wb = openpyxl.load_workbook(templates[0])
    ws = wb["Aktiviteter"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"' + ",".join(forv.statuses) + '"'
    drift = wb["Drift"]
    wl = L.build(forv, forv.units[0], forv.period)
    for c in wl.sheet("Drift").cells:
        cell = drift[c.ref]
        if c.kind is cells.Kind.INPUT:
            assert cell.fill.fgColor.rgb.endswith(template.INPUT_FILL[1:]), c.ref
        elif c.kind in (cells.Kind.PREFILL, cells.Kind.FORMULA) and c.style.startswith("tkr"):
            assert cell.number_format == template.TKR, c.ref
            assert not cell.fill.fgColor.rgb.endswith(template.INPUT_FILL[1:])


def test_print_setup_and_frozen_panes(templates):
    wb = openpyxl.load_workbook(templates[0])
    for name in wb.sheetnames[:-1]:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the file format's default
        assert ws.page_setup.fitToHeight == 0
        assert ws.freeze_panes == "B5"
        assert ws["A2"].value and "Gula celler" in ws["A2"].value  # instructions block


def test_conditional_formats_mark_missing_comments(templates):
    wb = openpyxl.load_workbook(templates[7])
    rules = {str(r.sqref): [x.formula for x in r.rules] for r in wb["Drift"].conditional_formatting}
    comment = [f for rng, fs in rules.items() if rng.startswith("J5:") for f in fs]
    assert comment and "LEN(TRIM($J5))=0" in comment[0][0] and "500000" in comment[0][0]
    wb = openpyxl.load_workbook(templates[0])  # VSS ledning has activities
    rules = {str(r.sqref): [x.formula for x in r.rules] for r in wb["Aktiviteter"].conditional_formatting}
    assert any('$E5="Pausad"' in f[0] for fs in rules.values() for f in fs)


def test_metadata_and_fingerprint_read_back(templates, forv):
    path = templates[4]
    read = cell_values(path)
    wl = L.build(forv, forv.units[4], forv.period)
    meta = {
        c.key[1]: read["Metadata"].get((c.row, c.col))
        for c in wl.sheet("Metadata").cells
        if c.key[2] == "varde"
    }
    assert meta["format"] == metadata.TEMPLATE_FORMAT
    assert meta["mallversion"] == metadata.TEMPLATE_VERSION
    assert (meta["enhet_id"], meta["enhet_namn"], meta["period"]) == (
        "kontakt",
        "Kontakt Linköping",
        "2020-10",
    )
    values = {(s, r, c): v for s, cells in read.items() for (r, c), v in cells.items()}
    assert fp.fingerprint(wl, values) == meta["fingeravtryck"]
    # a changed prefilled amount changes the fingerprint
    cell = wl.sheet("Drift").by_key[("drift", "personal", "redovisat")]
    values[("Drift", cell.row, cell.col)] = float(values[("Drift", cell.row, cell.col)]) + 1
    assert fp.fingerprint(wl, values) != meta["fingeravtryck"]
    names = openpyxl.load_workbook(path).defined_names
    assert set(names) >= {
        "Mall_Enhet",
        "Mall_Period",
        "Mall_Version",
        "Mall_Fingeravtryck",
        "Mall_KlarForKonsolidering",
    }


def test_text_beginning_with_equals_stays_text(forv, tmp_path):
    act = dataclasses.replace(forv.activities[0], text='=HYPERLINK("x")', unit=forv.units[0].id)
    odd = dataclasses.replace(forv, activities=(act,))
    path = template.write_workbook(tmp_path / "x.xlsx", odd, forv.units[0], forv.period)
    ws = openpyxl.load_workbook(path)["Aktiviteter"]
    assert ws["C5"].data_type == "s" and ws["C5"].value == '=HYPERLINK("x")'


def test_writing_never_leaves_half_a_file(forv, tmp_path):
    target = tmp_path / "sub" / "x.xlsx"
    with pytest.raises(FileNotFoundError):
        template.write_workbook(target, forv, forv.units[0], forv.period)
    assert not (tmp_path / "sub").exists()


def _formula_texts(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Every formula XlsxWriter put in each sheet's XML: cells, conditional formats, validations."""
    with zipfile.ZipFile(path) as z:
        return {
            name: re.findall(r"<(f|formula|formula1|formula2)>([^<]*)</\1>", z.read(name).decode())
            for name in z.namelist()
            if name.startswith("xl/worksheets/sheet")
        }


def test_the_formula_shortcut_writes_the_formulas_xlsxwriter_writes(forv, prefill, tmp_path, monkeypatch):
    """writer._Sheet skips XlsxWriter's preparation of formulas for Excel 365 functions (measured:
    about a quarter of a template's time). Every VSS unit's workbook holds the very formulas
    XlsxWriter's own worksheet writes, all of them classic functions any Excel since 2007 reads."""
    from xlsxwriter.worksheet import Worksheet

    for unit in forv.units:
        fast = template.write_workbook(tmp_path / "fast.xlsx", forv, unit, forv.period, prefill)
        with monkeypatch.context() as m:
            m.setattr(template, "_Sheet", Worksheet)
            plain = template.write_workbook(tmp_path / "plain.xlsx", forv, unit, forv.period, prefill)
        ours, xlsxwriters = _formula_texts(fast), _formula_texts(plain)
        assert ours == xlsxwriters, unit.name
        wl = L.build(forv, unit, forv.period)
        n_formulas = sum(1 for s in wl.sheets for c in s.cells if c.kind is cells.Kind.FORMULA)
        assert sum(tag == "f" for texts in ours.values() for tag, _ in texts) == n_formulas > 0
        texts = [text for found in ours.values() for _, text in found]
        assert not any("_xlfn" in t for t in texts)
        assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", " ".join(texts))) <= formulas.FUNCTIONS


def with_twins(forv: Forvaltning, unit: Unit, names: list[str]) -> tuple[Forvaltning, list[Unit]]:
    """The settings with units like `unit` (its activities, volumes and projects) under other names."""
    twins = [dataclasses.replace(unit, id=f"{unit.id}-{i}", name=n) for i, n in enumerate(names)]

    def copies(items):  # type: ignore[no-untyped-def]
        mine = [x for x in items if x.unit == unit.id]
        return tuple(dataclasses.replace(x, id=f"{x.id}-{t.id}", unit=t.id) for t in twins for x in mine)

    return (
        dataclasses.replace(
            forv,
            units=forv.units + tuple(twins),
            activities=forv.activities + copies(forv.activities),
            volumes=forv.volumes + copies(forv.volumes),
            investments=forv.investments + copies(forv.investments),
        ),
        twins,
    )


def _as_written(forv: Forvaltning, unit: Unit, prefill: Prefill | None) -> dict[tuple[str, int, int], object]:
    """Every cell but the formulas and the fingerprints, as the file must hold it (None: empty)."""
    wl = L.build(forv, unit, forv.period)
    values = template.resolve_values(wl, forv, prefill)
    out: dict[tuple[str, int, int], object] = {}
    for s in wl.sheets:
        for c in s.cells:
            if c.kind is not cells.Kind.FORMULA and c.key[1] not in (FINGERPRINT, FINGERPRINT_SHEETS):
                v = values.get((s.name, c.row, c.col))
                out[(s.name, c.row, c.col)] = float(v) if isinstance(v, D) else v
    return out


def _read_back(
    path: Path, forv: Forvaltning, keys: Iterable[tuple[str, int, int]]
) -> dict[tuple[str, int, int], object]:
    rw = reader.read(path, forv)
    assert rw.source.kind is reader.FileKind.WORKBOOK and rw.layout is not None, rw.source.error
    assert not rw.sheets_missing
    out: dict[tuple[str, int, int], object] = {}
    for sheet, r, c in keys:
        raw = rw.raw(sheet, r, c)
        out[(sheet, r, c)] = None if raw is None else raw.value
    return out


def test_every_units_workbook_reads_back_as_its_layout_says(templates, forv, prefill):
    """Titles, headers, labels, instructions, prefilled amounts, suggestions and metadata: every
    cell of every VSS unit's template, read back by our reader."""
    for path, unit in zip(templates, forv.units, strict=True):
        want = _as_written(forv, unit, prefill)
        assert any(isinstance(v, float) for v in want.values())  # prefilled amounts among them
        assert _read_back(path, forv, want) == want, path.name


# Names a unit may be given in the settings: any characters, with those that XML, Excel or
# XlsxWriter store otherwise than as given mixed in (control characters, U+FFFE and U+FFFF, Excel's
# _xHHHH_ escapes, markup, a formula, a web address, spaces at the ends).
ODD = ["\ufffe", "\uffff", "\x07", "\x1f", "\x00", "&", "<", "\n", "\r\n", "\t", " ", "\u2028", "\U0001f600"]
CHARS = st.characters() | st.sampled_from(ODD)  # a list of them: st.text() never draws U+FFFE or U+FFFF
NAMES = (
    st.lists(CHARS, min_size=1, max_size=30).map("".join)
    | st.tuples(
        st.text(max_size=5),
        st.sampled_from(["_x0041_", "_xFFFE_", "_x005F_", "<r>", "</r>", "=A1", "{=A1}", "https://x.se"]),
        st.text(max_size=5),
    ).map("".join)
    # what XlsxWriter would store as markup (a control character in it it writes as its _xHHHH_ escape)
    | st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=8).map(lambda t: f"<r>{t}</r>")
)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")  # LibreOffice saves a Windows line end as a line feed


@pytest.mark.libreoffice
@settings(max_examples=6, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=6))
def test_any_unit_name_makes_a_file_libreoffice_opens_and_our_reader_reads_back(
    soffice, forv, prefill, names
):
    """Units named anyhow (the title of every sheet and the Metadata sheet hold the name): the
    file reads back with the very texts, and LibreOffice opens it and saves the same texts (but
    for a Windows line end, which it saves as a line feed)."""
    unit = forv.units[0]  # VSS ledning: activities, measures and projects
    f, twins = with_twins(forv, unit, names)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours = [
            template.write_workbook(folder / f"{i}.xlsx", f, u, f.period, prefill)
            for i, u in enumerate(twins)
        ]
        saved = libreoffice.convert(ours, folder / "lo")
        for twin, mine, theirs in zip(twins, ours, saved, strict=True):
            want = _as_written(f, twin, prefill)
            assert _read_back(mine, f, want) == want, repr(twin.name)
            lf = {k: _lf(v) if isinstance(v, str) else v for k, v in want.items()}
            assert _read_back(theirs, f, want) == lf, repr(twin.name)


def test_a_name_that_looks_like_rich_text_markup_is_stored_as_text(forv, tmp_path):
    """XlsxWriter stores a whole text '<r>…</r>' as markup, unescaped; a name alone fills the
    Metadata cell, so the file could not be read. It is written as the text it is."""
    f, (twin,) = with_twins(forv, forv.units[1], ["<r>x</si><si>y</r>"])
    path = template.write_workbook(tmp_path / "x.xlsx", f, twin, f.period)
    want = _as_written(f, twin, None)
    assert _read_back(path, f, want) == want


@pytest.mark.parametrize("month", [10, 12])
def test_shared_layouts_equal_each_units_own(forv, month):
    # Units alike share one sheet layout under their own titles; it must be what the unit's own
    # build gives, whichever unit's layout was built first.
    period = Period(forv.period.year, month)
    props = ("by_key", "by_position", "fixed", "inputs", "read_cells", "number_cells", "text_cells")
    for order in (forv.units, tuple(reversed(forv.units))):
        L._shapes.clear()
        L._built.clear()
        for unit in order:
            shared = L.build(forv, unit, period)
            for module, sheet in zip(L.SHEETS, shared.sheets, strict=True):
                own = module.build(forv, unit, period)
                assert sheet == own, (unit.name, sheet.name)
                for prop in (*props, *cells._TITLE_FREE):
                    assert getattr(sheet, prop) == getattr(own, prop), (unit.name, sheet.name, prop)
    assert any(len({m.share_key(forv, u) for u in forv.units}) > 1 for m in L.SHEETS[:-1])


def test_a_line_without_previous_prognos_leaves_the_sums_previous_prognos_empty(forv, prefill, tmp_path):
    """Recalculated by LibreOffice: a sum of previous prognoser that lacks a line is no figure,
    and neither is the change against it (a partial sum would pass for the unit's whole)."""
    from vss_excel import libreoffice
    from vss_excel.keys import RESULTAT, SUMMA_KOSTNADER, Drift, drift
    from vss_excel.model import LineKind, Prefill

    units = ("kontakt", "lkdata")
    previous = {(u, x.id, Drift.FOREGAENDE_PROGNOS): D(-1000) for u in units for x in forv.drift_lines}
    del previous[("kontakt", "lokal", Drift.FOREGAENDE_PROGNOS)]
    merged = Prefill({**prefill.values, **previous})
    written, _ = make_templates(forv, forv.period, tmp_path / "m", merged, list(units))
    recalculated = libreoffice.convert(written, tmp_path / "lo")
    s = L.build(forv, forv.unit("kontakt"), forv.period).sheet("Drift")  # alike for both units

    def at(path: Path, item: str, field: Drift) -> object:
        c = s.by_key[drift(item, field)]
        return cell_values(path)["Drift"].get((c.row, c.col), "")

    kontakt, lkdata = sorted(recalculated, key=lambda p: "LKDATA" in p.name)
    assert at(kontakt, "personal", Drift.FOREGAENDE_PROGNOS) == -1000  # the lines that have one show it
    for item in (SUMMA_KOSTNADER, RESULTAT):
        assert at(kontakt, item, Drift.FOREGAENDE_PROGNOS) == "", item
        assert at(kontakt, item, Drift.FORANDRING) == "", item
    costs = sum(1 for x in forv.drift_lines if x.kind is LineKind.KOSTNAD)
    assert at(lkdata, SUMMA_KOSTNADER, Drift.FOREGAENDE_PROGNOS) == -1000 * costs  # all there: the sum


def test_a_template_that_cannot_be_written_is_a_finding_in_swedish(forv, tmp_path):
    unit = forv.units[0]
    (tmp_path / template.file_name(forv, unit, forv.period)).mkdir()  # a folder where the file goes
    written, found = make_templates(forv, forv.period, tmp_path, None, [unit.id], overwrite=True)
    assert written == []
    assert [(f.unit, f.message) for f in found] == [
        (unit.id, "Mallen kunde inte skrivas (det är en mapp). Kontrollera mappen och behörigheterna.")
    ]


@pytest.mark.parametrize(
    ("tkr", "percent", "said"),
    [("500", "10", "minst 500 tkr eller 10 %"), ("250.5", "2.5", "minst 250,5 tkr eller 2,5 %"),
     ("1250", "0.25", "minst 1 250 tkr eller 0,25 %")],
)  # fmt: skip
def test_the_threshold_is_said_as_it_is_set_never_rounded(forv, tkr, percent, said):
    from vss_excel.enhetsmall.brev import paragraphs
    from vss_excel.enhetsmall.texts import threshold
    from vss_excel.model import Thresholds

    odd = dataclasses.replace(forv, thresholds=Thresholds(D(tkr), D(percent)))
    assert said in threshold(odd)
    letter = " ".join(text for _, text in paragraphs(odd, odd.period))  # the letter says it alike
    assert said.replace(" eller ", " eller minst ") in letter


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_the_fingerprint_reads_a_float_as_its_exact_decimal(x):
    # Prefilled amounts come back as floats; the text must be the one the writer hashed.
    assert fp.canonical(x) == fp.canonical(D(repr(x)))
    if x.is_integer() and abs(x) < 1e15:  # whole kronor, as amounts are
        assert fp.canonical(x) == fp.canonical(int(x)) == str(int(x))


def test_the_red_comment_rule_covers_the_rows_konsolidera_asks_about(forv):
    """The sheet turns a comment cell red where Konsolidera will ask for a comment: the lines,
    sums and Resultat, not the varav rows (check_significant_without_comment skips them)."""
    from vss_excel.enhetsmall import drift as drift_sheet
    from vss_excel.keys import RESULTAT, Drift, drift

    s = drift_sheet.build(forv, forv.units[0], forv.period)
    (cf,) = s.conditional
    result = s.by_key[drift(RESULTAT, Drift.RAD)].row
    varav = [c.row for c in s.cells if c.col == 0 and c.row > result]
    assert varav and (cf.first_row, cf.last_row) == (s.first_data_row, result)
    assert cf.col == s.by_key[drift(RESULTAT, Drift.KOMMENTAR)].col
