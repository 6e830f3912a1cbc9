"""Change between waves (relcoord.metrics.waves): figures, bootstrap intervals, MDC, arrows."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import InvalidInputError, Metadata, NamedTie, Ratings, Respondent, Role, Study
from relcoord.example import load_example
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.scores import scores
from relcoord.metrics.waves import (
    compare_waves,
    minimal_detectable_change,
    percentile_interval,
)
from relcoord.settings import AnalysisSettings

Row = tuple[str, str, str, str, Sequence[float]]  # respondent, source, target, wave, scores


def make_study(rows: Sequence[Row], ties: Sequence[NamedTie] = ()) -> Study:
    people = {p: s for p, s, _, _, _ in rows}
    return Study(
        metadata=Metadata(id="w"),
        instrument="rc7",
        roles=[Role("a", "A"), Role("b", "B"), Role("c", "C")],
        respondents=[Respondent(p, s) for p, s in people.items()],
        ties=ties,
        ratings=Ratings.from_labels(
            source=[r[1] for r in rows], target=[r[2] for r in rows],
            respondent=[r[0] for r in rows], wave=[r[3] for r in rows],
            scores=np.array([list(r[4]) for r in rows], dtype=np.float64).reshape(-1, 7),
            dimensions=DIMENSION_KEYS,
        ),
    )


def wave_only(study: Study, wave: str) -> Study:
    mask = study.ratings.wave == study.ratings.waves.index(wave)
    return attrs.evolve(study, ratings=study.ratings.select(mask))


# --- the point figures equal the scores of each wave --------------------------------------


@pytest.mark.parametrize("weighting", ["respondent", "tie", "group"])
def test_figures_equal_scores_of_each_wave(weighting: str) -> None:
    study = load_example()
    settings = AnalysisSettings(weighting=weighting)  # type: ignore[arg-type]
    result = compare_waves(study, "konference-1", "konference-3", settings=settings, n_boot=0)
    for side, wave in (("a", "konference-1"), ("b", "konference-3")):
        expected = scores(wave_only(study, wave), settings=settings)
        for name in ("network", "within", "between"):
            figure = expected.overall if name == "network" else getattr(expected, name)
            assert getattr(getattr(result, name), side) == pytest.approx(figure.rc)
        for tie in expected.ties:
            if tie.rc is not None:
                assert getattr(result.tie(tie.source, tie.target).rc, side) == pytest.approx(
                    tie.rc)
        for role in expected.roles:
            change = result.role(role.id)
            assert getattr(change.as_rater, side) == pytest.approx(role.rc_as_rater)
            assert getattr(change.as_target, side) == pytest.approx(role.rc_as_target)


# --- a small example by hand ----------------------------------------------------------------


def hand_study() -> Study:
    # Wave w1: a1, a2 rate b with RC 3 and 4 (tie a->b = 3.5); b1 rates a with 2.
    # Wave w2: a1, a2 rate b with 4 and 5 (tie a->b = 4.5); b1 rates a with 2; c1 rates a 5.
    rows: list[Row] = [
        ("a1", "a", "b", "w1", [3] * 7), ("a2", "a", "b", "w1", [4] * 7),
        ("b1", "b", "a", "w1", [2] * 7),
        ("a1", "a", "b", "w2", [4] * 7), ("a2", "a", "b", "w2", [5] * 7),
        ("b1", "b", "a", "w2", [2] * 7), ("c1", "c", "a", "w2", [5] * 7),
    ]
    ties = [NamedTie("a", "b", "w1"), NamedTie("b", "c", "w1"), NamedTie("a", "c", "w1"),
            NamedTie("a", "b", "w2"), NamedTie("c", "b", "w2"), NamedTie("c", "a", "w2")]
    return make_study(rows, ties)


def test_hand_example_changes_and_arrows() -> None:
    result = compare_waves(hand_study(), "w1", "w2", n_boot=500, seed=1)
    ab = result.tie("a", "b").rc
    assert (ab.a, ab.b, ab.change) == (3.5, 4.5, 1.0)
    assert (ab.n_a, ab.n_b) == (2, 2)
    # a1 and a2 answer in both waves and both rise by exactly 1: every paired replicate
    # gives a change of 1, so the interval is [1, 1]
    assert (ab.ci_low, ab.ci_high) == pytest.approx((1.0, 1.0))
    assert ab.ci_excludes_zero is True
    ca = result.tie("c", "a").rc
    assert (ca.a, ca.b, ca.change, ca.ci_low) == (None, 5.0, None, None)
    # network, respondent-weighted: w1 (3 + 4 + 2) / 3 = 3, w2 (4 + 5 + 2 + 5) / 4 = 4
    assert (result.network.a, result.network.b) == pytest.approx((3.0, 4.0))
    # role a as target: w1 only b1's 2, w2 (2 + 5) / 2 = 3.5
    assert result.role("a").as_target.change == pytest.approx(1.5)
    # arrows: w1 {a->b, b->c, a->c}, w2 {a->b, c->b, c->a}: a->b kept; b->c turned into
    # c->b and a->c into c->a (reversed, not gained and lost); nothing else changed
    assert result.arrows.basis == "arrows"
    assert result.arrows.reversed == (("c", "a"), ("c", "b"))
    assert result.arrows.gained == ()
    assert result.arrows.lost == ()
    assert result.arrows.kept == 1


def test_arrows_gained_and_lost_and_rated_basis() -> None:
    rows: list[Row] = [("a1", "a", "b", "w1", [3] * 7), ("a1", "a", "c", "w2", [3] * 7)]
    ties = [NamedTie("a", "b", "w1"), NamedTie("b", "a", "w1"), NamedTie("a", "c", "w2"),
            NamedTie("b", "a", "w2")]
    arrows = compare_waves(make_study(rows, ties), "w1", "w2", n_boot=0).arrows
    assert arrows.gained == (("a", "c"),)
    assert arrows.lost == (("a", "b"),)
    assert arrows.reversed == ()
    assert arrows.kept == 1
    rated = compare_waves(make_study(rows), "w1", "w2", n_boot=0).arrows
    assert rated.basis == "ratings"
    assert (rated.gained, rated.lost) == ((("a", "c"),), (("a", "b"),))


def test_mdc_by_hand() -> None:
    # SD .8, reliability .84: SEM = .8 * sqrt(.16) = .32; MDC95 = 1.96 * sqrt(2) * .32 = .8870
    # (Weir 2005; de Vet et al. 2006); for two means of 16 scores: .8870 / 4 = .2218
    assert minimal_detectable_change(0.8, 0.84) == pytest.approx(1.96 * math.sqrt(2) * 0.32,
                                                                 rel=1e-4)
    assert minimal_detectable_change(0.8, 0.84, n_a=16, n_b=16) == pytest.approx(
        1.96 * math.sqrt(2) * 0.32 / 4, rel=1e-4)
    assert minimal_detectable_change(0.8, 1.2) is None
    assert minimal_detectable_change(0.8, 0.84, n_a=0, n_b=4) is None


def test_mdc_in_comparison_uses_alpha_of_wave_a() -> None:
    study = load_example()
    result = compare_waves(study, "konference-1", "konference-2", n_boot=0)
    from relcoord.metrics.reliability import scale_alpha
    from relcoord.metrics.scores import respondent_tie_scores

    alpha = scale_alpha(study, "rc", wave="konference-1").alpha
    assert alpha is not None
    assert result.reliability == pytest.approx(alpha)
    assert result.reliability_source == "cronbach_alpha_rc_wave_a"
    per = respondent_tie_scores(study, min_items=result.min_items)
    in_a = per.counted & (study.ratings.wave == study.ratings.waves.index("konference-1"))
    sd = per.rc[in_a].std(ddof=1)
    assert result.sd == pytest.approx(sd)
    assert result.mdc == pytest.approx(1.959964 * math.sqrt(2) * sd * math.sqrt(1 - alpha))
    net = result.network
    assert net.mdc == pytest.approx(
        1.959964 * sd * math.sqrt(1 - alpha) * math.sqrt(1 / net.n_a + 1 / net.n_b))
    given_rel = compare_waves(study, "konference-1", "konference-2", n_boot=0,
                              reliability=0.5)
    assert given_rel.reliability_source == "given"
    assert given_rel.sem == pytest.approx(sd * math.sqrt(0.5))


# --- the bootstrap --------------------------------------------------------------------------


def test_bootstrap_is_seeded_and_reproducible() -> None:
    study = load_example()
    one = compare_waves(study, "konference-1", "konference-2", n_boot=300, seed=7)
    two = compare_waves(study, "konference-1", "konference-2", n_boot=300, seed=7)
    other = compare_waves(study, "konference-1", "konference-2", n_boot=300, seed=8)
    assert one.to_mapping() == two.to_mapping()
    assert one.network.ci_low != other.network.ci_low
    assert one.network.ci_low is not None
    assert one.network.ci_high is not None
    assert one.network.change is not None
    assert one.network.ci_low <= one.network.change <= one.network.ci_high


def test_bootstrap_interval_agrees_with_a_plain_loop() -> None:
    # Independent samples in two waves (different respondents), two rater roles.  A plain
    # Python bootstrap (resample each role's respondents per wave, respondent-weighted
    # network mean) must give nearly the same 95 % limits as the vectorised one.
    rng = np.random.default_rng(3)
    rows: list[Row] = []
    for wave, shift in (("w1", 0), ("w2", 1)):
        for role, target, n in (("a", "b", 12), ("b", "a", 8)):
            for i in range(n):
                score = float(np.clip(rng.integers(1, 5) + shift * rng.integers(0, 2), 1, 5))
                rows.append((f"{role}{wave}{i}", role, target, wave, [score] * 7))
    study = make_study(rows)
    result = compare_waves(study, "w1", "w2", n_boot=4000, seed=11)
    groups: dict[tuple[str, str], list[float]] = {}
    for _, role, _, wave, values in rows:
        groups.setdefault((wave, role), []).append(values[0])
    check = np.random.default_rng(99)
    diffs = []
    for _ in range(4000):
        means = []
        for wave in ("w1", "w2"):
            drawn = [check.choice(groups[(wave, r)], size=len(groups[(wave, r)]))
                     for r in ("a", "b")]
            means.append(np.concatenate(drawn).mean())
        diffs.append(means[1] - means[0])
    low, high = np.percentile(diffs, [2.5, 97.5])
    assert result.network.ci_low == pytest.approx(low, abs=0.06)
    assert result.network.ci_high == pytest.approx(high, abs=0.06)


def test_percentile_interval_matches_numpy() -> None:
    rng = np.random.default_rng(0)
    reps = rng.normal(size=(999, 3))
    reps[::3, 1] = np.nan
    reps[:, 2] = np.nan
    low, high = percentile_interval(reps, 0.9)
    assert low[0] == pytest.approx(np.percentile(reps[:, 0], 5))
    assert high[0] == pytest.approx(np.percentile(reps[:, 0], 95))
    valid = reps[~np.isnan(reps[:, 1]), 1]
    assert (low[1], high[1]) == pytest.approx(tuple(np.percentile(valid, [5, 95])))
    assert np.isnan(low[2])
    assert np.isnan(high[2])


@given(
    st.lists(st.lists(st.integers(1, 4), min_size=7, max_size=7), min_size=2, max_size=8),
    st.sampled_from(["respondent", "tie", "group"]),
)
def test_panel_shift_gives_exact_change_and_degenerate_interval(
    answers: list[list[int]], weighting: str
) -> None:
    # The same respondents answer both waves, each item one point higher in the second:
    # every figure rises by exactly 1 and, resampling respondents as pairs, so does every
    # replicate.
    rows: list[Row] = []
    for i, values in enumerate(answers):
        source, target = ("a", "b") if i % 2 else ("b", "c")
        rows.append((f"p{i}", source, target, "w1", values))
        rows.append((f"p{i}", source, target, "w2", [v + 1 for v in values]))
    settings = AnalysisSettings(weighting=weighting)  # type: ignore[arg-type]
    result = compare_waves(make_study(rows), "w1", "w2", settings=settings, n_boot=50, seed=0)
    figures = [result.network, result.between, *(t.rc for t in result.ties)]
    figures += [r.as_rater for r in result.roles if r.as_rater.change is not None]
    for change in figures:
        assert change.change == pytest.approx(1.0)
        assert change.ci_low == pytest.approx(1.0)
        assert change.ci_high == pytest.approx(1.0)


@given(st.lists(st.lists(st.integers(1, 5), min_size=7, max_size=7), min_size=2, max_size=8))
def test_identical_waves_show_no_change(answers: list[list[int]]) -> None:
    rows: list[Row] = []
    for i, values in enumerate(answers):
        for wave in ("w1", "w2"):
            rows.append((f"p{i}", "a", "b" if i % 3 else "a", wave, values))
    result = compare_waves(make_study(rows), "w1", "w2", n_boot=30, seed=5)
    assert result.network.change == 0.0
    assert (result.network.ci_low, result.network.ci_high) == (0.0, 0.0)
    assert result.arrows.gained == result.arrows.lost == result.arrows.reversed == ()


# --- input and output -----------------------------------------------------------------------


def test_bad_input_is_refused() -> None:
    study = hand_study()
    with pytest.raises(InvalidInputError, match="w9"):
        compare_waves(study, "w1", "w9")
    with pytest.raises(InvalidInputError, match="twice"):
        compare_waves(study, "w1", "w1")
    with pytest.raises(InvalidInputError, match="n_boot"):
        compare_waves(study, "w1", "w2", n_boot=-1)
    with pytest.raises(InvalidInputError, match="confidence"):
        compare_waves(study, "w1", "w2", confidence=1.5)


def test_mapping_is_json_ready() -> None:
    data = compare_waves(load_example(), "konference-1", "konference-3", n_boot=200).to_mapping()
    text = json.dumps(data, allow_nan=False)
    assert "NaN" not in text
    assert data["bootstrap"] == {"n_boot": 200, "seed": 20190101, "confidence": 0.95,
                                 "method": "percentile",
                                 "resampling": "respondents within rater role and wave pattern"}
    assert {"network", "within", "between", "ties", "roles", "arrows", "mdc"} <= set(data)
    assert data["ties"][0].keys() >= {"source", "target", "change", "ci_low", "ci_high", "mdc"}


def test_comparison_with_nothing_comparable_is_empty_not_an_error() -> None:
    """The study knows w1 and w2 only from its ratings, and no tie is rated in both waves:
    the comparison holds no tie change and nothing undefined is shown, rather than
    refusing a wave the study has."""
    from relcoord.analysis import analyze

    study = make_study([("p1", "a", "b", "w1", [4] * 7), ("p1", "a", "a", "w2", [3] * 7)])
    change = analyze(study, compare=("w1", "w2"), min_respondents=1,
                     min_respondents_override=True).change
    assert change is not None
    assert change.ties == ()
    assert change.network.change is None
