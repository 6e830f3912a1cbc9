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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from relcoord.errors import InvalidInputError, InvalidStudyError, Problem
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES
from relcoord.model import Study
from relcoord.ratings import Ratings
from relcoord.serialization import study_to_mapping
from relcoord.study_json import load
from relcoord_parquet.parquet_files import read_parquet
from relcoord_parquet.partition_folders import PartitionFile, find_partitions
from relcoord_parquet.read_limits import DEFAULT_MAX_COLUMNS, DEFAULT_MAX_FILES, ReadBudget

__all__ = [
    "FACTS_FILE",
    "PARTITION_KEYS",
    "RATINGS_FOLDER",
    "PartitionRatings",
    "read_facts",
    "read_partition",
    "read_store",
    "store_partition",
    "study_of_partitions",
    "write_store",
]

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

Codes = npt.NDArray[np.int32]


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


def read_facts(folder: Path, budget: ReadBudget | None = None) -> Study:
    """The study without its ratings, from the store's ``study.json`` (read within
    ``budget``; default: the default limits)."""
    if not folder.is_dir():
        raise InvalidInputError(str(folder), "a study store is a folder; expected "
                                f"{FACTS_FILE} and {RATINGS_FOLDER}/ inside it (write one with "
                                "`relcoord convert study.json study.parquet`)")
    budget = budget or ReadBudget(DEFAULT_MAX_BYTES)
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


def store_partition(folder: Path, name: str, wave: str | None, organisation: str | None
                    ) -> PartitionFile:
    """The partition file ``name`` (its path inside the store) of the store ``folder``, in
    the partition ``wave=.../organisation=...``."""
    return PartitionFile(path=folder / name, name=name, kind="parquet", gzip=False,
                         keys=(("wave", wave), ("organisation", organisation)))


@attrs.frozen(eq=False)
class PartitionRatings:
    """The ratings of one partition file, coded into the vocabularies of the store's facts.

    ``source`` and ``target`` index ``facts.roles``, ``respondent`` ``facts.respondents``
    (``-1``: a rating without respondent); ``scores`` has one column per item of the
    instrument (NaN: not answered).  Row ``i`` is row ``i + 1`` of the file.
    """

    source: Codes
    target: Codes
    respondent: Codes
    scores: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.source)

    def taken(self, rows: npt.NDArray[np.bool_]) -> PartitionRatings:
        """Only the rows marked in ``rows``."""
        return PartitionRatings(source=self.source[rows], target=self.target[rows],
                                respondent=self.respondent[rows], scores=self.scores[rows])


def _text(table: pa.Table, name: str, where: str) -> pa.ChunkedArray:
    if name not in table.column_names:
        raise InvalidInputError(where, f"no column {name!r}; expected the columns "
                                f"{', '.join(table.column_names)} to include it")
    column: pa.ChunkedArray = table.column(name)
    if pa.types.is_dictionary(column.type):  # read dictionary-encoded, or written as categories
        column = column.cast(column.type.value_type)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        raise InvalidInputError(f"{where}: column {name!r}",
                                f"expected text (ids), not {column.type}")
    return column


def _codes(table: pa.Table, name: str, vocabulary: dict[str, int], where: str, what: str,
           *, optional: bool) -> Codes:
    """Codes into ``vocabulary`` of the text column ``name`` (``-1`` for null when
    ``optional``): one dictionary encoding, one look-up per distinct id."""
    try:
        encoded = pc.dictionary_encode(_text(table, name, where).combine_chunks())
        labels = encoded.dictionary.to_pylist()
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:  # Parquet does not check UTF-8
        raise InvalidInputError(f"{where}: column {name!r}", "holds text that is not "
                                f"UTF-8 ({error}); the partition may be corrupt") from None
    lookup = np.array([vocabulary.get(label, -2) for label in labels] or [-2], dtype=np.int32)
    index = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    codes = np.where(index >= 0, lookup[np.maximum(index, 0)], -1).astype(np.int32)
    bad = np.flatnonzero(codes == -2)
    if len(bad):
        row = int(bad[0])
        raise InvalidStudyError([Problem(f"{where}: row {row + 1}.{name}",
                                         f"unknown {what} {labels[int(index[row])]!r}")])
    if not optional and (codes < 0).any():
        row = int(np.flatnonzero(codes < 0)[0])
        raise InvalidStudyError([Problem(f"{where}: row {row + 1}.{name}",
                                         f"no {what}; every rating names its {name} role")])
    return codes


