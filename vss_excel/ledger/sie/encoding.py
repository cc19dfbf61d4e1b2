"""Bytes to text to lines: which codec a SIE file is in, and how its lines end.

The standard says IBM PC 8-bit ASCII (code page 437, `#FORMAT PC8`); UTF-8 (with or without BOM)
and Windows-1252 / ISO-8859-1 files exist too, so the codec is judged from the bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

BOM_UTF8 = b"\xef\xbb\xbf"
_FORMAT_RE = re.compile(rb'^[ \t]*#FORMAT[ \t]+"?([^ \t\r\n"]*)', re.MULTILINE | re.IGNORECASE)
_SWEDISH = frozenset("åäöÅÄÖéÉüÜ")
# Characters a Windows-1252 text may well hold that cp437 would read as letters: neutral.
_NEUTRAL = frozenset("–—‘’“”€§°½¼¾…´¨·«»±×£¤µ¹²³ªº¿¡\xa0")


def _weight(ch: str) -> int:
    if ch in _SWEDISH:
        return 1
    if ch in _NEUTRAL or ch.isalpha():
        return 0
    return -1  # box drawing, maths, control characters: not what a ledger's names are made of


def detect_encoding(data: bytes) -> str:
    """The codec to decode a SIE file's bytes with.

    'utf-8-sig' (BOM), 'utf-16' (BOM), 'ascii' (nothing else; every 8-bit reading agrees),
    'utf-8' (valid UTF-8 with non-ASCII), else 'cp437' (#FORMAT PC8, the standard) or 'cp1252' /
    'latin-1' (Windows and ISO 8859-1/-15 files): whichever reads the non-ASCII bytes as Swedish
    letters (å ä ö Å Ä Ö é ü); when neither does better, cp437 unless #FORMAT names something else.
    """
    if data.startswith(BOM_UTF8):
        try:
            data[3:].decode("utf-8")
        except UnicodeDecodeError:
            data = data[3:]  # a BOM on a file that is not UTF-8 after all: judge the rest
        else:
            return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.isascii():
        return "ascii"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    high = Counter(data.translate(None, bytes(range(128))))
    score_437 = sum(n * _weight(bytes([b]).decode("cp437")) for b, n in high.items())
    score_1252 = 0
    undefined_1252 = False
    for b, n in high.items():
        try:
            score_1252 += n * _weight(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D: C1 controls in ISO 8859-1
            score_1252 -= n
            undefined_1252 = True
    windows = "latin-1" if undefined_1252 else "cp1252"
    if score_1252 > score_437:
        return windows
    if score_437 > score_1252:
        return "cp437"
    m = _FORMAT_RE.search(data, 0, 1 << 16)
    return windows if m and m.group(1).upper() not in (b"PC8", b"") else "cp437"


def unify_line_ends(text: str) -> str:
    """The text with every line ending in LF, if some line ends in a CR alone (old Mac)."""
    crs = text.count("\r")
    if crs and crs != text.count("\r\n"):  # CR alone ends a line (old Mac) somewhere
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # else CRLF or LF: split on LF; the CR left at the end of a line is whitespace to the parser.
    return text


def split_lines(text: str, chunk: int = 1 << 20) -> Iterator[str]:
    """`text.split("\\n")`, a chunk at a time: no list of all the lines at once."""
    pos = 0
    while (cut := text.find("\n", pos + chunk)) >= 0:
        yield from text[pos:cut].split("\n")
        pos = cut + 1
    yield from text[pos:].split("\n")
