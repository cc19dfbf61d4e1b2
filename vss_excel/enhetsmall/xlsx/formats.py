"""Number formats: what kind of figure a number cell shows (a percent, a date, a fixed text), from
the cell's style (`s`) through styles.xml's cellXfs to a built-in format id or a format code."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from enum import Enum

from .limits import _Bytes
from .text import _MAIN_NS, _SEP, _canonical_root, _expat, _Fallback, _text


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
# What is not a token: quoted text, an escaped character (\\), a width (_) or a fill (*) with
# the character after it, and what stands in brackets ([Red], [$-41D], [>=100], [h]).
_NOT_TOKENS = re.compile(r'"[^"]*+"?+|[\\_*].?|\[[^\]]*+\]?+', re.S)
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.I)  # [h]:mm, [mm], [ss]: elapsed time
_DATE = re.compile(r"[yYmMdDhHsS]")
_DIGITS = re.compile(r"[0#?@]|general", re.I)


def format_kind(code: str) -> NumberFormat:
    """The kind of a format code, from its tokens: date tokens (y m d h s, or elapsed time such
    as [h]) make a date, a % a percent. A code with fixed text (quoted or escaped) and no digit
    placeholder shows that text, never the number (LibreOffice writes its booleans so:
    "TRUE";"TRUE";"FALSE")."""
    bare, literal = code, False
    if '"' in code or "\\" in code or "_" in code or "*" in code or "[" in code:
        for m in _NOT_TOKENS.finditer(code):
            t = m[0]
            if t[0] == "[" and _ELAPSED.fullmatch(t) is not None:
                return NumberFormat.DATE
            literal = literal or t[0] == "\\" or (t[0] == '"' and t.strip('"') != "")
        bare = _NOT_TOKENS.sub(" ", code)
    if _DATE.search(bare) is not None:
        return NumberFormat.DATE
    if "%" in bare:
        return NumberFormat.PERCENT
    if literal and _DIGITS.search(bare) is None:
        return NumberFormat.BOOL_FORMAT
    return NumberFormat.NUMBER


def parse_styles(xml: _Bytes, part: str) -> Mapping[bytes, NumberFormat]:
    """The cell styles (cellXfs) whose number format is not a plain number, by their index as
    the `s` attribute writes it (b'3'). The canonical form (every writer's) is read with regexes,
    anything else with expat; both give the same (tests/test_xlsx_reader.py). The files made
    from one template share their styles part: a part seen before is not read again (the map
    is shared, and never changed)."""
    if type(xml) is bytes:
        seen = _SEEN.get(xml)
        if seen is not None:
            return seen
    found = _styles_fast(xml)
    kinds = _kinds(*(found if found is not None else _styles_expat(xml, part)))
    if type(xml) is bytes:
        if len(_SEEN) >= _SEEN_MAX:
            del _SEEN[next(iter(_SEEN))]
        _SEEN[xml] = kinds
    return kinds


_SEEN: dict[bytes, Mapping[bytes, NumberFormat]] = {}  # styles parts read, by their bytes
_SEEN_MAX = 16  # a thousand units' files have a few shapes (see stencil.py), so a few parts


def _kinds(codes: dict[int, str], xf_formats: list[int]) -> dict[bytes, NumberFormat]:
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


_NUM_FMT = re.compile(rb'<numFmt numFmtId="([0-9]{1,9}+)" formatCode="([^"<]*+)" ?+/>')
_XF = re.compile(rb"<xf(?=[\s/>])([^>]*+)>")
_ODD = re.compile(rb"<[!?]")
_NUM_FMT_ID = re.compile(rb'\snumFmtId="([0-9]{1,9}+)"')


def _styles_fast(xml: _Bytes) -> tuple[dict[int, str], list[int]] | None:
    """numFmts and cellXfs in the canonical form, with regexes; None when the part is not in it
    (expat then reads it). Only what lies before the end of cellXfs is looked at."""
    if not _canonical_root(xml, b"styleSheet"):
        return None
    start = xml.find(b"<cellXfs")
    if start < 0:
        return {}, []  # no cell styles: no formats to know
    end = xml.find(b"</cellXfs>", start)
    if end < 0:
        end = xml.find(b">", start)
        if xml[end - 1 : end] != b"/":
            return None  # an open cellXfs that never closes: broken, expat says so
    head = xml[:end]
    if _ODD.search(head, xml.find(b"<styleSheet")) is not None:
        return None  # a comment, CDATA or a processing instruction: expat reads those
    codes: dict[int, str] = {}
    fmts_at = head.find(b"<numFmts")
    if fmts_at >= 0:
        fmts_end = head.find(b"</numFmts>", fmts_at)
        fmts = head[fmts_at : fmts_end if fmts_end >= 0 else len(head)]
        found = _NUM_FMT.findall(fmts)
        tags = head.count(b"<numFmt") - head.count(b"<numFmts")  # <numFmt and any <numFmtX
        if len(found) != tags or head.count(b"<numFmts") > 1:
            return None  # a numFmt the regex cannot read, or one outside numFmts
        try:
            for i, code in found:
                if b"\n" in code or b"\t" in code or b"\r" in code:
                    return None  # an attribute's white space is normalized: expat does that
                codes[int(i)] = _text(code)
        except _Fallback:
            return None
    elif b"<numFmt" in head:
        return None
    xf_formats: list[int] = []
    for attrs in _XF.findall(head, start):
        m = _NUM_FMT_ID.search(attrs)
        if m is None and b"numFmtId" in attrs:
            return None  # quoted otherwise, an entity, spaces around '='
        xf_formats.append(int(m.group(1)) if m is not None else 0)
    if len(xf_formats) != head.count(b"<xf", start):
        return None
    return codes, xf_formats


def _styles_expat(xml: _Bytes, part: str) -> tuple[dict[int, str], list[int]]:
    codes: dict[int, str] = {}
    xf_formats: list[int] = []
    state = {"in_xfs": False, "in_fmts": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(_SEP)
        if ns not in _MAIN_NS:
            return
        if local == "numFmts":
            state["in_fmts"] = True
        elif local == "numFmt" and state["in_fmts"]:
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
        if ns not in _MAIN_NS:
            return
        if local == "numFmts":
            state["in_fmts"] = False
        elif local == "cellXfs":
            raise _Done

    with contextlib.suppress(_Done):
        _expat(xml, part, start, end)
    return codes, xf_formats


class _Done(Exception):
    pass
