"""Role networks as graphs: the adapters to networkx and igraph, and the measures they compute.

This is the only module that imports :mod:`networkx` and :mod:`igraph`.  A study holds two
networks between its roles:

* the **named arrows** (``basis="arrows"``): one edge ``A -> B`` for every distinct arrow
  that group ``A`` drew to group ``B`` on the relationship map (relationskort);
* the **rating-implied ties** (``basis="ratings"``): one edge ``A -> B`` wherever a respondent
  of ``A`` rated ``B`` on at least one item (a role a respondent skipped entirely is an
  absent tie, not a weak one).

:func:`role_network` turns a study into a backend-neutral :class:`RoleNetwork` (numpy edge
arrays); :func:`to_networkx` and :func:`to_igraph` turn that into a graph for interchange or
for heavy lifting; :func:`measure_network` computes the structural measures with either
backend so that :func:`relcoord.metrics.network.network_metrics` never touches a graph
library itself, and the two backends can be checked against each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.model import Role, Study

if TYPE_CHECKING:
    import igraph
    import networkx

__all__ = [
    "BACKENDS",
    "BASES",
    "COMMUNITY_SEED",
    "DAMPING",
    "Backend",
    "Basis",
    "NetworkMeasures",
    "RoleNetwork",
    "check_wave",
    "communities",
    "measure_network",
    "resolve_basis",
    "role_network",
    "to_igraph",
    "to_networkx",
]

Basis = Literal["auto", "arrows", "ratings"]
Backend = Literal["igraph", "networkx"]
#: The accepted ``basis`` values: ``auto`` resolves to ``arrows`` or ``ratings``.
BASES: Final[tuple[str, ...]] = get_args(Basis)
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
AnyIntArray = npt.NDArray[np.signedinteger[Any]]
FloatArray = npt.NDArray[np.float64]


def _readonly(array: npt.NDArray[Any]) -> Any:
    array.setflags(write=False)
    return array


@attrs.frozen(eq=False)
class RoleNetwork:
    """A directed network between the roles of a study, held as numpy edge arrays.

    Nodes are :attr:`roles` in the study's order (sorted by id); edge ``k`` runs from
    ``roles[source[k]]`` to ``roles[target[k]]``.  Edges are distinct and sorted by
    ``(source, target)``.  ``count`` is the number of waves in which an arrow was named
    (``basis="arrows"``) or the number of ratings behind a rating-implied tie
    (``basis="ratings"``).  ``weight`` is the edge weight: the caller's tie value (e.g. the
    tie RC) when :attr:`weighted`, ``NaN`` where the caller gave none; otherwise ``count``.
    """

    roles: tuple[Role, ...]
    source: IntArray
    target: IntArray
    count: IntArray
    weight: FloatArray
    basis: Literal["arrows", "ratings"]
    wave: str | None = None
    weighted: bool = False
    study_id: str = ""

    @property
    def role_ids(self) -> tuple[str, ...]:
        """Node ids, in node order."""
        return tuple(r.id for r in self.roles)

    @property
    def n_nodes(self) -> int:
        """The number of roles (nodes)."""
        return len(self.roles)

    @property
    def n_edges(self) -> int:
        """The number of distinct directed edges."""
        return len(self.source)

    def without_self_loops(self) -> RoleNetwork:
        """The same network without edges from a role to itself (within-group ties)."""
        keep = self.source != self.target
        return attrs.evolve(
            self,
            source=_readonly(self.source[keep]),
            target=_readonly(self.target[keep]),
            count=_readonly(self.count[keep]),
            weight=_readonly(self.weight[keep]),
        )

    def weighted_by(self, weights: Mapping[tuple[str, str], float] | None) -> RoleNetwork:
        """The same edges with the weight per ``(source, target)`` pair given in ``weights``.

        As ``role_network(..., weights=weights)``: edges that ``weights`` lacks (or gives as
        ``NaN``) get ``NaN``, pairs that are not edges are ignored; ``None`` restores the
        unweighted network (``weight`` = ``count``).  Lets a caller that already built a
        network weight it without reading the study again.

        Raises:
            InvalidInputError: a key of ``weights`` names a role that is not a node.
        """
        if weights is None:
            weight, weighted = self.count.astype(np.float64), False
        else:
            weight, weighted = _weights(self.role_ids, self.source, self.target, weights), True
        return attrs.evolve(self, weight=_readonly(weight), weighted=weighted)

    def to_networkx(self) -> networkx.DiGraph:
        """This network as a :class:`networkx.DiGraph` (see :func:`to_networkx`)."""
        import networkx as nx

        graph = nx.DiGraph(study=self.study_id, basis=self.basis, weighted=self.weighted)
        if self.wave is not None:
            graph.graph["wave"] = self.wave
        for role in self.roles:
            attributes: dict[str, Any] = {"id": role.id, "name": role.name, "present": role.present}
            if role.organisation is not None:
                attributes["organisation"] = role.organisation
            graph.add_node(role.id, **attributes)
        ids = self.role_ids
        for s, t, c, w in zip(
            self.source.tolist(), self.target.tolist(), self.count.tolist(), self.weight.tolist(),
            strict=True,
        ):
            edge: dict[str, Any] = {"count": c}
            if w == w:  # not NaN: a known weight
                edge["weight"] = w
            graph.add_edge(ids[s], ids[t], **edge)
        return graph

    def to_igraph(self) -> igraph.Graph:
        """This network as a directed :class:`igraph.Graph` (see :func:`to_igraph`)."""
        import igraph as ig

        graph = ig.Graph(
            n=self.n_nodes,
            edges=np.column_stack([self.source, self.target]).tolist(),
            directed=True,
        )
        graph["study"] = self.study_id
        graph["basis"] = self.basis
        graph["weighted"] = self.weighted
        graph["wave"] = self.wave
        graph.vs["id"] = list(self.role_ids)
        graph.vs["name"] = [r.name for r in self.roles]
        graph.vs["organisation"] = [r.organisation for r in self.roles]
        graph.vs["present"] = [r.present for r in self.roles]
        graph.es["count"] = self.count.tolist()
        graph.es["weight"] = self.weight.tolist()
        return graph


def resolve_basis(study: Study, basis: str) -> Literal["arrows", "ratings"]:
    """The network a ``basis`` setting means for ``study``.

    ``"auto"`` is the named arrows when the study has any (in any wave), else the
    rating-implied ties, as the seed's analysis reads arrows where groups drew them.
    """
    if basis == "auto":
        return "arrows" if study.ties else "ratings"
    if basis == "arrows":
        return "arrows"
    if basis == "ratings":
        return "ratings"
    raise InvalidInputError("basis", f"expected one of {', '.join(BASES)}, got {basis!r}")


def check_wave(study: Study, wave: str | None) -> None:
    """Refuse a wave that no tie, rating or invitation of ``study`` belongs to."""
    if wave is not None and wave not in study.waves:
        known = ", ".join(repr(w) for w in study.waves) or "none"
        raise InvalidInputError("wave", f"no wave {wave!r} in the study (waves: {known})")


def _distinct_edges(
    source: AnyIntArray, target: AnyIntArray, n: int, *, self_loops: bool
) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct ``(source, target)`` pairs sorted, with how often each occurs.

    Role networks have few nodes, so one :func:`numpy.bincount` over the ``n * n`` pair codes
    replaces a sort of every rating (O(ratings + n^2) instead of O(ratings log ratings));
    a large person network, whose ``n * n`` table would not fit, is sorted instead.  The
    codes are built in int64 (``n * n`` may pass int32) in one array, in place.
    """
    if not self_loops:
        keep = source != target
        source, target = source[keep], target[keep]
    codes: IntArray = source.astype(np.int64)  # a fresh copy: safe to change in place
    codes *= n
    codes += target
    if n * n > 4 * len(codes) + (1 << 16):
        pairs, counts = np.unique(codes, return_counts=True)
        return pairs // n, pairs % n, counts.astype(np.int64)
    table = np.bincount(codes, minlength=n * n)
    pairs = np.flatnonzero(table)
    return pairs // n, pairs % n, table[pairs].astype(np.int64)


