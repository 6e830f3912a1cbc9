"""Reliability and within-group agreement of RC ratings: alpha, r_wg, r_wg(J), AD and ICC.

RC data is only worth aggregating when the items hang together (internal consistency) and
when the raters in one role agree about the role they rate (within-group agreement).  This
module computes the usual checks, vectorised over the columnar rating store:

* **Cronbach's alpha** of the RC index and of each sub-index, with corrected item-total
  correlations and alpha-if-item-deleted (Cronbach 1951).  Cases are respondent-ties
  (ratings); only complete cases on the scale's items count; variances are sample
  variances (``ddof=1``).
* **r_wg** per item and **r_wg(J)** per scale for every tie, i.e. for the raters in role A
  about role B (James, Demaree & Wolf 1984), against the uniform ("rectangular") null
  distribution; out-of-range values are reset to 0 as LeBreton & Senter (2008) recommend.
* **AD**, the average deviation of the raters of a tie around the item mean (AD_M, the
  default) or median (AD_Md) (Burke, Finkelstein & Dusig 1999), averaged over the items of
  the scale (AD_M(J)).
* **ICC(1)** and **ICC(2)** from a one-way ANOVA of respondents nested in groups (role,
  organisation or any respondent -> group mapping such as a site) (Bliese 2000), with the
  unbalanced-design group size ``k0``.

Everything that cannot be computed (fewer than two raters, no variance, ...) is ``None`` in
the result objects, never NaN; the lower-level array functions return NaN there, as numpy
code expects.  Every result carries the number of cases it used and the settings that
produced it.

Sources:
    Cronbach, L.J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16(3), 297-334.
    James, L.R., Demaree, R.G. & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *Journal of Applied Psychology* 69(1), 85-98.
    LeBreton, J.M. & Senter, J.L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods* 11(4), 815-852.
    Burke, M.J., Finkelstein, L.M. & Dusig, M.S. (1999). On average deviation indices for
    estimating interrater agreement. *Organizational Research Methods* 2(1), 49-68.
    Burke, M.J. & Dunlap, W.P. (2002). Estimating interrater agreement with the average
    deviation index: a user's guide. *Organizational Research Methods* 5(2), 159-172.
    Bliese, P.D. (2000). Within-group agreement, non-independence, and reliability. In
    K.J. Klein & S.W.J. Kozlowski (eds.), *Multilevel Theory, Research, and Methods in
    Organizations*, 349-381. Jossey-Bass.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.instruments import Instrument
from relcoord.model import Study

__all__ = [
    "AGREEMENT_BANDS",
    "ALPHA_CUTOFF",
    "ICC1_TYPICAL",
    "ICC2_CUTOFF",
    "RWG_CUTOFF",
    "SCALES",
    "Center",
    "CronbachAlpha",
    "Dispersion",
    "Grouping",
    "IntraclassCorrelation",
    "RatingRows",
    "ReliabilitySettings",
    "ReliabilitySummary",
    "Scale",
    "TieAgreement",
    "TieAgreementTable",
    "agreement_band",
    "cronbach_alpha",
    "group_icc",
    "grouped_dispersion",
    "icc_oneway",
    "null_variance",
    "reliability_summary",
    "reliability_summary_and_rows",
    "respondent_scale_scores",
    "rwg",
    "rwg_j",
    "scale_alpha",
    "scale_keys",
    "tie_agreement",
    "uniform_null_variance",
]

FloatArray = npt.NDArray[np.float64]

Scale = Literal["rc", "communication", "relationship"]
#: The scales reliability is reported for: the RC index and its two sub-indices.
SCALES: Final[tuple[Scale, ...]] = ("rc", "communication", "relationship")

Center = Literal["mean", "median"]
#: How a respondent is assigned to a group for the ICC: their role, their role's
#: organisation, or an explicit mapping respondent id -> group (a site, a school...).
Grouping = Literal["role", "organisation"] | Mapping[str, str]

#: The conventional minimum for Cronbach's alpha (Nunnally 1978).
ALPHA_CUTOFF: Final = 0.70
#: The conventional agreement cut-off for r_wg and r_wg(J) (LeBreton & Senter 2008, q. 12).
RWG_CUTOFF: Final = 0.70
#: The range ICC(1) typically takes in organisational data (Bliese 2000; James 1982 reports
#: a median of .12): values far outside it deserve a look.
ICC1_TYPICAL: Final = (0.05, 0.20)
#: The conventional minimum of ICC(2) for reliable group means (LeBreton & Senter 2008).
ICC2_CUTOFF: Final = 0.70
#: LeBreton & Senter's (2008, table 3) bands for r_wg / r_wg(J): upper bound and label.
AGREEMENT_BANDS: Final[tuple[tuple[float, str], ...]] = (
    (0.30, "lack of agreement"),
    (0.50, "weak agreement"),
    (0.70, "moderate agreement"),
    (0.90, "strong agreement"),
    (1.00, "very strong agreement"),
)


def _opt(value: Any) -> float | None:
    """A plain float, or ``None`` for NaN/None (results never hold NaN)."""
    if value is None:
        return None
    number = float(value)
    return None if number != number else number


def _opts(values: npt.ArrayLike) -> tuple[float | None, ...]:
    return _nones(np.asarray(values, dtype=np.float64).ravel().tolist())


def _nones(values: list[float]) -> tuple[float | None, ...]:
    """``values`` (from ``ndarray.tolist()``: plain floats) with NaN as ``None``."""
    return tuple(None if v != v else v for v in values)


def _rows_of(values: FloatArray) -> list[tuple[float | None, ...]]:
    """Each row of a 2-D array as a tuple of plain floats, NaN as ``None``."""
    has_nan: list[bool] = np.asarray(np.isnan(values).any(axis=1), dtype=bool).tolist()
    return [_nones(row) if nan else tuple(row)
            for row, nan in zip(values.tolist(), has_nan, strict=True)]


# --- scales ---------------------------------------------------------------------------


def scale_keys(instrument: Instrument, scale: Scale) -> tuple[str, ...]:
    """The dimension keys of ``scale``: all items for ``"rc"``, else the sub-index's items."""
    if scale == "rc":
        return instrument.keys
    if scale in ("communication", "relationship"):
        return instrument.keys_of(scale)
    raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")


