"""Scores parts: the RC scores from parts of rater-role blocks, combined in any grouping and order,
equal the in-memory scores of the whole published study (counts, bands and None-ness exactly,
floats to 1e-12; to the last bit when the whole study's rows are in canonical order)."""

from __future__ import annotations

import importlib.util
import math
import os
import pickle
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.scores import (
    RCScores,
    ScoresPart,
    respondent_tie_scores,
    scores,
    scores_from_parts,
    scores_part,
)
from relcoord.metrics.scores.spread import CellScores, CellValueCounts
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.privacy import published_scores
from relcoord.rater_role_blocks import rater_role_block, rater_role_blocks
from relcoord.ratings import Ratings
from relcoord.settings import WEIGHTINGS, AnalysisSettings, Weighting
from relcoord.testing.strategies import studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                                 reason="numba (the fast extra) is not installed")
ENGINES = ("numpy", "numba") if HAS_NUMBA or os.environ.get("CI") else ("numpy",)
many = studies(max_roles=6, max_respondents=12, max_ratings=50, with_ties=False,
               with_invitations=False)


# --- comparing results -------------------------------------------------------------------


def close(a: Any, b: Any, path: str = "") -> None:
    """``a == b`` with floats to 1e-12 (relative or absolute); every other value exactly, of the
    same type (so None-ness too), but a band where its RC lies within 1e-12 of a band limit
    (the default bands): an RC of 4 added in another order may come out a rounding above it."""
    if isinstance(a, dict):
        assert isinstance(b, dict), path
        assert a.keys() == b.keys(), path
        for key in a:
            if key == "band" and a[key] != b[key]:
                limits = AnalysisSettings().bands
                assert any(math.isclose(a["rc"], x, rel_tol=1e-12) for x in limits), path
                continue
            close(a[key], b[key], f"{path}/{key}")
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)), path
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), (path, a, b)
    else:
        assert type(a) is type(b), (path, a, b)
        assert a == b, (path, a, b)


def metadata_only(study: Study) -> Study:
    return attrs.evolve(study, ratings=Ratings.empty(study.instrument.keys))


def finished(study: Study, parts: list[ScoresPart], chosen: AnalysisSettings) -> RCScores:
    return scores_from_parts(metadata_only(study), ScoresPart.combine(parts), chosen)


def chosen_settings(data: st.DataObject, study: Study) -> AnalysisSettings:
    return AnalysisSettings(
        min_respondents=data.draw(st.sampled_from((1, 2, 3, 5)), label="min_respondents"),
        min_respondents_override=True,
        min_items=data.draw(st.none() | st.integers(1, len(study.instrument.keys)),
                            label="min_items"),
        weighting=data.draw(st.sampled_from(WEIGHTINGS), label="weighting"),
    )


def role_groups(data: st.DataObject, study: Study) -> list[list[str]]:
    """The study's roles (rater roles or not) in random disjoint groups."""
    n_groups = data.draw(st.integers(1, 4), label="groups")
    which = data.draw(st.lists(st.integers(0, n_groups - 1), min_size=len(study.roles),
                               max_size=len(study.roles)), label="membership")
    groups: list[list[str]] = [[] for _ in range(n_groups)]
    for role_id, g in zip(study.role_ids, which, strict=True):
        groups[g].append(role_id)
    return groups


def combined_in_random_order(data: st.DataObject, parts: list[ScoresPart]) -> ScoresPart:
    """``parts`` combined as a random tree: pairs of random parts until one is left."""
    pool = list(data.draw(st.permutations(parts), label="order"))
    while len(pool) > 1:
        i = data.draw(st.integers(0, len(pool) - 2), label="pair")
        pool[i:i + 2] = [ScoresPart.combine(pool[i:i + 2])]
    return ScoresPart.combine(pool)


# --- the property -----------------------------------------------------------------------------


@settings(deadline=None, max_examples=120)
@given(many, st.data())
def test_parts_of_rater_role_blocks_give_the_scores_of_the_published_study(
        study: Study, data: st.DataObject) -> None:
    chosen = chosen_settings(data, study)
    published = published_scores(study, chosen)[0]
    engine = data.draw(st.sampled_from(ENGINES), label="engine")
    blocks = rater_role_blocks(published, role_groups(data, study))
    parts = [scores_part(block, chosen, engine=engine) for block in blocks]
    part = pickle.loads(pickle.dumps(combined_in_random_order(data, parts)))
    got = scores_from_parts(metadata_only(study), part, chosen).to_mapping()
    close(got, scores(published, settings=chosen).to_mapping())
    # the whole published study in canonical order: every cell adds the same values in the
    # same order, so the figures are the same to the last bit
    canonical = rater_role_block(published, published.role_ids)
    assert got == scores(canonical, settings=chosen).to_mapping()


