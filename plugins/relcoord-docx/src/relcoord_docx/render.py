"""Render a [`relcoord.report.Report`][relcoord.report_model.Report] as a Word document with
python-docx.

The renderer only draws what the report model holds; it computes nothing.  It maps the
model to Word's own building blocks, so the document behaves like one a person wrote:

* the title and subtitle in the ``Title`` and ``Subtitle`` styles, then the table of
  contents: the headings of levels 1 and 2 with their page numbers
  ([`relcoord_docx.contents`][relcoord_docx.contents]; a short sheet, ``Report.contents`` false, has
  none);
* each section as ``Heading 1``, its subsections as ``Heading 2`` (deeper levels follow); a
  section marked ``new_page`` (a group's page, the appendix) starts a page;
* paragraphs in ``Normal``, a finding's sentence in ``Intense Quote``, notes in small
  grey italics, lists in ``List Bullet``;
* tables in a Word table style named by its display name (``Light List Accent 1`` by
  default), columns as wide as their content needs ([`relcoord_docx.tables`][relcoord_docx.tables]),
  header row repeated on every page, numbers right-aligned and formatted by
  [`relcoord.report.format_cell`][relcoord.report_model.format_cell] (so ``None`` is ``"–"``);
* pictures as PNG images, as wide as the text (lower when tall), with their alt text (the
  report's words for what each shows) and a ``Caption`` paragraph;
* one font, Arial, everywhere (LibreOffice uses its metric twin, Liberation Sans), so that
  Word and LibreOffice break lines and pages alike;
* the document's properties: title, subject, language and the time it was written
  (``SOURCE_DATE_EPOCH`` when set, for a reproducible build).

Its own words (the table of contents' heading) come from the catalogue
([`relcoord.messages`][relcoord.messages], ``docx.*``), like the report's.

Text that XML 1.0 cannot hold (control characters, unpaired surrogates) is removed by
[`xml_text`][relcoord_docx.render.xml_text] before it reaches python-docx, which would otherwise
refuse it.
"""

from __future__ import annotations

import io
import os
import re
import struct
from collections.abc import Mapping
from datetime import UTC, datetime
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
from relcoord_docx.contents import Contents
from relcoord_docx.tables import column_widths

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

__all__ = ["DEFAULT_TABLE_STYLE", "FONT", "TEXT_WIDTH", "png_size", "render_docx", "written_at",
           "xml_text"]

#: The Word table style used unless another is asked for (a display name of Word's
#: built-in styles, present in python-docx's default template).
DEFAULT_TABLE_STYLE: Final = "Light List Accent 1"
#: Characters XML 1.0 does not allow (tab, line feed and carriage return are allowed).
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_NUMERIC: Final = ("int", "number", "percent")
#: The page (A4) and its margins, cm.
_PAGE: Final = (21.0, 29.7)
_MARGIN: Final = 2.0
#: The width of the text, cm.
TEXT_WIDTH: Final = _PAGE[0] - 2 * _MARGIN
#: The tallest a picture may be (cm), leaving room for its caption on the page.
_PICTURE_HEIGHT: Final = 21.0
#: The one font of the document.
FONT: Final = "Arial"


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters, unpaired
    surrogates, U+FFFE/U+FFFF), so any role name can go into a Word document."""
    return _NOT_XML.sub("", text)


def _set_language(document: DocumentObject, lang: str) -> None:
    """Mark the text as Danish or English, for spelling and hyphenation: the Normal style
    and the document's defaults (the template's say en-US)."""
    tag = messages.language_tag(lang)
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), tag)
    element.set(qn("w:eastAsia"), tag)
    rpr.append(element)
    for default in document.styles.element.iter(qn("w:lang")):
        default.set(qn("w:val"), tag)
        default.set(qn("w:eastAsia"), tag)


def _set_body_text(document: DocumentObject) -> None:
    """Body text at 10 points with 6 points after a paragraph (the template's 11 and 10
    make a group's page spill onto a second)."""
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)


def _set_font(document: DocumentObject) -> None:
    """Arial for every style and the document's defaults, in place of the template's theme
    fonts (Calibri, Cambria), which LibreOffice replaces with fonts of other widths."""
    for element in document.styles.element.iter(qn("w:rFonts")):
        for name in list(element.attrib):
            if name.endswith(("Theme", "theme")):
                del element.attrib[name]
        for side in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            element.set(qn(side), FONT)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None and not list(defaults.iter(qn("w:rFonts"))):
        rpr = defaults.find(qn("w:rPrDefault"))
        if rpr is not None and rpr.find(qn("w:rPr")) is not None:
            fonts = OxmlElement("w:rFonts")
            for side in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(side), FONT)
            rpr.find(qn("w:rPr")).insert(0, fonts)


