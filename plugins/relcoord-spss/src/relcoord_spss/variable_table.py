"""The cases of one or more SPSS files as a table the CSV layouts read, located by variable.

The long and wide layouts of [`relcoord.formats.csv`][relcoord.formats.csv] read a
[`Table`][relcoord.formats.csv.table.Table]: header cells, a polars frame with columns
``c0``, ``c1``... and a ``row`` column, and the means to say where a cell is.
`VariableTable` is such a table whose header cells are variable names and whose
places are cases: ``survey.sav: variable q3, row 12`` (the 12th case of the file), or
``survey.sav: variable q3`` for the variable itself.  Merged files keep each case's own
file and row number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from relcoord.formats.csv.dialect import Dialect
from relcoord.formats.csv.table import Table
from relcoord_spss.labelled_notes import case_location

__all__ = ["VariableTable"]

#: A labelled file has no delimiter and no decimal mark to sniff: nothing to note.
_NO_DIALECT = Dialect(encoding="", delimiter=",", decimal=".", sniffed=False,
                      decimal_guessed=False)


class VariableTable(Table):
    """Cases of one or more files as a [`Table`][relcoord.formats.csv.table.Table].

    ``files`` names the files in order and ``offsets[i]`` is the first ``row`` of file
    ``i``; a case's row number in its file is its ``row`` minus its file's offset, plus 1.
    """

    def __init__(self, name: str, header: Sequence[str], frame: pl.DataFrame,
                 files: Sequence[str], offsets: Sequence[int]) -> None:
        super().__init__(name, header, frame, _NO_DIALECT, b"")
        self.files = tuple(files)
        self.offsets = np.asarray(offsets, dtype=np.int64)

    def _cases(self, rows: Iterable[int] | npt.NDArray[Any]
               ) -> list[tuple[str, int]]:
        index = np.asarray([int(r) for r in rows], dtype=np.int64)
        which = np.searchsorted(self.offsets, index, side="right") - 1
        return [(self.files[f], int(r - self.offsets[f]) + 1)
                for f, r in zip(which.tolist(), index.tolist(), strict=True)]

    def lines(self, rows: Iterable[int] | npt.NDArray[Any]) -> list[int]:
        """The case numbers (1-based, in their own files) of ``rows``."""
        return [number for _, number in self._cases(rows)]

    def locations(self, rows: Sequence[int], column: int | None) -> list[str]:
        """``file: variable NAME, row N`` of each of ``rows`` (``file: row N`` without a
        column)."""
        variable = None if column is None else self.header[column]
        return [case_location(file, variable, number - 1) for file, number in self._cases(rows)]

    def header_location(self, column: int | None) -> str:
        """``file: variable NAME`` (the file alone for ``None``)."""
        return case_location(self.name, None if column is None else self.header[column])

    def layout_setting(self, layout: str) -> str:
        """``-I layout=long`` or ``-I layout=wide`` (a relationship map's arrows are the wide
        layout with the relationskort instrument)."""
        if layout == "relationskort":
            return "-I layout=wide -I instrument=relationskort"
        return f"-I layout={layout}"

    def record_place(self, row: int) -> str:
        """``row N``, and the file when several are merged."""
        ((file, number),) = self._cases([row])
        return f"row {number}" if len(self.files) == 1 else f"row {number} of {file}"
