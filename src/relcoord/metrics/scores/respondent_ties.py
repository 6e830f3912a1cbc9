"""Respondent-tie scores: RC and the sub-indices of every rating row, vectorised.

One rating row is one respondent-tie (a respondent rating one target role).  Its RC is the
plain mean of the answered scored items when at least ``min_items`` are answered; a
sub-index also needs its share of ``min_items`` (the rule in
[`relcoord.metrics.scores`][relcoord.metrics.scores]). All rows are scored in one pass: compiled
(numba, the ``fast`` extra) one row at a time, or with numpy block by block of rows; neither makes
a temporary of the item block's size, and both add the same numbers in the same order, so they
give the same scores to the last bit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.instruments import Instrument, SubIndex
from relcoord.model import Study
from relcoord.optional_dependencies import compiled_engine, numba_jit
from relcoord.row_blocks import in_row_blocks

__all__ = [
    "RespondentTieScores",
    "answered_dtype",
    "forget_respondent_tie_scores",
    "item_sums",
    "remember_respondent_tie_scores",
    "respondent_tie_rc",
    "respondent_tie_scores",
    "shared_respondent_tie_scores",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
#: Items answered per row: ``int8`` for up to 127 items (see `answered_dtype`).
Counts = npt.NDArray[np.signedinteger[Any]]


def answered_dtype(n_items: int) -> type[np.signedinteger[Any]]:
    """The dtype of the answered-item counts of an instrument of ``n_items`` items: one byte
    a row up to 127 items (an eighth of ``int64``'s memory for every respondent-tie kept)."""
    return np.int8 if n_items <= np.iinfo(np.int8).max else np.int64


@attrs.frozen(eq=False)
class RespondentTieScores:
    """Per-rating scores, aligned with ``study.ratings`` rows (NaN where a score is absent).

    ``answered`` is the number of items answered (``int8`` up to 127 items, one byte a row,
    else ``int64``), ``counted`` whether the respondent-tie reaches ``min_items``.
    """

    rc: Floats
    communication: Floats
    relationship: Floats
    answered: Counts
    counted: Bools
    min_items: int

    def select(self, rows: Bools | npt.NDArray[np.intp]) -> RespondentTieScores:
        """The scores of the rating rows picked by the boolean mask or index array ``rows``,
        in order (those of ``study.ratings.select(rows)``: a respondent-tie's scores depend
        on its own row only)."""
        return RespondentTieScores(
            rc=self.rc[rows], communication=self.communication[rows],
            relationship=self.relationship[rows], answered=self.answered[rows],
            counted=self.counted[rows], min_items=self.min_items,
        )


def _sub_needed(min_items: int, n_sub: int, n_items: int) -> int:
    return max(1, math.ceil(min_items * n_sub / n_items - 1e-9))


def item_sums(scores: Floats, weights: Floats) -> tuple[Floats, Floats | None]:
    """Sums and answered counts of each row's items per column group of ``weights``.

    ``weights`` is a ``(d, m)`` 0/1 matrix; one matrix product (BLAS) gives all ``m`` sums.
    Sums of item scores are exact in float64 (they are small multiples of the scale step),
    so the order of summation does not change a result.  Counts are None when no item is
    missing (every row answered every item).  With missing items each block of rows is
    zero-filled on its own, so the whole item block is never copied.
    """
    if not np.isnan(scores).any():
        return _products(scores, weights), None
    thin = np.ascontiguousarray(weights, dtype=np.float64)
    thin32 = np.ascontiguousarray(weights, dtype=np.float32)
    n, m = scores.shape[0], weights.shape[1]
    sums = np.empty((n, m))
    answered = np.empty((n, m), dtype=np.float32)
    for start in range(0, n, _BLOCK):  # block by block: no copy of the whole item block
        block = scores[start:start + _BLOCK]
        missing = np.isnan(block)
        np.matmul(np.where(missing, 0.0, block), thin, out=sums[start:start + _BLOCK])
        np.matmul((~missing).astype(np.float32), thin32, out=answered[start:start + _BLOCK])
    return sums, np.rint(answered).astype(np.float64)


#: Rows per block in [`_products`][relcoord.metrics.scores.respondent_ties._products].
_BLOCK: Final = 16_384


def _products(matrix: npt.NDArray[Any], weights: npt.NDArray[Any]) -> Floats:
    """``matrix @ weights`` for a tall ``(n, d)`` matrix and a thin ``(d, m)`` one.

    Computed in blocks of [`_BLOCK`][relcoord.metrics.scores.respondent_ties._BLOCK] rows, each a
    small matrix-matrix product: one product of the whole matrix lets OpenBLAS start threads, which
    on a busy machine makes it erratic (measured at 800,000 x 7 x 2: 3 ms to over 100 ms), and one
    matrix-vector product per column is several times slower; the blocks take a steady 2-7 ms.
    """
    dtype = np.result_type(matrix, weights)
    thin = np.ascontiguousarray(weights, dtype=dtype)
    out = np.empty((matrix.shape[0], weights.shape[1]), dtype=dtype)
    for start in range(0, matrix.shape[0], _BLOCK):
        np.matmul(matrix[start:start + _BLOCK], thin, out=out[start:start + _BLOCK])
    return np.asarray(out, dtype=np.float64)


#: The scores of all rows: answered items, counted, RC, communication, relationship.
_Scored = tuple[Counts, Bools, Floats, Floats, Floats]
#: Scores every row of an ``(n, d)`` item block: ``(scores, sub-index of each item (0:
#: communication, 1: relationship), answers each sub-index needs, min_items)``.
Scoring = Callable[[Floats, npt.NDArray[np.int8], Ints, int], _Scored]


def _needed(instrument: Instrument, min_items: int) -> tuple[npt.NDArray[np.int8], Ints]:
    """The sub-index of each item (0: communication, 1: relationship) and the answered items
    each sub-index needs (more than its items when the instrument lacks it: never reached)."""
    keys = instrument.keys
    n_items = len(keys)
    group = np.array([0 if k in instrument.keys_of("communication") else 1 for k in keys],
                     dtype=np.int8)
    needed = np.empty(2, dtype=np.int64)
    parts: tuple[SubIndex, SubIndex] = ("communication", "relationship")
    for j, sub in enumerate(parts):
        n_sub = len(instrument.keys_of(sub))
        needed[j] = _sub_needed(min_items, n_sub, n_items) if n_sub else n_items + 1
    return group, needed


def _numpy_scored(scores: Floats, group: npt.NDArray[np.int8], needed: Ints,
                  min_items: int) -> _Scored:
    """Every row's scores, block by block of rows (no temporary of the item block's size).

    Each sub-index's sum adds its answered items left to right, and RC's sum is
    communication's plus relationship's: the additions of the compiled pass, so both give
    the same numbers to the last bit.
    """
    n = len(scores)
    members = [np.flatnonzero(group == j) for j in (0, 1)]
    answered = np.empty(n, dtype=answered_dtype(scores.shape[1]))
    counted = np.empty(n, dtype=bool)
    rc, com, rel = np.empty(n), np.empty(n), np.empty(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        for start in range(0, n, _BLOCK):
            block = scores[start:start + _BLOCK]
            given = ~np.isnan(block)
            filled = np.where(given, block, 0.0)
            sums, counts = [], []
            for items in members:
                total = np.zeros(len(block))
                for j in items:
                    total += filled[:, j]
                sums.append(total)
                counts.append(given[:, items].sum(axis=1, dtype=np.int64))
            n_answered = counts[0] + counts[1]
            ok = n_answered >= min_items
            stop = start + len(block)
            answered[start:stop] = n_answered
            counted[start:stop] = ok
            rc[start:stop] = np.where(ok, (sums[0] + sums[1]) / n_answered, np.nan)
            for part, out in enumerate((com, rel)):
                out[start:stop] = np.where(ok & (counts[part] >= needed[part]),
                                           sums[part] / counts[part], np.nan)
    return answered, counted, rc, com, rel


@functools.cache
def _numba_scored() -> Scoring | None:
    """The compiled pass over the rows (one row at a time, no temporaries), or ``None``
    without numba (the ``fast`` extra)."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def one_pass(x: Any, group: Any, needed: Any, min_items: int, answered: Any,
                 counted: Any, rc: Any, com: Any, rel: Any) -> None:
        n, d = x.shape
        for r in range(n):
            s0 = 0.0
            s1 = 0.0
            c0 = 0
            c1 = 0
            for j in range(d):
                v = x[r, j]
                if v == v:
                    if group[j] == 0:
                        s0 += v
                        c0 += 1
                    else:
                        s1 += v
                        c1 += 1
            a = c0 + c1
            ok = a >= min_items
            answered[r] = a
            counted[r] = ok
            rc[r] = (s0 + s1) / a if ok and a > 0 else np.nan
            com[r] = s0 / c0 if ok and c0 >= needed[0] and c0 > 0 else np.nan
            rel[r] = s1 / c1 if ok and c1 >= needed[1] and c1 > 0 else np.nan

    def run(scores: Floats, group: npt.NDArray[np.int8], needed: Ints, min_items: int
            ) -> _Scored:
        n = len(scores)
        answered = np.empty(n, dtype=answered_dtype(scores.shape[1]))
        counted = np.empty(n, dtype=bool)
        rc, com, rel = np.empty(n), np.empty(n), np.empty(n)

        def block(start: int, stop: int) -> None:
            # every row's scores are its own: blocks of rows in threads give the same bytes
            one_pass(scores[start:stop], group, needed, min_items, answered[start:stop],
                     counted[start:stop], rc[start:stop], com[start:stop], rel[start:stop])

        in_row_blocks(n, block)
        return answered, counted, rc, com, rel

    return run


def _scoring(engine: str) -> Scoring:
    numpy_path: Scoring = _numpy_scored
    return compiled_engine(engine, numpy_path, _numba_scored,
                           purpose="the compiled respondent-tie scores (engine='numba')")


#: Inside `shared_respondent_tie_scores`:
#: the scores computed so far, by (ratings store, instrument, ``min_items``), each with the
#: store and instrument it was computed from (kept alive, so their ``id`` stays theirs).
_Memo = dict[tuple[int, int, int], tuple[object, object, "RespondentTieScores"]]
_SHARED: ContextVar[_Memo | None] = ContextVar("relcoord_respondent_tie_scores", default=None)


def _memo_key(study: Study, min_items: int) -> tuple[int, int, int]:
    """The key of ``study``'s scores under ``min_items`` in a `_SHARED` memo (the memo keeps
    the store and instrument alive beside them, so their ``id`` stays theirs)."""
    return id(study.ratings), id(study.instrument), min_items


@contextmanager
def shared_respondent_tie_scores() -> Iterator[None]:
    """Within the block, the respondent-tie scores of one ratings store are computed once.

    An analysis asks for them in several places (the privacy rule, the scores, the Social
    Relations Model, the wave comparison), each with a study that holds the same
    [`Ratings`][relcoord.ratings.Ratings] store when nothing is withheld.  A store is
    immutable, so its scores under one instrument and ``min_items`` are fixed; inside this
    block [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores]
    keeps what it computed and gives it back for the same store, instrument and
    ``min_items``.  Nothing outlives the block (no memory held by a study afterwards), and
    blocks nest (the inner one starts empty).
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def respondent_tie_scores(study: Study, *, min_items: int, engine: str = "auto",
                          remember: bool = True) -> RespondentTieScores:
    """RC and sub-indices of every respondent-tie (one rating row), vectorised.

    RC is the plain mean of the answered scored items when at least ``min_items`` are
    answered (Gittell 2016, appendix); sub-indices follow the rule in
    [`relcoord.metrics.scores`][relcoord.metrics.scores].  Inside
    [`shared_respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.shared_respondent_tie_scores]
    the scores of one ratings store are computed once.

    With ``remember=False`` scores found in the block are given back, but scores computed
    afresh are not kept: for a store no later step of the block scores again, whose scores
    (half the size of its item block) would otherwise stay in memory until the block ends.

    ``engine`` is ``"numpy"``, ``"numba"`` (the ``fast`` extra;
    [`MissingDependencyError`][relcoord.optional_dependencies.MissingDependencyError] without it)
    or ``"auto"`` (numba when installed): the same scores, to the last bit.
    """
    memo = _SHARED.get()
    if memo is None:
        return _respondent_tie_scores(study, min_items=min_items, engine=engine)
    key = _memo_key(study, min_items)
    if key not in memo:
        if not remember:
            return _respondent_tie_scores(study, min_items=min_items, engine=engine)
        remember_respondent_tie_scores(
            study, _respondent_tie_scores(study, min_items=min_items, engine=engine))
    return memo[key][2]


def remember_respondent_tie_scores(study: Study, scores: RespondentTieScores) -> None:
    """Inside a
    [`shared_respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.shared_respondent_tie_scores]
    block, keep ``scores`` as the respondent-tie scores of ``study``'s ratings (under
    ``scores.min_items``); outside it, nothing.

    For scores derived rather than computed: a respondent-tie's scores depend on its own row
    only, so those of a selection of a store's rows are the selection of its scores
    ([`RespondentTieScores.select`][relcoord.metrics.scores.respondent_ties.RespondentTieScores.select]),
    which is how the privacy rule passes the scores of the published ratings on.  The
    arrays become read-only (they are shared).
    """
    memo = _SHARED.get()
    if memo is None:
        return
    if len(scores.counted) != len(study.ratings):
        raise ValueError("these respondent-tie scores belong to another study")
    for field in attrs.fields(RespondentTieScores):
        value = getattr(scores, field.name)
        if isinstance(value, np.ndarray):
            value.setflags(write=False)  # shared: no reader may change another's
    memo[_memo_key(study, scores.min_items)] = (
        study.ratings, study.instrument, scores)


def forget_respondent_tie_scores(study: Study, min_items: int) -> None:
    """Inside a
    [`shared_respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.shared_respondent_tie_scores]
    block, stop keeping the scores of ``study``'s ratings under ``min_items`` (a later
    request computes them again); outside it, or when none are kept, nothing.  For a step
    that kept scores only while other steps started on the same study could read them."""
    memo = _SHARED.get()
    if memo is not None:
        memo.pop(_memo_key(study, min_items), None)


def _respondent_tie_scores(study: Study, *, min_items: int, engine: str = "auto"
                           ) -> RespondentTieScores:
    group, needed = _needed(study.instrument, min_items)
    answered, counted, rc, com, rel = _scoring(engine)(study.ratings.scores, group, needed,
                                                       min_items)
    return RespondentTieScores(rc=rc, communication=com, relationship=rel, answered=answered,
                               counted=counted, min_items=min_items)


#: Rows per chunk of
#: [`respondent_tie_rc`][relcoord.metrics.scores.respondent_ties.respondent_tie_rc]: the
#: chunk's sub-index scores (two floats a row) are made and dropped.
_RC_CHUNK: Final = 65_536


def respondent_tie_rc(study: Study, *, min_items: int, engine: str = "auto"
                      ) -> tuple[Floats, Bools]:
    """The RC of every respondent-tie and whether it counts under ``min_items``: the ``rc``
    and ``counted`` of
    [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores],
    to the last bit, for a step that reads nothing else (the Social Relations Model).

    The rows are scored chunk by chunk (in threads, see `relcoord.row_blocks`) and only the
    two arrays are kept: 9 bytes a row instead of the 25 of every score.  Inside a
    [`shared_respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.shared_respondent_tie_scores]
    block, scores already computed for the store are read instead; these are not kept.
    """
    memo = _SHARED.get()
    if memo is not None:
        found = memo.get(_memo_key(study, min_items))
        if found is not None:
            return found[2].rc, found[2].counted
    group, needed = _needed(study.instrument, min_items)
    scoring = _scoring(engine)
    scores = study.ratings.scores
    n = len(scores)
    rc = np.empty(n)
    counted = np.empty(n, dtype=bool)

    def block(start: int, stop: int) -> None:
        for first in range(start, stop, _RC_CHUNK):
            last = min(first + _RC_CHUNK, stop)
            # the compiled scoring would start threads of its own on a large chunk: a chunk
            # is below row_blocks' MIN_ROWS, so it runs in this thread
            _, counted[first:last], rc[first:last], _, _ = scoring(
                scores[first:last], group, needed, min_items)

    in_row_blocks(n, block)
    rc.setflags(write=False)
    counted.setflags(write=False)
    return rc, counted