def null_variance(scores: Sequence[float]) -> float:
    """Variance of answers drawn uniformly from an item's possible ``scores``.

    This is the expected variance sigma_EU^2 of the rectangular null distribution (James,
    Demaree & Wolf 1984).  For ``A`` equally spaced scores ``1..A`` it equals
    ``(A**2 - 1) / 12`` (2.0 for five options); taking the variance of the actual score set
    also covers instruments whose scores are not ``1..A``.
    """
    values = np.asarray(sorted(set(scores)), dtype=np.float64)
    if len(values) < 2:
        raise ValueError("an item needs at least two possible scores")
    return float(values.var())


def uniform_null_variance(n_options: int) -> float:
    """sigma_EU^2 = (A^2 - 1) / 12 for ``A`` answer options (James, Demaree & Wolf 1984)."""
    if n_options < 2:
        raise ValueError(f"a scale needs at least two answer options, got {n_options}")
    return (n_options**2 - 1) / 12


def _null_variances(instrument: Instrument, keys: Sequence[str]) -> FloatArray:
    return np.array([null_variance(instrument.dimension(k).scoring) for k in keys])


def _n_options(instrument: Instrument, keys: Sequence[str]) -> tuple[int, ...]:
    return tuple(len(instrument.dimension(k).scoring) for k in keys)


