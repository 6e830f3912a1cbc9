"""CSV exporters: published results as a folder or a zip of tables (``csv``, ``csv-zip``).

The folder is what ``relcoord export`` and ``relcoord demo`` write and a facilitator shares:
it never holds a raw answer, a respondent id or a figure the minimum-respondent rule
withheld (``docs/privacy.md``).  The study's facts that are not answers come first:

``study.csv``        ``key,value`` rows: format version, id, title, focal process,
                     language, description, instrument id, the profile written
``roles.csv``        id, name, organisation, present, ``name_<lang>`` per language used
``ties.csv``         source, target, wave (named arrows)
``invitations.csv``  source, target, topic, status, wave

Analysis tables (only when an [`Analysis`][relcoord.analysis_result.Analysis] is given; taken from
[`Analysis.to_mapping()`][relcoord.analysis_result.Analysis.to_mapping], so
suppressed figures stay empty; defined once in [`relcoord.result_tables`][relcoord.result_tables],
which [`Analysis.to_frame`][relcoord.analysis_result.Analysis.to_frame] reads too, as the
``roles``, ``ties`` and ``invitations`` tables come from
[`Study.table`][relcoord.model.Study.table]):

``tie_metrics.csv``   one row per rated tie: RC, sub-indices, n, band, gap, lowest
                      dimension and the mean of each dimension
``role_metrics.csv``  one row per role: degrees, RC as rater and target, weak ties and the
                      network measures
``matrix.csv``        the rater x target matrix of tie RC (rows: raters, columns: targets)
``findings.csv``      kind, roles, figures (JSON) and the text in each language

The answers themselves are study data: ``relcoord convert`` writes them whole, as the
canonical JSON.  Bytes are deterministic: tables in a fixed order, rows in the study's
order, zip entries with a fixed timestamp (1980-01-01) and permissions.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from relcoord.formats.csv.profiles import (
    PROFILES,
    Column,
    Profile,
    encode_table,
    number_column,
    text_column,
)
from relcoord.formats.format_option import FormatOption, parse_options
from relcoord.model import Study, StudyTable
from relcoord.result_tables import ANALYSIS_TABLES, analysis_table
from relcoord.tables import Table

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = [
    "CSV_FORMAT_VERSION",
    "WRITE_OPTIONS",
    "analysis_tables",
    "study_tables",
    "tables",
    "write_folder",
    "write_zip",
]

#: Version of the table set written here (the ``relcoord`` key of ``study.csv``).
CSV_FORMAT_VERSION: Final = "1"
#: Options the CSV exporters take.
WRITE_OPTIONS: Final = (
    FormatOption("profile", "plain: UTF-8, ',' and '.' (for pandas, R, polars); excel: "
                 "byte-order mark, ';', decimal comma and the formula guard",
                 choices=tuple(PROFILES), default="plain"),
)
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)


def _profile(format_id: str, options: Mapping[str, Any]) -> Profile:
    return PROFILES[parse_options(format_id, options, WRITE_OPTIONS)["profile"]]


def study_tables(study: Study, profile: Profile) -> dict[str, bytes]:
    """The study's facts that are not answers (see the module docstring), encoded in
    ``profile``: its metadata, roles, named ties and invitations."""
    meta = study.metadata
    instrument = study.instrument
    instrument_id = instrument.id if instrument.builtin else f"custom:{instrument.id}"
    keys = [("relcoord", CSV_FORMAT_VERSION), ("id", meta.id), ("title", meta.title),
            ("focal_process", meta.focal_process), ("language", meta.language),
            ("description", meta.description), ("instrument", instrument_id),
            ("profile", profile.name)]
    out: dict[str, bytes] = {}
    out["study.csv"] = encode_table(
        [text_column("key", [k for k, _ in keys]), text_column("value", [v for _, v in keys])],
        profile)
    facts: tuple[StudyTable, ...] = ("roles", "ties", "invitations")
    for name in facts:
        out[f"{name}.csv"] = encode_table(_columns(study.table(name)), profile)
    return out


def _columns(table: Table) -> list[Column]:
    """The CSV columns of ``table``: numbers as numbers (missing: empty), booleans as
    ``true``/``false``, text as it is."""
    columns: list[Column] = []
    for column in table.columns:
        values = column.values
        if column.kind in ("integer", "number"):
            columns.append(number_column(column.name, [np.nan if v is None else v
                                                       for v in values]))
        elif column.kind == "boolean":
            columns.append(text_column(column.name, [None if v is None else
                                                     ("true" if v else "false")
                                                     for v in values]))
        else:
            columns.append(text_column(column.name, list(values)))
    return columns


def analysis_tables(analysis: Analysis, profile: Profile) -> dict[str, bytes]:
    """The analysis tables (see the module docstring), encoded in ``profile``."""
    from relcoord.analysis_result import analysis_schema

    data, role_ids = analysis.to_mapping(), analysis.study.role_ids
    return {f"{name}.csv": encode_table(
                _columns(analysis_table(name, data, role_ids, analysis_schema())), profile)
            for name in ANALYSIS_TABLES}


def tables(study: Study, analysis: Analysis | None, profile: Profile) -> dict[str, bytes]:
    """Every table to write: the study's facts, then the analysis's results when given."""
    out = study_tables(study, profile)
    if analysis is not None:
        out.update(analysis_tables(analysis, profile))
    return out


def write_folder(study: Study, analysis: Analysis | None, destination: Path,
                 options: Mapping[str, Any]) -> None:
    """Write the tables into the (empty, temporary) folder ``destination`` (format ``csv``)."""
    profile = _profile("csv", options)
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    for name, data in tables(study, analysis, profile).items():
        (destination / name).write_bytes(data)


def write_zip(study: Study, analysis: Analysis | None, destination: Path,
              options: Mapping[str, Any]) -> None:
    """Write the tables as one zip file (format ``csv-zip``), byte for byte reproducible."""
    profile = _profile("csv-zip", options)
    with zipfile.ZipFile(destination, "w") as archive:
        for name, data in tables(study, analysis, profile).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
