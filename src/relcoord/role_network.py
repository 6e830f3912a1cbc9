"""The role network of a study as numpy edge arrays, and its adapters to networkx and igraph.

A study holds two networks between its roles:

* the **named arrows** (``basis="arrows"``): one edge ``A -> B`` for every distinct arrow
  that group ``A`` drew to group ``B`` on the relationship map (relationskort);
* the **rating-implied ties** (``basis="ratings"``): one edge ``A -> B`` wherever a respondent
  of ``A`` rated ``B`` on at least one item (a role a respondent skipped entirely is an
  absent tie, not a weak one).

[`role_network`][relcoord.role_network.role_network] turns a study into a backend-neutral
[`RoleNetwork`][relcoord.role_network.RoleNetwork] (numpy edge arrays);
[`to_networkx`][relcoord.role_network.to_networkx] and
[`to_igraph`][relcoord.role_network.to_igraph] turn that into a graph for interchange or for heavy
lifting, and [`from_networkx`][relcoord.role_network.from_networkx] and
[`from_igraph`][relcoord.role_network.from_igraph] read a graph drawn elsewhere (or one of these, or
an analysis's) back as a study's roles and named ties. This module and
[`relcoord.result_graphs`][relcoord.result_graphs] (an analysis as a graph) are the only ones that
import `igraph`; the structural measures computed on these graphs (degrees, PageRank, betweenness,
constraint, dyad census, communities) are in
[`relcoord.metrics.graph_measures`][relcoord.metrics.graph_measures], and the analysis' network
figures built from them in [`relcoord.metrics.network`][relcoord.metrics.network].
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.instruments import Instrument
from relcoord.model import Metadata, NamedTie, Role, Study
from relcoord.optional_dependencies import compiled_engine, numba_jit, require

if TYPE_CHECKING:
    import igraph
    import networkx

__all__ = [
    "BASES",
    "Basis",
    "RoleNetwork",
    "check_wave",
    "from_igraph",
    "from_networkx",
    "rated_network",
    "rated_pair_table",
    "resolve_basis",
    "role_network",
    "to_igraph",
    "to_networkx",
]

Basis = Literal["auto", "arrows", "ratings"]
#: The accepted ``basis`` values: ``auto`` resolves to ``arrows`` or ``ratings``.
BASES: Final[tuple[str, ...]] = get_args(Basis)

IntArray = npt.NDArray[np.int64]
AnyIntArray = npt.NDArray[np.signedinteger[Any]]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Rows per block when the item block is read with numpy (a block stays in the CPU cache).
_BLOCK_ROWS: Final = 1 << 12
#: The rating-implied edges are counted on the ``n * n`` table of pairs while it has at most
#: this many cells, or ``_TABLE_CELLS_PER_ROW`` per rating row if that is more; above it (a
#: person network) the kept rows' pairs are sorted.
_TABLE_CELLS: Final = 1 << 16
_TABLE_CELLS_PER_ROW: Final = 4


def _readonly(array: npt.NDArray[Any]) -> Any:
    array.setflags(write=False)
    return array


@attrs.frozen(eq=False)
class RoleNetwork:
    """A directed network between the roles of a study, held as numpy edge arrays.

    Nodes are `roles` in the study's order (sorted by
    id); edge ``k`` runs from ``roles[source[k]]`` to ``roles[target[k]]``.  Edges are distinct and
    sorted by ``(source, target)``.  ``count`` is the number of waves in which an arrow was named
    (``basis="arrows"``) or the number of ratings behind a rating-implied tie
    (``basis="ratings"``).  ``weight`` is the edge weight: the caller's tie value (e.g. the
    tie RC) when `weighted`, ``NaN`` where the caller
    gave none; otherwise ``count``.
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
        """This network as a `networkx.DiGraph` (see
        [`to_networkx`][relcoord.role_network.RoleNetwork.to_networkx])."""
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
        """This network as a directed `igraph.Graph` (see
        [`to_igraph`][relcoord.role_network.RoleNetwork.to_igraph]).

        Needs the extra ``igraph``: without it, raises
        [`MissingDependencyError`][relcoord.optional_dependencies.MissingDependencyError].
        """
        ig = require("igraph", "converting a role network to an igraph graph")

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
    rating-implied ties, as the Trivsel Smiley article (Psykiatrifonden 2019) reads the
    arrows where groups drew them.
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

    Role networks have few nodes, so one `numpy.bincount` over the ``n * n`` pair codes
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


