"""Roles by organisation in the pictures: the legend entries that name the organisations.

The colour of each organisation and the order in which the pictures list roles (grouped by
organisation) belong to the network map's layout ([`relcoord.report_map`][relcoord.report_map]),
which the network files share; they are re-exported here for the pictures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from matplotlib.lines import Line2D

from relcoord.pictures.style import QUIET_INK
from relcoord.pictures.text import shown
from relcoord.report_labels import organisation_label
from relcoord.report_map import NO_ORGANISATION, organisation_colours, role_order

if TYPE_CHECKING:
    from relcoord.model import Study

__all__ = ["NO_ORGANISATION", "organisation_colours", "organisation_handles", "role_order"]


def organisation_handles(study: Study, lang: str, words: Mapping[str, str]) -> list[Any]:
    """Legend entries for a picture of role nodes: one dot per organisation (then roles
    without one), and a hollow dot for absent roles when the study has any."""
    colours = organisation_colours(study)
    handles: list[Any] = [
        Line2D([], [], marker="o", linestyle="", markersize=9, color=colours[org],
               label=shown(organisation_label(org, lang)))
        for org in study.organisations
    ]
    if any(r.organisation is None for r in study.roles):
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=9,
                              color=NO_ORGANISATION, label=organisation_label(None, lang)))
    if any(not r.present for r in study.roles):
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=9,
                              markerfacecolor="white", markeredgecolor=QUIET_INK,
                              label=words["absent"]))
    return handles
