"""The workbook: XlsxFile, its parts, workbook.xml and the relationships."""

from __future__ import annotations

import contextlib
import posixpath
import struct
import zlib
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import unquote

from .cells import SheetCells
from .errors import _ENCRYPTED_MESSAGE, ErrorKind, XlsxError, _corrupt, _mb, _num, _too_large
from .expat_sheet import _sheet_expat
from .fast import _sheet_fast
from .formats import NumberFormat, parse_styles
from .limits import DEFAULT_LIMITS, Limits, _Bytes
from .sniff import FileKind, sniff
from .strings import _Strings
from .text import _MAIN_NS, _SEP, _expat
from .zipdir import _Entry, _inflate, _read_directory, _SizeLie

_WORKBOOK_PART = "xl/workbook.xml"
_WORKBOOK_ROOTS = frozenset(ns + _SEP + "workbook" for ns in _MAIN_NS)


class XlsxFile:
    """An .xlsx file held in memory; sheets are read on demand. Raises XlsxError, only."""

    sheet_names: tuple[str, ...]  # in workbook order (the tabs' order)
    has_external_links: bool  # the workbook links to other files (xl/externalLinks/)
    date1904: bool  # date serials count from 1904 (old Mac files), not from 1900

    def __init__(self, data: bytes, limits: Limits, entries: dict[str, _Entry]) -> None:
        self._data = data
        self._limits = limits
        self._entries = entries
        self._sheets: dict[str, str] = {}  # sheet name -> part name (lowercase)
        self._strings_part = ""
        self._strings = _Strings(self._load_strings, limits.max_strings)
        self._styles_part = ""
        self._formats: Mapping[bytes, NumberFormat] | None = None  # read with the first sheet
        self.sheet_names = ()
        self.has_external_links = False
        self.date1904 = False

    @classmethod
    def open(cls, data: bytes, limits: Limits = DEFAULT_LIMITS) -> XlsxFile:
        """Check the zip directory, then read the workbook's sheet list. Before any part is
        unpacked its declared size and packing ratio are checked; the sheets and shared strings
        are checked here too, all of them, so a bomb is refused at once."""
        if len(data) > limits.max_file_bytes:
            raise _too_large(
                f"filen är {_mb(len(data))}, gränsen är {_mb(limits.max_file_bytes)}",
                f"file {len(data)} bytes > {limits.max_file_bytes}",
            )
        if not data.startswith(b"PK"):
            raise _not_xlsx(sniff("", data))
        entries = _read_directory(data, limits)
        book = cls(data, limits, entries)
        book._read_workbook()
        return book

    # -- parts

    def _entry(self, part: str) -> _Entry | None:
        e = self._entries.get(part)
        if e is None and "%" in part:
            e = self._entries.get(unquote(part))
        return e

    def _check(self, e: _Entry) -> None:
        """Refuse a part whose declared size or packing ratio is over the limits."""
        part = e.name
        lim = self._limits
        if e.usize > lim.max_part_bytes:
            raise _too_large(
                f"en del av filen blir {_mb(e.usize)} uppackad, gränsen är {_mb(lim.max_part_bytes)}",
                f"{part}: {e.usize} bytes unpacked > {lim.max_part_bytes}",
                part,
            )
        if e.usize > lim.ratio_floor and e.usize > lim.max_ratio * max(e.csize, 1):
            raise _too_large(
                f"en del av filen växer {_num(e.usize // max(e.csize, 1))} gånger när den packas upp, "
                f"gränsen är {lim.max_ratio:.0f}",
                f"{part}: ratio {e.usize}/{e.csize} > {lim.max_ratio}",
                part,
            )

    def _read(self, part: str, sheet: str = "") -> bytes | bytearray:
        """One part, unpacked, within its declared size, CRC checked, DOCTYPE refused."""
        e = self._entry(part)
        if e is None:
            raise _corrupt(f"part {part} missing", part, sheet)
        part = e.name  # as the file spells it, for the log
        self._check(e)
        data = self._data
        off = e.offset
        if off < 0 or off + 30 > len(data) or data[off : off + 4] != b"PK\x03\x04":
            raise _corrupt(f"{part}: bad local header", part, sheet)
        if e.flags & 1:
            raise XlsxError(ErrorKind.ENCRYPTED, _ENCRYPTED_MESSAGE, f"{part}: zip encryption", part)
        nlen, xlen = struct.unpack_from("<HH", data, off + 26)
        start = off + 30 + nlen + xlen
        stop = start + e.csize
        if stop > len(data):
            raise _corrupt(f"{part}: data cut short (truncated file)", part, sheet)
        if e.method == 0:
            if e.csize != e.usize:
                raise _corrupt(f"{part}: stored sizes differ", part, sheet)
            out: bytes | bytearray = data[start:stop]
        elif e.method == 8:
            try:
                out = _inflate(memoryview(data)[start:stop], e.usize)
            except zlib.error as x:
                raise _corrupt(f"{part}: deflate: {x}", part, sheet) from None
            except _SizeLie:
                raise _corrupt(
                    f"{part}: unpacked size differs from the declared {e.usize} bytes", part, sheet
                ) from None
        else:
            raise _corrupt(f"{part}: compression method {e.method}", part, sheet)
        if zlib.crc32(out) != e.crc:
            raise _corrupt(f"{part}: CRC mismatch", part, sheet)
        # No scan for DOCTYPE here: expat refuses it (UNSAFE), and the regex parsers run only
        # on parts with nothing but an XML declaration before the root, where it would stand.
        return out

    def _rels(self, source: str) -> dict[str, _Rel]:
        folder, base = posixpath.split(source)
        part = posixpath.join(folder, "_rels", base + ".rels")
        if self._entry(part) is None:
            return {}
        return _parse_rels(self._read(part), part, source)

    # -- workbook

    def _read_workbook(self) -> None:
        main = _WORKBOOK_PART
        for rel in self._rels("").values():
            if rel.type == "officeDocument" and not rel.external:
                main = rel.target
                break
        if self._entry(main) is None:
            raise self._not_workbook(main)
        if main.endswith(".bin"):
            raise _not_xlsx(FileKind.XLSB)
        rels = self._rels(main)
        listed: list[tuple[str, str]] = []
        date1904 = False
        tags = _small_tags(self._read(main), main)
        if not tags or tags[0][1]["root"] not in _WORKBOOK_ROOTS:  # a .docx renamed, say
            raise _not_xlsx(FileKind.NOT_WORKBOOK)
        for local, a in tags:
            if local == "sheet":
                listed.append((a.get("name", ""), a.get("id", "")))
            elif local == "workbookPr":
                date1904 = a.get("date1904", "") in ("1", "true")
        names: list[str] = []
        seen: set[str] = set()
        for sheet_name, rid in listed:
            sheet_rel = rels.get(rid)
            if not sheet_name or sheet_rel is None or sheet_rel.external:
                raise _corrupt(f"{main}: sheet {sheet_name!r} without a part ({rid!r})", main)
            if sheet_name.lower() in seen:  # Excel forbids it; which one would be read?
                raise _corrupt(f"{main}: sheet name {sheet_name!r} twice", main)
            seen.add(sheet_name.lower())
            names.append(sheet_name)
            self._sheets[sheet_name] = sheet_rel.target
        for rel in rels.values():
            if rel.type == "sharedStrings" and not rel.external:
                self._strings_part = rel.target
            elif rel.type == "styles" and not rel.external:
                self._styles_part = rel.target
        self.sheet_names = tuple(names)
        self.date1904 = date1904
        self.has_external_links = any(r.type == "externalLink" for r in rels.values()) or any(
            k.startswith("xl/externallinks/") for k in self._entries
        )
        # Everything sheet() may unpack, checked now, before any of it is unpacked.
        parts = {main, *self._sheets.values()} | {p for p in (self._strings_part, self._styles_part) if p}
        total = 0
        for part in sorted(parts):
            e = self._entry(part)
            if e is not None:
                self._check(e)
                total += e.usize
        if total > self._limits.max_total_bytes:
            raise _too_large(
                f"bladen blir {_mb(total)} uppackade, gränsen är {_mb(self._limits.max_total_bytes)}",
                f"parts {total} bytes unpacked > {self._limits.max_total_bytes}",
            )

    def _not_workbook(self, main: str) -> XlsxError:
        if "mimetype" in self._entries or "content.xml" in self._entries:
            return _not_xlsx(FileKind.ODS)
        if "xl/workbook.bin" in self._entries:
            return _not_xlsx(FileKind.XLSB)
        if "[content_types].xml" in self._entries:
            return _corrupt(f"{main} missing", main)
        return _not_xlsx(FileKind.NOT_WORKBOOK)

    # -- shared strings

    def _load_strings(self) -> tuple[str, _Bytes]:
        part = self._strings_part
        if not part or self._entry(part) is None:
            return part, b""
        return part, self._read(part)

    # -- number formats

    def _number_formats(self) -> Mapping[bytes, NumberFormat]:
        """Each cell style's number format that is not a plain number; read once, with the
        first sheet. A file without styles (Excel always writes them) has none."""
        if self._formats is None:
            part = self._styles_part
            self._formats = (
                parse_styles(self._read(part), part) if part and self._entry(part) is not None else {}
            )
        return self._formats

    # -- sheets

    def sheet(self, name: str, max_row: int, max_col: int) -> SheetCells:
        """The cells of sheet `name` (exact name; KeyError if there is none) within rows
        0..max_row and columns 0..max_col (0-based, inclusive); cells elsewhere are counted."""
        part = self._sheets[name]
        xml = self._read(part, name)
        formats = self._number_formats()
        fast = _sheet_fast(xml, name, max_row, max_col, self._strings, formats)
        if fast is not None:
            return fast
        return _sheet_expat(xml, name, part, max_row, max_col, self._strings, formats)


