"""Item dispersion within groups of raters: the variances and average deviations behind
r_wg and AD.

For each group (the raters of one tie) and each item, the sample variance (``ddof=1``) and
the average deviation around the mean (AD_M) or median (AD_Md) (Burke, Finkelstein &
Dusig 1999), over complete cases, vectorised over groups and items.

Sources:
    Burke, M.J., Finkelstein, L.M. & Dusig, M.S. (1999). On average deviation indices for
    estimating interrater agreement. *Organizational Research Methods* 2(1), 49-68.
"""

from __future__ import annotations

from typing import Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.reliability.grouped import (
    SPARSE_FROM,
    group_sums,
    grouped_median,
    membership,
    select_rows,
)

FloatArray = npt.NDArray[np.float64]

Center = Literal["mean", "median"]

__all__ = [
    "Center",
    "Dispersion",
    "block_dispersion",
    "grouped_dispersion",
]


@attrs.frozen(kw_only=True, eq=False)
class Dispersion:
    """Per-group item dispersion: raters per group and, per item, variance and AD.

    ``counts[g]`` raters (complete cases) in group ``g``; ``variances[g, j]`` the sample
    variance (``ddof=1``) and ``deviations[g, j]`` the average deviation of item ``j``;
    both NaN for groups with fewer than two raters.
    """

    counts: npt.NDArray[np.int64]
    variances: FloatArray
    deviations: FloatArray
    center: Center


def grouped_dispersion(
    values: npt.ArrayLike,
    groups: npt.ArrayLike,
    n_groups: int,
    *,
    center: Center = "mean",
) -> Dispersion:
    """Variance and average deviation of each item within each group, vectorised.

    ``values`` is ``(n, J)`` (NaN = missing; rows with a missing item are dropped: complete
    cases), ``groups`` ``(n,)`` integer codes ``0..n_groups-1``.  AD is
    AD_M = sum |x - mean| / n (``center="mean"``) or AD_Md around the median
    (``center="median"``) (Burke, Finkelstein & Dusig 1999).  Two passes (group means
    first, then squared deviations) keep the variance numerically stable.  Large inputs
    take the group sums of the whole ``(n, J)`` block in one sparse product (see
    `group_sums`); the result is the same, bit
    for bit.
    """
    if center not in get_args(Center):
        raise ValueError(f"center must be 'mean' or 'median', got {center!r}")
    x = np.asarray(values, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    g = np.asarray(groups, dtype=np.intp)
    if g.shape != (x.shape[0],):
        raise ValueError(f"groups has shape {g.shape}, expected ({x.shape[0]},)")
    keep = np.asarray(~np.isnan(x).any(axis=1), dtype=bool)
    if keep.all():
        return block_dispersion(x, g, None, n_groups, center)
    return block_dispersion(x, g[keep], keep, n_groups, center)


def block_dispersion(x: FloatArray, g: npt.NDArray[np.intp], complete: npt.NDArray[np.bool_] | None,
                n_groups: int, center: Center, scratch: FloatArray | None = None) -> Dispersion:
    """[`grouped_dispersion`][relcoord.metrics.reliability.dispersion.grouped_dispersion] of the
    rows ``complete`` of ``x`` (``None``: every row), ``g`` holding the group of each of those rows;
    ``scratch``, a block shaped like ``x`` that may be overwritten."""
    counts = np.bincount(g, minlength=n_groups).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if len(g) < SPARSE_FROM:
            variances, deviations = _dispersion_by_item(select_rows(x, complete), g, counts, center)
        else:
            variances, deviations = _dispersion_by_block(x, g, complete, counts, center,
                                                         scratch)
    few = counts < 2
    variances[few] = np.nan
    deviations[few] = np.nan
    return Dispersion(counts=counts, variances=variances, deviations=deviations, center=center)


def _dispersion_by_item(x: FloatArray, g: npt.NDArray[np.intp], counts: npt.NDArray[np.int64],
                        center: Center) -> tuple[FloatArray, FloatArray]:
    """Variances and ADs one item at a time (a loop over items, not ratings): group sums are
    ``np.bincount`` with weights, each row's group mean a gather from a table of
    ``n_groups`` values, so no sort is needed and the temporaries stay one column wide."""
    n_groups, n_items = len(counts), x.shape[1]
    variances = np.full((n_groups, n_items), np.nan)
    deviations = np.full((n_groups, n_items), np.nan)
    middle = None if center == "mean" else grouped_median(x, g, counts)
    for j in range(n_items):
        column = x[:, j]
        means = np.bincount(g, weights=column, minlength=n_groups) / counts
        deviation = column - means[g]
        variances[:, j] = (np.bincount(g, weights=deviation * deviation,
                                       minlength=n_groups) / (counts - 1))
        if middle is not None:
            deviation = column - middle[g, j]
        np.abs(deviation, out=deviation)
        deviations[:, j] = np.bincount(g, weights=deviation, minlength=n_groups) / counts
    return variances, deviations


def _dispersion_by_block(x: FloatArray, g: npt.NDArray[np.intp],
                         complete: npt.NDArray[np.bool_] | None,
                         counts: npt.NDArray[np.int64], center: Center,
                         scratch: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
    """Variances and ADs of the whole block at once: three sparse products and one scratch
    block for the deviations (their absolute values, then their squares: ``|d| * |d|`` is
    ``d * d`` exactly).  Rows outside ``complete`` stay in ``x`` (no copy of the block) but
    are outside every group, so they are never added."""
    n_rows = x.shape[0]
    member = membership(g, complete, len(counts), n_rows)
    if complete is None:
        row_group = g
    else:
        row_group = np.zeros(n_rows, dtype=np.intp)
        row_group[complete] = g
    means = group_sums(member, x) / counts[:, None]
    work = scratch if scratch is not None and scratch.shape == x.shape else np.empty_like(x)
    np.take(means, row_group, axis=0, out=work, mode="clip")  # codes are valid: no check
    np.subtract(x, work, out=work)
    if center == "mean":
        np.abs(work, out=work)
        deviations = group_sums(member, work) / counts[:, None]
        np.multiply(work, work, out=work)
        variances = group_sums(member, work) / (counts - 1)[:, None]
        return variances, deviations
    np.multiply(work, work, out=work)
    variances = group_sums(member, work) / (counts - 1)[:, None]
    middle = grouped_median(select_rows(x, complete), g, counts)
    np.take(middle, row_group, axis=0, out=work, mode="clip")
    np.subtract(x, work, out=work)
    np.abs(work, out=work)
    deviations = group_sums(member, work) / counts[:, None]
    return variances, deviations

