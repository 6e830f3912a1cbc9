"""The rating-implied network of relcoord.role_network counted in one pass: the compiled loop, the
numpy blocks and the sorting path of a large person network give the edges the rows define.

A rating row makes an edge ``source -> target`` when at least one of its items is answered (and
it is of the chosen wave); the edge's count is the number of such rows.
"""

from __future__ import annotations

import importlib.util
import os
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relcoord.role_network as network_module
from relcoord.model import Study
from relcoord.testing.strategies import studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None

Edges = dict[tuple[int, int], int]


def expected_edges(study: Study, wave: str | None, self_loops: bool) -> Edges:
    """The definition, row by row on the rating arrays."""
    ratings = study.ratings
    found: Edges = {}
    for r in range(len(ratings)):
        if wave is not None and (wave not in ratings.waves
                                 or ratings.wave[r] != ratings.waves.index(wave)):
            continue
        if not (~np.isnan(ratings.scores[r])).any():
            continue
        s, t = int(ratings.source[r]), int(ratings.target[r])
        if self_loops or s != t:
            found[(s, t)] = found.get((s, t), 0) + 1
    return found


def edges_of(study: Study, wave: str | None, self_loops: bool, engine: str) -> Edges:
    source, target, count = network_module._rating_edges(study, wave, self_loops=self_loops,
                                                         engine=engine)
    pairs = list(zip(source.tolist(), target.tolist(), strict=True))
    assert pairs == sorted(set(pairs))  # distinct, sorted by (source, target)
    return dict(zip(pairs, count.tolist(), strict=True))


ENGINES = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(
    not HAS_NUMBA and not os.environ.get("CI"), reason="numba (the fast extra) is not installed"))]


@pytest.mark.parametrize("engine", ENGINES)
@settings(deadline=None)  # the first call compiles the pass
@given(studies(max_roles=8, max_ratings=40), st.booleans(), st.booleans(), st.data())
def test_rated_edges_are_the_rows_with_an_answer(engine: str, study: Study, self_loops: bool,
                                                 small_blocks: bool, data: st.DataObject) -> None:
    wave = data.draw(st.sampled_from([None, *study.waves]))
    with mock.patch.object(network_module, "_BLOCK_ROWS", 3 if small_blocks else 1 << 12):
        assert edges_of(study, wave, self_loops, engine) == expected_edges(study, wave,
                                                                           self_loops)


@given(studies(max_roles=8, max_ratings=40), st.booleans(), st.data())
def test_a_large_network_sorts_the_kept_rows(study: Study, self_loops: bool,
                                             data: st.DataObject) -> None:
    """Past the size of the counting table (forced here: no table fits), the kept rows' pairs
    are sorted instead: the same edges."""
    wave = data.draw(st.sampled_from([None, *study.waves]))
    with mock.patch.object(network_module, "_TABLE_CELLS", -1), \
            mock.patch.object(network_module, "_TABLE_CELLS_PER_ROW", 0), \
            mock.patch.object(network_module, "_BLOCK_ROWS", 5), \
            mock.patch.object(network_module, "_numpy_rated_pairs",
                              side_effect=AssertionError("the table path")):
        found = edges_of(study, wave, self_loops, "numpy")
    assert found == expected_edges(study, wave, self_loops)
