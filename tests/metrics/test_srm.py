"""The Social Relations Model: properties, planted effects, and two independent computations.

- A dense REML likelihood written from the textbook formula (Searle, Casella & McCulloch
  1992, chapter 6: ``V`` built as an ``N x N`` matrix, ``P = V^-1 - V^-1 X (X'V^-1X)^-1
  X'V^-1``) and maximised with scipy gives the same variances, BLUPs, criterion and
  standard errors as relcoord's block-eliminated estimator.
- On a balanced design (every respondent of every rater role rates the same target
  roles) REML equals the ANOVA estimator whenever that is positive, so the expected
  mean squares give the variances in closed form.
- Studies with planted effects (:mod:`relcoord.testing.planted`) get them back.
- Properties on any generated study: the shares are proportions that sum to 1, nothing is
  NaN, and relabelling the roles or reordering the ratings changes nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from relcoord import Metadata, Ratings, Respondent, Role, Study, load_example
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.srm import (
    COMPONENT_ORDER,
    MODEL,
    SocialRelations,
    role_system,
    social_relations_model,
)
from relcoord.metrics.srm.criterion import Criterion
from relcoord.metrics.srm.design import SRMDesign, srm_design
from relcoord.metrics.srm.estimate import _identifiable
from relcoord.metrics.srm.reml import fit_reml
from relcoord.privacy import withhold
from relcoord.settings import AnalysisSettings, InvalidSettingsError
from relcoord.testing.planted import FINE_INSTRUMENT, planted_study
from relcoord.testing.strategies import studies

Floats = npt.NDArray[np.float64]
FACTORS = ("rater", "target", "relationship", "respondent")


# --- an independent computation: the dense REML likelihood ----------------------------


def long_data(study: Study, min_items: int) -> tuple[Floats, list[Floats]]:
    """``y`` and the indicator matrices of rater role, target role, tie and respondent, made
    from the rating rows directly (respondent-tie RC counted under ``min_items``, the
    within ties left out)."""
    per = respondent_tie_scores(study, min_items=min_items)
    ratings = study.ratings
    rows = np.flatnonzero(per.counted & (ratings.source != ratings.target))
    source = [study.role_ids[ratings.source[i]] for i in rows]
    target = [study.role_ids[ratings.target[i]] for i in rows]
    person = [ratings.respondents[ratings.respondent[i]] if ratings.respondent[i] >= 0
              else f"row {i}" for i in rows]
    tie = [f"{s} -> {t}" for s, t in zip(source, target, strict=True)]
    return per.rc[rows], [_indicators(f) for f in (source, target, tie, person)]


def floats(values: Sequence[float | None]) -> Floats:
    """``values`` as an array (``None``: NaN)."""
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def _indicators(labels: Sequence[str]) -> Floats:
    _, codes = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    z = np.zeros((len(labels), int(codes.max()) + 1))
    z[np.arange(len(labels)), codes] = 1.0
    return z


def dense_parts(y: Floats, zs: list[Floats], variances: Floats, residual: float
                ) -> tuple[Floats, Floats, Floats]:
    """``V``, ``V^-1`` and ``P`` of the model."""
    n = len(y)
    v = residual * np.eye(n) + sum(s2 * z @ z.T for s2, z in zip(variances, zs, strict=True))
    vi = np.linalg.inv(v)
    x = np.ones((n, 1))
    p = vi - vi @ x @ np.linalg.inv(x.T @ vi @ x) @ x.T @ vi
    return v, vi, p


def dense_criterion(y: Floats, zs: list[Floats], variances: Floats, residual: float) -> float:
    """``-2 l_R`` from its definition."""
    v, vi, p = dense_parts(y, zs, variances, residual)
    x = np.ones((len(y), 1))
    return float(np.linalg.slogdet(v)[1] + np.linalg.slogdet(x.T @ vi @ x)[1] + y @ p @ y
                 + (len(y) - 1) * math.log(2 * math.pi))


def dense_fit(y: Floats, zs: list[Floats]) -> Floats:
    """The REML variances (factors, then residual), maximised over log-variances with BFGS
    and polished by Newton steps on a central-difference Hessian."""
    k = len(zs)

    def f(lv: Floats) -> float:
        return dense_criterion(y, zs, np.exp(lv[:k]), float(np.exp(lv[k])))

    x = optimize.minimize(f, np.full(k + 1, math.log(np.var(y) / (k + 1))), method="BFGS").x
    h = 1e-4
    eye = np.eye(k + 1) * h
    for _ in range(20):
        grad = np.array([(f(x + e) - f(x - e)) / (2 * h) for e in eye])
        hess = np.array([[(f(x + a + b) - f(x + a - b) - f(x - a + b) + f(x - a - b))
                          / (4 * h * h) for b in eye] for a in eye])
        step = np.linalg.solve(hess, grad)
        x = x - step
        if np.abs(step).max() < 1e-8:  # the next step would be about its square
            break
    return np.exp(x)


def dense_blups(y: Floats, zs: list[Floats], variances: Floats, residual: float
                ) -> list[Floats]:
    """``s2_c Z_c' V^-1 (y - X mu_GLS)`` for every factor (Searle et al. 1992, ch. 7)."""
    _, _, p = dense_parts(y, zs, variances, residual)
    return [s2 * z.T @ p @ y for s2, z in zip(variances, zs, strict=True)]


