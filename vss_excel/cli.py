"""Command line: vss-excel demo | mallar | konsolidera | init | arbetsbok | kontrollera | exempelmall.

Exit codes: 0 done, nothing wrong; 1 done, with fel in the files (or totals that lack units);
2 the command could not run (arguments, settings, an output in the way); 3 an unexpected error
(the message names a log file with the details); 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

from . import interrupts, libreoffice, settings, workers
from .arguments import (
    EXIT_FEL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    build_parser,
)
from .errors import UserError, log_unexpected, os_reason
from .model import Finding, Forvaltning, Period, Severity, sorted_findings
from .paths import INBOX_FOLDER, TEMPLATES_FOLDER, konsolidering_name
from .swedish import count

# The commands import what they need when they run: `konsolidera` never loads docx or matplotlib,
# and --help is quick.


def _settings_path(args: argparse.Namespace, *folders: Path) -> Path | None:
    """--installningar, else vss-excel.toml in the working folder (or the folders given), else None:
    the built-in example. The first line says which, so the user knows what was used."""
    path = Path(args.installningar) if args.installningar else settings.find(Path.cwd(), *folders)
    if path is None:
        print(
            "Inställningar: det inbyggda exemplet (VSS, Verksamhetsstöd och service). Egna inställningar: "
            "vss-excel init, eller ange --installningar FIL.",
            file=sys.stderr,
        )
    else:
        print(f"Inställningar: {path}", file=sys.stderr)
    return path


def _load_settings(args: argparse.Namespace, *folders: Path) -> tuple[Forvaltning, bool]:
    """The settings (see _settings_path), and whether they are the built-in example's."""
    path = _settings_path(args, *folders)
    return settings.load(path), path is None


def _absolute(path: str) -> Path:
    """A folder the user gave, absolute ('.' has a parent) but as given (links not followed)."""
    return Path(os.path.abspath(path))


def _output(given: str | None, default: Path) -> Path:
    """The file to write: --ut as given, the default name inside it when it is a folder ('.'),
    the default when it was not given."""
    if given is None:
        return default
    path = Path(given)
    return path / default.name if path.is_dir() else path


def _settings(args: argparse.Namespace, *folders: Path) -> tuple[Forvaltning, Period]:
    forv, _ = _load_settings(args, *folders)
    return forv, forv.period_for(args.period)


@dataclass(frozen=True)
class _Inbox:
    folder: Path
    forv: Forvaltning
    period: Period
    templates: Path | None
    example: bool  # the built-in example's settings: refused for another förvaltning's files


def _inbox(args: argparse.Namespace) -> _Inbox:
    """The inbox (--in), the settings found beside it, and the sent templates: --mallar must
    exist when given; the default folder beside the inbox is used where there is one."""
    folder = _absolute(args.in_)  # its parent is where the outputs go by default, also for '.'
    if not folder.is_dir():
        raise UserError(f"Inkorgen {folder} finns inte eller är ingen mapp.")
    forv, example = _load_settings(args, folder, folder.parent)
    period = forv.period_for(args.period)
    templates = None
    if args.mallar:
        templates = Path(args.mallar)
        if not templates.is_dir():
            raise UserError(f"Mallmappen {templates} finns inte eller är ingen mapp.")
    elif (default := folder.parent / TEMPLATES_FOLDER).is_dir():
        templates = default
    return _Inbox(folder, forv, period, templates, example)


def _print_findings(findings: Sequence[Finding]) -> None:
    for f in sorted_findings(findings):
        print(f.line(), file=sys.stderr)


def cmd_mallar(args: argparse.Namespace) -> int:
    from . import archive
    from .enhetsmall.mallar import skapa_mallar

    forv, period = _settings(args)
    if not args.underlag:
        print("Inget underlag angivet: beloppen lämnas tomma.", file=sys.stderr)
    folder = Path(args.arkiv) if args.arkiv else Path(args.ut).resolve().parent / archive.FOLDER
    sent = skapa_mallar(
        forv,
        period,
        Path(args.ut),
        [Path(p) for p in args.underlag or ()],
        folder,
        args.enhet,
        max(1, args.processer),
        args.skriv_over,
    )
    if sent.earlier is not None:
        print(f"Föregående prognos: {sent.earlier.span()} ur arkivet {folder}.", file=sys.stderr)
    for path in [*sent.written, *sent.files]:
        print(path)
    written = count(len(sent.written), "mall", "mallar")
    print(f"{written} för {period.span()} skrevs till {args.ut}.", file=sys.stderr)
    _print_findings(sent.findings)
    return EXIT_FEL if any(f.severity is Severity.FEL for f in sent.findings) else EXIT_OK


