"""TieCells (relcoord.metrics.tie_cells) equals the simplest code that states what it counts.

Distinct respondents per cell, over a set of cells and per role are checked against Python
sets of respondents, on generated studies with repeated ratings (one respondent rating one
tie in several waves), ratings without respondent, waves and missing items, and on every
path the fast code can take: no repeats (a bincount), repeats (one sort), and studies too
large for a presence matrix (counted row by row).
"""

from __future__ import annotations

from collections import defaultdict
from unittest import mock

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord.metrics import tie_cells
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.ratings import Rating
from relcoord.testing.strategies import studies

#: Few roles, several people and many ratings: cells with several respondents, respondents
#: rating one tie more than once (pooled waves), and group ratings.
dense_studies = studies(max_roles=3, max_respondents=8, max_ratings=40, instrument="rc7",
                        with_ties=False, with_invitations=False)

Who = tuple[str, int]
Bools = npt.NDArray[np.bool_]


def who(study: Study, row: int) -> Who:
    """The respondent of a rating row; a row without respondent is a respondent of its own."""
    person = int(study.ratings.respondent[row])
    return ("respondent", person) if person >= 0 else ("row", row)


def cell_of(study: Study, row: int, *, by_wave: bool) -> int:
    """The documented layout: ``(source * k + target) * n_waves + wave slot``."""
    ratings = study.ratings
    k, n_waves = len(study.roles), len(ratings.waves) + 1
    pair = int(ratings.source[row]) * k + int(ratings.target[row])
    return pair * n_waves + int(ratings.wave[row]) + 1 if by_wave else pair


def people_per_cell(study: Study, rows: Bools, *, by_wave: bool) -> dict[int, set[Who]]:
    out: dict[int, set[Who]] = defaultdict(set)
    for row in np.flatnonzero(rows).tolist():
        out[cell_of(study, row, by_wave=by_wave)].add(who(study, row))
    return out


def draw_rows(data: st.DataObject, n: int) -> Bools:
    return np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)


def check_per_cell(study: Study, by_wave: bool, data: st.DataObject) -> None:
    cells = TieCells.of(study, by_wave=by_wave)
    rows = draw_rows(data, len(study.ratings))
    expected = [0] * cells.size
    for cell, group in people_per_cell(study, rows, by_wave=by_wave).items():
        expected[cell] = len(group)
    assert cells.respondents(rows).tolist() == expected
    everyone = people_per_cell(study, np.ones(len(study.ratings), dtype=bool), by_wave=by_wave)
    assert cells.respondents().tolist() == [len(everyone.get(c, ())) for c in range(cells.size)]
    assert cells.ratings_in(rows).tolist() == np.bincount(
        [cell_of(study, r, by_wave=by_wave) for r in np.flatnonzero(rows).tolist()],
        minlength=cells.size).tolist()


@given(dense_studies, st.booleans(), st.data())
def test_codes_follow_the_documented_layout(
    study: Study, by_wave: bool, data: st.DataObject
) -> None:
    cells = TieCells.of(study, by_wave=by_wave)
    assert cells.codes.tolist() == [cell_of(study, i, by_wave=by_wave)
                                    for i in range(len(study.ratings))]
    assert cells.size == len(study.roles) ** 2 * cells.n_waves
    if len(study.ratings):
        row = data.draw(st.integers(0, len(study.ratings) - 1))
        rating = study.ratings[row]
        assert cells.code(rating.source, rating.target, rating.wave) == cells.codes[row]


@given(dense_studies, st.booleans(), st.data())
def test_respondents_per_cell_equal_python_sets(
    study: Study, by_wave: bool, data: st.DataObject
) -> None:
    check_per_cell(study, by_wave, data)


@given(dense_studies, st.booleans(), st.data())
def test_the_sorted_path_equals_python_sets(
    study: Study, by_wave: bool, data: st.DataObject
) -> None:
    """The path taken when repeated ratings cannot be ruled out without sorting."""
    with mock.patch.object(tie_cells, "_single_rows", return_value=False):
        check_per_cell(study, by_wave, data)


def single(study: Study, *, by_wave: bool = False) -> bool:
    """Whether the counting takes the path without a sort."""
    return bool(TieCells.of(study, by_wave=by_wave)._no_repeats)


@given(dense_studies, st.booleans())
def test_the_repeat_detector_is_exact(study: Study, by_wave: bool) -> None:
    """The sort is skipped exactly when no respondent has two rows in one cell."""
    pairs = [(cell_of(study, i, by_wave=by_wave), who(study, i))
             for i in range(len(study.ratings))]
    assert single(study, by_wave=by_wave) == (len(set(pairs)) == len(pairs))


def test_both_counting_paths_are_taken() -> None:
    """A respondent rating one tie in two waves needs the sorted path when waves are pooled,
    not per wave; ratings without respondent never do (else the properties above could
    pass on one path only)."""
    base = Study(metadata=Metadata(id="s"), instrument="rc7", roles=[Role("a", "A")],
                 respondents=[Respondent("p", "a")])
    items = dict.fromkeys(base.instrument.keys, 4.0)
    once = [Rating(source="a", target="a", respondent="p", wave="w1", scores=items)]
    twice = [*once, Rating(source="a", target="a", respondent="p", wave="w2", scores=items)]
    groups = [Rating(source="a", target="a", respondent=None, scores=items)] * 3
    assert single(attrs.evolve(base, ratings=once))
    assert not single(attrs.evolve(base, ratings=twice))
    assert single(attrs.evolve(base, ratings=twice), by_wave=True)
    assert single(attrs.evolve(base, ratings=[*once, *groups]))
    both = TieCells.of(attrs.evolve(base, ratings=[*twice, *groups]))
    assert both.respondents().tolist() == [4]
    assert both.ratings.tolist() == [5]