@settings(deadline=None, max_examples=40)
@given(many, st.data())
def test_one_block_of_every_role_gives_the_in_memory_scores(
        study: Study, data: st.DataObject) -> None:
    chosen = chosen_settings(data, study)
    published = published_scores(study, chosen)[0]
    block = rater_role_block(published, published.role_ids)
    part = scores_part(block, chosen)
    expected = scores(block, settings=chosen).to_mapping()
    assert scores_from_parts(metadata_only(study), part, chosen).to_mapping() == expected
    # a study's own ratings do not matter to the finish
    assert scores_from_parts(study, part, chosen).to_mapping() == expected


@needs_numba
@settings(deadline=None, max_examples=40)
@given(many, st.data())
def test_both_engines_make_the_same_part(study: Study, data: st.DataObject) -> None:
    chosen = chosen_settings(data, study)
    published = published_scores(study, chosen)[0]
    for block in rater_role_blocks(published, role_groups(data, study)):
        compiled = scores_part(block, chosen, engine="numba")
        plain = scores_part(block, chosen, engine="numpy")
        assert same_parts(compiled, plain)


def same_parts(a: ScoresPart, b: ScoresPart) -> bool:
    """Equal parts: every array to the last bit."""
    def arrays(p: ScoresPart) -> list[np.ndarray]:
        t = p.totals
        pairs = (t.rc, t.communication, t.relationship, *t.items)
        return [p.cells, *(x for pair in pairs for x in pair), p.values.values, p.values.cell,
                p.values.rank, p.values.count, p.figure_respondents, p.cell_respondents,
                *p.role_respondents]
    return ((a.n_roles, a.min_items, a.figure_keys, a.n_ratings, a.n_counted)
            == (b.n_roles, b.min_items, b.figure_keys, b.n_ratings, b.n_counted)
            and all(x.dtype == y.dtype and np.array_equal(x.view(np.uint8), y.view(np.uint8))
                    for x, y in zip(arrays(a), arrays(b), strict=True)))


# --- examples ---------------------------------------------------------------------------------


def example_blocks(chosen: AnalysisSettings) -> tuple[Study, tuple[Study, ...]]:
    study = load_example()
    published = published_scores(study, chosen)[0]
    ids = published.role_ids
    return published, rater_role_blocks(published, [ids[::2], ids[1::2]])


def test_the_example_from_two_parts_pickled() -> None:
    chosen = AnalysisSettings()
    published, blocks = example_blocks(chosen)
    parts = [pickle.loads(pickle.dumps(scores_part(b, chosen))) for b in blocks]
    got = finished(published, parts[::-1], chosen).to_mapping()
    close(got, scores(published, settings=chosen).to_mapping())
    canonical = rater_role_block(published, published.role_ids)
    assert got == scores(canonical, settings=chosen).to_mapping()


def test_a_block_without_rows_adds_nothing() -> None:
    chosen = AnalysisSettings(weighting="group")
    published, blocks = example_blocks(chosen)
    empty = rater_role_block(published, [])
    assert len(empty.ratings) == 0
    nothing = scores_part(empty, chosen)
    assert nothing.n_ratings == 0
    assert len(nothing.cells) == 0
    parts = [scores_part(b, chosen) for b in blocks]
    assert (finished(published, [parts[0], nothing, parts[1]], chosen).to_mapping()
            == finished(published, parts, chosen).to_mapping())
    # the scores of no ratings at all, as the in-memory scores give them
    assert (scores_from_parts(published, nothing, chosen).to_mapping()
            == scores(empty, settings=chosen).to_mapping())


def test_combining_one_part_gives_it_back() -> None:
    chosen = AnalysisSettings()
    _, blocks = example_blocks(chosen)
    part = scores_part(blocks[0], chosen)
    assert same_parts(ScoresPart.combine([part]), part)


def test_the_part_does_not_grow_with_the_rows() -> None:
    chosen = AnalysisSettings()
    published, _ = example_blocks(chosen)
    n = len(published.ratings)
    twice = attrs.evolve(published, ratings=published.ratings.taken(
        np.concatenate([np.arange(n), np.arange(n)])))
    once, doubled = scores_part(published, chosen), scores_part(twice, chosen)
    assert doubled.n_ratings == 2 * once.n_ratings
    assert doubled.nbytes == once.nbytes
    assert np.array_equal(doubled.values.count, 2 * once.values.count)


def test_combine_refuses_parts_that_share_a_rater_role() -> None:
    chosen = AnalysisSettings()
    _, blocks = example_blocks(chosen)
    part = scores_part(blocks[0], chosen)
    with pytest.raises(ValueError, match="share a rater role"):
        ScoresPart.combine([part, part])
    with pytest.raises(ValueError, match="no scores parts"):
        ScoresPart.combine([])
    with pytest.raises(ValueError, match="different studies"):
        ScoresPart.combine([part, scores_part(blocks[1], AnalysisSettings(min_items=1))])