# --- Cronbach's alpha -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CronbachAlpha:
    """Cronbach's alpha of one scale, with its item statistics.

    ``n`` is the number of complete cases used (cases with any item missing are dropped);
    ``item_total`` holds the corrected item-total correlation of each item (the item against
    the sum of the *other* items) and ``alpha_if_deleted`` the alpha of the scale without it,
    both in the order of ``items``.  ``alpha`` is ``None`` when it is undefined (fewer than
    two cases or items, or a sum without variance).  Alpha is not truncated: a negative
    value signals items that do not measure one thing.
    """

    scale: str
    items: tuple[str, ...]
    n: int
    alpha: float | None
    item_total: tuple[float | None, ...]
    alpha_if_deleted: tuple[float | None, ...]
    wave: str | None = None
    ddof: int = 1

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` for undefined values)."""
        return {
            "scale": self.scale,
            "alpha": self.alpha,
            "n": self.n,
            "ddof": self.ddof,
            "wave": self.wave,
            "items": [
                {"key": k, "item_total": r, "alpha_if_deleted": a}
                for k, r, a in zip(self.items, self.item_total, self.alpha_if_deleted,
                                   strict=True)
            ],
        }


def cronbach_alpha(
    items: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    scale: str = "custom",
    wave: str | None = None,
) -> CronbachAlpha:
    """Cronbach's alpha of an ``(n, J)`` item matrix (rows = cases, NaN = missing).

    alpha = J / (J - 1) * (1 - sum of item variances / variance of the sum), over complete
    cases, with sample variances (``ddof=1``) (Cronbach 1951).  Computed from the item
    covariance matrix C: sum of item variances = trace(C), variance of the sum = sum(C).
    The corrected item-total correlation of item j is
    cov(x_j, T - x_j) / sqrt(var(x_j) var(T - x_j)); alpha-if-deleted is alpha of C with
    row and column j removed.  Both are vectorised over the items.
    """
    x = np.asarray(items, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"items must be a 2-D (cases, items) array, got shape {x.shape}")
    n_items = x.shape[1]
    keys = tuple(names) if names is not None else tuple(f"item{j + 1}" for j in range(n_items))
    if len(keys) != n_items:
        raise ValueError(f"{len(keys)} names for {n_items} items")
    x = _rows(x, ~np.isnan(x).any(axis=1))
    n = len(x)
    cov = _covariance(x) if n >= 2 and n_items >= 2 else None
    return _alpha_of_cov(cov, n, keys, scale, wave)


def _covariance(x: FloatArray, *, copied: bool = False, scratch: FloatArray | None = None
                ) -> FloatArray:
    """``np.cov(x, rowvar=False, ddof=1)`` of an ``(n, J)`` block (n >= 2), the same
    operations in the same order (so the same bits) without ``np.cov``'s extra copy: centre
    on the column means, then one product of the centred block with itself.  ``copied``:
    ``x`` is a scratch copy that may be centred in place; ``scratch``: a block shaped like
    ``x`` to centre into."""
    mean = _column_means(x)
    out = x if copied else scratch if scratch is not None and scratch.shape == x.shape else None
    centred = np.subtract(x, mean, out=out)
    cov = np.dot(centred.T, centred)
    cov *= np.true_divide(1, len(x) - 1)
    return np.asarray(cov, dtype=np.float64)


def _alpha_of_cov(cov: FloatArray | None, n: int, keys: tuple[str, ...], scale: str,
                  wave: str | None) -> CronbachAlpha:
    """Alpha, item-total correlations and alpha-if-deleted from the item covariance matrix
    of ``n`` complete cases (``None`` when there are fewer than two cases or items)."""
    n_items = len(keys)
    nothing = (None,) * n_items
    if cov is None or n < 2 or n_items < 2:
        return CronbachAlpha(scale=scale, items=keys, n=n, alpha=None, item_total=nothing,
                             alpha_if_deleted=nothing, wave=wave)
    item_var = np.diag(cov)
    trace, total = float(item_var.sum()), float(cov.sum())
    tiny = 1e-12 * max(trace, 1.0)
    alpha = n_items / (n_items - 1) * (1.0 - trace / total) if total > tiny else None
    row = cov.sum(axis=1)
    rest_var = total - 2.0 * row + item_var  # variance of the sum without item j
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = np.sqrt(item_var * rest_var)
        item_total = np.where(denom > tiny, (row - item_var) / denom, np.nan)
        if n_items >= 3:
            k = n_items - 1
            deleted = np.where(rest_var > tiny, k / (k - 1) * (1.0 - (trace - item_var) / rest_var),
                               np.nan)
        else:
            deleted = np.full(n_items, np.nan)
    return CronbachAlpha(
        scale=scale, items=keys, n=n, alpha=_opt(alpha), item_total=_opts(item_total),
        alpha_if_deleted=_opts(deleted), wave=wave,
    )


# --- within-group agreement: arrays ---------------------------------------------------


def rwg(variance: npt.ArrayLike, null_var: npt.ArrayLike) -> FloatArray:
    """r_wg = 1 - s^2 / sigma_EU^2 (James, Demaree & Wolf 1984), elementwise.

    ``variance`` is the observed sample variance of the raters' answers to one item,
    ``null_var`` the variance expected under no agreement (see :func:`null_variance`).  A
    variance above the null variance would give a negative value; it is reset to 0 as
    James et al. (1984) and LeBreton & Senter (2008) recommend, so results lie in [0, 1].
    NaN (undefined variance) stays NaN.
    """
    ratio = np.asarray(variance, dtype=np.float64) / np.asarray(null_var, dtype=np.float64)
    return np.asarray(np.clip(1.0 - ratio, 0.0, 1.0), dtype=np.float64)


def rwg_j(variances: npt.ArrayLike, null_vars: npt.ArrayLike) -> FloatArray:
    """r_wg(J) over the last axis of ``variances`` (J items) (James, Demaree & Wolf 1984).

    With m = mean over the J items of s_j^2 / sigma_EU,j^2 (the usual mean item variance
    over sigma_EU^2 when all items share one scale):
    r_wg(J) = J (1 - m) / (J (1 - m) + m).  For m > 1 (more variance than random
    answering) the formula leaves [0, 1] (negative, or above 1 when m > J / (J - 1)); such
    inadmissible values are reset to 0, LeBreton & Senter's (2008) recommendation (their
    WGA software's ``reset``; the same result as James et al.'s truncation of the observed
    variance at sigma_EU^2).  NaN in any item gives NaN.
    """
    v = np.asarray(variances, dtype=np.float64)
    if v.ndim == 0 or v.shape[-1] == 0:
        raise ValueError("r_wg(J) needs at least one item on the last axis")
    n_items = v.shape[-1]
    m = (v / np.asarray(null_vars, dtype=np.float64)).mean(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = n_items * (1.0 - m) / (n_items * (1.0 - m) + m)
    value = np.where(m >= 1.0, 0.0, value)
    return np.asarray(np.where(np.isnan(m), np.nan, value), dtype=np.float64)


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
    :func:`_group_sums`); the result is the same, bit for bit.
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
        return _dispersion(x, g, None, n_groups, center)
    return _dispersion(x, g[keep], keep, n_groups, center)


#: From this many rows on, group sums are one sparse product instead of a pass per item.
_SPARSE_FROM: Final = 65_536


def _dispersion(x: FloatArray, g: npt.NDArray[np.intp], complete: npt.NDArray[np.bool_] | None,
                n_groups: int, center: Center, scratch: FloatArray | None = None) -> Dispersion:
    """:func:`grouped_dispersion` of the rows ``complete`` of ``x`` (``None``: every row),
    ``g`` holding the group of each of those rows; ``scratch``, a block shaped like ``x``
    that may be overwritten."""
    counts = np.bincount(g, minlength=n_groups).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if len(g) < _SPARSE_FROM:
            variances, deviations = _dispersion_by_item(_rows(x, complete), g, counts, center)
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
    middle = None if center == "mean" else _grouped_median(x, g, counts)
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
    member = _membership(g, complete, len(counts), n_rows)
    if complete is None:
        row_group = g
    else:
        row_group = np.zeros(n_rows, dtype=np.intp)
        row_group[complete] = g
    means = _group_sums(member, x) / counts[:, None]
    work = scratch if scratch is not None and scratch.shape == x.shape else np.empty_like(x)
    np.take(means, row_group, axis=0, out=work, mode="clip")  # codes are valid: no check
    np.subtract(x, work, out=work)
    if center == "mean":
        np.abs(work, out=work)
        deviations = _group_sums(member, work) / counts[:, None]
        np.multiply(work, work, out=work)
        variances = _group_sums(member, work) / (counts - 1)[:, None]
        return variances, deviations
    np.multiply(work, work, out=work)
    variances = _group_sums(member, work) / (counts - 1)[:, None]
    middle = _grouped_median(_rows(x, complete), g, counts)
    np.take(middle, row_group, axis=0, out=work, mode="clip")
    np.subtract(x, work, out=work)
    np.abs(work, out=work)
    deviations = _group_sums(member, work) / counts[:, None]
    return variances, deviations


def _column_means(x: FloatArray) -> FloatArray:
    """``x.mean(axis=0)`` of an ``(n, J)`` block, bit for bit.

    numpy sums a C-ordered block over its rows one row after another (the items are the
    inner loop, no pairwise summation), which is also how the sparse kernel of
    :func:`_group_sums` adds them with every row in one group; for many rows that kernel
    is about three times faster.  Other layouts and small blocks use numpy itself.
    """
    n_rows, n_items = x.shape
    if n_rows < _SPARSE_FROM or n_items < 2 or not x.flags.c_contiguous:
        return np.asarray(x.mean(axis=0), dtype=np.float64)
    member = _membership(np.zeros(n_rows, dtype=np.intp), None, 1, n_rows)
    return np.asarray(_group_sums(member, x)[0] / n_rows, dtype=np.float64)


def _membership(g: npt.NDArray[np.intp], complete: npt.NDArray[np.bool_] | None,
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


def _group_sums(member: Any, x: FloatArray) -> FloatArray:
    """Per group, the sum of each column of ``x``: ``member @ x``.  scipy's CSC kernel walks
    the rows in order and adds each to its group, the same additions in the same order as
    ``np.bincount`` with weights, so the same sums bit for bit, while reading the block row
    by row instead of one strided column per item."""
    return np.asarray(member @ x, dtype=np.float64)


def _dense(codes: npt.NDArray[np.int64], size: int
           ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """``np.unique(codes, return_inverse=True)`` for codes in ``0..size-1``, in O(n + size)."""
    if size > 4 * len(codes) + 1024:  # sparse codes: sorting is cheaper than a dense table
        uniq, inverse = np.unique(codes, return_inverse=True)
        return uniq.astype(np.int64), inverse.ravel().astype(np.intp)
    present = np.bincount(codes, minlength=size) > 0
    lookup = np.cumsum(present) - 1
    return np.flatnonzero(present).astype(np.int64), lookup[codes].astype(np.intp)


def _rows(x: FloatArray, mask: npt.ArrayLike | None) -> FloatArray:
    """``x[mask]``, without a copy when every row is chosen (or ``mask`` is ``None``)."""
    if mask is None:
        return x
    chosen = np.asarray(mask, dtype=bool)
    return x if chosen.all() else x[chosen]


def _grouped_median(x: FloatArray, g: npt.NDArray[np.intp], counts: npt.NDArray[np.int64]
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


def agreement_band(value: float | None) -> str | None:
    """LeBreton & Senter's (2008, table 3) verbal band for an r_wg or r_wg(J) value.

    .00-.30 lack of agreement, .31-.50 weak, .51-.70 moderate, .71-.90 strong,
    .91-1.00 very strong agreement.
    """
    if value is None:
        return None
    for upper, label in AGREEMENT_BANDS:
        if value <= upper:
            return label
    return AGREEMENT_BANDS[-1][1]


# --- within-group agreement: per tie --------------------------------------------------


@attrs.frozen(kw_only=True)
class TieAgreement:
    """Agreement of the raters in role ``source`` about role ``target`` (in one wave).

    ``n`` raters gave complete answers on the scale's items; ``rwg`` and ``ad`` hold one
    value per item (order of :attr:`TieAgreementTable.items`); ``rwg_j`` and ``ad_j`` (the
    mean item AD, AD(J)) summarise the scale.  All ``None`` with fewer than two raters.
    """

    source: str
    target: str
    wave: str | None
    n: int
    rwg: tuple[float | None, ...]
    rwg_j: float | None
    ad: tuple[float | None, ...]
    ad_j: float | None

    @property
    def band(self) -> str | None:
        """LeBreton & Senter's (2008) verbal band of :attr:`rwg_j`."""
        return agreement_band(self.rwg_j)

    def to_mapping(self, items: Sequence[str]) -> dict[str, Any]:
        """JSON-ready dict; ``items`` names the per-item values."""
        return {
            "source": self.source,
            "target": self.target,
            "wave": self.wave,
            "n": self.n,
            "rwg_j": self.rwg_j,
            "band": self.band,
            "ad_j": self.ad_j,
            "rwg": dict(zip(items, self.rwg, strict=True)),
            "ad": dict(zip(items, self.ad, strict=True)),
        }


def _summary(values: Sequence[float | None]) -> tuple[int, float | None, float | None]:
    present = np.array([v for v in values if v is not None], dtype=np.float64)
    if not len(present):
        return 0, None, None
    return len(present), float(present.mean()), float(np.median(present))


@attrs.frozen(kw_only=True)
class TieAgreementTable:
    """Within-group agreement for every rated tie, and its summary across ties.

    ``ties`` are sorted by wave, source and target and include ties with a single rater
    (whose figures are ``None``).  ``null_variances`` are the sigma_EU^2 used per item,
    ``rwg_cutoff`` the agreement cut-off (r_wg(J) >= .70) and ``ad_cutoff`` Burke &
    Dunlap's (2002) AD cut-off A / 6 for A answer options (A averaged over the items).
    """

    scale: str
    items: tuple[str, ...]
    center: Center
    null_variances: tuple[float, ...]
    rwg_cutoff: float
    ad_cutoff: float
    ties: tuple[TieAgreement, ...]
    wave: str | None = None

    @property
    def n_ties(self) -> int:
        """Ties with at least two raters (where agreement is defined)."""
        return sum(1 for t in self.ties if t.rwg_j is not None)

    @property
    def mean_rwg_j(self) -> float | None:
        """Mean r_wg(J) over the ties where it is defined."""
        return _summary([t.rwg_j for t in self.ties])[1]

    @property
    def median_rwg_j(self) -> float | None:
        """Median r_wg(J) over the ties where it is defined."""
        return _summary([t.rwg_j for t in self.ties])[2]

    @property
    def share_rwg_j_above_cutoff(self) -> float | None:
        """Share of the ties (with r_wg(J) defined) whose r_wg(J) >= :attr:`rwg_cutoff`."""
        values = [t.rwg_j for t in self.ties if t.rwg_j is not None]
        return sum(v >= self.rwg_cutoff for v in values) / len(values) if values else None

    @property
    def mean_ad_j(self) -> float | None:
        """Mean AD(J) over the ties where it is defined."""
        return _summary([t.ad_j for t in self.ties])[1]

    @property
    def share_ad_j_within_cutoff(self) -> float | None:
        """Share of the ties (with AD(J) defined) whose AD(J) <= :attr:`ad_cutoff`."""
        values = [t.ad_j for t in self.ties if t.ad_j is not None]
        return sum(v <= self.ad_cutoff for v in values) / len(values) if values else None

    def tie(self, source: str, target: str, wave: str | None = None) -> TieAgreement:
        """The agreement of tie ``source -> target`` in ``wave``; :class:`KeyError` if unrated."""
        for t in self.ties:
            if (t.source, t.target, t.wave) == (source, target, wave):
                return t
        raise KeyError(f"no rated tie {source!r} -> {target!r} (wave {wave!r})")

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict: settings, summary across ties and one entry per tie."""
        return {
            "scale": self.scale,
            "items": list(self.items),
            "center": self.center,
            "wave": self.wave,
            "null_variances": dict(zip(self.items, self.null_variances, strict=True)),
            "rwg_cutoff": self.rwg_cutoff,
            "ad_cutoff": self.ad_cutoff,
            "n_ties": self.n_ties,
            "mean_rwg_j": self.mean_rwg_j,
            "median_rwg_j": self.median_rwg_j,
            "share_rwg_j_above_cutoff": self.share_rwg_j_above_cutoff,
            "mean_ad_j": self.mean_ad_j,
            "share_ad_j_within_cutoff": self.share_ad_j_within_cutoff,
            "ties": [t.to_mapping(self.items) for t in self.ties],
        }


def _wave_mask(study: Study, wave: str | None) -> npt.NDArray[np.bool_]:
    """Rows of ``wave`` (all rows for ``None``); an unknown wave is refused, naming the known."""
    ratings = study.ratings
    if wave is None:
        return np.ones(len(ratings), dtype=bool)
    if wave not in study.waves:
        known = ", ".join(repr(w) for w in study.waves) or "none"
        raise InvalidInputError("wave", f"no wave {wave!r} in the study (waves: {known})")
    if wave not in ratings.waves:
        return np.zeros(len(ratings), dtype=bool)
    return np.asarray(ratings.wave == ratings.waves.index(wave), dtype=bool)


def _scale_matrix(study: Study, keys: Sequence[str]) -> FloatArray:
    ratings = study.ratings
    cols = [ratings.dimensions.index(k) for k in keys]
    if cols == list(range(ratings.scores.shape[1])):
        return np.asarray(ratings.scores, dtype=np.float64)  # all items in order: no copy
    return np.asarray(ratings.scores[:, cols], dtype=np.float64)


@attrs.frozen(eq=False)
class RatingRows:
    """The rating rows of one wave on the RC index's items, prepared once for every figure.

    ``chosen`` marks the rows of the wave among all ratings (``None``: every row); ``x`` is
    their ``(m, J)`` item block (a view of the study's scores when every row is chosen and
    the items are in order), ``total`` each row's item sum and ``complete`` whether the row
    answers every item.  Alpha, agreement, the ICC and the privacy rule's rater counts all
    start from these, so the block is checked for missing values once.
    """

    study: Study
    keys: tuple[str, ...]
    chosen: npt.NDArray[np.bool_] | None
    x: FloatArray
    total: FloatArray
    complete: npt.NDArray[np.bool_]

    @functools.cached_property
    def scratch(self) -> FloatArray:
        """A block shaped like :attr:`x` for temporaries (centred items, deviations), shared
        so that a large block is allocated once."""
        return np.empty_like(self.x)

    @functools.cached_property
    def codes(self) -> npt.NDArray[np.int64]:
        """The ``(wave, source, target)`` code of every chosen row (wave code -1 becomes 0):
        ``(wave + 1) * k^2 + source * k + target`` for ``k`` roles."""
        ratings = self.study.ratings
        n_roles = len(self.study.roles)
        return np.asarray(
            (self.pick(ratings.wave).astype(np.int64) + 1) * (n_roles * n_roles)
            + self.pick(ratings.source).astype(np.int64) * n_roles
            + self.pick(ratings.target), dtype=np.int64)

    @classmethod
    def of(cls, study: Study, wave: str | None) -> RatingRows:
        """The rows of ``wave`` (every row for ``None``) of ``study``."""
        keys = scale_keys(study.instrument, "rc")
        mask = _wave_mask(study, wave)
        chosen = None if mask.all() else mask
        x = _rows(_scale_matrix(study, keys), chosen)
        total = _row_sums(x)
        return cls(study=study, keys=keys, chosen=chosen, x=x, total=total,
                   complete=_complete(x, total))

    def pick(self, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """The chosen rows of a per-rating array."""
        return values if self.chosen is None else values[self.chosen]

    def scale(self, keys: Sequence[str]
              ) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
        """Item block, row sums and complete rows of a scale (a subset of :attr:`keys`)."""
        if tuple(keys) == self.keys:
            return self.x, self.total, self.complete
        x = self.x[:, [self.keys.index(k) for k in keys]]
        total = _row_sums(x)
        return x, total, _complete(x, total)


def _row_sums(x: FloatArray) -> FloatArray:
    """``x.sum(axis=1)``, bit for bit, faster for few items.

    numpy reduces fewer than eight values with a plain left-to-right loop from 0, so for
    up to seven items the column-by-column sum adds the same numbers in the same order
    (and reads the block in wide strides instead of one short row at a time).
    """
    n_items = x.shape[1]
    if n_items == 0 or n_items >= 8:
        return np.asarray(x.sum(axis=1), dtype=np.float64)
    total = x[:, 0] + 0.0  # 0 + x, as numpy's reduction starts (and a fresh array)
    for j in range(1, n_items):
        total += x[:, j]
    return total


def _complete(x: FloatArray, total: FloatArray) -> npt.NDArray[np.bool_]:
    """Rows of ``x`` without a missing (NaN) item, given the row sums ``total``.

    A finite sum proves the row is complete (NaN, and inf - inf, propagate); only rows
    whose sum is NaN or infinite are looked at item by item.
    """
    if x.shape[1] == 0:
        return np.zeros(len(x), dtype=bool)
    complete = np.isfinite(total)
    unsure = np.flatnonzero(~complete)
    if len(unsure):
        complete[unsure] = ~np.isnan(x[unsure]).any(axis=1)
    return complete


def tie_agreement(
    study: Study,
    *,
    scale: Scale = "rc",
    center: Center = "mean",
    wave: str | None = None,
    rwg_cutoff: float = RWG_CUTOFF,
) -> TieAgreementTable:
    """r_wg per item, r_wg(J), AD per item and AD(J) for every tie (raters in A about B).

    Raters are the ratings of the tie (respondents in the source role, or workshop groups),
    complete cases on the scale's items.  Ties are kept apart by wave; ``wave`` restricts to
    one.  The null variance of each item is that of uniform answers over its possible
    scores, (A^2 - 1) / 12 for A options (James, Demaree & Wolf 1984).  Vectorised: one
    group code per (wave, source, target), then :func:`grouped_dispersion`.
    """
    keys = scale_keys(study.instrument, scale)
    if center not in get_args(Center):
        raise ValueError(f"center must be 'mean' or 'median', got {center!r}")
    return _tie_agreement(study, RatingRows.of(study, wave), keys, scale=scale, center=center,
                          wave=wave, rwg_cutoff=rwg_cutoff)


def _tie_agreement(study: Study, rows: RatingRows, keys: tuple[str, ...], *, scale: Scale,
                   center: Center, wave: str | None, rwg_cutoff: float) -> TieAgreementTable:
    """:func:`tie_agreement` on prepared rows."""
    nulls = _null_variances(study.instrument, keys) if keys else np.zeros(0)
    options = _n_options(study.instrument, keys)
    ad_cutoff = float(np.mean(options)) / 6.0 if options else 0.0
    ratings = study.ratings
    n_roles = len(study.roles)
    x, _, complete = rows.scale(keys)
    ties: list[TieAgreement] = []
    code = rows.codes if complete.all() else rows.codes[complete]
    if len(code):
        uniq, inverse = _dense(code, (len(ratings.waves) + 1) * n_roles * n_roles)
        disp = _dispersion(x, inverse, None if len(code) == len(x) else complete, len(uniq),
                           center, rows.scratch if x is rows.x and len(x) >= _SPARSE_FROM
                           else None)
        rwg_items = rwg(disp.variances, nulls)
        rwg_scale = rwg_j(disp.variances, nulls).tolist()
        ad_scale = disp.deviations.mean(axis=1).tolist()
        # Plain floats from .tolist(), NaN -> None only in the rows that hold one (ties
        # with one rater): building the tuples is most of the work for many small ties.
        rwg_rows, ad_rows = _rows_of(rwg_items), _rows_of(disp.deviations)
        counts = disp.counts.tolist()
        waves = (None, *ratings.waves)
        for i, c in enumerate(uniq.tolist()):
            w, rest = divmod(c, n_roles * n_roles)
            s, t = divmod(rest, n_roles)
            rwg_i, ad_i = rwg_scale[i], ad_scale[i]
            ties.append(TieAgreement(
                source=ratings.roles[s], target=ratings.roles[t], wave=waves[w],
                n=counts[i], rwg=rwg_rows[i], rwg_j=None if rwg_i != rwg_i else rwg_i,
                ad=ad_rows[i], ad_j=None if ad_i != ad_i else ad_i,
            ))
    ties.sort(key=lambda t: ("" if t.wave is None else t.wave, t.source, t.target))
    return TieAgreementTable(
        scale=scale, items=keys, center=center, null_variances=tuple(float(v) for v in nulls),
        rwg_cutoff=rwg_cutoff, ad_cutoff=ad_cutoff, ties=tuple(ties), wave=wave,
    )


# --- ICC ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IntraclassCorrelation:
    """ICC(1) and ICC(2) from a one-way ANOVA of cases nested in groups (Bliese 2000).

    ``n`` cases in ``n_groups`` groups; ``k`` is the group size used in ICC(1): the
    unbalanced-design k0 = (N - sum n_g^2 / N) / (G - 1), which equals the common group
    size when groups are balanced; ``mean_group_size`` is N / G for comparison.  ICC(1) is
    not truncated (a negative value means less between-group variance than chance; read it
    as 0).  ``None`` where undefined (fewer than two groups, no within-group degrees of
    freedom, no variance).
    """

    grouping: str
    scale: str
    n: int
    n_groups: int
    k: float | None
    mean_group_size: float | None
    ms_between: float | None
    ms_within: float | None
    df_between: int
    df_within: int
    icc1: float | None
    icc2: float | None
    wave: str | None = None
    target: str | None = None

    @property
    def f(self) -> float | None:
        """The ANOVA F ratio MSB / MSW."""
        if self.ms_between is None or not self.ms_within:
            return None
        return self.ms_between / self.ms_within

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` for undefined values)."""
        return {
            "grouping": self.grouping, "scale": self.scale, "wave": self.wave,
            "target": self.target, "n": self.n, "n_groups": self.n_groups,
            "k": self.k, "k_method": "k0", "mean_group_size": self.mean_group_size,
            "ms_between": self.ms_between, "ms_within": self.ms_within,
            "df_between": self.df_between, "df_within": self.df_within, "f": self.f,
            "icc1": self.icc1, "icc2": self.icc2,
        }


def icc_oneway(
    values: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    grouping: str = "custom",
    scale: str = "custom",
    wave: str | None = None,
    target: str | None = None,
) -> IntraclassCorrelation:
    """ICC(1) and ICC(2) of ``values`` (``(n,)``, NaN dropped) nested in ``groups`` labels.

    One-way ANOVA: MSB = sum n_g (mean_g - mean)^2 / (G - 1), MSW = sum (x - mean_g)^2 /
    (N - G).  ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW) with k = k0 (see
    :class:`IntraclassCorrelation`); ICC(2) = (MSB - MSW) / MSB, the reliability of the group
    means (Bliese 2000).
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    labels = np.asarray(groups).ravel()
    if labels.shape != x.shape:
        raise ValueError(f"groups has shape {labels.shape}, values {x.shape}")
    keep = ~np.isnan(x)
    x, labels = x[keep], labels[keep]
    if len(x):
        _, g = np.unique(labels, return_inverse=True)
        g = g.ravel()
    else:
        g = np.zeros(0, dtype=np.intp)
    return _icc_of_codes(x, g, grouping=grouping, scale=scale, wave=wave, target=target)


