"""Reliability from rater-role parts (relcoord.metrics.reliability.parts and
relcoord.privacy.reliability.publishable_reliability_from_parts): the parts of the blocks of any
grouping of a published study's rater roles, combined in any order, give the publishable
reliability of the whole published study.

Counts, ids, bands and None-ness are compared exactly, floats to 1e-12 relative (the ICC of
respondents, and on a scale that is not counted alpha and the ICCs of ratings, add their
floating-point sums in another order); on an integer scale alpha, the agreement and the ICCs of
ratings are the in-memory figures to the last bit.
"""

from __future__ import annotations

import importlib.util
import math
import pickle
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.instruments import Dimension, Instrument
from relcoord.metrics.reliability.parts import (
    AlphaMoments,
    GroupMoments,
    ReliabilityPart,
    combine_reliability_parts,
    reliability_of_part,
    reliability_part,
    reliability_settings,
)
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.privacy import published_scores
from relcoord.privacy.reliability import (
    publishable_reliability,
    publishable_reliability_from_parts,
)
from relcoord.rater_role_blocks import rater_role_block, rater_role_blocks
from relcoord.ratings import Rating
from relcoord.settings import AnalysisSettings
from relcoord.testing import strategies as rst

from .test_answer_counts import canonical, survey_studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None
ENGINES = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(
    not HAS_NUMBA, reason="numba (the fast extra) is not installed"))]

#: An instrument whose scores are not integers: the figures are computed row by row.
HALVES = Instrument(id="halves", title="Halves", dimensions=[
    Dimension(key="frequent", sub_index="communication", names={}, answers={},
              scoring=(0.5, 1.25, 2.0, 3.5)),
    Dimension(key="timely", sub_index="communication", names={}, answers={},
              scoring=(1.0, 2.5, 4.0)),
    Dimension(key="shared_goals", sub_index="relationship", names={}, answers={},
              scoring=(0.25, 0.75, 1.5, 2.0, 3.0)),
    Dimension(key="mutual_respect", sub_index="relationship", names={}, answers={},
              scoring=(1.0, 1.5, 2.0)),
])


@st.composite
def dense_studies(draw: st.DrawFn, instrument: Instrument | None = None) -> Study:
    """Any instrument of the strategies (or ``instrument``), 2-5 roles, up to 40 respondents
    who each rate most roles in some of the waves, answers missing at a drawn rate, a few group
    ratings without respondent: studies where most cells keep several raters."""
    base = draw(rst.studies(min_roles=2, max_roles=5, max_respondents=0, max_ratings=0,
                            max_waves=2, instrument=instrument))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ids = base.role_ids
    present = [r.id for r in base.roles if r.present]
    people = [Respondent(id=f"p{i:03d}", role=present[int(rng.integers(len(present)))])
              for i in range(int(rng.integers(0, 40)))] if present else []
    waves = (None, *base.waves)
    missing = draw(st.sampled_from([0.0, 0.05, 0.3]))
    dims = base.instrument.dimensions

    def scores() -> dict[str, float | None]:
        return {d.key: None if rng.random() < missing else float(rng.choice(sorted(d.scores)))
                for d in dims}

    ratings = [Rating(source=p.role, target=t, respondent=p.id, wave=wave, scores=scores())
               for p in people for wave in waves
               if len(waves) == 1 or rng.random() < 0.6
               for t in ids if rng.random() < 0.7]
    ratings += [Rating(source=str(rng.choice(ids)), target=str(rng.choice(ids)), respondent=None,
                       wave=waves[int(rng.integers(len(waves)))], scores=scores())
                for _ in range(int(rng.integers(0, 6)))]
    return Study(metadata=base.metadata, instrument=base.instrument, roles=base.roles,
                 respondents=people, ties=base.ties, ratings=ratings,
                 invitations=base.invitations)


any_studies = st.one_of(
    dense_studies(),
    dense_studies(HALVES),
    survey_studies(),
    survey_studies().map(canonical),
    rst.studies(max_ratings=40),
)
analysis_settings = st.builds(
    AnalysisSettings,
    min_respondents=st.sampled_from([3, 4, 5]),
    icc_group_size=st.sampled_from(["mean_group_size", "k0"]),
    min_items=st.sampled_from([None, 1, 3]),
)


def fitted(chosen: AnalysisSettings, study: Study) -> AnalysisSettings:
    """``chosen`` with ``min_items`` at most the instrument's items."""
    if chosen.min_items is None or chosen.min_items <= len(study.instrument.keys):
        return chosen
    return attrs.evolve(chosen, min_items=len(study.instrument.keys))


