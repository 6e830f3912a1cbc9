"""analyze(): the whole Analysis, its JSON form and the invariants of issue 3 part 6."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import hypothesis.strategies as st
import jsonschema
import pytest
from hypothesis import given, settings

from relcoord import (
    Analysis,
    AnalysisSettings,
    Invitation,
    NamedTie,
    Rating,
    Respondent,
    Role,
    Study,
    analyze,
)
from relcoord.analysis import analysis_schema
from relcoord.instruments import DIMENSION_KEYS
from relcoord.model import Metadata
from relcoord.settings import InvalidSettingsError
from relcoord.testing.strategies import studies as shared_studies

NAN = float("nan")

#: No minimum-respondent suppression: these tests check the metrics on tiny studies (the
#: privacy rule has its own tests).
OPEN: dict[str, Any] = {"min_respondents": 1, "min_respondents_override": True}


def validator() -> jsonschema.Draft202012Validator:
    schema = analysis_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def no_nan(value: Any) -> bool:
    if isinstance(value, dict):
        return all(no_nan(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nan(v) for v in value)
    return not (isinstance(value, float) and not math.isfinite(value))


@st.composite
def studies(draw: Callable[..., Any], *, arrows: bool | None = None) -> Study:
    """Small studies with roles in organisations, respondents, arrows, ratings, invitations."""
    ids = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=5, unique=True))
    roles = [Role(i, i.upper(), draw(st.sampled_from(["x", "y", None])),
                  present=draw(st.booleans())) for i in ids]
    people, ratings = [], []
    for role in ids:
        for n in range(draw(st.integers(0, 2))):
            person = f"{role}{n}"
            people.append(Respondent(person, role))
            for target in draw(st.lists(st.sampled_from(ids), unique=True)):
                values = draw(st.lists(st.one_of(st.integers(1, 5), st.none()),
                                       min_size=7, max_size=7))
                ratings.append(Rating(source=role, target=target, respondent=person,
                                      scores=dict(zip(DIMENSION_KEYS, values, strict=True))))
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids))
    with_arrows = draw(st.booleans()) if arrows is None else arrows
    ties = [NamedTie(a, b) for a, b in draw(st.lists(pairs, max_size=8))] if with_arrows else []
    invitations = [
        Invitation(a, b, status=draw(st.sampled_from(["pending", "accepted", "declined",
                                                      "held"])))
        for a, b in draw(st.lists(pairs, max_size=4))
    ]
    return Study(metadata=Metadata(id="drawn"), instrument="rc7-classic", roles=roles,
                 respondents=people, ties=ties, ratings=ratings, invitations=invitations)


def relabel(study: Study, mapping: dict[str, str], *, reverse_roles: bool) -> Study:
    roles = [Role(mapping[r.id], r.name, r.organisation, r.present) for r in study.roles]
    return Study(
        metadata=study.metadata, instrument=study.instrument,
        roles=roles[::-1] if reverse_roles else roles,
        respondents=[Respondent(p.id, mapping[p.role]) for p in study.respondents],
        ties=[NamedTie(mapping[t.source], mapping[t.target], t.wave) for t in study.ties],
        ratings=[Rating(source=mapping[r.source], target=mapping[r.target],
                        respondent=r.respondent, scores=r.scores) for r in study.ratings],
        invitations=[Invitation(mapping[i.source], mapping[i.target], i.topic, i.status)
                     for i in study.invitations],
    )


def canonical(data: Any, back: dict[str, str], digits: int = 9) -> Any:
    """The JSON form with role ids mapped back and id-keyed lists sorted, numbers rounded."""
    if isinstance(data, dict):
        return {back.get(k, k): canonical(v, back, digits) for k, v in data.items()}
    if isinstance(data, list):
        items = [canonical(v, back, digits) for v in data]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(data, str):
        return back.get(data, data)
    if isinstance(data, float):
        return round(data, digits) + 0.0
    return data


def close(a: Any, b: Any, tolerance: float) -> bool:
    """Equal structure, and numbers within ``tolerance`` (relative, or absolute near 0).

    A tolerance, not rounding: two numbers 4e-8 apart can round to different sixth
    decimals."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y, tolerance) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
    return bool(a == b)


