"""The fast paths of the privacy rule and of the scores equal plain reference implementations.

``cell_support`` counts distinct respondents per cell without a sort when no respondent rates
a cell twice, and with one sort otherwise; ``published_scores`` computes every respondent-tie
score once for the rule and the scores.  Each is checked here against the simplest code that
states the rule (Python sets of respondents per cell, the three separate calls), on generated
studies with repeated ratings, ratings without respondent, waves and missing items.
"""

from __future__ import annotations

from collections import defaultdict
from unittest import mock

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import relcoord.privacy
from relcoord.metrics.scores import _cell_sums, respondent_tie_scores, scores
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.privacy import (
    cell_support,
    published_scores,
    suppress_scores,
    withhold,
)
from relcoord.ratings import Rating
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

#: Few roles, several people and many ratings: cells with enough respondents to publish,
#: respondents rating one tie more than once (pooled waves), and group ratings.
dense_studies = studies(max_roles=3, max_respondents=8, max_ratings=40, instrument="rc7",
                        with_ties=False, with_invitations=False)

Who = tuple[str, int]


def _who(study: Study, row: int) -> Who:
    """The respondent of a rating row; a row without respondent is a respondent of its own."""
    person = int(study.ratings.respondent[row])
    return ("respondent", person) if person >= 0 else ("row", row)


def _cell(study: Study, row: int, *, by_wave: bool) -> int:
    ratings = study.ratings
    k, n_waves = len(study.roles), len(ratings.waves) + 1
    pair = int(ratings.source[row]) * k + int(ratings.target[row])
    return pair * n_waves + int(ratings.wave[row]) + 1 if by_wave else pair


def reference_support(study: Study, *, min_items: int, by_wave: bool, items: bool) -> list[int]:
    """Per cell the fewest distinct respondents behind any answered figure: Python sets."""
    ratings = study.ratings
    values = ratings.scores
    answered = (~np.isnan(values)).sum(axis=1)
    per = respondent_tie_scores(study, min_items=min_items)
    assert np.array_equal(per.counted, answered >= min_items)
    figures = [per.counted]
    if items:
        figures += [~np.isnan(per.communication), ~np.isnan(per.relationship)]
        figures += [per.counted & ~np.isnan(values[:, j]) for j in range(values.shape[1])]
    k = len(study.roles)
    size = max(1, k * k * ((len(ratings.waves) + 1) if by_wave else 1))
    least: list[int | None] = [None] * size
    for rows in figures:
        people: dict[int, set[Who]] = defaultdict(set)
        for row in np.flatnonzero(rows).tolist():
            people[_cell(study, row, by_wave=by_wave)].add(_who(study, row))
        for cell, group in people.items():
            now = least[cell]
            least[cell] = len(group) if now is None else min(now, len(group))
    return [0 if n is None else n for n in least]


def _check_support(study: Study, min_items: int, by_wave: bool, items: bool) -> None:
    cells, support, size = cell_support(study, min_items=min_items, by_wave=by_wave,
                                        items=items)
    assert size == max(1, len(support))
    assert cells.tolist() == [_cell(study, i, by_wave=by_wave)
                              for i in range(len(study.ratings))]
    assert support.tolist() == reference_support(study, min_items=min_items, by_wave=by_wave,
                                                 items=items)


@given(dense_studies, st.integers(1, 7), st.booleans(), st.booleans())
def test_cell_support_equals_python_sets(
    study: Study, min_items: int, by_wave: bool, items: bool
) -> None:
    _check_support(study, min_items, by_wave, items)


@given(dense_studies, st.integers(1, 7), st.booleans(), st.booleans())
def test_the_sorted_path_equals_python_sets(
    study: Study, min_items: int, by_wave: bool, items: bool
) -> None:
    """The path taken when repeated ratings cannot be ruled out without sorting."""
    with mock.patch.object(relcoord.privacy, "_single_rows", return_value=False):
        _check_support(study, min_items, by_wave, items)


