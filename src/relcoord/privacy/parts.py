"""The privacy rule in parts: rules 1 and 1b decided on blocks of whole rater roles.

Every decision of the rule is taken per cell (rater role, target role; waves pooled) from
the distinct respondents of that cell, and a respondent belongs to one role, the source of
every rating they give: so the rule decided on a block that holds *every* rating row of some
rater roles ([`rater_role_block`][relcoord.rater_role_blocks.rater_role_block]) withholds
exactly the rows the rule decided on the whole study withholds among them.  What the
[`PrivacySummary`][relcoord.privacy.withholding.PrivacySummary] counts over the study adds up
over such blocks: ratings and cells lie in one block each, and so do respondents (a rating
without respondent counts as one respondent wherever it lies).  What
[`suppress_scores`][relcoord.privacy.suppression.suppress_scores] reads from the withheld rows
is the set of ties they rate, of the size of role pairs.

So [`privacy_part`][relcoord.privacy.parts.privacy_part] gives a block's published study (the
rows every figure is computed from) and a [`PrivacyPart`][relcoord.privacy.parts.PrivacyPart]
of a few counts and the ties with a withheld rating, never anything per row;
[`PrivacyPart.combine`][relcoord.privacy.parts.PrivacyPart.combine] adds the parts of
disjoint blocks (integers and sets: exact in any grouping and order); and
[`published_scores_from_parts`][relcoord.privacy.parts.published_scores_from_parts] finishes
the rule on the scores of the whole published study as
[`published_scores`][relcoord.privacy.suppression.published_scores] does, through the same
code (rules 3 and 4,
[`suppress_scores_given_ties`][relcoord.privacy.suppression.suppress_scores_given_ties]).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import numpy as np

from relcoord.metrics.scores import (
    RCScores,
    RespondentTieScores,
    remember_respondent_tie_scores,
    respondent_tie_scores,
)
from relcoord.model import Study
from relcoord.privacy.publishable import respondent_ties_of, suppression_reason
from relcoord.privacy.suppression import suppress_scores_given_ties
from relcoord.privacy.withholding import PrivacySummary, privacy_summary
from relcoord.settings import AnalysisSettings

__all__ = ["PrivacyPart", "privacy_part", "published_scores_from_parts"]


@attrs.frozen
class PrivacyPart:
    """What the privacy rule decided on a block of whole rater roles, without its rows.

    Made by [`privacy_part`][relcoord.privacy.parts.privacy_part]; the parts of disjoint
    blocks add up with [`combine`][relcoord.privacy.parts.PrivacyPart.combine].  Its size
    grows with the roles, never with the ratings.

    Attributes:
        min_respondents: the ``k`` the rule applied.
        min_items: the ``min_items`` the respondent-ties were counted under.
        n_roles: the roles of the study (pair codes are ``source * n_roles + target``).
        rater_roles: ascending positions (in ``study.role_ids``) of the rater roles that
            have ratings in the block.
        n_ratings: the block's ratings.
        ratings_withheld: of those, the ratings withheld.
        rare_pattern_ratings: of those, the ratings withheld for a rare answer pattern from
            a cell that is still shown (rule 1b).
        respondents_affected: distinct respondents with a withheld rating (a rating without
            respondent counts as one).
        cells_withheld: cells (ties, waves pooled) with a withheld rating.
        withheld_ties: ascending pair codes of the ties with a withheld rating; those the
            scores of the published ratings do not show are the suppressed ties.
    """

    min_respondents: int
    min_items: int
    n_roles: int
    rater_roles: tuple[int, ...]
    n_ratings: int
    ratings_withheld: int
    rare_pattern_ratings: int
    respondents_affected: int
    cells_withheld: int
    withheld_ties: tuple[int, ...]

    @classmethod
    def combine(cls, parts: Iterable[PrivacyPart]) -> PrivacyPart:
        """The part of the union of the blocks of ``parts``: the counts added, the rater
        roles and the withheld ties united (sorted), the same in any order or grouping.

        `ValueError` when there is no part, when the parts were made under different rules
        (``min_respondents``, ``min_items``) or for studies with different numbers of roles,
        or when two parts share a rater role (their blocks would count it twice).  A study
        without ratings has the part of a block with no rows
        (``rater_role_block(study, ())``).
        """
        chosen = list(parts)
        if not chosen:
            raise ValueError("no privacy parts to combine")
        first = chosen[0]
        rule = (first.min_respondents, first.min_items, first.n_roles)
        roles: set[int] = set()
        for part in chosen:
            if (part.min_respondents, part.min_items, part.n_roles) != rule:
                raise ValueError(
                    "privacy parts of different rules or studies: min_respondents, "
                    f"min_items, roles {rule} and "
                    f"{(part.min_respondents, part.min_items, part.n_roles)}")
            twice = roles.intersection(part.rater_roles)
            if twice:
                raise ValueError(f"rater role #{min(twice)} is in two privacy parts")
            roles.update(part.rater_roles)
        return cls(
            min_respondents=first.min_respondents,
            min_items=first.min_items,
            n_roles=first.n_roles,
            rater_roles=tuple(sorted(roles)),
            n_ratings=sum(p.n_ratings for p in chosen),
            ratings_withheld=sum(p.ratings_withheld for p in chosen),
            rare_pattern_ratings=sum(p.rare_pattern_ratings for p in chosen),
            respondents_affected=sum(p.respondents_affected for p in chosen),
            cells_withheld=sum(p.cells_withheld for p in chosen),
            withheld_ties=tuple(sorted({t for p in chosen for t in p.withheld_ties})),
        )


def privacy_part(
    block: Study,
    settings: AnalysisSettings,
    *,
    respondent_ties: RespondentTieScores | None = None,
) -> tuple[Study, PrivacyPart]:
    """Rules 1 and 1b of [`relcoord.privacy`][relcoord.privacy] on a block of whole rater roles:
    the block's published study and its [`PrivacyPart`][relcoord.privacy.parts.PrivacyPart].

    ``block`` holds every rating row of its rater roles
    ([`rater_role_block`][relcoord.rater_role_blocks.rater_role_block]); the rule withholds
    the same rows of it as [`published_scores`][relcoord.privacy.suppression.published_scores]
    withholds of the whole study, and the published study holds the others in the block's
    order (canonical for a block made by
    [`rater_role_block`][relcoord.rater_role_blocks.rater_role_block]).
    ``respondent_ties`` may pass
    [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores]
    of ``block`` under the settings' ``min_items``.  Inside a
    [`shared_respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.shared_respondent_tie_scores]
    block the published study's respondent-tie scores (a selection of the block's) are kept
    for the steps that score it next, as ``published_scores`` keeps them; outside it, nothing
    is kept.
    """
    min_items = settings.items_needed(block.instrument)
    per = (respondent_tie_scores(block, min_items=min_items, remember=False)
           if respondent_ties is None else respondent_ties_of(block, min_items, respondent_ties))
    summary = privacy_summary(block, settings, respondent_ties=per)
    rows = summary.kept_rows()
    kept = per if rows is None else per.select(rows)
    del per
    published = summary.published(block)
    remember_respondent_tie_scores(published, kept)
    ratings, k = block.ratings, len(block.roles)
    withheld = np.flatnonzero(summary.withheld)
    ties = ratings.source[withheld].astype(np.int64) * k + ratings.target[withheld]
    raters = np.bincount(ratings.source, minlength=k)
    part = PrivacyPart(
        min_respondents=settings.min_respondents,
        min_items=min_items,
        n_roles=k,
        rater_roles=tuple(np.flatnonzero(raters).tolist()),
        n_ratings=summary.n_ratings,
        ratings_withheld=summary.ratings_withheld,
        rare_pattern_ratings=summary.rare_pattern_ratings,
        respondents_affected=summary.respondents_affected,
        cells_withheld=summary.cells_withheld,
        withheld_ties=tuple(np.unique(ties).tolist()),
    )
    return published, part


def published_scores_from_parts(
    study: Study, part: PrivacyPart, result: RCScores, settings: AnalysisSettings
) -> tuple[RCScores, PrivacySummary]:
    """The suppressed scores and the privacy summary that
    [`published_scores`][relcoord.privacy.suppression.published_scores] gives for ``study``
    (its second and third results), from the combined ``part`` of all its rater roles and
    ``result``, the [`scores`][relcoord.metrics.scores.aggregation.scores] of the whole
    published study.

    ``study`` is read for its metadata (roles, instrument): its ratings may be empty.  The
    summary's counts come from ``part``; its ``withheld`` mask is empty, since the rows and
    their decisions stay with the blocks (each block's published study holds its kept rows).
    `ValueError` when ``part`` was made under other settings or for a study with other roles.
    """
    min_items = settings.items_needed(study.instrument)
    if (part.min_respondents, part.min_items) != (settings.min_respondents, min_items):
        raise ValueError(
            f"the privacy part was made with min_respondents={part.min_respondents}, "
            f"min_items={part.min_items}; the settings ask for "
            f"min_respondents={settings.min_respondents}, min_items={min_items}")
    if part.n_roles != len(study.roles):
        raise ValueError(f"the privacy part belongs to a study of {part.n_roles} roles, "
                         f"not {len(study.roles)}")
    withheld = np.zeros(0, dtype=bool)
    withheld.setflags(write=False)
    summary = PrivacySummary(
        min_respondents=settings.min_respondents,
        override=settings.min_respondents_override,
        reason=suppression_reason(settings.min_respondents),
        n_ratings=part.n_ratings,
        ratings_withheld=part.ratings_withheld,
        rare_pattern_ratings=part.rare_pattern_ratings,
        respondents_affected=part.respondents_affected,
        cells_withheld=part.cells_withheld,
        ties_suppressed=(),
        figures_suppressed=0,
        withheld=withheld,
    )
    return suppress_scores_given_ties(result, study, summary,
                                      np.array(part.withheld_ties, dtype=np.int64))
