"""The GraphML format: what networkx and igraph read, round trips, and refused input."""

from __future__ import annotations

import math
import shutil
import tempfile
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import igraph as ig
import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from relcoord.analysis import Analysis, analyze
from relcoord.cli import cli
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.formats.graphml import GRAPHML, graphml_bytes, read_graphml
from relcoord.formats.graphml.writer import (
    EDGE_ATTRIBUTES,
    GRAPH_ATTRIBUTES,
    GRAPHML_NAMESPACE,
    NODE_ATTRIBUTES,
)
from relcoord.instruments import INSTRUMENTS
from relcoord.model import Metadata, NamedTie, Role, Study
from relcoord.plugins.manager import PluginHost
from relcoord.ratings import Rating
from relcoord.testing import assert_roundtrip, network_file_carries
from relcoord.testing.strategies import studies

DATA = Path(__file__).resolve().parents[2] / "data" / "graphml"
NS = f"{{{GRAPHML_NAMESPACE}}}"





@pytest.fixture(scope="module")
def example_file(example: tuple[Study, Analysis], tmp_path_factory: pytest.TempPathFactory
                 ) -> Path:
    study, analysis = example
    path = tmp_path_factory.mktemp("graphml") / "example.graphml"
    path.write_bytes(graphml_bytes(study, analysis))
    return path


