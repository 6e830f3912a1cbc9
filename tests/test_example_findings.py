"""On the embedded example, the findings name what the seed article reports (issue 3, part 7).

The seed: most arrows point to teachers and school leaders; health staff, KUI and internship
instructors are overlooked; internal ties are rated above external ones; 11 groups were
named but absent (13 present).
"""

from __future__ import annotations

import pytest

from relcoord import Analysis, analyze, load_example


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze(load_example())


def test_teachers_and_school_leaders_are_most_named(analysis: Analysis) -> None:
    (finding,) = analysis.findings_of("most_named")
    assert set(finding.roles) == {"teachers", "school-leaders"}
    assert "Undervisere" in finding.text["da"]
    assert "Skoleledere" in finding.text["da"]
    assert "Teachers" in finding.text["en"]
    assert "School leaders" in finding.text["en"]
    # and they themselves point to relatively few others
    for role in finding.roles:
        assert analysis.role(role).out_degree < analysis.role(role).in_degree


def test_health_staff_kui_and_internship_instructors_are_overlooked(analysis: Analysis
                                                                    ) -> None:
    (finding,) = analysis.findings_of("overlooked")
    assert set(finding.roles) == {"health-staff", "kui", "internship-instructors"}
    assert "Praktikinstruktører" in finding.text["da"]
    assert "Internship instructors" in finding.text["en"]


def test_internal_ties_are_rated_above_external_ones(analysis: Analysis) -> None:
    (finding,) = analysis.findings_of("internal_external_gap")
    assert finding.figures["internal"] > finding.figures["external"]
    assert "higher" in finding.text["en"]
    assert "bedre" in finding.text["da"]


def test_the_eleven_absent_groups(analysis: Analysis) -> None:
    (finding,) = analysis.findings_of("named_but_absent")
    absent = {r.id for r in analysis.study.roles if not r.present}
    assert len(finding.roles) == 11
    assert set(finding.roles) == absent
    assert finding.figures["present"] == 13
    assert finding.text["da"].startswith("11 grupper")
    assert finding.text["en"].startswith("11 ")


def test_dialogue_is_reported(analysis: Analysis) -> None:
    (finding,) = analysis.findings_of("dialogue")
    assert finding.figures["sent"] == len(analysis.study.invitations)


def test_teachers_lack_dialogue(analysis: Analysis) -> None:
    """The seed: teachers lack dialogue with and support from other functions."""
    (finding,) = analysis.findings_of("dialogue")
    assert list(finding.figures["low_acceptance"]) == ["teachers"]
    assert "teachers" in finding.roles
    assert "Dialogue stalls for Teachers" in finding.text["en"]
    assert "Dialogen går i stå for Undervisere" in finding.text["da"]
