"""CSV importers: long, wide and relationskort layouts, with roles and invitations tables.

``long`` (:func:`read_long`)
    one row per item answer: respondent, rater role, target role, wave, item, answer.  The
    hot path: parsed by polars and grouped into ratings with numpy, never row by row.
``wide`` (:func:`read_wide`)
    one row per respondent and target role, one column per item (``RC1_COM`` ...
    ``RC7_REL``, ``Hyppig`` ... ``Gensidig respekt``, the dimension keys ...).
``relationskort`` (:func:`read_relationskort`)
    one row per arrow of a relationship map: source group, target group, wave and the four
    communication qualities; each row is a named tie and, when rated, a rating without a
    respondent (instrument ``relationskort``).

The three share their options (see :data:`READ_OPTIONS`).  The ratings file names the
roles; a ``roles`` table (option ``roles``: a path) gives their names, organisations and
presence, and then every role a rating names must be in it.  Without one, each role's id
and name is its label, and a role is present when it rated (``present=False`` marks the
"named but absent" groups).  ``invitations`` and ``ties`` options add a balkort invitations
table and a named-arrows table.  A folder or zip of all these tables is read by
:mod:`relcoord.formats.csv.bundle`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl

from relcoord.errors import InvalidInputError, Problem
from relcoord.formats.base import check_options
from relcoord.formats.csv.answers import (
    DEFAULT_MISSING,
    ValueKind,
    parse_numbers,
    resolve_values,
    score_cells,
)
from relcoord.formats.csv.columns import item_index, normalise, resolve_columns
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES, read_limited
from relcoord.formats.csv.records import read_invitations, read_roles, read_ties
from relcoord.formats.csv.table import MAX_PROBLEMS, Table, parse_table, raise_problems
from relcoord.instruments import Instrument, get_instrument
from relcoord.model import Invitation, Metadata, Respondent, Role, Study, Tie
from relcoord.ratings import Ratings

__all__ = [
    "READ_OPTIONS",
    "RatingSet",
    "ReadOptions",
    "build_study",
    "load_table",
    "long_ratings",
    "positive_int",
    "read_long",
    "read_relationskort",
    "read_wide",
    "respondents_of",
    "wide_ratings",
]

#: Options every CSV importer takes, with what they mean.
READ_OPTIONS: Final[Mapping[str, str]] = {
    "columns": "field -> header, e.g. {'respondent': 'RespID', 'source': 'Rolle'}",
    "items": "header or item label -> dimension key, e.g. {'Q12': 'frequent'}",
    "instrument": "built-in instrument id or Instrument (default rc7; relationskort layout: "
                  "relationskort)",
    "values": "'auto' (default), 'positions' or 'scores': what the answer cells hold",
    "missing": "cell texts read as a missing answer (default '', NA, N/A, NaN, '.', '-')",
    "delimiter": "',', ';' or tab (default: sniffed)",
    "decimal": "'auto' (default), '.' or ','",
    "encoding": "the file's encoding (default: UTF-8, else cp1252 with a warning)",
    "max_bytes": f"refuse files larger than this (default {DEFAULT_MAX_BYTES:,})",
    "roles": "path of a roles table (id, name, organisation, present, name_<lang>)",
    "ties": "path of a named-arrows table (source, target, wave)",
    "invitations": "path of an invitations table (source, target, topic, status, wave)",
    "study_id": "the study's id (default: the file name without extension)",
    "title": "the study's title",
    "language": "the language of the role names (default en)",
    "rater_role": "the rater role of every row, for files without a rater column",
    "target_role": "the target role of every row, for files without a target column",
    "wave": "the wave of every row, for files without a wave column",
    "drop_empty": "drop ratings whose items are all missing (default: wide true, else false)",
}


@attrs.frozen
class ReadOptions:
    """The options of a CSV importer, checked (see :data:`READ_OPTIONS`)."""

    name: str
    columns: Mapping[str, str]
    items: Mapping[str, str]
    instrument: Instrument
    values: str
    missing: tuple[str, ...]
    delimiter: str | None
    decimal: str
    encoding: str | None
    max_bytes: int
    rater_role: str | None
    target_role: str | None
    wave: str | None
    drop_empty: bool | None
    raw: Mapping[str, Any]


def _mapping(name: str, key: str, value: Any) -> dict[str, str]:
    """A mapping option, given as a mapping or (from the command line) as a JSON object."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None
    if not isinstance(value, Mapping):
        raise InvalidInputError(name, f"option {key} must be a mapping (on the command line "
                                f'a JSON object such as {{"respondent": "RespID"}})')
    return {str(k): str(v) for k, v in value.items()}