def cmd_exempelmall(args: argparse.Namespace) -> int:
    from .enhetsmall import writer as template

    forv, period = _settings(args)
    out = _output(args.ut, Path(f"Enhetsmall {forv.short_name}.xlsx"))
    out.parent.mkdir(parents=True, exist_ok=True)
    template.write_workbook(out, forv, forv.units[0], period, None)
    print(out)
    return EXIT_OK


def example_underlag() -> Path:
    from . import demo

    return demo.data_file("exempel_underlag.csv")


def _progress() -> workers.Progress | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total >= 20:
            end = "\n" if done == total else ""
            print(f"\rLäser filer: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_konsolidera(args: argparse.Namespace) -> int:
    from . import archive
    from .konsolidera.summary import drift_line, summary
    from .rapport import run

    box = _inbox(args)
    forv, period = box.forv, box.period
    target = _output(args.ut, box.folder.parent / konsolidering_name(forv, period))
    result = run.konsolidera(
        box.folder,
        forv,
        period,
        target,
        Path(args.arkiv) if args.arkiv else target.parent / archive.FOLDER,
        templates=box.templates,
        n_workers=max(1, args.processer),
        progress=_progress(),
        example=box.example,
    )
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "allvar": f.severity.value,
                        "enhet": f.unit,
                        "fil": f.file,
                        "blad": f.sheet,
                        "cell": f.cell,
                        "meddelande": f.message,
                    }
                    for f in result.findings
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        _print_findings(result.findings)
        print(f"Konsolideringen skrevs till {result.output}.")
        print(drift_line(result))
        print(summary(result, forv))
    incomplete = bool(result.tables.drift.all_lacking())
    return EXIT_FEL if result.has_errors or incomplete else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from . import demo
    from .konsolidera.summary import drift_line, summary
    from .rapport.dokument import file_stem

    out = Path(args.ut)
    result, findings, by_lo = demo.run(out, workers.default_workers())
    forv = settings.load_default()
    print(
        "VSS, delår oktober 2020: mallar skapade, ifyllda som enheterna gjort och "
        + ("sparade i LibreOffice." if by_lo else "sparade direkt (LibreOffice saknas).")
    )
    print(f"  Mallar:         {out / 'mallar'}")
    print(f"  Ifyllda filer:  {out / 'inkorg'}")
    print(f"  Konsolidering:  {result.output}")
    for report in sorted(out.glob(f"{file_stem(forv, forv.period)}.*")):
        print(f"  Rapport:        {report}")
    print(drift_line(result))
    print(summary(result, forv))
    for f in result.findings[:8]:
        print("  " + f.line())
    if len(result.findings) > 8:
        print(f"  … och {len(result.findings) - 8} till på bladet Kontroll.")
    _print_findings(findings)
    return EXIT_OK


def cmd_rapport(args: argparse.Namespace) -> int:
    from .konsolidera import job as jobs
    from .rapport import texter
    from .rapport.dokument import write_report

    box = _inbox(args)
    forv, period, folder = box.forv, box.period, box.folder
    book = (
        Path(args.konsolidering) if args.konsolidering else folder.parent / konsolidering_name(forv, period)
    )
    texts = texter.read(book) if book.exists() else {}
    if not book.exists():
        print(
            f"{book.name} finns inte: rapporten får bara platshållare för förvaltningens texter.",
            file=sys.stderr,
        )
    result = jobs.consolidate_folder(
        folder, forv, period, max(1, args.processer), _progress(), box.templates, box.example
    )
    out = Path(args.ut) if args.ut else folder.parent
    written = write_report(
        out,
        forv,
        period,
        result.tables,
        texts,
        pdf=not args.ingen_pdf,
        template=Path(args.mall) if args.mall else None,
        inputs=[folder],
    )
    for path in (written.docx, written.pdf):
        if path is not None:
            print(path)
    for note in written.notes:
        print(note, file=sys.stderr)
    incomplete = bool(result.tables.drift.all_lacking())
    return EXIT_FEL if result.has_errors or incomplete else EXIT_OK


def cmd_rapportmall(args: argparse.Namespace) -> int:
    from .rapport.dokument import build_template

    print(build_template(_output(args.ut, Path("Rapportmall.docx"))))
    return EXIT_OK


