"""A bounded reader of the cells of an .xlsx file that a unit returned, safe on hostile files.

Returned workbooks may be anything (see DESIGN.md, "Bad input"), so this module reads the OOXML
itself with the standard library only, and never trusts what the file claims:

- The zip directory is read first; nothing is decompressed before its declared size and packing
  ratio were checked against `Limits`, and a part whose header lies about its size is cut off
  at the declared size (`CORRUPT`), so a zip bomb costs neither time nor memory.
- No grid is ever built from what the file claims (`<dimension>`, the last cell): only cells
  inside the area the caller asks for are kept; the others are counted (`SheetCells.outside`).
- XML with a DOCTYPE or ENTITY declaration is refused (`UNSAFE`): no entity expansion, ever.
- Error values (`#DIV/0!`) and formulas (also external links such as `[1]Blad1!A1`) are
  reported as they are, not hidden behind a cached value.

Two parsers read a worksheet. A fast one, with compiled bytes regexes, reads the canonical form
that every real writer produces (Excel, LibreOffice, XlsxWriter, openpyxl): UTF-8, the main
namespace as the default one, every cell with an `r` attribute, attributes in the usual order, a
`<f>` then a `<v>` or a plain inline string. It proves it saw every cell (each `<c` in sheetData
must be a cell it parsed); if it cannot, the sheet is read again with xml.parsers.expat, which
handles any well-formed sheet (namespace prefixes, cells and rows without `r`, rich inline
strings, comments, CDATA, UTF-16, Strict OOXML). Both give the same cells; the tests check that.
Shared strings are read once, when the first sheet needs one, and decoded in batches.

Cell rules, the same in both parsers:
- A cell with neither a value nor a formula is left out (a styled empty cell).
- A formula cell whose cached result is empty (`<v></v>`, `<v/>` or no `<v>`) is kept as
  TEXT '' with its formula, so a formula typed into an input cell is never hidden.
- A dependent cell of a shared formula gets the master cell's formula text as written there
  (references not shifted); '' if the file has no such master.
- `t="d"` (an ISO date as text) is TEXT; numbers are floats; dates are numbers (serials), as
  Excel stores them; see `XlsxFile.date1904`.
- Texts: XML entities are decoded, `_xHHHH_` escapes (Excel's way of storing control
  characters) too; rich text runs are joined, phonetic runs (`<rPh>`) left out.
"""

from __future__ import annotations

import contextlib
import math
import posixpath
import re
import struct
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from enum import Enum
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import unquote
from xml.parsers import expat

__all__ = [
    "DEFAULT_LIMITS",
    "SNIFF_BYTES",
    "CellType",
    "ErrorKind",
    "FileKind",
    "Limits",
    "RawCell",
    "SheetCells",
    "XlsxError",
    "XlsxFile",
    "cell_ref",
    "sniff",
]

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


class CellType(Enum):
    NUMBER = "number"
    TEXT = "text"
    BOOL = "bool"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RawCell:
    """One cell as stored. For ERROR the value is the text Excel shows ('#DIV/0!', '#REF!')."""

    value: float | str | bool
    type: CellType
    formula: str | None = None  # the formula (without '='), when the cell holds one


@dataclass(frozen=True)
class SheetCells:
    name: str
    cells: Mapping[tuple[int, int], RawCell]  # 0-based (row, col), only cells inside the area
    outside: int  # cells with a value or a formula outside the area
    first_outside: str  # the A1 reference of the first of them in the file ('XFD1048576'), or ''


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


# ---------------------------------------------------------------------------------------------
# Sniffing: what kind of file is this, before opening it


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


# ---------------------------------------------------------------------------------------------
# The zip container, read by hand: bounded, and faster than zipfile for many small parts


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


# ---------------------------------------------------------------------------------------------
# XML text helpers, for the fast parser (expat does this itself)

_ENTITY = re.compile(r"&([^;&]{0,10});?")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class _Fallback(Exception):
    """The fast parser met something it does not handle; expat reads the part instead."""


def _xml_char(cp: int) -> bool:
    return cp in (9, 10, 13) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF


