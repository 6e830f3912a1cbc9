"""Withholding: the study without its unpublishable ratings, and what was withheld.

Rule 2 of [`relcoord.privacy`][relcoord.privacy]: the ratings of every cell that is not publishable
([`cell_support`][relcoord.privacy.publishable.cell_support]) are removed before any aggregate is
computed.  [`PrivacySummary`][relcoord.privacy.withholding.PrivacySummary] records the rule in force
and what it removed; it is the ``privacy`` section of the Analysis JSON.
"""

from __future__ import annotations

from typing import Any, Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.json_values import json_ready
from relcoord.metrics.scores import RespondentTieScores
from relcoord.model import Study
from relcoord.privacy.publishable import (
    publishable_groups,
    respondent_ties_of,
    suppression_reason,
)
from relcoord.settings import AnalysisSettings

__all__ = ["PrivacySummary", "privacy_summary", "withhold"]

Bools = npt.NDArray[np.bool_]
Index = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]


@attrs.frozen(eq=False)
class PrivacySummary:
    """What the minimum-respondent rule withheld in one analysis.

    Attributes:
        min_respondents: the ``k`` in force.
        override: whether ``k`` below 3 was allowed by ``min_respondents_override``.
        reason: the text every suppressed figure carries.
        n_ratings: all ratings of the study.
        ratings_withheld: ratings removed before any figure was computed.
        rare_pattern_ratings: of those, the ratings removed because fewer than
            ``min_respondents`` respondents of their tie answered the same set of items
            (rule 1b; their tie may still be shown from the other ratings).
        respondents_affected: distinct respondents with at least one withheld rating
            (a rating without respondent counts as one).
        cells_withheld: withheld cells (ties, waves pooled).
        ties_suppressed: ties ``(source, target)`` shown with every number ``None``.
        figures_suppressed: aggregate figures (network, role and organisation values)
            suppressed because they rest on fewer than ``k`` respondents.
        withheld: per rating row of the analysed study, whether it was withheld.
    """

    min_respondents: int
    override: bool
    reason: str
    n_ratings: int
    ratings_withheld: int
    rare_pattern_ratings: int
    respondents_affected: int
    cells_withheld: int
    ties_suppressed: tuple[tuple[str, str], ...]
    figures_suppressed: int
    withheld: Bools = attrs.field(repr=False)

    def __repr__(self) -> str:
        return (f"<PrivacySummary: min_respondents={self.min_respondents}, "
                f"{self.ratings_withheld} of {self.n_ratings} ratings withheld, "
                f"{len(self.ties_suppressed)} ties suppressed>")

    def published(self, study: Study, order: Index | None = None) -> Study:
        """``study`` without its withheld ratings: what every figure was computed from.

        With ``order``, a permutation of ``study``'s rating rows, the kept rows come in that
        order (``analyze`` reads them in the canonical order of
        [`RatingsSummary.canonical_order`][relcoord.metrics.ratings_summary.RatingsSummary.canonical_order]);
        either way the rows are gathered once and not checked again.
        """
        if len(study.ratings) != len(self.withheld):
            raise ValueError("this privacy summary belongs to another study")
        if order is None:
            return _without_rows(study, self.withheld) if self.withheld.any() else study
        return _unchecked(study, ratings=study.ratings.taken(order[~self.withheld[order]]))

    def kept_rows(self, order: Index | None = None) -> Index | None:
        """The positions of the kept rating rows, in ``order`` (a permutation of the rows)
        or ascending; ``None`` when that is every row in the study's order."""
        if order is None:
            return np.flatnonzero(~self.withheld) if self.withheld.any() else None
        return order[~self.withheld[order]]

    def to_mapping(self) -> dict[str, Any]:
        """The summary as JSON-ready values (the ``privacy`` section of the Analysis JSON)."""
        return json_ready({
            "min_respondents": self.min_respondents,
            "min_respondents_override": self.override,
            "rule": "a figure is shown only when it rests on at least min_respondents "
            "distinct respondents; the ratings of every tie (rater role, target role) "
            "below that are removed before any figure is computed, and so are the "
            "ratings of a tie whose set of answered items fewer than min_respondents "
            "respondents of that tie share",
            "reason": self.reason,
            "ratings": self.n_ratings,
            "ratings_withheld": self.ratings_withheld,
            "rare_pattern_ratings": self.rare_pattern_ratings,
            "respondents_affected": self.respondents_affected,
            "cells_withheld": self.cells_withheld,
            "ties_suppressed": len(self.ties_suppressed),
            "figures_suppressed": self.figures_suppressed,
        })


