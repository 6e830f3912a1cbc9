"""Built-in plugin: GraphML (``graphml``), the role network for networkx, igraph, Gephi, Cytoscape.

The exporter writes roles as nodes and named arrows (and, with an analysis, rated ties) as
directed edges, with the study's attributes and the analysis's metrics
([`relcoord.formats.graphml.writer`][relcoord.formats.graphml.writer]).  There is one edge per
``source -> target`` pair, never parallel edges: a simple directed graph is what every one of those
tools reads in the same way, and a pair's arrows from several waves are listed in its ``waves``
attribute.

The importer parses through defusedxml
([`relcoord.formats.graphml.safe_xml`][relcoord.formats.graphml.safe_xml]), checks the document and
restores what GraphML carries: metadata, the instrument when it is a built-in one, roles and named
arrows ([`relcoord.formats.graphml.reader`][relcoord.formats.graphml.reader]).  It cannot restore
respondents, individual ratings, invitations or an inline (custom) instrument: a GraphML file holds
none of them.  ``docs/graphml.md`` states the full layout.

Options ([`GRAPHML_READ_OPTIONS`][relcoord.formats.graphml.GRAPHML_READ_OPTIONS]).  Reading:
``max_bytes`` (size limit, default
[`DEFAULT_MAX_BYTES`][relcoord.formats.graphml.DEFAULT_MAX_BYTES]), ``max_depth`` (nesting limit),
``instrument`` (the built-in instrument to use when the file names none; default ``rc7``).  Writing
([`GRAPHML_WRITE_OPTIONS`][relcoord.formats.graphml.GRAPHML_WRITE_OPTIONS]): ``style`` (``plain``,
or ``yed`` for yEd's graphics: positions, colours, shapes and labels from the report's network map),
``lang`` (the language of arrow labels and, with yEd graphics, of role labels and their order;
default the analysis's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from relcoord.formats.format_option import FormatOption, parse_options, whole_number
from relcoord.formats.format_type import Format
from relcoord.formats.graphml.safe_xml import MAX_DEPTH
from relcoord.formats.graphml.writer import graphml_bytes
from relcoord.instruments import INSTRUMENTS
from relcoord.plugins.hookspecs import hookimpl
from relcoord.settings import LANGS

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = [
    "DEFAULT_MAX_BYTES",
    "GRAPHML",
    "GRAPHML_READ_OPTIONS",
    "GRAPHML_WRITE_OPTIONS",
    "graphml_bytes",
    "read_graphml",
    "relcoord_register_exporters",
    "relcoord_register_importers",
    "write_graphml",
]

#: GraphML files larger than this are refused unless ``max_bytes`` is raised (256 MiB): the
#: whole tree is held in memory while it is read, at several times the file's size.
DEFAULT_MAX_BYTES: Final = 256 * 1024**2
#: The options of the GraphML importer.
GRAPHML_READ_OPTIONS: Final = (
    FormatOption("instrument", "the built-in instrument of a file that names none",
                 choices=tuple(sorted(INSTRUMENTS)), shown_default="the file's, else rc7"),
    FormatOption("max_bytes", "refuse files larger than this many bytes",
                 parse=whole_number(1), default=DEFAULT_MAX_BYTES, metavar="BYTES",
                 shown_default=f"{DEFAULT_MAX_BYTES} (256 MiB)"),
    FormatOption("max_depth", "refuse elements nested deeper than this (GraphML needs about "
                 "five levels; yEd's node graphics a dozen)", parse=whole_number(5),
                 default=MAX_DEPTH, metavar="N"),
)

#: The options of the GraphML exporter.
GRAPHML_WRITE_OPTIONS: Final = (
    FormatOption("style", "plain GraphML, or with yEd's graphics (positions, colours by "
                 "organisation and band, shapes, labels)", choices=("plain", "yed"),
                 default="plain"),
    FormatOption("lang", "language of the arrows' RC labels (and of yEd's role labels)",
                 choices=LANGS, shown_default="the analysis's language"),
)


def read_graphml(source: Path, options: Mapping[str, Any]) -> Study:
    """Read a study from a GraphML file (see the module docstring for what comes back).

    Options: ``max_bytes`` (size limit in bytes), ``max_depth`` (nesting limit),
    ``instrument`` (built-in instrument id for a file that names none).  Raises
    [`InvalidInputError`][relcoord.errors.InvalidInputError] at ``file:line:column`` for unsafe,
    malformed or unreadable input.
    """
    from relcoord.formats.graphml.reader import read_study
    from relcoord.formats.graphml.safe_xml import parse_untrusted

    values = parse_options("graphml", options, GRAPHML_READ_OPTIONS)
    path = Path(source)
    parsed = parse_untrusted(path, max_bytes=values["max_bytes"],
                             max_depth=values["max_depth"])
    return read_study(path, parsed, instrument=values["instrument"])


def write_graphml(
    study: Study, analysis: Analysis | None, destination: Path, options: Mapping[str, Any]
) -> None:
    """Write ``study`` (with ``analysis``'s metrics when given) as GraphML to ``destination``.

    Options: ``style`` (``plain`` or ``yed``), ``lang`` (``da`` or ``en``).  Without an
    analysis the file holds the roles and the named arrows only: formats compute no metrics
    (``relcoord export FILE --to graphml`` passes one; ``relcoord convert`` does not).
    """
    values = parse_options("graphml", options, GRAPHML_WRITE_OPTIONS)
    Path(destination).write_bytes(
        graphml_bytes(study, analysis, lang=values["lang"], style=values["style"]))


#: The GraphML format (read and write).
GRAPHML: Final = Format(
    id="graphml",
    title="GraphML role network",
    extensions=(".graphml",),
    media_type="application/graphml+xml",
    carries="both",
    read=read_graphml,
    write=write_graphml,
    description="Roles as nodes, named arrows and rated ties as directed edges, with the "
    "analysis's metrics and each rated arrow's RC as its weight; for networkx, igraph, Gephi, "
    "Cytoscape and (with -O style=yed) yEd.  Reading restores "
    "metadata, roles and named arrows, not respondents, ratings or invitations.",
    read_options=GRAPHML_READ_OPTIONS,
    write_options=GRAPHML_WRITE_OPTIONS,
)


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """The GraphML importer."""
    return (GRAPHML,)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The GraphML exporter."""
    return (GRAPHML,)
