"""Suppression of computed scores: rules 3 and 4 of [`relcoord.privacy`][relcoord.privacy].

Scores are computed from the publishable ratings only
([`withhold`][relcoord.privacy.withholding.withhold]); what is left to do is to list every tie whose
cells were all withheld, with every number ``None`` and a reason, and to blank any aggregate that
still rests on fewer than ``min_respondents`` respondents (a second line of defence: with rule 1 it
cannot happen for a non-empty aggregate).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from relcoord.metrics.scores import (
    Figure,
    OrganisationScore,
    OrganisationSplit,
    RatedTie,
    RCScores,
    RoleScore,
    Spread,
    respondent_tie_scores,
    scores,
)
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.privacy.withholding import PrivacySummary, withhold
from relcoord.settings import AnalysisSettings

__all__ = ["published_scores", "suppress_scores"]


def published_scores(
    study: Study, settings: AnalysisSettings
) -> tuple[Study, RCScores, PrivacySummary]:
    """[`withhold`][relcoord.privacy.withholding.withhold],
    [`scores`][relcoord.metrics.scores.aggregation.scores] and
    [`suppress_scores`][relcoord.privacy.suppression.suppress_scores] in one pass: the publishable
    study, its suppressed scores and the privacy summary.

    The same results as the three calls, but every respondent-tie score is computed once
    (the privacy rule needs them for the whole study, the scores for the publishable rows,
    which are a selection of the same rows), which is how [`analyze`][relcoord.analysis.analyze]
    runs the rule.
    """
    min_items = settings.items_needed(study.instrument)
    per = respondent_tie_scores(study, min_items=min_items)
    published, summary = withhold(study, settings, respondent_ties=per)
    kept = per if published is study else per.select(~summary.withheld)
    result = scores(published, settings=settings, respondent_ties=kept)
    shown, summary = suppress_scores(result, study, summary)
    return published, shown, summary


def suppress_scores(
    result: RCScores, study: Study, summary: PrivacySummary
) -> tuple[RCScores, PrivacySummary]:
    """Finish the rule on scores computed from the publishable ratings of ``study``.

    ``result`` must come from [`scores`][relcoord.metrics.scores.aggregation.scores] on
    ``summary.published(study)``.  Ties rated only in withheld cells are added back with
    every number ``None`` and ``suppressed=True``; aggregates resting on fewer than
    ``min_respondents`` respondents lose their values (rule 4).  Returns the scores and the
    summary with ``ties_suppressed`` and ``figures_suppressed`` filled in.
    """
    lost = _lost_ties(result, study)
    hide = _Suppressor(summary.min_respondents, summary.reason)
    overall = hide.figure(result.overall)
    scored = attrs.evolve(
        result,
        overall=overall,
        within=hide.figure(result.within),
        between=hide.figure(result.between),
        by_dimension=(result.by_dimension if overall.suppressed_reason is None
                      else dict.fromkeys(result.by_dimension)),
        ties=_with_suppressed_ties(result, study, lost, summary.reason),
        roles=tuple(hide.role(role) for role in result.roles),
        organisations=hide.organisations(result.organisations),
    )
    return scored, attrs.evolve(summary, ties_suppressed=tuple(lost),
                                figures_suppressed=hide.hidden)


def _lost_ties(result: RCScores, study: Study) -> list[tuple[str, str]]:
    """The ties ``(source, target)`` rated in ``study`` that ``result`` does not show, in
    role order."""
    cells = TieCells.of(study)
    rated = cells.ratings > 0
    for tie in result.ties:
        rated[cells.code(tie.source, tie.target)] = False
    ids, n_roles = study.role_ids, cells.n_roles
    return [(ids[c // n_roles], ids[c % n_roles]) for c in np.flatnonzero(rated).tolist()]


@attrs.define
class _Suppressor:
    """Blanks the aggregates that rest on fewer than ``k`` respondents (rule 4), giving each
    the ``reason``, and counts how many figures it blanked in ``hidden``."""

    k: int
    reason: str
    hidden: int = 0

    def figure(self, fig: Figure) -> Figure:
        values = (fig.rc, fig.communication, fig.relationship)
        if fig.n_respondents >= self.k or all(v is None for v in values):
            return fig
        self.hidden += 1
        return attrs.evolve(fig, rc=None, communication=None, relationship=None, band=None,
                            suppressed_reason=self.reason, spread=Spread())

    def role(self, role: RoleScore) -> RoleScore:
        hidden = []
        if role.rc_as_rater is not None and role.n_respondents < self.k:
            hidden.append("rc_as_rater")
        if role.rc_as_target is not None and role.n_raters < self.k:
            hidden.append("rc_as_target")
        if not hidden:
            return role
        self.hidden += len(hidden)
        changes: dict[str, Any] = dict.fromkeys(hidden)
        for name in hidden:  # the spread beside a hidden figure goes with it
            changes[name.replace("rc_", "spread_")] = Spread()
        return attrs.evolve(role, **changes, suppressed=tuple(hidden),
                            suppressed_reason=self.reason)

    def organisations(self, split: OrganisationSplit) -> OrganisationSplit:
        return attrs.evolve(
            split,
            internal=self.figure(split.internal),
            external=self.figure(split.external),
            by_organisation=tuple(
                OrganisationScore(o.organisation, self.figure(o.internal),
                                  self.figure(o.external))
                for o in split.by_organisation
            ),
        )


def _with_suppressed_ties(result: RCScores, study: Study, lost: list[tuple[str, str]],
                          reason: str) -> tuple[RatedTie, ...]:
    """The shown ties and the ``lost`` ones (every number ``None``), in role order."""
    position = {role_id: i for i, role_id in enumerate(study.role_ids)}
    keys = study.instrument.keys
    return tuple(sorted(
        [*result.ties, *(_suppressed_tie(s, t, keys, reason) for s, t in lost)],
        key=lambda t: (position[t.source], position[t.target]),
    ))


def _suppressed_tie(source: str, target: str, keys: tuple[str, ...], reason: str) -> RatedTie:
    return RatedTie(
        source=source, target=target, rc=None, communication=None, relationship=None,
        n_respondents=None, band=None, dimensions=dict.fromkeys(keys), lowest_dimension=None,
        gap=None, suppressed=True, suppressed_reason=reason,
    )
