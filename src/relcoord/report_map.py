"""Which arrows the network map draws, and how the report says so.

A map of every arrow stays legible up to a few arrows per role; a complete RC survey of 40
roles rates over a thousand ties, and a map of all of them is a solid disc.  Above
[`arrow_limit`][relcoord.report_map.arrow_limit] arrows the map shows the arrows that matter for
coordination: the weak ties (RC below the lower band limit) and, on a relationship map, the
    one-sided arrows (a
group named another that did not name it back: the seed article's "overlooked
resources").  When those are still too many, it shows the weakest of them, and the report
and the picture state the rule and the RC up to which arrows are shown.

The map's layout is here too: [`role_order`][relcoord.report_map.role_order] (roles grouped by
organisation, by name within) and [`map_positions`][relcoord.report_map.map_positions] (each role on
a circle, a gap between organisations), so that every drawing of the map, the picture and the
interactive page of the ``relcoord-html`` plugin, places the roles alike.
[`map_layout`][relcoord.report_map.map_layout] adds what the network files (GraphML with yEd
graphics, GEXF, Cytoscape.js) need to draw the same map: positions in points, node sizes by the
arrows a role receives, the organisations' colours
([`organisation_colours`][relcoord.report_map.organisation_colours]) and the bands'
(`BAND_COLOURS`).

This module draws nothing (it does not import matplotlib): the picture
(`relcoord.pictures.network`) and the report's network section
(`relcoord.report_network`) both read
[`map_arrows`][relcoord.report_map.map_arrows], so that they cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal

import attrs

from relcoord import messages

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Role, Study

__all__ = ["BAND_COLOURS", "NO_ORGANISATION", "ORGANISATION_PALETTE", "MapArrows", "MapLayout",
           "MapRule", "arrow_limit", "circle_radius", "map_angles", "map_arrows", "map_layout",
           "map_positions", "network_arrows", "node_sizes", "organisation_colours",
           "role_order", "tie_bands"]

#: ``all`` arrows; the ``selected`` ones (weak, and one-sided on a relationship map); the
#: ``weakest`` of those, up to the limit.
MapRule = Literal["all", "selected", "weakest"]


@attrs.frozen
class MapArrows:
    """The arrows a network map draws: ``arrows`` (rater, rated) of ``total``, by ``rule``;
    ``up_to`` is the highest RC among the arrows drawn under ``weakest`` (else ``None``);
    ``one_sided`` says whether the one-sided arrows were selected too."""

    arrows: tuple[tuple[str, str], ...]
    total: int
    rule: MapRule
    up_to: float | None = None
    one_sided: bool = False


def network_arrows(analysis: Analysis) -> list[tuple[str, str]]:
    """The arrows the analysis counted degrees on: named arrows, else rated ties (a tie
    withheld by the privacy rule is not an arrow of the published network)."""
    if analysis.degree_basis == "arrows":
        pairs = {(t.source, t.target) for t in analysis.study.ties if t.source != t.target}
    else:
        pairs = {(t.source, t.target) for t in analysis.scores.ties
                 if t.source != t.target and t.rc is not None}
    return sorted(pairs)


def tie_bands(analysis: Analysis) -> dict[tuple[str, str], str]:
    """The band of each scored tie: its RC band, ``withheld`` or ``none`` (not rated)."""
    return {
        (t.source, t.target): "withheld" if t.suppressed else (t.band or "none")
        for t in analysis.scores.ties
    }


def arrow_limit(n_roles: int) -> int:
    """How many arrows a map of ``n_roles`` roles draws at most: three per role, and never
    fewer than 120 (the embedded example's 86 arrows are all drawn)."""
    return max(120, 3 * n_roles)


def map_arrows(analysis: Analysis) -> MapArrows:
    """The arrows the network map of ``analysis`` draws (see the module docstring)."""
    arrows = network_arrows(analysis)
    limit = arrow_limit(len(analysis.study.roles))
    if len(arrows) <= limit:
        return MapArrows(tuple(arrows), len(arrows), "all")
    rc = {(t.source, t.target): t.rc for t in analysis.scores.ties if t.rc is not None}
    bands = tie_bands(analysis)
    drawn = set(arrows)
    one_sided = analysis.degree_basis == "arrows"
    chosen = [a for a in arrows if bands.get(a) == "weak"
              or (one_sided and (a[1], a[0]) not in drawn)]
    if len(chosen) <= limit:
        return MapArrows(tuple(chosen), len(arrows), "selected", one_sided=one_sided)
    # the weakest first; a one-sided arrow without a published RC after every rated one
    ranked = sorted(chosen, key=lambda a: (rc.get(a) is None, rc.get(a, 0.0), a))[:limit]
    highest = max((rc[a] for a in ranked if a in rc), default=None)
    return MapArrows(tuple(sorted(ranked)), len(arrows), "weakest", highest, one_sided)


# --- the layout ---------------------------------------------------------------------------------


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


def map_angles(roles: Sequence[Role]) -> dict[str, float]:
    """Each role's angle (radians) on the map's circle: from the top, clockwise, in
    ``roles``' order, with one empty slot between organisations (when there are several)."""
    groups = [r.organisation for r in roles]
    n_gaps = len(set(groups)) if len(set(groups)) > 1 else 0
    slots = len(roles) + n_gaps
    angle: dict[str, float] = {}
    slot = 0
    previous: object = object()
    for role in roles:
        if n_gaps and role.organisation != previous and slot:
            slot += 1
        previous = role.organisation
        # Start at the top, go clockwise; offset half a gap so groups sit symmetrically.
        angle[role.id] = math.pi / 2 - 2 * math.pi * (slot + 0.5) / max(slots, 1)
        slot += 1
    return angle


def map_positions(study: Study, lang: str) -> dict[str, tuple[float, float]]:
    """Where each role of ``study`` sits on the map: a point of the unit circle (``y`` up),
    in [`role_order`][relcoord.report_map.role_order] with a gap between organisations
    ([`map_angles`][relcoord.report_map.map_angles])."""
    return {role: (math.cos(a), math.sin(a))
            for role, a in map_angles(role_order(study, lang)).items()}


# --- the drawing: colours, sizes, positions in points -------------------------------------------

#: Colours of the RC bands (and of arrows named but not rated, and of withheld ties).
BAND_COLOURS: Final[Mapping[str, str]] = {
    "weak": "#C8372D",
    "moderate": "#E3A21A",
    "strong": "#2E8B57",
    "none": "#A0A0A0",
    "withheld": "#6E6E6E",
}
#: Organisation colours (Paul Tol's qualitative palette without its red, yellow and green,
#: which the bands use), assigned in the study's organisation order; roles without one grey.
ORGANISATION_PALETTE: Final = ("#4477AA", "#AA3377", "#1F8A9E", "#6A4C93", "#8C6D46",
                               "#D17FB5", "#3B3B98", "#5E7D2A")
#: The colour of roles without an organisation.
NO_ORGANISATION: Final = "#8A8A8A"


def organisation_colours(study: Study) -> dict[str | None, str]:
    """The colour of each organisation of ``study`` (and of ``None``), stable for a study."""
    colours: dict[str | None, str] = {
        org: ORGANISATION_PALETTE[i % len(ORGANISATION_PALETTE)]
        for i, org in enumerate(study.organisations)
    }
    colours[None] = NO_ORGANISATION
    return colours


def node_sizes(counts: Mapping[str, int], n: int) -> dict[str, float]:
    """Node areas (points²) growing with ``counts``: area proportional to the count, from
    70 to 900 (45 to 600 above 30 roles)."""
    top = max(counts.values(), default=0)
    small, large = (70.0, 900.0) if n <= 30 else (45.0, 600.0)
    return {
        role: small + (large - small) * (count / top if top else 0.0)
        for role, count in counts.items()
    }


def circle_radius(n_roles: int) -> float:
    """The radius of the map's circle in points (1/72 inch): room for two lines of small
    text per role, and never less than 2.7 inches."""
    return 72.0 * max(2.7, 0.36 * n_roles / (2 * math.pi) * 1.1)


@attrs.frozen
class MapLayout:
    """Where and how the network map draws each role, in points (1/72 inch).

    ``order`` lists the role ids around the circle (from the top, clockwise); ``position``
    maps each to ``(x, y)`` with the circle's centre at 0 and ``y`` pointing up;
    ``diameter`` is the node's diameter; ``colour`` its organisation's colour (``#RRGGBB``);
    ``radius`` the circle's radius.  Pictures and network files draw the same map from it.
    """

    order: tuple[str, ...]
    position: Mapping[str, tuple[float, float]]
    diameter: Mapping[str, float]
    colour: Mapping[str, str]
    radius: float


def map_layout(analysis: Analysis | None, study: Study, lang: str) -> MapLayout:
    """The network map's layout of ``study``'s roles in ``lang``'s name order
    ([`map_positions`][relcoord.report_map.map_positions] scaled to
    [`circle_radius`][relcoord.report_map.circle_radius]).

    Node sizes follow each role's in-degree in ``analysis`` (the arrows it receives, else
    its rated ties: `relcoord.analysis_result.RoleSummary.in_degree`); without an analysis,
    the named arrows it receives.
    """
    roles = role_order(study, lang)
    positions = map_positions(study, lang)
    radius = circle_radius(len(roles))
    if analysis is not None:
        received = {r.id: r.in_degree for r in analysis.roles}
    else:
        received = {r.id: 0 for r in roles}
        for _, target in {(t.source, t.target) for t in study.ties if t.source != t.target}:
            received[target] = received.get(target, 0) + 1
    areas = node_sizes({r.id: received.get(r.id, 0) for r in roles}, len(roles))
    colours = organisation_colours(study)
    return MapLayout(
        order=tuple(r.id for r in roles),
        position={r.id: (round(radius * positions[r.id][0], 3),
                         round(radius * positions[r.id][1], 3)) for r in roles},
        diameter={r.id: round(math.sqrt(areas[r.id]), 3) for r in roles},
        colour={r.id: colours.get(r.organisation, NO_ORGANISATION) for r in roles},
        radius=radius,
    )