def assert_close(expected: Any, got: Any, path: str = "$") -> None:
    """Two JSON trees alike: floats to 1e-12 (relative, or absolute near 0), all else exact."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), path
        assert expected.keys() == got.keys(), path
        for key, value in expected.items():
            assert_close(value, got[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list), path
        assert len(expected) == len(got), path
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            assert_close(a, b, f"{path}[{i}]")
    elif isinstance(expected, float) and isinstance(got, float):
        assert math.isclose(expected, got, rel_tol=1e-12, abs_tol=1e-12), (path, expected, got)
    else:
        assert type(expected) is type(got), (path, expected, got)
        assert expected == got, (path, expected, got)


def grouping(data: st.DataObject, study: Study) -> list[list[str]]:
    """The study's roles in random groups (some roles without rows among them)."""
    groups: dict[int, list[str]] = {}
    for role in study.role_ids:
        groups.setdefault(data.draw(st.integers(0, 3)), []).append(role)
    return list(groups.values())


def combined_at_random(data: st.DataObject, parts: list[ReliabilityPart]) -> ReliabilityPart:
    """``parts`` combined in a random order and grouping (neighbours merged pairwise or in
    threes, after a shuffle)."""
    todo = list(data.draw(st.permutations(parts)))
    while len(todo) > 1:
        at = data.draw(st.integers(0, len(todo) - 2))
        size = data.draw(st.integers(2, min(3, len(todo) - at)))
        todo[at:at + size] = [combine_reliability_parts(todo[at:at + size])]
    return todo[0]


def metadata_only(study: Study) -> Study:
    """``study`` without its ratings (what the client of a bounded analysis holds)."""
    return Study(metadata=study.metadata, instrument=study.instrument, roles=study.roles,
                 respondents=study.respondents, ties=study.ties,
                 invitations=study.invitations)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_studies, analysis_settings, st.data(), st.booleans())
def test_parts_of_any_grouping_give_the_whole(study: Study, chosen: AnalysisSettings,
                                              data: st.DataObject, no_rows: bool) -> None:
    chosen = fitted(chosen, study)
    published = published_scores(study, chosen)[0]
    expected, left_out = publishable_reliability(published, chosen)
    blocks = rater_role_blocks(published, grouping(data, published))
    parts = [pickle.loads(pickle.dumps(reliability_part(b, chosen))) for b in blocks]
    part = combined_at_random(data, parts)
    got, got_left_out = publishable_reliability_from_parts(
        metadata_only(study) if no_rows else study, part, chosen)
    assert got_left_out == left_out
    assert_close(expected.to_mapping(), got.to_mapping())


@settings(max_examples=40, deadline=None)
@given(st.one_of(survey_studies(), dense_studies()), analysis_settings, st.data())
def test_on_an_integer_scale_only_the_icc_of_respondents_is_summed_in_another_order(
        study: Study, chosen: AnalysisSettings, data: st.DataObject) -> None:
    chosen = fitted(chosen, study)
    published = published_scores(study, chosen)[0]
    expected = publishable_reliability(published, chosen)[0].to_mapping()
    blocks = rater_role_blocks(published, grouping(data, published))
    part = combined_at_random(data, [reliability_part(b, chosen) for b in blocks])
    got = publishable_reliability_from_parts(study, part, chosen)[0].to_mapping()
    assert_close(expected.pop("icc"), got.pop("icc"))
    assert expected == got


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=25, deadline=None)
@given(study=st.one_of(survey_studies(), dense_studies()), chosen=analysis_settings)
def test_one_block_of_every_rater_role_is_the_whole(engine: str, study: Study,
                                                    chosen: AnalysisSettings) -> None:
    chosen = fitted(chosen, study)
    published = published_scores(study, chosen)[0]
    expected, left_out = publishable_reliability(published, chosen)
    block = rater_role_block(published, published.role_ids)
    got, got_left_out = publishable_reliability_from_parts(
        study, combine_reliability_parts([reliability_part(block, chosen, engine=engine)]),
        chosen)
    assert got_left_out == left_out
    assert_close(expected.to_mapping(), got.to_mapping())


@settings(max_examples=20, deadline=None)
@given(study=st.one_of(survey_studies(), dense_studies(), dense_studies(HALVES)),
       chosen=analysis_settings)
def test_a_block_without_rows_adds_nothing(study: Study, chosen: AnalysisSettings) -> None:
    chosen = fitted(chosen, study)
    published = published_scores(study, chosen)[0]
    roles = list(published.role_ids)
    idle = [r for r in roles if not np.any(
        published.ratings.source == published.ratings.roles.index(r))]
    busy = [r for r in roles if r not in idle]
    empty = reliability_part(rater_role_block(published, []), chosen)
    assert len(empty.cells) == 0
    assert len(empty.respondents.labels) == 0
    whole = reliability_part(rater_role_block(published, busy), chosen)
    parts = [whole, empty]
    if idle:
        parts.append(reliability_part(rater_role_block(published, idle), chosen))
    expected = publishable_reliability(published, chosen)
    for combined in (combine_reliability_parts(parts),
                     combine_reliability_parts(parts[::-1])):
        got = publishable_reliability_from_parts(study, combined, chosen)
        assert got[1] == expected[1]
        assert_close(expected[0].to_mapping(), got[0].to_mapping())
    nothing = publishable_reliability_from_parts(study, empty, chosen)
    assert nothing[0].agreement.ties == ()
    assert nothing[0].alpha["rc"].n == 0