def _answered_rows(scores: FloatArray) -> BoolArray:
    """Whether each row of the item block ``scores`` has at least one answered item.

    ``np.fmin`` takes the number where one operand is NaN, so the running minimum over the
    items is NaN only for a row without any answer; read in blocks of rows, so that no
    full-length float temporary is made.  A block without columns has no answered row.
    """
    n_rows, n_items = scores.shape
    out = np.zeros(n_rows, dtype=bool)
    if n_items == 0:
        return out
    for start in range(0, n_rows, _BLOCK_ROWS):
        block = scores[start:start + _BLOCK_ROWS]
        low = np.array(block[:, 0], dtype=np.float64)
        for j in range(1, n_items):
            np.fmin(low, block[:, j], out=low)
        np.equal(low, low, out=out[start:start + len(block)])
    return out


#: ``(scores, source, target, wave, wave code or None, n_roles)`` -> the ``n_roles**2`` table of
#: the rows with an answered item per ``source * n_roles + target``.
RatedPairs = Callable[[FloatArray, AnyIntArray, AnyIntArray, AnyIntArray, int | None, int],
                      IntArray]


def _numpy_rated_pairs(scores: FloatArray, source: AnyIntArray, target: AnyIntArray,
                       wave: AnyIntArray, pick: int | None, n: int) -> IntArray:
    """The table with numpy: per block of rows the answered mask and one ``np.bincount`` of
    the kept rows' pair codes (blocks of at least ``n * n`` rows, so that adding each
    block's table costs no more than counting it)."""
    table = np.zeros(n * n, dtype=np.int64)
    step = max(_BLOCK_ROWS, n * n)
    for start in range(0, len(scores), step):
        stop = start + step
        keep = _answered_rows(scores[start:stop])
        if pick is not None:
            keep &= wave[start:stop] == pick
        codes = source[start:stop][keep].astype(np.int64)
        codes *= n
        codes += target[start:stop][keep]
        table += np.bincount(codes, minlength=n * n)
    return table


