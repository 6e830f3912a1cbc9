"""The occupied tie cells give the grid's figures to the last bit, and the scores read from them
equal the grid's weighted means.

[`OccupiedCells`][relcoord.metrics.tie_cells.OccupiedCells] numbers only the cells that hold
rating rows, so that the scores of a study with many roles cost the rated ties, not the
``roles x roles`` grid; every per-cell array must be the grid's array at those cells, bit for
bit, and every score the public grid functions
([`weighted_mean`][relcoord.metrics.scores.aggregation.weighted_mean],
[`line_mean`][relcoord.metrics.scores.aggregation.line_mean]) give.
"""

from __future__ import annotations

import gc
import math
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord.metrics import tie_cells
from relcoord.metrics.scores import respondent_tie_scores, scores
from relcoord.metrics.scores.aggregation import line_mean, weighted_mean
from relcoord.metrics.scores.spread import CellScores, spread_of
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

#: Few roles, many ratings: cells with several respondents, repeats, missing items.
dense_studies = studies(max_roles=4, max_respondents=8, max_ratings=40, instrument="rc7",
                        with_ties=False, with_invitations=False)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal arrays, NaN where NaN, every float bit for bit."""
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@given(study=st.one_of(studies(), dense_studies), by_wave=st.booleans())
def test_occupied_cells_are_the_grid_at_its_rated_cells(study: Study, by_wave: bool) -> None:
    per = respondent_tie_scores(study, min_items=1)
    grid = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    occupied = grid.occupied
    cells = occupied.cells
    assert cells.tolist() == np.flatnonzero(grid.ratings).tolist()
    assert (cells[occupied.codes] == grid.codes).all()
    assert same_bits(occupied.ratings, grid.ratings[cells])
    for mine, theirs in [(occupied.rc, grid.rc), (occupied.communication, grid.communication),
                         (occupied.relationship, grid.relationship),
                         *zip(occupied.items, grid.items, strict=True)]:
        assert same_bits(mine[0], theirs[0][cells])
        assert same_bits(mine[1], theirs[1][cells])
    assert same_bits(occupied.respondents(), grid.respondents()[cells])
    everywhere = np.arange(grid.size)
    expected = np.full(grid.size, -1)
    expected[cells] = np.arange(len(cells))
    assert occupied.number(everywhere).tolist() == expected.tolist()
    some = np.arange(len(cells)) % 2 == 0
    assert np.flatnonzero(occupied.on_grid(some)).tolist() == cells[some].tolist()


@given(study=dense_studies)
def test_respondents_without_the_repeat_shortcut(study: Study) -> None:
    per = respondent_tie_scores(study, min_items=1)
    grid = TieCells.of(study, respondent_ties=per)
    with mock.patch.object(tie_cells, "_single_rows", return_value=False):
        fresh = TieCells.of(study, respondent_ties=per)
        assert same_bits(fresh.occupied.respondents(), grid.respondents()[grid.occupied.cells])


@given(values=st.lists(st.sampled_from([1.0, 1.5, 2.0, 3.25, 4.0, 5.0]), max_size=60),
       data=st.data())
def test_grouped_spreads_equal_the_spread_of_each_group(values: list[float],
                                                         data: st.DataObject) -> None:
    n_cells = 6
    cells = np.array(data.draw(st.lists(st.integers(0, n_cells - 1), min_size=len(values),
                                        max_size=len(values))), dtype=np.int64)
    x = np.array(values, dtype=np.float64)
    group = np.array(data.draw(st.lists(st.integers(-1, 2), min_size=n_cells,
                                        max_size=n_cells)), dtype=np.int64)
    # the order path (a table too large) and the table path must both give spread_of
    for table_size in (1 << 30, None):
        spread = CellScores(x, cells, n_cells, table_size=table_size)
        for g, got in enumerate(spread.of_groups(group, 3)):
            want = spread_of(x[group[cells] == g])
            assert got.median == want.median
            assert got.lower_quartile == want.lower_quartile
            assert got.upper_quartile == want.upper_quartile
            assert (got.sd is None) == (want.sd is None)
            assert got.sd is None or want.sd is None or math.isclose(got.sd, want.sd,
                                                                     rel_tol=1e-12)
        mask = group >= 1
        got_one, want_one = spread.of_sets(mask[None, :])[0], spread_of(x[mask[cells]])
        assert got_one.median == want_one.median
        by_cell = spread.occupied()
        assert sorted(by_cell) == sorted(set(cells.tolist()))


@given(study=dense_studies, weighting=st.sampled_from(["respondent", "tie", "group"]))
def test_scores_from_occupied_cells_equal_the_grid_means(study: Study, weighting: str) -> None:
    settings = AnalysisSettings(weighting=weighting, min_items=1)  # type: ignore[arg-type]
    result = scores(study, settings=settings)
    per = respondent_tie_scores(study, min_items=1)
    grid = TieCells.of(study, respondent_ties=per)
    k = grid.n_roles

    def number(value: float) -> float | None:
        return None if math.isnan(value) else value

    assert result.overall.rc == number(weighted_mean(grid.rc, np.ones(k * k, dtype=bool), k,
                                                     weighting))
    within = np.eye(k, dtype=bool).ravel()
    assert result.between.rc == number(weighted_mean(grid.rc, ~within, k, weighting))
    for a, role in enumerate(result.roles):
        assert role.rc_as_rater == number(line_mean(grid.rc, k, a, weighting, column=False))
        assert role.rc_as_target == number(line_mean(grid.rc, k, a, weighting, column=True))


@pytest.mark.parametrize("enabled", [True, False])
def test_scores_leave_the_garbage_collector_as_they_found_it(enabled: bool) -> None:
    from relcoord.example import load_example

    study = load_example()
    was = gc.isenabled()
    try:
        if enabled:
            gc.enable()
        else:
            gc.disable()
        scores(study)
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_distinct_is_numpy_unique() -> None:
    rng = np.random.default_rng(5)
    values = rng.integers(0, 50, size=500)
    assert tie_cells._distinct(values).tolist() == np.unique(values).tolist()
    assert tie_cells._distinct(values[:0]).tolist() == []
