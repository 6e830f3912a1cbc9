"""The long CSV layout (format ``csv-long``): one row per item answer.

Columns: respondent (optional), rater role, target role, wave (optional), item, the answer,
and optionally a rating id.  The hot path of the CSV importers, so nothing runs row by row:
polars parses the answers as numbers and the labels as categories (or, for a large file
when numba is installed, as text, coded in one compiled pass:
[`hashed_labels`][relcoord.formats.csv.hashed_labels]), each row's item and
answer are scored with one table look-up
([`lookup_scores`][relcoord.formats.csv.answers.lookup_scores]), the rows are grouped into ratings
by comparing integer codes ([`rating_runs`][relcoord.formats.csv.rating_runs]), and each answer
lands in its rating's item column with one scatter.  Files written in order (each rating's answers
together, items in the instrument's order, as survey exports and relcoord's own exporter write them)
take faster paths still.  A large file of the common kind, when numba is installed, is
read in batches instead, its labels coded while polars parses
([`streamed_long`][relcoord.formats.csv.streamed_long]); anything unusual there leaves it
to the path above, which reports every problem at its place.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import itertools
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

from relcoord.errors import Problem
from relcoord.formats.csv.answers import (
    ValueKind,
    ambiguity_problem,
    lookup_scores,
    parse_numbers,
    readings_differ,
    resolve_values,
    score_cells,
    score_lookup,
)
from relcoord.formats.csv.coded_column import CodedColumn
from relcoord.formats.csv.columns import layout_columns, normalise
from relcoord.formats.csv.hashed_labels import LabelCodes, coding_kernel, label_codes
from relcoord.formats.csv.import_notes import (
    note_columns,
    note_dialect,
    note_values,
    warn_ignored,
)
from relcoord.formats.csv.layout_detection import layout_hint
from relcoord.formats.csv.located_ratings import LocatedRatings
from relcoord.formats.csv.rating_runs import LABEL_FIELDS, RatingRuns, coded_runs, find_runs
from relcoord.formats.csv.read_options import ReadOptions, parse_read_options
from relcoord.formats.csv.records import read_side_tables
from relcoord.formats.csv.streamed_long import StreamedLong, stream_long
from relcoord.formats.csv.study_assembly import build_study
from relcoord.formats.csv.table import MAX_PROBLEMS, Table, load_table, raise_problems
from relcoord.model import Study
from relcoord.optional_dependencies import numba_jit, optional_module
from relcoord.ratings import Ratings

if TYPE_CHECKING:
    import polars as pl
else:
    pl = optional_module("polars", "reading and writing CSV files")

__all__ = ["LONG_FIELDS", "load_long_table", "long_ratings", "read_long"]

_T = TypeVar("_T")

#: The fields of a long table.
LONG_FIELDS: Final = ("respondent", "source", "target", "wave", "item", "value", "rating")
#: Files from which the labels are parsed as text and coded by the compiled path
#: ([`hashed_labels`][relcoord.formats.csv.hashed_labels]) when numba (the ``fast`` extra)
#: is installed: below this, importing numba costs more than the path saves.
COMPILED_BYTES: Final = 32 << 20
#: Rows from which a table of text labels takes the compiled path when numba is installed
#: but not loaded yet.
COMPILED_ROWS: Final = 1 << 20


#: Bytes at the head of a file read to tell rows in order from shuffled ones.
_SAMPLE_BYTES: Final = 1 << 16


def _compiled_path_wanted(size: int) -> bool:
    """Whether a file of ``size`` bytes can take the compiled path (numba installed, and
    the file large enough or numba loaded already)."""
    if "numba" in sys.modules:
        return True
    return size >= COMPILED_BYTES and importlib.util.find_spec("numba") is not None


def _stream_wanted(path: Path) -> bool:
    """Whether to try the streamed path ([`streamed_long`][relcoord.formats.csv.streamed_long]):
    numba installed, and the file large enough or numba loaded already."""
    try:
        size = Path(path).stat().st_size
    except OSError:  # read_limited says what is wrong with the path
        return False
    return _compiled_path_wanted(size)


def _rows_in_order(path: Path, opts: ReadOptions) -> bool:
    """Whether the first rows of the file list each rating's answers together (most rows
    share the rating key of the row before), as exporters write them.

    Such a file keeps the categorical parse: its labels cost little there (each run of
    equal cells meets the dictionary in the cache), while text takes 16 bytes a cell, four
    times a code.  Shuffled rows take the compiled path.  Either way the study is the same;
    this only picks the quicker way.  A head that cannot be read counts as in order.
    """
    try:
        with Path(path).open("rb") as file:
            head = file.read(_SAMPLE_BYTES)
    except OSError:
        return True
    text = head[:head.rfind(b"\n") + 1].decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = opts.delimiter or max(",;\t|", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:  # a NUL byte: parse_table says what is wrong
        return True
    if len(rows) < 3:
        return True
    pos, problems = layout_columns([h.strip() for h in rows[0]], "", LONG_FIELDS,
                                   columns=opts.columns, constants=opts.constants)
    if problems:
        return True
    fields = ["rating"] if "rating" in pos else [f for f in LABEL_FIELDS if f in pos]
    at = [pos[f] for f in fields]
    keys = [tuple(row[i] if i < len(row) else "" for i in at) for row in rows[1:] if row]
    same = sum(a == b for a, b in itertools.pairwise(keys))
    return 2 * same >= len(keys) - 1


def _labels_as_text(path: Path, opts: ReadOptions) -> bool:
    """Whether to parse the labels as text, for the compiled path: it can be taken
    (`_compiled_path_wanted`) and the rows are shuffled (`_rows_in_order`)."""
    try:
        size = Path(path).stat().st_size
    except OSError:  # read_limited says what is wrong with the path
        return False
    return _compiled_path_wanted(size) and not _rows_in_order(path, opts)


def load_long_table(path: Path, opts: ReadOptions) -> Table:
    """Read a long table, its answers as numbers and its labels as categories when the
    cells allow (the fast path; see [`parse_table`][relcoord.formats.csv.table.parse_table]),
    or as text when the compiled path will code them (a large file with shuffled rows,
    numba installed: `_labels_as_text`)."""
    as_text = _labels_as_text(path, opts)

    def typed(header: Sequence[str]) -> dict[int, str]:
        pos, problems = layout_columns(header, "", LONG_FIELDS, columns=opts.columns,
                                       constants=opts.constants)
        if problems:
            return {}
        types = {pos[f]: "text" if as_text else "category" for f in pos if f != "value"}
        types[pos["value"]] = "float"
        return types

    return load_table(path, delimiter=opts.delimiter, encoding=opts.encoding,
                      decimal=opts.decimal, max_bytes=opts.max_bytes, typed=typed,
                      max_columns=opts.max_columns, max_cell_bytes=opts.max_cell_bytes)


def _dimension_of(opts: ReadOptions, labels: Sequence[str]) -> npt.NDArray[np.int16]:
    """The dimension index of each item label (``-1`` when unknown)."""
    index, keys = opts.item_index(), opts.instrument.keys
    found = (index.get(normalise(label)) for label in labels)
    return np.asarray([-1 if k is None else keys.index(k) for k in found], dtype=np.int16)


def _item_codes(table: Table, column: int, opts: ReadOptions
                ) -> tuple[npt.NDArray[np.int16], list[Problem]]:
    """The dimension index of each row's item (``-1`` and a problem when unknown)."""
    keys = opts.instrument.keys
    coded = CodedColumn(table.column(column))
    dims = coded.values(lambda labels: _dimension_of(opts, labels))
    bad = np.flatnonzero(dims < 0)
    if not len(bad):
        return dims, []
    shown = [v or "" for v in coded.series.gather(bad[:MAX_PROBLEMS]).cast(pl.String).to_list()]
    rows = table.frame.get_column("row").to_numpy()
    return dims, table.problems_at(
        rows[bad], column,
        [f"unknown item {v!r}; expected a dimension key of instrument "
         f"{opts.instrument.id!r} ({', '.join(keys)}), an alias such as RC1_COM or Hyppig, "
         "or the items option" for v in shown],
        summary="unknown items",
    )


