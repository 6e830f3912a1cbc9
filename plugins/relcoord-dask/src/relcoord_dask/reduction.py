"""The partitioned pass: a summary per group of files, on the workers, merged as a tree.

Each group of a [`StorePlan`][relcoord_dask.partitions.StorePlan] becomes one ``dask.delayed``
task that reads its files with pyarrow, builds the partition's study
([`read_group`][relcoord_dask.partitions.read_group]) and returns ``summarise(study)``.  The
summaries are then merged with ``+`` in a tree of fan-in ``fan_in`` (``fan_in`` summaries per
merge task, ``ceil(log_fan_in(groups))`` levels), so no process ever holds more than
``fan_in`` summaries and the merges run in parallel.  The groups share no respondent, which is
what makes ``+`` exact; merging is commutative and associative, so the tree's shape does not
change the result beyond the last bits of float sums.

A summary whose size grows with the ratings (relcoord's ratings summary holds the
respondent-tie rows) gains nothing from a tree: its top merges would hold the whole study on
one worker.  For such a summary pass ``combine``: each group's summary is then fetched by the
client as soon as it is done and released on its worker, and the client merges them all at
once with ``combine`` (one sort, not one per level), so a worker holds at most the group it
works on and its summary.

The study's facts are sent to every worker once (``Client.scatter`` with ``broadcast``), not
with every task.  A worker that dies mid-task (killed, out of memory) is replaced by its
nanny and the scheduler runs its tasks again elsewhere: a task only reads files and returns
a summary, so running it twice changes nothing.
"""

from __future__ import annotations

import functools
import operator
import uuid
from collections.abc import Callable
from typing import Any, Final, TypeVar

from dask.delayed import delayed
from distributed import Client, as_completed

from relcoord.model import Study
from relcoord_dask.partitions import PartitionGroup, StorePlan, read_group

__all__ = ["DEFAULT_FAN_IN", "merge", "summarise_group", "summarise_store"]

#: Summaries merged per task of the tree.
DEFAULT_FAN_IN: Final = 8

S = TypeVar("S")


def summarise_group(summarise: Callable[[Study], S], facts: Study, plan: StorePlan,
                    group: PartitionGroup) -> S:
    """The summary of one group of files (runs on a worker)."""
    return summarise(read_group(facts, plan, group))


def merge(*parts: S) -> S:
    """The merge of summaries, ``a + b + ...`` (runs on a worker)."""
    return functools.reduce(operator.add, parts)


def summarise_store(client: Client, facts: Study, plan: StorePlan,
                    summarise: Callable[[Study], S], *, fan_in: int = DEFAULT_FAN_IN,
                    combine: Callable[[list[S]], S] | None = None) -> S:
    """The merged summary of every group of ``plan``, computed on ``client``'s cluster.

    ``summarise`` turns a study (the facts and a group's ratings) into a mergeable summary;
    it is pickled to the workers, so it must be importable there (a module-level function, a
    class method, or a ``functools.partial`` of one).  Without ``combine`` the summaries are
    merged with ``+`` in a tree on the workers; with it they are gathered on the client as
    they finish and merged there by ``combine`` (which must not depend on their order), see
    the module.  A store without ratings gives the summary of ``facts`` itself, computed here.
    """
    if fan_in < 2:
        raise ValueError(f"fan_in must be at least 2, got {fan_in}")
    if not plan.groups:
        return summarise(facts)
    run = uuid.uuid4().hex[:12]  # two runs on one cluster never share a task's key
    shared = client.scatter(facts, broadcast=True, hash=False)
    level: list[Any] = [
        delayed(summarise_group, pure=False)(summarise, shared, plan, group,
                                                  dask_key_name=f"relcoord-summary-{run}-{i}")
        for i, group in enumerate(plan.groups)
    ]
    if combine is not None:
        parts: list[S] = []
        for future in as_completed(client.compute(level)):
            parts.append(future.result())
            future.release()  # the worker may drop it now
        return combine(parts)
    depth = 0
    while len(level) > 1:
        depth += 1
        level = [delayed(merge, pure=False)(*level[i:i + fan_in],
                                                 dask_key_name=f"relcoord-merge-{run}-{depth}-{i}")
                 for i in range(0, len(level), fan_in)]
    future = client.compute(level[0])
    result: S = future.result()
    return result
