"""The styled network files: GraphML's weight, label and yEd graphics, GEXF and Cytoscape.js.

Each file is read back by tools that are not relcoord's where they exist (networkx's GraphML,
GEXF and Cytoscape JSON readers, igraph's GraphML reader), and by relcoord's own importers
through the conformance kit.  The JavaScript readers (graphology, Cytoscape.js) are in
``test_network_files_js.py``.
"""

from __future__ import annotations

import json
import math
import tempfile
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.analysis import Analysis, analyze
from relcoord.cli import cli
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.formats.cytoscape import CYTOSCAPE, cytoscape_elements, cytoscape_style
from relcoord.formats.gexf import GEXF, gexf_bytes, read_gexf
from relcoord.formats.gexf.writer import GEXF_NAMESPACE, GEXF_VIZ_NAMESPACE
from relcoord.formats.graphml import graphml_bytes
from relcoord.formats.graphml.writer import YFILES_NAMESPACE
from relcoord.formats.network_style import rgb
from relcoord.model import Metadata, NamedTie, Role, Study
from relcoord.plugins.manager import PluginHost
from relcoord.report_map import BAND_COLOURS, map_layout, organisation_colours, tie_bands
from relcoord.settings import AnalysisSettings
from relcoord.testing import assert_roundtrip, network_file_carries
from relcoord.testing.strategies import studies

G = f"{{{GEXF_NAMESPACE}}}"
VIZ = f"{{{GEXF_VIZ_NAMESPACE}}}"
Y = f"{{{YFILES_NAMESPACE}}}"





@pytest.fixture(scope="module")
def withheld() -> tuple[Study, Analysis]:
    """The example under a strict minimum-respondent rule: 54 of 86 ties withheld."""
    study = load_example()
    analysis = analyze(study, AnalysisSettings(min_respondents=7))
    assert sum(t.suppressed for t in analysis.scores.ties) > 40
    return study, analysis


def gexf_edge_colours(path: Path) -> dict[tuple[str, str], tuple[int, int, int]]:
    """Each edge's ``viz:color`` (networkx reads the viz module of nodes only)."""
    colours = {}
    for edge in ET.parse(path).getroot().iter(f"{G}edge"):
        colour = edge.find(f"{VIZ}color")
        assert colour is not None
        colours[edge.get("source", ""), edge.get("target", "")] = (
            int(colour.get("r", "")), int(colour.get("g", "")), int(colour.get("b", "")))
    return colours


def published_rc(analysis: Analysis) -> dict[tuple[str, str], float]:
    return {(t.source, t.target): t.rc for t in analysis.scores.ties if t.rc is not None}


# --- the formats are registered ------------------------------------------------------------


@pytest.mark.parametrize(("format_id", "extension"), [("gexf", ".gexf"), ("cytoscape", None)])
def test_the_formats_are_builtin_readers_and_writers(host: PluginHost, format_id: str,
                                                     extension: str | None) -> None:
    for kind in ("read", "write"):
        chosen = host.find_format(id=format_id, kind=kind)
        assert chosen.carries == "both"
    if extension:
        assert host.find_format(path=f"x{extension}", kind="write").id == format_id
    else:
        assert CYTOSCAPE.writes_directory


# --- GraphML: weight, label, yEd -----------------------------------------------------------


def test_graphml_weight_and_label_are_the_published_rc(example: tuple[Study, Analysis],
                                                         tmp_path: Path) -> None:
    study, analysis = example
    path = tmp_path / "roles.graphml"
    path.write_bytes(graphml_bytes(study, analysis, lang="da"))
    graph = nx.read_graphml(path)
    rc = published_rc(analysis)
    for source, target, data in graph.edges(data=True):
        if (source, target) in rc:
            assert data["weight"] == rc[source, target]
            assert data["label"] == f"{rc[source, target]:.2f}".replace(".", ",")
        else:
            assert "weight" not in data
            assert "label" not in data
    # igraph reads the weight as the edge weight attribute too
    other = ig.Graph.Read_GraphML(str(path))
    ids = other.vs["id"]
    for edge in other.es:
        pair = (ids[edge.source], ids[edge.target])
        assert (pair in rc and edge["weight"] == rc[pair]) or math.isnan(edge["weight"])


