"""Write a study, and optionally its analysis, as GEXF 1.3 (Gephi's own format), pre-drawn.

The nodes and edges, and their attributes, are those of the GraphML export
([`relcoord.formats.graphml.writer`][relcoord.formats.graphml.writer]: one node per role, one edge
per ``source -> target`` pair, the same attribute names and types, missing or withheld values left
out), so the two files tell the same story.  GEXF adds what Gephi shows at once
([`relcoord.formats.network_style`][relcoord.formats.network_style]):

* the role's name in the output's language as the node's ``label`` (as on the report's
  map; ``name`` and ``name_<language>`` keep every name);
* ``viz:position``, ``viz:size`` and ``viz:color`` on every node: the report's network map
  (a circle grouped by organisation; size by arrows received; colour by organisation);
  absent roles are translucent;
* ``viz:color``, ``viz:thickness`` and ``viz:shape`` on every edge: the RC band's colour,
  thicker weak ties, dotted withheld ties;
* the edge's ``weight`` (its RC) and ``label`` (the RC in the output's language) as GEXF's
  own edge attributes, which Gephi reads as the edge weight and label.

Waves make the graph dynamic (``mode="dynamic"``, ``timeformat="integer"``): wave *i* (the
study's waves in sorted order, from 1; their names are in ``<meta rc:waves>`` and on each edge
in ``waves``) is the point interval ``[i, i]``, and an arrow named in some waves only has a
``spell`` per wave, so Gephi's timeline plays the waves.  An arrow without a wave, and a
rated tie that is not an arrow, exists throughout (no spell).  Attribute values are static:
a second, dynamic ``<attributes>`` block per class is valid GEXF, but graphology's parser
(Gephi Lite, sigma.js) keeps only the last block of a class and then refuses the file's
other values as undeclared.

The study's metadata and the analysis's settings and overall RC (GraphML's graph
attributes) are attributes of ``<meta>`` in relcoord's namespace
([`RELCOORD_NAMESPACE`][relcoord.formats.gexf.writer.RELCOORD_NAMESPACE]), which other readers
ignore; ``<creator>`` and ``<description>`` are GEXF's own.

Deterministic bytes: the same input always gives the same file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final

from relcoord.errors import InvalidInputError
from relcoord.formats.graphml.writer import (
    EDGE_ATTRIBUTES,
    GRAPH_ATTRIBUTES,
    NODE_ATTRIBUTES,
    GraphMLType,
    NetworkElement,
    edge_elements,
    graph_element,
    node_elements,
    used_keys,
    value_text,
)
from relcoord.formats.network_style import EdgeStyle, NodeStyle, network_style, rgb

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = [
    "GEXF_NAMESPACE",
    "GEXF_VIZ_NAMESPACE",
    "RELCOORD_NAMESPACE",
    "gexf_bytes",
]

#: The GEXF 1.3 namespace and its visualisation module's.
GEXF_NAMESPACE: Final = "http://gexf.net/1.3"
GEXF_VIZ_NAMESPACE: Final = "http://gexf.net/1.3/viz"
_SCHEMA_LOCATION: Final = f"{GEXF_NAMESPACE} {GEXF_NAMESPACE}/gexf.xsd"
_XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
#: relcoord's namespace for the study's metadata on ``<meta>`` (a URN: nothing to fetch).
RELCOORD_NAMESPACE: Final = "urn:relcoord:gexf:1"
#: GEXF's names for GraphML's types.
_TYPES: Final[Mapping[GraphMLType, str]] = {
    "boolean": "boolean", "int": "integer", "double": "double", "string": "string",
}
_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
     "\r": "&#13;"}
)
_TEXT_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _attribute(value: str) -> str:
    return value.translate(_ESCAPES)


def _number(value: float) -> str:
    return repr(round(float(value), 3))


def _meta(study: Study, graph: NetworkElement, waves: Sequence[str]) -> list[str]:
    kinds = dict(GRAPH_ATTRIBUTES)
    # the description is GEXF's own <description>
    pairs = [(f"rc:{name}", value_text(value, kinds[name])) for name, value in graph.data
             if name != "description"]
    if waves:
        pairs.append(("rc:waves", json.dumps(list(waves), ensure_ascii=False)))
    attributes = "".join(f' {name}="{_attribute(value)}"' for name, value in pairs)
    lines = [f"  <meta{attributes}>", "    <creator>relcoord</creator>"]
    if study.metadata.description:
        lines.append(f"    <description>{study.metadata.description.translate(_TEXT_ESCAPES)}"
                     "</description>")
    lines.append("  </meta>")
    return lines


def _declarations(domain: str, keys: Iterable[tuple[str, GraphMLType]]) -> list[str]:
    declared = [(name, _TYPES[kind]) for name, kind in keys]
    if not declared:
        return []
    return [f'    <attributes class="{domain}" mode="static">',
            *(f'      <attribute id="{_attribute(name)}" title="{_attribute(name)}" '
              f'type="{kind}" />' for name, kind in declared),
            "    </attributes>"]


def _attvalues(
    element: NetworkElement, kinds: Mapping[str, GraphMLType], skip: frozenset[str]
) -> list[str]:
    values = [f'<attvalue for="{_attribute(name)}" '
              f'value="{_attribute(value_text(v, kinds[name]))}" />'
              for name, v in element.data if name not in skip]
    if not values:
        return []
    return ["<attvalues>", *(f"  {v}" for v in values), "</attvalues>"]


def _colour(colour: str, alpha: float | None = None) -> str:
    r, g, b = rgb(colour)
    a = "" if alpha is None else f' a="{alpha}"'
    return f'<viz:color r="{r}" g="{g}" b="{b}"{a} />'


def _node_viz(style: NodeStyle) -> list[str]:
    return [
        _colour(style.colour, None if style.present else 0.35),
        f'<viz:position x="{_number(style.x)}" y="{_number(style.y)}" z="0.0" />',
        f'<viz:size value="{_number(style.size)}" />',
        '<viz:shape value="disc" />',
    ]


def _edge_viz(style: EdgeStyle) -> list[str]:
    return [
        _colour(style.colour),
        f'<viz:thickness value="{_number(style.width)}" />',
        f'<viz:shape value="{style.line}" />',
    ]


def _wave_times(study: Study) -> dict[str, int]:
    return {wave: number for number, wave in enumerate(study.waves, start=1)}


def _edge_waves(study: Study) -> dict[tuple[str, str], list[str | None]]:
    waves: dict[tuple[str, str], list[str | None]] = {}
    for tie in study.ties:
        waves.setdefault((tie.source, tie.target), []).append(tie.wave)
    return waves


def gexf_bytes(study: Study, analysis: Analysis | None = None, *, lang: str | None = None
               ) -> bytes:
    """The GEXF 1.3 document of ``study`` (and ``analysis``, when given) as UTF-8 bytes.

    See the module docstring for the layout; ``lang`` (default: the analysis's language)
    decides the arrows' labels and the order of the roles on the map's circle.  Raises
    [`InvalidInputError`][relcoord.errors.InvalidInputError] for text XML cannot hold, located by
    its JSON path in the study.
    """
    if analysis is not None and analysis.study is not study and analysis.study != study:
        raise InvalidInputError("analysis", "was computed from another study than the one "
                                "being exported; pass relcoord.analyze(study)")
    lang = lang or (analysis.settings.lang if analysis is not None else "en")
    graph = graph_element(study, analysis)
    nodes = list(node_elements(study, analysis))
    edges = list(edge_elements(study, analysis, lang))
    languages = sorted({language for role in study.roles for language, _ in role.names})
    node_keys = used_keys("node", NODE_ATTRIBUTES, [f"name_{x}" for x in languages], "name",
                          "string", nodes)
    edge_keys = used_keys("edge", EDGE_ATTRIBUTES, [f"mean_{d}" for d in study.instrument.keys],
                          "relationship", "double", edges)
    # GEXF's own node label, edge label and edge weight carry these
    node_skip = frozenset({"label"})
    edge_skip = frozenset({"label", "weight"})
    node_kinds = {name: key.type for name, key in node_keys.items()}
    edge_kinds = {name: key.type for name, key in edge_keys.items()}
    pairs = [(dict(e.attributes)["source"], dict(e.attributes)["target"]) for e in edges]
    drawing = network_style(study, analysis, pairs, lang)
    names = {role.id: role.label(lang) for role in study.roles}
    times = _wave_times(study)
    arrow_waves = _edge_waves(study)
    dynamic = bool(times)
    mode = ' mode="dynamic" timeformat="integer" timerepresentation="interval"' if dynamic else (
        ' mode="static"')
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{GEXF_NAMESPACE}" xmlns:viz="{GEXF_VIZ_NAMESPACE}" '
        f'xmlns:rc="{RELCOORD_NAMESPACE}" xmlns:xsi="{_XSI}" '
        f'xsi:schemaLocation="{_SCHEMA_LOCATION}" version="1.3">',
        *_meta(study, graph, study.waves),
        f'  <graph defaultedgetype="directed"{mode}>',
        *_declarations("node", [(n, k.type) for n, k in node_keys.items() if n not in node_skip]),
        *_declarations("edge", [(n, k.type) for n, k in edge_keys.items() if n not in edge_skip]),
        "    <nodes>",
    ]
    for node in nodes:
        role = dict(node.attributes)["id"]
        head = f'      <node id="{_attribute(role)}" label="{_attribute(names[role])}">'
        body = _attvalues(node, node_kinds, node_skip) + _node_viz(drawing.nodes[role])
        lines += [head, *(f"        {line}" for line in body), "      </node>"]
    lines.append("    </nodes>")
    lines.append("    <edges>")
    for number, (edge, pair) in enumerate(zip(edges, pairs, strict=True)):
        data = dict(edge.data)
        head = (f'      <edge id="{number}" source="{_attribute(pair[0])}" '
                f'target="{_attribute(pair[1])}"')
        if "weight" in data:
            head += f' weight="{value_text(data["weight"], "double")}"'
        if "label" in data:
            head += f' label="{_attribute(str(data["label"]))}"'
        waves = arrow_waves.get(pair, [])
        spells = (sorted({times[w] for w in waves if w is not None})
                  if waves and None not in waves else [])
        body = _attvalues(edge, edge_kinds, edge_skip)
        if spells:
            body += ["<spells>", *(f'  <spell start="{t}" end="{t}" />' for t in spells),
                     "</spells>"]
        body += _edge_viz(drawing.edges[pair])
        lines += [head + ">", *(f"        {line}" for line in body), "      </edge>"]
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(lines).encode("utf-8")
