"""The network map (picture ``network``): the role network on the role circle.

Roles are grouped and coloured by organisation, node area grows with the arrows a role
receives, and each arrow runs from the rater to the rated role, coloured by the band of the
tie's RC (grey: named, not rated; dotted: withheld by the privacy rule).  A pair that points
both ways is drawn as two arcs, each in the band of its own direction; a one-way arrow is
straight.  Roles named but absent are hollow and dashed.

A dense network (a complete RC survey) shows only the arrows that matter, by the rule of
[`relcoord.report_map.map_arrows`][relcoord.report_map.map_arrows], which the note under the map
states.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from matplotlib.lines import Line2D

from relcoord.pictures.circle import RoleCircle, circle_legend, node_sizes
from relcoord.pictures.organisations import organisation_colours, organisation_handles
from relcoord.pictures.style import BAND_COLOURS, QUIET_INK
from relcoord.pictures.text import number, picture_words, shared_term
from relcoord.report_map import MapArrows, map_arrows, tie_bands

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
    """The role network on a circle (see [`relcoord.pictures`][relcoord.pictures] for how to read
    it)."""
    words = picture_words(lang)
    study = analysis.study
    circle = RoleCircle(study, lang)
    fig, ax, height = circle.picture(words["network"])
    in_degree = {r.id: r.in_degree for r in analysis.roles}
    radius = circle.draw_nodes(ax, organisation_colours(study),
                               node_sizes(in_degree, circle.n), lang)
    bands = tie_bands(analysis)
    shown = map_arrows(analysis)
    _draw_arrows(circle, ax, radius, shown.arrows, bands)
    drawn = {bands.get(a, "none") for a in shown.arrows}
    handles = organisation_handles(study, lang, words) + _band_handles(
        analysis, drawn, shown.rule == "all", words, lang)
    circle_legend(fig, handles, height, columns=4)
    note = f"{words['size']}; {words['arrow_note']}"
    rule = _rule_note(shown, analysis, words, lang)
    if rule:
        note = f"{rule}\n{note}"
    fig.text(0.5, 0.02 / height + 0.005, note, ha="center", va="bottom", fontsize=8,
             color=QUIET_INK)
    return fig


def _rule_note(shown: MapArrows, analysis: Analysis, words: Mapping[str, str], lang: str) -> str:
    """Which arrows a dense map shows (empty when it shows them all)."""
    if shown.rule == "all":
        return ""
    key = "map_" + shown.rule + ("_one_sided" if shown.one_sided else "")
    up_to = number(shown.up_to, lang, 2) if shown.up_to is not None else "–"
    return words[key].format(shown=len(shown.arrows), total=shown.total,
                             low=number(analysis.settings.bands[0], lang), rc=up_to)


def _draw_arrows(
    circle: RoleCircle, ax: Axes, radius: Mapping[str, float],
    edges: tuple[tuple[str, str], ...], bands: Mapping[tuple[str, str], str],
) -> None:
    """Each arrow in its band's colour, the weak ties drawn last (on top) and thicker; the
    two arrows of a pair as two arcs, a one-way arrow straight; thinner lines when many."""
    drawn = set(edges)
    thin = 0.75 if len(edges) > 150 else 1.0
    for source, target in sorted(edges, key=lambda e: (_LAYER[bands.get(e, "none")], e)):
        band = bands.get((source, target), "none")
        circle.arrow(ax, source, target, radius, colour=BAND_COLOURS[band],
                     width=(1.3 if band == "weak" else 1.0) * thin,
                     style=":" if band == "withheld" else "-",
                     alpha=0.55 if band == "none" else 0.8, zorder=_LAYER[band],
                     bend=0.2 if (target, source) in drawn else 0.0)


def _band_handles(
    analysis: Analysis, drawn: set[str], every_band: bool, words: Mapping[str, str],
    lang: str,
) -> list[Any]:
    """Legend entries for the arrow colours the map draws, with the band limits in force
    (all three bands when it draws every arrow, so that a band without ties is seen)."""
    low, high = analysis.settings.bands
    labels = {
        "weak": f"{shared_term('band.weak', lang)} (< {number(low, lang)})",
        "moderate": f"{shared_term('band.moderate', lang)} ({number(low, lang)}–"
                    f"{number(high, lang)})",
        "strong": f"{shared_term('band.strong', lang)} (> {number(high, lang)})",
        "none": words["not_rated"],
        "withheld": words["withheld"].format(k=analysis.settings.min_respondents),
    }
    shown = [band for band in labels
             if band in drawn or (every_band and band in ("weak", "moderate", "strong"))]
    return [Line2D([], [], color=BAND_COLOURS[band], lw=2,
                   linestyle=":" if band == "withheld" else "-", label=labels[band])
            for band in shown]