def _entity(m: re.Match[str]) -> str:
    if not m.group(0).endswith(";"):
        raise _Fallback("stray &")
    name = m.group(1)
    hit = _NAMED.get(name)
    if hit is not None:
        return hit
    try:
        cp = int(name[2:], 16) if name[:2] == "#x" else int(name[1:]) if name[:1] == "#" else -1
    except ValueError:
        cp = -1
    if not _xml_char(cp):
        raise _Fallback(f"entity &{name};")  # expat then reports the file as broken
    return chr(cp)


_OTHER_AMP = re.compile(r"&(?!(?:quot|amp|lt|gt|apos);)")


def _text(raw: bytes) -> str:
    """Element text as an XML parser gives it: UTF-8, line ends normalized, entities decoded."""
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Fallback("not UTF-8") from None
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in s:
        if _OTHER_AMP.search(s) is None:  # formulas are full of &quot;: replace() is 5x faster
            s = s.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
            s = s.replace("&amp;", "&")  # last, or '&amp;lt;' would become '<'
        else:
            s = _ENTITY.sub(_entity, s)
    return s


def _x_unescape(s: str) -> str:
    """Excel's `_xHHHH_` escapes in stored text (`_x000D_` is a carriage return)."""
    if "_x" not in s:
        return s
    return _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s)


# ---------------------------------------------------------------------------------------------
# expat, for the small parts and as the general parser

_MAIN_NS = frozenset(
    {
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict OOXML
    }
)
_SEP = "\x01"  # between namespace and local name in expat's names


def _refuse_doctype(*_args: object) -> None:
    raise _Doctype


class _Doctype(Exception):
    pass


def _expat(
    data: _Bytes,
    part: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
    sheet: str = "",
) -> None:
    p = expat.ParserCreate(namespace_separator=_SEP)
    p.buffer_text = True
    p.StartDoctypeDeclHandler = _refuse_doctype
    p.EntityDeclHandler = _refuse_doctype
    p.StartElementHandler = start
    if end is not None:
        p.EndElementHandler = end
    if text is not None:
        p.CharacterDataHandler = text
    try:
        for at in range(0, len(data), _CHUNK):  # in pieces: expat's buffer stays small
            p.Parse(data[at : at + _CHUNK], False)
        p.Parse(b"", True)
    except _Doctype:
        raise _unsafe(part) from None
    except expat.ExpatError as e:
        raise _corrupt(f"{part}: XML: {e}", part, sheet) from None


def _split(name: str) -> tuple[str, str]:
    ns, _, local = name.rpartition(_SEP)
    return ns, local


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


# ---------------------------------------------------------------------------------------------
# Cell references

_REF = re.compile(r"([A-Za-z]{1,3})([1-9][0-9]{0,6})")
_COLS: dict[bytes, int] = {}


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


def cell_ref(row: int, col: int) -> str:
    """A1 reference of a 0-based (row, col)."""
    letters = ""
    c = col + 1
    while c > 0:
        c, rest = divmod(c - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


# ---------------------------------------------------------------------------------------------
# Shared strings

_SI = re.compile(rb"<si>(.*?)</si>", re.S)  # the body of an item of sharedStrings.xml
_BATCH = 1024  # shared strings decoded together, as one text (see _Strings)
_KEEP_BATCHES = 16  # decoded batches kept; real files have one
_MAIN_DECL = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_MAIN_URI_END = b'/spreadsheetml/2006/main"'


_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?xml\s[^>]*\?>)?\s*")


def _prolog_end(xml: _Bytes) -> int:
    """Where the root element starts when the part is UTF-8 and has nothing but an XML
    declaration before it (no DOCTYPE, comment or processing instruction); else -1."""
    m = _PROLOG.match(xml)
    assert m is not None  # everything in the pattern is optional
    decl = m.group().lower()
    if b"encoding" in decl and b"utf-8" not in decl:
        return -1
    return m.end() if xml[m.end() : m.end() + 1] == b"<" else -1


