"""Workshop templates as printable forms (``relcoord template ... -o workshop.docx``).

The paper twin of the data-entry workbook of ``relcoord-xlsx``, for a room without
laptops: one page per function group, listing the other groups with a box to tick for an
arrow (relationskort) or an invitation (balkort), and empty cells for the answers (the
number of the answer on each item's scale, listed under the table) or an invitation's
topic.  What a form holds comes from the
[`WorkshopTemplate`][relcoord.formats.workshop_template.WorkshopTemplate] that the workbook is made
from too, so both ask the same questions with the same words.

The forms are a [`relcoord.report.Report`][relcoord.report_model.Report] (a section per group, each
on its own page) drawn by this plugin's renderer
([`relcoord_docx.render.render_docx`][relcoord_docx.render.render_docx]), so they look like the
report's group sheets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from relcoord.formats.workshop_template import TemplateWriter, WorkshopTemplate, answer_labels
from relcoord.model import Role
from relcoord.report import BulletList, Paragraph, Report, Section, Table
from relcoord_docx.render import render_docx

__all__ = ["BOX", "DOCX_TEMPLATES", "workshop_forms", "write_workshop_forms"]

#: The box a form's reader ticks.
BOX: Final = "☐"


def _scales(template: WorkshopTemplate) -> BulletList:
    """Each item's answers with their numbers: ``Hyppig: 1 Slet ikke nok, 2 Ikke nok ...``."""
    lines = []
    for dimension in template.items:
        labels = answer_labels(dimension, template.lang)
        numbered = ", ".join(f"{n} {label}" for n, label in enumerate(labels, start=1))
        lines.append(f"{dimension.name(template.lang)}: {numbered}")
    return BulletList(lines)


def _page(template: WorkshopTemplate, group: Role, first: bool) -> Section:
    lang = template.lang
    others = [r for r in template.roles if r.id != group.id]
    label = group.label(lang)
    items = [d.name(lang) for d in template.items]
    word = template.text("instructions.group")
    if template.kind == "balkort":
        header = [word, template.text("form.invite"), template.field_header("topic")]
        rows = [[r.label(lang), BOX, ""] for r in others]
        lead = template.text("form.balkort_lead")
    elif template.kind == "relationskort":
        header = [word, template.text("form.tick"), *items]
        rows = [[r.label(lang), BOX, *([""] * len(items))] for r in others]
        lead = template.text("form.relationskort_lead")
    else:
        header = [word, *items]
        rows = [[r.label(lang), *([""] * len(items))] for r in others]
        lead = template.text("form.survey_lead")
    blocks: list[Paragraph | Table | BulletList] = [Paragraph(lead, "lead")]
    blocks.append(Table(caption=label, header=header, kinds=["text"] * len(header),
                        rows=rows))
    if template.items:
        blocks.append(_scales(template))
    return Section(id=f"form-{group.id}", title=template.text(f"form.{template.kind}",
                                                              group=label),
                   blocks=blocks, new_page=not first)


def workshop_forms(template: WorkshopTemplate) -> Report:
    """The printable forms of ``template``: a page per group (present or not)."""
    pages = [_page(template, role, n == 0) for n, role in enumerate(template.roles)]
    title = template.text("form.title")
    subtitle = template.metadata.title or template.sheet_name()
    return Report(title=title, subtitle=subtitle, description="", lang=template.lang,
                  sections=pages, contents=False)


def write_workshop_forms(template: WorkshopTemplate, destination: Path) -> None:
    """Write the printable forms of ``template`` as a Word document."""
    render_docx(workshop_forms(template), {}, destination)


#: Workshop templates as printable forms.
DOCX_TEMPLATES: Final = TemplateWriter(
    id="docx", title="Printable workshop forms (Word)", extensions=(".docx",),
    write=write_workshop_forms)

