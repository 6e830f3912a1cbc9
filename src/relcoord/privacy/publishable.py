"""Which ratings may be published: rule 1 of [`relcoord.privacy`][relcoord.privacy], per tie cell.

A cell (a tie, or a tie in one wave) is publishable when every figure it feeds rests on at
least ``min_respondents`` distinct respondents, counted after the ``min_items`` rule; the
ratings of every other cell are withheld before any figure is computed.  The respondents
per cell are counted by [`TieCells`][relcoord.metrics.tie_cells.TieCells].
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores import RespondentTieScores, respondent_tie_scores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

__all__ = [
    "cell_support",
    "comparable_ratings",
    "publishable_ratings",
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


def _figure_rows(study: Study, per: RespondentTieScores, *, items: bool) -> list[Bools]:
    """The rows behind each figure a cell feeds, leaving out figures identical to the RC's.

    Every figure's rows are a subset of the counted rows (the RC's), so a figure with as
    many rows as the RC has the same rows and the same respondents: it adds nothing to the
    minimum and is skipped.
    """
    counted = per.counted
    masks = [counted]
    if not items:
        return masks
    n_counted = int(np.count_nonzero(counted))
    candidates = [~np.isnan(per.communication), ~np.isnan(per.relationship)]
    missing = np.isnan(study.ratings.scores)  # the (n, d) block: no column copies
    if missing.any():
        lost = np.count_nonzero(missing & counted[:, None], axis=0)
        candidates += [counted & ~missing[:, j] for j in np.flatnonzero(lost)]
    masks += [m for m in candidates if int(np.count_nonzero(m)) != n_counted]
    return masks


def _support(cells: TieCells, study: Study, per: RespondentTieScores, *, items: bool) -> Ints:
    """Per cell, the fewest distinct respondents behind any figure it feeds (0: none)."""
    if not cells.size:  # a study without roles: one empty cell, supported by nobody
        return np.zeros(1, dtype=np.int64)
    none = np.iinfo(np.int64).max
    support = np.full(cells.size, none, dtype=np.int64)
    for rows in _figure_rows(study, per, items=items):
        n = cells.respondents(rows)
        support = np.where(n > 0, np.minimum(support, n), support)
    support[support == none] = 0
    return support


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
    study: Study, per: RespondentTieScores, *, by_wave: bool = False, items: bool = True
) -> tuple[TieCells, Ints]:
    """The tie cells of ``study`` and, per cell, the fewest distinct respondents behind any
    figure it feeds (see [`cell_support`][relcoord.privacy.publishable.cell_support]); ``per`` are
    the respondent-tie scores."""
    cells = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    return cells, _support(cells, study, per, items=items)


def publishable_ratings(
    study: Study, settings: AnalysisSettings, *, by_wave: bool = False
) -> Bools:
    """Which rating rows may feed a published figure (``True``) and which are withheld.

    A row is publishable when its cell (its tie, or with ``by_wave`` its tie in its wave)
    is: every figure the cell feeds rests on at least ``settings.min_respondents`` distinct
    respondents (see [`relcoord.privacy`][relcoord.privacy]).  A row in a cell that feeds no figure
    (every rating below ``min_items``) is withheld too, so that its answers cannot tip any count.
    """
    cells, support, _ = cell_support(
        study, min_items=settings.items_needed(study.instrument), by_wave=by_wave
    )
    return np.asarray(support[cells] >= settings.min_respondents, dtype=bool)


def comparable_ratings(
    study: Study, settings: AnalysisSettings, wave_a: str, wave_b: str
) -> tuple[Bools, tuple[tuple[str, str], ...]]:
    """The rating rows a comparison of ``wave_a`` with ``wave_b`` may use, and the ties left out.

    A wave comparison shows figures per wave, so the rule is applied per wave
    ([`publishable_ratings`][relcoord.privacy.publishable.publishable_ratings] with
    ``by_wave=True``), and a tie takes part only when

    * it is rated in both waves, each wave's cell publishable on its own; and
    * *every* wave cell of the tie is publishable (also the waves not compared): the
      analysis shows the tie pooled over all waves, so a shown wave subtracted from the
      pooled tie must not reveal a hidden wave.

    Returns the mask of the rows of the two waves for the ties that take part, and the ties
    ``(source, target)`` rated in either wave that were left out, sorted by role order.
    Roles and the network in each wave are then computed from the ties that take part only.
    """
    per = respondent_tie_scores(study, min_items=settings.items_needed(study.instrument))
    cells, support = supported_cells(study, per, by_wave=True)
    support = support[:cells.size]
    n_pairs, n_waves = cells.n_roles * cells.n_roles, cells.n_waves
    rated = cells.ratings.reshape(n_pairs, n_waves) > 0
    hidden = rated & (support.reshape(n_pairs, n_waves) < settings.min_respondents)
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