def check_over_cells(study: Study, min_items: int, by_wave: bool, data: st.DataObject) -> None:
    per = respondent_tie_scores(study, min_items=min_items)
    cells = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    groups = people_per_cell(study, per.counted, by_wave=by_wave)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=cells.size,
                                       max_size=cells.size)), dtype=bool)
    chosen = set().union(*(g for c, g in groups.items() if mask[c]))
    assert cells.respondents_in(mask) == len(chosen)
    everyone: set[Who] = set().union(*groups.values())
    assert cells.respondents_in() == len(everyone)
    rows = draw_rows(data, len(study.ratings))
    picked = people_per_cell(study, rows, by_wave=by_wave)
    assert cells.respondents_in(mask, rows) == len(
        set().union(*(g for c, g in picked.items() if mask[c])))
    assert cells.respondents_in(rows=rows) == len(set().union(*picked.values()))
    # per role: own respondents who rated another role, others' respondents who rated it
    k, n_waves = len(study.roles), cells.n_waves
    as_rater: list[set[Who]] = [set() for _ in range(k)]
    as_target: list[set[Who]] = [set() for _ in range(k)]
    for cell, group in groups.items():
        source, target = divmod(cell // n_waves, k)
        if source != target:
            as_rater[source] |= group
            as_target[target] |= group
    got_rater, got_target = cells.respondents_by_role()
    assert got_rater.tolist() == [len(g) for g in as_rater]
    assert got_target.tolist() == [len(g) for g in as_target]


@given(dense_studies, st.integers(1, 7), st.booleans(), st.data())
def test_respondents_over_cells_and_roles_equal_python_sets(
    study: Study, min_items: int, by_wave: bool, data: st.DataObject
) -> None:
    check_over_cells(study, min_items, by_wave, data)


@given(dense_studies, st.integers(1, 7), st.booleans(), st.data())
def test_the_row_by_row_path_equals_python_sets(
    study: Study, min_items: int, by_wave: bool, data: st.DataObject
) -> None:
    """The path of a study too large for a respondent x role presence matrix."""
    with mock.patch.object(tie_cells, "_PRESENCE_LIMIT", -1):
        check_over_cells(study, min_items, by_wave, data)


@given(dense_studies, st.integers(1, 7), st.booleans())
def test_cell_sums_equal_plain_sums(study: Study, min_items: int, by_wave: bool) -> None:
    per = respondent_tie_scores(study, min_items=min_items)
    cells = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    values = study.ratings.scores
    measures = [(cells.rc, per.rc), (cells.communication, per.communication),
                (cells.relationship, per.relationship)]
    measures += [(pair, np.where(per.counted, values[:, j], np.nan))
                 for j, pair in enumerate(cells.items)]
    for (sums, counts), column in measures:
        for c in range(cells.size):
            mine = [v for v, code in zip(column.tolist(), cells.codes.tolist(), strict=True)
                    if code == c and v == v]
            assert counts[c] == len(mine)
            assert sums[c] == pytest.approx(sum(mine))


def test_cells_without_respondent_ties_have_no_sums() -> None:
    from relcoord.example import load_example

    study = load_example()
    cells = TieCells.of(study)
    with pytest.raises(ValueError, match="without respondent_ties"):
        _ = cells.rc
    per = respondent_tie_scores(study, min_items=5)
    with pytest.raises(ValueError, match="another study"):
        TieCells.of(study, respondent_ties=per.select(np.zeros(len(study.ratings), bool)))


def test_sparse_block_sums_equal_bincount_bit_for_bit() -> None:
    """Above the size where one sparse product replaces a bincount per column, the sums
    are the same additions in the same order: equal to the last bit, also for values whose
    sums are not exact."""
    rng = np.random.default_rng(7)
    n, size = 70_000, 37
    cell = rng.integers(0, size, n).astype(np.int64)
    values = rng.random((n, 5)) * 4 + 1
    expected = np.column_stack([np.bincount(cell, weights=values[:, j], minlength=size)
                                for j in range(5)])
    assert np.array_equal(tie_cells._block_sums(cell, values, size), expected)
    assert np.array_equal(tie_cells._block_sums(cell[:100], values[:100], size),
                          np.column_stack([np.bincount(cell[:100], weights=values[:100, j],
                                                       minlength=size) for j in range(5)]))


@pytest.mark.parametrize("scale", [(1.0, 2.0, 3.0, 4.0, 5.0), (0.1, 0.7, 1.3)])
def test_answered_block_sums_are_the_per_item_bincounts(scale: tuple[float, ...]) -> None:
    """The chunked sums over many rows (several chunks) with missing answers and rows that do
    not count: those of one masked ``np.bincount`` per item, exactly for a scale of whole
    steps and to rounding for any other."""
    rng = np.random.default_rng(5)
    n, d, size = 3 * tie_cells._CHUNK_ROWS + 17, 4, 60
    cell = rng.integers(0, size, n).astype(np.int64)
    values = rng.choice(np.asarray(scale), size=(n, d))
    values[rng.random((n, d)) < 0.1] = np.nan
    counted = rng.random(n) < 0.9
    sums, counts = tie_cells._answered_block_sums(cell, values, counted, size)
    for j in range(d):
        column = np.where(counted, values[:, j], np.nan)
        answered = ~np.isnan(column)
        expected = np.bincount(cell, weights=np.where(answered, column, 0.0), minlength=size)
        assert np.array_equal(counts[:, j], np.bincount(cell, weights=answered,
                                                        minlength=size))
        if scale[0] == 1.0:
            assert np.array_equal(sums[:, j], expected)
        else:
            assert np.allclose(sums[:, j], expected, rtol=1e-12, atol=0)
