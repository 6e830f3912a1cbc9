"""Network structure between roles: who is named, who is overlooked, who brokers.

[`network_metrics`][relcoord.metrics.network.network_metrics] reads the named arrows of a study (or,
when it has none, the rating-implied ties) and answers the analyst's structural questions (the
documentation's "Reading the network" page, ``docs/network.md``): central partners (in-degree,
in-strength, PageRank), overlooked resources (out-degree above in-degree, unreciprocated
arrows, dyad census), internal versus external ties (Krackhardt & Stern's E-I index by
organisation), brokers and silos (betweenness, Burt's constraint, communities),
named-but-absent roles and response coverage.

The network comes from [`relcoord.role_network`][relcoord.role_network]; its structural measures are
computed in [`relcoord.metrics.graph_measures`][relcoord.metrics.graph_measures] with igraph or
networkx, and the result is the same with either (a property test checks it).  A role's arrow to
itself (a within-group tie) is left out of every structural measure: it says nothing about
coordination *between* roles.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs
import numpy as np

from relcoord.json_values import float_or_none, json_ready
from relcoord.metrics.graph_measures import (
    BETWEENNESS_SEED,
    COMMUNITY_SEED,
    DAMPING,
    Backend,
    NetworkMeasures,
    communities,
    community_method,
    measure_network,
    sampled_betweenness_pivots,
)
from relcoord.model import Study
from relcoord.role_network import Basis, RoleNetwork, check_wave, resolve_basis, role_network

__all__ = [
    "BETWEENNESS_EXACT",
    "DyadCensus",
    "NetworkMetrics",
    "OrganisationEI",
    "ResponseCoverage",
    "RoleNetworkMetrics",
    "ei_index",
    "network_metrics",
]

#: How [`NetworkMetrics.community_method`][relcoord.metrics.network.NetworkMetrics.community_method]
#: names the community detection of a role network (below
#: [`LEIDEN_FROM_NODES`][relcoord.metrics.graph_measures.LEIDEN_FROM_NODES] nodes; see
#: [`community_method`][relcoord.metrics.graph_measures.community_method]).
COMMUNITY_METHOD = f"louvain(networkx, undirected, unweighted, resolution=1, seed={COMMUNITY_SEED})"
#: How
#: [`NetworkMetrics.betweenness_method`][relcoord.metrics.network.NetworkMetrics.betweenness_method]
#: names exact betweenness.
BETWEENNESS_EXACT = "exact(brandes 2001, directed shortest paths)"


def _betweenness_method(pivots: int | None, n_nodes: int) -> str:
    if pivots is None:
        return BETWEENNESS_EXACT
    return (f"sampled(brandes-pich 2007, {pivots} of {n_nodes} source nodes, "
            f"seed={BETWEENNESS_SEED})")


@attrs.frozen
class RoleNetworkMetrics:
    """The structural position of one role.

    Attributes:
        role: the role id.
        in_degree: roles that point to this role (its own arrow excluded).
        out_degree: roles this role points to (its own arrow excluded).
        in_strength: the sum of incoming edge weights: tie RC when ``tie_rc`` was given
            (edges without a tie RC add nothing), else arrow counts (the number of waves
            naming each arrow, or of ratings behind each rated tie).
        pagerank: PageRank (Brin & Page 1998), damping 0.85, on the unweighted edges; the
            values of all roles sum to 1.
        reciprocity: the share of this role's outgoing arrows that are returned; ``None``
            when it points to no one.
        unreciprocated_out: arrows this role sends that are not returned.
        unreciprocated_in: arrows this role receives and does not return.
        betweenness: Freeman's (1977) betweenness on directed shortest paths, normalised by
            ``(n - 1)(n - 2)``: the share of the other ordered pairs' shortest paths that
            pass through this role; on a large network an estimate from sampled source
            nodes (see
            [`NetworkMetrics.betweenness_pivots`][relcoord.metrics.network.NetworkMetrics.betweenness_pivots]).
        constraint: Burt's (1992) constraint, 0 (many non-redundant contacts, a broker) to
            1 and above (few, interconnected contacts); ``None`` for a role without ties.
        community: the community label (see
            [`NetworkMetrics.community_method`][relcoord.metrics.network.NetworkMetrics.community_method]).
    """

    role: str
    in_degree: int
    out_degree: int
    in_strength: float
    pagerank: float
    reciprocity: float | None
    unreciprocated_out: int
    unreciprocated_in: int
    betweenness: float
    constraint: float | None
    community: int

    def to_mapping(self) -> dict[str, Any]:
        """The role's position as JSON-ready values, one key per attribute."""
        return json_ready({
            "role": self.role, "in_degree": self.in_degree, "out_degree": self.out_degree,
            "in_strength": self.in_strength, "pagerank": self.pagerank,
            "reciprocity": self.reciprocity, "unreciprocated_out": self.unreciprocated_out,
            "unreciprocated_in": self.unreciprocated_in, "betweenness": self.betweenness,
            "constraint": self.constraint, "community": self.community,
        })


