"""Network metrics: a hand-worked 4-role network, and properties on generated studies."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import (
    InvalidInputError,
    Metadata,
    NamedTie,
    Rating,
    Role,
    Study,
    analyze,
    load_example,
)
from relcoord.metrics import graph_measures
from relcoord.metrics.graph_measures import BETWEENNESS_SEED, pivot_nodes
from relcoord.metrics.network import (
    BETWEENNESS_EXACT,
    NetworkMetrics,
    ei_index,
    network_metrics,
)
from relcoord.report_network import network_section
from relcoord.role_network import role_network
from relcoord.testing.strategies import studies as generated_studies

# --- a hand-worked example ----------------------------------------------------------------
#
#   a <-> b (school), c -> a, d -> a, d -> c (c, d: municipality), and a -> a (ignored)
#
# in-degree a 3, b 1, c 1, d 0; out-degree a 1, b 1, c 1, d 2.  Arrows 5, of which 2 are
# returned: reciprocity 0.4.  Pairs: ab mutual; ac, ad, cd asymmetric; bc, bd null.
# Internal arrows a->b, b->a, d->c (3), external c->a, d->a (2): E-I = (2 - 3) / 5 = -0.2;
# school I 2, E 2 -> 0; municipality I 1, E 2 -> 1/3.  Only c->b and d->b pass through a:
# betweenness(a) = 2 / ((4 - 1)(4 - 2)) = 1/3.  d has no arrows in and no role is dangling,
# so PageRank(d) = (1 - 0.85) / 4 = 0.0375, PageRank(c) = 0.0375 + 0.85 * 0.0375 / 2, and
# a and b solve a = 0.0375 + 0.85 (b + c + d / 2), b = 0.0375 + 0.85 a.
# Burt: a's contacts b, c, d carry 2, 1, 1 arrows: p = 1/2, 1/4, 1/4; c_a = (1/2)^2 +
# (1/4 + 1/4 * 1/2)^2 * 2 = 0.53125; d's contacts a, c (1/2 each) and c's contacts a, d
# (1/2 each): c_d = (1/2 + 1/4)^2 + (1/2 + 1/8)^2 = 61/64.

ROLES = [
    Role("a", "A", "school"),
    Role("b", "B", "school"),
    Role("c", "C", "municipality"),
    Role("d", "D", "municipality"),
]
ARROWS = [("a", "b"), ("b", "a"), ("c", "a"), ("d", "a"), ("d", "c"), ("a", "a")]


def hand_study(**changes: Any) -> Study:
    fields: dict[str, Any] = {
        "metadata": Metadata("hand"),
        "instrument": "relationskort",
        "roles": ROLES,
        "ties": [NamedTie(s, t) for s, t in ARROWS],
    }
    fields.update(changes)
    return Study(**fields)


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
def test_hand_worked_network(backend: Any) -> None:
    m = network_metrics(hand_study(), backend=backend)
    assert m.basis == "arrows"
    assert m.backend == backend
    assert [r.role for r in m.roles] == ["a", "b", "c", "d"]
    assert [r.in_degree for r in m.roles] == [3, 1, 1, 0]
    assert [r.out_degree for r in m.roles] == [1, 1, 1, 2]
    assert [r.in_strength for r in m.roles] == [3.0, 1.0, 1.0, 0.0]
    assert [r.reciprocity for r in m.roles] == [1.0, 1.0, 0.0, 0.0]
    assert [r.unreciprocated_out for r in m.roles] == [0, 0, 1, 2]
    assert [r.unreciprocated_in for r in m.roles] == [2, 0, 1, 0]
    assert m.n_arrows == 5
    assert m.reciprocity == pytest.approx(0.4)
    assert attrs.astuple(m.dyad_census) == (1, 3, 2)
    assert m.unreciprocated == (("c", "a"), ("d", "a"), ("d", "c"))
    assert (m.ei_internal, m.ei_external) == (3, 2)
    assert m.ei_index == pytest.approx(-0.2)
    by_org = {o.organisation: (o.internal, o.external, o.ei_index) for o in m.ei_by_organisation}
    assert by_org == {"municipality": (1, 2, pytest.approx(1 / 3)), "school": (2, 2, 0.0)}
    assert [r.betweenness for r in m.roles] == pytest.approx([1 / 3, 0, 0, 0])
    d = 0.15 / 4
    c = d + 0.85 * d / 2
    a = (d + 0.85 * d + 0.85 * (c + d / 2)) / (1 - 0.85**2)
    assert [r.pagerank for r in m.roles] == pytest.approx([a, d + 0.85 * a, c, d], abs=1e-12)
    assert [r.constraint for r in m.roles] == pytest.approx([0.53125, 1.0, 61 / 64, 61 / 64])
    assert m.role("a").community == m.role("b").community
    assert m.role("c").community == m.role("d").community != m.role("a").community
    assert m.n_communities == 2


def test_tie_rc_weights_in_strength_only() -> None:
    tie_rc = {("b", "a"): 4.0, ("c", "a"): 2.5, ("d", "c"): 3.0, ("a", "b"): 4.5}
    plain = network_metrics(hand_study())
    weighted = network_metrics(hand_study(), tie_rc=tie_rc)
    assert weighted.weighted
    assert not plain.weighted
    # d -> a has no tie RC: it adds nothing to a's strength
    assert [r.in_strength for r in weighted.roles] == [6.5, 4.5, 3.0, 0.0]
    for before, after in zip(plain.roles, weighted.roles, strict=True):
        assert attrs.evolve(after, in_strength=before.in_strength) == before


def test_tie_rc_with_unknown_role_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="unknown role 'zz'"):
        network_metrics(hand_study(), tie_rc={("a", "zz"): 4.0})


def test_bad_settings_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="basis"):
        network_metrics(hand_study(), basis="people")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="backend"):
        network_metrics(hand_study(), backend="graph-tool")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="no wave 'w9'"):
        network_metrics(hand_study(), wave="w9")


def test_ei_index_formula() -> None:
    assert ei_index(3, 1) == 0.5
    assert ei_index(0, 4) == -1.0
    assert ei_index(0, 0) is None


def _rating(source: str, target: str, value: float | None, wave: str | None = None) -> Rating:
    scores = dict.fromkeys(("frequent", "timely", "accurate", "problem_solving"), value)
    return Rating(source=source, target=target, scores=scores, wave=wave)


def test_auto_basis_falls_back_to_ratings_and_finds_absent_roles() -> None:
    roles = [*ROLES, Role("e", "E", present=False), Role("f", "F", present=False)]
    ratings = [
        _rating("a", "b", 4), _rating("a", "e", 2), _rating("b", "a", 5),
        _rating("c", "c", 3), _rating("c", "f", None),  # all items missing: no tie
    ]
    study = hand_study(roles=roles, ties=[], ratings=ratings)
    m = network_metrics(study)
    assert m.basis == "ratings"
    assert m.unreciprocated == (("a", "e"),)
    assert m.role("e").in_degree == 1
    assert m.role("c").out_degree == 0  # its within-group tie is not an arrow between roles
    assert m.named_but_absent == ("e",)
    assert attrs.astuple(m.coverage) == (6, 0, 3, 0, 0.0, 0.5, 0.0)
    # with named arrows present, auto reads the arrows, yet absent roles still come from
    # ratings as well
    with_arrows = network_metrics(study.with_tie(NamedTie("d", "f")))
    assert with_arrows.basis == "arrows"
    assert with_arrows.named_but_absent == ("e", "f")
    assert with_arrows.coverage.naming == 1


def test_wave_filter_reads_one_wave() -> None:
    ties = [NamedTie("a", "b", "w1"), NamedTie("b", "a", "w2"), NamedTie("c", "a", "w1"),
            NamedTie("c", "a", "w2")]
    study = hand_study(ties=ties)
    pooled = network_metrics(study)
    first = network_metrics(study, wave="w1")
    assert pooled.reciprocity == pytest.approx(2 / 3)
    assert pooled.role("a").in_strength == 3.0  # c -> a named in two waves
    assert first.reciprocity == 0.0
    assert first.role("a").in_strength == 1.0
    assert first.wave == "w1"


def test_empty_network_has_no_reciprocity() -> None:
    m = network_metrics(hand_study(ties=[NamedTie("a", "a")]), basis="arrows")
    assert m.n_arrows == 0
    assert m.reciprocity is None
    assert m.ei_index is None
    assert attrs.astuple(m.dyad_census) == (0, 0, 6)
    assert [r.pagerank for r in m.roles] == pytest.approx([0.25] * 4)
    assert all(r.constraint is None and r.reciprocity is None for r in m.roles)
    assert m.n_communities == 4


def test_backends_agree_on_a_larger_random_network() -> None:
    rng = random.Random(7)
    roles = [Role(f"r{i:03d}", f"R{i}", rng.choice(["s", "m", None])) for i in range(120)]
    ties = {NamedTie(rng.choice(roles).id, rng.choice(roles).id) for _ in range(600)}
    study = Study(metadata=Metadata("big"), instrument="relationskort", roles=roles, ties=ties)
    assert_same_numbers(network_metrics(study), network_metrics(study, backend="networkx"))


# --- properties ---------------------------------------------------------------------------

def studies(*, symmetric: bool = False) -> st.SearchStrategy[Study]:
    """Generated studies (relcoord.testing.strategies); ``symmetric`` adds every arrow's
    reverse."""
    drawn = generated_studies(max_roles=8, max_ties=20, instrument="relationskort")
    if not symmetric:
        return drawn
    return drawn.map(lambda s: attrs.evolve(s, ties=[
        *s.ties, *(attrs.evolve(t, source=t.target, target=t.source) for t in s.ties)]))


def tie_rc_for(study: Study, seed: int) -> dict[tuple[str, str], float]:
    rng = random.Random(seed)
    ids = study.role_ids
    return {(s, t): rng.choice([1.0, 2.5, 3.25, 4.0, 5.0, math.nan])
            for s in ids for t in ids if rng.random() < 0.6}


def assert_same_numbers(a: NetworkMetrics, b: NetworkMetrics) -> None:
    """Equal, floats to 1e-9; the backend field excepted."""
    assert attrs.evolve(a, backend=b.backend, roles=b.roles) == b
    for x, y in zip(a.roles, b.roles, strict=True):
        for field in attrs.fields(type(x)):
            u, v = getattr(x, field.name), getattr(y, field.name)
            if isinstance(u, float):
                assert v == pytest.approx(u, rel=1e-9, abs=1e-9), (x.role, field.name)
            else:
                assert u == v, (x.role, field.name)


BASES = st.sampled_from(["arrows", "ratings"])


@given(studies(), BASES, st.integers(0, 2**16), st.booleans())
def test_backends_agree(study: Study, basis: Any, seed: int, weighted: bool) -> None:
    tie_rc = tie_rc_for(study, seed) if weighted else None
    ig = network_metrics(study, basis=basis, tie_rc=tie_rc, backend="igraph")
    nx = network_metrics(study, basis=basis, tie_rc=tie_rc, backend="networkx")
    assert_same_numbers(ig, nx)


@given(studies(), BASES)
def test_counting_invariants(study: Study, basis: Any) -> None:
    m = network_metrics(study, basis=basis)
    n = len(study.roles)
    assert sum(attrs.astuple(m.dyad_census)) == n * (n - 1) // 2
    assert sum(r.in_degree for r in m.roles) == sum(r.out_degree for r in m.roles) == m.n_arrows
    assert math.fsum(r.pagerank for r in m.roles) == pytest.approx(1.0)
    assert sum(r.unreciprocated_out for r in m.roles) == len(m.unreciprocated)
    assert len(m.unreciprocated) == m.dyad_census.asymmetric
    assert m.ei_internal + m.ei_external <= m.n_arrows
    assert all(-1 <= o.ei_index <= 1 for o in m.ei_by_organisation if o.ei_index is not None)
    assert all(0 <= r.betweenness <= 1 for r in m.roles)
    assert set(m.named_but_absent) <= {r.id for r in study.roles if not r.present}
    assert sorted({r.community for r in m.roles}) == list(range(m.n_communities))


@given(studies(symmetric=True))
def test_mirror_symmetric_arrows_are_fully_reciprocated(study: Study) -> None:
    m = network_metrics(study, basis="arrows")
    assert m.dyad_census.asymmetric == 0
    assert m.unreciprocated == ()
    assert m.reciprocity in (None, 1.0)
    for r in m.roles:
        assert r.in_degree == r.out_degree
        assert r.reciprocity in (None, 1.0)
        assert r.unreciprocated_in == r.unreciprocated_out == 0


def relabel(study: Study, rename: Callable[[str], str]) -> Study:
    """The same study with every role id renamed, facts listed in reverse order."""
    roles = [attrs.evolve(r, id=rename(r.id)) for r in reversed(study.roles)]
    people = [attrs.evolve(p, role=rename(p.role)) for p in reversed(study.respondents)]
    ties = [attrs.evolve(t, source=rename(t.source), target=rename(t.target))
            for t in reversed(study.ties)]
    ratings = [attrs.evolve(x, source=rename(x.source), target=rename(x.target))
               for x in reversed(list(study.ratings))]
    invitations = [attrs.evolve(i, source=rename(i.source), target=rename(i.target))
                   for i in reversed(study.invitations)]
    return attrs.evolve(study, roles=roles, respondents=people, ties=ties, ratings=ratings,
                        invitations=invitations)


def renamed(m: NetworkMetrics, rename: Callable[[str], str]) -> NetworkMetrics:
    """``m`` with role ids renamed and every list put back in canonical order; community
    labels blanked (Louvain's partition may change when renaming changes the id order)."""
    roles = sorted((attrs.evolve(r, role=rename(r.role), community=0) for r in m.roles),
                   key=lambda r: r.role)
    return attrs.evolve(
        m,
        roles=tuple(roles),
        unreciprocated=tuple(sorted((rename(s), rename(t)) for s, t in m.unreciprocated)),
        named_but_absent=tuple(sorted(rename(r) for r in m.named_but_absent)),
        n_communities=0,
    )


def partition(m: NetworkMetrics) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for r in m.roles:
        groups.setdefault(r.community, set()).add(r.role)
    return {frozenset(g) for g in groups.values()}


@given(studies(), BASES, st.randoms(use_true_random=False))
def test_relabelling_roles_changes_nothing(study: Study, basis: Any, rnd: random.Random) -> None:
    ids = list(study.role_ids)
    shuffled = ids[:]
    rnd.shuffle(shuffled)
    mapping = {old: f"n{new}" for old, new in zip(ids, shuffled, strict=True)}
    before = network_metrics(study, basis=basis)
    after = network_metrics(relabel(study, mapping.__getitem__), basis=basis)
    expected = renamed(before, mapping.__getitem__)
    assert_same_numbers(renamed(after, lambda x: x), expected)
    # Louvain breaks ties in role-id order; a renaming that keeps the order keeps the
    # communities exactly
    kept = network_metrics(relabel(study, lambda x: f"x-{x}"), basis=basis)
    assert partition(kept) == {frozenset(f"x-{r}" for r in g) for g in partition(before)}


# --- sampled betweenness --------------------------------------------------------------------


def random_person_study(n: int, arrows: int, seed: int) -> Study:
    rng = random.Random(seed)
    roles = [Role(f"p{i:04d}", f"P{i}") for i in range(n)]
    ties = {NamedTie(roles[i].id, roles[(i + rng.randrange(1, n)) % n].id)
            for i in range(n) for _ in range(arrows)}
    return Study(metadata=Metadata("persons"), instrument="relationskort", roles=roles,
                 ties=ties)


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
def test_sampled_betweenness_with_every_node_as_pivot_is_exact(backend: Any) -> None:
    study = random_person_study(60, 2, seed=3)
    exact = network_metrics(study, backend=backend, betweenness_pivots="exact")
    every = network_metrics(study, backend=backend, betweenness_pivots=60)
    assert every.betweenness_pivots is None
    assert every.betweenness_method == exact.betweenness_method == BETWEENNESS_EXACT
    assert [r.betweenness for r in every.roles] == [r.betweenness for r in exact.roles]


@pytest.mark.parametrize("pivots", [2, 7, 40, 149])
def test_sampled_betweenness_equals_networkx_k_sample_estimator(pivots: int) -> None:
    """igraph over the pivots equals networkx's ``betweenness_centrality(k, seed)``, which
    draws the same pivots; and both differ from the exact values (it is an estimate)."""
    study = random_person_study(150, 2, seed=pivots)
    network = role_network(study, basis="arrows", self_loops=False)
    import networkx as nx

    reference = nx.betweenness_centrality(network.to_networkx(), k=pivots, normalized=True,
                                          seed=random.Random(BETWEENNESS_SEED))
    sampled = network_metrics(study, betweenness_pivots=pivots)
    assert sampled.betweenness_pivots == pivots
    assert f"{pivots} of 150 source nodes" in sampled.betweenness_method
    assert [r.betweenness for r in sampled.roles] == pytest.approx(
        [reference[r.role] for r in sampled.roles], abs=1e-12)
    assert_same_numbers(sampled, network_metrics(study, backend="networkx",
                                                 betweenness_pivots=pivots))
    exact = network_metrics(study, betweenness_pivots="exact")
    assert [r.betweenness for r in sampled.roles] != [r.betweenness for r in exact.roles]


def test_pivots_are_networkx_draw() -> None:
    ids = [f"p{i:04d}" for i in range(50)]
    assert [ids[i] for i in pivot_nodes(50, 9, seed=4)] == random.Random(4).sample(ids, 9)


def test_large_networks_are_sampled_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    study = random_person_study(40, 2, seed=1)
    assert network_metrics(study).betweenness_pivots is None  # below the threshold: exact
    monkeypatch.setattr(graph_measures, "EXACT_BETWEENNESS_WORK", 1000)
    monkeypatch.setattr(graph_measures, "BETWEENNESS_PIVOTS", 12)
    auto = network_metrics(study)
    assert auto.betweenness_pivots == 12
    assert auto.to_mapping()["betweenness_pivots"] == 12
    assert auto.to_mapping()["betweenness_method"] == (
        f"sampled(brandes-pich 2007, 12 of 40 source nodes, seed={BETWEENNESS_SEED})")
    assert network_metrics(study, betweenness_pivots="exact").betweenness_pivots is None


@pytest.mark.parametrize("pivots", [1, 0, -3, 2.5, True, "some"])
def test_bad_pivot_counts_are_refused(pivots: Any) -> None:
    with pytest.raises(InvalidInputError, match="betweenness_pivots"):
        network_metrics(random_person_study(10, 2, seed=0), betweenness_pivots=pivots)


def test_report_states_sampled_betweenness(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph_measures, "EXACT_BETWEENNESS_WORK", 3)
    monkeypatch.setattr(graph_measures, "BETWEENNESS_PIVOTS", 3)
    analysis = analyze(load_example())
    assert analysis.network.betweenness_pivots == 3
    for lang, words in (("en", "estimated from 3 of"), ("da", "anslået ud fra 3 af")):
        text = json.dumps(attrs.asdict(network_section(analysis, lang)), default=str,
                          ensure_ascii=False)
        assert words in text
    monkeypatch.undo()
    plain = network_section(analyze(load_example()), "en")
    assert "estimated from" not in json.dumps(attrs.asdict(plain), default=str)
