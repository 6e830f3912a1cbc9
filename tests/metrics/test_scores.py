"""RC scores: hand-computed figures, weightings, bands, min_items, and their invariants."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

from relcoord import NamedTie, Rating, Respondent, Role, Study
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.scores import respondent_tie_scores, scores, tie_matrix
from relcoord.model import Metadata
from relcoord.settings import AnalysisSettings, InvalidSettingsError

NAN = float("nan")
COMM, REL = DIMENSION_KEYS[:4], DIMENSION_KEYS[4:]


def items(values: Sequence[float]) -> dict[str, float | None]:
    return {k: (None if v != v else v) for k, v in zip(DIMENSION_KEYS, values, strict=True)}


def same(value: float) -> dict[str, float | None]:
    return items([value] * 7)


def hand_study() -> Study:
    """Three roles; a and b in organisation x, c in y; one group rating without respondent."""
    ratings = [
        Rating(source="a", target="b", respondent="a1", scores=same(4)),
        Rating(source="a", target="b", respondent="a2", scores=same(2)),
        Rating(source="a", target="a", respondent="a1", scores=same(5)),
        Rating(source="b", target="a", respondent="b1", scores=items([5, 5, 5, 5, 3, 3, 3])),
        Rating(source="c", target="a", respondent="c1",
               scores=items([4, 4, 4, 4, 4, NAN, NAN])),
        Rating(source="c", target="b", scores=same(3)),
    ]
    return Study(
        metadata=Metadata(id="hand"), instrument="rc7-classic",
        roles=[Role("a", "A", "x"), Role("b", "B", "x"), Role("c", "C", "y")],
        respondents=[Respondent("a1", "a"), Respondent("a2", "a"), Respondent("b1", "b"),
                     Respondent("c1", "c")],
        ratings=ratings,
    )


B_TO_A = Fraction(29, 7)


def test_respondent_tie_scores_by_hand() -> None:
    per = respondent_tie_scores(hand_study(), min_items=5)
    study = hand_study()
    got = {(r.source, r.target, r.respondent): i for i, r in enumerate(study.ratings)}
    i = got[("b", "a", "b1")]
    assert per.rc[i] == pytest.approx(float(B_TO_A))
    assert per.communication[i] == 5.0
    assert per.relationship[i] == 3.0
    j = got[("c", "a", "c1")]
    assert per.answered[j] == 5
    assert per.rc[j] == 4.0
    assert per.communication[j] == 4.0
    # 1 of 3 relationship items answered, below ceil(5 * 3 / 7) = 3
    assert math.isnan(per.relationship[j])
    strict = respondent_tie_scores(study, min_items=7)
    assert not strict.counted[j]
    assert math.isnan(strict.rc[j])
    assert math.isnan(strict.communication[j])


def test_rc_is_not_the_mean_of_the_sub_indices() -> None:
    result = scores(hand_study())
    tie = result.tie("b", "a")
    assert tie is not None
    assert tie.communication == 5.0
    assert tie.relationship == 3.0
    assert tie.rc == pytest.approx((4 * 5 + 3 * 3) / 7)
    assert tie.rc != pytest.approx(4.0)
    assert tie.gap == 2.0
    assert tie.lowest_dimension == "shared_goals"


def test_ties_within_between_and_roles_by_hand() -> None:
    result = scores(hand_study())
    ab = result.tie("a", "b")
    assert ab is not None
    assert ab.rc == 3.0
    assert ab.n_respondents == 2
    assert ab.band == "weak"
    aa = result.tie("a", "a")
    assert aa is not None
    assert aa.rc == 5.0
    assert aa.band == "strong"
    ca = result.tie("c", "a")
    assert ca is not None
    assert ca.rc == 4.0
    assert ca.band == "moderate"
    assert result.tie("a", "c") is None
    assert [(t.source, t.target) for t in result.ties] == sorted(
        (t.source, t.target) for t in result.ties
    )
    assert result.within.rc == 5.0
    between: list[Fraction] = [Fraction(4), Fraction(2), B_TO_A, Fraction(4), Fraction(3)]
    assert result.between.rc == pytest.approx(float(sum(between) / 5))
    a = result.role("a")
    assert a.rc_as_rater == 3.0
    assert a.rc_as_target == pytest.approx(float((B_TO_A + 4) / 2))
    assert a.rc_within == 5.0
    assert a.n_respondents == 2
    assert a.n_raters == 2
    assert (a.n_weak_ties, a.n_rated_ties) == (1, 3)
    assert result.role("b").weak_share == pytest.approx(2 / 3)
    # the group rating counts as one respondent of c
    assert result.role("c").n_respondents == 2
    assert result.overall.n_respondents == 5
    assert result.overall.n_ratings == 6
    assert result.n_excluded == 0


@pytest.mark.parametrize(
    ("weighting", "expected"),
    [
        ("respondent", (Fraction(18) + B_TO_A) / 6),
        ("tie", (Fraction(15) + B_TO_A) / 5),
        ("group", (Fraction(11, 3) + B_TO_A + Fraction(7, 2)) / 3),
    ],
)
def test_weightings(weighting: Any, expected: Fraction) -> None:
    result = scores(hand_study(), settings=AnalysisSettings(weighting=weighting))
    assert result.overall.rc == pytest.approx(float(expected), abs=1e-12)
    assert result.settings.weighting == weighting


def test_internal_external_and_asymmetry() -> None:
    result = scores(hand_study())
    split = result.organisations
    assert split.internal.rc == pytest.approx(float((4 + 2 + B_TO_A) / 3))
    assert split.external.rc == 3.5
    assert [o.organisation for o in split.by_organisation] == ["x", "y"]
    assert split.by_organisation[1].internal.rc is None
    (pair,) = result.asymmetry
    assert (pair.first, pair.second) == ("a", "b")
    assert pair.difference == pytest.approx(float(3 - B_TO_A))


def test_bands_and_min_items_settings() -> None:
    s = AnalysisSettings(bands=(3.0, 4.5))
    assert [s.band(v) for v in (2.99, 3.0, 4.5, 4.51, None, NAN)] == [
        "weak", "moderate", "moderate", "strong", None, None]
    study = hand_study()
    assert AnalysisSettings().items_needed(study.instrument) == 5
    from relcoord.instruments import get_instrument

    assert AnalysisSettings().items_needed(get_instrument("relationskort")) == 3
    with pytest.raises(InvalidSettingsError, match="min_items"):
        scores(study, settings=AnalysisSettings(min_items=8))
    strict = scores(study, settings=AnalysisSettings(min_items=7))
    assert strict.n_excluded == 1
    assert strict.min_items == 7
    assert strict.tie("c", "a") is not None
    ca = strict.tie("c", "a")
    assert ca is not None
    assert ca.rc is None
    assert ca.n_respondents == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"weighting": "people"}, "weighting"),
        ({"min_items": 0}, "min_items"),
        ({"min_items": 2.5}, "min_items"),
        ({"bands": (4.0, 3.5)}, "bands"),
        ({"bands": "x"}, "bands"),
        ({"lang": "de"}, "lang"),
        ({"min_respondents": 2}, "min_respondents"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_settings_are_refused(values: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidSettingsError, match=message):
        AnalysisSettings.from_mapping(values)


def test_min_respondents_override() -> None:
    assert AnalysisSettings(min_respondents=1, min_respondents_override=True).min_respondents == 1


def test_relationskort_has_no_relationship_index() -> None:
    study = Study(
        metadata=Metadata(id="map"), instrument="relationskort",
        roles=[Role("a", "A"), Role("b", "B")], ties=[NamedTie("a", "b")],
        ratings=[Rating(source="a", target="b",
                        scores={"frequent": 2, "timely": 3, "accurate": 4})],
    )
    result = scores(study)
    tie = result.tie("a", "b")
    assert tie is not None
    assert tie.rc == 3.0
    assert tie.communication == 3.0
    assert tie.relationship is None
    assert tie.gap is None
    assert tie.lowest_dimension == "frequent"
    assert result.overall.relationship is None
    assert np.isnan(tie_matrix(study)[1, 0])
    assert tie_matrix(study)[0, 1] == 3.0


def test_empty_study_has_no_figures() -> None:
    study = Study(metadata=Metadata(id="empty"), instrument="rc7", roles=[Role("a", "A")])
    result = scores(study)
    assert result.overall.rc is None
    assert result.ties == ()
    assert result.overall.n_respondents == 0
    assert result.roles[0].weak_share is None


# --- properties ---------------------------------------------------------------------------

SCORE = st.one_of(st.integers(1, 5).map(float), st.just(NAN))


@st.composite
def rc_studies(draw: Callable[..., Any], *, max_roles: int = 4) -> Study:
    """Small rc7-classic studies: a few roles and respondents, random partial ratings."""
    ids = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=max_roles,
                        unique=True))
    orgs = [draw(st.sampled_from(["x", "y", None])) for _ in ids]
    roles = [Role(i, i.upper(), o) for i, o in zip(ids, orgs, strict=True)]
    people, ratings = [], []
    for role in ids:
        for n in range(draw(st.integers(0, 3))):
            person = f"{role}{n}"
            people.append(Respondent(person, role))
            for target in draw(st.lists(st.sampled_from(ids), unique=True)):
                values = draw(st.lists(SCORE, min_size=7, max_size=7))
                ratings.append(Rating(source=role, target=target, respondent=person,
                                      scores=items(values)))
    return Study(metadata=Metadata(id="drawn"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


def relabel(study: Study, mapping: dict[str, str]) -> Study:
    """The same study with role ids renamed (so the sorted order changes)."""
    return Study(
        metadata=study.metadata, instrument=study.instrument,
        roles=[Role(mapping[r.id], r.name, r.organisation, r.present) for r in study.roles],
        respondents=[Respondent(p.id, mapping[p.role]) for p in study.respondents],
        ratings=[Rating(source=mapping[r.source], target=mapping[r.target],
                        respondent=r.respondent, wave=r.wave, scores=r.scores)
                 for r in study.ratings],
    )


def reversed_ids(study: Study) -> dict[str, str]:
    ids = study.role_ids
    return {old: f"r{len(ids) - i:02d}" for i, old in enumerate(ids)}


def close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9)
    )


WEIGHTING = st.sampled_from(["respondent", "tie", "group"])


@given(rc_studies(), WEIGHTING)
def test_relabelling_roles_changes_nothing(study: Study, weighting: Any) -> None:
    settings = AnalysisSettings(weighting=weighting)
    mapping = reversed_ids(study)
    before, after = scores(study, settings=settings), scores(relabel(study, mapping),
                                                             settings=settings)
    for field in ("overall", "within", "between"):
        x, y = getattr(before, field), getattr(after, field)
        assert close(x.rc, y.rc)
        assert x.n_respondents == y.n_respondents
    for field in ("internal", "external"):
        assert close(getattr(before.organisations, field).rc,
                     getattr(after.organisations, field).rc)
    for tie in before.ties:
        other = after.tie(mapping[tie.source], mapping[tie.target])
        assert other is not None
        assert close(tie.rc, other.rc)
        assert tie.n_respondents == other.n_respondents
    for role in before.roles:
        twin = after.role(mapping[role.id])
        assert close(role.rc_as_rater, twin.rc_as_rater)
        assert close(role.rc_as_target, twin.rc_as_target)
        assert (role.n_respondents, role.n_raters) == (twin.n_respondents, twin.n_raters)
    asym = {(a.first, a.second): a.difference for a in before.asymmetry}
    for a in after.asymmetry:
        back = {v: k for k, v in mapping.items()}
        key = (back[a.first], back[a.second])
        expected = asym[key] if key in asym else -asym[(key[1], key[0])]
        assert close(a.difference, expected)


@given(rc_studies(), WEIGHTING)
def test_every_figure_lies_on_the_scale(study: Study, weighting: Any) -> None:
    result = scores(study, settings=AnalysisSettings(weighting=weighting))
    low, high = study.instrument.scale
    values: list[float | None] = [result.overall.rc, result.within.rc, result.between.rc,
                                  result.overall.communication, result.overall.relationship,
                                  *result.by_dimension.values()]
    for tie in result.ties:
        values += [tie.rc, tie.communication, tie.relationship, *tie.dimensions.values()]
    for role in result.roles:
        values += [role.rc_as_rater, role.rc_as_target, role.rc_within]
    for value in values:
        assert value is None or low - 1e-9 <= value <= high + 1e-9


@given(rc_studies(), st.data())
def test_a_top_rating_never_lowers_a_tie(study: Study, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(study.role_ids))
    target = data.draw(st.sampled_from(study.role_ids))
    before = scores(study).tie(source, target)
    top = study.instrument.scale[1]
    after = scores(study.with_ratings([Rating(source=source, target=target,
                                               scores=same(top))])).tie(source, target)
    assert after is not None
    assert after.rc is not None
    assert before is None or before.rc is None or after.rc >= before.rc - 1e-12


@given(rc_studies(max_roles=4))
def test_mirror_symmetric_data_has_zero_asymmetry(study: Study) -> None:
    mirrored = study.with_ratings([
        Rating(source=r.target, target=r.source, scores=r.scores)
        for r in study.ratings
    ])
    # every rating has its mirror: A->B and B->A hold the same multiset of answers
    symmetric = Study(
        metadata=study.metadata, instrument=study.instrument, roles=study.roles,
        ratings=[Rating(source=r.source, target=r.target, scores=r.scores)
                 for r in mirrored.ratings],
    )
    result = scores(symmetric)
    for pair in result.asymmetry:
        assert abs(pair.difference) < 1e-9


@given(rc_studies(), st.data())
def test_a_respondent_at_the_tie_mean_changes_nothing(study: Study, data: st.DataObject
                                                     ) -> None:
    # build a tie whose respondents answer in mirror pairs (v, 6 - v): its mean is 3
    source = data.draw(st.sampled_from(study.role_ids))
    target = data.draw(st.sampled_from(study.role_ids))
    pairs = data.draw(st.lists(st.lists(st.integers(1, 5), min_size=7, max_size=7),
                               min_size=1, max_size=3))
    extra = [Rating(source=source, target=target, scores=items([v if k else 6 - v
                                                                  for v in answers]))
             for answers in pairs for k in (True, False)]
    base = Study(metadata=study.metadata, instrument=study.instrument, roles=study.roles,
                 respondents=study.respondents, ratings=[r for r in study.ratings
                          if (r.source, r.target) != (source, target)] + extra)
    before = scores(base).tie(source, target)
    assert before is not None
    assert before.rc == pytest.approx(3.0)
    after = scores(base.with_ratings([Rating(source=source, target=target,
                                             scores=same(3))])).tie(source, target)
    assert after is not None
    assert after.rc == pytest.approx(before.rc, abs=1e-12)
    assert before.n_respondents is not None
    assert after.n_respondents == before.n_respondents + 1
