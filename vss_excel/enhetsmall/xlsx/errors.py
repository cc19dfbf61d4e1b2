"""XlsxError and its Swedish messages: what is wrong with a file, and what the unit should do."""

from __future__ import annotations

from enum import Enum

from .limits import _MIB


class ErrorKind(Enum):
    CORRUPT = "corrupt"  # damaged zip or XML, parts missing, impossible values
    TOO_LARGE = "too_large"  # over a Limits value (a zip bomb, or just far too much data)
    ENCRYPTED = "encrypted"  # password-protected
    NOT_XLSX = "not_xlsx"  # another format: .xls, .ods, .xlsb, or not a workbook at all
    UNSAFE = "unsafe"  # XML with DOCTYPE/ENTITY declarations (an XML bomb or worse)


_ACTION = "Be enheten öppna filen i Excel, spara den som Excel-arbetsbok (.xlsx) och skicka den igen."


class XlsxError(Exception):
    """Why a file cannot be read. `message` is Swedish, for the user (what is wrong and what the
    unit should do); `detail` is technical, for a log; `part` names the zip part, if any."""

    def __init__(self, kind: ErrorKind, message: str, detail: str = "", part: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail
        self.part = part

    def __str__(self) -> str:
        return self.message


def _corrupt(detail: str, part: str = "", sheet: str = "") -> XlsxError:
    what = f"Bladet '{sheet}' i filen" if sheet else "Filen"
    return XlsxError(
        ErrorKind.CORRUPT,
        f"{what} är skadad{'t' if sheet else ''} och kan inte läsas. {_ACTION}",
        detail,
        part,
    )


def _num(n: float) -> str:
    """A number as Swedish text writes it: 1 024, with a (narrow no-break) space."""
    return f"{n:,.0f}".replace(",", "\u202f")


def _mb(n: float) -> str:
    return f"{_num(n / _MIB)} MB" if n >= _MIB else f"{_num(n / 1024)} kB"


def _too_large(reason: str, detail: str, part: str = "") -> XlsxError:
    return XlsxError(
        ErrorKind.TOO_LARGE,
        f"Filen är för stor för att läsas säkert ({reason}). Be enheten ta bort innehåll som inte "
        "hör till mallen (extra blad, bilder, stora områden), spara som .xlsx och skicka filen igen.",
        detail,
        part,
    )


def _unsafe(part: str) -> XlsxError:
    return XlsxError(
        ErrorKind.UNSAFE,
        "Filen innehåller otillåten XML (en DOCTYPE- eller ENTITY-deklaration, som kan användas för att "
        f"överbelasta datorn) och har inte lästs. {_ACTION}",
        f"{part}: DOCTYPE/ENTITY declaration",
        part,
    )


_ENCRYPTED_MESSAGE = (
    "Filen är lösenordsskyddad och kan inte läsas. Be enheten ta bort lösenordet (Arkiv > Info > "
    "Skydda arbetsbok > Kryptera med lösenord, töm fältet), spara och skicka filen igen."
)
