"""A study as a folder: its facts in ``study.json``, its ratings as partitioned Parquet.

The layout (a *study store*)::

    study.parquet/
      study.json                  the study without ratings: a valid relcoord study file
      ratings/
        wave=konference-1/organisation=school/part-0.parquet
        wave=konference-1/organisation=municipality/part-0.parquet
        ...

The ratings are one table with a column per field of a rating: ``respondent`` (string,
null for a rating without respondent), ``source`` and ``target`` (role ids), one
``float64`` column per item of the instrument (null where the item was not answered), and
the Hive partition keys ``wave`` and ``organisation`` (the rater role's; null values are
Parquet's default partition).  Partitioning by wave and organisation means that a site, a
wave or a survey round is a folder of its own: a data platform can add, drop or ship one
without touching the others, and an engine can read just the partitions it needs.

Why ``study.json`` and not Parquet metadata for the facts: the facts are small,
hierarchical and already have a schema, a validator with JSON paths and a lossless reader
([`relcoord.study_json`][relcoord.study_json]); a reader of the store without relcoord can open it.
The ``organisation`` partition key is derived from the roles; the reader checks that it
agrees with them rather than trusting either silently.

Reading back gives an equal study
([`relcoord.testing.conformance.assert_roundtrip`][relcoord.testing.conformance.assert_roundtrip]);
the rows are written in the study's canonical order (that of
[`relcoord.dump`][relcoord.study_json.dump]), so the same study always gives the same bytes.
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds

from relcoord.errors import InvalidInputError, InvalidStudyError, Problem
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES
from relcoord.model import Study
from relcoord.ratings import Ratings
from relcoord.serialization import study_to_mapping
from relcoord.study_json import load
from relcoord_parquet.parquet_files import read_parquet
from relcoord_parquet.partition_folders import find_partitions
from relcoord_parquet.read_limits import DEFAULT_MAX_COLUMNS, DEFAULT_MAX_FILES, ReadBudget

__all__ = ["FACTS_FILE", "PARTITION_KEYS", "RATINGS_FOLDER", "read_store", "write_store"]

#: The file holding the study without its ratings.
FACTS_FILE: Final = "study.json"
#: The folder holding the ratings' Parquet partitions.
RATINGS_FOLDER: Final = "ratings"
#: The Hive partition keys, outermost first.
PARTITION_KEYS: Final = ("wave", "organisation")
#: The columns of a rating besides its items.
_FIXED: Final = ("respondent", "source", "target")
#: A study problem's path into the ratings: ``$.ratings[12].scores.timely``.
_RATING_PATH: Final = re.compile(r"^\$\.ratings\[(\d+)\](.*)$")


def _schema(items: tuple[str, ...]) -> pa.Schema:
    fields = [pa.field(name, pa.string(), nullable=name == "respondent") for name in _FIXED]
    fields += [pa.field(item, pa.float64()) for item in items]
    fields += [pa.field(key, pa.string()) for key in PARTITION_KEYS]
    return pa.schema(fields)


def _partitioning() -> ds.Partitioning:
    return ds.partitioning(pa.schema([pa.field(k, pa.string()) for k in PARTITION_KEYS]),
                           flavor="hive")


def _ratings_table(study: Study) -> pa.Table:
    """The ratings in canonical order (that of
    [`relcoord.serialization.study_to_mapping`][relcoord.serialization.study_to_mapping])."""
    items = study.ratings.dimensions
    rows = study_to_mapping(study)["ratings"]
    organisation = {r.id: r.organisation for r in study.roles}
    columns: dict[str, list[Any]] = {
        "respondent": [r.get("respondent") for r in rows],
        "source": [r["source"] for r in rows],
        "target": [r["target"] for r in rows],
    }
    for item in items:
        columns[item] = [None if (v := r["scores"].get(item)) is None else float(v)
                         for r in rows]
    columns["wave"] = [r.get("wave") for r in rows]
    columns["organisation"] = [organisation[r["source"]] for r in rows]
    return pa.table(columns, schema=_schema(items))


def write_store(study: Study, folder: Path) -> None:
    """Write ``study`` into the empty folder ``folder`` as a study store (see the module)."""
    facts = attrs.evolve(study, ratings=Ratings.empty(study.ratings.dimensions))
    text = json.dumps(study_to_mapping(facts), ensure_ascii=False, indent=2, allow_nan=False)
    (folder / FACTS_FILE).write_text(text + "\n", encoding="utf-8")
    table = _ratings_table(study)
    target = folder / RATINGS_FOLDER
    target.mkdir()
    if not table.num_rows:
        return
    ds.write_dataset(
        table, target, format="parquet", partitioning=_partitioning(),
        basename_template="part-{i}.parquet", existing_data_behavior="error",
        file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
        max_rows_per_file=0, use_threads=False,
    )


def _read_facts(folder: Path, budget: ReadBudget) -> Study:
    path = folder / FACTS_FILE
    if not path.exists() and not path.is_symlink():
        raise InvalidInputError(str(folder), f"not a relcoord study store: no {FACTS_FILE} "
                                "(write one with `relcoord convert study.json "
                                f"{folder.name}`); a folder of partitions exported by "
                                "another system is read with --from parquet-parts")
    stream = io.BytesIO(budget.read(path, str(path), expected="a study file"))
    stream.name = str(path)  # where the study's problems are located
    study = load(stream, max_bytes=len(stream.getbuffer()))
    if len(study.ratings):
        raise InvalidInputError(str(path), f"the ratings of a study store belong in "
                                f"{RATINGS_FOLDER}/, not in {FACTS_FILE}")
    return study


def _column(table: pa.Table, name: str, where: str) -> list[Any]:
    if name not in table.column_names:
        raise InvalidInputError(where, f"no column {name!r}; expected the columns "
                                f"{', '.join(table.column_names)} to include it")
    try:
        return table.column(name).to_pylist()  # type: ignore[no-any-return]
    except UnicodeDecodeError as error:  # Parquet does not check a string column's UTF-8
        raise InvalidInputError(f"{where}: column {name!r}", "holds text that is not "
                                f"UTF-8 ({error.reason} at byte {error.start} of a value); "
                                "the partition may be corrupt") from None


def _item_column(table: pa.Table, item: str, where: str) -> np.ndarray[Any, Any]:
    if item not in table.column_names:
        return np.full(table.num_rows, math.nan)
    column = table.column(item)
    if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
        raise InvalidInputError(f"{where}: column {item!r}",
                                f"item answers must be numbers, not {column.type}")
    return np.asarray(column.cast(pa.float64()).to_numpy(zero_copy_only=False),
                      dtype=np.float64)


def _partitions(folder: Path, budget: ReadBudget, max_files: int
                ) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Every partition's rows, one table, and where each file's rows start in it; each
    file read within ``budget`` (see [`read_limits`][relcoord_parquet.read_limits])."""
    where = folder / RATINGS_FOLDER
    if not where.is_dir():
        raise InvalidInputError(str(where), "no ratings folder; expected Parquet partitions")
    try:
        files = find_partitions(where, max_files=max_files, shown=f"{folder}/{RATINGS_FOLDER}")
    except InvalidInputError as error:
        if "holds no partition files" in error.message:
            return pa.table({}), []
        raise
    parts: list[pa.Table] = []
    starts: list[tuple[int, str]] = []
    offset = 0
    for item in files:
        shown = str(item.path.relative_to(folder))
        if item.kind != "parquet" or [k for k, _ in item.keys] != list(PARTITION_KEYS):
            raise InvalidInputError(item.name, (
                "expected a Parquet file in ratings/wave=.../organisation=.../ (the study "
                "store's layout); read a folder exported by another system with --from "
                "parquet-parts"))
        part = read_parquet(item, budget)
        for key, value in item.keys:
            if key in part.column_names:
                raise InvalidInputError(item.name, f"column {key!r} is also a partition key; "
                                        "expected it only in the folder names")
            part = part.append_column(key, pa.array([value] * part.num_rows, pa.string()))
        starts.append((offset, shown))
        parts.append(part)
        offset += part.num_rows
    try:
        table = (pa.concat_tables(parts, promote_options="permissive") if parts
                 else pa.table({}))
    except (pa.ArrowException, ValueError, TypeError) as error:
        raise InvalidInputError(str(where), "the partitions do not share one schema: "
                                f"{error}") from None
    return table, starts


