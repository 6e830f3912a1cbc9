"""Which ratings may be published: rules 1 and 1b of [`relcoord.privacy`][relcoord.privacy], per tie
cell.

Rule 1b (answer patterns) first: within a cell, the respondent-ties that count are grouped
by the set of items they answered; the rows of a group with fewer than ``min_respondents``
distinct respondents are withheld
([`rare_pattern_rows`][relcoord.privacy.publishable.rare_pattern_rows]).  Every linear figure of a
cell (its RC, sub-indices, item means, and the sums and sums of squares behind its spreads) weighs a
respondent by their answer pattern only, so what remains is a function of group sums over at least
``k`` people each, and so is any difference of two such figures, within one analysis or between two
analyses that differ in ``min_items`` (which only decides which whole groups count).
``docs/privacy.md`` gives the attack this closes.

Rule 1 then: a cell (a tie, or a tie in one wave) is publishable when every figure it feeds
rests on at least ``min_respondents`` distinct respondents, counted after the
``min_items`` rule; the ratings of every other cell are withheld before any figure is
computed.  The respondents per cell are counted by
[`TieCells`][relcoord.metrics.tie_cells.TieCells].
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores import RespondentTieScores, respondent_tie_scores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.privacy.answer_groups import AnswerGroups, pattern_codes
from relcoord.settings import AnalysisSettings

__all__ = [
    "answer_patterns",
    "cell_support",
    "comparable_ratings",
    "publishable_groups",
    "publishable_ratings",
    "rare_pattern_rows",
    "suppression_reason",
]

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


def suppression_reason(min_respondents: int) -> str:
    """The reason given for every suppressed figure: ``"fewer than 5 respondents"``."""
    return f"fewer than {min_respondents} respondents"


def respondent_ties_of(
    study: Study, min_items: int, given: RespondentTieScores | None = None
) -> RespondentTieScores:
    """``given`` when it holds the respondent-tie scores of ``study`` under ``min_items``
    (`ValueError` when it belongs to another study or rule), else computed."""
    if given is None:
        return respondent_tie_scores(study, min_items=min_items)
    if len(given.counted) != len(study.ratings) or given.min_items != min_items:
        raise ValueError("respondent_ties belong to another study or another min_items")
    return given


def _support(groups: AnswerGroups, *, items: bool) -> Ints:
    """Per cell of the grid, the fewest distinct respondents behind any figure it feeds
    from the counted rows its groups select (0: none); with ``items=False`` the RC's only."""
    counted = (groups.counted & groups.selected)[groups.klass]
    if items:
        return groups.on_grid(groups.support(counted))
    return groups.on_grid(groups.respondents_per_figure(counted)[:, 0])


def cell_support(
    study: Study,
    *,
    min_items: int,
    by_wave: bool = False,
    items: bool = True,
    respondent_ties: RespondentTieScores | None = None,
) -> tuple[Ints, Ints, int]:
    """How many distinct respondents stand behind the weakest figure of each cell.

    Returns ``(cells, support, size)``: the cell code of every rating row, and per cell code
    the least number of distinct respondents behind any figure the cell feeds (its RC, its
    two sub-indices, each item's mean), ignoring figures that nobody answered; ``0`` for a
    cell that feeds no figure at all.  ``size`` is the number of possible cell codes.
    Cells are ties (waves pooled), or ties in one wave with ``by_wave``, coded as
    [`TieCells`][relcoord.metrics.tie_cells.TieCells] codes them; with ``items=False`` only the
    RC's respondents are counted.  ``respondent_ties`` may pass
    [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores] of
    ``study`` with ``min_items`` when the caller has them already (they are computed otherwise).
    """
    per = respondent_ties_of(study, min_items, respondent_ties)
    cells, support = supported_cells(study, per, by_wave=by_wave, items=items)
    return cells.codes, support, len(support)


def supported_cells(
    study: Study, per: RespondentTieScores, *, by_wave: bool = False, items: bool = True,
    kept: Bools | None = None,
) -> tuple[TieCells, Ints]:
    """The tie cells of ``study`` and, per cell, the fewest distinct respondents behind any
    figure it feeds (see [`cell_support`][relcoord.privacy.publishable.cell_support]); ``per`` are
    the respondent-tie scores, ``kept`` the rows rule 1b leaves (``None``: all)."""
    cells = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    return cells, _support(AnswerGroups.of(cells, per, selected=kept), items=items)


