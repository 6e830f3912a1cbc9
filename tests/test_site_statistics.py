"""Site statistics (relcoord.site_statistics): what leaves a site, the file, the merge."""

from __future__ import annotations

import zipfile
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from relcoord.analysis import analyze
from relcoord.errors import InvalidInputError
from relcoord.metrics.scores.respondent_ties import respondent_tie_scores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.pooled_analysis import pooled_analysis
from relcoord.privacy.publishable import publishable_ratings
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings, Weighting
from relcoord.site_statistics import SiteStatistics, merge_sites
from relcoord.site_statistics_file import (
    read_site_statistics,
    site_statistics_bytes,
    write_site_statistics,
)
from relcoord.testing.strategies import studies

K = 3
SETTINGS = AnalysisSettings(min_respondents=K)


def _with_scores(study: Study, scores: np.ndarray) -> Study:
    r = study.ratings
    ratings = Ratings.from_arrays(
        source=r.source, target=r.target, scores=scores, dimensions=r.dimensions,
        roles=r.roles, respondent=r.respondent, respondents=r.respondents, wave=r.wave,
        waves=r.waves)
    return attrs.evolve(study, ratings=ratings)


def _cell_people(study: Study) -> tuple[np.ndarray, np.ndarray]:
    """Each rating row's tie x wave cell, and each cell's number of distinct respondents."""
    per = respondent_tie_scores(study, min_items=SETTINGS.items_needed(study.instrument))
    cells = TieCells.of(study, by_wave=True, respondent_ties=per)
    people = cells.respondents()
    return cells.codes, people


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study=studies(max_roles=4, max_respondents=14, max_ratings=40, max_waves=2),
       data=st.data())
def test_a_group_below_the_minimum_changes_no_byte(study: Study, data: st.DataObject) -> None:
    """The perturbation property: new answers for every rating of a tie x wave cell with
    fewer than ``min_respondents`` respondents (before and after the change) leave the site's
    file byte for byte the same."""
    assume(len(study.ratings) > 0)
    codes, people = _cell_people(study)
    small = np.flatnonzero(people[codes] < K)
    assume(len(small) > 0)
    cell = codes[data.draw(st.sampled_from(small.tolist()))]
    rows = np.flatnonzero(codes == cell)
    scores = study.ratings.scores.copy()
    donors = data.draw(st.lists(st.integers(0, len(scores) - 1), min_size=len(rows),
                                max_size=len(rows)))
    scores[rows] = study.ratings.scores[donors]
    changed = _with_scores(study, scores)
    # new answers where there were none can bring the group to the minimum: then it is no
    # longer a group below the minimum, and its (new) answers are rightly shared
    assume(_cell_people(changed)[1][cell] < K)
    before = site_statistics_bytes(SiteStatistics.of(study, SETTINGS))
    after = site_statistics_bytes(SiteStatistics.of(changed, SETTINGS))
    assert before == after


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study=studies(max_roles=3, max_respondents=14, max_ratings=40, max_waves=1,
                     with_missing=False))
def test_a_published_group_does_change_the_file(study: Study) -> None:
    """The property above is not vacuous: in a cell that is shared, different answers give
    different sums."""
    codes, _ = _cell_people(study)
    shared = SiteStatistics.of(study, SETTINGS).summary
    assume(len(shared.cells) > 0)
    rows = np.flatnonzero(codes == shared.cells[0])
    scores = study.ratings.scores.copy()
    scoring = study.instrument.dimension(study.ratings.dimensions[0]).scoring
    low, high = min(scoring), max(scoring)
    scores[rows, 0] = np.where(scores[rows, 0] == low, high, low)
    changed = SiteStatistics.of(_with_scores(study, scores), SETTINGS)
    assert site_statistics_bytes(changed) != site_statistics_bytes(SiteStatistics.of(study,
                                                                                     SETTINGS))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study=studies(max_roles=4, max_respondents=14, max_ratings=40))
def test_the_file_reads_back_equal(study: Study, tmp_path_factory: pytest.TempPathFactory
                                   ) -> None:
    path = tmp_path_factory.mktemp("stats") / "site.stats"
    shared = SiteStatistics.of(study, SETTINGS)
    write_site_statistics(shared, path)
    back = read_site_statistics(path)
    assert back.summary.equals(shared.summary)
    assert (back.sites, back.min_items, back.min_respondents) == (
        shared.sites, shared.min_items, shared.min_respondents)
    assert path.read_bytes() == site_statistics_bytes(back)


def test_no_respondent_or_answer_leaves_the_site(tmp_path: Path) -> None:
    from relcoord.example import load_example

    study = load_example()
    path = tmp_path / "site.stats"
    write_site_statistics(SiteStatistics.of(study), path)
    with zipfile.ZipFile(path) as archive:
        text = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".json"))
        people = archive.read("summary/people.npy")
    assert all(p.id.encode() not in text for p in study.respondents)
    assert np.load(__import__("io").BytesIO(people)).size == 0


def test_sites_merge_like_their_pooled_study() -> None:
    from relcoord.example import load_example

    study = load_example()
    respondents = study.ratings.respondent
    half = np.isin(respondents, np.arange(0, len(study.ratings.respondents), 2))
    parts = [attrs.evolve(study, metadata=attrs.evolve(study.metadata, id=f"site-{i}"),
                          ratings=study.ratings.select(mask))
             for i, mask in enumerate((half, ~half))]
    pooled = merge_sites([SiteStatistics.of(p, min_respondents=K) for p in parts])
    assert pooled.sites == ("site-0", "site-1")
    assert int(pooled.summary.respondents.sum()) <= int(
        SiteStatistics.of(study, min_respondents=K).summary.respondents.sum())
    with pytest.raises(ValueError, match="given twice"):
        merge_sites([SiteStatistics.of(parts[0], min_respondents=K)] * 2)


