"""The PDF's tags made what PDF/UA and a screen reader expect, where LibreOffice Writer (7.4) falls short.

LibreOffice tags headings, paragraphs, lists, tables (header rows as TH), links and figures. What it
does not do, this does, on the structure tree alone (no text or page content changes), as an
incremental update: LibreOffice's bytes stay as they were and the changed objects are appended.
Each repair is a small function over the tree, run in `REPAIRS`' order:

- `table_of_contents`: the entries of the table of contents (paragraph styles 'Contents N') in a
  TOC element, one TOCI each (LibreOffice tags them so only inside a TOC field, whose page
  numbers it leaves empty).
- `list_labels`: a list item's bullet, its paragraph's first marked content, in an Lbl of its own
  beside the LBody (LibreOffice puts it in the item's text).
- `row_headers`: a table's first-column cells whose paragraph style is Radrubrik become TH with
  Scope Row (LibreOffice writes TD, and TH only with Scope Column).
- `captions`: Word's caption style (LibreOffice names it 'caption', a P) tagged Caption, and a
  caption just before a table made the table's first child.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
)

TOC_ENTRY = re.compile(r"/Contents \d+$")
ROW_HEADER = "/Radrubrik"  # the template's style for a table's first column (styles.ROW_HEADER)
CAPTIONS = ("/caption", "/Caption")


class Tree:
    """The structure tree of a PDF being written: elements, their kids and parents, the MCID map."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.root = _resolve(writer.root_object["/StructTreeRoot"])
        self.parent_tree = self._numbers(_resolve(self.root["/ParentTree"]))

    def _numbers(self, node: DictionaryObject) -> dict[int, ArrayObject]:
        """The parent tree's arrays by key (a number tree: /Nums here, or in /Kids below)."""
        out: dict[int, ArrayObject] = {}
        nums = node.get("/Nums")
        if nums is not None:
            nums = _resolve(nums)
            for i in range(0, len(nums) - 1, 2):
                value = _resolve(nums[i + 1])
                if isinstance(value, ArrayObject):
                    out[int(nums[i])] = value
        for kid in _resolve(node.get("/Kids", ArrayObject())):
            out.update(self._numbers(_resolve(kid)))
        return out

    def elements(self) -> Iterator[DictionaryObject]:
        """Every structure element, parents before their kids."""
        stack = list(reversed(self.kids(self.root)))
        while stack:
            e = stack.pop()
            yield e
            stack.extend(reversed(self.kids(e)))

    def kids(self, e: DictionaryObject) -> list[DictionaryObject]:
        return [k for k in (_resolve(x) for x in _raw_kids(e)) if _is_element(k)]

    def add(
        self, kind: str, parent: DictionaryObject, kids: list[PdfObject], page: Any = None
    ) -> IndirectObject:
        e = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject(kind),
                NameObject("/P"): _ref(parent),
                NameObject("/K"): ArrayObject(kids),
            }
        )
        if page is not None:
            e[NameObject("/Pg")] = page
        return self.writer._add_object(e)


def _resolve(o: Any) -> Any:
    return o.get_object() if isinstance(o, IndirectObject) else o


def _ref(e: DictionaryObject) -> PdfObject:
    return e.indirect_reference if e.indirect_reference is not None else e


def _is_element(o: Any) -> bool:
    return isinstance(o, DictionaryObject) and "/S" in o and o.get("/Type", "/StructElem") == "/StructElem"


def _raw_kids(e: DictionaryObject) -> list[Any]:
    k = e.get("/K")
    if k is None:
        return []
    k = _resolve(k)
    return list(k) if isinstance(k, ArrayObject) else [k]


def _set_kids(e: DictionaryObject, kids: list[Any]) -> None:
    e[NameObject("/K")] = ArrayObject(kids)


def _kind(e: DictionaryObject) -> str:
    return str(e["/S"])