def test_the_finish_refuses_a_part_of_other_settings_or_another_study() -> None:
    published, blocks = example_blocks(AnalysisSettings())
    part = scores_part(blocks[0], AnalysisSettings())
    with pytest.raises(ValueError, match="min_items"):
        scores_from_parts(published, part, AnalysisSettings(min_items=1))
    one = AnalysisSettings(min_items=1)
    with pytest.raises(ValueError, match="another study"):
        scores_from_parts(many_roles(5, 10, seed=0), scores_part(blocks[0], one), one)


def test_scores_part_refuses_respondent_ties_of_another_block() -> None:
    chosen = AnalysisSettings()
    _, blocks = example_blocks(chosen)
    ties = respondent_tie_scores(blocks[1], min_items=chosen.items_needed(blocks[1].instrument))
    given = scores_part(blocks[1], chosen, respondent_ties=ties)
    assert same_parts(given, scores_part(blocks[1], chosen))
    with pytest.raises(ValueError, match="respondent_ties"):
        scores_part(blocks[0], chosen, respondent_ties=ties)


# --- many roles: the whole study sorts its scores instead of counting them in a table ------


def many_roles(n_roles: int, n_people: int, seed: int) -> Study:
    """``n_roles`` roles in three organisations, each respondent rating a few roles near their
    own, 10 % of the answers missing, some ratings without respondent, rows shuffled."""
    rng = np.random.default_rng(seed)
    roles = [Role(f"r{i:03d}", f"Role {i}", organisation=f"org{i % 3}") for i in range(n_roles)]
    owner = rng.integers(0, n_roles, n_people)
    people = [Respondent(f"p{j:05d}", roles[owner[j]].id) for j in range(n_people)]
    per = 4
    respondent = np.repeat(np.arange(n_people, dtype=np.int32), per)
    target = ((owner[respondent] + rng.integers(-3, 4, len(respondent))) % n_roles)
    source = owner[respondent]
    respondent[rng.random(len(respondent)) < 0.05] = -1  # group ratings
    scores_ = rng.integers(1, 6, size=(len(source), 7)).astype(np.float64)
    scores_[rng.random(scores_.shape) < 0.1] = np.nan
    order = rng.permutation(len(source))
    ratings = Ratings.from_arrays(
        source=source[order].astype(np.int32), target=target[order].astype(np.int32),
        scores=scores_[order], dimensions=DIMENSION_KEYS, roles=[r.id for r in roles],
        respondent=respondent[order], respondents=[p.id for p in people])
    return Study(metadata=Metadata(id="many"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


@pytest.mark.parametrize("weighting", WEIGHTINGS)
def test_many_roles_where_the_scores_are_sorted_not_counted(weighting: Weighting) -> None:
    study = many_roles(300, 3000, seed=7)
    chosen = AnalysisSettings(weighting=weighting, min_items=5)
    published = published_scores(study, chosen)[0]
    ids = list(published.role_ids)
    rng = np.random.default_rng(1)
    rng.shuffle(ids)
    blocks = rater_role_blocks(published, [ids[:40], ids[40:170], ids[170:]])
    parts = [scores_part(b, chosen) for b in blocks]
    part = ScoresPart.combine([parts[2], ScoresPart.combine([parts[0], parts[1]])])
    # more distinct RC values than the whole grid's table takes: the finish counts per value
    assert len(part.values.values) > CellScores.widest(300 * 300)
    assert isinstance(part.values.spreads(300 * 300), CellValueCounts)
    got = scores_from_parts(metadata_only(study), part, chosen).to_mapping()
    close(got, scores(published, settings=chosen).to_mapping())


def test_value_counts_give_the_spreads_of_the_sorted_scores() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(1, 40, 5000) / 7
    cells = rng.integers(0, 60, 5000)
    rows = rng.random(5000) < 0.8
    sorted_ = CellScores(values, cells, 60, table_size=1 << 21, rows=rows)
    assert sorted_.table is None
    counts = CellValueCounts.of(sorted_)
    group = (np.arange(60) % 7) - 1
    close([s.to_mapping() for s in counts.of_groups(group, 6)],
          [s.to_mapping() for s in sorted_.of_groups(group, 6)])
    close({c: s.to_mapping() for c, s in counts.occupied().items()},
          {c: s.to_mapping() for c, s in sorted_.occupied().items()})
    sets = rng.random((3, 60)) < 0.3
    close([s.to_mapping() for s in counts.of_sets(sets)],
          [s.to_mapping() for s in sorted_.of_sets(sets)])
    # from a table: the same counts
    tabled = CellScores(values, cells, 60, rows=rows)
    assert tabled.table is not None
    again = CellValueCounts.of(tabled)
    assert np.array_equal(again.values, counts.values)
    order = np.lexsort((again.rank, again.cell))
    assert np.array_equal(again.cell[order], counts.cell)
    assert np.array_equal(again.count[order], counts.count)
