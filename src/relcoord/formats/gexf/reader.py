"""Read GEXF (1.1draft, 1.2draft, 1.3) into a study: roles from nodes, named arrows from edges.

The file is parsed by defusedxml
([`parse_untrusted`][relcoord.formats.graphml.safe_xml.parse_untrusted]: no DTD, no
entities, no external references, a size limit), checked, and handed as a parsed tree to
networkx's GEXF reader, which never parses bytes itself; the graph then becomes a study
exactly as a GraphML graph does
([`relcoord.formats.graphml.reader.restore_study`][relcoord.formats.graphml.reader.restore_study]).

What comes back: the study's metadata (from relcoord's attributes on ``<meta>``; a file from
another tool gets the file name as id and ``<description>`` as description), the instrument
when it is a built-in one, every role (``name`` attribute, else the node's ``label``, else
its id; ``organisation``, ``present``, ``name_<language>``) and every named arrow with its
waves (the ``waves`` attribute).  An edge with ``named=false`` is a rated tie, an aggregate,
and is skipped; every other edge of another tool's file is an arrow without a wave.  Colours,
positions, weights, spells and metrics are not study data and are left aside.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import Element

import networkx as nx
from networkx.readwrite.gexf import GEXFReader

from relcoord import messages
from relcoord.errors import ImportNote, InvalidInputError
from relcoord.formats.gexf.writer import RELCOORD_NAMESPACE
from relcoord.formats.graphml.reader import DEFAULT_INSTRUMENT, restore_study
from relcoord.formats.graphml.safe_xml import ParsedXML
from relcoord.instruments import INSTRUMENTS
from relcoord.messages.reading import LANGUAGE
from relcoord.model import Study

__all__ = ["GEXF_VERSIONS", "check_gexf", "read_gexf_study"]

#: The GEXF namespaces read, by the version networkx calls them.
GEXF_VERSIONS: Final[Mapping[str, str]] = {
    "http://gexf.net/1.3": "1.3",
    "http://www.gexf.net/1.3": "1.3",
    "http://www.gexf.net/1.2draft": "1.2draft",
    "http://www.gexf.net/1.1draft": "1.1draft",
}
_RC: Final = f"{{{RELCOORD_NAMESPACE}}}"
_BOOLEAN_TEXT: Final = frozenset({"true", "false", "0", "1"})


def _check_attributes(parsed: ParsedXML, graph: Element, ns: str
                      ) -> dict[str, dict[str, tuple[str, str]]]:
    """The declared attributes as ``{class: {id: (title, type)}}``, with ``present`` and
    ``named`` checked to be booleans."""
    declared: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
    for block in graph.findall(f"{ns}attributes"):
        kind = block.get("class")
        if kind not in declared:
            raise InvalidInputError(parsed.where(block), f"<attributes class={kind!r}>: "
                                    "expected class 'node' or 'edge'")
        for attribute in block.findall(f"{ns}attribute"):
            key = attribute.get("id")
            if not key:
                raise InvalidInputError(parsed.where(attribute), "<attribute> without an id")
            title = attribute.get("title") or key
            kind_of = attribute.get("type", "string")
            if title in ("present", "named") and kind_of != "boolean":
                raise InvalidInputError(parsed.where(attribute), f"attribute {title!r} must "
                                        f"have type boolean, not {kind_of!r}")
            declared[kind][key] = (title, kind_of)
    return declared


def _check_values(parsed: ParsedXML, element: Element, ns: str,
                  declared: Mapping[str, tuple[str, str]], what: str) -> None:
    for value in element.iter(f"{ns}attvalue"):
        key = value.get("for") or value.get("id") or ""
        if key not in declared:
            raise InvalidInputError(parsed.where(value), f"{what} attvalue names the attribute "
                                    f"{key!r}, which no <attributes> block declares")
        text, (title, kind) = value.get("value"), declared[key]
        if text is None:
            raise InvalidInputError(parsed.where(value), f"attvalue for {key!r} has no value")
        if kind == "boolean" and text.lower() not in _BOOLEAN_TEXT:
            raise InvalidInputError(parsed.where(value), f"attribute {title!r}: {text!r} is "
                                    "not a boolean (true or false)")
        if kind in ("integer", "long", "float", "double"):
            try:
                (int if kind in ("integer", "long") else float)(text)
            except ValueError:
                raise InvalidInputError(parsed.where(value), f"attribute {title!r}: {text!r} "
                                        f"is not a valid {kind}") from None
        if title == "waves" and what == "edge":
            try:
                waves = json.loads(text)
            except ValueError:
                waves = None
            if not (isinstance(waves, list) and waves
                    and all(w is None or (isinstance(w, str) and w) for w in waves)):
                raise InvalidInputError(parsed.where(value), f"attribute 'waves' is {text!r}; "
                                        "expected a JSON array of wave names (null for no "
                                        'wave), e.g. ["conf-1", null]')


def check_gexf(parsed: ParsedXML) -> tuple[str, Element]:
    """Check a parsed GEXF document; return its networkx version name and its graph.

    Refuses, at ``file:line:column``: a root that is not ``<gexf>`` of a known version, not
    exactly one graph, nodes without or with repeated ids, edges without ends, attribute
    values naming undeclared attributes or not of their type, and ``present``, ``named`` or
    ``waves`` of the wrong kind.
    """
    root = parsed.root
    namespace, _, tag = root.tag[1:].partition("}") if root.tag.startswith("{") else (
        "", "", root.tag)
    if tag != "gexf":
        raise InvalidInputError(parsed.where(root), f"the root element is <{tag}>, not <gexf>: "
                                "this is not a GEXF file")
    if namespace not in GEXF_VERSIONS:
        raise InvalidInputError(parsed.where(root), f"<gexf> in namespace {namespace!r}; "
                                f"relcoord reads {', '.join(sorted(set(GEXF_VERSIONS)))}")
    ns = f"{{{namespace}}}"
    graphs = root.findall(f"{ns}graph")
    if len(graphs) != 1:
        raise InvalidInputError(parsed.where(graphs[1] if graphs else root),
                                f"the file holds {len(graphs)} graphs; relcoord reads GEXF "
                                "files with exactly one <graph>")
    graph = graphs[0]
    declared = _check_attributes(parsed, graph, ns)
    seen = parsed.unique_nodes(graph.iter(f"{ns}node"))
    for node in seen.values():
        _check_values(parsed, node, ns, declared["node"], "node")
    for edge in graph.iter(f"{ns}edge"):
        for end in ("source", "target"):
            if not edge.get(end):
                raise InvalidInputError(parsed.where(edge), f"<edge> without a {end}")
        weight = edge.get("weight")
        if weight is not None:
            try:
                float(weight)
            except ValueError:
                raise InvalidInputError(parsed.where(edge), f"edge weight {weight!r} is not a "
                                        "number") from None
        _check_values(parsed, edge, ns, declared["edge"], "edge")
    return GEXF_VERSIONS[namespace], graph


def _metadata(parsed: ParsedXML, ns: str) -> dict[str, str]:
    """relcoord's graph attributes on ``<meta>``, and GEXF's own description."""
    meta = parsed.root.find(f"{ns}meta")
    if meta is None:
        return {}
    found = {name.removeprefix(_RC): value for name, value in meta.attrib.items()
             if name.startswith(_RC)}
    description = meta.find(f"{ns}description")
    if "description" not in found and description is not None and description.text:
        found["description"] = description.text
    return found


def read_gexf_study(path: Path, parsed: ParsedXML, *, instrument: str | None = None) -> Study:
    """Check, build and restore: the study in a parsed GEXF file (see the module docstring).

    ``instrument`` is the built-in instrument for a file that names none (default
    [`DEFAULT_INSTRUMENT`][relcoord.formats.graphml.reader.DEFAULT_INSTRUMENT], with a note).
    """
    version, graph_element = check_gexf(parsed)
    reader = GEXFReader(node_type=None, version=version)
    reader.xml = parsed.root
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            graph = reader.make_graph(graph_element)
    except (nx.NetworkXError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise InvalidInputError(parsed.where(graph_element),
                                f"networkx cannot read this graph: {error}") from None
    if graph.number_of_nodes() == 0:
        raise InvalidInputError(parsed.where(graph_element), "the graph has no nodes; a study "
                                "needs at least one role")
    ns = parsed.root.tag.partition("}")[0] + "}"
    graph.graph = {**_metadata(parsed, ns)}
    named = graph.graph.get("instrument")
    if instrument is None and (named is None or named not in INSTRUMENTS):
        warnings.warn(ImportNote(str(path), messages.text(
            "reading.note.instrument", LANGUAGE, instrument=DEFAULT_INSTRUMENT)), stacklevel=2)
    return restore_study(graph, fallback_id=path.stem or "gexf",
                         instrument=instrument or DEFAULT_INSTRUMENT)
