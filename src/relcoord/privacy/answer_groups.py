"""Answer groups: the rating rows of each tie cell grouped by what their answers feed.

Rules 1 and 1b of [`relcoord.privacy`][relcoord.privacy] ask, per tie cell, how many distinct
respondents stand behind each figure the cell feeds (its RC, its two sub-indices, each item's
mean), and, per cell and set of answered items, how many distinct respondents answered that
set.  Every one of those questions depends on a rating row only through its cell and its
*answer class*: the set of items it answered (its pattern), whether it counts under
``min_items``, whether each sub-index is present, and whether a caller's selection of rows
holds it.  [`AnswerGroups`][relcoord.privacy.answer_groups.AnswerGroups] therefore reduces
the rows once to their groups ``(cell, class)``, one integer key per row (counted with
``np.bincount`` when the keys are few, else sorted once), and every count of the rule is
taken over the groups, never over the rows again.  A decision per group is mapped back to
the rows with one gather.

Distinct respondents: when no respondent has two rows in one cell (the usual case: a
respondent rates a tie once, and per wave when the cells are per wave), a group's
respondents are its rows, and counts add over groups.  Otherwise (waves pooled, a respondent
who rated one tie in two waves) the rows of such respondents, found by one count of
``(respondent, target, wave)`` keys, are sorted once by cell, respondent and class, and a
count takes the first row of each of them among the groups asked about; all other rows
still add.  A row without respondent is a respondent of its own either way, as
[`TieCells`][relcoord.metrics.tie_cells.TieCells] counts them.

With numba (the ``fast`` extra) the rows are keyed by two compiled passes (each row's class
value from its answers and flags, counted; then its key, counted), and the check for repeated
ratings marks each row's ``(respondent, target, wave)`` key in one pass that stops at the first
repeat; numpy makes the same keys column by column.  The groups are the same either way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores import RespondentTieScores
from relcoord.metrics.tie_cells import TieCells
from relcoord.optional_dependencies import compiled_engine, numba_jit

__all__ = ["AnswerGroups", "masks_of", "pattern_codes"]

Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Codes = npt.NDArray[np.signedinteger[Any]]

#: Up to this many possible integer keys, or ``_DENSE_PER_ROW`` per row if that is more, rows
#: are grouped with one ``np.bincount`` over the keys (a table of that many counters); above
#: it they are sorted.
_DENSE_KEYS: Final = 1 << 22
_DENSE_PER_ROW: Final = 2

#: Items up to which a row's pattern is its bit mask (two bytes); more items are numbered by
#: sorting.
_MASK_ITEMS: Final = 16

#: Rows per block when the item block is read for the answer patterns: a block of a few
#: columns stays in the CPU cache while each column is read.
_BLOCK_ROWS: Final = 65_536

#: The flags beside the pattern in a class value: selected, counted, communication present,
#: relationship present (most significant first).
_FLAG_BITS: Final = 4


def pattern_codes(answered: Bools | Floats) -> tuple[Codes, Bools]:
    """Per row of the ``(n, d)`` mask of answered items (or of the scores, NaN where not
    answered), a code of its pattern, and per code its items: ``(codes, items)`` with
    ``items[code]`` the answered items of that pattern.

    Up to [`_MASK_ITEMS`][relcoord.privacy.answer_groups._MASK_ITEMS] items the code is the
    bit mask itself (item ``j`` answered sets bit ``j``; ``items`` has ``2 ** d`` rows, some
    unused); above that the codes number the distinct patterns (one sort).
    """
    d = answered.shape[1]
    if d <= _MASK_ITEMS:
        every = np.arange(1 << d, dtype=np.int64)
        items = (every[:, None] >> np.arange(d, dtype=np.int64)) & 1 == 1
        return masks_of(answered).astype(np.int32), items
    given = np.asarray(answered if answered.dtype == np.bool_ else ~np.isnan(answered),
                       dtype=bool)
    unique, inverse = np.unique(np.packbits(given, axis=1), axis=0, return_inverse=True)
    items = np.unpackbits(unique, axis=1, count=d).astype(bool)
    return np.asarray(inverse, dtype=np.int64).reshape(-1), items


def masks_of(answered: Bools | Floats) -> npt.NDArray[np.uint16]:
    """Per row, the bit mask of its answered items (item ``j`` answered sets bit ``j``), for
    at most [`_MASK_ITEMS`][relcoord.privacy.answer_groups._MASK_ITEMS] items.

    ``answered`` is the ``(n, d)`` mask of answered items, or the ``(n, d)`` scores
    themselves (NaN: not answered), read block by block so that no ``(n, d)`` mask is made.
    """
    n, d = answered.shape
    if d > _MASK_ITEMS:
        raise ValueError(f"a bit mask holds at most {_MASK_ITEMS} items, not {d}")
    masks = np.zeros(n, dtype=np.uint16)
    for start in range(0, n, _BLOCK_ROWS):
        block = answered[start:start + _BLOCK_ROWS]
        given = (block if block.dtype == np.bool_ else ~np.isnan(block)).view(np.uint8)
        out = masks[start:start + _BLOCK_ROWS]
        for j in range(d):
            out |= given[:, j].astype(np.uint16) << np.uint16(j)
    return masks


def _ranks(values: Codes, top: int) -> tuple[Ints, Codes]:
    """The distinct ``values`` (all in ``0..top``) ascending, and each value's rank among
    them: one ``np.bincount`` when ``top`` is small, else one sort."""
    if top < max(_DENSE_KEYS, _DENSE_PER_ROW * len(values)):
        present = np.flatnonzero(np.bincount(values, minlength=top + 1))
        lookup = np.zeros(top + 1, dtype=np.int32)  # int32 ranks: half the bytes to write
        lookup[present] = np.arange(len(present), dtype=np.int32)
        return present.astype(np.int64), lookup[values]
    distinct, inverse = np.unique(values, return_inverse=True)
    return distinct.astype(np.int64), np.asarray(inverse, dtype=np.int64).reshape(-1)


def _runs(ordered: Ints) -> tuple[Ints, Ints]:
    """The distinct values of the non-decreasing ``ordered`` and each entry's index among
    them (``np.unique`` without its sort)."""
    fresh = np.ones(len(ordered), dtype=bool)
    fresh[1:] = ordered[1:] != ordered[:-1]
    return ordered[fresh].astype(np.int64), np.cumsum(fresh) - 1


@attrs.frozen(eq=False)
class _Repeats:
    """The rows of respondents with more than one row in a cell, sorted by cell, respondent
    and class, one entry per distinct triple, and what the other rows count.

    ``group`` is each entry's group, ``unit`` numbers the distinct ``(cell, respondent)``
    pairs (ascending along the entries).  ``single`` counts per group its other rows (one
    row in its cell for its respondent, or no respondent): each is a respondent of its own.
    """

    group: Ints
    unit: Ints
    single: Ints


@attrs.frozen(eq=False)
class AnswerGroups:
    """The rating rows of some tie cells grouped by cell and answer class.

    Build it with [`of`][relcoord.privacy.answer_groups.AnswerGroups.of].  Per class:
    ``figures[c, f]`` whether a row of class ``c`` feeds figure ``f`` (0: the RC, 1 and 2:
    the communication and relationship sub-indices, ``3 + j``: the mean of item ``j``; a row
    that does not count feeds none), ``counted``, ``complete`` (every item answered),
    ``selected`` (in the caller's rows) and ``pattern`` (classes with equal ids answered the
    same items).  Per group (ascending by cell code, then class): ``cell`` (an index into
    ``cell_codes``, the cells that hold rows), ``klass`` and ``rows``.
    """

    cells: TieCells
    figures: Bools
    counted: Bools
    complete: Bools
    selected: Bools
    pattern: Ints
    cell_codes: Ints
    cell: Ints
    klass: Ints
    rows: Ints
    _row_key: Ints
    _key_group: Ints
    _repeats: _Repeats | None

    @classmethod
    def of(cls, cells: TieCells, per: RespondentTieScores,
           selected: Bools | None = None, *, engine: str = "auto") -> AnswerGroups:
        """The groups of ``cells``' rows; ``per`` are the respondent-tie scores of their study,
        ``selected`` a mask over the rows (``None``: every row).  ``engine`` keys the rows:
        ``"numpy"``, ``"numba"`` (the ``fast`` extra: two compiled passes over the rows) or
        ``"auto"`` (numba when installed); the same groups either way."""
        d = cells.study.ratings.scores.shape[1]
        keyed = _keying(engine)(cells, per, selected)
        items, values, n_classes = keyed.items, keyed.values, max(1, len(keyed.values))
        pattern = values >> _FLAG_BITS
        counted = (values >> 2) & 1 == 1
        figures = np.zeros((len(values), 3 + d), dtype=bool)
        figures[:, 0] = counted
        figures[:, 1] = counted & ((values >> 1) & 1 == 1)
        figures[:, 2] = counted & (values & 1 == 1)
        figures[:, 3:] = items[pattern] & counted[:, None]
        if keyed.per_key is not None:
            per_key = keyed.per_key
            present = np.flatnonzero(per_key)
            key_group = np.zeros(len(per_key), dtype=np.int64)
            key_group[present] = np.arange(len(present), dtype=np.int64)
            group_key, group_rows, row_key = present, per_key[present], keyed.key
        else:
            group_key, inverse, group_rows = np.unique(keyed.key, return_inverse=True,
                                                       return_counts=True)
            row_key = np.asarray(inverse, dtype=np.int64).reshape(-1)
            key_group = np.arange(len(group_key), dtype=np.int64)
        del keyed
        cell_codes, cell = _runs(group_key // n_classes)
        groups = cls(
            cells=cells, figures=figures, counted=counted,
            complete=items[pattern].all(axis=1), selected=(values >> 3) & 1 == 1,
            pattern=pattern, cell_codes=cell_codes.astype(np.int64),
            cell=np.asarray(cell, dtype=np.int64).reshape(-1),
            klass=np.asarray(group_key % n_classes, dtype=np.int64),
            rows=np.asarray(group_rows, dtype=np.int64), row_key=row_key,
            key_group=key_group, repeats=None,
        )
        repeated = _repeated_rows(cells)
        if repeated is None:
            return groups
        return attrs.evolve(groups, repeats=groups._sorted_repeats(repeated))

    # --- mapping between rows and groups ------------------------------------------------

    @property
    def n_groups(self) -> int:
        """The number of groups."""
        return len(self.klass)

    def of_rows(self) -> Ints:
        """The group of every rating row."""
        return self._key_group[self._row_key]

    def on_rows(self, per_group: Bools) -> Bools:
        """A mask over the groups as a mask over the rating rows (one gather)."""
        if not len(per_group):
            return np.zeros(len(self._row_key), dtype=bool)
        return np.asarray(per_group[self._key_group][self._row_key], dtype=bool)

    def on_grid(self, per_cell: Ints) -> Ints:
        """Values per cell that holds rows as values per cell of the grid (0 elsewhere)."""
        out = np.zeros(max(1, self.cells.size), dtype=np.int64)
        out[self.cell_codes] = per_cell
        return out

    def _sorted_repeats(self, repeated: Bools) -> _Repeats:
        """The [`_Repeats`][relcoord.privacy.answer_groups._Repeats] of the ``repeated`` rows
        (named rows sharing their cell with another row of their respondent)."""
        people = self.cells.study.ratings.respondent
        group = self.of_rows()
        single = np.bincount(group[~repeated], minlength=self.n_groups).astype(np.int64)
        rows = np.flatnonzero(repeated)
        group = group[rows]
        n_people = int(people.max(initial=-1)) + 1
        unit_key = self.cell[group] * n_people + people[rows]
        n_classes = len(self.counted)
        if (len(self.cell_codes) * n_people + 1) * n_classes < np.iinfo(np.int64).max // 2:
            order = np.argsort(unit_key * n_classes + self.klass[group], kind="stable")
        else:
            order = np.lexsort((self.klass[group], unit_key))
        unit_key, group = unit_key[order], group[order]
        fresh = np.ones(len(group), dtype=bool)
        fresh[1:] = (unit_key[1:] != unit_key[:-1]) | (group[1:] != group[:-1])
        unit_key, group = unit_key[fresh], group[fresh]
        first = np.ones(len(group), dtype=bool)
        first[1:] = unit_key[1:] != unit_key[:-1]
        return _Repeats(group=group, unit=np.cumsum(first) - 1, single=single)

    # --- distinct respondents -----------------------------------------------------------

    def respondents_per_figure(self, groups: Bools) -> Ints:
        """``(cells, figures)``: distinct respondents per cell that holds rows and per figure,
        among the rows of ``groups`` (a mask over the groups) that feed it."""
        n_cells, n_figures = len(self.cell_codes), self.figures.shape[1]
        if not n_cells:
            return np.zeros((0, n_figures), dtype=np.int64)
        feeds = self.figures[self.klass] & groups[:, None]  # (groups, figures)
        repeats = self._repeats
        weight = self.rows if repeats is None else repeats.single
        out = np.empty((n_cells, n_figures), dtype=np.int64)
        for f in range(n_figures):  # a few figures, each one pass over the groups
            out[:, f] = np.bincount(self.cell, weights=weight * feeds[:, f], minlength=n_cells)
        if repeats is not None:
            for f in range(n_figures):
                chosen = feeds[repeats.group, f]
                unit = repeats.unit[chosen]
                first = np.ones(len(unit), dtype=bool)
                first[1:] = unit[1:] != unit[:-1]
                out[:, f] += np.bincount(self.cell[repeats.group[chosen][first]],
                                         minlength=n_cells)
        return out

    def support(self, groups: Bools) -> Ints:
        """Per cell that holds rows, the fewest distinct respondents behind any figure it
        feeds from the rows of ``groups``, ignoring figures nobody feeds (0: none)."""
        counts = self.respondents_per_figure(groups)
        none = np.iinfo(np.int64).max
        least: Ints = np.where(counts > 0, counts, none).min(axis=1, initial=none)
        least[least == none] = 0
        return least

    def respondents_per_pattern(self, groups: Bools) -> Ints:
        """Per group, the distinct respondents among the rows of ``groups`` in its cell that
        answered the same items as it (a mask over the groups)."""
        # the groups run by cell, then class, and the classes by pattern: each (cell,
        # pattern) pair is a run of groups
        pattern_key = self.cell * (int(self.pattern.max(initial=0)) + 1)
        pattern_key += self.pattern[self.klass]
        pair = _runs(pattern_key)[1]
        n_pairs = int(pair.max(initial=-1)) + 1
        repeats = self._repeats
        weight = self.rows if repeats is None else repeats.single
        size = np.bincount(pair[groups], weights=weight[groups], minlength=n_pairs)
        size = size.astype(np.int64)
        if repeats is not None:
            # entries run by respondent, then class, and classes by pattern: one respondent's
            # entries with one pattern are adjacent
            chosen = groups[repeats.group]
            unit, of = repeats.unit[chosen], pair[repeats.group[chosen]]
            first = np.ones(len(unit), dtype=bool)
            first[1:] = (unit[1:] != unit[:-1]) | (of[1:] != of[:-1])
            size += np.bincount(of[first], minlength=n_pairs)
        return size[pair]


def _repeated_rows(cells: TieCells, engine: str = "auto") -> Bools | None:
    """The named rows whose respondent has another row in their cell, ``None`` when no row's
    has (the usual case).

    A respondent has one role, so ``respondent``, ``target`` and wave slot name the cell and
    the respondent; the keys are counted with one ``np.bincount`` when they are few, else
    sorted.
    """
    ratings = cells.study.ratings
    people = ratings.respondent
    if not len(people) or int(people.max()) < 0:
        return None
    named = people >= 0
    everyone = bool(named.all())
    width = max(1, cells.n_roles * cells.n_waves)
    top = (int(people.max()) + 1) * width
    if top <= max(_DENSE_KEYS, _DENSE_PER_ROW * len(people)) and not _repeats_seen(engine)(
            people, ratings.target, ratings.wave, cells.n_waves, width, top):
        return None  # the compiled pass found none (numpy cannot stop early: it counts)
    wide = np.int32 if top < np.iinfo(np.int32).max else np.int64  # half the bytes if it fits
    key: Codes = (people if everyone else people[named]).astype(wide)
    key *= width
    target = ratings.target if everyone else ratings.target[named]
    if cells.n_waves == 1:
        key += target
    else:
        column: Codes = np.array(target, dtype=wide)  # a copy: the store is read-only
        column *= cells.n_waves
        key += column
        key += (ratings.wave if everyone else ratings.wave[named]) + 1
    if top <= max(_DENSE_KEYS, _DENSE_PER_ROW * len(key)):
        counts = np.bincount(key, minlength=1)
        if int(counts.max()) <= 1:
            return None
        repeated = np.asarray(counts[key] > 1, dtype=bool)
    else:
        ordered = np.sort(key)  # a plain sort answers whether; the order only if so
        if not (ordered[1:] == ordered[:-1]).any():
            return None
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        same = ordered[1:] == ordered[:-1]
        shared = np.zeros(len(key), dtype=bool)
        shared[1:] |= same
        shared[:-1] |= same
        repeated = np.empty(len(key), dtype=bool)
        repeated[order] = shared
    if everyone:
        return repeated
    out = np.zeros(len(people), dtype=bool)
    out[named] = repeated
    return out


# --- keying the rows: numpy, or two compiled passes -------------------------------------


@attrs.frozen(eq=False)
class _Keyed:
    """The rows keyed by group: ``items[code]`` the answered items of each pattern code,
    ``values`` the class values present (ascending: pattern code, then the flags), ``key``
    per row ``cell code * classes + class``, ``per_key`` the rows per key when the keys are
    few enough to count (see [`_DENSE_KEYS`][relcoord.privacy.answer_groups._DENSE_KEYS]),
    else ``None`` (sorted by the caller)."""

    items: Bools
    values: Ints
    key: Ints
    per_key: Ints | None


Keying = Callable[[TieCells, RespondentTieScores, "Bools | None"], _Keyed]
#: Whether a respondent has two rows in one cell: ``(respondents, targets, waves, wave slots,
#: keys per respondent, key range)`` of the rows.
Seen = Callable[[Codes, Codes, Codes, int, int, int], bool]


def _dense(cells: TieCells, n_classes: int, n: int) -> tuple[int, bool]:
    """The key range of ``cells`` with ``n_classes`` classes, and whether ``n`` rows' keys are
    counted in a table of that size."""
    top = max(1, cells.size) * n_classes
    return top, top <= max(_DENSE_KEYS, _DENSE_PER_ROW * n)


def _numpy_keys(cells: TieCells, per: RespondentTieScores, selected: Bools | None
                ) -> _Keyed:
    """The class of every row from its pattern code and four flags (numpy column by column),
    the distinct classes by one count, then the keys."""
    ratings = cells.study.ratings
    n = len(ratings.scores)
    codes, items = pattern_codes(ratings.scores)
    flags = (np.ones(n, dtype=np.uint8) if selected is None
             else np.asarray(selected, dtype=bool).view(np.uint8).copy())
    for present in (per.counted, ~np.isnan(per.communication), ~np.isnan(per.relationship)):
        flags <<= 1
        flags |= np.asarray(present, dtype=bool).view(np.uint8)
    codes <<= _FLAG_BITS
    codes |= flags
    del flags
    values, klass = _ranks(codes, (len(items) << _FLAG_BITS) - 1)
    del codes
    n_classes = max(1, len(values))
    key = cells.codes * n_classes
    key += klass
    del klass
    top, dense = _dense(cells, n_classes, n)
    per_key = np.bincount(key, minlength=top) if dense else None
    return _Keyed(items=items, values=values.astype(np.int64), key=key, per_key=per_key)


@functools.cache
def _numba_keys() -> Keying | None:
    """Two compiled passes over the rows, or ``None`` without numba (the ``fast`` extra): the
    first makes each row's class value (pattern bit mask and flags, as the numpy path makes
    them) and counts the values, the second each row's key and, when the keys are few, the
    rows per key.  More than [`_MASK_ITEMS`][relcoord.privacy.answer_groups._MASK_ITEMS] items
    take the numpy path."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def classes(x: Any, selected: Any, every: bool, counted: Any, com: Any, rel: Any,
                codes: Any, seen: Any) -> None:
        n, d = x.shape
        for r in range(n):
            mask = 0
            for j in range(d):
                v = x[r, j]
                if v == v:
                    mask |= 1 << j
            flags = 8 if every or selected[r] else 0
            if counted[r]:
                flags |= 4
            if com[r] == com[r]:
                flags |= 2
            if rel[r] == rel[r]:
                flags |= 1
            code = (mask << 4) | flags
            codes[r] = code
            seen[code] += 1

    @jit
    def keys(cell_codes: Any, codes: Any, rank: Any, n_classes: int, dense: bool, key: Any,
             per_key: Any) -> None:
        for r in range(len(codes)):
            k = cell_codes[r] * n_classes + rank[codes[r]]
            key[r] = k
            if dense:
                per_key[k] += 1

    def run(cells: TieCells, per: RespondentTieScores, selected: Bools | None) -> _Keyed:
        x = cells.study.ratings.scores
        n, d = x.shape
        if d > _MASK_ITEMS:
            return _numpy_keys(cells, per, selected)
        codes = np.empty(n, dtype=np.int32)
        seen = np.zeros((1 << d) << _FLAG_BITS, dtype=np.int64)
        classes(x, np.zeros(1, dtype=bool) if selected is None else selected,
                selected is None, per.counted, per.communication, per.relationship,
                codes, seen)
        values = np.flatnonzero(seen).astype(np.int64)
        rank = np.zeros(len(seen), dtype=np.int64)
        rank[values] = np.arange(len(values), dtype=np.int64)
        n_classes = max(1, len(values))
        top, dense = _dense(cells, n_classes, n)
        key = np.empty(n, dtype=np.int64)
        per_key = np.zeros(top if dense else 1, dtype=np.int64)
        keys(cells.codes, codes, rank, n_classes, dense, key, per_key)
        items = ((np.arange(1 << d, dtype=np.int64)[:, None] >> np.arange(d, dtype=np.int64))
                 & 1 == 1)
        return _Keyed(items=items, values=values, key=key, per_key=per_key if dense else None)

    return run


