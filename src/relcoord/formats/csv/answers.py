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
    what the header says ([`resolve_values`][relcoord.formats.csv.answers.resolve_values]: a long
    table's value column headed ``score`` holds scores, one headed ``position`` positions);
    otherwise nothing is guessed.  Where the two readings give the same scores (every monotone item,
    and the answers 1 and 4 of the frequency item) either will do; a value they read differently
    ([`readings_differ`][relcoord.formats.csv.answers.readings_differ]) stops the import with a
    located error that names ``-I values=positions|scores``
    ([`ambiguity_problem`][relcoord.formats.csv.answers.ambiguity_problem]).

[`score_cells`][relcoord.formats.csv.answers.score_cells] scores one column and locates every value
off the scale; the long layout's hot path first tries
[`lookup_scores`][relcoord.formats.csv.answers.lookup_scores], one table look-up
([`score_lookup`][relcoord.formats.csv.answers.score_lookup]) for every row of every item, and falls
back to [`score_cells`][relcoord.formats.csv.answers.score_cells] only when a value is off the
scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import numpy.typing as npt

from relcoord import messages
from relcoord.errors import Problem
from relcoord.formats.csv.columns import normalise
from relcoord.formats.csv.table import Table
from relcoord.instruments import Dimension, Instrument
from relcoord.messages.reading import LANGUAGE
from relcoord.optional_dependencies import optional_module

if TYPE_CHECKING:
    import polars as pl
else:
    pl = optional_module("polars", "reading and writing CSV files")

__all__ = [
    "DEFAULT_MISSING",
    "ValueKind",
    "ambiguity_problem",
    "lookup_scores",
    "parse_numbers",
    "readings_differ",
    "resolve_values",
    "score_cells",
    "score_lookup",
]

ValueKind = Literal["positions", "scores"]
#: Cell texts read as a missing answer ("don't know" is missing, not low).
DEFAULT_MISSING: Final = ("", "NA", "N/A", "na", "n/a", "NaN", ".", "-")
#: Value-column headers that say the cells hold scores.
SCORE_HEADERS: Final = frozenset({"score", "scores", "scored", "score value", "point",
                                  "points", "punkte"})
#: Value-column headers that say the cells hold answer positions.
POSITION_HEADERS: Final = frozenset({"position", "positions", "answer position",
                                     "answer code", "response code", "code", "svarnummer",
                                     "svarkode", "antwortcode", "antwortposition"})


def resolve_values(option: str, value_header: str | None) -> ValueKind | None:
    """The value kind for ``option`` (``auto``, ``positions`` or ``scores``).

    ``auto`` follows ``value_header`` (a long table's value column): ``score``,
    ``points`` ... mean scores, ``position``, ``answer code`` ... positions.  Otherwise it
    is ``None``: undecided, and the caller refuses any value the two readings score
    differently ([`readings_differ`][relcoord.formats.csv.answers.readings_differ]).
    """
    if option == "positions":
        return "positions"
    if option == "scores":
        return "scores"
    if option != "auto":
        raise ValueError(f"values must be 'auto', 'positions' or 'scores', not {option!r}")
    header = normalise(value_header) if value_header is not None else None
    if header in SCORE_HEADERS:
        return "scores"
    if header in POSITION_HEADERS:
        return "positions"
    return None


def readings_differ(dimension: Dimension) -> tuple[float, ...]:
    """The cell values that score differently as a position and as a score.

    Empty for an item scored 1, 2, 3, ... (every monotone item of the built-in
    instruments); ``2, 3, 5`` for the current RC Survey's frequency item (scored 1, 3, 5,
    4, 2).
    """
    return tuple(float(p) for p, score in enumerate(dimension.scoring, start=1)
                 if score != p)


def ambiguity_problem(location: str, header: str, dimension: Dimension, instrument_id: str
                      ) -> Problem:
    """The error for a column whose values could be positions or scores, at ``location``:
    it says how the readings differ and names ``-I values=positions|scores``."""
    example = ", ".join(
        messages.text("reading.error.position_scores", LANGUAGE, position=f"{p:g}",
                      score=f"{dimension.scoring[int(p) - 1]:g}")
        for p in readings_differ(dimension))
    return Problem(location, messages.text(
        "reading.error.ambiguous_values", LANGUAGE, header=repr(header), item=dimension.key,
        instrument=repr(instrument_id), example=example,
        best=f"{max(dimension.scoring):g}"))


def parse_numbers(
    table: Table, cells: pl.Series, rows: pl.Series, column: int,
    *, missing: Sequence[str] = DEFAULT_MISSING,
) -> tuple[npt.NDArray[np.float64], list[Problem]]:
    """Cells as float64 (``NaN`` for a missing answer), vectorised, and the cells that are
    not numbers, each located.

    Surrounding space is ignored; with the table's decimal mark ``,`` a comma is read as
    decimal mark (``"3,5"``); texts in ``missing`` are missing answers.  A column that holds
    numbers already (a table read from a typed file, such as an SPSS file) is taken as it
    is, a null cell being a missing answer.
    """
    if cells.dtype.is_numeric():
        typed: npt.NDArray[np.float64] = cells.cast(pl.Float64).fill_null(np.nan).to_numpy()
        return typed.astype(np.float64, copy=True), []
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


def score_lookup(instrument: Instrument, kind: ValueKind) -> npt.NDArray[np.float64] | None:
    """``table[dimension, value + 1]`` = the score of a whole-number cell value, else NaN.

    ``None`` when a scale is not made of small whole numbers (then each dimension is
    scored on its own).
    """
    largest = 0
    for dim in instrument.dimensions:
        if kind == "scores" and not all(s == int(s) and 0 <= s <= 100 for s in dim.scoring):
            return None
        largest = max(largest, len(dim.scoring), *(int(s) for s in dim.scoring))
    table = np.full((len(instrument.dimensions), largest + 2), np.nan)
    for j, dim in enumerate(instrument.dimensions):
        if kind == "positions":
            table[j, 2:len(dim.scoring) + 2] = dim.scoring
        else:
            for score in dim.scoring:
                table[j, int(score) + 1] = score
    return table


#: Rows scored at a time by [`lookup_scores`][relcoord.formats.csv.answers.lookup_scores]: its
#: temporaries stay in the CPU cache.
_BLOCK: Final = 1 << 15


def lookup_scores(numbers: npt.NDArray[np.float64], dims: npt.NDArray[np.int16],
                  lookup: npt.NDArray[np.float64]) -> npt.NDArray[np.float64] | None:
    """``lookup[dims, numbers + 1]`` for whole numbers in range, else NaN (the lookup's
    column 0); ``None`` when a value that is not missing scores NaN (it is off the scale).

    Runs block by block into preallocated buffers: on millions of rows that is markedly
    faster than whole-array temporaries, which cost memory traffic and page faults.
    """
    width = lookup.shape[1]
    flat_lookup = lookup.reshape(-1)
    n = len(numbers)
    scores = np.empty(n)
    block = max(1, min(n, _BLOCK))
    whole = np.empty(block, dtype=np.int16)
    fits = np.empty(block, dtype=bool)
    mask = np.empty(block, dtype=bool)
    flat = np.empty(block, dtype=np.intp)
    for start in range(0, n, block):
        stop = min(start + block, n)
        k = stop - start
        value, w, f, m, x = numbers[start:stop], whole[:k], fits[:k], mask[:k], flat[:k]
        with np.errstate(invalid="ignore"):  # NaN and huge values cast to garbage ...
            np.copyto(w, value, casting="unsafe")
        np.equal(w, value, out=f)  # ... caught here
        np.less(w.view(np.uint16), width - 1, out=m)  # as unsigned, negatives are too large
        f &= m
        w += 1
        w *= f  # column 0 of the lookup is NaN: missing or not a whole number
        np.copyto(x, dims[start:stop])
        x *= width
        x += w
        np.take(flat_lookup, x, out=scores[start:stop])
        # a missing answer scores NaN; any other NaN is a value off the scale
        off = np.count_nonzero(np.isnan(scores[start:stop], out=m))
        if off != np.count_nonzero(np.isnan(value, out=m)):
            return None
    return scores
