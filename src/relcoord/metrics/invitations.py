"""Balkort analytics: who invited whom to a dialogue, and what came of it.

At the Trivsel Smiley conferences (Psykiatrifonden 2019; the documentation's example study
page, ``docs/example.md``, names the article) each group invited other groups to a dialogue
about a topic (the balkort, "dance card"); an invitation is ``pending`` (left open),
``accepted``, ``declined`` or ``held`` (accepted, and the dialogue has taken place).
[`invitation_metrics`][relcoord.metrics.invitations.invitation_metrics] counts invitations sent and
received per role, the acceptance rate, the invitations that were returned, and how many of the weak
or asymmetric ties the analysis found an invitation reaches.

Definitions used throughout:

* **accepted** means ``accepted`` or ``held``; **decided** means accepted or ``declined``.
  The acceptance rate is accepted / decided, so invitations still open neither help nor
  hurt; the counts by status give any other rate.
* A pair of roles **reciprocated** its invitations when ``A`` invited ``B`` and ``B``
  invited ``A`` (any status, any topic); the share divides by the distinct unordered pairs
  with at least one invitation (invitations from a role to itself are left out of both).
* An invitation **covers** a tie ``(A, B)`` when it runs ``A -> B`` or ``B -> A`` (any
  topic): a dialogue between the two groups addresses the tie whichever side asked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

import attrs

from relcoord.errors import InvalidInputError
from relcoord.json_values import json_ready
from relcoord.model import INVITATION_STATUSES, Invitation, Study
from relcoord.role_network import check_wave

__all__ = [
    "InvitationMetrics",
    "RoleInvitations",
    "StatusCounts",
    "TieCoverage",
    "acceptance_rate",
    "invitation_metrics",
]


@attrs.frozen
class StatusCounts:
    """Invitations by status; ``total`` is their sum."""

    pending: int = 0
    accepted: int = 0
    declined: int = 0
    held: int = 0

    @property
    def total(self) -> int:
        """All invitations counted."""
        return self.pending + self.accepted + self.declined + self.held

    @property
    def decided(self) -> int:
        """Invitations answered either way: accepted, held or declined."""
        return self.accepted + self.held + self.declined

    @classmethod
    def of(cls, invitations: Iterable[Invitation]) -> StatusCounts:
        """Count ``invitations`` by status."""
        counts: Counter[str] = Counter(i.status for i in invitations)
        return cls(**{status: counts[status] for status in INVITATION_STATUSES})

    def to_mapping(self) -> dict[str, Any]:
        """The counts as JSON-ready values, one key per status (``total`` and ``decided``
        follow from them)."""
        return json_ready({"pending": self.pending, "accepted": self.accepted,
                           "declined": self.declined, "held": self.held})


def acceptance_rate(counts: StatusCounts) -> float | None:
    """``(accepted + held) / (accepted + held + declined)``; ``None`` when none is decided."""
    decided = counts.decided
    return None if decided == 0 else (counts.accepted + counts.held) / decided


@attrs.frozen
class RoleInvitations:
    """The invitations one role sent and received.

    ``sent_acceptance`` is the acceptance rate of the invitations it sent (how others
    answered it); ``received_acceptance`` that of the invitations it received (how it
    answered others); ``None`` when none was decided.
    """

    role: str
    sent: int
    received: int
    sent_by_status: StatusCounts
    received_by_status: StatusCounts
    sent_acceptance: float | None
    received_acceptance: float | None

    def to_mapping(self) -> dict[str, Any]:
        """The role's invitations as JSON-ready values, one key per attribute."""
        return json_ready({
            "role": self.role, "sent": self.sent, "received": self.received,
            "sent_by_status": self.sent_by_status,
            "received_by_status": self.received_by_status,
            "sent_acceptance": self.sent_acceptance,
            "received_acceptance": self.received_acceptance,
        })


@attrs.frozen
class TieCoverage:
    """How many of the given weak or asymmetric ties an invitation reaches (either way).

    ``covered`` lists the ties with an invitation of any status, ``covered_accepted``
    those with an accepted or held one; ``share`` and ``share_accepted`` divide by the
    number of ties (``None`` when no tie was given).
    """

    n_ties: int
    covered: tuple[tuple[str, str], ...]
    uncovered: tuple[tuple[str, str], ...]
    covered_accepted: tuple[tuple[str, str], ...]
    share: float | None
    share_accepted: float | None

    def to_mapping(self) -> dict[str, Any]:
        """The coverage as JSON-ready values, one key per attribute (ties as
        ``[source, target]`` lists)."""
        return json_ready({
            "n_ties": self.n_ties, "covered": self.covered, "uncovered": self.uncovered,
            "covered_accepted": self.covered_accepted, "share": self.share,
            "share_accepted": self.share_accepted,
        })


