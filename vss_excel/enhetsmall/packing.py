"""The zip container of a workbook as XlsxWriter stores one, with the unchanging parts packed once.

XlsxWriter stores every part through Python's zipfile: deflated at the default level, dated
1980-01-01, no extra fields, in a seekable file (sizes in the local header, no data descriptor).
`write` lays out the same bytes, so a stencil's parts that are the same in every unit's file
(styles, theme, relationships) are compressed once per shape instead of once per file;
tests/test_stencil.py holds it to zipfile's own output.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # structCentralDir
_END = struct.Struct("<4s4H2LH")  # structEndArchive
_VERSION = 20  # deflate
_DATE = 1 << 5 | 1  # 1980-01-01 as a DOS date; the time is 00:00
_SYSTEM = zipfile.ZipInfo("x").create_system  # as zipfile says it: 3 (Unix), 0 on Windows
_MODE = 0o600 << 16  # the external attributes zipfile gives a part written with writestr
_LIMIT = 0x7FFFFFFF  # no ZIP64 here (XlsxWriter's allowZip64=False); a workbook is far smaller


class Packed(NamedTuple):
    name: bytes
    crc: int
    size: int
    data: bytes  # deflated


def pack(name: str, data: bytes) -> Packed:
    squeeze = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Packed(name.encode("ascii"), zlib.crc32(data), len(data), squeeze.compress(data) + squeeze.flush())


def write(target: Path, parts: Sequence[Packed]) -> None:
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for p in parts:
        if p.size > _LIMIT or offset > _LIMIT:
            raise ValueError("för stor för en arbetsbok")  # never met: a template is ~20 kB
        fields = (0, 8, 0, _DATE, p.crc, len(p.data), p.size, len(p.name))
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *fields, 0) + p.name
        entry = _CENTRAL.pack(
            b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, *fields, 0, 0, 0, 0, _MODE, offset
        )
        central += (entry, p.name)
        out += (local, p.data)
        offset += len(local) + len(p.data)
    directory = b"".join(central)
    out += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), offset, 0))
    target.write_bytes(b"".join(out))
