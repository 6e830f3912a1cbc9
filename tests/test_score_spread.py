"""Distinct people behind a tie, and the spread (SD, median, quartiles) beside each mean."""

from __future__ import annotations

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord import Metadata, Ratings, Respondent, Role, Study, analyze
from relcoord.analysis import analysis_schema
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.scores import Spread, respondent_tie_scores, scores
from relcoord.metrics.scores.spread import grouped_spreads, spread_of
from relcoord.testing.strategies import studies

Row = tuple[str, str, str, str, list[float]]  # respondent, source, target, wave, items


def make_study(rows: list[Row], roles: tuple[str, ...] = ("a", "b", "c")) -> Study:
    people = {r[0]: r[1] for r in rows}
    return Study(
        metadata=Metadata(id="spread"), instrument="rc7",
        roles=[Role(r, r.upper()) for r in roles],
        respondents=[Respondent(p, s) for p, s in people.items()],
        ratings=Ratings.from_labels(
            source=[r[1] for r in rows], target=[r[2] for r in rows],
            respondent=[r[0] for r in rows], wave=[r[3] for r in rows],
            scores=np.array([r[4] for r in rows], dtype=np.float64),
            dimensions=DIMENSION_KEYS,
        ),
    )


def test_a_tie_counts_people_not_ratings_across_waves() -> None:
    # a two-wave panel: 9 people in role a rate b, 3 of them in both waves: 12 ratings
    rows: list[Row] = [(f"p{i}", "a", "b", "w1", [3 + i % 3] * 7) for i in range(6)]
    rows += [(f"p{i}", "a", "b", "w2", [4] * 7) for i in range(3, 9)]
    tie = scores(make_study(rows)).tie("a", "b")
    assert tie is not None
    assert (tie.n_respondents, tie.n_ratings) == (9, 12)
    data = tie.to_mapping()
    assert (data["n_respondents"], data["n_ratings"]) == (9, 12)


def test_spread_of_a_tie_a_role_and_the_network_by_hand() -> None:
    # a -> b: RC 1, 2, 4, 5 (mean 3); a -> c: 3; c -> b: 2 and 2
    rows: list[Row] = [(f"a{i}", "a", "b", "w", [v] * 7) for i, v in enumerate((1, 2, 4, 5))]
    rows += [("a0", "a", "c", "w", [3] * 7), ("c0", "c", "b", "w", [2] * 7),
             ("c1", "c", "b", "w", [2] * 7)]
    result = scores(make_study(rows))
    ab = result.tie("a", "b")
    assert ab is not None
    # type 7: positions (n - 1) q = .75, 1.5, 2.25 in 1, 2, 4, 5
    assert ab.spread.sd == pytest.approx(np.std([1, 2, 4, 5], ddof=1))
    assert (ab.spread.median, ab.spread.lower_quartile, ab.spread.upper_quartile) == (
        3.0, 1.75, 4.25)
    cb = result.tie("c", "b")
    assert cb is not None
    assert cb.spread == Spread(sd=0.0, median=2.0, lower_quartile=2.0, upper_quartile=2.0)
    ac = result.tie("a", "c")
    assert ac is not None
    assert ac.spread == Spread(sd=None, median=3.0, lower_quartile=3.0, upper_quartile=3.0)
    every = [1, 2, 4, 5, 3, 2, 2]
    overall = result.overall.spread
    assert overall.sd == pytest.approx(np.std(every, ddof=1))
    assert (overall.lower_quartile, overall.median, overall.upper_quartile) == tuple(
        np.quantile(every, [0.25, 0.5, 0.75]))
    b = result.role("b").spread_as_target  # a -> b and c -> b
    assert b.median == np.median([1, 2, 4, 5, 2, 2])
    a = result.role("a").spread_as_rater  # a -> b and a -> c
    assert a.upper_quartile == np.quantile([1, 2, 4, 5, 3], 0.75)
    assert result.role("b").spread_as_rater == Spread()  # b rates nobody
    mapping = result.overall.to_mapping()
    assert list(mapping)[-4:] == ["sd", "median", "lower_quartile", "upper_quartile"]


