"""Rules 1 and 1b counted over answer groups (relcoord.privacy.answer_groups) equal the rule
stated row by row with Python sets, on generated studies with repeated ratings (pooled waves),
ratings without respondent, waves and missing items, on every path the counting can take:
keys counted or sorted, respondents counted as rows or as distinct people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord.metrics.scores import RespondentTieScores, respondent_tie_scores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.privacy import (
    answer_groups,
    answer_patterns,
    comparable_ratings,
    rare_pattern_rows,
)
from relcoord.privacy.publishable import publishable_rows
from relcoord.ratings import Rating
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

Bools = npt.NDArray[np.bool_]

#: Few roles and people, many ratings: cells at the rule's threshold, one person rating a tie
#: in several waves, group ratings and skipped items.
dense_studies = studies(max_roles=3, max_respondents=8, max_ratings=40, with_ties=False,
                        with_invitations=False)

PATHS = ("counted", "sorted", "people")

ITEMS = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
         "shared_knowledge", "mutual_respect")


@st.composite
def threshold_studies(draw: st.DrawFn, min_waves: int = 0) -> Study:
    """Two roles, up to a dozen people each rating each role at most once per wave, answers
    from a palette of four sets of items: cells and answer groups near any threshold."""
    n_waves = draw(st.integers(min_waves, 2))
    waves = [f"w{i}" for i in range(n_waves)]
    people = [Respondent(f"p{i}", draw(st.sampled_from(["a", "b"])))
              for i in range(draw(st.integers(1, 12)))]
    palette = [frozenset(ITEMS), frozenset(ITEMS[1:]), frozenset(ITEMS[2:]),
               frozenset(ITEMS[:4])]
    ratings: list[Rating] = []
    for who in [*people, None, None]:
        for target in ("a", "b"):
            for wave in [None, *waves]:
                if not draw(st.booleans()):
                    continue
                items = draw(st.sampled_from(palette))
                ratings.append(Rating(
                    source=who.role if who else draw(st.sampled_from(["a", "b"])),
                    target=target, respondent=who.id if who else None, wave=wave,
                    scores={k: float(1 + (i + len(ratings)) % 5) if k in items else None
                            for i, k in enumerate(ITEMS)}))
    return Study(metadata=Metadata(id="threshold"), instrument="rc7",
                 roles=[Role("a", "A"), Role("b", "B")], respondents=people,
                 ratings=ratings)


def every_named_row(cells: TieCells) -> Bools | None:
    """Every row with a respondent, as if each shared their cell with another row of theirs:
    the counting by distinct people then runs on all of them."""
    named = cells.study.ratings.respondent >= 0
    return np.asarray(named, dtype=bool) if named.any() else None


@contextmanager
def path(name: str) -> Iterator[None]:
    """Run the counting on one of its paths: keys counted with ``np.bincount`` and rows as
    respondents when no one repeats (``counted``), keys sorted (``sorted``), or distinct people
    whether or not anyone repeats (``people``)."""
    if name == "sorted":
        with (mock.patch.object(answer_groups, "_DENSE_KEYS", 0),
              mock.patch.object(answer_groups, "_DENSE_PER_ROW", 0)):
            yield
    elif name == "people":
        with mock.patch.object(answer_groups, "_repeated_rows", every_named_row):
            yield
    else:
        yield


# --- the rule, row by row ------------------------------------------------------------------


def _cell(study: Study, row: int, by_wave: bool) -> int:
    r = study.ratings
    k, n_waves = len(study.roles), len(r.waves) + 1
    pair = int(r.source[row]) * k + int(r.target[row])
    return pair * n_waves + int(r.wave[row]) + 1 if by_wave else pair


def _who(study: Study, row: int) -> tuple[str, int]:
    person = int(study.ratings.respondent[row])
    return ("respondent", person) if person >= 0 else ("row", row)


def _support(study: Study, per: RespondentTieScores, rows: Bools, by_wave: bool
             ) -> dict[int, int]:
    """Per cell, the fewest distinct respondents behind any figure fed by ``rows`` that count
    (figures nobody feeds left out; a cell without any: 0)."""
    answered = ~np.isnan(study.ratings.scores)
    counted = per.counted & rows
    figures = [counted, counted & ~np.isnan(per.communication),
               counted & ~np.isnan(per.relationship)]
    figures += [counted & answered[:, j] for j in range(answered.shape[1])]
    least: dict[int, int] = defaultdict(int)
    for figure in figures:
        people: dict[int, set[tuple[str, int]]] = defaultdict(set)
        for row in np.flatnonzero(figure).tolist():
            people[_cell(study, row, by_wave)].add(_who(study, row))
        for cell, group in people.items():
            least[cell] = min(least[cell] or len(group), len(group))
    return least


def _rare(study: Study, per: RespondentTieScores, k: int, rows: Bools, by_wave: bool
          ) -> Bools:
    """Rule 1b: counted ``rows`` in a cell where one of them skipped an item, whose set of
    answered items fewer than ``k`` people of the cell share."""
    answered = ~np.isnan(study.ratings.scores)
    counted = np.flatnonzero(per.counted & rows).tolist()
    mixed = {_cell(study, i, by_wave) for i in counted if not answered[i].all()}
    people: dict[tuple[int, bytes], set[tuple[str, int]]] = defaultdict(set)
    for i in counted:
        people[_cell(study, i, by_wave), answered[i].tobytes()].add(_who(study, i))
    rare = np.zeros(len(rows), dtype=bool)
    for i in counted:
        cell = _cell(study, i, by_wave)
        rare[i] = cell in mixed and len(people[cell, answered[i].tobytes()]) < k
    return rare


def reference_rows(study: Study, per: RespondentTieScores, k: int, by_wave: bool
                   ) -> tuple[Bools, Bools]:
    """``(rare, publishable)`` as ``docs/privacy.md`` states rules 1 and 1b."""
    n = len(study.ratings)
    cells = [_cell(study, i, by_wave) for i in range(n)]
    every = np.ones(n, dtype=bool)
    support = _support(study, per, every, by_wave)
    candidate = np.array([support[c] >= k for c in cells], dtype=bool)
    rare = _rare(study, per, k, candidate, by_wave)
    if not rare.any():
        return rare, candidate
    again = _support(study, per, ~rare, by_wave)
    publishable = candidate & ~rare & np.array([again[c] >= k for c in cells], dtype=bool)
    shown = {c for c, ok in zip(cells, publishable.tolist(), strict=True) if ok}
    return rare & np.array([c in shown for c in cells], dtype=bool), publishable


# --- properties -----------------------------------------------------------------------------


@pytest.mark.parametrize("way", PATHS)
@given(study=dense_studies | threshold_studies(), k=st.integers(1, 5),
       min_items=st.integers(1, 7), by_wave=st.booleans())
def test_publishable_rows_equal_the_rule_row_by_row(
    way: str, study: Study, k: int, min_items: int, by_wave: bool
) -> None:
    per = respondent_tie_scores(study, min_items=min(min_items,
                                                     len(study.instrument.keys)))
    with path(way):
        cells, rare, publishable = publishable_rows(study, per, k, by_wave=by_wave)
    expected_rare, expected = reference_rows(study, per, k, by_wave)
    assert publishable.tolist() == expected.tolist()
    assert rare.tolist() == expected_rare.tolist()
    assert len(cells.codes) == len(study.ratings)


@pytest.mark.parametrize("way", PATHS)
@given(study=dense_studies | threshold_studies(), k=st.integers(1, 5), by_wave=st.booleans(),
       data=st.data())
def test_rare_pattern_rows_of_any_rows_equal_the_rule_row_by_row(
    way: str, study: Study, k: int, by_wave: bool, data: st.DataObject
) -> None:
    n = len(study.ratings)
    rows = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    per = respondent_tie_scores(study, min_items=len(study.instrument.keys) - 2)
    cells = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    with path(way):
        rare = rare_pattern_rows(cells, per, k, rows=rows)
    assert rare.tolist() == _rare(study, per, k, rows, by_wave).tolist()


@given(studies(max_roles=2, max_ratings=30))
def test_pattern_codes_name_each_set_of_answered_items(study: Study) -> None:
    answered = ~np.isnan(study.ratings.scores)
    codes, items = answer_groups.pattern_codes(answered)
    assert np.array_equal(items[codes], answered)
    ids = answer_patterns(study)
    for i in range(len(ids)):
        for j in range(len(ids)):
            assert (ids[i] == ids[j]) == bool(np.array_equal(answered[i], answered[j]))


@given(st.integers(17, 70), st.integers(0, 40))
def test_pattern_codes_of_many_items_number_the_sets(d: int, n: int) -> None:
    """Above sixteen items the codes are numbers of the distinct sets (one sort)."""
    rng = np.random.default_rng(n * 100 + d)
    answered = rng.random((n, d)) < 0.9
    answered[: n // 2] = True
    codes, items = answer_groups.pattern_codes(answered)
    assert np.array_equal(items[codes], answered)
    assert len(items) == len({row.tobytes() for row in answered})



def reference_comparable(study: Study, k: int, wave_a: str, wave_b: str
                         ) -> tuple[list[bool], tuple[tuple[str, str], ...]]:
    """The rows a comparison of two waves may use and the ties left out, from the rule per
    wave row by row (``comparable_ratings``' docstring)."""
    r = study.ratings
    per = respondent_tie_scores(study, min_items=AnalysisSettings().items_needed(
        study.instrument))
    rare, publishable = reference_rows(study, per, k, by_wave=True)
    waves: dict[tuple[int, int], dict[int, dict[str, bool]]] = defaultdict(dict)
    for i in range(len(r)):
        tie = (int(r.source[i]), int(r.target[i]))
        cell = waves[tie].setdefault(int(r.wave[i]), {"shown": False, "rare": False})
        cell["shown"] |= bool(publishable[i])
        cell["rare"] |= bool(rare[i])
    codes = {w: i for i, w in enumerate(r.waves)}
    a, b = codes.get(wave_a, -2), codes.get(wave_b, -2)
    takes_part = {tie for tie, cells in waves.items()
                  if a in cells and b in cells
                  and all(c["shown"] and not c["rare"] for c in cells.values())}
    rows = [(int(r.source[i]), int(r.target[i])) in takes_part and int(r.wave[i]) in (a, b)
            for i in range(len(r))]
    ids = study.role_ids
    left_out = tuple((ids[s], ids[t]) for s, t in sorted(waves)
                     if (a in waves[s, t] or b in waves[s, t]) and (s, t) not in takes_part)
    return rows, left_out


@pytest.mark.parametrize("way", PATHS)
@given(study=dense_studies | threshold_studies(min_waves=2), k=st.integers(1, 3),
       data=st.data())
def test_comparable_ratings_equal_the_rule_per_wave_row_by_row(
    way: str, study: Study, k: int, data: st.DataObject
) -> None:
    names = [*study.ratings.waves, "absent"]
    wave_a, wave_b = data.draw(st.sampled_from(names)), data.draw(st.sampled_from(names))
    settings = AnalysisSettings(min_respondents=k, min_respondents_override=True)
    with path(way):
        rows, left_out = comparable_ratings(study, settings, wave_a, wave_b)
    expected_rows, expected_left_out = reference_comparable(study, k, wave_a, wave_b)
    assert rows.tolist() == expected_rows
    assert left_out == expected_left_out