def _answers(table: Table, column: int, opts: ReadOptions
             ) -> tuple[npt.NDArray[np.float64], list[Problem]]:
    """The answer cells as numbers (``NaN`` when missing) and the cells that are not."""
    cells = table.column(column)
    if cells.dtype == pl.Float64:  # parsed as numbers already (the hot path)
        numbers: npt.NDArray[np.float64] = cells.to_numpy()  # a null is NaN; no copy without
        return numbers, []
    return parse_numbers(table, cells, table.frame.get_column("row"), column,
                         missing=opts.missing)


def _value_kind(table: Table, column: int, opts: ReadOptions, numbers: npt.NDArray[np.float64],
                dims: npt.NDArray[np.int16]) -> tuple[ValueKind, list[Problem]]:
    """How the answers are read: as the option says, else as their header says (noted),
    else, when every answer reads the same both ways, as positions; any answer that two
    readings score differently is a problem naming the option."""
    header = table.header[column]
    kind = resolve_values(opts.values, header)
    if kind is not None:
        if opts.values == "auto":
            note_values(table, kind, header)
        return kind, []
    problems = []
    for j, dimension in enumerate(opts.instrument.dimensions):
        differ = readings_differ(dimension)
        if differ and (np.isin(numbers, differ) & (dims == j)).any():
            problems.append(ambiguity_problem(table.header_location(column), header,
                                              dimension, opts.instrument.id))
    return "positions", problems