def _not_xlsx(kind: FileKind) -> XlsxError:
    if kind is FileKind.ENCRYPTED:
        return XlsxError(ErrorKind.ENCRYPTED, _ENCRYPTED_MESSAGE, "OLE2 file with EncryptionInfo")
    what = {
        FileKind.XLS: "i det gamla Excel-formatet (.xls)",
        FileKind.ODS: "i OpenDocument-format (.ods)",
        FileKind.XLSB: "en binär Excel-arbetsbok (.xlsb)",
    }.get(kind)
    if what is None:
        return XlsxError(
            ErrorKind.NOT_XLSX,
            "Filen är inte en Excel-arbetsbok. Be enheten skicka den ifyllda mallen som "
            "Excel-arbetsbok (.xlsx).",
            f"sniffed {kind.value}",
        )
    return XlsxError(
        ErrorKind.NOT_XLSX,
        f"Filen är {what}. Be enheten öppna den och spara den som Excel-arbetsbok (.xlsx).",
        f"sniffed {kind.value}",
    )


# ---------------------------------------------------------------------------------------------
# The small parts, with expat: relationships and workbook.xml's sheet list


class _Rel(NamedTuple):
    type: str  # the last segment of the relationship type: 'worksheet', 'sharedStrings', …
    target: str  # the part name, resolved, lowercase
    external: bool


