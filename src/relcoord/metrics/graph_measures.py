"""Structural measures of a role network, computed with igraph or networkx.

[`measure_network`][relcoord.metrics.graph_measures.measure_network] computes, for a
[`RoleNetwork`][relcoord.role_network.RoleNetwork], each role's degrees, in-strength, PageRank,
returned arrows, betweenness and constraint, and the network's reciprocity and dyad census;
[`communities`][relcoord.metrics.graph_measures.communities] labels Louvain communities. Either
graph library (``backend``) gives the same numbers, which a property test checks; igraph is the fast
one for large person networks.  These are the raw measures of one network;
[`relcoord.metrics.network.network_metrics`][relcoord.metrics.network.network_metrics] turns them
into the analysis' figures per role (with E-I indices, named-but-absent roles and coverage).
"""

from __future__ import annotations

from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.role_network import RoleNetwork

__all__ = [
    "BACKENDS",
    "COMMUNITY_SEED",
    "DAMPING",
    "Backend",
    "NetworkMeasures",
    "communities",
    "measure_network",
]

Backend = Literal["igraph", "networkx"]
#: The graph libraries a measure can be computed with.
BACKENDS: Final[tuple[str, ...]] = get_args(Backend)
#: PageRank's damping factor (Brin & Page 1998 use 0.85).
DAMPING: Final = 0.85
#: The seed of the Louvain community detection, fixed so that results repeat.
COMMUNITY_SEED: Final = 0
#: networkx's PageRank stops when the L1 change per node falls below this; tight enough
#: that its power iteration agrees with igraph's exact (PRPACK) solution to about 1e-12.
_PAGERANK_TOL: Final = 1e-13
_PAGERANK_MAX_ITER: Final = 10_000

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _readonly(array: npt.NDArray[Any]) -> Any:
    array.setflags(write=False)
    return array


@attrs.frozen(eq=False)
class NetworkMeasures:
    """Structural measures of a [`RoleNetwork`][relcoord.role_network.RoleNetwork] computed by one
    backend.

    Arrays run in node order; self-loops are ignored.  ``reciprocated`` counts, per node,
    the out-edges that are returned (equal to the in-edges that are returned);
    ``betweenness`` is normalised by ``(n - 1)(n - 2)``; ``constraint`` is ``NaN`` for a
    node without neighbours.
    """

    backend: Backend
    in_degree: IntArray
    out_degree: IntArray
    in_strength: FloatArray
    pagerank: FloatArray
    reciprocated: IntArray
    betweenness: FloatArray
    constraint: FloatArray
    reciprocity: float | None
    mutual: int
    asymmetric: int
    null: int


def measure_network(network: RoleNetwork, *, backend: Backend = "igraph") -> NetworkMeasures:
    """Degrees, strength, PageRank, reciprocity, dyad census, betweenness and constraint.

    Both backends compute the same quantities from the same edges (self-loops dropped):

    * PageRank (Brin & Page 1998), damping `DAMPING`,
      unweighted, dangling nodes spread evenly;
    * betweenness (Freeman 1977) on directed shortest paths, normalised by
      ``(n - 1)(n - 2)``;
    * Burt's (1992) constraint ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` with
      ``p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki)`` on the unweighted arrows;
    * the dyad census (Holland & Leinhardt 1970): mutual, asymmetric and null pairs.

    ``in_strength`` sums the known edge weights coming in (unknown weights add nothing).
    """
    net = network.without_self_loops()
    if backend == "igraph":
        return _measure_igraph(net)
    if backend == "networkx":
        return _measure_networkx(net)
    raise InvalidInputError("backend", f"expected one of {', '.join(BACKENDS)}, got {backend!r}")


def _betweenness_scale(n: int) -> float:
    return 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # as networkx does


def _array(values: Any, dtype: type[Any]) -> Any:
    return _readonly(np.asarray(list(values), dtype=dtype))


