"""The rating rows a reliability figure is computed from: scales, waves and complete cases.

Alpha, agreement, the ICC and the privacy rule's rater counts start from the same rows of
one wave on the RC index's items ([`RatingRows`][relcoord.metrics.reliability.rows.RatingRows]), so
the item block is read and checked for missing values once.  Cases with a missing item of the scale
are left out of every figure (complete cases); alpha also leaves out the rows the scores do not
count (fewer than ``min_items`` items answered,
[`RatingRows.counted`][relcoord.metrics.reliability.rows.RatingRows.counted]), so that it describes
the respondent-ties the scores beside it rest on.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.instruments import Instrument
from relcoord.metrics.reliability.grouped import select_rows
from relcoord.metrics.tie_cells import TieCells
from relcoord.metrics.wave_rows import wave_rows
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

FloatArray = npt.NDArray[np.float64]

Scale = Literal["rc", "communication", "relationship"]

__all__ = [
    "SCALES",
    "RatingRows",
    "Scale",
    "items_needed",
    "scale_keys",
    "scale_matrix",
]

#: The scales reliability is reported for: the RC index and its two sub-indices.
SCALES: Final[tuple[Scale, ...]] = ("rc", "communication", "relationship")


def scale_keys(instrument: Instrument, scale: Scale) -> tuple[str, ...]:
    """The dimension keys of ``scale``: all items for ``"rc"``, else the sub-index's items."""
    if scale == "rc":
        return instrument.keys
    if scale in ("communication", "relationship"):
        return instrument.keys_of(scale)
    raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")


def items_needed(instrument: Instrument, min_items: int | None) -> int:
    """The ``min_items`` rule of the scores for ``instrument``: ``min_items`` itself, or
    the default rule (``ceil(5/7 * n_items)``) for ``None``
    ([`items_needed`][relcoord.settings.AnalysisSettings.items_needed])."""
    return AnalysisSettings(min_items=min_items).items_needed(instrument)


def scale_matrix(study: Study, keys: Sequence[str]) -> FloatArray:
    """The ``(n, J)`` block of the items ``keys`` of every rating (a view when ``keys`` are
    all items in order)."""
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
    [`cells`][relcoord.metrics.reliability.rows.RatingRows.cells] groups the rows into the ties per
    wave whose raters' agreement is computed.
    """

    study: Study
    keys: tuple[str, ...]
    chosen: npt.NDArray[np.bool_] | None
    x: FloatArray
    total: FloatArray
    complete: npt.NDArray[np.bool_]

    @functools.cached_property
    def scratch(self) -> FloatArray:
        """A block shaped like `x` for temporaries
        (centred items, deviations), shared so that a large block is allocated once."""
        return np.empty_like(self.x)

    @functools.cached_property
    def cells(self) -> TieCells:
        """The study's ratings in tie cells kept apart by wave: the groups of raters whose
        agreement is computed, and whose distinct respondents the privacy rule counts."""
        return TieCells.of(self.study, by_wave=True)

    @functools.cached_property
    def codes(self) -> npt.NDArray[np.int64]:
        """The tie cell (rater role, target role, wave) of every chosen row, as
        [`cells`][relcoord.metrics.reliability.rows.RatingRows.cells] codes it."""
        return self.pick(self.cells.codes)

    @classmethod
    def of(cls, study: Study, wave: str | None) -> RatingRows:
        """The rows of ``wave`` (every row for ``None``) of ``study``."""
        keys = scale_keys(study.instrument, "rc")
        mask = wave_rows(study, wave)
        chosen = None if mask.all() else mask
        x = select_rows(scale_matrix(study, keys), chosen)
        total = _row_sums(x)
        return cls(study=study, keys=keys, chosen=chosen, x=x, total=total,
                   complete=_complete(x, total))

    def pick(self, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """The chosen rows of a per-rating array."""
        return values if self.chosen is None else values[self.chosen]

    def counted(self, min_items: int) -> npt.NDArray[np.bool_]:
        """The rows that count under ``min_items``: at least that many of the RC index's
        items answered, as
        [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores]
        counts them.  A complete row always counts; only the others are looked at."""
        counted = self.complete.copy()
        unsure = np.flatnonzero(~counted)
        if len(unsure):
            answered = len(self.keys) - np.count_nonzero(np.isnan(self.x[unsure]), axis=1)
            counted[unsure] = answered >= min_items
        return counted

    def scale(self, keys: Sequence[str]
              ) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
        """Item block, row sums and complete rows of a scale (a subset of
        `keys`)."""
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