def test_withheld_ties_carry_no_figure_in_any_file(withheld: tuple[Study, Analysis],
                                                    tmp_path: Path) -> None:
    study, analysis = withheld
    hidden = {(t.source, t.target) for t in analysis.scores.ties if t.suppressed}
    graphml = tmp_path / "w.graphml"
    graphml.write_bytes(graphml_bytes(study, analysis, style="yed"))
    g = nx.read_graphml(graphml)
    gexf = tmp_path / "w.gexf"
    gexf.write_bytes(gexf_bytes(study, analysis))
    h = nx.read_gexf(gexf, version="1.3")
    elements = cytoscape_elements(study, analysis)
    cy = {(e["data"]["source"], e["data"]["target"]): e["data"]
          for e in elements["elements"]["edges"]}
    figures = {"weight", "label", "rc", "communication", "relationship", "band", "gap",
               "n_respondents"}
    edge_colours = gexf_edge_colours(gexf)
    for pair in hidden:
        assert not figures & g.edges[pair].keys()
        assert not figures & h.edges[pair].keys()
        assert not any(k.startswith("mean_") for k in h.edges[pair])
        assert edge_colours[pair] == rgb(BAND_COLOURS["withheld"])
        assert not figures & cy[pair].keys()
        assert cy[pair]["colour"] == BAND_COLOURS["withheld"]
        assert cy[pair]["line"] == "dotted"
    text = graphml.read_text(encoding="utf-8")
    assert f'color="{BAND_COLOURS["withheld"]}" type="dotted"' in text


def test_yed_graphics_draw_the_report_map(example: tuple[Study, Analysis],
                                          tmp_path: Path) -> None:
    study, analysis = example
    path = tmp_path / "yed.graphml"
    path.write_bytes(graphml_bytes(study, analysis, style="yed", lang="en"))
    layout = map_layout(analysis, study, "en")
    colours = organisation_colours(study)
    root = ET.parse(path).getroot()
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    for node in root.iter(f"{ns}node"):
        role = study.role(node.get("id", ""))
        shape = node.find(f".//{Y}ShapeNode")
        assert shape is not None
        geometry, fill = shape.find(f"{Y}Geometry"), shape.find(f"{Y}Fill")
        border, label = shape.find(f"{Y}BorderStyle"), shape.find(f"{Y}NodeLabel")
        assert geometry is not None
        assert fill is not None
        assert border is not None
        x, y = layout.position[role.id]
        size = layout.diameter[role.id]
        assert float(geometry.get("x", "nan")) == pytest.approx(x - size / 2, abs=1e-3)
        assert float(geometry.get("y", "nan")) == pytest.approx(-y - size / 2, abs=1e-3)
        organisation = colours[role.organisation]
        if role.present:
            assert fill.get("color") == organisation
        else:  # absent roles hollow, dashed, as on the picture
            assert (fill.get("color"), border.get("color"), border.get("type")) == (
                "#FFFFFF", organisation, "dashed")
        assert label is not None
        assert label.text == role.label("en")
    bands = tie_bands(analysis)
    for edge in root.iter(f"{ns}edge"):
        pair = (edge.get("source", ""), edge.get("target", ""))
        line = edge.find(f".//{Y}LineStyle")
        assert line is not None
        assert line.get("color") == BAND_COLOURS[bands.get(pair, "none")]
        curved = edge.find(f".//{Y}ArcEdge") is not None
        assert curved == ((pair[1], pair[0]) in bands or any(
            (t.source, t.target) == (pair[1], pair[0]) for t in study.ties))
    # networkx reads yEd's positions and shapes; igraph reads the file without a warning
    graph = nx.read_graphml(path)
    first = layout.order[0]
    assert float(graph.nodes[first]["x"]) == pytest.approx(
        layout.position[first][0] - layout.diameter[first] / 2, abs=1e-3)
    assert graph.nodes[first]["shape_type"] == "ellipse"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert ig.Graph.Read_GraphML(str(path)).vcount() == len(study.roles)
    assert not caught, [str(w.message) for w in caught]


