"""Answer cells to scored values: numbers, missing markers, positions and scores.

A survey file holds either the answer's *position* in the list shown (1 = first answer) or
its *score* (5 = best).  They differ only where an instrument scores non-monotonically: the
current RC Survey's frequency item, shown as "not nearly enough ... much too often" and
scored 1, 3, 5, 4, 2.  Importers take a ``values`` option:

``"positions"``
    cells are answer positions, turned into scores through the instrument (what survey
    platforms export: the code of the answer ticked);
``"scores"``
    cells are already scored and must be values on the instrument's scale;
``"auto"`` (default)
    scores when the value column of a long table is headed ``score`` (what relcoord's own
    exporter writes), positions otherwise (see :func:`resolve_values`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from relcoord.errors import Problem
from relcoord.formats.csv.columns import normalise
from relcoord.formats.csv.table import Table
from relcoord.instruments import Dimension

__all__ = ["DEFAULT_MISSING", "ValueKind", "parse_numbers", "resolve_values", "score_cells"]

ValueKind = Literal["positions", "scores"]
#: Cell texts read as a missing answer ("don't know" is missing, not low).
DEFAULT_MISSING: Final = ("", "NA", "N/A", "na", "n/a", "NaN", ".", "-")
_SCORE_HEADERS: Final = frozenset({"score", "scores", "scored", "score value"})


def resolve_values(option: str, value_header: str | None, name: str) -> ValueKind:
    """The value kind for ``option`` (``auto``, ``positions`` or ``scores``).

    ``auto`` means scores when ``value_header`` (a long table's value column) is headed
    ``score``, positions otherwise.
    """
    if option == "positions":
        return "positions"
    if option == "scores":
        return "scores"
    if option != "auto":
        raise ValueError(f"values must be 'auto', 'positions' or 'scores', not {option!r}")
    if value_header is not None and normalise(value_header) in _SCORE_HEADERS:
        return "scores"
    return "positions"


def parse_numbers(
    table: Table, cells: pl.Series, rows: pl.Series, column: int,
    *, missing: Sequence[str] = DEFAULT_MISSING,
) -> tuple[npt.NDArray[np.float64], list[Problem]]:
    """Cells as float64 (``NaN`` for a missing answer), vectorised, and the cells that are
    not numbers, each located.

    Surrounding space is ignored; with the table's decimal mark ``,`` a comma is read as
    decimal mark (``"3,5"``); texts in ``missing`` are missing answers.
    """
    text = cells.str.strip_chars()
    absent = text.is_in(list(missing)) | (text == "")
    if table.dialect.decimal == ",":
        text = text.str.replace(",", ".", literal=True)
    numbers = text.cast(pl.Float64, strict=False)
    bad = (~absent & (numbers.is_null() | ~numbers.is_finite().fill_null(False))).to_numpy()
    problems: list[Problem] = []
    if bad.any():
        where = np.flatnonzero(bad)
        shown = cells.gather(where[:20]).to_list()
        problems = table.problems_at(
            rows.gather(where).to_numpy(), column,
            [f"{v!r} is not a number; expected an answer code or an empty cell" for v in shown],
            summary="text in a number column",
        )
    values = numbers.to_numpy().astype(np.float64, copy=True)
    values[absent.to_numpy() | bad] = np.nan
    return values, problems


def score_cells(
    table: Table, values: npt.NDArray[np.float64], rows: npt.NDArray[np.int64], column: int,
    dimension: Dimension, kind: ValueKind,
) -> tuple[npt.NDArray[np.float64], list[Problem]]:
    """Turn numbers into scores of ``dimension`` (positions) or check them (scores).

    Returns the scores (``NaN`` where missing or wrong) and a located problem for each
    value that is no position (``1..n``) or not on the dimension's scale.
    """
    present = ~np.isnan(values)
    if kind == "positions":
        count = len(dimension.scoring)
        ok = present & (values == np.round(values)) & (values >= 1) & (values <= count)
        expected = f"an answer position 1..{count}"
    else:
        ok = present & np.isin(values, sorted(dimension.scores))
        expected = "a score on the scale " + ", ".join(f"{s:g}" for s in sorted(dimension.scores))
    bad = present & ~ok
    problems: list[Problem] = []
    if bad.any():
        where = np.flatnonzero(bad)
        problems = table.problems_at(
            rows[where], column,
            [f"{values[i]:g} is not {expected} for {dimension.key}" for i in where[:20]],
            summary=f"values off the {dimension.key} scale",
        )
    clean = np.where(ok, values, np.nan)
    if kind == "positions":
        return dimension.score(clean), problems
    return clean, problems