@attrs.frozen
class DyadCensus:
    """The unordered pairs of distinct roles by tie (Holland & Leinhardt 1970).

    ``mutual``: both point to each other; ``asymmetric``: one points to the other only;
    ``null``: neither.  The three add up to ``n (n - 1) / 2``.
    """

    mutual: int
    asymmetric: int
    null: int

    def to_mapping(self) -> dict[str, Any]:
        """The census as JSON-ready values, one key per attribute."""
        return json_ready({"mutual": self.mutual, "asymmetric": self.asymmetric,
                           "null": self.null})


@attrs.frozen
class OrganisationEI:
    """Krackhardt & Stern's (1988) E-I index for the arrows of one organisation.

    ``internal`` counts arrows between two roles of the organisation, ``external`` arrows
    between one of its roles and a role of another organisation (either direction);
    ``ei_index = (external - internal) / (external + internal)``, from -1 (all internal)
    to +1 (all external), ``None`` when the organisation has no such arrows.
    """

    organisation: str
    internal: int
    external: int
    ei_index: float | None

    def to_mapping(self) -> dict[str, Any]:
        """The organisation's E-I index as JSON-ready values, one key per attribute."""
        return json_ready({"organisation": self.organisation, "internal": self.internal,
                           "external": self.external, "ei_index": self.ei_index})


@attrs.frozen
class ResponseCoverage:
    """Who took part: roles with respondents, roles that rated and roles that drew arrows.

    ``with_respondents`` counts roles with at least one respondent in the study (respondents
    have no wave); ``rating`` roles that gave at least one rating with an answered item and
    ``naming`` roles that drew at least one arrow (in the chosen wave, own arrows included).
    Each ``share_*`` divides by ``n_roles``.
    """

    n_roles: int
    with_respondents: int
    rating: int
    naming: int
    share_with_respondents: float
    share_rating: float
    share_naming: float

    def to_mapping(self) -> dict[str, Any]:
        """The coverage as JSON-ready values, one key per attribute."""
        return json_ready({
            "n_roles": self.n_roles, "with_respondents": self.with_respondents,
            "rating": self.rating, "naming": self.naming,
            "share_with_respondents": self.share_with_respondents,
            "share_rating": self.share_rating, "share_naming": self.share_naming,
        })


@attrs.frozen
class NetworkMetrics:
    """The structure of a study's role network, with the settings that produced it.

    ``roles`` is sorted by role id.  ``basis`` is the network read (``"arrows"`` or
    ``"ratings"``, never ``"auto"``); ``weighted`` says whether ``in_strength`` sums tie
    RC.  ``reciprocity`` is the share of arrows that are returned (``None`` without
    arrows); ``unreciprocated`` lists the arrows ``(source, target)`` whose reverse is
    missing; ``ei_index`` is Krackhardt & Stern's index over all arrows between roles with
    an organisation (``ei_internal`` and ``ei_external`` are its counts);
    ``named_but_absent`` lists roles marked not present that another role pointed to or
    rated.  ``betweenness_pivots`` is ``None`` when the roles' betweenness is exact, else
    the number of sampled source nodes it was estimated from
    ([`measure_network`][relcoord.metrics.graph_measures.measure_network]);
    ``betweenness_method`` says the same in words.
    """

    basis: Literal["arrows", "ratings"]
    backend: Backend
    wave: str | None
    weighted: bool
    damping: float
    community_method: str
    betweenness_method: str
    betweenness_pivots: int | None
    roles: tuple[RoleNetworkMetrics, ...]
    n_arrows: int
    reciprocity: float | None
    dyad_census: DyadCensus
    unreciprocated: tuple[tuple[str, str], ...]
    ei_index: float | None
    ei_internal: int
    ei_external: int
    ei_by_organisation: tuple[OrganisationEI, ...]
    named_but_absent: tuple[str, ...]
    coverage: ResponseCoverage
    n_communities: int

    def role(self, role_id: str) -> RoleNetworkMetrics:
        """The metrics of the role ``role_id``; `KeyError` when there is none."""
        for entry in self.roles:
            if entry.role == role_id:
                return entry
        raise KeyError(f"no role {role_id!r} in these network metrics")

    def __repr__(self) -> str:
        return (f"<NetworkMetrics of the {self.basis}: {len(self.roles)} roles, "
                f"{self.n_arrows} arrows, {self.n_communities} communities>")

    def to_mapping(self) -> dict[str, Any]:
        """The network's figures as JSON-ready values, one key per attribute (``roles`` a
        list of
        [`RoleNetworkMetrics.to_mapping`][relcoord.metrics.network.RoleNetworkMetrics.to_mapping],
        each arrow a ``[source, target]`` list)."""
        return json_ready({
            "basis": self.basis, "backend": self.backend, "wave": self.wave,
            "weighted": self.weighted, "damping": self.damping,
            "community_method": self.community_method,
            "betweenness_method": self.betweenness_method,
            "betweenness_pivots": self.betweenness_pivots, "roles": self.roles,
            "n_arrows": self.n_arrows, "reciprocity": self.reciprocity,
            "dyad_census": self.dyad_census, "unreciprocated": self.unreciprocated,
            "ei_index": self.ei_index, "ei_internal": self.ei_internal,
            "ei_external": self.ei_external, "ei_by_organisation": self.ei_by_organisation,
            "named_but_absent": self.named_but_absent, "coverage": self.coverage,
            "n_communities": self.n_communities,
        })


