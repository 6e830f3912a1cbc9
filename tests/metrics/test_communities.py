"""Communities of a role or person network: Louvain (networkx) for role networks, Leiden
(leidenalg) from `LEIDEN_FROM_NODES` nodes, the method stated, labels that repeat."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord import Metadata, NamedTie, Role, Study
from relcoord.metrics import graph_measures
from relcoord.metrics.graph_measures import LEIDEN_FROM_NODES, communities, community_method
from relcoord.metrics.network import COMMUNITY_METHOD, network_metrics
from relcoord.optional_dependencies import MissingDependencyError, is_available
from relcoord.role_network import role_network

needs_leidenalg = pytest.mark.skipif(not is_available("leidenalg"),
                                     reason="Leiden needs leidenalg (the igraph extra)")


def cliques(sizes: list[int], bridges: int = 1) -> Study:
    """Dense groups of the given sizes, each joined to the next by ``bridges`` arrows."""
    roles, ties, start = [], [], 0
    for size in sizes:
        members = [f"r{start + i:04d}" for i in range(size)]
        roles += [Role(m, m) for m in members]
        ties += [NamedTie(a, b) for a in members for b in members if a != b]
        start += size
    ids = [r.id for r in roles]
    offsets = np.cumsum([0, *sizes])
    for k in range(len(sizes) - 1):
        for b in range(min(bridges, sizes[k], sizes[k + 1])):
            ties.append(NamedTie(ids[offsets[k] + b], ids[offsets[k + 1] + b]))
    return Study(metadata=Metadata("cliques"), instrument="relationskort", roles=roles,
                 ties=ties)


def test_a_role_network_keeps_louvain() -> None:
    assert community_method(LEIDEN_FROM_NODES - 1) == COMMUNITY_METHOD
    metrics = network_metrics(cliques([4, 3]))
    assert metrics.community_method == COMMUNITY_METHOD


@needs_leidenalg
def test_a_person_network_is_leiden_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    assert community_method(LEIDEN_FROM_NODES).startswith("leiden(leidenalg")
    monkeypatch.setattr(graph_measures, "LEIDEN_FROM_NODES", 5)
    study = cliques([6, 5, 4])
    metrics = network_metrics(study)
    assert metrics.community_method.startswith("leiden(leidenalg, undirected, unweighted")
    assert "seed=0" in metrics.community_method
    by_role = {r.role: r.community for r in metrics.roles}
    # the three cliques, labelled by falling size
    assert [by_role[f"r{i:04d}"] for i in range(15)] == [0] * 6 + [1] * 5 + [2] * 4
    assert metrics.n_communities == 3


@needs_leidenalg
@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(1, 7), min_size=1, max_size=6), bridges=st.integers(0, 3))
def test_leiden_labels_a_partition_that_repeats(sizes: list[int], bridges: int) -> None:
    network = role_network(cliques(sizes, bridges))
    first = communities(network, method="leiden")
    assert first.tolist() == communities(network, method="leiden").tolist()
    assert not first.flags.writeable
    labels = first.tolist()
    # labels 0..m-1, by falling size, ties broken by the first member
    members = [[i for i, c in enumerate(labels) if c == label]
               for label in range(max(labels) + 1)]
    assert all(members)
    assert members == sorted(members, key=lambda m: (-len(m), m[0]))
    # a clique with no bridge is never split nor joined to another
    if bridges == 0:
        start = 0
        for size in sizes:
            assert len(set(labels[start:start + size])) == 1
            start += size
        assert len(set(labels)) == len(sizes)


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="method"):
        communities(role_network(cliques([3])), method="girvan-newman")  # type: ignore[arg-type]


def test_leiden_without_leidenalg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "leidenalg", None)
    with pytest.raises(MissingDependencyError, match="igraph"):
        communities(role_network(cliques([3, 3])), method="leiden")
    # and "auto" stays with Louvain at any size then
    monkeypatch.setattr(graph_measures, "LEIDEN_FROM_NODES", 2)
    assert community_method(10) == COMMUNITY_METHOD
