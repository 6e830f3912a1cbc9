"""Aggregation: RC of ties, roles, organisations and the network from the tie cells.

The respondent-tie scores (`respondent_ties`) are summed
per tie cell ([`TieCells`][relcoord.metrics.tie_cells.TieCells]); every figure is then a mean over a
set of cells under the settings' weighting (the formulas and weightings are in
[`relcoord.metrics.scores`][relcoord.metrics.scores]), and
[`scores`][relcoord.metrics.scores.aggregation.scores] assembles them into an
[`RCScores`][relcoord.metrics.scores.results.RCScores].
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from relcoord.json_values import float_or_none
from relcoord.metrics.scores.respondent_ties import (
    RespondentTieScores,
    item_sums,
    respondent_tie_scores,
)
from relcoord.metrics.scores.results import (
    Figure,
    OrganisationScore,
    OrganisationSplit,
    PairAsymmetry,
    RatedTie,
    RCScores,
    RoleScore,
    Spread,
)
from relcoord.metrics.scores.spread import CellScores
from relcoord.metrics.tie_cells import CellSums, TieCells
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

__all__ = ["line_mean", "scores", "tie_matrix", "weighted_mean"]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
#: An aggregate figure over the cells of a flattened ``k x k`` mask.
FigureOf = Callable[[Bools], Figure]


# --- the tie matrix and one figure ------------------------------------------------------


def tie_matrix(study: Study, *, settings: AnalysisSettings | None = None) -> Floats:
    """The ``k x k`` matrix of tie RC (rows: rater roles, columns: targets; NaN = no tie).

    Tie A->B is the mean over respondents in A of their respondent-tie RC about B
    (Gittell 2016).  Role order is ``study.role_ids``.
    """
    settings = settings or AnalysisSettings()
    min_items = settings.items_needed(study.instrument)
    k = len(study.roles)
    scores = study.ratings.scores
    sums, counts = item_sums(scores, np.ones((scores.shape[1], 1)))
    if counts is None:
        rc = sums[:, 0] / scores.shape[1] if min_items <= scores.shape[1] else sums[:, 0]
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            rc = np.where(counts[:, 0] >= min_items, sums[:, 0] / counts[:, 0], np.nan)
    cell_sums, cell_counts = TieCells.of(study).sums(rc)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(cell_sums / cell_counts, dtype=np.float64).reshape(k, k)


def weighted_mean(pair: CellSums, mask: Bools, k: int, weighting: str) -> float:
    """An aggregate mean over the cells in ``mask`` (flattened) under ``weighting``."""
    sums, counts = pair
    m = mask & (counts > 0)
    if not m.any():
        return math.nan
    if weighting == "respondent":
        return float(sums[m].sum() / counts[m].sum())
    if weighting == "tie":
        return float(np.mean(sums[m] / counts[m]))
    row_sums = np.where(m, sums, 0.0).reshape(k, k).sum(axis=1)
    row_counts = np.where(m, counts, 0.0).reshape(k, k).sum(axis=1)
    rated = row_counts > 0
    return float(np.mean(row_sums[rated] / row_counts[rated]))


def _figure(cells: TieCells, mask: Bools, settings: AnalysisSettings, spread: Spread
            ) -> Figure:
    """The aggregate figure over the cells in ``mask`` (flattened ``k x k``), with the
    ``spread`` of its respondent-tie scores."""
    w, k = settings.weighting, cells.n_roles
    rc = float_or_none(weighted_mean(cells.rc, mask, k, w))
    counts = cells.rc[1]
    return Figure(
        rc=rc,
        communication=float_or_none(weighted_mean(cells.communication, mask, k, w)),
        relationship=float_or_none(weighted_mean(cells.relationship, mask, k, w)),
        n_respondents=cells.respondents_in(mask),
        n_ratings=int(counts[mask].sum()),
        n_ties=int(np.count_nonzero(counts[mask] > 0)),
        band=settings.band(rc),
        spread=spread,
    )


# --- the whole set -------------------------------------------------------------------------


class _CountedScores:
    """The respondent-tie RC scores that count, each in its tie cell, for the spread of every
    figure (`relcoord.metrics.scores.spread`)."""

    def __init__(self, cells: TieCells, per: RespondentTieScores) -> None:
        every = bool(per.counted.all())
        self.n_roles = cells.n_roles
        self.scores = CellScores(per.rc if every else per.rc[per.counted],
                                 cells.codes if every else cells.codes[per.counted],
                                 cells.size)

    def in_cells(self, mask: Bools) -> Spread:
        """The spread of the scores in the cells of ``mask`` (flattened ``k x k``)."""
        return self.scores.of_sets(mask[None, :])[0]

    def per_cell(self) -> dict[int, Spread]:
        """The spread of the scores of each cell that has any, by cell."""
        return self.scores.occupied()

    def per_role(self) -> tuple[list[Spread], list[Spread]]:
        """The spread of each role's row (as rater) and column (as target), self-tie left
        out.  Rows are disjoint sets of cells, and so are columns: each is one grouping of
        the cells (no role x role mask per role)."""
        k = self.n_roles
        source, target = np.divmod(np.arange(k * k), k)
        off = source != target
        return (self.scores.of_groups(np.where(off, source, -1), k),
                self.scores.of_groups(np.where(off, target, -1), k))


def _checked_respondent_ties(
    study: Study, min_items: int, given: RespondentTieScores | None
) -> RespondentTieScores:
    """``given`` when it fits ``study`` and ``min_items`` (else `ValueError`), or
    the respondent-tie scores computed afresh."""
    if given is None:
        return respondent_tie_scores(study, min_items=min_items)
    if len(given.counted) != len(study.ratings) or given.min_items != min_items:
        raise ValueError("respondent_ties belong to another study or another min_items")
    return given


def scores(
    study: Study,
    *,
    settings: AnalysisSettings | None = None,
    respondent_ties: RespondentTieScores | None = None,
) -> RCScores:
    """Every RC score of ``study`` (see [`relcoord.metrics.scores`][relcoord.metrics.scores] for
    each formula).

    ``respondent_ties`` may pass
    [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores] of
    ``study`` (with the ``min_items`` the settings resolve to) when the caller has them already, so
    that they are not computed twice; `ValueError` if they do not fit.  Raises
    [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError] when ``settings.min_items`` is
    more than the instrument has items.
    """
    settings = settings or AnalysisSettings()
    min_items = settings.items_needed(study.instrument)
    per = _checked_respondent_ties(study, min_items, respondent_ties)
    cells = TieCells.of(study, respondent_ties=per)
    k = cells.n_roles
    everything = np.ones(k * k, dtype=bool)
    within_mask = np.eye(k, dtype=bool).ravel()
    counted = _CountedScores(cells, per)

    def figure(mask: Bools) -> Figure:
        return _figure(cells, mask, settings, counted.in_cells(mask))

    with np.errstate(invalid="ignore", divide="ignore"):
        tie_rc = cells.rc[0] / cells.rc[1]
    by_dimension = {
        key: float_or_none(weighted_mean(pair, everything, k, settings.weighting))
        for key, pair in zip(study.instrument.keys, cells.items, strict=True)
    }
    n_counted = int(np.count_nonzero(per.counted))
    return RCScores(
        settings=settings,
        instrument=study.instrument.id,
        min_items=min_items,
        overall=figure(everything),
        within=figure(within_mask),
        between=figure(~within_mask),
        by_dimension=by_dimension,
        ties=_ties(study, cells, settings, counted.per_cell()),
        roles=_roles(study, cells, settings, tie_rc, counted.per_role()),
        asymmetry=_asymmetry(study.role_ids, tie_rc.reshape(k, k)),
        organisations=_organisations(study, cells, figure),
        n_ratings=len(study.ratings),
        n_counted=n_counted,
        n_excluded=len(study.ratings) - n_counted,
    )


# --- ties ----------------------------------------------------------------------------------


def _tie_means(cells: TieCells, n_items: int) -> tuple[Floats, Floats, Floats, Floats]:
    """RC, communication, relationship ``(k*k,)`` and each item ``(n_items, k*k)`` per
    cell: the means over its counted respondent-ties (NaN for an empty cell)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        rc = cells.rc[0] / cells.rc[1]
        com = cells.communication[0] / cells.communication[1]
        rel = cells.relationship[0] / cells.relationship[1]
        dims = (np.stack([s / c for s, c in cells.items]) if n_items
                else np.empty((0, cells.n_roles ** 2)))
    return rc, com, rel, dims


