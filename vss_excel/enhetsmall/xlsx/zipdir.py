"""The zip container, read by hand: bounded, and faster than zipfile for many small parts."""

from __future__ import annotations

import struct
import zlib
from typing import NamedTuple

from .errors import _corrupt, _num, _too_large
from .limits import _CHUNK, Limits


class _Entry(NamedTuple):
    name: str
    flags: int
    method: int
    crc: int
    csize: int
    usize: int
    offset: int  # of the local header, in data


_CD_HEADER = struct.Struct("<4s4xHHHHIIIHHHHHII")


def _read_directory(data: bytes, limits: Limits) -> dict[str, _Entry]:
    """The central directory, keyed by lowercase name (OPC part names ignore case)."""
    n = len(data)
    eocd = data.rfind(b"PK\x05\x06", max(0, n - 22 - 65535))
    if eocd < 0 or eocd + 22 > n:
        raise _corrupt("zip: no end of central directory (truncated or not a zip)")
    disk, cd_disk, _n_disk, n_total, cd_size, cd_off = struct.unpack_from("<4xHHHHII", data, eocd)
    cd_end = eocd
    loc = eocd - 20
    if loc >= 0 and data[loc : loc + 4] == b"PK\x06\x07":  # zip64: the real figures are elsewhere
        rec = loc - 56
        if rec < 0 or data[rec : rec + 4] != b"PK\x06\x06":
            raise _corrupt("zip64: end of central directory record missing")
        n_total, cd_size, cd_off = struct.unpack_from("<QQQ", data, rec + 32)
        cd_end = rec
    if disk != 0 or cd_disk != 0:
        raise _corrupt("zip: spans several disks")
    if n_total > limits.max_entries:
        raise _too_large(
            f"{_num(n_total)} delar i zip-filen, gränsen är {_num(limits.max_entries)}",
            f"zip: {n_total} entries > {limits.max_entries}",
        )
    start = cd_end - cd_size
    base = start - cd_off  # bytes in front of the zip (as zipfile allows); normally 0
    if start < 0 or base < 0:
        raise _corrupt("zip: central directory outside the file")
    entries: dict[str, _Entry] = {}
    p = start
    while p < cd_end:
        if len(entries) >= limits.max_entries:
            raise _too_large(
                f"fler än {_num(limits.max_entries)} delar i zip-filen",
                f"zip: more than {limits.max_entries} entries",
            )
        if p + 46 > cd_end:
            raise _corrupt("zip: central directory cut short")
        sig, flags, method, _t, _d, crc, csize, usize, nlen, xlen, clen, _dk, _ia, _ea, off = (
            _CD_HEADER.unpack_from(data, p)
        )
        if sig != b"PK\x01\x02":
            raise _corrupt("zip: bad central directory entry")
        nend = p + 46 + nlen
        if nend + xlen + clen > cd_end:
            raise _corrupt("zip: central directory entry cut short")
        if 0xFFFFFFFF in (usize, csize, off):
            usize, csize, off = _zip64_extra(data[nend : nend + xlen], usize, csize, off)
        raw = data[p + 46 : nend]
        try:
            name = raw.decode("utf-8") if flags & 0x800 else raw.decode("cp437")
        except UnicodeDecodeError:
            raise _corrupt("zip: member name is not UTF-8") from None
        key = name.replace("\\", "/").lstrip("/").lower()
        if key in entries:  # which one would a reader take? Refuse rather than guess.
            raise _corrupt(f"zip: member {name!r} twice", name)
        entries[key] = _Entry(name, flags, method, crc, csize, usize, off + base)
        p = nend + xlen + clen
    return entries


def _zip64_extra(extra: bytes, usize: int, csize: int, off: int) -> tuple[int, int, int]:
    p = 0
    while p + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, p)
        if tag == 1:
            values = list(struct.unpack_from(f"<{size // 8}Q", extra, p + 4))
            try:
                if usize == 0xFFFFFFFF:
                    usize = values.pop(0)
                if csize == 0xFFFFFFFF:
                    csize = values.pop(0)
                if off == 0xFFFFFFFF:
                    off = values.pop(0)
            except IndexError:
                raise _corrupt("zip64: extra field too short") from None
            return usize, csize, off
        p += 4 + size
    raise _corrupt("zip64: sizes missing")


class _SizeLie(Exception):
    """A part does not unpack to the size its header declares."""


def _inflate(packed: memoryview, size: int) -> bytes | bytearray:
    """A raw deflate stream that must unpack to exactly `size` bytes; never more is produced
    (a header may claim 1 kB of 1 GB). A large part is unpacked a chunk at a time into one
    buffer: zlib's own output buffer would hold it twice at the end."""
    d = zlib.decompressobj(-15)
    if size <= _CHUNK:
        small = d.decompress(packed, size + 1)  # +1: to see a lie
        if len(small) != size or not d.eof:
            raise _SizeLie
        return small
    out = bytearray(size)
    pos = 0
    for at in range(0, len(packed), 1 << 16):
        piece: bytes | memoryview = packed[at : at + (1 << 16)]
        while piece and not d.eof:
            chunk = d.decompress(piece, min(_CHUNK, size - pos) or 1)  # 1: is there more?
            if pos + len(chunk) > size:
                raise _SizeLie
            out[pos : pos + len(chunk)] = chunk
            pos += len(chunk)
            piece = d.unconsumed_tail
    if pos != size or not d.eof:
        raise _SizeLie
    return out