def dense_covariance(y: Floats, zs: list[Floats], variances: Floats, residual: float
                     ) -> Floats:
    """``2 H^-1`` with ``H`` the analytic Hessian of ``-2 l_R`` in the variances:
    ``H_cd = -tr(P V_c P V_d) + 2 y'P V_c P V_d P y``."""
    _, _, p = dense_parts(y, zs, variances, residual)
    derivs = [z @ z.T for z in zs] + [np.eye(len(y))]
    pv = [p @ d for d in derivs]
    py = p @ y
    hess = np.array([[-np.trace(a @ b) + 2 * py @ da @ p @ db @ py
                      for b, db in zip(pv, derivs, strict=True)]
                     for a, da in zip(pv, derivs, strict=True)])
    return np.asarray(2 * np.linalg.inv(hess), dtype=np.float64)


@pytest.fixture(scope="module")
def small() -> Study:
    """A small unbalanced study with every component well inside its range."""
    return planted_study(n_roles=6, n_respondents=40, n_absent=1, seed=5, variances={
        "rater": 0.2, "target": 0.3, "relationship": 0.2, "respondent": 0.1, "residual": 0.2,
    }).study


def test_criterion_equals_the_dense_likelihood(small: Study) -> None:
    y, zs = long_data(small, 5)
    criterion = Criterion(srm_design(small, min_items=5), [True] * 4)
    rng = np.random.default_rng(1)
    for _ in range(5):
        theta = rng.uniform(0.0, 2.0, 4)
        s2_e = float(rng.uniform(0.1, 1.0))
        mine = criterion.unprofiled(theta, s2_e)
        assert mine == pytest.approx(dense_criterion(y, zs, theta**2 * s2_e, s2_e), rel=1e-10)


def test_estimates_equal_the_dense_maximum(small: Study) -> None:
    y, zs = long_data(small, 5)
    result = social_relations_model(small, min_items=5)
    dense = dense_fit(y, zs)
    mine = np.array([result.components[c].variance for c in (*FACTORS, "residual")])
    assert result.converged
    np.testing.assert_allclose(mine, dense, rtol=1e-6)
    assert result.reml_criterion == pytest.approx(
        dense_criterion(y, zs, dense[:4], float(dense[4])), rel=1e-10)


def test_effects_and_standard_errors_equal_the_dense_formulas(small: Study) -> None:
    y, zs = long_data(small, 5)
    result = social_relations_model(small, min_items=5)
    variances = np.array([result.components[c].variance for c in FACTORS], dtype=np.float64)
    residual = float(result.components["residual"].variance)  # type: ignore[arg-type]
    rater, target, tie, _ = dense_blups(y, zs, variances, residual)
    # the dense factors' levels are sorted labels: roles by id, ties by "source -> target"
    raters = [r for r in result.roles if r.rater is not None]
    targets = [r for r in result.roles if r.target is not None]
    np.testing.assert_allclose(floats([r.rater for r in raters]), rater, atol=1e-9)
    np.testing.assert_allclose(floats([r.target for r in targets]), target, atol=1e-9)
    by_label = sorted(result.ties, key=lambda t: f"{t.source} -> {t.target}")
    np.testing.assert_allclose(floats([t.relationship for t in by_label]), tie, atol=1e-9)
    se = np.sqrt(np.diagonal(dense_covariance(y, zs, variances, residual)))
    mine = [result.components[c].variance_se for c in (*FACTORS, "residual")]
    np.testing.assert_allclose(np.asarray(mine, dtype=np.float64), se, rtol=1e-3)


