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
        """The cells of ``rows`` (all rows when ``None``) as indexes into distinct texts (a
        text no cell of ``rows`` holds is blanked to ``""``); see
        [`text_table`][relcoord.formats.csv.coded_column.CodedColumn.text_table]."""
        codes, lut, texts = self.text_table(rows)
        local: npt.NDArray[np.int32] = np.take(lut, codes, mode="clip")
        return local, texts

    def text_table(self, rows: npt.NDArray[np.intp] | None = None
                   ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int32], list[str]]:
        """The codes of ``rows`` (all rows when ``None`` or when ``rows`` lists every row),
        a table from code to an index into distinct texts, and those texts.

        ``table[code]`` is the index of the code's text; the table's last entry, beyond the
        largest code of ``rows``, is ``-1``, so that ``np.take(table, codes, mode="clip")``
        turns codes into text indexes in one pass (the caller may first map the table).  A
        text no cell of ``rows`` holds is blanked to ``""``.  The distinct texts are first
        looked up among the column's first few thousand cells (enough where labels repeat,
        such as items and roles); when those miss a code of ``rows``, one cell per distinct
        code is decoded instead.
        """
        every = rows is None or len(rows) == len(self.physical)  # sorted, distinct rows
        picked = self.physical if rows is None or every else self.physical.gather(rows)
        codes: npt.NDArray[np.uint32] = (self.codes if every else picked.to_numpy())
        if not len(codes):
            return codes, np.full(1, -1, dtype=np.int32), []
        largest = int(codes.max())
        present = np.zeros(largest + 1, dtype=bool)
        present[codes] = True
        found, texts = self._sample()
        lut = self._lut(found, np.arange(len(found), dtype=np.int32))
        if largest + 1 < len(lut) and bool((lut[:largest + 1][present] >= 0).all()):
            lut = lut[:largest + 2].copy()
            lut[largest + 1] = -1
            if not every:
                used = np.zeros(len(texts), dtype=bool)
                used[lut[:largest + 1][present]] = True
                texts = [t if u else "" for t, u in zip(texts, used.tolist(), strict=True)]
            return codes, lut, texts
        # one cell per distinct code: the first that holds it will do
        holders = picked.arg_unique().to_numpy()
        held = codes[holders]
        texts = [t or "" for t in self.series.gather(
            holders if every or rows is None else rows[holders]).cast(pl.String).to_list()]
        lut = np.full(largest + 2, -1, dtype=np.int32)
        lut[held] = np.arange(len(held), dtype=np.int32)
        return codes, lut, texts

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
