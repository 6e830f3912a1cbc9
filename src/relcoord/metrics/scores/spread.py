"""Spread of the respondent-tie scores behind a figure: SD, median and quartiles.

An RC figure is a mean; beside it the analysis shows how the respondent-tie RC scores it
rests on are spread: their standard deviation (sample, ``ddof=1``), median and first and
third quartiles.  The scores are those of the figure's counted respondent-ties, each once,
whatever the weighting (the weighting decides how the mean weighs them, not which scores
there are).  Quantiles interpolate linearly between order statistics, R's default type 7
(Hyndman & Fan 1996) and numpy's default, so ``quantile(x, c(.25, .5, .75))`` in R gives
the same numbers.

Every figure's scores are those of a set of tie cells (one tie, a role's row or column, the
network...).  RC scores take few distinct values (means of a few integer answers), so
[`CellScores`][relcoord.metrics.scores.spread.CellScores] counts each distinct value per cell once,
in one pass over the ratings; the spread of any set of cells then comes from the sum of its cells'
counts, and the order statistics from their running sums, without sorting the ratings per figure.
When the values are too many for such a table (continuous custom scorings), the scores are sorted
once instead and each set's order statistics read from that order.

With numba (the ``fast`` extra) the distinct values and the table are made by two compiled passes
over the scores (a hash set of the values' bits, then one count per score), in place of a sort of
each block of scores and a binary search per score; the values, ascending, and the integer counts
are the same, so every spread is the same to the last bit.

Sources:
    Hyndman, R.J. & Fan, Y. (1996). Sample quantiles in statistical packages. *The American
    Statistician* 50(4), 361-365.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores.results import Spread
from relcoord.optional_dependencies import compiled_engine, numba_jit

__all__ = ["CellScores", "CellValueCounts", "grouped_spreads", "spread_of"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: The quantiles reported: first quartile, median, third quartile.
_QUANTILES: Final = (0.25, 0.5, 0.75)
#: The spread of no scores (one object: a Spread is immutable).
_EMPTY: Final = Spread()
#: Cells x distinct values up to which the scores are counted per value (8 bytes each).
_TABLE_LIMIT: Final = 1 << 21


def _lerp(below: Floats, above: Floats, t: Floats) -> Floats:
    """numpy's linear interpolation between two order statistics, operation for operation."""
    diff = above - below
    return np.asarray(np.where(t >= 0.5, above - diff * (1 - t), below + diff * t),
                      dtype=np.float64)


def _positions(n: Floats, q: float) -> tuple[Ints, Ints, Floats]:
    """The order statistics (0-based) around quantile ``q`` of ``n`` scores, and the weight
    of the upper one: type 7, h = (n - 1) q."""
    last = np.maximum(n - 1, 0)
    h = q * last
    low = np.floor(h).astype(np.int64)
    return low, np.minimum(low + 1, last).astype(np.int64), h - low


def _plain(values: Floats) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]


def _spreads(sd: Floats, quantiles: list[Floats], n: Floats) -> list[Spread]:
    """One [`Spread`][relcoord.metrics.scores.results.Spread] per group, made by one ``map``
    over the columns (positional: sd, median, lower and upper quartile); a group without
    scores has the empty spread."""
    out = list(map(Spread, _plain(sd), _plain(quantiles[1]), _plain(quantiles[0]),
                   _plain(quantiles[2])))
    for empty in np.flatnonzero(n == 0).tolist():
        out[empty] = _EMPTY
    return out


def _from_counts(counts: Floats, values: Floats) -> list[Spread]:
    """The spread of each row of ``counts`` (how many scores of each of the ascending
    distinct ``values`` a group has)."""
    n = counts.sum(axis=1)
    running = np.cumsum(counts, axis=1)
    top = max(len(values) - 1, 0)
    quantiles = []
    for q in _QUANTILES:
        low, high, t = _positions(n, q)
        at_low = np.minimum(np.count_nonzero(running <= low[:, None], axis=1), top)
        at_high = np.minimum(np.count_nonzero(running <= high[:, None], axis=1), top)
        quantiles.append(_lerp(values[at_low], values[at_high], t) if len(values)
                         else np.full(len(n), np.nan))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (counts @ values) / n
        deviation = values[None, :] - mean[:, None]
        sd = np.sqrt((counts * deviation * deviation).sum(axis=1) / (n - 1))
    sd[np.count_nonzero(counts, axis=1) == 1] = 0.0  # one distinct value: no spread at all
    sd[n < 2] = np.nan
    return _spreads(sd, quantiles, n)


