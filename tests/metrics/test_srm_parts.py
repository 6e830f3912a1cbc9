"""The Social Relations Model from rater-role parts equals the in-memory model.

A study's rater roles are split into groups, each group's block
([`rater_role_blocks`][relcoord.rater_role_blocks.rater_role_blocks]) published
(``published_scores(block, settings)[0]``, as the analysis' parts are), its SRM part
computed, the parts combined in a random order and grouping, and the model fitted from the
combined part: its ``to_mapping()`` equals that of
``social_relations_model(published_scores(study, settings)[0])`` (counts, ids, flags and
reasons exactly, numbers to 1e-8).  The combined design equals the in-memory design of the
whole published study in canonical order: its levels in the same order, counts exactly,
sums to rounding.
"""

from __future__ import annotations

import math
import pickle
import random
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord import Metadata, Ratings, Respondent, Role, Study
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.srm import SocialRelations, social_relations_model
from relcoord.metrics.srm.design import SRMDesign, srm_design
from relcoord.metrics.srm.parts import (
    SRMPart,
    combine_srm_parts,
    social_relations_model_from_parts,
    srm_part,
    srm_part_design,
)
from relcoord.optional_dependencies import is_available
from relcoord.privacy import published_scores
from relcoord.rater_role_blocks import rater_role_block, rater_role_blocks
from relcoord.settings import AnalysisSettings
from relcoord.testing.planted import planted_study
from relcoord.testing.strategies import studies

ENGINES = ["numpy", "numba"] if is_available("numba") else ["numpy"]
TOL = 1e-8
OPEN = AnalysisSettings(min_respondents=1, min_respondents_override=True, min_items=1)


#: The keys of ``SocialRelations.to_mapping()`` whose numbers come from the fit (the
#: variances and what rests on them), not from the design's sums alone.
FIT_KEYS = frozenset({"mean", "rater", "target", "relationship", "respondent", "residual",
                      "variance", "variance_se", "share", "share_se", "received_rc_adjusted",
                      "r", "reml_criterion"})


