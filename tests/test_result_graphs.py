"""An analysis as a networkx or igraph graph: every published figure an attribute, the two
libraries agree, and the roles and named ties read back whole."""

from __future__ import annotations

import math
from typing import Any

import igraph as ig
import networkx as nx
import pytest
from hypothesis import given, settings

import relcoord
from relcoord import Analysis, Study, analyze
from relcoord.role_network import from_igraph, from_networkx
from relcoord.testing.strategies import studies


@pytest.fixture(scope="module")
def example() -> Analysis:
    return analyze(relcoord.load_example())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-15) or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def test_nodes_carry_every_role_figure(example: Analysis) -> None:
    graph = example.to_networkx()
    table = example.to_frame("role_metrics", "polars")
    assert list(graph.nodes) == table.get_column("id").to_list()
    for row in table.iter_rows(named=True):
        node = graph.nodes[row["id"]]
        assert {k: v for k, v in row.items() if v is not None} == node
    first = graph.nodes[example.roles[0].id]
    for key in ("in_degree", "out_degree", "organisation", "present", "n_respondents"):
        assert key in first


def test_edges_carry_every_tie_figure(example: Analysis) -> None:
    graph = example.to_networkx()
    ties = example.to_frame("tie_metrics", "polars")
    rated = {(r["source"], r["target"]): r for r in ties.iter_rows(named=True)}
    for source, target, edge in graph.edges(data=True):
        if edge["rated"]:
            row = rated[(source, target)]
            figures = {k: v for k, v in row.items()
                       if v is not None and k not in ("source", "target")}
            assert {k: edge[k] for k in figures} == figures
            assert "rc" in edge or row["rc"] is None
    assert {(s, t) for s, t, e in graph.edges(data=True) if e["rated"]} == set(rated)
    named = {(t.source, t.target) for t in example.study.ties}
    assert {(s, t) for s, t, e in graph.edges(data=True) if e["named"]} == named
    assert sum(e["arrows"] for *_, e in graph.edges(data=True)) == len(example.study.ties)
    assert graph.graph["rc"] == example.scores.overall.rc
    assert graph.graph["band"] == example.scores.overall.band


def test_withheld_figures_are_left_out(example: Analysis) -> None:
    graph = example.to_networkx()
    source, target = example.privacy.ties_suppressed[0]
    edge = graph.edges[source, target]
    assert edge["suppressed"] is True
    assert "rc" not in edge
    assert "n_respondents" not in edge
    vertex = example.to_igraph()
    found = vertex.es[vertex.get_eid(vertex.vs.find(id=source).index,
                                     vertex.vs.find(id=target).index)]
    assert found["rc"] is None


def test_networkx_and_igraph_agree(example: Analysis) -> None:
    graph, other = example.to_networkx(), example.to_igraph()
    assert isinstance(graph, nx.DiGraph)
    assert isinstance(other, ig.Graph)
    assert other.is_directed()
    assert other.vs["id"] == list(graph.nodes)
    for key, value in graph.graph.items():
        assert _same(other[key], value)
    for vertex in other.vs:
        node = graph.nodes[vertex["id"]]
        assert {k: v for k, v in vertex.attributes().items() if v is not None} == node
    pairs = [(other.vs[e.source]["id"], other.vs[e.target]["id"]) for e in other.es]
    assert pairs == list(graph.edges)
    for edge, pair in zip(other.es, pairs, strict=True):
        assert {k: v for k, v in edge.attributes().items() if v is not None} == graph.edges[pair]


def test_the_graph_writes_as_graphml(example: Analysis, tmp_path: Any) -> None:
    """No None anywhere: networkx's GraphML writer takes the graph as it is."""
    nx.write_graphml(example.to_networkx(), tmp_path / "analysis.graphml")
    back = nx.read_graphml(tmp_path / "analysis.graphml")
    assert back.number_of_edges() == example.to_networkx().number_of_edges()
    study = from_networkx(back)  # and the file reads back as the study's roles and ties
    assert study.roles == example.study.roles
    assert study.ties == example.study.ties


def test_the_example_reads_back_whole(example: Analysis) -> None:
    study = example.study
    for back in (from_networkx(example.to_networkx()), from_igraph(example.to_igraph())):
        assert back.roles == study.roles
        assert back.ties == study.ties
        assert back.metadata.id == study.metadata.id
        assert back.metadata.language == study.metadata.language
        assert len(back.ratings) == 0


@settings(max_examples=20)
@given(studies(max_roles=6, max_ratings=20))
def test_roles_and_named_ties_round_trip(study: Study) -> None:
    """Every generated study's roles and named ties (waves, several waves of one arrow,
    arrows without a wave, roles named but absent, names in other languages) come back."""
    analysis = analyze(study)
    for back in (from_networkx(analysis.to_networkx()), from_igraph(analysis.to_igraph())):
        assert back.roles == study.roles
        assert back.ties == study.ties
        assert back.metadata.id == study.metadata.id
