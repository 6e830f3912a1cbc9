"""A function group's partners, as the published figures of an analysis show them.

A group's page and the contact guide ask the same questions of every other group: did it
name this group, did this group name it, how does each rate the tie, and which invitations
went between them.  [`GroupTies`][relcoord.report_partners.GroupTies] answers them from the
[`Analysis`][relcoord.analysis_result.Analysis] only: tie RCs as the analysis publishes them
(``None`` where the minimum-respondent rule withheld a tie, [`relcoord.privacy`][relcoord.privacy]),
named arrows as drawn, invitations as recorded.  Nothing here is computed from a raw rating.

What "named" means follows the analysis's degree basis
(`Analysis.degree_basis`): on a relationship
map a named arrow; in an RC survey without arrows, a published rated tie.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from relcoord.report_map import network_arrows

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.metrics.scores import RatedTie
    from relcoord.model import Invitation

__all__ = ["GroupTies", "Partner", "present_groups"]


@attrs.frozen
class Partner:
    """Another role seen from one group: ``names_group`` (it named the group),
    ``named_by_group`` (the group named it), the published RC of its rating of the group
    (``rc_in``) and of the group's rating of it (``rc_out``), each ``None`` when not rated
    or withheld (``withheld_in``/``withheld_out`` say which), and the bands."""

    role: str
    names_group: bool
    named_by_group: bool
    rc_in: float | None
    rc_out: float | None
    band_in: str | None
    band_out: str | None
    withheld_in: bool = False
    withheld_out: bool = False
    lowest_out: str | None = None
    lowest_in: str | None = None

    @property
    def gap(self) -> float | None:
        """The group's rating minus the partner's (``None`` unless both are published)."""
        if self.rc_in is None or self.rc_out is None:
            return None
        return self.rc_out - self.rc_in

    @property
    def weak(self) -> bool:
        """Whether either side rates the tie weak."""
        return "weak" in (self.band_in, self.band_out)

    @property
    def one_sided(self) -> bool:
        """Whether one of the two named the other and was not named back."""
        return self.names_group != self.named_by_group


class GroupTies:
    """Every group's partners and invitations in one analysis (indexes built once)."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.basis = analysis.degree_basis
        self._arrows = set(network_arrows(analysis))
        self._ties: dict[tuple[str, str], RatedTie] = {
            (t.source, t.target): t for t in analysis.scores.ties if t.source != t.target
        }
        self._respondents = {r.id: r.n_respondents for r in analysis.roles}

    def respondents(self, role_id: str) -> int:
        """The group's respondents with a counted rating (0 for an absent role)."""
        return self._respondents.get(role_id, 0)

    def partners(self, role_id: str) -> tuple[Partner, ...]:
        """Every other role linked to ``role_id`` by an arrow or a rated tie, either way,
        in the study's order (callers sort by name)."""
        linked = {t for s, t in self._arrows if s == role_id}
        linked |= {s for s, t in self._arrows if t == role_id}
        linked |= {t for s, t in self._ties if s == role_id}
        linked |= {s for s, t in self._ties if t == role_id}
        return tuple(self._partner(role_id, other) for other in self.analysis.study.role_ids
                     if other in linked and other != role_id)

    def _partner(self, group: str, other: str) -> Partner:
        incoming = self._ties.get((other, group))
        outgoing = self._ties.get((group, other))
        return Partner(
            role=other,
            names_group=(other, group) in self._arrows,
            named_by_group=(group, other) in self._arrows,
            rc_in=incoming.rc if incoming else None,
            rc_out=outgoing.rc if outgoing else None,
            band_in=incoming.band if incoming else None,
            band_out=outgoing.band if outgoing else None,
            withheld_in=bool(incoming and incoming.suppressed),
            withheld_out=bool(outgoing and outgoing.suppressed),
            lowest_out=outgoing.lowest_dimension if outgoing else None,
            lowest_in=incoming.lowest_dimension if incoming else None,
        )

    def invitations(self, role_id: str) -> tuple[tuple[str, Invitation], ...]:
        """The invitations the group sent (``"sent"``) and received (``"received"``), in the
        study's order."""
        found: list[tuple[str, Invitation]] = []
        for invitation in self.analysis.study.invitations:
            if invitation.source == role_id and invitation.target != role_id:
                found.append(("sent", invitation))
            elif invitation.target == role_id and invitation.source != role_id:
                found.append(("received", invitation))
        return tuple(found)

    def agreed(self, role_id: str) -> tuple[Invitation, ...]:
        """The dialogues the group agreed to or held, sent or received."""
        return tuple(i for _, i in self.invitations(role_id)
                     if i.status in ("accepted", "held"))


def present_groups(analysis: Analysis) -> Iterable[str]:
    """The roles that took part (present), in the study's order: the groups a page or a
    row of the contact guide is for.  A group too small for its own ratings to be shown
    still has a page: how the others rate it is published."""
    return (r.id for r in analysis.study.roles if r.present)
