"""The published results as a graph: networkx or igraph, every role and tie figure an
attribute ([`Analysis.to_networkx`][relcoord.analysis_result.Analysis.to_networkx],
[`Analysis.to_igraph`][relcoord.analysis_result.Analysis.to_igraph]).

The graph is built from the published tables ([`relcoord.result_tables`][relcoord.result_tables]),
so it holds what the CSV folder holds and nothing else:

nodes
    one per role, keyed by its id; the attributes are the columns of ``role_metrics``
    (``id``, ``name``, ``organisation``, ``present``, ``in_degree``, ``out_degree``,
    ``rc_as_rater``, ``rc_as_target``, the network measures, ``name_<lang>``...).
edges
    one per pair ``source -> target`` that is rated (a row of ``tie_metrics``) or named
    (a row of ``ties``), self-loops (ties within a role) included.  ``rated`` and ``named``
    say which; ``arrows`` counts the named arrows (one per wave that drew it) and
    ``waves`` lists their waves, ``"; "``-separated (an arrow without a wave is counted in
    ``arrows`` but not listed); the other attributes are the columns of ``tie_metrics``
    (``rc``, ``communication``, ``relationship``, ``n_respondents``, ``band``, ``gap``,
    ``lowest_dimension``, ``dimension_<key>``, ``suppressed``...).
the graph
    ``study``, ``title``, ``language``, ``weighting``, ``band_low``, ``band_high``,
    ``min_respondents``, ``rc`` and ``band`` (the network's), ``degree_basis``.

A missing figure (suppressed, or not defined) is left out of a networkx element's
attributes, so that GraphML writers (which refuse ``None``) take the graph as it is; igraph
gives every element every attribute, so there it is ``None``.
[`relcoord.role_network.from_networkx`][relcoord.role_network.from_networkx] and
[`from_igraph`][relcoord.role_network.from_igraph] read the roles and named ties back.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from relcoord.tables import Table, import_optional

if TYPE_CHECKING:
    import igraph
    import networkx

__all__ = ["result_igraph", "result_networkx"]


def _rows(table: Table) -> Iterator[dict[str, Any]]:
    names = table.column_names
    for values in zip(*(c.values for c in table.columns), strict=True):
        yield {name: _plain(value) for name, value in zip(names, values, strict=True)}


def _plain(value: Any) -> Any:
    """A table value as an attribute: Python scalars, ``None`` for a missing one."""
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _elements(roles: Table, tie_metrics: Table, ties: Table
              ) -> tuple[list[dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    """Node attributes in role order, and edge attributes by ``(source, target)``."""
    nodes = list(_rows(roles))
    tie_columns = [n for n in tie_metrics.column_names if n not in ("source", "target")]
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _rows(tie_metrics):
        pair = (row.pop("source"), row.pop("target"))
        edges[pair] = {"rated": True, "named": False, "arrows": 0, "waves": None, **row}
    for row in _rows(ties):
        pair = (row["source"], row["target"])
        edge = edges.setdefault(pair, {
            "rated": False, "named": False, "arrows": 0, "waves": None,
            **dict.fromkeys(tie_columns)})
        edge["named"] = True
        edge["arrows"] += 1
        if row["wave"] is not None:
            known = edge["waves"]
            edge["waves"] = row["wave"] if known is None else f"{known}; {row['wave']}"
    return nodes, dict(sorted(edges.items()))


def result_networkx(roles: Table, tie_metrics: Table, ties: Table,
                    graph_attributes: Mapping[str, Any]) -> networkx.DiGraph:
    """A `networkx.DiGraph` of the tables ``role_metrics`` (``roles``),
    ``tie_metrics`` and ``ties`` (see the module docstring)."""
    nx = import_optional("networkx", "to_networkx()")
    graph = nx.DiGraph(**{k: v for k, v in graph_attributes.items() if v is not None})
    nodes, edges = _elements(roles, tie_metrics, ties)
    for node in nodes:
        graph.add_node(node["id"], **{k: v for k, v in node.items() if v is not None})
    for (source, target), edge in edges.items():
        graph.add_edge(source, target, **{k: v for k, v in edge.items() if v is not None})
    return graph


def result_igraph(roles: Table, tie_metrics: Table, ties: Table,
                  graph_attributes: Mapping[str, Any]) -> igraph.Graph:
    """A directed `igraph.Graph` of the same tables: vertex ``i`` is the ``i``-th
    role by id; find one with ``graph.vs.find(id="teachers")``."""
    ig = import_optional("igraph", "to_igraph()", package="igraph")
    nodes, edges = _elements(roles, tie_metrics, ties)
    index = {node["id"]: i for i, node in enumerate(nodes)}
    graph = ig.Graph(n=len(nodes), edges=[(index[s], index[t]) for s, t in edges],
                     directed=True)
    for key, value in graph_attributes.items():
        graph[key] = value
    for name in roles.column_names:
        graph.vs[name] = [node[name] for node in nodes]
    for name in dict.fromkeys(k for edge in edges.values() for k in edge):
        graph.es[name] = [edge.get(name) for edge in edges.values()]
    return graph