def _flag(name: str, key: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise InvalidInputError(name, f"option {key} must be true or false, not {value!r}")


def positive_int(name: str, key: str, value: Any) -> int:
    """An integer option > 0 (a string from the command line is accepted)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number <= 0 or (isinstance(value, float)
                                                   and not value.is_integer()):
        raise InvalidInputError(name, f"{key} must be a positive integer, not {value!r}")
    return number


def _parse_options(format_id: str, path: Path, options: Mapping[str, Any],
                   default_instrument: str) -> ReadOptions:
    check_options(format_id, options, READ_OPTIONS)
    name = str(path)
    instrument = options.get("instrument", default_instrument)
    if isinstance(instrument, str):
        try:
            instrument = get_instrument(instrument)
        except KeyError as exc:
            raise InvalidInputError(name, str(exc.args[0])) from None
    if not isinstance(instrument, Instrument):
        raise InvalidInputError(name, "the instrument option must be an id or an Instrument")
    if options.get("values", "auto") not in ("auto", "positions", "scores"):
        raise InvalidInputError(name, "values must be 'auto', 'positions' or 'scores', not "
                                f"{options['values']!r}")
    max_bytes = positive_int(name, "max_bytes", options.get("max_bytes", DEFAULT_MAX_BYTES))
    missing = options.get("missing", DEFAULT_MISSING)
    if isinstance(missing, str):  # from the command line: comma-separated
        missing = [m.strip() for m in missing.split(",")]

    def text(key: str) -> str | None:
        value = options.get(key)
        return None if value is None else str(value)

    return ReadOptions(
        name=name, columns=_mapping(name, "columns", options.get("columns")),
        items=_mapping(name, "items", options.get("items")), instrument=instrument,
        values=str(options.get("values", "auto")),
        missing=tuple(str(m) for m in missing),
        delimiter=text("delimiter"), decimal=str(options.get("decimal", "auto")),
        encoding=text("encoding"), max_bytes=max_bytes, rater_role=text("rater_role"),
        target_role=text("target_role"), wave=text("wave"),
        drop_empty=_flag(name, "drop_empty", options.get("drop_empty")),
        raw=options,
    )


def load_table(path: Path, *, name: str | None = None, delimiter: str | None = None,
               encoding: str | None = None, decimal: str = "auto",
               max_bytes: int = DEFAULT_MAX_BYTES,
               typed: Callable[[Sequence[str]], Mapping[int, str]] | None = None) -> Table:
    """Read and parse one CSV file into a :class:`~relcoord.formats.csv.table.Table`."""
    label = str(path) if name is None else name
    raw = read_limited(Path(path), label, max_bytes)
    return parse_table(raw, label, delimiter=delimiter, encoding=encoding, decimal=decimal,
                       typed=typed)


def _load(path: Path, opts: ReadOptions, *, long: bool = False) -> Table:
    typed = None
    if long:
        def typed(header: Sequence[str]) -> dict[int, str]:
            """Answers as numbers, labels as categories: the long layout's fast path."""
            pos, problems = _field_columns_of(header, opts, LONG_FIELDS)
            if problems:
                return {}
            types = {pos[f]: "category" for f in pos if f != "value"}
            types[pos["value"]] = "float"
            return types
    return load_table(path, delimiter=opts.delimiter, encoding=opts.encoding,
                      decimal=opts.decimal, max_bytes=opts.max_bytes, typed=typed)


# --- ratings, vectorised -------------------------------------------------------------------

#: The fields of a long table.
LONG_FIELDS: Final = ("respondent", "source", "target", "wave", "item", "value", "rating")


@attrs.frozen(eq=False)
class RatingSet:
    """Ratings read from one table, as codes into sorted label vocabularies.

    ``first_row[i]`` is the data row where rating ``i`` starts (to locate problems);
    ``source_column`` and friends are the 0-based columns the labels came from (``None``
    for a constant given as an option).
    """

    table: Table
    first_row: npt.NDArray[np.int64]
    source: npt.NDArray[np.int32]
    target: npt.NDArray[np.int32]
    respondent: npt.NDArray[np.int32]
    wave: npt.NDArray[np.int32]
    roles: tuple[str, ...]
    respondents: tuple[str, ...]
    waves: tuple[str, ...]
    scores: npt.NDArray[np.float64]
    source_column: int | None
    target_column: int | None
    respondent_column: int | None

    def ratings(self, dimensions: Sequence[str]) -> Ratings:
        """The columnar rating store."""
        return Ratings.from_arrays(
            source=self.source, target=self.target, scores=self.scores, dimensions=dimensions,
            roles=self.roles, respondent=self.respondent, respondents=self.respondents,
            wave=self.wave, waves=self.waves,
        )

    def select(self, keep: npt.NDArray[np.bool_]) -> RatingSet:
        """The ratings picked by ``keep`` (vocabularies kept)."""
        return attrs.evolve(
            self, first_row=self.first_row[keep], source=self.source[keep],
            target=self.target[keep], respondent=self.respondent[keep], wave=self.wave[keep],
            scores=self.scores[keep],
        )


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


def _field_columns(table: Table, opts: ReadOptions, fields: Sequence[str]
                   ) -> tuple[dict[str, int], list[Problem]]:
    """Resolve the columns of ``fields``; rater/target/wave become optional when constant."""
    return _field_columns_of(table.header, opts, fields, table.name)


def _field_columns_of(header: Sequence[str], opts: ReadOptions, fields: Sequence[str],
                      name: str = "") -> tuple[dict[str, int], list[Problem]]:
    constant = {"source": opts.rater_role, "target": opts.target_role, "wave": opts.wave}
    required = [f for f in fields if f not in ("respondent", "wave", "rating")
                and constant.get(f) is None]
    optional = [f for f in fields if f not in required]
    spec, problems = resolve_columns(header, name, required=required, optional=optional,
                                     columns=opts.columns)
    return dict(spec.positions), problems


def _encode_labels(table: Table, pos: Mapping[str, int], opts: ReadOptions
                   ) -> tuple[dict[str, Any], list[Problem]]:
    rows = table.frame.get_column("row")
    source = _label_column(table, pos.get("source"), opts.rater_role)
    target = _label_column(table, pos.get("target"), opts.target_role)
    person = _label_column(table, pos.get("respondent"), None)
    wave = _label_column(table, pos.get("wave"), opts.wave)
    problems = _empty_cells(table, source, rows, pos.get("source"), "rater role")
    problems += _empty_cells(table, target, rows, pos.get("target"), "target role")
    roles = _vocab(source, target)
    people = _vocab(person)
    waves = _vocab(wave)
    return {
        "source": _codes(source, roles), "target": _codes(target, roles),
        "respondent": _codes(person, people), "wave": _codes(wave, waves),
        "roles": tuple(roles), "respondents": tuple(people), "waves": tuple(waves),
    }, problems


def long_ratings(table: Table, opts: ReadOptions) -> RatingSet:
    """Group a long table (one row per item answer) into ratings, vectorised.

    Rows belong to one rating when they share the ``rating`` column (if there is one),
    else respondent, rater role, target role and wave.  Runs of consecutive rows with the
    same key are found by comparing each row's integer cell codes with the row before
    (files list a rating's answers together), so labels are decoded once per run, not once
    per row; runs with the same key anywhere in the file are merged.  Raises
    :class:`~relcoord.errors.InvalidStudyError` listing every located problem: unknown
    items and bad answers first, then bad labels, then repeated answers.
    """
    pos, problems = _field_columns(table, opts, LONG_FIELDS)
    raise_problems(problems)
    row_numbers = table.frame.get_column("row").to_numpy()
    dims, problems = _item_codes(table, pos["item"], opts)
    scores, found = _long_scores(table, pos, opts, dims, row_numbers)
    raise_problems(problems + found)
    runs, problems = _runs(table, pos, opts, row_numbers)
    raise_problems(problems)
    assert runs is not None  # no problems: the runs were found
    matrix, cell = _score_matrix(scores, dims, len(opts.instrument.keys), runs.starts_mask,
                                 runs.group, runs.n_ratings)
    problems = runs.problems
    if cell is not None:  # some (rating, item) cell is answered twice
        problems += _duplicate_answers(table, pos, cell, row_numbers,
                                       table.column(pos["item"]))
    raise_problems(problems)
    first, pick = runs.starts, runs.first
    return RatingSet(
        table=table, first_row=row_numbers[first if pick is None else first[pick]].astype(
            np.int64, copy=False),
        source=runs.source if pick is None else runs.source[pick],
        target=runs.target if pick is None else runs.target[pick],
        respondent=runs.respondent if pick is None else runs.respondent[pick],
        wave=runs.wave if pick is None else runs.wave[pick],
        roles=runs.roles, respondents=runs.respondents, waves=runs.waves, scores=matrix,
        source_column=pos.get("source"), target_column=pos.get("target"),
        respondent_column=pos.get("respondent"),
    )


@attrs.frozen(eq=False)
class _Runs:
    """Runs of rows with the same rating key, and the ratings they form.

    ``starts`` are the rows where runs start (``starts_mask`` marks them); ``source`` and
    friends are the codes of each run's labels; ``first`` is the first run of each rating
    (in key order) and ``group`` each run's rating, both ``None`` when every run is a
    rating of its own, in key order already.  ``problems`` are ratings whose runs disagree.
    """

    starts_mask: npt.NDArray[np.bool_]
    starts: npt.NDArray[np.intp]
    source: npt.NDArray[np.int32]
    target: npt.NDArray[np.int32]
    respondent: npt.NDArray[np.int32]
    wave: npt.NDArray[np.int32]
    roles: tuple[str, ...]
    respondents: tuple[str, ...]
    waves: tuple[str, ...]
    first: npt.NDArray[np.intp] | None
    group: npt.NDArray[np.intp] | None
    problems: list[Problem]

    @property
    def n_ratings(self) -> int:
        """How many ratings the runs form."""
        return len(self.starts) if self.first is None else len(self.first)


def _runs(table: Table, pos: Mapping[str, int], opts: ReadOptions,
          row_numbers: npt.NDArray[Any]) -> tuple[_Runs | None, list[Problem]]:
    """The runs of a long table and their labels, or ``None`` and the problems found.

    A label that changes within a rating id's run comes first; then empty labels.
    """
    n = len(table)
    label_fields = [f for f in ("respondent", "source", "target", "wave") if f in pos]
    key_fields = ["rating"] if "rating" in pos else label_fields
    coded = {f: _CodedColumn(table.column(pos[f]))
             for f in dict.fromkeys([*label_fields, *key_fields])}
    starts_mask = _changes([coded[f] for f in key_fields], n)
    problems: list[Problem] = []
    if "rating" in pos:
        for f in label_fields:  # must not change within a rating
            inside = np.flatnonzero(~starts_mask & _changes([coded[f]], n))
            if len(inside):
                problems += table.problems_at(
                    row_numbers[inside], pos[f],
                    f"this row has another {f} than the row before, within one rating",
                    summary=f"a {f} that changes within one rating")
        if problems:
            return None, problems
    starts = np.flatnonzero(starts_mask)
    head_rows = row_numbers[starts]
    # every row of a run has its head's labels, so checking the heads checks every row
    heads: dict[str, tuple[npt.NDArray[np.int32], list[str]]] = {}
    constant = {"source": opts.rater_role, "target": opts.target_role, "wave": opts.wave}
    for f in ("respondent", "source", "target", "wave", "rating"):
        if f in coded:
            heads[f] = coded[f].texts(starts)
        elif f != "rating":
            heads[f] = np.zeros(len(starts), dtype=np.int32), [constant.get(f) or ""]
    roles = _vocab_of(heads["source"][1], heads["target"][1])
    people, waves = _vocab_of(heads["respondent"][1]), _vocab_of(heads["wave"][1])
    source, target = _codes_of(heads["source"], roles), _codes_of(heads["target"], roles)
    person, wave = _codes_of(heads["respondent"], people), _codes_of(heads["wave"], waves)
    problems = _empty_heads(table, source, head_rows, pos.get("source"), "rater role")
    problems += _empty_heads(table, target, head_rows, pos.get("target"), "target role")
    if "rating" in pos:
        rating_ids = _codes_of(heads["rating"], _vocab_of(heads["rating"][1]))
        problems += _empty_heads(table, rating_ids, head_rows, pos["rating"], "rating id")
        run_key = rating_ids.astype(np.int64)
    else:
        n_roles, n_waves = len(roles), len(waves) + 1
        run_key = ((person.astype(np.int64) + 1) * n_roles + source) * n_roles + target
        run_key = run_key * n_waves + (wave.astype(np.int64) + 1)
    if problems:
        return None, problems
    first_run, run_group = _group_runs(run_key)
    if ("rating" in pos and first_run is not None and run_group is not None
            and len(first_run) < len(starts)):
        problems += _inconsistent_runs(table, pos, run_group, first_run, head_rows,
                                       source, target, person, wave)
    return _Runs(
        starts_mask=starts_mask, starts=starts, source=source, target=target,
        respondent=person, wave=wave, roles=tuple(roles), respondents=tuple(people),
        waves=tuple(waves), first=first_run, group=run_group, problems=problems,
    ), []


_Int = TypeVar("_Int", np.int16, np.int32)


class _CodedColumn:
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


#: Cells sampled first to find the distinct labels of a column.
_SAMPLE_CELLS: Final = 4096


def _changes(columns: Sequence[_CodedColumn], n: int) -> npt.NDArray[np.bool_]:
    """Rows (of ``n``) where any of ``columns`` holds another cell than the row before; the
    first row counts as a change.  Compared in polars, column by column in parallel."""
    if not columns or not n:
        mask = np.zeros(n, dtype=bool)
        mask[:1] = True
        return mask
    codes = pl.DataFrame([c.physical.alias(f"k{i}") for i, c in enumerate(columns)])
    changed = codes.select(pl.any_horizontal(pl.all().ne_missing(pl.all().shift(1))))
    return np.asarray(changed.to_series().to_numpy(), dtype=bool)


def _vocab_of(*texts: Sequence[str]) -> list[str]:
    """The sorted labels in ``texts``, without the empty one."""
    return sorted({t for group in texts for t in group if t})


def _codes_of(cells: tuple[npt.NDArray[np.int32], Sequence[str]], vocab: Sequence[str]
              ) -> npt.NDArray[np.int32]:
    """Codes into ``vocab`` of cells given as indexes into texts; ``-1`` for an empty one."""
    local, texts = cells
    index = {label: i for i, label in enumerate(vocab)}
    table = np.asarray([index.get(t, -1) for t in texts], dtype=np.int32)
    return table[local] if len(table) else np.full(len(local), -1, dtype=np.int32)


def _empty_heads(table: Table, codes: npt.NDArray[np.int32], rows: npt.NDArray[Any],
                 column: int | None, what: str) -> list[Problem]:
    empty = codes < 0
    if not empty.any():
        return []
    return table.problems_at(rows[empty], column, f"empty {what}", summary=f"an empty {what}")


def _score_matrix(
    scores: npt.NDArray[np.float64], dims: npt.NDArray[np.int16], d: int,
    starts_mask: npt.NDArray[np.bool_], run_group: npt.NDArray[np.intp] | None, n_ratings: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[Any] | None]:
    """The ``(n_ratings, d)`` score matrix, each row's score in its rating's item column.

    Returns the matrix and, when two rows fill the same (rating, item) cell, each row's
    cell index (to report them) instead of ``None``.  When each run of rows is a rating of
    its own (``run_group`` is ``None``) and lists its items in the instrument's order, as
    files written in order do, no cell can be filled twice, so that check needs no scatter
    over all cells; when every such rating answers all ``d`` items, the scores are already
    the matrix, row by row.
    """
    n = len(scores)
    if run_group is None and bool(((dims[1:] > dims[:-1]) | starts_mask[1:]).all()):
        if n == n_ratings * d:  # every run holds items 0 .. d-1, in order
            return scores.reshape(n_ratings, d), None
        twice = False
    else:
        twice = None  # not known yet
    small = n_ratings * d < np.iinfo(np.int32).max  # int32 indexes are faster to compute
    run: npt.NDArray[Any] = np.cumsum(starts_mask, dtype=np.int32 if small else np.int64) - 1
    group = run if run_group is None else run_group[run]
    cell = (group * d + dims).astype(np.intp, copy=False)
    matrix = np.full((n_ratings, d), np.nan)
    if twice is None:
        taken = np.zeros(n_ratings * d, dtype=bool)
        taken[cell] = True
        twice = int(np.count_nonzero(taken)) < n
    matrix.reshape(-1)[cell] = scores
    return matrix, cell if twice else None


def _group_runs(run_key: npt.NDArray[np.int64]
                ) -> tuple[npt.NDArray[np.intp] | None, npt.NDArray[np.intp] | None]:
    """The first run of each distinct key (in key order) and each run's group.

    ``(None, None)`` when the keys strictly increase, as in a file sorted by its key: then
    each run is its own group, in file order, which is key order.
    """
    if len(run_key) < 2 or bool((run_key[1:] > run_key[:-1]).all()):
        return None, None
    _, first, inverse = np.unique(run_key, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _score_lookup(instrument: Instrument, kind: ValueKind) -> npt.NDArray[np.float64] | None:
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


def _item_codes(table: Table, column: int, opts: ReadOptions
                ) -> tuple[npt.NDArray[np.int16], list[Problem]]:
    """The dimension index of each row's item (``-1`` and a problem when unknown)."""
    index = _item_index(opts)
    keys = opts.instrument.keys

    def dimension_of(labels: Sequence[str]) -> npt.NDArray[np.int16]:
        found = (index.get(normalise(label)) for label in labels)
        return np.asarray([-1 if k is None else keys.index(k) for k in found], dtype=np.int16)

    coded = _CodedColumn(table.column(column))
    dims = coded.values(dimension_of)
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


def _long_scores(table: Table, pos: Mapping[str, int], opts: ReadOptions,
                 dims: npt.NDArray[np.int16], row_numbers: npt.NDArray[Any]
                 ) -> tuple[npt.NDArray[np.float64], list[Problem]]:
    """Each row's answer as a score of its item's dimension (NaN when missing)."""
    column = pos["value"]
    cells = table.column(column)
    problems: list[Problem] = []
    if cells.dtype == pl.Float64:  # parsed as numbers already (the hot path)
        numbers = cells.fill_null(np.nan).to_numpy().astype(np.float64, copy=False)
    else:
        numbers, problems = parse_numbers(table, cells, table.frame.get_column("row"), column,
                                          missing=opts.missing)
    kind: ValueKind = resolve_values(opts.values, table.header[column], table.name)
    lookup = _score_lookup(opts.instrument, kind)
    if lookup is not None:  # one table look-up for all rows; errors take the slow path
        scores = _looked_up(numbers, dims, lookup)
        if scores is not None:
            return scores, problems
    scores = np.full(len(numbers), np.nan)
    for j, key in enumerate(opts.instrument.keys):
        mask = dims == j
        if mask.any():
            scored, found = score_cells(table, numbers[mask], row_numbers[mask], column,
                                        opts.instrument.dimension(key), kind)
            scores[mask] = scored
            problems += found
    return scores, problems


#: Rows scored at a time by :func:`_looked_up`: its temporaries stay in the CPU cache.
_BLOCK: Final = 1 << 15


def _looked_up(numbers: npt.NDArray[np.float64], dims: npt.NDArray[np.int16],
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


def _item_index(opts: ReadOptions) -> dict[str, str]:
    try:
        return item_index(opts.instrument, opts.items)
    except ValueError as exc:
        raise InvalidInputError(opts.name, str(exc)) from None


def _inconsistent_runs(
    table: Table, pos: Mapping[str, int], group: npt.NDArray[np.intp],
    first: npt.NDArray[np.intp], start_rows: npt.NDArray[np.int64],
    *columns: npt.NDArray[np.int32],
) -> list[Problem]:
    """Runs of one rating id whose labels differ from the rating's first run."""
    problems: list[Problem] = []
    for field, codes in zip(("source", "target", "respondent", "wave"), columns, strict=True):
        bad = np.flatnonzero(codes != codes[first][group])
        if len(bad):
            line = table.lines([start_rows[first[group[bad[0]]]]])[0]
            problems += table.problems_at(
                start_rows[bad], pos.get(field),
                f"this rating has another {field} than where its rating id first appears "
                f"(line {line})", summary=f"a {field} that differs within one rating")
    return problems


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


def wide_ratings(table: Table, opts: ReadOptions, *, require_all_items: bool = True
                 ) -> RatingSet:
    """One rating per row of a wide table (one column per item), vectorised."""
    fields = ("respondent", "source", "target", "wave")
    pos, problems = _field_columns(table, opts, fields)
    instrument = opts.instrument
    index = _item_index(opts)
    item_columns: dict[str, int] = {}
    taken = set(pos.values())
    for i, header in enumerate(table.header):
        key = index.get(normalise(header))
        if i in taken or key is None:
            continue
        if key in item_columns:
            problems.append(Problem(
                f"{table.name}:1:{i + 1}",
                f"column {header!r} holds item {key!r}, like column {item_columns[key] + 1} "
                f"({table.header[item_columns[key]]!r})"))
        else:
            item_columns[key] = i
    missing = [k for k in instrument.keys if k not in item_columns]
    if missing and require_all_items:
        problems.append(Problem(f"{table.name}:1:1", (
            f"no column for item(s) {', '.join(missing)} of instrument {instrument.id!r}; "
            "name them with the items option (e.g. items={'Q1': 'frequent'}) or choose "
            "another instrument")))
    raise_problems(problems)
    rows = table.frame.get_column("row")
    row_numbers = rows.to_numpy().astype(np.int64)
    kind: ValueKind = resolve_values(opts.values, None, table.name)
    matrix = np.full((len(table), len(instrument.keys)), np.nan)
    for j, key in enumerate(instrument.keys):
        if key not in item_columns:
            continue
        column = item_columns[key]
        numbers, found = parse_numbers(table, table.column(column), rows, column,
                                       missing=opts.missing)
        problems += found
        scored, found = score_cells(table, numbers, row_numbers, column,
                                    instrument.dimension(key), kind)
        problems += found
        matrix[:, j] = scored
    labels, found = _encode_labels(table, pos, opts)
    problems += found
    raise_problems(problems)
    return RatingSet(
        table=table, first_row=row_numbers, source=labels["source"], target=labels["target"],
        respondent=labels["respondent"], wave=labels["wave"], roles=labels["roles"],
        respondents=labels["respondents"], waves=labels["waves"], scores=matrix,
        source_column=pos.get("source"), target_column=pos.get("target"),
        respondent_column=pos.get("respondent"),
    )


# --- assembling a study --------------------------------------------------------------------


def respondents_of(ratings: RatingSet) -> tuple[list[Respondent], list[Problem]]:
    """One respondent per respondent label, in the role of their first rating.

    A respondent who rates from two roles is a problem, located at the rating that differs.
    """
    has = ratings.respondent >= 0
    if not has.any():
        return [], []
    codes = ratings.respondent[has]
    sources = ratings.source[has]
    # the first rating of each respondent in file order decides their role
    rows = ratings.first_row[has]
    if len(codes) > 1 and bool(((codes[1:] > codes[:-1]) | (
            (codes[1:] == codes[:-1]) & (rows[1:] > rows[:-1]))).all()):
        order = np.arange(len(codes))  # sorted by respondent, then by line already
    else:
        order = np.lexsort((rows, codes))
    ordered = codes[order]
    first_sorted = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    people = ordered[first_sorted]
    first = order[first_sorted]
    owner = np.full(len(ratings.respondents), -1, dtype=np.int64)
    owner[people] = sources[first]
    wrong = np.flatnonzero(owner[codes] != sources)
    problems: list[Problem] = []
    if len(wrong):
        table = ratings.table
        messages = [
            f"respondent {ratings.respondents[codes[i]]!r} rates from role "
            f"{ratings.roles[sources[i]]!r} here, but from {ratings.roles[owner[codes[i]]]!r} "
            f"at line {table.lines([rows[first[np.searchsorted(people, codes[i])]]])[0]}"
            for i in wrong[:MAX_PROBLEMS]
        ]
        problems = table.problems_at(rows[wrong], ratings.source_column, messages,
                                     summary="a respondent in two roles")
    respondents = [Respondent(ratings.respondents[p], ratings.roles[owner[p]]) for p in people]
    return respondents, problems


def _unknown_roles(ratings: RatingSet, known: set[str], roles_name: str) -> list[Problem]:
    missing = np.array([r not in known for r in ratings.roles], dtype=bool)
    if not missing.any():
        return []
    problems: list[Problem] = []
    for field, codes, column in (("rater", ratings.source, ratings.source_column),
                                 ("target", ratings.target, ratings.target_column)):
        bad = np.flatnonzero(missing[codes])
        if len(bad):
            problems += ratings.table.problems_at(
                ratings.first_row[bad], column,
                [f"unknown {field} role {ratings.roles[codes[i]]!r}: not in the roles table "
                 f"{roles_name}" for i in bad[:MAX_PROBLEMS]],
                summary=f"unknown {field} roles")
    return problems


def build_study(
    *, name: str, instrument: Instrument, metadata: Metadata, ratings: RatingSet | None,
    roles: Sequence[Role] | None, roles_name: str = "", respondents: Sequence[Respondent] = (),
    ties: Sequence[Tie] = (), invitations: Sequence[Invitation] = (),
) -> Study:
    """Put ratings, roles, respondents, ties and invitations together into a checked study.

    Without ``roles``, the roles are inferred from the labels used: a role is present when it
    rated, drew an arrow or sent an invitation.
    """
    problems: list[Problem] = []
    people: list[Respondent] = list(respondents)
    if ratings is not None:
        found, more = respondents_of(ratings)
        problems += more
        known_people = {p.id: p.role for p in people}
        for person in found:
            if person.id in known_people and known_people[person.id] != person.role:
                problems.append(Problem(name, (
                    f"respondent {person.id!r} is in role {known_people[person.id]!r} in the "
                    f"respondents table but rates from role {person.role!r}")))
            elif person.id not in known_people:
                people.append(person)
    if roles is not None:
        if ratings is not None:
            problems += _unknown_roles(ratings, {r.id for r in roles}, roles_name)
        role_list = list(roles)
    else:
        used: set[str] = set()
        raters: set[str] = set()
        if ratings is not None:
            used.update(ratings.roles)
            raters.update(ratings.roles[int(c)] for c in np.unique(ratings.source))
        for pair in [(t.source, t.target) for t in ties] + [
                (i.source, i.target) for i in invitations]:
            used.update(pair)
            raters.add(pair[0])
        used.update(p.role for p in people)
        raters.update(p.role for p in people)
        role_list = [Role(id=r, name=r, present=r in raters) for r in sorted(used)]
    raise_problems(problems)
    store = ratings.ratings(instrument.keys) if ratings is not None else Ratings.empty(
        instrument.keys)
    if not role_list:
        raise InvalidInputError(f"{name}:1:1",
                                "the file has no data rows and names no roles: nothing to import")
    return Study(metadata=metadata, instrument=instrument, roles=role_list,
                 respondents=people, ties=ties, ratings=store, invitations=invitations)


def _side_tables(opts: ReadOptions) -> tuple[list[Role] | None, str, list[Tie], list[Invitation]]:
    problems: list[Problem] = []
    roles: list[Role] | None = None
    roles_name = ""
    ties: list[Tie] = []
    invitations: list[Invitation] = []

    def load(key: str) -> Table:
        return load_table(Path(opts.raw[key]), encoding=opts.encoding, decimal=opts.decimal,
                          max_bytes=opts.max_bytes)

    if opts.raw.get("roles") is not None:
        table = load("roles")
        roles_name = table.name
        roles, found = read_roles(table)
        problems += found
    if opts.raw.get("ties") is not None:
        found_ties, found = read_ties(load("ties"))
        ties += found_ties
        problems += found
    if opts.raw.get("invitations") is not None:
        found_invitations, found = read_invitations(load("invitations"))
        invitations += found_invitations
        problems += found
    raise_problems(problems)
    return roles, roles_name, ties, invitations


def _metadata(path: Path, opts: ReadOptions) -> Metadata:
    raw = opts.raw
    stem = path.name.split(".")[0] or "study"
    return Metadata(id=str(raw.get("study_id") or stem), title=str(raw.get("title") or ""),
                    language=str(raw.get("language") or "en"))


def _drop_empty(ratings: RatingSet, drop: bool) -> RatingSet:
    if not drop or not len(ratings.scores):
        return ratings
    keep = np.asarray(~np.isnan(ratings.scores).all(axis=1), dtype=bool)
    return ratings.select(keep)


def read_long(path: Path, options: Mapping[str, Any]) -> Study:
    """Read a long CSV table: one row per item answer (format ``csv-long``).

    Columns (aliases in :data:`~relcoord.formats.csv.columns.FIELD_ALIASES`): ``respondent``
    (optional), ``source`` (rater role), ``target``, ``wave`` (optional), ``item``, the
    answer (``answer``/``position``: answer positions; ``score``: scores) and optionally
    ``rating`` (rows with the same rating id form one rating).
    """
    path = Path(path)
    opts = _parse_options("csv-long", path, options, "rc7")
    roles, roles_name, ties, invitations = _side_tables(opts)
    table = _load(path, opts, long=True)
    ratings = _drop_empty(long_ratings(table, opts), bool(opts.drop_empty))
    return build_study(name=table.name, instrument=opts.instrument,
                       metadata=_metadata(path, opts), ratings=ratings, roles=roles,
                       roles_name=roles_name, ties=ties, invitations=invitations)


def read_wide(path: Path, options: Mapping[str, Any]) -> Study:
    """Read a wide CSV table: one row per respondent and target role (format ``csv-wide``).

    Item columns are found through the item aliases (``RC1_COM``, ``Hyppig``, the dimension
    keys...) or the ``items`` option; other columns are ignored.  A row whose items are all
    missing is a target role the respondent skipped and gives no rating (``drop_empty``).
    """
    path = Path(path)
    opts = _parse_options("csv-wide", path, options, "rc7")
    roles, roles_name, ties, invitations = _side_tables(opts)
    table = _load(path, opts)
    drop = True if opts.drop_empty is None else opts.drop_empty
    ratings = _drop_empty(wide_ratings(table, opts), drop)
    return build_study(name=table.name, instrument=opts.instrument,
                       metadata=_metadata(path, opts), ratings=ratings, roles=roles,
                       roles_name=roles_name, ties=ties, invitations=invitations)


def read_relationskort(path: Path, options: Mapping[str, Any]) -> Study:
    """Read relationskort arrows (format ``csv-relationskort``).

    One row per arrow: ``source`` group, ``target`` group, optional ``wave`` and the four
    communication qualities (``frequent``/``Hyppig``, ``timely``/``Rettidig``,
    ``accurate``/``Præcis``, ``problem_solving``/``Problemløsende``; any may be absent).
    Each row is a named :class:`~relcoord.model.Tie`; a row with at least one rating is
    also a rating without a respondent.
    """
    path = Path(path)
    opts = _parse_options("csv-relationskort", path, options, "relationskort")
    roles, roles_name, ties, invitations = _side_tables(opts)
    table = _load(path, opts)
    arrows = wide_ratings(table, opts, require_all_items=False)
    arrow_ties = [
        Tie(arrows.roles[s], arrows.roles[t], None if w < 0 else arrows.waves[w])
        for s, t, w in zip(arrows.source.tolist(), arrows.target.tolist(),
                           arrows.wave.tolist(), strict=True)
    ]
    rated = _drop_empty(arrows, True)
    return build_study(name=table.name, instrument=opts.instrument,
                       metadata=_metadata(path, opts), ratings=rated, roles=roles,
                       roles_name=roles_name, ties=[*ties, *arrow_ties],
                       invitations=invitations)