def test_yed_graphics_do_not_change_what_reads_back(example: tuple[Study, Analysis],
                                                    host: PluginHost, tmp_path: Path) -> None:
    study, analysis = example
    back = assert_roundtrip("graphml", study, tmp_path, expected=network_file_carries,
                            analysis=analysis, write_options={"style": "yed"}, host=host)
    assert back.ties == study.ties
    plain = graphml_bytes(study, analysis).decode()
    yed = graphml_bytes(study, analysis, style="yed").decode()
    # the same keys and data: the graphics only add
    assert [line for line in yed.splitlines() if "<data key=\"y_" not in line
            and "y:" not in line and line.strip() != "</data>" and "y_node" not in line
            and "y_edge" not in line and "<graphml" not in line] == [
        line for line in plain.splitlines() if "<graphml" not in line]


# --- GEXF ------------------------------------------------------------------------------------


def test_gexf_opens_pre_drawn_in_networkx(example: tuple[Study, Analysis],
                                          tmp_path: Path) -> None:
    study, analysis = example
    path = tmp_path / "roles.gexf"
    path.write_bytes(gexf_bytes(study, analysis, lang="da"))
    graph = nx.read_gexf(path, version="1.3")
    layout = map_layout(analysis, study, "da")
    assert graph.number_of_nodes() == len(study.roles)
    for role in study.roles:
        data = graph.nodes[role.id]
        viz = data["viz"]
        r, g, b = rgb(layout.colour[role.id])
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == (r, g, b)
        assert viz["color"].get("a", 1.0) == (1.0 if role.present else 0.35)
        assert viz["position"]["x"] == pytest.approx(layout.position[role.id][0])
        assert viz["position"]["y"] == pytest.approx(layout.position[role.id][1])
        assert viz["size"] == pytest.approx(layout.diameter[role.id])
        assert data["label"] == role.label("da")
        assert data["name"] == role.name
        assert data["present"] is role.present
    summary = {r.id: r for r in analysis.roles}
    assert all(graph.nodes[r]["in_degree"] == summary[r].in_degree for r in summary)
    rc, bands = published_rc(analysis), tie_bands(analysis)
    edge_colours = gexf_edge_colours(path)
    for source, target, data in graph.edges(data=True):
        colour = BAND_COLOURS[bands.get((source, target), "none")]
        assert edge_colours[source, target] == rgb(colour)
        if (source, target) in rc:
            assert data["weight"] == rc[source, target]
            assert data["rc"] == rc[source, target]
            assert data["label"] == f"{rc[source, target]:.2f}".replace(".", ",")


def test_gexf_waves_are_spells(example: tuple[Study, Analysis], tmp_path: Path) -> None:
    study, analysis = example
    path = tmp_path / "roles.gexf"
    path.write_bytes(gexf_bytes(study, analysis))
    root = ET.parse(path).getroot()
    graph_element = root.find(f"{G}graph")
    assert graph_element is not None
    assert (graph_element.get("mode"), graph_element.get("timeformat")) == ("dynamic", "integer")
    meta = root.find(f"{G}meta")
    assert meta is not None
    assert json.loads(meta.get("{urn:relcoord:gexf:1}waves", "")) == list(study.waves)
    graph = nx.read_gexf(path, version="1.3")
    time = {wave: i for i, wave in enumerate(study.waves, start=1)}
    waves: dict[tuple[str, str], set[str | None]] = {}
    for tie in study.ties:
        waves.setdefault((tie.source, tie.target), set()).add(tie.wave)
    for pair, named in waves.items():
        spells = graph.edges[pair].get("spells")
        if None in named:
            assert spells is None
        else:
            assert spells == sorted((time[w], time[w]) for w in named if w is not None)
    some_waves = [pair for pair, named in waves.items() if len(named) < len(study.waves)]
    assert some_waves, "the example has arrows named in some waves only"


