"""One file's variables read into the table's columns: codes by their labels, missing codes.

`FileReader` reads a label variable (rater and target role, respondent, wave, item)
as text, a labelled code as its label, and an answer variable as numbers, each case's codes
read for its item by `decide_codes`; user-missing codes,
the ``missing_codes`` option's codes and no-answer codes become missing answers, each with a
note.  What it finds that stops the import, and which variables it read by their labels,
gathers in one `CodeReading` for all files.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl

from relcoord.errors import Problem
from relcoord.formats.csv.read_options import ReadOptions
from relcoord.formats.csv.table import MAX_PROBLEMS
from relcoord.instruments import Dimension
from relcoord_spss.answer_codes import CodeDecision, ValueLabels, decide_codes, show_code
from relcoord_spss.labelled_file import LabelledFile
from relcoord_spss.labelled_notes import SHOWN, case_location, codes_text, note
from relcoord_spss.read_options import LabelledOptions

__all__ = ["CodeReading", "FileReader", "number_text"]


def number_text(values: pl.Series) -> pl.Series:
    """Numbers as text: whole numbers without ``.0``; null stays null."""
    frame = pl.DataFrame({"v": values})
    return frame.select(
        pl.when(pl.col("v") == pl.col("v").round(0))
        .then(pl.col("v").cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(pl.col("v").cast(pl.String)).alias("v")).get_column("v")


@attrs.define
class CodeReading:
    """What reading one file's answer variables found: problems, notes and the variables
    read by their labels."""

    problems: list[Problem] = attrs.Factory(list)
    by_labels: list[str] = attrs.Factory(list)


class FileReader:
    """Reads the variables of one file into the table's column types."""

    def __init__(self, file: LabelledFile, opts: ReadOptions, own: LabelledOptions,
                 reading: CodeReading) -> None:
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
        where = case_location(self.file.name, variable)
        declared = self.file.user_missing(variable, codes)
        if declared.any():
            found = sorted({c for c in codes[declared].tolist() if not np.isnan(c)})
            stata = self.file.tagged.get(variable, (None, ()))[1]
            note(where, "labelled.note.user_missing", count=int(declared.sum()),
                 codes=", ".join(filter(None, (codes_text(found, labels), *stata))))
        named = np.isin(codes, self.own.missing_codes) & ~declared
        if named.any():
            found = sorted(set(codes[named].tolist()))
            note(where, "labelled.note.missing_codes", count=int(named.sum()),
                 codes=codes_text(found, labels))
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
        text = number_text(numbers)
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
                    shown = ", ".join(f"{show_code(c)}={t!r}"
                                      for c, t in list(used.items())[:SHOWN])
                    note(case_location(self.file.name, variable), "labelled.note.label_codes",
                         mapping=shown + (", ..." if len(used) > SHOWN else ""))
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
        where = case_location(self.file.name, variable)
        labels = self.file.value_labels.get(variable, {})
        held = codes[rows]
        no_answer = sorted(c for c in decision.no_answer if (held == c).any())
        if no_answer:
            note(where, "labelled.note.dont_know", count=int(np.isin(held, no_answer).sum()),
                 codes=codes_text(no_answer, labels),
                 option=",".join(show_code(c) for c in no_answer))
        if decision.by_labels:
            self.reading.by_labels.append(variable)
            if decision.unmatched:
                self._unmatched(variable, dimension, decision, codes, rows)
            elif decision.changes_codes:
                note(where, "labelled.note.answers_by_label", item=dimension.key,
                     mapping=", ".join(f"{show_code(c)} ({labels[c]!r}) -> {p}"
                                       for c, p in sorted(decision.positions.items())))
        elif decision.unused_labels:
            note(where, "labelled.note.codes_as_they_are", item=dimension.key,
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
                case_location(self.file.name, variable, first),
                f"code {show_code(code)} {what} {dimension.key} in instrument "
                f"{self.opts.instrument.id!r} ({answers}, or the same in another "
                "language); read it as a missing answer with "
                f"-I missing_codes={show_code(code)}, or read the codes as they are with "
                "-I value_labels=codes"))