# --- a second independent computation: ANOVA on a balanced design ----------------------


def balanced_study(n_sources: int, n_targets: int, per_role: int, seed: int) -> Study:
    """Every respondent of each of ``n_sources`` rater roles rates the same ``n_targets``
    (absent) roles once, on the finely scored item."""
    rng = np.random.default_rng(seed)
    sources = [f"s{i}" for i in range(n_sources)]
    targets = [f"t{j}" for j in range(n_targets)]
    a = rng.normal(0, 0.6, n_sources)
    b = rng.normal(0, 0.5, n_targets)
    g = rng.normal(0, 0.5, (n_sources, n_targets))
    people, person_role = [], []
    for i in range(n_sources):
        for m in range(per_role):
            people.append(f"p{i}-{m}")
            person_role.append(i)
    n_people = len(people)
    p = rng.normal(0, 0.4, n_people)
    person = np.repeat(np.arange(n_people), n_targets)
    source = np.asarray(person_role)[person]
    target = np.tile(np.arange(n_targets), n_people)
    latent = 5 + a[source] + b[target] + g[source, target] + p[person]
    latent += rng.normal(0, 0.45, len(person))
    scores = np.round(np.clip(latent, 0, 10) * 100) / 100
    roles = sources + targets
    return Study(
        metadata=Metadata(id="balanced"), instrument=FINE_INSTRUMENT,
        roles=[Role(r, r, present=r in sources) for r in roles],
        respondents=[Respondent(x, sources[i]) for x, i in zip(people, person_role,
                                                                strict=True)],
        ratings=Ratings.from_arrays(
            source=source, target=target + n_sources, respondent=person, respondents=people,
            scores=scores.reshape(-1, 1), dimensions=FINE_INSTRUMENT.keys, roles=roles,
        ),
    )


def anova_estimates(study: Study) -> dict[str, float]:
    """The ANOVA (expected mean squares) estimator of the balanced design: S rater roles,
    T targets, m respondents per role, respondents nested in rater roles, each rating
    every target once (Searle et al. 1992, chapter 4)."""
    ratings = study.ratings
    y = ratings.scores[:, 0]
    s_codes, t_codes = ratings.source, ratings.target
    n_s, n_t = len(np.unique(s_codes)), len(np.unique(t_codes))
    cube = np.empty((n_s, 0, n_t))
    per_role = len(y) // (n_s * n_t)
    order = np.lexsort((t_codes, ratings.respondent, s_codes))
    cube = y[order].reshape(n_s, per_role, n_t)
    grand = cube.mean()
    m_s = cube.mean(axis=(1, 2))
    m_t = cube.mean(axis=(0, 1))
    m_st = cube.mean(axis=1)
    m_p = cube.mean(axis=2)
    ms_s = per_role * n_t * ((m_s - grand) ** 2).sum() / (n_s - 1)
    ms_t = n_s * per_role * ((m_t - grand) ** 2).sum() / (n_t - 1)
    inter = m_st - m_s[:, None] - m_t[None, :] + grand
    ms_st = per_role * (inter**2).sum() / ((n_s - 1) * (n_t - 1))
    ms_p = n_t * ((m_p - m_s[:, None]) ** 2).sum() / (n_s * (per_role - 1))
    resid = cube - m_p[:, :, None] - m_st[:, None, :] + m_s[:, None, None]
    ms_e = (resid**2).sum() / (n_s * (per_role - 1) * (n_t - 1))
    s2_g = (ms_st - ms_e) / per_role
    s2_p = (ms_p - ms_e) / n_t
    return {
        "residual": ms_e,
        "respondent": s2_p,
        "relationship": s2_g,
        "target": (ms_t - ms_st) / (n_s * per_role),
        "rater": (ms_s - ms_st - ms_p + ms_e) / (per_role * n_t),
    }