def test_a_study_without_waves_is_a_static_gexf() -> None:
    study = Study(metadata=Metadata(id="s"), instrument="rc7",
                  roles=[Role("a", "A"), Role("b", "B", organisation="x")],
                  ties=[NamedTie("a", "b"), NamedTie("b", "a")])
    root = ET.fromstring(gexf_bytes(study))
    graph_element = root.find(f"{G}graph")
    assert graph_element is not None
    assert graph_element.get("mode") == "static"
    assert root.find(f".//{G}spells") is None
    for edge in root.iter(f"{G}edge"):
        assert edge.get("weight") is None  # no analysis, no RC
        thickness = edge.find(f"{VIZ}thickness")
        assert thickness is not None
        assert thickness.get("value") == "1.0"


@pytest.mark.parametrize("format_id", ["gexf", "cytoscape"])
def test_example_round_trip(format_id: str, example: tuple[Study, Analysis], host: PluginHost,
                            tmp_path: Path) -> None:
    study, analysis = example
    back = assert_roundtrip(format_id, study, tmp_path, expected=network_file_carries,
                            analysis=analysis, host=host)
    assert back.ties == study.ties
    assert not back.respondents
    assert not len(back.ratings)
    assert not back.invitations


@pytest.mark.parametrize("format_id", ["graphml", "gexf", "cytoscape"])
@settings(max_examples=25, deadline=None)
@given(study=studies(max_roles=6, max_ratings=16, max_respondents=6), lang=st.sampled_from(
    ["da", "en"]))
def test_what_the_network_files_carry_survives(format_id: str, study: Study, lang: str,
                                               host: PluginHost) -> None:
    options = {"lang": lang, **({"style": "yed"} if format_id == "graphml" else {})}
    with tempfile.TemporaryDirectory() as folder:
        assert_roundtrip(format_id, study, Path(folder), expected=network_file_carries,
                         analysis=analyze(study), write_options=options, host=host)


@settings(max_examples=20, deadline=None)
@given(study=studies(max_roles=6, max_ratings=20, max_respondents=6))
def test_any_analysis_reads_in_networkx_as_gexf(study: Study) -> None:
    analysis = analyze(study)
    expected = {(t.source, t.target) for t in study.ties}
    expected |= {(t.source, t.target) for t in analysis.scores.ties}
    rc = published_rc(analysis)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.gexf"
        path.write_bytes(gexf_bytes(study, analysis))
        graph = nx.read_gexf(path, version="1.3")
        assert set(graph.nodes) == set(study.role_ids)
        assert set(graph.edges) == expected
        for pair in expected:
            assert graph.edges[pair].get("weight") == rc.get(pair)


def test_awkward_text_survives(host: PluginHost, tmp_path: Path) -> None:
    roles = [
        Role("a b", 'Quotes "and" <tags> & ampersands', names={"da": "Æble\tø"}),
        Role("line\nbreak", "carriage\r\nreturn and line\nfeed", organisation=" padded "),
        Role("ünïcode-😀", "   "),
    ]
    study = Study(metadata=Metadata(id="awk\tward", title="<title>", description=" a\rb "),
                  instrument="rc7", roles=roles,
                  ties=[NamedTie("a b", "line\nbreak", "wave\r1"), NamedTie("a b", "a b")])
    for format_id in ("gexf", "cytoscape"):
        folder = tmp_path / format_id
        folder.mkdir()
        back = assert_roundtrip(format_id, study, folder, expected=network_file_carries, host=host)
        assert back.role("line\nbreak").name == "carriage\r\nreturn and line\nfeed"
        assert back.metadata.description == " a\rb "


def test_exports_are_deterministic(example: tuple[Study, Analysis]) -> None:
    study, analysis = example
    assert gexf_bytes(study, analysis) == gexf_bytes(load_example(), analyze(load_example()))
    assert cytoscape_elements(study, analysis) == cytoscape_elements(load_example(),
                                                                     analyze(load_example()))


