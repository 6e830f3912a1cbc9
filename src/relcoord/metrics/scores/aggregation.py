"""Aggregation: RC of ties, roles, organisations and the network from the tie cells.

The respondent-tie scores (`respondent_ties`) are summed
per tie cell ([`TieCells`][relcoord.metrics.tie_cells.TieCells]); every figure is then a mean over a
set of cells under the settings' weighting (the formulas and weightings are in
[`relcoord.metrics.scores`][relcoord.metrics.scores]), and
[`scores`][relcoord.metrics.scores.aggregation.scores] assembles them into an
[`RCScores`][relcoord.metrics.scores.results.RCScores].

The work is in two steps: from the rating rows to what each rated cell holds
([`CellEvidence`][relcoord.metrics.scores.aggregation.CellEvidence]: its sums and counts, the
values of its counted scores, its distinct respondents and those behind every aggregate figure),
then from that to the figures
([`scores_of_cells`][relcoord.metrics.scores.aggregation.scores_of_cells]).  The second step never
reads a row, so the same code finishes the scores from parts computed rater role by rater role
(`relcoord.metrics.scores.parts`).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Protocol

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.json_values import float_or_none
from relcoord.metrics.scores.cell_totals import CellTotals
from relcoord.metrics.scores.figure_respondents import FigureRespondents
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

__all__ = [
    "CellEvidence",
    "CellSpreads",
    "FigureKey",
    "RatedCells",
    "collector_paused",
    "figure_masks",
    "line_mean",
    "scores",
    "scores_of_cells",
    "tie_matrix",
    "weighted_mean",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
#: An aggregate figure by its key (see `figure_masks`).
FigureKey = tuple[str, str | None]
#: An aggregate figure, by its key.
FigureOf = Callable[[FigureKey], Figure]


@attrs.frozen(eq=False)
class RatedCells:
    """The rated (occupied) cells of a study's ``n_roles x n_roles`` tie grid, waves pooled:
    ``cells`` holds the grid code ``source * n_roles + target`` of each, ascending.  Every
    per-cell array the figures read lies in this order."""

    cells: Ints
    n_roles: int

    @property
    def size(self) -> int:
        """The number of rated cells."""
        return len(self.cells)

    @property
    def grid_size(self) -> int:
        """The number of cells of the whole grid, ``n_roles * n_roles``."""
        return self.n_roles * self.n_roles

    def number(self, grid_codes: Ints) -> Ints:
        """The number of the rated cell of each of ``grid_codes``, -1 where that cell is not
        rated."""
        at = np.searchsorted(self.cells, grid_codes)
        inside = at < len(self.cells)
        found = np.zeros(len(at), dtype=bool)
        found[inside] = self.cells[at[inside]] == grid_codes[inside]
        return np.where(found, at, -1).astype(np.int64)


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


def _pooled_mean(sums: Floats, counts: Floats, m: Bools, weighting: str) -> float | None:
    """The mean over the cells ``m`` (each with a count) under the respondent or tie
    weighting: NaN without cells, ``None`` for the group weighting (its caller groups)."""
    if not m.any():
        return math.nan
    if weighting == "respondent":
        return float(sums[m].sum() / counts[m].sum())
    if weighting == "tie":
        return float(np.mean(sums[m] / counts[m]))
    return None


def weighted_mean(pair: CellSums, mask: Bools, k: int, weighting: str) -> float:
    """An aggregate mean over the cells in ``mask`` (flattened) under ``weighting``."""
    sums, counts = pair
    m = mask & (counts > 0)
    simple = _pooled_mean(sums, counts, m, weighting)
    if simple is not None:
        return simple
    row_sums = np.where(m, sums, 0.0).reshape(k, k).sum(axis=1)
    row_counts = np.where(m, counts, 0.0).reshape(k, k).sum(axis=1)
    rated = row_counts > 0
    return float(np.mean(row_sums[rated] / row_counts[rated]))


def _occupied_mean(pair: CellSums, mask: Bools, occupied: RatedCells, weighting: str
                   ) -> float:
    """[`weighted_mean`][relcoord.metrics.scores.aggregation.weighted_mean] from the sums of the
    occupied cells only (``mask`` over them): the cells it adds are the same, in the same order,
    so the result is the same to the last bit."""
    sums, counts = pair
    m = mask & (counts > 0)
    simple = _pooled_mean(sums, counts, m, weighting)
    if simple is not None:
        return simple
    # the grid's row sums add a whole row, empty cells as zeros: rebuilt to add the same way
    size = occupied.grid_size
    dense_sums, dense_counts = np.zeros(size), np.zeros(size)
    dense_sums[occupied.cells[m]] = sums[m]
    dense_counts[occupied.cells[m]] = counts[m]
    k = occupied.n_roles
    row_sums = dense_sums.reshape(k, k).sum(axis=1)
    row_counts = dense_counts.reshape(k, k).sum(axis=1)
    rated = row_counts > 0
    return float(np.mean(row_sums[rated] / row_counts[rated]))


def _figure(occupied: RatedCells, totals: CellTotals, mask: Bools,
            settings: AnalysisSettings, spread: Spread, respondents: int) -> Figure:
    """The aggregate figure over the occupied cells in ``mask``, with the ``spread`` of its
    respondent-tie scores and the number of distinct ``respondents`` behind it."""
    w = settings.weighting
    rc = float_or_none(_occupied_mean(totals.rc, mask, occupied, w))
    counts = totals.rc[1][mask]
    return Figure(
        rc=rc,
        communication=float_or_none(_occupied_mean(totals.communication, mask, occupied, w)),
        relationship=float_or_none(_occupied_mean(totals.relationship, mask, occupied, w)),
        n_respondents=respondents,
        n_ratings=int(counts.sum()),
        n_ties=int(np.count_nonzero(counts > 0)),
        band=settings.band(rc),
        spread=spread,
    )


# --- the whole set -------------------------------------------------------------------------


class CellSpreads(Protocol):
    """The counted respondent-tie RC scores of each rated cell, for the spread of any set of
    cells: [`CellScores`][relcoord.metrics.scores.spread.CellScores] (from the scores) or
    [`CellValueCounts`][relcoord.metrics.scores.spread.CellValueCounts] (from their counts)."""

    def occupied(self) -> dict[int, Spread]:
        """The spread of each cell that has scores, by its number."""

    def of_sets(self, sets: Bools) -> list[Spread]:
        """The spread of the scores in each set of cells (rows of ``sets``)."""

    def of_groups(self, group: Ints, n_groups: int) -> list[Spread]:
        """The spread of the scores in each of ``n_groups`` disjoint sets of cells."""


class _CountedScores:
    """The respondent-tie RC scores that count, each in its occupied tie cell, for the spread
    of every figure (`relcoord.metrics.scores.spread`)."""

    def __init__(self, occupied: RatedCells, scores: CellSpreads) -> None:
        self.occupied = occupied
        self.scores = scores

    def in_cells(self, mask: Bools) -> Spread:
        """The spread of the scores in the occupied cells of ``mask``."""
        return self.scores.of_sets(mask[None, :])[0]

    def per_cell(self) -> dict[int, Spread]:
        """The spread of the scores of each occupied cell that has any, by its number."""
        return self.scores.occupied()

    def per_role(self) -> tuple[list[Spread], list[Spread]]:
        """The spread of each role's row (as rater) and column (as target), self-tie left
        out.  Rows are disjoint sets of cells, and so are columns: each is one grouping of
        the cells (no role x role mask per role)."""
        k = self.occupied.n_roles
        source, target = np.divmod(self.occupied.cells, k)
        off = source != target
        return (self.scores.of_groups(np.where(off, source, -1), k),
                self.scores.of_groups(np.where(off, target, -1), k))


@attrs.frozen(eq=False)
class CellEvidence:
    """What the figures of [`scores`][relcoord.metrics.scores.aggregation.scores] read from the
    rating rows, per rated cell: everything else is computed from it by
    [`scores_of_cells`][relcoord.metrics.scores.aggregation.scores_of_cells].

    ``totals`` are the sums and counts of every score and item per cell of ``cells``;
    ``spreads`` the counted respondent-tie RC scores of each cell; ``figure_respondents`` the
    distinct respondents behind each aggregate figure (by the keys of
    [`figure_masks`][relcoord.metrics.scores.aggregation.figure_masks]);
    ``cell_respondents`` those behind each cell; ``role_respondents`` per role its own
    respondents who rated another role and the other roles' respondents who rated it;
    ``n_ratings`` and ``n_counted`` the rating rows and those that count.
    """

    cells: RatedCells
    totals: CellTotals
    spreads: CellSpreads
    figure_respondents: Mapping[FigureKey, int]
    cell_respondents: Ints
    role_respondents: tuple[Ints, Ints]
    n_ratings: int
    n_counted: int


def figure_masks(study: Study, cells: RatedCells) -> dict[FigureKey, Bools]:
    """The rated cells of each aggregate figure, as a mask over ``cells``, by key:
    ``("overall", None)``, ``("within", None)``, ``("between", None)``, ``("internal",
    None)`` and ``("external", None)`` (between-group ties of roles of the same / of different
    known organisations), then ``("internal", o)`` and ``("external", o)`` for each
    organisation ``o`` of ``study.organisations`` (its roles' ties as raters)."""
    k = cells.n_roles
    source, target = np.divmod(cells.cells, k)
    within = source == target
    masks: dict[FigureKey, Bools] = {
        ("overall", None): np.ones(cells.size, dtype=bool),
        ("within", None): within,
        ("between", None): ~within,
    }
    orgs = study.organisations
    code = np.array(
        [orgs.index(r.organisation) if r.organisation else -1 for r in study.roles],
        dtype=np.intp,
    )
    rater, rated = code[source], code[target]
    both = (rater >= 0) & (rated >= 0) & ~within
    same = both & (rater == rated)
    across = both & ~same
    masks[("internal", None)] = same
    masks[("external", None)] = across
    for o, name in enumerate(orgs):
        in_o = rater == o
        masks[("internal", name)] = same & in_o
        masks[("external", name)] = across & in_o
    return masks


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

    Every figure is read from the occupied tie cells
    ([`OccupiedCells`][relcoord.metrics.tie_cells.OccupiedCells]): linear in the ratings and in the
    rated ties, not in the ``roles x roles`` grid (the group weighting, which adds whole rows of
    the grid, excepted).
    """
    settings = settings or AnalysisSettings()
    min_items = settings.items_needed(study.instrument)
    per = _checked_respondent_ties(study, min_items, respondent_ties)
    with collector_paused():
        return _scores(study, settings, min_items, per)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the results are made.

    A study of 2,000 roles has some 150,000 rated ties, each a few objects; making them
    would set off the collector again and again, each time walking every object alive (a
    third of the time of [`scores`][relcoord.metrics.scores.aggregation.scores] at that size).
    The results hold no reference cycles, so nothing is left for it; reference counting frees
    everything as before, and the collector runs again as soon as the results are made (it is
    left off if it was off).  The privacy rule's suppressed ties
    ([`suppress_scores`][relcoord.privacy.suppression.suppress_scores]) are made the same way.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _scores(study: Study, settings: AnalysisSettings, min_items: int,
            per: RespondentTieScores) -> RCScores:
    """[`scores`][relcoord.metrics.scores.aggregation.scores] with the respondent-tie scores
    ``per``."""
    # compact codes (two bytes a row for a survey): the scores only index with them
    occupied = TieCells.of(study, respondent_ties=per, compact=True).occupied
    cells = RatedCells(occupied.cells, occupied.grid.n_roles)
    totals = CellTotals.of(occupied, per)
    every = bool(per.counted.all())
    # the table-or-order choice is the grid's, so that every spread is computed as there
    spreads = CellScores(per.rc, occupied.codes, occupied.size, table_size=occupied.grid.size,
                         rows=None if every else per.counted)
    respondents = FigureRespondents.of(occupied)
    evidence = CellEvidence(
        cells=cells, totals=totals, spreads=spreads,
        figure_respondents={key: respondents.in_cells(mask)
                            for key, mask in figure_masks(study, cells).items()},
        cell_respondents=respondents.per_cell(), role_respondents=respondents.by_role(),
        n_ratings=len(study.ratings), n_counted=int(np.count_nonzero(per.counted)),
    )
    return scores_of_cells(study, settings, evidence)


def scores_of_cells(study: Study, settings: AnalysisSettings, evidence: CellEvidence
                    ) -> RCScores:
    """Every RC score of ``study`` from what its rated cells hold (``evidence``): the figures of
    [`scores`][relcoord.metrics.scores.aggregation.scores], which reads that evidence from the
    rating rows; ``study`` gives the roles, organisations and instrument only (its ratings are
    not read)."""
    cells, totals = evidence.cells, evidence.totals
    min_items = settings.items_needed(study.instrument)
    counted = _CountedScores(cells, evidence.spreads)
    masks = figure_masks(study, cells)
    everything = masks[("overall", None)]

    def figure(key: FigureKey) -> Figure:
        mask = masks[key]
        return _figure(cells, totals, mask, settings, counted.in_cells(mask),
                       evidence.figure_respondents[key])

    with np.errstate(invalid="ignore", divide="ignore"):
        tie_rc = totals.rc[0] / totals.rc[1]
    by_dimension = {
        key: float_or_none(_occupied_mean(pair, everything, cells, settings.weighting))
        for key, pair in zip(study.instrument.keys, totals.items, strict=True)
    }
    return RCScores(
        settings=settings,
        instrument=study.instrument.id,
        min_items=min_items,
        overall=figure(("overall", None)),
        within=figure(("within", None)),
        between=figure(("between", None)),
        by_dimension=by_dimension,
        ties=_ties(study, cells, totals, settings, counted.per_cell(),
                   evidence.cell_respondents),
        roles=_roles(study, cells, totals.rc, settings, tie_rc, counted.per_role(),
                     evidence.role_respondents),
        asymmetry=_asymmetry(study.role_ids, cells, tie_rc),
        organisations=_organisations(study, figure),
        n_ratings=evidence.n_ratings,
        n_counted=evidence.n_counted,
        n_excluded=evidence.n_ratings - evidence.n_counted,
    )


# --- ties ----------------------------------------------------------------------------------


def _tie_means(totals: CellTotals, n_items: int) -> tuple[Floats, Floats, Floats, Floats]:
    """RC, communication, relationship ``(n,)`` and each item ``(n_items, n)`` per occupied
    cell: the means over its counted respondent-ties (NaN where none counts)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        rc = totals.rc[0] / totals.rc[1]
        com = totals.communication[0] / totals.communication[1]
        rel = totals.relationship[0] / totals.relationship[1]
        dims = (np.stack([s / c for s, c in totals.items]) if n_items
                else np.empty((0, len(rc))))
    return rc, com, rel, dims


def _lowest_dimensions(dims: Floats, keys: tuple[str, ...]) -> list[str | None]:
    """For each cell (column of ``dims``), the key of its lowest item mean (the first on a
    tie), None when it has no item mean at all."""
    if not len(dims):
        return [None] * dims.shape[1]
    missing = np.isnan(dims)
    lowest = np.argmin(np.where(missing, np.inf, dims), axis=0)
    names = np.array([*keys, None], dtype=object)
    return names[np.where(missing.all(axis=0), len(keys), lowest)].tolist()  # type: ignore[no-any-return]


def _plain(values: Floats) -> list[float | None]:
    """Python floats, None for NaN, taken out of numpy at once."""
    out: list[float | None] = values.tolist()
    if np.isnan(values).any():
        for i in np.flatnonzero(np.isnan(values)).tolist():
            out[i] = None
    return out


def _bands(values: Floats, settings: AnalysisSettings) -> list[str | None]:
    """[`AnalysisSettings.band`][relcoord.settings.AnalysisSettings.band] of each value, at once:
    weak below the low limit, strong above the high one, None for NaN."""
    low, high = settings.bands
    which = np.where(np.isnan(values), 3, np.where(values < low, 0,
                                                   np.where(values > high, 2, 1)))
    names = np.array(["weak", "moderate", "strong", None], dtype=object)
    return names[which].tolist()  # type: ignore[no-any-return]


def _dimension_pairs(dims: Floats, keys: tuple[str, ...]
                     ) -> Iterator[Iterator[tuple[str, float | None]]]:
    """Per cell (column of ``dims``), its ``(key, item mean)`` pairs (None for NaN), which
    [`RatedTie`][relcoord.metrics.scores.results.RatedTie] makes its read-only mapping of."""
    values = dims.T.astype(object)
    values[np.isnan(dims.T)] = None
    return map(zip, itertools.repeat(keys), values.tolist())


def _ties(study: Study, occupied: RatedCells, totals: CellTotals,
          settings: AnalysisSettings, spreads: dict[int, Spread], respondents: Ints
          ) -> tuple[RatedTie, ...]:
    """One [`RatedTie`][relcoord.metrics.scores.results.RatedTie] per rated cell, in cell order
    (rater, then target, by id), with the distinct ``respondents`` behind it and the ``spreads`` of
    its scores (per occupied cell).

    Every field is computed for all ties at once and taken out of numpy as a list; the ties are
    then made by one ``map`` over those lists (no Python work per tie beyond its constructor)."""
    k, keys = occupied.n_roles, study.instrument.keys
    rc, com, rel, dims = _tie_means(totals, len(keys))
    ids = np.array(study.role_ids, dtype=object)
    source, target = np.divmod(occupied.cells, k)
    with np.errstate(invalid="ignore"):
        gap = com - rel  # NaN when either is missing
    empty = Spread()
    n = occupied.size
    ties = map(
        RatedTie,
        ids[source].tolist(), ids[target].tolist(), _plain(rc), _plain(com), _plain(rel),
        respondents.tolist(), _bands(rc, settings), _dimension_pairs(dims, keys),
        _lowest_dimensions(dims, keys), _plain(gap), itertools.repeat(False, n),
        itertools.repeat(None, n), totals.rc[1].astype(np.int64).tolist(),
        [spreads.get(c, empty) for c in range(n)],
    )
    return tuple(ties)


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
    simple = _pooled_mean(sums, counts, m, weighting)
    if simple is not None:
        return simple
    if not column:  # one rater role: its row total over its row count
        total = np.where(m, sums, 0.0).sum()
        return float(np.mean(np.array([total / np.where(m, counts, 0.0).sum()])))
    # every rater role of the column is a group of one cell
    return float(np.mean(sums[m] / counts[m]))


def _rated_and_weak(occupied: RatedCells, tie_rc: Floats, low: float
                    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per role, the between-group ties it takes part in (as rater or target) that are
    rated, and those of them whose RC is below the weak band's limit ``low``."""
    k = occupied.n_roles
    source, target = np.divmod(occupied.cells, k)
    rated = (source != target) & ~np.isnan(tie_rc)
    weak = rated & (np.where(rated, tie_rc, np.inf) < low)
    return (np.bincount(source[rated], minlength=k) + np.bincount(target[rated], minlength=k),
            np.bincount(source[weak], minlength=k) + np.bincount(target[weak], minlength=k))


class _Lines:
    """Each role's row (as rater) and column (as target) of the occupied cells, own tie left
    out: the line means of
    [`line_mean`][relcoord.metrics.scores.aggregation.line_mean] from the occupied cells only."""

    def __init__(self, occupied: RatedCells) -> None:
        self.occupied = occupied
        k = occupied.n_roles
        source, target = np.divmod(occupied.cells, k)
        self.k, self.source, self.target = k, source, target
        # rows: the occupied cells are in (source, target) order already
        self.row_bounds = np.searchsorted(source, np.arange(k + 1))
        # columns: the cells by (target, source)
        self.by_column = np.argsort(target, kind="stable")
        self.column_bounds = np.searchsorted(target[self.by_column], np.arange(k + 1))

    def mean(self, pair: CellSums, a: int, weighting: str, *, column: bool) -> float:
        """[`line_mean`][relcoord.metrics.scores.aggregation.line_mean] of role ``a``: the same
        cells of its line (the rated ones), in the same order."""
        if column:
            at = self.by_column[self.column_bounds[a]:self.column_bounds[a + 1]]
            other = self.source[at]
        else:
            at = np.arange(self.row_bounds[a], self.row_bounds[a + 1])
            other = self.target[at]
        sums, counts = pair[0][at], pair[1][at]
        m = (other != a) & (counts > 0)
        if not m.any():
            return math.nan
        if weighting == "respondent":
            return float(sums[m].sum() / counts[m].sum())
        if weighting == "tie" or column:
            return float(np.mean(sums[m] / counts[m]))
        # one rater role: its row total (the grid adds the whole row, empty cells as zeros)
        row_sums, row_counts = np.zeros(self.k), np.zeros(self.k)
        row_sums[other[m]] = sums[m]
        row_counts[other[m]] = counts[m]
        return float(np.mean(np.array([row_sums.sum() / row_counts.sum()])))


def _roles(
    study: Study, occupied: RatedCells, rc: CellSums, settings: AnalysisSettings,
    tie_rc: Floats, spreads: tuple[list[Spread], list[Spread]],
    respondents: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
) -> tuple[RoleScore, ...]:
    """One [`RoleScore`][relcoord.metrics.scores.results.RoleScore] per role, in the study's role
    order, from the RC totals ``rc`` of the occupied cells, with the ``spreads`` of its row and
    column and its ``respondents`` as rater and as target (per role)."""
    k, w = occupied.n_roles, settings.weighting
    as_rater_n, raters_n = respondents
    within = np.full(k, np.nan)
    source, target = np.divmod(occupied.cells, k)
    own = source == target
    within[source[own]] = tie_rc[own]
    n_rated, n_weak = _rated_and_weak(occupied, tie_rc, settings.bands[0])
    lines = _Lines(occupied)
    out = []
    for a, role_id in enumerate(study.role_ids):
        out.append(RoleScore(
            id=role_id,
            rc_as_rater=float_or_none(lines.mean(rc, a, w, column=False)),
            rc_as_target=float_or_none(lines.mean(rc, a, w, column=True)),
            rc_within=float_or_none(within[a]),
            n_respondents=int(as_rater_n[a]),
            n_raters=int(raters_n[a]),
            n_rated_ties=int(n_rated[a]),
            n_weak_ties=int(n_weak[a]),
            weak_share=float(n_weak[a] / n_rated[a]) if n_rated[a] else None,
            spread_as_rater=spreads[0][a], spread_as_target=spreads[1][a],
        ))
    return tuple(out)


def _asymmetry(ids: tuple[str, ...], occupied: RatedCells, tie_rc: Floats
               ) -> tuple[PairAsymmetry, ...]:
    """Every pair of roles that rated each other, first before second by role order."""
    k = len(ids)
    first, second = np.divmod(occupied.cells, k)
    upper = np.flatnonzero((first < second) & ~np.isnan(tie_rc))  # in (first, second) order
    back = occupied.number(second[upper] * k + first[upper])
    found = back >= 0
    upper, back = upper[found], back[found]
    both = ~np.isnan(tie_rc[back])
    upper, back = upper[both], back[both]
    forward, backward = tie_rc[upper], tie_rc[back]
    names = np.array(ids, dtype=object)
    return tuple(map(PairAsymmetry, names[first[upper]].tolist(), names[second[upper]].tolist(),
                     forward.tolist(), backward.tolist(), (forward - backward).tolist()))


# --- organisations -------------------------------------------------------------------------


def _organisations(study: Study, figure: FigureOf) -> OrganisationSplit:
    """Internal and external figures overall and per organisation (between-group ties of
    roles with a known organisation only; the cells of each in
    [`figure_masks`][relcoord.metrics.scores.aggregation.figure_masks])."""
    by_org = [
        OrganisationScore(organisation=name, internal=figure(("internal", name)),
                          external=figure(("external", name)))
        for name in study.organisations
    ]
    return OrganisationSplit(
        internal=figure(("internal", None)), external=figure(("external", None)),
        by_organisation=tuple(by_org),
    )
