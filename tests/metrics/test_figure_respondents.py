"""The figure respondents of relcoord.metrics.scores: the compiled bit words (numba, the fast
extra) count the same distinct respondents as the tie cells' matrix, over any set of cells and
per role, with waves pooled or not, rows without respondent, repeated ratings and rows that do
not count."""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.scores.figure_respondents import FigureRespondents
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.ratings import Ratings
from relcoord.testing.strategies import studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                                 reason="numba (the fast extra) is not installed")
dense = studies(max_roles=5, max_respondents=10, max_ratings=60, instrument="rc7",
                with_ties=False, with_invitations=False)


def by_hand(study: Study, counted: np.ndarray, cells: set[int], n_waves: int) -> int:
    """Distinct respondents with a counted row in one of the grid ``cells`` (pooled codes
    ``(source * roles + target) * n_waves + slot``), a row without respondent one of its own."""
    r = study.ratings
    k = len(study.roles)
    seen: set[object] = set()
    for i in range(len(r)):
        slot = int(r.wave[i]) + 1 if n_waves > 1 else 0
        code = (int(r.source[i]) * k + int(r.target[i])) * n_waves + slot
        if counted[i] and code in cells:
            seen.add(("row", i) if r.respondent[i] < 0 else int(r.respondent[i]))
    return len(seen)


def test_the_numpy_path_is_the_grid_s_counts() -> None:
    from relcoord.example import load_example
    study = load_example()
    per = respondent_tie_scores(study, min_items=5)
    occupied = TieCells.of(study, respondent_ties=per).occupied
    counts = FigureRespondents.of(occupied, engine="numpy")
    everything = np.ones(occupied.size, dtype=bool)
    assert counts.in_cells(everything) == occupied.grid.respondents_in()
    assert all(np.array_equal(a, b) for a, b in zip(
        counts.by_role(), occupied.grid.respondents_by_role(), strict=True))


@needs_numba
@settings(deadline=None)  # the first call compiles the passes
@given(study=dense, by_wave=st.booleans(), min_items=st.integers(1, 7), data=st.data())
def test_the_compiled_counts_are_the_grid_s(study: Study, by_wave: bool, min_items: int,
                                            data: st.DataObject) -> None:
    per = respondent_tie_scores(study, min_items=min_items)
    grid = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    occupied = grid.occupied
    compiled = FigureRespondents.of(occupied, engine="numba")
    plain = FigureRespondents.of(occupied, engine="numpy")
    masks = [np.ones(occupied.size, dtype=bool), np.zeros(occupied.size, dtype=bool),
             np.array(data.draw(st.lists(st.booleans(), min_size=occupied.size,
                                         max_size=occupied.size)), dtype=bool)]
    for mask in masks:
        expected = by_hand(study, per.counted, set(occupied.cells[mask].tolist()),
                           grid.n_waves)
        assert compiled.in_cells(mask) == plain.in_cells(mask) == expected
    for mine, theirs in zip(compiled.by_role(), plain.by_role(), strict=True):
        assert mine.dtype == theirs.dtype
        assert mine.tolist() == theirs.tolist()
    assert compiled.per_cell().dtype == plain.per_cell().dtype
    assert compiled.per_cell().tolist() == plain.per_cell().tolist()
    assert plain.per_cell().tolist() == [
        by_hand(study, per.counted, {cell}, grid.n_waves) for cell in occupied.cells.tolist()]


def wide_study(n_roles: int, n_people: int, n_rows: int, seed: int) -> Study:
    """A study of ``n_roles`` roles (more columns than one 64-bit word), rows at random, a
    tenth without respondent, some in a wave, some answers missing."""
    rng = np.random.default_rng(seed)
    roles = [Role(f"r{i}", f"Role {i}") for i in range(n_roles)]
    owner = rng.integers(0, n_roles, n_people)
    people = [Respondent(f"p{j}", roles[owner[j]].id) for j in range(n_people)]
    respondent = rng.integers(0, n_people, n_rows).astype(np.int32)
    anonymous = rng.random(n_rows) < 0.1
    source = np.where(anonymous, rng.integers(0, n_roles, n_rows), owner[respondent])
    respondent[anonymous] = -1
    scores = rng.integers(1, 6, (n_rows, 7)).astype(np.float64)
    scores[rng.random(scores.shape) < 0.3] = np.nan
    ratings = Ratings.from_arrays(
        source=source.astype(np.int32), target=rng.integers(0, n_roles, n_rows).astype(np.int32),
        scores=scores, dimensions=DIMENSION_KEYS, roles=[r.id for r in roles],
        respondent=respondent, respondents=[p.id for p in people],
        wave=rng.integers(-1, 2, n_rows).astype(np.int32), waves=["w1", "w2"],
    )
    return Study(metadata=Metadata(id="wide"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


@needs_numba
@pytest.mark.parametrize("by_wave", [False, True])
def test_more_than_64_columns_take_several_words(by_wave: bool) -> None:
    study = wide_study(150, 400, 5000, seed=3)
    per = respondent_tie_scores(study, min_items=5)
    occupied = TieCells.of(study, by_wave=by_wave, respondent_ties=per).occupied
    compiled = FigureRespondents.of(occupied, engine="numba")
    assert type(compiled) is not FigureRespondents
    plain = FigureRespondents.of(occupied, engine="numpy")
    rng = np.random.default_rng(4)
    for share in (0.0, 0.02, 0.3, 1.0):
        mask = rng.random(occupied.size) < share
        assert compiled.in_cells(mask) == plain.in_cells(mask)
    for mine, theirs in zip(compiled.by_role(), plain.by_role(), strict=True):
        assert mine.tolist() == theirs.tolist()
    assert compiled.per_cell().tolist() == plain.per_cell().tolist()


@needs_numba
def test_too_many_words_fall_back_to_the_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    from relcoord.example import load_example
    from relcoord.metrics.scores import figure_respondents
    study = load_example()
    per = respondent_tie_scores(study, min_items=5)
    occupied = TieCells.of(study, respondent_ties=per).occupied
    assert type(FigureRespondents.of(occupied, engine="numba")) is not FigureRespondents
    monkeypatch.setattr(figure_respondents, "_WORDS_LIMIT", 0)
    assert type(FigureRespondents.of(occupied, engine="numba")) is FigureRespondents