@functools.cache
def _numba_rated_pairs() -> RatedPairs | None:
    """The table in one compiled loop over the rows (a row's items are read up to its first
    answer), or ``None`` without numba (the ``fast`` extra)."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def count(scores: Any, source: Any, target: Any, wave: Any, every: bool, pick: int, n: int,
              table: Any) -> None:
        n_rows, n_items = scores.shape
        for r in range(n_rows):
            if not every and wave[r] != pick:
                continue
            for j in range(n_items):
                v = scores[r, j]
                if v == v:  # answered
                    table[source[r] * n + target[r]] += 1
                    break

    def run(scores: FloatArray, source: AnyIntArray, target: AnyIntArray, wave: AnyIntArray,
            pick: int | None, n: int) -> IntArray:
        table = np.zeros(n * n, dtype=np.int64)
        count(scores, source, target, wave, pick is None, -2 if pick is None else pick, n,
              table)
        return table

    return run


def _rating_edges(study: Study, wave: str | None, *, self_loops: bool, engine: str = "auto"
                  ) -> tuple[IntArray, IntArray, IntArray]:
    """The rating-implied edges, as [`_distinct_edges`][relcoord.role_network._distinct_edges]
    gives them, of the rating rows (of ``wave``) with at least one answered item.

    A role network has few nodes: the rows are counted straight into the ``n * n`` table of
    pairs, in one pass over the item block (compiled with ``engine`` ``"numba"``, or
    ``"auto"`` when numba is installed; else numpy in blocks): nothing per rating row is
    kept.  A person network too large for that table sorts the kept rows' pairs instead.
    """
    ratings = study.ratings
    n = len(study.roles)
    # a wave the ratings do not hold (ties or invitations only) keeps no row: code -2
    pick = None if wave is None else (
        ratings.waves.index(wave) if wave in ratings.waves else -2)
    if n * n > max(_TABLE_CELLS, _TABLE_CELLS_PER_ROW * len(ratings)):
        keep = _answered_rows(ratings.scores)  # a tie needs one answered item
        if pick is not None:
            keep &= ratings.wave == pick
        return _distinct_edges(ratings.source[keep], ratings.target[keep], n,
                               self_loops=self_loops)
    table = _pair_table(study, pick, engine)
    if not self_loops:
        table[:: n + 1] = 0  # the pairs (i, i)
    return _table_edges(table, n)


def _pair_table(study: Study, pick: int | None, engine: str) -> IntArray:
    ratings = study.ratings
    numpy_path: RatedPairs = _numpy_rated_pairs
    counting = compiled_engine(engine, numpy_path, _numba_rated_pairs,
                               purpose="the compiled rating-implied network (engine='numba')")
    return counting(ratings.scores, ratings.source, ratings.target, ratings.wave, pick,
                    len(study.roles))


def _table_edges(table: IntArray, n: int) -> tuple[IntArray, IntArray, IntArray]:
    pairs = np.flatnonzero(table)
    return pairs // n, pairs % n, table[pairs].astype(np.int64)


def rated_pair_table(study: Study, *, engine: str = "auto") -> IntArray:
    """The rating rows with at least one answered item, counted per pair of roles: entry
    ``source * n + target`` of a flat ``n * n`` table (``n`` roles, in the study's order),
    every wave pooled, a role's rating of itself included.

    The table of a study is the sum of the tables of any split of its rating rows (a
    block of rater roles,
    [`rater_role_block`][relcoord.rater_role_blocks.rater_role_block], has its own rows'
    pairs), and [`rated_network`][relcoord.role_network.rated_network] turns it into the
    rating-implied network: how an analysis finished from parts builds its network
    without the rows.  ``engine`` as for the counting of
    [`role_network`][relcoord.role_network.role_network] (``"auto"``: compiled when numba
    is installed).
    """
    return _pair_table(study, None, engine)


def rated_network(study: Study, table: IntArray) -> RoleNetwork:
    """The rating-implied network of ``study`` (every wave, self loops kept), as
    ``role_network(study, basis="ratings")`` gives it, from the table of rated pairs of its
    ratings ([`rated_pair_table`][relcoord.role_network.rated_pair_table], summed over the
    parts of the ratings); ``study`` gives the roles only (its ratings may be empty).
    `ValueError` when the table does not have ``n * n`` entries."""
    n = len(study.roles)
    if table.shape != (n * n,):
        raise ValueError(f"a table of rated pairs of {n} roles has {n * n} entries, "
                         f"got shape {table.shape}")
    source, target, count = _table_edges(table, n)
    return _network(study, source, target, count, "ratings", None)


def _weights(
    ids: tuple[str, ...],
    source: IntArray,
    target: IntArray,
    weights: Mapping[tuple[str, str], float],
) -> FloatArray:
    """Each edge's weight from ``weights`` (NaN where it has none or a value that is not a
    finite number); every key must name known roles.  The keys are numbered as the edges are
    (``source * n + target``) and the edges found by one sorted search, so that only the
    weights of edges are read one by one."""
    index = {role_id: i for i, role_id in enumerate(ids)}
    n = len(ids)
    codes: list[int] = []
    given: list[Any] = []
    for key, value in weights.items():
        for end in key:
            if end not in index:
                raise InvalidInputError("weights", f"unknown role {end!r} in the key {key!r}")
        if isinstance(key, tuple) and len(key) == 2:  # only a pair can name an edge
            codes.append(index[key[0]] * n + index[key[1]])
            given.append(value)
    out = np.full(len(source), math.nan)
    if not codes or not len(source):
        return out
    keyed = np.asarray(codes, dtype=np.int64)
    order = np.argsort(keyed, kind="stable")
    keyed = keyed[order]
    edge = source.astype(np.int64) * n + target
    at = np.minimum(np.searchsorted(keyed, edge), len(keyed) - 1)
    hit = keyed[at] == edge
    for i, j in zip(np.flatnonzero(hit).tolist(), order[at[hit]].tolist(), strict=True):
        v = given[j]
        out[i] = math.nan if v is None or not math.isfinite(v) else float(v)
    return out


def role_network(
    study: Study,
    *,
    basis: Basis = "arrows",
    wave: str | None = None,
    weights: Mapping[tuple[str, str], float] | None = None,
    self_loops: bool = True,
) -> RoleNetwork:
    """The named-arrow or rating-implied network of ``study`` as a
    [`RoleNetwork`][relcoord.role_network.RoleNetwork].

    Args:
        study: the study.
        basis: ``"arrows"`` (named arrows, one edge per distinct source -> target),
            ``"ratings"`` (an edge ``A -> B`` where a respondent of ``A`` rated ``B`` on at
            least one item) or ``"auto"`` (see
            [`resolve_basis`][relcoord.role_network.resolve_basis]).
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
    source, target, count = (
        _distinct_edges(*_arrow_codes(study, wave), len(study.roles), self_loops=self_loops)
        if resolved == "arrows" else _rating_edges(study, wave, self_loops=self_loops)
    )
    network = _network(study, source, target, count, resolved, wave)
    return network if weights is None else network.weighted_by(weights)


