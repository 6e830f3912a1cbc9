"""TieStatistics (relcoord.metrics.tie_statistics): merging parts equals the whole, and every
figure read from the statistics equals a plain computation from the rating rows.

The references below are deliberately simple: Python loops over rows and numpy on the
selected rows of one cell at a time.  Float sums may differ in the last bits when they are
added in another order (parts merged), so floats are compared to 1e-12 relative; counts
exactly.
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections import defaultdict

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.tie_statistics import TieStatistics
from relcoord.model import Study
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

many = studies(max_roles=4, max_respondents=10, max_ratings=60, with_ties=False,
               with_invitations=False)
Bools = npt.NDArray[np.bool_]
RTOL = 1e-12


@pytest.fixture(scope="module")
def demo_study() -> Study:
    return load_example()


def min_items(study: Study) -> int:
    return AnalysisSettings().items_needed(study.instrument)


def stats(study: Study, *, by_wave: bool = False, engine: str = "numpy") -> TieStatistics:
    return TieStatistics.of(study, min_items=min_items(study), by_wave=by_wave, engine=engine)


def part(study: Study, rows: Bools) -> Study:
    return attrs.evolve(study, ratings=study.ratings.select(rows))


def split_by_respondent(study: Study, data: st.DataObject, n_parts: int) -> list[Bools]:
    """Row masks of ``n_parts`` parts; every respondent's rows in one part, rows without a
    respondent anywhere."""
    ratings = study.ratings
    owner = data.draw(st.lists(st.integers(0, n_parts - 1), min_size=len(ratings.respondents),
                               max_size=len(ratings.respondents)))
    loose = data.draw(st.lists(st.integers(0, n_parts - 1), min_size=len(ratings),
                               max_size=len(ratings)))
    person = ratings.respondent
    where = np.array([owner[p] if p >= 0 else loose[r] for r, p in enumerate(person.tolist())],
                     dtype=np.int64).reshape(-1)
    return [where == i for i in range(n_parts)]


@settings(deadline=None)
@given(many, st.data(), st.booleans())
def test_merging_any_split_by_respondent_gives_the_whole(study: Study, data: st.DataObject,
                                                         by_wave: bool) -> None:
    n_parts = data.draw(st.integers(1, 4))
    parts = [stats(part(study, rows), by_wave=by_wave)
             for rows in split_by_respondent(study, data, n_parts)]
    order = data.draw(st.permutations(range(n_parts)))
    left = parts[order[0]]
    for i in order[1:]:  # a left fold in a drawn order ...
        left = left + parts[i]
    tree = parts  # ... and a pairwise tree in the original order
    while len(tree) > 1:
        tree = [tree[i] + tree[i + 1] if i + 1 < len(tree) else tree[i]
                for i in range(0, len(tree), 2)]
    whole = stats(study, by_wave=by_wave)
    assert left.equals(whole, rtol=RTOL)
    assert tree[0].equals(whole, rtol=RTOL)


@given(many, st.data())
def test_merging_is_commutative_and_associative(study: Study, data: st.DataObject) -> None:
    a, b, c = (stats(part(study, rows)) for rows in split_by_respondent(study, data, 3))
    assert (a + b).equals(b + a, rtol=RTOL)
    assert ((a + b) + c).equals(a + (b + c), rtol=RTOL)


def test_parts_sharing_a_respondent_do_not_merge(demo_study: Study) -> None:
    ratings = demo_study.ratings
    first = np.zeros(len(ratings), dtype=bool)
    first[np.flatnonzero(ratings.respondent >= 0)[:1]] = True
    second = ~first & (ratings.respondent == ratings.respondent[first][0])
    assert second.any()
    with pytest.raises(ValueError, match="share a respondent"):
        stats(part(demo_study, first)) + stats(part(demo_study, second))


def test_different_grids_do_not_merge(demo_study: Study) -> None:
    with pytest.raises(ValueError, match="cannot be merged"):
        stats(demo_study) + stats(demo_study, by_wave=True)


# --- every figure against the rows -------------------------------------------------------


def cell_rows(study: Study, by_wave: bool) -> dict[int, list[int]]:
    ratings = study.ratings
    k, n_waves = len(study.roles), (len(ratings.waves) + 1 if by_wave else 1)
    out: dict[int, list[int]] = defaultdict(list)
    for r in range(len(ratings)):
        pair = int(ratings.source[r]) * k + int(ratings.target[r])
        out[pair * n_waves + (int(ratings.wave[r]) + 1 if by_wave else 0)].append(r)
    return out


def close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def sample_sd(values: list[float]) -> float:
    return float(np.std(values, ddof=1)) if len(values) >= 2 else math.nan


@given(many, st.booleans())
def test_every_cell_figure_equals_the_rows(study: Study, by_wave: bool) -> None:
    s = stats(study, by_wave=by_wave)
    per = respondent_tie_scores(study, min_items=min_items(study))
    x = study.ratings.scores
    groups = cell_rows(study, by_wave)
    assert s.cells.tolist() == sorted(groups)
    mean, sd = s.tie_rc()
    com_mean, com_sd = s.sub_index("communication")
    item_means = s.item_means()
    variances = s.item_variances()
    for i, cell in enumerate(s.cells.tolist()):
        rows = groups[cell]
        counted = [r for r in rows if per.counted[r]]
        assert s.rows[i] == len(rows)
        assert s.counted[i] == len(counted)
        people = {("p", int(study.ratings.respondent[r])) if study.ratings.respondent[r] >= 0
                  else ("row", r) for r in counted}
        assert s.respondents[i] == len(people)
        rc = [float(per.rc[r]) for r in counted]
        assert close(mean[i], float(np.mean(rc)) if rc else math.nan)
        assert close(sd[i], sample_sd(rc))
        com = [float(per.communication[r]) for r in counted
               if per.communication[r] == per.communication[r]]
        assert s.communication_n[i] == len(com)
        assert close(com_mean[i], float(np.mean(com)) if com else math.nan)
        assert close(com_sd[i], sample_sd(com))
        complete = [r for r in counted if not np.isnan(x[r]).any()]
        assert s.complete[i] == len(complete)
        for j in range(x.shape[1]):
            answers = [float(x[r, j]) for r in counted if x[r, j] == x[r, j]]
            assert s.item_n[i, j] == len(answers)
            assert close(item_means[i, j], float(np.mean(answers)) if answers else math.nan)
            full = [float(x[r, j]) for r in complete]
            expected = float(np.var(full, ddof=1)) if len(full) >= 2 else math.nan
            assert close(variances[i, j], expected)


@given(many)
def test_alpha_and_icc_by_tie_equal_the_rows(study: Study) -> None:
    s = stats(study)
    per = respondent_tie_scores(study, min_items=min_items(study))
    x = study.ratings.scores
    complete = per.counted & ~np.isnan(x).any(axis=1)
    block = x[complete]
    n, alpha = s.alpha()
    assert n == len(block)
    j = block.shape[1]
    if n >= 2 and j >= 2:
        cov = np.cov(block, rowvar=False, ddof=1)
        total = float(cov.sum())
        expected = j / (j - 1) * (1 - float(np.trace(cov)) / total) if total > 0 else math.nan
        if not math.isnan(expected) and total > 1e-9:
            assert close(alpha, expected)
    # one-way ANOVA of the complete rows' item mean by tie
    k = len(study.roles)
    tie = (study.ratings.source.astype(np.int64) * k + study.ratings.target)[complete]
    y = block.mean(axis=1) if j else np.zeros(len(block))
    ms_b, ms_w, big_n, g = s.icc_by_tie()
    levels = np.unique(tie)
    assert (big_n, g) == (len(y), len(levels))
    if g >= 2 and big_n > g:
        grand = y.mean()
        between = sum(len(y[tie == t]) * (y[tie == t].mean() - grand) ** 2 for t in levels)
        within = sum(((y[tie == t] - y[tie == t].mean()) ** 2).sum() for t in levels)
        assert close(ms_b, between / (g - 1))
        assert close(ms_w, within / (big_n - g))


@given(many)
def test_per_respondent_sums_equal_the_rows(study: Study) -> None:
    s = stats(study)
    per = respondent_tie_scores(study, min_items=min_items(study))
    ratings = study.ratings
    totals: dict[int, list[float]] = defaultdict(list)
    for r in range(len(ratings)):
        if per.counted[r] and ratings.respondent[r] >= 0:
            totals[int(ratings.respondent[r])].append(float(per.rc[r]))
    assert s.people.tolist() == sorted(totals)
    for i, p in enumerate(s.people.tolist()):
        assert s.people_counted[i] == len(totals[p])
        assert close(float(s.people_rc_sum[i]), sum(totals[p]))
        assert close(float(s.people_rc_sumsq[i]), sum(v * v for v in totals[p]))


HAS_NUMBA = importlib.util.find_spec("numba") is not None


@pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                    reason="numba (the fast extra) is not installed")
@settings(deadline=None)  # the first call compiles the pass
@given(many, st.booleans())
def test_the_compiled_pass_gives_the_same_statistics_bit_for_bit(study: Study,
                                                                 by_wave: bool) -> None:
    assert stats(study, by_wave=by_wave, engine="numba").equals(
        stats(study, by_wave=by_wave, engine="numpy"))


def test_an_unknown_engine_is_refused(demo_study: Study) -> None:
    with pytest.raises(ValueError, match="engine"):
        stats(demo_study, engine="fortran")
