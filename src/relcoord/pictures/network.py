"""The network map (picture ``network``): the role network on the role circle.

Roles are grouped and coloured by organisation, node area grows with the arrows a role
receives, and each arrow runs from the rater to the rated role, coloured by the band of the
tie's RC (grey: named, not rated; dotted: withheld by the privacy rule).  Roles named but
absent are hollow and dashed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from matplotlib.lines import Line2D

from relcoord.pictures.circle import RoleCircle, circle_legend, node_sizes
from relcoord.pictures.organisations import organisation_colours, organisation_handles
from relcoord.pictures.style import BAND_COLOURS, QUIET_INK
from relcoord.pictures.text import number, picture_words, shared_term

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from relcoord.analysis import Analysis

__all__ = ["network_map"]

#: Drawing order of the arrows by band: grey ones below, the weak ties on top.
_LAYER: Final[Mapping[str, float]] = {
    "none": 1.0, "withheld": 1.1, "strong": 2.0, "moderate": 2.1, "weak": 2.2,
}


def network_map(analysis: Analysis, lang: str = "da") -> Figure:
    """The role network on a circle (see :mod:`relcoord.pictures` for how to read it)."""
    words = picture_words(lang)
    study = analysis.study
    circle = RoleCircle(study, lang)
    fig, ax, height = circle.picture(words["network"])
    in_degree = {r.id: r.in_degree for r in analysis.roles}
    radius = circle.draw_nodes(ax, organisation_colours(study),
                               node_sizes(in_degree, circle.n), lang)
    bands = _tie_bands(analysis)
    _draw_arrows(circle, ax, radius, _network_edges(analysis), bands)
    handles = organisation_handles(study, lang, words) + _band_handles(analysis, bands, words, lang)
    circle_legend(fig, handles, height, columns=4)
    fig.text(0.5, 0.02 / height + 0.005, f"{words['size']}; {words['arrow_note']}",
             ha="center", va="bottom", fontsize=8, color=QUIET_INK)
    return fig


def _network_edges(analysis: Analysis) -> list[tuple[str, str]]:
    """The arrows the analysis counted degrees on: named arrows, else rated ties."""
    if analysis.degree_basis == "arrows":
        pairs = {(t.source, t.target) for t in analysis.study.ties if t.source != t.target}
    else:
        pairs = {(t.source, t.target) for t in analysis.scores.ties
                 if t.source != t.target and t.rc is not None}
    return sorted(pairs)


def _tie_bands(analysis: Analysis) -> dict[tuple[str, str], str]:
    """The band of each scored tie: its RC band, ``withheld`` or ``none`` (not rated)."""
    return {
        (t.source, t.target): "withheld" if t.suppressed else (t.band or "none")
        for t in analysis.scores.ties
    }


def _draw_arrows(
    circle: RoleCircle, ax: Axes, radius: Mapping[str, float], edges: list[tuple[str, str]],
    bands: Mapping[tuple[str, str], str],
) -> None:
    """Each arrow in its band's colour, the weak ties drawn last (on top) and thicker."""
    for source, target in sorted(edges, key=lambda e: (_LAYER[bands.get(e, "none")], e)):
        band = bands.get((source, target), "none")
        circle.arrow(ax, source, target, radius, colour=BAND_COLOURS[band],
                     width=1.3 if band == "weak" else 1.0,
                     style=":" if band == "withheld" else "-",
                     alpha=0.55 if band == "none" else 0.8, zorder=_LAYER[band])


def _band_handles(
    analysis: Analysis, bands: Mapping[tuple[str, str], str], words: Mapping[str, str],
    lang: str,
) -> list[Any]:
    """Legend entries for the arrow colours, with the band limits in force."""
    low, high = analysis.settings.bands
    handles: list[Any] = [
        Line2D([], [], color=BAND_COLOURS["weak"], lw=2,
               label=f"{shared_term('band.weak', lang)} (< {number(low, lang)})"),
        Line2D([], [], color=BAND_COLOURS["moderate"], lw=2,
               label=f"{shared_term('band.moderate', lang)} ({number(low, lang)}–"
                     f"{number(high, lang)})"),
        Line2D([], [], color=BAND_COLOURS["strong"], lw=2,
               label=f"{shared_term('band.strong', lang)} (> {number(high, lang)})"),
        Line2D([], [], color=BAND_COLOURS["none"], lw=2, label=words["not_rated"]),
    ]
    if "withheld" in bands.values():
        handles.append(Line2D(
            [], [], color=BAND_COLOURS["withheld"], lw=2, linestyle=":",
            label=words["withheld"].format(k=analysis.settings.min_respondents)))
    return handles
