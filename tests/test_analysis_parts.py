"""The analysis from parts of blocks of rater roles (`relcoord.analysis_parts`,
`relcoord.analyze_parts`): equal to the in-memory analysis of the whole study, without a
rating row."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from relcoord.analysis import analyze, analyze_parts
from relcoord.analysis_parts import AnalysisPart, analysis_part
from relcoord.example import load_example
from relcoord.model import Study
from relcoord.rater_role_blocks import rater_role_blocks, rater_role_groups, without_rows
from relcoord.report_overview import overview_section
from relcoord.settings import AnalysisSettings, InvalidSettingsError
from relcoord.testing.analysis_equality import assert_same_analysis
from relcoord.testing.strategies import rater_role_groupings, studies
from relcoord.testing.surveys import care_study


def from_parts(study: Study, groups: tuple[tuple[str, ...], ...], chosen: AnalysisSettings,
               order: list[int] | None = None) -> Any:
    parts = [analysis_part(block, chosen) for block in rater_role_blocks(study, groups)]
    if order is not None:
        parts = [parts[i] for i in order]
    return analyze_parts(without_rows(study), parts, chosen)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Study, tuple[tuple[str, ...], ...], AnalysisSettings]:
    study = draw(studies(min_roles=1, max_roles=6, max_respondents=14, max_ratings=48,
                         max_waves=2))
    groups = draw(rater_role_groupings(study))
    k = draw(st.sampled_from([1, 2, 3, 5]))
    chosen = AnalysisSettings(
        min_respondents=k, min_respondents_override=k < 3,
        weighting=draw(st.sampled_from(["respondent", "tie", "group"])),
        icc_group_size=draw(st.sampled_from(["mean_group_size", "k0"])))
    return study, groups, chosen


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_any_blocks_give_the_analysis_of_the_whole(
        case: tuple[Study, tuple[tuple[str, ...], ...], AnalysisSettings]) -> None:
    study, groups, chosen = case
    expected = analyze(study, chosen)
    # an SRM fit that did not converge (a variance on its bound) sits on a ridge that the
    # last bit of its sums moves along, in memory as well (tests/metrics/test_srm_parts.py)
    assume(expected.srm is None or expected.srm.converged)
    got = from_parts(study, groups, chosen)
    assert len(got.study.ratings) == 0
    assert_same_analysis(got.to_mapping(), expected.to_mapping())


@pytest.mark.parametrize("n_blocks", [1, 3, 7])
def test_a_realistic_survey_in_blocks(n_blocks: int) -> None:
    study = care_study(40, seed=3)
    chosen = AnalysisSettings(min_respondents=5)
    groups = rater_role_groups(study, n_blocks)
    order = list(reversed(range(len(groups))))  # the parts in another order
    got = from_parts(study, groups, chosen, order)
    expected = analyze(study, chosen)
    assert got.srm is not None
    assert expected.srm is not None
    assert_same_analysis(got.to_mapping(), expected.to_mapping())


def test_the_example_in_danish_in_single_role_blocks() -> None:
    study = load_example()
    chosen = AnalysisSettings(lang="da", min_respondents=5)
    groups = tuple((role,) for role in study.role_ids)
    assert_same_analysis(from_parts(study, groups, chosen).to_mapping(),
                analyze(study, chosen).to_mapping())


def test_a_part_pickles() -> None:
    """(That no part grows with the rows is each family's test.)"""
    study = care_study(30, seed=1)
    (block,) = rater_role_blocks(study, [study.role_ids[:3]])
    part = analysis_part(block)
    again = pickle.loads(pickle.dumps(part))
    assert again.rater_roles == part.rater_roles == tuple(sorted(
        r for r in study.role_ids[:3] if r in {block.ratings.roles[s]
                                                  for s in block.ratings.source.tolist()}))
    assert_same_analysis(analyze_parts(study, [again, *[analysis_part(b) for b in rater_role_blocks(
        study, [study.role_ids[3:]])]]).to_mapping(), analyze(study).to_mapping())


def test_what_parts_cannot_do_is_refused() -> None:
    study = load_example()
    blocks = rater_role_blocks(study, rater_role_groups(study, 2))
    parts = [analysis_part(b) for b in blocks]
    with pytest.raises(ValueError, match="two parts"):
        AnalysisPart.combine([parts[0], parts[0]])
    with pytest.raises(ValueError, match="no parts"):
        AnalysisPart.combine([])
    waves = (study.waves[0], study.waves[1])
    with pytest.raises(InvalidSettingsError, match="compare"):
        analysis_part(blocks[0], compare=waves)
    with pytest.raises(InvalidSettingsError, match="compare"):
        analyze_parts(study, parts, compare=waves)


def test_the_parts_carry_their_wave_vocabulary() -> None:
    """A tie cell is numbered by its wave's position in the vocabulary its block was cut
    with: facts given with other waves (none, or reversed) change nothing, since the parts
    name their waves, and parts cut with different vocabularies are refused rather than
    read wrongly."""
    study = load_example()
    parts = [analysis_part(b) for b in rater_role_blocks(study, rater_role_groups(study, 3))]
    expected = analyze(study).to_mapping()
    for waves in ((), tuple(reversed(study.ratings.waves))):
        assert_same_analysis(analyze_parts(without_rows(study, waves=waves), parts).to_mapping(),
                             expected)
    other = without_rows(study, waves=tuple(reversed(study.ratings.waves)))
    (block,) = rater_role_blocks(other.with_checked_ratings(
        study.ratings.recode(roles=study.ratings.roles, respondents=study.ratings.respondents,
                             dimensions=study.ratings.dimensions,
                             waves=other.ratings.waves)), [parts[0].rater_roles])
    with pytest.raises(ValueError, match="waves"):
        AnalysisPart.combine([analysis_part(block), *parts[1:]])


def test_a_report_of_an_analysis_from_parts_counts_the_ratings() -> None:
    """The report's overview counts the study's ratings from the privacy summary, which
    an analysis from parts carries, not from the rows it does not hold."""
    study = load_example()
    parts = [analysis_part(b) for b in rater_role_blocks(study, rater_role_groups(study, 3))]
    from_parts = overview_section(analyze_parts(study, parts), "en")
    in_memory = overview_section(analyze(study), "en")
    assert from_parts.blocks[0] == in_memory.blocks[0]
    assert f"{len(study.ratings)}" in str(from_parts.blocks[0])
