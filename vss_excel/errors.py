"""The one base class for errors a user can act on; their messages are Swedish."""

from __future__ import annotations

import datetime as dt
import errno
import sys
import tempfile
import traceback
from pathlib import Path


class UserError(Exception):
    """Something the user can fix (a setting, an argument, a file in the way).

    The CLI prints the message as it is and exits with `exit_code`; the Excel buttons show it in a
    message box. Anything else that goes wrong is unexpected and gets a log file (see cli).
    """

    exit_code = 2


class InputError(UserError, ValueError):
    """A value given on the command line or in the workbook that cannot be used (a period…)."""


_OS_REASONS = {
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EIO: "disken eller nätverket gav ett läsfel",
    errno.ENOENT: "filen eller mappen finns inte",
    errno.ELOOP: "en symbolisk länk följs inte",
    errno.EISDIR: "det är en mapp",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EBUSY: "filen används av ett annat program",
    errno.ENOSPC: "disken är full",
    errno.EROFS: "disken är skrivskyddad",
    errno.ENAMETOOLONG: "sökvägen är för lång",
    errno.ENOEXEC: "programfilen går inte att köra",
}


def os_reason(e: OSError) -> str:
    """An operating system error in Swedish words (its own text may be English)."""
    if e.errno is None:  # raised by Python itself, not the system: its text may be English
        return "okänt fel i operativsystemet"
    return _OS_REASONS.get(e.errno, f"operativsystemet gav felkod {e.errno}")


def log_unexpected() -> Path:
    """Write the traceback of the exception being handled to a log file; return its path."""
    return log_text(traceback.format_exc())


def log_text(text: str) -> Path:
    """Write what another program said (often English) or a traceback to a log file, for whoever
    looks into it; return its path. The user's message stays Swedish and names the file."""
    from . import __version__

    folder = Path(tempfile.gettempdir()) / "vss-excel"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"fel-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
    path.write_text(f"vss-excel {__version__}, {' '.join(sys.argv)}\n\n{text}", encoding="utf-8")
    return path