@pytest.mark.parametrize("seed", [3, 11])
def test_balanced_design_equals_anova(seed: int) -> None:
    study = balanced_study(n_sources=6, n_targets=5, per_role=8, seed=seed)
    expected = anova_estimates(study)
    assert all(v > 0 for v in expected.values())  # else REML and ANOVA differ
    result = social_relations_model(study, min_items=1)
    for name, value in expected.items():
        assert result.components[name].variance == pytest.approx(value, rel=1e-6), name


# --- planted effects --------------------------------------------------------------------


def test_planted_effects_are_recovered() -> None:
    """30 roles, 3000 respondents, ratings on a nearly continuous scale.  The respondent
    and residual variances rest on thousands of levels and must come back closely; the
    role-level ones on 26-30 roles, so they are compared with the variance of the effects
    actually drawn, and the BLUPs with the drawn effects."""
    planted = planted_study(n_roles=30, n_respondents=3000, n_absent=4, seed=1, scale="fine",
                            variances={"rater": 0.2, "target": 0.3, "relationship": 0.25,
                                       "respondent": 0.15, "residual": 0.2})
    result = social_relations_model(planted.study)
    assert result.converged
    est = {name: result.components[name].variance for name in COMPONENT_ORDER}
    assert est["respondent"] == pytest.approx(0.15, rel=0.05)
    assert est["residual"] == pytest.approx(0.2, rel=0.03)  # + rounding to 0.01: 1e-5
    drawn = {
        "rater": np.array(list(planted.rater.values())),
        "target": np.array(list(planted.target.values())),
        "relationship": np.array(list(planted.relationship.values())),
    }
    assert est["relationship"] == pytest.approx(drawn["relationship"].var(ddof=1), rel=0.1)
    assert est["rater"] == pytest.approx(drawn["rater"].var(ddof=1), rel=0.25)
    assert est["target"] == pytest.approx(drawn["target"].var(ddof=1), rel=0.25)
    blups = {
        "rater": [result.role(r).rater for r in planted.rater],
        "target": [result.role(r).target for r in planted.target],
        "relationship": [result.tie(s, t).relationship for s, t in planted.relationship],
    }
    for name, values in blups.items():
        assert np.corrcoef(np.asarray(values, dtype=np.float64), drawn[name])[0, 1] > 0.9
    assert result.n_rater_roles == len(planted.rater)
    assert result.n_target_roles == len(planted.target)
    assert result.n_respondents == 3000


def test_standard_errors_cover_the_planted_respondent_variance() -> None:
    planted = planted_study(n_roles=10, n_respondents=600, seed=4, scale="fine")
    result = social_relations_model(planted.study)
    component = result.components["respondent"]
    assert component.variance is not None
    assert component.variance_se is not None
    assert abs(component.variance - 0.05) < 2.5 * component.variance_se
    assert component.share_se is not None
    assert 0 < component.share_se < 0.1


# --- the example, the design choices ---------------------------------------------------


@pytest.fixture(scope="module")
def example_model() -> SocialRelations:
    return social_relations_model(load_example())


def test_example_counts_and_json(example_model: SocialRelations) -> None:
    data = example_model.to_mapping()
    text = json.dumps(data, allow_nan=False)
    assert "NaN" not in text
    assert data["estimator"] == "REML"
    assert data["model"] == MODEL
    assert set(data["variance_shares"]) == set(COMPONENT_ORDER)
    assert sum(v for v in data["variance_shares"].values() if v is not None) == \
        pytest.approx(1.0, abs=1e-12)
    assert data["n_ratings"] == 561
    assert data["n_not_counted"] == 3
    assert data["n_roles"] == 24
    assert data["n_rater_roles"] == 13
    assert data["n_respondents"] == 100
    assert data["n_ties"] == 86
    role = data["effects"]["roles"][0]
    assert {"role", "rater", "target", "received_rc", "received_rc_adjusted"} <= set(role)
    assert {"source", "target", "relationship"} <= set(data["effects"]["ties"][0])
    assert set(data["reciprocity"]) == {"generalized", "dyadic"}