def _long_scores(table: Table, pos: Mapping[str, int], opts: ReadOptions,
                 dims: npt.NDArray[np.int16], row_numbers: npt.NDArray[Any],
                 meanwhile: Callable[[], _T] | None = None,
                 ) -> tuple[npt.NDArray[np.float64], list[Problem], _T | None]:
    """Each row's answer as a score of its item's dimension (NaN when missing), and the
    result of ``meanwhile``, called (when given) while the scores are looked up in a
    thread (for a compiled pass, which releases the GIL), or ``None`` when the answers
    have a problem."""
    column = pos["value"]
    numbers, problems = _answers(table, column, opts)
    kind, found = _value_kind(table, column, opts, numbers, dims)
    if found:
        return np.full(len(numbers), np.nan), problems + found, None
    lookup = score_lookup(opts.instrument, kind)
    scores: npt.NDArray[np.float64] | None = None
    done: _T | None = None
    if lookup is not None:  # one table look-up for all rows; errors take the slow path
        if meanwhile is None:
            scores = lookup_scores(numbers, dims, lookup)
        else:
            with ThreadPoolExecutor(1) as pool:
                looked_up = pool.submit(lookup_scores, numbers, dims, lookup)
                done = meanwhile()
                scores = looked_up.result()
        if scores is not None:
            return scores, problems, done
    scores = np.full(len(numbers), np.nan)
    for j, key in enumerate(opts.instrument.keys):
        mask = dims == j
        if mask.any():
            scored, found = score_cells(table, numbers[mask], row_numbers[mask], column,
                                        opts.instrument.dimension(key), kind)
            scores[mask] = scored
            problems += found
    return scores, problems, None if problems or meanwhile is None else meanwhile()


def _score_matrix(scores: npt.NDArray[np.float64], dims: npt.NDArray[np.int16], d: int,
                  runs: RatingRuns) -> tuple[npt.NDArray[np.float64], npt.NDArray[Any] | None]:
    """The ``(n_ratings, d)`` score matrix, each row's score in its rating's item column.

    Returns the matrix and, when two rows fill the same (rating, item) cell, each row's
    cell index (to report them) instead of ``None``.  When each run of rows is a rating of
    its own (``runs.group`` is ``None``) and lists its items in the instrument's order, as
    files written in order do, no cell can be filled twice, so that check needs no scatter
    over all cells; when every such rating answers all ``d`` items, the scores are already
    the matrix, row by row.
    """
    n, n_ratings, starts_mask = len(scores), runs.n_ratings, runs.starts_mask
    if runs.group is None and bool(((dims[1:] > dims[:-1]) | starts_mask[1:]).all()):
        if n == n_ratings * d:  # every run holds items 0 .. d-1, in order
            return scores.reshape(n_ratings, d), None
        twice = False
    else:
        twice = None  # not known yet
    fill = _filling_kernel() if "numba" in sys.modules else None
    if fill is not None and twice is None:  # one compiled pass; a cell filled twice is
        matrix = np.full((n_ratings, d), np.nan)  # located by the numpy pass below
        group_of_run = runs.group if runs.group is not None else np.empty(0, dtype=np.intp)
        if fill(starts_mask, group_of_run, runs.group is not None, dims, scores, d,
                matrix.reshape(-1), np.zeros(n_ratings * d, dtype=np.bool_)):
            return matrix, None
    small = n_ratings * d < np.iinfo(np.int32).max  # int32 indexes are faster to compute
    run: npt.NDArray[Any] = np.cumsum(starts_mask, dtype=np.int32 if small else np.int64) - 1
    group = run if runs.group is None else runs.group[run]
    cell = (group * d + dims).astype(np.intp, copy=False)
    matrix = np.full((n_ratings, d), np.nan)
    if twice is None:
        taken = np.zeros(n_ratings * d, dtype=bool)
        taken[cell] = True
        twice = int(np.count_nonzero(taken)) < n
    matrix.reshape(-1)[cell] = scores
    return matrix, cell if twice else None


