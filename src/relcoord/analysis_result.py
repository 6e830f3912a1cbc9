"""The result of an analysis: :class:`Analysis` and its per-role :class:`RoleSummary`.

The types live apart from the pipeline that fills them (:func:`relcoord.analysis.analyze`)
and from the finding rules that read them (:mod:`relcoord.findings`), so that neither
needs the other.
"""

from __future__ import annotations

from typing import Literal

import attrs

from relcoord.finding import Finding
from relcoord.metrics.invitations import InvitationMetrics
from relcoord.metrics.network import NetworkMetrics
from relcoord.metrics.reliability import ReliabilitySummary
from relcoord.metrics.scores import RCScores
from relcoord.metrics.waves import WaveComparison
from relcoord.model import Role, Study
from relcoord.privacy import PrivacySummary
from relcoord.settings import AnalysisSettings

__all__ = ["Analysis", "DegreeBasis", "RoleSummary"]

DegreeBasis = Literal["arrows", "ratings"]


@attrs.frozen
class RoleSummary:
    """One role at a glance: its degrees, its RC as rater and as target, its weak ties.

    ``in_degree``/``out_degree`` count named arrows (self excluded, pooled over waves) when
    the study has any, else rated ties (:func:`~relcoord.metrics.network.network_metrics`
    with ``basis="auto"``); ``reciprocated`` counts the role's outgoing arrows that are
    returned.  The RC fields are those of :class:`~relcoord.metrics.scores.RoleScore`.
    """

    role: Role
    in_degree: int
    out_degree: int
    reciprocated: int
    n_respondents: int
    n_raters: int
    rc_as_rater: float | None
    rc_as_target: float | None
    rc_within: float | None
    n_rated_ties: int
    n_weak_ties: int
    weak_share: float | None
    suppressed: tuple[str, ...] = ()
    suppressed_reason: str | None = None

    @property
    def id(self) -> str:
        """The role's id."""
        return self.role.id


@attrs.frozen(eq=False)
class Analysis:
    """All results of analysing one study (see the module docstring).

    ``privacy`` records the minimum-respondent rule in force and what it withheld
    (:mod:`relcoord.privacy`); every figure was computed from :attr:`published`, the study
    without its withheld ratings.  ``reliability`` holds alpha, per-tie agreement and the
    ICC of the published ratings (agreement only for tie-waves with at least
    ``min_respondents`` raters; ``reliability_withheld`` counts the tie-waves left out).
    ``change`` is the comparison of the two waves of ``settings.compare`` (``None`` without
    one), computed from the ties publishable in every wave and rated in both
    (``change_left_out`` lists the other ties rated in either wave).
    """

    study: Study
    settings: AnalysisSettings
    scores: RCScores
    roles: tuple[RoleSummary, ...]
    degree_basis: DegreeBasis
    named_but_absent: tuple[str, ...]
    network: NetworkMetrics
    invitations: InvitationMetrics | None
    privacy: PrivacySummary
    reliability: ReliabilitySummary
    reliability_withheld: int = 0
    change: WaveComparison | None = None
    change_left_out: tuple[tuple[str, str], ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def published(self) -> Study:
        """The study without the ratings the privacy rule withheld: the input of every
        figure.  A metric added to the analysis must be computed from this, never from
        :attr:`study`, so that it cannot reveal a small group's answers."""
        return self.privacy.published(self.study)

    def role(self, role_id: str) -> RoleSummary:
        """The summary of role ``role_id``; :class:`KeyError` when there is none."""
        for summary in self.roles:
            if summary.id == role_id:
                return summary
        raise KeyError(f"no role {role_id!r}")

    def findings_of(self, kind: str) -> tuple[Finding, ...]:
        """The findings of one kind (empty when the data does not support it)."""
        return tuple(f for f in self.findings if f.kind == kind)
