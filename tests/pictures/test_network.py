"""The network map shows what it claims: arrows coloured by band, absent roles hollow, node
area growing with the arrows a role receives."""

from __future__ import annotations

from typing import Any

import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.patches import FancyArrowPatch

from relcoord.analysis import Analysis, analyze
from relcoord.pictures import BAND_COLOURS, network_map
from relcoord.report_map import arrow_limit, map_arrows
from relcoord.testing.surveys import StudyKind, care_study


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


# --- dense networks: the arrows that matter, and labels that do not overlap ----------------


def _label_corners(label: Any, renderer: Any) -> list[tuple[float, float]]:
    """The four corners (display units) of a role label, rotated about its anchor as
    matplotlib draws it (``rotation_mode="anchor"``)."""
    import math

    angle = label.get_rotation()
    label.set_rotation(0)
    box = label.get_window_extent(renderer)
    label.set_rotation(angle)
    anchor_x = box.x0 if label.get_horizontalalignment() == "left" else box.x1
    anchor_y = (box.y0 + box.y1) / 2
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [(anchor_x + (x - anchor_x) * cos - (y - anchor_y) * sin,
             anchor_y + (x - anchor_x) * sin + (y - anchor_y) * cos)
            for x, y in ((box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1),
                         (box.x0, box.y1))]


def _overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    """Whether two convex quadrilaterals overlap (separating axis theorem)."""
    for shape in (a, b):
        for i in range(4):
            (x1, y1), (x2, y2) = shape[i], shape[(i + 1) % 4]
            axis = (y1 - y2, x2 - x1)
            pa = [axis[0] * x + axis[1] * y for x, y in a]
            pb = [axis[0] * x + axis[1] * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return False
    return True


@pytest.mark.parametrize(("n", "kind"), [(5, "survey"), (24, "relationskort"),
                                         (40, "survey"), (60, "relationskort")])
def test_role_labels_do_not_overlap(n: int, kind: StudyKind) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    picture = network_map(analyze(care_study(n, kind=kind)), "da")
    renderer = FigureCanvasAgg(picture).get_renderer()  # type: ignore[no-untyped-call]
    labels = [t for t in picture.axes[0].texts if t.get_text()]
    assert len(labels) == n
    corners = [_label_corners(t, renderer) for t in labels]
    clashes = [(labels[i].get_text(), labels[j].get_text())
               for i in range(n) for j in range(i + 1, n) if _overlap(corners[i], corners[j])]
    assert not clashes
    figure_box = picture.bbox
    for points in corners:  # nothing clipped at the picture's edge
        assert all(0 <= x <= figure_box.width and 0 <= y <= figure_box.height
                   for x, y in points)


def test_a_dense_map_shows_the_weakest_and_says_so() -> None:
    analysis = analyze(care_study(40))
    shown = map_arrows(analysis)
    assert shown.rule == "weakest"
    assert len(shown.arrows) == arrow_limit(40) < shown.total
    picture = network_map(analysis, "en")
    arrows = [p for p in picture.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(shown.arrows)
    notes = " ".join(t.get_text() for t in picture.texts)
    assert f"the {len(shown.arrows)} weakest of {shown.total} ties" in notes
    rc = {(t.source, t.target): t.rc for t in analysis.scores.ties}
    assert max(rc[a] or 0.0 for a in shown.arrows) == shown.up_to
    hidden = set(rc) - set(shown.arrows)
    assert all((rc[a] or 0.0) >= (shown.up_to or 0.0) for a in hidden if rc[a] is not None)


def test_a_pair_is_two_arcs_and_a_one_way_arrow_is_straight(
        example_analysis: Analysis) -> None:
    picture = network_map(example_analysis, "en")
    styles = [str(getattr(p.get_connectionstyle(), "rad", None)) for p in picture.axes[0].patches
              if isinstance(p, FancyArrowPatch)]
    arrows = {(t.source, t.target) for t in example_analysis.study.ties
              if t.source != t.target}
    pairs = sum(1 for s, t in arrows if (t, s) in arrows)
    assert styles.count("0.2") == pairs > 0
    assert styles.count("0.0") == len(arrows) - pairs
