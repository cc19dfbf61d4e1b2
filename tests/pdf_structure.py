"""A PDF/UA check that runs here: the structure tree read back with pypdf, against the rules of
PDF/UA-1 (ISO 14289-1) and the Matterhorn Protocol that a structure tree alone can decide.

veraPDF, the reference checker, is a Java program that none of the registries this project uses
(PyPI, Debian, npm) carries; these are the same rules, written out. `problems(path)` lists what
is wrong, one sentence each ([] for a PDF that passes); the other functions read the tree for
tests that check what it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

HEADING = re.compile(r"/H([1-6])$")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _resolve(o: Any) -> Any:
    return o.get_object() if isinstance(o, IndirectObject) else o


@dataclass
class Element:
    kind: str  # the standard type: a role-mapped custom type is given as what it maps to
    own: str  # the type as written (/Tabelltext, /H1)
    obj: DictionaryObject
    kids: list[Element] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page number from 1, mcid)
    parent: Element | None = None

    def walk(self) -> Iterator[Element]:
        yield self
        for k in self.kids:
            yield from k.walk()

    def attributes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        a = _resolve(self.obj.get("/A"))
        for d in a if isinstance(a, ArrayObject) else [a] if a is not None else []:
            d = _resolve(d)
            if isinstance(d, DictionaryObject):
                out |= {k: v for k, v in d.items() if k != "/O"}
        return out

    def pages(self) -> set[int]:
        return {p for e in self.walk() for p, _ in e.mcids}


class Structure:
    def __init__(self, path: Path) -> None:
        self.reader = PdfReader(str(path))
        self.catalog = self.reader.trailer["/Root"]
        self.page_of = {p.indirect_reference.idnum: n for n, p in enumerate(self.reader.pages, 1)}
        tree = _resolve(self.catalog["/StructTreeRoot"])
        self.tree = tree
        self.role_map = {
            str(k): str(v) for k, v in _resolve(tree.get("/RoleMap", DictionaryObject())).items()
        }
        self.roots = [self._element(k, None) for k in self._kids(tree)]
        self.roots = [r for r in self.roots if r is not None]

    def _page(self, o: DictionaryObject) -> int | None:
        """The number (from 1) of the page an element or a marked-content reference is on."""
        if "/Pg" not in o:
            return None
        ref = o.raw_get("/Pg")
        idnum = ref.idnum if isinstance(ref, IndirectObject) else _resolve(ref).indirect_reference.idnum
        return self.page_of.get(idnum)

    def _kids(self, o: DictionaryObject) -> list[Any]:
        k = o.get("/K")
        if k is None:
            return []
        k = _resolve(k)
        return list(k) if isinstance(k, ArrayObject) else [k]

    def _element(self, ref: Any, parent: Element | None) -> Element | None:
        o = _resolve(ref)
        if not isinstance(o, DictionaryObject) or "/S" not in o:
            return None
        own = str(o["/S"])
        kind = own
        seen = 0
        while kind in self.role_map and seen < 10:
            kind, seen = self.role_map[kind], seen + 1
        e = Element(kind, own, o, parent=parent)
        page = self._page(o)
        for k in self._kids(o):
            r = _resolve(k)
            if isinstance(r, int) and page is not None:
                e.mcids.append((page, r))
            elif isinstance(r, DictionaryObject) and r.get("/Type") == "/MCR":
                p = self._page(r) or page
                e.mcids.append((p or 0, int(r["/MCID"])))
            else:
                child = self._element(k, e)
                if child is not None:
                    e.kids.append(child)
        return e

    def elements(self) -> Iterator[Element]:
        for r in self.roots:
            yield from r.walk()

    def of(self, kind: str) -> list[Element]:
        return [e for e in self.elements() if e.kind == kind]


def headings(s: Structure) -> list[int]:
    """The heading levels in reading order (H1 = 1)."""
    return [int(m.group(1)) for e in s.elements() if (m := HEADING.match(e.kind))]


def rows(table: Element) -> list[Element]:
    """A table's rows, also inside THead, TBody and TFoot."""
    out = []
    for k in table.kids:
        if k.kind == "/TR":
            out.append(k)
        elif k.kind in ("/THead", "/TBody", "/TFoot"):
            out += [r for r in k.kids if r.kind == "/TR"]
    return out


def widths(table: Element) -> list[int]:
    """Each row's columns: a cell that spans columns counted as many, and a cell of a row above
    that spans down into it (RowSpan) counted too."""
    out = []
    carried: list[tuple[int, int]] = []  # (rows still to span, columns) of cells from rows above
    for r in rows(table):
        cells = [c for c in r.kids if c.kind in ("/TH", "/TD")]
        spans = [
            (int(c.attributes().get("/RowSpan", 1)), int(c.attributes().get("/ColSpan", 1))) for c in cells
        ]
        out.append(sum(cols for _, cols in spans) + sum(cols for _, cols in carried))
        carried = [(n - 1, cols) for n, cols in carried if n > 1] + [
            (n - 1, cols) for n, cols in spans if n > 1
        ]
    return out


