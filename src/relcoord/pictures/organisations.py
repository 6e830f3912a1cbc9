"""Roles by organisation in the pictures: the colour of each organisation, the order in
which the pictures list roles (grouped by organisation), and the legend entries that name
the organisations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from matplotlib.lines import Line2D

from relcoord import messages
from relcoord.pictures.style import QUIET_INK
from relcoord.pictures.text import shown
from relcoord.report_labels import organisation_label

if TYPE_CHECKING:
    from relcoord.model import Role, Study

__all__ = ["NO_ORGANISATION", "organisation_colours", "organisation_handles", "role_order"]

#: Organisation colours (Paul Tol's qualitative palette without its red, yellow and green,
#: which the bands use), assigned in the study's organisation order; roles without one grey.
_ORGANISATION_PALETTE: Final = ("#4477AA", "#AA3377", "#1F8A9E", "#6A4C93", "#8C6D46",
                                "#D17FB5", "#3B3B98", "#5E7D2A")
#: The colour of roles without an organisation.
NO_ORGANISATION: Final = "#8A8A8A"


def organisation_colours(study: Study) -> dict[str | None, str]:
    """The colour of each organisation of ``study`` (and of ``None``), stable for a study."""
    colours: dict[str | None, str] = {
        org: _ORGANISATION_PALETTE[i % len(_ORGANISATION_PALETTE)]
        for i, org in enumerate(study.organisations)
    }
    colours[None] = NO_ORGANISATION
    return colours


def role_order(study: Study, lang: str) -> list[Role]:
    """Roles grouped by organisation (study order, then those without one), by name within
    (in ``lang``'s alphabetical order,
    [`relcoord.messages.sort_key`][relcoord.messages.locales.sort_key]; the id breaks ties)."""
    order = [*study.organisations, None]
    rank = {org: i for i, org in enumerate(order)}
    return sorted(
        study.roles,
        key=lambda r: (rank.get(r.organisation, len(order)),
                       messages.sort_key(r.label(lang), lang), r.id),
    )


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
