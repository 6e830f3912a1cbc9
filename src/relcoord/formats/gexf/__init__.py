"""Built-in plugin: GEXF (``gexf``), Gephi's own format, opening pre-drawn in Gephi.

The exporter writes GEXF 1.3 ([`relcoord.formats.gexf.writer`][relcoord.formats.gexf.writer]): the
nodes, edges and attributes of the GraphML export, plus the report's network map as ``viz`` colour,
size and position, each arrow's RC as its weight and label, and the waves as dynamic spells and
attributes.  The importer ([`relcoord.formats.gexf.reader`][relcoord.formats.gexf.reader]) parses
through defusedxml and restores what GEXF carries: metadata, the instrument when it is a built-in
one, roles and named arrows.  ``docs/network-files.md`` states the layout.

Options.  Reading ([`GEXF_READ_OPTIONS`][relcoord.formats.gexf.GEXF_READ_OPTIONS]): ``max_bytes``,
``instrument``, as for GraphML.
Writing ([`GEXF_WRITE_OPTIONS`][relcoord.formats.gexf.GEXF_WRITE_OPTIONS]): ``lang`` (the language
    of the arrows' labels and the
order of the roles on the map; default the analysis's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from relcoord.formats.format_option import FormatOption, parse_options
from relcoord.formats.format_type import Format
from relcoord.formats.gexf.writer import gexf_bytes
from relcoord.formats.graphml import GRAPHML_READ_OPTIONS
from relcoord.plugins.hookspecs import hookimpl
from relcoord.settings import LANGS

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = [
    "GEXF",
    "GEXF_READ_OPTIONS",
    "GEXF_WRITE_OPTIONS",
    "gexf_bytes",
    "read_gexf",
    "relcoord_register_exporters",
    "relcoord_register_importers",
    "write_gexf",
]

#: The options of the GEXF importer (those of GraphML's: the same safety limit and default).
GEXF_READ_OPTIONS: Final = GRAPHML_READ_OPTIONS
#: The options of the GEXF exporter.
GEXF_WRITE_OPTIONS: Final = (
    FormatOption("lang", "language of the arrows' RC labels and of the roles' order on the "
                 "map", choices=LANGS, shown_default="the analysis's language"),
)


def read_gexf(source: Path, options: Mapping[str, Any]) -> Study:
    """Read a study from a GEXF file (see
    [`relcoord.formats.gexf.reader`][relcoord.formats.gexf.reader]).

    Options: ``max_bytes`` (size limit in bytes), ``instrument`` (built-in instrument id for
    a file that names none).  Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] at
    ``file:line:column`` for unsafe, malformed or unreadable input.
    """
    from relcoord.formats.gexf.reader import read_gexf_study
    from relcoord.formats.graphml.safe_xml import parse_untrusted

    values = parse_options("gexf", options, GEXF_READ_OPTIONS)
    path = Path(source)
    parsed = parse_untrusted(path, max_bytes=values["max_bytes"])
    return read_gexf_study(path, parsed, instrument=values["instrument"])


def write_gexf(
    study: Study, analysis: Analysis | None, destination: Path, options: Mapping[str, Any]
) -> None:
    """Write ``study`` (with ``analysis``'s figures when given) as GEXF 1.3 to ``destination``.

    Option: ``lang`` (``da`` or ``en``).  Without an analysis the file holds the roles and
    the named arrows, drawn on the map without bands.
    """
    values = parse_options("gexf", options, GEXF_WRITE_OPTIONS)
    Path(destination).write_bytes(gexf_bytes(study, analysis, lang=values["lang"]))


#: The GEXF format (read and write).
GEXF: Final = Format(
    id="gexf",
    title="GEXF role network (Gephi)",
    extensions=(".gexf",),
    media_type="application/gexf+xml",
    carries="both",
    read=read_gexf,
    write=write_gexf,
    description="GEXF 1.3 for Gephi: the GraphML export's roles, arrows and figures, drawn "
    "as the report's network map (colours, sizes, positions), each rated arrow's RC as its "
    "weight, and the waves as a timeline.  Reading restores metadata, roles and named arrows.",
    read_options=GEXF_READ_OPTIONS,
    write_options=GEXF_WRITE_OPTIONS,
)


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """The GEXF importer."""
    return (GEXF,)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The GEXF exporter."""
    return (GEXF,)
