"""The two yardsticks of a change: the minimal detectable change and the percentile interval.

The MDC says how large a change must be to exceed measurement error (Weir 2005; de Vet et
al. 2006), for a figure that is a weighted mean of scores from the sum of its squared
weights (Kish 1965); the percentile bootstrap interval how far sampling moves it (Efron &
Tibshirani 1993, ch. 13).  Full references in [`relcoord.metrics.waves`][relcoord.metrics.waves].
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["minimal_detectable_change", "percentile_interval"]

Floats = npt.NDArray[np.float64]

#: The two-sided 95 % quantile of the standard normal distribution.
_Z95: Final = 1.959963984540054


def minimal_detectable_change(
    sd: float, reliability: float, *, n_a: int | None = None, n_b: int | None = None,
    squared_weights: tuple[float, float] | None = None, z: float = _Z95,
) -> float | None:
    """MDC95 = z * sqrt(2) * SEM, SEM = SD * sqrt(1 - reliability) (Weir 2005; de Vet 2006).

    With ``n_a`` and ``n_b`` the MDC of a change between two plain means of that many
    scores: z * SEM * sqrt(1/n_a + 1/n_b) (equal to MDC95 / sqrt(n) for n_a = n_b = n).
    With ``squared_weights`` ``(s_a, s_b)``, the sums of the squared weights of the scores
    in each wave's weighted mean (weights summing to 1): z * SEM * sqrt(s_a + s_b), since a
    weighted mean of scores with independent errors of variance SEM^2 has error variance
    SEM^2 * sum w_i^2 (Kish 1965: 1 / sum w_i^2 is its effective number of scores; a plain
    mean of n scores has sum w_i^2 = 1/n).  ``None`` when the reliability is outside
    [0, 1] or a mean has no scores.
    """
    if not (0.0 <= reliability <= 1.0) or math.isnan(sd):
        return None
    sem = sd * math.sqrt(1.0 - reliability)
    if squared_weights is not None:
        s_a, s_b = squared_weights
        if not (s_a > 0 and s_b > 0 and math.isfinite(s_a) and math.isfinite(s_b)):
            return None
        return z * sem * math.sqrt(s_a + s_b)
    if n_a is None and n_b is None:
        return z * math.sqrt(2.0) * sem
    if not n_a or not n_b:
        return None
    return z * sem * math.sqrt(1.0 / n_a + 1.0 / n_b)


def percentile_interval(replicates: npt.ArrayLike, confidence: float = 0.95
                        ) -> tuple[Floats, Floats]:
    """Percentile bootstrap limits of each column of ``replicates`` (``(B, F)``), NaN-aware.

    Columns are sorted once; NaN replicates (figure undefined in that replicate) are left
    out, and a column without any valid replicate gets NaN limits.  Positions are
    interpolated linearly as `numpy.percentile` does (Efron & Tibshirani 1993, ch. 13).
    """
    reps = np.asarray(replicates, dtype=np.float64)
    if reps.ndim == 1:
        reps = reps[:, None]
    ordered = np.sort(reps, axis=0)  # NaN sorts last
    valid = np.count_nonzero(~np.isnan(reps), axis=0)
    tail = (1.0 - confidence) / 2.0
    limits = []
    cols = np.arange(reps.shape[1])
    for q in (tail, 1.0 - tail):
        pos = q * np.maximum(valid - 1, 0)
        low = np.floor(pos).astype(np.intp)
        high = np.minimum(low + 1, np.maximum(valid - 1, 0))
        frac = pos - low
        if len(ordered):
            value = ordered[low, cols] * (1 - frac) + ordered[high, cols] * frac
            value = np.where(frac == 0, ordered[low, cols], value)
        else:
            value = np.full(reps.shape[1], np.nan)
        limits.append(np.where(valid > 0, value, np.nan))
    return limits[0], limits[1]