@pytest.mark.skipif(not HAS_NUMBA, reason="numba (the fast extra) is not installed")
@settings(max_examples=20, deadline=None)
@given(study=st.one_of(survey_studies(), dense_studies()), chosen=analysis_settings,
       data=st.data())
def test_the_engines_give_the_same_parts(study: Study, chosen: AnalysisSettings,
                                         data: st.DataObject) -> None:
    chosen = fitted(chosen, study)
    published = published_scores(study, chosen)[0]
    for block in rater_role_blocks(published, grouping(data, published)):
        by_numpy = reliability_part(block, chosen, engine="numpy")
        by_numba = reliability_part(block, chosen, engine="numba")
        assert by_numpy.counts is not None
        assert by_numba.counts is not None
        for name in ("cells", "raters"):
            np.testing.assert_array_equal(getattr(by_numpy, name), getattr(by_numba, name))
        for name in ("cells", "item_counts", "item_sums"):
            np.testing.assert_array_equal(getattr(by_numpy.counts, name),
                                          getattr(by_numba.counts, name))
        assert dict(by_numpy.alpha) == dict(by_numba.alpha)
        for name in ("labels", "counts", "sums", "exact_sums", "within"):
            np.testing.assert_array_equal(getattr(by_numpy.respondents, name),
                                          getattr(by_numba.respondents, name))


def test_the_part_does_not_grow_with_the_rows() -> None:
    """Ten times the respondents (and rows) of the same roles: the same arrays' sizes, but for
    the respondents' groups, which are one per rater role either way."""
    sizes = []
    for n_people in (30, 300):
        rng = np.random.default_rng(7)
        roles = ["a", "b", "c"]
        people = [Respondent(f"p{i:04d}", roles[i % 3]) for i in range(n_people)]
        ratings = [Rating(source=p.role, target=t, respondent=p.id,
                          scores={k: float(rng.integers(1, 6)) for k in ("frequent", "timely",
                                  "accurate", "problem_solving", "shared_goals",
                                  "shared_knowledge", "mutual_respect")})
                   for p in people for t in roles]
        study = Study(metadata=Metadata(id="grow"), instrument="rc7",
                      roles=[Role(r, r.upper()) for r in roles], respondents=people,
                      ratings=ratings)
        part = reliability_part(study, AnalysisSettings())
        assert part.counts is not None
        assert len(pickle.dumps(dict(part.alpha))) < 4000  # per scale O(items^2) integers
        sizes.append((part.cells.nbytes, part.raters.nbytes, part.counts.item_counts.nbytes,
                      part.counts.item_sums.nbytes, part.respondents.counts.nbytes))
    assert sizes[0] == sizes[1]


def test_parts_with_a_rater_role_in_common_are_refused(
        make_study: Any) -> None:
    study = make_study([("p1", "a", "b", [4] * 7), ("p2", "a", "b", [3] * 7),
                        ("p3", "b", "a", [5] * 7)])
    chosen = AnalysisSettings()
    part = reliability_part(rater_role_block(study, ["a"]), chosen)
    with pytest.raises(ValueError, match="share"):
        combine_reliability_parts([part, part])
    with pytest.raises(ValueError, match="no reliability part"):
        combine_reliability_parts([])
    other = reliability_part(rater_role_block(study, ["b"]), AnalysisSettings(min_items=3))
    with pytest.raises(ValueError, match="different"):
        combine_reliability_parts([part, other])
    with pytest.raises(ValueError, match="min_items"):
        reliability_of_part(study, part, attrs.evolve(reliability_settings(study, chosen),
                                                      min_items=3))


def test_moments_pool_as_the_cases_do() -> None:
    rng = np.random.default_rng(3)
    values = rng.normal(size=200) * 3 + 1e3
    labels = rng.integers(0, 5, 200)
    whole = GroupMoments.of(values, labels)
    pooled = GroupMoments.pooled([GroupMoments.of(values[:70], labels[:70]),
                                  GroupMoments.of(values[70:], labels[70:])])
    np.testing.assert_array_equal(pooled.labels, whole.labels)
    np.testing.assert_array_equal(pooled.counts, whole.counts)
    np.testing.assert_allclose(pooled.sums, whole.sums, rtol=1e-13)
    np.testing.assert_allclose(pooled.within, whole.within, rtol=1e-12)
    x = rng.normal(size=(50, 3))
    keys = ("frequent", "timely", "accurate")
    added = AlphaMoments.of(keys, x[:20]).plus(AlphaMoments.of(keys, x[20:]))
    np.testing.assert_allclose(added.cross / 49, np.cov(x, rowvar=False), rtol=1e-12)
    np.testing.assert_allclose(added.means, x.mean(axis=0), rtol=1e-12)