def _from_order(ordered: Floats, n: Ints) -> list[Spread]:
    """The spread of each group of ``ordered``: groups lie one after another, ``n[g]``
    scores each, ascending within a group."""
    count = n.astype(np.float64)
    starts = np.cumsum(n) - n
    has = n > 0
    quantiles = []
    for q in _QUANTILES:
        low, high, t = _positions(count, q)
        picked = np.full(len(n), np.nan)
        picked[has] = _lerp(ordered[(starts + low)[has]], ordered[(starts + high)[has]],
                            t[has])
        quantiles.append(picked)
    with np.errstate(invalid="ignore", divide="ignore"):
        group_of = np.repeat(np.arange(len(n)), n)
        mean = np.bincount(group_of, weights=ordered, minlength=len(n)) / count
        deviation = ordered - mean[group_of]
        sd = np.sqrt(np.bincount(group_of, weights=deviation * deviation,
                                 minlength=len(n)) / (count - 1))
    sd[n < 2] = np.nan
    return _spreads(sd, quantiles, count)


class CellScores:
    """The scores of the rating rows in ``size`` cells (``cells`` holds each score's cell),
    for the spread of each cell and of any set of cells."""

    def __init__(self, values: Floats, cells: Ints, size: int, *,
                 table_size: int | None = None, rows: Bools | None = None,
                 engine: str = "auto") -> None:
        """``table_size`` (default ``size``) is the number of cells the choice between the
        table and the order is made for: a caller that numbers only the occupied cells of a
        larger grid passes the grid's size, so that the figures are computed the same way
        (and come out the same to the last bit) as on the grid.  ``rows`` (a mask over
        ``values`` and ``cells``; ``None``: all) picks the scores: the same as passing
        ``values[rows]`` and ``cells[rows]``, but the table of counts is made block by block
        from the given arrays, without a copy of them.  ``engine`` (``"numpy"``, ``"numba"``:
        the ``fast`` extra, ``"auto"``: numba when installed) makes the distinct values and the
        table: the same values and counts either way."""
        self._given, self._cells_given, self._rows = values, cells, rows
        self.size = size
        widest = self.widest(size if table_size is None else table_size)
        self.distinct, self.table = _tabling(engine)(values, cells, rows, size, widest)

    @classmethod
    def of_table(cls, distinct: Floats, table: Floats) -> CellScores:
        """The scores given by their table of counts: ``table[c, v]`` scores of value
        ``distinct[v]`` (ascending) in cell ``c``, as floats.  Every spread is computed from the
        table as for scores that chose it (see ``table_size``), so it is the same to the last
        bit."""
        made = cls.__new__(cls)
        made._given, made._rows = np.repeat(distinct, 0), None
        made._cells_given = np.zeros(0, dtype=np.int64)
        made.size = len(table)
        made.distinct, made.table = distinct, table
        return made

    @staticmethod
    def widest(table_size: int) -> int:
        """The most distinct scores for which scores of ``table_size`` cells are counted in a
        table (else sorted): the choice ``CellScores(..., table_size=...)`` makes."""
        return _TABLE_LIMIT // max(1, table_size)

    @functools.cached_property
    def values(self) -> Floats:
        """The scores (those of ``rows``)."""
        return self._given if self._rows is None else self._given[self._rows]

    @functools.cached_property
    def cells(self) -> Ints:
        """The cell of each score."""
        return self._cells_given if self._rows is None else self._cells_given[self._rows]

    @functools.cached_property
    def rank(self) -> Ints:
        """Each score's rank among the distinct values (a binary search: ``np.unique(...,
        return_inverse=True)`` would sort the scores by index, twice as long)."""
        return np.asarray(np.searchsorted(self.distinct, self.values), dtype=np.int64)

    @functools.cached_property
    def _ascending(self) -> tuple[Ints, Floats, Ints]:
        """The order that sorts the scores ascending, the scores in that order and the cell of
        each: one sort, shared by the spread of every single set of cells."""
        small = len(self.distinct) <= np.iinfo(np.uint16).max
        # a stable sort of 16-bit ranks is a radix sort: linear in the scores
        order = np.argsort(self.rank.astype(np.uint16) if small else self.rank, kind="stable")
        return order, self.values[order], self.cells[order]

    def occupied(self) -> dict[int, Spread]:
        """The spread of each cell that has scores, by cell (a cell without scores has the
        empty [`Spread`][relcoord.metrics.scores.results.Spread]): one spread per score-bearing
        cell, not per cell of the grid, which at many roles is mostly empty."""
        if self.table is not None:
            present = np.flatnonzero(self.table.sum(axis=1))
            return dict(zip(present.tolist(),
                            _from_counts(self.table[present], self.distinct), strict=True))
        present = np.flatnonzero(np.bincount(self.cells, minlength=self.size))
        compact = np.full(self.size, -1, dtype=np.int64)
        compact[present] = np.arange(len(present))
        return dict(zip(present.tolist(), self._grouped(compact[self.cells], len(present)),
                        strict=True))

    def per_cell(self) -> list[Spread]:
        """The spread of each cell's scores, in cell order."""
        if self.table is not None:
            return _from_counts(self.table, self.distinct)
        return self._grouped(self.cells, self.size)

    def of_sets(self, sets: Bools) -> list[Spread]:
        """The spread of the scores in each set of cells: row ``i`` of ``sets`` (``(m,
        size)``) marks the cells of set ``i``."""
        if self.table is not None:
            return _from_counts(sets.astype(np.float64) @ self.table, self.distinct)
        if len(sets) == 1:
            return [self._in_set(sets[0])]
        if int(sets.sum(axis=0).max(initial=0)) <= 1:  # disjoint: one grouping
            group = np.full(self.size, -1, dtype=np.int64)
            member, cell = np.nonzero(sets)
            group[cell] = member
            return self._grouped(group[self.cells], len(sets))
        return [self._in_set(row) for row in sets]

    def _in_set(self, mask: Bools) -> Spread:
        """The spread of the scores in the cells of ``mask``: read from the shared ascending
        order, no sort."""
        _, ascending, cells = self._ascending
        chosen = ascending[mask[cells]]
        return _from_order(chosen, np.array([len(chosen)], dtype=np.int64))[0]

    def of_groups(self, group: Ints, n_groups: int) -> list[Spread]:
        """The spread of the scores in each of ``n_groups`` disjoint sets of cells:
        ``group[c]`` is the set of cell ``c`` (``-1``: in none).  The same spreads as
        [`of_sets`][relcoord.metrics.scores.spread.CellScores.of_sets] with one row per set, without
        a sets x cells mask."""
        if self.table is not None:
            keep = group >= 0
            counts = np.zeros((n_groups, len(self.distinct)))
            np.add.at(counts, group[keep], self.table[keep])  # integer counts: exact sums
            return _from_counts(counts, self.distinct)
        return self._grouped(group[self.cells], n_groups)

    def _grouped(self, groups: Ints, n_groups: int) -> list[Spread]:
        """The spread of the scores of each group ``0..n_groups-1`` (-1: in none), from one
        sort of the keys ``group * distinct values + rank of the value``: the scores of each
        group come out ascending, without sorting the scores themselves."""
        if n_groups == 1:  # one group: read from the shared ascending order
            order, ascending, _ = self._ascending
            chosen = ascending[groups[order] == 0]
            return [_from_order(chosen, np.array([len(chosen)], dtype=np.int64))[0]]
        keep = groups >= 0
        width = max(len(self.distinct), 1)
        key = groups[keep].astype(np.int64)
        key *= width
        key += self.rank[keep]
        key.sort()
        group, rank = np.divmod(key, width)
        n = np.bincount(group, minlength=n_groups).astype(np.int64)
        return _from_order(self.distinct[rank], n)


