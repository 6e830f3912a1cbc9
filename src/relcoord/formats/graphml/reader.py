"""Read GraphML into a study: roles from nodes, named arrows from edges.

Reading runs in three steps, so that networkx never parses bytes and every error is located:

1. [`parse_untrusted`][relcoord.formats.graphml.safe_xml.parse_untrusted] parses the file with
   defusedxml (no DTD, no entities, no external references; a size limit);
2. [`check_document`][relcoord.formats.graphml.reader.check_document] walks the tree and refuses, at
   ``file:line:column``, what networkx would trip over or silently get wrong: a wrong root element,
   not exactly one graph, hyperedges, keys without a name or with an unknown type, data naming an
   undeclared key or holding a value that is not of its key's type, nodes without ids, duplicate
   node ids, edges without ends, and a ``present``, ``named`` or ``waves`` attribute of the wrong
   kind;
3. networkx's `GraphMLReader` builds the graph from the
   already parsed tree, and [`restore_study`][relcoord.formats.graphml.reader.restore_study] turns
   it into a study.

What comes back (see ``docs/graphml.md``): the study's id, title, focal process, language and
description, the instrument when it is a built-in one, every role with its attributes, and
every named arrow with its wave.  Rated ties (edges with ``named=false``) and every metric
are aggregates: they are read by networkx but not turned into ratings, because individual
ratings cannot be recovered from means.  Files from other tools import too: every node is
a role (its name is the ``name`` attribute, else ``label``, else the node id) and every edge
a named arrow; an undirected edge is an arrow in both directions.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final
from xml.etree.ElementTree import Element

import networkx as nx
from networkx.readwrite.graphml import GraphMLReader

from relcoord import messages
from relcoord.errors import ImportNote, InvalidInputError
from relcoord.formats.graphml.safe_xml import ParsedXML
from relcoord.formats.graphml.writer import GRAPHML_NAMESPACE
from relcoord.instruments import INSTRUMENTS, get_instrument
from relcoord.messages.reading import LANGUAGE
from relcoord.model import Metadata, NamedTie, Role, Study

__all__ = [
    "DEFAULT_INSTRUMENT", "check_document", "read_graph", "read_study", "restore_study",
]

#: The instrument of a study read from a file that names no built-in instrument.
DEFAULT_INSTRUMENT: Final = "rc7"

_NS: Final = f"{{{GRAPHML_NAMESPACE}}}"
_BOOLEAN_TEXT: Final = frozenset({"true", "false", "0", "1"})
#: Attributes the reader interprets, with the GraphML types it accepts for them.
_INTERPRETED: Final[Mapping[tuple[str, str], frozenset[str]]] = {
    ("node", "present"): frozenset({"boolean"}),
    ("edge", "named"): frozenset({"boolean"}),
    ("edge", "waves"): frozenset({"string"}),
}


def _tag(element: Element) -> str:
    return element.tag.removeprefix(_NS)


def _check_value(
    parsed: ParsedXML, element: Element, text: str | None, kind: str, what: str
) -> None:
    """Refuse a value that networkx could not convert to its key's type."""
    if text is None or kind in ("string", "yfiles"):
        return
    where = parsed.where(element)
    if kind == "boolean":
        if text.lower() not in _BOOLEAN_TEXT:
            raise InvalidInputError(where, f"{what}: {text!r} is not a boolean (true or false)")
        return
    convert = int if kind in ("int", "long", "integer") else float
    try:
        convert(text)
    except ValueError:
        raise InvalidInputError(where, f"{what}: {text!r} is not a valid {kind}") from None


def _check_waves(parsed: ParsedXML, element: Element, text: str | None) -> None:
    try:
        waves = json.loads(text or "")
    except ValueError:
        waves = None
    if not (
        isinstance(waves, list) and waves
        and all(w is None or (isinstance(w, str) and w) for w in waves)
    ):
        raise InvalidInputError(
            parsed.where(element),
            f"attribute 'waves' is {text!r}; expected a JSON array of wave names "
            '(null for no wave), e.g. ["conf-1", null]',
        )


