"""Write a study, and optionally its analysis, as GraphML that other tools read.

The file is written here rather than with `networkx.write_graphml`, because the
format's promises are easier to keep by construction than by repairing a graph first:

* **one type per attribute**: every attribute has a fixed GraphML type (``boolean``,
  ``int``, ``double``, ``string``) in the tables below, and values are converted to it;
  igraph refuses a file whose key mixes ``int`` and ``double``;
* **no null values**: a missing value (``None``, NaN, a metric suppressed by the privacy
  rule) is left out on that element, which is how GraphML says "no value";
* **prefixed key ids**: ``g_``, ``n_`` and ``e_`` plus the attribute name (``n_rc_as_rater``,
  ``e_rc``), so that a node and an edge attribute of the same name (``n_respondents``)
  never share an id, and a reader can tell which key is which;
* **deterministic bytes**: keys, nodes, edges and data in a fixed order (nodes by role id,
  edges by source then target), floats as their shortest round-tripping ``repr``, LF line
  ends, UTF-8; the same input always gives the same bytes.

Only keys that some element uses are declared.  Text that XML 1.0 cannot hold (control
characters other than tab, line feed and carriage return) is refused with the place in the
study it came from.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

import attrs

from relcoord.errors import InvalidInputError
from relcoord.formats.network_style import EdgeStyle, NodeStyle, edge_label, network_style
from relcoord.model import NamedTie, Study

if TYPE_CHECKING:
    from relcoord.analysis import Analysis, RoleSummary
    from relcoord.metrics.network import RoleNetworkMetrics
    from relcoord.metrics.scores import RatedTie

__all__ = [
    "EDGE_ATTRIBUTES",
    "FORMAT_VERSION",
    "GRAPHML_NAMESPACE",
    "GRAPH_ATTRIBUTES",
    "NODE_ATTRIBUTES",
    "YED_EDGE_KEY",
    "YED_NODE_KEY",
    "YFILES_NAMESPACE",
    "AttributeKey",
    "GraphMLStyle",
    "GraphMLType",
    "NetworkElement",
    "edge_elements",
    "element_data",
    "graph_element",
    "graphml_bytes",
    "key_ids",
    "node_elements",
    "used_keys",
    "value_text",
]

GraphMLType = Literal["boolean", "int", "double", "string"]
#: ``plain`` GraphML, or GraphML with ``yed`` graphics (the yFiles extension).
GraphMLStyle = Literal["plain", "yed"]
Domain = Literal["graph", "node", "edge"]
Value: TypeAlias = bool | int | float | str

#: The GraphML namespace.
GRAPHML_NAMESPACE: Final = "http://graphml.graphdrawing.org/xmlns"
_SCHEMA_LOCATION: Final = f"{GRAPHML_NAMESPACE} {GRAPHML_NAMESPACE}/1.0/graphml.xsd"
_XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
#: The yFiles namespace of yEd's graphics, and its schema.
YFILES_NAMESPACE: Final = "http://www.yworks.com/xml/graphml"
_YFILES_SCHEMA: Final = "http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"
#: The key ids of yEd's node and edge graphics.
YED_NODE_KEY: Final = "y_node"
YED_EDGE_KEY: Final = "y_edge"
#: The value of the graph attribute ``relcoord_graphml``: the version of this layout.
FORMAT_VERSION: Final = "1"

#: Graph attributes in file order: the study's metadata, then (with an analysis) settings
#: and the overall RC.
GRAPH_ATTRIBUTES: Final[tuple[tuple[str, GraphMLType], ...]] = (
    ("relcoord_graphml", "string"),
    ("study", "string"),
    ("title", "string"),
    ("focal_process", "string"),
    ("language", "string"),
    ("description", "string"),
    ("instrument", "string"),
    ("weighting", "string"),
    ("min_items", "int"),
    ("min_respondents", "int"),
    ("band_low", "double"),
    ("band_high", "double"),
    ("degree_basis", "string"),
    ("rc", "double"),
    ("communication", "double"),
    ("relationship", "double"),
    ("band", "string"),
    ("n_respondents", "int"),
)

#: Node attributes in file order; ``name_<language>`` follow ``name`` (one per language
#: used, sorted).  All but the first five come from an analysis.
NODE_ATTRIBUTES: Final[tuple[tuple[str, GraphMLType], ...]] = (
    ("label", "string"),
    ("name", "string"),
    ("organisation", "string"),
    ("present", "boolean"),
    ("in_degree", "int"),
    ("out_degree", "int"),
    ("reciprocated", "int"),
    ("n_respondents", "int"),
    ("n_raters", "int"),
    ("rc_as_rater", "double"),
    ("rc_as_target", "double"),
    ("rc_within", "double"),
    ("n_rated_ties", "int"),
    ("n_weak_ties", "int"),
    ("weak_share", "double"),
    ("in_strength", "double"),
    ("pagerank", "double"),
    ("reciprocity", "double"),
    ("unreciprocated_out", "int"),
    ("unreciprocated_in", "int"),
    ("betweenness", "double"),
    ("constraint", "double"),
    ("community", "int"),
)

#: Edge attributes in file order; ``mean_<dimension>`` follow ``relationship`` (one per
#: dimension of the instrument, in survey order).  All from ``rated`` on come from an
#: analysis.
EDGE_ATTRIBUTES: Final[tuple[tuple[str, GraphMLType], ...]] = (
    ("named", "boolean"),
    ("arrows", "int"),
    ("waves", "string"),
    ("rated", "boolean"),
    ("rc", "double"),
    ("communication", "double"),
    ("relationship", "double"),
    ("lowest_dimension", "string"),
    ("gap", "double"),
    ("n_respondents", "int"),
    ("band", "string"),
    ("weight", "double"),
    ("label", "string"),
)

_PREFIX: Final[Mapping[Domain, str]] = {"graph": "g_", "node": "n_", "edge": "e_"}
_SAFE_KEY = re.compile(r"[\w.-]+")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
     "\r": "&#13;"}
)


@attrs.frozen
class AttributeKey:
    """A declared attribute: its ``domain`` (graph, node, edge), ``name`` and ``type``."""

    domain: Domain
    name: str
    type: GraphMLType


@attrs.frozen
class NetworkElement:
    """One node or edge (or the graph): its XML attributes and its data, in order."""

    attributes: tuple[tuple[str, str], ...]
    data: tuple[tuple[str, Value], ...]
    where: str


def _check_text(text: str, where: str) -> str:
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise InvalidInputError(
            where, f"contains the character U+{ord(bad.group()):04X}, which XML 1.0 (and so "
            "the network files (GraphML, GEXF, Cytoscape.js) cannot hold; remove it to export"
        )
    return text


def value_text(value: Value, kind: GraphMLType) -> str:
    """The text of ``value`` as a ``kind`` (the declared type of its key); GEXF's
    attribute values are written the same way."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))
    if kind == "double":
        return repr(float(value))
    return str(value)


