"""The published results as tables: the one definition behind the CSV folder's analysis
tables and [`Analysis.to_frame`][relcoord.analysis_result.Analysis.to_frame].

Each table is built from the Analysis JSON (`Analysis.to_mapping()`
), so it holds what that holds and nothing
else: no answer, no respondent id, and an empty cell where the minimum-respondent rule
withheld a figure.

``tie_metrics``
    one row per rated tie: ``source``, ``target``, ``rc``, ``communication``,
    ``relationship``, ``n_respondents``, ``band``, ``gap``, ``lowest_dimension``, then the
    other keys of the JSON's ``ties`` (``dimension_<key>`` for each dimension's mean);
``role_metrics``
    one row per role: ``id``, ``name``, ``organisation``, ``present``, then the other keys
    of the JSON's ``roles`` (``name_<lang>`` for each other language);
``matrix``
    the rater x target matrix of tie RC: a ``rater`` column, then one column per role id;
``findings``
    ``kind``, ``roles`` (``"; "``-separated), ``figures`` (JSON) and ``text_<lang>`` for
    each language.

A column's kind (`ColumnKind`) is the type the shipped Analysis JSON
schema gives its key (a ``["number", "null"]`` figure is a ``number`` column, an
``["integer", "null"]`` count an ``integer`` one, a list or a mapping ``text``), else the
kind of its values ([`column_kind`][relcoord.tables.column_kind]): the same table has the same
column types whatever the study.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, get_args

from relcoord.model import STUDY_TABLES, Study
from relcoord.tables import ColumnKind, Table, TableColumn, column_kind

__all__ = [
    "ANALYSIS_TABLES",
    "PUBLISHED_TABLES",
    "AnalysisTable",
    "PublishedTable",
    "analysis_table",
    "published_table",
]

#: The tables of the analysis (see the module docstring).
AnalysisTable = Literal["tie_metrics", "role_metrics", "matrix", "findings"]
#: The names of [`AnalysisTable`][relcoord.result_tables.AnalysisTable], in the order the CSV folder
#: lists them.
ANALYSIS_TABLES: Final[tuple[AnalysisTable, ...]] = get_args(AnalysisTable)

#: Every table of the published results: the study's facts that are not answers
#: ([`Study.table`][relcoord.model.Study.table]), then the analysis tables.  The CSV
#: folder writes each as ``<name>.csv``.
PublishedTable = Literal["roles", "ties", "invitations", "tie_metrics", "role_metrics",
                         "matrix", "findings"]
#: The names of [`PublishedTable`][relcoord.result_tables.PublishedTable].
PUBLISHED_TABLES: Final[tuple[PublishedTable, ...]] = get_args(PublishedTable)

_TIE_ORDER: Final = ("source", "target", "rc", "communication", "relationship",
                     "n_respondents", "band", "gap", "lowest_dimension")
_ROLE_ORDER: Final = ("id", "name", "organisation", "present")
#: Keys flattened into one column per inner key, and the prefix of those columns.
_FLATTENED: Final = {"dimensions": ("dimension", "number"), "names": ("name", "text")}


def _cell(value: Any) -> str | None:
    """A list or a mapping as one text cell; other values as they are."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return None if value is None else str(value)


def _schema_kind(spec: Mapping[str, Any], definitions: Mapping[str, Any]) -> ColumnKind | None:
    """The column kind of one schema property; None when the schema does not say."""
    if "$ref" in spec:
        spec = definitions.get(str(spec["$ref"]).rsplit("/", 1)[-1], {})
    types = spec.get("type")
    if types is None and "enum" in spec:
        types = sorted({"string" if isinstance(v, str) else "null" for v in spec["enum"]})
    named = {types} if isinstance(types, str) else set(types or ())
    named.discard("null")
    if not named:
        return None
    if named <= {"integer"}:
        return "integer"
    if named <= {"integer", "number"}:
        return "number"
    if named <= {"boolean"}:
        return "boolean"
    return "text"


