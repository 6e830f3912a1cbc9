"""SPSS files to the table the CSV layouts read: variables found, codes read, files merged.

:func:`survey_table` turns one or more :class:`~relcoord_spss.labelled_file.LabelledFile`
into one :class:`~relcoord_spss.variable_table.VariableTable`, so that the long and wide
layouts of :mod:`relcoord.formats.csv` read it as they read a CSV file, with the same
column aliases, options, checks and notes.  What a labelled file adds is settled here, and
every guess is noted (:class:`~relcoord.errors.ImportNote`):

- *variable labels* find the variables whose names say nothing: a variable ``q3`` labelled
  ``Hyppig`` holds the item ``frequent``, one labelled ``Faggruppe`` the rater role (the
  ``items`` and ``columns`` options settle it);
- the *layout*, long or wide, follows the variables as a CSV header's decides
  (:func:`~relcoord.formats.csv.layout_detection.header_layout`; option ``layout``);
- *answer codes* are read by their value labels where the codes are not the answer
  positions, and user-missing and no-answer codes become missing answers
  (:mod:`~relcoord_spss.answer_codes`); a labelled role, respondent, wave or item code is
  read as its label;
- several files (``merge``) are stacked, a column (``file_column``) saying which file each
  row came from, each row keeping its own file and case number for error messages; a
  respondent id that two files share is an error unless ``merge_respondents`` says whether
  it is one person.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl

from relcoord import messages
from relcoord.errors import ImportNote, InvalidInputError, Problem
from relcoord.formats.csv.columns import FIELD_ALIASES, layout_columns, normalise
from relcoord.formats.csv.layout_detection import Layout, header_layout
from relcoord.formats.csv.long_layout import LONG_FIELDS
from relcoord.formats.csv.read_options import ReadOptions
from relcoord.formats.csv.table import MAX_PROBLEMS, raise_problems
from relcoord.formats.csv.wide_layout import WIDE_FIELDS
from relcoord.instruments import Dimension
from relcoord.messages.reading import LANGUAGE
from relcoord_spss.answer_codes import CodeDecision, ValueLabels, decide_codes, show_code
from relcoord_spss.labelled_file import LabelledFile
from relcoord_spss.read_options import LabelledOptions
from relcoord_spss.variable_table import VariableTable

__all__ = ["SurveyTable", "survey_table"]

#: Fields a variable label may name (the label fields of both layouts, and the long
#: layout's item and answer).
_LABELLED_FIELDS: Final = ("respondent", "source", "target", "wave", "item", "value")
#: How many codes a note shows.
_SHOWN: Final = 8


def _note(location: str, key: str, **fields: object) -> None:
    warnings.warn(ImportNote(location, messages.text(key, LANGUAGE, **fields)), stacklevel=3)


def _at(file: str, variable: str | None = None, row: int | None = None) -> str:
    """``file: variable NAME, row N`` (as :class:`VariableTable` locates; ``row`` 0-based)."""
    parts = ([f"variable {variable}"] if variable is not None else []) + (
        [f"row {row + 1}"] if row is not None else [])
    return f"{file}: {', '.join(parts)}" if parts else file


def _codes_text(codes: Sequence[float], labels: Mapping[float, str] | None = None) -> str:
    shown = [show_code(c) + (f" ({labels[c]!r})" if labels and c in labels else "")
             for c in sorted(codes)[:_SHOWN]]
    return ", ".join(shown) + (", ..." if len(codes) > _SHOWN else "")


@attrs.frozen(eq=False)
class SurveyTable:
    """What :func:`survey_table` gives: the table, the options the layouts read it with
    (the variables found by their labels added to ``columns`` and ``items``) and its
    layout."""

    table: VariableTable
    options: ReadOptions
    layout: Layout


# --- variables found by their labels ---------------------------------------------------------


def _found_by_labels(header: Sequence[str], labels: Mapping[str, str], opts: ReadOptions,
                     name: str) -> ReadOptions:
    """``opts`` with the fields and items that only a variable's label names added to its
    ``columns`` and ``items`` (noted); what the options name, or a name finds, wins."""
    names = {normalise(h) for h in header}
    index = opts.item_index()
    columns: dict[str, str] = {}
    for field in _LABELLED_FIELDS:
        aliases = {normalise(a) for a in FIELD_ALIASES[field]}
        if field in opts.columns or names & aliases:
            continue
        hits = [h for h in header if normalise(labels.get(h, "")) in aliases
                and normalise(h) not in index and h not in columns.values()]
        if len(hits) == 1:
            columns[field] = hits[0]
    named_items = {index[normalise(h)] for h in header if normalise(h) in index}
    items: dict[str, str] = {}
    for h in header:
        key = index.get(normalise(labels.get(h, "")))
        if (key is None or normalise(h) in index or key in named_items or h in columns.values()
                or key in items.values()):
            continue
        items[h] = key
    if columns:
        every = {**columns, **opts.columns}
        _note(name, "labelled.note.columns",
              mapping=", ".join(f"{f}={v!r} ({labels[v]!r})" for f, v in columns.items()),
              json=json.dumps(every, ensure_ascii=False))
    if items:
        every = {**items, **opts.items}
        _note(name, "labelled.note.items",
              mapping=", ".join(f"{v!r} ({labels[v]!r})={k}" for v, k in items.items()),
              json=json.dumps(every, ensure_ascii=False))
    return attrs.evolve(opts, columns={**columns, **opts.columns},
                        items={**items, **opts.items})


def _layout(header: Sequence[str], opts: ReadOptions, chosen: str, name: str) -> Layout:
    if chosen in ("long", "wide"):
        return "long" if chosen == "long" else "wide"
    layout, found = header_layout(header, opts.instrument, columns=opts.columns,
                                  items=opts.items)
    result: Layout = "long" if layout is None or layout == "long" else "wide"
    shown = ", ".join(found[:4]) + (", ..." if len(found) > 4 else "")
    why = messages.text(f"reading.why.{layout or 'default'}", LANGUAGE, items=shown)
    _note(name, "labelled.note.layout", layout=result, why=why)
    return result


# --- reading the codes -----------------------------------------------------------------------


def _number_text(values: pl.Series) -> pl.Series:
    """Numbers as text: whole numbers without ``.0``; null stays null."""
    frame = pl.DataFrame({"v": values})
    return frame.select(
        pl.when(pl.col("v") == pl.col("v").round(0))
        .then(pl.col("v").cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(pl.col("v").cast(pl.String)).alias("v")).get_column("v")


@attrs.define
class _Reading:
    """What reading one file's answer variables found: problems, notes and the variables
    read by their labels."""

    problems: list[Problem] = attrs.Factory(list)
    by_labels: list[str] = attrs.Factory(list)


class _FileReader:
    """Reads the variables of one file into the table's column types."""

    def __init__(self, file: LabelledFile, opts: ReadOptions, own: LabelledOptions,
                 reading: _Reading) -> None:
        self.file = file
        self.opts = opts
        self.own = own
        self.mode: ValueLabels = (
            "labels" if own.value_labels == "labels"
            else "codes" if own.value_labels == "codes" else "auto")
        self.reading = reading

    def _missing(self, variable: str, codes: npt.NDArray[np.float64]
                 ) -> npt.NDArray[np.float64]:
        """``codes`` with user-missing and ``missing_codes`` codes as NaN (noted)."""
        labels = self.file.value_labels.get(variable, {})
        where = _at(self.file.name, variable)
        declared = self.file.user_missing(variable, codes)
        if declared.any():
            found = sorted({c for c in codes[declared].tolist() if not np.isnan(c)})
            stata = self.file.tagged.get(variable, (None, ()))[1]
            _note(where, "labelled.note.user_missing", count=int(declared.sum()),
                  codes=", ".join(filter(None, (_codes_text(found, labels), *stata))))
        named = np.isin(codes, self.own.missing_codes) & ~declared
        if named.any():
            found = sorted(set(codes[named].tolist()))
            _note(where, "labelled.note.missing_codes", count=int(named.sum()),
                  codes=_codes_text(found, labels))
        if declared.any() or named.any():
            codes = codes.copy()
            codes[declared | named] = np.nan
        return codes

    def text(self, variable: str, *, field: bool) -> pl.Series:
        """A variable as text: a labelled code as its label (``field``: a label field,
        noted), a number without ``.0``, a missing value as ``""``."""
        series = self.file.frame.get_column(variable)
        if series.dtype == pl.String:
            return series.fill_null("")
        codes = self._missing(variable, series.to_numpy().astype(np.float64)) if field else (
            series.to_numpy().astype(np.float64))
        numbers = pl.Series(variable, codes, dtype=pl.Float64).fill_nan(None)
        text = _number_text(numbers)
        labels = self.file.value_labels.get(variable, {})
        if labels and self.mode != "codes":
            held = set(numbers.drop_nulls().unique().to_list())
            used = {c: t for c, t in labels.items() if c in held}
            if used:
                text = pl.DataFrame({"t": text, "n": numbers}).select(
                    pl.col("n").replace_strict(list(used), list(used.values()),
                                               default=pl.col("t"), return_dtype=pl.String)
                ).to_series()
                if field:
                    _note(_at(self.file.name, variable), "labelled.note.label_codes",
                          mapping=", ".join(f"{show_code(c)}={t!r}"
                                            for c, t in list(used.items())[:_SHOWN])
                          + (", ..." if len(used) > _SHOWN else ""))
        return text.fill_null("").alias(variable)

    def answers(self, variable: str, dims: npt.NDArray[np.int16]) -> pl.Series:
        """An answer variable as numbers (positions by label, or codes as they are), each
        case read for the item ``dims`` gives it (``-1``: an unknown item, left as it is).
        A text variable stays text, for the layout to parse and locate."""
        series = self.file.frame.get_column(variable)
        if series.dtype == pl.String:
            return series.fill_null("")
        codes = self._missing(variable, series.fill_null(np.nan).to_numpy().astype(np.float64))
        out = codes.copy()
        labels = self.file.value_labels.get(variable, {})
        for j in np.unique(dims[dims >= 0]).tolist():
            rows = np.flatnonzero(dims == j)
            dimension = self.opts.instrument.dimensions[j]
            held = [float(c) for c in np.unique(codes[rows]) if not np.isnan(c)]
            decision = decide_codes(held, labels, dimension, self.mode)
            self._report(variable, dimension, decision, codes, rows)
            read = decision.apply(codes[rows])
            if decision.by_labels and self.opts.values == "scores":
                whole = ~np.isnan(read)
                read[whole] = np.asarray(dimension.scoring)[read[whole].astype(np.intp) - 1]
            out[rows] = read
        return pl.Series(variable, out, dtype=pl.Float64).fill_nan(None)

    def _report(self, variable: str, dimension: Dimension, decision: CodeDecision,
                codes: npt.NDArray[np.float64], rows: npt.NDArray[np.intp]) -> None:
        where = _at(self.file.name, variable)
        labels = self.file.value_labels.get(variable, {})
        held = codes[rows]
        no_answer = sorted(c for c in decision.no_answer if (held == c).any())
        if no_answer:
            _note(where, "labelled.note.dont_know", count=int(np.isin(held, no_answer).sum()),
                  codes=_codes_text(no_answer, labels),
                  option=",".join(show_code(c) for c in no_answer))
        if decision.by_labels:
            self.reading.by_labels.append(variable)
            if decision.unmatched:
                self._unmatched(variable, dimension, decision, codes, rows)
            elif decision.changes_codes:
                _note(where, "labelled.note.answers_by_label", item=dimension.key,
                      mapping=", ".join(f"{show_code(c)} ({labels[c]!r}) -> {p}"
                                        for c, p in sorted(decision.positions.items())))
        elif decision.unused_labels:
            _note(where, "labelled.note.codes_as_they_are", item=dimension.key,
                  instrument=repr(self.opts.instrument.id))

    def _unmatched(self, variable: str, dimension: Dimension, decision: CodeDecision,
                   codes: npt.NDArray[np.float64], rows: npt.NDArray[np.intp]) -> None:
        answers = "; ".join(", ".join(repr(a) for a in labels)
                            for labels in list(dimension.answers.values())[:1])
        for code, label in list(decision.unmatched.items())[:MAX_PROBLEMS]:
            first = int(rows[np.flatnonzero(codes[rows] == code)[0]])
            what = (f"has label {label!r}, which is none of the answers of" if label
                    else "has no value label, while the variable's labels name the answers of"
                    if self.file.value_labels.get(variable) else
                    "has no value label (the variable has none) to find it among the answers "
                    "of")
            self.reading.problems.append(Problem(
                _at(self.file.name, variable, first),
                f"code {show_code(code)} {what} {dimension.key} in instrument "
                f"{self.opts.instrument.id!r} ({answers}, or the same in another "
                "language); read it as a missing answer with "
                f"-I missing_codes={show_code(code)}, or read the codes as they are with "
                "-I value_labels=codes"))


