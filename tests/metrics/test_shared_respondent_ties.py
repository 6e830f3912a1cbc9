"""shared_respondent_tie_scores: inside the block one ratings store is scored once, the
shared scores are read-only and equal to fresh ones, and nothing outlives the block."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from relcoord.example import load_example
from relcoord.metrics.scores import respondent_tie_scores, shared_respondent_tie_scores
from relcoord.model import Study


@pytest.fixture(scope="module")
def study() -> Study:
    return load_example()


def same(a: object, b: object) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True)
               for f in ("rc", "communication", "relationship", "answered", "counted"))


def test_one_store_is_scored_once_inside_the_block(study: Study) -> None:
    fresh = respondent_tie_scores(study, min_items=5)
    with shared_respondent_tie_scores():
        first = respondent_tie_scores(study, min_items=5)
        # another study object holding the same store: the same scores
        again = respondent_tie_scores(attrs.evolve(study, invitations=[]), min_items=5)
        other_minimum = respondent_tie_scores(study, min_items=7)
    assert again is first
    assert other_minimum is not first
    assert same(first, fresh)
    assert not first.rc.flags.writeable  # shared: no reader can change another's
    with pytest.raises(ValueError, match="read-only"):
        first.counted[0] = False


def test_nothing_is_kept_outside_the_block(study: Study) -> None:
    with shared_respondent_tie_scores():
        inside = respondent_tie_scores(study, min_items=5)
        with shared_respondent_tie_scores():  # a nested block starts empty
            assert respondent_tie_scores(study, min_items=5) is not inside
        assert respondent_tie_scores(study, min_items=5) is inside
    after = respondent_tie_scores(study, min_items=5)
    assert after is not inside
    assert after.rc.flags.writeable


def test_another_store_is_scored_afresh(study: Study) -> None:
    half = study.ratings.select(np.arange(len(study.ratings)) % 2 == 0)
    with shared_respondent_tie_scores():
        whole = respondent_tie_scores(study, min_items=5)
        part = respondent_tie_scores(attrs.evolve(study, ratings=half), min_items=5)
    assert len(part.rc) == len(half) != len(whole.rc)


def test_scores_of_a_selection_are_remembered_for_its_store(study: Study) -> None:
    """The privacy rule passes on the scores of the published ratings (a selection of the
    study's): inside the block they are those of the published store, not computed again,
    and equal to computing them afresh."""
    from relcoord.metrics.scores import remember_respondent_tie_scores

    keep = np.arange(len(study.ratings)) % 3 != 0
    published = attrs.evolve(study, ratings=study.ratings.select(keep))
    with shared_respondent_tie_scores():
        derived = respondent_tie_scores(study, min_items=5).select(keep)
        remember_respondent_tie_scores(published, derived)
        assert respondent_tie_scores(published, min_items=5) is derived
        with pytest.raises(ValueError, match="another study"):
            remember_respondent_tie_scores(study, derived)
    assert same(derived, respondent_tie_scores(published, min_items=5))
    remember_respondent_tie_scores(published, derived)  # outside a block: nothing kept
    assert respondent_tie_scores(published, min_items=5) is not derived