def test_absent_roles_are_targets_only(example_model: SocialRelations) -> None:
    study = load_example()
    absent = [r.id for r in study.roles if not r.present]
    assert absent
    for role_id in absent:
        effects = example_model.role(role_id)
        assert effects.rater is None
        assert effects.n_given == 0
        assert effects.target is not None
        assert effects.n_received > 0


def test_received_rc_adjusted_takes_the_raters_leniency_off() -> None:
    # every respondent rates one role: no respondent effect, the leniency is the role's
    planted = planted_study(n_roles=8, n_respondents=300, response=0.0, seed=8)
    study = planted.study
    result = social_relations_model(study, min_items=7)
    assert not result.components["respondent"].fitted
    for effects in result.roles:
        rows = [r for r in study.ratings if r.target == effects.role]
        if not rows:
            continue
        raw = [float(np.mean(list(r.scores.values()))) for r in rows]
        adjusted = [y - (result.role(r.source).rater or 0.0) for y, r in zip(raw, rows,
                                                                               strict=True)]
        assert effects.received_rc == pytest.approx(np.mean(raw), rel=1e-12)
        assert effects.received_rc_adjusted == pytest.approx(np.mean(adjusted), rel=1e-12)
        assert effects.n_received == len(rows)


def test_reciprocity_is_the_correlation_of_the_effects() -> None:
    planted = planted_study(n_roles=9, n_respondents=300, n_absent=1, coverage=0.9, seed=2)
    result = social_relations_model(planted.study)
    both = [r for r in result.roles if r.rater is not None and r.target is not None]
    expected = np.corrcoef(floats([r.rater for r in both]), floats([r.target for r in both]))[0, 1]
    assert result.generalized_reciprocity.n == len(both)
    assert result.generalized_reciprocity.r == pytest.approx(expected, abs=1e-12)
    ties = {(t.source, t.target): t.relationship for t in result.ties}
    pairs = [(s, t) for s, t in ties if s < t and (t, s) in ties]
    first = [ties[p] for p in pairs] + [ties[(p[1], p[0])] for p in pairs]
    second = [ties[(p[1], p[0])] for p in pairs] + [ties[p] for p in pairs]
    assert result.dyadic_reciprocity.n == len(pairs)
    expected = np.corrcoef(floats(first), floats(second))[0, 1]
    assert result.dyadic_reciprocity.r == pytest.approx(expected, abs=1e-12)


def test_perception_gap_adds_up() -> None:
    planted = planted_study(n_roles=6, n_respondents=150, n_absent=0, coverage=1.0, seed=6)
    result = social_relations_model(planted.study)
    gap = result.perception_gap("role-00", "role-01")
    assert gap is not None
    forward, backward = result.tie("role-00", "role-01"), result.tie("role-01", "role-00")
    assert gap.difference == pytest.approx(forward.rc - backward.rc, abs=1e-12)
    assert gap.rater + gap.target + gap.relationship + gap.respondents == \
        pytest.approx(gap.difference, abs=1e-12)
    assert gap.rater == pytest.approx(
        result.role("role-00").rater - result.role("role-01").rater)  # type: ignore[operator]
    assert result.perception_gap("role-00", "nobody") is None


def test_within_ties_are_left_out_unless_asked_for() -> None:
    planted = planted_study(n_roles=6, n_respondents=120, within=True, seed=9)
    study = planted.study
    own = int(np.count_nonzero(study.ratings.source == study.ratings.target))
    assert own > 0
    without = social_relations_model(study)
    with_own = social_relations_model(study, within=True)
    assert without.n_within_left_out == own
    assert not without.within
    assert with_own.n_within_left_out == 0
    assert with_own.within
    assert with_own.n_ratings == without.n_ratings + own
    assert all(t.source != t.target for t in without.ties)
    assert any(t.source == t.target for t in with_own.ties)


