"""Cronbach's alpha (relcoord.metrics.reliability.alpha): a hand-computed case, undefined
cases and properties."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from relcoord import Study
from relcoord.metrics.reliability import (
    cronbach_alpha,
    scale_alpha,
)


def test_alpha_hand_computed() -> None:
    # Three items, four cases:
    #   item1 4,5,4,3  mean 4     SS 2    var 2/3
    #   item2 5,5,4,4  mean 4.5   SS 1    var 1/3
    #   item3 4,4,5,4  mean 4.25  SS .75  var 1/4
    #   sum   13,14,13,11  mean 12.75  SS .0625+1.5625+.0625+3.0625 = 4.75  var 19/12
    # alpha = 3/2 * (1 - (2/3 + 1/3 + 1/4) / (19/12)) = 3/2 * (1 - 15/19) = 6/19
    x = np.array([[4, 5, 4], [5, 5, 4], [4, 4, 5], [3, 4, 4]], dtype=np.float64)
    result = cronbach_alpha(x, names=["i1", "i2", "i3"])
    assert result.alpha == pytest.approx(6 / 19)
    assert result.n == 4
    # corrected item-total of item1: rest = item2 + item3 = 9, 9, 9, 8 (mean 8.75);
    # cov(item1, rest) = (-0*.25 + 1*.25 + 0*.25 + (-1)(-.75)) / 3 = 1/3,
    # var(rest) = (3 * .0625 + .5625) / 3 = 1/4, r = (1/3) / sqrt(2/3 * 1/4) = .8165
    assert result.item_total[0] == pytest.approx((1 / 3) / np.sqrt(2 / 3 / 4))
    # alpha without item3: items 1 and 2, sum var = 2/3 + 1/3 + 2 cov(1, 2) with
    # cov(1, 2) = (0*.5 + 1*.5 + 0*(-.5) + (-1)(-.5)) / 3 = 1/3 -> var = 5/3;
    # alpha = 2 * (1 - 1 / (5/3)) = .8
    assert result.alpha_if_deleted[2] == pytest.approx(0.8)


def test_alpha_undefined_cases_are_none() -> None:
    assert cronbach_alpha(np.ones((1, 3))).alpha is None  # one case
    assert cronbach_alpha(np.ones((5, 1))).alpha is None  # one item
    constant = cronbach_alpha(np.full((5, 3), 4.0))  # no variance at all
    assert constant.alpha is None
    assert constant.item_total == (None, None, None)
    with pytest.raises(ValueError, match="2-D"):
        cronbach_alpha(np.ones(4))


def test_scale_alpha_on_a_study_matches_numpy(
    hand_study: Study, hand: npt.NDArray[np.float64]
) -> None:
    study = hand_study
    x = np.vstack([hand, np.full(7, 5.0)])
    n = 7
    expected = n / (n - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    assert scale_alpha(study).alpha == pytest.approx(expected)
    com = scale_alpha(study, "communication")
    assert com.items == ("frequent", "timely", "accurate", "problem_solving")
    assert com.n == 5


item_matrices = arrays(
    np.float64, st.tuples(st.integers(3, 30), st.integers(2, 7)),
    elements=st.integers(1, 5).map(float),
)


@given(item_matrices)
def test_alpha_is_at_most_one(x: npt.NDArray[np.float64]) -> None:
    alpha = cronbach_alpha(x).alpha
    assert alpha is None or alpha <= 1 + 1e-9


@given(item_matrices, st.floats(-50, 50))
def test_alpha_invariant_to_constant_shift_and_case_order(
    x: npt.NDArray[np.float64], shift: float
) -> None:
    base = cronbach_alpha(x)
    order = np.random.default_rng(len(x)).permutation(len(x))
    for other in (cronbach_alpha(x + shift), cronbach_alpha(x[order])):
        if base.alpha is None or other.alpha is None:
            continue  # degenerate variance: may flip at rounding level
        assert other.alpha == pytest.approx(base.alpha, abs=1e-6)

