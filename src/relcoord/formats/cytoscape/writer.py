"""Write a study, and optionally its analysis, as Cytoscape.js JSON: elements and a style.

The output is a folder of two files, each in the shape its consumer takes as it is:

``elements.json``
    the network in Cytoscape.js's JSON (the ``.cyjs`` layout Cytoscape desktop imports and
    exports): ``data`` (the study's metadata, GraphML's graph attributes) and ``elements``
    with ``nodes`` and ``edges``, each ``{"data": {...}}``; a node also has its
    ``position`` on the report's network map (``y`` pointing down, as Cytoscape draws).
``style.json``
    a Cytoscape.js stylesheet (a list of ``{"selector", "style"}``, what
    ``cytoscape({style})`` and ``cy.style().fromJson()`` take) that maps each element's
    drawing data to its look.

Two files rather than one, because the two are separate documents to both Cytoscapes:
Cytoscape desktop imports a network from a ``.cyjs`` file and knows no style inside it, and
a Cytoscape.js page passes ``elements`` and ``style`` separately (or loads them from two
URLs).  A single file holding both would be a shape of relcoord's own that neither reads.

Every element's data has GraphML's attributes under the same names and types
([`relcoord.formats.graphml.writer`][relcoord.formats.graphml.writer]; ``waves`` as a JSON list, not
text), and the
drawing ([`relcoord.formats.network_style`][relcoord.formats.network_style]): nodes ``label`` (the
    role's name in the
output's language, as on the report's map), ``colour`` and ``size``; edges
``colour``, ``width``, ``line`` and ``curved``, with ``weight`` and ``label`` on every rated
arrow whose RC is published.  Missing and withheld values are left out.  Deterministic bytes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from relcoord.errors import InvalidInputError
from relcoord.formats.graphml.writer import (
    NetworkElement,
    edge_elements,
    graph_element,
    node_elements,
)
from relcoord.formats.network_style import network_style
from relcoord.report_map import BAND_COLOURS

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = [
    "CYTOSCAPE_FORMAT_VERSION",
    "ELEMENTS_FILE",
    "STYLE_FILE",
    "cytoscape_elements",
    "cytoscape_style",
    "json_bytes",
]

#: The files of the folder.
ELEMENTS_FILE: Final = "elements.json"
STYLE_FILE: Final = "style.json"
#: ``format_version`` of the ``.cyjs`` layout (what Cytoscape desktop writes).
CYTOSCAPE_FORMAT_VERSION: Final = "1.0"


def _data(element: NetworkElement) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in element.data:
        data[name] = json.loads(value) if name == "waves" and isinstance(value, str) else value
    return data


def cytoscape_elements(
    study: Study, analysis: Analysis | None = None, *, lang: str | None = None
) -> dict[str, Any]:
    """The ``.cyjs`` document of ``study`` (and ``analysis``): see the module docstring.

    ``lang`` (default: the analysis's language) decides the arrows' labels and the order of
    the roles on the map.  Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] for text
    the network files cannot hold, located by its JSON path in the study.
    """
    if analysis is not None and analysis.study is not study and analysis.study != study:
        raise InvalidInputError("analysis", "was computed from another study than the one "
                                "being exported; pass relcoord.analyze(study)")
    lang = lang or (analysis.settings.lang if analysis is not None else "en")
    edges = list(edge_elements(study, analysis, lang))
    pairs = [(dict(e.attributes)["source"], dict(e.attributes)["target"]) for e in edges]
    drawing = network_style(study, analysis, pairs, lang)
    names = {r.id: r.label(lang) for r in study.roles}
    nodes: list[dict[str, Any]] = []
    for node in node_elements(study, analysis):
        role = dict(node.attributes)["id"]
        style = drawing.nodes[role]
        nodes.append({
            "data": {"id": role, **_data(node), "label": names[role], "colour": style.colour,
                     "size": style.size},
            "position": {"x": style.x, "y": -style.y if style.y else 0.0},
        })
    edge_list: list[dict[str, Any]] = []
    for number, (edge, pair) in enumerate(zip(edges, pairs, strict=True)):
        look = drawing.edges[pair]
        edge_list.append({"data": {
            "id": f"e{number}", "source": pair[0], "target": pair[1], **_data(edge),
            "colour": look.colour, "width": look.width, "line": look.line,
            "curved": look.curved,
        }})
    return {
        "format_version": CYTOSCAPE_FORMAT_VERSION,
        "generated_by": "relcoord",
        "target_cytoscapejs_version": "~3.0",
        "data": _data(graph_element(study, analysis)),
        "elements": {"nodes": nodes, "edges": edge_list},
    }


def cytoscape_style() -> list[dict[str, Any]]:
    """The Cytoscape.js stylesheet of the elements: the report map's look.

    Nodes take their ``colour`` and ``size`` and show their ``label`` below; absent roles
    are white with a dashed border.  Arrows take their ``colour`` and ``width``, point at
    their target, and the two arrows of a reciprocal pair run as two curves (``bezier``);
    withheld ties are dotted, arrows not rated faint, weak ties on top.  A selected arrow
    shows its RC label.
    """
    return [
        {"selector": "node", "style": {
            "background-color": "data(colour)", "width": "data(size)",
            "height": "data(size)", "label": "data(label)", "font-size": 10,
            "color": "#222222", "text-valign": "bottom", "text-margin-y": 3,
            "border-color": "#FFFFFF", "border-width": 1.2,
        }},
        {"selector": "node[!present]", "style": {
            "background-color": "#FFFFFF", "border-color": "data(colour)",
            "border-style": "dashed", "border-width": 1.6, "color": "#555555",
            "font-style": "italic",
        }},
        {"selector": "edge", "style": {
            "curve-style": "bezier", "line-color": "data(colour)",
            "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle",
            "width": "data(width)", "arrow-scale": 0.8, "opacity": 0.8,
        }},
        {"selector": f"edge[colour = '{BAND_COLOURS['none']}']", "style": {"opacity": 0.55}},
        {"selector": "edge[line = 'dotted']", "style": {"line-style": "dotted"}},
        {"selector": f"edge[colour = '{BAND_COLOURS['weak']}']", "style": {"z-index": 3}},
        {"selector": "edge[label]:selected", "style": {
            "label": "data(label)", "font-size": 9, "text-rotation": "autorotate",
            "text-background-color": "#FFFFFF", "text-background-opacity": 0.85,
        }},
    ]


def json_bytes(document: object) -> bytes:
    """``document`` as deterministic JSON (two-space indent, UTF-8, final line break)."""
    return (json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode(
        "utf-8")
