"""Cell totals: per occupied tie cell, the sum and number of every score the figures average.

Every mean of [`scores`][relcoord.metrics.scores.aggregation.scores] is a ratio of sums over tie
cells: per occupied cell ([`OccupiedCells`][relcoord.metrics.tie_cells.OccupiedCells]) the sum and
number of the respondent-tie RC values, of each sub-index's values and of each item's answers
over the rows that count.  [`CellTotals.of`][relcoord.metrics.scores.cell_totals.CellTotals.of]
gathers all of them: with numba (the ``fast`` extra) in one compiled pass over the rating rows,
else with one ``np.bincount`` pair per score and item.  Both add each cell's values in row
order, starting from zero, so they give the same sums to the last bit.  On rows sorted by cell
(an analysis's published rows, in canonical order) the compiled pass runs in threads over
blocks cut between cells ([`group_block_bounds`][relcoord.row_blocks.group_block_bounds]), so
each cell is still added up by one thread in that order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores.respondent_ties import RespondentTieScores
from relcoord.metrics.tie_cells import CellSums, OccupiedCells
from relcoord.optional_dependencies import compiled_engine, numba_jit
from relcoord.row_blocks import group_block_bounds, in_blocks

__all__ = ["CellTotals"]

Floats = npt.NDArray[np.float64]


@attrs.frozen(eq=False)
class CellTotals:
    """Per occupied cell, ``(sums, counts)`` of the respondent-tie RC values (``rc``), of each
    sub-index's values and, per item in the instrument's order, of its answers in the rows that
    count (``items``); counts are floats, as ``np.bincount`` gives them with weights.

    Build it with [`of`][relcoord.metrics.scores.cell_totals.CellTotals.of].
    """

    rc: CellSums
    communication: CellSums
    relationship: CellSums
    items: tuple[CellSums, ...]

    @classmethod
    def of(cls, occupied: OccupiedCells, per: RespondentTieScores, *, engine: str = "auto"
           ) -> CellTotals:
        """The totals of ``occupied``'s cells; ``per`` are the respondent-tie scores its grid was
        built with.  ``engine`` is ``"numpy"``, ``"numba"`` (the ``fast`` extra;
        [`MissingDependencyError`][relcoord.optional_dependencies.MissingDependencyError] without
        it) or ``"auto"`` (numba when installed): the same sums, to the last bit."""
        return _totalling(engine)(occupied, per)


Totalling = Callable[[OccupiedCells, RespondentTieScores], CellTotals]


def _numpy_totals(occupied: OccupiedCells, per: RespondentTieScores) -> CellTotals:
    """The occupied cells' own sums (``np.bincount`` per score; the items by sparse products
    of the item block read row by row, chunk by chunk when answers are missing: no
    NaN-filled copy of any column), from the scores ``per`` the cells were built with."""
    del per  # the cells hold them: TieCells.of(study, respondent_ties=per)
    return CellTotals(rc=occupied.rc, communication=occupied.communication,
                      relationship=occupied.relationship, items=occupied.items)


@functools.cache
def _numba_totals() -> Totalling | None:
    """The compiled pass over the rating rows, or ``None`` without numba (the ``fast``
    extra)."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def one_pass(codes: Any, x: Any, counted: Any, rc: Any, com: Any, rel: Any,
                 score_sum: Any, score_n: Any, item_sum: Any, item_n: Any) -> None:
        # cell-major totals: one row's figures are added into one cell's adjacent slots
        n, d = x.shape
        for r in range(n):
            c = codes[r]
            v = rc[r]
            if v == v:
                score_sum[c, 0] += v
                score_n[c, 0] += 1
            v = com[r]
            if v == v:
                score_sum[c, 1] += v
                score_n[c, 1] += 1
            v = rel[r]
            if v == v:
                score_sum[c, 2] += v
                score_n[c, 2] += 1
            if counted[r]:
                for j in range(d):
                    v = x[r, j]
                    if v == v:
                        item_sum[c, j] += v
                        item_n[c, j] += 1

    def column(block: Any, j: int, *, count: bool = False) -> Floats:
        return np.ascontiguousarray(block[:, j], dtype=np.float64 if count else None)

    def run(occupied: OccupiedCells, per: RespondentTieScores) -> CellTotals:
        x = occupied.grid.study.ratings.scores
        m, d = occupied.size, x.shape[1]
        score_sum, score_n = np.zeros((m, 3)), np.zeros((m, 3), dtype=np.int64)
        item_sum, item_n = np.zeros((m, d)), np.zeros((m, d), dtype=np.int64)
        codes = occupied.codes

        def block(start: int, stop: int) -> None:
            one_pass(codes[start:stop], x[start:stop], per.counted[start:stop],
                     per.rc[start:stop], per.communication[start:stop],
                     per.relationship[start:stop], score_sum, score_n, item_sum, item_n)

        in_blocks(group_block_bounds(codes), block)
        pairs = [(column(score_sum, i), column(score_n, i, count=True)) for i in range(3)]
        return CellTotals(rc=pairs[0], communication=pairs[1], relationship=pairs[2],
                          items=tuple((column(item_sum, j), column(item_n, j, count=True))
                                      for j in range(d)))

    return run


def _totalling(engine: str) -> Totalling:
    numpy_path: Totalling = _numpy_totals
    return compiled_engine(engine, numpy_path, _numba_totals,
                           purpose="the compiled cell totals (engine='numba')")