def _check_keys(parsed: ParsedXML, types: Mapping[str, Any]) -> dict[str, tuple[str, str, str]]:
    """The declared keys as ``{id: (for, name, type)}``, each checked."""
    keys: dict[str, tuple[str, str, str]] = {}
    for key in parsed.root.findall(f"{_NS}key"):
        where = parsed.where(key)
        key_id = key.get("id")
        if not key_id:
            raise InvalidInputError(where, "<key> without an id")
        if key_id in keys:
            raise InvalidInputError(where, f"key id {key_id!r} is declared twice")
        domain = key.get("for", "all")
        name, kind = key.get("attr.name"), key.get("attr.type", "string")
        if key.get("yfiles.type") is not None:
            name, kind = key.get("yfiles.type"), "yfiles"
        if name is None:
            raise InvalidInputError(where, f"key {key_id!r} has no attr.name")
        if kind not in types:
            known = ", ".join(sorted(t for t in types if t != "yfiles"))
            raise InvalidInputError(where, f"key {key_id!r} has attr.type {kind!r}; GraphML "
                                    f"types are {known}")
        for (kind_for, interpreted), allowed in _INTERPRETED.items():
            if name == interpreted and domain in (kind_for, "all") and kind not in allowed:
                raise InvalidInputError(where, f"attribute {name!r} of {kind_for}s must have "
                                        f"attr.type {' or '.join(sorted(allowed))}, not {kind!r}")
        default = key.find(f"{_NS}default")
        if default is not None:
            if default.text is None:
                raise InvalidInputError(parsed.where(default), f"key {key_id!r}: empty <default>")
            _check_value(parsed, default, default.text, kind, f"default of key {key_id!r}")
        keys[key_id] = (domain, name, kind)
    return keys


def check_document(parsed: ParsedXML) -> Element:
    """Check a parsed GraphML document (see the module docstring); return its graph element.

    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] at ``file:line:column`` for the
    first problem found.
    """
    root = parsed.root
    if root.tag != f"{_NS}graphml":
        found = root.tag.partition("}")[2] or root.tag
        namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else None
        if found == "graphml":
            hint = (f"it is in namespace {namespace!r}" if namespace else "it has no namespace")
            message = (f"the root element <graphml> is not GraphML's: {hint}; expected "
                       f'xmlns="{GRAPHML_NAMESPACE}"')
        else:
            message = f"the root element is <{found}>, not <graphml>: this is not a GraphML file"
        raise InvalidInputError(parsed.where(root), message)
    types = GraphMLReader().python_type
    keys = _check_keys(parsed, types)
    graphs = root.findall(f"{_NS}graph")
    if len(graphs) != 1:
        where = parsed.where(graphs[1] if graphs else root)
        raise InvalidInputError(where, f"the file holds {len(graphs)} graphs; relcoord reads "
                                "GraphML files with exactly one <graph>")
    graph = graphs[0]
    for hyperedge in graph.iter(f"{_NS}hyperedge"):
        raise InvalidInputError(parsed.where(hyperedge), "hyperedges are not supported; a "
                                "role network has only edges between two roles")
    seen = parsed.unique_nodes(graph.iter(f"{_NS}node"))
    default = graph.get("edgedefault", "directed")
    if default not in ("directed", "undirected"):
        raise InvalidInputError(parsed.where(graph), f"edgedefault={default!r}; GraphML "
                                "allows 'directed' or 'undirected'")
    for edge in graph.iter(f"{_NS}edge"):
        for end in ("source", "target"):
            node_id = edge.get(end)
            if not node_id:
                raise InvalidInputError(parsed.where(edge), f"<edge> without a {end}")
            if node_id not in seen:
                raise InvalidInputError(parsed.where(edge), (
                    f"the edge's {end} {node_id!r} is not a <node> of the graph; declare "
                    "every role as a node (relcoord does not invent roles)"))
        directed = edge.get("directed")
        if directed is not None and directed not in ("true", "false"):
            raise InvalidInputError(parsed.where(edge), f"directed={directed!r}; expected "
                                    "true or false")
    for data in root.iter(f"{_NS}data"):
        key_id = data.get("key")
        if key_id not in keys:
            raise InvalidInputError(parsed.where(data), f"<data> names the key {key_id!r}, "
                                    "which is not declared in a <key> element")
        domain, name, kind = keys[key_id]
        if len(data):  # sub-elements: a yFiles extension, read by networkx as such
            continue
        _check_value(parsed, data, data.text, kind, f"attribute {name!r}")
        if name == "waves" and domain in ("edge", "all"):
            _check_waves(parsed, data, data.text)
        if name in ("present", "named") and data.text is None:
            raise InvalidInputError(parsed.where(data), f"attribute {name!r} is empty; "
                                    "expected true or false")
    return graph


