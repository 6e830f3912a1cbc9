"""The network files read by parsers that are not relcoord's nor Python's: graphology's
GraphML and GEXF parsers (what Gephi Lite and sigma.js use) and headless Cytoscape.js with
the exported stylesheet, all run by node (``tests/formats/js/read_network.js``).

The packages are pinned in ``tests/formats/js/package-lock.json`` and installed by
``npm ci`` there (``.ci/run`` does it).  Without node or the installed packages these tests
skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.formats.cytoscape import CYTOSCAPE
from relcoord.formats.gexf import gexf_bytes
from relcoord.formats.graphml import graphml_bytes
from relcoord.formats.network_style import rgb
from relcoord.model import Study
from relcoord.report_map import BAND_COLOURS, map_layout, tie_bands
from relcoord.settings import AnalysisSettings

JS = Path(__file__).resolve().parent / "js"
SCRIPT = JS / "read_network.js"


def _unavailable(reason: str) -> None:
    """Skip, or fail when the tests run in CI (where node and the packages must be there)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI installs nodejs and npm and runs npm ci in tests/formats/js "
                    "(.ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def node() -> str:
    """The path of node, with the JavaScript readers installed."""
    found = shutil.which("node")
    if found is None:
        _unavailable("node is not installed")
    assert found is not None
    for package in ("graphology", "graphology-gexf", "graphology-graphml", "cytoscape"):
        if not (JS / "node_modules" / package / "package.json").is_file():
            _unavailable(f"the npm package {package} is not installed (run npm ci in {JS})")
    return found