def _row_location(starts: list[tuple[int, str]], row: int) -> str:
    """``ratings/wave=.../part-0.parquet: row N`` for a row of the concatenated table."""
    offsets = [start for start, _ in starts]
    index = int(np.searchsorted(offsets, row, side="right")) - 1
    start, name = starts[max(index, 0)]
    return f"{name}: row {row - start + 1}"


def _located(error: InvalidStudyError, starts: list[tuple[int, str]]) -> InvalidStudyError:
    """The study's problems with ``$.ratings[i]`` replaced by the partition file and row."""
    problems = []
    for problem in error.problems:
        match = _RATING_PATH.match(problem.path)
        path = problem.path if match is None else (
            _row_location(starts, int(match.group(1))) + match.group(2))
        problems.append(Problem(path, problem.message))
    return InvalidStudyError(problems)


def read_store(folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
               max_files: int = DEFAULT_MAX_FILES,
               max_columns: int = DEFAULT_MAX_COLUMNS) -> Study:
    """Read a study store written by `write_store` (see the module for the layout).

    The files are read within the limits of
    [`relcoord_parquet.read_limits`][relcoord_parquet.read_limits]: ``max_bytes`` for the bytes
    read from all files together and, separately, for what the Parquet files decode to;
    ``max_files`` files and folders; ``max_columns`` columns in a partition.

    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] for a folder that is not a store
    or a partition that cannot be read, and
    [`InvalidStudyError`][relcoord.errors.InvalidStudyError] (located as
    ``ratings/wave=.../part-0.parquet: row N``) for ratings that do not fit the study's
    facts.
    """
    if not folder.is_dir():
        raise InvalidInputError(str(folder), "a study store is a folder; expected "
                                f"{FACTS_FILE} and {RATINGS_FOLDER}/ inside it")
    budget = ReadBudget(max_bytes, max_columns=max_columns)
    study = _read_facts(folder, budget)
    table, starts = _partitions(folder, budget, max_files)
    if not table.num_rows:
        return study
    items = study.instrument.keys
    unknown = [c for c in table.column_names if c not in (*_FIXED, *items, *PARTITION_KEYS)]
    if unknown:
        raise InvalidInputError(starts[0][1], f"unknown column {unknown[0]!r}; expected "
                                f"{', '.join((*_FIXED, *items))} (the items of instrument "
                                f"{study.instrument.id!r}) and the partition keys")
    where = starts[0][1]
    source = _column(table, "source", where)
    organisation = {r.id: r.organisation for r in study.roles}
    for row, (rater, given) in enumerate(zip(source, _column(table, "organisation", where),
                                             strict=True)):
        if rater in organisation and given != organisation[rater]:
            raise InvalidInputError(
                _row_location(starts, row),
                f"partition organisation={given!r} but role {rater!r} belongs to "
                f"{organisation[rater]!r} in {FACTS_FILE}; move the row or fix the role")
    scores = np.column_stack([_item_column(table, item, where) for item in items])
    try:
        ratings = Ratings.from_labels(
            source=source, target=_column(table, "target", where), scores=scores,
            dimensions=items, respondent=_column(table, "respondent", where),
            wave=_column(table, "wave", where))
        return attrs.evolve(study, ratings=ratings)
    except InvalidStudyError as error:
        raise _located(error, starts) from None
