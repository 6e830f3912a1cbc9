"""Withholding (relcoord.privacy.withholding): the published study is the study with its
withheld rows selected away, a valid study, and the summary counts what the rows say."""

from __future__ import annotations

import attrs
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from relcoord.metrics.scores import respondent_tie_scores
from relcoord.model import Study
from relcoord.privacy import privacy_summary, withhold
from relcoord.privacy.publishable import publishable_rows
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

dense_studies = studies(max_roles=3, max_respondents=8, max_ratings=40, with_ties=False,
                        with_invitations=False)


@given(dense_studies, st.integers(1, 4), st.data())
def test_the_published_study_is_the_selection_of_the_publishable_rows(
    study: Study, k: int, data: st.DataObject
) -> None:
    settings = AnalysisSettings(min_respondents=k, min_respondents_override=True)
    published, summary = withhold(study, settings)
    expected = attrs.evolve(study, ratings=study.ratings.select(~summary.withheld))
    assert published == expected
    assert attrs.evolve(published) == expected  # a valid study: its own checks pass
    for name in ("source", "target", "respondent", "wave", "scores"):
        assert not getattr(published.ratings, name).flags.writeable
    n = len(study.ratings)
    other = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    chosen = attrs.evolve(summary, withheld=other)
    assert chosen.published(study) == attrs.evolve(study, ratings=study.ratings.select(~other))


@given(dense_studies, st.integers(1, 4), st.integers(1, 7))
def test_the_summary_counts_the_withheld_rows(study: Study, k: int, min_items: int) -> None:
    settings = AnalysisSettings(min_respondents=k, min_respondents_override=True,
                                min_items=min(min_items, len(study.instrument.keys)))
    _, summary = withhold(study, settings)
    per = respondent_tie_scores(study, min_items=settings.items_needed(study.instrument))
    cells, rare, publishable = publishable_rows(study, per, k)
    withheld = ~publishable
    assert summary.withheld.tolist() == withheld.tolist()
    assert summary.ratings_withheld == int(withheld.sum())
    assert summary.rare_pattern_ratings == int(rare.sum())
    assert summary.cells_withheld == len(set(cells.codes[withheld].tolist()))
    people = study.ratings.respondent[withheld]
    assert summary.respondents_affected == (len(set(people[people >= 0].tolist()))
                                            + int((people < 0).sum()))


@given(dense_studies, st.integers(1, 4), st.data())
def test_the_decision_does_not_depend_on_the_row_order(
    study: Study, k: int, data: st.DataObject
) -> None:
    """The rule counts per cell: a permutation of the rows permutes ``withheld`` and changes
    no count, and ``published(study, order)`` gathers the kept rows in ``order``."""
    settings = AnalysisSettings(min_respondents=k, min_respondents_override=True)
    n = len(study.ratings)
    order = np.array(data.draw(st.permutations(range(n))), dtype=np.intp)
    shuffled = attrs.evolve(study, ratings=study.ratings.select(order))
    summary = privacy_summary(study, settings)
    other = privacy_summary(shuffled, settings)
    assert other.withheld.tolist() == summary.withheld[order].tolist()
    assert other.to_mapping() == summary.to_mapping()
    kept = order[~summary.withheld[order]]
    published = summary.published(study, order)
    assert published == attrs.evolve(study, ratings=study.ratings.select(kept))
    assert published == other.published(shuffled)
    assert attrs.evolve(published) == published  # a valid study: its own checks pass
