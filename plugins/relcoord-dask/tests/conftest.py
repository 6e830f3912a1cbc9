"""What the tests of relcoord-dask share: a store rewritten as files of random respondents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest


def _split_files(folder: Path, parts: int, seed: int) -> None:
    """Rewrite every file of the store as ``parts`` files, each respondent (and each rating
    without one) put in a random file: the ranges of the files overlap."""
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



@pytest.fixture(scope="session")
def split_files() -> Callable[[Path, int, int], None]:
    """``split_files(store, parts, seed)``: rewrite every file of the store as ``parts`` files
    of random respondents (their ranges overlap, so grouping has work to do)."""
    return _split_files