#: Scores per block when the distinct values and the table of counts are made block by block.
_BLOCK: Final = 1 << 20


def _blocks(values: Floats, rows: Bools | None, step: int) -> Iterator[tuple[int, Floats]]:
    """The scores of ``rows`` in blocks of ``step`` given rows, each with its first row."""
    for start in range(0, len(values), step):
        block = values[start:start + step]
        yield start, block if rows is None else block[rows[start:start + step]]


def _distinct(values: Floats, rows: Bools | None) -> Floats:
    """The distinct scores of ``rows``, ascending: those of each block, then of them all."""
    if len(values) <= _BLOCK:
        chosen = values if rows is None else values[rows]
        return np.asarray(np.unique(chosen), dtype=np.float64)
    parts = [np.unique(block) for _, block in _blocks(values, rows, _BLOCK)]
    return np.asarray(np.unique(np.concatenate(parts)), dtype=np.float64)


def _counts(values: Floats, cells: Ints, rows: Bools | None, distinct: Floats, size: int
            ) -> Floats:
    """``(size, distinct values)``: how many scores of ``rows`` each cell has of each value,
    counted block by block (integer counts: the same whatever the blocks)."""
    width = len(distinct)
    total = np.zeros(size * width, dtype=np.int64)
    step = max(_BLOCK, 2 * size * width)
    for start, block in _blocks(values, rows, step):
        cell = cells[start:start + step]
        # widened before the product: the cells may be coded compactly
        flat = (cell if rows is None else cell[rows[start:start + step]]).astype(np.int64)
        flat *= width
        flat += np.searchsorted(distinct, block)
        total += np.bincount(flat, minlength=size * width)
    return total.reshape(size, width).astype(np.float64)


