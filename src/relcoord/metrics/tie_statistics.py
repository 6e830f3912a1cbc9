"""Tie statistics: per tie cell and per respondent, the sums every figure needs, mergeable.

Every RC figure is a function of a few sums over the ratings of some tie cells (a cell is a
rater role x target role x wave slot, laid out as [`TieCells`][relcoord.metrics.tie_cells.TieCells]
lays it out).  [`TieStatistics`][relcoord.metrics.tie_statistics.TieStatistics] holds those sums for
the cells that have ratings, taken in one pass over the rating rows
([`TieStatistics.of`][relcoord.metrics.tie_statistics.TieStatistics.of]):

per cell
    ``rows`` (rating rows), ``counted`` (rows with at least ``min_items`` items answered:
    the respondent-ties the scores count), ``respondents`` (distinct respondents among the
    counted rows; a rating without respondent is a respondent of its own); per item the
    answers ``item_n``, their sum ``item_sum`` and sum of squares ``item_sumsq`` over the
    counted rows; the same three for the respondent-tie RC (``rc_*``, its count is
    ``counted``) and for the communication and relationship sub-indices; over the counted
    rows that answer *every* item (the complete cases of alpha, r_wg and the ICC)
    ``complete``, ``complete_sum`` (per item) and ``complete_cross`` (the item x item
    cross-products).
per respondent
    the respondents with a counted rating (``people``, codes into the study's
    respondents), their role, their number of counted ratings and the sum and sum of
    squares of their respondent-tie RC (the respondent-level ICC).

What comes from them (each method below, checked against the direct computation by
``tests/metrics/test_tie_statistics.py``): a tie's mean is ``sum / n``; its sample variance
``(sumsq - sum^2 / n) / (n - 1)``; the covariance matrix of the items over complete cases of
any set of cells ``(C - s s' / n) / (n - 1)`` from the summed cross-products ``C`` and sums
``s``, and Cronbach's alpha from it; r_wg per item and cell from the item variance over
complete cases; the one-way ANOVA of the ICC of ratings by tie from the cells' complete
RC sums and sums of squares (the RC of a complete row is its item mean, so these follow
from ``complete_sum`` and ``complete_cross``).  Medians, quartiles and AD (average absolute
deviation) are not functions of sums: they need the distribution of values in a cell
([`CellScores`][relcoord.metrics.scores.spread.CellScores] counts it).

**Merging.** ``a + b`` is the statistics of the union of the ratings of ``a`` and ``b``,
when both come from parts of one study (same roles, waves, items and ``min_items``) that
share no respondent: counts, sums and cross-products add cell by cell, and so do the
distinct respondents because nobody is in both parts.  Addition is commutative and
associative, so a study split by respondent can be summarised part by part and the parts
reduced as a tree (as Dask's ``reduction`` does).  Counts are integers and add exactly;
sums of item values are exact as well while they are multiples of the scale step below
``2**53`` (every built-in scale); sums of RC values and their squares are float sums whose
last bits depend on the order of addition (relative differences of order ``1e-16`` times
the number of partial sums), which the property tests allow for with a tolerance of
``1e-12``.  Parts sharing a respondent raise `ValueError`.

**The one pass.** The numpy path reads the rows with one ``np.bincount`` per quantity (all
vectorised, no Python loop per rating); with the ``fast`` extra installed (numba,
``pip install relcoord[fast]``) one compiled loop reads every row once and adds it to its
cell, in the same row order, so the sums are the same to the last bit.  Neither copies the
item block.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.instruments import SubIndex
from relcoord.metrics.scores.respondent_ties import RespondentTieScores, respondent_tie_scores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.optional_dependencies import compiled_engine, numba_jit

__all__ = ["TieStatistics"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: The per-cell arrays of [`TieStatistics`][relcoord.metrics.tie_statistics.TieStatistics], in the
#: order merging adds them.
_CELL_FIELDS: Final = (
    "rows", "counted", "respondents", "item_n", "item_sum", "item_sumsq", "rc_sum",
    "rc_sumsq", "communication_n", "communication_sum", "communication_sumsq",
    "relationship_n", "relationship_sum", "relationship_sumsq", "complete", "complete_sum",
    "complete_cross",
)
#: The per-respondent arrays, in the order merging concatenates them.
_PEOPLE_FIELDS: Final = ("people", "people_role", "people_counted", "people_rc_sum",
                         "people_rc_sumsq")


@attrs.frozen(eq=False)
class TieStatistics:
    """Per tie cell and per respondent, the sums every figure needs (see the module
    docstring); build with [`of`][relcoord.metrics.tie_statistics.TieStatistics.of], merge with
    ``+``.

    ``cells`` are the codes of the cells with ratings, ascending; every per-cell array has
    one entry (or row) per code.  ``grid`` is ``(roles, waves, dimensions, min_items,
    by_wave)``: two statistics merge only on the same grid.
    """

    grid: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int, bool]
    n_roles: int
    n_waves: int
    cells: Ints
    rows: Ints
    counted: Ints
    respondents: Ints
    item_n: Ints
    item_sum: Floats
    item_sumsq: Floats
    rc_sum: Floats
    rc_sumsq: Floats
    communication_n: Ints
    communication_sum: Floats
    communication_sumsq: Floats
    relationship_n: Ints
    relationship_sum: Floats
    relationship_sumsq: Floats
    complete: Ints
    complete_sum: Floats
    complete_cross: Floats
    people: Ints
    people_role: Ints
    people_counted: Ints
    people_rc_sum: Floats
    people_rc_sumsq: Floats

    # --- building -----------------------------------------------------------------------

    @classmethod
    def of(
        cls,
        study: Study,
        *,
        min_items: int,
        by_wave: bool = False,
        respondent_ties: RespondentTieScores | None = None,
        engine: str = "auto",
    ) -> TieStatistics:
        """The statistics of ``study``'s ratings under ``min_items``, per tie (or per tie
        and wave with ``by_wave``).

        ``respondent_ties`` may pass
        [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores] of
        ``study`` under ``min_items``.  ``engine`` is ``"numpy"``, ``"numba"`` (the ``fast`` extra;
        `ImportError` without it) or ``"auto"`` (numba when installed); both give the same
        statistics, bit for bit.
        """
        per = (respondent_ties if respondent_ties is not None
               else respondent_tie_scores(study, min_items=min_items))
        if len(per.counted) != len(study.ratings) or per.min_items != min_items:
            raise ValueError("respondent_ties belong to another study or another min_items")
        tie_cells = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
        n_rows = tie_cells.ratings
        cells = np.flatnonzero(n_rows).astype(np.int64)
        lookup = np.full(tie_cells.size, -1, dtype=np.int64)
        lookup[cells] = np.arange(len(cells))
        position = lookup[tie_cells.codes]
        sums = _kernel(engine)(study, per, position, len(cells))
        ratings = study.ratings
        grid = (ratings.roles, ratings.waves, ratings.dimensions, min_items, by_wave)
        return cls(
            grid=grid, n_roles=tie_cells.n_roles, n_waves=tie_cells.n_waves, cells=cells,
            rows=n_rows[cells], respondents=tie_cells.respondents()[cells],
            **sums, **_people(study, per),
        )

    # --- merging ------------------------------------------------------------------------

    def __add__(self, other: object) -> TieStatistics:
        if not isinstance(other, TieStatistics):
            return NotImplemented
        if self.grid != other.grid:
            raise ValueError("tie statistics of different roles, waves, items or rules "
                             "cannot be merged")
        if len(np.intersect1d(self.people, other.people)):
            raise ValueError("the two parts share a respondent: split a study by respondent "
                             "to merge its parts' statistics")
        cells = np.union1d(self.cells, other.cells).astype(np.int64)
        mine = np.searchsorted(cells, self.cells)
        theirs = np.searchsorted(cells, other.cells)
        merged: dict[str, Any] = {}
        for name in _CELL_FIELDS:
            a, b = getattr(self, name), getattr(other, name)
            out = np.zeros((len(cells), *a.shape[1:]), dtype=a.dtype)
            out[mine] += a
            out[theirs] += b
            merged[name] = out
        order = np.argsort(np.concatenate([self.people, other.people]), kind="stable")
        for name in _PEOPLE_FIELDS:
            merged[name] = np.concatenate([getattr(self, name), getattr(other, name)])[order]
        return attrs.evolve(self, cells=cells, **merged)

    def equals(self, other: TieStatistics, *, rtol: float = 0.0) -> bool:
        """Whether both hold the same statistics: counts exactly, float sums to ``rtol``
        (relative to the larger magnitude; ``0``: bit for bit)."""
        if self.grid != other.grid or not np.array_equal(self.cells, other.cells):
            return False
        for name in (*_CELL_FIELDS, *_PEOPLE_FIELDS):
            a, b = getattr(self, name), getattr(other, name)
            if a.shape != b.shape:
                return False
            if a.dtype.kind == "f":
                if not np.allclose(a, b, rtol=rtol, atol=rtol * float(np.abs(a).max(initial=1.0))):
                    return False
            elif not np.array_equal(a, b):
                return False
        return True

    # --- the grid -----------------------------------------------------------------------

    @property
    def size(self) -> int:
        """The number of possible cells, ``n_roles * n_roles * n_waves``."""
        return self.n_roles * self.n_roles * self.n_waves

    def dense(self, values: npt.NDArray[Any], fill: float = 0.0) -> npt.NDArray[Any]:
        """A per-cell array spread over every cell of the grid (``fill`` where no rating)."""
        out = np.full((self.size, *values.shape[1:]), fill,
                      dtype=np.result_type(values, np.asarray(fill)))
        out[self.cells] = values
        return out

    def in_cells(self, mask: Bools | None) -> Bools:
        """Which of [`cells`][relcoord.metrics.tie_statistics.TieStatistics.cells] lie in ``mask``
        (a mask over the whole grid; ``None``: all)."""
        return np.ones(len(self.cells), dtype=bool) if mask is None else mask[self.cells]

    # --- figures ------------------------------------------------------------------------

    def tie_rc(self) -> tuple[Floats, Floats]:
        """Per cell of [`cells`][relcoord.metrics.tie_statistics.TieStatistics.cells]: mean
        respondent-tie RC and its sample SD (NaN without counted ratings; SD NaN below two)."""
        return _mean_sd(self.rc_sum, self.rc_sumsq, self.counted)

    def sub_index(self, sub: SubIndex) -> tuple[Floats, Floats]:
        """Per cell: mean and sample SD of a sub-index's respondent-tie values."""
        n, total, squares = (getattr(self, f"{sub}_{part}") for part in ("n", "sum", "sumsq"))
        return _mean_sd(total, squares, n)

    def item_means(self) -> Floats:
        """Per cell and item: the mean answer over the counted rows (NaN: none)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(self.item_sum / self.item_n, dtype=np.float64)

    def covariance(self, mask: Bools | None = None,
                   items: npt.NDArray[np.intp] | None = None) -> tuple[int, Floats]:
        """Complete cases and the sample covariance matrix of the items (``items``: their
        indices; ``None``: all) over the complete cases of the cells in ``mask``."""
        keep = self.in_cells(mask)
        pick = np.arange(self.item_sum.shape[1]) if items is None else items
        n = int(self.complete[keep].sum())
        total = self.complete_sum[keep][:, pick].sum(axis=0)
        cross = self.complete_cross[keep][:, pick][:, :, pick].sum(axis=0)
        if n < 2:
            return n, np.full((len(pick), len(pick)), np.nan)
        return n, np.asarray((cross - np.outer(total, total) / n) / (n - 1), dtype=np.float64)

    def alpha(self, mask: Bools | None = None,
              items: npt.NDArray[np.intp] | None = None) -> tuple[int, float]:
        """Complete cases and Cronbach's alpha (Cronbach 1951) of ``items`` over the cells in
        ``mask``: ``J / (J - 1) * (1 - sum of item variances / variance of the total)``,
        the total's variance being the sum of the covariance matrix."""
        n, cov = self.covariance(mask, items)
        j = cov.shape[0]
        total = float(cov.sum())
        if j < 2 or n < 2 or not total > 0:
            return n, float("nan")
        return n, j / (j - 1) * (1.0 - float(np.trace(cov)) / total)

    def item_variances(self) -> Floats:
        """Per cell and item: the sample variance over the cell's complete cases (NaN below
        two), the ``S^2_x`` of r_wg."""
        n = self.complete.astype(np.float64)[:, None]
        squares = np.diagonal(self.complete_cross, axis1=1, axis2=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = (squares - self.complete_sum**2 / n) / (n - 1)
        return np.asarray(np.where(n >= 2, np.maximum(var, 0.0), np.nan), dtype=np.float64)

    def rwg(self, null_variance: float) -> Floats:
        """Per cell and item: r_wg = 1 - S^2_x / sigma^2_EU (James, Demaree & Wolf 1984),
        reset to 0 outside [0, 1] (LeBreton & Senter 2008)."""
        value = 1.0 - self.item_variances() / null_variance
        return np.asarray(np.where((value < 0) | (value > 1), 0.0, value), dtype=np.float64)

    def icc_by_tie(self) -> tuple[float, float, int, int]:
        """The one-way ANOVA of the complete cases' RC (item mean) by tie cell:
        ``(MS between, MS within, N, G)`` (Bliese 2000), from each cell's complete sums."""
        j = self.complete_sum.shape[1]
        keep = self.complete > 0
        n = self.complete[keep].astype(np.float64)
        total = self.complete_sum[keep].sum(axis=1) / j
        squares = self.complete_cross[keep].sum(axis=(1, 2)) / (j * j)
        big_n, groups = int(n.sum()), len(n)
        if groups < 2 or big_n <= groups:
            return float("nan"), float("nan"), big_n, groups
        grand = float(total.sum()) / big_n
        between = float((total * total / n).sum()) - big_n * grand * grand
        within = float(squares.sum()) - float((total * total / n).sum())
        return between / (groups - 1), within / (big_n - groups), big_n, groups


def _mean_sd(total: Floats, squares: Floats, n: npt.NDArray[Any]) -> tuple[Floats, Floats]:
    count = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        var = (squares - total * mean) / (count - 1)
    sd = np.sqrt(np.maximum(var, 0.0))
    sd[count < 2] = np.nan
    return np.asarray(mean, dtype=np.float64), np.asarray(sd, dtype=np.float64)


def _people(study: Study, per: RespondentTieScores) -> dict[str, npt.NDArray[Any]]:
    """The per-respondent sums of the counted ratings with a respondent."""
    ratings = study.ratings
    person = ratings.respondent
    named = per.counted & (person >= 0)
    who = person[named].astype(np.int64)
    size = len(ratings.respondents)
    counted = np.bincount(who, minlength=size)
    rc = per.rc[named]
    total = np.bincount(who, weights=rc, minlength=size)
    squares = np.bincount(who, weights=rc * rc, minlength=size)
    role = np.full(size, -1, dtype=np.int64)
    role[who] = ratings.source[named]
    present = np.flatnonzero(counted)
    return {"people": present.astype(np.int64), "people_role": role[present],
            "people_counted": counted[present].astype(np.int64),
            "people_rc_sum": total[present], "people_rc_sumsq": squares[present]}


# --- the pass over the rows ------------------------------------------------------------

Kernel = Callable[[Study, RespondentTieScores, Ints, int], dict[str, npt.NDArray[Any]]]


def _kernel(engine: str) -> Kernel:
    numpy_path: Kernel = _numpy_sums
    return compiled_engine(engine, numpy_path, _numba_sums,
                           purpose="the compiled tie statistics (engine='numba')")


def _sub_masks(study: Study) -> Floats:
    """``(d, 2)``: 1 where an item belongs to communication (column 0) or relationship."""
    keys = study.instrument.keys
    parts: tuple[SubIndex, SubIndex] = ("communication", "relationship")
    return np.array([[1.0 if k in study.instrument.keys_of(p) else 0.0 for p in parts]
                     for k in keys]).reshape(len(keys), 2)


def _numpy_sums(study: Study, per: RespondentTieScores, position: Ints, m: int
                ) -> dict[str, npt.NDArray[Any]]:
    """Every per-cell sum with ``np.bincount`` (each adds a cell's values in row order)."""
    x = study.ratings.scores
    d = x.shape[1]
    counted = per.counted
    c_pos = position[counted]

    def add(values: Floats, rows: Bools | None = None) -> Floats:
        """Per cell, the sum of ``values`` (one per row of ``rows``; ``None``: the counted
        rows)."""
        where = c_pos if rows is None else position if rows is every else position[rows]
        return np.asarray(np.bincount(where, weights=values, minlength=m), dtype=np.float64)

    def count(rows: Bools) -> Ints:
        return np.bincount(position[rows], minlength=m).astype(np.int64)

    every = np.ones(len(x), dtype=bool)
    out: dict[str, npt.NDArray[Any]] = {"counted": count(counted)}
    item_n = np.zeros((m, d), dtype=np.int64)
    item_sum = np.zeros((m, d))
    item_sumsq = np.zeros((m, d))
    complete = counted.copy()
    for j in range(d):
        column = x[:, j]
        answered = counted & ~np.isnan(column)
        complete &= answered
        value = np.where(answered, column, 0.0)
        item_n[:, j] = count(answered)
        item_sum[:, j] = add(value, every)
        item_sumsq[:, j] = add(value * value, every)
    out.update(item_n=item_n, item_sum=item_sum, item_sumsq=item_sumsq)
    rc = per.rc[counted]
    out.update(rc_sum=add(rc), rc_sumsq=add(rc * rc))
    for name in ("communication", "relationship"):
        values = getattr(per, name)
        has = ~np.isnan(values)
        v = values[has]
        out[f"{name}_n"] = count(has)
        out[f"{name}_sum"] = add(v, has)
        out[f"{name}_sumsq"] = add(v * v, has)
    rows = np.flatnonzero(complete)
    out["complete"] = count(complete)
    block = x[rows]  # the complete rows only, once
    where = position[rows]
    complete_sum = np.zeros((m, d))
    cross = np.zeros((m, d, d))
    for i in range(d):
        complete_sum[:, i] = np.bincount(where, weights=block[:, i], minlength=m)
        for j in range(i, d):
            cross[:, i, j] = np.bincount(where, weights=block[:, i] * block[:, j],
                                         minlength=m)
            cross[:, j, i] = cross[:, i, j]
    out.update(complete_sum=complete_sum, complete_cross=cross)
    return out


@functools.cache
def _numba_sums() -> Kernel | None:
    """The compiled single pass, or ``None`` without numba (the ``fast`` extra)."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def one_pass(x: Any, counted: Any, rc: Any, com: Any, rel: Any, position: Any,
                 m: int, out_i: Any, out_f: Any, item_n: Any, item_sum: Any,
                 item_sumsq: Any, complete_sum: Any, complete_cross: Any) -> None:
        n, d = x.shape
        for r in range(n):
            if not counted[r]:
                continue
            c = position[r]
            out_i[0, c] += 1
            v = rc[r]
            out_f[0, c] += v
            out_f[1, c] += v * v
            v = com[r]
            if v == v:
                out_i[1, c] += 1
                out_f[2, c] += v
                out_f[3, c] += v * v
            v = rel[r]
            if v == v:
                out_i[2, c] += 1
                out_f[4, c] += v
                out_f[5, c] += v * v
            full = True
            for j in range(d):
                v = x[r, j]
                if v == v:
                    item_n[c, j] += 1
                    item_sum[c, j] += v
                    item_sumsq[c, j] += v * v
                else:
                    full = False
            if full:
                out_i[3, c] += 1
                for i in range(d):
                    vi = x[r, i]
                    complete_sum[c, i] += vi
                    for j in range(i, d):
                        complete_cross[c, i, j] += vi * x[r, j]

    def run(study: Study, per: RespondentTieScores, position: Ints, m: int
            ) -> dict[str, npt.NDArray[Any]]:
        x = study.ratings.scores
        d = x.shape[1]
        out_i = np.zeros((4, m), dtype=np.int64)
        out_f = np.zeros((6, m))
        item_n = np.zeros((m, d), dtype=np.int64)
        item_sum = np.zeros((m, d))
        item_sumsq = np.zeros((m, d))
        complete_sum = np.zeros((m, d))
        cross = np.zeros((m, d, d))
        one_pass(x, per.counted, per.rc, per.communication, per.relationship, position, m,
                 out_i, out_f, item_n, item_sum, item_sumsq, complete_sum, cross)
        upper_i, upper_j = np.triu_indices(d, 1)
        cross[:, upper_j, upper_i] = cross[:, upper_i, upper_j]
        return {
            "counted": out_i[0], "communication_n": out_i[1], "relationship_n": out_i[2],
            "complete": out_i[3], "rc_sum": out_f[0], "rc_sumsq": out_f[1],
            "communication_sum": out_f[2], "communication_sumsq": out_f[3],
            "relationship_sum": out_f[4], "relationship_sumsq": out_f[5],
            "item_n": item_n, "item_sum": item_sum, "item_sumsq": item_sumsq,
            "complete_sum": complete_sum, "complete_cross": cross,
        }

    return run
