"""A picture shows itself in a notebook (SVG and PNG) and saves itself, atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

import relcoord
from relcoord import Analysis, analyze
from relcoord.messages import text
from relcoord.pictures import PICTURE_NAMES, Picture, picture
from relcoord.pictures.saving import save_picture


@pytest.fixture(scope="module")
def example() -> Analysis:
    return analyze(relcoord.load_example(), compare=("konference-1", "konference-2"), n_boot=50)


@pytest.mark.parametrize("name", PICTURE_NAMES)
def test_every_picture_displays_inline(example: Analysis, name: str) -> None:
    shown = picture(example, name)
    assert isinstance(shown, Picture)
    assert shown._repr_png_().startswith(b"\x89PNG\r\n\x1a\n")
    svg = shown._repr_svg_()
    assert "<svg" in svg
    assert svg.rstrip().endswith("</svg>")
    assert repr(shown).startswith(f"<Picture {name!r}, ")


def test_the_notebook_shows_what_save_picture_draws(example: Analysis, tmp_path: Path
                                                    ) -> None:
    shown = picture(example, "heatmap", "en")
    exported = tmp_path / "exported.svg"
    save_picture(picture(example, "heatmap", "en").figure, exported, "svg")
    assert shown._repr_svg_().encode("utf-8") == exported.read_bytes()
    assert shown._repr_svg_() == shown._repr_svg_()  # shown again: the same image
    shown.save(tmp_path / "saved.png")
    assert (tmp_path / "saved.png").read_bytes().startswith(b"\x89PNG")


def _texts(shown: Picture) -> list[str]:
    figure = shown.figure
    return ([t.get_text() for t in figure.texts]
            + [t.get_text() for ax in figure.axes for t in (ax.title, *ax.texts)]
            + [figure.get_suptitle()])


def test_the_picture_speaks_the_study_s_language(example: Analysis) -> None:
    assert text("picture.network", "da") in _texts(picture(example, "network"))
    assert text("picture.network", "en") in _texts(picture(example, "network", "en"))


def test_a_picture_the_analysis_cannot_draw_is_refused() -> None:
    plain = analyze(relcoord.load_example())
    with pytest.raises(ValueError, match="analyse with compare"):
        picture(plain, "change")
    with pytest.raises(ValueError, match="no picture 'map'"):
        picture(plain, "map")
