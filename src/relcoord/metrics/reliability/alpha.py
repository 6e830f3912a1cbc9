"""Cronbach's alpha of the RC index and its sub-indices, with item statistics.

Cases are respondent-ties (ratings): those the scores count (at least ``min_items`` of the
instrument's items answered) that are complete on the scale's items, so that the alpha of a
sub-index describes the rows its scores rest on; variances are sample variances
(``ddof=1``).  Besides alpha itself, each item's corrected
item-total correlation and the alpha of the scale without it, all from one item covariance
matrix.

Sources:
    Cronbach, L.J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16(3), 297-334.
    Nunnally, J.C. (1978). *Psychometric Theory* (2nd ed.). McGraw-Hill.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.json_values import float_or_none, json_ready
from relcoord.metrics.reliability.grouped import column_means, select_rows
from relcoord.metrics.reliability.plain import plain_floats
from relcoord.metrics.reliability.rows import (
    SCALES,
    RatingRows,
    Scale,
    items_needed,
    scale_keys,
)
from relcoord.model import Study

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "ALPHA_CUTOFF",
    "CronbachAlpha",
    "alpha_of_covariance",
    "cronbach_alpha",
    "scale_alpha",
    "scale_alphas",
]

#: The conventional minimum for Cronbach's alpha (Nunnally 1978).
ALPHA_CUTOFF: Final = 0.70


@attrs.frozen(kw_only=True)
class CronbachAlpha:
    """Cronbach's alpha of one scale, with its item statistics.

    ``n`` is the number of cases used: complete on the scale's items and, when ``min_items``
    is set, counted by the scores under that rule (at least ``min_items`` of the
    instrument's items answered); a scale without items has no case.  ``item_total`` holds
    the corrected item-total correlation of each item (the item against the sum of the
    *other* items) and ``alpha_if_deleted`` the alpha of the scale without it, both in the
    order of ``items``.  ``alpha`` is ``None`` when it is undefined (fewer than
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
    min_items: int | None = None

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` for undefined values)."""
        return json_ready({
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
            "min_items": self.min_items,
        })


def cronbach_alpha(
    items: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    scale: str = "custom",
    wave: str | None = None,
    min_items: int | None = None,
) -> CronbachAlpha:
    """Cronbach's alpha of an ``(n, J)`` item matrix (rows = cases, NaN = missing).

    alpha = J / (J - 1) * (1 - sum of item variances / variance of the sum), over complete
    cases, with sample variances (``ddof=1``) (Cronbach 1951).  ``min_items`` is recorded
    only: the rule that chose the rows (see
        [`scale_alpha`][relcoord.metrics.reliability.alpha.scale_alpha]).  Computed from the item
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
    x = select_rows(x, ~np.isnan(x).any(axis=1))
    n = len(x) if n_items else 0  # no item, no case answers the scale
    cov = _covariance(x) if n >= 2 and n_items >= 2 else None
    return _alpha_of_cov(cov, n, keys, scale, wave, min_items)


def _covariance(x: FloatArray, *, copied: bool = False, scratch: FloatArray | None = None
                ) -> FloatArray:
    """``np.cov(x, rowvar=False, ddof=1)`` of an ``(n, J)`` block (n >= 2), the same
    operations in the same order (so the same bits) without ``np.cov``'s extra copy: centre
    on the column means, then one product of the centred block with itself.  ``copied``:
    ``x`` is a scratch copy that may be centred in place; ``scratch``: a block shaped like
    ``x`` to centre into."""
    mean = column_means(x)
    out = x if copied else scratch if scratch is not None and scratch.shape == x.shape else None
    centred = np.subtract(x, mean, out=out)
    cov = np.dot(centred.T, centred)
    cov *= np.true_divide(1, len(x) - 1)
    return np.asarray(cov, dtype=np.float64)


def _alpha_of_cov(cov: FloatArray | None, n: int, keys: tuple[str, ...], scale: str,
                  wave: str | None, min_items: int | None) -> CronbachAlpha:
    """Alpha, item-total correlations and alpha-if-deleted from the item covariance matrix
    of ``n`` complete cases (``None`` when there are fewer than two cases or items)."""
    n_items = len(keys)
    nothing = (None,) * n_items
    if cov is None or n < 2 or n_items < 2:
        return CronbachAlpha(scale=scale, items=keys, n=n, alpha=None, item_total=nothing,
                             alpha_if_deleted=nothing, wave=wave, min_items=min_items)
    item_var = np.diag(cov)
    trace, total = float(item_var.sum()), float(cov.sum())
    tiny = 1e-12 * max(trace, 1.0)
    alpha = n_items / (n_items - 1) * (1.0 - trace / total) if total > tiny else None
    row = cov.sum(axis=1)
    rest_var = total - 2.0 * row + item_var  # variance of the sum without item j
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = np.sqrt(item_var * rest_var)
        # a correlation with an item or a rest that does not vary is undefined (their
        # product's root can pass the threshold on rounding noise alone)
        item_total = np.where((item_var > tiny) & (rest_var > tiny), (row - item_var) / denom,
                              np.nan)
        if n_items >= 3:
            k = n_items - 1
            deleted = np.where(rest_var > tiny, k / (k - 1) * (1.0 - (trace - item_var) / rest_var),
                               np.nan)
        else:
            deleted = np.full(n_items, np.nan)
    return CronbachAlpha(
        scale=scale, items=keys, n=n, alpha=float_or_none(alpha),
        item_total=plain_floats(item_total), alpha_if_deleted=plain_floats(deleted), wave=wave,
        min_items=min_items,
    )


def alpha_of_covariance(cov: FloatArray | None, n: int, keys: tuple[str, ...], scale: str,
                        wave: str | None, min_items: int | None) -> CronbachAlpha:
    """Alpha, item-total correlations and alpha-if-deleted of ``scale`` (items ``keys``) from the
    ``ddof=1`` item covariance matrix ``cov`` of its ``n`` complete cases (``None`` when there
    are fewer than two cases or items), as
    [`cronbach_alpha`][relcoord.metrics.reliability.alpha.cronbach_alpha] computes them from the
    cases themselves (Cronbach 1951)."""
    return _alpha_of_cov(cov, n, keys, scale, wave, min_items)


def scale_alpha(study: Study, scale: Scale = "rc", *, wave: str | None = None,
                min_items: int | None = None) -> CronbachAlpha:
    """Cronbach's alpha of ``scale`` on the respondent-ties the scores use.

    Every rating (one respondent about one target role) is one case when the scores count
    it under ``min_items`` (``None``: the scores' default rule, ``ceil(5/7 * n_items)``;
    see [`items_needed`][relcoord.settings.AnalysisSettings.items_needed]) and it answers every item
    of ``scale``.  For the RC index that is every complete rating; a sub-index also leaves
    out ratings complete on its own items whose other items are too few to count.
    """
    keys = scale_keys(study.instrument, scale)
    needed = items_needed(study.instrument, min_items)
    rows = RatingRows.of(study, wave)
    x = select_rows(rows.scale(keys)[0], rows.counted(needed))
    return cronbach_alpha(x, names=keys, scale=scale, wave=wave, min_items=needed)


def scale_alphas(rows: RatingRows, study: Study, wave: str | None, min_items: int
                 ) -> dict[str, CronbachAlpha]:
    """[`scale_alpha`][relcoord.metrics.reliability.alpha.scale_alpha] for every scale of
    [`SCALES`][relcoord.metrics.reliability.rows.SCALES], sharing the work.

    The item matrix and its complete rows are prepared once
    ([`RatingRows`][relcoord.metrics.reliability.rows.RatingRows]).  A sub-index whose cases are
    exactly the RC index's (no counted case answers the sub-index fully but misses an item of the
    other one: always so with complete data) takes its covariance matrix as a block of the RC
    index's, so the ratings are passed over once instead of three times.  ``min_items`` is the
    scores' rule in force (a number).
    """
    all_keys, x, complete = rows.keys, rows.x, rows.complete
    n = int(np.count_nonzero(complete))
    every = n == len(x)
    cov = (_covariance(x, scratch=rows.scratch) if every
           else _covariance(x[complete], copied=True)) \
        if n >= 2 and len(all_keys) >= 2 else None
    out = {"rc": _alpha_of_cov(cov, n if all_keys else 0, all_keys, "rc", wave, min_items)}
    missing = None if every else np.isnan(x)
    counted = None if every else rows.counted(min_items)
    for scale in SCALES[1:]:
        keys = scale_keys(study.instrument, scale)
        cols = [all_keys.index(k) for k in keys]
        if missing is None or counted is None:  # every case is complete on every scale
            sub_rows = None
            sub_n = n
        else:
            sub_rows = counted & ~missing[:, cols].any(axis=1)
            sub_n = int(np.count_nonzero(sub_rows))
        # the RC index's complete cases are among the sub-index's: the same count, the
        # same rows
        if cov is not None and len(cols) >= 2 and sub_n == n:
            out[scale] = _alpha_of_cov(cov[np.ix_(cols, cols)], n, keys, scale, wave,
                                       min_items)
        else:
            out[scale] = cronbach_alpha(select_rows(x[:, cols], sub_rows), names=keys,
                                        scale=scale, wave=wave, min_items=min_items)
    return out
