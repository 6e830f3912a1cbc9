"""Which ratings may be published (relcoord.privacy.publishable): ``cell_support`` equals the
simplest code that states the rule, Python sets of respondents per cell, on generated studies
with repeated ratings, ratings without respondent, waves and missing items.

The counting itself (its fast and sorted paths) is tested with
:class:`~relcoord.metrics.tie_cells.TieCells` in ``tests/metrics/test_tie_cells.py``.
"""

from __future__ import annotations

from collections import defaultdict
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.metrics import tie_cells
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.model import Study
from relcoord.privacy import cell_support
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
    with mock.patch.object(tie_cells, "_single_rows", return_value=False):
        _check_support(study, min_items, by_wave, items)


def test_respondent_ties_of_another_study_are_refused() -> None:
    study = load_example()
    n_items = len(study.instrument.keys)
    per = respondent_tie_scores(study, min_items=n_items)
    none = np.zeros(len(per.counted), dtype=bool)
    with pytest.raises(ValueError, match="another"):
        cell_support(study, min_items=n_items, respondent_ties=per.select(none))
    with pytest.raises(ValueError, match="another"):
        cell_support(study, min_items=n_items - 1, respondent_ties=per)