# --- the table -------------------------------------------------------------------------------


def _item_dims(items: pl.Series, opts: ReadOptions) -> npt.NDArray[np.int16]:
    """Each case's item (a long table's item variable, as text) as a dimension index."""
    index = opts.item_index()
    keys = opts.instrument.keys
    distinct = items.unique().to_list()
    codes = [keys.index(index[normalise(t)]) if normalise(t) in index else -1
             for t in distinct]
    dims: npt.NDArray[np.int16] = items.replace_strict(
        distinct, codes, return_dtype=pl.Int16).to_numpy()
    return dims


def _answer_columns(header: Sequence[str], opts: ReadOptions, layout: Layout
                    ) -> tuple[dict[str, int], dict[str, int | None]]:
    """The label fields' columns, and the answer columns: for wide, each item column and
    its dimension; for long, the answer column (its dimension is per case: ``None``)."""
    fields = LONG_FIELDS if layout == "long" else WIDE_FIELDS
    pos, _ = layout_columns(header, "", fields, columns=opts.columns,
                            constants=opts.constants)  # problems: reported by the layout
    if layout == "long":
        value = pos.pop("value", None)
        return pos, ({} if value is None else {header[value]: None})
    index = opts.item_index()
    taken = set(pos.values())
    answer: dict[str, int | None] = {}
    for i, h in enumerate(header):
        key = index.get(normalise(h))
        if key is not None and i not in taken:
            answer[h] = opts.instrument.keys.index(key)
    return pos, answer


