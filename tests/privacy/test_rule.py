"""The minimum-respondent rule inside analyze() (relcoord.privacy), end to end.

The central property: for any generated study, changing the answers of the respondents
behind a withheld tie (a group smaller than ``min_respondents``) changes no number in any
export: the Analysis mapping, the Analysis JSON, the CSV analysis tables and the GraphML.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.formats.csv.exporters import analysis_tables
from relcoord.formats.csv.profiles import PROFILES
from relcoord.formats.graphml import graphml_bytes
from relcoord.formats.json_format import analysis_json_bytes
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.plugins.manager import PluginHost
from relcoord.plugins.respondent_ids import published_view
from relcoord.privacy import (
    cell_support,
    publishable_ratings,
    suppression_reason,
    withhold,
)
from relcoord.ratings import Rating
from relcoord.settings import AnalysisSettings, InvalidSettingsError
from relcoord.testing.strategies import studies

ALL = {"frequent": 4, "timely": 4, "accurate": 4, "problem_solving": 4,
       "shared_goals": 4, "shared_knowledge": 4, "mutual_respect": 4}


def _rating(person: str, source: str, target: str, value: float, wave: str | None = None,
            **changes: float | None) -> Rating:
    scores: dict[str, float | None] = dict.fromkeys(ALL, value)
    scores.update(changes)
    return Rating(source=source, target=target, respondent=person, wave=wave, scores=scores)


def small_study() -> Study:
    """Teachers (6 people) rate KUI; KUI (2 people) rate teachers: the second tie is small."""
    teachers = [Respondent(f"t{i}", "teachers") for i in range(6)]
    kui = [Respondent("k0", "kui"), Respondent("k1", "kui")]
    ratings = [_rating(p.id, "teachers", "kui", 2.0 + (i % 3)) for i, p in enumerate(teachers)]
    ratings += [_rating("k0", "kui", "teachers", 5.0), _rating("k1", "kui", "teachers", 1.0)]
    return Study(
        metadata=Metadata(id="small"), instrument="rc7",
        roles=[Role("teachers", "Teachers", "school"), Role("kui", "KUI", "municipality")],
        respondents=[*teachers, *kui], ratings=ratings,
    )


# --- settings -------------------------------------------------------------------------------


def test_min_respondents_below_three_needs_the_override() -> None:
    with pytest.raises(InvalidSettingsError, match="min_respondents_override"):
        AnalysisSettings(min_respondents=2)
    with pytest.raises(InvalidSettingsError, match="min_respondents"):
        analyze(small_study(), min_respondents=1)
    analysis = analyze(small_study(), min_respondents=2, min_respondents_override=True)
    assert analysis.privacy.min_respondents == 2
    assert analysis.privacy.override is True
    data = analysis.to_mapping()
    assert data["privacy"]["min_respondents"] == 2
    assert data["privacy"]["min_respondents_override"] is True
    assert data["settings"]["min_respondents_override"] is True
    assert analyze(small_study()).privacy.override is False


# --- the rule on a hand-made study ---------------------------------------------------------


def test_a_small_tie_is_listed_but_every_number_is_none() -> None:
    analysis = analyze(small_study())
    shown = analysis.scores.tie("teachers", "kui")
    hidden = analysis.scores.tie("kui", "teachers")
    assert shown is not None
    assert hidden is not None
    assert shown.rc == pytest.approx(3.0)
    assert shown.n_respondents == 6
    assert not shown.suppressed
    assert shown.suppressed_reason is None
    assert hidden.suppressed
    assert hidden.suppressed_reason == "fewer than 5 respondents"
    assert hidden.rc is hidden.communication is hidden.relationship is hidden.gap is None
    assert hidden.n_respondents is None
    assert hidden.band is None
    assert hidden.lowest_dimension is None
    assert all(v is None for v in hidden.dimensions.values())
    tie = next(t for t in analysis.to_mapping()["ties"] if t["source"] == "kui")
    assert tie["suppressed"] is True
    assert tie["rc"] is None
    assert tie["n_respondents"] is None


def test_withheld_ratings_feed_no_aggregate() -> None:
    analysis = analyze(small_study())
    # only the teachers' six ratings (2, 3, 4, 2, 3, 4) remain
    assert analysis.scores.overall.rc == pytest.approx(3.0)
    assert analysis.scores.between.rc == pytest.approx(3.0)
    assert analysis.scores.by_dimension["frequent"] == pytest.approx(3.0)
    assert analysis.role("teachers").rc_as_target is None  # nobody left who rates them
    assert analysis.role("kui").rc_as_target == pytest.approx(3.0)
    assert analysis.scores.asymmetry == ()  # the pair no longer has two shown directions
    assert analysis.network.role("teachers").in_strength == 0
    assert analysis.privacy.ratings_withheld == 2
    assert analysis.privacy.respondents_affected == 2
    assert analysis.privacy.ties_suppressed == (("kui", "teachers"),)
    counts = analysis.to_mapping()["counts"]
    assert counts["ratings"] == 8
    assert counts["counted"] + counts["excluded"] + counts["withheld"] == counts["ratings"]
    # with a lower threshold the small tie is shown and every aggregate moves
    low = analyze(small_study(), min_respondents=2, min_respondents_override=True)
    assert low.scores.overall.rc == pytest.approx((18.0 + 6.0) / 8)
    assert low.privacy.ratings_withheld == 0


def test_a_rarely_answered_item_withholds_its_tie() -> None:
    """Six teachers rate KUI, but only two answer 'frequent': that mean rests on two."""
    base = small_study()
    ratings = [_rating(f"t{i}", "teachers", "kui", 3.0, frequent=None if i >= 2 else 5.0)
               for i in range(6)]
    study = attrs.evolve(base, ratings=ratings)
    tie = analyze(study).scores.tie("teachers", "kui")
    assert tie is not None
    assert tie.suppressed
    _, support, _ = cell_support(study, min_items=5)
    assert int(support.max()) == 2
    # complete-cases counting without items: six respondents stand behind the RC
    _, rc_only, _ = cell_support(study, min_items=5, items=False)
    assert int(rc_only.max()) == 6


def test_a_respondent_counts_once_however_many_waves() -> None:
    """Two KUI staff rate teachers at three conferences: six ratings, two people."""
    base = small_study()
    extra = [_rating(p, "kui", "teachers", 4.0, wave=w) for p in ("k0", "k1")
             for w in ("c1", "c2", "c3")]
    study = attrs.evolve(base, ratings=[*base.ratings, *extra])
    tie = analyze(study).scores.tie("kui", "teachers")
    assert tie is not None
    assert tie.suppressed
    by_wave = publishable_ratings(study, AnalysisSettings(), by_wave=True)
    assert int(by_wave.sum()) == 6  # the teachers' six ratings only


def test_aggregates_below_k_are_suppressed_with_a_reason() -> None:
    """Rule 4 is a second line of defence: checked on scores computed without rule 1."""
    from relcoord.metrics.scores import scores
    from relcoord.privacy import PrivacySummary, suppress_scores

    study = small_study()
    raw = scores(study)
    summary = PrivacySummary(
        min_respondents=7, override=False, reason=suppression_reason(7), n_ratings=8,
        ratings_withheld=0, rare_pattern_ratings=0, respondents_affected=0, cells_withheld=0,
        ties_suppressed=(), figures_suppressed=0, withheld=np.zeros(8, dtype=bool),
    )
    result, after = suppress_scores(raw, study, summary)
    assert result.overall.rc is not None  # eight respondents
    assert result.within.rc is None  # nobody rated their own role: nothing to hide
    assert result.between.n_respondents == 8
    kui = result.role("kui")  # rates with 2 people, is rated by 6: both below 7
    assert kui.rc_as_rater is None
    assert kui.rc_as_target is None
    assert kui.suppressed == ("rc_as_rater", "rc_as_target")
    assert kui.suppressed_reason == "fewer than 7 respondents"
    assert result.role("teachers").suppressed == ("rc_as_rater", "rc_as_target")
    org = result.organisations.external
    assert org.n_respondents == 8
    assert org.rc is not None
    assert org.suppressed_reason is None
    for each in result.organisations.by_organisation:  # school: 6 raters, municipality: 2
        assert each.external.rc is None
        assert each.external.suppressed_reason is not None
    assert after.figures_suppressed == 6


# --- no figure rests on fewer than k respondents --------------------------------------------


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def assert_no_small_figure(analysis: Analysis) -> None:
    """Every number shown in the Analysis JSON rests on at least k respondents."""
    k = analysis.settings.min_respondents
    data = analysis.to_mapping()
    for tie in data["ties"]:
        if tie["suppressed"]:
            numbers = [tie["rc"], tie["communication"], tie["relationship"], tie["gap"],
                       tie["n_respondents"], *tie["dimensions"].values()]
            assert all(v is None for v in numbers), tie
        elif tie["rc"] is not None:
            assert tie["n_respondents"] >= k, tie
    for fig in _objects(data):
        if {"rc", "n_ratings", "n_ties"} <= fig.keys() and fig["rc"] is not None:
            assert fig["n_respondents"] >= k, fig
    for role in data["roles"]:
        if role["rc_as_rater"] is not None:
            assert role["n_respondents"] >= k, role
        if role["rc_as_target"] is not None:
            assert role["n_raters"] >= k, role
    # and the rule itself: every figure of every cell left rests on k or more respondents
    _, support, _ = cell_support(analysis.published,
                                 min_items=analysis.scores.min_items)
    assert ((support == 0) | (support >= k)).all()


@pytest.mark.parametrize("k", [3, 5, 8])
def test_the_embedded_example_shows_no_figure_behind_fewer_than_k(k: int) -> None:
    analysis = analyze(load_example(), min_respondents=k)
    assert_no_small_figure(analysis)
    assert analysis.privacy.ties_suppressed  # the example has small ties at every k here
    shown = [t for t in analysis.scores.ties if not t.suppressed]
    assert shown
    assert all(t.n_respondents is not None and t.n_respondents >= k for t in shown)


# --- the property: a small group's answers change no exported number -----------------------


@st.composite
def study_and_new_answers(draw: st.DrawFn) -> tuple[Study, Study, AnalysisSettings]:
    """A study, the same study with new answers behind its withheld ties, and the settings."""
    study = draw(studies(max_roles=3, max_respondents=10, max_ratings=24, max_waves=2))
    k = draw(st.sampled_from([2, 3]))
    chosen = AnalysisSettings(min_respondents=k, min_respondents_override=True)
    withheld = ~publishable_ratings(study, chosen)
    assume(withheld.any())
    scores = np.array(study.ratings.scores, copy=True)
    for j, dim in enumerate(study.instrument.dimensions):
        values = draw(st.lists(st.none() | st.sampled_from(sorted(dim.scores)),
                               min_size=int(withheld.sum()), max_size=int(withheld.sum())))
        scores[withheld, j] = [math.nan if v is None else v for v in values]
    changed = attrs.evolve(study, ratings=attrs.evolve(study.ratings, scores=scores))
    # the same groups stay too small (else the change legitimately shows)
    assume((publishable_ratings(changed, chosen) == ~withheld).all())
    return study, changed, chosen


def _exports(analysis: Analysis) -> dict[str, bytes]:
    study, shown = published_view(analysis.study, analysis)
    assert shown is not None
    out = {f"csv/{name}": data
           for name, data in analysis_tables(shown, PROFILES["plain"]).items()}
    out["graphml"] = graphml_bytes(study, shown)
    out["analysis-json"] = analysis_json_bytes(shown)
    return out


@given(case=study_and_new_answers())
@settings(max_examples=25)  # two analyses and four exports per example; never more
def test_answers_behind_a_withheld_tie_change_no_exported_number(
    case: tuple[Study, Study, AnalysisSettings],
) -> None:
    before_study, after_study, chosen = case
    before, after = analyze(before_study, chosen), analyze(after_study, chosen)
    assert before.to_mapping() == after.to_mapping()
    assert _exports(before) == _exports(after)
    assert_no_small_figure(before)


def test_the_property_reaches_the_files_the_host_writes(tmp_path: Path) -> None:
    """The same check through the registry: csv analysis tables, GraphML, Analysis JSON."""
    study = small_study()
    louder = attrs.evolve(study, ratings=[
        *[r for r in study.ratings if r.source == "teachers"],
        _rating("k0", "kui", "teachers", 1.0), _rating("k1", "kui", "teachers", 2.0,
                                                       timely=None),
    ])
    host = PluginHost(entry_points=list, environ={})
    written: list[dict[str, bytes]] = []
    for n, version in enumerate((study, louder)):
        analysis = analyze(version)
        folder = tmp_path / str(n)
        folder.mkdir()
        host.write(version, folder / "tables", format="csv", analysis=analysis)
        host.write(version, folder / "roles.graphml", analysis=analysis)
        host.write(version, folder / "a.analysis.json", analysis=analysis)
        files = {p.relative_to(folder).as_posix(): p.read_bytes()
                 for p in sorted(folder.rglob("*")) if p.is_file()}
        written.append(files)
    assert written[0] == written[1]
    assert "tables/tie_metrics.csv" in written[0]


def test_withhold_returns_the_published_study() -> None:
    study = small_study()
    published, summary = withhold(study, AnalysisSettings())
    assert len(published.ratings) == 6
    assert summary.published(study) == published
    with pytest.raises(ValueError, match="another study"):
        summary.published(load_example())
