"""Rater-role blocks (`relcoord.rater_role_blocks`) and the role network's table of rated
pairs, which an analysis from blocks sums instead of reading the rows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.metrics.network import network_metrics
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.model import Study
from relcoord.rater_role_blocks import (
    balanced_groups,
    rater_role_block,
    rater_role_blocks,
    rater_role_groups,
    without_rows,
)
from relcoord.ratings import Ratings
from relcoord.role_network import rated_network, rated_pair_table, role_network
from relcoord.testing.strategies import rater_role_groupings, studies


def _rows(study: Study) -> list[tuple[object, ...]]:
    """The rating rows as comparable tuples (NaN as None)."""
    r = study.ratings
    return [
        (r.roles[s], r.roles[t], None if p < 0 else r.respondents[p],
         None if w < 0 else r.waves[w],
         tuple(None if v != v else float(v) for v in row))
        for s, t, p, w, row in zip(r.source.tolist(), r.target.tolist(),
                                   r.respondent.tolist(), r.wave.tolist(),
                                   r.scores.tolist(), strict=True)
    ]


@st.composite
def _study_and_groups(draw: st.DrawFn) -> tuple[Study, tuple[tuple[str, ...], ...]]:
    study = draw(studies(max_roles=6, max_ratings=40))
    return study, draw(rater_role_groupings(study))


@settings(max_examples=60)
@given(_study_and_groups())
def test_blocks_hold_every_row_once_in_canonical_order(
        case: tuple[Study, tuple[tuple[str, ...], ...]]) -> None:
    study, groups = case
    blocks = rater_role_blocks(study, groups)
    whole = RatingsSummary.canonical_order(study)
    ordered = study.ratings if whole is None else study.ratings.taken(whole)
    canonical = _rows(Study(metadata=study.metadata, instrument=study.instrument,
                            roles=study.roles, respondents=study.respondents,
                            ratings=ordered))
    for group, block in zip(groups, blocks, strict=True):
        assert RatingsSummary.canonical_order(block) is None  # canonical already
        rows = _rows(block)
        assert all(row[0] in group for row in rows)
        # the whole study's canonical rows, restricted to the block: the block's rows
        assert rows == [row for row in canonical if row[0] in group]
        assert block.ratings.waves == study.ratings.waves
        assert block.respondents == study.respondents
    assert sum(len(b.ratings) for b in blocks) == len(study.ratings)


@settings(max_examples=60)
@given(_study_and_groups())
def test_rated_pair_tables_of_blocks_add_up_to_the_rated_network(
        case: tuple[Study, tuple[tuple[str, ...], ...]]) -> None:
    study, groups = case
    tables = [rated_pair_table(b) for b in rater_role_blocks(study, groups)]
    n = len(study.roles)
    total = np.sum(tables, axis=0) if tables else np.zeros(n * n, dtype=np.int64)
    assert np.array_equal(total, rated_pair_table(study))
    assert np.array_equal(total, rated_pair_table(study, engine="numpy"))
    built = rated_network(without_rows(study), total)
    direct = role_network(study, basis="ratings")
    for name in ("source", "target", "count", "weight"):
        assert np.array_equal(getattr(built, name), getattr(direct, name))
    assert (built.basis, built.wave, built.roles) == (direct.basis, direct.wave, direct.roles)
    assert (network_metrics(without_rows(study), rated=built, backend="networkx").to_mapping()
            == network_metrics(study, backend="networkx").to_mapping())


def test_rated_network_checks_its_table() -> None:
    study = load_example()
    with pytest.raises(ValueError, match="entries"):
        rated_network(study, np.zeros(3, dtype=np.int64))
    rated = role_network(study, basis="ratings", wave=study.waves[0])
    with pytest.raises(ValueError, match="every wave"):
        network_metrics(study, rated=rated)


def test_groups_are_balanced_and_cover_the_rater_roles() -> None:
    study = load_example()
    groups = rater_role_groups(study, 3)
    assert len(groups) == 3
    flat = [r for g in groups for r in g]
    assert sorted(flat) == sorted({study.ratings.roles[s] for s in study.ratings.source.tolist()})
    sizes = [len(rater_role_block(study, g).ratings) for g in groups]
    assert max(sizes) - min(sizes) <= max(np.bincount(study.ratings.source))
    assert balanced_groups(("a", "b", "c"), (5, 1, 1), 2) == (("a",), ("b", "c"))
    assert balanced_groups(("a", "b"), (1, 1), 5) == (("a",), ("b",))
    with pytest.raises(ValueError, match="at least 1"):
        rater_role_groups(study, 0)
    with pytest.raises(ValueError, match="two groups"):
        rater_role_blocks(study, [("teachers",), ("teachers", "kui")])
    with pytest.raises(ValueError, match="no role"):
        rater_role_block(study, ["nobody"])


def test_without_rows_keeps_the_vocabularies() -> None:
    study = load_example()
    facts = without_rows(study)
    assert len(facts.ratings) == 0
    for name in ("dimensions", "roles", "respondents", "waves"):
        assert getattr(facts.ratings, name) == getattr(study.ratings, name)
    assert without_rows(study, waves=("w",)).ratings.waves == ("w",)
    assert (facts.roles, facts.respondents, facts.ties) == (study.roles, study.respondents,
                                                             study.ties)


@settings(max_examples=60)
@given(_study_and_groups())
def test_a_summary_cut_by_rater_roles_is_the_summary_of_the_block(
        case: tuple[Study, tuple[tuple[str, ...], ...]]) -> None:
    study, groups = case
    whole = RatingsSummary.of(study)
    cuts = [whole.of_rater_roles(group) for group in groups]
    for group, cut in zip(groups, cuts, strict=True):
        assert cut.equals(RatingsSummary.of(rater_role_block(study, group)))
        assert rows_of(cut.ratings(study)) == rows_of(rater_role_block(study, group).ratings)
    if cuts:
        assert RatingsSummary.merged(cuts).equals(whole)


def rows_of(ratings: Ratings) -> list[tuple[object, ...]]:
    """Each row's codes and answers (NaN as None)."""
    return [(*codes, tuple(None if v != v else v for v in answers))
            for *codes, answers in zip(*(getattr(ratings, n).tolist() for n in
                                         ("source", "target", "respondent", "wave", "scores")),
                                       strict=True)]


def test_cutting_a_summary_refuses_an_unknown_role() -> None:
    with pytest.raises(ValueError, match="no role 'nobody'"):
        RatingsSummary.of(load_example()).of_rater_roles(["nobody"])


def test_checked_ratings_must_share_the_study_s_vocabularies() -> None:
    study = load_example()
    same = study.with_checked_ratings(study.ratings.taken(np.arange(5)))
    assert len(same.ratings) == 5
    assert same.respondents is study.respondents
    other = study.ratings.recode(roles=(*study.ratings.roles, "zz-extra"),
                                 respondents=study.ratings.respondents,
                                 dimensions=study.ratings.dimensions)
    with pytest.raises(ValueError, match="roles"):
        study.with_checked_ratings(other)
