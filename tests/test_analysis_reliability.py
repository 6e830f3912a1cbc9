"""The ``reliability`` section of the Analysis: computed from the published ratings only."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
import numpy as np
import pytest
from hypothesis import given

from relcoord import Analysis, Rating, Respondent, Role, Study, analyze
from relcoord.analysis import analysis_schema
from relcoord.example import load_example
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.reliability import reliability_summary
from relcoord.model import Metadata
from relcoord.testing.strategies import studies


@cache
def example(**settings: Any) -> Analysis:
    return analyze(load_example(), **settings)


def validate(data: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(analysis_schema()).validate(data)


def two_groups() -> Study:
    """Six teachers rate the counsellors (publishable); two counsellors rate the teachers
    (withheld at k = 5) with answers that differ wildly (they would lower every figure)."""
    people = [Respondent(f"t{i}", "teachers") for i in range(6)]
    people += [Respondent(f"c{i}", "counsellors") for i in range(2)]
    ratings = [
        Rating(source="teachers", target="counsellors", respondent=f"t{i}",
               scores=dict(zip(DIMENSION_KEYS, [4, 4, 5, 4, 4, 5, 4] if i % 2 else
                               [3, 4, 4, 4, 3, 4, 4], strict=True)))
        for i in range(6)
    ] + [
        Rating(source="counsellors", target="teachers", respondent=f"c{i}",
               scores=dict(zip(DIMENSION_KEYS, [1, 5, 1, 5, 1, 5, 1] if i else
                               [5, 1, 5, 1, 5, 1, 5], strict=True)))
        for i in range(2)
    ]
    return Study(metadata=Metadata(id="two-groups"), instrument="rc7-classic",
                 roles=[Role("teachers", "Teachers"), Role("counsellors", "Counsellors")],
                 respondents=people, ratings=ratings)


def test_section_is_present_and_matches_the_published_ratings() -> None:
    analysis = example()
    data = analysis.to_mapping()
    validate(data)
    section = data["reliability"]
    expected = reliability_summary(analysis.published)
    assert set(section["cronbach_alpha"]) == {"rc", "communication", "relationship"}
    for scale, result in expected.alpha.items():
        assert section["cronbach_alpha"][scale] == result.alpha
        assert section["scales"][scale]["n"] == result.n
    # the relationskort has no relationship items: no alpha, null (not NaN, not missing)
    assert section["cronbach_alpha"]["relationship"] is None
    assert section["cronbach_alpha"]["rc"] == pytest.approx(expected.alpha["rc"].alpha)
    assert section["icc"]["icc1"] == expected.icc.icc1
    assert section["icc"]["n"] == expected.icc.n
    # the study's own ratings would give other figures: the raw study is never used
    raw = reliability_summary(analysis.study)
    assert raw.alpha["rc"].n > expected.alpha["rc"].n
    assert section["thresholds"]["alpha"] == 0.70
    assert section["thresholds"]["rwg_j"] == 0.70


def test_agreement_only_for_tie_waves_with_enough_raters() -> None:
    analysis = example()
    k = analysis.settings.min_respondents
    section = analysis.to_mapping()["reliability"]["agreement"]
    full = reliability_summary(analysis.published).agreement
    shown = {(t["source"], t["target"], t["wave"]) for t in section["ties"]}
    assert all(t["n"] >= k for t in section["ties"])
    assert len(shown) + section["ties_withheld"] == len(full.ties)
    for tie in full.ties:
        if (tie.source, tie.target, tie.wave) in shown:
            entry = next(t for t in section["ties"]
                         if (t["source"], t["target"], t["wave"]) ==
                         (tie.source, tie.target, tie.wave))
            assert entry["rwg_j"] == tie.rwg_j
        else:
            assert tie.n < k  # the example has one rating per respondent, tie and wave
    suppressed = set(analysis.privacy.ties_suppressed)
    assert suppressed
    assert not {(s, t) for s, t, _ in shown} & suppressed


def test_suppressed_ties_have_no_agreement_and_do_not_move_alpha() -> None:
    study = two_groups()
    analysis = analyze(study)  # k = 5: the counsellors' tie is withheld
    assert analysis.privacy.ties_suppressed == (("counsellors", "teachers"),)
    data = analysis.to_mapping()
    validate(data)
    ties = {(t["source"], t["target"]) for t in data["reliability"]["agreement"]["ties"]}
    assert ties == {("teachers", "counsellors")}
    published = reliability_summary(analysis.published)
    assert data["reliability"]["cronbach_alpha"]["rc"] == published.alpha["rc"].alpha
    assert published.alpha["rc"].n == 6
    # the withheld answers would change alpha: it is computed without them
    assert reliability_summary(study).alpha["rc"].alpha != published.alpha["rc"].alpha


def test_changing_a_withheld_groups_answers_changes_no_reliability_figure() -> None:
    study = two_groups()
    before = analyze(study).to_mapping()["reliability"]
    scores = study.ratings.scores.copy()
    scores[study.ratings.source == study.role_ids.index("counsellors")] = 3.0
    changed = Study(
        metadata=study.metadata, instrument=study.instrument, roles=study.roles,
        respondents=study.respondents,
        ratings=type(study.ratings).from_arrays(
            source=study.ratings.source, target=study.ratings.target, scores=scores,
            dimensions=study.ratings.dimensions, roles=study.ratings.roles,
            respondent=study.ratings.respondent, respondents=study.ratings.respondents,
        ),
    )
    assert not np.array_equal(changed.ratings.scores, study.ratings.scores)
    assert analyze(changed).to_mapping()["reliability"] == before


def test_alpha_blanked_below_min_respondents() -> None:
    study = two_groups()
    # k = 7: nothing is publishable; alpha and the ICC rest on nobody
    data = analyze(study, min_respondents=7).to_mapping()["reliability"]
    assert data["cronbach_alpha"] == {"rc": None, "communication": None, "relationship": None}
    assert data["agreement"]["ties"] == []
    assert data["icc"]["icc1"] is None


@given(studies())
def test_generated_studies_have_a_valid_reliability_section(study: Study) -> None:
    data = analyze(study, min_respondents=3).to_mapping()
    validate(data)
    # allow_nan=False raises on a NaN or infinite number; a role may well be *named* "NaN"
    json.dumps(data, allow_nan=False)
    assert all(t["n"] >= 3 for t in data["reliability"]["agreement"]["ties"])


def test_agreement_counts_distinct_raters_not_ratings() -> None:
    """Wave 2 has five ratings of the tie but only four people (one rated twice): its
    agreement would rest on four respondents and is left out; wave 1 (five people) stays."""
    people = [Respondent(f"t{i}", "teachers") for i in range(5)]
    people += [Respondent(f"c{i}", "counsellors") for i in range(5)]

    def rating(person: str, wave: str, shift: int) -> Rating:
        values = [min(5, 2 + (shift + j) % 4) for j in range(7)]
        return Rating(source="teachers", target="counsellors", respondent=person, wave=wave,
                      scores=dict(zip(DIMENSION_KEYS, values, strict=True)))

    ratings = [rating(f"t{i}", "w1", i) for i in range(5)]
    ratings += [rating(f"t{i}", "w2", i + 1) for i in range(4)] + [rating("t0", "w2", 3)]
    study = Study(metadata=Metadata(id="twice"), instrument="rc7-classic",
                  roles=[Role("teachers", "Teachers"), Role("counsellors", "Counsellors")],
                  respondents=people, ratings=ratings)
    analysis = analyze(study)
    assert not analysis.privacy.ties_suppressed
    full = reliability_summary(analysis.published).agreement
    assert [(t.wave, t.n) for t in full.ties] == [("w1", 5), ("w2", 5)]
    data = analysis.to_mapping()["reliability"]["agreement"]
    assert [t["wave"] for t in data["ties"]] == ["w1"]
    assert data["ties_withheld"] == 1


def test_icc_of_each_design_is_shown_under_the_rule() -> None:
    """Every ICC rests on at least ``min_respondents`` cases or loses its figures; the
    per-tie ICC(2) goes with the ICC of ratings by tie it is stepped up from."""
    study = two_groups()  # published: six teachers' ratings of the counsellors
    section = analyze(study).to_mapping()["reliability"]
    assert section["icc_by_tie"]["design"] == "ratings_by_tie"
    assert section["icc_by_target"]["n"] == 6
    assert section["icc"]["design"] == "respondents_by_rater_role"
    assert "icc1_typical" not in section["thresholds"]
    strict = analyze(study, min_respondents=7).to_mapping()["reliability"]
    for name in ("icc", "icc_by_target", "icc_by_tie"):
        assert strict[name]["n"] < 7
        assert strict[name]["icc1"] is None
        assert strict[name]["k"] is None
    example_section = example().to_mapping()["reliability"]
    icc1 = example_section["icc_by_tie"]["icc1"]
    for tie in example_section["agreement"]["ties"]:
        assert tie["icc2"] == pytest.approx(tie["n"] * icc1 / (1 + (tie["n"] - 1) * icc1))


def test_icc_group_size_and_alpha_rows_follow_the_analysis_settings() -> None:
    study = load_example()
    k0 = analyze(study, icc_group_size="k0").reliability.icc
    mean = example().reliability.icc
    assert (k0.group_size, mean.group_size) == ("k0", "mean_group_size")
    assert k0.k == k0.k0
    assert mean.k == mean.mean_group_size
    assert k0.icc2 == mean.icc2
    assert example().reliability.settings.min_items == example().scores.min_items
