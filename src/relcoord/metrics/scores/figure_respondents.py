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
without a per-row key.  The same pass counts each cell's distinct respondents (a respondent's
first row in a cell sets its bit; a second finds it set) and, per role, the people who rated
another role and those of other roles who rated it.  A figure then reads each respondent's words
against the mask of its cells in their role's row.

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
    def rated(people: Any, codes: Any, counted: Any, every: bool, column: Any, n_waves: int,
              owner: Any, words: Any, anonymous: Any, fresh: Any, other: Any, as_rater: Any,
              as_target: Any) -> None:
        for r in range(len(codes)):
            if not (every or counted[r]):
                continue
            c = codes[r]
            p = people[r]
            if p < 0:  # a respondent of its own
                anonymous[c] += 1
                continue
            at = column[c]
            bit = np.uint64(1) << np.uint64(at & 63)
            if words[p, at >> 6] & bit:
                continue  # this respondent is counted in this cell already
            t = at // n_waves
            own = owner[p]
            if t != own:
                first = True  # their first rating of role t, in any wave
                for slot in range(t * n_waves, (t + 1) * n_waves):
                    if words[p, slot >> 6] & (np.uint64(1) << np.uint64(slot & 63)):
                        first = False
                        break
                if first:
                    as_target[t] += 1
                if not other[p]:
                    other[p] = True
                    as_rater[own] += 1
            words[p, at >> 6] |= bit
            fresh[c] += 1

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

    class Compiled(FigureRespondents):
        """The counts from bit words: ``words[p]`` the columns respondent ``p`` rated in their
        role's row; per occupied cell ``anonymous`` its counted rows without respondent and
        ``fresh`` its respondents (each counted when their first row in it sets its bit); per
        role those who rated another role and those of other roles who rated it."""

        def __init__(self, occupied: OccupiedCells, owner: npt.NDArray[np.intp],
                     words: Words, anonymous: Ints, fresh: Ints,
                     roles: tuple[Ints, Ints]) -> None:
            super().__init__(occupied)
            self.owner, self.words, self.anonymous = owner, words, anonymous
            self.fresh, self.roles = fresh, roles
            self.per_source = occupied.grid.n_roles * occupied.grid.n_waves

        def in_cells(self, mask: Bools) -> int:
            cells = self.occupied.cells[mask]
            masks = np.zeros((self.occupied.grid.n_roles, self.words.shape[1]),
                             dtype=np.uint64)
            line_masks(cells // self.per_source, cells % self.per_source, masks)
            return int(self.anonymous[mask].sum()) + int(hits(self.words, self.owner, masks))

        def by_role(self) -> tuple[Ints, Ints]:
            grid = self.occupied.grid
            as_rater, as_target = (self.roles[0].copy(), self.roles[1].copy())
            source, target = np.divmod(self.occupied.cells // grid.n_waves, grid.n_roles)
            off = (source != target) & (self.anonymous > 0)
            np.add.at(as_rater, source[off], self.anonymous[off])
            np.add.at(as_target, target[off], self.anonymous[off])
            return as_rater, as_target

        def per_cell(self) -> Ints:
            return self.fresh + self.anonymous

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
        fresh = np.zeros(occupied.size, dtype=np.int64)
        k = grid.n_roles
        as_rater, as_target = np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64)
        counted = grid.counted
        rated(study.ratings.respondent, occupied.codes,
              np.zeros(1, dtype=bool) if counted is None else counted, counted is None,
              occupied.cells % per_source, grid.n_waves, owner, words, anonymous, fresh,
              np.zeros(len(owner), dtype=bool), as_rater, as_target)
        return Compiled(occupied, owner, words, anonymous, fresh, (as_rater, as_target))

    return run


def _counting(engine: str) -> Counting:
    numpy_path: Counting = _numpy_counting
    return compiled_engine(engine, numpy_path, _numba_counting,
                           purpose="the compiled figure respondents (engine='numba')")
