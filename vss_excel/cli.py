"""Command line: vss-excel demo | mallar | konsolidera | init | arbetsbok | kontrollera | exempelmall."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import demo, settings
from .enhetsmall import writer as template
from .konsolidera import inbox
from .konsolidera import job as jobs
from .konsolidera import tables as consolidate
from .konsolidera.checks import tkr_text
from .ledger import underlag
from .model import Finding, Forvaltning, Period, Severity, count_text, sorted_findings

EXIT_OK, EXIT_FEL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: fel: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _swedish_argparse() -> None:
    # argparse's own words; the rest of the help is ours.
    words = {
        "usage: ": "användning: ",
        "options": "flaggor",
        "positional arguments": "argument",
        "show this help message and exit": "visa den här hjälpen och avsluta",
        "the following arguments are required: %s": "följande argument krävs: %s",
        "invalid choice: %(value)r (choose from %(choices)s)": (
            "ogiltigt val: %(value)r (välj bland %(choices)s)"
        ),
        "unrecognized arguments: %s": "okända argument: %s",
        "expected one argument": "väntade ett värde",
        "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    }
    argparse._ = lambda s: words.get(s, s)  # type: ignore[attr-defined]
    argparse.ngettext = lambda s, p, n: words.get(s if n == 1 else p, s if n == 1 else p)  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    _swedish_argparse()
    p = _Parser(prog="vss-excel", description="Periodisk uppföljning för en förvaltning i Excel.")
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    sub.required = True

    i = sub.add_parser("init", help="skriv standardinställningarna (VSS) till en fil att redigera")
    i.add_argument(
        "fil",
        nargs="?",
        default="vss-excel.toml",
        help="filen att skriva (standard: vss-excel.toml)",
    )
    i.add_argument("--skriv-over", action="store_true", help="skriv över en befintlig fil")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--installningar", metavar="FIL", help="inställningsfil (TOML); standard: VSS")
        sp.add_argument("--period", metavar="ÅÅÅÅ-MM", help="år och sista månad, t.ex. 2020-10")

    def workers(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--processer",
            type=int,
            default=inbox.default_workers(),
            metavar="N",
            help="antal parallella processer (standard: %(default)s)",
        )

    m = sub.add_parser("mallar", help="skapa en enhetsmall (.xlsx) per enhet")
    common(m)
    m.add_argument("--ut", metavar="MAPP", default="mallar", help="mapp för mallarna (standard: mallar)")
    m.add_argument("--underlag", metavar="FIL", help="CSV- eller Excelfil med belopp att förifylla")
    m.add_argument("--enhet", metavar="ID", action="append", help="bara denna enhet (kan upprepas)")
    workers(m)
    m.add_argument("--skriv-over", action="store_true", help="skriv över befintliga filer med samma namn")

    e = sub.add_parser("exempelmall", help="skapa den tomma standardmallen (som i workbooks/)")
    common(e)
    e.add_argument("--ut", metavar="FIL", default="workbooks/Enhetsmall VSS.xlsx", help="filen att skriva")

    k = sub.add_parser("konsolidera", help="läs de ifyllda mallarna, kontrollera och sammanställ")
    common(k)
    k.add_argument("--in", dest="in_", metavar="MAPP", required=True, help="mappen med de ifyllda mallarna")
    k.add_argument("--ut", metavar="FIL", help="konsolideringen (.xlsx); standard: bredvid mappen")
    k.add_argument("--json", action="store_true", help="skriv fynden som JSON på standard ut")
    workers(k)

    a = sub.add_parser("arbetsbok", help="bygg Konsolidering.xlsm (knapparna och Excelfunktionerna)")
    a.add_argument("--installningar", metavar="FIL", help="inställningsfil (TOML); standard: VSS")
    a.add_argument("--ut", metavar="FIL", default="workbooks/Konsolidering.xlsm", help="filen att skriva")

    kb = sub.add_parser("kontrollera", help="kontrollera installationen för Excel (version, Excelfunktion)")
    kb.add_argument("--arbetsbok", metavar="FIL", help="Konsolidering.xlsm vars xlwings-version ska stämma")

    d = sub.add_parser("demo", help="kör exemplet: VSS delår oktober 2020, hela cykeln")
    d.add_argument(
        "--ut", metavar="MAPP", default="vss-demo", help="mapp för resultatet (standard: vss-demo)"
    )
    return p


def _load(args: argparse.Namespace) -> tuple[Forvaltning, Period]:
    forv = settings.load(args.installningar)
    period = forv.period
    if args.period:
        period = Period.parse(args.period, forv.period.kind)
    return forv, period


def _print_findings(findings: Sequence[Finding]) -> None:
    for f in sorted_findings(findings):
        print(f.line(), file=sys.stderr)


def cmd_mallar(args: argparse.Namespace) -> int:
    forv, period = _load(args)
    findings: list[Finding] = []
    prefill = None
    if args.underlag:
        prefill, found = underlag.read(args.underlag, forv)
        findings += found
    else:
        print("Inget underlag angivet: beloppen lämnas tomma.", file=sys.stderr)
    written, found = jobs.make_templates(
        forv, period, Path(args.ut), prefill, args.enhet, max(1, args.processer), args.skriv_over
    )
    findings += found
    for path in written:
        print(path)
    print(f"{len(written)} mallar för {period.span()} skrevs till {args.ut}.", file=sys.stderr)
    _print_findings(findings)
    return EXIT_FEL if any(f.severity is Severity.FEL for f in findings) else EXIT_OK


def cmd_exempelmall(args: argparse.Namespace) -> int:
    forv, period = _load(args)
    out = Path(args.ut)
    out.parent.mkdir(parents=True, exist_ok=True)
    template.write_workbook(out, forv, forv.units[0], period, None)
    print(out)
    return EXIT_OK


def example_underlag() -> Path:
    return demo.data_file("exempel_underlag.csv")


def _progress() -> inbox.Progress | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total >= 20:
            end = "\n" if done == total else ""
            print(f"\rLäser filer: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def _summary(result: jobs.Consolidation) -> str:
    used = sum(f.source.used for f in result.inbox.files)
    return f"{len(result.inbox.files)} filer lästa, {used} används. {count_text(result.findings)}."


def cmd_konsolidera(args: argparse.Namespace) -> int:
    forv, period = _load(args)
    folder = Path(args.in_)
    if not folder.is_dir():
        raise ValueError(f"Mappen {folder} finns inte.")
    target = (
        Path(args.ut) if args.ut else folder.parent / f"Konsolidering {forv.short_name} {period.iso}.xlsx"
    )
    result = jobs.consolidate_folder(folder, forv, period, target, max(1, args.processer), _progress())
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "allvar": f.severity.value,
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
        print(f"Konsolideringen skrevs till {result.output}. {_summary(result)}")
    return EXIT_FEL if result.has_errors else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.ut)
    result, findings, by_lo = demo.run(out, inbox.default_workers())
    total = result.tables.drift.loc["Summa"]
    print(
        "VSS, delår oktober 2020: mallar skapade, ifyllda som enheterna gjort och "
        + ("sparade i LibreOffice." if by_lo else "sparade direkt (LibreOffice saknas).")
    )
    print(f"  Mallar:         {out / 'mallar'}")
    print(f"  Ifyllda filer:  {out / 'inkorg'}")
    print(f"  Konsolidering:  {result.output}")
    shown = {
        k: tkr_text(consolidate.cell(total[k])) for k in ("redovisat", "budget", "prognos", "avvikelse_helar")
    }
    print(
        f"Driftsammandrag: redovisat {shown['redovisat']}, budget {shown['budget']}, "
        f"prognos helår {shown['prognos']}, avvikelse helår {shown['avvikelse_helar']}."
    )
    print(_summary(result))
    for f in result.findings[:8]:
        print("  " + f.line())
    if len(result.findings) > 8:
        print(f"  … och {len(result.findings) - 8} till på bladet Kontroll.")
    _print_findings(findings)
    return EXIT_OK


def cmd_arbetsbok(args: argparse.Namespace) -> int:
    from .excel.build import xlsm, xlwings_api

    path = xlsm.build(args.ut, args.installningar)
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
    print(f"Standardinställningarna skrevs till {path}. Redigera filen och ange den med --installningar.")
    return EXIT_OK


COMMANDS = {
    "init": cmd_init,
    "mallar": cmd_mallar,
    "exempelmall": cmd_exempelmall,
    "konsolidera": cmd_konsolidera,
    "arbetsbok": cmd_arbetsbok,
    "kontrollera": cmd_kontrollera,
    "demo": cmd_demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (settings.SettingsError, ValueError) as e:
        print(f"vss-excel: {e}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as e:
        print(
            f"vss-excel: kunde inte läsa eller skriva {e.filename or ''}: {e.strerror}",
            file=sys.stderr,
        )
        return EXIT_FEL


if __name__ == "__main__":
    sys.exit(main())