def read_partition(item: PartitionFile, facts: Study, budget: ReadBudget) -> PartitionRatings:
    """The ratings of the store's partition file ``item``, read within ``budget`` and checked
    against ``facts`` (the store's ``study.json``).

    One reader for both ways a store is read: [`read_store`][relcoord_parquet.store.read_store]
    reads every partition, and an analysis engine (``relcoord-dask``) reads each group of
    partitions on a worker.  Raises [`InvalidInputError`][relcoord.errors.InvalidInputError]
    for a file that is not a partition of a store (located at the file or its column), and
    [`InvalidStudyError`][relcoord.errors.InvalidStudyError] for a rating naming a role or
    respondent the facts do not list, located ``ratings/.../part-0.parquet: row N.target``.
    """
    where = item.name
    if item.kind != "parquet" or [k for k, _ in item.keys] != list(PARTITION_KEYS):
        raise InvalidInputError(where, (
            "expected a Parquet file in ratings/wave=.../organisation=.../ (the study "
            "store's layout); read a folder exported by another system with --from "
            "parquet-parts"))
    table = read_parquet(item, budget)
    items = facts.instrument.keys
    for key, _ in item.keys:
        if key in table.column_names:
            raise InvalidInputError(where, f"column {key!r} is also a partition key; "
                                    "expected it only in the folder names")
    unknown = [c for c in table.column_names if c not in (*_FIXED, *items)]
    if unknown:
        raise InvalidInputError(where, f"unknown column {unknown[0]!r}; expected "
                                f"{', '.join((*_FIXED, *items))} (the items of instrument "
                                f"{facts.instrument.id!r}) and the partition keys")
    roles = {role.id: i for i, role in enumerate(facts.roles)}
    people = {person.id: i for i, person in enumerate(facts.respondents)}
    source = _codes(table, "source", roles, where, "role", optional=False)
    target = _codes(table, "target", roles, where, "role", optional=False)
    respondent = _codes(table, "respondent", people, where, "respondent", optional=True)
    organisation = dict(item.keys)["organisation"]
    for code in np.unique(source).tolist():
        rater = facts.roles[code]
        if rater.organisation != organisation:
            row = int(np.flatnonzero(source == code)[0])
            raise InvalidInputError(
                f"{where}: row {row + 1}",
                f"partition organisation={organisation!r} but role {rater.id!r} belongs "
                f"to {rater.organisation!r} in {FACTS_FILE}; move the row or fix the role")
    scores = np.empty((table.num_rows, len(items)))
    for j, name in enumerate(items):
        scores[:, j] = _item_column(table, name, where)
    return PartitionRatings(source=source, target=target, respondent=respondent,
                            scores=scores)


def _item_column(table: pa.Table, item: str, where: str) -> npt.NDArray[np.float64]:
    if item not in table.column_names:
        return np.full(table.num_rows, math.nan)
    column = table.column(item)
    if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
        raise InvalidInputError(f"{where}: column {item!r}",
                                f"item answers must be numbers, not {column.type}")
    return np.asarray(column.cast(pa.float64()).to_numpy(zero_copy_only=False),
                      dtype=np.float64)


def study_of_partitions(facts: Study, waves: tuple[str, ...],
                        parts: Sequence[tuple[PartitionRatings, int]],
                        where: Callable[[int], str]) -> Study:
    """``facts`` with the ratings of ``parts`` (each with its wave's code into ``waves``,
    ``-1``: none), checked as a study; a study problem of rating ``i`` is located at
    ``where(i)`` (its file and row: ``ratings/.../part-0.parquet: row N``); no parts:
    ``facts`` itself."""
    if not parts:
        return facts
    items = facts.instrument.keys
    ratings = Ratings.from_arrays(
        source=np.concatenate([p.source for p, _ in parts]),
        target=np.concatenate([p.target for p, _ in parts]),
        respondent=np.concatenate([p.respondent for p, _ in parts]),
        scores=np.concatenate([p.scores for p, _ in parts]),
        wave=np.concatenate([np.full(len(p), w, dtype=np.int32) for p, w in parts]),
        dimensions=items, roles=facts.role_ids,
        respondents=tuple(person.id for person in facts.respondents), waves=waves)
    try:
        return attrs.evolve(facts, ratings=ratings)
    except InvalidStudyError as error:
        problems = []
        for problem in error.problems:
            match = _RATING_PATH.match(problem.path)
            path = problem.path if match is None else where(int(match.group(1))) + match.group(2)
            problems.append(Problem(path, problem.message))
        raise InvalidStudyError(problems) from None


def read_store(folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
               max_files: int = DEFAULT_MAX_FILES,
               max_columns: int = DEFAULT_MAX_COLUMNS) -> Study:
    """Read a study store written by `write_store` (see the module for the layout).

    The files are read within the limits of
    [`relcoord_parquet.read_limits`][relcoord_parquet.read_limits]: ``max_bytes`` for the bytes
    read from all files together and, separately, for what the Parquet files decode to;
    ``max_files`` files and folders; ``max_columns`` columns in a partition.  Each partition
    is read by [`read_partition`][relcoord_parquet.store.read_partition].

    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] for a folder that is not a store
    or a partition that cannot be read, and
    [`InvalidStudyError`][relcoord.errors.InvalidStudyError] (located as
    ``ratings/wave=.../part-0.parquet: row N``) for ratings that do not fit the study's
    facts.
    """
    budget = ReadBudget(max_bytes, max_columns=max_columns)
    facts = read_facts(folder, budget)
    ratings_folder = folder / RATINGS_FOLDER
    if not ratings_folder.is_dir():
        raise InvalidInputError(str(ratings_folder),
                                "no ratings folder; expected Parquet partitions")
    try:
        files = find_partitions(ratings_folder, max_files=max_files,
                                shown=f"{folder}/{RATINGS_FOLDER}")
    except InvalidInputError as error:
        if "holds no partition files" in error.message:
            return facts
        raise
    read = [read_partition(item, facts, budget) for item in files]
    waves = tuple(sorted({w for item in files if (w := dict(item.keys)["wave"]) is not None}))
    codes = [-1 if (w := dict(item.keys)["wave"]) is None else waves.index(w) for item in files]
    starts = np.cumsum([0, *(len(part) for part in read)])

    def where(row: int) -> str:
        index = int(np.searchsorted(starts, row, side="right")) - 1
        return f"{files[index].name}: row {row - int(starts[index]) + 1}"

    return study_of_partitions(facts, waves, list(zip(read, codes, strict=True)), where)
