"""How every picture looks: the colours of the RC bands and sub-indices, the heat map's
colour scale, the ink, and the picture shown when there is nothing to draw.

The organisations' colours are in
`relcoord.pictures.organisations`, beside the order in which the
pictures list roles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from relcoord.report_map import BAND_COLOURS

__all__ = [
    "BAND_COLOURS",
    "INK",
    "QUIET_INK",
    "RC_CMAP",
    "SUB_INDEX_COLOURS",
    "empty_picture",
    "text_colour",
]

#: The heat map's colour scale: red (weak) through amber to green (strong), 1 to 5.
RC_CMAP: Final = LinearSegmentedColormap.from_list(
    "relcoord_rc", ["#B2182B", "#E3735E", "#F4D27A", "#A6D96A", "#1A9850"]
)
#: Colours of the two RC sub-indices (and of the dimensions that belong to each).
SUB_INDEX_COLOURS: Final = {"communication": "#4477AA", "relationship": "#AA3377"}
#: Titles, labels and lines.
INK: Final = "#222222"
#: Notes under a picture and the labels of absent roles.
QUIET_INK: Final = "#555555"


def text_colour(rgb: Sequence[float]) -> str:
    """Black or white, whichever reads better on a background (WCAG relative luminance)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(float(c)) for c in rgb[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.22 else "white"


def empty_picture(title: str, message: str) -> Figure:
    """A small picture with ``title`` and ``message`` saying why there is nothing to draw."""
    fig = Figure(figsize=(6, 2), dpi=100)
    fig.text(0.5, 0.7, title, ha="center", fontsize=13, weight="bold", color=INK)
    fig.text(0.5, 0.35, message, ha="center", fontsize=11, color=QUIET_INK)
    return fig
