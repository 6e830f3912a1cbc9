"""The respondent-tie scores and the cell totals of relcoord.metrics.scores: the compiled pass
(numba, the fast extra) and the numpy path give the same numbers, bit for bit, and both equal a
plain Python computation that adds the same values in the same order."""

from __future__ import annotations

import importlib.util
import math
import os

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord.example import load_example
from relcoord.instruments import Dimension, Instrument
from relcoord.metrics.scores import RespondentTieScores, respondent_tie_scores
from relcoord.metrics.scores.cell_totals import CellTotals
from relcoord.metrics.tie_cells import TieCells
from relcoord.model import Study
from relcoord.ratings import Ratings
from relcoord.testing.strategies import studies

HAS_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAS_NUMBA and not os.environ.get("CI"),
                                 reason="numba (the fast extra) is not installed")
many = studies(max_roles=4, max_respondents=10, max_ratings=60, with_ties=False,
               with_invitations=False)
FIELDS = ("rc", "communication", "relationship", "answered", "counted")


def bitwise(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal arrays, floats to the last bit (NaN where NaN)."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return bool(np.array_equal(a.view(np.int64), b.view(np.int64)))
    return bool(np.array_equal(a, b))


def same_scores(a: RespondentTieScores, b: RespondentTieScores) -> bool:
    return all(bitwise(getattr(a, f), getattr(b, f)) for f in FIELDS)


def by_hand(study: Study, min_items: int) -> list[tuple[float, float, float, int, bool]]:
    """Per row: RC, communication, relationship, answered, counted, in plain Python (each
    sub-index's answers added left to right, RC's sum communication's plus relationship's)."""
    instrument = study.instrument
    subs = [instrument.keys_of("communication"), instrument.keys_of("relationship")]
    out = []
    for row in study.ratings.scores.tolist():
        sums, counts = [0.0, 0.0], [0, 0]
        for key, value in zip(instrument.keys, row, strict=True):
            if not math.isnan(value):
                part = 0 if key in subs[0] else 1
                sums[part] += value
                counts[part] += 1
        answered = counts[0] + counts[1]
        counted = answered >= min_items and answered > 0
        rc = (sums[0] + sums[1]) / answered if counted else math.nan
        sub_scores = []
        for part in (0, 1):
            n_sub = len(subs[part])
            needed = max(1, math.ceil(min_items * n_sub / len(instrument.keys) - 1e-9))
            ok = counted and n_sub > 0 and counts[part] >= needed
            sub_scores.append(sums[part] / counts[part] if ok else math.nan)
        out.append((rc, sub_scores[0], sub_scores[1], answered, counted))
    return out


def agrees_with_hand(per: RespondentTieScores, study: Study, min_items: int) -> bool:
    expected = by_hand(study, min_items)
    got = list(zip(per.rc.tolist(), per.communication.tolist(), per.relationship.tolist(),
                   per.answered.tolist(), per.counted.tolist(), strict=True))
    return all(
        all((math.isnan(x) and math.isnan(y)) if isinstance(x, float) and math.isnan(x)
            else x == y for x, y in zip(e, g, strict=True))
        for e, g in zip(expected, got, strict=True)
    )


@settings(deadline=None)
@given(many, st.integers(1, 7))
def test_the_numpy_path_adds_as_by_hand(study: Study, min_items: int) -> None:
    min_items = min(min_items, len(study.instrument.keys))
    per = respondent_tie_scores(study, min_items=min_items, engine="numpy")
    assert agrees_with_hand(per, study, min_items)


@needs_numba
@settings(deadline=None)  # the first call compiles the pass
@given(many, st.integers(1, 7))
def test_the_compiled_scores_are_the_same_bit_for_bit(study: Study, min_items: int) -> None:
    min_items = min(min_items, len(study.instrument.keys))
    compiled = respondent_tie_scores(study, min_items=min_items, engine="numba")
    assert same_scores(compiled, respondent_tie_scores(study, min_items=min_items,
                                                       engine="numpy"))


def _uneven_study() -> Study:
    """The example study rescored on scales whose steps are not exact binary fractions, so
    that another order of additions would show in the last bits."""
    study = load_example()
    dims, scores = [], study.ratings.scores.copy()
    for j, d in enumerate(study.instrument.dimensions):
        odd = [0.1 + 0.6 * i + 0.01 * j for i in range(len(d.scoring))]
        dims.append(Dimension(key=d.key, sub_index=d.sub_index, names=d.names,
                              answers=d.answers, scoring=odd))
        lookup = dict(zip(d.scoring, odd, strict=True))
        column = scores[:, j]
        given = ~np.isnan(column)
        column[given] = [lookup[v] for v in column[given].tolist()]
    instrument = Instrument(id="odd", title="odd steps", dimensions=dims)
    columns = {f.name: getattr(study.ratings, f.name) for f in attrs.fields(Ratings)}
    columns["scores"] = scores
    return attrs.evolve(study, instrument=instrument, ratings=Ratings(**columns))


def test_scores_on_an_uneven_scale_add_as_by_hand() -> None:
    study = _uneven_study()
    for min_items in (1, 5, 7):
        numpy_path = respondent_tie_scores(study, min_items=min_items, engine="numpy")
        assert agrees_with_hand(numpy_path, study, min_items)
        if HAS_NUMBA:
            assert same_scores(numpy_path, respondent_tie_scores(
                study, min_items=min_items, engine="numba"))


def _totals(study: Study, min_items: int, engine: str) -> CellTotals:
    per = respondent_tie_scores(study, min_items=min_items, engine="numpy")
    occupied = TieCells.of(study, respondent_ties=per).occupied
    return CellTotals.of(occupied, per, engine=engine)


def _same_totals(a: CellTotals, b: CellTotals) -> bool:
    pairs_a = (a.rc, a.communication, a.relationship, *a.items)
    pairs_b = (b.rc, b.communication, b.relationship, *b.items)
    return len(pairs_a) == len(pairs_b) and all(
        bitwise(np.asarray(x[0]), np.asarray(y[0])) and bitwise(np.asarray(x[1]),
                                                               np.asarray(y[1]))
        for x, y in zip(pairs_a, pairs_b, strict=True))


@needs_numba
@settings(deadline=None)
@given(many, st.integers(1, 7))
def test_the_compiled_cell_totals_are_the_same_bit_for_bit(study: Study,
                                                           min_items: int) -> None:
    min_items = min(min_items, len(study.instrument.keys))
    assert _same_totals(_totals(study, min_items, "numba"), _totals(study, min_items, "numpy"))


@needs_numba
def test_cell_totals_of_larger_studies_are_the_same_bit_for_bit() -> None:
    """The uneven scale, and a complete study (every row answered every item: the numpy path
    sums the item block in one sparse product there)."""
    uneven = _uneven_study()
    assert _same_totals(_totals(uneven, 5, "numba"), _totals(uneven, 5, "numpy"))
    rng = np.random.default_rng(7)
    example = load_example()
    n = 70_000  # above tie_cells' _SPARSE_FROM
    people = example.ratings.respondent[rng.integers(0, len(example.ratings), n)]
    role_of = {p.id: p.role for p in example.respondents}
    ids = np.array(example.ratings.respondents, dtype=object)
    roles = np.array(example.ratings.roles, dtype=object)
    role_code = {r: i for i, r in enumerate(example.ratings.roles)}
    source = np.array([role_code[role_of[p]] for p in ids[people]], dtype=np.int32)
    target = rng.integers(0, len(roles), n).astype(np.int32)
    columns = {f.name: getattr(example.ratings, f.name) for f in attrs.fields(Ratings)}
    columns.update(source=source, target=target, respondent=people,
                   wave=np.full(n, -1, dtype=np.int32),
                   scores=rng.integers(1, 6, (n, example.ratings.scores.shape[1])
                                       ).astype(np.float64))
    complete = attrs.evolve(example, ratings=Ratings(**columns))
    d = example.ratings.scores.shape[1]
    assert _same_totals(_totals(complete, d, "numba"), _totals(complete, d, "numpy"))


def test_an_unknown_engine_is_refused() -> None:
    study = load_example()
    with pytest.raises(ValueError, match="engine"):
        respondent_tie_scores(study, min_items=5, engine="fortran")
    per = respondent_tie_scores(study, min_items=5)
    with pytest.raises(ValueError, match="engine"):
        CellTotals.of(TieCells.of(study, respondent_ties=per).occupied, per, engine="fortran")
