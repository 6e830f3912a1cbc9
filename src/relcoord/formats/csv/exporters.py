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
suppressed figures stay empty):

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

import json
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
from relcoord.model import Study

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
    languages = sorted({lang for role in study.roles for lang, _ in role.names})
    role_columns = [
        text_column("id", [r.id for r in study.roles]),
        text_column("name", [r.name for r in study.roles]),
        text_column("organisation", [r.organisation for r in study.roles]),
        text_column("present", ["true" if r.present else "false" for r in study.roles]),
    ]
    for lang in languages:
        role_columns.append(text_column(f"name_{lang}", [dict(r.names).get(lang)
                                                         for r in study.roles]))
    out["roles.csv"] = encode_table(role_columns, profile)
    out["ties.csv"] = encode_table(
        [text_column("source", [t.source for t in study.ties]),
         text_column("target", [t.target for t in study.ties]),
         text_column("wave", [t.wave for t in study.ties])], profile)
    out["invitations.csv"] = encode_table(
        [text_column("source", [i.source for i in study.invitations]),
         text_column("target", [i.target for i in study.invitations]),
         text_column("topic", [i.topic for i in study.invitations]),
         text_column("status", [i.status for i in study.invitations]),
         text_column("wave", [i.wave for i in study.invitations])], profile)
    return out


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _record_columns(records: list[dict[str, Any]], order: list[str]) -> list[Column]:
    """Columns from JSON-ready records: numbers as numbers, the rest as text."""
    columns: list[Column] = []
    for key in order:
        values = [r.get(key) for r in records]
        numeric = [v for v in values if v is not None]
        if numeric and all(isinstance(v, int | float) and not isinstance(v, bool)
                           for v in numeric):
            columns.append(number_column(key, [np.nan if v is None else v for v in values]))
        else:
            columns.append(text_column(key, [_cell(v) for v in values]))
    return columns


def _flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping) and key in ("dimensions", "names"):
            for sub, inner in value.items():
                flat[f"{'name' if key == 'names' else 'dimension'}_{sub}"] = inner
        else:
            flat[key] = value
    return flat


def _keys_in_order(records: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for r in records for k in r))


def analysis_tables(analysis: Analysis, profile: Profile) -> dict[str, bytes]:
    """The analysis tables (see the module docstring), encoded in ``profile``."""
    data = analysis.to_mapping()
    out: dict[str, bytes] = {}
    ties = [_flatten(t) for t in data["ties"]]
    tie_order = ["source", "target", "rc", "communication", "relationship", "n_respondents",
                 "band", "gap", "lowest_dimension"]
    tie_order += [k for k in _keys_in_order(ties) if k not in tie_order]
    out["tie_metrics.csv"] = encode_table(_record_columns(ties, tie_order), profile)
    roles = [_flatten(r) for r in data["roles"]]
    role_order = ["id", "name", "organisation", "present"]
    role_order += [k for k in _keys_in_order(roles) if k not in role_order]
    out["role_metrics.csv"] = encode_table(_record_columns(roles, role_order), profile)
    role_ids = [r.id for r in analysis.study.roles]
    rc = {(t["source"], t["target"]): t["rc"] for t in data["ties"]}
    matrix = [text_column("rater", role_ids)]
    for target in role_ids:
        values = [rc.get((source, target)) for source in role_ids]
        matrix.append(number_column(target, [np.nan if v is None else v for v in values]))
    out["matrix.csv"] = encode_table(matrix, profile)
    found = data["findings"]
    languages = sorted({lang for f in found for lang in f["text"]} | {"en"})
    finding_columns = [
        text_column("kind", [f["kind"] for f in found]),
        text_column("roles", ["; ".join(f["roles"]) for f in found]),
        text_column("figures", [json.dumps(f["figures"], sort_keys=True, ensure_ascii=False)
                                for f in found]),
    ]
    for lang in languages:
        finding_columns.append(text_column(f"text_{lang}", [f["text"].get(lang)
                                                            for f in found]))
    out["findings.csv"] = encode_table(finding_columns, profile)
    return out


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