def _arrow_codes(study: Study, wave: str | None) -> tuple[IntArray, IntArray]:
    index = {rid: i for i, rid in enumerate(study.role_ids)}
    ties = [t for t in study.ties if wave is None or t.wave == wave]
    source = np.fromiter((index[t.source] for t in ties), dtype=np.int64, count=len(ties))
    target = np.fromiter((index[t.target] for t in ties), dtype=np.int64, count=len(ties))
    return source, target


def _answered(scores: FloatArray) -> npt.NDArray[np.bool_] | None:
    """Rows with at least one answered item; ``None`` when every row has one.

    One sum over the whole block settles the common case of complete data: NaN propagates
    through addition, so a sum that is not NaN means no item is missing (O(n d) but a
    single vectorised reduction, several times faster than ``np.isnan(...).all(axis=1)``
    on a block of few columns).  A block without columns has no answered row.
    """
    if scores.shape[1] == 0:
        return np.zeros(scores.shape[0], dtype=bool)
    if not np.isnan(scores.sum()):
        return None
    return np.logical_not(np.isnan(scores).all(axis=1))


def _rating_codes(study: Study, wave: str | None) -> tuple[AnyIntArray, AnyIntArray]:
    ratings = study.ratings
    keep = _answered(ratings.scores)  # a tie needs one answered item
    if wave is not None:
        code = ratings.waves.index(wave) if wave in ratings.waves else -2
        in_wave = ratings.wave == code
        keep = in_wave if keep is None else keep & in_wave
    source, target = ratings.source, ratings.target
    if keep is not None:
        source, target = source[keep], target[keep]
    return source, target