def _network(study: Study, source: IntArray, target: IntArray, count: IntArray,
             basis: Literal["arrows", "ratings"], wave: str | None) -> RoleNetwork:
    return RoleNetwork(
        roles=study.roles,
        source=_readonly(source),
        target=_readonly(target),
        count=_readonly(count),
        weight=_readonly(count.astype(np.float64)),
        basis=basis,
        wave=wave,
        study_id=study.metadata.id,
    )


def to_networkx(
    study: Study,
    *,
    basis: Basis = "arrows",
    wave: str | None = None,
    weights: Mapping[tuple[str, str], float] | None = None,
    self_loops: bool = True,
) -> networkx.DiGraph:
    """The network of ``study`` as a `networkx.DiGraph`, for interchange and plotting.

    Nodes are role ids with the attributes ``id``, ``name``, ``present`` and
    ``organisation`` (left out when a role has none, so that GraphML writers, which refuse
    ``None``, accept the graph).  Edges carry ``count`` (waves naming the arrow, or ratings
    behind the tie) and ``weight`` (the given weight, else ``count``; left out where a
    weight was asked for but is unknown).  The graph attributes say ``study``, ``basis``,
    ``weighted`` and ``wave`` (when one was chosen).  Arguments as in
    [`role_network`][relcoord.role_network.role_network].
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
    """The network of ``study`` as a directed `igraph.Graph`, for heavy lifting.

    Vertex ``i`` is the ``i``-th role by id, with the attributes ``id``, ``name``,
    ``organisation`` (``None`` when a role has none) and ``present``; find a role with
    ``graph.vs.find(id="teachers")``.  Edges carry ``count`` and ``weight`` (``NaN`` where a
    weight was asked for but is unknown); graph attributes as in
    [`to_networkx`][relcoord.role_network.to_networkx].
    """
    return role_network(
        study, basis=basis, wave=wave, weights=weights, self_loops=self_loops
    ).to_igraph()


# --- graphs back in -----------------------------------------------------------------------


def _given(value: Any) -> bool:
    """An attribute value that says something: not None, NaN or empty text."""
    return not (value is None or value == "" or (isinstance(value, float) and value != value))


def _text(value: Any, where: str, attribute: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int):
        return str(value)
    raise InvalidInputError(where, f"attribute {attribute!r}: expected text, got {value!r}")


def _flag(value: Any, where: str) -> bool:
    if not _given(value):
        return True
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise InvalidInputError(where, f"attribute 'present': expected true or false, got {value!r}")


def _role(key: str, attributes: Mapping[str, Any]) -> Role:
    where = f"node {key!r}"
    organisation = attributes.get("organisation")
    return Role(
        id=key,
        name=_text(attributes["name"], where, "name") if _given(attributes.get("name")) else key,
        organisation=_text(organisation, where, "organisation") if _given(organisation) else None,
        present=_flag(attributes.get("present"), where),
        names={name[len("name_"):]: _text(value, where, name)
               for name, value in attributes.items()
               if name.startswith("name_") and len(name) > len("name_") and _given(value)},
    )


def _ties(source: str, target: str, attributes: Mapping[str, Any],
          graph_wave: str | None) -> list[NamedTie]:
    """The named ties of one edge: none when ``named`` is false, else one per wave of
    ``waves`` (``"; "``-separated or a list) and one without a wave per further arrow of
    ``arrows``; an edge without either is one tie in the graph's ``wave``."""
    where = f"edge {source!r} -> {target!r}"
    named = attributes.get("named", True)
    if _given(named) and not _flag(named, where):
        return []
    waves = attributes.get("waves")
    listed = ([w.strip() for w in waves.split(";") if w.strip()] if isinstance(waves, str)
              else [_text(w, where, "waves") for w in waves] if isinstance(waves, list | tuple)
              else [])
    arrows = attributes.get("arrows")
    if _given(arrows):
        if isinstance(arrows, bool) or not isinstance(arrows, int | np.integer) or arrows < 1:
            raise InvalidInputError(where, f"attribute 'arrows': expected a whole number of at "
                                    f"least 1 for a named edge, got {arrows!r}")
        unlisted = int(arrows) - len(listed)
        if unlisted < 0:
            raise InvalidInputError(where, f"attribute 'waves' lists {len(listed)} waves but "
                                    f"'arrows' counts {arrows}")
    else:
        unlisted = 0 if listed else 1
    wave = None if listed or not _given(graph_wave) else str(graph_wave)
    return ([NamedTie(source, target, w) for w in listed]
            + [NamedTie(source, target, wave)] * unlisted)


