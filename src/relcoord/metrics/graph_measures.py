"""Structural measures of a role network, computed with igraph or networkx.

[`measure_network`][relcoord.metrics.graph_measures.measure_network] computes, for a
[`RoleNetwork`][relcoord.role_network.RoleNetwork], each role's degrees, in-strength, PageRank,
returned arrows, betweenness and constraint, and the network's reciprocity and dyad census;
betweenness is exact, or on a large person network estimated from a seeded sample of source
nodes ([`sampled_betweenness_pivots`][relcoord.metrics.graph_measures.sampled_betweenness_pivots]);
[`communities`][relcoord.metrics.graph_measures.communities] labels Louvain communities. Either
graph library (``backend``) gives the same numbers, which a property test checks; igraph is the fast
one for large person networks.  These are the raw measures of one network;
[`relcoord.metrics.network.network_metrics`][relcoord.metrics.network.network_metrics] turns them
into the analysis' figures per role (with E-I indices, named-but-absent roles and coverage).
"""

from __future__ import annotations

import functools
import random
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.optional_dependencies import is_available, require
from relcoord.role_network import RoleNetwork

__all__ = [
    "BACKENDS",
    "BETWEENNESS_PIVOTS",
    "BETWEENNESS_SEED",
    "COMMUNITY_SEED",
    "DAMPING",
    "EXACT_BETWEENNESS_WORK",
    "LEIDEN_FROM_NODES",
    "LEIDEN_ITERATIONS",
    "Backend",
    "CommunityMethod",
    "NetworkMeasures",
    "communities",
    "community_method",
    "measure_network",
    "pivot_nodes",
    "sampled_betweenness_pivots",
]