def problems(path: Path) -> list[str]:
    s = Structure(path)
    out: list[str] = []
    cat = s.catalog
    if not str(cat.get("/Lang", "")).strip():
        out.append("Dokumentet saknar språk (/Lang).")
    if not _resolve(cat.get("/MarkInfo", DictionaryObject())).get("/Marked"):
        out.append("Dokumentet är inte märkt som taggat (/MarkInfo /Marked).")
    metadata = _resolve(cat.get("/Metadata"))
    xmp = metadata.get_data() if metadata is not None else b""
    if b"pdfuaid:part>1<" not in xmp and b'pdfuaid:part="1"' not in xmp:
        out.append("Metadata saknar PDF/UA-identifieringen (pdfuaid:part 1).")
    if b"<dc:title>" not in xmp:
        out.append("Metadata saknar titel (dc:title).")
    if not _resolve(cat.get("/ViewerPreferences", DictionaryObject())).get("/DisplayDocTitle"):
        out.append("Fönstret visar inte dokumentets titel (/DisplayDocTitle).")
    levels = headings(s)
    if levels and levels[0] != 1:
        out.append(f"Första rubriken är H{levels[0]}, inte H1.")
    for before, after in pairwise(levels):
        if after > before + 1:
            out.append(f"Rubriknivån hoppar från H{before} till H{after}.")
    for t in s.of("/Table"):
        out += _table(t)
    for e in s.elements():
        if e.kind == "/LI" and [k.kind for k in e.kids] != ["/Lbl", "/LBody"]:
            out.append(f"En listpunkt har {[k.kind for k in e.kids]}, inte Lbl och LBody.")
        if e.kind == "/L" and any(k.kind not in ("/LI", "/Caption") for k in e.kids):
            out.append("En lista har annat än listpunkter.")
        if e.kind == "/TOCI" and (e.parent is None or e.parent.kind != "/TOC"):
            out.append("En TOCI står utanför en TOC.")
        if e.kind == "/Figure" and not str(e.obj.get("/Alt", "")).strip():
            out.append("En bild saknar alternativtext.")
        if e.kind in ("/TR", "/TH", "/TD") and (e.parent is None or e.parent.kind not in _PARENTS[e.kind]):
            out.append(f"{e.kind} står i {e.parent.kind if e.parent else 'ingenting'}.")
    out += _parent_tree(s)
    for n, page in enumerate(s.reader.pages, 1):
        if PRIVATE_USE.search(page.extract_text() or ""):
            out.append(f"Sidan {n} har tecken ur Unicodes privata område (t.ex. Symbols punkt).")
    return out


_PARENTS = {"/TR": ("/Table", "/THead", "/TBody", "/TFoot"), "/TH": ("/TR",), "/TD": ("/TR",)}


def _table(t: Element) -> list[str]:
    out = []
    trs = rows(t)
    if not trs:
        return ["En tabell har inga rader."]
    counted = widths(t)
    columns = counted[0]  # the header row's
    for i, (r, n) in enumerate(zip(trs, counted, strict=True), 1):
        if n != columns:
            out.append(f"Tabellen på sidan {min(t.pages() or {0})}: rad {i} har {n} kolumner av {columns}.")
        pages = r.pages()
        if len(pages) > 1:
            out.append(f"Tabellen på sidan {min(t.pages())}: rad {i} står på flera sidor {sorted(pages)}.")
        for c in r.kids:
            if c.kind == "/TH" and c.attributes().get("/Scope") not in ("/Row", "/Column", "/Both"):
                out.append(f"Tabellen på sidan {min(t.pages() or {0})}: en rubrikcell (TH) saknar Scope.")
    captions = [k for k in t.kids if k.kind == "/Caption"]
    if captions and t.kids[0].kind != "/Caption" and t.kids[-1].kind != "/Caption":
        out.append("En tabells Caption står varken först eller sist i tabellen.")
    return out


def _parent_tree(s: Structure) -> list[str]:
    """Every marked content's entry in the parent tree is the element that holds it."""
    out = []
    numbers: dict[int, ArrayObject] = {}

    def gather(node: DictionaryObject) -> None:
        nums = _resolve(node.get("/Nums", ArrayObject()))
        for i in range(0, len(nums) - 1, 2):
            value = _resolve(nums[i + 1])
            if isinstance(value, ArrayObject):
                numbers[int(nums[i])] = value
        for kid in _resolve(node.get("/Kids", ArrayObject())):
            gather(_resolve(kid))

    gather(_resolve(s.tree["/ParentTree"]))
    pages = s.reader.pages
    for e in s.elements():
        for page, mcid in e.mcids:
            key = int(pages[page - 1].get("/StructParents", -1))
            found = numbers.get(key)
            entry = _resolve(found[mcid]) if found is not None and mcid < len(found) else None
            if entry is not e.obj and (entry is None or entry.indirect_reference != e.obj.indirect_reference):
                out.append(f"Sidan {page}, MCID {mcid}: parent tree pekar inte på {e.own}.")
    return out
