"""Suppression of computed scores: rules 3 and 4 of [`relcoord.privacy`][relcoord.privacy].

Scores are computed from the publishable ratings only
([`withhold`][relcoord.privacy.withholding.withhold]); what is left to do is to list every tie whose
cells were all withheld, with every number ``None`` and a reason, and to blank any aggregate that
still rests on fewer than ``min_respondents`` respondents (a second line of defence: with rule 1 it
cannot happen for a non-empty aggregate).
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores import (
    Figure,
    OrganisationScore,
    OrganisationSplit,
    RatedTie,
    RCScores,
    RoleScore,
    Spread,
    forget_respondent_tie_scores,
    remember_respondent_tie_scores,
    respondent_tie_scores,
    scores,
)
from relcoord.metrics.scores.aggregation import collector_paused
from relcoord.model import Study
from relcoord.optional_dependencies import is_available
from relcoord.privacy.withholding import PrivacySummary, privacy_summary
from relcoord.settings import AnalysisSettings

__all__ = ["published_scores", "suppress_scores", "suppress_scores_given_ties"]

Ints = npt.NDArray[np.int64]


def published_scores(
    study: Study, settings: AnalysisSettings, *,
    order: npt.NDArray[np.intp] | Callable[[], npt.NDArray[np.intp] | None] | None = None,
    gathered: Callable[[Study], object] | None = None,
) -> tuple[Study, RCScores, PrivacySummary]:
    """[`withhold`][relcoord.privacy.withholding.withhold],
    [`scores`][relcoord.metrics.scores.aggregation.scores] and
    [`suppress_scores`][relcoord.privacy.suppression.suppress_scores] in one pass: the publishable
    study, its suppressed scores and the privacy summary.

    The same results as the three calls, but every respondent-tie score is computed once
    (the privacy rule needs them for the whole study, the scores for the publishable rows,
    which are a selection of the same rows), which is how [`analyze`][relcoord.analysis.analyze]
    runs the rule.  With ``order``, a permutation of ``study``'s rating rows, the published
    study holds the kept rows in that order, gathered once from ``study`` (the rule's
    decision does not depend on the order: ``withheld`` stays in ``study``'s row order).
    Inside a
    [`shared_respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.shared_respondent_tie_scores]
    block the scores of the published ratings and those of the whole study are kept for later
    steps only when ``settings.compare`` asks for a wave comparison (which reads both): no
    other step reads every score (the Social Relations Model reads the RC alone,
    [`respondent_tie_rc`][relcoord.metrics.scores.respondent_ties.respondent_tie_rc]), and
    held to the end of an analysis they would be a third of its input's size.

    ``order`` may also be a function that gives the permutation (or ``None``), called once
    the rule's decision is made: ``analyze`` finds the permutation in a thread meanwhile.
    ``gathered``, when given, is called with the published study as soon as its rows are
    gathered and scored, before the figures are computed (``analyze`` starts its Social
    Relations Model there, in a thread that reads the published scores while they are
    kept).
    """
    min_items = settings.items_needed(study.instrument)
    keep = settings.compare is not None
    per = respondent_tie_scores(study, min_items=min_items, remember=keep)
    summary = privacy_summary(study, settings, respondent_ties=per)
    if callable(order):
        order = order()
    if order is not None and is_available("numba"):
        # rows gathered at random: scoring them again in one compiled pass (a third of the
        # time) beats gathering five arrays of scores, and gives the same values (a
        # respondent-tie's scores are its own row's)
        del per
        published = summary.published(study, order)
        order = None  # the caller may have handed it over: free before the scores
        kept = respondent_tie_scores(published, min_items=min_items)
    else:
        # the scores of the published rows are a selection of the whole study's; made before
        # the published ratings are copied, so that the whole study's scores, when not kept,
        # are freed before the copy needs its memory
        rows = summary.kept_rows(order)
        kept = per if rows is None else per.select(rows)
        del per, rows
        published = summary.published(study, order)
        order = None
        remember_respondent_tie_scores(published, kept)
    # kept while the scores are computed, so that a step started on the published study
    # (the SRM, in a thread) reads its RC from them instead of scoring every row again;
    # forgotten afterwards unless the wave comparison scores the published study again
    if gathered is not None:
        gathered(published)
    result = scores(published, settings=settings, respondent_ties=kept)
    if not keep:
        forget_respondent_tie_scores(published, min_items)
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
    summary with ``ties_suppressed`` and ``figures_suppressed`` filled in; `ValueError` when
    ``summary`` belongs to another study (its ``withheld`` rows are not ``study``'s).
    """
    ratings = study.ratings
    if len(summary.withheld) != len(ratings):
        raise ValueError("this privacy summary belongs to another study")
    withheld = summary.withheld
    # the ties rated in withheld rows, read from those rows alone (a few per cent of them),
    # not from a count of every row's tie
    rows = np.flatnonzero(withheld) if withheld.any() else np.zeros(0, dtype=np.intp)
    k = len(study.roles)
    return suppress_scores_given_ties(
        result, study, summary, ratings.source[rows].astype(np.int64) * k + ratings.target[rows])


def suppress_scores_given_ties(
    result: RCScores, study: Study, summary: PrivacySummary, withheld_ties: Ints
) -> tuple[RCScores, PrivacySummary]:
    """Rules 3 and 4 of [`suppress_scores`][relcoord.privacy.suppression.suppress_scores], given
    the ties rated in withheld rows instead of the rows.

    ``withheld_ties`` are pair codes ``source * roles + target`` (role order of ``study``,
    repeats allowed) of every tie with a withheld rating; the ties among them that ``result``
    does not show are the suppressed ties.  ``study`` is read for its roles and instrument
    only (its ratings may be empty), ``summary`` for the rule and its counts: the in-memory
    [`suppress_scores`][relcoord.privacy.suppression.suppress_scores] and the parts'
    [`published_scores_from_parts`][relcoord.privacy.parts.published_scores_from_parts]
    both finish here.
    """
    shown = _pair_codes(result.ties, study)
    lost = _lost_ties(shown, withheld_ties, len(study.roles))
    ids, n_roles = np.array(study.role_ids, dtype=object), len(study.roles)
    suppressed = tuple(zip(ids[lost // n_roles].tolist(), ids[lost % n_roles].tolist(),
                           strict=True))
    hide = _Suppressor(summary.min_respondents, summary.reason)
    overall = hide.figure(result.overall)
    scored = attrs.evolve(
        result,
        overall=overall,
        within=hide.figure(result.within),
        between=hide.figure(result.between),
        by_dimension=(result.by_dimension if overall.suppressed_reason is None
                      else dict.fromkeys(result.by_dimension)),
        ties=_with_suppressed_ties(result, study, shown, lost, suppressed, summary.reason),
        roles=tuple(hide.role(role) for role in result.roles),
        organisations=hide.organisations(result.organisations),
    )
    return scored, attrs.evolve(summary, ties_suppressed=suppressed,
                                figures_suppressed=hide.hidden)


def _lost_ties(shown: Ints, withheld_ties: Ints, k: int) -> Ints:
    """The ties rated in withheld rows (pair codes ``withheld_ties``) that a result showing the
    ties ``shown`` (pair codes) does not show, as ascending pair codes ``source * k + target``
    (role order).

    The result shows the ties of the published ratings, every one of them rated in the
    study; the others rated there are ties of withheld rows."""
    rated = np.zeros(k * k, dtype=bool)
    rated[withheld_ties] = True
    rated[shown] = False
    return np.flatnonzero(rated).astype(np.int64)


def _pair_codes(ties: tuple[RatedTie, ...], study: Study) -> Ints:
    """``source * roles + target`` of each tie, in role order (the order of ``study.role_ids``)."""
    position = {role_id: i for i, role_id in enumerate(study.role_ids)}
    n_roles = len(position)
    return np.fromiter((position[t.source] * n_roles + position[t.target] for t in ties),
                       dtype=np.int64, count=len(ties))


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


def _with_suppressed_ties(result: RCScores, study: Study, shown: Ints, lost: Ints,
                          pairs: tuple[tuple[str, str], ...], reason: str
                          ) -> tuple[RatedTie, ...]:
    """The shown ties (their pair codes ``shown``) and the ``lost`` ones (pair codes, and their
    ``(source, target)`` in ``pairs``; every number ``None``), in role order."""
    with collector_paused():  # tens of thousands of ties, no reference cycles
        ties = [*result.ties, *_suppressed_ties(pairs, study.instrument.keys, reason)]
    codes = np.concatenate([shown, lost])
    return tuple(ties[i] for i in np.argsort(codes, kind="stable").tolist())


def _suppressed_ties(pairs: Iterable[tuple[str, str]], keys: tuple[str, ...], reason: str
                     ) -> list[RatedTie]:
    """A suppressed tie per ``(source, target)`` of ``pairs``.

    One is built by the constructor; every other is a fresh instance given its fields, its
    own source and target and the others shared with that one (all immutable: ``None``, the
    reason, the read-only ``dimensions``), as ``copy`` rebuilds an attrs object, without the
    constructor's conversion of ``dimensions``: less than half the constructor's time per tie,
    which counts at 88,897 suppressed ties (the many-roles study of issue 15).
    """
    template = _suppressed_tie("", "", keys, reason)
    shared = [(f.name, getattr(template, f.name)) for f in attrs.fields(RatedTie)
              if f.name not in ("source", "target")]
    chosen = list(pairs)
    n = len(chosen)
    # every instance made and every field set by ``map`` over all of them, field by field
    # (the calls run in C, no Python loop per tie; a fifth less time than a loop per tie)
    out = list(map(RatedTie.__new__, itertools.repeat(RatedTie, n)))
    set_ = object.__setattr__  # as attrs sets a frozen instance's fields
    columns = [("source", [p[0] for p in chosen]), ("target", [p[1] for p in chosen])]
    for name, values in columns:
        collections.deque(map(set_, out, itertools.repeat(name, n), values), maxlen=0)
    for name, value in shared:
        collections.deque(map(set_, out, itertools.repeat(name, n), itertools.repeat(value, n)),
                          maxlen=0)
    return out


def _suppressed_tie(source: str, target: str, keys: tuple[str, ...], reason: str) -> RatedTie:
    return RatedTie(
        source=source, target=target, rc=None, communication=None, relationship=None,
        n_respondents=None, band=None, dimensions=dict.fromkeys(keys), lowest_dimension=None,
        gap=None, suppressed=True, suppressed_reason=reason,
    )
