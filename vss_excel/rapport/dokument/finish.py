"""After rendering: properties, language, a filled table of contents, and an alt-text check.

The table of contents is a real TOC field (Word updates it on opening), filled with one entry per
Heading 1 and 2: a link to a bookmark on the heading and a PAGEREF field for its page. LibreOffice
does not update a TOC field, but it does compute PAGEREF fields outside one: the PDF is made from a
copy whose TOC field is unwrapped (`unwrap`), so its page numbers are right.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import BaseStyle

from ...word import set_language, update_fields_on_open
from .styles import TOC_LEVELS

HEADING = re.compile(r"heading (\d)$", re.IGNORECASE)
NO_HEADINGS = "Rapporten har inga rubriker."


@dataclass(frozen=True)
class Properties:
    title: str
    subject: str
    author: str
    company: str


def set_properties(doc: Document, p: Properties) -> None:
    cp = doc.core_properties
    cp.title, cp.subject, cp.author = p.title, p.subject, p.author
    cp.last_modified_by, cp.category, cp.comments = p.author, p.company, ""
    cp.keywords = ""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    cp.created = cp.modified = now
    cp.revision = 1
    set_language(doc)
    update_fields_on_open(doc)


def _style_level(style: BaseStyle | None) -> int | None:
    """Heading level of a paragraph style: 'Heading N' (also Swedish Word's 'Rubrik N', whose
    internal name is 'heading N'), or its outline level; followed through base styles."""
    seen = 0
    while style is not None and seen < 10:
        m = HEADING.match(style.name or "")
        if m:
            return int(m.group(1))
        ppr = style.element.pPr
        lvl = None if ppr is None else ppr.find(qn("w:outlineLvl"))
        if lvl is not None:
            return int(lvl.get(qn("w:val"))) + 1
        style, seen = getattr(style, "base_style", None), seen + 1
    return None


def headings(doc: Document, levels: int = TOC_LEVELS) -> Iterator[tuple[int, BaseOxmlElement, str]]:
    """(level, w:p, text) of every heading up to `levels`, in order (in tables too)."""
    by_id = {s.style_id: s for s in doc.styles}
    default = doc.styles["Normal"]
    for p in doc.element.body.iter(qn("w:p")):
        ppr = p.pPr
        sid = None if ppr is None or ppr.pStyle is None else ppr.pStyle.val
        level = _style_level(by_id.get(sid, default) if sid else None)
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
        if level is not None and level <= levels and text:
            yield level, p, text


def _run(*children: BaseOxmlElement) -> BaseOxmlElement:
    r = OxmlElement("w:r")
    for c in children:
        r.append(c)
    return r


def _el(tag: str, text: str | None = None, **attrs: str) -> BaseOxmlElement:
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k.replace("_", ":", 1)), v)
    if text is not None:
        e.text = text
        e.set(qn("xml:space"), "preserve")
    return e


def _field_runs(instruction: str, shown: str) -> tuple[list[BaseOxmlElement], BaseOxmlElement]:
    """Runs of a field up to and with 'separate', and the 'end' run (the result goes between)."""
    start = [
        _run(_el("w:fldChar", w_fldCharType="begin")),
        _run(_el("w:instrText", instruction)),
        _run(_el("w:fldChar", w_fldCharType="separate")),
    ]
    return start, _run(_el("w:fldChar", w_fldCharType="end"))


def _bookmark(p: BaseOxmlElement, name: str, bid: int) -> None:
    ppr = p.pPr
    p.insert(0 if ppr is None else 1, _el("w:bookmarkStart", w_id=str(bid), w_name=name))
    p.append(_el("w:bookmarkEnd", w_id=str(bid)))


def _toc_style_ids(doc: Document) -> dict[int, str]:
    ids = {}
    for s in doc.styles:
        m = re.fullmatch(r"toc (\d)", (s.name or "").lower())
        if m:
            ids[int(m.group(1))] = s.style_id
    return ids


def _entry(level: int, text: str, anchor: str, style_ids: dict[int, str]) -> BaseOxmlElement:
    """A TOC line: the heading's text linked to its bookmark, a tab, and its page (PAGEREF)."""
    p = OxmlElement("w:p")
    if level in style_ids:
        ppr = OxmlElement("w:pPr")
        ppr.append(_el("w:pStyle", w_val=style_ids[level]))
        p.append(ppr)
    if not anchor:
        p.append(_run(_el("w:t", text)))
        return p
    link = _el("w:hyperlink", w_anchor=anchor, w_history="1")
    start, end = _field_runs(f" PAGEREF {anchor} \\h ", "")
    for r in (_run(_el("w:t", text)), _run(OxmlElement("w:tab")), *start, _run(_el("w:t", "")), end):
        link.append(r)
    p.append(link)
    return p


