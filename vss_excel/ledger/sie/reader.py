"""The entry points: `parse` (bytes in, `SieFile` out) and `read` (the one that touches the disk).

Whole-file refusals live here (empty, not SIE, unreadable, too large): they give a `SieFile`
with `usable=False` and one finding, never an exception.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Final

from vss_excel.errors import os_reason
from vss_excel.model import Finding, Severity

from .encoding import BOM_UTF8, detect_encoding, split_lines, unify_line_ends
from .parser import Parser
from .records import SieFile

MAX_BYTES: Final = 1 << 30  # read() refuses larger files (bounded memory)

# Labels only a SIE file starts with: one among the first lines tells a SIE file from another text.
_SIE_LABELS = frozenset(
    (
        "#FLAGGA",
        "#PROGRAM",
        "#FORMAT",
        "#GEN",
        "#SIETYP",
        "#FNAMN",
        "#ORGNR",
        "#RAR",
        "#KPTYP",
        "#KONTO",
        "#PSALDO",
        "#PBUDGET",
        "#IB",
        "#UB",
        "#RES",
        "#VER",
        "#KSUMMA",
        "#PROSA",
        "#FNR",
        "#DIM",
        "#OBJEKT",
    )
)


def _refused(source: str, encoding: str, message: str) -> SieFile:
    return SieFile(
        source=source,
        usable=False,
        encoding=encoding,
        findings=(Finding(Severity.FEL, source, "", "", message),),
    )


_NOT_SIE = "Filen är inte en SIE-fil"
_WHAT_TO_DO = "Exportera saldona från ekonomisystemet som SIE typ 4 (.se) och försök igen."


def _not_sie_reason(data: bytes) -> str | None:
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return f"{_NOT_SIE} utan en Excel- eller zip-fil. {_WHAT_TO_DO}"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return f"{_NOT_SIE} utan en äldre Office-fil (t.ex. .xls). {_WHAT_TO_DO}"
    if head.startswith(b"%PDF"):
        return f"{_NOT_SIE} utan en PDF. {_WHAT_TO_DO}"
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[: 1 << 16]:
        return f"{_NOT_SIE} utan en binärfil. {_WHAT_TO_DO}"
    return None


def parse(data: bytes, source: str) -> SieFile:
    """Read a SIE file's bytes. `source` names the file in findings (e.g. the file name).

    Never raises on bad input: a file that is not SIE gives `usable=False` and one finding.
    """
    if not data.strip():
        return _refused(source, "", "Filen är tom. " + _WHAT_TO_DO)
    reason = _not_sie_reason(data)
    if reason:
        return _refused(source, "", reason)
    encoding = detect_encoding(data)
    if encoding != "utf-8-sig" and data.startswith(BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:  # only a broken UTF-16 file gets here
        return _refused(
            source, encoding, f"{_NOT_SIE}: tecknen går inte att läsa ({encoding}). {_WHAT_TO_DO}"
        )
    text = unify_line_ends(text)
    first = (x.strip(" \t\r\x1a\ufeff") for x in text[: 1 << 16].split("\n")[:200])
    labels = [x.split(maxsplit=1)[0].upper() for x in first if x and not x.isspace()]
    if not any(lb in _SIE_LABELS for lb in labels[:50]):
        return _refused(
            source,
            encoding,
            f"{_NOT_SIE}: den börjar inte med SIE-poster som #FLAGGA, #SIETYP eller #RAR. {_WHAT_TO_DO}",
        )
    parser = Parser(source)
    # A million records and no reference cycles: the cyclic collector would only rescan them
    # again and again (a third of the time). Switched off while parsing, restored afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        parser.run(split_lines(text))
    finally:
        if collecting:
            gc.enable()
    return parser.result(encoding)


def read(path: str | Path, max_bytes: int = MAX_BYTES) -> SieFile:
    """Read a SIE file from disk; a file that cannot be read gives `usable=False` and one finding."""
    p = Path(path)
    try:
        if not p.is_file():
            return _refused(p.name, "", "SIE-filen finns inte (eller är en mapp). Ange sökvägen till filen.")
        size = p.stat().st_size
        if size > max_bytes:
            return _refused(
                p.name,
                "",
                f"SIE-filen är för stor ({size // (1 << 20)} MB, högst {max_bytes // (1 << 20)} MB läses).",
            )
        data = p.read_bytes()
    except OSError as e:
        return _refused(p.name, "", f"SIE-filen kunde inte läsas ({os_reason(e)}).")
    return parse(data, p.name)
