"""The partitions of a study store, grouped so that no respondent is in two groups.

A study store (``relcoord-parquet``) holds its ratings in Parquet files under
``ratings/wave=.../organisation=...``.  The summaries of two parts of a study merge only when
the parts share no respondent (a respondent's ratings are counted once), so the files are
grouped first ([`plan_store`][relcoord_dask.partitions.plan_store]), on the client, from what the
file footers say and without reading a rating:

- files of different organisations never share a respondent: a respondent rates from their
  role, and the role belongs to one organisation (every group checks that a row's partition
  agrees with its rater role, as the store's reader does);
- within an organisation, two files share no respondent when the ranges ``[min, max]`` of
  their ``respondent`` column (Parquet statistics) do not overlap.  Files whose ranges
  overlap, directly or through a chain, form one group: the same respondent in two waves
  puts both waves' files in one group.  A file without statistics joins every file of its
  organisation.

A store that ``relcoord convert`` wrote has one file per wave and organisation, so a group is
an organisation over all waves.  A data platform that writes each partition as several files
of respondents in order (``part-0`` holds the first respondents, ``part-1`` the next, as
``benchmarks/bench_dask.py`` does) gets groups of one respondent range: tasks as small as the
files.  Groups smaller than ``rows_per_task`` are packed together into one task, and a group
of more than ``split_rows`` rows is read in shares: ``k`` tasks read the same files and each
keeps the respondents whose position in the study's (sorted) respondent list is ``j`` modulo
``k`` (a rating without respondent goes by its row), so a task holds about a ``k``-th of the
group and every respondent is in one share only.

[`read_group`][relcoord_dask.partitions.read_group] reads one group on a worker into a
[`Study`][relcoord.model.Study] with the study's facts and the group's ratings, checked as the
store's reader checks them, with errors located as ``ratings/wave=.../part-0.parquet: row N``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from relcoord.errors import InvalidInputError, InvalidStudyError, Problem
from relcoord.model import Study
from relcoord.ratings import Ratings
from relcoord.study_json import load
from relcoord_parquet import FACTS_FILE, PARTITION_KEYS, RATINGS_FOLDER

__all__ = [
    "DEFAULT_ROWS_PER_TASK",
    "DEFAULT_SPLIT_ROWS",
    "PartitionGroup",
    "StorePart",
    "StorePlan",
    "TransportedInputError",
    "TransportedStudyError",
    "plan_store",
    "read_facts",
    "read_group",
]

#: Groups smaller than this many rating rows are packed into one task.
DEFAULT_ROWS_PER_TASK: Final = 1_000_000
#: A group of more rating rows than this is read in shares of respondents, one task each.
DEFAULT_SPLIT_ROWS: Final = 4_000_000
#: The columns of a rating besides its items (those of the store).
_FIXED: Final = ("respondent", "source", "target")
#: A study problem's path into the ratings: ``$.ratings[12].scores.timely``.
_RATING_PATH: Final = re.compile(r"^\$\.ratings\[(\d+)\](.*)$")

Codes = npt.NDArray[np.int32]


class TransportedInputError(InvalidInputError):
    """An [`InvalidInputError`][relcoord.errors.InvalidInputError] that survives the trip from a
    worker process to the client (pickled with its location and message)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.location, self.message))