def _present(value: object) -> bool:
    """Whether a value is there (not None, not NaN)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def element_data(pairs: Iterable[tuple[str, object]]) -> tuple[tuple[str, Value], ...]:
    """The ``(name, value)`` pairs that have a value: None, NaN and infinities are left
    out, numpy scalars become Python numbers."""
    out: list[tuple[str, Value]] = []
    for name, value in pairs:
        if _present(value):
            if hasattr(value, "item"):  # a numpy scalar
                value = value.item()
            if not isinstance(value, bool | int | float | str):
                raise TypeError(f"GraphML attribute {name!r}: unsupported value {value!r}")
            if isinstance(value, float) and math.isinf(value):
                continue
            out.append((name, value))
    return tuple(out)


def graph_element(study: Study, analysis: Analysis | None) -> NetworkElement:
    """The graph's attributes
    ([`GRAPH_ATTRIBUTES`][relcoord.formats.graphml.writer.GRAPH_ATTRIBUTES]): the study's metadata
    and, with an analysis, its settings and overall RC."""
    meta = study.metadata
    pairs: list[tuple[str, object]] = [
        ("relcoord_graphml", FORMAT_VERSION),
        ("study", meta.id),
        # empty strings are left out: a GraphML reader cannot tell "" from "no value"
        ("title", meta.title or None),
        ("focal_process", meta.focal_process or None),
        ("language", meta.language or None),
        ("description", meta.description or None),
        ("instrument", study.instrument.id),
    ]
    if analysis is not None:
        settings, result = analysis.settings, analysis.scores
        pairs += [
            ("weighting", settings.weighting),
            ("min_items", result.min_items),
            ("min_respondents", settings.min_respondents),
            ("band_low", settings.bands[0]),
            ("band_high", settings.bands[1]),
            ("degree_basis", analysis.degree_basis),
            ("rc", result.overall.rc),
            ("communication", result.overall.communication),
            ("relationship", result.overall.relationship),
            ("band", result.overall.band),
            ("n_respondents", result.overall.n_respondents),
        ]
    for name, value in pairs:
        if isinstance(value, str):
            _check_text(value, f"$.study.{name}")
    return NetworkElement(attributes=(("id", "G"), ("edgedefault", "directed")),
                          data=element_data(pairs), where="$.study")


def _role_metrics(
    summary: RoleSummary | None, network: RoleNetworkMetrics | None
) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = []
    if summary is not None:
        pairs += [
            ("in_degree", summary.in_degree),
            ("out_degree", summary.out_degree),
            ("reciprocated", summary.reciprocated),
            ("n_respondents", summary.n_respondents),
            ("n_raters", summary.n_raters),
            ("rc_as_rater", summary.rc_as_rater),
            ("rc_as_target", summary.rc_as_target),
            ("rc_within", summary.rc_within),
            ("n_rated_ties", summary.n_rated_ties),
            ("n_weak_ties", summary.n_weak_ties),
            ("weak_share", summary.weak_share),
        ]
    if network is not None:
        pairs += [
            ("in_strength", network.in_strength),
            ("pagerank", network.pagerank),
            ("reciprocity", network.reciprocity),
            ("unreciprocated_out", network.unreciprocated_out),
            ("unreciprocated_in", network.unreciprocated_in),
            ("betweenness", network.betweenness),
            ("constraint", network.constraint),
            ("community", network.community),
        ]
    return pairs


def node_elements(study: Study, analysis: Analysis | None) -> Iterator[NetworkElement]:
    """One node per role, in study order, with
    [`NODE_ATTRIBUTES`][relcoord.formats.graphml.writer.NODE_ATTRIBUTES]."""
    summaries = {s.id: s for s in analysis.roles} if analysis is not None else {}
    network = {m.role: m for m in analysis.network.roles} if analysis is not None else {}
    for i, role in enumerate(study.roles):
        where = study.input_path("roles", i)  # the place in the user's file
        _check_text(role.id, f"{where}.id")
        _check_text(role.name, f"{where}.name")
        if role.organisation is not None:
            _check_text(role.organisation, f"{where}.organisation")
        pairs: list[tuple[str, object]] = [
            ("label", role.name or None),
            ("name", role.name or None),
        ]
        for language, text in role.names:
            _check_text(language, f"{where}.names")
            _check_text(text, f"{where}.names.{language}")
            pairs.append((f"name_{language}", text or None))
        pairs += [("organisation", role.organisation or None), ("present", role.present)]
        pairs += _role_metrics(summaries.get(role.id), network.get(role.id))
        yield NetworkElement(attributes=(("id", role.id),), data=element_data(pairs),
                             where=where)


def _waves(ties: Sequence[NamedTie]) -> str | None:
    """The waves of a pair's arrows as a JSON array (``null`` for no wave), or None."""
    waves = sorted({t.wave for t in ties}, key=lambda w: (w is not None, w or ""))
    if waves == [None]:
        return None
    return json.dumps(waves, ensure_ascii=False)