def _canonical_root(xml: _Bytes, root: bytes, no_prefixes: bool = False) -> bool:
    """Whether the part is UTF-8, starts (after an XML declaration) with the element `root` in
    the main namespace as the default namespace, and binds no prefix to that namespace: then
    every element of the main namespace is written without a prefix, which the fast parsers
    rely on. With no_prefixes, the root may declare no prefix at all (the fast shared strings
    parse items on their own). DOCTYPE cannot appear after the root, so none is in the part."""
    at = _prolog_end(xml)
    if at < 0 or not xml.startswith(b"<" + root, at):
        return False
    close = xml.find(b">", at)
    tag = xml[at:close]
    if close < 0 or tag[len(root) + 1 : len(root) + 2] not in (b" ", b"\n", b"\r", b"\t", b""):
        return False
    if no_prefixes and b"xmlns:" in tag:
        return False
    return _MAIN_DECL in tag and xml.count(_MAIN_URI_END) == 1


def _small_tags(xml: _Bytes, part: str) -> list[tuple[str, dict[str, str]]]:
    """The root element (as ('', {'root': name}), name with its namespace), then the start tags
    of sheet, workbookPr and Relationship elements (local name; attributes by local name: 'r:id'
    is 'id'), in document order. Expat: on these small parts it is faster than regexes that
    would have to check every attribute. In workbook.xml, parsing stops after </sheets>: what
    follows (defined names, calculation settings) is not needed."""
    tags: list[tuple[str, dict[str, str]]] = []

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
    return tags


class _Stop(Exception):
    pass


_PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SMALL = {ns + _SEP + local: local for ns in _MAIN_NS for local in ("sheet", "workbookPr")} | {
    _PACKAGE_REL_NS + _SEP + "Relationship": "Relationship"
}
_SHEETS_END = frozenset(ns + _SEP + "sheets" for ns in _MAIN_NS)


