"""Read a study from SPSS or Stata files: the ``spss`` and ``stata`` importers.

`read_spss` reads the file (and the files the ``merge`` option names) with
`read_labelled_file`, makes one table of them
(`survey_table`) and hands it to the CSV importers' long
or wide layout ([`long_ratings`][relcoord.formats.csv.long_layout.long_ratings],
[`wide_ratings`][relcoord.formats.csv.wide_layout.wide_ratings]) and study assembly
([`build_study`][relcoord.formats.csv.study_assembly.build_study]), with the roles, ties and
invitations tables the options name: a study from an SPSS file is checked, noted and
located exactly as one from a CSV file.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from relcoord import messages
from relcoord.bounded_input import TableLimits
from relcoord.errors import InputWarning, InvalidInputError
from relcoord.formats.csv.long_layout import long_ratings
from relcoord.formats.csv.records import read_side_tables
from relcoord.formats.csv.study_assembly import build_study
from relcoord.formats.csv.wide_layout import wide_ratings
from relcoord.messages.reading import LANGUAGE
from relcoord.model import Study
from relcoord_spss.labelled_file import read_labelled_file
from relcoord_spss.read_options import parse_labelled_options
from relcoord_spss.survey_table import survey_table

__all__ = ["read_spss", "read_stata"]


def _read(format_id: str, path: Path, options: Mapping[str, Any]) -> Study:
    path = Path(path)
    opts, own = parse_labelled_options(format_id, path, options)
    side = read_side_tables(attrs.evolve(opts, encoding=None))  # CSV tables: sniffed
    paths = [path, *(Path(p) for p in own.merge)]
    names = [str(p) for p in paths]
    twice = {n for n in names if names.count(n) > 1}
    if twice:
        raise InvalidInputError(f"format {format_id!r}", f"option merge names "
                                f"{', '.join(sorted(twice))} twice (or the file itself)")
    default_kind = "dta" if format_id == "stata" else "sav"  # a file named otherwise
    files = [read_labelled_file(p, encoding=opts.encoding, max_bytes=opts.max_bytes,
                                default_kind=default_kind, max_seconds=own.max_seconds,
                                limits=TableLimits(opts.max_columns, opts.max_cell_bytes))
             for p in paths]
    survey = survey_table(files, opts, own)
    table, opts = survey.table, survey.options
    if not len(table) and side.roles is None:
        raise InvalidInputError(table.name, "the file holds no cases and no roles table is "
                                "given (-I roles=PATH): nothing to import")
    with warnings.catch_warnings():
        if len(files) > 1:  # the file column, noted already, is no column to warn about
            alone = messages.text("reading.warning.ignored", LANGUAGE,
                                  columns=repr(own.file_column),
                                  instrument=repr(opts.instrument.id))
            warnings.filterwarnings("ignore", re.escape(f"{table.name}: {alone}") + "$",
                                    InputWarning)
        if survey.layout == "long":
            ratings = long_ratings(table, opts)
            drop = bool(opts.drop_empty)
        else:
            ratings = wide_ratings(table, opts)
            drop = opts.drop_empty is None or opts.drop_empty
    if drop:
        ratings = ratings.without_empty()
    return build_study(name=table.name, instrument=opts.instrument,
                       metadata=opts.metadata(path), ratings=ratings, side=side,
                       start=table.header_location(None))


def read_spss(path: Path, options: Mapping[str, Any]) -> Study:
    """Read survey answers from an SPSS file (``.sav``, ``.zsav``, ``.por``; format
    ``spss``), in the long or the wide layout; the options are
    `LABELLED_READ_OPTIONS`."""
    return _read("spss", path, options)


def read_stata(path: Path, options: Mapping[str, Any]) -> Study:
    """Read survey answers from a Stata file (``.dta``; format ``stata``), as
    `read_spss` reads an SPSS file."""
    return _read("stata", path, options)