def differences(a: Any, b: Any, path: str = "$", *, fit: bool = True) -> list[str]:
    """Where two JSON trees differ: structure, strings, ints, bools and None exactly,
    floats beyond ``TOL`` (relative, or absolute near 0); without ``fit``, the numbers
    under ``FIT_KEYS`` (or their absence) are not compared."""
    if not fit and (a is None or isinstance(a, float)) and (b is None or isinstance(b, float)):
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(a)} != {sorted(b)}"]
        return [d for k in a
                for d in differences(a[k], b[k], f"{path}.{k}", fit=fit and k not in FIT_KEYS)]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} != {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{path}[{i}]", fit=fit)]
    if isinstance(a, float) and isinstance(b, float):
        return [] if math.isclose(a, b, rel_tol=TOL, abs_tol=TOL) else [f"{path}: {a} != {b}"]
    if type(a) is not type(b) or a != b:
        return [f"{path}: {a!r} != {b!r}"]
    return []


def assert_same_model(got: SocialRelations, want: SocialRelations) -> None:
    """The two results' mappings are equal (see ``differences``).  When the in-memory fit did
    not converge (the factors leave the residual nothing: the optimum lies on a ridge
    towards a residual variance of 0), its numbers are wherever the optimiser stopped and
    move with the last bit of the sums, as does which of them it sets to 0 and so which
    have a standard error (the in-memory model itself, on the same rows summed in another
    order, moves as much), so only what does not come from the fit is compared, and that
    it did not converge either."""
    assert got.converged == want.converged
    assert differences(got.to_mapping(), want.to_mapping(), fit=want.converged) == []


def groups_of(roles: Sequence[str], rng: random.Random) -> list[list[str]]:
    """The roles shuffled and cut into random groups (one group at least)."""
    shuffled = list(roles)
    rng.shuffle(shuffled)
    cuts = sorted(rng.sample(range(1, len(shuffled)), rng.randint(0, len(shuffled) - 1)))
    return [shuffled[i:j] for i, j in zip([0, *cuts], [*cuts, len(shuffled)], strict=True)]


def combined_in_random_order(parts: list[SRMPart], rng: random.Random) -> SRMPart:
    """The parts combined as a random tree: random pairs of what is left, until one."""
    left = list(parts)
    rng.shuffle(left)
    while len(left) > 1:
        take = rng.randint(2, len(left))
        chosen, left = left[:take], left[take:]
        rng.shuffle(chosen)
        left.insert(rng.randint(0, len(left)), combine_srm_parts(chosen))
    return combine_srm_parts(left)  # a single part too: combining one part is allowed


def parts_of(study: Study, analysis: AnalysisSettings, groups: Sequence[Sequence[str]],
             engine: str = "auto") -> list[SRMPart]:
    return [srm_part(published_scores(block, analysis)[0], analysis, engine=engine)
            for block in rater_role_blocks(study, groups)]


def assert_designs_equal(got: SRMDesign, want: SRMDesign) -> None:
    for name in ("role_ids", "n", "n_units", "n_within_left_out", "n_not_counted", "within",
                 "min_items"):
        assert getattr(got, name) == getattr(want, name), name
    for name in ("sources", "targets", "tie_pairs", "tie_n", "unit_source", "unit_n",
                 "counts"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
    assert got.counts.dtype == want.counts.dtype
    scale = max(1.0, want.spread) * max(want.n, 1)
    for name in ("tie_sum", "tie_y", "tie_y2", "unit_y"):
        np.testing.assert_allclose(getattr(got, name), getattr(want, name), rtol=1e-12,
                                   atol=1e-13 * scale, err_msg=name)
    for name in ("center", "yy", "spread"):
        assert math.isclose(getattr(got, name), getattr(want, name), rel_tol=1e-12,
                            abs_tol=1e-13 * scale), name


def assert_parts_give_the_model(study: Study, analysis: AnalysisSettings,
                                groups: Sequence[Sequence[str]], rng: random.Random,
                                engine: str = "auto") -> None:
    part = combined_in_random_order(parts_of(study, analysis, groups, engine), rng)
    part = pickle.loads(pickle.dumps(part))
    # the whole published study in canonical order, as analyze() fits it
    published = published_scores(rater_role_block(study, study.role_ids), analysis)[0]
    want = social_relations_model(published, settings=analysis)
    got = social_relations_model_from_parts(study, part, analysis)
    assert_same_model(got, want)
    assert_designs_equal(srm_part_design(part), srm_design(
        published, min_items=analysis.items_needed(study.instrument)))


def with_waves_and_groups(study: Study, seed: int, unnamed: float = 0.1) -> Study:
    """``study`` with every rating in one of three waves (named out of order) and a share
    of them without respondent."""
    rng = np.random.default_rng(seed)
    r = study.ratings
    n = len(r)
    ratings = Ratings.from_arrays(
        source=r.source, target=r.target, scores=r.scores, dimensions=r.dimensions,
        roles=r.roles, respondent=np.where(rng.random(n) < unnamed, -1, r.respondent),
        respondents=r.respondents, wave=rng.integers(-1, 3, n), waves=["w2", "w0", "w1"])
    return attrs.evolve(study, ratings=ratings)


STUDIES = st.one_of(*(studies(min_roles=2, max_roles=6, max_respondents=16, max_ratings=80,
                              max_waves=3, instrument="rc7", with_invitations=False,
                              with_missing=missing) for missing in (False, True)))
SETTINGS = st.sampled_from([
    OPEN, AnalysisSettings(min_items=1),
    AnalysisSettings(min_items=1, min_respondents=2, min_respondents_override=True),
    AnalysisSettings(min_items=1, min_respondents=3),
    AnalysisSettings(min_items=3, min_respondents=1, min_respondents_override=True),
])


@settings(max_examples=80, deadline=None)
@given(study=STUDIES, analysis=SETTINGS,
       seed=st.integers(0, 2**32 - 1))
def test_parts_in_any_grouping_give_the_in_memory_model(
        study: Study, analysis: AnalysisSettings, seed: int) -> None:
    """Generated studies: waves, missing answers, ratings without respondent, absent and
    target-only roles, several rater roles, cells withheld by the privacy rule."""
    rng = random.Random(seed)
    assert_parts_give_the_model(study, analysis, groups_of(study.role_ids, rng), rng)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), n_roles=st.integers(3, 9),
       n_respondents=st.integers(15, 120), n_absent=st.integers(0, 2),
       unnamed=st.sampled_from([0.0, 0.05, 0.3]), min_respondents=st.sampled_from([1, 3, 8]))
