"""A picture that shows itself in a notebook: [`picture`][relcoord.pictures.inline.picture] and
[`Picture`][relcoord.pictures.inline.Picture].

Jupyter shows an object through its ``_repr_svg_`` or ``_repr_png_`` method; a
[`Picture`][relcoord.pictures.inline.Picture] has both, drawn by
[`save_picture`][relcoord.pictures.saving.save_picture] (the writer of the ``figures`` exporter)
once per format and kept, so that showing a picture again shows the same image (matplotlib settles a
layout on the first drawing, and a second drawing of the same figure can move a label by a fraction
of a point); [`Picture.save`][relcoord.pictures.inline.Picture.save] writes it to a file.  A plain
matplotlib figure would display too, but only through ``pyplot``'s global state, which the pictures
never touch.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs

from relcoord.atomic_files import atomic_path
from relcoord.notebook import notebook_language
from relcoord.pictures.change import change_plot
from relcoord.pictures.heatmap import heat_map
from relcoord.pictures.invitations import invitation_map
from relcoord.pictures.network import network_map
from relcoord.pictures.profiles import dimension_profiles
from relcoord.pictures.render import PICTURE_NAMES
from relcoord.pictures.saving import ImageFormat, save_picture

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from relcoord.analysis import Analysis

__all__ = ["Picture", "picture"]

_DRAWERS: Final[dict[str, Callable[[Analysis, str], Figure]]] = {
    "network": network_map, "heatmap": heat_map, "profiles": dimension_profiles,
    "invitations": invitation_map, "change": change_plot,
}
#: Resolution of the PNG a notebook shows: sharp on a screen, small in the notebook file.
NOTEBOOK_DPI: Final = 100


@attrs.frozen(eq=False)
class Picture:
    """One picture of an analysis (``name`` as in
    `PICTURE_NAMES`) with its matplotlib ``figure``."""

    name: str
    figure: Figure
    _drawn: dict[str, bytes] = attrs.field(factory=dict, init=False, repr=False)

    def _image(self, format: ImageFormat) -> bytes:
        if format not in self._drawn:
            buffer = io.BytesIO()
            save_picture(self.figure, buffer, format, dpi=NOTEBOOK_DPI)
            self._drawn[format] = buffer.getvalue()
        return self._drawn[format]

    def _repr_svg_(self) -> str:
        """The picture as SVG text, for Jupyter."""
        return self._image("svg").decode("utf-8")

    def _repr_png_(self) -> bytes:
        """The picture as PNG bytes, for Jupyter."""
        return self._image("png")

    def save(self, destination: str | Path, format: ImageFormat = "png", *,
             dpi: int = 150) -> None:
        """Write the picture to ``destination`` as PNG or SVG, atomically."""
        with atomic_path(Path(destination)) as temporary:
            save_picture(self.figure, temporary, format, dpi=dpi)

    def __repr__(self) -> str:
        width, height = self.figure.get_size_inches()
        return f"<Picture {self.name!r}, {width:g} x {height:g} in>"


def picture(analysis: Analysis, name: str, lang: str | None = None) -> Picture:
    """The picture ``name`` of ``analysis`` (``network``, ``heatmap``, ``profiles``,
    ``invitations`` or ``change``), its text in ``lang`` (default: the study's language
    when the catalogue has it, else the settings' ``lang``).

    Raises:
        ValueError: an unknown name, ``invitations`` for a study without any, or ``change``
            for an analysis without a wave comparison.
    """
    if name not in PICTURE_NAMES:
        raise ValueError(f"no picture {name!r}; expected one of {', '.join(PICTURE_NAMES)}")
    if name == "invitations" and not analysis.study.invitations:
        raise ValueError("no picture 'invitations': the study has no invitations")
    if name == "change" and analysis.change is None:
        raise ValueError("no picture 'change': analyse with compare=(wave_a, wave_b)")
    chosen = lang or notebook_language(analysis.study.metadata.language, analysis.settings.lang)
    return Picture(name, _DRAWERS[name](analysis, chosen))