def read_graph(parsed: ParsedXML, graph: Element) -> nx.DiGraph | nx.MultiDiGraph | nx.Graph:
    """Build the networkx graph of ``graph`` (checked by
    [`check_document`][relcoord.formats.graphml.reader.check_document]).

    networkx reads the tree that defusedxml parsed; it never parses the bytes itself.  Its
    warnings (a key without a type, yFiles ports) are not errors for us and are silenced.
    """
    reader = GraphMLReader(node_type=str)
    reader.xml = parsed.root
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            keys, defaults = reader.find_graphml_keys(parsed.root)
            result = reader.make_graph(graph, keys, defaults)
    except (nx.NetworkXError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise InvalidInputError(parsed.where(graph), f"networkx cannot read this graph: {error}"
                                ) from None
    return result


def _text(value: object) -> str | None:
    """A non-empty text value, or None."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text or None


def _role(node_id: str, data: Mapping[str, Any]) -> Role:
    name = _text(data.get("name")) or _text(data.get("label")) or node_id
    names = {
        key.removeprefix("name_"): text
        for key, value in data.items()
        if key.startswith("name_") and len(key) > 5 and (text := _text(value)) is not None
    }
    present = data.get("present", True)
    return Role(id=node_id, name=name, organisation=_text(data.get("organisation")),
                present=bool(present), names=names)


def _ties(source: str, target: str, data: Mapping[str, Any], directed: bool) -> list[NamedTie]:
    if data.get("named", True) is False:
        return []  # a rated tie without an arrow: an aggregate, not a fact of the study
    waves_text = data.get("waves")
    waves: list[str | None] = json.loads(waves_text) if isinstance(waves_text, str) else [None]
    ends = [(source, target)] if directed or source == target else [
        (source, target), (target, source)
    ]
    return [NamedTie(s, t, w) for s, t in ends for w in waves]


def restore_study(
    graph: nx.DiGraph | nx.MultiDiGraph | nx.Graph, *, fallback_id: str,
    instrument: str = DEFAULT_INSTRUMENT,
) -> Study:
    """The study a networkx graph read from GraphML describes.

    Graph attributes give the metadata (``study``, ``title``, ``focal_process``,
    ``language``, ``description``; the id falls back to ``fallback_id``) and the instrument
    (``instrument``, when it names a built-in; else the ``instrument`` argument).  Key
    defaults declared in the file apply to nodes and edges without a value.
    """
    attributes = dict(graph.graph)
    node_default = attributes.pop("node_default", {}) or {}
    edge_default = attributes.pop("edge_default", {}) or {}
    metadata = Metadata(
        id=_text(attributes.get("study")) or fallback_id,
        title=_text(attributes.get("title")) or "",
        focal_process=_text(attributes.get("focal_process")) or "",
        language=_text(attributes.get("language")) or "en",
        description=_text(attributes.get("description")) or "",
    )
    named = _text(attributes.get("instrument"))
    chosen = INSTRUMENTS[named] if named is not None and named in INSTRUMENTS else (
        get_instrument(instrument)
    )
    roles = [
        _role(str(node), {**node_default, **data}) for node, data in graph.nodes(data=True)
    ]
    ties: list[NamedTie] = []
    directed = graph.is_directed()
    for source, target, data in graph.edges(data=True):
        ties += _ties(str(source), str(target), {**edge_default, **data}, directed)
    return Study(metadata=metadata, instrument=chosen, roles=roles, ties=ties)


def read_study(path: Path, parsed: ParsedXML, *, instrument: str | None = None) -> Study:
    """Check, build and restore: the study in a parsed GraphML file.

    ``instrument`` is the built-in instrument for a file that names none (default
    [`DEFAULT_INSTRUMENT`][relcoord.formats.graphml.reader.DEFAULT_INSTRUMENT]).
    """
    graph_element = check_document(parsed)
    graph = read_graph(parsed, graph_element)
    if graph.number_of_nodes() == 0:
        raise InvalidInputError(parsed.where(graph_element), "the graph has no nodes; a study "
                                "needs at least one role")
    named = graph.graph.get("instrument")
    if instrument is None and (named is None or str(named) not in INSTRUMENTS):
        warnings.warn(ImportNote(str(path), messages.text(
            "reading.note.instrument", LANGUAGE, instrument=DEFAULT_INSTRUMENT)), stacklevel=2)
    return restore_study(graph, fallback_id=path.stem or "graphml",
                         instrument=instrument or DEFAULT_INSTRUMENT)