def test_analysis_of_a_small_study() -> None:
    study = Study(
        metadata=Metadata(id="s"), instrument="rc7-classic",
        roles=[Role("a", "A", "x"), Role("b", "B", "y"), Role("c", "C", "y", present=False)],
        respondents=[Respondent("a1", "a"), Respondent("b1", "b")],
        ties=[NamedTie("a", "b"), NamedTie("a", "c"), NamedTie("b", "a"), NamedTie("a", "a")],
        ratings=[Rating(source="a", target="b", respondent="a1",
                        scores=dict.fromkeys(DIMENSION_KEYS, 2))],
    )
    analysis = analyze(study, weighting="tie", min_items=7, **OPEN)
    assert isinstance(analysis, Analysis)
    assert analysis.settings == AnalysisSettings(weighting="tie", min_items=7, **OPEN)
    assert analysis.degree_basis == "arrows"
    a = analysis.role("a")
    assert (a.in_degree, a.out_degree, a.reciprocated) == (1, 2, 1)  # a -> a excluded
    assert analysis.named_but_absent == ("c",)
    assert analysis.invitations is None
    assert [f.kind for f in analysis.findings_of("named_but_absent")] == ["named_but_absent"]
    data = analysis.to_mapping()
    assert not list(validator().iter_errors(data))
    assert data["settings"]["min_items_used"] == 7
    assert data["rc"]["within"] is None
    assert data["rc"]["overall"] == 2.0
    assert [(r["id"], r["in_degree"], r["out_degree"]) for r in data["roles"]] == [
        ("a", 1, 2), ("b", 1, 1), ("c", 1, 0)]
    json.dumps(data, allow_nan=False)


def test_degrees_fall_back_to_rated_ties() -> None:
    study = Study(
        metadata=Metadata(id="s"), instrument="rc7-classic",
        roles=[Role("a", "A"), Role("b", "B")],
        ratings=[Rating(source="a", target="b", scores=dict.fromkeys(DIMENSION_KEYS, 4)),
                 Rating(source="a", target="a", scores=dict.fromkeys(DIMENSION_KEYS, 4))],
    )
    analysis = analyze(study, **OPEN)
    assert analysis.degree_basis == "ratings"
    assert [(r.id, r.in_degree, r.out_degree) for r in analysis.roles] == [
        ("a", 0, 1), ("b", 1, 0)]


def test_settings_object_and_overrides() -> None:
    study = Study(metadata=Metadata(id="s"), instrument="rc7", roles=[Role("a", "A")])
    base = AnalysisSettings(weighting="group", lang="da")
    assert analyze(study, base).settings == base
    assert analyze(study, base, lang="en").settings == AnalysisSettings(weighting="group")
    with pytest.raises(InvalidSettingsError, match="nonsense"):
        analyze(study, nonsense=1)  # type: ignore[call-arg]
    with pytest.raises(InvalidSettingsError, match="min_items"):
        analyze(study, min_items=9)


@settings(max_examples=20)  # each example runs the whole analysis (network included)
@given(studies())
def test_json_form_validates_and_has_no_nan(study: Study) -> None:
    data = analyze(study, **OPEN).to_mapping()
    errors = [e.message for e in validator().iter_errors(data)]
    assert errors == []
    assert no_nan(data)
    assert [r["id"] for r in data["roles"]] == sorted(study.role_ids)
    assert [(t["source"], t["target"]) for t in data["ties"]] == sorted(
        (t["source"], t["target"]) for t in data["ties"])


@given(studies(), st.sampled_from(["respondent", "tie", "group"]))
def test_relabelled_and_reordered_roles_give_the_same_analysis(study: Study, weighting: Any
                                                               ) -> None:
    ids = study.role_ids
    mapping = {old: f"q{len(ids) - i}" for i, old in enumerate(ids)}
    back = {v: k for k, v in mapping.items()}
    before = analyze(study, weighting=weighting, **OPEN).to_mapping()
    after = analyze(relabel(study, mapping, reverse_roles=True),
                    weighting=weighting, **OPEN).to_mapping()
    for data, names in ((before, {}), (after, back)):
        for pair in data["asymmetry"]:  # each pair is listed once, lower id first
            first, second = names.get(pair["first"], pair["first"]), names.get(
                pair["second"], pair["second"])
            if first > second:
                pair.update(first=pair["second"], second=pair["first"],
                            rc_forward=pair["rc_backward"], rc_backward=pair["rc_forward"],
                            difference=-pair["difference"])
        data.pop("network")  # community labels are arbitrary numbers; checked elsewhere
        for role in data["roles"]:
            role.pop("community")
        for finding in data["findings"]:
            finding.pop("text")  # names are listed in role-id order, which relabelling changes
    # the SRM (and the findings' figures from it) is an iterative optimum: relabelling
    # reorders its design, and the optimizer stops at the same point to about 1e-8, not 1e-9
    srm_after, srm_before = ([data.pop("srm"), *(f["figures"].pop("srm", None)
                                                 for f in data["findings"])]
                             for data in (after, before))
    # the rows are analysed in their canonical order, which follows the role ids: sums are
    # added in another order, so figures agree to rounding (a tolerance, since rounding to
    # a digit can split two numbers 1e-16 apart); an SRM fit that did not converge (a flat
    # criterion at a boundary) is the same optimum, its variances not identified
    main_after, main_before = srm_after[0], srm_before[0]
    if (main_after is not None and main_before is not None
            and not (main_after["converged"] and main_before["converged"])):
        assert main_after["model"] == main_before["model"]
        assert math.isclose(main_after["reml_criterion"], main_before["reml_criterion"],
                            rel_tol=1e-9, abs_tol=1e-9)
    else:
        assert close(canonical(srm_after, back, 6), canonical(srm_before, {}, 6), 2e-6)
    # rounded to 9 digits so that id-keyed lists sort alike; compared within one unit of it
    assert close(canonical(after, back), canonical(before, {}), 2e-9)


