"""The network map shows what it claims: arrows coloured by band, absent roles hollow, node
area growing with the arrows a role receives."""

from __future__ import annotations

from typing import Any

from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.patches import FancyArrowPatch

from relcoord.analysis import Analysis
from relcoord.pictures import BAND_COLOURS, network_map


def hex_colour(colour: Any) -> str:
    """A matplotlib colour (RGBA array or tuple) as ``#rrggbb``."""
    r, g, b = (float(c) for c in list(colour)[:3])
    return str(to_hex((r, g, b)))


def test_network_arrows_are_coloured_by_band(example_analysis: Analysis) -> None:
    analysis = example_analysis
    picture = network_map(analysis, "en")
    arrows = [p for p in picture.axes[0].patches if isinstance(p, FancyArrowPatch)]
    arrow_pairs = {(t.source, t.target) for t in analysis.study.ties if t.source != t.target}
    assert len(arrows) == len(arrow_pairs)
    bands = {(t.source, t.target): t.band for t in analysis.scores.ties}
    expected = sum(1 for pair in arrow_pairs if bands.get(pair) == "weak")
    weak = [a for a in arrows if hex_colour(a.get_edgecolor()) == BAND_COLOURS["weak"].lower()]
    assert len(weak) == expected > 0


def test_absent_roles_are_hollow(example_analysis: Analysis) -> None:
    analysis = example_analysis
    picture = network_map(analysis, "en")
    nodes = [c for c in picture.axes[0].collections if isinstance(c, PathCollection)]
    hollow = [c for c in nodes if hex_colour(c.get_facecolor()[0]) == "#ffffff"]
    assert len(nodes) == len(analysis.study.roles)
    assert len(hollow) == sum(1 for r in analysis.study.roles if not r.present) > 0


def test_node_area_grows_with_arrows_in(example_analysis: Analysis) -> None:
    analysis = example_analysis
    picture = network_map(analysis, "en")
    sizes = [float(c.get_sizes()[0]) for c in picture.axes[0].collections
             if isinstance(c, PathCollection)]
    degrees = [r.in_degree for r in analysis.roles]
    top = max(degrees)
    assert sizes.count(max(sizes)) == degrees.count(top)
    assert sizes.count(min(sizes)) == degrees.count(0)
    assert max(sizes) > min(sizes)