def test_planted_studies_in_any_grouping(seed: int, n_roles: int, n_respondents: int,
                                         n_absent: int, unnamed: float,
                                         min_respondents: int) -> None:
    """Planted studies (the model fitted in almost every one) with waves, ratings without
    respondent and cells withheld."""
    study = with_waves_and_groups(
        planted_study(n_roles=n_roles, n_respondents=n_respondents, n_absent=n_absent,
                      seed=seed).study, seed, unnamed)
    analysis = AnalysisSettings(min_respondents=min_respondents,
                                min_respondents_override=True)
    rng = random.Random(seed)
    assert_parts_give_the_model(study, analysis, groups_of(study.role_ids, rng), rng)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("seed", range(4))
def test_planted_studies_with_waves_and_groups(engine: str, seed: int) -> None:
    """Planted studies (absent roles, unequal roles) as they are, and with waves and ratings
    without respondent, cut in random groups: the fitted model is the in-memory one."""
    planted = planted_study(n_roles=9, n_respondents=150, n_absent=2, seed=seed).study
    rng = random.Random(seed)
    for study in (planted, with_waves_and_groups(planted, seed)):
        for analysis in (AnalysisSettings(), AnalysisSettings(min_respondents=8)):
            assert_parts_give_the_model(study, analysis, groups_of(study.role_ids, rng), rng,
                                        engine)


def test_one_block_of_every_role_and_single_parts() -> None:
    """One block of every rater role gives the in-memory model and design bit for bit
    (its part is the design); combining a single part changes nothing."""
    study = planted_study(n_roles=6, n_respondents=80, n_absent=1, seed=3).study
    analysis = AnalysisSettings()
    published = published_scores(rater_role_block(study, study.role_ids), analysis)[0]
    part = srm_part(published, analysis)
    design = srm_design(published, min_items=analysis.items_needed(study.instrument))
    for one in (part, combine_srm_parts([part])):
        same = srm_part_design(one)
        for field in attrs.fields(SRMDesign):
            value, expected = getattr(same, field.name), getattr(design, field.name)
            if isinstance(expected, np.ndarray):
                np.testing.assert_array_equal(value, expected, err_msg=field.name)
                assert value.dtype == expected.dtype, field.name
            else:
                assert value == expected, field.name
    want = social_relations_model(published, settings=analysis).to_mapping()
    got = social_relations_model_from_parts(study, combine_srm_parts([part]), analysis)
    assert got.to_mapping() == want


def test_a_block_without_rows_adds_nothing() -> None:
    """A part of roles without ratings (named but absent roles) is empty, and combined with
    the others changes nothing; a study of no ratings gives the 'fewer than two ratings'
    model from an empty part."""
    study = planted_study(n_roles=6, n_respondents=60, n_absent=2, seed=5).study
    analysis = AnalysisSettings()
    absent = [r.id for r in study.roles if not r.present]
    present = [r.id for r in study.roles if r.present]
    empty, full = parts_of(study, analysis, [absent, present])
    assert empty.n == 0
    assert empty.n_units == 0
    assert not len(empty.tie_pairs)
    one = social_relations_model_from_parts(study, combine_srm_parts([empty, full]), analysis)
    two = social_relations_model_from_parts(study, full, analysis)
    assert one.to_mapping() == two.to_mapping()
    nothing = attrs.evolve(study, ratings=study.ratings.taken(np.zeros(0, dtype=np.intp)))
    part = srm_part(nothing, analysis)
    got = social_relations_model_from_parts(nothing, combine_srm_parts([part, part]), analysis)
    assert got.reason == "fewer than two ratings"
    assert got.to_mapping() == social_relations_model(nothing, settings=analysis).to_mapping()