@dataclass(frozen=True)
class Toc:
    """The runs of the TOC field itself, around its entries."""

    runs: tuple[BaseOxmlElement, ...]


def _toc_field(doc: Document) -> tuple[BaseOxmlElement, BaseOxmlElement, str] | None:
    """First and last paragraph of the first TOC field, and its instruction."""
    for instr in doc.element.body.iter(qn("w:instrText")):
        if not (instr.text or "").strip().upper().startswith("TOC"):
            continue
        first = next(a for a in instr.iterancestors(qn("w:p")))
        depth, last = 1, None
        following = instr.xpath("following::w:fldChar", namespaces=nsmap)
        for fc in following:
            kind = fc.get(qn("w:fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth == 0:
                last = next(a for a in fc.iterancestors(qn("w:p")))
                break
        if last is None or last.getparent() is not first.getparent():
            return None
        return first, last, instr.text or ""
    return None


def fill_toc(doc: Document) -> Toc | None:
    """Bookmark every heading and rewrite the TOC field's entries; None if there is no TOC field."""
    found = _toc_field(doc)
    if found is None:
        return None
    first, last, instruction = found
    ids = [int(b.get(qn("w:id"))) for b in doc.element.body.iter(qn("w:bookmarkStart"))]
    next_id = max(ids, default=0) + 1
    style_ids = _toc_style_ids(doc)
    entries = []
    for n, (level, p, text) in enumerate(headings(doc)):
        anchor = f"_Toc{n + 1:08d}"
        _bookmark(p, anchor, next_id + n)
        entries.append(_entry(level, text, anchor, style_ids))
    if not entries:
        entries.append(_entry(1, NO_HEADINGS, "", {}))
    start, end = _field_runs(instruction, "")
    head = entries[0]
    at = 1 if head.find(qn("w:pPr")) is not None else 0
    for i, r in enumerate(start):
        head.insert(at + i, r)
    entries[-1].append(end)
    parent = first.getparent()
    index = parent.index(first)
    doomed, e = [], first
    while e is not None:
        doomed.append(e)
        if e is last:
            break
        e = e.getnext()
    for d in doomed:
        parent.remove(d)
    for i, p in enumerate(entries):
        parent.insert(index + i, p)
    return Toc((*start, end))


def unwrap(toc: Toc) -> None:
    """Drop the TOC field around the entries (for LibreOffice: it then fills in the page numbers)."""
    for r in toc.runs:
        parent = r.getparent()
        if parent is not None:
            parent.remove(r)


def pictures_without_alt_text(doc: Document) -> int:
    return sum(1 for d in doc.element.body.iter(qn("wp:docPr")) if not (d.get("descr") or "").strip())


def fit_tables(doc: Document) -> None:
    """Each table's grid from the cell widths of its first row that spans no columns (a column loop
    leaves them apart), made narrower to the page's text width where it is wider."""
    section = doc.sections[-1]
    text_width = int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)
    for tbl in doc.element.body.iter(qn("w:tbl")):
        grid = tbl.find(qn("w:tblGrid"))
        rows = tbl.findall(qn("w:tr"))
        plain = next(
            (tr for tr in rows if tr.find(f"{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:gridSpan')}") is None), None
        )
        if grid is None or plain is None:
            continue
        widths = [_tc_width(tc) for tc in plain.findall(qn("w:tc"))]
        if not widths or None in widths:
            continue
        total = sum(w for w in widths if w is not None)
        scale = min(1.0, text_width / total) if total else 1.0
        for col in list(grid):
            grid.remove(col)
        for w in widths:
            grid.append(_el("w:gridCol", w_w=str(int((w or 0) * scale / 635))))  # EMU -> twips
        if scale < 1.0:
            for tr in rows:
                for tc in tr.findall(qn("w:tc")):
                    tcw = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                    if tcw is not None and tcw.get(qn("w:type")) == "dxa":
                        tcw.set(qn("w:w"), str(int(int(tcw.get(qn("w:w"))) * scale)))


def _tc_width(tc: BaseOxmlElement) -> int | None:
    """A cell's width in EMU when it is given in twips (dxa)."""
    tcw = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    if tcw is None or tcw.get(qn("w:type")) != "dxa":
        return None
    return int(tcw.get(qn("w:w"))) * 635
