"""XML helpers: text as an XML parser gives it (for the fast parsers; expat does this itself),
expat set up safely (DOCTYPE refused), and the canonical form the fast parsers rely on."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.parsers import expat

from .errors import _corrupt, _unsafe
from .limits import _CHUNK, _Bytes

# ---------------------------------------------------------------------------------------------
# Text as an XML parser gives it, for the fast parsers (expat does this itself)

# What XML counts as white space. Excel trims it from both ends of a <t> text without
# xml:space="preserve" (entities decoded first: '&#10;x' reads 'x'), as the XML spec lets an
# application do; writers that indent their XML (SpreadsheetGear) rely on it.
_WHITESPACE = " \t\n\r"
_XML_SPACE = "http://www.w3.org/XML/1998/namespace\x01space"  # xml:space as expat names it

_ENTITY = re.compile(r"&([^;&]{0,10});?")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# A UTF-16 pair first (Excel stores 😀 as _xD83D__xDE00_), else one code unit, in one pass from the
# left so '_x005F_' (an escaped '_') is never taken apart.
_X_ESCAPE = re.compile(r"_x(D[89ABab][0-9A-Fa-f]{2})__x(D[C-Fc-f][0-9A-Fa-f]{2})_|_x([0-9A-Fa-f]{4})_")


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
    return _X_ESCAPE.sub(_x_char, s)


def _x_char(m: re.Match[str]) -> str:
    if m[1]:
        return (chr(int(m[1], 16)) + chr(int(m[2], 16))).encode("utf-16", "surrogatepass").decode("utf-16")
    code = int(m[3], 16)
    # Half a pair is no character (it cannot even be saved as UTF-8): the text stays as written
    return m[0] if 0xD800 <= code <= 0xDFFF else chr(code)


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
    except (expat.ExpatError, LookupError, UnicodeError) as e:  # LookupError: an unknown encoding
        raise _corrupt(f"{part}: XML: {e}", part, sheet) from None


def _split(name: str) -> tuple[str, str]:
    ns, _, local = name.rpartition(_SEP)
    return ns, local


# ---------------------------------------------------------------------------------------------
# The canonical form, which the fast parsers rely on

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