def read(node: str, kind: str, path: Path) -> Any:
    """What the JavaScript reader saw in ``path``, as JSON."""
    done = subprocess.run([node, str(SCRIPT), kind, str(path)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def withheld() -> tuple[Study, Analysis]:
    """The example under a strict minimum-respondent rule, so that many ties are withheld."""
    study = load_example()
    return study, analyze(study, AnalysisSettings(min_respondents=7, lang="da"))


def published_rc(analysis: Analysis) -> dict[tuple[str, str], float]:
    return {(t.source, t.target): t.rc for t in analysis.scores.ties if t.rc is not None}


def css_rgb(colour: str, alpha: float | None = None) -> str:
    r, g, b = rgb(colour)
    return f"rgb({r},{g},{b})" if alpha is None else f"rgba({r},{g},{b},{alpha})"


def test_graphology_reads_graphml_weights_labels_bands_and_yed_colours(
    node: str, withheld: tuple[Study, Analysis], tmp_path: Path
) -> None:
    study, analysis = withheld
    path = tmp_path / "roles.graphml"
    path.write_bytes(graphml_bytes(study, analysis, style="yed"))
    seen = read(node, "graphml", path)
    assert (seen["order"], seen["type"]) == (len(study.roles), "directed")
    assert seen["graph"]["study"] == study.metadata.id
    rc, bands = published_rc(analysis), tie_bands(analysis)
    edges = {(e["source"], e["target"]): e["attributes"] for e in seen["edges"]}
    assert seen["size"] == len(edges)
    assert set(edges) == {(t.source, t.target) for t in study.ties} | set(bands)
    for pair, attributes in edges.items():
        assert attributes.get("weight") == rc.get(pair)
        if pair in rc:
            assert attributes["label"] == f"{rc[pair]:.2f}".replace(".", ",")
            assert attributes["band"] == bands[pair]
        else:  # withheld or not rated: no figure at all
            assert not {"weight", "label", "rc", "band"} & attributes.keys()
    for role in study.roles:
        assert seen["nodes"][role.id]["name"] == role.name
        assert seen["nodes"][role.id]["present"] is role.present
    layout = map_layout(analysis, study, "da")
    for role in study.roles:
        fill = seen["yed"]["fills"][role.id]
        if role.present:
            assert fill["fill"] == layout.colour[role.id]
        else:
            assert (fill["fill"], fill["border"]) == ("#FFFFFF", layout.colour[role.id])
    lines = {(e["source"], e["target"]): e for e in seen["yed"]["lines"]}
    assert len(lines) == seen["size"]
    for pair, line in lines.items():
        assert line["colour"] == BAND_COLOURS[bands.get(pair, "none")]
        assert line["label"] == (f"{rc[pair]:.2f}".replace(".", ",") if pair in rc else None)


def test_graphology_reads_gexf_pre_drawn(node: str, withheld: tuple[Study, Analysis],
                                         tmp_path: Path) -> None:
    study, analysis = withheld
    path = tmp_path / "roles.gexf"
    path.write_bytes(gexf_bytes(study, analysis))
    seen = read(node, "gexf", path)
    assert (seen["order"], seen["type"]) == (len(study.roles), "directed")
    layout = map_layout(analysis, study, "da")
    for role in study.roles:
        attributes = seen["nodes"][role.id]
        assert attributes["color"] == css_rgb(layout.colour[role.id],
                                              None if role.present else 0.35)
        assert attributes["x"] == pytest.approx(layout.position[role.id][0])
        assert attributes["y"] == pytest.approx(layout.position[role.id][1])
        assert attributes["size"] == pytest.approx(layout.diameter[role.id])
        assert attributes["label"] == role.label("da")
        assert attributes["present"] is role.present
        assert attributes["organisation"] == role.organisation
    rc, bands = published_rc(analysis), tie_bands(analysis)
    edges = {(e["source"], e["target"]): e["attributes"] for e in seen["edges"]}
    assert seen["size"] == len(edges) == len({(t.source, t.target) for t in study.ties}
                                             | set(bands))
    for pair, attributes in edges.items():
        band = bands.get(pair, "none")
        assert attributes["color"] == css_rgb(BAND_COLOURS[band])
        assert attributes.get("weight") == rc.get(pair)
        assert attributes["shape"] == ("dotted" if band == "withheld" else "solid")
        if pair not in rc:
            assert not {"label", "rc", "band", "communication"} & attributes.keys()


def test_cytoscape_js_draws_the_elements_with_the_style(
    node: str, withheld: tuple[Study, Analysis], tmp_path: Path
) -> None:
    study, analysis = withheld
    folder = tmp_path / "cytoscape"
    assert CYTOSCAPE.write is not None
    CYTOSCAPE.write(study, analysis, folder, {})
    seen = read(node, "cytoscape", folder)
    assert seen["warnings"] == []  # Cytoscape.js warns about every style it cannot apply
    layout = map_layout(analysis, study, "da")
    assert set(seen["nodes"]) == set(study.role_ids)
    for role in study.roles:
        drawn = seen["nodes"][role.id]
        x, y = layout.position[role.id]
        assert drawn["position"] == {"x": pytest.approx(x), "y": pytest.approx(-y)}
        assert float(drawn["style"]["width"].removesuffix("px")) == layout.diameter[role.id]
        assert drawn["style"]["label"] == role.label("da")
        if role.present:
            assert drawn["style"]["background-color"] == css_rgb(layout.colour[role.id])
            assert drawn["style"]["border-style"] == "solid"
        else:
            assert drawn["style"]["background-color"] == "rgb(255,255,255)"
            assert drawn["style"]["border-style"] == "dashed"
    rc, bands = published_rc(analysis), tie_bands(analysis)
    assert len(seen["edges"]) == len({(t.source, t.target) for t in study.ties} | set(bands))
    for edge in seen["edges"]:
        pair = (edge["source"], edge["target"])
        band = bands.get(pair, "none")
        assert edge["style"]["line-color"] == css_rgb(BAND_COLOURS[band])
        assert edge["style"]["line-style"] == ("dotted" if band == "withheld" else "solid")
        assert edge["style"]["curve-style"] == "bezier"
        assert edge["data"].get("weight") == rc.get(pair)
