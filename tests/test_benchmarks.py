"""The benchmark scripts still run against today's code, at a tiny size (their figures are not
judged here: speed goals live in the scripts, not in timed tests)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def run(script: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_every_benchmark_is_run_here():
    assert {p.name for p in BENCH.glob("bench_*.py")} == {
        "bench_konsolidera.py",
        "bench_mallar.py",
        "bench_rapport.py",
        "bench_sie.py",
        "bench_xlsx_reader.py",
    }


def test_bench_mallar():
    out = run("bench_mallar.py", "3")
    for workers in (1, 2):  # a row per process count: seconds, ms and CPU ms a template, files a second
        row = re.search(rf"^\s+3\s+{workers}\s+(\d+\.\d+)\s+\d+\.\d+\s+(\d+\.\d+)\s+\d+$", out, re.M)
        assert row and float(row[1]) > 0 and float(row[2]) > 0, out


def test_bench_sie():
    out = run("bench_sie.py", "5000")
    written = re.search(r"wrote ([\d,]+) balance rows", out)
    parsed = re.search(r"parsed ([\d,]+) #PSALDO \+ ([\d,]+) #PBUDGET rows .* findings: 0$", out, re.M)
    assert written and parsed, out
    psaldo, pbudget, rows = (int(x.replace(",", "")) for x in (parsed[1], parsed[2], written[1]))
    assert psaldo + pbudget == rows  # every row read back


@pytest.fixture(scope="module")
def konsolidera_bench(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A förvaltning of three units, prepared once for both benchmarks that read it."""
    folder = tmp_path_factory.mktemp("bench")
    return folder, run("bench_konsolidera.py", "3", "--mapp", str(folder))


def _ratio(out: str) -> float:
    found = re.search(r"kvot mot calaminens läsning: (\d+\.\d)x \(mål högst (\d+)x: (inom|över)\)", out)
    assert found, out
    assert (found[3] == "inom") == (float(found[1]) <= int(found[2])), out  # the verdict follows the figure
    return float(found[1])


@pytest.mark.libreoffice
def test_bench_konsolidera(konsolidera_bench):
    _, out = konsolidera_bench
    assert "fas för fas" in out and "3 filer lästa, 3 används" in out
    assert _ratio(out) > 1  # the whole command, against only calamine's reading


@pytest.mark.libreoffice
def test_bench_konsolidera_on_the_demo(writer, tmp_path):
    out = run("bench_konsolidera.py", "--demo", "--mapp", str(tmp_path))
    assert "9 filer lästa, 9 används" in out and "fas för fas" in out
    assert _ratio(out) > 1


@pytest.mark.libreoffice
def test_bench_xlsx_reader(konsolidera_bench):
    folder, _ = konsolidera_bench
    out = run("bench_xlsx_reader.py", str(folder), "10")
    every = re.search(r"^all\s+(\d+)\s", out, re.M)
    assert every and int(every[1]) == len(list(folder.rglob("*.xlsx"))), out  # every file read


@pytest.mark.libreoffice
def test_bench_rapport(writer):
    assert "Word-rapporten" in run("bench_rapport.py", "1")
