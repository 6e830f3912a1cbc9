"""A text column of a table as one integer code per cell: equal cells, equal codes.

The long layout compares and groups millions of label cells (respondents, roles, items);
comparing polars' categorical codes instead of the texts, and decoding each distinct text
once, keeps that vectorised.  [`CodedColumn`][relcoord.formats.csv.coded_column.CodedColumn] holds
such codes for one column; [`changed_rows`][relcoord.formats.csv.coded_column.changed_rows] finds
the rows where any of several columns changes from the row before (where the runs of a rating's
answers start).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final, TypeVar

import numpy as np
import numpy.typing as npt

from relcoord.optional_dependencies import optional_module

if TYPE_CHECKING:
    import polars as pl
else:
    pl = optional_module("polars", "reading and writing CSV files")

__all__ = ["CodedColumn", "changed_rows"]

#: Cells sampled first to find the distinct labels of a column.
_SAMPLE_CELLS: Final = 4096

_Int = TypeVar("_Int", np.int16, np.int32)


class CodedColumn:
    """A text column as one integer code per cell: equal codes for equal cells.

    A categorical column's physical codes are used as they are; a text column is made
    categorical first.  A null cell (an unquoted empty cell of a categorical column) gets a
    code of its own and reads as ``""``.
    """

    def __init__(self, series: pl.Series) -> None:
        if series.dtype != pl.Categorical:
            series = series.cast(pl.Categorical)
        physical = series.to_physical()
        self.null_code = -1
        if physical.null_count():
            largest = physical.max()
            self.null_code = (largest if isinstance(largest, int) else 0) + 1
            physical = physical.fill_null(self.null_code)
        self.series = series
        self.physical = physical

    @functools.cached_property
    def codes(self) -> npt.NDArray[np.uint32]:
        """The codes as one numpy array (copied from polars' chunks on first use)."""
        codes: npt.NDArray[np.uint32] = self.physical.to_numpy()
        return codes

    def texts(self, rows: npt.NDArray[np.intp] | None = None
              ) -> tuple[npt.NDArray[np.int32], list[str]]:
        """The cells of ``rows`` (all rows when ``None``) as indexes into distinct texts.

        The distinct texts are first looked up among the column's first few thousand cells
        (enough where labels repeat, such as items and roles); when those miss a code, one
        cell per distinct code of ``rows`` is decoded (a text no cell of ``rows`` holds is
        blanked to ``""``).
        """
        codes = self.codes if rows is None else self.physical.gather(rows).to_numpy()
        if not len(codes):
            return np.zeros(0, dtype=np.int32), []
        found, texts = self._sample()
        local = np.take(self._lut(found, np.arange(len(found), dtype=np.int32)), codes,
                        mode="clip")
        if local.min() >= 0:
            if rows is not None:
                used = np.bincount(local, minlength=len(texts)) > 0
                texts = [t if u else "" for t, u in zip(texts, used.tolist(), strict=True)]
            return local, texts
        # one row per distinct code: any row that holds it will do
        where = np.full(int(codes.max()) + 1, -1, dtype=np.intp)
        where[codes] = np.arange(len(codes))
        present = np.flatnonzero(where >= 0)
        holders = where[present] if rows is None else rows[where[present]]
        texts = [t or "" for t in self.series.gather(holders).cast(pl.String).to_list()]
        lut = np.full(len(where), -1, dtype=np.int32)
        lut[present] = np.arange(len(present), dtype=np.int32)
        return lut[codes], texts

    def values(self, value_of: Callable[[Sequence[str]], npt.NDArray[_Int]]
               ) -> npt.NDArray[_Int]:
        """``value_of(texts)`` (one value >= -1 per text) for each cell, in one look-up
        (a polars gather on the physical codes, which numpy would first copy)."""
        found, texts = self._sample()
        if len(self.physical):
            lut = self._lut(found, value_of(texts))
            codes = self.physical
            largest = codes.max()
            if isinstance(largest, int) and largest >= len(lut):
                lut = np.concatenate([lut, np.full(largest + 1 - len(lut), -2, lut.dtype)])
            values: npt.NDArray[_Int] = pl.Series(lut).gather(codes).to_numpy()
            if values.min() >= -1:
                return values
        local, texts = self.texts()
        return np.take(value_of(texts), local)

    def _sample(self) -> tuple[list[int], list[str]]:
        """The distinct codes and texts among the column's first cells."""
        distinct = self.series.head(_SAMPLE_CELLS).unique()
        found = [self.null_code if c is None else int(c)
                 for c in distinct.to_physical().to_list()]
        return found, [t or "" for t in distinct.cast(pl.String).to_list()]

    @staticmethod
    def _lut(found: Sequence[int], values: npt.NDArray[_Int]) -> npt.NDArray[_Int]:
        """A table from code to value for the codes ``found``; other codes get ``-2``.

        Its last entry is ``-2`` too, so a look-up with ``mode="clip"`` sends codes beyond
        the largest found there.
        """
        lut = np.full(max(found, default=0) + 2, -2, dtype=values.dtype)
        lut[list(found)] = values
        return lut



def changed_rows(columns: Sequence[CodedColumn], n: int) -> npt.NDArray[np.bool_]:
    """Rows (of ``n``) where any of ``columns`` holds another cell than the row before; the
    first row counts as a change.  Compared in polars, column by column in parallel."""
    if not columns or not n:
        mask = np.zeros(n, dtype=bool)
        mask[:1] = True
        return mask
    codes = pl.DataFrame([c.physical.alias(f"k{i}") for i, c in enumerate(columns)])
    changed = codes.select(pl.any_horizontal(pl.all().ne_missing(pl.all().shift(1))))
    return np.asarray(changed.to_series().to_numpy(), dtype=bool)