def ei_index(external: int, internal: int) -> float | None:
    """Krackhardt & Stern's (1988) E-I index ``(E - I) / (E + I)``; ``None`` when both are 0."""
    total = external + internal
    return None if total == 0 else (external - internal) / total


def network_metrics(
    study: Study,
    *,
    basis: Basis = "auto",
    tie_rc: Mapping[tuple[str, str], float] | None = None,
    backend: Backend = "igraph",
    wave: str | None = None,
    betweenness_pivots: int | Literal["auto", "exact"] = "auto",
    rated: RoleNetwork | None = None,
) -> NetworkMetrics:
    """Degrees, reciprocity, dyad census, E-I, brokerage and communities of a study's roles.

    Args:
        study: the study.
        basis: ``"arrows"`` (the named arrows), ``"ratings"`` (an edge ``A -> B`` where a
            respondent of ``A`` rated ``B`` on at least one item) or ``"auto"``: the arrows
            when the study has any, else the rating-implied ties.
        tie_rc: tie RC per ``(source, target)``; when given, ``in_strength`` sums it over
            the incoming edges.  Every other measure reads the unweighted structure.
        backend: ``"igraph"`` (fast, for large person networks) or ``"networkx"``; both
            give the same numbers.
        wave: read only this wave's arrows and ratings; ``None`` pools every wave.
        betweenness_pivots: ``"auto"`` (exact betweenness while roles x arrows is at most
            [`EXACT_BETWEENNESS_WORK`][relcoord.metrics.graph_measures.EXACT_BETWEENNESS_WORK],
            else estimated from
            [`BETWEENNESS_PIVOTS`][relcoord.metrics.graph_measures.BETWEENNESS_PIVOTS] sampled
            source nodes), ``"exact"``, or the number of sampled source nodes.
        rated: the study's rating-implied network (every wave, self loops kept), when the
            caller has it without the rows: an analysis finished from rater-role parts
            builds it with [`rated_network`][relcoord.role_network.rated_network] from
            the parts' tables of rated pairs, and ``study`` then gives the roles, named
            arrows and respondents only.  ``None``: built from ``study``'s ratings.  Only
            with ``wave`` ``None``.

    Raises:
        InvalidInputError: an unknown ``basis``, ``backend`` or ``wave``, a ``tie_rc``
            key naming an unknown role, or ``betweenness_pivots`` below 2.
    """
    check_wave(study, wave)
    resolved = resolve_basis(study, basis)
    # the rating-implied ties, own ratings included, read once: the network itself when it
    # is the basis, and the source of the named-but-absent roles and the coverage
    if rated is None:
        rated = role_network(study, basis="ratings", wave=wave)
    elif wave is not None or rated.basis != "ratings" or rated.wave is not None:
        raise ValueError("rated must be the rating-implied network of every wave")
    network = (
        rated.without_self_loops().weighted_by(tie_rc) if resolved == "ratings"
        else role_network(study, basis="arrows", wave=wave, weights=tie_rc, self_loops=False)
    )
    pivots = sampled_betweenness_pivots(network.n_nodes, betweenness_pivots, network.n_edges)
    measures = measure_network(network, backend=backend, betweenness_pivots=pivots)
    labels = communities(network)
    ids = network.role_ids
    roles = tuple(
        _role_metrics(ids[i], i, measures, int(labels[i])) for i in range(network.n_nodes)
    )
    internal, external, by_organisation = _ei(network)
    return NetworkMetrics(
        basis=network.basis,
        backend=measures.backend,
        wave=wave,
        weighted=network.weighted,
        damping=DAMPING,
        community_method=community_method(network.n_nodes),
        betweenness_method=_betweenness_method(measures.betweenness_pivots, network.n_nodes),
        betweenness_pivots=measures.betweenness_pivots,
        roles=roles,
        n_arrows=network.n_edges,
        reciprocity=measures.reciprocity,
        dyad_census=DyadCensus(measures.mutual, measures.asymmetric, measures.null),
        unreciprocated=_unreciprocated(network),
        ei_index=ei_index(external, internal),
        ei_internal=internal,
        ei_external=external,
        ei_by_organisation=by_organisation,
        named_but_absent=_named_but_absent(study, wave, rated),
        coverage=_coverage(study, wave, rated),
        n_communities=len(set(labels.tolist())),
    )