def _keying(engine: str) -> Keying:
    numpy_path: Keying = _numpy_keys
    return compiled_engine(engine, numpy_path, _numba_keys,
                           purpose="the compiled answer groups (engine='numba')")


def _numpy_seen(people: Codes, target: Codes, wave: Codes, n_waves: int, width: int,
                top: int) -> bool:
    """``True``: numpy cannot stop at the first repeat, so the caller counts the keys."""
    del people, target, wave, n_waves, width, top
    return True


@functools.cache
def _numba_seen() -> Seen | None:
    """One compiled pass that marks each row's key ``respondent * (roles * wave slots) +
    (target, wave slot)`` and stops at the first seen twice (the usual answer is no: then no
    key array and no count of the keys is made), or ``None`` without numba."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def twice(people: Any, target: Any, wave: Any, n_waves: int, width: int, marks: Any
              ) -> bool:
        for r in range(len(people)):
            p = people[r]
            if p < 0:
                continue
            column = target[r] if n_waves == 1 else target[r] * n_waves + wave[r] + 1
            k = p * width + column
            if marks[k]:
                return True
            marks[k] = True
        return False

    def run(people: Codes, target: Codes, wave: Codes, n_waves: int, width: int, top: int
            ) -> bool:
        return bool(twice(people, target, wave, n_waves, width, np.zeros(top, dtype=np.bool_)))

    return run


def _repeats_seen(engine: str) -> Seen:
    numpy_path: Seen = _numpy_seen
    return compiled_engine(engine, numpy_path, _numba_seen,
                           purpose="the compiled answer groups (engine='numba')")
