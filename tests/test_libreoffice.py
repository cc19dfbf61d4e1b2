"""A real spreadsheet engine recalculates our formulas: they must agree with calc."""

from __future__ import annotations

import os
import random
import signal
from decimal import Decimal as D

import pytest
from helpers import assert_close, cell_values, expected_formulas, fill

from vss_excel import interrupts, libreoffice
from vss_excel.enhetsmall import cells
from vss_excel.enhetsmall import layout as L
from vss_excel.enhetsmall import writer as template
from vss_excel.model import Forvaltning, Prefill

pytestmark = pytest.mark.libreoffice


def _inputs(
    wl: cells.WorkbookLayout, rng: random.Random, forv: Forvaltning
) -> dict[tuple[str, int, int], object]:
    """What a unit might type: amounts with the right sign, blanks, öre, texts and statuses."""
    out: dict[tuple[str, int, int], object] = {}
    for s in wl.sheets:
        for c in s.inputs:
            key = (s.name, c.row, c.col)
            if rng.random() < 0.15:
                continue  # left empty
            rule = c.validation
            if rule in ("intakt", "investering"):
                out[key] = rng.choice([rng.randint(0, 50_000_000), round(rng.uniform(0, 1e6), 2)])
            elif rule == "kostnad":
                out[key] = -rng.randint(0, 90_000_000)
            elif rule == "belopp":
                out[key] = rng.randint(-2_000_000, 2_000_000)
            elif rule in ("volym", "antal"):
                out[key] = rng.randint(0, 300_000)
            elif rule == "procent":
                out[key] = round(rng.uniform(0, 20), 1)
            elif rule == "status":
                out[key] = rng.choice(forv.statuses)
            elif rule == "jaNej":
                out[key] = "Ja"
            else:
                out[key] = rng.choice(["Enligt plan.", "Lägre kostnader för vakanser.", "Rad 1\nRad 2"])
    return out


@pytest.fixture(scope="module")
def recalculated(soffice, forv: Forvaltning, prefill: Prefill, tmp_path_factory):
    """Blank and filled workbooks for every unit, all recalculated by one LibreOffice process."""
    root = tmp_path_factory.mktemp("lo")
    cases = []
    for variant in range(3):
        rng = random.Random(variant)
        for unit in forv.units:
            wl = L.build(forv, unit, forv.period)
            src = template.write_workbook(
                root / f"{variant}-{unit.id}.xlsx", forv, unit, forv.period, prefill
            )
            values = template.resolve_values(wl, forv, prefill)
            typed: dict[tuple[str, int, int], object] = {}
            if variant:
                typed = _inputs(wl, rng, forv)
                filled = root / f"{variant}-{unit.id}-ifylld.xlsx"
                fill(src, filled, typed)
                src = filled
            cases.append((src, wl, values, typed))
    out = libreoffice.convert([c[0] for c in cases], root / "lo")
    return [(o, *c) for o, c in zip(out, cases, strict=True)]


def test_every_workbook_opens_and_saves_in_libreoffice(recalculated):
    assert len(recalculated) == 27
    for out, *_ in recalculated:
        assert out.stat().st_size > 5000
        assert set(cell_values(out)) >= {"Drift", "Investeringar", "Aktiviteter", "Metadata"}


def test_libreoffice_results_equal_calc(recalculated):
    checked = 0
    for out, src, wl, values, typed in recalculated:
        numbers = {k: v for k, v in values.items() if isinstance(v, D)}
        numbers.update(
            {
                k: D(repr(v)) if isinstance(v, float) else D(v)
                for k, v in typed.items()
                if isinstance(v, int | float)
            }
        )
        read = cell_values(out)
        for (sheet, r, c), want in expected_formulas(wl, numbers).items():
            assert_close(read[sheet].get((r, c), ""), want, f"{src.name} {sheet}!{cells.cell_ref(r, c)}")
            checked += 1
        for (sheet, r, c), v in typed.items():  # what the unit typed survived the save
            assert read[sheet][(r, c)] == v, f"{src.name} {sheet}!{cells.cell_ref(r, c)}"
    assert checked > 1000


def test_cached_values_match_a_fresh_recalculation(recalculated):
    for out, src, _wl, _values, typed in recalculated:
        if typed:
            continue
        ours, theirs = cell_values(src), cell_values(out)
        for sheet, sheet_cells in ours.items():
            for rc, v in sheet_cells.items():
                if isinstance(v, float):
                    assert abs(theirs[sheet][rc] - v) < 1e-6, f"{src.name} {sheet} {rc}"


def _program(folder, name: str, content: bytes):
    """A program named like LibreOffice's, first on PATH: one that hangs, or one that cannot run."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    path.chmod(0o755)
    return path


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"#!/bin/sh\nexec sleep 30\n", "LibreOffice svarade inte på 0.5 sekunder"),
        (b"\x00\x01 inget program", "kunde inte startas: programfilen går inte att köra"),
    ],
)
def test_libreoffice_that_hangs_or_cannot_start_is_a_libreoffice_error(tmp_path, monkeypatch, content, said):
    _program(tmp_path / "bin", "soffice", content)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    src = tmp_path / "a.xlsx"
    src.write_bytes(b"")
    with pytest.raises(libreoffice.LibreOfficeError, match=said):
        libreoffice.convert([src], tmp_path / "ut", timeout=0.5)


def test_a_conversion_is_waited_for_once_and_cancelled_in_any_order(tmp_path, monkeypatch):
    _program(tmp_path / "bin", "soffice", b"#!/bin/sh\nexit 0\n")  # says it worked, writes nothing
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    src = tmp_path / "a.xlsx"
    src.write_bytes(b"")
    done = libreoffice.start([src], tmp_path / "ut")
    with pytest.raises(
        libreoffice.LibreOfficeError, match=r"kunde inte spara filen \(slutkod 0\). Stäng LibreOffice"
    ):
        done.wait()
    done.cancel()  # after wait: nothing to stop, no error
    with pytest.raises(libreoffice.LibreOfficeError, match="redan avslutad"):
        done.wait()
    stopped = libreoffice.start([src], tmp_path / "ut")
    stopped.cancel()
    stopped.cancel()
    assert not os.path.exists(stopped.tmp.name) and not os.path.exists(done.tmp.name)


@pytest.mark.skipif(os.name != "posix", reason="os.kill med SIGINT är POSIX")
def test_ctrl_c_while_libreoffice_starts_waits_until_it_can_be_stopped():
    reached = False
    with pytest.raises(KeyboardInterrupt), interrupts.held():
        os.kill(os.getpid(), signal.SIGINT)  # delivered at once: Python runs a handler right after
        reached = True  # not interrupted before soffice is known and can be stopped
    assert reached


def test_stop_all_stops_a_conversion_nobody_took_over(tmp_path, monkeypatch):
    _program(tmp_path / "bin", "soffice", b"#!/bin/sh\nexec sleep 30\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    src = tmp_path / "a.xlsx"
    src.write_bytes(b"")
    running = libreoffice.start([src], tmp_path / "ut")
    libreoffice.stop_all()  # what cli.main does when a run ends
    assert running.proc.poll() is not None and not os.path.exists(running.tmp.name)
