"""Suppression of computed scores (relcoord.privacy.suppression): ``published_scores``, which
computes every respondent-tie score once for the rule and the scores, equals the three
separate calls (withhold, scores, suppress_scores), and the summary's counts equal Python
sets, on generated studies with repeated ratings, ratings without respondent, waves and
missing items.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.metrics.scores import respondent_tie_scores, scores
from relcoord.model import Study
from relcoord.privacy import published_scores, suppress_scores, withhold
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

#: Few roles, several people and many ratings: cells with enough respondents to publish,
#: respondents rating one tie more than once (pooled waves), and group ratings.
dense_studies = studies(max_roles=3, max_respondents=8, max_ratings=40, instrument="rc7",
                        with_ties=False, with_invitations=False)


def _who(study: Study, row: int) -> tuple[str, int]:
    person = int(study.ratings.respondent[row])
    return ("respondent", person) if person >= 0 else ("row", row)


@given(dense_studies, st.integers(1, 7), st.integers(3, 5))
def test_published_scores_equal_the_three_calls(
    study: Study, min_items: int, min_respondents: int
) -> None:
    chosen = AnalysisSettings(min_items=min_items, min_respondents=min_respondents)
    published, summary = withhold(study, chosen)
    expected, after = suppress_scores(scores(published, settings=chosen), study, summary)
    fast_published, result, fast_after = published_scores(study, chosen)
    assert result == expected
    assert np.array_equal(fast_after.withheld, after.withheld)
    assert fast_after.to_mapping() == after.to_mapping()
    assert fast_after.ties_suppressed == after.ties_suppressed
    assert np.array_equal(fast_published.ratings.scores, published.ratings.scores,
                          equal_nan=True)
    assert np.array_equal(fast_published.ratings.respondent, published.ratings.respondent)
    # the summary's counts, by Python sets
    withheld = np.flatnonzero(after.withheld).tolist()
    ratings = study.ratings
    k = len(study.roles)
    assert after.respondents_affected == len({_who(study, i) for i in withheld})
    assert after.cells_withheld == len({int(ratings.source[i]) * k + int(ratings.target[i])
                                        for i in withheld})
    ids = study.role_ids
    rated = {(ids[int(s)], ids[int(t)]) for s, t in zip(ratings.source, ratings.target,
                                                         strict=True)}
    shown = {(t.source, t.target) for t in result.ties if not t.suppressed}
    assert set(after.ties_suppressed) == rated - shown
    assert [(t.source, t.target) for t in result.ties] == sorted(
        rated, key=lambda p: (ids.index(p[0]), ids.index(p[1])))


@given(dense_studies, st.integers(1, 7), st.data())
def test_selected_respondent_tie_scores_equal_recomputed(
    study: Study, min_items: int, data: st.DataObject
) -> None:
    """``published_scores`` selects the publishable rows' respondent-tie scores instead of
    computing them again: the same numbers."""
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=len(study.ratings),
                                       max_size=len(study.ratings))), dtype=bool)
    chosen = study.ratings.select(keep)
    again = respondent_tie_scores(Study(
        metadata=study.metadata, instrument=study.instrument, roles=study.roles,
        respondents=study.respondents, ratings=chosen,
    ), min_items=min_items)
    picked = respondent_tie_scores(study, min_items=min_items).select(keep)
    for name in ("rc", "communication", "relationship", "answered", "counted"):
        assert np.array_equal(getattr(picked, name), getattr(again, name), equal_nan=True)
    assert picked.min_items == again.min_items


def test_respondent_ties_of_another_study_are_refused() -> None:
    study = load_example()
    n_items = len(study.instrument.keys)
    per = respondent_tie_scores(study, min_items=n_items)
    with pytest.raises(ValueError, match="another"):
        scores(study, settings=AnalysisSettings(min_items=n_items - 1), respondent_ties=per)
    with pytest.raises(ValueError, match="another"):
        withhold(study, AnalysisSettings(min_items=n_items - 1), respondent_ties=per)