def _records_table(name: str, records: Sequence[Mapping[str, Any]], first: Sequence[str],
                   schema: Mapping[str, Any], section: str) -> Table:
    """A table of JSON records: the keys of ``first``, then every other key met, in order."""
    definitions = schema.get("$defs", {})
    properties = schema["properties"][section]["items"]["properties"]
    flat: list[dict[str, Any]] = []
    kinds: dict[str, ColumnKind] = {}
    for record in records:
        row: dict[str, Any] = {}
        for key, value in record.items():
            if key in _FLATTENED and isinstance(value, Mapping):
                prefix, kind = _FLATTENED[key]
                for inner, inner_value in value.items():
                    row[f"{prefix}_{inner}"] = inner_value
                    kinds[f"{prefix}_{inner}"] = "number" if kind == "number" else "text"
            else:
                row[key] = value
        flat.append(row)
    order = [*first, *(k for k in dict.fromkeys(k for r in flat for k in r) if k not in first)]
    columns = []
    for key in order:
        values = [r.get(key) for r in flat]
        kind = (kinds.get(key)
                or (_schema_kind(properties[key], definitions) if key in properties else None)
                or column_kind(values))
        if kind == "text":
            values = [_cell(v) for v in values]
        columns.append(TableColumn(key, kind, values))
    return Table(name, tuple(columns))


def analysis_table(name: AnalysisTable, mapping: Mapping[str, Any], role_ids: Sequence[str],
                   schema: Mapping[str, Any]) -> Table:
    """The table ``name`` of an Analysis JSON ``mapping`` (see the module docstring).

    ``role_ids`` are the study's roles in order (the matrix's rows and columns); ``schema``
    is the Analysis JSON schema, which types the columns.

    Raises:
        ValueError: an unknown table name.
    """
    if name == "tie_metrics":
        return _records_table(name, mapping["ties"], _TIE_ORDER, schema, "ties")
    if name == "role_metrics":
        return _records_table(name, mapping["roles"], _ROLE_ORDER, schema, "roles")
    if name == "matrix":
        rc = {(t["source"], t["target"]): t["rc"] for t in mapping["ties"]}
        return Table(name, (
            TableColumn("rater", "text", list(role_ids)),
            *(TableColumn(target, "number", [rc.get((source, target)) for source in role_ids])
              for target in role_ids),
        ))
    if name == "findings":
        found = mapping["findings"]
        languages = sorted({lang for f in found for lang in f["text"]} | {"en"})
        return Table(name, (
            TableColumn("kind", "text", [f["kind"] for f in found]),
            TableColumn("roles", "text", ["; ".join(f["roles"]) for f in found]),
            TableColumn("figures", "text", [json.dumps(f["figures"], sort_keys=True,
                                                       ensure_ascii=False) for f in found]),
            *(TableColumn(f"text_{lang}", "text", [f["text"].get(lang) for f in found])
              for lang in languages),
        ))
    raise ValueError(f"no analysis table {name!r}; expected one of {', '.join(ANALYSIS_TABLES)}")


def published_table(name: PublishedTable, study: Study, mapping: Mapping[str, Any],
                    schema: Mapping[str, Any]) -> Table:
    """The published table ``name`` (`PUBLISHED_TABLES`)
    of ``study`` and its Analysis JSON ``mapping`` (typed by ``schema``).

    Raises:
        ValueError: an unknown table name, or a table of the study's answers
            (``respondents``, ``ratings``), which is never published.
    """
    if name in ANALYSIS_TABLES:
        return analysis_table(name, mapping, study.role_ids, schema)
    if name in PUBLISHED_TABLES and name in STUDY_TABLES:
        return study.table(name)
    raise ValueError(f"no published table {name!r}; expected one of "
                     f"{', '.join(PUBLISHED_TABLES)} (a study's answers are study data: "
                     "Study.to_frame)")
