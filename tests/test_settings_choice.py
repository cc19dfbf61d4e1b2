"""No example settings by mistake: every command that uses settings says on its first line which,
and the built-in example (VSS) is refused for another förvaltning's files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from vss_excel import settings
from vss_excel.cli import main

OTHER = "Kultur och fritid"
EXAMPLE_LINE = "Inställningar: det inbyggda exemplet (VSS, Verksamhetsstöd och service)."


def _other_settings(path: Path) -> Path:
    text = settings.default_text()
    text = text.replace('namn = "Verksamhetsstöd och service"', f'namn = "{OTHER}"', 1)
    text = text.replace('kortnamn = "VSS"', 'kortnamn = "KoF"', 1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Another förvaltning's settings and an inbox of its (unfilled) templates, in folders where no
    vss-excel.toml is found."""
    root = tmp_path_factory.mktemp("kof")
    toml = _other_settings(root / "kof.toml")
    inbox = root / "period" / "inkorg"
    assert main(["mallar", "--installningar", str(toml), "--ut", str(inbox), "--enhet", "lkdata"]) == 0
    for extra in inbox.glob("*"):
        if extra.suffix != ".xlsx":
            extra.unlink()  # the letter and the list for sending are not the units' files
    return toml, inbox


def _first_line(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err.splitlines()[0]


def test_every_command_with_settings_names_them_first(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inkorg").mkdir()
    for args in (
        ["mallar", "--ut", "m", "--enhet", "lkdata"],
        ["exempelmall", "--ut", "e.xlsx"],
        ["konsolidera", "--in", "inkorg"],
        ["rapport", "--in", "inkorg", "--ingen-pdf"],
        ["prognossakerhet", "--ar", "2020"],
        ["arbetsbok", "--ut", "K.xlsm"],
    ):
        main(args)
        assert _first_line(capsys) == EXAMPLE_LINE + (
            " Egna inställningar: vss-excel init, eller ange --installningar FIL."
        ), args
    # a file found is named instead, arbetsbok too (it looks in the working folder as the others do)
    _other_settings(tmp_path / settings.FILE_NAME)
    assert main(["arbetsbok", "--ut", "K.xlsm"]) == 0
    assert _first_line(capsys) == f"Inställningar: {tmp_path / settings.FILE_NAME}"
    start = openpyxl.load_workbook(tmp_path / "K.xlsm")["Start"]
    assert any(OTHER in str(c.value) for row in start.iter_rows() for c in row if c.value)


@pytest.mark.parametrize("command", ["konsolidera", "rapport"])
def test_another_forvaltnings_inbox_is_refused_with_the_example(other, command, capsys, monkeypatch):
    toml, inbox = other
    monkeypatch.chdir(inbox.parent)
    before = sorted(p.name for p in inbox.parent.rglob("*"))
    assert main([command, "--in", "inkorg"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(EXAMPLE_LINE)
    assert f"Filerna i inkorgen gäller {OTHER}, men inga inställningar för den hittades" in err
    assert "--installningar FIL" in err and "Inget skrevs." in err
    assert sorted(p.name for p in inbox.parent.rglob("*")) == before  # no workbook, report or archive
    # pointed at the right file, the run goes on
    args = [command, "--in", "inkorg", "--installningar", str(toml)]
    assert main(args + (["--ingen-pdf"] if command == "rapport" else [])) in (0, 1)
    assert f"gäller {OTHER}" not in capsys.readouterr().err


def test_arbetsbok_is_refused_beside_another_forvaltnings_inbox(other, capsys, monkeypatch):
    _, inbox = other
    monkeypatch.chdir(inbox.parent)
    assert main(["arbetsbok", "--ut", "Konsolidering.xlsm"]) == 2
    assert f"Filerna i inkorgen gäller {OTHER}" in capsys.readouterr().err
    assert not (inbox.parent / "Konsolidering.xlsm").exists()
