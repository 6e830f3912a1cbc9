"""The fast paths of the SRM fit give what their direct definitions give.

The design's codes, the respondents' group sums, the role system on base coordinates, the
closed-form gradient and the optimum from the moment start are each checked against a
plain computation (``tests/metrics/test_srm.py`` checks the estimator itself against a
dense REML likelihood and ``test_srm_r.py`` against lme4).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord import load_example
from relcoord.metrics.srm.criterion import COMPONENTS, Criterion
from relcoord.metrics.srm.design import SRMDesign, _units, srm_design
from relcoord.metrics.srm.estimate import _identifiable, _same_grouping
from relcoord.metrics.srm.reml import _minimise, _moment_start, fit_reml
from relcoord.metrics.srm.role_system import BandedRoleSystem, DenseRoleSystem, extend
from relcoord.model import Study
from relcoord.testing.planted import planted_study

Ints = npt.NDArray[np.int64]


@pytest.fixture(scope="module")
def planted() -> Study:
    """An unbalanced study with every component inside its range."""
    return planted_study(n_roles=8, n_respondents=60, n_absent=1, seed=11, variances={
        "rater": 0.2, "target": 0.3, "relationship": 0.2, "respondent": 0.1, "residual": 0.2,
    }).study


@pytest.fixture(scope="module")
def design(planted: Study) -> SRMDesign:
    return srm_design(planted, min_items=5)


def _codes(values: list[int]) -> Ints:
    return np.unique(np.array(values, dtype=np.int64), return_inverse=True)[1].reshape(-1)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=40))
def test_same_grouping_is_one_pair_per_level(pairs: list[tuple[int, int]]) -> None:
    one = _codes([a for a, _ in pairs])
    two = _codes([b for _, b in pairs])
    expected = (one.max() == two.max()
                and len(np.unique(one * (two.max() + 1) + two)) == one.max() + 1)
    assert _same_grouping(one, two) == expected


def _units_by_pairs(person: Ints, src: Ints) -> Ints:
    """The units as the (respondent, role) pairs that occur, unnamed ratings one each,
    after the named ones in row order: the definition."""
    key = [(0, int(p), int(s)) if p >= 0 else (1, i, 0)
           for i, (p, s) in enumerate(zip(person, src, strict=True))]
    order = sorted(set(key))
    return np.array([order.index(k) for k in key], dtype=np.int64)


@given(st.lists(st.tuples(st.integers(-1, 5), st.integers(0, 3)), min_size=1, max_size=30),
       st.booleans())
def test_units_are_respondents_within_roles(rows: list[tuple[int, int]], one_role: bool
                                            ) -> None:
    person = np.array([p for p, _ in rows], dtype=np.int64)
    src = np.array([s for _, s in rows], dtype=np.int64)
    if one_role:  # the rule: a respondent has one role (the fast path)
        src = np.where(person >= 0, person % 4, src)
    n_units, codes = _units(person, src, 6, 4)
    expected = _units_by_pairs(person, src)
    np.testing.assert_array_equal(codes, expected)
    assert n_units == int(expected.max()) + 1


@pytest.mark.parametrize("order", ["respondents", "auto"])
def test_respondent_group_sums_equal_the_direct_sums(design: SRMDesign, order: str) -> None:
    criterion = Criterion(design, _identifiable(design), order=order)  # type: ignore[arg-type]
    packed = criterion._packed
    people = packed.respondents
    width = packed.base.shape[1] - 1
    unit, tie = design.observations()
    counts = np.zeros((design.n_units, width + 1))
    np.add.at(counts, (unit, design.tie_slot[tie]), 1.0)
    counts[:, width] = people.unit_n
    unit_y = design.unit_y
    if order == "respondents":
        np.testing.assert_array_equal(people.blocks, np.arange(len(design.sources)))
    for b, block in enumerate(people.blocks.tolist()):
        for m in range(people.gram.shape[1]):
            if people.size[b, m] == 0:
                continue
            members = (people.unit_block == block) & (people.unit_n == people.n[b, m])
            dense = counts[members]
            np.testing.assert_allclose(people.group_gram(b, m), dense.T @ dense, rtol=1e-12)
            np.testing.assert_allclose(people.cross[b, m], dense.T @ unit_y[members],
                                       rtol=1e-10, atol=1e-12)
            assert people.size[b, m] == np.count_nonzero(members)


@pytest.mark.parametrize("system", [BandedRoleSystem, DenseRoleSystem])
def test_factor_on_base_coordinates_equals_the_extended_blocks(
        design: SRMDesign, system: type[BandedRoleSystem] | type[DenseRoleSystem]) -> None:
    criterion = Criterion(design, _identifiable(design))
    packed = criterion._packed
    solver = system(packed.scatter, len(design.sources), len(design.targets))
    rng = np.random.default_rng(3)
    for _ in range(3):
        t_a, t_b = (float(v) for v in rng.uniform(0.1, 2.0, 2))
        got = solver.factor_base(packed.base, packed.sums, t_a, t_b, inverse=True)
        want = solver.factor(*extend(packed.base, packed.sums, t_a, t_b), inverse=True)
        assert got.logdet == pytest.approx(want.logdet, rel=1e-12)
        assert got.q == pytest.approx(want.q, rel=1e-12)
        np.testing.assert_allclose(got.solution, want.solution, rtol=1e-10, atol=1e-12)
        assert got.block_inverse is not None
        assert want.block_inverse is not None
        np.testing.assert_allclose(got.block_inverse.full(), want.block_inverse.full(),
                                   rtol=1e-10, atol=1e-12)


def test_gradient_equals_differences_of_the_criterion(design: SRMDesign) -> None:
    criterion = Criterion(design, [True] * len(COMPONENTS))
    rng = np.random.default_rng(7)
    for _ in range(3):
        theta = rng.uniform(0.2, 2.0, len(COMPONENTS))
        _, gradient = criterion.with_gradient(theta)
        h = 1e-5
        differences = np.array([
            (criterion(theta + h * e) - criterion(theta - h * e)) / (2 * h)
            for e in np.eye(len(COMPONENTS))])
        np.testing.assert_allclose(gradient, differences, rtol=1e-5,
                                   atol=1e-6 * float(np.abs(gradient).max()))


def test_value_with_and_without_the_gradient_agree(design: SRMDesign) -> None:
    criterion = Criterion(design, [True] * len(COMPONENTS))
    theta = np.array([0.4, 0.7, 1.1, 0.3])
    assert criterion.with_gradient(theta)[0] == pytest.approx(criterion(theta), rel=1e-13)


@pytest.mark.parametrize("source", ["planted", "example"])
def test_the_moment_start_reaches_the_optimum_of_theta_one(source: str, planted: Study
                                                           ) -> None:
    """The start changes the path, not the optimum (lme4 starts from theta = 1)."""
    study = planted if source == "planted" else load_example()
    design = srm_design(study, min_items=5 if source == "planted" else 4)
    fitted = _identifiable(design)
    criterion = Criterion(design, fitted)
    free = np.flatnonzero(criterion.fitted)

    def full(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        theta = np.zeros(len(COMPONENTS))
        theta[free] = values
        return theta

    def gradient(values: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        value, grad = criterion.with_gradient(full(values))
        return value, grad[free]

    start = _moment_start(design)
    assert np.all(start > 0)
    assert np.all(np.isfinite(start))
    from_ones, _, _ = _minimise(lambda v: criterion(full(v)), gradient,
                                           np.ones(len(free)))
    fit = fit_reml(design, fitted)
    np.testing.assert_allclose(np.sqrt(fit.gamma[free]), from_ones, rtol=1e-7, atol=1e-8)
    assert fit.converged


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_moment_start_is_finite_and_positive(seed: int) -> None:
    study = planted_study(n_roles=5, n_respondents=12, n_absent=1, seed=seed).study
    design = srm_design(study, min_items=5)
    if design.n < 2:
        return
    start = _moment_start(design)
    assert np.all(np.isfinite(start))
    assert np.all(start > 0)
    assert np.all(start <= 100.0)


def _many_roles_design(seed: int) -> SRMDesign:
    """A design with rater roles of few respondents (the ties go first under "auto") and
    of many, some respondents with a single rating, a tie rated by one respondent."""
    study = planted_study(n_roles=9, n_respondents=40, n_absent=1, seed=seed).study
    return srm_design(study, min_items=5)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000),
       st.lists(st.one_of(st.just(0.0), st.floats(0.05, 2.0)), min_size=len(COMPONENTS),
                max_size=len(COMPONENTS)))
def test_ties_first_equals_respondents_first(seed: int, theta: list[float]) -> None:
    """Eliminating a rater role's ties before its respondents (Woodbury) gives the
    criterion, gradient and solution of eliminating the respondents first, at any
    ``theta`` (0 included: a component left out; not a ``theta`` near 0, where the
    gradient's closed form cancels and is set to 0 below ``_TINY``)."""
    design = _many_roles_design(seed)
    if design.n < 2:
        return
    t = np.array(theta)
    fitted = [True] * len(COMPONENTS)
    reference = Criterion(design, fitted, order="respondents")
    assert not reference._packed.few
    for order in ("ties", "auto"):
        other = Criterion(design, fitted, order=order)
        if order == "ties":
            assert other._packed.all_grouped is False or not len(design.tie_pairs)
        value, gradient = other.with_gradient(t)
        want_value, want_gradient = reference.with_gradient(t)
        assert value == pytest.approx(want_value, rel=1e-11)
        np.testing.assert_allclose(gradient, want_gradient, rtol=1e-8,
                                   atol=1e-9 * max(1.0, float(np.abs(want_gradient).max())))
        got, want = other.solve(t), reference.solve(t)
        for name in ("rater", "target", "tie", "unit"):
            np.testing.assert_allclose(getattr(got, name), getattr(want, name), rtol=1e-8,
                                       atol=1e-10)
        assert got.mu == pytest.approx(want.mu, rel=1e-11, abs=1e-12)


def test_auto_order_puts_the_ties_first_for_roles_with_few_respondents() -> None:
    from relcoord.metrics.srm.criterion import _ties_first

    chosen = _ties_first(np.array([1, 20, 60, 200]), 79, "auto")
    np.testing.assert_array_equal(chosen, [True, True, False, False])
    assert not _ties_first(np.array([1, 2]), 0, "ties").any()  # no ties: nothing to do
