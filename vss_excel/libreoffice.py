"""LibreOffice headless: recalculate and save workbooks, many files in one process.

Used by the tests (a real spreadsheet engine checks our formulas) and by the demo (filled
workbooks are saved by a real spreadsheet program). The profile is made to recalculate every
formula on load, so cached values written by anyone else never hide a wrong formula.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from . import interrupts
from .errors import log_text, os_reason
from .swedish import count

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

XLSX_FILTER = "xlsx:Calc MS Excel 2007 XML"


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, did not start, did not answer or did not save; the message is Swedish."""


def find() -> str | None:
    """The soffice program, or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    for path in (
        "/usr/lib/libreoffice/program/soffice",
        "/opt/libreoffice/program/soffice",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.exe",
    ):
        if os.path.exists(path):
            return path
    return None


def _profile(root: Path) -> str:
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
    return root.resolve().as_uri()


# Started and not yet waited for or cancelled: what stop_all() stops.
_running: set[Conversion] = set()


def stop_all() -> None:
    """Stop every conversion still running: the run ended (Ctrl+C, SIGTERM, SIGHUP) while one was
    under way, before whoever started it could take it over."""
    for conversion in list(_running):
        conversion.cancel()


class Conversion:
    """A LibreOffice conversion under way: `wait()` for its files, or `cancel()` it.

    Started without blocking, so that other work (templates in worker processes) runs beside it.
    """

    def __init__(self, files: Sequence[str | Path], outdir: str | Path, target: str, timeout: float) -> None:
        soffice = find()
        if soffice is None:
            raise LibreOfficeError("LibreOffice (soffice) finns inte installerat.")
        # absolute: LibreOffice reads a relative --outdir as a URL and refuses to save there
        self.out = Path(outdir).resolve()
        self.out.mkdir(parents=True, exist_ok=True)
        ext = target.split(":", 1)[0]
        self.written = [self.out / (Path(f).stem + "." + ext) for f in files]
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        # a profile soffice.bin still holds (Windows) must not hide the error being reported
        self.tmp = tempfile.TemporaryDirectory(prefix="vss-lo-", ignore_cleanup_errors=True)
        self.closed = False
        try:
            cmd = [
                soffice,
                f"-env:UserInstallation={_profile(Path(self.tmp.name))}",
                "--headless",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                "--convert-to",
                target,
                "--outdir",
                str(self.out),
                *[str(Path(f).resolve()) for f in files],
            ]
            self.log = open(Path(self.tmp.name) / "stderr.txt", "w+b")  # noqa: SIM115 (closed by _close)
        except BaseException:
            self.tmp.cleanup()
            raise
        try:
            with interrupts.held():  # Ctrl+C now would leave soffice running with nobody to stop it
                # its own process group: soffice starts soffice.bin, and cancel() must stop both
                self.proc = subprocess.Popen(
                    cmd, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=os.name == "posix"
                )
                _running.add(self)
        except OSError as e:
            self._close()
            raise LibreOfficeError(f"LibreOffice ({soffice}) kunde inte startas: {os_reason(e)}.") from None
        except BaseException:  # an interruption held until soffice was started: stop it
            if hasattr(self, "proc"):
                self.cancel()
            else:
                self._close()
            raise

    def wait(self) -> list[Path]:
        """The written paths in input order; raises LibreOfficeError if one is missing, or if
        LibreOffice does not finish by the deadline. Once only."""
        if self.closed:
            raise LibreOfficeError("LibreOffice-körningen är redan avslutad eller avbruten.")
        try:
            code = self.proc.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.cancel()
            raise LibreOfficeError(
                f"LibreOffice svarade inte på {self.timeout:g} sekunder och avbröts. "
                "Stäng LibreOffice om det är öppet och försök igen."
            ) from None
        except BaseException:  # Ctrl+C: LibreOffice is not left running
            self.cancel()
            raise
        self.log.seek(0)
        stderr = self.log.read().decode("utf-8", errors="replace")
        self._close()
        missing = [p for p in self.written if not p.exists()]
        if code != 0 or missing:
            what = count(len(missing), "fil", "filer") if len(self.written) > 1 else "filen"
            raise LibreOfficeError(
                f"LibreOffice kunde inte spara {what} (slutkod {code}). Stäng LibreOffice om det är öppet "
                f"och försök igen; LibreOffices egna meddelanden finns i {log_text(stderr)}."
            )
        return self.written

    def cancel(self) -> None:
        """Stop LibreOffice and its children; nothing is left running or on disk. Idempotent."""
        if self.closed:
            return
        if os.name == "posix":  # the group's id is soffice's pid, not reused while soffice is unreaped
            with contextlib.suppress(ProcessLookupError):  # all of the group have ended
                os.killpg(self.proc.pid, signal.SIGKILL)
        elif self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._close()

    def _close(self) -> None:
        _running.discard(self)
        self.closed = True
        self.log.close()
        self.tmp.cleanup()


def start(
    files: Sequence[str | Path], outdir: str | Path, target: str = XLSX_FILTER, timeout: float = 600
) -> Conversion:
    """Start converting every file in one LibreOffice process (see `convert`)."""
    return Conversion(files, outdir, target, timeout)


def convert(
    files: Sequence[str | Path], outdir: str | Path, target: str = XLSX_FILTER, timeout: float = 600
) -> list[Path]:
    """Open every file in one LibreOffice process, recalculate, save into outdir.

    Returns the written paths in input order; raises LibreOfficeError if one is missing, or if
    LibreOffice cannot be started or does not finish within `timeout` seconds.
    """
    return start(files, outdir, target, timeout).wait()