def _respondents_per_file(frames: list[pl.DataFrame], files: Sequence[LabelledFile],
                          column: str | None, own: LabelledOptions) -> list[pl.DataFrame]:
    """Check that merged files do not share a respondent id, or prefix the ids with their
    file's name (``merge_respondents``)."""
    if column is None or len(frames) < 2 or own.merge_respondents == "same":
        return frames
    if own.merge_respondents == "per_file":
        _note(", ".join(f.name for f in files), "labelled.note.per_file")
        return [frame.with_columns(
            pl.when(pl.col(column) != "").then(pl.lit(Path(file.name).stem + ":")
                                               + pl.col(column))
            .otherwise(pl.col(column)).alias(column))
            for frame, file in zip(frames, files, strict=True)]
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for frame, file in zip(frames, files, strict=True):
        firsts = (frame.select(pl.col(column).alias("id"), pl.int_range(pl.len()).alias("row"))
                  .filter(pl.col("id") != "")
                  .unique("id", keep="first", maintain_order=True))
        here = dict(zip(firsts.get_column("id").to_list(), firsts.get_column("row").to_list(),
                        strict=True))
        for person in [p for p in here if p in seen][:MAX_PROBLEMS]:
            problems.append(Problem(_at(file.name, column, int(here[person])), (
                f"respondent {person!r} is in {seen[person]} too: is it one person or "
                "two? say -I merge_respondents=same (one person) or "
                "-I merge_respondents=per_file (the ids are prefixed with their file's "
                "name)")))
        for person in here:
            seen.setdefault(person, file.name)
    raise_problems(problems)
    return frames


