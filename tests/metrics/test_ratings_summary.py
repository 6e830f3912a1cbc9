"""RatingsSummary (relcoord.metrics.ratings_summary): the summaries of any split of a study merge
to the summary of the whole, and the analysis of the merged summary is the analysis of the
study.

Splits are drawn by respondent, by row (a respondent's rows in several parts) and by wave (a
panel respondent's waves in several parts); the merged summary must equal the whole's exactly
(it holds codes and counts), and ``analyze_summary`` of it must give the same
``Analysis.to_mapping()`` as ``analyze`` of the study, privacy included, also when the study
passed for its metadata has no ratings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.analysis import analyze, analyze_summary
from relcoord.example import load_example
from relcoord.metrics.ratings_summary import RatingsSummary, RespondentTieRows
from relcoord.model import Study
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

Bools = npt.NDArray[np.bool_]
many = studies(max_roles=4, max_respondents=10, max_ratings=60, with_ties=False,
               with_invitations=False)
whole_studies = studies(max_roles=4, max_respondents=12, max_ratings=50, max_ties=6,
                        max_invitations=3)


@pytest.fixture(scope="module")
def demo_study() -> Study:
    return load_example()


def part(study: Study, rows: Bools) -> Study:
    return attrs.evolve(study, ratings=study.ratings.select(rows))


def summary(study: Study) -> RatingsSummary:
    return RatingsSummary.of(study, AnalysisSettings())


def split(study: Study, data: st.DataObject, n_parts: int, how: str) -> list[Bools]:
    """Row masks of ``n_parts`` parts: ``respondent`` (a respondent's rows in one part),
    ``row`` (any row anywhere) or ``wave`` (a wave's rows in one part, so a panel respondent
    sits in several)."""
    ratings = study.ratings
    n = len(ratings)
    if how == "respondent":
        units, codes = len(ratings.respondents), ratings.respondent
    elif how == "wave":
        units, codes = len(ratings.waves), ratings.wave
    else:
        units, codes = 0, np.full(n, -1)
    owner = data.draw(st.lists(st.integers(0, n_parts - 1), min_size=units, max_size=units))
    loose = data.draw(st.lists(st.integers(0, n_parts - 1), min_size=n, max_size=n))
    where = np.array([owner[c] if c >= 0 else loose[r] for r, c in enumerate(codes.tolist())],
                     dtype=np.int64).reshape(-1)
    return [where == i for i in range(n_parts)]


def reduce_in_order(parts: list[RatingsSummary], order: list[int]) -> RatingsSummary:
    left = parts[order[0]]
    for i in order[1:]:
        left = left + parts[i]
    return left


def reduce_as_tree(parts: list[RatingsSummary]) -> RatingsSummary:
    tree = parts
    while len(tree) > 1:
        tree = [tree[i] + tree[i + 1] if i + 1 < len(tree) else tree[i]
                for i in range(0, len(tree), 2)]
    return tree[0]


HOW = st.sampled_from(("respondent", "row", "wave"))


@settings(deadline=None)
@given(many, st.data(), HOW)
def test_merging_any_split_gives_the_whole(study: Study, data: st.DataObject, how: str) -> None:
    n_parts = data.draw(st.integers(1, 4))
    parts = [summary(part(study, rows)) for rows in split(study, data, n_parts, how)]
    whole = summary(study)
    assert reduce_in_order(parts, data.draw(st.permutations(range(n_parts)))).equals(whole)
    assert reduce_as_tree(parts).equals(whole)
    assert sum(parts).equals(whole)  # type: ignore[union-attr]
    order = data.draw(st.permutations(range(n_parts)))
    assert RatingsSummary.merged([parts[i] for i in order]).equals(whole)


@settings(deadline=None)
@given(many, st.data(), HOW)
def test_merging_is_commutative_and_associative(study: Study, data: st.DataObject,
                                                how: str) -> None:
    a, b, c = (summary(part(study, rows)) for rows in split(study, data, 3, how))
    assert (a + b).equals(b + a)
    assert ((a + b) + c).equals(a + (b + c))


@settings(deadline=None)
@given(many, st.data())
def test_the_summary_does_not_depend_on_the_row_order(study: Study, data: st.DataObject) -> None:
    order = np.asarray(data.draw(st.permutations(range(len(study.ratings)))), dtype=np.intp)
    shuffled = attrs.evolve(study, ratings=study.ratings.select(order))
    assert summary(shuffled).equals(summary(study))


def same_store(a: Ratings, b: Ratings) -> bool:
    """Every vocabulary and array equal, bit for bit (NaN where NaN)."""
    return (
        (a.dimensions, a.roles, a.respondents, a.waves)
        == (b.dimensions, b.roles, b.respondents, b.waves)
        and all(np.array_equal(getattr(a, n), getattr(b, n))
                for n in ("source", "target", "respondent", "wave"))
        and a.scores.tobytes() == b.scores.tobytes()
    )


@settings(deadline=None)
@given(many, st.data(), st.booleans())
def test_canonical_ratings_are_the_summary_s_rows(study: Study, data: st.DataObject,
                                                  twice: bool) -> None:
    """``canonical_ratings`` (what ``analyze`` reads) is the summary's ``ratings``, bit for bit,
    and its order maps the study's rows there; also with a tie rated twice by one
    respondent in one wave, where the answers decide the order."""
    if twice and len(study.ratings):
        study = attrs.evolve(study, ratings=Ratings.concat([study.ratings, study.ratings]))
    order = np.asarray(data.draw(st.permutations(range(len(study.ratings)))), dtype=np.intp)
    shuffled = attrs.evolve(study, ratings=study.ratings.select(order))
    rows, taken = RatingsSummary.canonical_ratings(shuffled)
    assert same_store(rows, summary(shuffled).ratings(shuffled))
    if taken is None:
        assert rows is shuffled.ratings
    else:
        assert same_store(rows, shuffled.ratings.select(taken))


def panel(study: Study) -> Study:
    """``study`` with every first-wave rating answered again, with the same answers, in the
    second wave: each first-wave respondent is a panel respondent."""
    ratings = study.ratings
    first = ratings.select(ratings.wave == 0)
    again = Ratings.from_arrays(
        source=first.source, target=first.target, scores=first.scores,
        dimensions=first.dimensions, roles=first.roles, respondent=first.respondent,
        respondents=first.respondents, wave=np.ones(len(first), dtype=np.int32),
        waves=first.waves)
    return attrs.evolve(study, ratings=Ratings.concat([ratings, again]))


def test_a_panel_respondent_split_across_waves_merges(demo_study: Study) -> None:
    study = panel(demo_study)
    ratings = study.ratings
    first = ratings.wave == 0
    person = int(ratings.respondent[first][0])
    assert ((ratings.respondent == person) & ~first).any()  # the same person in another wave
    merged = summary(part(study, ~first)) + summary(part(study, first))
    assert merged.equals(summary(study))
    chosen = AnalysisSettings(compare=("konference-1", "konference-2"), n_boot=50)
    parts = [RatingsSummary.of(part(study, ratings.wave == w), chosen) for w in range(3)]
    assert (analyze_summary(study, parts[2] + parts[0] + parts[1], chosen).to_mapping()
            == analyze(study, chosen).to_mapping())


# --- the analysis of a merged summary ------------------------------------------------------


def analysis_settings(data: st.DataObject, study: Study) -> dict[str, Any]:
    return {
        "min_respondents": data.draw(st.sampled_from((1, 2, 5))),
        "min_respondents_override": True,
        "min_items": data.draw(st.none() | st.integers(1, len(study.instrument.keys))),
        "weighting": data.draw(st.sampled_from(("respondent", "tie"))),
        "n_boot": 20,
    }


@settings(deadline=None, max_examples=40)
@given(whole_studies, st.data(), HOW)
def test_the_analysis_of_merged_parts_is_the_analysis_of_the_study(
        study: Study, data: st.DataObject, how: str) -> None:
    chosen = AnalysisSettings.from_mapping(analysis_settings(data, study))
    if len(study.waves) >= 2 and data.draw(st.booleans()):
        chosen = attrs.evolve(chosen, compare=(study.waves[0], study.waves[1]))
    n_parts = data.draw(st.integers(1, 3))
    parts = [RatingsSummary.of(part(study, rows), chosen)
             for rows in split(study, data, n_parts, how)]
    merged = reduce_in_order(parts, data.draw(st.permutations(range(n_parts))))
    expected = analyze(study, chosen).to_mapping()
    assert analyze_summary(study, merged, chosen).to_mapping() == expected
    metadata_only = attrs.evolve(study, ratings=Ratings.empty(study.instrument.keys))
    assert analyze_summary(metadata_only, merged, chosen).to_mapping() == expected


def test_the_demo_analysis_from_wave_parts(demo_study: Study) -> None:
    chosen = AnalysisSettings(compare=("konference-1", "konference-2"), n_boot=50)
    waves = demo_study.ratings.wave
    parts = [RatingsSummary.of(part(demo_study, waves == w), chosen) for w in range(3)]
    metadata_only = attrs.evolve(demo_study, ratings=Ratings.empty(demo_study.instrument.keys))
    assert (analyze_summary(metadata_only, sum(parts), chosen).to_mapping()  # type: ignore[arg-type]
            == analyze(demo_study, chosen).to_mapping())


def test_analyze_summary_takes_keyword_settings(demo_study: Study) -> None:
    merged = summary(demo_study)
    assert (analyze_summary(demo_study, merged, min_respondents=3).to_mapping()
            == analyze(demo_study, min_respondents=3).to_mapping())


def test_a_summary_of_another_study_is_refused(demo_study: Study) -> None:
    other = demo_study.without_role(demo_study.role_ids[-1], cascade=True)
    with pytest.raises(ValueError, match="other roles"):
        analyze_summary(other, summary(demo_study))
    with pytest.raises(ValueError, match="cannot be merged"):
        summary(demo_study) + summary(other)
    unknown = attrs.evolve(demo_study, respondents=demo_study.respondents[1:],
                           ratings=Ratings.empty(demo_study.instrument.keys))
    with pytest.raises(ValueError, match="not in the study"):
        analyze_summary(unknown, summary(demo_study))


# --- the form other code relies on ---------------------------------------------------------


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if attrs.has(type(value)):
        return [leaf for field in attrs.fields(type(value))
                for leaf in leaves(getattr(value, field.name), f"{path}.{field.name}")]
    return [(path, value)]


def plain(value: Any) -> bool:
    if isinstance(value, tuple):
        return all(plain(v) for v in value)
    return isinstance(value, int | float | str)


def test_every_field_is_an_array_or_a_plain_value(demo_study: Study, tmp_path: Path) -> None:
    for path, value in leaves(summary(demo_study)):
        if isinstance(value, np.ndarray):
            assert value.dtype != object, path
            target = tmp_path / f"{path}.npy"
            np.save(target, value, allow_pickle=False)
            assert np.array_equal(np.load(target, allow_pickle=False), value)
        else:
            assert plain(value), path


def test_the_rows_are_smaller_than_the_rating_arrays(demo_study: Study) -> None:
    ratings = demo_study.ratings
    rows = summary(demo_study).rows
    assert isinstance(rows, RespondentTieRows)
    study_bytes = sum(getattr(ratings, n).nbytes
                      for n in ("source", "target", "respondent", "wave", "scores"))
    assert summary(demo_study).nbytes < study_bytes / 2


# --- the answers: coded and decoded without loss -------------------------------------------


@settings(deadline=None)
@given(many)
def test_the_rows_give_back_the_ratings(study: Study) -> None:
    metadata_only = attrs.evolve(study, ratings=Ratings.empty(study.instrument.keys))
    assert summary(study).ratings(metadata_only) == study.ratings
    assert summary(study).ratings(study) == study.ratings


def test_a_scale_of_fractions_is_coded_by_search() -> None:
    from relcoord.instruments import Dimension, Instrument
    from relcoord.model import Metadata, Respondent, Role
    from relcoord.ratings import Rating

    scoring = (0.25, -1.5, 2.75, 100.0)
    instrument = Instrument(id="odd", title="", dimensions=[
        Dimension(key="frequent", sub_index="communication", names={}, answers={},
                  scoring=scoring),
        Dimension(key="timely", sub_index="communication", names={}, answers={},
                  scoring=(1.0, 5000.0))])
    ratings = [Rating(source="a", target="b", respondent=f"p{i}",
                      scores={"frequent": scoring[i % 4], "timely": None if i % 3 else 5000.0})
               for i in range(9)]
    study = Study(metadata=Metadata(id="odd"), instrument=instrument,
                  roles=[Role("a", "A"), Role("b", "B")],
                  respondents=[Respondent(f"p{i}", "a") for i in range(9)], ratings=ratings)
    made = summary(study)
    assert made.scales == ((-1.5, 0.25, 2.75, 100.0), (1.0, 5000.0))
    assert sorted(made.rows.answers[:, 0].tolist()) == [0, 0, 1, 1, 1, 2, 2, 3, 3]
    assert made.ratings(study) == study.ratings


def test_an_answer_off_the_scale_is_refused() -> None:
    from relcoord.metrics.ratings_summary import _answer_codes

    column = np.array([1.0, np.nan, 3.0])
    assert _answer_codes(column, (1.0, 2.0, 3.0), "x").tolist() == [0, -1, 2]
    for bad in (np.array([2.5]), np.array([7.0]), np.array([0.0])):
        with pytest.raises(ValueError, match="off its scale"):
            _answer_codes(bad, (1.0, 2.0, 3.0), "x")
        with pytest.raises(ValueError, match="off its scale"):
            _answer_codes(bad, (1.0, 2.0, 3.5), "x")


# --- analyze carries the caller's study -----------------------------------------------------


@settings(deadline=None, max_examples=30)
@given(whole_studies, st.data())
def test_analyze_carries_the_callers_study_with_its_withheld_rows(
        study: Study, data: st.DataObject) -> None:
    order = np.asarray(data.draw(st.permutations(range(len(study.ratings)))), dtype=np.intp)
    shuffled = attrs.evolve(study, ratings=study.ratings.select(order))
    chosen = AnalysisSettings.from_mapping(analysis_settings(data, study))
    analysis = analyze(shuffled, chosen)
    assert analysis.study is shuffled
    from_summary = analyze_summary(shuffled, RatingsSummary.of(shuffled), chosen)
    assert analysis.to_mapping() == from_summary.to_mapping()
    # the same ratings are withheld, each at its own row
    assert analysis.published == from_summary.published
    expected = ~publishable_rows_of(shuffled, chosen)
    assert np.array_equal(analysis.privacy.withheld, expected)


def publishable_rows_of(study: Study, chosen: AnalysisSettings) -> Bools:
    from relcoord.privacy import publishable_ratings

    return np.asarray(publishable_ratings(study, chosen), dtype=bool)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=60), st.sampled_from([41, 2**40, 2**62]))
def test_the_key_order_is_the_stable_sort_of_the_keys(values: list[int], bound: int) -> None:
    """Packed (key, row) values sorted by value give the stable argsort's permutation, ties in
    row order; a bound too wide to pack with the row numbers takes the argsort itself."""
    from relcoord.metrics.ratings_summary import _key_order

    key = np.asarray(values, dtype=np.int64) * (bound // 41)
    order, ordered = _key_order(key.copy(), bound)
    np.testing.assert_array_equal(order, np.argsort(key, kind="stable"))
    np.testing.assert_array_equal(ordered, key[order])
