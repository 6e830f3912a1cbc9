"""Read Cytoscape.js JSON (a relcoord folder, or a ``.cyjs``/JSON file) into a study.

The elements become a networkx graph and then a study exactly as a GraphML graph does
([`relcoord.formats.graphml.reader.restore_study`][relcoord.formats.graphml.reader.restore_study]):
the study's metadata from the document's ``data``, every node a role (``name``, else ``label``, else
its id; ``organisation``, ``present``, ``name_<language>``), every edge a named arrow with the
waves of its ``waves`` list, except edges with ``named: false`` (rated ties: aggregates).
Elements may be ``{"nodes": [...], "edges": [...]}`` or one list whose items say their
``group``, as Cytoscape.js allows.  Positions, colours, weights and metrics are left aside.

Every problem is refused with its JSON path (``elements.json: $.elements.nodes[3].data.id:
...``).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from relcoord import messages
from relcoord.errors import ImportNote, InvalidInputError
from relcoord.formats.cytoscape.writer import ELEMENTS_FILE
from relcoord.formats.graphml.reader import DEFAULT_INSTRUMENT, restore_study
from relcoord.instruments import INSTRUMENTS
from relcoord.messages.reading import LANGUAGE
from relcoord.model import Study

__all__ = ["elements_file", "read_cytoscape_study"]


def elements_file(source: Path) -> Path:
    """The elements file of ``source``: ``source/elements.json`` for a folder, else itself."""
    return source / ELEMENTS_FILE if source.is_dir() else source


def _load(path: Path, max_bytes: int) -> Any:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidInputError(str(path), f"cannot be read: {error.strerror}") from None
    if size > max_bytes:
        raise InvalidInputError(str(path), f"the file has {size:,} bytes, more than the limit "
                                f"of {max_bytes:,} bytes; raise the option max_bytes to read it")
    raw = path.read_bytes()
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InvalidInputError(str(path), f"is not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise InvalidInputError(f"{path}:{error.lineno}:{error.colno}",
                                f"not valid JSON: {error.msg}") from None
    except RecursionError:
        raise InvalidInputError(str(path), "the JSON is nested too deeply to be a network "
                                "file") from None


def _fail(path: Path, where: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{path}: {where}", message)


def _items(path: Path, document: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """``(group, JSON path, element)`` for every element, in order."""
    elements = document.get("elements")
    if isinstance(elements, Mapping):
        found: list[tuple[str, str, Any]] = []
        for group in ("nodes", "edges"):
            items = elements.get(group, [])
            if not isinstance(items, list):
                raise _fail(path, f"$.elements.{group}", "expected a list of elements")
            found += [(group, f"$.elements.{group}[{i}]", item) for i, item in enumerate(items)]
        return found
    if isinstance(elements, list):
        listed = []
        for i, item in enumerate(elements):
            given = item.get("group") if isinstance(item, Mapping) else None
            data = item.get("data", {}) if isinstance(item, Mapping) else {}
            group = given if given in ("nodes", "edges") else (
                "edges" if isinstance(data, Mapping) and "source" in data else "nodes")
            listed.append((group, f"$.elements[{i}]", item))
        return listed
    raise _fail(path, "$.elements", "expected the elements: an object with 'nodes' and "
                "'edges', or a list (Cytoscape.js JSON)")


def _check_data(path: Path, where: str, data: Mapping[str, Any], group: str) -> None:
    for name in (("present",) if group == "nodes" else ("named",)):
        if name in data and not isinstance(data[name], bool):
            raise _fail(path, f"{where}.data.{name}", f"{data[name]!r} is not true or false")
    if group == "edges" and "waves" in data:
        waves = data["waves"]
        if not (isinstance(waves, list) and waves
                and all(w is None or (isinstance(w, str) and w) for w in waves)):
            raise _fail(path, f"{where}.data.waves", f"{waves!r}: expected a list of wave "
                        'names (null for no wave), e.g. ["conf-1", null]')


def read_cytoscape_study(source: Path, *, max_bytes: int, instrument: str | None = None
                         ) -> Study:
    """The study in a Cytoscape.js JSON folder or file (see the module docstring).

    ``instrument`` is the built-in instrument for a file that names none (default
    [`DEFAULT_INSTRUMENT`][relcoord.formats.graphml.reader.DEFAULT_INSTRUMENT], with a note).
    """
    path = elements_file(Path(source))
    document = _load(path, max_bytes)
    if not isinstance(document, Mapping):
        raise _fail(path, "$", "expected a JSON object with 'elements' (Cytoscape.js JSON)")
    graph = nx.DiGraph()
    meta = document.get("data", {})
    if not isinstance(meta, Mapping):
        raise _fail(path, "$.data", "expected an object of graph attributes")
    graph.graph.update({k: v for k, v in meta.items() if isinstance(v, str | int | float)})
    items = _items(path, document)
    seen: dict[str, str] = {}
    for group, where, item in items:
        data = item.get("data") if isinstance(item, Mapping) else None
        if not isinstance(data, Mapping):
            raise _fail(path, where, "expected an element with a 'data' object")
        _check_data(path, where, data, group)
        if group == "nodes":
            node = data.get("id")
            if not isinstance(node, str) or not node:
                raise _fail(path, f"{where}.data.id", "expected the node's id (text)")
            if node in seen:
                raise _fail(path, f"{where}.data.id", f"node id {node!r} is used twice (first "
                            f"at {seen[node]})")
            seen[node] = where
            graph.add_node(node, **{k: v for k, v in data.items() if k != "id"})
    for group, where, item in items:
        if group != "edges":
            continue
        data = item["data"]
        ends = [data.get("source"), data.get("target")]
        for end, value in zip(("source", "target"), ends, strict=True):
            if not isinstance(value, str) or value not in seen:
                raise _fail(path, f"{where}.data.{end}", f"{value!r} is not the id of a node")
        attributes = {k: v for k, v in data.items() if k not in ("id", "source", "target")}
        if "waves" in attributes:
            attributes["waves"] = json.dumps(attributes["waves"], ensure_ascii=False)
        graph.add_edge(ends[0], ends[1], **attributes)
    if graph.number_of_nodes() == 0:
        raise _fail(path, "$.elements", "the network has no nodes; a study needs at least one "
                    "role")
    named = graph.graph.get("instrument")
    if instrument is None and (named is None or named not in INSTRUMENTS):
        warnings.warn(ImportNote(str(path), messages.text(
            "reading.note.instrument", LANGUAGE, instrument=DEFAULT_INSTRUMENT)), stacklevel=2)
    fallback = path.parent.name if path.name == ELEMENTS_FILE else path.stem
    return restore_study(graph, fallback_id=fallback or "cytoscape",
                         instrument=instrument or DEFAULT_INSTRUMENT)