def _tie_metrics(tie: RatedTie, lang: str) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = [
        ("rc", tie.rc),
        ("communication", tie.communication),
        ("relationship", tie.relationship),
    ]
    pairs += [(f"mean_{key}", value) for key, value in tie.dimensions.items()]
    pairs += [
        ("lowest_dimension", tie.lowest_dimension),
        ("gap", tie.gap),
        ("n_respondents", tie.n_respondents),
        ("band", tie.band),
        # what Gephi, igraph and networkx read as the edge weight, and the arrow's label;
        # a withheld tie has no RC, so neither
        ("weight", tie.rc),
        ("label", edge_label(tie.rc, lang) if tie.rc is not None else None),
    ]
    return pairs


def edge_elements(
    study: Study, analysis: Analysis | None, lang: str
) -> Iterator[NetworkElement]:
    """One edge per ``source -> target`` pair that is a named arrow or a rated tie, by
    source then target, with [`EDGE_ATTRIBUTES`][relcoord.formats.graphml.writer.EDGE_ATTRIBUTES]
    (``label`` in ``lang``'s style)."""
    arrows: dict[tuple[str, str], list[NamedTie]] = {}
    for i, tie in enumerate(study.ties):
        if tie.wave is not None:
            _check_text(tie.wave, f"{study.input_path('ties', i)}.wave")
        arrows.setdefault((tie.source, tie.target), []).append(tie)
    rated = {(t.source, t.target): t for t in analysis.scores.ties} if analysis else {}
    for source, target in sorted(arrows.keys() | rated.keys()):
        named = arrows.get((source, target), [])
        pairs: list[tuple[str, object]] = [
            ("named", bool(named)),
            ("arrows", len(named)),
            ("waves", _waves(named) if named else None),
        ]
        if analysis is not None:
            score = rated.get((source, target))
            pairs.append(("rated", score is not None))
            if score is not None:
                pairs += _tie_metrics(score, lang)
        yield NetworkElement(attributes=(("source", source), ("target", target)),
                             data=element_data(pairs), where=f"edge {source!r} -> {target!r}")


