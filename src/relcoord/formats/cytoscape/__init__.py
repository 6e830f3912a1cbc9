"""Built-in plugin: Cytoscape.js JSON (``cytoscape``), a folder with the network and its style.

The exporter ([`relcoord.formats.cytoscape.writer`][relcoord.formats.cytoscape.writer]) writes a
folder with ``elements.json`` (the network as Cytoscape.js JSON, the ``.cyjs`` layout Cytoscape
desktop
imports: GraphML's attributes, the report map's positions and colours, each rated arrow's RC
as weight and label) and ``style.json`` (a Cytoscape.js stylesheet that draws them as the
report's map); the module docstring there says why two files.  The importer
([`relcoord.formats.cytoscape.reader`][relcoord.formats.cytoscape.reader]) reads such a folder, or a
single ``.cyjs`` file, and restores metadata, the instrument when it is a built-in one, roles and
named arrows.

Options.  Reading ([`CYTOSCAPE_READ_OPTIONS`][relcoord.formats.cytoscape.CYTOSCAPE_READ_OPTIONS]):
``max_bytes``, ``instrument``, as for GraphML.  Writing
([`CYTOSCAPE_WRITE_OPTIONS`][relcoord.formats.cytoscape.CYTOSCAPE_WRITE_OPTIONS]): ``lang``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from relcoord.formats.cytoscape.writer import (
    ELEMENTS_FILE,
    STYLE_FILE,
    cytoscape_elements,
    cytoscape_style,
    json_bytes,
)
from relcoord.formats.format_option import FormatOption, parse_options
from relcoord.formats.format_type import Format
from relcoord.formats.graphml import GRAPHML_READ_OPTIONS
from relcoord.plugins.hookspecs import hookimpl
from relcoord.settings import LANGS

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = [
    "CYTOSCAPE",
    "CYTOSCAPE_READ_OPTIONS",
    "CYTOSCAPE_WRITE_OPTIONS",
    "cytoscape_elements",
    "cytoscape_style",
    "read_cytoscape",
    "relcoord_register_exporters",
    "relcoord_register_importers",
    "write_cytoscape",
]

#: The options of the Cytoscape.js importer (GraphML's: a size limit, a default instrument).
CYTOSCAPE_READ_OPTIONS: Final = GRAPHML_READ_OPTIONS
#: The options of the Cytoscape.js exporter.
CYTOSCAPE_WRITE_OPTIONS: Final = (
    FormatOption("lang", "language of the arrows' RC labels and of the roles' order on the "
                 "map", choices=LANGS, shown_default="the analysis's language"),
)


def read_cytoscape(source: Path, options: Mapping[str, Any]) -> Study:
    """Read a study from a Cytoscape.js folder (its ``elements.json``) or ``.cyjs`` file.

    Options: ``max_bytes``, ``instrument``.  Raises
    [`InvalidInputError`][relcoord.errors.InvalidInputError] located by file and JSON path.
    """
    from relcoord.formats.cytoscape.reader import read_cytoscape_study

    values = parse_options("cytoscape", options, CYTOSCAPE_READ_OPTIONS)
    return read_cytoscape_study(Path(source), max_bytes=values["max_bytes"],
                                instrument=values["instrument"])


def write_cytoscape(
    study: Study, analysis: Analysis | None, destination: Path, options: Mapping[str, Any]
) -> None:
    """Fill the folder ``destination`` with ``elements.json`` and ``style.json``.

    Option: ``lang`` (``da`` or ``en``).  Without an analysis the network holds the roles
    and named arrows, drawn without bands.
    """
    values = parse_options("cytoscape", options, CYTOSCAPE_WRITE_OPTIONS)
    folder = Path(destination)
    folder.mkdir(parents=True, exist_ok=True)
    document = cytoscape_elements(study, analysis, lang=values["lang"])
    (folder / ELEMENTS_FILE).write_bytes(json_bytes(document))
    (folder / STYLE_FILE).write_bytes(json_bytes(cytoscape_style()))


#: The Cytoscape.js format (a folder; read and write).
CYTOSCAPE: Final = Format(
    id="cytoscape",
    title="Cytoscape.js network and style",
    extensions=(),
    media_type="application/json",
    carries="both",
    read=read_cytoscape,
    write=write_cytoscape,
    writes_directory=True,
    description="A folder with elements.json (the network as Cytoscape.js JSON, which "
    "Cytoscape imports, with the report map's positions and colours and each rated arrow's "
    "RC as weight) and style.json (a Cytoscape.js stylesheet).  Reading restores metadata, "
    "roles and named arrows.",
    read_options=CYTOSCAPE_READ_OPTIONS,
    write_options=CYTOSCAPE_WRITE_OPTIONS,
)


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """The Cytoscape.js importer."""
    return (CYTOSCAPE,)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The Cytoscape.js exporter."""
    return (CYTOSCAPE,)
