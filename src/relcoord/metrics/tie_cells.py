"""Tie cells: the ratings grouped by rater role, target role and wave.

Every RC figure is a mean over the ratings of some tie cells (Gittell 2016, appendix: a tie
A->B is the mean over the respondents in role A of their ratings of role B), and the
minimum-respondent rule asks, for the same cells, how many distinct respondents stand
behind each figure.  [`TieCells`][relcoord.metrics.tie_cells.TieCells] is the one place where
ratings are grouped into cells and where distinct respondents are counted; the scores
([`relcoord.metrics.scores`][relcoord.metrics.scores]), the privacy rule
([`relcoord.privacy`][relcoord.privacy]) and the agreement of raters
([`relcoord.metrics.reliability`][relcoord.metrics.reliability]) all read their cells from it.

The cells form a grid of ``n_roles x n_roles x n_waves``: rater role (the source), target
role, and wave slot, where slot 0 holds the ratings without a wave and slot ``i + 1`` those
of ``ratings.waves[i]``; with the waves pooled (``by_wave=False``) the grid has one slot.
A rating row's cell code is ``(source * n_roles + target) * n_waves + slot``, so with the
waves pooled it is ``source * n_roles + target``, and ``code // n_waves`` is always the tie.

Per cell it gives the rating rows, the sums and counts behind each score (the respondent-tie
RC, the two sub-indices and each item, over the ratings that count under ``min_items``) and
the distinct respondents among any subset of the rows.  A rating without a respondent (a
workshop group rating as a group) is a respondent of its own.  Distinct respondents over a
*set* of cells (a role's row of the tie matrix, the network) are counted from who rated
what ([`TieCells.respondents_in`][relcoord.metrics.tie_cells.TieCells.respondents_in],
[`TieCells.respondents_by_role`][relcoord.metrics.tie_cells.TieCells.respondents_by_role]), since a
respondent who rates several roles is one respondent.

Every per-cell array lies on the grid the study's roles and waves define, not on the rows,
so the arrays of two studies with the same roles and waves add cell by cell: rating rows,
sums and counts always, distinct respondents per cell when no respondent is in both.
Counts over a set of cells do not add that way (a respondent in both parts counts once);
they need the respondents themselves.

With many roles the grid is mostly empty (2,000 roles: four million cells, 150,000 of them
rated); [`TieCells.occupied`][relcoord.metrics.tie_cells.TieCells.occupied] gives the same
per-cell arrays at the rated cells only
([`OccupiedCells`][relcoord.metrics.tie_cells.OccupiedCells]), equal to the grid's to the last
bit, which is what the scores read.

Everything is vectorised numpy on the study's integer codes (``np.bincount`` over cell
codes); no Python loop runs per rating.
"""

from __future__ import annotations

import functools
from typing import Any, Final, Protocol

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.model import Study
from relcoord.row_blocks import in_row_blocks

