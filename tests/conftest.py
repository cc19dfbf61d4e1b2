from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The tests' own settings cache (their subprocesses inherit it): never the user's.
os.environ.setdefault("VSS_EXCEL_CACHE", tempfile.mkdtemp(prefix="vss-excel-cache-"))

from vss_excel import libreoffice, settings
from vss_excel.cli import example_underlag
from vss_excel.ledger import underlag
from vss_excel.model import Forvaltning, Prefill


@pytest.fixture(scope="session")
def forv() -> Forvaltning:
    return settings.load_default()


@pytest.fixture(scope="session")
def prefill(forv: Forvaltning) -> Prefill:
    p, findings = underlag.read(example_underlag(), forv)
    assert findings == []
    return p


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice headless; in CI its absence is a failure, not a skip."""
    path = libreoffice.find()
    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("LibreOffice saknas i CI: installera libreoffice-calc-nogui (se .ci/run).")
        pytest.skip("LibreOffice är inte installerat")
    return path


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vss")


@pytest.fixture(scope="session")
def writer(soffice: str) -> None:
    """LibreOffice Writer for the PDFs; in CI its absence is a failure, not a skip."""
    from vss_excel import pdf

    if not pdf.writer_installed():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("LibreOffice Writer saknas i CI: installera libreoffice-writer-nogui (se .ci/run).")
        pytest.skip("LibreOffice Writer är inte installerat")