def table_of_contents(tree: Tree) -> None:
    for parent in [tree.root, *tree.elements()]:
        if _is_element(parent) and _kind(parent) in ("/TOC", "/TOCI"):
            continue
        raw = _raw_kids(parent)
        if not any(_is_entry(k) for k in raw):
            continue
        out: list[Any] = []
        for entries, group in groupby(raw, key=_is_entry):
            run = list(group)
            out.extend([_toc(tree, parent, run)] if entries else run)
        _set_kids(parent, out)


def _is_entry(k: Any) -> bool:
    e = _resolve(k)
    return _is_element(e) and bool(TOC_ENTRY.match(_kind(e)))


def _toc(tree: Tree, parent: DictionaryObject, entries: list[Any]) -> IndirectObject:
    toc = tree.add("/TOC", parent, [])
    element = _resolve(toc)
    items = []
    for entry in entries:
        item = tree.add("/TOCI", element, [entry])
        _resolve(entry)[NameObject("/P")] = item
        items.append(item)
    _set_kids(element, items)
    return toc


def list_labels(tree: Tree) -> None:
    for item in [e for e in tree.elements() if _kind(e) == "/LI"]:
        kids = tree.kids(item)
        if any(_kind(k) == "/Lbl" for k in kids) or not kids or _kind(kids[0]) != "/LBody":
            continue
        body = kids[0]
        paragraphs = tree.kids(body)
        if not paragraphs:
            continue
        p = paragraphs[0]
        marks = _raw_kids(p)
        if len(marks) < 2 or not isinstance(_resolve(marks[0]), int) or "/Pg" not in p:
            continue
        mcid = int(_resolve(marks[0]))
        page = _resolve(p["/Pg"])
        label = tree.add("/Lbl", item, [NumberObject(mcid)], p.raw_get("/Pg"))  # a reference, not a copy
        _set_kids(p, marks[1:])
        _set_kids(item, [label, *_raw_kids(item)])
        numbers = tree.parent_tree.get(int(page.get("/StructParents", -1)))
        if numbers is not None and mcid < len(numbers):
            numbers[mcid] = label


def row_headers(tree: Tree) -> None:
    for cell in [e for e in tree.elements() if _kind(e) == "/TD"]:
        first = tree.kids(cell)
        if not first or _kind(first[0]) != ROW_HEADER:
            continue
        cell[NameObject("/S")] = NameObject("/TH")
        attrs = _resolve(cell.get("/A"))
        found = [attrs] if isinstance(attrs, DictionaryObject) else list(attrs or [])
        table = next((a for a in map(_resolve, found) if a.get("/O") == "/Table"), None)
        if table is None:
            table = DictionaryObject({NameObject("/O"): NameObject("/Table")})
            found.append(table)
        table[NameObject("/Scope")] = NameObject("/Row")
        cell[NameObject("/A")] = ArrayObject(found)


def captions(tree: Tree) -> None:
    for parent in [tree.root, *tree.elements()]:
        raw = _raw_kids(parent)
        out: list[Any] = []
        i = 0
        while i < len(raw):
            e = _resolve(raw[i])
            if _is_element(e) and _kind(e) in CAPTIONS:
                e[NameObject("/S")] = NameObject("/Caption")
                following = _resolve(raw[i + 1]) if i + 1 < len(raw) else None
                if (
                    isinstance(following, DictionaryObject)
                    and _is_element(following)
                    and _kind(following) == "/Table"
                ):
                    e[NameObject("/P")] = _ref(following)
                    _set_kids(following, [raw[i], *_raw_kids(following)])
                    i += 1
                    continue
            out.append(raw[i])
            i += 1
        if len(out) != len(raw):
            _set_kids(parent, out)


REPAIRS: tuple[Callable[[Tree], None], ...] = (table_of_contents, list_labels, row_headers, captions)


def repair(path: Path) -> None:
    """Make the tags of the tagged PDF at path right (see the module); a PDF without a structure
    tree is left as it is. The file is replaced whole, never half written."""
    writer = PdfWriter(str(path), incremental=True)
    if "/StructTreeRoot" not in writer.root_object:
        return
    tree = Tree(writer)
    for fix in REPAIRS:
        fix(tree)
    fd, tmp = tempfile.mkstemp(prefix=".~vss-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            writer.write(f)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