@pytest.mark.parametrize(("entry", "damage", "message"), [
    ("relcoord-site-statistics.json", b"{}", "format"),
    ("relcoord-site-statistics.json", b"{", "ends too early"),
    ("summary/item_sum.npy", b"not an array", "npy"),
    ("study.json", b"[]", "study.json"),
])
def test_a_damaged_file_is_a_located_error(tmp_path: Path, entry: str, damage: bytes,
                                           message: str) -> None:
    from relcoord.example import load_example

    good = tmp_path / "good.stats"
    write_site_statistics(SiteStatistics.of(load_example()), good)
    bad = tmp_path / "bad.stats"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for name in source.namelist():
            target.writestr(name, damage if name == entry else source.read(name))
    with pytest.raises(InvalidInputError, match=message) as error:
        read_site_statistics(bad)
    assert str(bad) in str(error.value)


# --- the pooled analysis -------------------------------------------------------------------


def _sites_and_union(study: Study, parts: int, seed: int
                     ) -> tuple[list[SiteStatistics], Study]:
    """``study`` split by respondent into ``parts`` sites, each site's statistics, and the
    study of every rating some site shares (what a pooled data set of the shared rows is)."""
    rng = np.random.default_rng(seed)
    person_site = rng.integers(0, parts, size=len(study.ratings.respondents) + 1)
    site_of_row = person_site[study.ratings.respondent]  # -1 (no respondent): the last one
    shared = np.zeros(len(study.ratings), dtype=bool)
    sites = []
    for index in range(parts):
        rows = np.flatnonzero(site_of_row == index)
        part = attrs.evolve(study, metadata=attrs.evolve(study.metadata, id=f"site-{index}"),
                            ratings=study.ratings.select(rows))
        shared[rows[publishable_ratings(part, SETTINGS, by_wave=True)]] = True
        sites.append(SiteStatistics.of(part, SETTINGS))
    return sites, attrs.evolve(study, ratings=study.ratings.select(shared))


def _close(a: float | None, b: float | None) -> bool:
    return (a is None) == (b is None) and (a is None or b is None or abs(a - b) <= 1e-12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study=studies(min_roles=2, max_roles=3, max_respondents=24, max_ratings=80, max_waves=1,
                     with_missing=False),
       parts=st.integers(1, 3), seed=st.integers(0, 2**16),
       weighting=st.sampled_from(["respondent", "tie", "group"]))
def test_the_pooled_figures_are_those_of_the_shared_ratings(
        study: Study, parts: int, seed: int, weighting: Weighting) -> None:
    """Every pooled figure equals the in-memory analysis of the ratings the sites share."""
    sites, union = _sites_and_union(study, parts, seed)
    chosen = attrs.evolve(SETTINGS, weighting=weighting)
    pooled = pooled_analysis(merge_sites(sites), chosen)
    direct = analyze(union, chosen)
    shown = {(t.source, t.target): t for t in direct.scores.ties if t.rc is not None}
    assert {(t.source, t.target) for t in pooled.ties} == set(shown)
    for tie in pooled.ties:
        other = shown[(tie.source, tie.target)]
        assert tie.n_ratings == other.n_ratings
        assert tie.band == other.band
        for figure in ("rc", "communication", "relationship"):
            assert _close(getattr(tie, figure), getattr(other, figure)), figure
        for item, mean in tie.items.items():
            assert _close(mean, other.dimensions[item]), item
    for role in pooled.roles:
        other_role = direct.scores.role(role.role)
        for figure in ("rc_as_rater", "rc_as_target", "rc_within"):
            assert _close(getattr(role, figure), getattr(other_role, figure)), figure
    assert _close(pooled.network_rc, direct.scores.overall.rc)
    event(f"ties shown: {min(len(pooled.ties), 3)}{'+' if len(pooled.ties) >= 3 else ''}")


@pytest.mark.parametrize("weighting", ["respondent", "tie", "group"])
def test_the_pooled_figures_of_a_generated_survey(weighting: Weighting) -> None:
    """The same, on a realistic survey (10 roles of unequal size, skipped items) split over
    three sites, where most ties are shown; alpha too."""
    from relcoord.testing.surveys import care_study

    study = care_study(10, seed=7)
    sites, union = _sites_and_union(study, 3, seed=11)
    chosen = attrs.evolve(SETTINGS, weighting=weighting)
    pooled = pooled_analysis(merge_sites(sites), chosen)
    direct = analyze(union, chosen)
    assert len(pooled.ties) >= 20
    for tie in pooled.ties:
        other = direct.scores.tie(tie.source, tie.target)
        assert other is not None
        assert tie.n_ratings == other.n_ratings
        assert _close(tie.rc, other.rc)
        assert _close(tie.communication, other.communication)
    for role in pooled.roles:
        other_role = direct.scores.role(role.role)
        assert _close(role.rc_as_rater, other_role.rc_as_rater)
        assert _close(role.rc_as_target, other_role.rc_as_target)
    assert _close(pooled.network_rc, direct.scores.overall.rc)
    assert direct.reliability is not None
    assert pooled.alpha is not None
    assert _close(pooled.alpha, direct.reliability.alpha["rc"].alpha)
    assert pooled.alpha_complete_cases == direct.reliability.alpha["rc"].n