def test_spreads_leave_out_the_self_tie_and_uncounted_ratings() -> None:
    rows: list[Row] = [("a0", "a", "a", "w", [1] * 7), ("a0", "a", "b", "w", [4] * 7),
                       ("a1", "a", "b", "w", [5, 5, 5, 5, np.nan, np.nan, np.nan])]
    result = scores(make_study(rows))  # a1 answered 4 of 7 items: not counted
    assert result.role("a").spread_as_rater == Spread(sd=None, median=4.0,
                                                      lower_quartile=4.0, upper_quartile=4.0)
    assert result.overall.spread.median == 2.5  # the self-tie counts in the network


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(1, 35)), min_size=1, max_size=60))
def test_grouped_spreads_equal_numpy_per_group(data: list[tuple[int, int]]) -> None:
    groups = np.array([g for g, _ in data], dtype=np.int64)
    values = np.array([v / 7 for _, v in data])
    got = grouped_spreads(values, groups, 5)
    for g in range(5):
        x = values[groups == g]
        if not len(x):
            assert got[g] == Spread()
            continue
        q1, median, q3 = np.quantile(x, [0.25, 0.5, 0.75])
        assert got[g].median == median
        assert got[g].lower_quartile == q1
        assert got[g].upper_quartile == q3
        alone = spread_of(x)
        assert (alone.median, alone.lower_quartile) == (median, q1)
        if len(x) > 1:
            assert got[g].sd == pytest.approx(x.std(ddof=1), abs=1e-12)
            assert alone.sd == pytest.approx(x.std(ddof=1), abs=1e-12)


def test_suppressed_figures_have_no_spread() -> None:
    rows: list[Row] = [(f"a{i}", "a", "b", "w", [3 + i % 2] * 7) for i in range(5)]
    rows += [("c0", "c", "b", "w", [2] * 7), ("c1", "c", "b", "w", [5] * 7)]
    analysis = analyze(make_study(rows))  # min_respondents 5: c -> b is withheld
    data = analysis.to_mapping()
    ties = {(t["source"], t["target"]): t for t in data["ties"]}
    assert ties[("c", "b")]["suppressed"] is True
    assert ties[("c", "b")]["sd"] is None
    assert ties[("c", "b")]["n_ratings"] is None
    assert ties[("a", "b")]["median"] == 3.0
    roles = {r["id"]: r for r in data["roles"]}
    assert roles["c"]["median_as_rater"] is None
    # the role keys that were there keep their order; the spreads come last
    assert list(roles["a"])[-8:] == [
        "sd_as_rater", "median_as_rater", "lower_quartile_as_rater", "upper_quartile_as_rater",
        "sd_as_target", "median_as_target", "lower_quartile_as_target",
        "upper_quartile_as_target"]
    jsonschema.Draft202012Validator(analysis_schema()).validate(data)


@settings(max_examples=25)
@given(studies(max_roles=4, max_waves=2))
def test_spread_describes_the_counted_scores(study: Study) -> None:
    result = scores(study)
    per = respondent_tie_scores(study, min_items=result.min_items)
    values = per.rc[per.counted]
    overall = result.overall.spread
    if not len(values):
        assert overall == Spread()
        return
    assert overall.median == pytest.approx(float(np.median(values)))
    assert overall.lower_quartile is not None
    assert overall.upper_quartile is not None
    assert overall.lower_quartile <= overall.median <= overall.upper_quartile  # type: ignore[operator]
    for tie in result.ties:
        if tie.rc is not None:
            assert tie.n_ratings is not None
            assert tie.n_respondents is not None
            assert 1 <= tie.n_respondents <= tie.n_ratings
            assert tie.spread.median is not None