def test_min_items_decides_which_ratings_count() -> None:
    study = load_example()
    default = social_relations_model(study)
    assert default.min_items == AnalysisSettings().items_needed(study.instrument)
    strict = social_relations_model(study, min_items=4)
    assert strict.n_ratings < default.n_ratings
    assert strict.n_not_counted == len(study.ratings) - strict.n_ratings
    assert social_relations_model(study, settings=AnalysisSettings(min_items=4)) == strict
    with pytest.raises(InvalidSettingsError):
        social_relations_model(study, min_items=5)


def test_published_study_leaves_withheld_ties_out() -> None:
    study = load_example()
    settings = AnalysisSettings()
    published, summary = withhold(study, settings)
    result = social_relations_model(published, settings=settings)
    assert summary.ratings_withheld > 0
    kept = {(study.role_ids[s], study.role_ids[t]) for s, t in
            zip(published.ratings.source, published.ratings.target, strict=True)}
    assert {(t.source, t.target) for t in result.ties} <= kept
    assert result.n_ratings < social_relations_model(study).n_ratings


def test_components_the_data_cannot_separate_are_not_fitted() -> None:
    # one rater role: no rater variance; every respondent rates once: no respondent effect
    planted = planted_study(n_roles=5, n_respondents=60, n_absent=4, coverage=1.0,
                            response=0.0, seed=3)
    result = social_relations_model(planted.study)
    assert not result.components["rater"].fitted
    assert result.components["rater"].share is None
    assert not result.components["respondent"].fitted
    assert result.model == "rc ~ 1 + (1 | target)"
    fitted = [c.share for c in result.components.values() if c.fitted]
    assert sum(fitted) == pytest.approx(1.0)  # type: ignore[arg-type]
    assert all(r.rater is None for r in result.roles)


@pytest.mark.parametrize("ratings", [0, 1])
def test_too_little_data_is_said_not_estimated(ratings: int) -> None:
    study = load_example()
    small = attrs.evolve(study, ratings=study.ratings.select(np.arange(ratings)))
    result = social_relations_model(small)
    assert result.reason == "fewer than two ratings"
    assert all(v is None for v in result.variance_shares.values())
    json.dumps(result.to_mapping(), allow_nan=False)


def test_equal_ratings_are_said_not_estimated() -> None:
    study = load_example()
    scores = np.full(study.ratings.scores.shape, 4.0)
    flat = attrs.evolve(study, ratings=attrs.evolve(study.ratings, scores=scores))
    assert social_relations_model(flat).reason == "all ratings are equal"


# --- properties on generated studies -----------------------------------------------------


def relabelled(study: Study, seed: int) -> tuple[Study, dict[str, str]]:
    """The same study with every role renamed (so that they sort the other way round) and
    the rating rows shuffled; and the new name of each role."""
    ids = study.role_ids
    rename = {r: f"q{len(ids) - i:03d}-{r}" for i, r in enumerate(ids)}
    ratings = study.ratings
    order = np.random.default_rng(seed).permutation(len(ratings))
    people = np.asarray(["", *ratings.respondents], dtype=object)
    names = np.asarray([rename[r] for r in ids], dtype=object)
    new = Ratings.from_labels(
        source=names[ratings.source[order]].astype(str),
        target=names[ratings.target[order]].astype(str),
        respondent=[p or None for p in people[ratings.respondent[order] + 1]],
        wave=[ratings.waves[w] if w >= 0 else None for w in ratings.wave[order]],
        scores=ratings.scores[order], dimensions=ratings.dimensions,
    )
    renamed = Study(
        metadata=study.metadata, instrument=study.instrument,
        roles=[attrs.evolve(r, id=rename[r.id]) for r in study.roles],
        respondents=[Respondent(p.id, rename[p.role]) for p in study.respondents],
        ratings=new,
    )
    return renamed, rename