#: Makes the distinct scores (ascending) of ``rows`` and, when there are at most ``widest`` of
#: them, the ``(size, distinct)`` table of counts: ``(values, cells, rows, size, widest)``.
Tabling = Callable[[Floats, Ints, Bools | None, int, int], tuple[Floats, Floats | None]]


def _numpy_table(values: Floats, cells: Ints, rows: Bools | None, size: int, widest: int
                 ) -> tuple[Floats, Floats | None]:
    """The distinct scores by a sort of each block, the table by a binary search per score."""
    distinct = _distinct(values, rows)
    if len(distinct) > widest:
        return distinct, None
    return distinct, _counts(values, cells, rows, distinct, size)


#: Below this many scores the numpy path makes the table (the compiled one gains nothing).
_COMPILED_FROM: Final = 1 << 16
#: The most distinct scores the compiled path collects (RC scores, means of a few answers, have
#: some hundreds at most); more (a continuous custom scoring) go to the numpy path.
_HASHED_AT_MOST: Final = 1 << 14


@functools.cache
def _numba_table() -> Tabling | None:
    """The compiled distinct values and table, or ``None`` without numba (the ``fast`` extra).

    A first pass puts the bits of every chosen score into an open-addressing hash set (a
    float's bits name it, but for ``-0.0`` and NaN: a score of zero or NaN, or more distinct
    values than ``widest``, hands the whole step to the numpy path, which treats them as
    ``np.unique`` does); the set's values sorted are the distinct values.  A second pass
    counts each score in its cell's column of its value's rank, found in the same set."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def slot_of(key: Any, keys: Any, used: Any, shift: Any) -> int:
        mask = np.uint64(len(keys) - 1)
        slot = ((key * np.uint64(0x9E3779B97F4A7C15)) >> shift) & mask
        while used[slot] and keys[slot] != key:
            slot = (slot + np.uint64(1)) & mask
        return int(slot)

    @jit
    def collect(bits: Any, values: Any, rows: Any, every: bool, keys: Any, used: Any,
                shift: Any, widest: int) -> int:
        found = 0
        for r in range(len(bits)):
            if not every and not rows[r]:
                continue
            v = values[r]
            if v != v or v == 0.0:
                return -1
            key = np.uint64(bits[r])
            slot = slot_of(key, keys, used, shift)
            if not used[slot]:
                if found == widest:
                    return -1
                used[slot] = True
                keys[slot] = key
                found += 1
        return found

    @jit
    def count(bits: Any, cells: Any, rows: Any, every: bool, keys: Any, used: Any,
              shift: Any, rank: Any, width: int, table: Any) -> None:
        for r in range(len(bits)):
            if every or rows[r]:
                slot = slot_of(np.uint64(bits[r]), keys, used, shift)
                table[cells[r] * width + rank[slot]] += 1

    def run(values: Floats, cells: Ints, rows: Bools | None, size: int, widest: int
            ) -> tuple[Floats, Floats | None]:
        chosen = len(values) if rows is None else int(np.count_nonzero(rows))
        if chosen < _COMPILED_FROM or values.dtype != np.float64:
            return _numpy_table(values, cells, rows, size, widest)
        most = min(widest, chosen, _HASHED_AT_MOST)
        slots = 1 << max(4, (2 * most).bit_length())  # at most half full
        shift = np.uint64(64 - (slots.bit_length() - 1))
        keys = np.zeros(slots, dtype=np.uint64)
        used = np.zeros(slots, dtype=bool)
        every = rows is None
        picked = np.zeros(1, dtype=bool) if rows is None else rows
        values = np.ascontiguousarray(values)
        bits = values.view(np.int64)
        if collect(bits, values, picked, every, keys, used, shift, most) < 0:
            return _numpy_table(values, cells, rows, size, widest)
        distinct = np.sort(keys[used].view(np.float64))
        rank = np.zeros(slots, dtype=np.int64)
        rank[used] = np.searchsorted(distinct, keys[used].view(np.float64))
        width = len(distinct)
        table = np.zeros(size * width, dtype=np.int64)
        count(bits, cells, picked, every, keys, used, shift, rank, width, table)
        return distinct, table.reshape(size, width).astype(np.float64)

    return run


def _tabling(engine: str) -> Tabling:
    numpy_path: Tabling = _numpy_table
    return compiled_engine(engine, numpy_path, _numba_table,
                           purpose="the compiled spread table (engine='numba')")


def _from_sparse(group: Ints, value: Floats, counts: Floats, n_groups: int) -> list[Spread]:
    """The spread of each group ``0..n_groups-1`` from its scores' counts: entry ``e`` says
    group ``group[e]`` has ``counts[e]`` scores of ``value[e]``; entries lie by group, each
    group's ascending in value, no value twice in a group.  The formulas of the table's
    spreads, over the values a group has only."""
    n = np.asarray(np.bincount(group, weights=counts, minlength=n_groups), dtype=np.float64)
    running = np.cumsum(counts)  # integer counts: exact
    start = np.searchsorted(group, np.arange(n_groups))
    before = np.concatenate([np.zeros(1), running])[start]
    has = n > 0
    quantiles = []
    for q in _QUANTILES:
        low, high, t = _positions(n, q)
        picked = np.full(n_groups, np.nan)
        # the order statistic j of a group: its first value whose running count passes j
        at_low = np.searchsorted(running, before[has] + low[has], side="right")
        at_high = np.searchsorted(running, before[has] + high[has], side="right")
        picked[has] = _lerp(value[at_low], value[at_high], t[has])
        quantiles.append(picked)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(group, weights=counts * value, minlength=n_groups) / n
        deviation = value - mean[group]
        sd = np.sqrt(np.bincount(group, weights=counts * deviation * deviation,
                                 minlength=n_groups) / (n - 1))
    sd[np.bincount(group, minlength=n_groups) == 1] = 0.0  # one distinct value: no spread
    sd[n < 2] = np.nan
    return _spreads(sd, quantiles, n)


def _count_pairs(cells: Ints, ranks: Ints, width: int) -> tuple[Ints, Ints]:
    """The distinct keys ``cell * width + rank`` of the scores, ascending, and how many scores
    have each (one sort of the keys)."""
    key = cells.astype(np.int64)
    key *= width
    key += ranks
    key.sort()
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    return key[starts], np.diff(np.append(starts, len(key)))


@attrs.frozen(eq=False)
class CellValueCounts:
    """How many scores of each value the ``size`` cells hold: the distinct scores ``values``
    (ascending) and, for every ``(cell, value)`` pair that occurs, the ``cell``, the ``rank``
    of the value in ``values`` and the ``count`` of such scores.  Its size is that of the pairs,
    not of the scores: RC scores, means of a few answers, take few values.

    Made from [`CellScores`][relcoord.metrics.scores.spread.CellScores] by
    [`of`][relcoord.metrics.scores.spread.CellValueCounts.of]; the counts of disjoint sets of cells
    join with [`combined`][relcoord.metrics.scores.spread.CellValueCounts.combined].  It gives the
    spread of any set of cells as `CellScores` does
    ([`occupied`][relcoord.metrics.scores.spread.CellValueCounts.occupied],
    [`of_sets`][relcoord.metrics.scores.spread.CellValueCounts.of_sets],
    [`of_groups`][relcoord.metrics.scores.spread.CellValueCounts.of_groups]): the same order
    statistics, and the same SD to rounding;
    [`spreads`][relcoord.metrics.scores.spread.CellValueCounts.spreads] gives the one
    `CellScores` would use, to the last bit where it counts in a table.
    """

    size: int
    values: Floats
    cell: npt.NDArray[np.int32]
    rank: npt.NDArray[np.int32]
    count: npt.NDArray[np.int64]

    @classmethod
    def of(cls, scores: CellScores) -> CellValueCounts:
        """The counts of ``scores``' values per cell (read from its table when it has one)."""
        count: npt.NDArray[Any]
        if scores.table is not None:
            cell, rank = np.nonzero(scores.table)
            count = scores.table[cell, rank]
        else:
            width = max(len(scores.distinct), 1)
            key, count = _count_pairs(scores.cells, scores.rank, width)
            cell, rank = np.divmod(key, width)
        return cls(size=scores.size, values=scores.distinct, cell=cell.astype(np.int32),
                   rank=rank.astype(np.int32), count=np.asarray(count, dtype=np.int64))

    @classmethod
    def combined(cls, parts: Sequence[CellValueCounts], places: Sequence[Ints], size: int
                 ) -> CellValueCounts:
        """The counts of ``parts`` (of disjoint sets of cells) in one set of ``size`` cells, where
        ``places[i][c]`` is the cell that cell ``c`` of ``parts[i]`` becomes."""
        values = np.asarray(np.unique(np.concatenate(
            [np.zeros(0), *(p.values for p in parts)])), dtype=np.float64)
        cells = [np.asarray(where, dtype=np.int64)[p.cell] for p, where in zip(parts, places,
                                                                             strict=True)]
        ranks = [np.searchsorted(values, p.values)[p.rank] for p in parts]
        return cls(size=size, values=values,
                   cell=np.concatenate([np.zeros(0, dtype=np.int32), *cells]).astype(np.int32),
                   rank=np.concatenate([np.zeros(0, dtype=np.int32), *ranks]).astype(np.int32),
                   count=np.concatenate([np.zeros(0, dtype=np.int64), *(p.count for p in parts)]))

    @property
    def nbytes(self) -> int:
        """The bytes of its arrays."""
        return int(self.values.nbytes + self.cell.nbytes + self.rank.nbytes + self.count.nbytes)

    def spreads(self, table_size: int) -> CellScores | CellValueCounts:
        """The spreads of these cells' scores as
        [`CellScores`][relcoord.metrics.scores.spread.CellScores] of the scores with
        ``table_size`` gives them: its table of counts (the same spreads to the last bit) when it
        would count in a table, else these counts (the same order statistics; the SD to
        rounding, where `CellScores` adds the scores in ascending order)."""
        if len(self.values) > CellScores.widest(table_size):
            return self
        table = np.zeros((self.size, len(self.values)))
        table[self.cell, self.rank] = self.count
        return CellScores.of_table(self.values, table)

    def occupied(self) -> dict[int, Spread]:
        """The spread of each cell that has scores, by cell."""
        present = np.flatnonzero(np.bincount(self.cell, minlength=self.size))
        groups = np.full(self.size, -1, dtype=np.int64)
        groups[present] = np.arange(len(present))
        return dict(zip(present.tolist(), self.of_groups(groups, len(present)), strict=True))

    def of_sets(self, sets: Bools) -> list[Spread]:
        """The spread of the scores in each set of cells: row ``i`` of ``sets`` (``(m, size)``)
        marks the cells of set ``i``."""
        return [self.of_groups(np.where(row, 0, -1), 1)[0] for row in sets]

    def of_groups(self, group: Ints, n_groups: int) -> list[Spread]:
        """The spread of the scores in each of ``n_groups`` disjoint sets of cells: ``group[c]``
        is the set of cell ``c`` (``-1``: in none)."""
        chosen = np.asarray(group, dtype=np.int64)[self.cell]
        keep = chosen >= 0
        width = max(len(self.values), 1)
        key = chosen[keep]
        key *= width
        key += self.rank[keep]
        order = np.argsort(key, kind="stable")
        key = key[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        counts = np.asarray(np.bincount(np.cumsum(first) - 1,
                                        weights=self.count[keep][order].astype(np.float64)),
                            dtype=np.float64)
        which, rank = np.divmod(key[first], width)
        return _from_sparse(which, self.values[rank], counts, n_groups)


def grouped_spreads(values: Floats, groups: Ints, n_groups: int) -> list[Spread]:
    """[`spread_of`][relcoord.metrics.scores.spread.spread_of] of the scores of each group
    ``0..n_groups-1`` (``values`` without NaN; ``groups`` the group of each score, -1 for none)."""
    keep = groups >= 0
    return CellScores(values[keep], groups[keep], n_groups).per_cell()


def spread_of(values: Floats) -> Spread:
    """SD (``ddof=1``; ``None`` for fewer than two scores), median and quartiles (type 7;
    ``None`` without scores) of ``values`` (no NaN)."""
    return _from_order(np.sort(values), np.array([len(values)], dtype=np.int64))[0]
