"""Konsolidera you can sign: hostile files, dying workers, outputs that would hurt inputs, another
förvaltning's files, duplicates, interruptions and unexpected errors. Real files, real processes."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vss_excel import demo, files, settings, workers
from vss_excel import keys as K
from vss_excel.cli import main
from vss_excel.enhetsmall import reader
from vss_excel.konsolidera import job
from vss_excel.konsolidera.tables import NETTO, TOTAL, UNIT
from vss_excel.model import Severity
from vss_excel.rapport import run

FEL, VARNING, INFO = Severity.FEL, Severity.VARNING, Severity.INFO
LKDATA = "VSS 2020-10 LKDATA.xlsx"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory, soffice):
    out = tmp_path_factory.mktemp("demo")
    demo.run(out, workers=2)
    return out


def _edit_sheet(src: Path, dst: Path, sheet: str, change) -> None:
    """Copy a workbook LibreOffice saved, changing one sheet's XML (a file no program would write)."""
    with zipfile.ZipFile(src) as z:
        names = {n: z.read(n) for n in z.namelist()}
    wb = names["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet name="{sheet}"[^>]*r:id="(rId\d+)"', wb).group(1)
    rels = names["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    part = "xl/" + target.group(1).lstrip("/").removeprefix("xl/")
    names[part] = change(names[part].decode()).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in names.items():
            z.writestr(n, data)


def _bomb(src: Path, dst: Path, size: int = 64 * 2**20) -> None:
    """A real returned file whose shared strings get one more, giant string: 64 MiB unpacked from
    about 64 kB. The file's own strings keep their places, so it still looks like our template."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for n in z.namelist():
            data = z.read(n)
            if n != "xl/sharedStrings.xml":
                out.writestr(n, data)
                continue
            head, tail = data.decode().rsplit("</sst>", 1)
            with out.open(n, "w") as f:
                f.write(head.encode() + b"<si><t>")
                for _ in range(size // 2**20):
                    f.write(b"A" * 2**20)
                f.write(b"</t></si></sst>" + tail.encode())


@pytest.fixture(scope="module")
def hostile(demo_dir, tmp_path_factory):
    """The demo's nine returned files, four of them made hostile, plus files nobody should send."""
    inbox = tmp_path_factory.mktemp("hostile") / "inkorg"
    shutil.copytree(demo_dir / "inkorg", inbox)
    shutil.copytree(demo_dir / "mallar", inbox.parent / "mallar")
    src = demo_dir / "inkorg"

    def far(xml: str) -> str:  # Ctrl+End and a keystroke: a value in the last cell of the sheet
        return xml.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
        )

    def linked(xml: str) -> str:  # Personalkostnader's prognos fetched from another workbook
        return re.sub(
            r'<c r="F6"([^>]*)><v>([^<]*)</v></c>', r'<c r="F6"\1><f>[1]Blad1!A1</f><v>\2</v></c>', xml
        )

    _edit_sheet(src / "VSS 2020-10 Stadsarkivet.xlsx", inbox / "VSS 2020-10 Stadsarkivet.xlsx", "Drift", far)
    _edit_sheet(src / LKDATA, inbox / LKDATA, "Drift", linked)
    _bomb(src / "VSS 2020-10 HR service.xlsx", inbox / "VSS 2020-10 HR service.xlsx")  # a bomb in its place
    os.mkfifo(inbox / "Pipe.xlsx")  # opening it would block the run forever
    os.symlink("/dev/zero", inbox / "Oändlig.xlsx")
    for i in range(5):  # five copies of one unit's file
        shutil.copy2(src / "VSS 2020-10 Ekonomiservice.xlsx", inbox / f"Ekonomiservice kopia {i}.xlsx")
    forv = settings.load_default()
    before = {p.name: p.lstat().st_mtime_ns for p in inbox.iterdir()}
    result = run.konsolidera(
        inbox, forv, forv.period, inbox.parent / "K.xlsx", templates=inbox.parent / "mallar", n_workers=2
    )
    return inbox, result, before


def _hits(result, file: str, text: str):
    return [f for f in result.findings if f.file == file and text in f.message]


def test_a_value_in_the_last_cell_is_read_around_not_gridded(hostile):
    _, result, _ = hostile
    (f,) = _hits(result, "VSS 2020-10 Stadsarkivet.xlsx", "XFD1048576")
    assert f.severity is INFO and f.sheet == "Drift"
    assert "stadsarkivet" in result.selection.chosen  # the file's figures are used


def test_an_external_link_in_an_input_is_a_finding_on_that_cell_and_a_gap(hostile):
    _, result, _ = hostile
    (f,) = _hits(result, LKDATA, "annan arbetsbok")
    assert (f.severity, f.sheet, f.cell) == (FEL, "Drift", "F6")
    assert result.reports["lkdata"].gap(K.drift("personal", K.Drift.PROGNOS))
    assert result.tables.drift.gap((UNIT, "lkdata"), K.Drift.PROGNOS)


def test_a_bomb_a_pipe_and_a_link_are_findings_and_the_run_goes_on(hostile):
    _, result, _ = hostile
    (bomb,) = _hits(result, "VSS 2020-10 HR service.xlsx", "för stor")
    assert bomb.severity is FEL
    (pipe,) = _hits(result, "Pipe.xlsx", "ingen vanlig fil")
    (link,) = _hits(result, "Oändlig.xlsx", "symbolisk länk")
    assert pipe.severity is FEL and link.severity is FEL
    assert {"ledning", "kontakt", "lkdata", "loneservice"} <= set(result.selection.chosen)
    # HR service is missing: its period figures from the template sent, its prognos marked as missing
    lacking = dict(result.tables.drift.lacks((TOTAL, NETTO), K.Drift.PROGNOS))
    assert lacking["hrservice"] == job.NOT_RETURNED


def test_investments_by_kind_add_up_and_a_missing_units_new_projects_are_one_marked_row(hostile):
    _, result, _ = hostile
    inv = result.tables.investeringar.figures
    # HR service sent nothing back: whether it has new projects is unknown, said once, marked
    assert [r for r in inv.rows if r[0] == "hrservice"] == [("hrservice", K.OPEN_INVESTMENT)]
    assert inv.gap(("hrservice", K.OPEN_INVESTMENT), K.Invest.PROGNOS_UTGIFTER)
    summa, utg, ink = (
        (TOTAL, k) for k in (K.INVEST_SUMMA, K.INVEST_VARAV_UTGIFTER, K.INVEST_VARAV_INKOMSTER)
    )
    assert inv.lacks(summa, K.Invest.PROGNOS_NETTO)  # the total says it lacks HR service
    for c in inv.columns:
        parts = (inv.value(utg, c), inv.value(ink, c))
        if inv.value(summa, c) is None:
            assert None in parts, c  # a part never shows a figure the total cannot
        else:
            assert None not in parts and inv.value(summa, c) == parts[0] + parts[1], c
        assert dict(inv.lacks(summa, c)) == dict(inv.lacks(utg, c)) | dict(inv.lacks(ink, c)), c


def test_copies_of_one_file_are_one_finding(hostile):
    _, result, _ = hostile
    about = [f for f in result.findings if f.unit == "ekonomiservice"]
    assert len(about) == 1 and "6 filer för Ekonomiservice" in about[0].message
    assert about[0].severity is VARNING


def test_returned_files_are_only_read(hostile):
    inbox, _, before = hostile
    assert {p.name: p.lstat().st_mtime_ns for p in inbox.iterdir()} == before


def test_peak_memory_on_the_bomb_stays_small(demo_dir, tmp_path):
    """Read the bomb in a fresh process: its shared strings (64 MiB) are never unpacked."""
    _bomb(demo_dir / "inkorg" / LKDATA, tmp_path / "bomb.xlsx")
    # VmHWM: the peak of this process's own memory (ru_maxrss would count the forked pytest too)
    code = (
        "import re; from vss_excel import settings; from vss_excel.enhetsmall import reader; "
        f"rw = reader.read({str(tmp_path / 'bomb.xlsx')!r}, settings.load_default()); "
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
        "print(rw.source.kind.name, int(hwm) // 1024)"
    )
    kind, mib = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert kind == "TOO_LARGE" and int(mib) < 100


# --- worker processes ---------------------------------------------------------------------------


def _work(item: str) -> str:
    if item == "abort":
        os.abort()  # a native crash while reading one file
    if item == "exit":
        os._exit(3)
    if item == "bug":
        raise RuntimeError("ett fel i koden")
    return item.upper()


def _failed(item: str, detail: str) -> str:
    return f"FAILED {item}"


@pytest.mark.parametrize("batch", [1, 8])
def test_a_worker_that_dies_is_noticed_and_its_files_are_retried_alone(batch):
    items = [f"f{i}" for i in range(40)]
    items[5], items[23], items[31] = "abort", "exit", "bug"
    out = workers.run(_work, items, _failed, 2, batch=batch)
    expected = [x.upper() if x.startswith("f") else f"FAILED {x}" for x in items]
    assert out == expected


def test_one_process_runs_in_order_and_a_bug_fails_only_its_item():
    assert workers.run(_work, ["a", "bug", "b"], _failed, 0) == ["A", "FAILED bug", "B"]


@pytest.mark.parametrize("n_workers", [0, 1, 2])
def test_this_process_does_its_own_work_beside_the_workers_between_their_batches(n_workers):
    """Skapa mallar makes the letter in `beside` while the workers write: it is called once the
    workers have items, and again as each batch comes back, so a step that is due is not kept
    waiting until the end."""
    done_before: list[int] = []
    results: list[str] = []

    def progress(done: int, total: int) -> None:
        results.append(str(done))

    out = workers.run(
        _work,
        [f"f{i}" for i in range(6)],
        _failed,
        n_workers,
        batch=1,
        progress=progress,
        beside=lambda: done_before.append(len(results)),
    )
    assert out == [f"F{i}" for i in range(6)]
    assert done_before[0] == 0  # the first call: before any item is done
    # and again as the items (batches of 1) come back, until the last ones are under way
    assert done_before == sorted(done_before) and done_before[-1] >= 6 - n_workers
    if n_workers < 2:  # one at a time: a call after each
        assert done_before == list(range(7 if n_workers == 0 else 6))


def test_the_workers_hand_back_what_the_file_gave_as_one_process_reads_it(demo_dir, tmp_path):
    """Every report crosses from a worker to this process in a compact form of its own: what
    arrives is what one process makes, value for value and gap for gap, with keys that are Keys."""
    inbox = tmp_path / "inkorg"
    shutil.copytree(demo_dir / "inkorg", inbox)

    def linked(xml: str) -> str:  # Personalkostnader's prognos fetched from another workbook: a gap
        return re.sub(
            r'<c r="F6"([^>]*)><v>([^<]*)</v></c>', r'<c r="F6"\1><f>[1]Blad1!A1</f><v>\2</v></c>', xml
        )

    _edit_sheet(demo_dir / "inkorg" / LKDATA, inbox / LKDATA, "Drift", linked)
    forv = settings.load(None)
    here = job.consolidate_folder(inbox, forv, forv.period, n_workers=0)
    there = job.consolidate_folder(inbox, forv, forv.period, n_workers=2)
    assert there.results == here.results and there.tables == here.tables
    lk = next(r.report for r in there.results if r.source.name == LKDATA)
    assert lk is not None
    for mine, theirs in zip([r.report for r in here.results], [r.report for r in there.results], strict=True):
        assert mine is not None and theirs is not None
        assert list(theirs.values.items()) == list(mine.values.items())  # in the order made
        assert list(theirs.gaps.items()) == list(mine.gaps.items())
        assert {type(k) for k in [*theirs.values, *theirs.gaps]} <= {K.Key}
    prognos = K.drift(K.RESULTAT, K.Drift.PROGNOS)
    assert lk.gaps[prognos] == "formel med extern länk, Drift F6" and lk.amount(prognos) is None


@pytest.mark.parametrize("n_workers", [0, 1])
def test_a_bug_leaves_its_traceback_in_a_log_file_not_on_the_screen(n_workers, capfd):
    details: dict[str, str] = {}

    def failed(item: str, detail: str) -> str:
        details[item] = detail
        return f"FAILED {item}"

    assert workers.run(_work, ["a", "bug"], failed, n_workers) == ["A", "FAILED bug"]
    assert "Traceback" not in capfd.readouterr().err
    log = Path(details["bug"].removeprefix("detaljerna finns i "))
    assert "RuntimeError: ett fel i koden" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("items", [["abort"], ["a", "abort", "b"]])
def test_one_worker_still_keeps_a_crash_away_from_the_run(items):
    """A one-CPU machine, or a single file: still read in a worker process, so a file that
    crashes its reader is a failed item and this process goes on."""
    out = workers.run(_work, items, _failed, 1)
    assert out == [x.upper() if x != "abort" else "FAILED abort" for x in items]


def _write_slowly(target: str) -> str:
    with files.replacing(Path(target), ".xlsx") as tmp:
        tmp.write_bytes(b"halvskriven")
        time.sleep(30)  # stopped here, its temporary file half written
    return target


def _hung_up(target: str) -> str:
    with files.replacing(Path(target), ".xlsx") as tmp:
        tmp.write_bytes(b"halvskriven")
        os.kill(os.getpid(), signal.SIGHUP)  # the terminal closed: the whole group hears it
        time.sleep(30)
    return target


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX")
def test_a_worker_that_hears_a_closed_terminal_leaves_no_half_written_file(tmp_path):
    assert workers.run(_hung_up, [str(tmp_path / "a.xlsx")], _failed, 1) == [f"FAILED {tmp_path / 'a.xlsx'}"]
    assert list(tmp_path.iterdir()) == []


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX")
def test_an_interrupted_run_leaves_no_half_written_file_of_a_worker(tmp_path):
    before = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)  # Ctrl+C while both workers write
    try:
        with pytest.raises(KeyboardInterrupt):
            workers.run(_write_slowly, [str(tmp_path / f"{i}.xlsx") for i in range(4)], _failed, 2)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
    assert list(tmp_path.iterdir()) == []


