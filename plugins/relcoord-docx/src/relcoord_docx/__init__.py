"""relcoord-docx: the Relational Coordination report as a Word document.

[`render_docx`][relcoord_docx.render.render_docx] draws a
[`relcoord.report.Report`][relcoord.report_model.Report] with python-docx; the ``docx`` exporter
([`DOCX`][relcoord_docx.plugin.DOCX], registered by [`relcoord_docx.plugin`][relcoord_docx.plugin])
does the whole job for ``relcoord export --to docx`` and ``relcoord demo``.
"""

from relcoord_docx.plugin import DOCX, report_pictures_png, write_docx
from relcoord_docx.render import DEFAULT_TABLE_STYLE, render_docx, xml_text

__all__ = ["DEFAULT_TABLE_STYLE", "DOCX", "render_docx", "report_pictures_png", "write_docx",
           "xml_text"]

__version__ = "0.1.0"
