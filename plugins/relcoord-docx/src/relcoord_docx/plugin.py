"""The hook implementation: the ``docx`` exporter.

The entry point ``docx = "relcoord_docx.plugin"`` in the group ``relcoord`` (see
``pyproject.toml``) points here.  ``relcoord export study.json --to docx -o report.docx``
analyses the study, builds the report model
([`relcoord.report.build_report`][relcoord.report.build_report]), renders its pictures
([`relcoord.pictures.render_pictures`][relcoord.pictures.render.render_pictures]) and writes the
Word document through the host, which writes atomically.

Option ``part`` picks what is written: ``report`` (the default, the whole report),
``groups`` (the function groups' pages, one per page, to hand out:
[`relcoord.report.build_group_sheets`][relcoord.report.build_group_sheets]) or ``contact-guide``
("Who do I contact?" on its
own: [`relcoord.report.build_contact_guide`][relcoord.report.build_contact_guide]).  Option
    ``group`` names the groups (role
ids, comma-separated) whose pages to write, and implies ``part=groups``.

It also writes workshop templates as printable forms (``relcoord template ... -o
forms.docx``: [`relcoord_docx.workshop_forms`][relcoord_docx.workshop_forms]).
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
from relcoord_docx.workshop_forms import DOCX_TEMPLATES

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.formats.workshop_template import TemplateWriter
    from relcoord.model import Study

__all__ = ["DOCX", "DOCX_WRITE_OPTIONS", "PARTS", "relcoord_register_exporters",
           "relcoord_register_template_writers", "report_pictures_png", "write_docx"]

#: The values of option ``part``.
PARTS: Final = ("report", "groups", "contact-guide")
_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The options of the DOCX exporter.
DOCX_WRITE_OPTIONS: Final = (
    FormatOption("lang", "language of the report", choices=LANGS,
                 shown_default="the analysis's language"),
    FormatOption("dpi", "resolution of the pictures", parse=whole_number(72, 600),
                 default=200, metavar="72..600"),
    FormatOption("table_style", "a Word table style, by its display name",
                 default=DEFAULT_TABLE_STYLE, metavar="STYLE"),
    FormatOption("part", "what to write: the whole report, the function groups' pages, or "
                 "the contact guide alone", choices=PARTS,
                 shown_default="report (groups when group is given)"),
    FormatOption("group", "the groups whose pages to write (role ids, comma-separated); "
                 "implies part=groups", metavar="ID[,ID...]"),
)


def _part_and_groups(values: Mapping[str, Any], analysis: Analysis
                     ) -> tuple[str, list[str] | None]:
    """Options ``part`` and ``group`` (checked values): what to write, for which groups."""
    chosen = values["part"]
    given = values["group"]
    part = str(chosen or ("groups" if given is not None else "report"))
    if given is None:
        return part, None
    if part != "groups":
        raise InvalidInputError("format 'docx'", f"option group goes with part=groups (or "
                                f"alone), not part={part}")
    groups = [g.strip() for g in str(given).split(",") if g.strip()]
    unknown = [g for g in groups if g not in analysis.study.role_ids]
    if unknown or not groups:
        raise InvalidInputError("format 'docx'", f"option group={given!r}: no role "
                                f"{', '.join(map(repr, unknown)) or 'named'}; the roles are "
                                f"{', '.join(analysis.study.role_ids)}")
    return part, groups


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
    ``table_style`` (a Word table style by display name), ``part`` (``report``, ``groups``
    or ``contact-guide``) and ``group`` (role ids, comma-separated: those groups' pages)."""
    from relcoord.report import build_contact_guide, build_group_sheets, build_report

    values = parse_options("docx", options, DOCX_WRITE_OPTIONS)
    if analysis is None:
        raise TypeError("the docx exporter needs an analysis; compute one with "
                        "relcoord.analysis.analyze")
    lang: str = values["lang"] or analysis.settings.lang
    dpi: int = values["dpi"]
    style: str = values["table_style"]
    part, groups = _part_and_groups(values, analysis)
    if part == "groups":
        report = build_group_sheets(analysis, lang, groups)
    elif part == "contact-guide":
        report = build_contact_guide(analysis, lang)
    else:
        report = build_report(analysis, lang)
    pictures = report_pictures_png(analysis, lang, dpi) if report.picture_names else {}
    try:
        render_docx(report, pictures, destination, table_style=style)
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
    "dimension profiles, roles, invitations, the contact guide, a page per function group, "
    "data quality, method) in Danish or English.",
    write_options=DOCX_WRITE_OPTIONS,
)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The DOCX exporter."""
    return (DOCX,)


@hookimpl
def relcoord_register_template_writers() -> Iterable[TemplateWriter]:
    """The printable twin of the workshop templates
    ([`relcoord_docx.workshop_forms`][relcoord_docx.workshop_forms])."""
    return (DOCX_TEMPLATES,)
