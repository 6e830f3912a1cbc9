"""The ``figures`` exporter: it writes PNG and SVG, the same bytes each time, and checks its
options before it writes anything."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from relcoord.analysis import Analysis, analyze
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.pictures import PICTURE_NAMES
from relcoord.plugins import PluginHost
from relcoord.testing import assert_same_output


@pytest.fixture(scope="module")
def example_analysis() -> Analysis:
    """The embedded example, analysed with the default settings."""
    return analyze(load_example())


def test_exporter_writes_png_and_svg_the_same_each_time(
    tmp_path: Path, example_analysis: Analysis
) -> None:
    analysis = example_analysis
    host = PluginHost(entry_points=list)
    for name in ("first", "second"):
        host.write(analysis.study, tmp_path / name, format="figures", analysis=analysis,
                   options={"dpi": "72", "lang": "en"})
    names = sorted(p.name for p in (tmp_path / "first").iterdir())
    assert names == sorted([".relcoord-output", *(f"{n}.{k}" for n in PICTURE_NAMES
                                                   if n != "change" for k in ("png", "svg"))])
    assert (tmp_path / "first" / "network.png").read_bytes().startswith(b"\x89PNG")
    root = ET.parse(tmp_path / "first" / "heatmap.svg").getroot()
    assert root.tag.endswith("svg")
    assert_same_output(tmp_path / "first", tmp_path / "second")
    svg = (tmp_path / "first" / "network.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_exporter_options_are_checked(tmp_path: Path, example_analysis: Analysis) -> None:
    analysis = example_analysis
    host = PluginHost(entry_points=list)
    with pytest.raises(InvalidInputError, match="gif"):
        host.write(analysis.study, tmp_path / "f", format="figures", analysis=analysis,
                   options={"formats": "gif"})
    with pytest.raises(InvalidInputError, match="lang"):
        host.write(analysis.study, tmp_path / "f", format="figures", analysis=analysis,
                   options={"lang": "fr"})
    with pytest.raises(InvalidInputError, match="dpi"):
        host.write(analysis.study, tmp_path / "f", format="figures", analysis=analysis,
                   options={"dpi": "9000"})
    assert not (tmp_path / "f").exists()
