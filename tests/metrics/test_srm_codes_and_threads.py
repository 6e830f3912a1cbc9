"""The SRM's 32-bit design codes, its triangular inverses and its concurrent evaluations:
each gives what the plain computation gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.srm import reml
from relcoord.metrics.srm.criterion import _lower_inverse
from relcoord.metrics.srm.design import SRMDesign, _levels, code_type, srm_design
from relcoord.metrics.srm.estimate import _identifiable
from relcoord.metrics.srm.reml import fit_reml
from relcoord.model import Study
from relcoord.testing.planted import planted_study


@pytest.fixture(scope="module")
def planted() -> Study:
    return planted_study(n_roles=8, n_respondents=60, n_absent=1, seed=5).study


@pytest.fixture(scope="module")
def design(planted: Study) -> SRMDesign:
    return srm_design(planted, min_items=5)


def test_code_type_is_32_bit_up_to_its_range() -> None:
    assert code_type(1) is np.int32
    assert code_type(2**31 - 1) is np.int32
    assert code_type(2**31) is np.int64


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=60), st.sampled_from([41, 1 << 17]),
       st.sampled_from([np.int32, np.int64]))
def test_levels_are_numpys_unique(keys: list[int], size: int, dtype: type) -> None:
    """Both the counting path (a small ``size``) and the sorting one (a large one)."""
    array: npt.NDArray[np.signedinteger[Any]] = np.array(keys, dtype=dtype)
    levels, codes = _levels(array, size)
    expected_levels, expected_codes = np.unique(array, return_inverse=True)
    np.testing.assert_array_equal(levels, expected_levels)
    np.testing.assert_array_equal(codes, expected_codes.reshape(-1))
    assert codes.dtype == np.int32


def test_design_counts_are_one_byte_and_the_ratings_of_each_respondent(
        planted: Study, design: SRMDesign) -> None:
    """The count matrix takes the narrowest type (a respondent rates a tie once: one byte)
    and holds, per respondent, the ties it rates."""
    assert design.counts.dtype == np.uint8
    ratings = planted.ratings
    unit, tie = design.observations()
    # the units: the respondents rater role by rater role, by respondent code within one
    respondents = np.unique(ratings.respondent)
    role = np.zeros(int(respondents.max()) + 1, dtype=np.int64)
    role[ratings.respondent] = ratings.source
    respondents = respondents[np.lexsort((respondents, role[respondents]))]
    pairs = {(int(respondents[u]), tuple(design.tie_pairs[t].tolist()))
             for u, t in zip(unit.tolist(), tie.tolist(), strict=True)}
    per = respondent_tie_scores(planted, min_items=5)
    keep = per.counted & (ratings.source != ratings.target)
    expected = {(int(p), (int(s), int(t))) for p, s, t in zip(
        ratings.respondent[keep], ratings.source[keep], ratings.target[keep], strict=True)}
    assert pairs == expected
    assert len(unit) == design.n == int(np.count_nonzero(keep))


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_lower_inverse_is_the_inverse(size: int, batch: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(batch, size, size))
    lower = np.asarray(np.linalg.cholesky(a @ a.transpose(0, 2, 1) + size * np.eye(size)),
                       dtype=np.float64)
    inverse = _lower_inverse(lower)
    np.testing.assert_allclose(inverse, np.linalg.inv(lower), rtol=1e-10, atol=1e-12)
    assert not np.triu(inverse, 1).any()


def test_lower_inverse_refuses_a_singular_factor() -> None:
    lower = np.tril(np.ones((1, 3, 3)))
    lower[0, 1, 1] = 0.0
    with pytest.raises(np.linalg.LinAlgError):
        _lower_inverse(lower)


def test_concurrent_evaluations_give_the_fit_of_one_thread(design: SRMDesign,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """The central differences on two threads and on one: the same fit, bit for bit."""
    fitted = _identifiable(design)
    monkeypatch.setattr(reml, "_workers", lambda: 1)
    one = fit_reml(design, fitted)
    monkeypatch.setattr(reml, "_workers", lambda: 2)
    two = fit_reml(design, fitted)
    assert one.evaluations == two.evaluations
    assert one.criterion == two.criterion
    np.testing.assert_array_equal(one.variances, two.variances)
    np.testing.assert_array_equal(one.covariance, two.covariance)
    np.testing.assert_array_equal(one.solution.tie, two.solution.tie)
