"""Findings: each rule fires when its data is there, stays silent when it is not."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from relcoord import (
    Analysis,
    Invitation,
    NamedTie,
    Rating,
    Respondent,
    Role,
    Study,
    analyze,
    load_example,
)
from relcoord.findings import (
    FINDING_KINDS,
    GAP_MIN,
    GAP_SOURCE_SHARE,
    PERCEPTION_MAX_PAIRS,
    Finding,
    findings,
    gap_source,
)
from relcoord.metrics.srm import PerceptionGap
from relcoord.model import Metadata
from relcoord.testing.planted import planted_study

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


# --- where the Social Relations Model places a gap (issue 14, part 6) ----------------------

def planted_gaps(**variances: float) -> Analysis:
    """A study drawn from the SRM with only the given effects of any size (fine scores,
    many respondents, so the model finds what was planted)."""
    planted = planted_study(
        n_roles=8, n_absent=1, n_respondents=300, scale="fine", mean=5.0, seed=0,
        variances={"rater": 0.0, "target": 0.0, "relationship": 0.0, "respondent": 0.02,
                   "residual": 0.05, **variances},
    )
    return analyze(planted.study, **OPEN)


@pytest.mark.parametrize(("planted", "lies_with", "words"), [
    ("relationship", "relationship", {"en": "lie mostly with the tie itself",
                                      "da": "mest at ligge i selve relationen"}),
    ("rater", "rater", {"en": "lie mostly with the raters' leniency",
                        "da": "hvor mildt grupperne vurderer"}),
    ("target", "target", {"en": "lie mostly with the groups' reputation",
                          "da": "gruppernes omdømme"}),
])
def test_perception_gap_says_where_the_planted_gap_lies(
        planted: str, lies_with: str, words: dict[str, str]) -> None:
    analysis = planted_gaps(**{planted: 0.8})
    gaps = analysis.findings_of("perception_gap")
    assert len(gaps) == PERCEPTION_MAX_PAIRS
    for finding in gaps:
        source = finding.figures["srm"]
        assert source["lies_with"] == lies_with
        assert source["parts"][lies_with] > GAP_SOURCE_SHARE * source["difference"]
        assert sum(source["parts"].values()) == pytest.approx(source["difference"])
        for lang, phrase in words.items():
            assert phrase in finding.text[lang]
            assert "appears" in finding.text["en"]


def test_overlooked_says_where_its_gap_lies_on_the_example() -> None:
    analysis = analyze(load_example())
    (finding,) = analysis.findings_of("overlooked")
    source = finding.figures["srm"]
    assert source["lies_with"] == {"kui": "relationship"}  # health staff's gap is < 0.25
    assert source["difference"]["kui"] >= GAP_MIN
    assert "appears to lie mostly with the ties themselves" in finding.text["en"]
    assert "ser ud til mest at ligge i selve relationerne" in finding.text["da"]


def test_gap_source_names_no_part_that_carries_half_or_less() -> None:
    def gap(rater: float, target: float, relationship: float,
            respondents: float) -> PerceptionGap:
        return PerceptionGap("a", "b", rater + target + relationship + respondents,
                             rater, target, relationship, respondents)

    assert gap_source([]) is None
    assert gap_source([gap(0.0, 0.0, 0.0, 0.0)]) is None
    assert gap_source([gap(0.4, 0.3, 0.3, 0.0)])["lies_with"] is None  # type: ignore[index]
    assert gap_source([gap(0.6, -0.2, 0.6, 0.0)])["lies_with"] is None  # type: ignore[index]
    negative = gap_source([gap(0.1, -0.8, 0.0, 0.0)])
    assert negative is not None
    assert negative["lies_with"] == "target"
    both = gap_source([gap(0.0, 0.0, 1.0, 0.0), gap(0.0, 0.0, 0.0, 0.2)])
    assert both is not None
    assert (both["lies_with"], both["difference"], both["n_pairs"]) == ("relationship", 0.6, 2)


def test_no_srm_no_gap_source() -> None:
    analysis = analyze(star_study(), **OPEN)
    without = findings(attrs.evolve(analysis, srm=None))
    assert all("srm" not in f.figures for f in without)
    assert [f.kind for f in without] == [f.kind for f in analysis.findings]
