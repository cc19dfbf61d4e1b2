"""Sniffing: what kind of file is this, before opening it."""

from __future__ import annotations

import struct
from enum import Enum

from .errors import XlsxError
from .limits import DEFAULT_LIMITS
from .zipdir import _read_directory


class FileKind(Enum):
    XLSX = "xlsx"
    LOCK = "lock"  # Excel's '~$name' owner file (or LibreOffice's '.~lock.name#')
    XLS = "xls"  # old binary Excel (BIFF in an OLE2 file)
    ENCRYPTED = "encrypted"  # password-protected OOXML: an OLE2 file with an EncryptionInfo stream
    ODS = "ods"  # OpenDocument spreadsheet
    XLSB = "xlsb"  # binary Excel 2007+
    NOT_WORKBOOK = "not_workbook"


# How much of a file sniff() wants: an OLE directory usually lies in the first 64 KiB. Passing
# the whole file is better still (a zip lists its members at its end); our files are small.
SNIFF_BYTES = 64 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def sniff(name: str, head: bytes) -> FileKind:
    """The kind of a file from its name and first bytes (at least SNIFF_BYTES, or all of it)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if base.startswith("~$") or base.startswith(".~lock."):
        return FileKind.LOCK
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(base, head)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(head)
    return FileKind.NOT_WORKBOOK


def _ole_stream(head: bytes, stream: str) -> bool:
    """Whether the OLE directory in head has an entry named stream. Directory entries are 128
    bytes, 128-aligned in the file, with the UTF-16LE name first and its byte length (with the
    terminating NUL) at offset 64: checking all three rules out the same text in cell data."""
    needle = (stream + "\0").encode("utf-16-le")
    at = head.find(needle, 512)
    while at >= 0:
        if at % 128 == 0 and len(head) >= at + 68:
            (length,) = struct.unpack_from("<H", head, at + 64)
            if length == len(needle) and head[at + 66] in (1, 2, 5):  # storage, stream, root
                return True
        at = head.find(needle, at + 1)
    return False


def _sniff_ole(base: str, head: bytes) -> FileKind:
    if _ole_stream(head, "EncryptionInfo") or _ole_stream(head, "EncryptedPackage"):
        return FileKind.ENCRYPTED
    if _ole_stream(head, "Workbook") or _ole_stream(head, "Book"):
        return FileKind.XLS
    root = _ole_stream(head, "Root Entry")
    if root:  # the directory was within head, and it is neither: a .doc, .msg, …
        return FileKind.NOT_WORKBOOK
    # The directory lies beyond head: go by the name. A password-protected workbook keeps the
    # .xlsx name; an old one is usually still called .xls.
    ext = base.lower().rsplit(".", 1)[-1]
    if ext in ("xlsx", "xlsm"):
        return FileKind.ENCRYPTED
    if ext in ("xls", "xlt"):
        return FileKind.XLS
    return FileKind.NOT_WORKBOOK


def _zip_names(head: bytes) -> tuple[list[tuple[str, int]], bool]:
    """Member names (lowercase) with their local header offsets, and whether the list is
    complete: from the central directory when head holds the end of the file, else by walking
    the local headers that head holds."""
    try:
        entries = _read_directory(head, DEFAULT_LIMITS)
        return [(k, e.offset) for k, e in entries.items()], True
    except XlsxError:
        pass
    out: list[tuple[str, int]] = []
    pos = 0
    while (
        len(out) < DEFAULT_LIMITS.max_entries
        and len(head) >= pos + 30
        and head[pos : pos + 4] == b"PK\x03\x04"
    ):
        flags, csize, nlen, xlen = struct.unpack_from("<2xH10xI4xHH", head, pos + 4)
        name = head[pos + 30 : pos + 30 + nlen]
        out.append((name.decode("utf-8", "replace").lower(), pos))
        if flags & 8 and csize == 0:  # size only after the data: cannot skip it
            break
        pos += 30 + nlen + xlen + csize
    return out, False


def _sniff_zip(head: bytes) -> FileKind:
    members, complete = _zip_names(head)
    names = {n for n, _ in members}
    if "xl/workbook.xml" in names:
        return FileKind.XLSX
    if "xl/workbook.bin" in names:
        return FileKind.XLSB
    for n, offset in members:
        if n == "mimetype" and len(head) >= offset + 30:
            nlen, xlen = struct.unpack_from("<HH", head, offset + 26)
            start = offset + 30 + nlen + xlen
            if head[start : start + len(_ODS_MIME)] == _ODS_MIME:  # stored, first, by the standard
                return FileKind.ODS
    if not complete and any(n.startswith("xl/") or n == "[content_types].xml" for n in names):
        return FileKind.XLSX  # probably; head ended before the workbook part. open() decides.
    return FileKind.NOT_WORKBOOK