@functools.cache
def _filling_kernel() -> Callable[..., bool] | None:
    """The compiled scatter of `_score_matrix`, or ``None`` without numba."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def fill(starts_mask: Any, group: Any, grouped: bool, dims: Any, scores: Any, width: int,
             flat: Any, taken: Any) -> bool:  # pragma: no cover - compiled
        # each row's score into its rating's item cell; False when a cell is taken twice
        run = -1
        for i in range(dims.shape[0]):
            if starts_mask[i]:
                run += 1
            rating = group[run] if grouped else run
            cell = rating * width + dims[i]
            if taken[cell]:
                return False
            taken[cell] = True
            flat[cell] = scores[i]
        return True

    return fill


def _duplicate_answers(table: Table, pos: Mapping[str, int], cell: npt.NDArray[np.int64],
                       rows: npt.NDArray[np.int64], items: pl.Series) -> list[Problem]:
    order = np.argsort(cell, kind="stable")
    repeat = order[1:][cell[order][1:] == cell[order][:-1]]
    repeat.sort()
    shown = items.gather(repeat[:MAX_PROBLEMS]).to_list()
    return table.problems_at(
        rows[repeat], pos["item"],
        [f"item {v!r} is answered twice for the same rating (respondent, rater, target "
         "and wave)" for v in shown],
        summary="repeated answers")


def _coded_columns(columns: Mapping[str, pl.Series], kernels: tuple[Any, Any]
                   ) -> dict[str, LabelCodes] | None:
    """Each column coded by [`label_codes`][relcoord.formats.csv.hashed_labels.label_codes],
    in threads (the compiled coder releases the GIL; the column of respondents, the one
    with the most distinct labels, first); ``None`` when a column cannot be coded."""
    workers = min(len(columns), os.cpu_count() or 1)
    if workers < 2:
        found = {field: label_codes(column, kernels) for field, column in columns.items()}
    else:
        with ThreadPoolExecutor(workers) as pool:
            futures = {field: pool.submit(label_codes, column, kernels)
                       for field, column in columns.items()}
            found = {field: future.result() for field, future in futures.items()}
    coded = {field: codes for field, codes in found.items() if codes is not None}
    return coded if len(coded) == len(found) else None


def _compiled_labels(table: Table, pos: Mapping[str, int], opts: ReadOptions
                     ) -> tuple[npt.NDArray[np.int16], dict[str, LabelCodes], Table] | None:
    """Each row's dimension and its rating labels, coded by the compiled path: every label
    column (text) coded cell by cell ([`hashed_labels`][relcoord.formats.csv.hashed_labels]),
    for [`coded_runs`][relcoord.formats.csv.rating_runs.coded_runs] to find the runs;
    and the table without its rating label columns, which the codes now hold (a text cell
    takes 16 bytes: at 31.5 million rows, 2 GB for the four columns; nothing reads their
    cells once the runs are found, and the places of problems come from the rows).

    ``None`` when the path does not apply (a ``rating`` column, labels that are not text,
    no numba, a small table while numba is not loaded) or the table has a problem there (an
    unknown item, an empty role, two long labels sharing a hash): then the general path
    codes the table again and reports every problem at its place, as it always does.
    """
    fields = [f for f in (*LABEL_FIELDS, "item") if f in pos]
    if "rating" in pos or "item" not in pos:
        return None
    columns = {f: table.column(pos[f]) for f in fields}
    if any(c.dtype != pl.String for c in columns.values()):
        return None
    if len(table) < COMPILED_ROWS and "numba" not in sys.modules:
        return None
    kernels = coding_kernel()
    if kernels is None:
        return None
    coded = _coded_columns(columns, kernels)
    if coded is None:
        return None
    items = coded.pop("item")
    dimension = _dimension_of(opts, items.texts)
    if len(dimension) and int(dimension.min()) < 0:
        return None
    for field in ("source", "target"):  # an empty role: reported by the general path
        if "" in (coded[field].texts if field in coded else [opts.constants.get(field) or ""]):
            return None
    dims: npt.NDArray[np.int16] = dimension[items.codes]
    return dims, coded, table.with_frame(table.frame.drop([f"c{pos[f]}" for f in coded]))


def _handed_over(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``array`` made read-only, for [`Ratings.from_arrays`][relcoord.ratings.Ratings.from_arrays]
    to keep rather than copy (nothing here writes to it afterwards)."""
    array.setflags(write=False)
    return array


