"""The Dask cluster an analysis runs on: a running scheduler, or a local cluster for the run.

``connect(None, ...)`` starts a ``dask.distributed.LocalCluster`` of worker *processes* (one
thread each: the summaries are numpy work that holds the GIL between calls), with a memory
limit per worker, and closes it when the run ends; ``connect("tcp://host:8786")`` attaches a
``Client`` to a running scheduler and leaves the cluster as it was.  The workers of a remote
cluster must see the store at the same path (a shared file system) and have relcoord,
relcoord-parquet and relcoord-dask installed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client, LocalCluster

from relcoord.errors import InvalidInputError

__all__ = ["connect", "default_workers"]


def default_workers() -> int:
    """Worker processes of a local cluster: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def connect(scheduler: str | None = None, *, workers: int | None = None,
            memory_limit: str | int | None = "auto", timeout: float = 30.0
            ) -> Iterator[Client]:
    """A client on the scheduler at ``scheduler``, or on a local cluster of ``workers``
    processes (default: one per core) with ``memory_limit`` each (``"2GiB"``, bytes, or
    ``"auto"``: the machine's memory shared out) started and closed here."""
    if scheduler is not None:
        if workers is not None:
            raise InvalidInputError("-E workers", "a running cluster (--scheduler) has its "
                                    "own workers; give workers only for a local cluster")
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:
            raise InvalidInputError(f"--scheduler {scheduler}", "cannot reach a "
                                    f"dask.distributed scheduler there: {error}") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                      processes=True, memory_limit=memory_limit, dashboard_address=":0",
                      scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR
                      ) as cluster, Client(cluster) as client:
        yield client