def assert_same_model(one: SocialRelations, two: SocialRelations, rename: dict[str, str],
                      tol: float) -> None:
    """The same counts and criterion; the same estimates when the optimum is a proper one
    (on a flat likelihood, which tiny designs can have, any point of the flat part is an
    optimum, and floating-point order decides which one the optimiser stops at)."""
    assert one.n_ratings == two.n_ratings
    assert one.n_ties == two.n_ties
    assert one.reason == two.reason
    assert one.converged == two.converged
    if not one.converged:
        return
    if one.reml_criterion is not None:
        assert two.reml_criterion == pytest.approx(one.reml_criterion, rel=1e-9, abs=1e-9)
    for name in COMPONENT_ORDER:
        a, b = one.components[name], two.components[name]
        assert a.fitted == b.fitted, name
        if a.variance is None:
            assert b.variance is None
        else:
            assert b.variance == pytest.approx(a.variance, rel=tol, abs=tol), name
    for role in one.roles:
        other = two.role(rename[role.role])
        for field in ("rater", "target", "received_rc_adjusted"):
            x, y = getattr(role, field), getattr(other, field)
            assert (x is None) == (y is None)
            if x is not None:
                assert y == pytest.approx(x, rel=tol, abs=tol), field
    for tie in one.ties:
        other_tie = two.tie(rename[tie.source], rename[tie.target])
        if tie.relationship is not None:
            assert other_tie.relationship == pytest.approx(tie.relationship, rel=tol, abs=tol)


@given(studies(max_roles=5, max_respondents=10, max_ratings=30, instrument="rc7",
               with_ties=False, with_invitations=False))
def test_shares_are_proportions_of_the_whole(study: Study) -> None:
    result = social_relations_model(study, min_items=1)
    json.dumps(result.to_mapping(), allow_nan=False)
    shares = [c.share for c in result.components.values() if c.fitted]
    if result.reason is not None:
        assert not shares
        return
    assert all(s is not None and -1e-12 <= s <= 1 + 1e-12 for s in shares)
    assert sum(shares) == pytest.approx(1.0, abs=1e-9)  # type: ignore[arg-type]
    for component in result.components.values():
        assert (component.share is None) == (not component.fitted)
        if component.share_se is not None:
            assert component.share_se >= 0


@given(study=studies(max_roles=5, max_respondents=10, max_ratings=30, instrument="rc7",
                     with_ties=False, with_invitations=False),
       seed=st.integers(0, 2**16))
def test_relabelling_roles_and_reordering_rows_changes_nothing(study: Study, seed: int
                                                                 ) -> None:
    renamed, rename = relabelled(study, seed)
    assert_same_model(social_relations_model(study, min_items=1),
                      social_relations_model(renamed, min_items=1), rename, tol=1e-5)


@settings(max_examples=15)
@given(seed=st.integers(0, 2**16), n_roles=st.integers(3, 8),
       n_respondents=st.integers(20, 80))
def test_relabelling_a_planted_study_changes_nothing(seed: int, n_roles: int,
                                                      n_respondents: int) -> None:
    study = planted_study(n_roles=n_roles, n_respondents=n_respondents, n_absent=1,
                          seed=seed).study
    renamed, rename = relabelled(study, seed)
    assert_same_model(social_relations_model(study), social_relations_model(renamed),
                      rename, tol=1e-6)


# --- the banded role system against the dense reference --------------------------------


def _assert_fits_equal(design: SRMDesign, tol: float = 1e-10) -> None:
    fitted = _identifiable(design)
    banded = fit_reml(design, fitted, solver="banded")
    dense = fit_reml(design, fitted, solver="dense")
    assert banded.evaluations == dense.evaluations
    assert banded.converged == dense.converged
    assert banded.criterion == pytest.approx(dense.criterion, rel=tol, abs=tol)
    np.testing.assert_allclose(banded.variances, dense.variances, rtol=tol, atol=tol)
    assert banded.residual == pytest.approx(dense.residual, rel=tol, abs=tol)
    np.testing.assert_allclose(banded.covariance, dense.covariance, rtol=1e-8, atol=tol)
    for name in ("rater", "target", "tie", "unit"):
        np.testing.assert_allclose(getattr(banded.solution, name),
                                   getattr(dense.solution, name), rtol=tol, atol=tol)
    assert banded.solution.mu == pytest.approx(dense.solution.mu, rel=tol, abs=tol)