class _Strings:
    """The shared strings of a file: read once, lazily, by the first sheet that needs them.

    The usual form is cut into item bodies by one regex, and bodies are decoded in batches of
    _BATCH when a cell first refers to one of them: a batch is joined with NUL (which XML text
    cannot hold), stripped of <t> tags, decoded and unescaped as one text and split again, so
    the cost per string is a few C operations instead of several Python calls.
    Anything else is read by expat at once."""

    __slots__ = ("_batches", "_bodies", "_count", "_decoded", "_load", "_max", "_part")

    def __init__(self, load: Callable[[], tuple[str, _Bytes]], max_strings: int) -> None:
        self._load = load
        self._count = -1  # not read yet
        self._bodies: list[bytes] = []
        self._batches: list[list[str] | None] = []
        self._decoded: list[int] = []  # batches decoded, oldest first
        self._part = ""
        self._max = max_strings

    def get(self, i: int, sheet: str) -> str:
        if self._count < 0:
            self._read()
        if not 0 <= i < self._count:
            raise _corrupt(f"shared string {i} of {self._count}", sheet=sheet)
        batch = self._batches[i // _BATCH]
        if batch is None:
            batch = self._decode(i // _BATCH)
        return batch[i % _BATCH]

    def _read(self) -> None:
        part, xml = self._load()
        self._part = part
        n = xml.count(b"<si") if xml else 0
        if n > self._max:
            raise _too_large(
                f"{_num(n)} olika texter, gränsen är {_num(self._max)}",
                f"{part}: {n} shared strings > {self._max}",
                part,
            )
        bodies = _SI.findall(xml) if _canonical_root(xml, b"sst", no_prefixes=True) else None
        if bodies is not None and len(bodies) == n:  # every '<si' is an item the regex cut out
            self._bodies = bodies
            self._batches = [None] * (n // _BATCH + 1)
            self._count = n
        else:
            self._expat(xml)

    def _expat(self, xml: _Bytes) -> None:
        strings = _parse_strings(xml, self._part, self._max) if xml else []
        self._bodies, self._decoded = [], []
        self._batches = [strings[k : k + _BATCH] for k in range(0, len(strings), _BATCH)] or [[]]
        self._count = len(strings)

    def _decode(self, b: int) -> list[str]:
        bodies = self._bodies[b * _BATCH : (b + 1) * _BATCH]
        # A plain item, '<t>text</t>', is its text once the <t> tags are gone (text holds no
        # '<'); any other (rich text runs, phonetic runs, '<t/>') still has a '<' after that,
        # and expat reads it below, from its body.
        joined = b"\0".join(bodies).replace(b"</t>", b"").replace(b"<t>", b"")
        joined = joined.replace(b'<t xml:space="preserve">', b"")
        try:
            text = _text(joined)
            out = text.split("\0")
            if len(out) != len(bodies):
                raise _Fallback("NUL in text")
        except _Fallback:  # an odd entity, not UTF-8: expat reads all, or says what is wrong
            self._expat(self._load()[1])
            batch = self._batches[b]
            assert batch is not None
            return batch
        if "_x" in text:
            out = [_x_unescape(t) for t in out]
        if b"<" in joined:
            for k, piece in enumerate(joined.split(b"\0")):
                if b"<" in piece:
                    out[k] = _si_fragment(bodies[k], self._part)
        self._batches[b] = out
        self._decoded.append(b)
        if len(self._decoded) > _KEEP_BATCHES:  # a sheet citing strings all over a huge table
            self._batches[self._decoded.pop(0)] = None
        return out


def _si_fragment(body: bytes, part: str) -> str:
    """One `<si>` read by expat, in the main namespace as in the file (the fast path only runs
    when the main namespace is the default one and no prefix is declared on the root)."""
    strings = _parse_strings(b"<si " + _MAIN_DECL + b">" + body + b"</si>", part)
    return strings[0] if strings else ""


def _parse_strings(data: _Bytes, part: str, max_strings: int = 0) -> list[str]:
    """All `<si>` texts with expat: `<t>` of the item and of its runs, not of `<rPh>`."""
    out: list[str] = []
    buf: list[str] = []
    state = {"t": False, "rph": 0}

    def start(name: str, _a: dict[str, str]) -> None:
        ns, local = _split(name)
        if ns not in _MAIN_NS:
            return
        if local == "si":
            buf.clear()
        elif local == "rPh":
            state["rph"] += 1
        elif local == "t" and not state["rph"]:
            state["t"] = True

    def end(name: str) -> None:
        ns, local = _split(name)
        if ns not in _MAIN_NS:
            return
        if local == "si":
            if max_strings and len(out) >= max_strings:
                raise _too_large(
                    f"fler än {_num(max_strings)} olika texter",
                    f"{part}: more than {max_strings} shared strings",
                    part,
                )
            out.append(_x_unescape("".join(buf)))
        elif local == "rPh":
            state["rph"] -= 1
        elif local == "t":
            state["t"] = False

    def text(s: str) -> None:
        if state["t"]:
            buf.append(s)

    _expat(data, part, start, end, text)
    return out


# ---------------------------------------------------------------------------------------------
# Worksheets

# A cell in canonical form. Groups: column letters, row digits, type, the <f start tag (empty if
# no formula), <f> text, <v> text, and '<t …>text' of a plain inline string (openpyxl writes
# those). Possessive quantifiers: nothing here needs backtracking, and findall is 1.5x faster.
# The second alternative matches any other '<c' start tag (no r, other attribute order, inline
# rich text, a comment or CDATA inside, '<c>' or a line break after '<c'): a match with an
# empty row tells the fast parser that it cannot read this sheet, so expat does.
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}+)([1-9][0-9]{0,6}+)"'
    rb'(?: s="[0-9]++")?+'
    rb'(?: t="([a-zA-Z]++)")?+'
    rb'(?: (?:cm|vm|ph)="[^"<]*+")*+'
    rb" ?+(?:/>|>"
    rb"(?:(<f(?: [^>]*)?)(?:/>|>([^<]*+)</f>))?+"
    rb'(?:<v>([^<]*+)</v>|<v ?/>|<is>(<t(?: xml:space="preserve")?>[^<]*+)</t></is>)?+'
    rb"</c>)"
    rb"|<c(?=[\s/>])"
)
_SI_ATTR = re.compile(rb'\bsi="([0-9]+)"')


