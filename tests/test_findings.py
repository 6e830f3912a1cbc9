"""Findings: each rule fires when its data is there, stays silent when it is not."""

from __future__ import annotations

from typing import Any

import pytest

from relcoord import Invitation, NamedTie, Rating, Respondent, Role, Study, analyze
from relcoord.findings import FINDING_KINDS, Finding, findings
from relcoord.model import Metadata

OPEN: dict[str, Any] = {"min_respondents": 1, "min_respondents_override": True}
FOUR = ("frequent", "timely", "accurate", "problem_solving")


def rated(source: str, target: str, value: float | tuple[int, ...],
          respondent: str | None = None) -> Rating:
    values = value if isinstance(value, tuple) else (value,) * 4
    return Rating(source=source, target=target, respondent=respondent,
                  scores=dict(zip(FOUR, values, strict=True)))


def star_study() -> Study:
    """Everyone points to hub; 'eager' points to everyone, nobody back; 'ghost' is absent."""
    others = ["p", "q", "r", "s"]
    roles = [Role("hub", "Hub", "school", names={"da": "Navet"}),
             Role("eager", "Eager", "town", names={"da": "Ivrig"}),
             Role("ghost", "Ghost", "town", present=False, names={"da": "Spøgelse"})]
    roles += [Role(o, o.upper(), "school") for o in others]
    ties = [NamedTie(o, "hub") for o in others] + [NamedTie("eager", t) for t in [*others, "hub",
                                                                        "ghost"]]
    ties += [NamedTie("hub", "p"), NamedTie("p", "q"), NamedTie("q", "p")]
    ratings = [rated(o, "hub", (4, 5, 4, 5)) for o in others] + [rated("hub", "p", (4, 5, 4, 5))]
    ratings += [rated("eager", t, 2.0) for t in [*others, "hub"]]
    ratings += [rated("p", "q", 5.0), rated("q", "p", 3.0)]
    invitations = [Invitation("eager", "hub", status="accepted"),
                   Invitation("eager", "p", status="declined"),
                   Invitation("p", "eager", status="held"),
                   Invitation("q", "eager")]
    return Study(metadata=Metadata(id="star"), instrument="relationskort", roles=roles,
                 ties=ties, ratings=ratings, invitations=invitations)


def test_every_kind_fires_on_the_star_study() -> None:
    analysis = analyze(star_study(), **OPEN)
    kinds = [f.kind for f in analysis.findings]
    assert kinds == sorted(kinds, key=FINDING_KINDS.index)
    assert set(kinds) == set(FINDING_KINDS)
    (most,) = analysis.findings_of("most_named")
    assert most.roles == ("hub",)
    assert most.figures["in_degree"] == {"hub": 5}
    (over,) = analysis.findings_of("overlooked")
    assert over.roles == ("eager",)
    assert over.figures["unreciprocated_share"] == {"eager": 1.0}
    (gap,) = analysis.findings_of("internal_external_gap")
    assert gap.figures["internal"] > gap.figures["external"]
    assert gap.figures["external"] == 2.0
    (absent,) = analysis.findings_of("named_but_absent")
    assert absent.roles == ("ghost",)
    (weak,) = analysis.findings_of("weak_ties")
    assert "eager" in weak.roles
    (perception,) = analysis.findings_of("perception_gap")
    assert perception.roles == ("p", "q")
    assert perception.figures["difference"] == 2.0
    (dialogue,) = analysis.findings_of("dialogue")
    assert dialogue.roles == ("eager",)
    assert dialogue.figures["sent"] == 4
    assert dialogue.figures["acceptance_rate"] == 2 / 3
    assert analysis.findings == findings(analysis)


def test_texts_are_in_both_languages_with_role_names() -> None:
    analysis = analyze(star_study(), **OPEN)
    for finding in analysis.findings:
        assert set(finding.text) == {"da", "en"}
        assert finding.sentence("da") != finding.sentence("en")
        assert "nan" not in finding.sentence("en").lower()
    (most,) = analysis.findings_of("most_named")
    assert "Navet" in most.text["da"]
    assert "Hub" in most.text["en"]
    assert most.text["da"].startswith("Flest pile peger mod Navet")
    (perception,) = analysis.findings_of("perception_gap")
    assert "5,00" in perception.text["da"]
    assert "5.00" in perception.text["en"]


def test_no_findings_without_support() -> None:
    # a full survey: everyone rates everyone alike, no arrows, no invitations, one org
    roles = [Role(r, r.upper(), "one") for r in "abc"]
    people = [Respondent(f"{r}1", r) for r in "abc"]
    ratings = [rated(s, t, 4.0, f"{s}1") for s in "abc" for t in "abc"]
    study = Study(metadata=Metadata(id="flat"), instrument="relationskort", roles=roles,
                  respondents=people, ratings=ratings)
    assert analyze(study, **OPEN).findings == ()


def test_small_gaps_and_differences_are_not_reported() -> None:
    roles = [Role("a", "A", "x"), Role("b", "B", "x"), Role("c", "C", "y")]
    ratings = [rated("a", "b", 4), rated("b", "a", (4, 4, 4, 3)),
               rated("a", "c", (4, 4, 4, 3)), rated("c", "a", 4)]
    analysis = analyze(Study(metadata=Metadata(id="near"), instrument="relationskort",
                             roles=roles, ratings=ratings), **OPEN)
    assert not analysis.findings_of("internal_external_gap")
    assert not analysis.findings_of("perception_gap")
    assert not analysis.findings_of("weak_ties")


def test_finding_is_a_value_object() -> None:
    one = Finding("weak_ties", ["a"], {"n": 1}, {"da": "x", "en": "y"})
    assert one == Finding("weak_ties", ("a",), {"n": 1}, {"da": "x", "en": "y"})
    assert one.roles == ("a",)
    assert one.sentence("de") == "y"


@pytest.mark.parametrize(("declined", "stalls"), [(3, True), (2, False)])
def test_stalled_dialogue_needs_half_the_overall_acceptance(declined: int, stalls: bool) -> None:
    """A role is named when at most half as many of its answered invitations were accepted
    as of all answered invitations, and it has at least 4 answered ones."""
    roles = [Role(r, r.upper()) for r in ("a", "b", "c", "d", "e")]
    invitations = [Invitation("b", x, status="accepted") for x in ("c", "d", "e")]
    invitations += [Invitation("c", x, status="accepted") for x in ("d", "e", "b")]
    invitations += [Invitation("a", x, status="declined") for x in ("b", "c", "d")[:declined]]
    invitations += [Invitation("e", "a", status="accepted")]
    study = Study(metadata=Metadata("s"), instrument="rc7", roles=roles,
                  invitations=invitations)
    (dialogue,) = analyze(study, **OPEN).findings_of("dialogue")
    assert ("a" in dialogue.figures["low_acceptance"]) is stalls
    assert ("Dialogue stalls" in dialogue.text["en"]) is stalls