def _single(study: Study, *, by_wave: bool = False) -> bool:
    from relcoord.privacy import _single_rows

    k, n_waves = len(study.roles), len(study.ratings.waves) + 1
    cells = np.array([_cell(study, i, by_wave=by_wave) for i in range(len(study.ratings))],
                     dtype=np.int64)
    return _single_rows(cells, study.ratings.respondent, max(1, k * (n_waves if by_wave else 1)))


@given(dense_studies, st.booleans())
def test_the_repeat_detector_is_exact(study: Study, by_wave: bool) -> None:
    """The sort is skipped exactly when no respondent has two rows in one cell."""
    pairs = [(_cell(study, i, by_wave=by_wave), _who(study, i))
             for i in range(len(study.ratings))]
    assert _single(study, by_wave=by_wave) == (len(set(pairs)) == len(pairs))


def test_both_counting_paths_are_taken() -> None:
    """A respondent rating one tie in two waves needs the sorted path when waves are pooled,
    not per wave; ratings without respondent never do (else the properties above could
    pass on one path only)."""

    base = Study(metadata=Metadata(id="s"), instrument="rc7", roles=[Role("a", "A")],
                 respondents=[Respondent("p", "a")])
    items = dict.fromkeys(base.instrument.keys, 4.0)
    once = [Rating(source="a", target="a", respondent="p", wave="w1", scores=items)]
    twice = [*once, Rating(source="a", target="a", respondent="p", wave="w2", scores=items)]
    groups = [Rating(source="a", target="a", respondent=None, scores=items)] * 3
    assert _single(attrs.evolve(base, ratings=once))
    assert not _single(attrs.evolve(base, ratings=twice))
    assert _single(attrs.evolve(base, ratings=twice), by_wave=True)
    assert _single(attrs.evolve(base, ratings=[*once, *groups]))
    _check_support(attrs.evolve(base, ratings=[*twice, *groups]), 5, False, True)


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
    assert after.respondents_affected == len({_who(study, i) for i in withheld})
    assert after.cells_withheld == len({_cell(study, i, by_wave=False) for i in withheld})
    ids = study.role_ids
    rated = {(ids[int(s)], ids[int(t)])
             for s, t in zip(study.ratings.source, study.ratings.target, strict=True)}
    shown = {(t.source, t.target) for t in result.ties if not t.suppressed}
    assert set(after.ties_suppressed) == rated - shown
    assert [(t.source, t.target) for t in result.ties] == sorted(
        rated, key=lambda p: (ids.index(p[0]), ids.index(p[1])))


@given(dense_studies, st.integers(1, 7), st.data())
def test_selected_respondent_tie_scores_equal_recomputed(
    study: Study, min_items: int, data: st.DataObject
) -> None:
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
    from relcoord.example import load_example

    study = load_example()
    n_items = len(study.instrument.keys)
    per = respondent_tie_scores(study, min_items=n_items)
    with pytest.raises(ValueError, match="another"):
        scores(study, settings=AnalysisSettings(min_items=n_items - 1), respondent_ties=per)
    none = np.zeros(len(per.counted), dtype=bool)
    with pytest.raises(ValueError, match="another"):
        cell_support(study, min_items=n_items, respondent_ties=per.select(none))


def test_sparse_cell_sums_equal_bincount_bit_for_bit() -> None:
    """Above the size where one sparse product replaces a bincount per column, the sums
    are the same additions in the same order: equal to the last bit, also for values whose
    sums are not exact."""
    rng = np.random.default_rng(7)
    n, size = 70_000, 37
    cell = rng.integers(0, size, n).astype(np.intp)
    values = rng.random((n, 5)) * 4 + 1
    expected = np.column_stack([np.bincount(cell, weights=values[:, j], minlength=size)
                                for j in range(5)])
    assert np.array_equal(_cell_sums(cell, values, size), expected)
    assert np.array_equal(_cell_sums(cell[:100], values[:100], size),
                          np.column_stack([np.bincount(cell[:100], weights=values[:100, j],
                                                       minlength=size) for j in range(5)]))
