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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from relcoord.errors import InvalidInputError, InvalidStudyError
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES
from relcoord.model import Study
from relcoord_parquet import PARTITION_KEYS, RATINGS_FOLDER, ReadBudget, store

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
        """The rating rows of the store: each file once (the shares of a group read the
        same files)."""
        return sum(part.rows for part in {p for group in self.groups for p in group.parts})


def read_facts(folder: Path) -> Study:
    """The study without its ratings, from the store's ``study.json``
    ([`relcoord_parquet.store.read_facts`][relcoord_parquet.store.read_facts])."""
    return store.read_facts(folder)


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

def read_group(facts: Study, plan: StorePlan, group: PartitionGroup, *,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Study:
    """The study with ``facts`` and the ratings of ``group``'s files, read and checked by the
    store's own reader
    ([`relcoord_parquet.store.read_partition`][relcoord_parquet.store.read_partition]: the
    same checks, limits and located errors as ``relcoord convert``), with errors raised so
    that they reach the client.  The group's files are read within ``max_bytes`` (the
    store reader's default)."""
    try:
        return _read_group(facts, plan, group, ReadBudget(max_bytes))
    except InvalidStudyError as error:
        raise TransportedStudyError(error.problems) from None
    except InvalidInputError as error:
        raise TransportedInputError(error.location, error.message) from None


def _read_group(facts: Study, plan: StorePlan, group: PartitionGroup, budget: ReadBudget
                ) -> Study:
    wave_codes = {wave: i for i, wave in enumerate(plan.waves)}
    parts: list[tuple[store.PartitionRatings, int]] = []
    places: list[tuple[str, npt.NDArray[np.intp]]] = []  # each part's file and file rows
    for part in group.parts:
        item = store.store_partition(plan.folder, part.name, part.wave, part.organisation)
        read = store.read_partition(item, facts, budget)
        rows = np.arange(len(read))
        if group.shares > 1:  # keep this share's respondents (anonymous ratings by row)
            keep = np.where(read.respondent >= 0, read.respondent, rows) % group.shares \
                == group.share
            read, rows = read.taken(keep), rows[keep]
        parts.append((read, -1 if part.wave is None else wave_codes[part.wave]))
        places.append((part.name, rows))
    starts = np.cumsum([0, *(len(rows) for _, rows in places)])

    def where(row: int) -> str:
        index = int(np.searchsorted(starts, row, side="right")) - 1
        name, rows = places[index]
        return f"{name}: row {int(rows[row - int(starts[index])]) + 1}"

    return store.study_of_partitions(facts, plan.waves, parts, where)