def survey_table(files: Sequence[LabelledFile], opts: ReadOptions, own: LabelledOptions
                 ) -> SurveyTable:
    """One table of the cases of ``files`` (see the module docstring), with the options
    the layouts read it with and its layout.

    Raises :class:`~relcoord.errors.InvalidStudyError` for answer codes that only some
    labels explain and for respondent ids that merged files share, each located at
    ``file: variable NAME, row N``.
    """
    name = ", ".join(f.name for f in files)
    header = list(dict.fromkeys(v for f in files for v in f.variables))
    labels: dict[str, str] = {}
    for f in files:
        for variable, label in f.variable_labels.items():
            labels.setdefault(variable, label)
    merged = len(files) > 1
    if merged and normalise(own.file_column) in {normalise(h) for h in header}:
        raise InvalidInputError(_at(files[0].name, own.file_column), (
            f"the files have a variable {own.file_column!r}, the name of the column that says "
            "which file a row came from; name that column otherwise with "
            "-I file_column=NAME"))
    opts = _found_by_labels(header, labels, opts, name)
    layout = _layout(header, opts, own.layout, name)
    pos, answer = _answer_columns(header, opts, layout)
    fields = {header[i]: f for f, i in pos.items()}
    reading = _Reading()
    frames: list[pl.DataFrame] = []
    for file in files:
        reader = _FileReader(file, opts, own, reading)
        height = file.frame.height
        present = set(file.variables)
        texts = {v: reader.text(v, field=v in fields) for v in header
                 if v in present and v not in answer}
        columns: dict[str, pl.Series] = {}
        for v in header:
            if v not in present:
                columns[v] = pl.Series(v, [None] * height, dtype=(
                    pl.Float64 if v in answer else pl.String))
                if v not in answer:
                    columns[v] = columns[v].fill_null("")
            elif v in answer:
                dimension = answer[v]
                if dimension is None:  # long: each case's item says
                    item = pos.get("item")
                    items = texts.get(header[item]) if item is not None else None
                    dims = (_item_dims(items, opts) if items is not None
                            else np.full(height, -1, dtype=np.int16))
                else:
                    dims = np.full(height, dimension, dtype=np.int16)
                columns[v] = reader.answers(v, dims)
            else:
                columns[v] = texts[v]
        if merged:
            columns[own.file_column] = pl.Series(own.file_column,
                                                 [Path(file.name).name] * height,
                                                 dtype=pl.String)
        frames.append(pl.DataFrame(list(columns.values())))
    raise_problems(reading.problems)
    respondent = pos.get("respondent")
    frames = _respondents_per_file(frames, files, header[respondent]
                                   if respondent is not None else None, own)
    frames = _same_types(frames)
    if merged:
        header.append(own.file_column)
        _note(name, "labelled.note.merged", count=len(files), column=repr(own.file_column),
              files=", ".join(Path(f.name).name for f in files))
    frame = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    frame = frame.rename({h: f"c{i}" for i, h in enumerate(header)}).with_row_index("row")
    offsets = np.cumsum([0] + [f.frame.height for f in files[:-1]]).tolist()
    if reading.by_labels and opts.values == "auto":
        shown = sorted(Counter(reading.by_labels))
        _note(name, "labelled.note.positions",
              variables=", ".join(shown[:_SHOWN]) + (", ..." if len(shown) > _SHOWN else ""))
        opts = attrs.evolve(opts, values="positions")
    table = VariableTable(name, header, frame.select("row", *(f"c{i}" for i in
                                                               range(len(header)))),
                          [f.name for f in files], offsets)
    return SurveyTable(table=table, options=opts, layout=layout)


def _same_types(frames: list[pl.DataFrame]) -> list[pl.DataFrame]:
    """The frames with one type per column: text where any file holds text."""
    if len(frames) < 2:
        return frames
    text = {c for frame in frames for c, t in frame.schema.items() if t == pl.String}
    return [frame.with_columns(_number_text(frame.get_column(c)).fill_null("").alias(c)
                               for c in frame.columns
                               if c in text and frame.schema[c] != pl.String)
            for frame in frames]