def _lowest_dimensions(dims: Floats, rated: npt.NDArray[np.intp]) -> tuple[list[int], list[bool]]:
    """For each rated cell, the index of its lowest item mean (the first on a tie) and
    whether it has any item mean at all."""
    if not len(dims):
        return [0] * len(rated), [False] * len(rated)
    lowest = np.argmin(np.where(np.isnan(dims), np.inf, dims), axis=0)
    has_dim = np.asarray(~np.isnan(dims).all(axis=0), dtype=bool).reshape(-1)
    return lowest[rated].tolist(), has_dim[rated].tolist()


def _ties(study: Study, cells: TieCells, settings: AnalysisSettings,
          spreads: dict[int, Spread]) -> tuple[RatedTie, ...]:
    """One [`RatedTie`][relcoord.metrics.scores.results.RatedTie] per rated cell, in cell order
    (rater, then target, by id), with the distinct respondents behind it and the ``spreads`` of its
    scores (per cell)."""
    k, ids, keys = cells.n_roles, study.role_ids, study.instrument.keys
    rc, com, rel, dims = _tie_means(cells, len(keys))
    # Python values of the rated cells only, taken out of numpy once (not element by element)
    rated = np.flatnonzero(cells.ratings > 0)
    lowest, has_dim = _lowest_dimensions(dims, rated)
    columns = zip(
        rated.tolist(), rc[rated].tolist(), com[rated].tolist(), rel[rated].tolist(),
        cells.rc[1][rated].tolist(), cells.respondents()[rated].tolist(),
        dims[:, rated].T.tolist(), lowest, has_dim, strict=True,
    )
    out = []
    for c, rc_c, com_c, rel_c, n_c, people_c, dims_c, low_c, has_c in columns:
        r, co, re = float_or_none(rc_c), float_or_none(com_c), float_or_none(rel_c)
        out.append(RatedTie(
            source=ids[c // k], target=ids[c % k], rc=r, communication=co, relationship=re,
            n_respondents=int(people_c), n_ratings=int(n_c), spread=spreads.get(c, Spread()),
            band=settings.band(r),
            # Python floats already: NaN is the one value unequal to itself
            dimensions={key: v if v == v else None for key, v in zip(keys, dims_c, strict=True)},
            lowest_dimension=keys[low_c] if has_c else None,
            gap=None if co is None or re is None else co - re,
        ))
    return tuple(out)


# --- roles and pairs -----------------------------------------------------------------------


def _line(pair: CellSums, k: int, a: int, *, column: bool) -> tuple[Floats, Floats, Bools]:
    """Role ``a``'s row (as rater) or column (as target) of the ``k x k`` cell sums, without
    its own within-tie: sums, counts and which cells are used, in flattened cell order."""
    sums, counts = pair
    index = np.arange(a, k * k, k) if column else np.arange(a * k, (a + 1) * k)
    used = np.ones(k, dtype=bool)
    used[a] = False
    return sums[index], counts[index], used


def line_mean(pair: CellSums, k: int, a: int, weighting: str, *, column: bool) -> float:
    """[`weighted_mean`][relcoord.metrics.scores.aggregation.weighted_mean] over role ``a``'s
    row or column, reading only that line's ``k`` cells (the same values, added in the same
    order, so the same result to the last bit)."""
    sums, counts, used = _line(pair, k, a, column=column)
    m = used & (counts > 0)
    if not m.any():
        return math.nan
    if weighting == "respondent":
        return float(sums[m].sum() / counts[m].sum())
    if weighting == "tie":
        return float(np.mean(sums[m] / counts[m]))
    if not column:  # one rater role: its row total over its row count
        total = np.where(m, sums, 0.0).sum()
        return float(np.mean(np.array([total / np.where(m, counts, 0.0).sum()])))
    # every rater role of the column is a group of one cell
    return float(np.mean(sums[m] / counts[m]))


def _rated_and_weak(matrix: Floats, low: float) -> tuple[npt.NDArray[np.int64],
                                                         npt.NDArray[np.int64]]:
    """Per role, the between-group ties it takes part in (as rater or target) that are
    rated, and those of them whose RC is below the weak band's limit ``low``."""
    k = len(matrix)
    rated = ~np.eye(k, dtype=bool) & ~np.isnan(matrix)
    weak = rated & (np.where(rated, matrix, np.inf) < low)
    return rated.sum(axis=1) + rated.sum(axis=0), weak.sum(axis=1) + weak.sum(axis=0)


def _roles(
    study: Study, cells: TieCells, settings: AnalysisSettings, tie_rc: Floats,
    spreads: tuple[list[Spread], list[Spread]],
) -> tuple[RoleScore, ...]:
    """One [`RoleScore`][relcoord.metrics.scores.results.RoleScore] per role, in the study's role
    order, with the ``spreads`` of its row and column (per role)."""
    k, w = cells.n_roles, settings.weighting
    as_rater_n, raters_n = cells.respondents_by_role()
    matrix = tie_rc.reshape(k, k)
    n_rated, n_weak = _rated_and_weak(matrix, settings.bands[0])
    out = []
    for a, role_id in enumerate(study.role_ids):
        out.append(RoleScore(
            id=role_id,
            rc_as_rater=float_or_none(line_mean(cells.rc, k, a, w, column=False)),
            rc_as_target=float_or_none(line_mean(cells.rc, k, a, w, column=True)),
            rc_within=float_or_none(matrix[a, a]),
            n_respondents=int(as_rater_n[a]),
            n_raters=int(raters_n[a]),
            n_rated_ties=int(n_rated[a]),
            n_weak_ties=int(n_weak[a]),
            weak_share=float(n_weak[a] / n_rated[a]) if n_rated[a] else None,
            spread_as_rater=spreads[0][a], spread_as_target=spreads[1][a],
        ))
    return tuple(out)


def _asymmetry(ids: tuple[str, ...], matrix: Floats) -> tuple[PairAsymmetry, ...]:
    """Every pair of roles that rated each other, first before second by role order."""
    k = len(ids)
    upper_i, upper_j = np.triu_indices(k, 1)
    forward, backward = matrix[upper_i, upper_j], matrix[upper_j, upper_i]
    both = ~np.isnan(forward) & ~np.isnan(backward)
    return tuple(
        PairAsymmetry(first=ids[i], second=ids[j], rc_forward=f, rc_backward=b, difference=d)
        for i, j, f, b, d in zip(
            upper_i[both].tolist(), upper_j[both].tolist(), forward[both].tolist(),
            backward[both].tolist(), (forward[both] - backward[both]).tolist(), strict=True
        )
    )


# --- organisations -------------------------------------------------------------------------


def _organisations(study: Study, cells: TieCells, figure: FigureOf) -> OrganisationSplit:
    """Internal and external figures overall and per organisation (between-group ties of
    roles with a known organisation only)."""
    k = cells.n_roles
    orgs = study.organisations
    code = np.array(
        [orgs.index(r.organisation) if r.organisation else -1 for r in study.roles],
        dtype=np.intp,
    )
    known = code >= 0
    both = np.outer(known, known) & ~np.eye(k, dtype=bool)
    same = both & (code[:, None] == code[None, :])
    across = both & ~same
    by_org = []
    for o, name in enumerate(orgs):
        in_o = code == o
        by_org.append(OrganisationScore(
            organisation=name,
            internal=figure((same & in_o[:, None]).ravel()),
            external=figure((across & in_o[:, None]).ravel()),
        ))
    return OrganisationSplit(
        internal=figure(same.ravel()), external=figure(across.ravel()),
        by_organisation=tuple(by_org),
    )
