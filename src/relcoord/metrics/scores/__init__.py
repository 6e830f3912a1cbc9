"""Relational Coordination scores: respondent-ties, ties, roles and the network.

All figures follow Gittell's RC Survey scoring (Gittell 2016, *Transforming Relationships
for High Performance*, appendix; Gittell, Seidner & Wimbush 2010, *Organization Science*
21(2); the documentation's page "RC scores", ``docs/metrics.md``, works them by hand):

respondent-tie RC
    the plain mean of the scored items that one respondent answered about one target role,
    when at least ``min_items`` items are answered (else the respondent-tie does not count).
communication / relationship sub-index
    the mean of the answered items of that sub-index (frequent, timely, accurate,
    problem-solving / shared goals, shared knowledge, mutual respect), for a respondent-tie
    that counts and answered at least ``ceil(min_items * n_sub / n_items)`` of the
    sub-index's items (the same share as the overall rule; with ``min_items`` equal to the
    item count both sub-indices are complete cases, as in published work).  RC is *not* the
    mean of the sub-indices: with all items present it is ``(4 * comm + 3 * rel) / 7``.
tie A->B
    the mean over the respondents in role A of their respondent-tie RC about role B; its
    ``n_respondents`` is the number of distinct people behind it (a person who rated it in
    two waves counts once), ``n_ratings`` the number of respondent-ties.
within / between
    ties A->A / ties A->B with A != B.
role as rater / as target
    the role's row / column of the tie matrix, *without* its own within-tie (which is
    reported as ``rc_within``), so that a role's self-rating does not colour how it rates
    others or how others rate it.
network RC
    all respondent-ties, within and between.

Weightings of an aggregate over a set of ties (each figure says which one it used):

``respondent``
    every respondent-tie counts once: ``sum of respondent-tie RC / number of them``.
``tie``
    every tie (a source-target pair with at least one respondent-tie) counts once: the
    unweighted mean of the tie means.
``group``
    every rater role counts once: for each source role the mean of its respondent-ties in
    the set, then the unweighted mean of those role means.

A rating without a respondent (a workshop group rating as a group) counts as one
respondent of its source role.  Ratings of all waves are pooled.  Beside each mean of a
tie, a role (as rater and as target) and an aggregate the spread of the respondent-tie RC
scores it rests on is given: SD, median and quartiles (`spread`).

Everything is computed with vectorised numpy on the study's integer codes, or with numba (the
``fast`` extra) by compiled passes that give the same numbers to the last bit; no Python loop
runs per rating.  The package, one module per step:

* `respondent_ties`: the scores of every respondent-tie
  (one rating row);
* `spread`: SD, median and quartiles of the scores behind a
  figure;
* `cell_totals`: per occupied tie cell the sums and counts of
  every score and item, in one compiled pass when numba is installed;
* `figure_respondents`: the distinct respondents behind each aggregate figure, tie and role,
  from one bit per respondent and rated column when numba is installed;
* `aggregation`: sums, counts and distinct respondents per
  tie cell ([`TieCells`][relcoord.metrics.tie_cells.TieCells]), and every figure as a weighted mean
  of cells ([`scores`][relcoord.metrics.scores.aggregation.scores],
  [`tie_matrix`][relcoord.metrics.scores.aggregation.tie_matrix]);
* `results`: the result types, each with its JSON form
  (``to_mapping()``);
* `parts`: the same scores from parts computed rater role by rater role
  ([`scores_part`][relcoord.metrics.scores.parts.scores_part],
  [`ScoresPart.combine`][relcoord.metrics.scores.parts.ScoresPart.combine],
  [`scores_from_parts`][relcoord.metrics.scores.parts.scores_from_parts]), for a finish that never
  holds the rating rows.
"""

from relcoord.metrics.scores.aggregation import scores, tie_matrix
from relcoord.metrics.scores.parts import ScoresPart, scores_from_parts, scores_part
from relcoord.metrics.scores.respondent_ties import (
    RespondentTieScores,
    forget_respondent_tie_scores,
    remember_respondent_tie_scores,
    respondent_tie_rc,
    respondent_tie_scores,
    shared_respondent_tie_scores,
)
from relcoord.metrics.scores.results import (
    Band,
    Figure,
    OrganisationScore,
    OrganisationSplit,
    PairAsymmetry,
    RatedTie,
    RCScores,
    RoleScore,
    Spread,
)

__all__ = [
    "Band",
    "Figure",
    "OrganisationScore",
    "OrganisationSplit",
    "PairAsymmetry",
    "RCScores",
    "RatedTie",
    "RespondentTieScores",
    "RoleScore",
    "ScoresPart",
    "Spread",
    "forget_respondent_tie_scores",
    "remember_respondent_tie_scores",
    "respondent_tie_rc",
    "respondent_tie_scores",
    "scores",
    "scores_from_parts",
    "scores_part",
    "shared_respondent_tie_scores",
    "tie_matrix",
]
