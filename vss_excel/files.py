"""Writing output files safely: never over an input, never half a file, never over an open one."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError

# Characters no file name may hold on Windows; a unit's name gives its template's file name.
FILE_CHARS = '\\/:*?"<>|'


def file_stem(name: str) -> str:
    """A name as a file name: each run of forbidden characters becomes '-'."""
    return re.sub("[" + re.escape(FILE_CHARS) + "]+", "-", name).strip()


class OutputError(UserError):
    """An output that would hurt an input, or that cannot be replaced now."""


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def check_output(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output inside an input folder or equal to an input file, or one that is open."""
    out = target.resolve()
    for given in inputs:
        src = given.resolve()
        if out == src or (src.is_dir() and _inside(out, src)):
            where = "är en av indatafilerna" if out == src else f"ligger i inkorgen {given}"
            raise OutputError(
                f"Resultatet kan inte skrivas till {target}: filen {where}, och indata skrivs aldrig över. "
                "Välj en fil utanför inkorgen med --ut."
            )
    for lock in (f"~${target.name}", f".~lock.{target.name}#"):
        if (target.parent / lock).exists():
            raise OutputError(
                f"{target.name} är öppen i Excel eller LibreOffice (låsfilen {lock} finns). "
                "Stäng filen och kör igen."
            )


@contextmanager
def replacing(target: str | Path, suffix: str) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes target, on failure it is removed.

    A reader never sees half a file, and a failed or interrupted run leaves the old target as it was.
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=".~vss-", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; an output file is not
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise OutputError(
                f"{target} kunde inte skrivas över: filen är troligen öppen i Excel. Stäng den och kör igen."
            ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
