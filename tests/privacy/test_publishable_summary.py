"""publishable_summary (relcoord.privacy.publishable): the part of a ratings summary that may
feed a published figure, and what a site of a federated analysis may share.

The part equals the summary of the publishable ratings; its aggregate form does not change
when the answers behind a withheld tie change (the perturbation property of issue 16).
"""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.privacy import publishable_ratings, publishable_summary
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

many = studies(max_roles=3, max_respondents=12, max_ratings=60, with_ties=False,
               with_invitations=False, max_waves=2)


def rules(data: st.DataObject) -> AnalysisSettings:
    return AnalysisSettings(min_respondents=data.draw(st.sampled_from((1, 2, 3, 5))),
                            min_respondents_override=True)


@settings(deadline=None)
@given(many, st.data(), st.booleans())
def test_the_publishable_part_is_the_summary_of_the_publishable_ratings(
        study: Study, data: st.DataObject, by_wave: bool) -> None:
    chosen = rules(data)
    keep = publishable_ratings(study, chosen, by_wave=by_wave)
    expected = RatingsSummary.of(attrs.evolve(study, ratings=study.ratings.select(keep)))
    found = publishable_summary(study, RatingsSummary.of(study), chosen, by_wave=by_wave)
    assert found.equals(expected)
    metadata = attrs.evolve(study, ratings=Ratings.empty(study.instrument.keys))
    assert publishable_summary(metadata, RatingsSummary.of(study), chosen,
                               by_wave=by_wave).equals(expected)


@settings(deadline=None)
@given(many, st.data())
def test_changing_the_answers_of_a_withheld_tie_changes_no_shared_figure(
        study: Study, data: st.DataObject) -> None:
    chosen = rules(data)
    per = respondent_tie_scores(study, min_items=chosen.items_needed(study.instrument))
    cells = TieCells.of(study, respondent_ties=per)
    published = np.zeros(cells.size + 1, dtype=bool)
    keep = publishable_ratings(study, chosen)
    published[cells.codes[keep]] = True
    withheld = ~published[cells.codes]  # every row of a tie that shows nothing
    scores = study.ratings.scores.copy()
    scales = [sorted(study.instrument.dimension(k).scores) for k in study.instrument.keys]
    for r in np.flatnonzero(withheld).tolist():
        for j, scale in enumerate(scales):
            if scores[r, j] == scores[r, j]:  # the same items answered, other answers
                scores[r, j] = data.draw(st.sampled_from(scale))
    ratings = study.ratings
    changed = attrs.evolve(study, ratings=Ratings.from_arrays(
        source=ratings.source, target=ratings.target, scores=scores,
        dimensions=ratings.dimensions, roles=ratings.roles, respondent=ratings.respondent,
        respondents=ratings.respondents, wave=ratings.wave, waves=ratings.waves))

    def shared(of: Study) -> RatingsSummary:
        return publishable_summary(of, RatingsSummary.of(of), chosen).without_people()

    assert shared(changed).equals(shared(study))


def test_an_aggregate_summary_is_refused() -> None:
    study = load_example()
    with pytest.raises(ValueError, match="no respondent-tie rows"):
        publishable_summary(study, RatingsSummary.of(study).without_people(),
                            AnalysisSettings())


def test_the_demo_withholds_some_ratings() -> None:
    study = load_example()
    part = publishable_summary(study, RatingsSummary.of(study), AnalysisSettings())
    assert 0 < part.n_ratings < len(study.ratings)
    assert part.n_ratings == int(publishable_ratings(study, AnalysisSettings()).sum())
