"""The benchmark scripts still run against today's code, at a tiny size (their figures are not
judged here: speed goals live in the scripts, not in timed tests)."""

from __future__ import annotations

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
    assert "ms/fil" in run("bench_mallar.py", "3")


def test_bench_sie():
    assert "#PSALDO" in run("bench_sie.py", "5000")


@pytest.mark.libreoffice
def test_bench_konsolidera(soffice, tmp_path):
    out = run("bench_konsolidera.py", "3", "--mapp", str(tmp_path))
    assert "fas för fas" in out and "3 filer lästa, 3 används" in out


@pytest.mark.libreoffice
def test_bench_xlsx_reader(soffice, tmp_path):
    run("bench_konsolidera.py", "3", "--mapp", str(tmp_path))
    assert "ours" in run("bench_xlsx_reader.py", str(tmp_path), "10")


@pytest.mark.libreoffice
def test_bench_rapport(writer):
    assert "Word-rapporten" in run("bench_rapport.py", "1")
