"""The privacy rule in parts (relcoord.privacy.parts): decided on blocks of whole rater roles,
combined in any grouping and order, and finished on the scores of the whole published study,
it gives what ``published_scores`` gives on the whole study (scores and summary), and the
blocks' published studies hold the whole published study's rows; with the compiled passes and
with numpy alone.
"""

from __future__ import annotations

import collections
import importlib.util
import os
import pickle
import random
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

import attrs
import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.scores import (
    respondent_tie_scores,
    respondent_ties,
    scores,
    shared_respondent_tie_scores,
)
from relcoord.model import Study
from relcoord.privacy import (
    PrivacyPart,
    answer_groups,
    privacy_part,
    published_scores,
    published_scores_from_parts,
)
from relcoord.rater_role_blocks import rater_role_block, rater_role_blocks
from relcoord.ratings import Rating
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                                 reason="numba (the fast extra) is not installed")

#: Few roles and many ratings: cells with enough respondents to publish beside cells
#: withheld, repeated ratings of a tie (pooled waves), group ratings, missing items (rare
#: patterns) and roles without ratings (blocks with no rows).
dense_studies = studies(max_roles=4, max_respondents=10, max_ratings=48, with_ties=False,
                        with_invitations=False)

#: The few answer patterns of ``patterned_studies``: most ratings complete, some skipping
#: one item or two, so that cells are shown and some of their patterns are rare.
PATTERNS = ((), (), (), (0,), (0,), (1, 2))


@st.composite
def patterned_studies(draw: st.DrawFn) -> Study:
    """A study of two to four roles whose ratings answer every item or skip one of a few
    sets of items: shown cells beside withheld ones and rare answer patterns in shown cells;
    waves, repeated ratings of a tie and ratings without respondent."""
    base = draw(studies(min_roles=2, max_roles=3, max_respondents=16, max_ratings=0,
                        with_ties=False, with_invitations=False, instrument="rc7"))
    people, ids = base.respondents, base.role_ids
    waves = draw(st.lists(st.sampled_from(["w1", "w2", "w3"]), unique=True))
    keys = [d.key for d in base.instrument.dimensions]
    scale = sorted(base.instrument.dimensions[0].scores)

    def rating(person: int | None, source: int, target: int, wave: int | None,
               pattern: int, value: float) -> Rating:
        who = None if person is None or not people else people[person % len(people)]
        skipped = PATTERNS[pattern]
        return Rating(source=ids[source] if who is None else who.role, target=ids[target],
                      respondent=None if who is None else who.id,
                      wave=None if wave is None or not waves else waves[wave % len(waves)],
                      scores={k: None if j in skipped else value for j, k in enumerate(keys)})

    one = st.builds(rating, st.none() | st.integers(0, 15), st.integers(0, len(ids) - 1),
                    st.integers(0, len(ids) - 1), st.none() | st.integers(0, 2),
                    st.integers(0, len(PATTERNS) - 1), st.sampled_from(scale))
    return attrs.evolve(base, ratings=draw(st.lists(one, min_size=10, max_size=80)))


@contextmanager
def numpy_only() -> Iterator[None]:
    """The respondent-tie scores and the rule's answer groups made by numpy alone."""
    choices = [(respondent_ties, "_scoring"), (answer_groups, "_keying"),
               (answer_groups, "_repeats_seen")]
    with ExitStack() as stack:
        for module, name in choices:
            chosen = getattr(module, name)
            stack.enter_context(mock.patch.object(
                module, name, lambda engine, chosen=chosen: chosen("numpy")))
        yield


def without_ratings(study: Study) -> Study:
    """The study's metadata: what the client of a parted analysis holds."""
    return attrs.evolve(study, ratings=study.ratings.taken(np.zeros(0, dtype=np.intp)))


def row_multiset(study: Study) -> collections.Counter[tuple[Any, ...]]:
    """The rating rows as a multiset of tuples (codes, which blocks share; NaN as None)."""
    r = study.ratings
    scores_ = [tuple(None if v != v else v for v in row) for row in r.scores.tolist()]
    return collections.Counter(zip(r.source.tolist(), r.target.tolist(),
                                   r.respondent.tolist(), r.wave.tolist(), scores_,
                                   strict=True))


