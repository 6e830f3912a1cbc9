"""Reliability from answer counts (relcoord.metrics.reliability.answer_counts) against the
row-by-row computation it replaces (``reliability_summary_and_rows``, kept as the way for other
scales and as the reference here).

Every figure must agree to 1e-12 relative (and 1e-12 absolute near zero), the tolerance of the
project's golden check, on studies with missing answers, waves, group ratings, repeated ratings,
rows in any order and near-constant answers; the tallies themselves must equal counts taken
directly from the rows.
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections import defaultdict
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord import Metadata, Ratings, Respondent, Role, Study
from relcoord.instruments import DIMENSION_KEYS, Dimension, Instrument
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.reliability import (
    RatingRows,
    ReliabilitySettings,
    agreement_band,
    null_variance,
)
from relcoord.metrics.reliability.answer_counts import AnswerCounts
from relcoord.metrics.reliability.summary import (
    reliability_summary_and_raters,
    reliability_summary_and_rows,
)
from relcoord.metrics.tie_cells import TieCells
from relcoord.privacy.reliability import publishable_reliability
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

TOLERANCE = 1e-12


def differences(a: Any, b: Any, path: str = "$") -> list[str]:
    """Where two JSON-ready values differ: floats beyond ``TOLERANCE``, anything else at all."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in differences(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            return [f"{path}: length {len(a)} != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{path}[{i}]")]
    numbers = (int, float)
    if (isinstance(a, float) or isinstance(b, float)) and isinstance(a, numbers) \
            and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        same = math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
        return [] if same else [f"{path}: {a!r} != {b!r}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def _at(data: Any, path: str) -> Any:
    """The value at a ``$.a.b[2].c`` path of a mapping."""
    for part in path[2:].replace("[", ".[").split("."):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return data


def canonical(study: Study) -> Study:
    """``study`` with its rows in the analysis's canonical order (wave, rater, target,
    respondent), as ``analyze`` hands them to the reliability figures."""
    summary, _ = RatingsSummary.with_order(study)
    rows = summary.ratings(study)
    return study if rows is study.ratings else attrs.evolve(study, ratings=rows)


def _exact_anova(values: list[Fraction], groups: list[Any],
                 group_size: str) -> dict[str, float | None]:
    """The ICC fields of ``icc_from_anova`` from the exact one-way ANOVA of ``values``."""
    members: dict[Any, list[Fraction]] = defaultdict(list)
    for v, g in zip(values, groups, strict=True):
        members[g].append(v)
    n, n_groups = len(values), len(members)
    none: dict[str, float | None] = dict.fromkeys(
        ("ms_between", "ms_within", "f", "icc1", "icc2", "k", "k0"))
    if n_groups < 2 or n - n_groups < 1:
        return none
    grand = sum(values, Fraction(0)) / n
    means = {g: sum(v, Fraction(0)) / len(v) for g, v in members.items()}
    msb = sum((len(v) * (means[g] - grand) ** 2 for g, v in members.items()),
              Fraction(0)) / (n_groups - 1)
    msw = sum(((x - means[g]) ** 2 for g, v in members.items() for x in v),
              Fraction(0)) / (n - n_groups)
    k0 = (n - Fraction(sum(len(v) ** 2 for v in members.values()), n)) / (n_groups - 1)
    k = k0 if group_size == "k0" else Fraction(n, n_groups)
    tiny = 1e-12 * max(abs(float(msb)), abs(float(msw)), 1.0)
    denom = msb + (k - 1) * msw
    return {"ms_between": float(msb), "ms_within": float(msw),
            "f": float(msb / msw) if msw else None,
            "icc1": float((msb - msw) / denom) if float(denom) > tiny else None,
            "icc2": float((msb - msw) / msb) if float(msb) > tiny else None,
            "k": float(k), "k0": float(k0)}


def exact_iccs(study: Study, settings: ReliabilitySettings) -> dict[str, dict[str, Any]]:
    """The three ICCs of the summary computed in exact rational arithmetic from the rows (the
    oracle where the row-by-row floats and the counts' differ)."""
    rows = RatingRows.of(study, settings.wave)
    ratings = study.ratings
    complete = rows.complete
    n_items = len(rows.keys)
    totals = [int(t) for t in rows.total[complete].tolist()]
    values = [Fraction(t, n_items) for t in totals]
    size = settings.icc_group_size
    ties = _exact_anova(values, rows.codes[complete].tolist(), size)
    targets = _exact_anova(values, rows.pick(ratings.target)[complete].tolist(), size)
    person = rows.pick(ratings.respondent)
    keep = complete & (person >= 0)
    if settings.target is not None:
        keep &= rows.pick(ratings.target) == study.role_ids.index(settings.target)
    sums: dict[int, list[int]] = defaultdict(list)
    for p, t in zip(person[keep].tolist(), rows.total[keep].tolist(), strict=True):
        sums[p].append(int(t))
    role_of = {r.id: r for r in study.roles}
    people, groups = [], []
    for p, t in sorted(sums.items()):
        role = role_of[study.respondents[p].role]
        group = role.id if settings.by == "role" else role.organisation
        if group is not None:
            people.append(Fraction(sum(t), len(t) * n_items))
            groups.append(group)
    return {"icc": _exact_anova(people, groups, size), "icc_by_target": targets,
            "icc_by_tie": ties}


def exact_agreement(study: Study, settings: ReliabilitySettings,
                    ties: list[dict[str, Any]]) -> dict[str, Any]:
    """Each tie's r_wg(J) and AD(J) (in the order of ``ties``) and the table's shares, in
    exact rational arithmetic from the tie's complete rows."""
    rows = RatingRows.of(study, settings.wave)
    x, codes = rows.x[rows.complete], rows.codes[rows.complete]
    nulls = [Fraction(null_variance(study.instrument.dimension(k).scoring)) for k in rows.keys]
    n_items = len(rows.keys)
    rwg_js: list[Fraction | None] = []
    ad_js: list[Fraction | None] = []
    for tie in ties:
        block = x[codes == rows.cells.code(tie["source"], tie["target"], tie["wave"])]
        n = len(block)
        if n < 2:
            rwg_js.append(None)
            ad_js.append(None)
            continue
        columns = [[Fraction(int(v)) for v in block[:, j].tolist()] for j in range(n_items)]
        means = [sum(c, Fraction(0)) / n for c in columns]
        m = Fraction(sum((sum((v - mu) ** 2 for v in c) / (n - 1) / null
                          for c, mu, null in zip(columns, means, nulls, strict=True)),
                         Fraction(0))) / n_items
        rwg_js.append(Fraction(0) if m >= 1 else Fraction(n_items * (1 - m)) / (
            n_items * (1 - m) + m))
        if settings.center == "mean":
            centres = means
        else:
            centres = [(sorted(c)[(n - 1) // 2] + sorted(c)[n // 2]) / 2 for c in columns]
        ad_js.append(Fraction(sum((sum(abs(v - mu) for v in c) / n
                                   for c, mu in zip(columns, centres, strict=True)),
                                  Fraction(0))) / n_items)
    rwg = [float(v) for v in rwg_js if v is not None]
    ad = [float(v) for v in ad_js if v is not None]
    cutoff = sum(len(study.instrument.dimension(k).scoring) for k in rows.keys) / (
        6.0 * n_items)
    return {
        "rwg_j": [None if v is None else float(v) for v in rwg_js],
        "ad_j": [None if v is None else float(v) for v in ad_js],
        "share_rwg_j_above_cutoff": sum(v >= settings.rwg_cutoff for v in rwg) / len(rwg)
        if rwg else None,
        "share_ad_j_within_cutoff": sum(v <= cutoff for v in ad) / len(ad) if ad else None,
    }


def _explained(path: str, new: Any, exact: dict[str, dict[str, Any]],
               ties: list[dict[str, Any]], agreement: dict[str, Any]) -> bool:
    """Whether the new value at ``path`` (of the summary's mapping) is the exact one."""
    parts = path.split(".")
    if path.startswith("$.agreement.ties[") and parts[-1] in ("rwg_j", "ad_j", "band"):
        index = int(path.split("[")[1].split("]")[0])
        value = agreement["rwg_j" if parts[-1] == "band" else parts[-1]][index]
        want = agreement_band(value) if parts[-1] == "band" else value
    elif len(parts) == 3 and parts[1] == "agreement" and parts[2] in agreement:
        want = agreement[parts[2]]
    elif len(parts) == 3 and parts[1] in exact and parts[2] in exact[parts[1]]:
        want = exact[parts[1]][parts[2]]
    elif path.startswith("$.agreement.ties[") and path.endswith(".icc2"):
        icc1 = exact["icc_by_tie"]["icc1"]
        n = ties[int(path.split("[")[1].split("]")[0])]["n"]
        want = None if icc1 is None or 1 + (n - 1) * icc1 <= 0 else n * icc1 / (
            1 + (n - 1) * icc1)
    else:
        return False
    return differences(new, want) == []


def assert_same_as_rows(study: Study, settings: ReliabilitySettings) -> None:
    """The summary from the counts equals the row-by-row one to 1e-12; where an ICC, an
    r_wg(J) band or AD(J) differs, the counts' value is the exact one (the row-by-row means and
    squared deviations round, which near-constant answers magnify, and an r_wg(J) of exactly
    .70 may come out on either side of the band's edge: the reference is then the one that is
    off)."""
    reference, rows = reliability_summary_and_rows(study, settings)
    summary, raters = reliability_summary_and_raters(study, settings)
    new = summary.to_mapping()
    found = differences(reference.to_mapping(), new)
    if found:
        exact = exact_iccs(study, settings)
        ties = new["agreement"]["ties"]
        agreement = exact_agreement(study, settings, ties)
        found = [d for d in found if not _explained(
            d.split(":")[0], _at(new, d.split(":")[0]), exact, ties, agreement)]
    assert found == []
    complete = rows.complete
    if rows.chosen is not None:
        complete = np.zeros(len(rows.chosen), dtype=bool)
        complete[rows.chosen] = rows.complete
    np.testing.assert_array_equal(raters.counts, rows.cells.respondents(complete))


@st.composite
def survey_studies(draw: st.DrawFn) -> Study:
    """A survey on the seven RC items (scores 1-5) drawn from a seed: 1-5 roles, up to 40
    respondents rating random roles (sometimes one role twice, sometimes in one of two waves),
    a few group ratings without respondent, missing answers at a drawn rate, and answers that
    are near-constant (one score, now and then another) or spread."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_roles = draw(st.integers(1, 5))
    n_people = draw(st.integers(1, 40))
    per_person = draw(st.integers(1, 6))
    spread = draw(st.sampled_from([0.0, 0.001, 0.02, 0.3, 1.0]))
    missing = draw(st.sampled_from([0.0, 0.01, 0.1, 0.4]))
    waves = draw(st.sampled_from([None, ("w1",), ("w1", "w2")]))
    groups = draw(st.integers(0, 5))
    roles = [Role(f"r{i}", f"R{i}", organisation=f"o{i % 2}") for i in range(n_roles)]
    owner = rng.integers(0, n_roles, n_people)
    people = [Respondent(f"p{j:03d}", roles[owner[j]].id) for j in range(n_people)]
    person = np.concatenate([np.repeat(np.arange(n_people), per_person),
                             np.full(groups, -1)])
    source = np.where(person >= 0, owner[np.maximum(person, 0)],
                      rng.integers(0, n_roles, len(person)))
    target = rng.integers(0, n_roles, len(person))
    level = rng.integers(1, 6, (n_roles, n_roles))[source, target]
    scores = np.repeat(level[:, None], 7, axis=1).astype(np.float64)
    moved = rng.random(scores.shape) < spread
    scores[moved] = rng.integers(1, 6, int(moved.sum()))
    scores[rng.random(scores.shape) < missing] = np.nan
    wave = None if waves is None else [waves[k] for k in rng.integers(0, len(waves), len(person))]
    labels = [r.id for r in roles]
    ratings = Ratings.from_labels(
        source=[labels[s] for s in source], target=[labels[t] for t in target],
        respondent=[None if p < 0 else people[p].id for p in person], scores=scores,
        dimensions=DIMENSION_KEYS, wave=wave,
    )
    return Study(metadata=Metadata(id="survey"), instrument="rc7", roles=roles,
                 respondents=people, ratings=ratings)


settings_strategy = st.builds(
    ReliabilitySettings,
    center=st.sampled_from(["mean", "median"]),
    by=st.sampled_from(["role", "organisation"]),
    icc_group_size=st.sampled_from(["mean_group_size", "k0"]),
    min_items=st.none() | st.integers(1, 7),
)


@given(survey_studies(), settings_strategy, st.booleans())
def test_answer_counts_agree_with_the_rows(study: Study, settings: ReliabilitySettings,
                                           ordered: bool) -> None:
    assert_same_as_rows(canonical(study) if ordered else study, settings)


@given(survey_studies(), st.sampled_from(["w1", "w2"]), st.booleans())
def test_answer_counts_of_one_wave_or_target_agree_with_the_rows(
        study: Study, wave: str, one_target: bool) -> None:
    study = canonical(study)
    target = study.role_ids[0] if one_target else None
    if wave in study.ratings.waves:
        assert_same_as_rows(study, ReliabilitySettings(wave=wave, target=target))
    assert_same_as_rows(study, ReliabilitySettings(target=target))


@given(studies(max_ratings=30), settings_strategy)
def test_any_study_agrees_with_the_rows(study: Study, settings: ReliabilitySettings) -> None:
    """Any instrument of the strategies (scales of 2 to 7 answers, any subset of items), group
    ratings, waves and repeated ratings."""
    if settings.min_items is not None:  # the rule cannot ask for more items than there are
        settings = attrs.evolve(settings, min_items=min(settings.min_items,
                                                        len(study.instrument.keys)))
    assert_same_as_rows(study, settings)
    assert_same_as_rows(canonical(study), settings)


@given(survey_studies())
def test_tallies_are_the_counts_of_the_rows(study: Study) -> None:
    counts = AnswerCounts.of(study)
    assert counts is not None
    x = study.ratings.scores
    complete = ~np.isnan(x).any(axis=1)
    np.testing.assert_array_equal(counts.complete, complete)
    assert counts.patterns.sum() == len(x)
    cells = TieCells.of(study, by_wave=True).codes[complete]
    np.testing.assert_array_equal(counts.cells, np.unique(cells))
    for g, cell in enumerate(counts.cells.tolist()):
        rows = x[complete][cells == cell]
        for j in range(7):
            expected = np.bincount(rows[:, j].astype(int) - 1, minlength=5)
            np.testing.assert_array_equal(counts.item_counts[g, j], expected)
        sums = rows.sum(axis=1).astype(int) - 7
        np.testing.assert_array_equal(counts.total_counts[g],
                                      np.bincount(sums, minlength=29))


HAS_NUMBA = importlib.util.find_spec("numba") is not None


@pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                    reason="numba (the fast extra) is not installed")
@settings(deadline=None)  # the first call compiles the pass
@given(survey_studies(), st.booleans(), st.booleans())
def test_numba_and_numpy_count_the_same(study: Study, ordered: bool, one_target: bool) -> None:
    study = canonical(study) if ordered else study
    target = study.role_ids[-1] if one_target else None
    waves = (None, *study.ratings.waves)
    for wave in waves:
        by_numpy = AnswerCounts.of(study, wave, target, engine="numpy")
        by_numba = AnswerCounts.of(study, wave, target, engine="numba")
        assert by_numpy is not None
        assert by_numba is not None
        for name in ("complete", "patterns", "cells", "item_counts", "total_counts", "people",
                     "people_n", "people_total"):
            np.testing.assert_array_equal(getattr(by_numpy, name), getattr(by_numba, name))


def test_an_unknown_engine_is_refused(hand_study: Study) -> None:
    with pytest.raises(ValueError, match="engine"):
        AnswerCounts.of(hand_study, engine="fortran")


def _half_point_instrument() -> Instrument:
    return Instrument(id="half", title="Half points", dimensions=[
        Dimension(key=k, sub_index="communication" if i < 4 else "relationship",
                  names={}, answers={}, scoring=(1.0, 1.5, 2.0, 2.5))
        for i, k in enumerate(DIMENSION_KEYS)
    ])


def test_a_scale_that_is_not_integers_is_computed_row_by_row() -> None:
    rng = np.random.default_rng(5)
    n = 60
    roles = [Role("a", "A"), Role("b", "B")]
    people = [Respondent(f"p{i}", "a" if i % 2 else "b") for i in range(n // 2)]
    person = np.arange(n) % (n // 2)
    scores = rng.choice([1.0, 1.5, 2.0, 2.5], size=(n, 7))
    scores[rng.random(scores.shape) < 0.05] = np.nan
    study = Study(
        metadata=Metadata(id="half"), instrument=_half_point_instrument(), roles=roles,
        respondents=people,
        ratings=Ratings.from_labels(
            source=[people[p].role for p in person], target=["a" if i % 3 else "b"
                                                             for i in range(n)],
            respondent=[people[p].id for p in person], scores=scores,
            dimensions=DIMENSION_KEYS),
    )
    assert AnswerCounts.of(study) is None
    assert_same_as_rows(study, ReliabilitySettings())


@pytest.mark.parametrize("constant", [1.0, 5.0])
def test_constant_answers_have_no_alpha_and_full_agreement(constant: float) -> None:
    roles = [Role("a", "A"), Role("b", "B")]
    people = [Respondent(f"p{i}", "a") for i in range(6)]
    study = Study(
        metadata=Metadata(id="flat"), instrument="rc7", roles=roles, respondents=people,
        ratings=Ratings.from_labels(
            source=["a"] * 6, target=["b"] * 6, respondent=[p.id for p in people],
            scores=np.full((6, 7), constant), dimensions=DIMENSION_KEYS),
    )
    summary, _ = reliability_summary_and_raters(study)
    assert summary.alpha["rc"].alpha is None
    (tie,) = summary.agreement.ties
    assert tie.rwg_j == 1.0
    assert tie.ad_j == 0.0
    assert_same_as_rows(study, ReliabilitySettings(center="median"))


def test_publishable_reliability_keeps_the_ties_with_enough_raters() -> None:
    roles = [Role("a", "A"), Role("b", "B")]
    people = [Respondent(f"p{i}", "a") for i in range(7)]
    scores = np.tile(np.array([[4.0, 3, 4, 2, 1, 3, 5]]), (7, 1))
    scores[:, 0] = [1, 2, 3, 4, 5, 4, 3]
    scores[6, 1] = np.nan  # the seventh rater's answers are incomplete
    study = canonical(Study(
        metadata=Metadata(id="k"), instrument="rc7", roles=roles, respondents=people,
        ratings=Ratings.from_labels(
            source=["a"] * 7, target=["b"] * 7, respondent=[p.id for p in people],
            scores=scores, dimensions=DIMENSION_KEYS),
    ))
    kept, left_out = publishable_reliability(study, AnalysisSettings(min_respondents=6))
    assert left_out == 0
    assert kept.agreement.ties[0].n == 6
    kept, left_out = publishable_reliability(study, AnalysisSettings(min_respondents=7))
    assert left_out == 1
    assert kept.agreement.ties == ()
