"""The heat map writes each rated tie's value in its cell, and a dash for a withheld tie;
its text stays inside the picture at every size."""

from __future__ import annotations

import pytest
from matplotlib.text import Text

from relcoord.analysis import Analysis, analyze
from relcoord.pictures import heat_map
from relcoord.testing.surveys import care_study


def test_heat_map_writes_each_value(example_analysis: Analysis) -> None:
    analysis = example_analysis
    picture = heat_map(analysis, "da")
    cells = [t.get_text() for t in picture.axes[0].texts]
    rated = [t for t in analysis.scores.ties if t.rc is not None]
    withheld = [t for t in analysis.scores.ties if t.suppressed]
    assert len(cells) == len(rated) + len(withheld)
    assert cells.count("–") == len(withheld)
    assert f"{rated[0].rc:.1f}".replace(".", ",") in cells


@pytest.mark.parametrize(("n", "lang"), [(3, "da"), (5, "en"), (13, "da"), (40, "en"),
                                         (60, "da")])
def test_no_text_is_clipped(n: int, lang: str) -> None:
    """The title, labels and notes of a heat map lie inside the picture at every size."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    picture = heat_map(analyze(care_study(n)), lang)
    renderer = FigureCanvasAgg(picture).get_renderer()  # type: ignore[no-untyped-call]
    picture.draw(renderer)
    bounds = picture.bbox
    texts = [t for t in picture.findobj(Text) if t.get_text() and t.get_visible()]
    outside = [t.get_text() for t in texts
               if (box := t.get_window_extent(renderer)).x0 < -1 or box.y0 < -1
               or box.x1 > bounds.width + 1 or box.y1 > bounds.height + 1]
    assert not outside


def test_a_large_heat_map_is_drawn_at_page_size() -> None:
    from relcoord.pictures.heatmap import LARGE, PAGE_WIDTH

    picture = heat_map(analyze(care_study(40)), "da")
    assert LARGE < 40
    assert picture.get_figwidth() <= PAGE_WIDTH + 0.01