@given(studies(arrows=False))
def test_mirror_symmetric_data_is_fully_reciprocal(study: Study) -> None:
    mirrored = Study(
        metadata=study.metadata, instrument=study.instrument, roles=study.roles,
        ratings=[Rating(source=s, target=t, scores=r.scores)
                 for r in study.ratings for s, t in ((r.source, r.target),
                                                     (r.target, r.source))],
    )
    analysis = analyze(mirrored, **OPEN)
    assert all(abs(p.difference) < 1e-9 for p in analysis.scores.asymmetry)
    for role in analysis.roles:
        assert role.reciprocated == role.out_degree
        assert role.in_degree == role.out_degree
    assert not analysis.findings_of("perception_gap")
    assert not analysis.findings_of("overlooked")


@settings(max_examples=20)  # each example runs the whole analysis (network included)
@given(shared_studies(max_roles=5))
def test_shared_strategy_studies_analyse_to_valid_json(study: Study) -> None:
    """Studies from relcoord.testing.strategies (custom instruments, waves, missing items)."""
    analysis = analyze(study, **OPEN)
    data = analysis.to_mapping()
    assert [e.message for e in validator().iter_errors(data)] == []
    assert no_nan(data)
    low, high = study.instrument.scale
    for tie in analysis.scores.ties:
        assert tie.rc is None or low - 1e-9 <= tie.rc <= high + 1e-9


# --- the Social Relations Model (issue 14, part 5) -------------------------------------------


def test_srm_of_the_example_is_the_model_of_the_published_study() -> None:
    from relcoord import load_example
    from relcoord.metrics.srm import social_relations_model

    analysis = analyze(load_example(), min_respondents=3)
    assert analysis.srm is not None
    direct = social_relations_model(analysis.published, settings=analysis.settings)
    assert analysis.srm.to_mapping() == direct.to_mapping()
    data = analysis.to_mapping()["srm"]
    assert data["estimator"] == "REML"
    shares = data["variance_shares"]
    assert list(shares) == ["rater", "target", "relationship", "residual"]
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-12)
    five = {c["name"]: c for c in data["components"]}
    assert list(five) == ["rater", "target", "relationship", "respondent", "residual"]
    assert shares["residual"] == pytest.approx(five["respondent"]["share"]
                                               + five["residual"]["share"])
    for name in ("rater", "target", "relationship"):
        assert shares[name] == five[name]["share"]
    roles = {r["role"]: r for r in data["effects"]["roles"]}
    assert roles["teachers"]["rater"] == direct.role("teachers").rater
    tie = data["effects"]["ties"][0]
    assert tie["relationship"] == direct.tie(tie["source"], tie["target"]).relationship


def test_srm_leaves_out_the_ties_the_privacy_rule_withholds() -> None:
    from relcoord import load_example

    study = load_example()
    strict = analyze(study, min_respondents=5)
    assert strict.srm is not None
    assert strict.privacy.ratings_withheld > 0
    published = {(r.source, r.target) for r in strict.published.ratings}
    everything = {(r.source, r.target) for r in study.ratings}
    withheld = everything - published
    assert withheld
    assert not withheld & {(t.source, t.target) for t in strict.srm.ties}


def test_srm_is_none_below_three_roles_and_without_ratings() -> None:
    two = Study(
        metadata=Metadata(id="two"), instrument="rc7-classic",
        roles=[Role("a", "A"), Role("b", "B")],
        respondents=[Respondent(f"{r}{n}", r) for r in "ab" for n in range(3)],
        ratings=[Rating(source=r, target="b" if r == "a" else "a", respondent=f"{r}{n}",
                        scores=dict.fromkeys(DIMENSION_KEYS, 1 + n))
                 for r in "ab" for n in range(3)],
    )
    analysis = analyze(two, **OPEN)
    assert analysis.srm is None
    assert analysis.to_mapping()["srm"] is None
    assert not list(validator().iter_errors(analysis.to_mapping()))
    empty = Study(metadata=Metadata(id="empty"), instrument="rc7-classic",
                  roles=[Role(i, i.upper()) for i in "abc"], ratings=[])
    assert analyze(empty, **OPEN).srm is None
