"""The spread table of relcoord.metrics.scores.spread: the compiled passes (numba, the fast
extra: a hash set of the scores' bits, then one count per score) give the distinct values and
the counts per cell and value of the numpy path (a sort per block, a binary search per score),
so every spread is the same to the last bit; scores it cannot hash exactly (zero, NaN) and more
distinct values than it collects go to the numpy path."""

from __future__ import annotations

import importlib.util
import os
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.metrics.scores import spread
from relcoord.metrics.scores.spread import CellScores

HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                                 reason="numba (the fast extra) is not installed")

scores = st.one_of(
    st.sampled_from([1.0, 1.5, 2.0, 2.2857142857142856, 3.25, 4.0, 5.0, -1.0, 1e6]),
    st.floats(min_value=-5, max_value=5, allow_nan=False),
)


def same(a: CellScores, b: CellScores) -> bool:
    tables = (a.table is None and b.table is None) or (
        a.table is not None and b.table is not None and a.table.dtype == b.table.dtype
        and a.table.tobytes() == b.table.tobytes())
    return tables and a.distinct.dtype == b.distinct.dtype and (
        a.distinct.tobytes() == b.distinct.tobytes())


@needs_numba
@settings(deadline=None)  # the first call compiles the passes
@given(values=st.lists(scores, max_size=80), data=st.data(),
       table_size=st.sampled_from([None, 3, 1 << 18, 1 << 30]), with_rows=st.booleans())
def test_the_compiled_table_is_the_numpy_table(values: list[float], data: st.DataObject,
                                               table_size: int | None, with_rows: bool) -> None:
    n, n_cells = len(values), 6
    cells = np.array(data.draw(st.lists(st.integers(0, n_cells - 1), min_size=n, max_size=n)),
                     dtype=np.int64)
    rows = (np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
            if with_rows else None)
    x = np.array(values, dtype=np.float64)
    with mock.patch.object(spread, "_COMPILED_FROM", 0):  # the compiled path at any size
        compiled = CellScores(x, cells, n_cells, table_size=table_size, rows=rows,
                              engine="numba")
    plain = CellScores(x, cells, n_cells, table_size=table_size, rows=rows, engine="numpy")
    assert same(compiled, plain)
    assert compiled.per_cell() == plain.per_cell()


@needs_numba
@pytest.mark.parametrize("most", [1, 3, 1 << 14])
def test_more_values_than_collected_go_to_numpy(most: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spread, "_COMPILED_FROM", 0)
    monkeypatch.setattr(spread, "_HASHED_AT_MOST", most)
    rng = np.random.default_rng(5)
    x = rng.integers(1, 30, 5000) / 7.0
    cells = rng.integers(0, 40, 5000)
    rows = rng.random(5000) < 0.9
    for chosen in (None, rows):
        compiled = CellScores(x, cells, 40, rows=chosen, engine="numba")
        assert same(compiled, CellScores(x, cells, 40, rows=chosen, engine="numpy"))
        assert compiled.table is not None


@needs_numba
def test_a_large_table_made_both_ways() -> None:
    rng = np.random.default_rng(6)
    answers = rng.integers(1, 6, (300_000, 7)).astype(np.float64)
    answers[rng.random(answers.shape) < 0.1] = np.nan
    x = np.nanmean(answers, axis=1)
    cells = rng.integers(0, 2500, len(x))
    rows = rng.random(len(x)) < 0.95
    for chosen in (None, rows):
        compiled = CellScores(x, cells, 2500, rows=chosen, engine="numba")
        assert same(compiled, CellScores(x, cells, 2500, rows=chosen, engine="numpy"))
        assert compiled.table is not None
    assert CellScores(rng.random(300_000), cells, 2500, engine="numba").table is None


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="engine"):
        CellScores(np.ones(3), np.zeros(3, dtype=np.int64), 1, engine="fortran")
