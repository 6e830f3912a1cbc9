"""The heat map writes each rated tie's value in its cell, and a dash for a withheld tie."""

from __future__ import annotations

from relcoord.analysis import Analysis
from relcoord.pictures import heat_map


def test_heat_map_writes_each_value(example_analysis: Analysis) -> None:
    analysis = example_analysis
    picture = heat_map(analysis, "da")
    cells = [t.get_text() for t in picture.axes[0].texts]
    rated = [t for t in analysis.scores.ties if t.rc is not None]
    withheld = [t for t in analysis.scores.ties if t.suppressed]
    assert len(cells) == len(rated) + len(withheld)
    assert cells.count("–") == len(withheld)
    assert f"{rated[0].rc:.1f}".replace(".", ",") in cells