def used_keys(
    domain: Domain, fixed: Sequence[tuple[str, GraphMLType]], extra: Sequence[str],
    extra_after: str, extra_type: GraphMLType, elements: Sequence[NetworkElement],
) -> dict[str, AttributeKey]:
    """The keys of one domain that some element uses, in file order, by attribute name."""
    used = {name for element in elements for name, _ in element.data}
    order: list[tuple[str, GraphMLType]] = []
    for name, kind in fixed:
        order.append((name, kind))
        if name == extra_after:
            order += [(e, extra_type) for e in extra]
    return {name: AttributeKey(domain, name, kind) for name, kind in order if name in used}


def key_ids(keys: Iterable[AttributeKey]) -> dict[tuple[Domain, str], str]:
    """A unique, prefixed id per key: ``n_rc_as_rater``; ``n_k3`` for an unusual name."""
    ids: dict[tuple[Domain, str], str] = {}
    taken: set[str] = set()
    for number, key in enumerate(keys):
        candidate = _PREFIX[key.domain] + key.name
        if not _SAFE_KEY.fullmatch(candidate) or candidate in taken:
            candidate = f"{_PREFIX[key.domain]}k{number}"
        taken.add(candidate)
        ids[key.domain, key.name] = candidate
    return ids


def _attributes(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{value.translate(_ATTRIBUTE_ESCAPES)}"' for name, value in pairs)


def _write_element(
    lines: list[str], tag: str, element: NetworkElement, keys: Mapping[str, AttributeKey],
    ids: Mapping[tuple[Domain, str], str], indent: str, graphics: Sequence[str] = (),
) -> None:
    attributes = _attributes(element.attributes)
    if not element.data and not graphics:
        lines.append(f"{indent}<{tag}{attributes} />")
        return
    lines.append(f"{indent}<{tag}{attributes}>")
    for name, value in element.data:
        key = keys[name]
        text = value_text(value, key.type).translate(_TEXT_ESCAPES)
        lines.append(f'{indent}  <data key="{ids[key.domain, name]}">{text}</data>')
    lines += [f"{indent}  {line}" for line in graphics]
    lines.append(f"{indent}</{tag}>")


def _number(value: float) -> str:
    return repr(round(float(value), 3))


def _yed_node(role: str, name: str, style: NodeStyle) -> list[str]:
    """A role as a yEd shape node: a circle at its map position (yEd's ``y`` points down and
    ``x``, ``y`` are the top-left corner), its organisation's fill, its name below it;
    an absent role white with a dashed border in that colour."""
    half = style.size / 2
    fill, border, kind, width = ((style.colour, "#FFFFFF", "line", "1.2") if style.present
                                 else ("#FFFFFF", style.colour, "dashed", "1.6"))
    label = name.translate(_TEXT_ESCAPES)
    return [
        f'<data key="{YED_NODE_KEY}">',
        "  <y:ShapeNode>",
        f'    <y:Geometry height="{_number(style.size)}" width="{_number(style.size)}" '
        f'x="{_number(style.x - half)}" y="{_number(-style.y - half)}" />',
        f'    <y:Fill color="{fill}" transparent="false" />',
        f'    <y:BorderStyle color="{border}" type="{kind}" width="{width}" />',
        f'    <y:NodeLabel fontSize="10" modelName="sandwich" modelPosition="s" '
        f'textColor="{"#222222" if style.present else "#555555"}">{label}</y:NodeLabel>',
        '    <y:Shape type="ellipse" />',
        "  </y:ShapeNode>",
        "</data>",
    ]


def _yed_edge(style: EdgeStyle) -> list[str]:
    """An arrow as a yEd edge in its band's colour with its RC as label; the two arrows of
    a pair that points both ways are arcs, each bending to its own side."""
    kind = "ArcEdge" if style.curved else "PolyLineEdge"
    line = "dotted" if style.line == "dotted" else "line"
    lines = [
        f'<data key="{YED_EDGE_KEY}">',
        f"  <y:{kind}>",
        f'    <y:LineStyle color="{style.colour}" type="{line}" width="{_number(style.width)}" />',
        '    <y:Arrows source="none" target="standard" />',
    ]
    if style.label is not None:
        lines.append(f'    <y:EdgeLabel fontSize="9">{style.label}</y:EdgeLabel>')
    lines.append('    <y:Arc height="18.0" ratio="1.0" type="fixedHeight" />' if style.curved
                 else '    <y:BendStyle smoothed="false" />')
    lines += [f"  </y:{kind}>", "</data>"]
    return lines


def graphml_bytes(
    study: Study, analysis: Analysis | None = None, *, lang: str | None = None,
    style: GraphMLStyle = "plain",
) -> bytes:
    """The GraphML document of ``study`` (and ``analysis``, when given) as UTF-8 bytes.

    Nodes are the roles (node id = role id) with ``id``, ``label`` and ``name`` (the role's
    name), ``name_<language>`` per other language, ``organisation`` and ``present``; edges
    are the named arrows (``named=true``, ``arrows``: how many waves name it, ``waves``: a
    JSON array of them when any has a wave).  With an analysis, nodes gain the role's
    degrees, RC as rater and target and network measures, edges also come from every rated
    tie (``rated``) with its RC, sub-indices, ``mean_<dimension>``, respondents, band,
    ``weight`` (the RC, which Gephi reads as the edge weight) and ``label`` (the RC in
    ``lang``'s style, default the analysis's language), and the graph gains the settings
    and overall RC.  Values that are missing or suppressed are left out.

    ``style="yed"`` adds yEd's graphics (yFiles extension): each role a circle where the
    report's map puts it, coloured by organisation and labelled with its name, each arrow
    in its band's colour with its RC as label
    ([`relcoord.formats.network_style`][relcoord.formats.network_style]).

    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] for text XML cannot hold,
    located by its JSON path in the study.
    """
    if analysis is not None and analysis.study is not study and analysis.study != study:
        raise InvalidInputError("analysis", "was computed from another study than the one "
                                "being exported; pass relcoord.analyze(study)")
    lang = lang or (analysis.settings.lang if analysis is not None else "en")
    graph = graph_element(study, analysis)
    nodes = list(node_elements(study, analysis))
    edges = list(edge_elements(study, analysis, lang))
    languages = sorted({language for role in study.roles for language, _ in role.names})
    dimensions = study.instrument.keys
    keys_by_domain = {
        "graph": used_keys("graph", GRAPH_ATTRIBUTES, (), "", "string", [graph]),
        "node": used_keys("node", NODE_ATTRIBUTES, [f"name_{x}" for x in languages], "name",
                          "string", nodes),
        "edge": used_keys("edge", EDGE_ATTRIBUTES, [f"mean_{d}" for d in dimensions],
                          "relationship", "double", edges),
    }
    all_keys = [key for keys in keys_by_domain.values() for key in keys.values()]
    ids = key_ids(all_keys)
    yed = style == "yed"
    namespaces = f' xmlns:y="{YFILES_NAMESPACE}"' if yed else ""
    location = f"{_SCHEMA_LOCATION} {YFILES_NAMESPACE} {_YFILES_SCHEMA}" if yed else (
        _SCHEMA_LOCATION)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{GRAPHML_NAMESPACE}"{namespaces} xmlns:xsi="{_XSI}" '
        f'xsi:schemaLocation="{location}">',
    ]
    for key in all_keys:
        lines.append(
            f'  <key id="{ids[key.domain, key.name]}" for="{key.domain}"'
            f"{_attributes([('attr.name', key.name), ('attr.type', key.type)])} />"
        )
    if yed:
        lines += [f'  <key id="{YED_NODE_KEY}" for="node" yfiles.type="nodegraphics" />',
                  f'  <key id="{YED_EDGE_KEY}" for="edge" yfiles.type="edgegraphics" />']
    graph_attributes = _attributes(graph.attributes)
    lines.append(f"  <graph{graph_attributes}>")
    for name, value in graph.data:
        key = keys_by_domain["graph"][name]
        text = value_text(value, key.type).translate(_TEXT_ESCAPES)
        lines.append(f'    <data key="{ids["graph", name]}">{text}</data>')
    pairs = [(dict(e.attributes)["source"], dict(e.attributes)["target"]) for e in edges]
    drawing = network_style(study, analysis, pairs, lang) if yed else None
    names = {role.id: role.label(lang) for role in study.roles}
    for node in nodes:
        role = dict(node.attributes)["id"]
        graphics = _yed_node(role, names[role], drawing.nodes[role]) if drawing else ()
        _write_element(lines, "node", node, keys_by_domain["node"], ids, "    ", graphics)
    for edge, pair in zip(edges, pairs, strict=True):
        graphics = _yed_edge(drawing.edges[pair]) if drawing else ()
        _write_element(lines, "edge", edge, keys_by_domain["edge"], ids, "    ", graphics)
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines).encode("utf-8")