def combined(parts: Sequence[PrivacyPart], rng: random.Random) -> PrivacyPart:
    """The parts combined in a random order and grouping: shuffled, cut into runs, each run
    combined, then the runs' parts combined."""
    chosen = list(parts)
    rng.shuffle(chosen)
    runs: list[PrivacyPart] = []
    while chosen:
        take = rng.randint(1, len(chosen))
        runs.append(PrivacyPart.combine(chosen[:take]))
        chosen = chosen[take:]
    rng.shuffle(runs)
    return PrivacyPart.combine(runs)


def check_parts(study: Study, chosen: AnalysisSettings, groups: Sequence[Sequence[str]],
                seed: int) -> PrivacyPart:
    """Blocks of ``groups`` -> parts -> combined in a random order (``seed``) -> finished:
    equal to ``published_scores`` on the whole study.  Returns the combined part."""
    published, expected, summary = published_scores(study, chosen)
    pieces = [privacy_part(block, chosen) for block in rater_role_blocks(study, groups)]
    part = combined([p for _, p in pieces], random.Random(seed))
    result = scores(published, settings=chosen)
    shown, after = published_scores_from_parts(without_ratings(study), part, result, chosen)
    assert shown.to_mapping() == expected.to_mapping()
    assert shown == expected
    assert after.to_mapping() == summary.to_mapping()
    assert after.ties_suppressed == summary.ties_suppressed
    assert len(after.withheld) == 0
    # the blocks' published rows are the whole published study's
    rows: collections.Counter[tuple[Any, ...]] = collections.Counter()
    for block_published, _ in pieces:
        rows.update(row_multiset(block_published))
    assert rows == row_multiset(published)
    return part


@st.composite
def grouped(draw: st.DrawFn) -> tuple[Study, AnalysisSettings, list[list[str]], int]:
    """A study, settings that withhold some cells, its roles in random groups, a seed."""
    study = draw(dense_studies | patterned_studies())
    n_items = len(study.instrument.keys)
    chosen = AnalysisSettings(min_items=draw(st.integers(1, n_items) | st.just(1)),
                              min_respondents=draw(st.integers(1, 4)),
                              min_respondents_override=True)
    ids = list(study.role_ids)
    slots = draw(st.lists(st.integers(0, len(ids) - 1), min_size=len(ids),
                          max_size=len(ids)))
    groups = [[r for r, s in zip(ids, slots, strict=True) if s == g] for g in range(len(ids))]
    keep_empty: list[bool] = [draw(st.booleans()) for _ in groups]
    groups = [g for g, keep in zip(groups, keep_empty, strict=True) if g or keep]
    return study, chosen, groups, draw(st.integers(0, 2**32 - 1))


@given(grouped())
def test_parts_in_any_grouping_equal_the_whole_study(
    case: tuple[Study, AnalysisSettings, list[list[str]], int],
) -> None:
    study, chosen, groups, seed = case
    part = check_parts(study, chosen, groups, seed)
    event("cells withheld" if part.cells_withheld else "no cell withheld")
    event("rare patterns" if part.rare_pattern_ratings else "no rare pattern")
    event("ties suppressed" if part.withheld_ties else "no tie with a withheld rating")
    event("several blocks with rows" if len(part.rater_roles) > 1 else "one rater role")


@needs_numba
@settings(deadline=None, max_examples=20)
@given(grouped())
def test_numpy_alone_gives_the_same_parts(
    case: tuple[Study, AnalysisSettings, list[list[str]], int],
) -> None:
    study, chosen, groups, seed = case
    blocks = rater_role_blocks(study, groups)
    compiled = [privacy_part(block, chosen) for block in blocks]
    with numpy_only():
        plain = [privacy_part(block, chosen) for block in blocks]
        check_parts(study, chosen, groups, seed)
    for (pub_a, part_a), (pub_b, part_b) in zip(compiled, plain, strict=True):
        assert part_a == part_b
        assert row_multiset(pub_a) == row_multiset(pub_b)


@pytest.mark.parametrize("engine", ["auto", pytest.param("numpy", marks=needs_numba)])
@pytest.mark.parametrize("k", [3, 5, 8, 12])
def test_example_study_in_parts(engine: str, k: int) -> None:
    """The example study (24 roles) one role a block and in three groups, with the rule at
    several ``k``: tied cells withheld, rare answer patterns withheld from shown cells."""
    study = load_example()
    chosen = AnalysisSettings(min_respondents=k)
    with ExitStack() as stack:
        if engine == "numpy":
            stack.enter_context(numpy_only())
        ids = list(study.role_ids)
        part = check_parts(study, chosen, [[r] for r in ids], seed=k)
        check_parts(study, chosen, [ids[0::3], ids[1::3], ids[2::3]], seed=k + 1)
    assert part.ratings_withheld > 0
    assert part.withheld_ties
    if k == 5:
        assert part.rare_pattern_ratings > 0