def long_ratings(table: Table, opts: ReadOptions) -> LocatedRatings:
    """Group a long table (one row per item answer) into ratings, vectorised.

    Rows belong to one rating when they share the ``rating`` column (if there is one),
    else respondent, rater role, target role and wave (see
    [`rating_runs`][relcoord.formats.csv.rating_runs]).  Notes its guesses and warns about ignored
    columns ([`import_notes`][relcoord.formats.csv.import_notes]).  Raises
    [`InvalidStudyError`][relcoord.errors.InvalidStudyError] listing every located problem: missing
    columns (with the layout the header fits, if it is another), unknown items and answers
    that could be positions or scores or are bad, then bad labels, then repeated answers.
    """
    note_dialect(table)
    pos, problems = layout_columns(table.header, table.name, LONG_FIELDS,
                                   columns=opts.columns, constants=opts.constants,
                                   at=table.header_location)
    if problems:
        problems += layout_hint(table, opts.instrument, "long", columns=opts.columns,
                                items=opts.items)
    raise_problems(problems)
    note_columns(table, pos, opts.columns)
    warn_ignored(table, set(pos.values()), opts.instrument.id)
    row_numbers = table.frame.get_column("row").to_numpy()
    compiled = _compiled_labels(table, pos, opts)
    coded: dict[str, LabelCodes] | None = None
    if compiled is None:
        dims, problems = _item_codes(table, pos["item"], opts)
    else:  # the lighter table from here on: the label columns' memory is freed
        (dims, coded, table), problems = compiled, []
        del compiled
    found_runs: RatingRuns | None
    if coded is None:
        scores, found, _ = _long_scores(table, pos, opts, dims, row_numbers)
        raise_problems(problems + found)
        found_runs, problems = find_runs(table, pos, opts.constants, row_numbers)
        raise_problems(problems)
    else:  # the runs are found while the scores are looked up
        labels = coded
        del coded
        scores, found, found_runs = _long_scores(
            table, pos, opts, dims, row_numbers,
            lambda: coded_runs(labels, opts.constants, len(table)))
        del labels
        raise_problems(problems + found)
    assert found_runs is not None  # no problems (nor, on the compiled path, empty roles)
    runs = found_runs
    matrix, cell = _score_matrix(scores, dims, len(opts.instrument.keys), runs)
    problems = runs.problems
    if cell is not None:  # some (rating, item) cell is answered twice
        problems += _duplicate_answers(table, pos, cell, row_numbers,
                                       table.column(pos["item"]))
    raise_problems(problems)
    return _located(runs, matrix, opts, table, pos, row_numbers)


def _streamable(header: Sequence[str], opts: ReadOptions) -> dict[str, int] | None:
    """The column of each field when ``header`` fits the streamed path (no ``rating``
    column, an ``item`` column), else ``None``."""
    pos, problems = layout_columns(header, "", LONG_FIELDS, columns=opts.columns,
                                   constants=opts.constants)
    return None if problems or "rating" in pos or "item" not in pos else pos


def _streamed_ratings(path: Path, opts: ReadOptions) -> LocatedRatings | None:
    """The ratings of a large long file read in batches
    ([`streamed_long`][relcoord.formats.csv.streamed_long]: its labels coded while polars
    parses), or ``None`` when that path does not apply or the file has any problem: then
    nothing has been noted, and `long_ratings` reads it the general way and reports.

    What follows the coding is the compiled path of `long_ratings`: the runs packed and
    grouped ([`coded_runs`][relcoord.formats.csv.rating_runs.coded_runs]) while the
    answers are scored in a thread, then the score matrix.  The notes are those of
    `long_ratings`, in its order, once the ratings are known to be sound.
    """
    streamed = stream_long(path, opts, lambda header: _streamable(header, opts),
                           (*LABEL_FIELDS, "item"))
    if streamed is None:
        return None
    found = _streamed_scores(streamed, opts)
    if found is None:
        return None
    scores, dims, runs, kind = found
    matrix, cell = _score_matrix(scores, dims, len(opts.instrument.keys), runs)
    del scores
    if cell is not None or runs.problems:  # an answer given twice: located the general way
        return None
    table, pos = streamed.table, streamed.pos
    note_dialect(table)
    note_columns(table, pos, opts.columns)
    warn_ignored(table, set(pos.values()), opts.instrument.id)
    if opts.values == "auto" and kind is not None:
        note_values(table, kind, table.header[pos["value"]])
    return _located(runs, matrix, opts, table, pos, table.frame.get_column("row").to_numpy())