Backend = Literal["igraph", "networkx"]
#: How [`communities`][relcoord.metrics.graph_measures.communities] finds communities:
#: ``"auto"`` by the network's size, or the algorithm named.
CommunityMethod = Literal["auto", "louvain", "leiden"]
#: The graph libraries a measure can be computed with.
BACKENDS: Final[tuple[str, ...]] = get_args(Backend)
#: PageRank's damping factor (Brin & Page 1998 use 0.85).
DAMPING: Final = 0.85
#: The seed of the community detection (Louvain or Leiden), fixed so that results repeat.
COMMUNITY_SEED: Final = 0
#: From this many nodes the communities are Leiden's when leidenalg is installed (see
#: [`communities`][relcoord.metrics.graph_measures.communities]): networkx's Louvain takes
#: minutes on a person network of 100,000 nodes, leidenalg seconds
#: (``benchmarks/bench_betweenness.py --communities``); a role network, even of 2,000 roles,
#: stays with Louvain.
LEIDEN_FROM_NODES: Final = 10_000
#: Iterations of Leiden's algorithm (leidenalg's default, which its authors find enough in
#: practice): on a clustered person network of 100,000 nodes, 2 iterations reach a
#: modularity of 0.7908 in 13 s of CPU, iterating until no move improves it 0.7911 in 163 s.
LEIDEN_ITERATIONS: Final = 2
#: Betweenness is exact, unless asked otherwise, while ``nodes x arrows`` (the work of
#: Brandes' algorithm: one breadth-first search per node) is at most this: about a second
#: of igraph on a busy 2-core machine (``benchmarks/bench_betweenness.py``).  Beyond, it is
#: estimated from [`BETWEENNESS_PIVOTS`][relcoord.metrics.graph_measures.BETWEENNESS_PIVOTS]
#: sampled source nodes, so that it costs ``pivots x arrows``: linear in the arrows, at most
#: quadratic in the roles, where the exact value is cubic (2,000 roles that each rate 30
#: others: 4 s exact; 100,000 persons naming 5 others each: an hour).
EXACT_BETWEENNESS_WORK: Final = 20_000_000
#: Source nodes (pivots) of the sampled betweenness unless asked otherwise: the estimate of a
#: node's betweenness has a relative standard error of about ``1 / sqrt(pivots)`` where
#: its betweenness is large (Brandes & Pich 2007), 10 % here.
BETWEENNESS_PIVOTS: Final = 100
#: The seed of the pivot draw, fixed so that results repeat.
BETWEENNESS_SEED: Final = 0
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
    ``betweenness`` is normalised by ``(n - 1)(n - 2)``, exact when ``betweenness_pivots``
    is ``None``, else estimated from that many sampled source nodes (see
    [`measure_network`][relcoord.metrics.graph_measures.measure_network]); ``constraint``
    is ``NaN`` for a node without neighbours.
    """

    backend: Backend
    betweenness_pivots: int | None
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


def sampled_betweenness_pivots(n_nodes: int, pivots: int | Literal["auto", "exact"] = "auto",
                                n_arrows: int = 0) -> int | None:
    """How many sampled source nodes the betweenness of a network of ``n_nodes`` and
    ``n_arrows`` uses: ``None`` for exact betweenness.

    ``"auto"``: exact while ``n_nodes x n_arrows`` is at most
    [`EXACT_BETWEENNESS_WORK`][relcoord.metrics.graph_measures.EXACT_BETWEENNESS_WORK], else
    [`BETWEENNESS_PIVOTS`][relcoord.metrics.graph_measures.BETWEENNESS_PIVOTS] (exact when that
    reaches the nodes);
    ``"exact"``: always exact; a number ``k`` (at least 2): ``k`` pivots, exact when ``k``
    reaches the number of nodes.

    Raises:
        InvalidInputError: ``pivots`` is not ``"auto"``, ``"exact"`` or a whole number of
            at least 2.
    """
    if pivots == "exact":
        return None
    if pivots == "auto":
        if n_nodes * n_arrows <= EXACT_BETWEENNESS_WORK:
            return None
        pivots = BETWEENNESS_PIVOTS
    if isinstance(pivots, bool) or not isinstance(pivots, int) or pivots < 2:
        raise InvalidInputError(
            "betweenness_pivots", f"expected 'auto', 'exact' or a whole number of at least 2 "
            f"sampled source nodes, got {pivots!r}")
    return None if pivots >= n_nodes else pivots


def pivot_nodes(n_nodes: int, pivots: int, seed: int = BETWEENNESS_SEED) -> list[int]:
    """The sampled source nodes: ``pivots`` distinct node positions drawn uniformly without
    replacement by ``random.Random(seed).sample``, the draw networkx's
    ``betweenness_centrality(k=pivots, seed=seed)`` makes over the nodes in the same order."""
    return random.Random(seed).sample(range(n_nodes), pivots)


def measure_network(network: RoleNetwork, *, backend: Backend = "igraph",
                    betweenness_pivots: int | None = None,
                    seed: int = BETWEENNESS_SEED) -> NetworkMeasures:
    """Degrees, strength, PageRank, reciprocity, dyad census, betweenness and constraint.

    Both backends compute the same quantities from the same edges (self-loops dropped):

    * PageRank (Brin & Page 1998), damping `DAMPING`,
      unweighted, dangling nodes spread evenly;
    * betweenness (Freeman 1977) on directed shortest paths, normalised by
      ``(n - 1)(n - 2)``, by Brandes' (2001) algorithm: one breadth-first search per source
      node.  With ``betweenness_pivots = k`` (fewer than the nodes) only ``k`` source nodes
      ``S`` are searched ([`pivot_nodes`][relcoord.metrics.graph_measures.pivot_nodes], seeded), and
      a node's betweenness is estimated as ``sum over s in S of delta_s(v) / (k_v (n - 2))``
      with ``delta_s(v)`` the dependency of ``s`` on ``v`` and ``k_v`` the pivots other than
      ``v`` (``k - 1`` when ``v`` is one, else ``k``): Brandes & Pich's (2007) pivot
      estimator with uniform random pivots, unbiased given whether ``v`` was drawn, the
      scaling networkx's ``betweenness_centrality(k=...)`` uses.  With ``k`` equal to the
      nodes it is the exact value;
    * Burt's (1992) constraint ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` with
      ``p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki)`` on the unweighted arrows;
    * the dyad census (Holland & Leinhardt 1970): mutual, asymmetric and null pairs.

    ``in_strength`` sums the known edge weights coming in (unknown weights add nothing).

    Sources:
        Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
        Mathematical Sociology* 25(2), 163-177.
        Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
        *International Journal of Bifurcation and Chaos* 17(7), 2303-2318.

    Raises:
        InvalidInputError: an unknown ``backend``, or ``betweenness_pivots`` below 2.
    """
    net = network.without_self_loops()
    if betweenness_pivots is not None:
        betweenness_pivots = sampled_betweenness_pivots(net.n_nodes, betweenness_pivots)
    if net.n_nodes <= 2:
        betweenness_pivots = None
    if backend == "igraph":
        return _measure_igraph(net, betweenness_pivots, seed)
    if backend == "networkx":
        return _measure_networkx(net, betweenness_pivots, seed)
    raise InvalidInputError("backend", f"expected one of {', '.join(BACKENDS)}, got {backend!r}")


def _betweenness_scale(n: int) -> float:
    return 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # as networkx does


def _array(values: Any, dtype: type[Any]) -> Any:
    return _readonly(np.asarray(list(values), dtype=dtype))


def _igraph_betweenness(graph: Any, n: int, pivots: int | None, seed: int) -> FloatArray:
    """Exact, or the pivot estimate (see
    [`measure_network`][relcoord.metrics.graph_measures.measure_network])."""
    if pivots is None:
        return np.asarray(graph.betweenness(directed=True), dtype=np.float64) * (
            _betweenness_scale(n))
    sources = pivot_nodes(n, pivots, seed)
    raw = np.asarray(graph.betweenness(directed=True, sources=sources), dtype=np.float64)
    others = np.full(n, float(pivots))
    others[sources] -= 1.0
    return np.asarray(raw / (others * (n - 2)), dtype=np.float64)


def _measure_igraph(net: RoleNetwork, pivots: int | None, seed: int) -> NetworkMeasures:
    """The measures with igraph, on one OpenMP thread.

    igraph's PageRank (PRPACK) runs its iteration on OpenMP threads: on a busy machine the
    threads wait for each other (2,000 roles, 150,000 arrows: 0.4-1.6 s on two threads,
    0.35 s on one, `benchmarks/bench_many_roles.py`), and the threads' partial sums make
    the last bits of every value vary from call to call (about 1e-15).  On one thread it
    is steady and repeats exactly.
    """
    with _openmp_runtimes().limit(limits=1, user_api="openmp"):
        return _igraph_measures(net, pivots, seed)


@functools.cache
def _openmp_runtimes() -> Any:
    """threadpoolctl's controller of the thread pools loaded once igraph is imported, made
    once: ``threadpool_limits`` scans every loaded library on each call (a millisecond or
    more), and igraph's OpenMP runtime, the one whose threads are limited, is loaded with
    igraph."""
    require("igraph", "measuring a network with igraph")
    from threadpoolctl import ThreadpoolController  # imported when igraph measures a network

    return ThreadpoolController()


def _igraph_measures(net: RoleNetwork, pivots: int | None, seed: int) -> NetworkMeasures:
    graph = net.to_igraph()
    n = net.n_nodes
    known = np.nan_to_num(net.weight, nan=0.0).tolist()
    mutual_edge = np.asarray(graph.is_mutual(), dtype=bool) if net.n_edges else np.zeros(0, bool)
    mutual, asymmetric, null = (int(x) for x in graph.dyad_census())
    reciprocity = float(graph.reciprocity(ignore_loops=True)) if net.n_edges else None
    return NetworkMeasures(
        backend="igraph",
        betweenness_pivots=pivots,
        in_degree=_array(graph.indegree(), np.int64),
        out_degree=_array(graph.outdegree(), np.int64),
        in_strength=_array(graph.strength(mode="in", weights=known), np.float64),
        pagerank=_array(graph.pagerank(directed=True, damping=DAMPING), np.float64),
        reciprocated=_readonly(np.bincount(net.source[mutual_edge], minlength=n).astype(np.int64)),
        betweenness=_readonly(_igraph_betweenness(graph, n, pivots, seed)),
        constraint=_array(graph.constraint(), np.float64),
        reciprocity=reciprocity,
        mutual=mutual,
        asymmetric=asymmetric,
        null=null,
    )


def _measure_networkx(net: RoleNetwork, pivots: int | None, seed: int) -> NetworkMeasures:
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
    # k nodes drawn by random.Random(seed).sample over the nodes in role order: pivot_nodes
    betweenness = nx.betweenness_centrality(graph, k=pivots, normalized=True, weight=None,
                                            seed=random.Random(seed))
    constraint = nx.constraint(graph) if n else {}
    return NetworkMeasures(
        backend="networkx",
        betweenness_pivots=pivots,
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


def _leiden(n_nodes: int, source: IntArray, target: IntArray) -> list[list[int]]:
    """Leiden's modularity communities of the undirected graph of the edges
    ``source[i] - target[i]`` (see `communities`), as lists of nodes."""
    igraph = require("igraph", "Leiden communities of a large network")
    leidenalg = require("leidenalg", "Leiden communities of a large network")
    graph = igraph.Graph(n=n_nodes, edges=np.column_stack([source, target]).tolist())
    partition = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition,
                                         n_iterations=LEIDEN_ITERATIONS, seed=COMMUNITY_SEED)
    return [list(members) for members in partition]


def community_method(n_nodes: int) -> str:
    """How [`communities`][relcoord.metrics.graph_measures.communities] finds the communities
    of a network of ``n_nodes`` nodes, as
    [`NetworkMetrics.community_method`][relcoord.metrics.network.NetworkMetrics.community_method]
    states it: Louvain in networkx up to
    [`LEIDEN_FROM_NODES`][relcoord.metrics.graph_measures.LEIDEN_FROM_NODES] nodes (and beyond
    when leidenalg is not installed), else Leiden in leidenalg."""
    if n_nodes >= LEIDEN_FROM_NODES and is_available("leidenalg"):
        return (f"leiden(leidenalg, undirected, unweighted, modularity, "
                f"{LEIDEN_ITERATIONS} iterations, seed={COMMUNITY_SEED})")
    return f"louvain(networkx, undirected, unweighted, resolution=1, seed={COMMUNITY_SEED})"


def communities(network: RoleNetwork, *, method: CommunityMethod = "auto") -> IntArray:
    """A community label per node: modularity communities of the undirected projection.

    Louvain (Blondel et al. 2008) as implemented by networkx, unweighted, resolution 1,
    seed `COMMUNITY_SEED`, self-loops dropped.  It runs in networkx whatever the backend,
    because igraph's Louvain draws from a process-wide random generator that a library must
    not reseed; one implementation means both backends report the same communities.

    From [`LEIDEN_FROM_NODES`][relcoord.metrics.graph_measures.LEIDEN_FROM_NODES] nodes (a
    person network) networkx's Louvain takes minutes, so when leidenalg is installed (the
    ``igraph`` extra) the communities are Leiden's (Traag, Waltman & van Eck 2019: Louvain's
    moves, then a refinement that keeps every community connected), optimising the same
    modularity, unweighted, in
    [`LEIDEN_ITERATIONS`][relcoord.metrics.graph_measures.LEIDEN_ITERATIONS] iterations, from
    leidenalg's own random generator seeded with `COMMUNITY_SEED`.
    [`community_method`][relcoord.metrics.graph_measures.community_method] says which;
    ``method`` ``"louvain"`` or ``"leiden"`` asks for one whatever the size (``"leiden"``
    raises [`MissingDependencyError`][relcoord.optional_dependencies.MissingDependencyError]
    without leidenalg).  Labels are renumbered ``0, 1, ...`` by falling size, then by the
    first member in role-id order, so that they repeat from run to run.
    """
    net = network.without_self_loops()
    # each undirected edge once, at its first arrow: an arrow whose pair is in already would
    # only set that edge again, which changes neither the graph nor its order
    pair = np.minimum(net.source, net.target).astype(np.int64) * max(net.n_nodes, 1)
    pair += np.maximum(net.source, net.target)
    _, first = np.unique(pair, return_index=True)
    first.sort()
    source, target = net.source[first], net.target[first]
    if method not in get_args(CommunityMethod):
        raise ValueError(f"method must be one of {get_args(CommunityMethod)}, got {method!r}")
    if method == "leiden" or (method == "auto"
                              and community_method(net.n_nodes).startswith("leiden")):
        found = _leiden(net.n_nodes, source, target)
    else:
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(net.n_nodes))
        graph.add_edges_from(zip(source.tolist(), target.tolist(), strict=True))
        found = nx.community.louvain_communities(graph, weight=None, seed=COMMUNITY_SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    labels = np.empty(net.n_nodes, dtype=np.int64)
    for label, members in enumerate(ordered):
        labels[members] = label
    labels.setflags(write=False)
    return labels
