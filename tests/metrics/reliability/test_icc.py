"""ICC(1) and ICC(2) (relcoord.metrics.reliability.icc): Shrout & Fleiss's (1979) table 2,
hand-computed cases, groupings and properties."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from relcoord import Study
from relcoord.metrics.reliability import (
    DESIGN_THRESHOLDS,
    ICC1_TYPICAL,
    group_icc,
    group_mean_reliability,
    icc_oneway,
    rating_icc,
    reliability_summary,
    respondent_scale_scores,
    tie_agreement,
)

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


def test_icc_unbalanced_group_size_mean_or_k0() -> None:
    # groups of 2, 3 and 5: N = 10, N / G = 10 / 3 (the default, as multilevel::ICC1 and
    # psych::statsBy), k0 = (10 - (4 + 9 + 25) / 10) / 2 = 3.1
    values = [1, 2, 2, 3, 4, 5, 5, 6, 6, 7]
    groups = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2]
    x = np.array(values, dtype=np.float64)
    g = np.array(groups)
    means = np.array([x[g == k].mean() for k in range(3)])
    msb = sum((g == k).sum() * (means[k] - x.mean()) ** 2 for k in range(3)) / 2
    msw = sum(((x[g == k] - means[k]) ** 2).sum() for k in range(3)) / 7
    result = icc_oneway(values, groups)
    assert result.group_size == "mean_group_size"
    assert result.k == pytest.approx(10 / 3)
    assert result.mean_group_size == pytest.approx(10 / 3)
    assert result.k0 == pytest.approx(3.1)
    assert result.icc1 == pytest.approx((msb - msw) / (msb + (10 / 3 - 1) * msw))
    by_k0 = icc_oneway(values, groups, group_size="k0")
    assert by_k0.k == pytest.approx(3.1)
    assert by_k0.icc1 == pytest.approx((msb - msw) / (msb + 2.1 * msw))
    # ICC(2) does not depend on the group size
    assert by_k0.icc2 == result.icc2 == pytest.approx((msb - msw) / msb)
    assert result.to_mapping()["k_method"] == "mean_group_size"
    assert by_k0.to_mapping()["k_method"] == "k0"
    with pytest.raises(ValueError, match="group_size"):
        icc_oneway(values, groups, group_size="median")  # type: ignore[arg-type]


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


def icc_study(make_study: Callable[..., Study]) -> Study:
    # respondents of roles a (school), b (school), c (municipality), each rating role c
    rows = []
    answers = {"a": [5, 4, 5], "b": [3, 2, 3], "c": [1, 2, 2]}
    for role, values in answers.items():
        for i, v in enumerate(values):
            rows.append((f"{role}{i}", role, "c", [v] * 7))
    return make_study(rows)


def test_group_icc_by_role_organisation_and_mapping(make_study: Callable[..., Study]) -> None:
    study = icc_study(make_study)
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


def test_respondent_scores_average_over_targets(make_study: Callable[..., Study]) -> None:
    rows: list[tuple[str, str, str, Sequence[float]]] = [
        ("p1", "a", "b", [4] * 7), ("p1", "a", "c", [2] * 7),
        ("p2", "a", "b", [5] * 7), ("p2", "a", "c", [np.nan] + [1] * 6),
    ]
    codes, values = respondent_scale_scores(make_study(rows))
    assert codes.tolist() == [0, 1]
    assert values.tolist() == [3.0, 5.0]  # p2's incomplete rating of c is left out
    codes, values = respondent_scale_scores(make_study(rows), target="c")
    assert values.tolist() == [2.0]


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



def test_rating_icc_by_target_and_by_tie(make_study: Callable[..., Study]) -> None:
    # a and b rate c; a also rates b.  Each rating's score is its (constant) item value.
    rows = [("a0", "a", "c", [5] * 7), ("a1", "a", "c", [4] * 7), ("b0", "b", "c", [2] * 7),
            ("b1", "b", "c", [3] * 7), ("a0", "a", "b", [1] * 7), ("a1", "a", "b", [2] * 7),
            ("c0", "c", "a", [4, 4, 4, 4, 4, 4, np.nan])]  # incomplete: left out
    study = make_study(rows)
    by_target = rating_icc(study, by="target")
    assert by_target.design == "ratings_by_target_role"
    assert by_target.icc1 == pytest.approx(
        icc_oneway([5, 4, 2, 3, 1, 2], ["c", "c", "c", "c", "b", "b"]).icc1)
    by_tie = rating_icc(study, by="tie")
    assert by_tie.design == "ratings_by_tie"
    assert by_tie.n == 6
    assert by_tie.n_groups == 3
    expected = icc_oneway([5, 4, 2, 3, 1, 2], [0, 0, 1, 1, 2, 2])
    assert by_tie.icc1 == pytest.approx(expected.icc1)
    assert by_tie.icc2 == pytest.approx(expected.icc2)
    with pytest.raises(ValueError, match="target"):
        rating_icc(study, by="role")  # type: ignore[arg-type]


def test_per_tie_icc2_steps_icc1_up_to_the_tie(make_study: Callable[..., Study]) -> None:
    rows = [(f"a{i}", "a", "c", [v] * 7) for i, v in enumerate((5, 4, 5, 4))]
    rows += [(f"b{i}", "b", "c", [v] * 7) for i, v in enumerate((2, 3))]
    rows += [("c0", "c", "a", [3] * 7)]
    study = make_study(rows)
    table = tie_agreement(study)
    assert table.icc is not None
    icc1 = table.icc.icc1
    assert icc1 is not None
    assert icc1 == pytest.approx(rating_icc(study, by="tie").icc1)
    for tie in table.ties:
        assert tie.icc2 == pytest.approx(tie.n * icc1 / (1 + (tie.n - 1) * icc1))
    assert table.tie("c", "a").icc2 == pytest.approx(icc1)  # one rater: ICC(1) itself
    # with the common group size ICC(2) is the Spearman-Brown step-up of ICC(1)
    balanced = icc_oneway(SHROUT_FLEISS.ravel(), np.repeat(np.arange(6), 4))
    assert group_mean_reliability(balanced.icc1, [4]) == pytest.approx((balanced.icc2,))
    assert group_mean_reliability(None, [2, 3]) == (None, None)
    assert group_mean_reliability(0.5, [0])[0] is None


def test_each_design_carries_only_its_own_thresholds(make_study: Callable[..., Study]) -> None:
    summary = reliability_summary(icc_study(make_study))
    assert summary.icc.design == "respondents_by_rater_role"
    assert summary.icc_by_target is not None
    assert summary.icc_by_tie is not None
    designs = {summary.icc.design: summary.icc, "target": summary.icc_by_target,
               "tie": summary.icc_by_tie}
    for icc in designs.values():
        figures = {t.figure for t in icc.thresholds}
        assert "icc2" in figures
        # the typical ICC(1) range belongs to raters describing a shared referent: ties
        assert ("icc1" in figures) == (icc.design == "ratings_by_tie")
        mapping = icc.to_mapping()
        assert mapping["design"] == icc.design
        assert all(t["source"] for t in mapping["thresholds"])
    (typical,) = [t for t in DESIGN_THRESHOLDS["ratings_by_tie"] if t.figure == "icc1"]
    assert (typical.low, typical.high) == ICC1_TYPICAL
    assert group_icc(icc_study(make_study), by="organisation").design == (
        "respondents_by_organisation")


def test_group_mean_reliability_is_undefined_where_its_denominator_rounds_above_zero() -> None:
    """ICC(1) = -1 / (n - 1) makes 1 + (n - 1) ICC(1) zero; at n = 50 the rounded ICC(1)
    leaves 1.1e-16, which used to give an ICC(2) of about -4.5e17 (a Hypothesis example: the
    exact answer counts of a tie whose raters all differ in the same way)."""
    assert 1.0 + 49 * (-1 / 49) > 0
    at_fifty, at_two = group_mean_reliability(-1 / 49, [50, 2])
    assert at_fifty is None
    assert at_two == pytest.approx(-1 / 24)
