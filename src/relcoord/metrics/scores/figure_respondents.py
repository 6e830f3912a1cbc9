"""Figure respondents: the distinct respondents behind an aggregate figure and behind each role.

An aggregate figure (the network, within and between, an organisation's internal or external
ties) is a mean over a set of tie cells, and its ``n_respondents`` counts the people with a
counted rating in any of them, each once however many of its cells they rated (a rating without
a respondent counts as one).  A role's ``n_respondents`` and ``n_raters`` count its own people who
rated another role and the other roles' people who rated it.
[`TieCells.respondents_in`][relcoord.metrics.tie_cells.TieCells.respondents_in] and
[`TieCells.respondents_by_role`][relcoord.metrics.tie_cells.TieCells.respondents_by_role] give
them from a respondent x column matrix of 32-bit floats; with numba (the ``fast`` extra)
[`FigureRespondents`][relcoord.metrics.scores.figure_respondents.FigureRespondents] gives the same
counts from one compiled pass over the rows that sets, per respondent, one bit per column of the
grid they rated (a column is a target role in one wave slot; a respondent's row of the grid is
their role, as the study's checks ensure), 64 columns to a word: a 64th of that matrix, made
without a per-row key.  A figure then reads each respondent's words against the mask of its cells
in their role's row, and each cell's distinct respondents are the words' bits set in it (a
respondent who rated a cell twice sets its bit once).

The counts are integers, so both ways give the same numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from relcoord.metrics.tie_cells import OccupiedCells
from relcoord.optional_dependencies import compiled_engine, numba_jit

__all__ = ["FigureRespondents"]

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Words = npt.NDArray[np.uint64]

#: The most bytes the respondents' bit words may take; above it the numpy path counts.
_WORDS_LIMIT: Final = 1 << 26

#: A 64-bit de Bruijn sequence B(2, 6) and, per value of the top six bits of ``B << i``, the
#: bit position ``i``: the position of a word's lowest bit in three operations (Leiserson,
#: Prokop & Randall 1998, "Using de Bruijn sequences to index a 1 in a computer word").
_DE_BRUIJN: Final = 0x03F79D71B4CB0A89
_DE_BRUIJN_POSITIONS: Final = np.zeros(64, dtype=np.int64)
_DE_BRUIJN_POSITIONS[[((_DE_BRUIJN << i) & (2**64 - 1)) >> 58 for i in range(64)]] = np.arange(64)


class FigureRespondents:
    """Distinct respondents among the counted rows of ``occupied``'s cells, over any set of them
    and per role; build it with
    [`of`][relcoord.metrics.scores.figure_respondents.FigureRespondents.of]."""

    def __init__(self, occupied: OccupiedCells) -> None:
        """The counts the grid of ``occupied`` gives (the numpy path)."""
        self.occupied = occupied

    @classmethod
    def of(cls, occupied: OccupiedCells, *, engine: str = "auto") -> FigureRespondents:
        """The respondents of ``occupied``'s counted rows.  ``engine`` is ``"numpy"`` (the
        grid's counts), ``"numba"`` (the ``fast`` extra: bit words per respondent) or
        ``"auto"`` (numba when installed and the words fit in
        [`_WORDS_LIMIT`][relcoord.metrics.scores.figure_respondents._WORDS_LIMIT] bytes): the
        same counts either way."""
        made = _counting(engine)(occupied)
        return cls(occupied) if made is None else made

    def in_cells(self, mask: Bools) -> int:
        """Distinct respondents with a counted rating in the occupied cells of ``mask``."""
        occupied = self.occupied
        return occupied.grid.respondents_in(occupied.on_grid(mask))

    def by_role(self) -> tuple[Ints, Ints]:
        """Per role: its own respondents who rated another role, and the respondents of other
        roles who rated it (counted rows)."""
        return self.occupied.grid.respondents_by_role()

    def per_cell(self) -> Ints:
        """Distinct respondents per occupied cell (counted rows):
        [`OccupiedCells.respondents`][relcoord.metrics.tie_cells.OccupiedCells.respondents]."""
        return self.occupied.respondents()


#: Builds the compiled counts, or gives ``None`` where the numpy path counts.
Counting = Callable[[OccupiedCells], FigureRespondents | None]


def _numpy_counting(occupied: OccupiedCells) -> FigureRespondents | None:
    del occupied
    return None


@functools.cache
def _numba_counting() -> Counting | None:
    """The compiled bit words, or ``None`` without numba (the ``fast`` extra)."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def rated(people: Any, codes: Any, counted: Any, every: bool, column: Any, words: Any,
              anonymous: Any) -> None:
        for r in range(len(codes)):
            if every or counted[r]:
                c = codes[r]
                p = people[r]
                if p < 0:
                    anonymous[c] += 1
                else:
                    at = column[c]
                    words[p, at >> 6] |= np.uint64(1) << np.uint64(at & 63)

    @jit
    def line_masks(rows: Any, columns: Any, masks: Any) -> None:
        for i in range(len(rows)):
            at = columns[i]
            masks[rows[i], at >> 6] |= np.uint64(1) << np.uint64(at & 63)

    @jit
    def hits(words: Any, owner: Any, masks: Any) -> int:
        n = 0
        for p in range(words.shape[0]):
            line = owner[p]
            for w in range(words.shape[1]):
                if words[p, w] & masks[line, w]:
                    n += 1
                    break
        return n

    table = _DE_BRUIJN_POSITIONS

    @jit
    def lowest_bit(word: Any) -> int:
        """The position of the lowest bit set in the non-zero 64-bit ``word``: that bit alone,
        times a de Bruijn sequence, has a distinct top six bits for each position."""
        alone = word & (~word + np.uint64(1))
        return int(table[(alone * np.uint64(_DE_BRUIJN)) >> np.uint64(58)])

    @jit
    def per_role(words: Any, owner: Any, n_waves: int, as_rater: Any, as_target: Any
                 ) -> None:
        for p in range(words.shape[0]):
            own = owner[p]
            other = False
            last = -1
            for w in range(words.shape[1]):
                word = words[p, w]
                while word:
                    bit = lowest_bit(word)
                    word ^= np.uint64(1) << np.uint64(bit)
                    at = w * 64 + bit
                    t = at // n_waves
                    if t != own and t != last:
                        as_target[t] += 1
                        other = True
                    last = t
            if other:
                as_rater[own] += 1

    @jit
    def per_cell(words: Any, owner: Any, per_source: int, number: Any, out: Any) -> None:
        for p in range(words.shape[0]):
            row = owner[p] * per_source
            for w in range(words.shape[1]):
                word = words[p, w]
                while word:
                    bit = lowest_bit(word)
                    word ^= np.uint64(1) << np.uint64(bit)
                    out[number[row + w * 64 + bit]] += 1

    class Compiled(FigureRespondents):
        """The counts from bit words: ``words[p]`` the columns respondent ``p`` rated in their
        role's row, ``anonymous`` the counted rows without respondent per occupied cell."""

        def __init__(self, occupied: OccupiedCells, owner: npt.NDArray[np.intp],
                     words: Words, anonymous: Ints) -> None:
            super().__init__(occupied)
            self.owner, self.words, self.anonymous = owner, words, anonymous
            self.per_source = occupied.grid.n_roles * occupied.grid.n_waves

        def in_cells(self, mask: Bools) -> int:
            cells = self.occupied.cells[mask]
            masks = np.zeros((self.occupied.grid.n_roles, self.words.shape[1]),
                             dtype=np.uint64)
            line_masks(cells // self.per_source, cells % self.per_source, masks)
            return int(self.anonymous[mask].sum()) + int(hits(self.words, self.owner, masks))

        def by_role(self) -> tuple[Ints, Ints]:
            grid = self.occupied.grid
            k = grid.n_roles
            as_rater, as_target = np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64)
            per_role(self.words, self.owner, grid.n_waves, as_rater, as_target)
            source, target = np.divmod(self.occupied.cells // grid.n_waves, k)
            off = (source != target) & (self.anonymous > 0)
            np.add.at(as_rater, source[off], self.anonymous[off])
            np.add.at(as_target, target[off], self.anonymous[off])
            return as_rater, as_target

        def per_cell(self) -> Ints:
            grid = self.occupied.grid
            if grid.size > _WORDS_LIMIT // 4:  # no grid-sized lookup: the rows' count
                return super().per_cell()
            number = np.zeros(grid.size, dtype=np.int32)
            number[self.occupied.cells] = np.arange(self.occupied.size, dtype=np.int32)
            out = self.anonymous.copy()
            per_cell(self.words, self.owner, self.per_source, number, out)
            return out

    def run(occupied: OccupiedCells) -> FigureRespondents | None:
        grid = occupied.grid
        study = grid.study
        per_source = grid.n_roles * grid.n_waves
        n_words = max(1, -(-per_source // 64))
        if len(study.respondents) * n_words * 8 > _WORDS_LIMIT:
            return None
        index = {role_id: i for i, role_id in enumerate(study.role_ids)}
        owner = np.array([index[p.role] for p in study.respondents], dtype=np.intp)
        words = np.zeros((len(owner), n_words), dtype=np.uint64)
        anonymous = np.zeros(occupied.size, dtype=np.int64)
        counted = grid.counted
        every = counted is None
        rated(study.ratings.respondent, occupied.codes,
              np.zeros(1, dtype=bool) if counted is None else counted, every,
              occupied.cells % per_source, words, anonymous)
        return Compiled(occupied, owner, words, anonymous)

    return run


def _counting(engine: str) -> Counting:
    numpy_path: Counting = _numpy_counting
    return compiled_engine(engine, numpy_path, _numba_counting,
                           purpose="the compiled figure respondents (engine='numba')")