def _icc_of_codes(x: FloatArray, g: npt.NDArray[np.intp], *, grouping: str, scale: str,
                  wave: str | None, target: str | None) -> IntraclassCorrelation:
    """:func:`icc_oneway` of values ``x`` (no NaN) in groups ``g`` coded ``0..G-1`` (every
    code used) in the sorted order of the group labels."""
    n = len(x)
    counts = np.bincount(g).astype(np.float64) if n else np.zeros(0)
    n_groups = len(counts)
    df_b, df_w = n_groups - 1, n - n_groups
    none = IntraclassCorrelation(
        grouping=grouping, scale=scale, n=n, n_groups=n_groups, k=None,
        mean_group_size=n / n_groups if n_groups else None, ms_between=None, ms_within=None,
        df_between=max(df_b, 0), df_within=max(df_w, 0), icc1=None, icc2=None, wave=wave,
        target=target,
    )
    if n_groups < 2 or df_w < 1:
        return none
    means = np.bincount(g, weights=x) / counts
    grand = x.mean()
    msb = float((counts * (means - grand) ** 2).sum()) / df_b
    msw = float(((x - means[g]) ** 2).sum()) / df_w
    k0 = (n - float((counts**2).sum()) / n) / df_b
    denom1 = msb + (k0 - 1.0) * msw
    tiny = 1e-12 * max(abs(msb), abs(msw), 1.0)
    return attrs.evolve(
        none, k=k0, ms_between=msb, ms_within=msw,
        icc1=(msb - msw) / denom1 if denom1 > tiny else None,
        icc2=(msb - msw) / msb if msb > tiny else None,
    )


