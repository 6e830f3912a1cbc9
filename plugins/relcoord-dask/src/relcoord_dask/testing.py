"""Test helpers: a study store rewritten as a data platform writing in parallel would write it.

[`split_files`][relcoord_dask.testing.split_files] rewrites every Parquet file of a store as
several files, each respondent (and each rating without one) in a random one of them, so that
the files' respondent ranges overlap and the engine's grouping
([`plan_store`][relcoord_dask.partitions.plan_store]) has work to do.  The plugin's tests run the
partitioned pass over such stores and compare it with the whole study.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["split_files"]


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