def _weights(
    ids: tuple[str, ...],
    source: IntArray,
    target: IntArray,
    weights: Mapping[tuple[str, str], float],
) -> FloatArray:
    known = set(ids)
    for key in weights:
        for end in key:
            if end not in known:
                raise InvalidInputError("weights", f"unknown role {end!r} in the key {key!r}")
    pairs = zip(source.tolist(), target.tolist(), strict=True)
    found = (weights.get((ids[s], ids[t])) for s, t in pairs)
    return np.fromiter(
        (math.nan if v is None or not math.isfinite(v) else float(v) for v in found),
        dtype=np.float64,
        count=len(source),
    )


def role_network(
    study: Study,
    *,
    basis: Basis = "arrows",
    wave: str | None = None,
    weights: Mapping[tuple[str, str], float] | None = None,
    self_loops: bool = True,
) -> RoleNetwork:
    """The named-arrow or rating-implied network of ``study`` as a :class:`RoleNetwork`.

    Args:
        study: the study.
        basis: ``"arrows"`` (named arrows, one edge per distinct source -> target),
            ``"ratings"`` (an edge ``A -> B`` where a respondent of ``A`` rated ``B`` on at
            least one item) or ``"auto"`` (see :func:`resolve_basis`).
        wave: keep only the arrows or ratings of this wave (items without a wave are then
            left out); ``None`` pools every wave.
        weights: an edge weight per ``(source, target)`` pair, such as the tie RC; edges it
            lacks (or gives as ``NaN``) get ``NaN``; pairs that are not edges are ignored.
        self_loops: keep edges from a role to itself (within-group ties).

    Raises:
        InvalidInputError: an unknown ``basis`` or ``wave``, or a weight key naming an
            unknown role.
    """
    resolved = resolve_basis(study, basis)
    check_wave(study, wave)
    ends: tuple[AnyIntArray, AnyIntArray] = (
        _arrow_codes(study, wave) if resolved == "arrows" else _rating_codes(study, wave)
    )
    source, target, count = _distinct_edges(*ends, len(study.roles), self_loops=self_loops)
    network = RoleNetwork(
        roles=study.roles,
        source=_readonly(source),
        target=_readonly(target),
        count=_readonly(count),
        weight=_readonly(count.astype(np.float64)),
        basis=resolved,
        wave=wave,
        study_id=study.metadata.id,
    )
    return network if weights is None else network.weighted_by(weights)


def to_networkx(
    study: Study,
    *,
    basis: Basis = "arrows",
    wave: str | None = None,
    weights: Mapping[tuple[str, str], float] | None = None,
    self_loops: bool = True,
) -> networkx.DiGraph:
    """The network of ``study`` as a :class:`networkx.DiGraph`, for interchange and plotting.

    Nodes are role ids with the attributes ``id``, ``name``, ``present`` and
    ``organisation`` (left out when a role has none, so that GraphML writers, which refuse
    ``None``, accept the graph).  Edges carry ``count`` (waves naming the arrow, or ratings
    behind the tie) and ``weight`` (the given weight, else ``count``; left out where a
    weight was asked for but is unknown).  The graph attributes say ``study``, ``basis``,
    ``weighted`` and ``wave`` (when one was chosen).  Arguments as in :func:`role_network`.
    """
    return role_network(
        study, basis=basis, wave=wave, weights=weights, self_loops=self_loops
    ).to_networkx()


def to_igraph(
    study: Study,
    *,
    basis: Basis = "arrows",
    wave: str | None = None,
    weights: Mapping[tuple[str, str], float] | None = None,
    self_loops: bool = True,
) -> igraph.Graph:
    """The network of ``study`` as a directed :class:`igraph.Graph`, for heavy lifting.

    Vertex ``i`` is the ``i``-th role by id, with the attributes ``id``, ``name``,
    ``organisation`` (``None`` when a role has none) and ``present``; find a role with
    ``graph.vs.find(id="teachers")``.  Edges carry ``count`` and ``weight`` (``NaN`` where a
    weight was asked for but is unknown); graph attributes as in :func:`to_networkx`.
    """
    return role_network(
        study, basis=basis, wave=wave, weights=weights, self_loops=self_loops
    ).to_igraph()


# --- measures ---------------------------------------------------------------------------


@attrs.frozen(eq=False)
class NetworkMeasures:
    """Structural measures of a :class:`RoleNetwork` computed by one backend.

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

    * PageRank (Brin & Page 1998), damping :data:`DAMPING`, unweighted, dangling nodes
      spread evenly;
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
    seed :data:`COMMUNITY_SEED`, self-loops dropped.  It runs in networkx whatever the
    backend, because igraph's Louvain draws from a process-wide random generator that a
    library must not reseed; one implementation means both backends report the same
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
