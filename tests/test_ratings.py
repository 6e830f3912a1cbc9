"""The columnar rating store: every way in agrees, iteration gives back the input, arrays
are read-only, bad codes are refused, and equality ignores row order."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import Rating, Ratings, Study
from relcoord.testing.strategies import studies

KEYS = ("frequent", "timely", "accurate", "problem_solving")


def _columns(records: list[Rating], keys: tuple[str, ...]) -> dict[str, Any]:
    """Plain columns of labels plus a score matrix (NaN = missing)."""
    return {
        "source": [r.source for r in records],
        "target": [r.target for r in records],
        "respondent": [r.respondent for r in records],
        "wave": [r.wave for r in records],
        "scores": np.array([[np.nan if r.scores[k] is None else r.scores[k] for k in keys]
                            for r in records], dtype=np.float64).reshape(-1, len(keys)),
    }


def _codes(labels: list[str | None], vocabulary: list[str]) -> np.ndarray[Any, Any]:
    index = {v: i for i, v in enumerate(vocabulary)}
    return np.array([-1 if x is None else index[x] for x in labels], dtype=np.int32)


def four_ways(records: list[Rating], keys: tuple[str, ...]) -> list[Ratings]:
    """The same ratings built from records, labels, integer codes and a DataFrame."""
    cols = _columns(records, keys)
    roles = sorted({*cols["source"], *cols["target"]}, reverse=True)  # any order will do
    people = sorted({p for p in cols["respondent"] if p is not None})
    waves = sorted({w for w in cols["wave"] if w is not None})
    frame = pd.DataFrame({
        "source": cols["source"], "target": cols["target"],
        "respondent": pd.Series(cols["respondent"], dtype=object),
        "wave": pd.Series(cols["wave"], dtype=object),
        **{k: cols["scores"][:, j] for j, k in enumerate(keys)},
    })
    return [
        Ratings.from_records(records, dimensions=keys),
        Ratings.from_labels(source=cols["source"], target=cols["target"],
                            respondent=cols["respondent"], wave=cols["wave"],
                            scores=cols["scores"], dimensions=keys),
        Ratings.from_arrays(source=_codes(cols["source"], roles),
                            target=_codes(cols["target"], roles), roles=roles,
                            respondent=_codes(cols["respondent"], people), respondents=people,
                            wave=_codes(cols["wave"], waves), waves=waves,
                            scores=cols["scores"], dimensions=keys),
        Ratings.from_frame(frame, dimensions=keys),
    ]


@given(studies(max_ratings=20))
def test_records_labels_arrays_and_frame_agree(study: Study) -> None:
    records = list(study.ratings)
    keys = study.instrument.keys
    built = four_ways(records, keys)
    for store in built:
        assert store == built[0]
        assert len(store) == len(records)
        assert store.dimensions == keys
    # and all four hold exactly the input, row for row
    for store in built[:3]:
        assert list(store) == records


@given(studies(max_ratings=20))
def test_iteration_yields_the_input_ratings(study: Study) -> None:
    records = list(study.ratings)
    store = Ratings.from_records(records, dimensions=study.instrument.keys)
    assert list(store) == records
    assert all(isinstance(r, Rating) for r in store)
    assert [store[i] for i in range(len(store))] == records


@given(studies(max_ratings=20), st.randoms(use_true_random=False))
def test_equality_ignores_row_order(study: Study, rnd: random.Random) -> None:
    store = study.ratings
    order = list(range(len(store)))
    rnd.shuffle(order)
    assert store.select(np.array(order, dtype=np.intp)) == store
    records = list(store)
    rnd.shuffle(records)
    assert Ratings.from_records(records, dimensions=store.dimensions) == store


@given(studies(max_ratings=20), st.data())
def test_taken_rows_are_the_selection_without_a_second_check(
        study: Study, data: st.DataObject) -> None:
    n = len(study.ratings)
    rows = np.array(data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=2 * n)
                              if n else st.just([])), dtype=np.intp)
    taken = study.ratings.taken(rows)
    expected = study.ratings.select(rows)
    for name in ("source", "target", "respondent", "wave", "scores"):
        assert np.array_equal(getattr(taken, name), getattr(expected, name), equal_nan=True)
        assert not getattr(taken, name).flags.writeable
    assert (taken.roles, taken.respondents, taken.waves, taken.dimensions) == (
        expected.roles, expected.respondents, expected.waves, expected.dimensions)
    with pytest.raises(IndexError, match="row positions"):
        study.ratings.taken(np.array([n], dtype=np.intp))
    with pytest.raises(IndexError, match="row positions"):
        study.ratings.taken(np.array([-1], dtype=np.intp))
    assert Ratings.from_arrays(  # rows of a checked store pass every check again
        source=taken.source, target=taken.target, scores=taken.scores,
        dimensions=taken.dimensions, roles=taken.roles, respondent=taken.respondent,
        respondents=taken.respondents, wave=taken.wave, waves=taken.waves) == expected


def test_equality_sees_a_changed_score_and_nan_is_equal_to_nan() -> None:
    a = Rating(source="a", target="b", scores={"frequent": 4, "timely": None})
    b = Rating(source="b", target="a", scores={"frequent": 2, "timely": 5})
    one = Ratings.from_records([a, b])
    assert one == Ratings.from_records([b, a])
    changed = Rating(source="b", target="a", scores={"frequent": 2, "timely": 4})
    assert one != Ratings.from_records([a, changed])
    assert one != Ratings.from_records([a])
    assert one != Ratings.from_records([a, Rating(source="b", target="a", respondent="p",
                                                   scores={"frequent": 2, "timely": 5})])


def _small() -> Ratings:
    return Ratings.from_arrays(
        source=[0, 1], target=[1, 0], roles=("a", "b"), respondent=[0, -1],
        respondents=("p",), wave=[-1, 0], waves=("w",),
        scores=[[1.0, np.nan], [5.0, 3.0]], dimensions=("frequent", "timely"),
    )


def test_arrays_are_read_only_and_copied() -> None:
    source = np.array([0, 1], dtype=np.int32)
    scores = np.array([[1.0, 2.0], [3.0, 4.0]])
    store = Ratings.from_arrays(source=source, target=[1, 0], roles=("a", "b"),
                                scores=scores, dimensions=("frequent", "timely"))
    for name in ("source", "target", "respondent", "wave", "scores"):
        array = getattr(store, name)
        assert not array.flags.writeable, name
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0
    assert not store.column("timely").flags.writeable
    source[0] = 1  # the caller's arrays stay theirs
    scores[0, 0] = 5.0
    assert store.source[0] == 0
    assert store.scores[0, 0] == 1.0
    # stores derived from a store are read-only too
    for derived in (store.select(np.array([True, False])),
                    store.recode(roles=("b", "a"), dimensions=("timely", "frequent")),
                    Ratings.concat([store, _small()])):
        assert not derived.scores.flags.writeable
        assert not derived.source.flags.writeable


def test_from_frame_with_missing_respondent_and_wave_columns() -> None:
    frame = pd.DataFrame({"source": ["a", "b"], "target": ["b", "b"],
                          "frequent": [4.0, np.nan]})
    store = Ratings.from_frame(frame, dimensions=("frequent",))
    assert list(store) == [
        Rating(source="a", target="b", scores={"frequent": 4.0}),
        Rating(source="b", target="b", scores={"frequent": None}),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": [0, 2]}, "source code 2 is outside 0..1 \\(row 1\\)"),
        ({"source": [-1, 0]}, "source code -1 is outside 0..1 \\(row 0\\)"),
        ({"target": [0, 5]}, "target code 5 is outside 0..1"),
        ({"respondent": [1, -1]}, "respondent code 1 is outside -1..0"),
        ({"respondent": [-2, 0]}, "respondent code -2 is outside -1..0"),
        ({"wave": [0, 3]}, "wave code 3 is outside -1..0"),
        ({"target": [0]}, "target has 1 codes, source has 2"),
        ({"scores": [[1.0, 2.0]]}, r"scores has shape \(1, 2\), expected \(2, 2\)"),
        ({"dimensions": ("frequent", "frequent")}, "a dimension is listed twice"),
        ({"source": [[0, 1]], "target": [[1, 0]], "respondent": [[0, -1]],
          "wave": [[-1, 0]], "scores": [[1.0, 2.0]]}, "source codes must be one-dimensional"),
    ],
)
def test_bad_codes_raise(change: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {
        "source": [0, 1], "target": [1, 0], "roles": ("a", "b"), "respondent": [0, -1],
        "respondents": ("p",), "wave": [-1, 0], "waves": ("w",),
        "scores": [[1.0, np.nan], [5.0, 3.0]], "dimensions": ("frequent", "timely"),
    } | change
    with pytest.raises(ValueError, match=message):
        Ratings.from_arrays(**arguments)


def test_unknown_dimension_in_records_raises() -> None:
    rating = Rating(source="a", target="b", scores={"frequent": 4, "mood": 2})
    with pytest.raises(ValueError, match="unknown dimension 'mood'"):
        Ratings.from_records([rating], dimensions=KEYS)


def test_recode_refuses_to_lose_a_label_in_use() -> None:
    with pytest.raises(ValueError, match="role in use is missing"):
        _small().recode(roles=("a",))
    with pytest.raises(ValueError, match="'timely' has scores"):
        _small().recode(dimensions=("frequent",))


# --- as a table and a DataFrame -------------------------------------------------------------


@pytest.mark.parametrize("backend", ["pandas", "polars"])
@given(study=studies(max_ratings=40))
def test_to_frame_round_trips(backend: str, study: Study) -> None:
    """``Ratings.from_frame(ratings.to_frame())`` is the same store, in both libraries:
    labels, missing respondents and waves, missing scores, every dimension."""
    ratings = study.ratings
    frame = ratings.to_frame(backend)  # type: ignore[arg-type]
    assert list(frame.columns) == ["source", "target", "respondent", "wave",
                                   *ratings.dimensions]
    assert len(frame) == len(ratings)
    assert Ratings.from_frame(frame, dimensions=ratings.dimensions) == ratings


def test_the_table_holds_each_rating_once() -> None:
    ratings = Ratings.from_records([
        Rating(source="a", target="b", scores={"x": 4.0, "y": None}, respondent="p1",
               wave="w1"),
        Rating(source="b", target="a", scores={"x": None, "y": 2.0}),
    ])
    table = ratings.table()
    assert table.name == "ratings"
    assert [c.kind for c in table.columns] == ["text"] * 4 + ["number"] * 2
    frame = ratings.to_frame()
    assert frame["respondent"].isna().tolist() == [False, True]
    assert frame["wave"].tolist()[0] == "w1"
    assert np.isnan(frame["y"].to_numpy()[0])
    assert pd.api.types.is_string_dtype(frame["source"])


def test_read_only_arrays_of_the_stores_types_are_kept_without_a_copy() -> None:
    codes = np.array([0, 1, 1], dtype=np.int32)
    scores = np.array([[1.0], [2.0], [np.nan]])
    for array in (codes, scores):
        array.setflags(write=False)
    kept = Ratings.from_arrays(source=codes, target=codes, scores=scores,
                               dimensions=["frequent"], roles=["a", "b"])
    assert kept.source is codes
    assert kept.scores is scores
    writable = np.array([0, 1, 1], dtype=np.int32)
    copied = Ratings.from_arrays(source=writable, target=writable, scores=np.ones((3, 1)),
                                 dimensions=["frequent"], roles=["a", "b"])
    assert copied.source is not writable
    assert not copied.source.flags.writeable
    writable[0] = 1  # the caller's array changes; the store does not
    assert copied.source[0] == 0