def read_igraph(path: Path) -> ig.Graph:
    """igraph's reading of a file, failing on any warning igraph gives about it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graph = ig.Graph.Read_GraphML(str(path))
    assert not caught, [str(w.message) for w in caught]
    return graph


def close(value: Any, expected: float | None) -> bool:
    if expected is None:
        return value is None or (isinstance(value, float) and math.isnan(value))
    return isinstance(value, float) and value == pytest.approx(expected, rel=1e-12)


# --- registration ---------------------------------------------------------------------------


def test_graphml_is_a_builtin_reader_and_writer(host: PluginHost) -> None:
    assert host.find_format(id="graphml", kind="read") is GRAPHML
    assert host.find_format(path="map.graphml", kind="write") is GRAPHML
    assert GRAPHML.carries == "both"
    assert host.owner(GRAPHML).builtin


# --- what other tools read --------------------------------------------------------------------


def test_networkx_reads_the_analysis(example: tuple[Study, Analysis], example_file: Path) -> None:
    study, analysis = example
    graph = nx.read_graphml(example_file)
    assert isinstance(graph, nx.DiGraph)
    assert sorted(graph.nodes) == list(study.role_ids)
    assert graph.graph["study"] == study.metadata.id
    assert graph.graph["rc"] == pytest.approx(analysis.scores.overall.rc)
    for summary in analysis.roles:
        node = graph.nodes[summary.id]
        role, net = summary.role, analysis.network.role(summary.id)
        assert node["name"] == node["label"] == role.name
        assert {k[5:]: v for k, v in node.items() if k.startswith("name_")} == dict(role.names)
        assert node.get("organisation") == role.organisation
        assert node["present"] is role.present
        assert node["in_degree"] == summary.in_degree
        assert node["out_degree"] == summary.out_degree
        assert node["n_respondents"] == summary.n_respondents
        for name in ("rc_as_rater", "rc_as_target", "rc_within", "weak_share"):
            value = getattr(summary, name)
            assert (name not in node) if value is None else close(node[name], value)
        assert close(node["pagerank"], net.pagerank)
        assert close(node["betweenness"], net.betweenness)
        assert node["community"] == net.community
    arrows = {(t.source, t.target) for t in study.ties}
    rated = {(t.source, t.target): t for t in analysis.scores.ties}
    assert set(graph.edges) == arrows | rated.keys()
    for source, target, edge in graph.edges(data=True):
        assert edge["named"] is ((source, target) in arrows)
        assert edge["arrows"] == sum(1 for t in study.ties if (t.source, t.target) == (source,
                                                                                       target))
        score = rated.get((source, target))
        assert edge["rated"] is (score is not None)
        if score is None:
            assert "rc" not in edge
            assert "n_respondents" not in edge
            continue
        # a tie suppressed by the privacy rule is a rated edge without any number
        assert close(edge.get("rc"), score.rc)
        assert close(edge.get("communication"), score.communication)
        assert close(edge.get("relationship"), score.relationship)
        assert edge.get("n_respondents") == score.n_respondents
        assert edge.get("band") == score.band
        for key, mean in score.dimensions.items():
            assert close(edge.get(f"mean_{key}"), mean)


def test_igraph_reads_the_same_numbers(example: tuple[Study, Analysis], example_file: Path
                                       ) -> None:
    study, analysis = example
    graph = read_igraph(example_file)
    assert graph.is_directed()
    assert graph.vcount() == len(study.roles)
    assert graph.vs["id"] == list(study.role_ids)
    for vertex, summary in zip(graph.vs, analysis.roles, strict=True):
        net = analysis.network.role(summary.id)
        assert vertex["name"] == summary.role.name
        assert vertex["present"] is summary.role.present
        assert vertex["in_degree"] == summary.in_degree
        assert vertex["out_degree"] == summary.out_degree
        assert close(vertex["rc_as_rater"], summary.rc_as_rater)
        assert close(vertex["rc_as_target"], summary.rc_as_target)
        assert close(vertex["pagerank"], net.pagerank)
        assert close(vertex["constraint"], net.constraint)
    rated = {(t.source, t.target): t for t in analysis.scores.ties}
    ids = graph.vs["id"]
    for edge in graph.es:
        score = rated.get((ids[edge.source], ids[edge.target]))
        assert edge["rated"] is (score is not None)
        assert close(edge["rc"], None if score is None else score.rc)
        if score is not None and not score.suppressed:
            assert edge["n_respondents"] == score.n_respondents
            assert edge["band"] == score.band
        elif score is not None:  # suppressed by the privacy rule: no number on the edge
            assert close(edge["n_respondents"], None)
    # igraph's own measures on the exported arrows agree with the Analysis's
    arrows = graph.subgraph_edges(graph.es.select(named=True), delete_vertices=False)
    arrows.simplify(multiple=False, loops=True)
    assert arrows.indegree() == [s.in_degree for s in analysis.roles]
    assert arrows.outdegree() == [s.out_degree for s in analysis.roles]


def test_one_type_per_key_prefixed_ids_and_no_null_values(example_file: Path) -> None:
    root = ET.parse(example_file).getroot()
    keys = {k.get("id"): k for k in root.iter(f"{NS}key")}
    prefix = {"graph": "g_", "node": "n_", "edge": "e_"}
    declared = {"graph": dict(GRAPH_ATTRIBUTES), "node": dict(NODE_ATTRIBUTES),
                "edge": dict(EDGE_ATTRIBUTES)}
    names_seen: set[tuple[str, str]] = set()
    for key_id, key in keys.items():
        domain, name, kind = key.get("for"), key.get("attr.name"), key.get("attr.type")
        assert domain is not None
        assert name is not None
        assert key_id is not None
        assert key_id == prefix[domain] + name
        assert (domain, name) not in names_seen
        names_seen.add((domain, name))
        if name in declared[domain]:
            assert kind == declared[domain][name]
    convert = {"int": int, "double": float, "string": str,
               "boolean": {"true", "false"}.__contains__}
    used = set()
    for data in root.iter(f"{NS}data"):
        key = keys[data.get("key")]
        used.add(data.get("key"))
        text = data.text
        assert text, f"empty value for {data.get('key')}"
        assert text.lower() not in ("none", "null", "nan", "inf", "-inf")
        result = convert[key.get("attr.type", "")](text)  # type: ignore[operator]
        assert result is not False
        if key.get("attr.type") == "int":
            assert "." not in text
    assert used == set(keys), "only keys that some element uses are declared"


def test_suppressed_metrics_are_left_out(example: tuple[Study, Analysis], tmp_path: Path) -> None:
    study, analysis = example
    hidden = analysis.scores.ties[0]
    suppressed = attrs.evolve(hidden, rc=None, communication=None, relationship=None, band=None,
                              dimensions=dict.fromkeys(hidden.dimensions))
    scores = attrs.evolve(analysis.scores, ties=(suppressed, *analysis.scores.ties[1:]))
    path = tmp_path / "suppressed.graphml"
    path.write_bytes(graphml_bytes(study, attrs.evolve(analysis, scores=scores)))
    edge = nx.read_graphml(path).edges[hidden.source, hidden.target]
    assert edge["rated"] is True
    assert not {"rc", "communication", "relationship", "band"} & edge.keys()
    assert not any(k.startswith("mean_") for k in edge)
    vertex_ids = read_igraph(path).vs["id"]
    es = read_igraph(path).es.find(_source=vertex_ids.index(hidden.source),
                                   _target=vertex_ids.index(hidden.target))
    assert math.isnan(es["rc"])


def test_without_an_analysis_only_the_study_is_written(example: tuple[Study, Analysis],
                                                        tmp_path: Path) -> None:
    study, _ = example
    path = tmp_path / "study.graphml"
    path.write_bytes(graphml_bytes(study))
    graph = nx.read_graphml(path)
    assert set(graph.edges) == {(t.source, t.target) for t in study.ties}
    assert all(edge["named"] for *_, edge in graph.edges(data=True))
    node_keys = {k for _, data in graph.nodes(data=True) for k in data}
    assert node_keys <= {"label", "name", "organisation", "present", "name_da", "name_en",
                         "name_de"}
    assert "rc" not in graph.graph
    read_igraph(path)


def test_an_analysis_of_another_study_is_refused(example: tuple[Study, Analysis]) -> None:
    study, analysis = example
    other = study.without_role(study.roles[0].id, cascade=True)
    with pytest.raises(InvalidInputError, match="another study"):
        graphml_bytes(other, analysis)


# --- round trips and determinism --------------------------------------------------------------


def test_example_round_trip(example: tuple[Study, Analysis], host: PluginHost,
                            tmp_path: Path) -> None:
    study, analysis = example
    back = assert_roundtrip("graphml", study, tmp_path, expected=network_file_carries,
                            analysis=analysis, host=host)
    assert back.ties == study.ties
    assert len(back.ties) > len({(t.source, t.target)
                                                             for t in study.ties})
    assert not back.respondents
    assert not len(back.ratings)
    assert not back.invitations


def test_exporting_twice_gives_the_same_bytes(example: tuple[Study, Analysis]) -> None:
    study, analysis = example
    assert graphml_bytes(study, analysis) == graphml_bytes(study, analyze(study))
    assert graphml_bytes(study) == graphml_bytes(load_example())


@given(study=studies(max_roles=6, max_ratings=16, max_respondents=6))
def test_what_network_file_carries_survives(study: Study, host: PluginHost) -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert_roundtrip("graphml", study, Path(folder), expected=network_file_carries, host=host)


@given(study=studies(max_roles=6, max_ratings=20, max_respondents=6))
def test_any_analysis_exports_deterministically_and_reads_in_both_tools(study: Study) -> None:
    analysis = analyze(study)
    data = graphml_bytes(study, analysis)
    assert data == graphml_bytes(study, analyze(study))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.graphml"
        path.write_bytes(data)
        graph = nx.read_graphml(path)
        expected = {(t.source, t.target) for t in study.ties}
        expected |= {(t.source, t.target) for t in analysis.scores.ties}
        assert set(graph.edges) == expected
        for tie in analysis.scores.ties:
            assert close(graph.edges[tie.source, tie.target].get("rc"), tie.rc)
        other = read_igraph(path)
        assert other.vcount() == len(study.roles)
        assert other.ecount() == len(expected)


def test_awkward_text_survives(host: PluginHost, tmp_path: Path) -> None:
    roles = [
        Role("a b", 'Quotes "and" <tags> & ampersands', names={"da": "Æble\tø"}),
        Role("line\nbreak", "carriage\r\nreturn and line\nfeed", organisation=" padded "),
        Role("ünïcode-😀", "   "),
    ]
    study = Study(metadata=Metadata(id="awk\tward", title="<title>", description="a\rb"),
                  instrument="rc7", roles=roles,
                  ties=[NamedTie("a b", "line\nbreak", "wave\r1"), NamedTie("a b", "a b")])
    back = assert_roundtrip("graphml", study, tmp_path, expected=network_file_carries, host=host)
    graph = nx.read_graphml(tmp_path / "roundtrip-1.graphml")
    assert graph.nodes["line\nbreak"]["name"] == "carriage\r\nreturn and line\nfeed"
    assert back.role("ünïcode-😀").name == "   "


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\ufffe"])
def test_text_xml_cannot_hold_is_refused_with_its_place(bad: str) -> None:
    study = Study(metadata=Metadata(id="s"), instrument="rc7",
                  roles=[Role("a", "A"), Role("b", f"B{bad}")])
    with pytest.raises(InvalidInputError) as caught:
        graphml_bytes(study)
    assert caught.value.location == "$.roles[1].name"
    assert f"U+{ord(bad):04X}" in caught.value.message


# --- files written by other tools --------------------------------------------------------------


def test_a_plain_networkx_graph_imports(tmp_path: Path) -> None:
    graph = nx.DiGraph()
    graph.add_edges_from([(1, 2), (2, 3), (3, 1), (2, 2)])
    graph.add_node(4)
    path = tmp_path / "plain.graphml"
    nx.write_graphml(graph, path)
    study = read_graphml(path, {})
    assert study.role_ids == ("1", "2", "3", "4")
    assert [r.name for r in study.roles] == ["1", "2", "3", "4"]
    assert {(t.source, t.target) for t in study.ties} == {("1", "2"), ("2", "3"), ("3", "1"),
                                                          ("2", "2")}
    assert study.metadata.id == "plain"
    assert study.instrument == INSTRUMENTS["rc7"]


def test_a_gephi_file_imports_with_labels_as_names() -> None:
    study = read_graphml(DATA / "gephi.graphml", {"instrument": "relationskort"})
    assert [r.name for r in study.roles] == ["Teachers", "Counsellors", "Job centre"]
    assert study.ties == (NamedTie("0", "1"), NamedTie("1", "0"), NamedTie("1", "2"))
    assert study.instrument == INSTRUMENTS["relationskort"]


def test_undirected_parallel_edges_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "undirected.graphml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<graphml xmlns="{GRAPHML_NAMESPACE}">\n'
        '  <key id="p" for="node" attr.name="present" attr.type="boolean">'
        "<default>false</default></key>\n"
        '  <key id="o" for="all" attr.name="organisation" attr.type="string" />\n'
        '  <graph edgedefault="undirected">\n'
        '    <node id="a"><data key="p">true</data><data key="o">school</data></node>\n'
        '    <node id="b" />\n'
        '    <node id="c" />\n'
        '    <edge source="a" target="b" />\n'
        '    <edge source="a" target="b" />\n'
        '    <edge source="b" target="c" />\n'
        "  </graph>\n</graphml>\n",
        encoding="utf-8",
    )
    study = read_graphml(path, {})
    assert [(r.id, r.present, r.organisation) for r in study.roles] == [
        ("a", True, "school"), ("b", False, None), ("c", False, None)
    ]
    assert {(t.source, t.target) for t in study.ties} == {
        ("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")
    }


def test_rated_ties_are_written_but_not_restored_as_arrows(tmp_path: Path) -> None:
    scores = dict.fromkeys(INSTRUMENTS["rc7"].keys, 4.0)
    study = Study(
        metadata=Metadata(id="s"), instrument="rc7",
        roles=[Role("a", "A"), Role("b", "B")],
        ties=[NamedTie("a", "b")],
        ratings=[Rating(source="b", target="a", scores=scores, wave="w1"),
                 Rating(source="a", target="b", scores=scores)],
    )
    path = tmp_path / "rated.graphml"
    path.write_bytes(graphml_bytes(study, analyze(study, min_respondents=1,
                                                  min_respondents_override=True)))
    graph = nx.read_graphml(path)
    assert graph.edges["b", "a"]["named"] is False
    assert graph.edges["b", "a"]["rated"] is True
    assert graph.edges["b", "a"]["rc"] == 4.0
    assert graph.edges["a", "b"]["named"] is True
    assert graph.edges["a", "b"]["rated"] is True
    back = read_graphml(path, {})
    assert back.ties == (NamedTie("a", "b"),)
    assert len(back.ratings) == 0


# --- refused input ---------------------------------------------------------------------------

BAD_INPUT = [
    ("truncated.graphml", 8, "not well-formed XML: unclosed token"),
    ("billion_laughs.graphml", 3, "entity declaration 'lol' refused"),
    ("external_entity.graphml", 3, "external entity 'secret' (SYSTEM 'secret.txt') refused"),
    ("parameter_entity.graphml", 3, "external entity 'remote'"),
    ("dtd.graphml", 2, "document type declaration (DTD) <!DOCTYPE graphml SYSTEM"),
    ("not_xml.graphml", 1, "not well-formed XML"),
    ("wrong_root.graphml", 2, "the root element is <svg>, not <graphml>"),
    ("no_namespace.graphml", 2, "it has no namespace"),
    ("undeclared_key.graphml", 7, "names the key 'n_colour', which is not declared"),
    ("bad_value.graphml", 8, "'three' is not a valid int"),
    ("duplicate_node.graphml", 6, "node id 'teachers' is used twice"),
    ("two_graphs.graphml", 6, "holds 2 graphs"),
    ("hyperedge.graphml", 7, "hyperedges are not supported"),
    ("bad_waves.graphml", 10, "expected a JSON array of wave names"),
    ("present_not_boolean.graphml", 3, "attribute 'present' of nodes must have attr.type boolean"),
    ("no_nodes.graphml", 3, "the graph has no nodes"),
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The bad-input corpus copied beside the local file that the external entity names."""
    folder = tmp_path / "corpus"
    shutil.copytree(DATA, folder)
    return folder


