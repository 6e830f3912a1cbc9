"""Sums, means and medians per group of rows, vectorised: the arithmetic under the figures.

Agreement (per tie), alpha (per scale) and the ICC (per group of respondents) all reduce an
``(n, J)`` block of item scores per group of rows.  The helpers here do that without a loop
over rows, and for large blocks with one sparse product whose additions are those of
``np.bincount`` in the same order, so every figure is the same bit for bit on either path.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "SPARSE_FROM",
    "column_means",
    "dense_codes",
    "group_sums",
    "grouped_median",
    "membership",
    "select_rows",
]

#: From this many rows on, group sums are one sparse product instead of a pass per item.
SPARSE_FROM: Final = 65_536


def column_means(x: FloatArray) -> FloatArray:
    """``x.mean(axis=0)`` of an ``(n, J)`` block, bit for bit.

    numpy sums a C-ordered block over its rows one row after another (the items are the
    inner loop, no pairwise summation), which is also how the sparse kernel of
    `group_sums` adds them with every row in one
    group; for many rows that kernel is about three times faster.  Other layouts and small blocks
    use numpy itself.
    """
    n_rows, n_items = x.shape
    if n_rows < SPARSE_FROM or n_items < 2 or not x.flags.c_contiguous:
        return np.asarray(x.mean(axis=0), dtype=np.float64)
    member = membership(np.zeros(n_rows, dtype=np.intp), None, 1, n_rows)
    return np.asarray(group_sums(member, x)[0] / n_rows, dtype=np.float64)


def membership(g: npt.NDArray[np.intp], complete: npt.NDArray[np.bool_] | None,
                n_groups: int, n_rows: int) -> Any:
    """The sparse ``n_groups x n_rows`` matrix with a 1 where a (complete) row is in a group.

    In CSC form every row of the data is one column holding at most one entry, so it is
    built in O(n) with no sort; a row outside ``complete`` is an empty column.
    """
    from scipy import sparse  # imported here: only large inputs take this path

    index = np.int32 if n_rows < 2**31 - 1 else np.int64  # scipy's own choice: no copy
    indptr: npt.NDArray[np.signedinteger[Any]]
    if complete is None:
        indptr = np.arange(n_rows + 1, dtype=index)
    else:
        indptr = np.zeros(n_rows + 1, dtype=index)
        np.cumsum(complete, out=indptr[1:])
    rows: npt.NDArray[np.signedinteger[Any]] = g.astype(index)
    return sparse.csc_array((np.ones(len(g)), rows, indptr), shape=(n_groups, n_rows))


def group_sums(member: Any, x: FloatArray) -> FloatArray:
    """Per group, the sum of each column of ``x``: ``member @ x``.  scipy's CSC kernel walks
    the rows in order and adds each to its group, the same additions in the same order as
    ``np.bincount`` with weights, so the same sums bit for bit, while reading the block row
    by row instead of one strided column per item."""
    return np.asarray(member @ x, dtype=np.float64)


def dense_codes(codes: npt.NDArray[np.int64], size: int
           ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """``np.unique(codes, return_inverse=True)`` for codes in ``0..size-1``, in O(n + size)."""
    if size > 4 * len(codes) + 1024:  # sparse codes: sorting is cheaper than a dense table
        uniq, inverse = np.unique(codes, return_inverse=True)
        return uniq.astype(np.int64), inverse.ravel().astype(np.intp)
    present = np.bincount(codes, minlength=size) > 0
    lookup = np.cumsum(present) - 1
    return np.flatnonzero(present).astype(np.int64), lookup[codes].astype(np.intp)


def select_rows(x: FloatArray, mask: npt.ArrayLike | None) -> FloatArray:
    """``x[mask]``, without a copy when every row is chosen (or ``mask`` is ``None``)."""
    if mask is None:
        return x
    chosen = np.asarray(mask, dtype=bool)
    return x if chosen.all() else x[chosen]


def grouped_median(x: FloatArray, g: npt.NDArray[np.intp], counts: npt.NDArray[np.int64]
                    ) -> FloatArray:
    """Median of each column within each group (sort once per item, pick middle ranks)."""
    n_groups = len(counts)
    out = np.full((n_groups, x.shape[1]), np.nan)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    has = counts > 0
    low = (starts + (counts - 1) // 2)[has]
    high = (starts + counts // 2)[has]
    for j in range(x.shape[1]):  # a loop over items, not over ratings
        ordered = x[np.lexsort((x[:, j], g)), j]
        out[has, j] = (ordered[low] + ordered[high]) / 2.0
    return out