def test_one_block_of_every_role_is_the_whole_published_study() -> None:
    """A block of every rater role is the study in canonical order: its published study holds
    the rows ``published_scores`` publishes in canonical order, in that order."""
    study = load_example()
    chosen = AnalysisSettings()
    expected = published_scores(study, chosen,
                                order=RatingsSummary.canonical_order(study))[0].ratings
    published, part = privacy_part(rater_role_block(study, study.role_ids), chosen)
    got = published.ratings
    for name in ("source", "target", "respondent", "wave"):
        assert np.array_equal(getattr(got, name), getattr(expected, name))
    assert np.array_equal(got.scores, expected.scores, equal_nan=True)
    assert PrivacyPart.combine([part]) == part
    assert part.n_ratings == len(study.ratings)


def test_block_with_no_rows() -> None:
    study = load_example()
    chosen = AnalysisSettings()
    published, part = privacy_part(rater_role_block(study, ()), chosen)
    assert len(published.ratings) == 0
    assert part == PrivacyPart(
        min_respondents=5, min_items=chosen.items_needed(study.instrument),
        n_roles=len(study.roles), rater_roles=(), n_ratings=0, ratings_withheld=0,
        rare_pattern_ratings=0, respondents_affected=0, cells_withheld=0, withheld_ties=())
    # a study without ratings: its one part is that of a block with no rows
    empty = without_ratings(study)
    _, whole, summary = published_scores(empty, chosen)
    shown, after = published_scores_from_parts(
        empty, privacy_part(empty, chosen)[1], scores(empty, settings=chosen), chosen)
    assert shown == whole
    assert after.to_mapping() == summary.to_mapping()


def test_part_pickles_and_stays_small() -> None:
    study = load_example()
    chosen = AnalysisSettings()
    _, part = privacy_part(study, chosen)
    copy = pickle.loads(pickle.dumps(part))
    assert copy == part
    assert hash(copy) == hash(part)
    # nothing per row: only counts and role (pair) codes
    assert len(part.withheld_ties) <= len(study.roles) ** 2
    assert len(part.rater_roles) <= len(study.roles)


def test_published_block_keeps_its_respondent_tie_scores_in_a_shared_block() -> None:
    """Inside ``shared_respondent_tie_scores`` the published block's scores are those the rule
    selected, equal to scoring it again (so the next step need not score it)."""
    study = load_example()
    chosen = AnalysisSettings()
    min_items = chosen.items_needed(study.instrument)
    block = rater_role_block(study, study.role_ids[:8])
    with shared_respondent_tie_scores():
        published, _ = privacy_part(block, chosen)
        kept = respondent_tie_scores(published, min_items=min_items)
    again = respondent_tie_scores(published, min_items=min_items)
    for name in ("rc", "communication", "relationship", "answered", "counted"):
        assert np.array_equal(getattr(kept, name), getattr(again, name), equal_nan=True)


def test_mismatched_parts_are_refused() -> None:
    study = load_example()
    chosen = AnalysisSettings()
    ids = study.role_ids
    _, a = privacy_part(rater_role_block(study, ids[:5]), chosen)
    _, b = privacy_part(rater_role_block(study, ids[3:9]), chosen)
    _, c = privacy_part(rater_role_block(study, ids[9:]), AnalysisSettings(min_respondents=6))
    with pytest.raises(ValueError, match="two privacy parts"):
        PrivacyPart.combine([a, b])
    with pytest.raises(ValueError, match="different rules"):
        PrivacyPart.combine([a, c])
    with pytest.raises(ValueError, match="no privacy parts"):
        PrivacyPart.combine([])
    result = scores(study, settings=chosen)
    with pytest.raises(ValueError, match="min_respondents=6"):
        published_scores_from_parts(study, c, result, chosen)
    with pytest.raises(ValueError, match="roles"):
        published_scores_from_parts(study, attrs.evolve(a, n_roles=a.n_roles + 1), result,
                                    chosen)
