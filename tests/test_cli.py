from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from vss_excel.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_mallar_writes_the_nine_vss_workbooks(tmp_path, capsys):
    assert main(["mallar", "--period", "2020-10", "--ut", str(tmp_path / "ut")]) == 0
    files = sorted(p.name for p in (tmp_path / "ut").glob("*.xlsx"))
    assert len(files) == 9 and all(f.startswith("VSS 2020-10 ") for f in files)
    # with them, the letter to the units and the list for sending
    assert (tmp_path / "ut" / "Instruktioner till enheterna VSS 2020-10.docx").exists()
    assert (tmp_path / "ut" / "Utskick VSS 2020-10.csv").exists()
    err = capsys.readouterr().err
    assert "Inget underlag angivet" in err and "9 mallar för jan–okt 2020" in err


def test_mallar_never_overwrites_a_file_that_may_be_filled(tmp_path, capsys):
    out = tmp_path / "ut"
    assert main(["mallar", "--ut", str(out), "--enhet", "lkdata"]) == 0
    target = out / "VSS 2020-10 LKDATA.xlsx"
    target.write_bytes(b"ifylld av enheten")
    assert main(["mallar", "--ut", str(out), "--enhet", "lkdata"]) == 1
    assert target.read_bytes() == b"ifylld av enheten"
    assert "finns redan och skrevs inte över" in capsys.readouterr().err
    assert main(["mallar", "--ut", str(out), "--enhet", "lkdata", "--skriv-over"]) == 0
    assert openpyxl.load_workbook(target).sheetnames[0] == "Drift"


def test_mallar_with_underlag_and_problems(tmp_path, capsys):
    u = tmp_path / "u.csv"
    u.write_text(
        "enhet;post;kolumn;belopp\nlkdata;intakter;redovisat;100\nnågon;intakter;budget;1\n",
        encoding="utf-8",
    )
    assert main(["mallar", "--ut", str(tmp_path / "ut"), "--underlag", str(u), "--processer", "2"]) == 1
    err = capsys.readouterr().err
    assert "[fel] u.csv rad 3: Enheten 'någon' finns inte" in err
    assert len(list((tmp_path / "ut").glob("*.xlsx"))) == 9  # the rest of the work went on


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["mallar", "--period", "2020-13", "--ut", str(tmp_path)]) == 2
    assert "Ogiltig period" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[forvaltning]\n", encoding="utf-8")
    assert main(["mallar", "--installningar", str(bad), "--ut", str(tmp_path)]) == 2
    assert "nyckeln 'period' saknas" in capsys.readouterr().err
    proc = subprocess.run([sys.executable, "-m", "vss_excel.cli", "okänt"], capture_output=True, text=True)
    assert proc.returncode == 2 and "ogiltigt val" in proc.stderr


def test_help_is_swedish():
    proc = subprocess.run(
        [sys.executable, "-m", "vss_excel.cli", "mallar", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("användning: vss-excel mallar")  # once, not "användning: användning:"
    assert "visa den här hjälpen" in proc.stdout


def test_init(tmp_path, capsys):
    assert main(["init", str(tmp_path / "inst.toml")]) == 0
    assert main(["init", str(tmp_path / "inst.toml")]) == 2  # refuses to overwrite
    assert "finns redan" in capsys.readouterr().err
    assert main(["mallar", "--installningar", str(tmp_path / "inst.toml"), "--ut", str(tmp_path / "m")]) == 0


def test_demo_never_takes_over_a_folder_it_did_not_make(tmp_path, capsys):
    mine = tmp_path / "mitt"
    (mine / "inkorg").mkdir(parents=True)
    (mine / "inkorg" / "viktig.xlsx").write_bytes(b"enhetens fil")
    assert main(["demo", "--ut", str(mine)]) == 2
    assert "är ingen demomapp" in capsys.readouterr().err
    assert (mine / "inkorg" / "viktig.xlsx").read_bytes() == b"enhetens fil"