# --- Cytoscape.js ----------------------------------------------------------------------------


def test_cytoscape_elements_carry_the_map(example: tuple[Study, Analysis]) -> None:
    study, analysis = example
    document = cytoscape_elements(study, analysis, lang="en")
    layout = map_layout(analysis, study, "en")
    nodes = {n["data"]["id"]: n for n in document["elements"]["nodes"]}
    assert set(nodes) == set(study.role_ids)
    for role in study.roles:
        node = nodes[role.id]
        assert node["data"]["label"] == role.label("en")  # the map's language
        assert node["data"]["name"] == role.name
        assert node["data"]["colour"] == layout.colour[role.id]
        assert node["data"]["size"] == layout.diameter[role.id]
        x, y = layout.position[role.id]
        assert node["position"] == {"x": x, "y": -y if y else 0.0}  # Cytoscape's y points down
    rc = published_rc(analysis)
    for edge in document["elements"]["edges"]:
        data = edge["data"]
        pair = (data["source"], data["target"])
        assert data.get("weight") == rc.get(pair)
        assert data["curved"] == any((e["data"]["source"], e["data"]["target"]) == pair[::-1]
                                     for e in document["elements"]["edges"])
        if "waves" in data:
            assert isinstance(data["waves"], list)
    assert document["data"]["study"] == study.metadata.id
    # every selector of the style names data the elements have
    selectors = [rule["selector"] for rule in cytoscape_style()]
    assert {"node", "edge", "node[!present]"} <= set(selectors)


def test_cytoscape_reads_a_single_cyjs_file_and_a_flat_element_list(tmp_path: Path) -> None:
    document = {"data": {"study": "flat", "instrument": "rc7"}, "elements": [
        {"group": "nodes", "data": {"id": "a", "name": "A"}},
        {"data": {"id": "b", "label": "B", "present": False}},
        {"data": {"id": "e", "source": "a", "target": "b", "waves": ["w1", None]}},
        {"data": {"id": "f", "source": "b", "target": "a", "named": False, "rc": 3.0}},
    ]}
    path = tmp_path / "net.cyjs"
    path.write_text(json.dumps(document), encoding="utf-8")
    study = CYTOSCAPE.read(path, {}) if CYTOSCAPE.read else None
    assert study is not None
    assert study.metadata.id == "flat"
    assert [(r.id, r.name, r.present) for r in study.roles] == [("a", "A", True),
                                                               ("b", "B", False)]
    assert sorted((t.source, t.target, t.wave or "") for t in study.ties) == [
        ("a", "b", ""), ("a", "b", "w1")]


# --- bad input -------------------------------------------------------------------------------


