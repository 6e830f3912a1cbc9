"""The minimal detectable change and the bootstrap of a figure under each weighting.

An aggregate RC figure is a weighted mean sum_i w_i x_i of respondent-tie scores (weights
summing to 1): 1/N each under ``respondent``, 1/(T n_t) under ``tie``, 1/(G n_g) under
``group``.  With independent measurement errors of variance SEM^2 its error has variance
SEM^2 sum_i w_i^2, so the MDC of a change between waves A and B is
z SEM sqrt(sum_A w_i^2 + sum_B w_i^2) (Kish 1965: 1 / sum w_i^2 is the effective number of
scores), not z SEM sqrt(1/n_A + 1/n_B) with n the number of ratings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from relcoord import Metadata, Ratings, Respondent, Role, Study, analyze
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.waves import compare_waves
from relcoord.settings import AnalysisSettings, Weighting

Z95 = 1.959963984540054
Row = tuple[str, str, str, str, Sequence[float]]  # respondent, source, target, wave, items


def study_of(rows: Sequence[Row], roles: Sequence[str] = ("a", "c", "t")) -> Study:
    """A study of ``rows``; the people's roles are their rows' source roles."""
    people = {r[0]: r[1] for r in rows}
    return Study(
        metadata=Metadata(id="mdc"), instrument="rc7",
        roles=[Role(r, r.upper()) for r in roles],
        respondents=[Respondent(p, s) for p, s in people.items()],
        ratings=Ratings.from_labels(
            source=[r[1] for r in rows], target=[r[2] for r in rows],
            respondent=[r[0] for r in rows], wave=[r[3] for r in rows],
            scores=np.array([list(r[4]) for r in rows], dtype=np.float64),
            dimensions=DIMENSION_KEYS,
        ),
    )


def minimal_case() -> Study:
    """Roles a (20 raters) and c (5 raters) rate t in two waves, the same people in both.

    The data is derived so that the issue's figures come out (the issue gives the design
    and the two MDCs, not the answers):

    Wave w1, RC of each rating (item sums in sevenths): a01-a09 answer 3 on every item
    (RC 3 = 21/7), a10-a12 answer 4, 4, 4, 4, 4, 3, 3 (26/7), a13-a20 and c1-c5 answer
    5, 5, 5, 4, 4, 4, 4 (31/7).  So 9 scores at 21/7, 3 at 26/7 and 13 at 31/7; in
    sevenths the sum of squared differences over all pairs is
    9*3*5^2 + 3*13*5^2 + 9*13*10^2 = 13350, and SD^2 = 13350 / (7^2 * 25 * 24) = 89/196.
    With the reliability set to .80 (``mdc_reliability``): SEM^2 = .2 * 89/196 = 89/980,
    SEM = .301357.

    Under ``tie`` weighting the network (and t as target) is the mean of the ties a->t
    (20 scores) and c->t (5 scores): w_i = 1/(2 * 20) for a's scores and 1/(2 * 5) for c's,
    sum w_i^2 = (1/4)(1/20 + 1/5) = 1/16 in each wave (16 effective scores), so
    MDC = 1.95996 * SEM * sqrt(1/16 + 1/16) = 1.95996 * sqrt(89/7840) = 0.20883.  The
    formula for plain means of 25 ratings, 1.95996 * SEM * sqrt(1/25 + 1/25) =
    1.95996 * sqrt(89/12250) = 0.16706, is what was reported.

    Wave w2: every a rater answers one item one point higher (+1/7 each), c1-c3 two items
    (+2/7) and c4-c5 one (+1/7): the tie-weighted change is (1/7 + 8/35) / 2 = 13/70 =
    0.1857, which the reported 0.1671 would have called larger than measurement error and
    the MDC of the weighted mean (0.2088) does not.
    """
    rows: list[Row] = []
    low, middle, high = [3] * 7, [4, 4, 4, 4, 4, 3, 3], [5, 5, 5, 4, 4, 4, 4]
    for i in range(1, 21):
        first = low if i <= 9 else middle if i <= 12 else high
        raised = list(first)
        raised[{0: 0, 1: 5, 2: 3}[0 if i <= 9 else 1 if i <= 12 else 2]] += 1
        rows += [(f"a{i:02d}", "a", "t", "w1", first), (f"a{i:02d}", "a", "t", "w2", raised)]
    for i in range(1, 6):
        raised = list(high)
        for item in ((3, 4) if i <= 3 else (3,)):
            raised[item] += 1
        rows += [(f"c{i}", "c", "t", "w1", high), (f"c{i}", "c", "t", "w2", raised)]
    return study_of(rows)


def test_minimal_case_data_is_as_derived() -> None:
    study = minimal_case()
    assert float(study.ratings.scores.max()) <= 5.0
    result = compare_waves(study, "w1", "w2", n_boot=0, reliability=0.8)
    assert result.sd == pytest.approx(math.sqrt(89 / 196), abs=1e-12)
    assert result.sem == pytest.approx(math.sqrt(89 / 980), abs=1e-12)


def test_mdc_of_the_minimal_case_under_tie_weighting() -> None:
    settings = AnalysisSettings(weighting="tie", mdc_reliability=0.8)
    result = compare_waves(minimal_case(), "w1", "w2", settings=settings, n_boot=0)
    net = result.network
    assert net.mdc is not None
    assert net.mdc == pytest.approx(Z95 * math.sqrt(89 / 7840), abs=1e-12)
    assert round(net.mdc, 4) == 0.2088
    assert (net.n_a, net.n_b) == (25, 25)  # ratings
    assert net.n_eff_a == pytest.approx(16.0)  # effective scores of the weighted mean
    assert net.change == pytest.approx(13 / 70)
    assert net.exceeds_mdc is False  # 0.1857 < 0.2088 (the old 0.1671 said True)
    target = result.role("t").as_target
    assert target.mdc == pytest.approx(net.mdc)
    # a single tie is a plain mean under any weighting: a -> t rests on 20 scores a wave
    rater = result.role("a").as_rater
    assert rater.mdc == pytest.approx(Z95 * math.sqrt(89 / 980) * math.sqrt(2 / 20))
    assert result.tie("c", "t").rc.mdc == pytest.approx(
        Z95 * math.sqrt(89 / 980) * math.sqrt(2 / 5))


@pytest.mark.parametrize(("weighting", "expected"), [
    ("respondent", Z95 * math.sqrt(89 / 12250)),  # plain mean of 25: 0.1671
    ("tie", Z95 * math.sqrt(89 / 7840)),  # mean of two tie means: 0.2088
    ("group", Z95 * math.sqrt(89 / 7840)),  # one tie per rater role: as tie
])
def test_mdc_follows_the_weighting_in_the_analysis(weighting: Weighting, expected: float) -> None:
    analysis = analyze(minimal_case(), weighting=weighting, compare=("w1", "w2"), n_boot=0,
                       mdc_reliability=0.8)
    assert analysis.change is not None
    assert analysis.change.reliability == 0.8
    assert analysis.change.reliability_source == "given"
    assert analysis.change.network.mdc == pytest.approx(expected, abs=1e-12)
    data = analysis.to_mapping()["change"]
    assert data["network"]["mdc"] == pytest.approx(expected, abs=1e-12)
    assert "n_eff" in data["mdc"]["formula"]


def test_group_weighting_weighs_each_rater_role_once() -> None:
    # a rates t and u, c rates t: under group weighting the network is the mean of a's
    # mean (over its 2 x 20 scores) and c's (5 scores): sum w^2 = (1/4)(1/40 + 1/5)
    rows: list[Row] = []
    for w in ("w1", "w2"):
        for i in range(20):
            rows += [(f"a{i}", "a", "t", w, [4] * 7), (f"a{i}", "a", "u", w, [2 + i % 3] * 7)]
        rows += [(f"c{i}", "c", "t", w, [3 + i % 2] * 7) for i in range(5)]
    study = study_of(rows, roles=("a", "c", "t", "u"))
    squared = {"respondent": 1 / 45, "tie": (1 / 9) * (1 / 20 + 1 / 20 + 1 / 5),
               "group": (1 / 4) * (1 / 40 + 1 / 5)}
    for weighting, s in squared.items():
        settings = AnalysisSettings(weighting=weighting,  # type: ignore[arg-type]
                                    mdc_reliability=0.5)
        result = compare_waves(study, "w1", "w2", settings=settings, n_boot=0)
        assert result.sem is not None
        assert result.network.mdc == pytest.approx(Z95 * result.sem * math.sqrt(2 * s))
        assert result.network.n_eff_a == pytest.approx(1 / s)


@pytest.mark.parametrize("weighting", ["respondent", "tie", "group"])
def test_bootstrap_spread_is_the_error_of_the_weighted_mean(weighting: str) -> None:
    """Different people in each wave, resampled within their role: the bootstrap variance of
    the network's change is sum over waves and rater roles of (role weight)^2 * s^2 / n
    (s^2 with divisor n, the plug-in variance; Efron & Tibshirani 1993, ch. 5), where the
    role weight is n_r / N under ``respondent`` and 1/2 for each of two one-tie roles under
    ``tie`` and ``group``."""
    rng = np.random.default_rng(5)
    rows: list[Row] = []
    values: dict[tuple[str, str], list[float]] = {}
    for wave in ("w1", "w2"):
        for role, n in (("a", 30), ("c", 6)):
            for i in range(n):
                score = float(rng.integers(1, 6))
                values.setdefault((wave, role), []).append(score)
                rows.append((f"{role}{wave}{i}", role, "t", wave, [score] * 7))
    settings = AnalysisSettings(weighting=weighting)  # type: ignore[arg-type]
    result = compare_waves(study_of(rows), "w1", "w2", settings=settings, n_boot=6000,
                           seed=3)
    expected = 0.0
    for wave in ("w1", "w2"):
        for role in ("a", "c"):
            x = np.array(values[(wave, role)])
            weight = len(x) / 36 if weighting == "respondent" else 0.5
            expected += weight**2 * x.var() / len(x)
    # a normal interval's half-width from the bootstrap's own spread: 1.96 * SE
    assert result.network.ci_low is not None
    assert result.network.ci_high is not None
    half = (result.network.ci_high - result.network.ci_low) / 2
    assert half == pytest.approx(Z95 * math.sqrt(expected), rel=0.08)
