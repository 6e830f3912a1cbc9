"""Spread of the respondent-tie scores behind a figure: SD, median and quartiles.

An RC figure is a mean; beside it the analysis shows how the respondent-tie RC scores it
rests on are spread: their standard deviation (sample, ``ddof=1``), median and first and
third quartiles.  The scores are those of the figure's counted respondent-ties, each once,
whatever the weighting (the weighting decides how the mean weighs them, not which scores
there are).  Quantiles interpolate linearly between order statistics, R's default type 7
(Hyndman & Fan 1996) and numpy's default, so ``quantile(x, c(.25, .5, .75))`` in R gives
the same numbers.

Groups of scores (per tie, per role as rater or target) are handled at once: the scores are
sorted once by value and then, stably, by group (a radix sort of small integer codes), so
each group's scores lie together in order and every quantile is read off by position.

Sources:
    Hyndman, R.J. & Fan, Y. (1996). Sample quantiles in statistical packages. *The American
    Statistician* 50(4), 361-365.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores.results import Spread

__all__ = ["ScoreOrder", "grouped_spreads", "spread_of"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: The quantiles reported: first quartile, median, third quartile.
_QUANTILES = (0.25, 0.5, 0.75)


def _spreads(ordered: Floats, counts: Ints) -> list[Spread]:
    """The spread of each group of ``ordered``: groups lie one after another, ``counts[g]``
    scores each, in ascending order within a group."""
    n_groups = len(counts)
    starts = np.cumsum(counts) - counts
    has = counts > 0
    quantiles = []
    for q in _QUANTILES:
        position = q * np.maximum(counts - 1, 0)
        low = np.floor(position).astype(np.int64)
        high = np.minimum(low + 1, np.maximum(counts - 1, 0))
        t = (position - low)[has]
        below = ordered[(starts + low)[has]]
        above = ordered[(starts + high)[has]]
        diff = above - below  # numpy's linear interpolation, operation for operation
        picked = np.full(n_groups, np.nan)
        picked[has] = np.where(t >= 0.5, above - diff * (1 - t), below + diff * t)
        quantiles.append(picked)
    with np.errstate(invalid="ignore", divide="ignore"):
        group_of = np.repeat(np.arange(n_groups), counts)
        means = np.bincount(group_of, weights=ordered, minlength=n_groups) / counts
        deviation = ordered - means[group_of]
        sd = np.sqrt(np.bincount(group_of, weights=deviation * deviation,
                                 minlength=n_groups) / (counts - 1))
    sd[counts < 2] = np.nan
    return [Spread(sd=s, median=m, lower_quartile=a, upper_quartile=b) if n else Spread()
            for s, a, m, b, n in zip(_plain(sd), _plain(quantiles[0]), _plain(quantiles[1]),
                                     _plain(quantiles[2]), counts.tolist(), strict=True)]


def _plain(values: Floats) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]


class ScoreOrder:
    """Scores sorted by value once, for the spreads of many subsets and groupings of them."""

    def __init__(self, values: Floats) -> None:
        self.order: Ints = np.argsort(values, kind="stable").astype(np.int64)
        self.ordered: Floats = values[self.order]

    def of(self, rows: Bools) -> Spread:
        """The spread of the scores picked by the mask ``rows`` (over the scores)."""
        chosen = self.ordered[rows[self.order]]
        return _spreads(chosen, np.array([len(chosen)], dtype=np.int64))[0]

    def grouped(self, groups: Ints, n_groups: int) -> list[Spread]:
        """The spread of the scores of each group ``0..n_groups-1`` (``groups`` holds the
        group of each score, -1 for none): sorted by group, stably, a radix sort of small
        codes, so that each group's scores stay in ascending order."""
        code = groups[self.order]
        keep = code >= 0
        code, ordered = code[keep], self.ordered[keep]
        small = np.uint16 if n_groups <= np.iinfo(np.uint16).max else np.int64
        regroup = np.argsort(code.astype(small), kind="stable")
        counts = np.bincount(code, minlength=n_groups).astype(np.int64)
        return _spreads(ordered[regroup], counts)


def grouped_spreads(values: Floats, groups: Ints, n_groups: int) -> list[Spread]:
    """:func:`spread_of` of the scores of each group ``0..n_groups-1``, vectorised over the
    groups (``values`` without NaN; ``groups`` the group of each score, -1 for none)."""
    return ScoreOrder(values).grouped(groups, n_groups)


def spread_of(values: Floats) -> Spread:
    """SD (``ddof=1``; ``None`` for fewer than two scores), median and quartiles (type 7;
    ``None`` without scores) of ``values`` (no NaN)."""
    ordered = np.sort(values)
    return _spreads(ordered, np.array([len(ordered)], dtype=np.int64))[0]
