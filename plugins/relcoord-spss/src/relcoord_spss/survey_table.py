"""SPSS files to the table the CSV layouts read: variables found, codes read, files merged.

`survey_table` turns one or more `LabelledFile`
into one `VariableTable`, so that the long and wide
layouts of [`relcoord.formats.csv`][relcoord.formats.csv] read it as they read a CSV file, with the
same column aliases, options, checks and notes.  What a labelled file adds is settled here, and
every guess is noted ([`ImportNote`][relcoord.errors.ImportNote]):

- *variable labels* find the variables whose names say nothing: a variable ``q3`` labelled
  ``Hyppig`` holds the item ``frequent``, one labelled ``Faggruppe`` the rater role, and
  the *layout*, long or wide, follows the variables as a CSV header's decides
  (`variable_labels`);
- *answer codes* are read by their value labels where the codes are not the answer
  positions, and user-missing and no-answer codes become missing answers; a labelled role,
  respondent, wave or item code is read as its label (`code_reading`,
  `answer_codes`);
- several files (``merge``) are stacked, a column (``file_column``) saying which file each
  row came from, each row keeping its own file and case number for error messages; a
  respondent id that two files share is an error unless ``merge_respondents`` says whether
  it is one person (`merged_files`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl

from relcoord.errors import InvalidInputError
from relcoord.formats.csv.columns import layout_columns, normalise
from relcoord.formats.csv.layout_detection import Layout
from relcoord.formats.csv.long_layout import LONG_FIELDS
from relcoord.formats.csv.read_options import ReadOptions
from relcoord.formats.csv.table import raise_problems
from relcoord.formats.csv.wide_layout import WIDE_FIELDS
from relcoord_spss.code_reading import CodeReading, FileReader
from relcoord_spss.labelled_file import LabelledFile
from relcoord_spss.labelled_notes import SHOWN, case_location, note
from relcoord_spss.merged_files import respondents_per_file, same_types
from relcoord_spss.read_options import LabelledOptions
from relcoord_spss.variable_labels import choose_layout, found_by_labels
from relcoord_spss.variable_table import VariableTable

__all__ = ["SurveyTable", "survey_table"]


@attrs.frozen(eq=False)
class SurveyTable:
    """What `survey_table` gives: the table, the options the layouts read it with
    (the variables found by their labels added to ``columns`` and ``items``) and its
    layout."""

    table: VariableTable
    options: ReadOptions
    layout: Layout



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


def survey_table(files: Sequence[LabelledFile], opts: ReadOptions, own: LabelledOptions
                 ) -> SurveyTable:
    """One table of the cases of ``files`` (see the module docstring), with the options
    the layouts read it with and its layout.

    Raises [`InvalidStudyError`][relcoord.errors.InvalidStudyError] for answer codes that only some
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
        raise InvalidInputError(case_location(files[0].name, own.file_column), (
            f"the files have a variable {own.file_column!r}, the name of the column that says "
            "which file a row came from; name that column otherwise with "
            "-I file_column=NAME"))
    opts = found_by_labels(header, labels, opts, name)
    layout = choose_layout(header, opts, own.layout, name)
    pos, answer = _answer_columns(header, opts, layout)
    fields = {header[i]: f for f, i in pos.items()}
    reading = CodeReading()
    frames: list[pl.DataFrame] = []
    for file in files:
        reader = FileReader(file, opts, own, reading)
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
    frames = respondents_per_file(frames, files, header[respondent]
                                   if respondent is not None else None, own)
    frames = same_types(frames)
    if merged:
        header.append(own.file_column)
        note(name, "labelled.note.merged", count=len(files), column=repr(own.file_column),
             files=", ".join(Path(f.name).name for f in files))
    frame = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    frame = frame.rename({h: f"c{i}" for i, h in enumerate(header)}).with_row_index("row")
    offsets = np.cumsum([0] + [f.frame.height for f in files[:-1]]).tolist()
    if reading.by_labels and opts.values == "auto":
        shown = sorted(Counter(reading.by_labels))
        note(name, "labelled.note.positions",
             variables=", ".join(shown[:SHOWN]) + (", ..." if len(shown) > SHOWN else ""))
        opts = attrs.evolve(opts, values="positions")
    table = VariableTable(name, header, frame.select("row", *(f"c{i}" for i in
                                                               range(len(header)))),
                          [f.name for f in files], offsets)
    return SurveyTable(table=table, options=opts, layout=layout)