def read_error(path: Path) -> InvalidInputError | None:
    """The error reading ``path`` gives, or None when it reads; any other exception escapes."""
    try:
        read_graphml(path, {})
    except InvalidInputError as error:
        return error
    return None


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("name", "line", "message"), BAD_INPUT)
def test_bad_input_exits_1_with_a_located_message(
    name: str, line: int, message: str, corpus: Path, relcoord_host: PluginHost
) -> None:
    source, out = corpus / name, corpus / "out.json"
    result = run_cli("convert", str(source), str(out))
    assert result.exit_code == 1, result.output
    assert f"{source}:{line}:" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert "RELCOORD-SECRET" not in result.output


def test_an_external_entity_is_refused_at_its_declaration(corpus: Path) -> None:
    """Refused where it is declared, even when nothing uses it: the parser never resolves it."""
    text = (corpus / "external_entity.graphml").read_text(encoding="utf-8")
    unused = corpus / "unused_entity.graphml"
    unused.write_text(text.replace("&secret;", "Teachers"), encoding="utf-8")
    assert "RELCOORD-SECRET" in (corpus / "secret.txt").read_text(encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        read_graphml(unused, {})
    assert caught.value.location.startswith(f"{unused}:3:")
    assert "RELCOORD-SECRET" not in str(caught.value)


def test_export_through_the_cli_carries_the_analysis(tmp_path: Path, relcoord_host: PluginHost
                                                     ) -> None:
    source, out = tmp_path / "study.json", tmp_path / "roles.graphml"
    study = load_example()
    # pseudonymised, so that the re-read study has the same respondents behind each rating
    relcoord_host.write(study, source, format="json", options={"respondent_ids": "pseudonymise"})
    result = run_cli("export", str(source), "--to", "graphml", "-o", str(out))
    assert result.exit_code == 0, result.output
    # the report's language is the study's own (Danish): the arrows' RC labels follow it
    assert out.read_bytes() == graphml_bytes(study, analyze(study), lang="da")


def test_an_oversized_file_is_refused_before_parsing(corpus: Path, relcoord_host: PluginHost
                                                     ) -> None:
    source = corpus / "gephi.graphml"
    result = run_cli("convert", str(source), str(corpus / "out.json"), "-I", "max_bytes=512")
    assert result.exit_code == 1
    assert f"{source}: the file is larger than the limit of 512 bytes" in result.stderr
    assert "max_bytes" in result.stderr
    assert "Traceback" not in result.output


def test_a_good_file_converts_through_the_cli(corpus: Path, relcoord_host: PluginHost) -> None:
    result = run_cli("convert", str(corpus / "gephi.graphml"), str(corpus / "out.json"))
    assert result.exit_code == 0, result.output
    assert '"name": "Job centre"' in (corpus / "out.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_bytes": "lots"}, "max_bytes='lots': expected a whole number"),
        ({"max_bytes": 0}, "max_bytes=0"),
        ({"instrument": "rc99"}, "instrument='rc99': expected one of "),
        ({"colour": "red"}, "unknown option 'colour'; graphml takes:"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_graphml(DATA / "gephi.graphml", options)
    assert message in str(caught.value)


def test_the_writer_takes_only_its_options(example: tuple[Study, Analysis], tmp_path: Path
                                          ) -> None:
    study, _ = example
    assert GRAPHML.write is not None
    with pytest.raises(InvalidInputError, match=r"(?s)unknown option 'pretty'.*style="):
        GRAPHML.write(study, None, tmp_path / "x.graphml", {"pretty": "yes"})
    with pytest.raises(InvalidInputError, match="option style='gephi': expected one of plain"):
        GRAPHML.write(study, None, tmp_path / "x.graphml", {"style": "gephi"})


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_escape_as_another_exception(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.graphml"
        path.write_bytes(data)
        error = read_error(path)
        assert error is None or error.location.startswith(str(path))


@given(data=st.data())
def test_a_cut_or_damaged_export_is_refused_or_read(data: st.DataObject, example_file: Path
                                                    ) -> None:
    original = example_file.read_bytes()
    cut = data.draw(st.integers(0, len(original)), label="cut")
    damaged = bytearray(original[:cut])
    if damaged and data.draw(st.booleans(), label="flip"):
        at = data.draw(st.integers(0, len(damaged) - 1), label="at")
        damaged[at] = data.draw(st.sampled_from(b"<>&\"'x0 \x00\xff"), label="byte")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.graphml"
        path.write_bytes(bytes(damaged))
        error = read_error(path)
        assert error is None or error.location.startswith(str(path))


def test_a_file_that_names_no_instrument_is_noted() -> None:
    from relcoord.errors import ImportNote

    with pytest.warns(ImportNote, match=r"names no built-in instrument: read as rc7 \(settle "
                      r"it with -I instrument=rc7\)"):
        read_graphml(DATA / "gephi.graphml", {})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ImportNote)
        read_graphml(DATA / "gephi.graphml", {"instrument": "rc7"})