def cmd_prognossakerhet(args: argparse.Namespace) -> int:
    from . import archive
    from .konsolidera.accuracy import accuracy
    from .rapport import konsolidering, prognossakerhet

    folder = _absolute(args.arkiv)
    forv, _ = _load_settings(args, folder.parent)
    measured = accuracy(forv, args.ar, archive.snapshots(folder, forv))
    if measured is None:
        raise UserError(
            f"Arkivet {folder} har inget utfall för {args.ar}: det behövs en konsolidering för december "
            f"{args.ar} (eller en från {args.ar + 1})."
        )
    target = _output(args.ut, folder.parent / f"Prognossäkerhet {forv.short_name} {args.ar}.xlsx")
    konsolidering.write(target, forv, Period(args.ar, 12), [prognossakerhet.describe(args.ar, measured)])
    print(f"Prognossäkerheten för {args.ar} skrevs till {target}.")
    return EXIT_OK


def cmd_arbetsbok(args: argparse.Namespace) -> int:
    from .konsolidera import job as jobs

    default = Path("Konsolidering Lite.xlsx" if args.lite else "workbooks/Konsolidering.xlsm")
    target = _output(args.ut, default)
    settings_path = _settings_path(args, target.parent)
    if settings_path is None:  # the button will read the inbox beside the workbook
        example = settings.load_default()
        jobs.refuse_example_for_others(jobs.glance(target.parent / INBOX_FOLDER, example), example)
    if args.lite:
        from .excel.build import lite

        path = lite.build(target, settings_path)
        beside = lite.lite_folder(path)
        print(f"{path} byggd för xlwings Lite; main.py, requirements.txt och personal i {beside}.")
        return EXIT_OK
    from .excel.build import xlsm, xlwings_api

    path = xlsm.build(target, settings_path)
    print(f"{path} byggd med xlwings {xlwings_api.xlwings_version()}.")
    return EXIT_OK


def cmd_kontrollera(args: argparse.Namespace) -> int:
    """The Windows set-up's last step: versions agree and a UDF computes."""
    from .excel import udfs
    from .excel.build import xlsm, xlwings_api

    ok = True
    installed = xlwings_api.xlwings_version()
    print(f"Python: {sys.executable}")
    print(f"xlwings installerat: {installed}")
    if args.arbetsbok:
        embedded = xlsm.embedded_xlwings_version(Path(args.arbetsbok))
        same = embedded == installed
        ok &= same
        verdict = "(stämmer)" if same else "(STÄMMER INTE: installera samma version)"
        print(f"xlwings i arbetsboken: {embedded} {verdict}")
    result = udfs.VSS_AVVIKELSE(1200.0, 1000.0)
    ok &= result == 200.0
    print(f"Excelfunktionen VSS_AVVIKELSE(1200; 1000) = {result}")
    print("Installationen är klar." if ok else "Installationen är inte klar; se raderna ovan.")
    return EXIT_OK if ok else EXIT_FEL


def cmd_init(args: argparse.Namespace) -> int:
    path = settings.write_default(args.fil, overwrite=args.skriv_over)
    print(
        f"Standardinställningarna skrevs till {path}. Redigera filen; den hittas av sig själv i arbetsmappen."
    )
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "mallar": cmd_mallar,
    "exempelmall": cmd_exempelmall,
    "konsolidera": cmd_konsolidera,
    "arbetsbok": cmd_arbetsbok,
    "prognossakerhet": cmd_prognossakerhet,
    "rapport": cmd_rapport,
    "rapportmall": cmd_rapportmall,
    "kontrollera": cmd_kontrollera,
    "demo": cmd_demo,
}


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # ends the run as Ctrl+C does: temporary files removed, LibreOffice stopped


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    previous = {sig: signal.signal(sig, _terminate) for sig in interrupts.STOPPING}
    try:
        return COMMANDS[args.command](args)
    except UserError as e:
        print(f"vss-excel: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        print(f"vss-excel: kunde inte läsa eller skriva{where}: {os_reason(e)}.", file=sys.stderr)
        return EXIT_USAGE
    except Exception:
        path = log_unexpected()
        print(
            f"vss-excel: ett oväntat fel inträffade. Detaljerna finns i {path}; skicka filen till den som "
            "sköter vss-excel.",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    finally:
        libreoffice.stop_all()  # one that an interruption left running, between start and handover
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run() -> NoReturn:
    """The command `vss-excel`: main(), its output flushed, and then out without tearing down the
    interpreter, which only frees what the process is about to give back (measured 0.04-0.06 s
    of a Konsolidera of nine files). Every file is closed and every worker joined by then."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (| head): nothing more to say
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