_NEW = object.__new__
_SET_VALUE: Callable[[RawCell, object], None] = vars(RawCell)["value"].__set__
_SET_TYPE: Callable[[RawCell, object], None] = vars(RawCell)["type"].__set__
_SET_FORMULA: Callable[[RawCell, object], None] = vars(RawCell)["formula"].__set__


def _cell(value: float | str | bool, typ: CellType, formula: str | None) -> RawCell:
    """RawCell without the frozen dataclass's __init__ (three object.__setattr__ calls): the
    parsers make hundreds per file, and this halves their cost. _sheet_fast inlines it."""
    c: RawCell = _NEW(RawCell)
    _SET_VALUE(c, value)
    _SET_TYPE(c, typ)
    _SET_FORMULA(c, formula)
    return c


def _number(v: bytes | str, sheet: str, ref: str) -> float:
    try:
        x = float(v)
    except ValueError:
        raise _corrupt(f"{ref}: number {v!r}", sheet=sheet) from None
    if not math.isfinite(x):
        raise _corrupt(f"{ref}: number {v!r}", sheet=sheet)
    return x


def _bool(v: str, sheet: str, ref: str) -> bool:
    v = v.strip()
    if v in ("1", "true"):
        return True
    if v in ("0", "false"):
        return False
    raise _corrupt(f"{ref}: boolean {v!r}", sheet=sheet)


def _value(t: str, v: str, strings: _Strings, sheet: str, ref: str) -> tuple[float | str | bool, CellType]:
    """The value of a non-empty cell from its type attribute and text (the general path)."""
    if t in ("", "n"):
        return _number(v, sheet, ref), CellType.NUMBER
    if t == "s":
        try:
            i = int(v)
        except ValueError:
            raise _corrupt(f"{ref}: shared string index {v!r}", sheet=sheet) from None
        return strings.get(i, sheet), CellType.TEXT
    if t in ("str", "inlineStr"):
        return _x_unescape(v), CellType.TEXT
    if t == "d":
        return v, CellType.TEXT
    if t == "e":
        return v, CellType.ERROR
    if t == "b":
        return _bool(v, sheet, ref), CellType.BOOL
    raise _corrupt(f"{ref}: cell type {t!r}", sheet=sheet)


def _cells(xml: _Bytes, start: int, end: int) -> Iterator[tuple[bytes, ...]]:
    """_CELL's matches in sheetData, a chunk at a time, so that a sheet of a million cells
    outside the area costs a bounded list, not one of a million tuples. A chunk ends before a
    '<c', that is between two cells (if it is not, the cell cut in two fails the regex, and
    expat reads the sheet)."""
    pos = start
    while pos < end:
        cut = xml.find(b"<c", pos + _CHUNK, end) if end - pos > _CHUNK else -1
        stop = end if cut < 0 else cut
        yield from _CELL.findall(xml, pos, stop)
        pos = stop


