"""Reliability from rater-role parts: the reliability of a study computed block by block.

Every reliability figure is a function of a few sums over the rating rows (see
[`relcoord.metrics.reliability.answer_counts`][relcoord.metrics.reliability.answer_counts]), and
the sums split along the rater roles ([`relcoord.rater_role_blocks`][relcoord.rater_role_blocks]):

* the agreement of a tie (r_wg, r_wg(J), AD) and the distinct raters behind it belong to one
  tie cell (rater role, target role, wave), so to one rater role;
* Cronbach's alpha rests on the sums of the answers and of their products over all complete
  ratings, which add over any split of the ratings;
* the ICCs are one-way ANOVAs: of respondents nested in their rater role (a respondent rates
  from their role, so each group lies in one block), of ratings nested in their tie (each
  group a cell), and of ratings nested in the role they rate, whose groups pool the cells of
  every rater role: per group the number of cases, their sum and their sum of squared
  deviations from the group mean add across blocks (Chan, Golub & LeVeque 1983).

[`reliability_part`][relcoord.metrics.reliability.parts.reliability_part] sums up one block of
whole rater roles into a [`ReliabilityPart`][relcoord.metrics.reliability.parts.ReliabilityPart]
whose size does not grow with the rating rows (per tie cell, per rater role or target role, per
item pair);
[`combine_reliability_parts`][relcoord.metrics.reliability.parts.combine_reliability_parts]
puts the parts of disjoint sets of rater roles together, in any grouping and order; and
[`reliability_of_part`][relcoord.metrics.reliability.parts.reliability_of_part] computes the
[`ReliabilitySummary`][relcoord.metrics.reliability.summary.ReliabilitySummary] of the whole, with
the same code as [`reliability_summary`][relcoord.metrics.reliability.summary.reliability_summary]
from the same counts.  On an integer scale (every built-in one) the part holds the integer
tallies themselves, so alpha, agreement and the ICCs of ratings are the in-memory figures to the
last bit (the ICC by tie when the finishing study's ratings name the waves in the published
study's order; else its groups are added in another order); the ICC of respondents, and on
other scales alpha, the ICCs and a tie's rows taken in another order, add floating-point sums
in another order and agree to rounding (the tests hold them to 1e-12 relative).
[`publishable_reliability_from_parts`][relcoord.privacy.reliability.publishable_reliability_from_parts]
applies the privacy rule.

Sources:
    Chan, T.F., Golub, G.H. & LeVeque, R.J. (1979). Updating formulae and a pairwise algorithm
    for computing sample variances. Stanford CS report STAN-CS-79-773.
    Chan, T.F., Golub, G.H. & LeVeque, R.J. (1983). Algorithms for computing the sample
    variance: analysis and recommendations. *The American Statistician* 37(3), 242-247.
    Bliese, P.D. (2000). Within-group agreement, non-independence, and reliability. In
    K.J. Klein & S.W.J. Kozlowski (eds.), *Multilevel Theory, Research, and Methods in
    Organizations*, 349-381. Jossey-Bass.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.frozen_mapping import FrozenMapping
from relcoord.metrics.reliability.agreement import (
    TieAgreement,
    agreement_of_counts,
    agreement_of_rows,
    agreement_table,
)
from relcoord.metrics.reliability.alpha import CronbachAlpha, alpha_of_covariance
from relcoord.metrics.reliability.answer_counts import AlphaSums, AnswerCounts, CellCounts
from relcoord.metrics.reliability.icc import (
    IntraclassCorrelation,
    group_mean_reliability,
    icc_from_anova,
    icc_of_groups,
    respondent_scores_of_rows,
)
from relcoord.metrics.reliability.rows import SCALES, RatingRows, scale_keys
from relcoord.metrics.reliability.summary import ReliabilitySettings, ReliabilitySummary
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

__all__ = [
    "AlphaMoments",
    "GroupMoments",
    "ReliabilityPart",
    "RowFigures",
    "combine_reliability_parts",
    "reliability_of_part",
    "reliability_part",
    "reliability_settings",
]

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def reliability_settings(study: Study, settings: AnalysisSettings) -> ReliabilitySettings:
    """The reliability figures an analysis publishes: alpha on the ratings the scores count
    under ``settings.min_items``, ICC(1) with ``settings.icc_group_size``, every other choice
    the default (as
    [`publishable_reliability`][relcoord.privacy.reliability.publishable_reliability] takes
    them)."""
    return ReliabilitySettings(min_items=settings.items_needed(study.instrument),
                               icc_group_size=settings.icc_group_size)


@attrs.frozen(eq=False)
class GroupMoments:
    """Cases in labelled groups summed up for a one-way ANOVA: per group (``labels``,
    ascending, distinct) the number of cases ``counts``, their sum ``sums`` (added in the
    cases' order, as ``np.bincount`` adds them), the same sum correctly rounded
    (``exact_sums``, ``math.fsum``) and the sum of squared deviations from the group mean
    (``within``).

    Groups of disjoint sets of cases with the same label are pooled by the updating formula
    of Chan, Golub & LeVeque (1979): ``W = W_1 + W_2 + n_1 n_2 / n (m_1 - m_2)^2``."""

    labels: Ints
    counts: Ints
    sums: Floats
    exact_sums: Floats
    within: Floats

    @classmethod
    def of(cls, values: Floats, labels: npt.NDArray[np.integer[Any]]) -> GroupMoments:
        """The moments of ``values`` (no NaN) in groups ``labels`` (integers at least 0)."""
        names, group = np.unique(np.asarray(labels, dtype=np.int64), return_inverse=True)
        group = group.ravel()
        counts = np.bincount(group, minlength=len(names)).astype(np.int64)
        sums = np.bincount(group, weights=values, minlength=len(names))
        means = sums / np.maximum(counts, 1)
        deviation = values - means[group]
        within = np.bincount(group, weights=deviation * deviation, minlength=len(names))
        order = np.argsort(group, kind="stable")
        starts = np.concatenate(([0], np.cumsum(counts)))
        ordered = values[order].tolist()
        exact = np.array([math.fsum(ordered[a:b]) for a, b in
                          zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True)],
                         dtype=np.float64)
        return cls(labels=names.astype(np.int64), counts=counts,
                   sums=np.asarray(sums, dtype=np.float64), exact_sums=exact,
                   within=np.asarray(within, dtype=np.float64))

    @classmethod
    def empty(cls) -> GroupMoments:
        """No group."""
        none = np.zeros(0)
        return cls(labels=np.zeros(0, dtype=np.int64), counts=np.zeros(0, dtype=np.int64),
                   sums=none, exact_sums=none, within=none)

    def relabelled(self, labels: Ints) -> GroupMoments:
        """The same groups under new ``labels`` (one per group, any order: sorted here)."""
        order = np.argsort(labels, kind="stable")
        return GroupMoments(labels=labels[order], counts=self.counts[order],
                            sums=self.sums[order], exact_sums=self.exact_sums[order],
                            within=self.within[order])

    @staticmethod
    def pooled(parts: Sequence[GroupMoments]) -> GroupMoments:
        """The moments of the union of ``parts``' cases: groups with one label pooled."""
        if not parts:
            return GroupMoments.empty()
        labels = np.concatenate([p.labels for p in parts])
        names, group = np.unique(labels, return_inverse=True)
        group = group.ravel()
        counts = np.zeros(len(names), dtype=np.int64)
        sums, exact, within = np.zeros(len(names)), np.zeros(len(names)), np.zeros(len(names))
        start = 0
        for part in parts:
            at = group[start:start + len(part.labels)]
            start += len(part.labels)
            before, seen = counts[at], sums[at]
            total = before + part.counts
            # Chan, Golub & LeVeque (1979): the squared gap of the two means, weighted
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = np.where(before > 0, seen / np.maximum(before, 1)
                               - part.sums / np.maximum(part.counts, 1), 0.0)
                within[at] += part.within + before * part.counts / np.maximum(total, 1) * gap * gap
            counts[at] = total
            sums[at] = seen + part.sums
            exact[at] += part.exact_sums
        return GroupMoments(labels=names.astype(np.int64), counts=counts, sums=sums,
                            exact_sums=exact, within=within)

    def icc(self, *, grouping: str, scale: str, group_size: Any, design: str,
            wave: str | None = None, target: str | None = None) -> IntraclassCorrelation:
        """ICC(1) and ICC(2) of the cases nested in these groups
        ([`icc_of_groups`][relcoord.metrics.reliability.icc.icc_of_groups]): the grand mean from
        the correctly rounded group sums, the within-group sum of squares their ``math.fsum``."""
        sizes = self.counts.astype(np.float64)
        n = int(self.counts.sum())
        if len(sizes) >= 2 and n - len(sizes) >= 1:
            means = self.sums / sizes
            grand = math.fsum(self.exact_sums.tolist()) / n
            return icc_of_groups(sizes, means, grand, math.fsum(self.within.tolist()),
                                 grouping=grouping, scale=scale, wave=wave, target=target,
                                 group_size=group_size, design=design)
        return icc_from_anova(math.nan, math.nan, sizes, grouping=grouping, scale=scale,
                              wave=wave, target=target, group_size=group_size, design=design)


@attrs.frozen(eq=False)
class AlphaMoments:
    """The cases of one scale summed up for Cronbach's alpha on a scale that is not counted
    (floating-point answers): ``n`` cases, the items' means and the matrix of the sums of
    products of their deviations from the means (``n - 1`` times the covariance matrix).
    Two sets of cases are pooled by the updating formula of Chan, Golub & LeVeque (1979):
    ``M = M_1 + M_2 + n_1 n_2 / n (m_2 - m_1)(m_2 - m_1)'``."""

    keys: tuple[str, ...]
    n: int
    means: Floats
    cross: Floats

    @classmethod
    def of(cls, keys: tuple[str, ...], x: Floats) -> AlphaMoments:
        """The moments of the complete ``(n, J)`` cases ``x``."""
        n = len(x) if keys else 0
        if not n:
            return cls(keys=keys, n=0, means=np.zeros(len(keys)),
                       cross=np.zeros((len(keys), len(keys))))
        means = x.mean(axis=0)
        centred = x - means
        return cls(keys=keys, n=n, means=means, cross=centred.T @ centred)

    def plus(self, other: AlphaMoments) -> AlphaMoments:
        """The moments of both sets of cases (the same scale)."""
        if other.keys != self.keys:
            raise ValueError(f"alpha moments of items {other.keys} added to those of {self.keys}")
        if not other.n:
            return self
        if not self.n:
            return other
        n = self.n + other.n
        gap = other.means - self.means
        return AlphaMoments(keys=self.keys, n=n, means=self.means + gap * (other.n / n),
                            cross=self.cross + other.cross
                            + np.outer(gap, gap) * (self.n * other.n / n))

    def alpha(self, scale: str, wave: str | None, min_items: int) -> CronbachAlpha:
        """Cronbach's alpha of these cases
        ([`alpha_of_covariance`][relcoord.metrics.reliability.alpha.alpha_of_covariance])."""
        cov = self.cross / (self.n - 1) if self.n >= 2 and len(self.keys) >= 2 else None
        return alpha_of_covariance(cov, self.n, self.keys, scale, wave, min_items)


@attrs.frozen(eq=False)
class RowFigures:
    """What the part of a scale that is not counted keeps beside the raters: each tie's
    agreement as computed from its rows (``ties``, in the order of the part's ``cells``, their
    ``icc2`` left out: it rests on the ICC of all the ties), and the moments of the ratings'
    RC by tie cell (``by_tie``, labelled with the part's cell codes) and by target role
    (``by_target``, labelled with role codes)."""

    ties: tuple[TieAgreement, ...]
    by_tie: GroupMoments
    by_target: GroupMoments


def _frozen_alpha(value: Mapping[str, AlphaSums | AlphaMoments]
                  ) -> Mapping[str, AlphaSums | AlphaMoments]:
    return FrozenMapping(value)


@attrs.frozen(eq=False)
class ReliabilityPart:
    """The reliability of the published rating rows of some rater roles, summed up (see the
    module docstring); picklable, its size independent of the number of rows.

    ``keys`` are the RC index's items and ``min_items`` the scores' rule alpha was summed
    under.  ``cells`` are the tie cells (ascending codes ``(source * n_roles + target) *
    (len(waves) + 1) + slot``, roles numbered as ``study.role_ids``, slot 0 for no wave and
    ``i + 1`` for ``waves[i]``) with at least one rating complete on the RC index, and
    ``raters`` the distinct raters with complete answers in each (a rating without a
    respondent counting as one), the number the privacy rule checks.  ``alpha`` holds per scale
    the sums of [`AlphaSums`][relcoord.metrics.reliability.answer_counts.AlphaSums] (integer
    scales) or [`AlphaMoments`][relcoord.metrics.reliability.parts.AlphaMoments];
    ``respondents`` the moments of the respondents' mean RC by rater role code.  On an integer
    scale ``counts`` holds the per-cell tallies (for the agreement and the ICCs of ratings;
    cells as ``cells``), else ``rows`` the figures computed from the rows.
    """

    keys: tuple[str, ...]
    min_items: int
    n_roles: int
    waves: tuple[str, ...]
    cells: Ints
    raters: Ints
    alpha: Mapping[str, AlphaSums | AlphaMoments] = attrs.field(converter=_frozen_alpha)
    respondents: GroupMoments
    counts: CellCounts | None
    rows: RowFigures | None

    @property
    def n_waves(self) -> int:
        """The wave slots of the cell codes: no wave and each of `waves`."""
        return len(self.waves) + 1

    def raters_of(self, source: int, target: int, wave: str | None) -> int:
        """The distinct raters of the tie cell ``source -> target`` (role codes) in ``wave``
        (0 when it has no complete rating)."""
        slot = 0 if wave is None else self.waves.index(wave) + 1
        code = (source * self.n_roles + target) * self.n_waves + slot
        at = int(np.searchsorted(self.cells, code))
        return int(self.raters[at]) if at < len(self.cells) and self.cells[at] == code else 0

    def with_waves(self, waves: Sequence[str]) -> ReliabilityPart:
        """The same part with its cells coded on the wave slots of ``waves`` (every wave of
        the part among them), sorted on the new codes."""
        waves = tuple(waves)
        if waves == self.waves:
            return self
        missing = sorted(set(self.waves) - set(waves))
        if missing:
            raise ValueError(f"wave {missing[0]!r} of the part is not among {waves}")
        slot_of = np.array([0, *(waves.index(w) + 1 for w in self.waves)], dtype=np.int64)
        pair, slot = np.divmod(self.cells, self.n_waves)
        codes = pair * (len(waves) + 1) + slot_of[slot]
        order = np.argsort(codes, kind="stable")
        counts = self.counts
        if counts is not None:
            counts = attrs.evolve(counts, n_waves=len(waves) + 1, cells=codes[order],
                                  item_counts=counts.item_counts[order],
                                  item_sums=counts.item_sums[order])
        rows = self.rows
        if rows is not None:
            # by_tie's labels are the cell codes, in the order of ``cells``
            rows = attrs.evolve(rows, ties=tuple(rows.ties[i] for i in order.tolist()),
                                by_tie=rows.by_tie.relabelled(codes))
        return attrs.evolve(self, waves=waves, cells=codes[order], raters=self.raters[order],
                            counts=counts, rows=rows)


def reliability_part(published_block: Study, settings: AnalysisSettings, *,
                     engine: str = "auto") -> ReliabilityPart:
    """The [`ReliabilityPart`][relcoord.metrics.reliability.parts.ReliabilityPart] of a block of
    whole rater roles' published rating rows
    ([`rater_role_block`][relcoord.rater_role_blocks.rater_role_block] of the published study, or
    the published rows of a block: the withheld ratings gone), for the reliability figures
    [`publishable_reliability`][relcoord.privacy.reliability.publishable_reliability] computes
    under ``settings``.

    On an integer scale the block's
    [`AnswerCounts`][relcoord.metrics.reliability.answer_counts.AnswerCounts] are taken (one pass
    over its rows) and kept per cell, alpha's as their integer sums; else the row-by-row
    figures of each tie and the moments of the ICCs and of alpha are kept.  ``engine`` is the
    answer counts' (``"numpy"``, ``"numba"`` or ``"auto"``; the same counts on both)."""
    study = published_block
    chosen = reliability_settings(study, settings)
    min_items = chosen.min_items
    assert min_items is not None  # reliability_settings sets it
    n_roles = len(study.roles)
    waves = tuple(study.ratings.waves)
    counts = AnswerCounts.of(study, engine=engine)
    role_of = study.respondent_role_codes
    if counts is not None:
        cells = counts.cells.astype(np.int64)
        raters = counts.raters()[cells] if len(cells) else np.zeros(0, dtype=np.int64)
        people, scores = counts.respondent_scores()
        return ReliabilityPart(
            keys=counts.keys, min_items=min_items, n_roles=n_roles, waves=waves, cells=cells,
            raters=np.asarray(raters, dtype=np.int64), alpha=counts.alpha_sums(min_items),
            respondents=GroupMoments.of(scores, role_of[people]),
            counts=_compact(counts.by_cell), rows=None)
    rows = RatingRows.of(study, None)
    keys = rows.keys
    table = agreement_of_rows(study, rows, keys, scale="rc", center=chosen.center, wave=None,
                              rwg_cutoff=chosen.rwg_cutoff, group_size=chosen.icc_group_size)
    complete = rows.complete
    cell_codes = rows.codes[complete]
    score = rows.total[complete] / max(len(keys), 1)
    by_tie = GroupMoments.of(score, cell_codes)
    slots: dict[str | None, int] = {None: 0, **{w: i + 1 for i, w in enumerate(waves)}}
    index = {role: i for i, role in enumerate(study.role_ids)}
    n_waves = len(waves) + 1
    ties = sorted(table.ties, key=lambda t: (index[t.source] * n_roles + index[t.target])
                  * n_waves + slots[t.wave])
    respondents_all = rows.cells.respondents(complete)
    target = rows.pick(study.ratings.target)[complete]
    people, scores = respondent_scores_of_rows(study, rows, keys, None)
    return ReliabilityPart(
        keys=keys, min_items=min_items, n_roles=n_roles, waves=waves, cells=by_tie.labels,
        raters=np.asarray(respondents_all[by_tie.labels], dtype=np.int64),
        alpha=_alpha_moments(study, rows, min_items),
        respondents=GroupMoments.of(scores, role_of[people]), counts=None,
        rows=RowFigures(ties=tuple(attrs.evolve(t, icc2=None) for t in ties), by_tie=by_tie,
                        by_target=GroupMoments.of(score, target)),
    )


def _compact(counts: CellCounts) -> CellCounts:
    """``counts`` with the item counts in four bytes each when they fit (half the part's
    size; the figures read them as int64 again)."""
    items = counts.item_counts
    if items.size and int(items.max()) < 2**31:
        items = items.astype(np.int32)
    return attrs.evolve(counts, item_counts=items)


def _alpha_moments(study: Study, rows: RatingRows, min_items: int) -> dict[str, AlphaMoments]:
    """Per scale, the moments of its cases as
    [`scale_alphas`][relcoord.metrics.reliability.alpha.scale_alphas] chooses them: the RC
    index's complete rows, a sub-index's counted rows complete on its items."""
    x, complete = rows.x, rows.complete
    counted = rows.counted(min_items)
    out: dict[str, AlphaMoments] = {}
    for scale in SCALES:
        keys = scale_keys(study.instrument, scale)
        cols = [rows.keys.index(k) for k in keys]
        chosen = complete if scale == "rc" else counted & ~np.isnan(x[:, cols]).any(axis=1)
        out[scale] = AlphaMoments.of(keys, x[chosen][:, cols])
    return out


def combine_reliability_parts(parts: Iterable[ReliabilityPart]) -> ReliabilityPart:
    """The part of the union of ``parts``' rater roles (disjoint sets of rater roles of one
    study, computed under the same settings), in any order: their cells side by side (on the
    waves of all of them), alpha's sums added, the respondents' groups side by side and the
    groups by target role pooled.  `ValueError` for no part, parts of different instruments
    or settings, or two parts with a tie cell or a rater role in common."""
    todo = list(parts)
    if not todo:
        raise ValueError("no reliability part to combine")
    first = todo[0]
    for part in todo[1:]:
        if (part.keys, part.min_items, part.n_roles) != (first.keys, first.min_items,
                                                          first.n_roles) \
                or (part.counts is None) != (first.counts is None):
            raise ValueError("reliability parts of different studies or settings")
    if len(todo) == 1:
        return first
    if all(p.waves == first.waves for p in todo):
        waves = first.waves
    else:
        waves = tuple(sorted({w for p in todo for w in p.waves}))
    todo = [p.with_waves(waves) for p in todo]
    cells = np.concatenate([p.cells for p in todo])
    order = np.argsort(cells, kind="stable")
    cells = cells[order]
    if len(cells) > 1 and bool((cells[1:] == cells[:-1]).any()):
        raise ValueError("two reliability parts share a tie cell: their rater roles overlap")
    people = np.concatenate([p.respondents.labels for p in todo])
    if len(np.unique(people)) != len(people):
        raise ValueError("two reliability parts share a rater role")
    alpha: dict[str, AlphaSums | AlphaMoments] = {
        scale: _added([p.alpha[scale] for p in todo]) for scale in first.alpha}
    respondents = GroupMoments(
        labels=people, counts=np.concatenate([p.respondents.counts for p in todo]),
        sums=np.concatenate([p.respondents.sums for p in todo]),
        exact_sums=np.concatenate([p.respondents.exact_sums for p in todo]),
        within=np.concatenate([p.respondents.within for p in todo])).relabelled(people)
    counts = rows = None
    if first.counts is not None:
        tallies = [p.counts for p in todo if p.counts is not None]
        counts = attrs.evolve(
            first.counts, n_waves=len(waves) + 1, cells=cells,
            item_counts=np.concatenate([c.item_counts for c in tallies])[order],
            item_sums=np.concatenate([c.item_sums for c in tallies])[order])
    else:
        figures = [p.rows for p in todo if p.rows is not None]
        ties = [t for f in figures for t in f.ties]
        by_tie = [f.by_tie for f in figures]
        rows = RowFigures(
            ties=tuple(ties[i] for i in order.tolist()),
            by_tie=GroupMoments(
                labels=np.concatenate([g.labels for g in by_tie])[order],
                counts=np.concatenate([g.counts for g in by_tie])[order],
                sums=np.concatenate([g.sums for g in by_tie])[order],
                exact_sums=np.concatenate([g.exact_sums for g in by_tie])[order],
                within=np.concatenate([g.within for g in by_tie])[order]),
            by_target=GroupMoments.pooled([f.by_target for f in figures]))
    return ReliabilityPart(
        keys=first.keys, min_items=first.min_items, n_roles=first.n_roles, waves=waves,
        cells=cells, raters=np.concatenate([p.raters for p in todo])[order], alpha=alpha,
        respondents=respondents, counts=counts, rows=rows)


def _added(sums: list[AlphaSums | AlphaMoments]) -> AlphaSums | AlphaMoments:
    total = sums[0]
    for more in sums[1:]:
        total = total.plus(more)  # type: ignore[arg-type]  # one kind in one study
    return total


def reliability_of_part(study: Study, part: ReliabilityPart,
                        settings: ReliabilitySettings) -> ReliabilitySummary:
    """The [`ReliabilitySummary`][relcoord.metrics.reliability.summary.ReliabilitySummary] of the
    rows ``part`` sums up (all of ``study``'s published rows, combined), as
    [`reliability_summary`][relcoord.metrics.reliability.summary.reliability_summary] computes it
    from the rows themselves; ``study`` gives the instrument, roles and respondents only (its
    ratings may be empty).  ``settings`` must be those the part was summed for
    ([`reliability_settings`][relcoord.metrics.reliability.parts.reliability_settings]:
    ``min_items``, every figure over all waves, respondents grouped by role); `ValueError`
    otherwise."""
    if (settings.min_items != part.min_items or settings.wave is not None
            or settings.target is not None or settings.by != "role"):
        raise ValueError("a reliability part gives the figures of all waves, respondents by "
                         f"role and min_items={part.min_items} only")
    if len(study.roles) != part.n_roles or study.instrument.keys != part.keys:
        raise ValueError("the reliability part is not of this study")
    extra = [w for w in part.waves if w not in study.ratings.waves]
    if not extra:  # the study's wave slots, as the in-memory figures number the cells
        part = part.with_waves(study.ratings.waves)
    size = settings.icc_group_size
    alpha = {scale: sums.alpha(scale, None, part.min_items) for scale, sums in part.alpha.items()}
    icc = part.respondents.icc(grouping="role", scale="rc", group_size=size,
                               design="respondents_by_rater_role")
    if part.counts is not None:
        counts = attrs.evolve(part.counts, item_counts=part.counts.item_counts.astype(np.int64))
        msb, msw, sizes = counts.target_anova()
        return ReliabilitySummary(
            settings=settings, alpha=alpha,
            agreement=agreement_of_counts(study, counts, center=settings.center, wave=None,
                                          rwg_cutoff=settings.rwg_cutoff, group_size=size,
                                          waves=part.waves),
            icc=icc,
            icc_by_target=icc_from_anova(msb, msw, sizes, grouping="target", scale="rc",
                                         wave=None, target=None, group_size=size,
                                         design="ratings_by_target_role"),
        )
    rows = part.rows
    assert rows is not None  # a part holds counts or row figures
    if settings.center != "mean" or settings.rwg_cutoff != ReliabilitySettings().rwg_cutoff:
        raise ValueError("a reliability part of a scale that is not counted gives the "
                         "agreement about the mean only")
    by_tie = rows.by_tie.icc(grouping="tie", scale="rc", group_size=size,
                             design="ratings_by_tie")
    n = np.array([t.n for t in rows.ties], dtype=np.int64)
    reliability = group_mean_reliability(by_tie.icc1, n)
    ties = [attrs.evolve(t, icc2=r) for t, r in zip(rows.ties, reliability, strict=True)]
    return ReliabilitySummary(
        settings=settings, alpha=alpha,
        agreement=agreement_table(study, part.keys, ties, by_tie, scale="rc",
                                  center=settings.center, wave=None,
                                  rwg_cutoff=settings.rwg_cutoff),
        icc=icc,
        icc_by_target=rows.by_target.icc(grouping="target", scale="rc", group_size=size,
                                         design="ratings_by_target_role"),
    )
