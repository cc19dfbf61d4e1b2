from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

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


def test_rapport_refuses_a_templates_folder_that_is_not_there_as_konsolidera_does(tmp_path, capsys):
    (tmp_path / "inkorg").mkdir()
    for command in ("konsolidera", "rapport"):
        args = [command, "--in", str(tmp_path / "inkorg"), "--mallar", str(tmp_path / "saknas")]
        assert main(args) == 2, command
        assert (
            "Mallmappen" in capsys.readouterr().err
            and not (tmp_path / "Konsolidering VSS 2020-10.xlsx").exists()
        )


def test_flags_are_never_guessed_from_a_prefix_and_argparse_speaks_swedish(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["mallar", "--under", "huvudbok.se", "--ut", str(tmp_path)])
    assert stopped.value.code == 2 and "okända argument: --under" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["init", str(tmp_path / "inst.toml"), "--skriv-over=ja"])
    err = capsys.readouterr().err
    assert "argument --skriv-over: tar inget värde (fick 'ja')" in err and "ignored" not in err
    proc = subprocess.run(
        [sys.executable, "-m", "vss_excel.cli", "init", "--help"], capture_output=True, text=True
    )
    assert "\nargument:\n  fil" in proc.stdout and "positional" not in proc.stdout


def test_an_os_error_without_a_code_is_said_in_swedish():
    import errno

    from vss_excel.errors import os_reason

    assert os_reason(OSError("Some English text")) == "okänt fel i operativsystemet"
    assert os_reason(OSError(errno.EACCES, "Permission denied")) == "behörighet saknas"
    assert (
        os_reason(OSError(errno.ECHILD, "No child processes"))
        == f"operativsystemet gav felkod {errno.ECHILD}"
    )


# The report (vss-excel rapport): what it says where a value is missing, and a template's faults.


def _tables(forv, values=None):
    from vss_excel.konsolidera import tables
    from vss_excel.model import UnitReport

    values = values or {}
    return tables.build(
        forv, {u.id: UnitReport(u.id, forv.period, "", values.get(u.id, {})) for u in forv.units}
    )


def test_an_activity_status_not_in_the_list_is_shown_missing_as_it_is_counted(forv):
    from vss_excel.keys import Act, activity
    from vss_excel.rapport.dokument import plan

    first = forv.activities[0]
    t = _tables(forv, {first.unit: {activity(first.id, Act.STATUS): "Klart (nästan)"}})
    assert t.status_counts.rows[first.perspective]["Saknas"] >= 1
    cells = [row[3] for p in plan.perspectives(forv, forv.period, t) for row in p.table.rows]
    assert "Klart (nästan)" not in [c.text for c in cells]
    assert all(c.text == "saknas" and c.italic for c in cells if c.text not in forv.statuses)
    (note,) = plan.status_table(forv, t).notes
    assert note.startswith("Saknas: aktiviteter som saknar giltig status")


def test_a_missing_budget_is_marked_in_the_chart_and_named_in_its_alt_text(forv):
    from vss_excel.rapport.dokument import charts

    chart = charts.drift(forv, forv.period, _tables(forv))  # no unit has a budget
    assert f"Budget saknas för {', '.join(u.name for u in forv.units)}." in chart.description


def test_a_template_that_cannot_be_used_is_said_in_swedish_with_where(forv, tmp_path, capsys):
    import docx

    (tmp_path / "inkorg").mkdir()
    base = ["rapport", "--in", str(tmp_path / "inkorg"), "--ingen-pdf", "--ut", str(tmp_path / "ut")]
    not_word = tmp_path / "mall.docx"
    not_word.write_text("inget Word-dokument", encoding="utf-8")
    assert main([*base, "--mall", str(not_word)]) == 2  # a refused template, not an unexpected error
    assert "kunde inte öppnas: det är inget Word-dokument" in capsys.readouterr().err
    broken = docx.Document()
    broken.add_paragraph("{{ rubrik ")
    broken.save(str(not_word))
    assert main([*base, "--mall", str(not_word)]) == 2
    err = capsys.readouterr().err
    assert "en tagg är felskriven (rad " in err and err.rstrip().endswith(
        "(Mallmotorns text: unexpected '/')"
    )


def test_counts_agree_in_number(forv):
    import dataclasses

    from vss_excel.model import Finding, Severity
    from vss_excel.rapport.common import count_label
    from vss_excel.swedish import count_text

    warning = Finding(Severity.VARNING, "a.xlsx", "Drift", "F5", "x")
    assert count_text([warning]) == "0 fel, 1 varning, 0 info"
    assert count_text([warning, warning]) == "0 fel, 2 varningar, 0 info"
    alone = dataclasses.replace(forv, units=forv.units[:1])
    assert count_label("Summa", (("ledning", "saknas"),), alone) == "Summa (0 av 1 enhet)"
    assert count_label("Summa", (("ledning", "saknas"),), forv) == "Summa (8 av 9 enheter)"


def test_mallar_for_one_unit_says_one_template(tmp_path, capsys):
    assert main(["mallar", "--ut", str(tmp_path), "--enhet", "lkdata"]) == 0
    assert "1 mall för jan–okt 2020 skrevs" in capsys.readouterr().err
