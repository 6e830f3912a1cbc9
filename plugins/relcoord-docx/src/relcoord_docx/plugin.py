"""The hook implementation: the ``docx`` exporter.

The entry point ``docx = "relcoord_docx.plugin"`` in the group ``relcoord`` (see
``pyproject.toml``) points here.  ``relcoord export study.json --to docx -o report.docx``
analyses the study, builds the report model (:func:`relcoord.report.build_report`), renders
its pictures (:func:`relcoord.pictures.render_pictures`) and writes the Word document through
the host, which writes atomically.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from relcoord.errors import InvalidInputError
from relcoord.formats import Format, FormatOption, parse_options, whole_number
from relcoord.plugins import hookimpl
from relcoord.settings import LANGS
from relcoord_docx.render import DEFAULT_TABLE_STYLE, render_docx

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = ["DOCX", "DOCX_WRITE_OPTIONS", "relcoord_register_exporters", "report_pictures_png",
           "write_docx"]

_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The options of the DOCX exporter.
DOCX_WRITE_OPTIONS: Final = (
    FormatOption("lang", "language of the report", choices=LANGS,
                 shown_default="the analysis's language"),
    FormatOption("dpi", "resolution of the pictures", parse=whole_number(72, 600),
                 default=200, metavar="72..600"),
    FormatOption("table_style", "a Word table style, by its display name",
                 default=DEFAULT_TABLE_STYLE, metavar="STYLE"),
)


def report_pictures_png(analysis: Analysis, lang: str, dpi: int) -> dict[str, bytes]:
    """The report's pictures as PNG bytes, by name."""
    from relcoord.pictures import render_pictures, save_picture

    out: dict[str, bytes] = {}
    for name, picture in render_pictures(analysis, lang).items():
        buffer = io.BytesIO()
        save_picture(picture, buffer, "png", dpi=dpi)
        out[name] = buffer.getvalue()
    return out


def write_docx(
    study: Study, analysis: Analysis | None, destination: Path, options: Mapping[str, Any]
) -> None:
    """Write the report of ``analysis`` as a Word document; options ``lang``, ``dpi``,
    ``table_style`` (a Word table style by display name)."""
    from relcoord.report import build_report

    values = parse_options("docx", options, DOCX_WRITE_OPTIONS)
    if analysis is None:
        raise TypeError("the docx exporter needs an analysis; compute one with "
                        "relcoord.analysis.analyze")
    lang: str = values["lang"] or analysis.settings.lang
    dpi: int = values["dpi"]
    style: str = values["table_style"]
    report = build_report(analysis, lang)
    try:
        render_docx(report, report_pictures_png(analysis, lang, dpi), destination,
                    table_style=style)
    except KeyError as error:
        raise InvalidInputError("format 'docx'", f"option table_style: {error.args[0]}"
                                ) from None


#: The report as a Word document (write only).
DOCX: Final = Format(
    id="docx",
    title="Report (Word document)",
    extensions=(".docx",),
    media_type=_MEDIA_TYPE,
    carries="analysis",
    write=write_docx,
    description="The Relational Coordination report (findings, network map, heat map, "
    "dimension profiles, roles, invitations, data quality, method) in Danish or English; "
    "options lang, dpi, table_style.",
    write_options=DOCX_WRITE_OPTIONS,
)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The DOCX exporter."""
    return (DOCX,)