class TransportedStudyError(InvalidStudyError):
    """An [`InvalidStudyError`][relcoord.errors.InvalidStudyError] that survives the trip from a
    worker process to the client (pickled with its problems)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))


@attrs.frozen
class StorePart:
    """One Parquet file of a store's ratings, as its path and footer describe it.

    Attributes:
        name: the path inside the store (``ratings/wave=w1/organisation=school/part-0.parquet``),
            used in error messages.
        wave: the ``wave=`` partition (``None``: the default partition, no wave).
        organisation: the ``organisation=`` partition (``None``: no organisation).
        rows: the number of rows.
        first: the least respondent id in the file (``None``: unknown or none).
        last: the greatest respondent id (``None``: unknown or none).
        known: whether ``first`` and ``last`` are known (statistics in every row group);
            ``known`` with ``first`` ``None`` means the file names no respondent.
    """

    name: str
    wave: str | None
    organisation: str | None
    rows: int
    first: str | None
    last: str | None
    known: bool


@attrs.frozen
class PartitionGroup:
    """Files that together hold every rating of their respondents (one task's input), or one
    share of them: the respondents whose code is ``share`` modulo ``shares``."""

    parts: tuple[StorePart, ...]
    share: int = 0
    shares: int = 1

    @property
    def rows(self) -> int:
        """The rating rows of the group's files (of all shares)."""
        return sum(part.rows for part in self.parts)


@attrs.frozen
class StorePlan:
    """What the tasks read: the store's folder, its waves and its groups of files.

    Attributes:
        folder: the store (the folder holding ``study.json`` and ``ratings/``).
        waves: the waves with ratings, sorted (the wave codes of every partition).
        groups: respondent-disjoint groups of files, packed to ``rows_per_task``.
    """

    folder: Path
    waves: tuple[str, ...]
    groups: tuple[PartitionGroup, ...]

    @property
    def rows(self) -> int:
        """The rating rows of the store."""
        return sum(group.rows for group in self.groups)


def read_facts(folder: Path) -> Study:
    """The study without its ratings, from the store's ``study.json``."""
    if not folder.is_dir():
        raise InvalidInputError(str(folder), "a study store is a folder; expected "
                                f"{FACTS_FILE} and {RATINGS_FOLDER}/ inside it (write one with "
                                "`relcoord convert study.json study.parquet`)")
    path = folder / FACTS_FILE
    if not path.is_file():
        raise InvalidInputError(str(folder), f"not a relcoord study store: no {FACTS_FILE} "
                                "(write one with `relcoord convert study.json "
                                f"{folder.name}`)")
    study = load(path)
    if len(study.ratings):
        raise InvalidInputError(str(path), f"the ratings of a study store belong in "
                                f"{RATINGS_FOLDER}/, not in {FACTS_FILE}")
    return study


def _partitioning() -> ds.Partitioning:
    return ds.partitioning(pa.schema([pa.field(k, pa.string()) for k in PARTITION_KEYS]),
                           flavor="hive")


def _respondent_range(metadata: pq.FileMetaData) -> tuple[str | None, str | None, bool]:
    """The least and greatest respondent id of a file from its row groups' statistics."""
    names = metadata.schema.names
    if "respondent" not in names:
        return None, None, True  # no respondent column: nobody is named (the reader checks)
    index = names.index("respondent")
    first: str | None = None
    last: str | None = None
    for group in range(metadata.num_row_groups):
        column = metadata.row_group(group).column(index)
        stats = column.statistics
        if stats is None:
            return None, None, False
        if not stats.has_min_max:
            if stats.null_count == column.num_values:
                continue  # only ratings without respondent in this row group
            return None, None, False
        low, high = stats.min, stats.max
        if not isinstance(low, str) or not isinstance(high, str):
            return None, None, False
        first = low if first is None or low < first else first
        last = high if last is None or high > last else last
    return first, last, True


def _parts(folder: Path) -> list[StorePart]:
    where = folder / RATINGS_FOLDER
    if not where.is_dir():
        raise InvalidInputError(str(where), "no ratings folder; expected Parquet partitions")
    try:
        dataset = ds.dataset(where, format="parquet", partitioning=_partitioning())
        parts = []
        for fragment in sorted(dataset.get_fragments(), key=lambda f: f.path):
            keys = ds.get_partition_keys(fragment.partition_expression)
            metadata = fragment.metadata
            first, last, known = _respondent_range(metadata)
            parts.append(StorePart(
                name=Path(fragment.path).relative_to(folder).as_posix(),
                wave=keys.get("wave"), organisation=keys.get("organisation"),
                rows=metadata.num_rows, first=first, last=last, known=known))
    except (pa.ArrowException, OSError, ValueError) as error:
        raise InvalidInputError(str(where), f"cannot read the Parquet partitions: {error}"
                                ) from None
    return [part for part in parts if part.rows]


def _disjoint_groups(parts: Sequence[StorePart]) -> list[list[StorePart]]:
    """The parts of one organisation in groups whose respondent ranges do not overlap."""
    if not all(part.known for part in parts):
        return [list(parts)]
    nobody = [[part] for part in parts if part.first is None]
    named = sorted((p for p in parts if p.first is not None), key=lambda p: (p.first, p.name))
    groups: list[list[StorePart]] = []
    end = ""
    for part in named:
        assert part.first is not None
        assert part.last is not None
        if groups and part.first <= end:
            groups[-1].append(part)
            end = max(end, part.last)
        else:
            groups.append([part])
            end = part.last
    return groups + nobody


def _packed(groups: Iterable[list[StorePart]], rows_per_task: int, split_rows: int | None
            ) -> list[PartitionGroup]:
    """Consecutive groups packed into tasks of at least ``rows_per_task`` rows (the last may
    hold fewer; a group larger than that stays alone), and a group of more than
    ``split_rows`` rows in ``ceil(rows / split_rows)`` shares."""
    tasks: list[PartitionGroup] = []
    current: list[StorePart] = []
    for group in groups:
        rows = sum(part.rows for part in group)
        if split_rows is not None and rows > split_rows:
            shares = math.ceil(rows / split_rows)
            tasks += [PartitionGroup(tuple(group), j, shares) for j in range(shares)]
            continue
        current += group
        if sum(part.rows for part in current) >= rows_per_task:
            tasks.append(PartitionGroup(tuple(current)))
            current = []
    if current:
        tasks.append(PartitionGroup(tuple(current)))
    return tasks


def plan_store(folder: Path, *, rows_per_task: int = DEFAULT_ROWS_PER_TASK,
               split_rows: int | None = DEFAULT_SPLIT_ROWS) -> StorePlan:
    """The respondent-disjoint groups of the store's files (see the module docstring).

    Reads the file footers only.  Raises [`InvalidInputError`][relcoord.errors.InvalidInputError]
    for a folder that is not a store or files that are not Parquet.
    """
    if rows_per_task < 1:
        raise ValueError(f"rows_per_task must be at least 1, got {rows_per_task}")
    if split_rows is not None and split_rows < 1:
        raise ValueError(f"split_rows must be at least 1 or None, got {split_rows}")
    parts = _parts(folder)
    by_organisation: dict[str | None, list[StorePart]] = {}
    for part in parts:
        by_organisation.setdefault(part.organisation, []).append(part)
    groups = [group for key in sorted(by_organisation, key=lambda k: (k is None, k or ""))
              for group in _disjoint_groups(by_organisation[key])]
    waves = tuple(sorted({part.wave for part in parts if part.wave is not None}))
    tasks = _packed(groups, rows_per_task, split_rows)
    return StorePlan(folder=folder, waves=waves, groups=tuple(tasks))


# --- reading a group on a worker --------------------------------------------------------

def _column(table: pa.Table, name: str, where: str) -> pa.ChunkedArray:
    if name not in table.column_names:
        raise TransportedInputError(where, f"no column {name!r}; expected the columns "
                                    f"{', '.join(table.column_names)} to include it")
    column: pa.ChunkedArray = table.column(name)
    if pa.types.is_dictionary(column.type):  # a platform that wrote categorical ids
        column = column.cast(column.type.value_type)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        raise TransportedInputError(f"{where}: column {name!r}",
                                    f"expected text (ids), not {column.type}")
    return column


def _codes(column: pa.ChunkedArray, vocabulary: dict[str, int], where: str, name: str,
           what: str, *, optional: bool) -> Codes:
    """Codes into ``vocabulary`` of a text column (``-1`` for null when ``optional``)."""
    try:
        encoded = pc.dictionary_encode(column.combine_chunks())
        labels = encoded.dictionary.to_pylist()
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:  # Parquet does not check UTF-8
        raise TransportedInputError(f"{where}: column {name!r}", "holds text that is not "
                                    f"UTF-8 ({error}); the partition may be corrupt") from None
    lookup = np.array([vocabulary.get(label, -2) for label in labels] or [-2], dtype=np.int32)
    index = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    codes = np.where(index >= 0, lookup[np.maximum(index, 0)], -1).astype(np.int32)
    bad = np.flatnonzero(codes == -2)
    if len(bad):
        row = int(bad[0])
        raise TransportedInputError(f"{where}: row {row + 1}.{name}",
                                    f"unknown {what} {labels[int(index[row])]!r}")
    if not optional and (codes < 0).any():
        row = int(np.flatnonzero(codes < 0)[0])
        raise TransportedInputError(f"{where}: row {row + 1}.{name}",
                                    f"no {what}; every rating names its {name} role")
    return codes


def _items(table: pa.Table, items: tuple[str, ...], where: str) -> npt.NDArray[np.float64]:
    scores = np.empty((table.num_rows, len(items)))
    for j, item in enumerate(items):
        if item not in table.column_names:
            scores[:, j] = math.nan
            continue
        column = table.column(item)
        if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
            raise TransportedInputError(f"{where}: column {item!r}",
                                        f"item answers must be numbers, not {column.type}")
        scores[:, j] = column.cast(pa.float64()).to_numpy()
    return scores


def _read_part(facts: Study, plan: StorePlan, part: StorePart, role_codes: dict[str, int],
               people: dict[str, int], role_organisation: list[str | None]
               ) -> tuple[Codes, Codes, Codes, npt.NDArray[np.float64], Codes]:
    """The codes and answers of one file, and the rows' file positions (0-based)."""
    where = part.name
    try:
        table = pq.read_table(plan.folder / part.name)
    except (pa.ArrowException, OSError) as error:
        raise TransportedInputError(where, f"cannot read the Parquet partition: {error}"
                                    ) from None
    items = facts.instrument.keys
    unknown = [c for c in table.column_names if c not in (*_FIXED, *items, *PARTITION_KEYS)]
    if unknown:
        raise TransportedInputError(where, f"unknown column {unknown[0]!r}; expected "
                                    f"{', '.join((*_FIXED, *items))} (the items of instrument "
                                    f"{facts.instrument.id!r}) and the partition keys")
    source = _codes(_column(table, "source", where), role_codes, where, "source", "role",
                    optional=False)
    target = _codes(_column(table, "target", where), role_codes, where, "target", "role",
                    optional=False)
    person = _codes(_column(table, "respondent", where), people, where, "respondent",
                    "respondent", optional=True)
    for code in np.unique(source):
        if role_organisation[code] != part.organisation:
            row = int(np.flatnonzero(source == code)[0])
            rater = facts.roles[int(code)]
            raise TransportedInputError(
                f"{where}: row {row + 1}",
                f"partition organisation={part.organisation!r} but role {rater.id!r} belongs "
                f"to {rater.organisation!r} in {FACTS_FILE}; move the row or fix the role")
    rows = np.arange(table.num_rows, dtype=np.int32)
    return source, target, person, _items(table, items, where), rows


def read_group(facts: Study, plan: StorePlan, group: PartitionGroup) -> Study:
    """The study with ``facts`` and the ratings of ``group``'s files, checked as the store's
    reader checks a store (located errors, raised so that they reach the client)."""
    role_codes = {role.id: i for i, role in enumerate(facts.roles)}  # the study's sorted ids
    people = {person.id: i for i, person in enumerate(facts.respondents)}
    role_organisation = [role.organisation for role in facts.roles]
    wave_codes = {wave: i for i, wave in enumerate(plan.waves)}
    columns: list[tuple[Codes, Codes, Codes, npt.NDArray[np.float64], Codes]] = []
    waves: list[Codes] = []
    for part in group.parts:
        read = _read_part(facts, plan, part, role_codes, people, role_organisation)
        if group.shares > 1:  # keep this share's respondents (anonymous ratings by row)
            person, row = read[2], read[4]
            keep = np.where(person >= 0, person, row) % group.shares == group.share
            read = (read[0][keep], read[1][keep], read[2][keep], read[3][keep], read[4][keep])
        columns.append(read)
        code = -1 if part.wave is None else wave_codes[part.wave]
        waves.append(np.full(len(read[0]), code, dtype=np.int32))
    ratings = Ratings.from_arrays(
        source=np.concatenate([c[0] for c in columns]),
        target=np.concatenate([c[1] for c in columns]),
        respondent=np.concatenate([c[2] for c in columns]),
        scores=np.concatenate([c[3] for c in columns]),
        dimensions=facts.instrument.keys, roles=tuple(role_codes),
        respondents=tuple(people), wave=np.concatenate(waves), waves=plan.waves)
    try:
        return attrs.evolve(facts, ratings=ratings)
    except InvalidStudyError as error:
        places = [(part.name, int(row)) for part, read in zip(group.parts, columns, strict=True)
                  for row in read[4]]
        raise _located(error, places) from None


def _located(error: InvalidStudyError, places: list[tuple[str, int]]) -> TransportedStudyError:
    """The study's problems with ``$.ratings[i]`` replaced by the partition file and row
    (``places[i]``: the file and the 0-based row in it of the group's rating ``i``)."""
    problems = []
    for problem in error.problems:
        match = _RATING_PATH.match(problem.path)
        path = problem.path
        if match is not None:
            name, row = places[int(match.group(1))]
            path = f"{name}: row {row + 1}{match.group(2)}"
        problems.append(Problem(path, problem.message))
    return TransportedStudyError(problems)
