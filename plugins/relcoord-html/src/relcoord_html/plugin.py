"""The hook implementation: the ``html`` exporter.

The entry point ``html = "relcoord_html.plugin"`` in the group ``relcoord`` (see
``pyproject.toml``) points here.  ``relcoord export study.json --to html -o report.html``
analyses the study, builds the report model in each language asked for
([`relcoord.report.build_report`][relcoord.report.build_report]) and writes one self-contained page
through the host, which writes atomically.

Option ``lang`` is one language (``da`` or ``en``) or several, comma-separated
(``-O lang=da,en``): the page then holds the report in each, the first shown, with a switch
to the others.  Option ``dpi`` is the resolution of the pictures drawn as images.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from relcoord.formats import Format, FormatOption, parse_options, whole_number
from relcoord.plugins import hookimpl
from relcoord.settings import LANGS
from relcoord_html.page import language_part, render_html

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = ["HTML", "HTML_WRITE_OPTIONS", "languages", "relcoord_register_exporters",
           "write_html"]


def languages(value: Any) -> tuple[str, ...]:
    """Option ``lang``: one language or several, comma-separated, each once."""
    chosen = [word.strip().casefold() for word in str(value).split(",") if word.strip()]
    unknown = [word for word in chosen if word not in LANGS]
    if unknown or not chosen:
        raise ValueError(f"expected {' or '.join(LANGS)}, or several comma-separated "
                         f"(such as {','.join(LANGS)})")
    return tuple(dict.fromkeys(chosen))


#: The options of the HTML exporter.
HTML_WRITE_OPTIONS: Final = (
    FormatOption("lang", "language of the report; several, comma-separated, give a page "
                 "with a language switch (the first shown)", parse=languages,
                 metavar="LANG[,LANG]", shown_default="the analysis's language"),
    FormatOption("dpi", "resolution of the pictures shown as images (profiles, invitations, "
                 "change)", parse=whole_number(72, 300), default=110, metavar="72..300"),
)


def write_html(
    study: Study, analysis: Analysis | None, destination: Path, options: Mapping[str, Any]
) -> None:
    """Write the report of ``analysis`` as one self-contained HTML page; options ``lang``
    (one language or several, comma-separated) and ``dpi``."""
    values = parse_options("html", options, HTML_WRITE_OPTIONS)
    if analysis is None:
        raise TypeError("the html exporter needs an analysis; compute one with "
                        "relcoord.analysis.analyze")
    langs: tuple[str, ...] = values["lang"] or (analysis.settings.lang,)
    parts = [(lang, language_part(analysis, lang, values["dpi"])) for lang in langs]
    destination.write_text(render_html(parts), encoding="utf-8", newline="\n")


#: The report as one interactive, self-contained HTML page (write only).
HTML: Final = Format(
    id="html",
    title="Report (interactive HTML page)",
    extensions=(".html", ".htm"),
    media_type="text/html",
    carries="analysis",
    write=write_html,
    description="The Relational Coordination report as one self-contained page: an "
    "interactive network map (hover for figures, click a role for its arrows and its "
    "group's page, filters by band, organisation, wave and named or rated, zoom), the heat "
    "map, sortable tables, findings, invitations, the contact guide and the method, in "
    "Danish, English or both with a switch; nothing is fetched when it opens.",
    write_options=HTML_WRITE_OPTIONS,
)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The HTML exporter."""
    return (HTML,)