def _role_metrics(
    role_id: str, i: int, m: NetworkMeasures, community: int
) -> RoleNetworkMetrics:
    out_degree = int(m.out_degree[i])
    returned = int(m.reciprocated[i])
    return RoleNetworkMetrics(
        role=role_id,
        in_degree=int(m.in_degree[i]),
        out_degree=out_degree,
        in_strength=float(m.in_strength[i]),
        pagerank=float(m.pagerank[i]),
        reciprocity=returned / out_degree if out_degree else None,
        unreciprocated_out=out_degree - returned,
        unreciprocated_in=int(m.in_degree[i]) - returned,
        betweenness=float(m.betweenness[i]),
        constraint=float_or_none(m.constraint[i]),
        community=community,
    )


def _unreciprocated(network: RoleNetwork) -> tuple[tuple[str, str], ...]:
    n = network.n_nodes
    forward = network.source * n + network.target
    backward = network.target * n + network.source
    lonely = ~np.isin(forward, backward)
    ids = network.role_ids
    return tuple(
        (ids[s], ids[t])
        for s, t in zip(
            network.source[lonely].tolist(), network.target[lonely].tolist(), strict=True
        )
    )


def _ei(network: RoleNetwork) -> tuple[int, int, tuple[OrganisationEI, ...]]:
    """Internal and external arrow counts overall and per organisation (Krackhardt & Stern)."""
    names = sorted({r.organisation for r in network.roles if r.organisation is not None})
    code = {name: k for k, name in enumerate(names)}
    org = np.array(
        [-1 if r.organisation is None else code[r.organisation] for r in network.roles],
        dtype=np.int64,
    )
    src, dst = org[network.source], org[network.target]
    known = (src >= 0) & (dst >= 0)
    src, dst = src[known], dst[known]
    inside = src == dst
    k = len(names)
    internal = np.bincount(src[inside], minlength=k)
    external = np.bincount(src[~inside], minlength=k) + np.bincount(dst[~inside], minlength=k)
    per_org = tuple(
        OrganisationEI(name, int(internal[j]), int(external[j]),
                       ei_index(int(external[j]), int(internal[j])))
        for j, name in enumerate(names)
    )
    return int(inside.sum()), int((~inside).sum()), per_org


def _named_but_absent(study: Study, wave: str | None, rated: RoleNetwork) -> tuple[str, ...]:
    """Roles marked not present that another role pointed to or rated (in the wave).

    ``rated`` is the study's rating-implied network of the wave, own ratings included.
    """
    pointed = {
        t.target for t in study.ties
        if t.source != t.target and (wave is None or t.wave == wave)
    }
    by_other = rated.target[rated.source != rated.target]
    ids = rated.role_ids
    pointed.update(ids[i] for i in np.unique(by_other).tolist())
    return tuple(r.id for r in study.roles if not r.present and r.id in pointed)


def _coverage(study: Study, wave: str | None, rated: RoleNetwork) -> ResponseCoverage:
    """Response coverage; ``rated`` as in
    [`_named_but_absent`][relcoord.metrics.network._named_but_absent]."""
    n = len(study.roles)
    # the respondents' roles as codes: computed once per study (the ICC of respondents reads
    # them too)
    with_respondents = int(np.count_nonzero(np.bincount(study.respondent_role_codes,
                                                        minlength=n)))
    rating = len(np.unique(rated.source))
    naming = len({t.source for t in study.ties if wave is None or t.wave == wave})
    return ResponseCoverage(
        n_roles=n,
        with_respondents=with_respondents,
        rating=rating,
        naming=naming,
        share_with_respondents=with_respondents / n,
        share_rating=rating / n,
        share_naming=naming / n,
    )