@attrs.frozen
class InvitationMetrics:
    """Balkort analytics of a study (see the module docstring for every definition).

    ``roles`` is sorted by id and lists every role; ``reciprocated`` lists the unordered
    pairs ``(A, B)``, ``A < B``, that invited each other; ``reciprocated_share`` divides
    their number by ``n_pairs``, the unordered pairs with any invitation.
    """

    wave: str | None
    n_invitations: int
    by_status: StatusCounts
    acceptance_rate: float | None
    roles: tuple[RoleInvitations, ...]
    n_pairs: int
    reciprocated: tuple[tuple[str, str], ...]
    reciprocated_share: float | None
    coverage: TieCoverage

    def role(self, role_id: str) -> RoleInvitations:
        """The invitations of ``role_id``; `KeyError` when there is none."""
        for entry in self.roles:
            if entry.role == role_id:
                return entry
        raise KeyError(f"no role {role_id!r} in these invitation metrics")

    def __repr__(self) -> str:
        return (f"<InvitationMetrics: {self.n_invitations} invitations between "
                f"{self.n_pairs} pairs, {len(self.reciprocated)} reciprocated>")

    def to_mapping(self) -> dict[str, Any]:
        """The balkort analytics as JSON-ready values, one key per attribute (pairs as
        ``[A, B]`` lists)."""
        return json_ready({
            "wave": self.wave, "n_invitations": self.n_invitations,
            "by_status": self.by_status, "acceptance_rate": self.acceptance_rate,
            "roles": self.roles, "n_pairs": self.n_pairs, "reciprocated": self.reciprocated,
            "reciprocated_share": self.reciprocated_share, "coverage": self.coverage,
        })


def invitation_metrics(
    study: Study,
    *,
    weak_or_asymmetric: Collection[tuple[str, str]] = (),
    wave: str | None = None,
) -> InvitationMetrics:
    """Invitations sent and received, acceptance, reciprocation and tie coverage.

    Args:
        study: the study.
        weak_or_asymmetric: the ties ``(source, target)`` an invitation should reach, e.g.
            ties below the weak band or arrows that were not returned; duplicates count
            once, ``(A, B)`` and ``(B, A)`` are two ties.
        wave: count only this wave's invitations; ``None`` counts all of them.

    Raises:
        InvalidInputError: an unknown ``wave``, or a tie naming an unknown role.
    """
    check_wave(study, wave)
    invitations = [i for i in study.invitations if wave is None or i.wave == wave]
    by_status = StatusCounts.of(invitations)
    sent: dict[str, list[Invitation]] = {}
    received: dict[str, list[Invitation]] = {}
    for invitation in invitations:
        sent.setdefault(invitation.source, []).append(invitation)
        received.setdefault(invitation.target, []).append(invitation)
    roles = tuple(
        _role(role_id, sent.get(role_id, []), received.get(role_id, []))
        for role_id in study.role_ids
    )
    pairs = {frozenset((i.source, i.target)) for i in invitations if i.source != i.target}
    directed = {(i.source, i.target) for i in invitations}
    reciprocated = tuple(sorted(
        (a, b) for a, b in (sorted(p) for p in pairs) if (b, a) in directed and (a, b) in directed
    ))
    return InvitationMetrics(
        wave=wave,
        n_invitations=len(invitations),
        by_status=by_status,
        acceptance_rate=acceptance_rate(by_status),
        roles=roles,
        n_pairs=len(pairs),
        reciprocated=reciprocated,
        reciprocated_share=len(reciprocated) / len(pairs) if pairs else None,
        coverage=_coverage(study, invitations, weak_or_asymmetric),
    )


def _role(
    role_id: str, sent_by_role: list[Invitation], received_by_role: list[Invitation]
) -> RoleInvitations:
    sent = StatusCounts.of(sent_by_role)
    received = StatusCounts.of(received_by_role)
    return RoleInvitations(
        role=role_id,
        sent=sent.total,
        received=received.total,
        sent_by_status=sent,
        received_by_status=received,
        sent_acceptance=acceptance_rate(sent),
        received_acceptance=acceptance_rate(received),
    )


def _coverage(
    study: Study, invitations: list[Invitation], ties: Collection[tuple[str, str]]
) -> TieCoverage:
    known = set(study.role_ids)
    wanted = sorted({(str(a), str(b)) for a, b in ties})
    for tie in wanted:
        for end in tie:
            if end not in known:
                raise InvalidInputError(
                    "weak_or_asymmetric", f"unknown role {end!r} in the tie {tie!r}"
                )
    any_status = {(i.source, i.target) for i in invitations}
    accepted = {(i.source, i.target) for i in invitations if i.status in ("accepted", "held")}

    def reaches(tie: tuple[str, str], arrows: set[tuple[str, str]]) -> bool:
        return tie in arrows or (tie[1], tie[0]) in arrows

    covered = tuple(t for t in wanted if reaches(t, any_status))
    covered_accepted = tuple(t for t in wanted if reaches(t, accepted))
    n = len(wanted)
    return TieCoverage(
        n_ties=n,
        covered=covered,
        uncovered=tuple(t for t in wanted if not reaches(t, any_status)),
        covered_accepted=covered_accepted,
        share=len(covered) / n if n else None,
        share_accepted=len(covered_accepted) / n if n else None,
    )