def withhold(
    study: Study,
    settings: AnalysisSettings,
    *,
    respondent_ties: RespondentTieScores | None = None,
) -> tuple[Study, PrivacySummary]:
    """The study reduced to its publishable ratings, and what was withheld.

    Every figure of an analysis is computed from the returned study; the summary records
    the rule and the counts (its ``ties_suppressed`` and ``figures_suppressed`` are filled
    in by [`suppress_scores`][relcoord.privacy.suppression.suppress_scores]).  ``respondent_ties``
    may pass
    [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores] of
    ``study`` under the settings' ``min_items`` when the caller has them already.  The same as
    [`privacy_summary`][relcoord.privacy.withholding.privacy_summary] and its
    [`published`][relcoord.privacy.withholding.PrivacySummary.published] study.
    """
    summary = privacy_summary(study, settings, respondent_ties=respondent_ties)
    return summary.published(study), summary


def privacy_summary(
    study: Study,
    settings: AnalysisSettings,
    *,
    respondent_ties: RespondentTieScores | None = None,
) -> PrivacySummary:
    """What the rule withholds from ``study`` (see
    [`withhold`][relcoord.privacy.withholding.withhold]), without making the published study: a
    caller that holds large per-row arrays of ``study`` can trade them for those of the
    published rows before
    [`PrivacySummary.published`][relcoord.privacy.withholding.PrivacySummary.published] copies
    the ratings, so that both never need memory at once.  The rule counts respondents and
    answers per cell, so the decision does not depend on the order of the rating rows: a
    permutation of the rows permutes ``withheld`` and changes no count."""
    per = respondent_ties_of(study, settings.items_needed(study.instrument), respondent_ties)
    groups, rare, publishable = publishable_groups(study, per, settings.min_respondents)
    # the counts from the groups; only the respondents need the rows
    hidden = ~publishable
    withheld = groups.on_rows(hidden)
    withheld.setflags(write=False)
    return PrivacySummary(
        min_respondents=settings.min_respondents,
        override=settings.min_respondents_override,
        reason=suppression_reason(settings.min_respondents),
        n_ratings=len(study.ratings),
        ratings_withheld=int(groups.rows[hidden].sum()),
        rare_pattern_ratings=int(groups.rows[rare].sum()),
        respondents_affected=groups.cells.respondents_in(rows=withheld),
        cells_withheld=len(np.unique(groups.cell[hidden])),
        ties_suppressed=(),
        figures_suppressed=0,
        withheld=withheld,
    )


#: Rating rows per block when the score block of the published study is copied.
_COPY_ROWS: Final = 1 << 16


def _without_rows(study: Study, withheld: Bools) -> Study:
    """``study`` without the rating rows ``withheld`` marks, its other rows in order.

    Each column is copied once, into the read-only array the new store keeps
    (``Ratings.select`` copies the score block twice and checks every code and label
    again), and neither the store nor the study is checked again: every check a
    [`Ratings`][relcoord.ratings.Ratings] store or a [`Study`][relcoord.model.Study] makes of
    its ratings is a check of single rows (codes in range, known roles and respondents, a
    respondent's own role as source, scores on the scale) or of equal lengths, which a
    selection of rows of a checked study passes; its vocabularies are the study's, so there
    is nothing to recode either.  At 4.5 million ratings that saves most of a second.
    """
    ratings = study.ratings
    keep = ~withheld
    columns: dict[str, Any] = {}
    for name in ("source", "target", "respondent", "wave"):
        columns[name] = getattr(ratings, name)[keep]
    columns["scores"] = _kept_rows(ratings.scores, keep)
    for column in columns.values():
        column.setflags(write=False)
    return _unchecked(study, ratings=_unchecked(ratings, **columns))


def _kept_rows(block: Floats, keep: Bools) -> Floats:
    """The rows of the 2-d ``block`` that ``keep`` marks, in order: by index, not by mask
    (twice as fast for a 2-d block), block by block of rows, so that no index of every kept
    row is made (8 bytes a row, a quarter of a 7-item score block)."""
    out = np.empty((int(np.count_nonzero(keep)), block.shape[1]), dtype=block.dtype)
    at = 0
    for start in range(0, len(block), _COPY_ROWS):
        index = np.flatnonzero(keep[start:start + _COPY_ROWS])
        # the indices are in range: "clip" writes straight into ``out`` ("raise" buffers)
        np.take(block[start:start + _COPY_ROWS], index, axis=0, out=out[at:at + len(index)],
                mode="clip")
        at += len(index)
    return out


_T = TypeVar("_T", bound=attrs.AttrsInstance)


def _unchecked(instance: _T, **changes: Any) -> _T:
    """A new frozen attrs ``instance`` with ``changes``, its other fields shared, made without
    its ``__init__`` (no converters, no checks): only for changes that keep every invariant
    those guard.  Only the fields are set, so nothing derived from the old values (a cached
    property) is carried over."""
    cls = type(instance)
    fresh = cls.__new__(cls)
    for field in attrs.fields(cls):
        name = field.name
        object.__setattr__(fresh, name, changes[name] if name in changes
                           else getattr(instance, name))
    return fresh
