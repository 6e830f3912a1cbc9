"""Respondent-tie scores: RC and the sub-indices of every rating row, vectorised.

One rating row is one respondent-tie (a respondent rating one target role).  Its RC is the
plain mean of the answered scored items when at least ``min_items`` are answered; a
sub-index also needs its share of ``min_items`` (the rule in
[`relcoord.metrics.scores`][relcoord.metrics.scores]). All rows are scored at once: the item sums of
every row and sub-index come from one blocked matrix product, so no Python loop runs per rating.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.instruments import Instrument, SubIndex
from relcoord.model import Study

__all__ = [
    "RespondentTieScores",
    "forget_respondent_tie_scores",
    "item_sums",
    "remember_respondent_tie_scores",
    "respondent_tie_scores",
    "shared_respondent_tie_scores",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
#: Each sub-index the instrument has, with its number of items.
SubIndices = list[tuple[SubIndex, int]]


@attrs.frozen(eq=False)
class RespondentTieScores:
    """Per-rating scores, aligned with ``study.ratings`` rows (NaN where a score is absent).

    ``answered`` is the number of items answered, ``counted`` whether the respondent-tie
    reaches ``min_items``.
    """

    rc: Floats
    communication: Floats
    relationship: Floats
    answered: Ints
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


def _column_total(matrix: Floats) -> Floats:
    """Each row's sum, adding the (few) columns left to right: for 2 columns the same
    ``a + b`` as ``matrix.sum(axis=1)``, but without numpy's slow short-axis reduction."""
    total = matrix[:, 0].copy()
    for j in range(1, matrix.shape[1]):
        total += matrix[:, j]
    return total


def _group_weights(instrument: Instrument) -> tuple[Floats, SubIndices]:
    """One 0/1 column per sub-index the instrument has (with its item count).

    Every item belongs to exactly one sub-index, so the columns add up to all items.
    """
    keys = instrument.keys
    columns = []
    subs: SubIndices = []
    order: tuple[SubIndex, ...] = ("communication", "relationship")
    for sub in order:
        members = instrument.keys_of(sub)
        if members:
            columns.append(np.array([1.0 if k in members else 0.0 for k in keys]))
            subs.append((sub, len(members)))
    return np.column_stack(columns), subs


#: The scores of all rows before the sub-indices the instrument lacks are filled in:
#: answered items, counted, RC, and RC of each sub-index the rows reach.
_Scored = tuple[Ints, Bools, Floats, dict[str, Floats]]


def _every_item_answered(sums: Floats, total: Floats, subs: SubIndices, n_items: int,
                         min_items: int) -> _Scored:
    """The scores when no row misses an item: the counts are constants."""
    n = len(total)
    out: dict[str, Floats] = {}
    answered = np.full(n, n_items, dtype=np.int64)
    counted = np.full(n, n_items >= min_items, dtype=bool)
    rc = total / n_items if n_items >= min_items else np.full(n, np.nan)
    for j, (sub, n_sub) in enumerate(subs):
        if n_items >= min_items and n_sub >= _sub_needed(min_items, n_sub, n_items):
            out[sub] = sums[:, j] / n_sub
    return answered, counted, rc, out


def _some_items_missing(sums: Floats, counts: Floats, total: Floats, subs: SubIndices,
                        n_items: int, min_items: int) -> _Scored:
    """The scores when some rows miss items: each row and sub-index by its own count."""
    out: dict[str, Floats] = {}
    answered = np.rint(_column_total(counts)).astype(np.int64)
    counted = answered >= min_items
    with np.errstate(invalid="ignore", divide="ignore"):
        rc = np.where(counted, total / answered, np.nan)
        for j, (sub, n_sub) in enumerate(subs):
            ok = counted & (counts[:, j] >= _sub_needed(min_items, n_sub, n_items))
            out[sub] = np.where(ok, sums[:, j] / counts[:, j], np.nan)
    return answered, counted, rc, out


#: Inside `shared_respondent_tie_scores`:
#: the scores computed so far, by (ratings store, instrument, ``min_items``), each with the
#: store and instrument it was computed from (kept alive, so their ``id`` stays theirs).
_Memo = dict[tuple[int, int, int], tuple[object, object, "RespondentTieScores"]]
_SHARED: ContextVar[_Memo | None] = ContextVar("relcoord_respondent_tie_scores", default=None)


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


def respondent_tie_scores(study: Study, *, min_items: int) -> RespondentTieScores:
    """RC and sub-indices of every respondent-tie (one rating row), vectorised.

    RC is the plain mean of the answered scored items when at least ``min_items`` are
    answered (Gittell 2016, appendix); sub-indices follow the rule in
    [`relcoord.metrics.scores`][relcoord.metrics.scores].  Inside
    [`shared_respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.shared_respondent_tie_scores]
    the scores of one ratings store are computed once.
    """
    memo = _SHARED.get()
    if memo is None:
        return _respondent_tie_scores(study, min_items=min_items)
    key = (id(study.ratings), id(study.instrument), min_items)
    if key not in memo:
        remember_respondent_tie_scores(study, _respondent_tie_scores(study, min_items=min_items))
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
    memo[(id(study.ratings), id(study.instrument), scores.min_items)] = (
        study.ratings, study.instrument, scores)


def _respondent_tie_scores(study: Study, *, min_items: int) -> RespondentTieScores:
    instrument = study.instrument
    scores = study.ratings.scores
    n, n_items = len(scores), len(instrument.keys)
    weights, subs = _group_weights(instrument)
    sums, counts = item_sums(scores, weights)
    total = _column_total(sums)
    if counts is None:
        answered, counted, rc, out = _every_item_answered(sums, total, subs, n_items,
                                                          min_items)
    else:
        answered, counted, rc, out = _some_items_missing(sums, counts, total, subs, n_items,
                                                         min_items)
    for name in ("communication", "relationship"):
        if name not in out:  # a sub-index the instrument lacks, or that no row reaches
            out[name] = np.full(n, np.nan)
    return RespondentTieScores(
        rc=rc, communication=out["communication"], relationship=out["relationship"],
        answered=answered, counted=counted, min_items=min_items,
    )


def forget_respondent_tie_scores(study: Study) -> None:
    """Inside a
    [`shared_respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.shared_respondent_tie_scores]
    block, let go of the scores kept for ``study``'s ratings (under any ``min_items``), so that
    their memory is freed when nobody else holds them; outside it, nothing.  For a caller
    that knows no later step asks for them (``analyze`` once the privacy rule has passed the
    published ratings' scores on)."""
    memo = _SHARED.get()
    if memo is None:
        return
    for key in [key for key, (ratings, _, _) in memo.items() if ratings is study.ratings]:
        del memo[key]