__all__ = ["CellSums", "OccupiedCells", "RespondentTieValues", "TieCells"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
#: Per cell: the sum of a score's values and how many values there are (as floats).
CellSums = tuple[Floats, Floats]


class RespondentTieValues(Protocol):
    """The per-rating scores the cell sums read, aligned with ``study.ratings`` rows (NaN
    where a score is absent);
    [`RespondentTieScores`][relcoord.metrics.scores.respondent_ties.RespondentTieScores] has them.
    ``counted`` marks the ratings that count (at least ``min_items`` answered)."""

    @property
    def rc(self) -> Floats: ...

    @property
    def communication(self) -> Floats: ...

    @property
    def relationship(self) -> Floats: ...

    @property
    def answered(self) -> npt.NDArray[np.signedinteger[Any]]: ...

    @property
    def counted(self) -> Bools: ...


#: A respondent-by-(target, wave) count spots repeated ratings (one respondent rating one
#: cell twice, e.g. in two waves pooled) while it needs at most this many counters, or four
#: per rating row if that is more; above it the rows are sorted instead.
_DENSE_LIMIT: Final = 1 << 22

#: Above this many respondent x (target, wave) entries, distinct respondents over a set of
#: cells are counted row by row instead of through a presence matrix (memory over speed).
_PRESENCE_LIMIT: Final = 20_000_000

#: Rows per block when compact cell codes are counted (see `TieCells.ratings_in`).
_COUNT_BLOCK: Final = 1 << 20

#: From this many rating rows on, [`_block_sums`][relcoord.metrics.tie_cells._block_sums] uses one
#: sparse product.
_SPARSE_FROM: Final = 65_536


#: Cell codes: ``int64``, or the smallest type that holds them (``TieCells.of(compact=True)``).
CellCodes = npt.NDArray[np.signedinteger[Any]]


def _code_dtype(size: int) -> type[np.signedinteger[Any]]:
    """The smallest signed integer type that holds the cell codes ``0 .. size - 1``."""
    for kind in (np.int16, np.int32):
        if size <= np.iinfo(kind).max:
            return kind
    return np.int64


@attrs.frozen(eq=False)
class TieCells:
    """The rating rows of ``study`` in tie cells, and per cell what every figure needs.

    Build it with [`of`][relcoord.metrics.tie_cells.TieCells.of].  ``codes`` holds the cell of every
    rating row (see the module docstring for the layout); ``respondent_ties``, when given, supply
    the scores whose per-cell sums [`rc`][relcoord.metrics.tie_cells.TieCells.rc],
    [`communication`][relcoord.metrics.tie_cells.TieCells.communication],
    [`relationship`][relcoord.metrics.tie_cells.TieCells.relationship] and
    [`items`][relcoord.metrics.tie_cells.TieCells.items] are, and decide which rows count.
    Everything per cell is computed on first use and kept.
    """

    study: Study
    n_waves: int
    codes: CellCodes
    respondent_ties: RespondentTieValues | None = None

    @classmethod
    def of(
        cls,
        study: Study,
        *,
        by_wave: bool = False,
        respondent_ties: RespondentTieValues | None = None,
        compact: bool = False,
    ) -> TieCells:
        """The cells of ``study``'s ratings: ties, or ties in one wave with ``by_wave``.

        ``respondent_ties``: the respondent-tie scores of ``study`` (rows that do not count
        under ``min_items`` count nowhere); without them every row counts and only the
        rows and respondents per cell are available.  ``compact`` codes the cells in the
        smallest signed integer type that holds them (two bytes a row for a survey of up to
        181 roles, instead of eight), for a caller that only indexes with the codes and
        counts or sums per cell (the scores); the codes' own methods here widen them before
        any arithmetic.
        """
        ratings = study.ratings
        if respondent_ties is not None and len(respondent_ties.counted) != len(ratings):
            raise ValueError("respondent_ties belong to another study")
        n_waves = len(ratings.waves) + 1 if by_wave else 1  # wave code -1 (none): slot 0
        size = len(study.roles) * len(study.roles) * n_waves
        codes = np.empty(len(ratings), dtype=_code_dtype(size) if compact else np.int64)

        def block(start: int, stop: int) -> None:
            # built in place, one array of n codes; a row's code is its own (numpy's
            # arithmetic releases the GIL, so blocks of rows run in threads)
            part = codes[start:stop]
            part[:] = ratings.source[start:stop]
            part *= len(study.roles)
            part += ratings.target[start:stop]
            if by_wave:
                part *= n_waves
                part += ratings.wave[start:stop]
                part += 1

        in_row_blocks(len(ratings), block)
        return cls(study=study, n_waves=n_waves, codes=codes, respondent_ties=respondent_ties)

    # --- the grid ----------------------------------------------------------------------

    @property
    def n_roles(self) -> int:
        """Roles of the study, in ``study.role_ids`` order: the grid's first two axes."""
        return len(self.study.roles)

    @property
    def size(self) -> int:
        """The number of cells, ``n_roles * n_roles * n_waves``."""
        return self.n_roles * self.n_roles * self.n_waves

    @property
    def counted(self) -> Bools | None:
        """The rating rows that count (``None``: every row)."""
        return None if self.respondent_ties is None else self.respondent_ties.counted

    @functools.cached_property
    def _role_index(self) -> dict[str, int]:
        return {role_id: i for i, role_id in enumerate(self.study.role_ids)}

    @functools.cached_property
    def _wave_slot(self) -> dict[str | None, int]:
        if self.n_waves == 1:
            return {}
        return {None: 0, **{w: i + 1 for i, w in enumerate(self.study.ratings.waves)}}

    def code(self, source: str, target: str, wave: str | None = None) -> int:
        """The cell code of the tie ``source -> target`` in ``wave`` (ignored when the waves
        are pooled); `KeyError` for an unknown role or wave."""
        index = self._role_index
        pair = index[source] * self.n_roles + index[target]
        return pair * self.n_waves + (self._wave_slot[wave] if self.n_waves > 1 else 0)

    # --- rows and sums -----------------------------------------------------------------

    @functools.cached_property
    def ratings(self) -> Ints:
        """Rating rows per cell, every row (counted or not)."""
        return self.ratings_in(None)

    def ratings_in(self, rows: Bools | None) -> Ints:
        """Rating rows per cell among ``rows`` (a mask over the rating rows; ``None``: all)."""
        codes = self.codes if rows is None else self.codes[rows]
        if codes.dtype == np.intp:
            return np.asarray(np.bincount(codes, minlength=self.size), dtype=np.int64)
        # compact codes: np.bincount would widen them all at once (eight bytes a row);
        # block by block it widens one block at a time (integer counts: the same)
        counts = np.zeros(self.size, dtype=np.int64)
        for start in range(0, len(codes), _COUNT_BLOCK):
            counts += np.bincount(codes[start:start + _COUNT_BLOCK], minlength=self.size)
        return counts

    def sums(self, values: Floats) -> CellSums:
        """Per cell, the sum and the number of the values that are not NaN.

        ``values`` holds one value per rating row.  The sums are ``np.bincount`` sums, which
        add each cell's values in row order.
        """
        return _sum_count(self.codes, values, self.size)

    def _scores(self) -> RespondentTieValues:
        if self.respondent_ties is None:
            raise ValueError("these tie cells were built without respondent_ties")
        return self.respondent_ties

    @functools.cached_property
    def rc(self) -> CellSums:
        """Sum and number of the respondent-tie RC values per cell (counted rows)."""
        return self.sums(self._scores().rc)

    @functools.cached_property
    def communication(self) -> CellSums:
        """Sum and number of the communication sub-index values per cell."""
        return self.sums(self._scores().communication)

    @functools.cached_property
    def relationship(self) -> CellSums:
        """Sum and number of the relationship sub-index values per cell."""
        return self.sums(self._scores().relationship)

    @functools.cached_property
    def items(self) -> tuple[CellSums, ...]:
        """Per item (``study.instrument.keys`` order), sum and number of its answers per cell
        over the counted rows."""
        return _item_sums(self.codes, self.size, self.ratings, self._scores(),
                          self.study.ratings.scores)

    # --- distinct respondents per cell -------------------------------------------------

    @functools.cached_property
    def _no_repeats(self) -> bool:
        """Whether no respondent has two rows in one cell."""
        ratings = self.study.ratings
        return _single_rows(self._repeat_keys(), ratings.respondent)

    def _repeat_keys(self) -> Ints | None:
        """Per row ``respondent * per_source + (target, wave)``: two rows of one respondent in
        one cell share it (a respondent has one role); ``None`` when that range is too
        large to count (see [`_DENSE_LIMIT`][relcoord.metrics.tie_cells._DENSE_LIMIT])."""
        ratings = self.study.ratings
        people = ratings.respondent
        top = int(people.max()) if len(people) else -1
        if top < 0:
            return np.zeros(0, dtype=np.int64)
        per_source = max(1, self.n_roles * self.n_waves)
        if (top + 1) * per_source > max(_DENSE_LIMIT, 4 * len(people)):
            return None
        return self._column_keys(people, None, per_source)

    def _column_keys(self, people: npt.NDArray[np.int32], rows: Bools | None, width: int
                     ) -> Ints:
        """``respondent * width + column`` of every rating row among ``rows`` (``None``:
        all), where a row's column is its cell code without the rater role,
        ``target * n_waves + slot``; ``people`` holds the rows' respondents."""
        ratings = self.study.ratings
        key = people.astype(np.int64)  # built in place: one array of keys
        key *= width
        if self.n_waves == 1:
            key += ratings.target if rows is None else ratings.target[rows]
            return key
        column = (ratings.target if rows is None else ratings.target[rows]).astype(np.int64)
        column *= self.n_waves
        column += ratings.wave if rows is None else ratings.wave[rows]
        column += 1
        key += column
        return key

    @functools.cached_property
    def _sorted(self) -> _SortedRows:
        return _SortedRows.of(self.codes, self.study.ratings.respondent)

    def respondents(self, rows: Bools | None = None) -> Ints:
        """Distinct respondents per cell among ``rows`` (default: the rows that count).

        When no respondent rates a cell twice (the usual case: a respondent rates a tie
        once) the distinct respondents are the rows, one ``np.bincount``; otherwise the rows
        are sorted once by ``(cell, respondent)`` and every subset is counted in a linear
        pass over that order.
        """
        rows = self.counted if rows is None else rows
        if self._no_repeats:
            return self.ratings_in(rows)
        return self._sorted.distinct(rows, self.size)

    # --- distinct respondents over a set of cells --------------------------------------

    @functools.cached_property
    def _presence(self) -> _Presence:
        return _Presence.of(self)

    def respondents_in(self, cells: Bools | None = None, rows: Bools | None = None) -> int:
        """Distinct respondents with a row among ``rows`` in any of ``cells``.

        ``cells`` is a mask over the [`size`][relcoord.metrics.tie_cells.TieCells.size] cells
        (``None``: all); ``rows`` a mask over the rating rows (``None``: the rows that count).
        """
        if rows is None:
            return self._presence.distinct(np.ones(self.size, dtype=bool) if cells is None
                                           else cells)
        people = self.study.ratings.respondent
        chosen = rows if cells is None else rows & cells[self.codes]
        named = chosen & (people >= 0)
        anonymous = int(np.count_nonzero(chosen)) - int(np.count_nonzero(named))
        return anonymous + int(np.count_nonzero(np.bincount(people[named], minlength=1)))

    def respondents_by_role(self) -> tuple[Ints, Ints]:
        """Per role, among the rows that count: its own respondents who rated another role,
        and the respondents of other roles who rated it."""
        return self._presence.per_role()

    # --- the occupied cells ------------------------------------------------------------

    @functools.cached_property
    def occupied(self) -> OccupiedCells:
        """The cells that hold rating rows, numbered in cell order: every per-cell figure
        read only where there are ratings, at the cost of those cells instead of the grid's
        (at 2,000 roles 150,000 rated cells of a 4-million-cell grid)."""
        return OccupiedCells.of(self)


@attrs.frozen(eq=False)
class OccupiedCells:
    """The cells of a [`TieCells`][relcoord.metrics.tie_cells.TieCells] grid that hold rating rows
    (counted or not), numbered ``0..n-1`` in cell order, and per such cell what the grid gives per
    cell.

    ``cells`` holds the grid code of each occupied cell (ascending) and ``codes`` the number of the
    occupied cell of every rating row.  Each per-cell array equals the grid's array at ``cells``,
    to the last bit: a cell's sums add the same values in the same (row) order, only the empty
    cells are left out.  Build it with
    [`TieCells.occupied`][relcoord.metrics.tie_cells.TieCells.occupied].
    """

    grid: TieCells
    cells: Ints
    codes: CellCodes
    ratings: Ints

    @classmethod
    def of(cls, grid: TieCells) -> OccupiedCells:
        """The occupied cells of ``grid``: one ``np.bincount`` over the rows and a lookup from
        grid code to number (no sort)."""
        per_cell = grid.ratings
        cells = np.flatnonzero(per_cell).astype(np.int64)
        if len(cells) == grid.size:  # every cell rated (a survey of few roles): the grid
            return cls(grid=grid, cells=cells, codes=grid.codes, ratings=per_cell)
        small = np.int32 if len(cells) < np.iinfo(np.int32).max else np.int64
        if grid.codes.dtype != np.int64:  # compact grid codes: as compact occupied numbers
            small = grid.codes.dtype.type
        number = np.full(grid.size, -1, dtype=small)
        number[cells] = np.arange(len(cells), dtype=small)
        codes: CellCodes = np.asarray(number[grid.codes], dtype=small)
        if grid.codes.dtype == np.int64:
            codes = codes.astype(np.int64)
        return cls(grid=grid, cells=cells, codes=codes, ratings=per_cell[cells])

    @property
    def size(self) -> int:
        """The number of occupied cells."""
        return len(self.cells)

    def number(self, grid_codes: Ints) -> Ints:
        """The number of the occupied cell of each of ``grid_codes``, -1 where that cell holds
        no rating rows."""
        at = np.searchsorted(self.cells, grid_codes)
        inside = at < len(self.cells)
        found = np.zeros(len(at), dtype=bool)
        found[inside] = self.cells[at[inside]] == grid_codes[inside]
        return np.where(found, at, -1).astype(np.int64)

    def on_grid(self, mask: Bools) -> Bools:
        """A mask over the occupied cells as a mask over the whole grid (empty cells
        ``False``)."""
        full = np.zeros(self.grid.size, dtype=bool)
        full[self.cells[mask]] = True
        return full

    def sums(self, values: Floats) -> CellSums:
        """[`TieCells.sums`][relcoord.metrics.tie_cells.TieCells.sums] at the occupied cells."""
        return _sum_count(self.codes, values, self.size)

    @functools.cached_property
    def rc(self) -> CellSums:
        """[`TieCells.rc`][relcoord.metrics.tie_cells.TieCells.rc] at the occupied cells."""
        return self.sums(self.grid._scores().rc)

    @functools.cached_property
    def communication(self) -> CellSums:
        """[`TieCells.communication`][relcoord.metrics.tie_cells.TieCells.communication] at the
        occupied cells."""
        return self.sums(self.grid._scores().communication)

    @functools.cached_property
    def relationship(self) -> CellSums:
        """[`TieCells.relationship`][relcoord.metrics.tie_cells.TieCells.relationship] at the
        occupied cells."""
        return self.sums(self.grid._scores().relationship)

    @functools.cached_property
    def items(self) -> tuple[CellSums, ...]:
        """[`TieCells.items`][relcoord.metrics.tie_cells.TieCells.items] at the occupied cells."""
        return _item_sums(self.codes, self.size, self.ratings, self.grid._scores(),
                          self.grid.study.ratings.scores)

    def respondents(self) -> Ints:
        """[`TieCells.respondents`][relcoord.metrics.tie_cells.TieCells.respondents] (of the rows
        that count) at the occupied cells."""
        grid = self.grid
        rows = grid.counted
        if grid._no_repeats:
            codes = self.codes if rows is None else self.codes[rows]
            return np.asarray(np.bincount(codes, minlength=self.size), dtype=np.int64)
        # the keys (cell, respondent) sorted: each run of one key is one respondent of one
        # cell, a row without respondent (key part 0) one of its own; a sort of the keys, not
        # of the rows (no order needed: only how many runs each cell has)
        people = grid.study.ratings.respondent
        codes, people = (self.codes, people) if rows is None else (self.codes[rows], people[rows])
        width = int(people.max()) + 2 if len(people) else 1
        key = codes.astype(np.int64)  # compact codes widen before the product
        key *= width
        key += people
        key += 1
        key.sort()
        counted = np.ones(len(key), dtype=bool)
        counted[1:] = key[1:] != key[:-1]
        counted |= key % width == 0
        return np.bincount(key[counted] // width, minlength=self.size).astype(np.int64)


def _item_sums(codes: Ints, size: int, per_cell: Ints, per: RespondentTieValues,
               values: Floats) -> tuple[CellSums, ...]:
    """Per item (columns of the ``(n, d)`` block ``values``, read in place), sum and number of
    its answers per cell over the counted rows; ``per_cell`` holds the rows per cell."""
    n, n_items = values.shape
    if bool((per.answered == n_items).all()) and bool(per.counted.all()):
        # every row counts and answered every item: each item's count is the row count
        every = per_cell.astype(np.float64)
        block = _block_sums(codes, values, size)
        return tuple((np.ascontiguousarray(block[:, j]), every) for j in range(n_items))
    if n < _SPARSE_FROM:
        return tuple(
            _sum_count(codes, np.where(per.counted, values[:, j], np.nan), size)
            for j in range(n_items)
        )
    sums, counts = _answered_block_sums(codes, values, per.counted, size)
    return tuple((np.ascontiguousarray(sums[:, j]), np.ascontiguousarray(counts[:, j]))
                 for j in range(n_items))


#: Rows per chunk of [`_answered_block_sums`][relcoord.metrics.tie_cells._answered_block_sums]:
#: its temporaries are two float blocks of this many rows (about 14 MiB at 7 items).
_CHUNK_ROWS: Final = 1 << 18


def _answered_block_sums(cell: Ints, values: Floats, counted: Bools,
                         size: int) -> tuple[Floats, Floats]:
    """Per cell and item, the sum and the number of the answers (not NaN) of the ``counted``
    rows of the ``(n, d)`` block ``values``: two ``(size, d)`` arrays.

    The rows are read chunk by chunk (the block row by row, as
    [`_block_sums`][relcoord.metrics.tie_cells._block_sums] reads it, never a strided column)
    and each chunk's sums are added, without one masked copy of each column.  Item values
    of every built-in scale are small multiples of the scale step, so their sums are exact
    in float64 and these are the sums of ``np.bincount`` per item, bit for bit; for any
    scale the result depends on the row order alone, as ``np.bincount``'s does.
    """
    from scipy import sparse  # imported here: only large studies take this path

    n, d = values.shape
    sums = np.zeros((size, d))
    counts = np.zeros((size, d))
    weight = counted.astype(np.float64)
    for start in range(0, n, _CHUNK_ROWS):
        stop = min(start + _CHUNK_ROWS, n)
        chunk = values[start:stop]
        answered = ~np.isnan(chunk)
        member = sparse.csc_array(
            (weight[start:stop], cell[start:stop], np.arange(stop - start + 1)),
            shape=(size, stop - start))
        sums += member @ np.where(answered, chunk, 0.0)
        counts += member @ answered.astype(np.float64)
    return sums, counts


def _sum_count(cell: Ints, values: Floats, size: int) -> CellSums:
    ok = ~np.isnan(values)
    if ok.all():
        sums = np.bincount(cell, weights=values, minlength=size)
        counts = np.bincount(cell, minlength=size)
    else:
        sums = np.bincount(cell, weights=np.where(ok, values, 0.0), minlength=size)
        counts = np.bincount(cell, weights=ok, minlength=size)
    return sums.astype(np.float64, copy=False), counts.astype(np.float64, copy=False)


def _block_sums(cell: Ints, values: Floats, size: int) -> Floats:
    """Per cell, the sum of each column of the ``(n, d)`` block ``values``: ``(size, d)``.

    For many rows this is one product with the sparse ``size x n`` cell-membership matrix
    (scipy's CSC kernel walks the rows in order, adding each row to its cell: the same
    additions in the same order as ``np.bincount``, so the same sums, bit for bit), which
    reads the block row by row instead of copying each strided column for ``np.bincount``
    (about 3x faster at 800,000 x 7).
    """
    n, d = values.shape
    if n < _SPARSE_FROM:
        columns = [np.bincount(cell, weights=values[:, j], minlength=size) for j in range(d)]
        return np.asarray(np.column_stack(columns), dtype=np.float64).reshape(size, d)
    from scipy import sparse  # imported here: only large studies take this path

    member = sparse.csc_array((np.ones(n), cell, np.arange(n + 1)), shape=(size, n))
    return np.asarray(member @ values, dtype=np.float64)


def _single_rows(keys: Ints | None, people: npt.NDArray[np.int32]) -> bool:
    """Whether no two named rows share a repeat key (see
    [`TieCells._repeat_keys`][relcoord.metrics.tie_cells.TieCells._repeat_keys]), checked with one
    ``np.bincount`` instead of a sort; ``False`` when the keys were too many to count."""
    if keys is None:
        return False
    if len(keys) and int(people.min()) < 0:
        keys = keys[people >= 0]
    return not len(keys) or int(np.bincount(keys, minlength=1).max()) <= 1


@attrs.frozen(eq=False)
class _SortedRows:
    """Rating rows sorted by ``(cell, respondent)``: ``order`` and the sorted keys.

    The rows of one respondent in one cell form a group; a row without respondent is a
    group of its own.  A subset's distinct respondents per cell are its groups, counted in
    one linear pass over this order (no sort per subset).
    """

    order: Ints
    keys: Ints
    cells: Ints
    anonymous: Bools

    @classmethod
    def of(cls, codes: Ints, people: npt.NDArray[np.int32]) -> _SortedRows:
        n_people = int(people.max()) + 2 if len(people) else 1
        keys = codes.astype(np.int64) * n_people + (people.astype(np.int64) + 1)  # -1: 0
        order = np.argsort(keys, kind="stable")
        return cls(order=order, keys=keys[order], cells=codes[order],
                   anonymous=people[order] < 0)

    def distinct(self, rows: Bools | None, size: int) -> Ints:
        if rows is None:
            keys, cells, anonymous = self.keys, self.cells, self.anonymous
        else:
            chosen = rows[self.order]
            keys, cells, anonymous = self.keys[chosen], self.cells[chosen], self.anonymous[chosen]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        counted = first | anonymous
        return np.bincount(cells[counted], minlength=size).astype(np.int64)


@attrs.frozen(eq=False)
class _Presence:
    """Who rated what among the rows that count, for counts over sets of cells.

    ``presence[p, c]`` is 1 when respondent ``p`` has a counted rating in column ``c`` of
    the grid's rater rows (``c`` = target and wave slot; a respondent's row is their role);
    ``anonymous`` counts per cell the counted ratings without respondent, each its own
    respondent.  ``presence`` is None for a study too large for it; then every count is
    taken from the rows.
    """

    cells: TieCells
    owner: npt.NDArray[np.intp]
    presence: npt.NDArray[np.float32] | None
    anonymous: Ints
    rows: Bools
    people: npt.NDArray[np.int32]

    @classmethod
    def of(cls, cells: TieCells) -> _Presence:
        study = cells.study
        k, n_people = cells.n_roles, len(study.respondents)
        per_source = k * cells.n_waves
        index = {role_id: i for i, role_id in enumerate(study.role_ids)}
        owner = np.array([index[p.role] for p in study.respondents], dtype=np.intp)
        person = study.ratings.respondent
        counted = cells.counted
        rows = np.ones(len(person), dtype=bool) if counted is None else counted
        named = rows & (person >= 0)
        anonymous = np.bincount(cells.codes[rows & (person < 0)], minlength=cells.size)
        presence = None
        if n_people * per_source <= _PRESENCE_LIMIT:
            key = cells._column_keys(person[named], named, per_source)
            seen = np.bincount(key, minlength=n_people * per_source) > 0
            presence = seen.astype(np.float32).reshape(n_people, per_source)
        return cls(cells=cells, owner=owner, presence=presence,
                   anonymous=anonymous.astype(np.int64), rows=rows, people=person)

    def distinct(self, mask: Bools) -> int:
        """Distinct respondents with a counted rating in the cells of ``mask``."""
        anonymous = int(self.anonymous[mask].sum())
        if not len(self.owner):
            return anonymous
        if self.presence is not None:
            # a respondent of role A counts when a cell it rated lies in row A of the mask
            k = self.cells.n_roles
            rows = mask.reshape(k, -1).astype(np.float32)
            hits = np.einsum("pk,pk->p", self.presence, rows[self.owner])
            return anonymous + int(np.count_nonzero(hits > 0))
        codes = self.cells.codes
        rows_used = self.rows & mask[codes] & (self.people >= 0)
        return anonymous + int(np.count_nonzero(np.bincount(self.people[rows_used])))

    def per_role(self) -> tuple[Ints, Ints]:
        """Per role: own respondents who rated another role; others' respondents who rated it."""
        k, n_waves = self.cells.n_roles, self.cells.n_waves
        off = ~np.eye(k, dtype=bool)
        as_rater = np.zeros(k, dtype=np.int64)
        as_target = np.zeros(k, dtype=np.int64)
        anonymous = self.anonymous.reshape(k, k, n_waves).sum(axis=2) * off
        if len(self.owner) and self.presence is not None:
            others = _targets_rated(self.presence, k, n_waves)
            others *= off[self.owner].astype(np.float32)
            active = others.sum(axis=1) > 0
            as_rater = np.bincount(self.owner[active], minlength=k).astype(np.int64)
            as_target = np.rint(others.sum(axis=0)).astype(np.int64)
        elif len(self.owner):  # too many respondents x roles for a matrix: the pairs rated
            pairs = self._pairs_rated()
            person, role = np.divmod(pairs, k)
            other = role != self.owner[person]
            as_rater = np.bincount(self.owner[_distinct(person[other])],
                                   minlength=k).astype(np.int64)
            as_target = np.bincount(role[other], minlength=k).astype(np.int64)
        return as_rater + anonymous.sum(axis=1), as_target + anonymous.sum(axis=0)

    def _pairs_rated(self) -> Ints:
        """``respondent * roles + target`` of every (respondent, role) pair with a counted
        rating, each once, ascending."""
        k, n_waves = self.cells.n_roles, self.cells.n_waves
        rows = self.rows & (self.people >= 0)
        key = self.people[rows].astype(np.int64) * k + (self.cells.codes[rows] // n_waves) % k
        return _distinct(key)


def _distinct(values: Ints) -> Ints:
    """The distinct ``values``, ascending: ``np.unique`` by one sort and a comparison of
    neighbours (``np.unique`` hashes integers since numpy 2.3, several times slower on a
    million keys)."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]



def _targets_rated(presence: npt.NDArray[np.float32], k: int, n_waves: int
                   ) -> npt.NDArray[np.float32]:
    """``(respondents, roles)``: 1 where the respondent rated the role in any wave."""
    if n_waves == 1:
        return presence.copy()
    return np.asarray(presence.reshape(-1, k, n_waves).max(axis=2), dtype=np.float32)
