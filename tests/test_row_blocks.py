"""Passes over rows in blocks of threads (`relcoord.row_blocks`): every row once, and the
same bytes as one thread in every pass that uses it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord import row_blocks
from relcoord.errors import InvalidInputError
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.scores import respondent_ties
from relcoord.metrics.scores.cell_totals import CellTotals
from relcoord.metrics.scores.respondent_ties import (
    respondent_tie_rc,
    respondent_tie_scores,
    shared_respondent_tie_scores,
)
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.optional_dependencies import is_available
from relcoord.row_blocks import group_block_bounds, in_row_blocks, thread_count
from relcoord.testing.strategies import studies


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of a single row and four threads, so that small studies run threaded."""
    monkeypatch.setattr(row_blocks, "MIN_ROWS", 1)
    monkeypatch.setenv("RELCOORD_THREADS", "4")


def _one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELCOORD_THREADS", "1")


def test_thread_count_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELCOORD_THREADS", "3")
    assert thread_count(10 * row_blocks.MIN_ROWS) == 3
    assert thread_count(2 * row_blocks.MIN_ROWS - 1) == 1  # too few rows for two blocks
    monkeypatch.setenv("RELCOORD_THREADS", "1")
    assert thread_count(10 * row_blocks.MIN_ROWS) == 1
    for bad in ("0", "two", "-1", ""):
        monkeypatch.setenv("RELCOORD_THREADS", bad)
        with pytest.raises(InvalidInputError, match="RELCOORD_THREADS"):
            thread_count(10)
    monkeypatch.delenv("RELCOORD_THREADS")
    assert 1 <= thread_count(10 * row_blocks.MIN_ROWS) <= row_blocks.MAX_THREADS
    assert thread_count(0) == 1


@settings(max_examples=30)
@given(n=st.integers(0, 40), threads=st.integers(1, 6))
def test_blocks_cover_every_row_once(n: int, threads: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(row_blocks, "MIN_ROWS", 1)
        patch.setenv("RELCOORD_THREADS", str(threads))
        seen = np.zeros(n, dtype=np.int64)
        blocks: list[tuple[int, int]] = []
        lock = threading.Lock()

        def work(start: int, stop: int) -> None:
            seen[start:stop] += 1
            with lock:
                blocks.append((start, stop))

        in_row_blocks(n, work)
        assert seen.tolist() == [1] * n
        assert len(blocks) == max(1, min(threads, n))


def test_an_error_in_a_block_is_raised(tiny_blocks: None) -> None:
    def work(start: int, stop: int) -> None:
        if start > 0:
            raise RuntimeError(f"block at {start}")

    with pytest.raises(RuntimeError, match="block at"):
        in_row_blocks(8, work)


def _threaded_and_not(study: Study, make: Callable[[Study], Any],
                      monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    monkeypatch.setattr(row_blocks, "MIN_ROWS", 1)
    monkeypatch.setenv("RELCOORD_THREADS", "3")
    threaded = make(study)
    _one_thread(monkeypatch)
    return threaded, make(study)


@settings(max_examples=40, deadline=None)
@given(study=studies(max_ratings=40), data=st.data())
def test_taken_rows_are_the_same_in_threads(study: Study, data: st.DataObject) -> None:
    n = len(study.ratings)
    rows = np.asarray(data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=60))
                      if n else [], dtype=np.intp)
    with pytest.MonkeyPatch.context() as patch:
        threaded, single = _threaded_and_not(study, lambda s: s.ratings.taken(rows), patch)
    for name in ("source", "target", "respondent", "wave", "scores"):
        a, b = getattr(threaded, name), getattr(single, name)
        assert a.dtype == b.dtype
        assert a.tobytes() == b.tobytes()
        assert not a.flags.writeable
        expected = getattr(study.ratings, name)[rows]
        assert np.array_equal(a, expected, equal_nan=True)