def _two_raters(values: Sequence[float]) -> Study:
    """Two roles rating each other, one respondent each, one rating per value."""
    roles = [Role("a", "A"), Role("b", "B"), Role("c", "C", present=False)]
    people = [Respondent("a1", "a"), Respondent("b1", "b")]
    n = len(values)
    ratings = Ratings.from_arrays(
        source=np.arange(n) % 2, target=1 - np.arange(n) % 2,
        scores=np.repeat(np.asarray(values, dtype=float)[:, None], 7, axis=1),
        dimensions=DIMENSION_KEYS, roles=["a", "b", "c"], respondent=np.arange(n) % 2,
        respondents=["a1", "b1"], wave=np.arange(n) // 2, waves=[f"w{i}" for i in range(n)])
    return Study(metadata=Metadata(id="two"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


@pytest.mark.parametrize(("values", "reason"), [
    ([3.0], "fewer than two ratings"),
    ([3.0, 3.0, 3.0, 3.0], "all ratings are equal"),
    ([2.0, 4.0, 3.0, 5.0], None),
])
def test_not_estimable_models_are_the_same(values: list[float], reason: str | None) -> None:
    study = _two_raters(values)
    for groups in ([["a"], ["b"], ["c"]], [["a", "b", "c"]], [["b", "c"], ["a"]]):
        part = combine_srm_parts(parts_of(study, OPEN, groups)[::-1])
        got = social_relations_model_from_parts(study, part, OPEN)
        want = social_relations_model(published_scores(study, OPEN)[0], settings=OPEN)
        assert got.reason == want.reason == reason
        assert differences(got.to_mapping(), want.to_mapping()) == []


def test_the_study_gives_only_metadata() -> None:
    """The study handed to the finish may have no ratings."""
    study = planted_study(n_roles=5, n_respondents=50, n_absent=1, seed=2).study
    analysis = AnalysisSettings()
    part = combine_srm_parts(parts_of(study, analysis, [[r] for r in study.role_ids]))
    bare = attrs.evolve(study, ratings=study.ratings.taken(np.zeros(0, dtype=np.intp)))
    want = social_relations_model(published_scores(study, analysis)[0], settings=analysis)
    got = social_relations_model_from_parts(bare, part, analysis)
    assert differences(got.to_mapping(), want.to_mapping()) == []


def test_parts_pickle_and_stay_small() -> None:
    """A part pickles to an equal part, and holds per respondent a few numbers and its
    counts per tie: its arrays grow with the respondents, not with the ratings."""
    study = planted_study(n_roles=8, n_respondents=200, n_absent=1, seed=4).study
    analysis = AnalysisSettings()
    for part in parts_of(study, analysis, [study.role_ids[:4], study.role_ids[4:]]):
        again = pickle.loads(pickle.dumps(part))
        for field in attrs.fields(SRMPart):
            value, expected = getattr(again, field.name), getattr(part, field.name)
            if isinstance(expected, np.ndarray):
                np.testing.assert_array_equal(value, expected)
                assert value.dtype == expected.dtype
            else:
                assert value == expected
        per_unit = part.nbytes - part.tie_pairs.nbytes * 3
        assert per_unit <= part.n_units * (8 + 8 + 8 + 4 + part.counts.shape[1]) + 1024


def test_combining_refuses_what_does_not_fit() -> None:
    study = planted_study(n_roles=5, n_respondents=50, n_absent=1, seed=1).study
    analysis = AnalysisSettings()
    one, two = parts_of(study, analysis, [study.role_ids[:2], study.role_ids[2:]])
    with pytest.raises(ValueError, match="no SRM parts"):
        combine_srm_parts([])
    with pytest.raises(ValueError, match="in two SRM parts"):
        combine_srm_parts([one, two, one])
    other = srm_part(published_scores(rater_role_block(study, study.role_ids[2:]), OPEN)[0],
                     OPEN)
    with pytest.raises(ValueError, match="different min_items"):
        combine_srm_parts([one, other])
    with pytest.raises(ValueError, match="items"):
        social_relations_model_from_parts(study, other, analysis)
    renamed = attrs.evolve(one, role_ids=tuple(f"x{r}" for r in one.role_ids))
    with pytest.raises(ValueError, match="another study's roles"):
        social_relations_model_from_parts(study, renamed, analysis)