def written_at() -> datetime:
    """When the document is written: now, or ``SOURCE_DATE_EPOCH`` (seconds since 1970)
    when set, so that a build can be reproduced (reproducible-builds.org)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(microsecond=0)
    return datetime.now(UTC).replace(microsecond=0)


def _set_properties(document: DocumentObject, report: Report) -> None:
    """Title, subject, language, author and the time of writing (not the template's)."""
    properties = document.core_properties
    properties.title = xml_text(report.title)[:255]
    properties.subject = xml_text(report.subtitle)[:255]
    properties.author = "relcoord"
    properties.last_modified_by = "relcoord"
    properties.language = messages.language_tag(report.lang)
    properties.keywords = xml_text(messages.text("docx.keywords", report.lang))
    properties.revision = 1
    now = written_at()
    properties.created = now
    properties.modified = now
    properties.last_printed = now


def _update_fields_on_open(document: DocumentObject) -> None:
    """Ask Word to update fields (the page numbers of the contents) when the file is
    opened."""
    settings = document.settings.element
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    settings.append(element)


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


def _fixed_layout(grid: Any, widths: list[float]) -> None:
    """Fix the columns at ``widths`` (cm): the grid, every cell, and a fixed layout, so
    that Word and LibreOffice keep them rather than share the page equally."""
    grid.autofit = False
    properties = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _table(document: DocumentObject, table: Table, lang: str, style: str) -> None:
    caption = document.add_paragraph(xml_text(table.caption), style="Caption")
    caption.paragraph_format.keep_with_next = True
    texts = [[xml_text(format_cell(value, kind, lang)) for value, kind in
              zip(values, table.kinds, strict=True)] for values in table.rows]
    header = [xml_text(h) for h in table.header]
    # wide or long tables (a complete survey's partners of one group) in smaller type
    points, widths = column_widths(header, texts,
                                   8.0 if len(header) > 6 or len(texts) > 30 else 9.0,
                                   TEXT_WIDTH, numeric=[k in _NUMERIC for k in table.kinds])
    size = Pt(points)
    grid = document.add_table(rows=1 + len(texts), cols=len(header))
    grid.style = document.styles[style]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(grid.rows[0])
    for cell, text, kind in zip(grid.rows[0].cells, header, table.kinds, strict=True):
        _cell_text(cell, text, size, kind in _NUMERIC, bold=True)
    for row, values in zip(grid.rows[1:], texts, strict=True):
        for cell, text, kind in zip(row.cells, values, table.kinds, strict=True):
            _cell_text(cell, text, size, kind in _NUMERIC)
    _fixed_layout(grid, widths)
    if table.note:
        _note(document, table.note)
    else:
        document.add_paragraph()


def _cell_text(cell: Any, text: str, size: Any, right: bool, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.font.size = size
    if bold:
        run.bold = True
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def png_size(png: bytes) -> tuple[int, int]:
    """The width and height (pixels) of a PNG image, from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _picture(document: DocumentObject, ref: PictureRef, png: bytes | None) -> None:
    """The picture as wide as the text (narrower when it would be taller than
    [`_PICTURE_HEIGHT`][relcoord_docx.render._PICTURE_HEIGHT]), its alt text, then its caption."""
    if png is None:
        return
    pixels_wide, pixels_high = png_size(png)
    width = min(TEXT_WIDTH - 0.5, _PICTURE_HEIGHT * pixels_wide / pixels_high)
    shape = document.add_picture(io.BytesIO(png), width=Cm(width))
    description = shape._inline.docPr
    description.set("descr", xml_text(ref.alt or ref.caption))
    description.set("title", xml_text(ref.caption))
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    document.add_paragraph(xml_text(ref.caption), style="Caption")


def _section(
    document: DocumentObject, section: Section, level: int, lang: str,
    pictures: Mapping[str, bytes], style: str, contents: Contents,
) -> None:
    title = xml_text(section.title)
    heading = document.add_heading(title, level=min(level, 9))
    heading.paragraph_format.page_break_before = section.new_page
    contents.bookmark(heading, level, title)
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
        _section(document, sub, level + 1, lang, pictures, style, contents)


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
    by display name; an unknown name raises `KeyError` naming it.
    """
    document = Document()
    try:
        document.styles[table_style]
    except KeyError:
        raise KeyError(f"no Word table style named {table_style!r}") from None
    section = document.sections[0]
    section.page_width, section.page_height = Cm(_PAGE[0]), Cm(_PAGE[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(_MARGIN))
    _set_language(document, report.lang)
    _set_font(document)
    _set_body_text(document)
    _set_properties(document, report)
    document.add_paragraph(xml_text(report.title), style="Title")
    if report.subtitle:
        document.add_paragraph(xml_text(report.subtitle), style="Subtitle")
    if report.description:
        _note(document, report.description)
    contents = Contents(document, TEXT_WIDTH)
    if report.contents:
        contents.place(messages.text("docx.contents", report.lang))
        _update_fields_on_open(document)
    for top in report.sections:
        _section(document, top, 1, report.lang, pictures, table_style, contents)
    contents.write()
    document.save(destination if isinstance(destination, io.BytesIO) else str(destination))
