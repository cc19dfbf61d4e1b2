"""Number formats: what kind of figure a number cell shows (a percent, a date, a fixed text), from
the cell's style (`s`) through styles.xml's cellXfs to a built-in format id or a format code."""

from __future__ import annotations

import contextlib
from enum import Enum

from .limits import _Bytes
from .text import _MAIN_NS, _SEP, _expat


class NumberFormat(Enum):
    """What a number cell's format makes of its value; the value itself is stored as it is."""

    NUMBER = "number"  # General, 0.0, #,##0 and the like: the number as it is
    PERCENT = "percent"  # 0.0 %: 0.055 shows as 5,5 %
    DATE = "date"  # a date or a time: the number is a serial (days since 1900)
    BOOL_FORMAT = "bool_format"  # a fixed text instead of the number (LibreOffice's TRUE/FALSE)


# Excel's built-in format ids (ECMA-376 Part 1, 18.8.30) that are not plain numbers. 27–36 and
# 50–58 are the East Asian locales' dates; no file states these formats, Excel knows them by id.
_BUILTIN = {
    9: NumberFormat.PERCENT,  # 0%
    10: NumberFormat.PERCENT,  # 0.00%
    **{i: NumberFormat.DATE for i in (*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59))},
}
_DATE_TOKENS = frozenset("yYmMdDhHsS")
_PLACEHOLDERS = frozenset("0#?@")


def format_kind(code: str) -> NumberFormat:
    """The kind of a format code. Quoted text ("kr"), an escaped or skipped character (\\%, _),
    and what stands in brackets ([Red], [$-41D], [>=100]) are not tokens; [h], [mm], [ss]
    (elapsed time) are. A code with fixed text and no digit placeholder shows the text, never
    the number (LibreOffice writes its booleans so: "TRUE";"TRUE";"FALSE")."""
    tokens: list[str] = []  # what is left outside quotes, escapes and brackets
    literal = False  # some section shows fixed text
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch == '"':
            end = code.find('"', i + 1)
            end = n if end < 0 else end
            literal = literal or end > i + 1
            i = end + 1
        elif ch in "\\_*":  # the next character is a literal (escaped, a width, a fill)
            literal = literal or ch == "\\"
            i += 2
        elif ch == "[":
            end = code.find("]", i + 1)
            end = n if end < 0 else end
            inside = code[i + 1 : end]
            if inside and inside[0] in "hHmMsS" and inside.lower() == inside[0].lower() * len(inside):
                tokens.append("h")  # elapsed time: [h]:mm
            i = end + 1
        else:
            tokens.append(ch)
            i += 1
    if any(t in _DATE_TOKENS for t in tokens):
        return NumberFormat.DATE
    if "%" in tokens:
        return NumberFormat.PERCENT
    shows_digits = any(t in _PLACEHOLDERS for t in tokens) or "general" in "".join(tokens).lower()
    if literal and not shows_digits:
        return NumberFormat.BOOL_FORMAT
    return NumberFormat.NUMBER


def parse_styles(xml: _Bytes, part: str) -> dict[bytes, NumberFormat]:
    """The cell styles (cellXfs) whose number format is not a plain number, by their index as
    the `s` attribute writes it (b'3'). Parsing stops after cellXfs: fonts, fills and the rest
    that follow do not matter here."""
    codes: dict[int, str] = {}
    xf_formats: list[int] = []
    state = {"in_xfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(_SEP)
        if ns not in _MAIN_NS:
            return
        if local == "numFmt":
            with contextlib.suppress(ValueError):
                codes[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            state["in_xfs"] = True
        elif local == "xf" and state["in_xfs"]:
            try:
                xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)

    def end(name: str) -> None:
        ns, _, local = name.rpartition(_SEP)
        if local == "cellXfs" and ns in _MAIN_NS:
            raise _Done

    with contextlib.suppress(_Done):
        _expat(xml, part, start, end)
    kinds: dict[int, NumberFormat] = {}
    out: dict[bytes, NumberFormat] = {}
    for index, fmt_id in enumerate(xf_formats):
        kind = kinds.get(fmt_id)
        if kind is None:
            code = codes.get(fmt_id)
            # A format the file states wins over the built-in one of that id (Excel writes
            # none for its built-ins; LibreOffice states each one it uses).
            kind = kinds[fmt_id] = (
                format_kind(code) if code is not None else _BUILTIN.get(fmt_id, NumberFormat.NUMBER)
            )
        if kind is not NumberFormat.NUMBER:
            out[str(index).encode()] = kind
    return out


class _Done(Exception):
    pass