def answer_patterns(study: Study) -> Ints:
    """Per rating row, which items it answered, as a pattern id (equal ids: equal sets).

    The ids number the distinct sets of answered items in the order of their bit masks
    (item ``j`` answered sets bit ``j``), so that the complete pattern has the largest id.
    """
    answered = ~np.isnan(study.ratings.scores)
    n, d = answered.shape
    if not n:
        return np.zeros(0, dtype=np.int64)
    if d <= 16:  # the masks themselves, numbered with one count
        masks = pattern_codes(answered)[0]
        present = np.bincount(masks, minlength=1 << d) > 0
        return (np.cumsum(present) - 1)[masks].astype(np.int64)
    if d <= 62:
        masks = answered.astype(np.int64) @ (np.int64(1) << np.arange(d, dtype=np.int64))
        return np.unique(masks, return_inverse=True)[1].astype(np.int64).reshape(-1)
    rows = np.unique(np.packbits(answered, axis=1), axis=0, return_inverse=True)[1]
    return np.asarray(rows, dtype=np.int64).reshape(-1)


def _rare_groups(groups: AnswerGroups, min_respondents: int, counted: Bools) -> Bools:
    """Rule 1b on groups: among the ``counted`` groups (a mask over the groups), those in a
    cell where some counted group skipped an item whose set of answered items fewer than
    ``min_respondents`` distinct respondents of the cell share."""
    incomplete = counted & ~groups.complete[groups.klass]
    if not incomplete.any():
        return np.zeros(groups.n_groups, dtype=bool)
    mixed = np.bincount(groups.cell[incomplete], minlength=len(groups.cell_codes)) > 0
    grouped = counted & mixed[groups.cell]
    return grouped & (groups.respondents_per_pattern(grouped) < min_respondents)


def rare_pattern_rows(
    cells: TieCells, per: RespondentTieScores, min_respondents: int,
    rows: Bools | None = None,
) -> Bools:
    """Rule 1b: the counted rows whose group in their cell has fewer than ``k`` respondents.

    A group is the counted rows of one cell that answered one set of items
    ([`answer_patterns`][relcoord.privacy.publishable.answer_patterns]); its size is its distinct
    respondents (a row without respondent counts as one).  Only cells where some counted row skipped
    an item are
    grouped: in any other cell every counted row has the complete pattern, one group whose
    size is the cell's RC support, which rule 1 checks.  ``per`` are the respondent-tie
    scores of the cells' study; ``rows`` limits the grouping to some rows (``None``: all).
    """
    groups = AnswerGroups.of(cells, per, selected=rows)
    counted = (groups.counted & groups.selected)[groups.klass]
    return groups.on_rows(_rare_groups(groups, min_respondents, counted))


def publishable_groups(
    study: Study, per: RespondentTieScores, min_respondents: int, *, by_wave: bool = False
) -> tuple[AnswerGroups, Bools, Bools]:
    """Rules 1 and 1b decided per answer group: ``(groups, rare, publishable)``, the last two
    masks over the groups (see [`publishable_rows`][relcoord.privacy.publishable.publishable_rows],
    which maps them onto the rows)."""
    cells = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    groups = AnswerGroups.of(cells, per)
    counted = groups.counted[groups.klass]
    candidate = (groups.support(counted) >= min_respondents)[groups.cell]
    rare = _rare_groups(groups, min_respondents, counted & candidate)
    if not rare.any():
        return groups, rare, candidate
    support = groups.support(counted & ~rare)
    publishable = candidate & ~rare & (support >= min_respondents)[groups.cell]
    shown = np.bincount(groups.cell[publishable], minlength=len(groups.cell_codes)) > 0
    return groups, rare & shown[groups.cell], publishable