_CTRL_C_AS_THE_SECOND_WORKER_STARTS = """
import multiprocessing, os, signal
from vss_excel import workers

forks = []

def forked():
    forks.append(1)
    if len(forks) == 2:
        os.kill(os.getpid(), signal.SIGINT)

os.register_at_fork(after_in_parent=forked)
try:
    workers.run(str.upper, ["a"] * 100, str, 2)
except KeyboardInterrupt:
    print("avbruten", len(multiprocessing.active_children()))
"""


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="POSIX")
def test_ctrl_c_as_a_worker_starts_leaves_no_worker_behind():
    """The run's `finally` stops the workers it knows: one that was starting as Ctrl+C came is
    known too (it outlived the run, keeping the caller's pipes open, when the command ended
    through os._exit)."""
    out = subprocess.run(
        [sys.executable, "-c", _CTRL_C_AS_THE_SECOND_WORKER_STARTS],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.split() == ["avbruten", "0"], out.stderr


# --- outputs --------------------------------------------------------------------------------------


def test_an_output_inside_the_inbox_or_over_an_input_is_refused(demo_dir, tmp_path, capsys):
    inbox = demo_dir / "inkorg"
    before = (inbox / LKDATA).read_bytes()
    assert main(["konsolidera", "--in", str(inbox), "--ut", str(inbox / LKDATA)]) == 2
    assert main(["konsolidera", "--in", str(inbox), "--ut", str(inbox / "sub" / "K.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "indata skrivs aldrig över" in err and (inbox / LKDATA).read_bytes() == before
    assert not (inbox / "sub").exists()


def test_an_output_open_in_excel_is_refused_with_what_to_do(demo_dir, tmp_path, capsys):
    target = tmp_path / "K.xlsx"
    target.write_bytes(b"the previous consolidation")
    (tmp_path / "~$K.xlsx").write_bytes(b"\x0bEkonom")
    assert main(["konsolidera", "--in", str(demo_dir / "inkorg"), "--ut", str(target)]) == 2
    assert "öppen i Excel" in capsys.readouterr().err and target.read_bytes() == b"the previous consolidation"


@pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(), reason="Linux /proc behövs"
)
def test_sigterm_stops_without_traceback_or_temporary_files(demo_dir, tmp_path):
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    files = sorted((demo_dir / "inkorg").iterdir())
    for i in range(3000):
        shutil.copy(files[i % len(files)], inbox / f"{i:04d} {files[i % len(files)].name}")
    target = tmp_path / "K.xlsx"
    target.write_bytes(b"the previous consolidation")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vss_excel.cli", "konsolidera", "--in", str(inbox), "--ut", str(target)],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while proc.poll() is None and not children.read_text().split():  # its workers are reading
        assert time.monotonic() < deadline, "no worker started within a minute"
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be interrupted; give it more files"
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "Avbrutet." in err and "Traceback" not in err
    assert target.read_bytes() == b"the previous consolidation"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~vss-")]


# --- settings and the inbox's förvaltning ------------------------------------------------------------


def test_files_of_another_forvaltning_are_said_once(demo_dir, tmp_path):
    forv = settings.load_default()
    other = dataclasses.replace(forv, name="Kultur och fritid")
    result = job.consolidate_folder(demo_dir / "inkorg", other, other.period)
    errors = [f for f in result.findings if f.severity is FEL]
    assert len(errors) == 1
    assert "Verksamhetsstöd och service" in errors[0].message and "--installningar" in errors[0].message


def test_settings_are_found_beside_the_inbox(demo_dir, tmp_path, capsys):
    inbox = tmp_path / "inkorg"
    shutil.copytree(demo_dir / "inkorg", inbox)
    text = settings.default_text().replace("manad = 10", "manad = 11")
    (tmp_path / "vss-excel.toml").write_text(text, encoding="utf-8")
    assert main(["konsolidera", "--in", str(inbox), "--ut", str(tmp_path / "K.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "Inställningar: " in err and "vss-excel.toml" in err
    assert "konsolideringen gäller 2020-11" in err  # the found settings took effect


# --- errors in Swedish ----------------------------------------------------------------------------------


def test_an_unexpected_error_gives_a_swedish_message_and_a_log_file(monkeypatch, capsys):
    from vss_excel import cli

    def broken(args):
        raise RuntimeError("internal detail")

    monkeypatch.setitem(cli.COMMANDS, "demo", broken)
    assert main(["demo"]) == 3
    err = capsys.readouterr().err
    assert "ett oväntat fel inträffade" in err and "internal detail" not in err
    log = Path(re.search(r"finns i (\S+\.log)", err).group(1))
    assert "RuntimeError: internal detail" in log.read_text(encoding="utf-8")


def test_an_underlag_that_is_no_workbook_is_told_in_swedish(tmp_path, forv):
    from vss_excel.ledger import underlag

    bad = tmp_path / "export.xlsx"
    bad.write_bytes(b"no workbook")
    _, findings = underlag.read(bad, forv)
    assert [f.message for f in findings] == [
        "Underlaget kunde inte läsas som CSV eller Excelfil. Spara det som CSV eller .xlsx."
    ]


def test_a_file_that_disappears_or_cannot_be_read_is_named(tmp_path, forv):
    gone = reader.read(tmp_path / "borta.xlsx", forv)
    assert gone.source.kind is reader.FileKind.UNREADABLE and "finns inte" in gone.source.error


def test_marks_render_in_the_file_as_numbers_with_a_visible_mark(hostile):
    _, result, _ = hostile
    ws = openpyxl.load_workbook(result.output)["Driftsammandrag"]
    marked = [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, int) and '" *"' in c.number_format
    ]
    assert marked and all(c.fill.fgColor.rgb.endswith("FCE4D6") for c in marked)


def test_the_economists_texts_survive_a_new_run(demo_dir, tmp_path, capsys):
    from vss_excel.rapport import texter

    target = tmp_path / "K.xlsx"
    assert main(["konsolidera", "--in", str(demo_dir / "inkorg"), "--ut", str(target)]) == 0
    wb = openpyxl.load_workbook(target)
    ws = wb[texter.NAME]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, texter.KEY_COL + 1).value == "uppdrag")
    ws.cell(row, texter.TEXT_COL + 1).value = "VSS samlar kommunens interna tjänster."
    wb.save(target)  # as Excel would: the economist wrote in the yellow column
    assert main(["konsolidera", "--in", str(demo_dir / "inkorg"), "--ut", str(target)]) == 0
    assert texter.read(target) == {"uppdrag": "VSS samlar kommunens interna tjänster."}
    target.write_bytes(b"not a workbook any more")
    assert main(["konsolidera", "--in", str(demo_dir / "inkorg"), "--ut", str(target)]) == 2
    assert "texterna skrivs aldrig över" in capsys.readouterr().err
    assert target.read_bytes() == b"not a workbook any more"


def test_the_cli_line_marks_the_totals_that_lack_a_unit(hostile):
    from vss_excel.konsolidera.summary import drift_line

    _, result, _ = hostile
    line = drift_line(result)  # HR service returned nothing usable: its prognos is missing
    assert re.search(r"prognos helår -?[\d ]+ tkr\* ", line)
    assert line.endswith("(* saknar enheter, se nedan)")
    assert re.search(r"redovisat hittills -?[\d ]+ tkr mot", line)  # from the template that was sent
