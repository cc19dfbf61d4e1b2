"""write_report: the delårsrapport as an editable Word document and, beside it, an accessible PDF."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
import jinja2
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate

from ... import files, libreoffice
from ... import pdf as pdf_export
from ...errors import UserError, os_reason
from ...konsolidera.tables import Tables
from ...model import Forvaltning, Period
from ...swedish import count
from ..texter import label
from . import context, finish
from .template import template_document
from .texts import unknown_keys


@dataclass(frozen=True)
class ReportFiles:
    docx: Path
    pdf: Path | None
    notes: tuple[str, ...]  # what the economist should know: texts still to write, no PDF and why


def file_stem(forv: Forvaltning, period: Period) -> str:
    """'Delårsrapport Verksamhetsstöd och service 2020-10'."""
    return files.file_stem(f"{context.report_kind(forv, period)} {forv.name} {period.iso}")


def _default_template() -> io.BytesIO:
    buf = io.BytesIO()
    template_document().save(buf)
    buf.seek(0)
    return buf


def render(
    forv: Forvaltning, period: Period, tables: Tables, texts: Mapping[str, str], template: Path | None = None
) -> tuple[Document, context.Content, finish.Toc | None]:
    """The finished Word document (in memory), what it shows, and its table of contents field."""
    content = context.build(forv, period, tables, texts)
    where = f"Rapportmallen {template}" if template else "Standardmallen för rapporten"
    if template is not None and not template.is_file():
        raise UserError(f"{where} finns inte (eller är en mapp). Ange en Word-mall (.docx).")
    tpl = DocxTemplate(str(template) if template else _default_template())
    try:
        tpl.init_docx()
    except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError) as e:  # opening it, only
        why = os_reason(e) if isinstance(e, OSError) else "det är inget Word-dokument (.docx)"
        raise UserError(
            f"{where} kunde inte öppnas: {why}. Ange en .docx, eller skapa en ny mall med vss-excel "
            "rapportmall."
        ) from e
    names = context.jinja(content, forv, period, tpl)  # ours: an error here is no template's fault
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        tpl.render(names, env)
    except jinja2.TemplateError as e:
        raise UserError(template_error(where, e)) from e
    rendered = io.BytesIO()
    tpl.save(rendered)  # read back: docxtpl leaves the body as plain lxml, not python-docx's classes
    rendered.seek(0)
    doc = docx.Document(rendered)
    finish.set_properties(
        doc,
        finish.Properties(content.title, f"{content.kind} per {content.date}", forv.name, forv.organisation),
    )
    finish.fit_tables(doc)
    return doc, content, finish.fill_toc(doc)


def template_error(where: str, e: jinja2.TemplateError) -> str:
    """What is wrong with a template's tags, in Swedish; the template engine's own text last."""
    if isinstance(e, jinja2.TemplateSyntaxError):
        what = f"en tagg är felskriven (rad {e.lineno} i mallens XML)"
    elif isinstance(e, jinja2.UndefinedError):
        what = "en tagg använder ett namn som inte finns"
    else:
        what = "en tagg kunde inte fyllas i"
    engine = e.message or type(e).__name__
    return (
        f"{where} kunde inte användas: {what}. Kontrollera taggarna ({{{{ }}}}, {{% %}}) mot listan i "
        f"dokumentationen, eller skapa en ny mall med vss-excel rapportmall. (Mallmotorns text: {engine})"
    )


def write_report(
    target_dir: Path,
    forv: Forvaltning,
    period: Period,
    tables: Tables,
    texts: Mapping[str, str],
    pdf: bool = True,
    template: Path | None = None,
    inputs: Sequence[Path] = (),
) -> ReportFiles:
    """Write '<Kind> <förvaltning> <period>.docx' (and .pdf) into target_dir, never into an input
    folder (the inbox: the next Konsolidera would read it)."""
    doc, content, toc = render(forv, period, tables, texts, template)
    notes = _notes(doc, forv, content, texts, toc)
    target_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(forv, period)
    docx_path = target_dir / f"{stem}.docx"
    files.check_output(docx_path, inputs)
    with files.replacing(docx_path, ".docx") as tmp:
        doc.save(str(tmp))
    pdf_path = None
    if pdf:
        pdf_path, note = _pdf(doc, toc, target_dir / f"{stem}.pdf")
        notes += (note,) if note else ()
    return ReportFiles(docx_path, pdf_path, notes)


def _pdf(doc: Document, toc: finish.Toc | None, target: Path) -> tuple[Path | None, str]:
    if not pdf_export.writer_installed():
        return None, pdf_export.NO_WRITER + pdf_export.discard_stale(target)
    files.check_output(target, [])
    if toc is not None:
        finish.unwrap(toc)  # the Word file is saved already; this copy is for LibreOffice only
    try:
        pdf_export.export(doc, target)
    except libreoffice.LibreOfficeError as e:
        return None, f"Ingen PDF skapades: {e} {SAVE_FROM_WORD}{pdf_export.discard_stale(target)}"
    return target, ""


SAVE_FROM_WORD = (
    "Du kan också spara PDF:en från Word: Arkiv > Spara som > PDF, med Alternativ > "
    "Dokumentstrukturtaggar för hjälpmedel."
)


def _notes(
    doc: Document,
    forv: Forvaltning,
    content: context.Content,
    texts: Mapping[str, str],
    toc: finish.Toc | None,
) -> tuple[str, ...]:
    notes = []
    by_id = {s.id: s for s in forv.report.sections}
    empty = [label(by_id[s.id]) for s in content.sections if any(p.placeholder for p in s.paragraphs)]
    if empty:
        notes.append(
            f"Text saknas i {len(empty)} avsnitt, som visar en markerad platshållare: {'; '.join(empty)}."
        )
    if unknown := unknown_keys(forv, texts):
        notes.append(f"Texterna {', '.join(unknown)} hör inte till något avsnitt och används inte.")
    if toc is None:
        notes.append("Mallen har ingen innehållsförteckning (TOC-fält): rapporten får ingen.")
    if missing := finish.pictures_without_alt_text(doc):
        pictures = count(missing, "bild", "bilder")
        notes.append(f"{pictures} i mallen saknar alternativtext: lägg till den i Word.")
    return tuple(notes)
