"""The one pass of the answer counts (relcoord.metrics.reliability.answer_counts): both engines
count the same on every path, and the order check that lets the complete rows of a cell stand
for its distinct raters says what it defines.

The compiled pass reads the rows of a wave in place and works out each row's tie cell as it
goes (or reads numbered cells when the grid is large); the numpy path reads the rows in blocks
and adds up each block's tallies.  Both paths are forced here on small studies (a grid counted
as large, blocks of a few rows), with rows in canonical order and shuffled.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.metrics.reliability import answer_counts
from relcoord.metrics.reliability.answer_counts import AnswerCounts
from relcoord.metrics.reliability.summary import AgreementRaters, reliability_summary
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study

from .test_answer_counts import canonical, survey_studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None
FIELDS = ("complete", "patterns", "cells", "item_counts", "total_counts", "people", "people_n",
          "people_total")


def one_row_per_rater(study: Study, wave: str | None) -> bool:
    """The definition: the wave's rows ordered by (wave slot, tie, respondent), each key
    greater than the one before, or equal for a rating without respondent."""
    ratings = study.ratings
    n = len(study.roles)
    keys = [(w + 1, s * n + t, p) for s, t, w, p in zip(
        ratings.source.tolist(), ratings.target.tolist(), ratings.wave.tolist(),
        ratings.respondent.tolist(), strict=True)
        if wave is None or (wave in ratings.waves and w == ratings.waves.index(wave))]
    return all(b > a or (b == a and b[2] < 0) for a, b in itertools.pairwise(keys))


def counts_of(study: Study, wave: str | None, target: str | None, engine: str
              ) -> AnswerCounts:
    counts = AnswerCounts.of(study, wave, target, engine=engine)
    assert counts is not None
    return counts


@given(survey_studies(), st.booleans(), st.booleans())
def test_the_order_check_is_its_definition(study: Study, ordered: bool, blocks: bool) -> None:
    study = canonical(study) if ordered else study
    with mock.patch.object(answer_counts, "_numpy_block_rows",
                           return_value=2 if blocks else 1 << 15):
        for wave in (None, *study.ratings.waves):
            counts = counts_of(study, wave, None, "numpy")
            assert counts.one_row_per_rater == one_row_per_rater(study, wave)


@pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                    reason="numba (the fast extra) is not installed")
@settings(deadline=None)  # the first call compiles the pass
@given(survey_studies(), st.booleans(), st.booleans(), st.booleans())
def test_both_engines_count_the_same_on_every_path(study: Study, ordered: bool,
                                                   one_target: bool, large_grid: bool) -> None:
    study = canonical(study) if ordered else study
    target = study.role_ids[-1] if one_target else None
    with mock.patch.object(answer_counts, "_SMALL_GRID", 0 if large_grid else 1 << 16), \
            mock.patch.object(answer_counts, "_numpy_block_rows", return_value=3), \
            mock.patch.object(answer_counts, "_BLOCK_ROWS", 2):
        for wave in (None, *study.ratings.waves):
            by_numpy = counts_of(study, wave, target, "numpy")
            by_numba = counts_of(study, wave, target, "numba")
            for name in FIELDS:
                np.testing.assert_array_equal(getattr(by_numpy, name), getattr(by_numba, name))
            assert by_numpy.one_row_per_rater == by_numba.one_row_per_rater
            assert by_numba.one_row_per_rater == one_row_per_rater(study, wave)
            np.testing.assert_array_equal(by_numpy.raters(), by_numba.raters())


@given(survey_studies(), st.booleans())
def test_raters_are_the_distinct_respondents_of_the_complete_rows(study: Study,
                                                                   ordered: bool) -> None:
    """Counted from the rows (canonical order, no repeats) or by TieCells: the same."""
    study = canonical(study) if ordered else study
    cells = TieCells.of(study, by_wave=True)
    for wave in (None, *study.ratings.waves):
        counts = counts_of(study, wave, None, "auto")
        every = np.zeros(len(study.ratings), dtype=bool)
        if counts.chosen is None:
            every[:] = counts.complete
        else:
            every[counts.chosen] = counts.complete
        np.testing.assert_array_equal(counts.raters(), cells.respondents(every))


@given(survey_studies())
def test_agreement_raters_read_the_cell_of_a_tie(study: Study) -> None:
    cells = TieCells.of(study, by_wave=True)
    counts = np.arange(cells.size, dtype=np.int64)
    raters = AgreementRaters(study=study, counts=counts)
    for source in study.role_ids:
        for target in study.role_ids:
            for wave in (None, *study.ratings.waves):
                assert raters.of(source, target, wave) == cells.code(source, target, wave)
    with pytest.raises(KeyError):
        raters.of(study.role_ids[0], study.role_ids[0], "no such wave")


@given(survey_studies())
def test_the_shortcuts_of_exact_arithmetic_change_nothing(study: Study) -> None:
    """Alpha's sums in floats (BLAS) and the ANOVA's in int64 are taken while they are exact;
    forced onto int64 and Python integers instead, every figure is the same to the bit."""
    fast = reliability_summary(study).to_mapping()
    with mock.patch.object(answer_counts, "_FLOAT_EXACT", 0), \
            mock.patch.object(answer_counts, "_INT64_EXACT", 0):
        slow = reliability_summary(study).to_mapping()
    assert repr(fast) == repr(slow)
