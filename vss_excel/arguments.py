"""The command line's arguments, help and exit codes, all in Swedish; and what the command line
and the Excel buttons both take from what the user typed (the period, the default names).

argparse's own texts are translated through its public hooks: a formatter for the usage line,
argument groups with Swedish titles, and error() for its messages.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from . import __version__, archive, settings, workers
from .paths import TEMPLATES_FOLDER

EXIT_OK, EXIT_FEL, EXIT_USAGE, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_CODES = (
    "Slutkoder: 0 klart utan fel; 1 klart, men med fel i filerna eller summor som saknar enheter; "
    "2 kunde inte köras (argument, inställningar, en utfil i vägen); 3 oväntat fel (se loggfilen "
    "som meddelandet nämner); 130 avbrutet."
)

# argparse's own English, by pattern: its messages reach us through error(), which is meant to
# be overridden, and its words through the formatter and our own help option.
_ERRORS = (
    (r"the following arguments are required: (.*)", r"följande argument krävs: \1"),
    (
        r"argument (.*): invalid choice: (.*) \(choose from (.*)\)",
        r"argument \1: ogiltigt val: \2 (välj bland \3)",
    ),
    (r"argument (.*): invalid (\w+) value: (.*)", r"argument \1: ogiltigt värde: \3"),
    (r"argument (.*): expected one argument", r"argument \1: väntade ett värde"),
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"argument (.*): not allowed with argument (.*)", r"argument \1: går inte tillsammans med \2"),
    (r"argument (.*): ignored explicit argument (.*)", r"argument \1: tar inget värde (fick \2)"),
    (r"argument (.*): expected at most one argument", r"argument \1: väntade högst ett värde"),
    (r"argument (.*): expected at least one argument", r"argument \1: väntade minst ett värde"),
    (r"one of the arguments (.*) is required", r"ett av argumenten \1 krävs"),
    (r"unexpected option string: (.*)", r"oväntad flagga: \1"),
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(
        self, usage: str | None, actions: object, groups: object, prefix: str | None = None
    ) -> None:
        # argparse asks with prefix "" for a subcommand's prog: that must stay without a prefix
        swedish = "" if prefix == "" else "användning: "
        super().add_usage(usage, actions, groups, swedish)  # type: ignore[arg-type]


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        kwargs["allow_abbrev"] = False  # '--under' is no '--underlag': a typo is an error, not a guess
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.arguments = self.add_argument_group("argument")  # not argparse's "positional arguments"
        self.flags = self.add_argument_group("flaggor")
        self.flags.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")

    def error(self, message: str) -> NoReturn:
        for pattern, swedish in _ERRORS:
            message = re.sub(pattern, swedish, message)
        self.print_usage(sys.stderr)
        print(f"{self.prog}: fel: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _epilog(example: str) -> str:
    return f"Exempel:\n  {example}\n\n{EXIT_CODES}"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="vss-excel",
        description="Periodisk uppföljning för en förvaltning i Excel: mallar, konsolidering, "
        "Excelfunktioner.",
        epilog=_epilog("vss-excel demo"),
    )
    p.flags.add_argument(
        "--version", action="version", version=f"vss-excel {__version__}", help="visa versionen"
    )
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser, title="kommandon")
    sub.required = True

    def command(name: str, text: str, example: str) -> _Parser:
        sp = sub.add_parser(
            name, help=text, description=text[:1].upper() + text[1:] + ".", epilog=_epilog(example)
        )
        assert isinstance(sp, _Parser)
        return sp

    def settings_file(sp: _Parser, where: str = "i arbetsmappen") -> None:
        sp.flags.add_argument(
            "--installningar",
            metavar="FIL",
            help=f"inställningsfil (TOML); standard: {settings.FILE_NAME} {where}, annars VSS",
        )

    def common(sp: _Parser, where: str = "i arbetsmappen") -> None:
        settings_file(sp, where)
        sp.flags.add_argument("--period", metavar="ÅÅÅÅ-MM", help="år och sista månad, t.ex. 2020-10")

    def inbox(sp: _Parser) -> None:
        """What konsolidera and rapport both read: the inbox and the templates that were sent."""
        common(sp, "i arbetsmappen, i inkorgen eller bredvid den")
        sp.flags.add_argument(
            "--in", dest="in_", metavar="MAPP", required=True, help="mappen med de ifyllda mallarna"
        )
        sp.flags.add_argument(
            "--mallar",
            metavar="MAPP",
            help="mappen med de utskickade mallarna (standard: mappen mallar bredvid inkorgen); ger "
            "underlagets belopp för enheter som inte lämnat in",
        )

    def file_to_write(sp: _Parser, default: str) -> None:
        sp.flags.add_argument(
            "--ut", metavar="FIL", default=default, help="filen att skriva (standard: %(default)s)"
        )

    def processes(sp: _Parser) -> None:
        sp.flags.add_argument(
            "--processer",
            type=int,
            default=workers.default_workers(),
            metavar="N",
            help="antal parallella processer (standard: %(default)s)",
        )

    i = command(
        "init",
        "skriv standardinställningarna (VSS) till en fil att redigera",
        "vss-excel init vss-excel.toml",
    )
    i.arguments.add_argument(
        "fil",
        nargs="?",
        default=settings.FILE_NAME,
        help=f"filen att skriva (standard: {settings.FILE_NAME})",
    )
    i.flags.add_argument("--skriv-over", action="store_true", help="skriv över en befintlig fil")

    m = command(
        "mallar",
        "skapa en förifylld enhetsmall (.xlsx) per enhet",
        "vss-excel mallar --period 2020-10 --underlag huvudbok.se --ut mallar",
    )
    common(m)
    m.flags.add_argument(
        "--ut",
        metavar="MAPP",
        default=TEMPLATES_FOLDER,
        help=f"mapp för mallarna (standard: {TEMPLATES_FOLDER})",
    )
    m.flags.add_argument(
        "--underlag",
        metavar="FIL",
        action="append",
        help="huvudbok att förifylla från: SIE-fil (.se), export från ekonomisystemet (Excel/CSV) eller "
        "underlag (CSV); kan upprepas (den första vinner där två ger samma cell)",
    )
    m.flags.add_argument("--enhet", metavar="ID", action="append", help="bara denna enhet (kan upprepas)")
    m.flags.add_argument(
        "--arkiv",
        metavar="MAPP",
        help="arkivet med tidigare konsolideringar (standard: mappen arkiv bredvid --ut); ger "
        "föregående prognos",
    )
    processes(m)
    m.flags.add_argument(
        "--skriv-over", action="store_true", help="skriv över befintliga filer med samma namn"
    )

    e = command("exempelmall", "skapa den tomma standardmallen (som i workbooks/)", "vss-excel exempelmall")
    common(e)
    file_to_write(e, "workbooks/Enhetsmall VSS.xlsx")

    k = command(
        "konsolidera",
        "läs de ifyllda mallarna, kontrollera och sammanställ",
        'vss-excel konsolidera --in inkorg --ut "Konsolidering VSS 2020-10.xlsx"',
    )
    inbox(k)
    k.flags.add_argument("--ut", metavar="FIL", help="konsolideringen (.xlsx); standard: bredvid inkorgen")
    k.flags.add_argument(
        "--arkiv",
        metavar="MAPP",
        help="där siffrorna sparas för nästa period (standard: mappen arkiv bredvid konsolideringen)",
    )
    k.flags.add_argument("--json", action="store_true", help="skriv fynden som JSON på standard ut")
    processes(k)

    r = command(
        "rapport",
        "skriv rapporten (Word och tillgänglig PDF) ur konsolideringen och förvaltningens texter",
        "vss-excel rapport --in inkorg",
    )
    inbox(r)
    r.flags.add_argument(
        "--konsolidering",
        metavar="FIL",
        help="konsolideringen vars blad Texter har förvaltningens texter (standard: bredvid inkorgen)",
    )
    r.flags.add_argument("--ut", metavar="MAPP", help="mappen för rapporten (standard: bredvid inkorgen)")
    r.flags.add_argument("--mall", metavar="FIL", help="egen Word-mall (se vss-excel rapportmall)")
    r.flags.add_argument("--ingen-pdf", action="store_true", help="skriv bara Word-dokumentet")
    processes(r)

    rm = command(
        "rapportmall",
        "skriv rapportens Word-mall, att formatera om i Word och ange med --mall",
        "vss-excel rapportmall --ut Rapportmall.docx",
    )
    file_to_write(rm, "Rapportmall.docx")

    ps = command(
        "prognossakerhet",
        "visa hur träffsäkra årets prognoser och prognosmetoder var, när utfallet är känt",
        "vss-excel prognossakerhet --ar 2020 --arkiv arkiv",
    )
    settings_file(ps, "i arbetsmappen eller bredvid arkivet")
    ps.flags.add_argument("--ar", type=int, required=True, metavar="ÅÅÅÅ", help="året, t.ex. 2020")
    ps.flags.add_argument(
        "--arkiv", metavar="MAPP", default=archive.FOLDER, help="arkivet (standard: %(default)s)"
    )
    ps.flags.add_argument("--ut", metavar="FIL", help="arbetsboken att skriva; standard: bredvid arkivet")

    a = command(
        "arbetsbok",
        "bygg Konsolidering.xlsm (knapparna och Excelfunktionerna), eller med --lite Konsolidering "
        "Lite.xlsx för Excel på Mac och webben (xlwings Lite)",
        "vss-excel arbetsbok --lite",
    )
    a.flags.add_argument("--installningar", metavar="FIL", help="inställningsfil (TOML); standard: VSS")
    a.flags.add_argument(
        "--lite",
        action="store_true",
        help="bygg Konsolidering Lite.xlsx för xlwings Lite, och bredvid den mappen med main.py, "
        "requirements.txt och personal (Python i Excel, inget att installera)",
    )
    a.flags.add_argument(
        "--ut",
        metavar="FIL",
        help="filen att skriva (standard: workbooks/Konsolidering.xlsm; med --lite: Konsolidering Lite.xlsx)",
    )

    kb = command(
        "kontrollera",
        "kontrollera installationen för Excel (version, Excelfunktion)",
        "vss-excel kontrollera --arbetsbok Konsolidering.xlsm",
    )
    kb.flags.add_argument(
        "--arbetsbok", metavar="FIL", help="Konsolidering.xlsm vars xlwings-version ska stämma"
    )

    d = command("demo", "kör exemplet: VSS delår oktober 2020, hela cykeln", "vss-excel demo --ut vss-demo")
    d.flags.add_argument(
        "--ut", metavar="MAPP", default="vss-demo", help="mapp för resultatet (standard: vss-demo)"
    )
    return p