@pytest.mark.skipif(not is_available("numba"), reason="the compiled pass needs numba")
@settings(max_examples=40, deadline=None)
@given(study=studies(max_ratings=40), min_items=st.integers(1, 4))
def test_compiled_scores_are_the_same_in_threads(study: Study, min_items: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        threaded, single = _threaded_and_not(
            study, lambda s: respondent_tie_scores(s, min_items=min_items, engine="numba",
                                                   remember=False), patch)
    numpy_path = respondent_tie_scores(study, min_items=min_items, engine="numpy",
                                       remember=False)
    for name in ("answered", "counted", "rc", "communication", "relationship"):
        a, b = getattr(threaded, name), getattr(single, name)
        assert a.tobytes() == b.tobytes()
        assert a.tobytes() == getattr(numpy_path, name).tobytes()


@settings(max_examples=40, deadline=None)
@given(study=studies(max_ratings=40), by_wave=st.booleans())
def test_cell_codes_are_the_same_in_threads(study: Study, by_wave: bool) -> None:
    with pytest.MonkeyPatch.context() as patch:
        threaded, single = _threaded_and_not(
            study, lambda s: TieCells.of(s, by_wave=by_wave), patch)
    assert threaded.codes.tobytes() == single.codes.tobytes()
    ratings = study.ratings
    expected = ratings.source.astype(np.int64) * len(study.roles) + ratings.target
    if by_wave:
        expected = expected * (len(ratings.waves) + 1) + ratings.wave + 1
    assert np.array_equal(threaded.codes, expected)


def _cell_totals(study: Study, min_items: int) -> list[bytes]:
    per = respondent_tie_scores(study, min_items=min_items, engine="numba", remember=False)
    totals = CellTotals.of(TieCells.of(study, respondent_ties=per).occupied, per,
                           engine="numba")
    pairs = (totals.rc, totals.communication, totals.relationship, *totals.items)
    return [np.asarray(part).tobytes() for pair in pairs for part in pair]


@pytest.mark.skipif(not is_available("numba"), reason="the compiled pass needs numba")
@settings(max_examples=40, deadline=None)
@given(study=studies(max_ratings=40, max_roles=4), min_items=st.integers(1, 4),
       canonical=st.booleans())
def test_compiled_cell_totals_are_the_same_in_threads(study: Study, min_items: int,
                                                      canonical: bool) -> None:
    """Rows in canonical order are cut between cells (each cell summed by one thread);
    rows in any other order stay one block: either way the same bits as one thread."""
    if canonical:
        order = RatingsSummary.canonical_order(study)
        if order is not None:
            study = attrs.evolve(study, ratings=study.ratings.taken(order))
    with pytest.MonkeyPatch.context() as patch:
        threaded, single = _threaded_and_not(study, lambda s: _cell_totals(s, min_items),
                                             patch)
    assert threaded == single


def test_blocks_of_sorted_groups_split_no_group(tiny_blocks: None) -> None:
    codes = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 5], dtype=np.int64)
    bounds = group_block_bounds(codes)
    assert bounds[0] == 0
    assert bounds[-1] == len(codes)
    assert bounds == sorted(bounds)
    for cut in bounds[1:-1]:
        assert cut in (0, len(codes)) or codes[cut - 1] != codes[cut]
    assert len(bounds) > 2
    assert group_block_bounds(codes[::-1].copy()) == [0, len(codes)]


@settings(max_examples=60, deadline=None)
@given(study=studies(max_ratings=40), data=st.data(), threads=st.sampled_from(["1", "3"]))
def test_the_canonical_order_is_the_summarys(study: Study, data: st.DataObject,
                                             threads: str) -> None:
    """`RatingsSummary.canonical_order` (keys packed in row blocks, in threads) puts the rows
    where the summary built with `with_order` has them, for rows in any order: shuffled,
    or already canonical."""
    n = len(study.ratings)
    shuffle = data.draw(st.permutations(range(n))) if n else []
    if data.draw(st.booleans(), label="start canonical"):
        order = RatingsSummary.canonical_order(study)
        if order is not None:
            study = attrs.evolve(study, ratings=study.ratings.taken(order))
    else:
        study = attrs.evolve(study, ratings=study.ratings.taken(np.asarray(shuffle,
                                                                           dtype=np.intp)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(row_blocks, "MIN_ROWS", 1)
        patch.setenv("RELCOORD_THREADS", threads)
        found = RatingsSummary.canonical_order(study)
    expected = RatingsSummary.with_order(study)[1]
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found.tolist() == expected.tolist()


@settings(max_examples=40, deadline=None)
@given(study=studies(max_ratings=40), min_items=st.integers(1, 4),
       threads=st.sampled_from(["1", "3"]), engine=st.sampled_from(["numpy", "auto"]))
def test_the_rc_alone_is_the_rc_of_the_scores(study: Study, min_items: int, threads: str,
                                              engine: str) -> None:
    """`respondent_tie_rc` (chunk by chunk, in threads, without the sub-indices) gives the
    bits of `respondent_tie_scores`' ``rc`` and ``counted``, read-only."""
    every = respondent_tie_scores(study, min_items=min_items, engine="numpy", remember=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(row_blocks, "MIN_ROWS", 1)
        patch.setattr(respondent_ties, "_RC_CHUNK", 3)
        patch.setenv("RELCOORD_THREADS", threads)
        rc, counted = respondent_tie_rc(study, min_items=min_items, engine=engine)
    assert rc.tobytes() == every.rc.tobytes()
    assert counted.tobytes() == every.counted.tobytes()
    assert not rc.flags.writeable
    assert not counted.flags.writeable
    with shared_respondent_tie_scores():
        kept = respondent_tie_scores(study, min_items=min_items)
        assert respondent_tie_rc(study, min_items=min_items)[0] is kept.rc


@pytest.mark.parametrize("compare", [False, True])
def test_an_analysis_in_threads_is_the_same(compare: bool) -> None:
    """Every threaded pass at once (rows in blocks, the SRM beside the other steps) gives
    the Analysis of one thread, to the byte of its JSON."""
    from relcoord.analysis import analyze
    from relcoord.example import load_example
    from relcoord.settings import AnalysisSettings

    study = load_example()
    waves = study.ratings.waves
    assert len(waves) > 1
    chosen = AnalysisSettings(compare=(waves[0], waves[1]) if compare else None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(row_blocks, "MIN_ROWS", 1)
        patch.setenv("RELCOORD_THREADS", "3")
        threaded = analyze(study, chosen).to_mapping()
        patch.setenv("RELCOORD_THREADS", "1")
        single = analyze(study, chosen).to_mapping()
    assert threaded == single
    assert threaded["srm"] is not None


def test_the_cli_names_a_bad_thread_count_without_a_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relcoord.cli import cli
    from relcoord.example import example_text

    study = tmp_path / "study.json"
    study.write_text(example_text(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(study)],
                                env={"RELCOORD_THREADS": "two"})
    assert result.exit_code == 1
    assert "RELCOORD_THREADS" in result.output
    assert "positive integer" in result.output
    assert "Traceback" not in result.output