def _local_study(n_roles: int, per_role: int, per_respondent: int, seed: int) -> Study:
    """Roles rating roles near their own (a band), as large organisations do."""
    rng = np.random.default_rng(seed)
    roles = [Role(f"r{i:03d}", f"R{i}") for i in range(n_roles)]
    owner = np.repeat(np.arange(n_roles), per_role)
    people = [Respondent(f"p{j:04d}", roles[owner[j]].id) for j in range(len(owner))]
    respondent = np.repeat(np.arange(len(owner)), per_respondent)
    offset = np.concatenate([rng.choice(np.r_[-4:0, 1:5], per_respondent, replace=False)
                             for _ in owner])
    source = owner[respondent]
    target = (source + offset) % n_roles
    level = 3 + rng.normal(0, 0.3, n_roles)[source] + rng.normal(0, 0.3, n_roles)[target]
    scores = np.clip(np.rint(level[:, None] + rng.normal(0, 0.7, (len(source), 7))), 1, 5)
    ratings = Ratings.from_arrays(source=source, target=target, scores=scores,
                                  dimensions=DIMENSION_KEYS, roles=[r.id for r in roles],
                                  respondent=respondent, respondents=[p.id for p in people])
    return Study(metadata=Metadata(id="band"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


@pytest.mark.parametrize("min_panel", [1, 3, 48])
def test_banded_role_system_equals_the_dense_one(min_panel: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The banded system (many panels with a small minimum) gives the dense system's
    criterion, gradient, solution and fit to 1e-10."""
    monkeypatch.setattr(role_system, "_MIN_PANEL", min_panel)
    for study in (_local_study(40, 3, 4, seed=1),
                  planted_study(n_roles=12, n_respondents=90, coverage=0.25, seed=7).study,
                  load_example()):
        design = srm_design(study, min_items=4)
        fitted = _identifiable(design)
        banded = Criterion(design, fitted, solver="banded")
        dense = Criterion(design, fitted, solver="dense")
        for theta in ([1.0, 1.0, 1.0, 1.0], [0.3, 0.7, 1.3, 0.5], [0.0, 0.7, 1.3, 0.5],
                      [0.3, 0.0, 0.0, 0.5], [-0.4, 0.2, 0.9, 0.0]):
            t = np.asarray(theta)
            value, gradient = banded.with_gradient(t)
            expected_value, expected_gradient = dense.with_gradient(t)
            assert value == pytest.approx(expected_value, rel=1e-12)
            np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-9, atol=1e-9)
            one, two = banded.solve(t), dense.solve(t)
            for name in ("rater", "target", "tie", "unit"):
                np.testing.assert_allclose(getattr(one, name), getattr(two, name),
                                           rtol=1e-10, atol=1e-12)
        _assert_fits_equal(design)


def test_banded_panels_are_block_tridiagonal() -> None:
    """Every block's targets lie in one panel or two neighbouring ones, and a band of 40
    roles splits into several panels."""
    design = srm_design(_local_study(200, 2, 4, seed=3), min_items=4)
    banded = Criterion(design, _identifiable(design), solver="banded")._system
    assert isinstance(banded, role_system.BandedRoleSystem)
    assert banded.n_panels > 3
    assert banded.bounds[-1] == len(design.targets)
    auto = Criterion(design, _identifiable(design))._system  # 400 effects: dense
    assert isinstance(auto, role_system.DenseRoleSystem)


@settings(max_examples=40)
@given(study=studies(max_roles=6, max_respondents=10, max_ratings=40, instrument="rc7",
                     with_ties=False, with_invitations=False),
       theta=st.lists(st.floats(0.0, 3.0), min_size=4, max_size=4))
def test_banded_equals_dense_on_any_study(study: Study, theta: list[float]) -> None:
    """Whatever the design (one target, disconnected targets, within ties, absent roles),
    the banded role system, one panel per breadth-first level, gives the dense one's
    criterion and gradient."""
    design = srm_design(study, min_items=1, within=True)
    if design.n < 2 or not design.spread > 0:
        return
    fitted = _identifiable(design)
    t = np.asarray(theta)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(role_system, "_MIN_PANEL", 1)
        value, gradient = Criterion(design, fitted, solver="banded").with_gradient(t)
    expected, expected_gradient = Criterion(design, fitted, solver="dense").with_gradient(t)
    if not math.isfinite(expected):
        assert not math.isfinite(value)
        return
    assert value == pytest.approx(expected, rel=1e-10, abs=1e-10)
    np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-8, atol=1e-8)
