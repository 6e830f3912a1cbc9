"""Which arrows the network map draws, and how the report says so.

A map of every arrow stays legible up to a few arrows per role; a complete RC survey of 40
roles rates over a thousand ties, and a map of all of them is a solid disc.  Above
[`arrow_limit`][relcoord.report_map.arrow_limit] arrows the map shows the arrows that matter for
coordination: the weak ties (RC below the lower band limit) and, on a relationship map, the
    one-sided arrows (a
group named another that did not name it back: the seed article's "overlooked
resources").  When those are still too many, it shows the weakest of them, and the report
and the picture state the rule and the RC up to which arrows are shown.

The map's layout is here too: :func:`role_order` (roles grouped by organisation, by name
within) and :func:`map_positions` (each role on a circle, a gap between organisations), so
that every drawing of the map, the picture and the interactive page of the ``relcoord-html``
plugin, places the roles alike.

This module draws nothing (it does not import matplotlib): the picture
(`relcoord.pictures.network`) and the report's network section
(`relcoord.report_network`) both read
[`map_arrows`][relcoord.report_map.map_arrows], so that they cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from relcoord import messages

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Role, Study

__all__ = ["MapArrows", "MapRule", "arrow_limit", "map_angles", "map_arrows", "map_positions",
           "network_arrows", "role_order", "tie_bands"]

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
    (in ``lang``'s alphabetical order, :func:`relcoord.messages.sort_key`; the id breaks
    ties)."""
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
    in :func:`role_order` with a gap between organisations (:func:`map_angles`)."""
    return {role: (math.cos(a), math.sin(a))
            for role, a in map_angles(role_order(study, lang)).items()}
