"""Every picture of the report for an analysis, by name
([`render_pictures`][relcoord.pictures.render.render_pictures])."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from relcoord.pictures.change import change_plot
from relcoord.pictures.heatmap import heat_map
from relcoord.pictures.invitations import invitation_map
from relcoord.pictures.network import network_map
from relcoord.pictures.profiles import dimension_profiles

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from relcoord.analysis import Analysis

__all__ = ["PICTURE_NAMES", "render_pictures"]

#: The pictures [`render_pictures`][relcoord.pictures.render.render_pictures] can return, in reading
#: order.
PICTURE_NAMES: Final = ("network", "heatmap", "profiles", "invitations", "change")


def render_pictures(analysis: Analysis, lang: str = "da") -> dict[str, Figure]:
    """Every picture of the report for ``analysis``, by name (see
    `PICTURE_NAMES`).

    ``invitations`` is left out when the study has none, ``change`` when the analysis
    carries no wave comparison.
    """
    pictures = {
        "network": network_map(analysis, lang),
        "heatmap": heat_map(analysis, lang),
        "profiles": dimension_profiles(analysis, lang),
    }
    if analysis.study.invitations:
        pictures["invitations"] = invitation_map(analysis, lang)
    if analysis.change is not None:
        pictures["change"] = change_plot(analysis, lang)
    return pictures
