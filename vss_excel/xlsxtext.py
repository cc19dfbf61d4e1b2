"""Text into a cell through XlsxWriter as the very text it is.

XlsxWriter stores a whole-cell text that begins with '<r>' and ends with '</r>' as rich-text
markup, unescaped (its own convention for rich strings): a name in the settings, an account name
in a SIE file or a comment a unit typed could then make the workbook unreadable. Such a text is
written as a rich string of plain runs, which XlsxWriter escapes (all but a control character in it,
which it keeps as its _xHHHH_ escape); and a merged range gets its text
by write_string, not by merge_range's generic write (which turns '=…' into a formula and a web
address into a link).
"""

from __future__ import annotations

from typing import Any


def write_text(ws: Any, row: int, col: int, text: str, fmt: Any = None) -> None:
    if text.startswith("<r>") and text.endswith("</r>"):
        parts = (text[:1], text[1:2], text[2:])  # XlsxWriter wants more than two fragments
        ws.write_rich_string(row, col, *parts, *((fmt,) if fmt is not None else ()))
    else:
        ws.write_string(row, col, text, fmt)


def merge_text(ws: Any, first: tuple[int, int], last: tuple[int, int], text: str, fmt: Any) -> None:
    ws.merge_range(*first, *last, "", fmt)
    write_text(ws, *first, text, fmt)