def _measure_igraph(net: RoleNetwork) -> NetworkMeasures:
    graph = net.to_igraph()
    n = net.n_nodes
    known = np.nan_to_num(net.weight, nan=0.0).tolist()
    mutual_edge = np.asarray(graph.is_mutual(), dtype=bool) if net.n_edges else np.zeros(0, bool)
    mutual, asymmetric, null = (int(x) for x in graph.dyad_census())
    reciprocity = float(graph.reciprocity(ignore_loops=True)) if net.n_edges else None
    return NetworkMeasures(
        backend="igraph",
        in_degree=_array(graph.indegree(), np.int64),
        out_degree=_array(graph.outdegree(), np.int64),
        in_strength=_array(graph.strength(mode="in", weights=known), np.float64),
        pagerank=_array(graph.pagerank(directed=True, damping=DAMPING), np.float64),
        reciprocated=_readonly(np.bincount(net.source[mutual_edge], minlength=n).astype(np.int64)),
        betweenness=_array(
            np.asarray(graph.betweenness(directed=True), dtype=np.float64)
            * _betweenness_scale(n),
            np.float64,
        ),
        constraint=_array(graph.constraint(), np.float64),
        reciprocity=reciprocity,
        mutual=mutual,
        asymmetric=asymmetric,
        null=null,
    )


def _measure_networkx(net: RoleNetwork) -> NetworkMeasures:
    import networkx as nx

    graph = net.to_networkx()
    ids = net.role_ids
    n = net.n_nodes
    reciprocated = [
        sum(1 for other in graph.successors(node) if graph.has_edge(other, node)) for node in ids
    ]
    mutual = sum(reciprocated) // 2
    asymmetric = graph.number_of_edges() - 2 * mutual
    strength = [
        sum(d.get("weight", 0.0) for _, _, d in graph.in_edges(node, data=True)) for node in ids
    ]
    pagerank = nx.pagerank(
        graph, alpha=DAMPING, weight=None, tol=_PAGERANK_TOL, max_iter=_PAGERANK_MAX_ITER
    )
    betweenness = nx.betweenness_centrality(graph, normalized=True, weight=None)
    constraint = nx.constraint(graph) if n else {}
    return NetworkMeasures(
        backend="networkx",
        in_degree=_array((graph.in_degree(node) for node in ids), np.int64),
        out_degree=_array((graph.out_degree(node) for node in ids), np.int64),
        in_strength=_array(strength, np.float64),
        pagerank=_array((pagerank[node] for node in ids), np.float64),
        reciprocated=_array(reciprocated, np.int64),
        betweenness=_array((betweenness[node] for node in ids), np.float64),
        constraint=_array((constraint[node] for node in ids), np.float64),
        reciprocity=float(nx.reciprocity(graph)) if graph.number_of_edges() else None,
        mutual=mutual,
        asymmetric=asymmetric,
        null=n * (n - 1) // 2 - mutual - asymmetric,
    )


def communities(network: RoleNetwork) -> IntArray:
    """A community label per node: Louvain modularity on the undirected projection.

    Louvain (Blondel et al. 2008) as implemented by networkx, unweighted, resolution 1,
    seed `COMMUNITY_SEED`, self-loops dropped.  It
    runs in networkx whatever the backend, because igraph's Louvain draws from a process-wide random
    generator that a library must not reseed; one implementation means both backends report the same
    communities.  Labels are renumbered ``0, 1, ...`` by falling size, then by the first
    member in role-id order, so that they repeat from run to run.
    """
    import networkx as nx

    net = network.without_self_loops()
    graph = nx.Graph()
    graph.add_nodes_from(range(net.n_nodes))
    graph.add_edges_from(zip(net.source.tolist(), net.target.tolist(), strict=True))
    found = nx.community.louvain_communities(graph, weight=None, seed=COMMUNITY_SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    labels = np.empty(net.n_nodes, dtype=np.int64)
    for label, members in enumerate(ordered):
        labels[members] = label
    labels.setflags(write=False)
    return labels