GEXF_HEAD = '<?xml version="1.0"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('<?xml version="1.0"?>\n<graphml/>\n', 2, "not <gexf>"),
        ('<?xml version="1.0"?>\n<gexf xmlns="http://example.org/x"/>\n', 2, "namespace"),
        (GEXF_HEAD + '<graph><nodes><node id="a"/>\n<node id="a"/></nodes></graph></gexf>', 4,
         "node id 'a' is used twice"),
        (GEXF_HEAD + '<graph><attributes class="edge"><attribute id="w" title="waves" '
         'type="string"/></attributes><nodes><node id="a"/></nodes>\n<edges><edge source="a" '
         'target="a"><attvalues><attvalue for="w" value="[1]"/></attvalues></edge></edges>'
         "</graph></gexf>", 4, "attribute 'waves'"),
        (GEXF_HEAD + '<graph><nodes><node id="a">\n<attvalues><attvalue for="x" value="1"/>'
         "</attvalues></node></nodes></graph></gexf>", 4, "no <attributes> block declares"),
        (GEXF_HEAD + '<graph><attributes class="node"><attribute id="0" title="present" '
         'type="string"/>\n</attributes></graph></gexf>', 3, "must have type boolean"),
        (GEXF_HEAD + '<graph><nodes><node id="a"/></nodes><edges>\n<edge source="a"/>'
         "</edges></graph></gexf>", 4, "without a target"),
        ('<?xml version="1.0"?>\n<!DOCTYPE gexf [<!ENTITY lol "lol">]>\n<gexf/>', 2,
         "entity declaration 'lol' refused"),
    ],
)
def test_bad_gexf_is_refused_at_its_place(text: str, line: int, message: str,
                                          tmp_path: Path) -> None:
    path = tmp_path / "bad.gexf"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        read_gexf(path, {"instrument": "rc7"})
    assert caught.value.location.startswith(f"{path}:{line}:"), caught.value.location
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("document", "where", "message"),
    [
        ("[1, 2", ":1:6", "not valid JSON"),
        ("[]", ": $", "expected a JSON object"),
        ('{"elements": 3}', ": $.elements", "expected the elements"),
        ('{"elements": {"nodes": [{"data": {"id": 1}}]}}', ": $.elements.nodes[0].data.id",
         "node's id"),
        ('{"elements": {"nodes": [{"data": {"id": "a"}}, {"data": {"id": "a"}}]}}',
         ": $.elements.nodes[1].data.id", "used twice"),
        ('{"elements": {"nodes": [{"data": {"id": "a"}}], "edges": [{"data": {"source": "a", '
         '"target": "z"}}]}}', ": $.elements.edges[0].data.target", "not the id of a node"),
        ('{"elements": {"nodes": [{"data": {"id": "a", "present": "no"}}]}}',
         ": $.elements.nodes[0].data.present", "not true or false"),
        ('{"elements": {"nodes": [{"data": {"id": "a"}}], "edges": [{"data": {"source": "a", '
         '"target": "a", "waves": "w1"}}]}}', ": $.elements.edges[0].data.waves", "list"),
        ('{"elements": {"nodes": []}}', ": $.elements", "no nodes"),
    ],
)
def test_bad_cytoscape_json_is_refused_at_its_place(document: str, where: str, message: str,
                                                    tmp_path: Path) -> None:
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "elements.json").write_text(document, encoding="utf-8")
    assert CYTOSCAPE.read is not None
    with pytest.raises(InvalidInputError) as caught:
        CYTOSCAPE.read(folder, {"instrument": "rc7"})
    assert str(caught.value).startswith(f"{folder / 'elements.json'}{where}"), str(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize("options", [{"lang": "fr"}, {"style": "yed"}])
def test_bad_write_options_are_refused(options: dict[str, Any], tmp_path: Path) -> None:
    study = load_example()
    for chosen in (GEXF, CYTOSCAPE):
        assert chosen.write is not None
        with pytest.raises(InvalidInputError, match="option"):
            chosen.write(study, None, tmp_path / "x", options)


# --- the command line ------------------------------------------------------------------------


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_export_through_the_cli(tmp_path: Path, relcoord_host: PluginHost) -> None:
    source = tmp_path / "study.json"
    study = load_example()
    relcoord_host.write(study, source, format="json", options={"respondent_ids": "pseudonymise"})
    gexf, folder, yed = tmp_path / "roles.gexf", tmp_path / "cytoscape", tmp_path / "yed.graphml"
    for args in (("--to", "gexf", "-o", str(gexf)), ("--to", "cytoscape", "-o", str(folder)),
                 ("--to", "graphml", "-O", "style=yed", "-o", str(yed))):
        result = run_cli("export", str(source), *args)
        assert result.exit_code == 0, result.output
    analysis = analyze(study, AnalysisSettings(lang="da"))
    assert gexf.read_bytes() == gexf_bytes(study, analysis)
    assert json.loads((folder / "elements.json").read_text(encoding="utf-8")) == (
        cytoscape_elements(study, analysis))
    assert json.loads((folder / "style.json").read_text(encoding="utf-8")) == cytoscape_style()
    assert yed.read_bytes() == graphml_bytes(study, analysis, style="yed")
    back = run_cli("convert", str(gexf), str(tmp_path / "back.json"))
    assert back.exit_code == 0, back.output


def test_a_bad_gexf_exits_1_without_a_traceback(tmp_path: Path, relcoord_host: PluginHost
                                                ) -> None:
    source = tmp_path / "bad.gexf"
    source.write_text(GEXF_HEAD + "<graph><nodes>\n<node/></nodes></graph></gexf>",
                      encoding="utf-8")
    result = run_cli("convert", str(source), str(tmp_path / "out.json"))
    assert result.exit_code == 1
    assert f"{source}:4:" in result.stderr
    assert "<node> without an id" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.json").exists()


# --- damaged and arbitrary input -------------------------------------------------------------


def read_error(format_id: str, path: Path) -> InvalidInputError | None:
    """The error reading ``path`` gives, or None when it reads; any other exception escapes."""
    chosen = GEXF if format_id == "gexf" else CYTOSCAPE
    assert chosen.read is not None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the note about a file that names no instrument
            chosen.read(path, {})
    except InvalidInputError as error:
        return error
    return None


@pytest.fixture(scope="module")
def exports(example: tuple[Study, Analysis]) -> dict[str, bytes]:
    study, analysis = example
    return {"gexf": gexf_bytes(study, analysis),
            "cytoscape": json.dumps(cytoscape_elements(study, analysis)).encode("utf-8")}


@pytest.mark.parametrize("format_id", ["gexf", "cytoscape"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_cut_or_damaged_export_is_refused_or_read(format_id: str, data: st.DataObject,
                                                    exports: dict[str, bytes]) -> None:
    original = exports[format_id]
    cut = data.draw(st.integers(0, len(original)), label="cut")
    damaged = bytearray(original[:cut])
    if damaged and data.draw(st.booleans(), label="flip"):
        at = data.draw(st.integers(0, len(damaged) - 1), label="at")
        damaged[at] = data.draw(st.sampled_from(b"<>&\"'x0 [{:,\x00\xff"), label="byte")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"damaged.{'gexf' if format_id == 'gexf' else 'cyjs'}"
        path.write_bytes(bytes(damaged))
        error = read_error(format_id, path)
        assert error is None or error.location.startswith(str(path))


@pytest.mark.parametrize("format_id", ["gexf", "cytoscape"])
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_never_escape_as_another_exception(format_id: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.json"
        path.write_bytes(data)
        error = read_error(format_id, path)
        assert error is None or error.location.startswith(str(path))


def test_deeply_nested_json_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.cyjs"
    path.write_text('{"elements": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    error = read_error("cytoscape", path)
    assert error is not None
    assert "nested" in str(error)


def test_a_gephi_gexf_imports_with_labels_as_names(tmp_path: Path) -> None:
    """A GEXF 1.2draft file as Gephi writes it: numeric attribute ids, viz, an undirected
    graph (each edge an arrow both ways), a weight; no relcoord metadata."""
    path = tmp_path / "gephi.gexf"
    path.write_text('''<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.1draft/viz"
      version="1.2">
  <meta lastmodifieddate="2024-01-01"><creator>Gephi 0.10</creator>
    <description>From Gephi</description></meta>
  <graph defaultedgetype="undirected" mode="static">
    <attributes class="node" mode="static">
      <attribute id="0" title="organisation" type="string"/>
    </attributes>
    <nodes>
      <node id="n0" label="Job centre"><attvalues><attvalue for="0" value="municipality"/>
        </attvalues><viz:size value="10.0"/><viz:position x="1.0" y="2.0" z="0.0"/></node>
      <node id="n1" label="Teachers"/>
    </nodes>
    <edges><edge id="0" source="n0" target="n1" weight="2.5"/></edges>
  </graph>
</gexf>''', encoding="utf-8")
    study = read_gexf(path, {"instrument": "relationskort"})
    assert study.metadata.id == "gephi"
    assert study.metadata.description == "From Gephi"
    assert [(r.id, r.name, r.organisation) for r in study.roles] == [
        ("n0", "Job centre", "municipality"), ("n1", "Teachers", None)]
    assert sorted((t.source, t.target) for t in study.ties) == [("n0", "n1"), ("n1", "n0")]
