"""The wide CSV layout (format ``csv-wide``): one row per respondent and target role.

Columns: respondent (optional), rater role, target role, wave (optional) and one column per
item, found through the item aliases (``RC1_COM`` ... ``RC7_REL``, ``Hyppig`` ...
``Gensidig respekt``, the dimension keys; see [`columns`][relcoord.formats.csv.columns]) or the
``items`` option; other columns are ignored.  Each row is one rating, scored column by
column.  The relationskort layout ([`relationskort`][relcoord.formats.csv.relationskort]) is a wide
table too, whose items may be absent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import Problem
from relcoord.formats.csv.answers import (
    ambiguity_problem,
    parse_numbers,
    readings_differ,
    resolve_values,
    score_cells,
)
from relcoord.formats.csv.columns import layout_columns, normalise
from relcoord.formats.csv.import_notes import note_columns, note_dialect, note_items, warn_ignored
from relcoord.formats.csv.layout_detection import Layout, layout_hint
from relcoord.formats.csv.located_ratings import LocatedRatings
from relcoord.formats.csv.read_options import ReadOptions, parse_read_options
from relcoord.formats.csv.records import read_side_tables
from relcoord.formats.csv.study_assembly import build_study
from relcoord.formats.csv.table import Table, load_table, raise_problems
from relcoord.model import Study
from relcoord.optional_dependencies import optional_module
from relcoord.ratings import Ratings

if TYPE_CHECKING:
    import polars as pl
else:
    pl = optional_module("polars", "reading and writing CSV files")

__all__ = ["WIDE_FIELDS", "load_wide_table", "read_wide", "wide_ratings"]

#: The label fields of a wide table (the item columns come beside them).
WIDE_FIELDS: Final = ("respondent", "source", "target", "wave")


def load_wide_table(path: Path, opts: ReadOptions) -> Table:
    """Read a wide table with the options' delimiter, encoding, decimal mark and limit."""
    return load_table(path, delimiter=opts.delimiter, encoding=opts.encoding,
                      decimal=opts.decimal, max_bytes=opts.max_bytes,
                      max_columns=opts.max_columns, max_cell_bytes=opts.max_cell_bytes)


def _item_columns(table: Table, opts: ReadOptions, taken: set[int], *,
                  require_all_items: bool) -> tuple[dict[str, int], list[Problem]]:
    """The column of each of the instrument's items, and the problems: two columns for one
    item, and (when ``require_all_items``) an item without a column."""
    index = opts.item_index()
    item_columns: dict[str, int] = {}
    problems: list[Problem] = []
    for i, header in enumerate(table.header):
        key = index.get(normalise(header))
        if i in taken or key is None:
            continue
        if key in item_columns:
            problems.append(Problem(
                table.header_location(i),
                f"column {header!r} holds item {key!r}, like column {item_columns[key] + 1} "
                f"({table.header[item_columns[key]]!r})"))
        else:
            item_columns[key] = i
    instrument = opts.instrument
    missing = [k for k in instrument.keys if k not in item_columns]
    if missing and require_all_items:
        problems.append(Problem(table.header_location(None), (
            f"no column for item(s) {', '.join(missing)} of instrument {instrument.id!r}; "
            "name them with the items option (e.g. items={'Q1': 'frequent'}) or choose "
            "another instrument")))
    return item_columns, problems


def _score_matrix(table: Table, opts: ReadOptions, item_columns: Mapping[str, int]
                  ) -> tuple[npt.NDArray[np.float64], list[Problem]]:
    """One row per table row, one column per item (``NaN`` for a missing answer or an item
    without a column), and every bad cell, located."""
    rows = table.frame.get_column("row")
    row_numbers = rows.to_numpy().astype(np.int64)
    kind = resolve_values(opts.values, None)  # a wide header never says: None for auto
    keys = opts.instrument.keys
    matrix = np.full((len(table), len(keys)), np.nan)
    problems: list[Problem] = []
    for j, key in enumerate(keys):
        if key not in item_columns:
            continue
        column = item_columns[key]
        numbers, found = parse_numbers(table, table.column(column), rows, column,
                                       missing=opts.missing)
        problems += found
        dimension = opts.instrument.dimension(key)
        if kind is None and np.isin(numbers, readings_differ(dimension)).any():
            problems.append(ambiguity_problem(table.header_location(column),
                                              table.header[column], dimension,
                                              opts.instrument.id))
            continue
        # undecided, every value reads the same as a position and as a score
        scored, found = score_cells(table, numbers, row_numbers, column, dimension,
                                    kind or "positions")
        problems += found
        matrix[:, j] = scored
    return matrix, problems


def _vocab(*series: pl.Series) -> list[str]:
    labels: set[str] = set()
    for s in series:
        labels.update(v for v in s.unique().to_list() if v)
    return sorted(labels)


def _codes(series: pl.Series, vocab: Sequence[str]) -> npt.NDArray[np.int32]:
    """Codes of ``series`` in ``vocab`` (sorted); ``-1`` for an empty cell."""
    if not vocab:
        return np.full(len(series), -1, dtype=np.int32)
    enum = series.replace("", None).cast(pl.Enum(list(vocab)))
    return enum.to_physical().fill_null(-1).to_numpy().astype(np.int32, copy=False)