def _study_from_graph(
    graph_attributes: Mapping[str, Any],
    nodes: list[tuple[str, Mapping[str, Any]]],
    edges: list[tuple[str, str, Mapping[str, Any]]],
    *,
    study_id: str | None,
    instrument: Instrument | str,
) -> Study:
    if graph_attributes.get("basis") == "ratings":
        raise InvalidInputError("graph", "its edges are rated ties (basis 'ratings'), not "
                                "named arrows; draw the network with basis='arrows'")
    seen: set[str] = set()
    for key, _ in nodes:
        if key in seen:
            raise InvalidInputError(f"node {key!r}", "two nodes have this id")
        seen.add(key)
    given_id = graph_attributes.get("study")
    title = graph_attributes.get("title")
    language = graph_attributes.get("language")
    metadata = Metadata(
        id=study_id or (str(given_id) if _given(given_id) else "network"),
        title=str(title) if _given(title) else "",
        **({"language": language} if isinstance(language, str) and language else {}),
    )
    wave = graph_attributes.get("wave")
    ties = [tie for source, target, attributes in edges
            for tie in _ties(source, target, attributes, wave)]
    return Study(metadata=metadata, instrument=instrument,
                 roles=[_role(key, attributes) for key, attributes in nodes], ties=ties)


def from_networkx(graph: networkx.DiGraph, *, study_id: str | None = None,
                  instrument: Instrument | str = "relationskort") -> Study:
    """A study of the roles (nodes) and named ties (edges) of a directed networkx graph.

    Nodes are roles: the node's key (as text) is its id, and the attributes ``name``
    (default: the id), ``organisation``, ``present`` (true or false, default true) and
    ``name_<lang>`` (its name in another language) fill in the role.  Each edge is a named
    tie from its source to its target, unless its attribute ``named`` is false (an
    analysis's rated tie that nobody drew); ``waves`` (``"; "``-separated, or a list) and
    ``arrows`` (how many) give one tie per wave, else the tie has the graph's ``wave``
    attribute, or none.  The graph attributes ``study``, ``title`` and ``language`` describe
    the study (``study_id`` wins).  Other attributes (figures of `Analysis.to_networkx()`
) are results, not study data, and are
    not read.  The study has no ratings: add them with `Study.with_ratings()`
.

    So ``from_networkx(to_networkx(study, wave=w))`` gives back the roles (without their
    other-language names) and the wave's ties, and
    ``from_networkx(analyze(study).to_networkx())`` every role and named tie.

    Raises:
        InvalidInputError: an undirected graph, a graph of rated ties (``basis`` =
            ``"ratings"``), or an attribute of the wrong type (located: node or edge).
        relcoord.errors.InvalidStudyError: the roles and ties do not make a valid study.
    """
    if not graph.is_directed():
        raise InvalidInputError("graph", "expected a directed graph (arrows run from the "
                                "naming role to the named one), got an undirected one")
    nodes = [(str(key), attributes) for key, attributes in graph.nodes(data=True)]
    edges = [(str(s), str(t), attributes) for s, t, attributes in graph.edges(data=True)]
    return _study_from_graph(graph.graph, nodes, edges, study_id=study_id,
                             instrument=instrument)


def from_igraph(graph: igraph.Graph, *, study_id: str | None = None,
                instrument: Instrument | str = "relationskort") -> Study:
    """A study of the roles (vertices) and named ties (edges) of a directed igraph graph.

    As [`from_networkx`][relcoord.role_network.from_networkx], with the role's id in the vertex
    attribute ``id``; a graph without one takes igraph's usual ``name`` attribute as the id (and
    ``label`` as the role's name), and a graph with neither the vertex index.

    Raises:
        InvalidInputError: as [`from_networkx`][relcoord.role_network.from_networkx].
        relcoord.errors.InvalidStudyError: the roles and ties do not make a valid study.
    """
    if not graph.is_directed():
        raise InvalidInputError("graph", "expected a directed graph (arrows run from the "
                                "naming role to the named one), got an undirected one")
    names = graph.vs.attributes()
    nodes: list[tuple[str, Mapping[str, Any]]] = []
    for vertex in graph.vs:
        attributes = vertex.attributes()
        if "id" in names:
            key = attributes["id"]
        elif "name" in names:
            key = attributes.pop("name")
            if "label" in names:
                attributes["name"] = attributes.pop("label")
        else:
            key = vertex.index
        if not _given(key):
            raise InvalidInputError(f"vertex {vertex.index}", "has no id")
        nodes.append((str(key), attributes))
    ids = [key for key, _ in nodes]
    edges = [(ids[e.source], ids[e.target], e.attributes()) for e in graph.es]
    attributes = {name: graph[name] for name in graph.attributes()}
    return _study_from_graph(attributes, nodes, edges, study_id=study_id,
                             instrument=instrument)