def _parse_rels(data: _Bytes, part: str, source: str) -> dict[str, _Rel]:
    """Relationships of the part `source` (its folder is where targets are relative to)."""
    out: dict[str, _Rel] = {}
    folder = posixpath.dirname(source)
    for local, a in _small_tags(data, part):
        if local != "Relationship":
            continue
        target = a.get("Target", "")
        external = a.get("TargetMode", "") == "External"
        if not external:
            path = target[1:] if target.startswith("/") else f"{folder}/{target}" if folder else target
            if "./" in path or "//" in path:  # '../worksheets/…', './…': rare, and normpath is slow
                path = posixpath.normpath(path)
            target = path.lstrip("/").lower()
        out.setdefault(a.get("Id", ""), _Rel(a.get("Type", "").rsplit("/", 1)[-1], target, external))
    return out


_Tags = tuple[tuple[str, Mapping[str, str]], ...]
_TAGS_CACHED_BYTES = 65536


def _small_tags(xml: _Bytes, part: str) -> _Tags:
    """The root element (as ('', {'root': name}), name with its namespace), then the start tags
    of sheet, workbookPr and Relationship elements (local name; attributes by local name: 'r:id'
    is 'id'), in document order. Expat: on these small parts it is faster than regexes that
    would have to check every attribute. In workbook.xml, parsing stops after </sheets>: what
    follows (defined names, calculation settings) is not needed."""
    if len(xml) > _TAGS_CACHED_BYTES:
        return _parsed_tags(xml, part)
    return _cached_tags(bytes(xml), part)


def _parsed_tags(xml: _Bytes, part: str) -> _Tags:
    tags: list[tuple[str, Mapping[str, str]]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if not tags:
            tags.append(("", {"root": name}))
        local = _SMALL.get(name)
        if local is not None:
            tags.append((local, {k.rpartition(_SEP)[2]: v for k, v in attrs.items()}))

    def end(name: str) -> None:
        if name in _SHEETS_END:
            raise _Stop

    with contextlib.suppress(_Stop):
        _expat(xml, part, start, end)
    return tuple((local, MappingProxyType(a)) for local, a in tags)  # shared: read-only


# By the part's bytes: the files of one template (a thousand units') have the same relationships
# and sheet list, byte for byte. Only what parsed is kept (a part that fails raises each time).
_cached_tags = lru_cache(maxsize=64)(_parsed_tags)


class _Stop(Exception):
    pass


_PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SMALL = {ns + _SEP + local: local for ns in _MAIN_NS for local in ("sheet", "workbookPr")} | {
    _PACKAGE_REL_NS + _SEP + "Relationship": "Relationship"
}
_SHEETS_END = frozenset(ns + _SEP + "sheets" for ns in _MAIN_NS)
