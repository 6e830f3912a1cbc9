"""The table of contents: the report's headings, with page numbers that the word
processor computes.

Each heading of levels 1 and 2 gets a bookmark; the contents list each heading as a link to
its bookmark, with a right-aligned, dotted tab and a ``PAGEREF`` field for its page.  The
list sits in a content control of Word's "Table of Contents" gallery, so Word treats it as
the document's table of contents.

Why not a ``TOC`` field: a ``TOC`` field holds a copy of its entries made by the program
that last updated it.  Word refills it when asked (``updateFields``), but LibreOffice shows
the copy as it is (checked with LibreOffice 7.4, which also drops the page numbers inside
it), so a report converted to PDF by LibreOffice showed a placeholder.  A ``PAGEREF`` field
is computed by LibreOffice as it lays out the pages and by Word when it updates fields on
opening, so the page numbers are right in both, and in a PDF either makes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

__all__ = ["CONTENTS_LEVELS", "Contents"]

#: Heading levels the contents list.
CONTENTS_LEVELS: Final = 2


def _element(tag: str, **attributes: str) -> Any:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(name), value)
    return element


def _run(*children: Any) -> Any:
    run = _element("w:r")
    for child in children:
        run.append(child)
    return run


def _text(value: str) -> Any:
    text = _element("w:t", **{"xml:space": "preserve"})
    text.text = value
    return text


class Contents:
    """Collects headings as they are written
    ([`bookmark`][relcoord_docx.contents.Contents.bookmark]), then writes the list at the place
    [`place`][relcoord_docx.contents.Contents.place] marked
    ([`write`][relcoord_docx.contents.Contents.write])."""

    def __init__(self, document: DocumentObject, text_width_cm: float) -> None:
        self.document = document
        self.width = text_width_cm
        self.entries: list[tuple[int, str, str]] = []
        self._anchor: Any = None
        self._styles()

    def _styles(self) -> None:
        styles = self.document.styles
        for level in range(1, CONTENTS_LEVELS + 1):
            name = f"TOC {level}"
            if name not in [s.name for s in styles]:
                style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = styles["Normal"]
                style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
                style.paragraph_format.space_after = Pt(2 if level > 1 else 4)
                style.font.bold = level == 1

    def place(self, heading: str) -> None:
        """Write the contents' heading and mark where the list goes."""
        self.document.add_paragraph(heading, style="TOC Heading")
        self._anchor = self.document.add_paragraph()._p

    def bookmark(self, paragraph: Any, level: int, text: str) -> None:
        """Bookmark a heading paragraph (levels up to
        [`CONTENTS_LEVELS`][relcoord_docx.contents.CONTENTS_LEVELS] are listed)."""
        if level > CONTENTS_LEVELS:
            return
        number = len(self.entries)
        name = f"_Toc{number:06d}"
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0,
                            _element("w:bookmarkStart", **{"w:id": str(number), "w:name": name}))
        paragraph._p.append(_element("w:bookmarkEnd", **{"w:id": str(number)}))
        self.entries.append((level, text, name))

    def write(self) -> None:
        """Put the entries, in a "Table of Contents" content control, where
        [`place`][relcoord_docx.contents.Contents.place] marked."""
        if self._anchor is None:
            return
        control = _element("w:sdt")
        properties = _element("w:sdtPr")
        gallery = _element("w:docPartObj")
        gallery.append(_element("w:docPartGallery", **{"w:val": "Table of Contents"}))
        gallery.append(_element("w:docPartUnique"))
        properties.append(gallery)
        control.append(properties)
        content = _element("w:sdtContent")
        control.append(content)
        for level, text, name in self.entries:
            content.append(self._entry(level, text, name))
        self._anchor.addprevious(control)
        self._anchor.getparent().remove(self._anchor)

    def _entry(self, level: int, text: str, name: str) -> Any:
        paragraph = self.document.add_paragraph(style=f"TOC {level}")
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Cm(self.width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        element = paragraph._p
        element.getparent().remove(element)
        link = _element("w:hyperlink", **{"w:anchor": name, "w:history": "1"})
        link.append(_run(_text(text)))
        link.append(_run(_element("w:tab")))
        link.append(_run(_element("w:fldChar", **{"w:fldCharType": "begin"})))
        instruction = _element("w:instrText", **{"xml:space": "preserve"})
        instruction.text = f" PAGEREF {name} \\h "
        link.append(_run(instruction))
        link.append(_run(_element("w:fldChar", **{"w:fldCharType": "separate"})))
        link.append(_run(_text("")))
        link.append(_run(_element("w:fldChar", **{"w:fldCharType": "end"})))
        element.append(link)
        return element