def respondent_scale_scores(
    study: Study,
    *,
    scale: Scale = "rc",
    wave: str | None = None,
    target: str | None = None,
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Each respondent's mean scale score over the targets they rated (complete cases).

    Returns ``(codes, scores)``: codes into ``study.respondents`` of the respondents with at
    least one complete respondent-tie, and their mean respondent-tie score (the plain mean
    of the scale's items, averaged over the targets rated).  Ratings without a respondent
    (workshop groups) are left out.  ``target`` restricts to ratings about one role.  This
    is the unit of the ICC: respondents nested in groups.
    """
    rows = RatingRows.of(study, wave)
    return _respondent_scores(study, rows, scale_keys(study.instrument, scale), target)


def _respondent_scores(study: Study, rows: RatingRows, keys: tuple[str, ...], target: str | None
                       ) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """:func:`respondent_scale_scores` on prepared rows."""
    ratings = study.ratings
    keep = rows.pick(ratings.respondent) >= 0
    if target is not None:
        keep &= rows.pick(ratings.target) == study.role_ids.index(study.role(target).id)
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    _, total, complete = rows.scale(keys)
    keep &= complete
    every = bool(keep.all())
    tie_score = (total if every else total[keep]) / len(keys)  # numpy's row mean: sum / J
    person = rows.pick(ratings.respondent)
    person = person if every else person[keep]
    size = len(study.respondents)
    counts = np.bincount(person, minlength=size)
    sums = np.bincount(person, weights=tie_score, minlength=size)
    codes = np.flatnonzero(counts).astype(np.int64)
    return codes, sums[codes] / counts[codes]


def _grouping_name(by: Grouping) -> str:
    return by if isinstance(by, str) else "custom"


def group_icc(
    study: Study,
    *,
    by: Grouping = "role",
    scale: Scale = "rc",
    wave: str | None = None,
    target: str | None = None,
) -> IntraclassCorrelation:
    """ICC(1) and ICC(2) of respondents' scale scores nested in a grouping (Bliese 2000).

    ``by`` is ``"role"`` (the respondent's role), ``"organisation"`` (their role's
    organisation; respondents whose role has none are left out) or a mapping respondent id
    -> group label (a site, a school; unmapped respondents are left out).  The value per
    respondent is :func:`respondent_scale_scores`.
    """
    if isinstance(by, str) and by not in ("role", "organisation"):
        raise ValueError(f"by must be 'role', 'organisation' or a mapping, got {by!r}")
    return _group_icc(study, RatingRows.of(study, wave), by=by, scale=scale, wave=wave,
                      target=target)


def _group_icc(study: Study, rows: RatingRows, *, by: Grouping, scale: Scale, wave: str | None,
               target: str | None) -> IntraclassCorrelation:
    """:func:`group_icc` on prepared rows.

    For ``"role"`` and ``"organisation"`` every respondent's group is a code in the sorted
    order of the labels (roles are sorted by id in a study), read from a per-role table,
    so no label string is built per respondent; a mapping's labels are sorted as
    :func:`icc_oneway` sorts them.
    """
    keys = scale_keys(study.instrument, scale)
    codes, scores = _respondent_scores(study, rows, keys, target)
    name = _grouping_name(by)
    if isinstance(by, str):
        role_of = {r.id: i for i, r in enumerate(study.roles)}
        person_role = np.fromiter((role_of[study.respondents[c].role] for c in codes.tolist()),
                                  dtype=np.intp, count=len(codes))
        if by == "role":
            group_of_role = np.arange(len(study.roles), dtype=np.intp)
            n_labels = len(study.roles)
        else:
            names = sorted({r.organisation for r in study.roles if r.organisation is not None})
            position = {o: i for i, o in enumerate(names)}
            group_of_role = np.array([-1 if r.organisation is None else position[r.organisation]
                                      for r in study.roles], dtype=np.intp)
            n_labels = len(names)
        group = group_of_role[person_role]
        known = group >= 0
        values = scores[known]
        _, g = _dense(group[known].astype(np.int64), max(n_labels, 1))
        return _icc_of_codes(values, g, grouping=name, scale=scale, wave=wave, target=target)
    labels = [by.get(study.respondents[c].id) for c in codes.tolist()]
    mapped = np.array([label is not None for label in labels], dtype=bool)
    group_labels = np.array([label for label in labels if label is not None], dtype=str)
    return icc_oneway(scores[mapped], group_labels,
                      grouping=name, scale=scale, wave=wave, target=target)


# --- everything at once ---------------------------------------------------------------


def _frozen_grouping(value: Grouping) -> Grouping:
    return value if isinstance(value, str) else MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class ReliabilitySettings:
    """What :func:`reliability_summary` computes and how.

    ``center`` of AD; ``by`` the ICC grouping; ``wave`` restricts every figure to one wave
    (``None``: all ratings, ties kept apart by wave); ``target`` restricts the ICC to
    ratings about one role; the cut-offs are the conventional .70 for alpha and r_wg(J).
    """

    center: Center = "mean"
    by: Grouping = attrs.field(default="role", converter=_frozen_grouping)
    wave: str | None = None
    target: str | None = None
    alpha_cutoff: float = ALPHA_CUTOFF
    rwg_cutoff: float = RWG_CUTOFF

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (a custom grouping is shown as ``"custom"``)."""
        return {
            "center": self.center, "by": _grouping_name(self.by), "wave": self.wave,
            "target": self.target, "alpha_cutoff": self.alpha_cutoff,
            "rwg_cutoff": self.rwg_cutoff, "complete_cases": True, "ddof": 1,
            "rwg_null": "uniform", "icc_k": "k0",
        }


def _frozen_alphas(value: Mapping[str, CronbachAlpha]) -> Mapping[str, CronbachAlpha]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class ReliabilitySummary:
    """Alpha of the RC index and both sub-indices, per-tie agreement and the ICC."""

    settings: ReliabilitySettings
    alpha: Mapping[str, CronbachAlpha] = attrs.field(converter=_frozen_alphas)
    agreement: TieAgreementTable
    icc: IntraclassCorrelation

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict for the Analysis ``reliability`` section."""
        return {
            "settings": self.settings.to_mapping(),
            "cronbach_alpha": {s: a.to_mapping() for s, a in self.alpha.items()},
            "agreement": self.agreement.to_mapping(),
            "icc": self.icc.to_mapping(),
        }


def scale_alpha(study: Study, scale: Scale = "rc", *, wave: str | None = None) -> CronbachAlpha:
    """Cronbach's alpha of ``scale`` over the study's respondent-ties (complete cases).

    Every rating (one respondent about one target role) is one case.
    """
    keys = scale_keys(study.instrument, scale)
    x = _rows(_scale_matrix(study, keys), _wave_mask(study, wave))
    return cronbach_alpha(x, names=keys, scale=scale, wave=wave)


def _scale_alphas(rows: RatingRows, study: Study, wave: str | None) -> dict[str, CronbachAlpha]:
    """:func:`scale_alpha` for every scale of :data:`SCALES`, sharing the work.

    The item matrix and its complete rows are prepared once (:class:`RatingRows`).  A sub-index
    whose complete cases are exactly the RC index's (no case answers the sub-index fully but
    misses an item of the other one: always so with complete data) takes its covariance
    matrix as a block of the RC index's, so the ratings are passed over once instead of
    three times.
    """
    all_keys, x, complete = rows.keys, rows.x, rows.complete
    n = int(np.count_nonzero(complete))
    every = n == len(x)
    cov = (_covariance(x, scratch=rows.scratch) if every
           else _covariance(x[complete], copied=True)) \
        if n >= 2 and len(all_keys) >= 2 else None
    out = {"rc": _alpha_of_cov(cov, n, all_keys, "rc", wave)}
    missing = None if every else np.isnan(x)
    for scale in SCALES[1:]:
        keys = scale_keys(study.instrument, scale)
        cols = [all_keys.index(k) for k in keys]
        if missing is None:  # no missing value at all: every case is complete on every scale
            sub_complete = None
            sub_n = n
        else:
            sub_complete = ~missing[:, cols].any(axis=1)
            sub_n = int(np.count_nonzero(sub_complete))
        if cov is not None and len(cols) >= 2 and sub_n == n:
            out[scale] = _alpha_of_cov(cov[np.ix_(cols, cols)], n, keys, scale, wave)
        else:
            out[scale] = cronbach_alpha(_rows(x[:, cols], sub_complete), names=keys,
                                        scale=scale, wave=wave)
    return out


def reliability_summary(
    study: Study, settings: ReliabilitySettings | None = None
) -> ReliabilitySummary:
    """Every reliability figure of ``study``: alpha per scale, tie agreement (RC index), ICC."""
    return reliability_summary_and_rows(study, settings)[0]


def reliability_summary_and_rows(
    study: Study, settings: ReliabilitySettings | None = None
) -> tuple[ReliabilitySummary, RatingRows]:
    """:func:`reliability_summary` and the prepared rows it was computed from (the privacy
    rule counts the raters behind each tie from the same rows)."""
    settings = settings or ReliabilitySettings()
    if settings.center not in get_args(Center):
        raise ValueError(f"center must be 'mean' or 'median', got {settings.center!r}")
    by = settings.by
    if isinstance(by, str) and by not in ("role", "organisation"):
        raise ValueError(f"by must be 'role', 'organisation' or a mapping, got {by!r}")
    rows = RatingRows.of(study, settings.wave)
    summary = ReliabilitySummary(
        settings=settings,
        alpha=_scale_alphas(rows, study, settings.wave),
        agreement=_tie_agreement(study, rows, rows.keys, scale="rc", center=settings.center,
                                 wave=settings.wave, rwg_cutoff=settings.rwg_cutoff),
        icc=_group_icc(study, rows, by=by, scale="rc", wave=settings.wave,
                       target=settings.target),
    )
    return summary, rows
