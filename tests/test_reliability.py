"""Reliability and agreement: worked examples from the literature, hand-computed cases and
properties of alpha, r_wg, r_wg(J), AD and ICC (relcoord.metrics.reliability)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from relcoord import InvalidInputError, Metadata, Ratings, Respondent, Role, Study
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.reliability import (
    ReliabilitySettings,
    agreement_band,
    cronbach_alpha,
    group_icc,
    grouped_dispersion,
    icc_oneway,
    null_variance,
    reliability_summary,
    respondent_scale_scores,
    rwg,
    rwg_j,
    scale_alpha,
    tie_agreement,
    uniform_null_variance,
)

# --- a small study builder ---------------------------------------------------------------


def make_study(
    rows: Sequence[tuple[str, str, str, Sequence[float]]],
    *,
    roles: Sequence[tuple[str, str | None]] = (("a", "school"), ("b", "school"),
                                               ("c", "municipality")),
    waves: Sequence[str | None] | None = None,
) -> Study:
    """A study from (respondent, source role, target role, 7 scores) rows."""
    people = {p: s for p, s, _, _ in rows}
    return Study(
        metadata=Metadata(id="t"),
        instrument="rc7",
        roles=[Role(r, r.upper(), organisation=o) for r, o in roles],
        respondents=[Respondent(p, s) for p, s in people.items()],
        ratings=Ratings.from_labels(
            source=[s for _, s, _, _ in rows], target=[t for _, _, t, _ in rows],
            respondent=[p for p, _, _, _ in rows],
            scores=np.array([list(v) for _, _, _, v in rows], dtype=np.float64).reshape(-1, 7),
            dimensions=DIMENSION_KEYS, wave=waves,
        ),
    )


# Four raters in role a about role b, one column per RC item (scored values 1..5).
HAND = np.array([
    # freq timely accurate problem goals knowledge respect
    [4, 3, 4, 2, 1, 3, 5],
    [4, 4, 5, 4, 5, 3, 5],
    [4, 4, 4, 4, 1, 4, 5],
    [4, 5, 5, 4, 5, 4, 4],
], dtype=np.float64)


def hand_study() -> Study:
    rows = [(f"p{i}", "a", "b", HAND[i]) for i in range(4)]
    rows.append(("q1", "b", "a", [5, 5, 5, 5, 5, 5, 5]))  # a tie with a single rater
    return make_study(rows)


# --- r_wg, r_wg(J), AD: null variance and hand-computed ties ------------------------------


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


def test_tie_agreement_hand_computed() -> None:
    # Item by item for the four raters of a -> b (HAND), sample variances (ddof = 1):
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
    table = tie_agreement(hand_study())
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


def test_tie_agreement_median_center_and_sub_index() -> None:
    # AD_Md: medians 4, 4, 4.5, 4, 3, 3.5, 5 -> per item 0, .5, .5, .5, 2, .5, .25
    tie = tie_agreement(hand_study(), center="median").tie("a", "b")
    assert tie.ad == pytest.approx([0, 0.5, 0.5, 0.5, 2.0, 0.5, 0.25])
    assert tie.ad_j == pytest.approx(4.25 / 7)
    # communication sub-index: m = (0 + 1/3 + 1/6 + 1/2) / 4 = 1/4,
    # r_wg(J) = 4 (3/4) / (3 + 1/4) = 12 / 13
    com = tie_agreement(hand_study(), scale="communication").tie("a", "b")
    assert com.rwg_j == pytest.approx(12 / 13)
    assert com.rwg == pytest.approx([1, 2 / 3, 5 / 6, 0.5])


def test_tie_agreement_uses_complete_cases_and_keeps_waves_apart() -> None:
    rows = [(f"p{i}", "a", "b", HAND[i]) for i in range(4)]
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


# --- Cronbach's alpha --------------------------------------------------------------------


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


def test_scale_alpha_on_a_study_matches_numpy() -> None:
    study = hand_study()
    x = np.vstack([HAND, np.full(7, 5.0)])
    n = 7
    expected = n / (n - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    assert scale_alpha(study).alpha == pytest.approx(expected)
    com = scale_alpha(study, "communication")
    assert com.items == ("frequent", "timely", "accurate", "problem_solving")
    assert com.n == 5


# --- ICC ---------------------------------------------------------------------------------

# Shrout & Fleiss (1979), Psychological Bulletin 86(2), 420-428, table 2: six targets each
# rated by four judges.  Their one-way analysis gives BMS = 11.24, WMS = 6.26,
# ICC(1,1) = .17 and ICC(1,4) = .44, which are Bliese's (2000) ICC(1) and ICC(2).
SHROUT_FLEISS = np.array([
    [9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7],
], dtype=np.float64)


def test_icc_reproduces_shrout_fleiss_table_2() -> None:
    groups = np.repeat(np.arange(6), 4)
    result = icc_oneway(SHROUT_FLEISS.ravel(), groups)
    # by hand: target means 6, 3, 6.5, 4, 7.5, 4.75; grand mean 127/24;
    # SSB = 4 * sum (mean - grand)^2 = 56.2083, MSB = SSB / 5 = 11.2417;
    # SSW = 30 + 14 + 11 + 26 + 17 + 14.75 = 112.75, MSW = 112.75 / 18 = 6.2639
    assert result.ms_between is not None
    assert result.ms_within is not None
    assert result.ms_between == pytest.approx(56.208333 / 5, rel=1e-6)
    assert result.ms_within == pytest.approx(112.75 / 18)
    assert round(result.ms_between, 2) == 11.24
    assert round(result.ms_within, 2) == 6.26
    assert result.icc1 is not None
    assert result.icc2 is not None
    assert round(result.icc1, 2) == 0.17
    assert round(result.icc2, 2) == 0.44
    assert result.k == 4.0
    # independent check: scipy's one-way ANOVA F = MSB / MSW
    f, _ = stats.f_oneway(*SHROUT_FLEISS)
    assert result.f == pytest.approx(f)


def test_icc_small_balanced_example_by_hand() -> None:
    # Three groups of two: (1, 3), (4, 6), (7, 9).  Group means 2, 5, 8, grand mean 5.
    # SSB = 2 * (9 + 0 + 9) = 36, MSB = 36 / 2 = 18; SSW = 2 + 2 + 2 = 6, MSW = 6 / 3 = 2.
    # ICC(1) = (18 - 2) / (18 + (2 - 1) * 2) = 16 / 20 = .8; ICC(2) = 16 / 18 = .8889.
    result = icc_oneway([1, 3, 4, 6, 7, 9], ["x", "x", "y", "y", "z", "z"])
    assert (result.ms_between, result.ms_within) == (18.0, 2.0)
    assert result.icc1 == pytest.approx(0.8)
    assert result.icc2 == pytest.approx(16 / 18)
    assert (result.df_between, result.df_within) == (2, 3)


def test_icc_unbalanced_uses_k0() -> None:
    # groups of 2, 3 and 5: N = 10, k0 = (10 - (4 + 9 + 25) / 10) / 2 = 3.1
    values = [1, 2, 2, 3, 4, 5, 5, 6, 6, 7]
    groups = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2]
    result = icc_oneway(values, groups)
    assert result.k == pytest.approx(3.1)
    assert result.mean_group_size == pytest.approx(10 / 3)
    x = np.array(values, dtype=np.float64)
    g = np.array(groups)
    means = np.array([x[g == k].mean() for k in range(3)])
    msb = sum((g == k).sum() * (means[k] - x.mean()) ** 2 for k in range(3)) / 2
    msw = sum(((x[g == k] - means[k]) ** 2).sum() for k in range(3)) / 7
    assert result.icc1 == pytest.approx((msb - msw) / (msb + 2.1 * msw))


def test_icc_undefined_cases_are_none() -> None:
    one_group = icc_oneway([1, 2, 3], [0, 0, 0])
    assert one_group.icc1 is None
    assert one_group.icc2 is None
    singletons = icc_oneway([1, 2, 3], [0, 1, 2])  # no within-group degrees of freedom
    assert singletons.icc1 is None
    assert singletons.df_within == 0
    flat = icc_oneway([2, 2, 2, 2], [0, 0, 1, 1])  # no variance
    assert flat.icc1 is None
    assert flat.icc2 is None
    assert icc_oneway([], []).n == 0


def icc_study() -> Study:
    # respondents of roles a (school), b (school), c (municipality), each rating role c
    rows = []
    answers = {"a": [5, 4, 5], "b": [3, 2, 3], "c": [1, 2, 2]}
    for role, values in answers.items():
        for i, v in enumerate(values):
            rows.append((f"{role}{i}", role, "c", [v] * 7))
    return make_study(rows)


def test_group_icc_by_role_organisation_and_mapping() -> None:
    study = icc_study()
    by_role = group_icc(study)
    expected = icc_oneway([5, 4, 5, 3, 2, 3, 1, 2, 2], [0] * 3 + [1] * 3 + [2] * 3)
    assert by_role.icc1 == pytest.approx(expected.icc1)
    assert by_role.grouping == "role"
    by_org = group_icc(study, by="organisation")
    assert by_org.n_groups == 2
    assert by_org.icc1 == pytest.approx(icc_oneway(
        [5, 4, 5, 3, 2, 3, 1, 2, 2], ["s"] * 6 + ["m"] * 3).icc1)
    sites = {"a0": "north", "a1": "north", "b0": "south", "b1": "south"}
    by_site = group_icc(study, by=sites)
    assert by_site.n == 4  # unmapped respondents are left out
    assert by_site.grouping == "custom"
    assert by_site.icc1 == pytest.approx(icc_oneway([5, 4, 3, 2], [0, 0, 1, 1]).icc1)
    with pytest.raises(ValueError, match="by must be"):
        group_icc(study, by="site")  # type: ignore[arg-type]


def test_respondent_scores_average_over_targets() -> None:
    rows: list[tuple[str, str, str, Sequence[float]]] = [
        ("p1", "a", "b", [4] * 7), ("p1", "a", "c", [2] * 7),
        ("p2", "a", "b", [5] * 7), ("p2", "a", "c", [np.nan] + [1] * 6),
    ]
    codes, values = respondent_scale_scores(make_study(rows))
    assert codes.tolist() == [0, 1]
    assert values.tolist() == [3.0, 5.0]  # p2's incomplete rating of c is left out
    codes, values = respondent_scale_scores(make_study(rows), target="c")
    assert values.tolist() == [2.0]


def test_reliability_summary_mapping_is_json_ready() -> None:
    import json

    summary = reliability_summary(hand_study(), ReliabilitySettings(center="median"))
    data = summary.to_mapping()
    assert set(data["cronbach_alpha"]) == {"rc", "communication", "relationship"}
    assert data["agreement"]["center"] == "median"
    assert data["settings"]["by"] == "role"
    text = json.dumps(data, allow_nan=False)  # no NaN anywhere
    assert "NaN" not in text
    single = next(t for t in data["agreement"]["ties"] if t["source"] == "b")
    assert single["rwg_j"] is None


# --- properties --------------------------------------------------------------------------

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


answers_7 = st.lists(st.integers(1, 5), min_size=7, max_size=7)


@given(answers_7, st.integers(2, 8))
def test_identical_answers_give_full_agreement(answer: list[int], raters: int) -> None:
    rows = [(f"p{i}", "a", "b", answer) for i in range(raters)]
    tie = tie_agreement(make_study(rows)).tie("a", "b")
    assert tie.rwg == (1.0,) * 7
    assert tie.rwg_j == 1.0
    assert tie.ad_j == 0.0


@given(st.lists(answers_7, min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_agreement_and_icc_do_not_depend_on_respondent_order_or_ids(
    answers: list[list[int]], rnd: object
) -> None:
    import random

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


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(1, 5)), min_size=3, max_size=40),
       st.floats(-10, 10))
def test_icc_invariant_to_shift_and_group_relabelling(
    data: list[tuple[int, int]], shift: float
) -> None:
    groups = np.array([g for g, _ in data])
    values = np.array([v for _, v in data], dtype=np.float64)
    base = icc_oneway(values, groups)
    relabelled = icc_oneway(values + shift, np.array(["g" + str(9 - g) for g in groups]))
    for a, b in ((base.icc1, relabelled.icc1), (base.icc2, relabelled.icc2)):
        if a is not None and b is not None:
            assert a == pytest.approx(b, abs=1e-6)
    assert base.k == relabelled.k