def _sheet_fast(xml: _Bytes, name: str, max_row: int, max_col: int, strings: _Strings) -> SheetCells | None:
    """The canonical form with regexes; None when the sheet is not in that form."""
    if not _canonical_root(xml, b"worksheet"):
        return None
    start = xml.find(b"<sheetData>")
    if start < 0:
        return SheetCells(name, MappingProxyType({}), 0, "") if b"<sheetData/>" in xml else None
    end = xml.find(b"</sheetData>", start)
    if end < 0:
        return None
    cells: dict[tuple[int, int], RawCell] = {}
    outside = 0
    first_outside = ""
    masters: dict[bytes, bytes] = {}
    pending: list[tuple[tuple[int, int], bytes]] = []
    cols = _COLS
    new, set_value, set_type, set_formula = _NEW, _SET_VALUE, _SET_TYPE, _SET_FORMULA
    text, isfinite = _text, math.isfinite
    number_t, text_t = CellType.NUMBER, CellType.TEXT
    try:
        start += 11
        found = _CELL.findall(xml, start, end) if end - start <= _CHUNK else _cells(xml, start, end)
        for col_s, row_s, t, fa, ft, v, inline in found:
            if not v and not fa and not (inline and t == b"inlineStr"):
                if not row_s:
                    return None  # a cell the regex could not read
                continue  # no value, no formula (fa is the <f start tag)
            row = int(row_s) - 1
            col = cols.get(col_s)
            if col is None:
                col = cols[col_s] = _col_index(col_s)
            if row > max_row or col > max_col:
                if ft and b"si=" in fa:  # a shared formula's master: its dependents need it
                    m = _SI_ATTR.search(fa)
                    if m is not None:
                        masters[m.group(1)] = ft
                outside += 1
                if not first_outside:
                    first_outside = (col_s + row_s).decode()
                continue
            formula: str | None = None
            if fa:
                formula = text(ft)
                if b"si=" in fa:
                    m = _SI_ATTR.search(fa)
                    if m is not None:
                        if ft:
                            masters[m.group(1)] = ft
                        else:
                            pending.append(((row, col), m.group(1)))
            if inline and t == b"inlineStr":
                value: float | str | bool = _x_unescape(text(inline[inline.index(b">") + 1 :]))
                typ = text_t
            elif not v:
                value, typ = "", text_t
            elif t == b"" or t == b"n":
                value, typ = float(v), number_t
                if not isfinite(value):
                    raise ValueError
            elif t == b"s":
                value, typ = strings.get(int(v), name), text_t
            else:
                ref = (col_s + row_s).decode()
                value, typ = _value(t.decode("ascii"), text(v), strings, name, ref)
            c = new(RawCell)
            set_value(c, value)
            set_type(c, typ)
            set_formula(c, formula)
            cells[row, col] = c
    except _Fallback:
        return None  # an odd entity or encoding: expat decides whether the sheet is broken
    except ValueError:  # float() or int() of the cell's text
        return None  # expat reads it again and says which cell is wrong
    for key, si in pending:
        try:
            cells[key] = replace(cells[key], formula=text(masters.get(si, b"")))
        except _Fallback:
            return None
    return SheetCells(name, MappingProxyType(cells), outside, first_outside)


