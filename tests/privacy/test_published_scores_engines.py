"""The privacy rule and the scores as ``analyze`` runs them (``published_scores``) give the same
results with every compiled pass (numba, the fast extra) as with every numpy path: the scores,
the privacy summary, the withheld rows and the published ratings, to the last bit."""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.scores import (
    cell_totals,
    figure_respondents,
    respondent_ties,
    shared_respondent_tie_scores,
    spread,
)
from relcoord.model import Study
from relcoord.privacy import answer_groups, published_scores
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                                 reason="numba (the fast extra) is not installed")


@contextmanager
def numpy_everywhere() -> Iterator[None]:
    """Every engine choice of the scores and the privacy rule made ``"numpy"``."""
    choices = [(respondent_ties, "_scoring"), (cell_totals, "_totalling"),
               (spread, "_tabling"), (figure_respondents, "_counting"),
               (answer_groups, "_keying"), (answer_groups, "_repeats_seen")]
    with ExitStack() as stack:
        for module, name in choices:
            chosen = getattr(module, name)
            stack.enter_context(mock.patch.object(
                module, name, lambda engine, chosen=chosen: chosen("numpy")))
        stack.enter_context(mock.patch("relcoord.privacy.suppression.is_available",
                                       return_value=False))
        yield


def outcome(study: Study, chosen: AnalysisSettings, *, ordered: bool) -> tuple[Any, ...]:
    order = RatingsSummary.canonical_order(study) if ordered else None
    # the compiled spread table at any size (it leaves small studies to numpy)
    with shared_respondent_tie_scores(), mock.patch.object(spread, "_COMPILED_FROM", 0):
        published, result, summary = published_scores(study, chosen, order=order)
    r = published.ratings
    return (json.dumps(result.to_mapping(), sort_keys=True),
            json.dumps(summary.to_mapping(), sort_keys=True), summary.withheld.tolist(),
            summary.ties_suppressed, r.scores.tobytes(), r.source.tolist(),
            r.target.tolist(), r.respondent.tolist(), r.wave.tolist())


@needs_numba
@pytest.mark.parametrize("ordered", [False, True])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_the_example_is_the_same_with_numpy_everywhere(ordered: bool, k: int) -> None:
    study = load_example()
    chosen = AnalysisSettings(min_respondents=k, min_respondents_override=k < 3)
    compiled = outcome(study, chosen, ordered=ordered)
    with numpy_everywhere():
        assert outcome(study, chosen, ordered=ordered) == compiled


@needs_numba
@settings(deadline=None, max_examples=40)
@given(study=studies(max_roles=4, max_respondents=10, max_ratings=60, instrument="rc7",
                     with_ties=False, with_invitations=False),
       k=st.integers(1, 4), min_items=st.integers(1, 7), ordered=st.booleans())
def test_generated_studies_are_the_same_with_numpy_everywhere(
        study: Study, k: int, min_items: int, ordered: bool) -> None:
    chosen = AnalysisSettings(min_respondents=k, min_respondents_override=k < 3,
                              min_items=min_items)
    compiled = outcome(study, chosen, ordered=ordered)
    with numpy_everywhere():
        assert outcome(study, chosen, ordered=ordered) == compiled


def test_numpy_everywhere_reaches_every_choice() -> None:
    with numpy_everywhere():
        assert spread._tabling("auto") is spread._numpy_table
        assert answer_groups._keying("auto") is answer_groups._numpy_keys
        assert figure_respondents._counting("auto") is figure_respondents._numpy_counting
        assert respondent_ties._scoring("numba") is respondent_ties._numpy_scored


def test_suppress_scores_refuses_another_study_s_summary() -> None:
    from relcoord.metrics.scores import scores
    from relcoord.privacy import suppress_scores, withhold

    study = load_example()
    chosen = AnalysisSettings()
    published, summary = withhold(study, chosen)
    result = scores(published, settings=chosen)
    other = attrs.evolve(summary, withheld=summary.withheld[:-1])
    with pytest.raises(ValueError, match="another study"):
        suppress_scores(result, study, other)
    shown, done = suppress_scores(result, study, summary)
    assert len(shown.ties) >= len(result.ties)
    assert len(done.ties_suppressed) == len(shown.ties) - len(result.ties)


def test_the_order_may_come_from_a_function_called_after_the_decision() -> None:
    """`published_scores(order=f)` calls ``f`` once, after the rule's decision, and gives
    what the permutation itself gives; ``gathered`` sees the published study."""
    study = load_example()
    chosen = AnalysisSettings(min_respondents=3, min_respondents_override=True)
    order = RatingsSummary.canonical_order(study)
    calls: list[str] = []
    seen: list[Study] = []

    def later() -> Any:
        calls.append("order")
        return order

    with shared_respondent_tie_scores():
        published, result, _ = published_scores(study, chosen, order=later,
                                                 gathered=seen.append)
    with shared_respondent_tie_scores():
        expected = published_scores(study, chosen, order=order)
    assert calls == ["order"]
    assert seen == [published]
    assert json.dumps(result.to_mapping(), sort_keys=True) == json.dumps(
        expected[1].to_mapping(), sort_keys=True)
    assert published.ratings.scores.tobytes() == expected[0].ratings.scores.tobytes()
