"""Limits, and the sizes the reader works in."""

from __future__ import annotations

from dataclasses import dataclass

_MIB = 1024 * 1024
_Bytes = bytes | bytearray  # an unpacked part: a large one is unpacked into a bytearray
_CHUNK = _MIB  # a sheet is parsed a chunk at a time: findall's list of tuples costs ~5x the text


@dataclass(frozen=True)
class Limits:
    """What a returned workbook may cost to read. Our own files are 20–60 kB with parts of a few
    kB; the limits are some thousand times that, so a real workbook with a lot of extra data still
    reads, while a bomb is refused before it is unpacked. Memory follows max_part_bytes: a sheet
    costs about its unpacked size (plus 1 MiB chunks), the shared strings about twice theirs
    plus ~60 bytes a string; at these limits a hostile file peaks under 100 MB."""

    max_file_bytes: int = 64 * _MIB  # the .xlsx itself; a large real one is a few MB
    max_entries: int = 5000  # zip members; Excel writes ~15 plus one per sheet, drawing, image
    max_part_bytes: int = 32 * _MIB  # one unpacked part we read: ~500 000 cells of a sheet
    max_total_bytes: int = 96 * _MIB  # all parts we read, unpacked, together
    max_ratio: float = 200.0  # unpacked/packed for a part over ratio_floor; real XML packs ≤ ~30:1
    ratio_floor: int = 1 * _MIB  # small parts may pack well (a run of empty cells) and cost nothing
    max_strings: int = 500_000  # entries in sharedStrings.xml; ~60 bytes of memory each


DEFAULT_LIMITS = Limits()
