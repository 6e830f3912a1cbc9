"""The study's rating checks: the compiled score check (numba, the fast extra, used when it
is loaded already) answers as the numpy check does, and the respondents' one-pass checks keep
every located error."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import relcoord
from relcoord import model
from relcoord.errors import InvalidStudyError
from relcoord.model import Respondent, Role, Study

needs_numba = pytest.mark.skipif(importlib.util.find_spec("numba") is None,
                                 reason="numba (the fast extra) not installed")

VALUES = st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, np.nan, 0.0, 2.5, 6.0, -1.0, np.inf])


def _numpy_answer(scores: np.ndarray, scale: list[float]) -> bool:
    return bool((np.isnan(scores) | np.isin(scores, scale)).all())


@needs_numba
@given(scores=hnp.arrays(np.float64, st.tuples(st.integers(0, 70_000 // 64), st.integers(1, 7)),
                         elements=VALUES),
       scale=st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 0.0]),
                      min_size=1, max_size=8, unique=True))
def test_compiled_score_check_answers_as_numpy(scores: np.ndarray, scale: list[float]) -> None:
    compiled = model._numba_on_scale()
    assert compiled is not None
    padded = [*scale, *[scale[-1]] * (8 - len(scale))]
    assert compiled(scores.reshape(-1), *padded) == _numpy_answer(scores, scale)


@needs_numba
@pytest.mark.parametrize("row", [0, 32767, 32768, 69999])
def test_compiled_check_finds_an_off_scale_score_in_any_block(row: int) -> None:
    import numba  # noqa: F401  # loaded: the study's check takes the compiled path

    n = 70_000
    scores = np.full((n, 7), 3.0)
    scores[::5, 2] = np.nan
    assert model._scores_on_scale(scores, [[1.0, 2.0, 3.0, 4.0, 5.0]] * 7)
    scores[row, 6] = 3.5
    assert not model._scores_on_scale(scores, [[1.0, 2.0, 3.0, 4.0, 5.0]] * 7)
    store = relcoord.Ratings.from_arrays(
        source=np.zeros(n, dtype=np.int32), target=np.zeros(n, dtype=np.int32),
        roles=("a",), scores=scores, dimensions=relcoord.get_instrument("rc7").keys)
    with pytest.raises(InvalidStudyError) as caught:
        Study(metadata=relcoord.Metadata(id="x"), instrument="rc7",
              roles=[Role("a", "A")], ratings=store)
    key = relcoord.get_instrument("rc7").keys[6]
    assert [p.path for p in caught.value.problems] == [f"$.ratings[{row}].scores.{key}"]


def test_respondents_in_any_order_are_sorted_and_checked() -> None:
    """Respondents given out of order are sorted by id; a duplicate and an unknown role are
    located at their input place."""
    roles = [Role("a", "A"), Role("b", "B")]
    people = [Respondent("p3", "a"), Respondent("p1", "b"), Respondent("p2", "a")]
    study = Study(metadata=relcoord.Metadata(id="x"), instrument="rc7", roles=roles,
                  respondents=people)
    assert [p.id for p in study.respondents] == ["p1", "p2", "p3"]
    bad = [*people, Respondent("p1", "a"), Respondent("p4", "c")]
    with pytest.raises(InvalidStudyError) as caught:
        Study(metadata=relcoord.Metadata(id="x"), instrument="rc7", roles=roles,
              respondents=bad)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("$.respondents[3].id", "duplicate respondent id 'p1'"),
        ("$.respondents[4].role", "unknown role 'c'"),
    ]


def test_a_rating_from_another_role_than_its_respondent_is_located() -> None:
    roles = [Role("a", "A"), Role("b", "B")]
    people = [Respondent("p1", "a"), Respondent("p2", "b")]
    store = relcoord.Ratings.from_arrays(
        source=np.array([0, 0, 1], dtype=np.int32), target=np.array([1, 1, 0], dtype=np.int32),
        roles=("a", "b"), respondent=np.array([0, 1, 1], dtype=np.int32),
        respondents=("p1", "p2"), scores=np.full((3, 7), 3.0),
        dimensions=relcoord.get_instrument("rc7").keys)
    with pytest.raises(InvalidStudyError) as caught:
        Study(metadata=relcoord.Metadata(id="x"), instrument="rc7", roles=roles,
              respondents=people, ratings=store)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("$.ratings[1].source", "source 'a' is not the role of respondent 'p2' ('b')")]
