"""The answer groups of relcoord.privacy.answer_groups keyed by the compiled passes (numba, the
fast extra) equal those keyed by numpy, field by field, with the keys counted or sorted, waves
pooled or per wave, any selection of rows; and the compiled check for repeated ratings finds
the rows numpy's count finds."""

from __future__ import annotations

import importlib.util
import os
from unittest import mock

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.privacy import answer_groups
from relcoord.privacy.answer_groups import AnswerGroups, _repeated_rows
from relcoord.testing.strategies import studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                                 reason="numba (the fast extra) is not installed")
dense = studies(max_roles=3, max_respondents=8, max_ratings=40, with_ties=False,
                with_invitations=False)


def same_groups(a: AnswerGroups, b: AnswerGroups) -> bool:
    for field in attrs.fields(AnswerGroups):
        if field.name in ("cells", "_repeats"):
            continue
        x, y = getattr(a, field.name), getattr(b, field.name)
        if x.dtype != y.dtype or x.shape != y.shape or x.tolist() != y.tolist():
            return False
    if (a._repeats is None) != (b._repeats is None):
        return False
    return a._repeats is None or all(
        getattr(a._repeats, f.name).tolist() == getattr(b._repeats, f.name).tolist()
        for f in attrs.fields(type(a._repeats)))


@needs_numba
@settings(deadline=None)  # the first call compiles the passes
@given(study=dense, by_wave=st.booleans(), min_items=st.integers(1, 7), sorted_keys=st.booleans(),
       data=st.data())
def test_the_compiled_groups_are_numpy_s(study: Study, by_wave: bool, min_items: int,
                                         sorted_keys: bool, data: st.DataObject) -> None:
    per = respondent_tie_scores(study, min_items=min_items)
    cells = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    n = len(study.ratings)
    selected = data.draw(st.none() | st.lists(st.booleans(), min_size=n, max_size=n))
    rows = None if selected is None else np.array(selected, dtype=bool)
    limits = (0, 0) if sorted_keys else (answer_groups._DENSE_KEYS, 2)
    with (mock.patch.object(answer_groups, "_DENSE_KEYS", limits[0]),
          mock.patch.object(answer_groups, "_DENSE_PER_ROW", limits[1])):
        compiled = AnswerGroups.of(cells, per, rows, engine="numba")
        plain = AnswerGroups.of(cells, per, rows, engine="numpy")
    assert same_groups(compiled, plain)
    repeated = _repeated_rows(cells, "numba")
    expected = _repeated_rows(cells, "numpy")
    assert (repeated is None) == (expected is None)
    assert repeated is None or expected is None or repeated.tolist() == expected.tolist()