def publishable_rows(
    study: Study, per: RespondentTieScores, min_respondents: int, *, by_wave: bool = False
) -> tuple[TieCells, Bools, Bools]:
    """Rules 1 and 1b over the cells of ``study``: ``(cells, rare, publishable)``.

    Rule 1 first, on every counted row: a cell is a candidate when every figure it feeds
    rests on at least ``min_respondents`` respondents.  Rule 1b then groups the counted rows
    of each candidate cell by answer pattern
    ([`rare_pattern_rows`][relcoord.privacy.publishable.rare_pattern_rows]), and rule 1 is checked
    again without the rare groups.  ``publishable`` marks the rows that may feed a published figure;
    ``rare`` the rows withheld by rule 1b from a cell that is still shown (a cell withheld as a
    whole counts as that only, so that the count of rare rows says nothing about the answer patterns
    behind a withheld tie).
    """
    groups, rare, publishable = publishable_groups(study, per, min_respondents,
                                                   by_wave=by_wave)
    return groups.cells, groups.on_rows(rare), groups.on_rows(publishable)


def publishable_ratings(
    study: Study, settings: AnalysisSettings, *, by_wave: bool = False
) -> Bools:
    """Which rating rows may feed a published figure (``True``) and which are withheld.

    A row is publishable when enough respondents of its cell (its tie, or with ``by_wave``
    its tie in its wave) answered the same items (rule 1b,
    [`rare_pattern_rows`][relcoord.privacy.publishable.rare_pattern_rows]) and the cell is
    publishable without the rows that fail that: every figure the cell feeds rests on at least
    ``settings.min_respondents`` distinct respondents (see [`relcoord.privacy`][relcoord.privacy]).
    A row in a cell that feeds no figure (every rating below ``min_items``) is withheld too, so that
    its answers cannot tip any count.
    """
    per = respondent_tie_scores(study, min_items=settings.items_needed(study.instrument))
    return publishable_rows(study, per, settings.min_respondents, by_wave=by_wave)[2]


def comparable_ratings(
    study: Study, settings: AnalysisSettings, wave_a: str, wave_b: str
) -> tuple[Bools, tuple[tuple[str, str], ...]]:
    """The rating rows a comparison of ``wave_a`` with ``wave_b`` may use, and the ties left out.

    A wave comparison shows figures per wave, so the rule is applied per wave
    ([`publishable_ratings`][relcoord.privacy.publishable.publishable_ratings] with
    ``by_wave=True``), and a tie takes part only when

    * it is rated in both waves, each wave's cell publishable on its own; and
    * *every* wave cell of the tie is publishable (also the waves not compared) and has no
      row withheld for its answer pattern (rule 1b applied per wave): the analysis shows
      the tie pooled over all waves, so a shown wave subtracted from the pooled tie must not
      reveal a hidden wave or a hidden group.

    Returns the mask of the rows of the two waves for the ties that take part, and the ties
    ``(source, target)`` rated in either wave that were left out, sorted by role order.
    Roles and the network in each wave are then computed from the ties that take part only.
    """
    per = respondent_tie_scores(study, min_items=settings.items_needed(study.instrument))
    groups, rare, publishable = publishable_groups(study, per, settings.min_respondents,
                                                   by_wave=True)
    cells = groups.cells
    n_pairs, n_waves = cells.n_roles * cells.n_roles, cells.n_waves

    def holding(chosen: Bools) -> Bools:  # per cell of the grid: holds a row of the groups
        rows = np.bincount(groups.cell[chosen], minlength=len(groups.cell_codes))
        return groups.on_grid(rows)[:cells.size] > 0

    rated = holding(np.ones(groups.n_groups, dtype=bool)).reshape(n_pairs, n_waves)
    hidden = rated & (~holding(publishable) | holding(rare)).reshape(n_pairs, n_waves)
    waves = study.ratings.waves
    slots = [waves.index(w) + 1 if w in waves else None for w in (wave_a, wave_b)]
    rated_a, rated_b = (rated[:, s] if s is not None else np.zeros(n_pairs, dtype=bool)
                        for s in slots)
    takes_part = rated_a & rated_b & ~hidden.any(axis=1)
    in_a, in_b = (study.ratings.wave == (s - 1 if s is not None else -2) for s in slots)
    rows = np.asarray(takes_part[cells.codes // n_waves] & (in_a | in_b), dtype=bool)
    ids, k = study.role_ids, cells.n_roles
    left_out = tuple((ids[c // k], ids[c % k])
                     for c in np.flatnonzero((rated_a | rated_b) & ~takes_part).tolist())
    return rows, left_out
