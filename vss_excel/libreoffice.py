"""LibreOffice headless: recalculate and save workbooks, many files in one process.

Used by the tests (a real spreadsheet engine checks our formulas) and by the demo (filled
workbooks are saved by a real spreadsheet program). The profile is made to recalculate every
formula on load, so cached values written by anyone else never hide a wrong formula.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import os_reason

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


def convert(
    files: Sequence[str | Path], outdir: str | Path, target: str = XLSX_FILTER, timeout: float = 600
) -> list[Path]:
    """Open every file in one LibreOffice process, recalculate, save into outdir.

    Returns the written paths in input order; raises LibreOfficeError if one is missing, or if
    LibreOffice cannot be started or does not finish within `timeout` seconds.
    """
    soffice = find()
    if soffice is None:
        raise LibreOfficeError("LibreOffice (soffice) finns inte installerat.")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    ext = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="vss-lo-") as tmp:
        cmd = [
            soffice,
            f"-env:UserInstallation={_profile(Path(tmp))}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *[str(Path(f).resolve()) for f in files],
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise LibreOfficeError(
                f"LibreOffice svarade inte på {timeout:g} sekunder och avbröts. Stäng LibreOffice om det är "
                "öppet och försök igen."
            ) from None
        except OSError as e:
            raise LibreOfficeError(f"LibreOffice ({soffice}) kunde inte startas: {os_reason(e)}.") from None
    written = [out / (Path(f).stem + "." + ext) for f in files]
    missing = [p for p in written if not p.exists()]
    if proc.returncode != 0 or missing:
        raise LibreOfficeError(
            f"LibreOffice kunde inte spara {len(missing)} fil(er) (kod {proc.returncode}): "
            f"{proc.stderr.strip()[:500]}"
        )
    return written