def _located(runs: RatingRuns, matrix: npt.NDArray[np.float64], opts: ReadOptions,
             table: Table, pos: Mapping[str, int], row_numbers: npt.NDArray[Any]
             ) -> LocatedRatings:
    """The store of the coded ``runs`` and their score ``matrix`` (read-only arrays of the
    store's types: kept, not copied), with where each rating came from in ``table``."""
    store = Ratings.from_arrays(
        source=_handed_over(runs.source), target=_handed_over(runs.target),
        respondent=_handed_over(runs.respondent), wave=_handed_over(runs.wave),
        scores=_handed_over(matrix), dimensions=opts.instrument.keys, roles=runs.roles,
        respondents=runs.respondents, waves=runs.waves,
    )
    return LocatedRatings(
        ratings=store, table=table,
        first_row=runs.first_rows(row_numbers),
        source_column=pos.get("source"), target_column=pos.get("target"),
        respondent_column=pos.get("respondent"),
    )


def _streamed_scores(streamed: StreamedLong, opts: ReadOptions) -> tuple[
        npt.NDArray[np.float64], npt.NDArray[np.int16], RatingRuns, ValueKind | None] | None:
    """Each row's score and dimension, the runs, and the value kind the header decided
    (``None`` when neither option nor header did), or ``None`` at the first problem (an
    unknown item, an empty role, an answer off the scale or read two ways)."""
    labels, numbers = dict(streamed.labels), streamed.numbers
    items = labels.pop("item")
    dimension = _dimension_of(opts, items.texts)
    if len(dimension) and int(dimension.min()) < 0:
        return None
    for field in ("source", "target"):
        if "" in (labels[field].texts if field in labels else [opts.constants.get(field) or ""]):
            return None
    dims: npt.NDArray[np.int16] = dimension[items.codes]
    header = streamed.table.header[streamed.pos["value"]]
    decided = resolve_values(opts.values, header)
    kind: ValueKind = "positions" if decided is None else decided
    if decided is None:
        for j, dimension_j in enumerate(opts.instrument.dimensions):
            differ = readings_differ(dimension_j)
            if differ and (np.isin(numbers, differ) & (dims == j)).any():
                return None
    lookup = score_lookup(opts.instrument, kind)
    if lookup is None:
        return None
    with ThreadPoolExecutor(1) as pool:
        looked_up = pool.submit(lookup_scores, numbers, dims, lookup)
        runs = coded_runs(labels, opts.constants, len(numbers))
        scores = looked_up.result()
    if scores is None or runs is None:
        return None
    return scores, dims, runs, decided


def read_long(path: Path, options: Mapping[str, Any]) -> Study:
    """Read a long CSV table: one row per item answer (format ``csv-long``).

    Columns (aliases in [`FIELD_ALIASES`][relcoord.formats.csv.columns.FIELD_ALIASES]):
        ``respondent``
    (optional), ``source`` (rater role), ``target``, ``wave`` (optional), ``item``, the
    answer (``answer``/``position``: answer positions; ``score``: scores) and optionally
    ``rating`` (rows with the same rating id form one rating).  The options are those of
    `READ_OPTIONS`.
    """
    path = Path(path)
    opts = parse_read_options("csv-long", path, options, "rc7")
    side = read_side_tables(opts)
    streamed = _streamed_ratings(path, opts) if _stream_wanted(path) else None
    # the table is not kept here: long_ratings may drop columns it no longer needs
    ratings = (streamed if streamed is not None
               else long_ratings(load_long_table(path, opts), opts))
    if opts.drop_empty:
        ratings = ratings.without_empty()
    return build_study(name=ratings.table.name, instrument=opts.instrument,
                       metadata=opts.metadata(path), ratings=ratings, side=side)
