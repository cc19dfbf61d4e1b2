"""A stencil writes the very bytes XlsxWriter writes for a unit's workbook (stencil.py, packing.py)."""

from __future__ import annotations

import dataclasses
import io
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vss_excel.enhetsmall import packing, stencil
from vss_excel.enhetsmall import writer as template
from vss_excel.enhetsmall.mallar import make_templates
from vss_excel.enhetsmall.puts import What
from vss_excel.model import Forvaltning, Prefill, Unit

CREATED = datetime(2020, 11, 2, 8, 30, 5, tzinfo=UTC)
# What XlsxWriter escapes in a text (_xHHHH_), which the stencil leaves to it.
ESCAPED = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")


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


def amounts_for(prefill: Prefill, unit: Unit, twin: Unit, amounts: list[D | None]) -> Prefill:
    """The prefill with the twin's amounts: the unit's cells, each given the next amount (None: empty)."""
    keys = sorted(k for k in prefill.values if k[0] == unit.id)
    values = dict(prefill.values)
    for (_, post, col), amount in zip(keys, amounts, strict=False):
        if amount is not None:
            values[(twin.id, post, col)] = amount
    return Prefill(values)


def stencil_bytes(master: template.Prepared, book: template.Prepared, folder: Path) -> bytes | None:
    """The book written by the master's stencil; None where the stencil leaves it to XlsxWriter."""
    assert book.shape == master.shape  # else this would prove nothing: another shape has no stencil
    stencil.forget()
    stencil.remember(master.shape, master.xlsxwriter_bytes(), master.cells)
    out = folder / "stencil.xlsx"
    return out.read_bytes() if stencil.write(out, book.shape, book.cells, book.title) else None


@pytest.mark.parametrize("i", range(9))
def test_every_vss_units_twin_is_written_by_its_stencil_as_xlsxwriter_writes_it(forv, prefill, tmp_path, i):
    unit = forv.units[i]
    f, (twin,) = with_twins(forv, unit, [f"{unit.name} & <co> "])
    keys = sorted(k for k in prefill.values if k[0] == unit.id)
    amounts = [None if n % 5 == 0 else prefill.values[k] * 3 - D("7.25") for n, k in enumerate(keys)]
    p = amounts_for(prefill, unit, twin, amounts)
    master = template.prepare(f, unit, f.period, p, CREATED)
    book = template.prepare(f, twin, f.period, p, CREATED)
    assert stencil_bytes(master, book, tmp_path) == book.xlsxwriter_bytes()


# Texts as a unit may name itself, with what XlsxWriter writes otherwise than as given mixed in
ODD = ["\ufffe", "\uffff", "\x07", "\x1f", "&", "<", "\n", " ", "\u2028", "\U0001f600", "\u00a0"]
CHARS = st.characters() | st.sampled_from(ODD)  # a list of them: st.text() drops U+FFFE and U+FFFF
NAMES = st.lists(CHARS, min_size=1, max_size=30).map("".join) | st.tuples(
    st.text(max_size=5),
    st.sampled_from(["_x0041_", "_xFFFE_", "<r>", "=A1", "https://x.se"]),
    st.text(max_size=5),
).map("".join)


@settings(max_examples=60, deadline=None)
@given(
    name=NAMES,
    amounts=st.lists(
        st.none()
        | st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, places=2)
        | st.sampled_from([D("0.1"), D("-0.0"), D("1E+14"), D("123456789012345.67"), D("1E-7")]),
        min_size=12,
        max_size=12,
    ),
)
def test_any_name_and_amounts_give_xlsxwriters_bytes_or_are_left_to_it(forv, prefill, name, amounts):
    unit = forv.units[0]
    f, (twin,) = with_twins(forv, unit, [name])
    p = amounts_for(prefill, unit, twin, amounts)
    master = template.prepare(f, unit, f.period, p, CREATED)
    book = template.prepare(f, twin, f.period, p, CREATED)
    with tempfile.TemporaryDirectory() as tmp:
        made = stencil_bytes(master, book, Path(tmp))
    if ESCAPED.search(name):
        assert made is None  # XlsxWriter writes it
    else:
        assert made == book.xlsxwriter_bytes()


@pytest.mark.parametrize("text", ["=SUMMA(A1)", "{=A1}", "https://example.se", "mailto:a@b.se", ""])
@pytest.mark.parametrize("whose", ["master", "book"])
def test_a_merged_text_xlsxwriter_would_not_store_as_text_is_left_to_it(forv, prefill, tmp_path, text, whose):
    unit = forv.units[0]
    f, (twin,) = with_twins(forv, unit, ["Tvilling"])
    master = template.prepare(f, unit, f.period, prefill, CREATED)
    book = template.prepare(f, twin, f.period, prefill, CREATED)
    changed = master if whose == "master" else book  # a link in the master would be in every copy
    merged = [i for i, p in enumerate(changed.cells[0]) if p.what is What.MERGE]
    assert merged  # the instructions under the title
    changed.cells[0][merged[0]] = changed.cells[0][merged[0]]._replace(value=text)
    made = stencil_bytes(master, book, tmp_path)
    if text:
        assert made is None
    else:
        assert made == book.xlsxwriter_bytes()


def test_a_run_writes_every_unit_of_a_shape_as_xlsxwriter_would(forv, prefill, tmp_path):
    unit = forv.units[1]
    f, twins = with_twins(forv, unit, [f"Kopia {i}" for i in range(5)])
    written, findings = make_templates(f, f.period, tmp_path, prefill, [t.id for t in twins], n_workers=1)
    assert findings == [] and len(written) == 5
    with zipfile.ZipFile(written[0]) as z:
        core = z.read("docProps/core.xml").decode()
    when = re.search(r"<dcterms:created[^>]*>([^<]+)<", core)
    assert when is not None
    created = datetime.strptime(when.group(1), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    for path, twin in zip(written, twins, strict=True):  # the first by XlsxWriter, the next by the stencil
        assert path.read_bytes() == template.prepare(f, twin, f.period, prefill, created).xlsxwriter_bytes()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[a-z_]{1,8}(/[a-z]{1,8}){0,2}\.xml", fullmatch=True),
            st.binary(max_size=4000),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda part: part[0],
    )
)
def test_packing_writes_the_bytes_zipfile_writes_for_xlsxwriter(parts):
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as z:
        for name, data in parts:  # as XlsxWriter's Workbook._store_workbook
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "x.zip"
        packing.write(out, [packing.pack(name, data) for name, data in parts])
        assert out.read_bytes() == expected.getvalue()
