"""Several files of one survey stacked into one table: shared respondent ids, one type per
column.

One file per survey mode or site numbers its respondents on its own: an id two files share
may be one person or two.  `respondents_per_file` refuses to guess (an error naming
``merge_respondents``) unless the option says which; `same_types` makes a variable
that one file holds as text and another as numbers text in all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from relcoord.errors import Problem
from relcoord.formats.csv.table import MAX_PROBLEMS, raise_problems
from relcoord_spss.code_reading import number_text
from relcoord_spss.labelled_file import LabelledFile
from relcoord_spss.labelled_notes import case_location, note
from relcoord_spss.read_options import LabelledOptions

__all__ = ["respondents_per_file", "same_types"]


def respondents_per_file(frames: list[pl.DataFrame], files: Sequence[LabelledFile],
                          column: str | None, own: LabelledOptions) -> list[pl.DataFrame]:
    """Check that merged files do not share a respondent id, or prefix the ids with their
    file's name (``merge_respondents``)."""
    if column is None or len(frames) < 2 or own.merge_respondents == "same":
        return frames
    if own.merge_respondents == "per_file":
        note(", ".join(f.name for f in files), "labelled.note.per_file")
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
            problems.append(Problem(case_location(file.name, column, int(here[person])), (
                f"respondent {person!r} is in {seen[person]} too: is it one person or "
                "two? say -I merge_respondents=same (one person) or "
                "-I merge_respondents=per_file (the ids are prefixed with their file's "
                "name)")))
        for person in here:
            seen.setdefault(person, file.name)
    raise_problems(problems)
    return frames


def same_types(frames: list[pl.DataFrame]) -> list[pl.DataFrame]:
    """The frames with one type per column: text where any file holds text."""
    if len(frames) < 2:
        return frames
    text = {c for frame in frames for c, t in frame.schema.items() if t == pl.String}
    return [frame.with_columns(number_text(frame.get_column(c)).fill_null("").alias(c)
                               for c in frame.columns
                               if c in text and frame.schema[c] != pl.String)
            for frame in frames]
