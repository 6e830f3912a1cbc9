"""Within-group agreement (relcoord.metrics.reliability.agreement and .dispersion): the null
variance, r_wg, r_wg(J), AD and AD(J), worked examples from the literature, hand-computed ties
and properties."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from relcoord import InvalidInputError, Study
from relcoord.metrics.reliability import (
    agreement_band,
    group_icc,
    grouped_dispersion,
    null_variance,
    rwg,
    rwg_j,
    tie_agreement,
    uniform_null_variance,
)


def test_uniform_null_variance_is_james_demaree_wolf() -> None:
    # James, Demaree & Wolf (1984): sigma_EU^2 = (A^2 - 1) / 12; A = 5 gives 24/12 = 2.0,
    # the value Bliese's multilevel::rwg uses as its default ranvar; A = 7 gives 48/12 = 4.0.
    assert uniform_null_variance(5) == 2.0
    assert uniform_null_variance(7) == 4.0
    # the variance of the score set gives the same for 1..A and for the sufficiency-scored
    # frequency item (scores 1, 3, 5, 4, 2 are still the set 1..5)
    assert null_variance([1, 3, 5, 4, 2]) == pytest.approx(2.0)
    assert null_variance(range(1, 8)) == pytest.approx(4.0)
    with pytest.raises(ValueError, match="two answer options"):
        uniform_null_variance(1)


def test_rwg_single_item_worked_values() -> None:
    # r_wg = 1 - s^2 / 2.0 on a 5-point scale (James et al. 1984):
    # s^2 = 0.5 -> .75; s^2 = 0 -> 1; s^2 = 2 (random answering) -> 0;
    # s^2 = 3 > 2 -> 1 - 1.5 = -.5, reset to 0 (James et al. 1984; LeBreton & Senter 2008).
    np.testing.assert_allclose(rwg([0.5, 0.0, 2.0, 3.0], 2.0), [0.75, 1.0, 0.0, 0.0])
    assert np.isnan(rwg(np.nan, 2.0))


def test_rwg_j_worked_values_and_out_of_range() -> None:
    # r_wg(J) = J(1 - m) / (J(1 - m) + m), m = mean s^2 / sigma_EU^2 (James et al. 1984).
    # J = 7 items each with s^2 = 1 on a 5-point scale: m = .5,
    # r_wg(J) = 7 * .5 / (7 * .5 + .5) = 3.5 / 4 = .875.
    assert rwg_j([1.0] * 7, [2.0] * 7)[()] == pytest.approx(0.875)
    # J = 4, s^2 = 0.5 each: m = .25, r_wg(J) = 4 * .75 / (3 + .25) = 3 / 3.25 = .923077.
    assert rwg_j([0.5] * 4, 2.0)[()] == pytest.approx(3 / 3.25)
    # Out of range (LeBreton & Senter 2008; LeBreton's WGA 'reset'): J = 2, m = 1.5 gives
    # 2(-.5) / (2(-.5) + 1.5) = -2, and m = 2.5 gives -3 / -.5 = 6; both are reset to 0.
    np.testing.assert_allclose(rwg_j([[3.0, 3.0], [5.0, 5.0]], 2.0), [0.0, 0.0])
    # m = 1 exactly: the formula gives 0 already
    assert rwg_j([2.0, 2.0], 2.0)[()] == 0.0
    assert np.isnan(rwg_j([1.0, np.nan], 2.0)[()])


def test_rwg_j_is_spearman_brown_of_mean_item_agreement() -> None:
    # LeBreton & Senter (2008, q. 5): r_wg(J) is the Spearman-Brown step-up of
    # r = 1 - m to J items: J r / (1 + (J - 1) r).
    m = np.array([0.1, 0.3, 0.6, 0.9])
    for j in (2, 4, 7):
        r = 1 - m
        expected = j * r / (1 + (j - 1) * r)
        got = rwg_j(np.repeat((m * 2.0)[:, None], j, axis=1), 2.0)
        np.testing.assert_allclose(got, expected)


def test_tie_agreement_hand_computed(hand_study: Study) -> None:
    # Item by item for the four raters of a -> b (HAND in conftest.py), sample variances (ddof = 1):
    #   frequent 4,4,4,4        mean 4     SS 0     s^2 0     r_wg 1
    #   timely 3,4,4,5          mean 4     SS 2     s^2 2/3   r_wg 1 - 1/3 = 2/3
    #   accurate 4,5,4,5        mean 4.5   SS 1     s^2 1/3   r_wg 5/6
    #   problem 2,4,4,4         mean 3.5   SS 3     s^2 1     r_wg .5
    #   goals 1,5,1,5           mean 3     SS 16    s^2 16/3  r_wg 1 - 8/3 < 0 -> 0
    #   knowledge 3,3,4,4       mean 3.5   SS 1     s^2 1/3   r_wg 5/6
    #   respect 5,5,5,4         mean 4.75  SS .75   s^2 1/4   r_wg 7/8
    # m = (0 + 1/3 + 1/6 + 1/2 + 8/3 + 1/6 + 1/8) / 7 = (95/24) / 7 = 95/168
    # r_wg(J) = 7 (73/168) / (7 (73/168) + 95/168) = 511 / 606
    # AD_M per item: 0, .5, .5, .75, 2, .5, .375 -> AD_M(J) = 4.625 / 7
    table = tie_agreement(hand_study)
    tie = table.tie("a", "b")
    assert tie.n == 4
    expected_rwg = [1, 2 / 3, 5 / 6, 0.5, 0.0, 5 / 6, 7 / 8]
    assert tie.rwg == pytest.approx(expected_rwg)
    assert tie.rwg_j == pytest.approx(511 / 606)
    assert tie.ad == pytest.approx([0, 0.5, 0.5, 0.75, 2.0, 0.5, 0.375])
    assert tie.ad_j == pytest.approx(4.625 / 7)
    assert tie.band == "strong agreement"  # .84 lies in .71-.90 (LeBreton & Senter 2008)
    # a single rater: agreement is undefined, None rather than NaN
    single = table.tie("b", "a")
    assert single.n == 1
    assert single.rwg_j is None
    assert single.ad_j is None
    assert set(single.rwg) == {None}
    assert table.n_ties == 1
    assert table.ad_cutoff == pytest.approx(5 / 6)  # Burke & Dunlap (2002): A / 6
    assert table.null_variances == pytest.approx([2.0] * 7)


def test_tie_agreement_median_center_and_sub_index(hand_study: Study) -> None:
    # AD_Md: medians 4, 4, 4.5, 4, 3, 3.5, 5 -> per item 0, .5, .5, .5, 2, .5, .25
    tie = tie_agreement(hand_study, center="median").tie("a", "b")
    assert tie.ad == pytest.approx([0, 0.5, 0.5, 0.5, 2.0, 0.5, 0.25])
    assert tie.ad_j == pytest.approx(4.25 / 7)
    # communication sub-index: m = (0 + 1/3 + 1/6 + 1/2) / 4 = 1/4,
    # r_wg(J) = 4 (3/4) / (3 + 1/4) = 12 / 13
    com = tie_agreement(hand_study, scale="communication").tie("a", "b")
    assert com.rwg_j == pytest.approx(12 / 13)
    assert com.rwg == pytest.approx([1, 2 / 3, 5 / 6, 0.5])


def test_tie_agreement_uses_complete_cases_and_keeps_waves_apart(
    hand: npt.NDArray[np.float64], make_study: Callable[..., Study]
) -> None:
    rows = [(f"p{i}", "a", "b", hand[i]) for i in range(4)]
    rows.append(("p9", "a", "b", [4, 4, np.nan, 4, 4, 4, 4]))  # incomplete: left out
    table = tie_agreement(make_study(rows))
    assert table.tie("a", "b").n == 4
    assert table.tie("a", "b").rwg_j == pytest.approx(511 / 606)
    waved = make_study(rows[:4] + rows[:4], waves=["w1"] * 4 + ["w2"] * 4)
    both = tie_agreement(waved)
    assert [(t.wave, t.n) for t in both.ties] == [("w1", 4), ("w2", 4)]
    only = tie_agreement(waved, wave="w2")
    assert [(t.wave, t.n) for t in only.ties] == [("w2", 4)]
    with pytest.raises(InvalidInputError, match="w3"):
        tie_agreement(waved, wave="w3")


def test_grouped_dispersion_matches_a_plain_loop() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(1, 6, size=(300, 3)).astype(np.float64)
    x[rng.random(x.shape) < 0.05] = np.nan
    g = rng.integers(0, 20, size=300)
    for center in ("mean", "median"):
        d = grouped_dispersion(x, g, 21, center=center)
        assert d.counts[20] == 0
        for k in range(20):
            rows = x[(g == k) & ~np.isnan(x).any(axis=1)]
            assert d.counts[k] == len(rows)
            middle = rows.mean(axis=0) if center == "mean" else np.median(rows, axis=0)
            np.testing.assert_allclose(d.variances[k], rows.var(axis=0, ddof=1))
            np.testing.assert_allclose(d.deviations[k], np.abs(rows - middle).mean(axis=0))


def test_agreement_bands() -> None:
    # LeBreton & Senter (2008, table 3)
    assert agreement_band(0.2) == "lack of agreement"
    assert agreement_band(0.45) == "weak agreement"
    assert agreement_band(0.70) == "moderate agreement"
    assert agreement_band(0.85) == "strong agreement"
    assert agreement_band(1.0) == "very strong agreement"
    assert agreement_band(None) is None


answers_7 = st.lists(st.integers(1, 5), min_size=7, max_size=7)


@given(answer=answers_7, raters=st.integers(2, 8))
def test_identical_answers_give_full_agreement(
    make_study: Callable[..., Study], answer: list[int], raters: int
) -> None:
    rows = [(f"p{i}", "a", "b", answer) for i in range(raters)]
    tie = tie_agreement(make_study(rows)).tie("a", "b")
    assert tie.rwg == (1.0,) * 7
    assert tie.rwg_j == 1.0
    assert tie.ad_j == 0.0


@given(answers=st.lists(answers_7, min_size=2, max_size=12),
       rnd=st.randoms(use_true_random=False))
def test_agreement_and_icc_do_not_depend_on_respondent_order_or_ids(
    make_study: Callable[..., Study], answers: list[list[int]], rnd: object
) -> None:
    assert isinstance(rnd, random.Random)
    rows = [(f"p{i:02d}", "ab"[i % 2], "c", a) for i, a in enumerate(answers)]
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    renamed = [(f"z{len(rows) - int(p[1:]):02d}", s, t, v) for p, s, t, v in shuffled]
    results = [(tie_agreement(make_study(r)), group_icc(make_study(r)))
               for r in (rows, renamed)]
    (t1, i1), (t2, i2) = results
    assert [(t.source, t.target, t.n) for t in t1.ties] == [
        (t.source, t.target, t.n) for t in t2.ties]
    for a, b in zip(t1.ties, t2.ties, strict=True):
        assert (a.rwg_j is None) == (b.rwg_j is None)
        assert a.rwg_j == pytest.approx(b.rwg_j)
        assert a.ad == pytest.approx(b.ad)
    assert (i1.n, i1.n_groups, i1.k) == (i2.n, i2.n_groups, i2.k)
    assert (i1.icc1 is None) == (i2.icc1 is None)
    assert i1.icc1 == pytest.approx(i2.icc1)


@given(arrays(np.float64, st.tuples(st.integers(2, 10), st.integers(1, 7)),
              elements=st.integers(1, 5).map(float)))
def test_rwg_values_lie_in_unit_interval(x: npt.NDArray[np.float64]) -> None:
    d = grouped_dispersion(x, np.zeros(len(x), dtype=np.intp), 1)
    r = rwg(d.variances, 2.0)
    rj = rwg_j(d.variances, 2.0)
    assert ((r >= 0) & (r <= 1)).all()
    assert ((rj >= 0) & (rj <= 1)).all()

