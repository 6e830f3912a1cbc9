"""Differencing attacks on published figures (rule 1b of relcoord.privacy, docs/privacy.md).

Two attacks worked before rule 1b, both with every figure resting on at least ``k`` people:

* within one analysis, a tie whose RC counts one person more than an item mean (that person
  skipped the item) gives away that person's mean: ``n * RC - sum(item sums) / I`` is
  ``(1/a - 1/I)`` times the sum of their answers;
* across two analyses of one study that differ in ``min_items``, ``n * RC - (n-1) * RC'`` is
  one person's mean.

Rule 1b groups a tie's counted respondent-ties by the items they answered and withholds a
group of fewer than ``k`` people.  The tests below replay both attacks, then check the
invariant behind the defence on generated studies with a reference written out in plain
Python: every figure shown rests on answer-pattern groups of at least ``k`` people, in one
analysis and in the difference of two.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from relcoord.analysis import Analysis, analyze
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.ratings import Rating
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

ITEMS = ("frequent", "timely", "accurate", "problem_solving",
         "shared_goals", "shared_knowledge", "mutual_respect")


def _study(answers: dict[str, dict[str, float | None]]) -> Study:
    """Teachers rate KUI, one row per teacher with the given answers (the rest 3.0)."""
    teachers = [Respondent(person, "teachers") for person in answers]
    ratings = [Rating(source="teachers", target="kui", respondent=person,
                      scores={item: given.get(item, 3.0) for item in ITEMS})
               for person, given in answers.items()]
    return Study(metadata=Metadata(id="differencing"), instrument="rc7",
                 roles=[Role("teachers", "Teachers", "school"),
                        Role("kui", "KUI", "municipality")],
                 respondents=teachers, ratings=ratings)


def _residual(analysis: Analysis) -> float:
    """The within-analysis attack: ``n * RC`` minus what the item means account for.

    Zero when every counted person answered every item; otherwise ``(1/a - 1/I)`` times the
    answer sums of the people who skipped, which is one person's answers when one skipped.
    """
    tie = analysis.scores.tie("teachers", "kui")
    assert tie is not None
    assert tie.rc is not None
    assert tie.n_respondents is not None
    n = tie.n_respondents
    item_sums = sum(n * mean for mean in tie.dimensions.values() if mean is not None)
    return n * tie.rc - item_sums / len(ITEMS)


def test_one_skipped_item_no_longer_gives_away_a_mean() -> None:
    answers: dict[str, dict[str, float | None]] = {
        f"t{i}": {"frequent": 2.0 + i % 3, "mutual_respect": 5.0 - i % 2} for i in range(6)}
    answers["t5"] = {"timely": None, "frequent": 1.0, "accurate": 5.0}  # the skipper
    analysis = analyze(_study(answers))
    assert analysis.privacy.rare_pattern_ratings == 1
    assert analysis.privacy.ratings_withheld == 1
    tie = analysis.scores.tie("teachers", "kui")
    assert tie is not None
    assert not tie.suppressed
    assert tie.n_respondents == 5  # the five who answered everything
    assert _residual(analysis) == pytest.approx(0.0, abs=1e-12)
    # and the skipper's answers move no published number
    answers["t5"] = {"timely": None, "frequent": 5.0, "accurate": 1.0}
    assert analyze(_study(answers)).to_mapping() == analysis.to_mapping()


def test_k_people_with_one_pattern_are_published_together() -> None:
    answers: dict[str, dict[str, float | None]] = {
        f"t{i}": {"frequent": 1.0 + i % 5} for i in range(5)}
    answers |= {f"s{i}": {"timely": None, "accurate": 2.0 + i % 2} for i in range(5)}
    analysis = analyze(_study(answers))
    assert analysis.privacy.ratings_withheld == 0
    tie = analysis.scores.tie("teachers", "kui")
    assert tie is not None
    assert tie.n_respondents == 10
    # the residual is there, but it is a sum over five people, never one
    assert _residual(analysis) != pytest.approx(0.0)


def test_a_small_complete_group_beside_large_incomplete_ones_is_withheld() -> None:
    """The complete pattern is a group like any other: one complete person beside two groups
    of five who each skipped one item would be isolated by the RC and the sub-indices."""
    answers: dict[str, dict[str, float | None]] = {"c0": {"frequent": 4.0}}
    answers |= {f"a{i}": {"frequent": None} for i in range(5)}
    answers |= {f"b{i}": {"mutual_respect": None} for i in range(5)}
    analysis = analyze(_study(answers))
    assert analysis.privacy.rare_pattern_ratings == 1
    tie = analysis.scores.tie("teachers", "kui")
    assert tie is not None
    assert tie.n_respondents == 10


def test_two_analyses_differing_in_min_items_do_not_isolate_a_person() -> None:
    answers: dict[str, dict[str, float | None]] = {
        f"t{i}": {"frequent": 1.0 + i % 5, "accurate": 5.0 - i % 4} for i in range(6)}
    answers["t6"] = {"shared_goals": None, "frequent": 5.0, "accurate": 5.0}
    study = _study(answers)
    default, complete = analyze(study), analyze(study, min_items=7)
    a, b = default.scores.tie("teachers", "kui"), complete.scores.tie("teachers", "kui")
    assert a is not None
    assert b is not None
    assert a.rc is not None
    assert b.rc is not None
    assert a.n_respondents == b.n_respondents == 6
    assert a.n_respondents * a.rc - (b.n_respondents - 1) * b.rc == pytest.approx(b.rc)


# --- the invariant on generated studies, with a plain-Python reference ----------------------


def _groups_behind_shown_ties(
    study: Study, analysis: Analysis
) -> dict[tuple[str, str], dict[frozenset[int], set[str | int]]]:
    """Per tie the analysis shows, its counted published rows grouped by answered items,
    each group as its set of people (a rating without respondent is a person of its own)."""
    settings_ = analysis.settings
    needed = settings_.items_needed(study.instrument)
    shown = {(t.source, t.target) for t in analysis.scores.ties if not t.suppressed}
    groups: dict[tuple[str, str], dict[frozenset[int], set[str | int]]] = defaultdict(
        lambda: defaultdict(set))
    ids = study.role_ids
    ratings = study.ratings
    withheld = analysis.privacy.withheld
    for row in range(len(ratings)):
        if withheld[row]:
            continue
        answered = frozenset(j for j, value in enumerate(ratings.scores[row])
                             if not math.isnan(value))
        tie = (ids[int(ratings.source[row])], ids[int(ratings.target[row])])
        if len(answered) < needed or tie not in shown:
            continue
        person = int(ratings.respondent[row])
        groups[tie][answered].add(person if person >= 0 else f"row-{row}")
    return groups


@st.composite
def study_and_rule(draw: st.DrawFn) -> tuple[Study, int, int]:
    study = draw(studies(max_roles=3, max_respondents=14, max_ratings=30, max_waves=2))
    assume(np.isnan(study.ratings.scores).any())
    k = draw(st.sampled_from([2, 3]))
    n_items = len(study.instrument.keys)
    other = draw(st.integers(min_value=1, max_value=n_items))
    return study, k, other


@given(case=study_and_rule())
@settings(max_examples=40)
def test_every_shown_figure_rests_on_answer_patterns_of_k_people(
    case: tuple[Study, int, int],
) -> None:
    study, k, other = case
    rule = AnalysisSettings(min_respondents=k, min_respondents_override=True)
    analyses = [analyze(study, rule), analyze(study, rule, min_items=other)]
    behind = [_groups_behind_shown_ties(study, a) for a in analyses]
    for groups in behind:  # within one analysis
        for patterns in groups.values():
            assert all(len(people) >= k for people in patterns.values())
    # between the two: a tie shown by both differs by whole groups of at least k people
    for tie in behind[0].keys() & behind[1].keys():
        first, second = behind[0][tie], behind[1][tie]
        for pattern in first.keys() ^ second.keys():
            people = first.get(pattern) or second[pattern]
            assert len(people) >= k
        for pattern in first.keys() & second.keys():
            assert first[pattern] == second[pattern]
