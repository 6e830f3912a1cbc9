"""Test helpers: a study store rewritten as a data platform writing in parallel would write it,
and the summaries the plugin's tests compute on a cluster.

[`split_files`][relcoord_dask.testing.split_files] rewrites every Parquet file of a store as
several files, each respondent (and each rating without one) in a random one of them, so that
the files' respondent ranges overlap and the engine's grouping
([`plan_store`][relcoord_dask.partitions.plan_store]) has work to do.  The plugin's tests run the
partitioned pass over such stores and compare it with the whole study.

The functions a test sends to a cluster's workers live here, not in the test modules: a worker
imports a task's function by its module's name, and pytest imports test modules from their
paths, under names a worker cannot import.
[`tie_statistics`][relcoord_dask.testing.tie_statistics] is the summary those tests reduce;
[`kill_once`][relcoord_dask.testing.kill_once] kills the first worker that runs it, and
[`block_part_killing_once`][relcoord_dask.testing.block_part_killing_once] does the same in the
pass by rater role.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from relcoord.analysis_parts import AnalysisPart
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.tie_statistics import TieStatistics
from relcoord.model import Study
from relcoord.settings import AnalysisSettings
from relcoord_dask.rater_roles import block_part

__all__ = ["block_part_killing_once", "kill_once", "split_files", "tie_statistics"]


def tie_statistics(study: Study) -> TieStatistics:
    """The tie statistics of ``study`` under the default ``min_items``."""
    return TieStatistics.of(study, min_items=AnalysisSettings().items_needed(study.instrument))


def _first_here_dies(marker: str) -> None:
    """Return when ``marker`` exists; else create it with this process's id and kill this
    process (SIGKILL, as the kernel's out-of-memory killer would)."""
    try:
        with open(marker, "x", encoding="utf-8") as file:
            file.write(str(os.getpid()))
    except FileExistsError:
        return
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def kill_once(marker: str, study: Study) -> TieStatistics:
    """The tie statistics of ``study``; but the first task to get here kills its worker
    process (SIGKILL, as the kernel's out-of-memory killer would), leaving ``marker`` behind."""
    _first_here_dies(marker)
    return tie_statistics(study)


def block_part_killing_once(marker: str, facts: Study, settings: AnalysisSettings,
                            *cuts: RatingsSummary) -> AnalysisPart:
    """[`block_part`][relcoord_dask.rater_roles.block_part]; but the first task to get here
    kills its worker process, leaving ``marker`` behind (see
    [`kill_once`][relcoord_dask.testing.kill_once])."""
    _first_here_dies(marker)
    return block_part(facts, settings, *cuts)


def split_files(folder: Path, parts: int, seed: int) -> None:
    """Rewrite every Parquet file under ``folder`` as ``parts`` files (``part-0.parquet`` ...),
    each respondent (and each rating without one) put in a random file, drawn from ``seed``;
    the study the store holds stays the same."""
    rng = np.random.default_rng(seed)
    for path in sorted(folder.rglob("*.parquet")):
        table = pq.read_table(path)
        people = table.column("respondent").to_pylist()
        names = sorted({p for p in people if p is not None})
        home = dict(zip(names, rng.integers(0, parts, len(names)).tolist(), strict=True))
        where = np.array([home[p] if p is not None else int(rng.integers(0, parts))
                          for p in people])
        path.unlink()
        for k in range(parts):
            rows = np.flatnonzero(where == k)
            if len(rows):
                pq.write_table(table.take(pa.array(rows)), path.parent / f"part-{k}.parquet")
