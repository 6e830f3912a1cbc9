"""Render a :class:`relcoord.report.Report` as a Word document with python-docx.

The renderer only draws what the report model holds; it computes nothing.  It maps the
model to Word's own building blocks, so the document behaves like one a person wrote:

* the title and subtitle in the ``Title`` and ``Subtitle`` styles, then a table of contents
  (a ``TOC`` field over heading levels 1 to 3 that Word fills in when the file is opened);
* each section as ``Heading 1``, its subsections as ``Heading 2`` (deeper levels follow);
* paragraphs in ``Normal``, a finding's sentence in ``Intense Quote``, notes in small
  grey italics, lists in ``List Bullet``;
* tables in a Word table style named by its display name (``Light List Accent 1`` by
  default), header row repeated on every page, numbers right-aligned and formatted by
  :func:`relcoord.report.format_cell` (so ``None`` is ``"–"``);
* pictures as PNG images with a ``Caption`` paragraph.

Its own words (the table of contents' heading and placeholder) come from the catalogue
(:mod:`relcoord.messages`, ``docx.*``), like the report's.

Text that XML 1.0 cannot hold (control characters, unpaired surrogates) is removed by
:func:`xml_text` before it reaches python-docx, which would otherwise refuse it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from relcoord import messages
from relcoord.report import (
    BulletList,
    Paragraph,
    PictureRef,
    Report,
    Section,
    Table,
    format_cell,
)

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

__all__ = ["DEFAULT_TABLE_STYLE", "render_docx", "xml_text"]

#: The Word table style used unless another is asked for (a display name of Word's
#: built-in styles, present in python-docx's default template).
DEFAULT_TABLE_STYLE: Final = "Light List Accent 1"
#: Characters XML 1.0 does not allow (tab, line feed and carriage return are allowed).
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_NUMERIC: Final = ("int", "number", "percent")
_PICTURE_WIDTH: Final = Cm(16.5)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters, unpaired
    surrogates, U+FFFE/U+FFFF), so any role name can go into a Word document."""
    return _NOT_XML.sub("", text)


def _set_language(document: DocumentObject, lang: str) -> None:
    """Mark the Normal style's text as Danish or English, for spelling and hyphenation."""
    tag = messages.language_tag(lang)
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), tag)
    element.set(qn("w:eastAsia"), tag)
    rpr.append(element)


def _update_fields_on_open(document: DocumentObject) -> None:
    """Ask Word to fill in fields (the table of contents) when the file is opened."""
    settings = document.settings.element
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    settings.append(element)


def _add_toc(document: DocumentObject, lang: str) -> None:
    """A ``TOC`` field over heading levels 1-3, with a placeholder until it is updated."""
    document.add_paragraph(messages.text("docx.contents", lang), style="TOC Heading")
    paragraph = document.add_paragraph()

    def field_char(kind: str) -> Any:
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        return run

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-3" \\h \\z \\u'
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    placeholder = paragraph.add_run(messages.text("docx.contents_placeholder", lang))
    placeholder.italic = True
    field_char("end")


def _note(document: DocumentObject, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(xml_text(text))
    run.italic = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _repeat_header(row: Any) -> None:
    """Repeat a table's first row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: DocumentObject, table: Table, lang: str, style: str) -> None:
    caption = document.add_paragraph(xml_text(table.caption), style="Caption")
    caption.paragraph_format.keep_with_next = True
    size = Pt(8) if len(table.header) > 6 else Pt(9)
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = document.styles[style]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(grid.rows[0])
    for cell, text, kind in zip(grid.rows[0].cells, table.header, table.kinds, strict=True):
        _cell_text(cell, text, size, kind in _NUMERIC, bold=True)
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, value, kind in zip(cells, values, table.kinds, strict=True):
            _cell_text(cell, format_cell(value, kind, lang), size, kind in _NUMERIC)
    if table.note:
        _note(document, table.note)
    else:
        document.add_paragraph()


def _cell_text(cell: Any, text: str, size: Any, right: bool, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(xml_text(text))
    run.font.size = size
    if bold:
        run.bold = True
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _picture(document: DocumentObject, ref: PictureRef, png: bytes | None) -> None:
    if png is None:
        return
    document.add_picture(io.BytesIO(png), width=_PICTURE_WIDTH)
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    document.add_paragraph(xml_text(ref.caption), style="Caption")


def _section(
    document: DocumentObject, section: Section, level: int, lang: str,
    pictures: Mapping[str, bytes], style: str,
) -> None:
    document.add_heading(xml_text(section.title), level=min(level, 9))
    for block in section.blocks:
        if isinstance(block, Paragraph):
            if block.style == "note":
                _note(document, block.text)
            elif block.style == "lead":
                document.add_paragraph(xml_text(block.text), style="Intense Quote")
            else:
                document.add_paragraph(xml_text(block.text))
        elif isinstance(block, BulletList):
            for item in block.items:
                document.add_paragraph(xml_text(item), style="List Bullet")
        elif isinstance(block, Table):
            _table(document, block, lang, style)
        elif isinstance(block, PictureRef):
            _picture(document, block, pictures.get(block.name))
    for sub in section.subsections:
        _section(document, sub, level + 1, lang, pictures, style)


def render_docx(
    report: Report,
    pictures: Mapping[str, bytes],
    destination: str | Path | io.BytesIO,
    *,
    table_style: str = DEFAULT_TABLE_STYLE,
) -> None:
    """Write ``report`` as a Word document to ``destination`` (a path or a binary buffer).

    ``pictures`` maps a picture's name to its PNG bytes; a picture the report refers to but
    ``pictures`` lacks is left out (its caption too).  ``table_style`` is a Word table style
    by display name; an unknown name raises :class:`KeyError` naming it.
    """
    document = Document()
    try:
        document.styles[table_style]
    except KeyError:
        raise KeyError(f"no Word table style named {table_style!r}") from None
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)
    _set_language(document, report.lang)
    properties = document.core_properties
    properties.title = xml_text(report.title)[:255]
    properties.subject = xml_text(report.subtitle)[:255]
    properties.author = "relcoord"
    properties.language = messages.language_tag(report.lang)
    document.add_paragraph(xml_text(report.title), style="Title")
    if report.subtitle:
        document.add_paragraph(xml_text(report.subtitle), style="Subtitle")
    if report.description:
        _note(document, report.description)
    _add_toc(document, report.lang)
    _update_fields_on_open(document)
    for level, top in ((1, s) for s in report.sections):
        _section(document, top, level, report.lang, pictures, table_style)
    document.save(destination if isinstance(destination, io.BytesIO) else str(destination))