def _label_column(table: Table, column: int | None, constant: str | None) -> pl.Series:
    if column is not None:
        return table.column(column)
    return pl.repeat(constant or "", len(table), eager=True, dtype=pl.String)


def _empty_cells(table: Table, series: pl.Series, rows: pl.Series, column: int | None,
                 what: str) -> list[Problem]:
    empty = (series == "").to_numpy()
    if not empty.any():
        return []
    return table.problems_at(rows.to_numpy()[empty], column, f"empty {what}",
                             summary=f"an empty {what}")


@attrs.frozen(eq=False)
class _Labels:
    """The rows' labels as codes into sorted vocabularies (``-1`` for none)."""

    source: npt.NDArray[np.int32]
    target: npt.NDArray[np.int32]
    respondent: npt.NDArray[np.int32]
    wave: npt.NDArray[np.int32]
    roles: tuple[str, ...]
    respondents: tuple[str, ...]
    waves: tuple[str, ...]


def _encode_labels(table: Table, pos: Mapping[str, int], opts: ReadOptions
                   ) -> tuple[_Labels, list[Problem]]:
    """Each row's labels as codes, and the rows without a rater or target role."""
    rows = table.frame.get_column("row")
    source = _label_column(table, pos.get("source"), opts.rater_role)
    target = _label_column(table, pos.get("target"), opts.target_role)
    person = _label_column(table, pos.get("respondent"), None)
    wave = _label_column(table, pos.get("wave"), opts.wave)
    problems = _empty_cells(table, source, rows, pos.get("source"), "rater role")
    problems += _empty_cells(table, target, rows, pos.get("target"), "target role")
    roles, people, waves = _vocab(source, target), _vocab(person), _vocab(wave)
    return _Labels(
        source=_codes(source, roles), target=_codes(target, roles),
        respondent=_codes(person, people), wave=_codes(wave, waves),
        roles=tuple(roles), respondents=tuple(people), waves=tuple(waves),
    ), problems


def wide_ratings(table: Table, opts: ReadOptions, *, layout: Layout = "wide",
                 require_all_items: bool = True) -> LocatedRatings:
    """One rating per row of a wide table (one column per item), vectorised.

    Notes the guesses it makes (the delimiter, the columns found through their aliases) and
    warns about the columns it ignores ([`import_notes`][relcoord.formats.csv.import_notes]).
    Raises [`InvalidStudyError`][relcoord.errors.InvalidStudyError] listing every located problem:
    missing or doubled columns first (with the layout the header fits, if it is another), then
    answers that could be positions or scores, bad answers and empty role labels.
    """
    note_dialect(table)
    pos, problems = layout_columns(table.header, table.name, WIDE_FIELDS,
                                   columns=opts.columns, constants=opts.constants,
                                   at=table.header_location)
    item_columns, found = _item_columns(table, opts, set(pos.values()),
                                        require_all_items=require_all_items)
    problems += found
    if problems:
        problems += layout_hint(table, opts.instrument, layout, columns=opts.columns,
                                items=opts.items)
    raise_problems(problems)
    note_columns(table, pos, opts.columns)
    note_items(table, item_columns, {normalise(h) for h in opts.items})
    warn_ignored(table, {*pos.values(), *item_columns.values()}, opts.instrument.id)
    matrix, problems = _score_matrix(table, opts, item_columns)
    labels, found = _encode_labels(table, pos, opts)
    raise_problems(problems + found)
    store = Ratings.from_arrays(
        source=labels.source, target=labels.target, respondent=labels.respondent,
        wave=labels.wave, scores=matrix, dimensions=opts.instrument.keys, roles=labels.roles,
        respondents=labels.respondents, waves=labels.waves,
    )
    return LocatedRatings(
        ratings=store, table=table,
        first_row=table.frame.get_column("row").to_numpy().astype(np.int64),
        source_column=pos.get("source"), target_column=pos.get("target"),
        respondent_column=pos.get("respondent"),
    )


def read_wide(path: Path, options: Mapping[str, Any]) -> Study:
    """Read a wide CSV table: one row per respondent and target role (format ``csv-wide``).

    Item columns are found through the item aliases (``RC1_COM``, ``Hyppig``, the dimension
    keys...) or the ``items`` option; other columns are ignored.  A row whose items are all
    missing is a target role the respondent skipped and gives no rating (``drop_empty``).
    The options are those of `READ_OPTIONS`.
    """
    path = Path(path)
    opts = parse_read_options("csv-wide", path, options, "rc7")
    side = read_side_tables(opts)
    table = load_wide_table(path, opts)
    ratings = wide_ratings(table, opts)
    if opts.drop_empty is None or opts.drop_empty:
        ratings = ratings.without_empty()
    return build_study(name=table.name, instrument=opts.instrument,
                       metadata=opts.metadata(path), ratings=ratings, side=side)
