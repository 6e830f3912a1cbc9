"""The embedded example: reproducible from its script, valid, and showing the seed's patterns.

The pattern tests compute their figures here, from the raw data with numpy, so that they
check the data itself and not the analysis code that will later report the same patterns.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

import relcoord
from relcoord import Study, load_example
from relcoord.example import example_text
from relcoord.validation import validate

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "build_example.py"
SHIPPED = REPO / "src" / "relcoord" / "data" / "example.json"

SCHOOL_CORE = ("teachers", "school-leaders")
OVERLOOKED = ("health-staff", "kui", "internship-instructors")


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_example", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def study() -> Study:
    return load_example()


@pytest.fixture(scope="module")
def arrows(study: Study) -> set[tuple[str, str]]:
    """Distinct named arrows (source, target), pooled over the three conferences."""
    return {(t.source, t.target) for t in study.ties}


# --- reproducible and valid ----------------------------------------------------------------


def test_script_regenerates_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "example.json"
    assert _builder().main(["-o", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_script_check_mode_detects_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "example.json"
    stale.write_text(SHIPPED.read_text(encoding="utf-8").replace('"held"', '"pending"', 1),
                     encoding="utf-8")
    builder = _builder()
    assert builder.main(["-o", str(stale), "--check"]) == 1
    assert builder.main(["-o", str(SHIPPED), "--check"]) == 0


def test_built_study_equals_the_loaded_one(study: Study) -> None:
    assert _builder().build() == study


def test_example_is_valid_and_packaged(study: Study) -> None:
    document = json.loads(example_text())
    assert validate(document) == []
    assert example_text() == SHIPPED.read_text(encoding="utf-8")
    assert load_example() is study  # cached: read once


def test_metadata_says_the_data_is_illustrative(study: Study) -> None:
    text = study.metadata.description
    assert "ILLUSTRATIVE" in text
    assert "never published" in text
    assert "illustrativt" in study.metadata.title
    assert study.metadata.language == "da"
    assert study.instrument.id == "relationskort"


def test_size_matches_the_conferences(study: Study) -> None:
    present = [r for r in study.roles if r.present]
    absent = [r for r in study.roles if not r.present]
    assert (len(present), len(absent)) == (13, 11)
    assert 90 <= len(study.respondents) <= 110
    assert study.waves == ("konference-1", "konference-2", "konference-3")
    assert 200 <= len(study.ratings) <= 800  # small enough to read
    assert {r.organisation for r in study.roles} == {"school", "municipality"}
    for role in study.roles:
        assert role.label("en") != role.name  # every group has an English name
        assert role.label("de") != role.label("en")


def test_every_respondent_belongs_to_a_present_role(study: Study) -> None:
    present = {r.id for r in study.roles if r.present}
    assert {p.role for p in study.respondents} == present
    per_role = Counter(p.role for p in study.respondents)
    assert min(per_role.values()) >= 5  # enough for a minimum-respondent rule of 5


def test_named_translations(study: Study) -> None:
    expected = {
        "teachers": ("Undervisere", "Teachers"),
        "school-leaders": ("Skoleledere", "School leaders"),
        "student-counsellors": ("Studievejledere", "Student counsellors"),
        "social-workers": ("Socialrådgivere", "Social workers"),
        "internship-instructors": ("Praktikinstruktører", "Internship instructors"),
        "job-centre": ("Jobcenterkonsulenter", "Job-centre consultants"),
        "kui": ("Kommunal ungeindsats (KUI)", "Municipal youth service (KUI)"),
    }
    for role_id, (da, en) in expected.items():
        role = study.role(role_id)
        assert (role.name, role.label("en")) == (da, en)


# --- the patterns the article reports --------------------------------------------------------


def test_most_arrows_point_to_teachers_and_school_leaders(
    study: Study, arrows: set[tuple[str, str]]
) -> None:
    indegree = Counter(target for _, target in arrows)
    outdegree = Counter(source for source, _ in arrows)
    top_two = {role for role, _ in indegree.most_common(2)}
    assert top_two == set(SCHOOL_CORE)
    others = [indegree[r.id] for r in study.roles if r.id not in SCHOOL_CORE]
    present_out = [outdegree[r.id] for r in study.roles if r.present]
    for role in SCHOOL_CORE:
        assert indegree[role] > max(others)
        # they themselves point to relatively few: below the median present group
        assert outdegree[role] < float(np.median(present_out))
        assert indegree[role] >= 3 * outdegree[role]


def test_overlooked_resources_point_to_many_but_few_point_back(
    study: Study, arrows: set[tuple[str, str]]
) -> None:
    indegree = Counter(target for _, target in arrows)
    outdegree = Counter(source for source, _ in arrows)
    present_out = [outdegree[r.id] for r in study.roles if r.present]
    for role in OVERLOOKED:
        assert outdegree[role] > float(np.median(present_out))
        assert outdegree[role] >= 2 * indegree[role]
        named = {t for s, t in arrows if s == role}
        back = {s for s, t in arrows if t == role}
        assert len(named & back) / len(named) <= 0.35  # mostly unreciprocated


def test_absent_groups_are_named_but_silent(study: Study, arrows: set[tuple[str, str]]) -> None:
    absent = {r.id for r in study.roles if not r.present}
    named = {t for _, t in arrows}
    assert absent <= named  # every absent group is pointed to
    assert not absent & {s for s, _ in arrows}  # and points to none
    assert not absent & {p.role for p in study.respondents}
    rated_by = study.ratings.roles
    assert not absent & {rated_by[i] for i in study.ratings.source}


def _tie_means(study: Study) -> tuple[dict[tuple[str, str], float], npt.NDArray[Any]]:
    """Mean item score of each rated tie (pooled over respondents and conferences)."""
    ratings = study.ratings
    per_rating = np.nanmean(ratings.scores, axis=1)
    pairs = ratings.source.astype(np.int64) * len(study.roles) + ratings.target
    keys, inverse = np.unique(pairs, return_inverse=True)
    means = np.bincount(inverse, weights=per_rating) / np.bincount(inverse)
    ids = study.role_ids
    return ({(ids[k // len(ids)], ids[k % len(ids)]): float(m)
             for k, m in zip(keys.tolist(), means, strict=True)}, per_rating)


def test_internal_ties_rated_well_external_poorly(study: Study) -> None:
    org = {r.id: r.organisation for r in study.roles}
    ties, per_rating = _tie_means(study)
    internal = np.array([m for (s, t), m in ties.items() if org[s] == org[t]])
    external = np.array([m for (s, t), m in ties.items() if org[s] != org[t]])
    assert len(internal) >= 20
    assert len(external) >= 20
    assert (internal > 4.0).mean() >= 0.8  # "> 4.0 mostly"
    assert (external < 3.5).mean() >= 0.8  # "< 3.5 mostly"
    # and at the level of single ratings, respondent-weighted
    ids = study.role_ids
    source = np.array([org[ids[i]] for i in study.ratings.source])
    target = np.array([org[ids[i]] for i in study.ratings.target])
    assert per_rating[source == target].mean() > 4.0
    assert per_rating[source != target].mean() < 3.5


def test_teachers_rate_municipal_actors_lowest(study: Study) -> None:
    org = {r.id: r.organisation for r in study.roles}
    ties, _ = _tie_means(study)
    teachers = [m for (s, t), m in ties.items()
                if s == "teachers" and org[t] == "municipality"]
    others = [m for (s, t), m in ties.items()
              if s != "teachers" and org[s] != org[t]]
    assert teachers
    assert max(teachers) < min(3.0, float(np.mean(others)))


def test_few_invitations_with_teachers_are_accepted(study: Study) -> None:
    def acceptance(invitations: list[relcoord.Invitation]) -> float:
        return sum(i.status in ("accepted", "held") for i in invitations) / len(invitations)

    with_teachers = [i for i in study.invitations if "teachers" in (i.source, i.target)]
    rest = [i for i in study.invitations if "teachers" not in (i.source, i.target)]
    assert len(with_teachers) >= 10
    assert acceptance(with_teachers) < 0.35 < 0.6 < acceptance(rest)
    assert {i.status for i in study.invitations} == {"pending", "accepted", "declined", "held"}
    present = {r.id for r in study.roles if r.present}
    assert {i.source for i in study.invitations} | {i.target for i in study.invitations} <= present


# --- relcoord demo -------------------------------------------------------------------------


def _demo(tmp_path: Path, *args: str) -> str:
    from click.testing import CliRunner

    from relcoord.cli import cli

    result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path / "demo"), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_validates_and_summarises_the_example(study: Study, tmp_path: Path) -> None:
    out = _demo(tmp_path)
    assert "valid: schema and domain checks passed" in out
    assert "Roles: 24 (13 present, 11 named but absent)" in out
    assert f"Respondents: {len(study.respondents)}" in out
    distinct = len({(t.source, t.target) for t in study.ties})
    assert f"Named arrows: {len(study.ties)} ({distinct} distinct)" in out
    assert f"Ratings: {len(study.ratings)} (" in out
    assert f"Invitations: {len(study.invitations)} (" in out
    assert "konference-1, konference-2, konference-3" in out
    assert "Teachers (14)" in out
    assert "never published" in out
    assert "Undervisere" not in out  # English names by default


def test_demo_summary_in_danish(study: Study) -> None:
    from relcoord.cli_study import study_summary

    text = "\n".join(study_summary(study, "da"))
    assert "Undervisere (14)" in text
    assert "11 nævnt, men ikke til stede" in text
    assert "Teachers" not in text
    assert "Teachers (14)" in "\n".join(study_summary(study, "en"))


def test_demo_refuses_an_unknown_language(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relcoord.cli import cli

    result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path / "demo"), "--lang", "xx"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not (tmp_path / "demo").exists()
