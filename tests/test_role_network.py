"""The role network: arrows and rating-implied ties as edge arrays, networkx and igraph graphs."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import attrs
import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import relcoord.role_network as network_module
from relcoord import InvalidInputError, Metadata, NamedTie, Rating, Role, Study
from relcoord.role_network import (
    from_igraph,
    from_networkx,
    resolve_basis,
    role_network,
    to_igraph,
    to_networkx,
)
from relcoord.testing.strategies import studies

ROLES = [
    Role("teachers", "Undervisere", "school"),
    Role("leaders", "Skoleledere", "school"),
    Role("kui", "KUI", "municipality"),
    Role("psych", "Psykologer", present=False),
]


def _rating(source: str, target: str, value: float | None, wave: str | None = None) -> Rating:
    scores = dict.fromkeys(("frequent", "timely", "accurate", "problem_solving"), value)
    return Rating(source=source, target=target, scores=scores, wave=wave)


def example(**changes: Any) -> Study:
    fields: dict[str, Any] = {
        "metadata": Metadata("seed"),
        "instrument": "relationskort",
        "roles": ROLES,
        "ties": [
            NamedTie("kui", "teachers", "conf-1"), NamedTie("kui", "teachers", "conf-2"),
            NamedTie("teachers", "leaders", "conf-1"), NamedTie("psych", "teachers", "conf-2"),
            NamedTie("leaders", "leaders", "conf-1"),
        ],
        "ratings": [
            _rating("teachers", "kui", 2, "conf-1"), _rating("teachers", "kui", 3, "conf-1"),
            _rating("teachers", "teachers", 4, "conf-1"), _rating("kui", "leaders", 4, "conf-2"),
            _rating("leaders", "psych", None, "conf-1"),  # nothing answered: no tie
        ],
    }
    fields.update(changes)
    return Study(**fields)


def edges(graph: nx.DiGraph) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s, t): d for s, t, d in graph.edges(data=True)}


def test_networkx_arrows_one_edge_per_distinct_arrow() -> None:
    graph = to_networkx(example())
    assert list(graph.nodes) == ["kui", "leaders", "psych", "teachers"]
    assert graph.nodes["teachers"] == {
        "id": "teachers", "name": "Undervisere", "organisation": "school", "present": True,
    }
    assert "organisation" not in graph.nodes["psych"]  # GraphML refuses None
    assert graph.nodes["psych"]["present"] is False
    assert edges(graph) == {
        ("kui", "teachers"): {"count": 2, "weight": 2.0},
        ("leaders", "leaders"): {"count": 1, "weight": 1.0},
        ("psych", "teachers"): {"count": 1, "weight": 1.0},
        ("teachers", "leaders"): {"count": 1, "weight": 1.0},
    }
    assert graph.graph == {"study": "seed", "basis": "arrows", "weighted": False}


def test_networkx_wave_filter_and_self_loops() -> None:
    graph = to_networkx(example(), wave="conf-1", self_loops=False)
    assert set(edges(graph)) == {("kui", "teachers"), ("teachers", "leaders")}
    assert graph.graph["wave"] == "conf-1"
    assert edges(graph)[("kui", "teachers")]["count"] == 1


def test_networkx_ratings_basis_counts_answered_ratings() -> None:
    graph = to_networkx(example(), basis="ratings")
    assert edges(graph) == {
        ("kui", "leaders"): {"count": 1, "weight": 1.0},
        ("teachers", "kui"): {"count": 2, "weight": 2.0},
        ("teachers", "teachers"): {"count": 1, "weight": 1.0},
    }
    assert set(edges(to_networkx(example(), basis="ratings", wave="conf-2"))) == {
        ("kui", "leaders")
    }


def test_weights_become_edge_weights_and_unknown_ones_are_left_out() -> None:
    weights = {("teachers", "kui"): 2.5, ("kui", "leaders"): math.nan, ("kui", "psych"): 3.0}
    graph = to_networkx(example(), basis="ratings", weights=weights)
    assert graph.graph["weighted"] is True
    assert edges(graph)[("teachers", "kui")] == {"count": 2, "weight": 2.5}
    assert edges(graph)[("kui", "leaders")] == {"count": 1}
    assert ("kui", "psych") not in edges(graph)  # a weight does not make an edge


def test_igraph_matches_networkx() -> None:
    weights = {("kui", "teachers"): 3.5}
    graph = to_igraph(example(), weights=weights)
    assert graph.is_directed()
    assert graph.vs["id"] == ["kui", "leaders", "psych", "teachers"]
    assert graph.vs["name"] == ["KUI", "Skoleledere", "Psykologer", "Undervisere"]
    assert graph.vs["organisation"] == ["municipality", "school", None, "school"]
    assert graph.vs["present"] == [True, True, False, True]
    found = {
        (graph.vs[e.source]["id"], graph.vs[e.target]["id"]): (e["count"], e["weight"])
        for e in graph.es
    }
    assert found[("kui", "teachers")] == (2, 3.5)
    assert math.isnan(found[("psych", "teachers")][1])
    assert set(found) == set(edges(to_networkx(example())))
    assert graph.vs.find(id="kui").index == 0
    assert (graph["study"], graph["basis"], graph["weighted"], graph["wave"]) == (
        "seed", "arrows", True, None,
    )


def test_graphml_roundtrip_through_networkx(tmp_path: Path) -> None:
    path = tmp_path / "arrows.graphml"
    nx.write_graphml(to_networkx(example()), path)
    back = nx.read_graphml(path)
    assert set(back.edges) == set(to_networkx(example()).edges)
    assert back.nodes["kui"]["organisation"] == "municipality"


def test_resolve_basis() -> None:
    assert resolve_basis(example(), "auto") == "arrows"
    assert resolve_basis(example(ties=[]), "auto") == "ratings"
    assert resolve_basis(example(ties=[]), "arrows") == "arrows"
    with pytest.raises(InvalidInputError, match="expected one of auto, arrows, ratings"):
        resolve_basis(example(), "people")


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="no wave 'conf-9'"):
        to_networkx(example(), wave="conf-9")
    with pytest.raises(InvalidInputError, match="unknown role 'nobody'"):
        to_igraph(example(), weights={("nobody", "kui"): 1.0})


@given(studies(max_roles=10, max_ties=25), st.booleans())
def test_both_adapters_hold_the_same_graph(study: Study, self_loops: bool) -> None:
    nxg = to_networkx(study, self_loops=self_loops)
    igg = to_igraph(study, self_loops=self_loops)
    expected = {(t.source, t.target) for t in study.ties if self_loops or t.source != t.target}
    assert set(nxg.edges) == expected
    ig_edges = {(igg.vs[e.source]["id"], igg.vs[e.target]["id"]): e["count"] for e in igg.es}
    assert ig_edges == {(s, t): d["count"] for s, t, d in nxg.edges(data=True)}
    assert sum(ig_edges.values()) == sum(
        1 for t in study.ties if self_loops or t.source != t.target
    )
    assert list(nxg.nodes) == igg.vs["id"] == list(study.role_ids)


def test_distinct_edges_agree_on_small_and_large_networks() -> None:
    """The n*n counting table and the sorting path give the same edges."""
    rng = np.random.default_rng(7)
    for n, m in ((6, 500), (50_000, 300)):
        source = rng.integers(0, n, m)
        target = rng.integers(0, n, m)
        got = network_module._distinct_edges(source, target, n, self_loops=False)
        keep = source != target
        pairs, counts = np.unique(source[keep] * n + target[keep], return_counts=True)
        np.testing.assert_array_equal(got[0], pairs // n)
        np.testing.assert_array_equal(got[1], pairs % n)
        np.testing.assert_array_equal(got[2], counts)


@given(studies(max_roles=8, max_ratings=30), st.booleans(), st.data())
def test_rated_network_counts_ratings_with_an_answered_item(
    study: Study, self_loops: bool, data: st.DataObject
) -> None:
    """The rating-implied edges, counted from the Rating objects one by one: a rating counts
    when one of its items is answered (complete data takes a shortcut; rows without any
    answer take the full check)."""
    wave = data.draw(st.sampled_from([None, *study.waves]))
    net = role_network(study, basis="ratings", wave=wave, self_loops=self_loops)
    expected: dict[tuple[str, str], int] = {}
    for r in study.ratings:
        answered = any(v is not None and not math.isnan(v) for v in r.scores.values())
        if answered and (wave is None or r.wave == wave) and (self_loops or r.source != r.target):
            expected[(r.source, r.target)] = expected.get((r.source, r.target), 0) + 1
    ids = net.role_ids
    found = {(ids[s], ids[t]): c for s, t, c in zip(
        net.source.tolist(), net.target.tolist(), net.count.tolist(), strict=True)}
    assert found == expected


def test_answered_rows() -> None:
    gaps = np.array([[1.0, np.nan], [np.nan, np.nan], [np.nan, 2.0]])
    assert network_module._answered_rows(gaps).tolist() == [True, False, True]
    assert network_module._answered_rows(np.ones((3, 2))).tolist() == [True] * 3
    assert network_module._answered_rows(np.empty((2, 0))).tolist() == [False, False]


@given(studies(max_roles=8, max_ties=20), st.integers(0, 2**16), st.booleans())
def test_weighting_a_network_equals_building_it_weighted(
    study: Study, seed: int, self_loops: bool
) -> None:
    rng = np.random.default_rng(seed)
    ids = study.role_ids
    weights = {(s, t): float(rng.choice([1.0, 3.5, math.nan, math.inf]))
               for s in ids for t in ids if rng.random() < 0.6}
    for basis in ("arrows", "ratings"):
        plain = role_network(study, basis=basis, self_loops=self_loops)
        built = role_network(study, basis=basis, weights=weights, self_loops=self_loops)
        later = plain.weighted_by(weights)
        assert later.weighted
        assert built.weighted
        np.testing.assert_array_equal(later.weight, built.weight)
        np.testing.assert_array_equal(later.count, built.count)
        back = later.weighted_by(None)
        assert not back.weighted
        np.testing.assert_array_equal(back.weight, plain.weight)


def test_weighting_by_an_unknown_role_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="unknown role 'nobody'"):
        role_network(example()).weighted_by({("kui", "nobody"): 1.0})


# --- graphs back in: from_networkx and from_igraph ------------------------------------------


@given(studies(max_roles=6, max_ratings=0))
def test_a_wave_network_reads_back_as_that_wave_s_ties(study: Study) -> None:
    """``from_networkx(to_networkx(study, wave=w))``: the roles and the ties of wave ``w``;
    the pooled network of a study without waves: every tie."""
    plain = tuple(attrs.evolve(r, names=()) for r in study.roles)
    for wave in study.waves:
        expected = tuple(t for t in study.ties if t.wave == wave)
        for back in (from_networkx(to_networkx(study, wave=wave)),
                     from_igraph(to_igraph(study, wave=wave))):
            assert back.roles == plain
            assert back.ties == expected
    if not study.waves:
        assert from_networkx(to_networkx(study)).ties == study.ties
        assert from_igraph(to_igraph(study)).ties == study.ties


def test_a_graph_drawn_elsewhere_becomes_roles_and_named_ties() -> None:
    graph = nx.MultiDiGraph(study="drawn", title="A map")
    graph.add_node(1, name="Teachers", organisation="school", name_da="Lærere")
    graph.add_node(2, present="false", organisation=float("nan"))
    graph.add_edge(1, 2, waves="w1; w2")
    graph.add_edge(2, 1)
    graph.add_edge(2, 1, named=False, rc=3.1)  # a rated tie nobody drew: not study data
    study = from_networkx(graph)
    assert study.metadata.id == "drawn"
    assert study.metadata.title == "A map"
    assert study.roles == (Role("1", "Teachers", "school", names={"da": "Lærere"}),
                           Role("2", "2", None, present=False))
    assert study.ties == (NamedTie("2", "1"), NamedTie("1", "2", "w1"),
                          NamedTie("1", "2", "w2"))
    assert from_networkx(graph, study_id="mine").metadata.id == "mine"

    other = ig.Graph(directed=True)
    other.add_vertices(2)
    other.vs["name"] = ["a", "b"]
    other.vs["label"] = ["Role A", "Role B"]
    other.add_edges([(0, 1), (1, 0)])
    other.es["arrows"] = [2, 1]
    back = from_igraph(other)
    assert [(r.id, r.name) for r in back.roles] == [("a", "Role A"), ("b", "Role B")]
    assert back.ties == (NamedTie("a", "b"), NamedTie("b", "a"))  # two waveless arrows, one tie
    unnamed = ig.Graph(n=2, edges=[(0, 1)], directed=True)
    assert from_igraph(unnamed).ties == (NamedTie("0", "1"),)


@pytest.mark.parametrize(("change", "message"), [
    ("undirected", "expected a directed graph"),
    ("ratings", "rated ties"),
    ("present", "node 'a': attribute 'present': expected true or false"),
    ("arrows", "edge 'a' -> 'b': attribute 'waves' lists 2 waves but 'arrows' counts 1"),
    ("name", "node 'a': attribute 'name': expected text"),
])
def test_a_graph_that_is_not_a_role_map_is_refused(change: str, message: str) -> None:
    graph: Any = nx.Graph() if change == "undirected" else nx.DiGraph()
    graph.add_node("a", present="maybe" if change == "present" else True,
                   name=["x"] if change == "name" else "A")
    graph.add_node("b")
    graph.add_edge("a", "b", **({"waves": "w1; w2", "arrows": 1} if change == "arrows" else {}))
    if change == "ratings":
        graph.graph["basis"] = "ratings"
    with pytest.raises(InvalidInputError, match=message):
        from_networkx(graph)