class _SheetParser:
    """Any well-formed worksheet, with expat. Positions of rows and cells without `r` follow
    from their order; only elements of the main namespace count."""

    def __init__(self, name: str, part: str, max_row: int, max_col: int, strings: _Strings) -> None:
        self.name, self.part, self.max_row, self.max_col, self.strings = name, part, max_row, max_col, strings
        self.cells: dict[tuple[int, int], RawCell] = {}
        self.outside = 0
        self.first_outside = ""
        self.masters: dict[str, str] = {}
        self.pending: list[tuple[tuple[int, int], str]] = []
        self.in_data = False
        self.row = -1
        self.row_known = True  # whether self.row is where the next cell without r goes
        self.col = -1
        self.cell: dict[str, str] | None = None  # attributes of the open <c>
        self.ref = ""
        self.v: list[str] | None = None
        self.f: list[str] | None = None
        self.f_attrs: dict[str, str] = {}
        self.is_text: list[str] | None = None
        self.target: list[str] | None = None  # where character data goes now
        self.rph = 0
        self.depth = 0  # element depth inside the open <c>

    def start(self, name: str, attrs: dict[str, str]) -> None:
        ns, local = _split(name)
        if self.cell is not None:
            self.depth += 1
            if ns not in _MAIN_NS:
                return
            if self.depth == 1:
                if local == "v":
                    self.v = self.target = []
                elif local == "f":
                    self.f = self.target = []
                    self.f_attrs = attrs
                elif local == "is":
                    self.is_text = []
            elif self.is_text is not None:
                if local == "rPh":
                    self.rph += 1
                elif local == "t" and not self.rph:
                    self.target = self.is_text
            return
        if ns not in _MAIN_NS:
            return
        if local == "sheetData":
            self.in_data = True
        elif not self.in_data:
            return
        elif local == "row":
            r = attrs.get("r")
            if r is None:
                self.row += 1
            elif r.isdigit() and 1 <= int(r) <= 9_999_999:
                self.row, self.row_known = int(r) - 1, True
            else:  # matters only to a cell without r (as in the fast parser, which needs none)
                self.row_known = False
            self.col = -1
        elif local == "c":
            r = attrs.get("r")
            if r is not None:
                m = _REF.fullmatch(r)
                if m is None:
                    raise _corrupt(f"cell r={r!r}", self.part, self.name)
                self.col = _col_index(m.group(1).encode())
                self.row, self.row_known = int(m.group(2)) - 1, True
                self.ref = r.upper()
            elif not self.row_known:
                raise _corrupt(
                    f"a cell without r in a row with a bad r, after {self.ref}", self.part, self.name
                )
            else:
                self.col += 1
                self.ref = ""
            self.cell = attrs
            self.depth = 0
            self.v = self.f = self.is_text = self.target = None
            self.f_attrs = {}
            self.rph = 0

    def end(self, name: str) -> None:
        if self.cell is None:
            if name.rpartition(_SEP)[2] == "sheetData":
                self.in_data = False
            return
        if self.depth == 0:
            self._finish(self.cell)
            self.cell = None
            return
        self.depth -= 1
        ns, local = _split(name)
        if ns in _MAIN_NS:
            if local in ("v", "f"):
                self.target = None
            elif local == "rPh":
                self.rph -= 1
            elif local == "t":
                self.target = None

    def text(self, s: str) -> None:
        if self.target is not None:
            self.target.append(s)

    def _finish(self, attrs: dict[str, str]) -> None:
        t = attrs.get("t", "")
        v = "".join(self.v) if self.v is not None else ""
        if t == "inlineStr" and self.is_text is not None:
            v = "".join(self.is_text)
            has_value = True
        else:
            has_value = v != ""
        formula = "".join(self.f) if self.f is not None else None
        if not has_value and formula is None:
            return
        row, col = self.row, self.col
        si = self.f_attrs.get("si") if self.f is not None else None
        if si is not None and formula:
            self.masters[si] = formula
        if row > self.max_row or col > self.max_col:
            self.outside += 1
            if not self.first_outside:
                self.first_outside = self.ref or cell_ref(row, col)
            return
        if si is not None and not formula:
            self.pending.append(((row, col), si))
        if not has_value:
            self.cells[row, col] = _cell("", CellType.TEXT, formula)
            return
        value, typ = _value(t, v, self.strings, self.name, self.ref or cell_ref(row, col))
        self.cells[row, col] = _cell(value, typ, formula)

    def result(self) -> SheetCells:
        for key, si in self.pending:
            self.cells[key] = replace(self.cells[key], formula=self.masters.get(si, ""))
        return SheetCells(self.name, MappingProxyType(self.cells), self.outside, self.first_outside)


# ---------------------------------------------------------------------------------------------
# The workbook


class _SizeLie(Exception):
    pass


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
        self.sheet_names = tuple(names)
        self.date1904 = date1904
        self.has_external_links = any(r.type == "externalLink" for r in rels.values()) or any(
            k.startswith("xl/externallinks/") for k in self._entries
        )
        # Everything sheet() may unpack, checked now, before any of it is unpacked.
        parts = {main, *self._sheets.values()} | ({self._strings_part} if self._strings_part else set())
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

    # -- sheets

    def sheet(self, name: str, max_row: int, max_col: int) -> SheetCells:
        """The cells of sheet `name` (exact name; KeyError if there is none) within rows
        0..max_row and columns 0..max_col (0-based, inclusive); cells elsewhere are counted."""
        part = self._sheets[name]
        xml = self._read(part, name)
        fast = _sheet_fast(xml, name, max_row, max_col, self._strings)
        if fast is not None:
            return fast
        return _sheet_expat(xml, name, part, max_row, max_col, self._strings)


def _sheet_expat(
    xml: _Bytes, name: str, part: str, max_row: int, max_col: int, strings: _Strings
) -> SheetCells:
    p = _SheetParser(name, part, max_row, max_col, strings)
    _expat(xml, part, p.start, p.end, p.text, sheet=name)
    return p.result()


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
