"""Shared strings: read once, lazily, by the first sheet that needs them; decoded in batches.

A text is what Excel shows: the <t> texts of the item and of its rich text runs, not of its
phonetic runs (<rPh>), each <t> without xml:space="preserve" trimmed of XML white space at both
ends (Excel's reading; a writer that indents its XML, such as SpreadsheetGear, gives
'<t>\n   Text\n  </t>', which Excel shows as 'Text'). White space between the elements is
not text."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from itertools import repeat

from .errors import _corrupt, _num, _too_large
from .limits import _Bytes
from .text import (
    _MAIN_DECL,
    _MAIN_NS,
    _WHITESPACE,
    _XML_SPACE,
    _canonical_root,
    _expat,
    _Fallback,
    _split,
    _text,
    _x_unescape,
)

# The body of an item of sharedStrings.xml, up to the first '</si>': what rb"<si>(.*?)</si>" with
# re.S matches, a run of other characters at a time instead of one (4x faster).
_SI = re.compile(rb"<si>([^<]*+(?:<(?!/si>)[^<]*+)*+)</si>")
# A plain item: one <t>, with or without xml:space="preserve", or nothing. A batch of them (joined
# with NUL) matches _PLAIN_BATCH; any other item (rich text, phonetic runs, '<t/>', white space
# between the tags) is read by expat.
_PLAIN = rb'(?:<t(?: xml:space="preserve")?+>[^<]*+</t>)?+'
_PLAIN_ITEM = re.compile(_PLAIN)
_PLAIN_BATCH = re.compile(_PLAIN + rb"(?:\0" + _PLAIN + rb")*+")
_BATCH = 1024  # shared strings decoded together, as one text (see _Strings)
_KEEP_BATCHES = 16  # decoded batches kept; real files have one


class _Strings:
    """The shared strings of a file: read once, lazily, by the first sheet that needs them.

    The usual form is cut into item bodies by one regex, and bodies are decoded in batches of
    _BATCH when a cell first refers to one of them: a batch is joined with NUL (which XML text
    cannot hold), stripped of <t> tags, decoded and unescaped as one text and split again, so
    the cost per string is a few C operations instead of several Python calls.
    Anything else is read by expat at once."""

    __slots__ = ("_batches", "_bodies", "_count", "_decoded", "_load", "_max", "_part")

    def __init__(self, load: Callable[[], tuple[str, _Bytes]], max_strings: int) -> None:
        # Weak: the file holds its strings, and a strong reference back would make a cycle that
        # keeps the file's bytes alive until the cyclic collector runs (paused in a bulk run).
        self._load = weakref.WeakMethod(load)
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
        part, xml = self._loaded()
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

    def _loaded(self) -> tuple[str, _Bytes]:
        load = self._load()
        assert load is not None, "the file is read while its strings are"
        return load()

    def _expat(self, xml: _Bytes) -> None:
        strings = _parse_strings(xml, self._part, self._max) if xml else []
        self._bodies, self._decoded = [], []
        self._batches = [strings[k : k + _BATCH] for k in range(0, len(strings), _BATCH)] or [[]]
        self._count = len(strings)

    def _decode(self, b: int) -> list[str]:
        bodies = self._bodies[b * _BATCH : (b + 1) * _BATCH]
        joined = b"\0".join(bodies)
        # Plain items are their text once the <t> tags are gone; the others, found only when the
        # batch is not all plain, are read by expat below, from their bodies.
        plain = _PLAIN_BATCH.fullmatch(joined) is not None
        others = [] if plain else [k for k, body in enumerate(bodies) if not _PLAIN_ITEM.fullmatch(body)]
        trimmed = b"<t>" in joined  # some <t> without xml:space="preserve"
        kept = b'<t xml:space="preserve">' in joined
        joined = joined.replace(b"</t>", b"").replace(b"<t>", b"").replace(b'<t xml:space="preserve">', b"")
        try:
            text = _text(joined)
            out = text.split("\0")
            if len(out) != len(bodies):
                raise _Fallback("NUL in text")
        except _Fallback:  # an odd entity, not UTF-8: expat reads all, or says what is wrong
            self._expat(self._loaded()[1])
            batch = self._batches[b]
            assert batch is not None
            return batch
        if trimmed and not kept:  # XlsxWriter's strings, say: a C loop (a search costs more)
            out = list(map(str.strip, out, repeat(_WHITESPACE, len(out))))
        elif trimmed:
            out = [
                t.strip(_WHITESPACE) if body[:3] == b"<t>" else t for t, body in zip(out, bodies, strict=True)
            ]
        if "_x" in text:
            out = [_x_unescape(t) for t in out]
        for k in others:
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
    """All `<si>` texts with expat: `<t>` of the item and of its runs, not of `<rPh>`, each
    trimmed unless it has xml:space="preserve"."""
    out: list[str] = []
    buf: list[str] = []  # the item's texts so far
    run: list[str] = []  # the open <t>'s text
    state = {"t": False, "rph": 0, "preserve": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, local = _split(name)
        if ns not in _MAIN_NS:
            return
        if local == "si":
            buf.clear()
        elif local == "rPh":
            state["rph"] += 1
        elif local == "t" and not state["rph"]:
            state["t"] = True
            state["preserve"] = attrs.get(_XML_SPACE) == "preserve"
            run.clear()

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
        elif local == "t" and state["t"]:
            state["t"] = False
            t = "".join(run)
            buf.append(t if state["preserve"] else t.strip(_WHITESPACE))

    def text(s: str) -> None:
        if state["t"]:
            run.append(s)

    _expat(data, part, start, end, text)
    return out
