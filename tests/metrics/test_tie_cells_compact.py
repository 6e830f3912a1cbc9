"""Compact cell codes (`TieCells.of(compact=True)`, what the scores use): the same cells,
counts, respondents and scores as eight-byte codes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.metrics import tie_cells
from relcoord.metrics.scores import respondent_tie_scores, scores
from relcoord.metrics.scores.spread import CellScores
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies


@settings(max_examples=60, deadline=None)
@given(study=studies(max_ratings=40), by_wave=st.booleans(), min_items=st.integers(1, 4))
def test_compact_codes_count_as_wide_ones(study: Study, by_wave: bool, min_items: int) -> None:
    per = respondent_tie_scores(study, min_items=min_items, remember=False)
    wide = TieCells.of(study, by_wave=by_wave, respondent_ties=per)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tie_cells, "_COUNT_BLOCK", 3)  # counted block by block
        compact = TieCells.of(study, by_wave=by_wave, respondent_ties=per, compact=True)
        assert compact.codes.dtype == np.int16
        assert compact.codes.tolist() == wide.codes.tolist()
        assert compact.ratings.tolist() == wide.ratings.tolist()
        occupied, reference = compact.occupied, wide.occupied
        assert occupied.codes.dtype == np.int16
        assert occupied.codes.tolist() == reference.codes.tolist()
        assert occupied.cells.tolist() == reference.cells.tolist()
        assert occupied.ratings.tolist() == reference.ratings.tolist()
        assert compact.respondents().tolist() == wide.respondents().tolist()
        counted = per.counted
        assert compact.respondents(counted).tolist() == wide.respondents(counted).tolist()
        assert occupied.rc[0].tobytes() == reference.rc[0].tobytes()
        got = CellScores(per.rc, occupied.codes, occupied.size)
        expected = CellScores(per.rc, reference.codes, reference.size)
        assert got.per_cell() == expected.per_cell()


def test_the_smallest_type_that_holds_the_cells() -> None:
    assert tie_cells._code_dtype(2) is np.int16
    assert tie_cells._code_dtype(np.iinfo(np.int16).max) is np.int16
    assert tie_cells._code_dtype(np.iinfo(np.int16).max + 1) is np.int32
    assert tie_cells._code_dtype(2**40) is np.int64


@settings(max_examples=30, deadline=None)
@given(study=studies(max_ratings=40))
def test_scores_read_compact_codes(study: Study) -> None:
    """`scores` (compact codes inside) against the sums of the wide codes' cells."""
    result = scores(study, settings=AnalysisSettings())
    per = respondent_tie_scores(study, min_items=result.min_items, remember=False)
    wide = TieCells.of(study, respondent_ties=per).occupied
    sums, counts = wide.rc
    by_pair = {}
    for cell, total, n in zip(wide.cells.tolist(), sums.tolist(), counts.tolist(), strict=True):
        k = len(study.roles)
        by_pair[(study.role_ids[cell // k], study.role_ids[cell % k])] = (total, n)
    for tie in result.ties:
        total, n = by_pair.get((tie.source, tie.target), (0.0, 0))
        if n:
            assert tie.rc == total / n


def test_compact_codes_widen_before_products() -> None:
    """180 roles (32,400 cells: still two-byte codes) and 600 respondents: a cell code times
    the respondents or the distinct values leaves the two bytes, so every product must be
    taken on widened codes."""
    from relcoord import Metadata, Respondent, Role
    from relcoord.instruments import DIMENSION_KEYS
    from relcoord.ratings import Ratings

    rng = np.random.default_rng(3)
    k, people, per_person = 180, 600, 12
    role_ids = tuple(f"r{i:03d}" for i in range(k))
    ids = tuple(f"p{i:03d}" for i in range(people))
    owner = np.arange(people) % k
    respondent = np.repeat(np.arange(people, dtype=np.int32), per_person)
    source = owner[respondent].astype(np.int32)
    target = (source + rng.integers(-40, 41, len(source))) % k
    answers = rng.integers(1, 6, (len(source), len(DIMENSION_KEYS))).astype(np.float64)
    answers[rng.random(answers.shape) < 0.05] = np.nan
    ratings = Ratings(dimensions=DIMENSION_KEYS, roles=role_ids, respondents=ids, waves=(),
                      source=source, target=target.astype(np.int32), respondent=respondent,
                      wave=np.full(len(source), -1, dtype=np.int32), scores=answers)
    study = Study(metadata=Metadata("wide"), instrument="rc7-classic",
                  roles=[Role(r, r) for r in role_ids],
                  respondents=[Respondent(p, role_ids[owner[i]]) for i, p in enumerate(ids)],
                  ratings=ratings)
    per = respondent_tie_scores(study, min_items=4, remember=False)
    wide = TieCells.of(study, respondent_ties=per)
    compact = TieCells.of(study, respondent_ties=per, compact=True)
    assert compact.codes.dtype == np.int16
    assert compact.respondents(per.counted).tolist() == wide.respondents(per.counted).tolist()
    occupied, reference = compact.occupied, wide.occupied
    got = CellScores(per.rc, occupied.codes, occupied.size)
    expected = CellScores(per.rc, reference.codes, reference.size)
    assert got.per_cell() == expected.per_cell()
