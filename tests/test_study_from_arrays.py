"""A study from arrays: the fast path (arrays handed over, no copy) and the converting path
(other types and layouts, one copy) build the same store and refuse bad input alike.

Issue 15, item 4: NaN where codes belong, codes out of range, non-contiguous or read-only
arrays and mixed types give the same located errors whichever way the arrays come in; the
study's own checks (scores off the scale, a source that is not the respondent's role) name
the same rows as when the same ratings come as records.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import Metadata, Rating, Ratings, Respondent, Role, Study
from relcoord.errors import InvalidStudyError

KEYS = ("frequent", "timely", "accurate")
ROLES = ("a", "b", "c")
PEOPLE = ("p0", "p1", "p2", "p3")
OWNER = {"p0": "a", "p1": "b", "p2": "c", "p3": "a"}
CODE_FIELDS = ("source", "target", "respondent", "wave")


def _strided(array: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The same values as a non-contiguous view (every other element of a larger array)."""
    wide = np.zeros((array.shape[0] * 2, *array.shape[1:]), dtype=array.dtype)
    wide[::2] = array
    return wide[::2]


def _read_only(array: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    out = array.copy()
    out.setflags(write=False)
    return out


def _frozen_view(array: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A read-only view (its base stays writeable)."""
    view = array.view()
    view.setflags(write=False)
    return view


#: The ways a caller may hand over the same codes and scores.  ``int32``/``float64``,
#: C-contiguous and read-only is the fast path, kept without a copy; the rest are copied.
FORMS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "handed over (int32, read-only)": (lambda c: _read_only(c.astype(np.int32)), _read_only),
    "writeable int32": (lambda c: c.astype(np.int32), lambda s: s.copy()),
    "int64": (lambda c: c.astype(np.int64), lambda s: s.astype(np.float64)),
    "float codes, float32 scores": (lambda c: c.astype(np.float64),
                                    lambda s: s.astype(np.float32)),
    "non-contiguous": (lambda c: _strided(c.astype(np.int32)), _strided),
    "read-only, non-contiguous": (lambda c: _frozen_view(_strided(c.astype(np.int32))),
                                  lambda s: _frozen_view(np.asfortranarray(s))),
    "lists": (lambda c: c.tolist(), lambda s: s.tolist()),
}


@st.composite
def columns(draw: st.DrawFn) -> dict[str, np.ndarray[Any, Any]]:
    """Valid codes and scores: each rating's source is its respondent's role."""
    n = draw(st.integers(1, 12))
    person = np.array(draw(st.lists(st.integers(-1, len(PEOPLE) - 1), min_size=n,
                                    max_size=n)))
    free_source = np.array(draw(st.lists(st.integers(0, len(ROLES) - 1), min_size=n,
                                         max_size=n)))
    owner = np.array([ROLES.index(OWNER[p]) for p in PEOPLE])
    source = np.where(person >= 0, owner[np.maximum(person, 0)], free_source)
    target = np.array(draw(st.lists(st.integers(0, len(ROLES) - 1), min_size=n, max_size=n)))
    wave = np.array(draw(st.lists(st.integers(-1, 1), min_size=n, max_size=n)))
    values = draw(st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]),
                           min_size=n * len(KEYS), max_size=n * len(KEYS)))
    scores = np.array(values).reshape(n, len(KEYS))
    return {"source": source, "target": target, "respondent": person, "wave": wave,
            "scores": scores}


def store(data: dict[str, Any], form: str) -> Ratings:
    as_codes, as_scores = FORMS[form]
    return Ratings.from_arrays(
        source=as_codes(data["source"]), target=as_codes(data["target"]),
        respondent=as_codes(data["respondent"]), wave=as_codes(data["wave"]),
        scores=as_scores(data["scores"]), dimensions=KEYS, roles=ROLES,
        respondents=PEOPLE, waves=("w1", "w2"))


def study(ratings: Ratings | list[Rating]) -> Study:
    return Study(metadata=Metadata(id="s"), instrument="rc7",
                 roles=[Role(id=r, name=r.upper()) for r in ROLES],
                 respondents=[Respondent(id=p, role=OWNER[p]) for p in PEOPLE],
                 ratings=ratings)


def records(data: dict[str, Any]) -> list[Rating]:
    """The same ratings as records: the slow path."""
    waves = ("w1", "w2")
    return [Rating(source=ROLES[s], target=ROLES[t],
                   respondent=None if p < 0 else PEOPLE[p], wave=None if w < 0 else waves[w],
                   scores={k: None if np.isnan(v) else float(v)
                           for k, v in zip(KEYS, row, strict=True)})
            for s, t, p, w, row in zip(data["source"].tolist(), data["target"].tolist(),
                                       data["respondent"].tolist(), data["wave"].tolist(),
                                       data["scores"], strict=True)]


def error_of(build: Callable[[], Any]) -> tuple[type[BaseException], str]:
    with pytest.raises(ValueError, match="code") as caught:
        build()
    return type(caught.value), str(caught.value)


@given(columns())
def test_every_form_builds_the_same_store_and_study(data: dict[str, Any]) -> None:
    built = {form: store(data, form) for form in FORMS}
    first = built["handed over (int32, read-only)"]
    for form, ratings in built.items():
        assert ratings == first, form
        for name in (*CODE_FIELDS, "scores"):
            array = getattr(ratings, name)
            assert not array.flags.writeable, (form, name)
            assert array.flags.c_contiguous, (form, name)
        assert ratings.source.dtype == np.int32
        assert ratings.scores.dtype == np.float64
    assert study(first) == study(records(data))


@st.composite
def broken_codes(draw: st.DrawFn) -> tuple[dict[str, Any], str, int, int]:
    """Valid columns with one code out of its range: (columns, field, row, bad code)."""
    data = draw(columns())
    field = draw(st.sampled_from(CODE_FIELDS))
    size = {"source": len(ROLES), "target": len(ROLES), "respondent": len(PEOPLE),
            "wave": 2}[field]
    least = -1 if field in ("respondent", "wave") else 0
    bad = draw(st.one_of(st.integers(size, size + 5), st.integers(least - 5, least - 1),
                         st.just(2**32 + least)))  # 2**32 would wrap into a valid int32
    row = draw(st.integers(0, len(data["source"]) - 1))
    data[field] = data[field].astype(np.int64)
    data[field][row] = bad
    return data, field, row, bad


@given(broken_codes())
def test_a_code_out_of_range_is_refused_alike_in_every_form(
        case: tuple[dict[str, Any], str, int, int]) -> None:
    data, field, row, bad = case
    expected = f"{field} code {bad} is outside"
    where = f"(row {row})"
    seen = set()
    for form in FORMS:
        if form in ("handed over (int32, read-only)", "writeable int32", "non-contiguous",
                    "read-only, non-contiguous") and not -2**31 <= bad < 2**31:
            continue  # the caller's int32 array cannot hold the code
        kind, message = error_of(partial(store, data, form))
        assert expected in message, (form, message)
        assert message.endswith(where), (form, message)
        seen.add((kind, message))
    assert len(seen) == 1, seen  # the same error, with the first row holding the code


@given(columns(), st.sampled_from(CODE_FIELDS), st.data())
def test_nan_or_a_fraction_where_codes_belong_is_refused_with_its_row(
        data: dict[str, Any], field: str, draw: st.DataObject) -> None:
    row = draw.draw(st.integers(0, len(data["source"]) - 1))
    bad = draw.draw(st.sampled_from([np.nan, np.inf, 0.5]))
    codes = data[field].astype(np.float64)
    codes[row] = bad
    messages = set()
    for as_codes in (lambda c: c, _strided, _read_only, lambda c: c.tolist()):
        broken = dict(data, **{field: as_codes(codes)})
        _, message = error_of(partial(
            Ratings.from_arrays, source=broken["source"], target=broken["target"],
            respondent=broken["respondent"], wave=broken["wave"], scores=broken["scores"],
            dimensions=KEYS, roles=ROLES, respondents=PEOPLE, waves=("w1", "w2")))
        messages.add(message)
    assert messages == {f"{field} code {bad!r} at row {row} is not an integer"}


@given(columns(), st.data())
def test_the_studys_problems_name_the_same_rows_as_for_records(
        data: dict[str, Any], draw: st.DataObject) -> None:
    """Scores off the scale and sources that are not their respondent's role: the study
    built from arrays in any form reports the problems the slow path (records) reports."""
    n = len(data["source"])
    for _ in range(draw.draw(st.integers(1, 3))):
        row = draw.draw(st.integers(0, n - 1))
        if draw.draw(st.booleans()):
            column = draw.draw(st.integers(0, len(KEYS) - 1))
            data["scores"][row, column] = draw.draw(st.sampled_from([0.0, 2.5, 6.0, -1.0]))
        else:
            data["source"][row] = (data["source"][row] + 1) % len(ROLES)
            data["respondent"][row] = 0  # p0's role is a: wrong unless the source is a
    expected = problems_of(lambda: study(records(data)))
    for form in FORMS:
        assert problems_of(partial(_study_of, data, form)) == expected, form


def _study_of(data: dict[str, Any], form: str) -> Study:
    return study(store(data, form))


def problems_of(build: Callable[[], Study]) -> tuple[Any, ...] | None:
    """The problems the study's check reports, ``None`` for a valid study."""
    try:
        build()
    except InvalidStudyError as error:
        return error.problems
    return None


# --- sharing memory: when the store keeps the caller's arrays ---------------------------


def _from(source: Any, scores: Any) -> Ratings:
    return Ratings.from_arrays(source=source, target=source, scores=scores,
                               dimensions=["frequent"], roles=["a", "b"])


def test_handed_over_arrays_are_shared_and_writeable_ones_copied() -> None:
    codes = _read_only(np.array([0, 1, 1], dtype=np.int32))
    scores = _read_only(np.array([[1.0], [2.0], [np.nan]]))
    kept = _from(codes, scores)
    assert kept.source is codes  # no copy: the memory is shared
    assert kept.scores is scores
    writeable = np.array([0, 1, 1], dtype=np.int32)
    copied = _from(writeable, np.ones((3, 1)))
    assert not np.shares_memory(copied.source, writeable)
    assert writeable.flags.writeable  # the caller's flags are left alone
    assert not copied.source.flags.writeable
    assert copied.source.base is None  # the store's own copy


def test_a_read_only_view_of_a_writeable_array_is_copied() -> None:
    mine = np.array([0, 1, 1], dtype=np.int32)
    view = mine[:]
    view.setflags(write=False)
    ratings = _from(view, np.ones((3, 1)))
    assert not np.shares_memory(ratings.source, mine)
    mine[0] = 1  # whoever holds the writeable array cannot change the store
    assert ratings.source[0] == 0


def test_read_only_memory_is_kept_and_a_bytearray_is_not() -> None:
    payload = np.array([0, 1, 1], dtype=np.int32).tobytes()
    from_bytes = np.frombuffer(payload, dtype=np.int32)
    assert _from(from_bytes, np.ones((3, 1))).source is from_bytes
    buffer = bytearray(payload)
    from_bytearray = np.frombuffer(buffer, dtype=np.int32)
    from_bytearray.setflags(write=False)
    kept = _from(from_bytearray, np.ones((3, 1)))
    assert not np.shares_memory(kept.source, from_bytearray)
    with mmap.mmap(-1, len(payload)) as mapped:  # anonymous, writeable mapping
        mapped.write(payload)
        on_map = np.frombuffer(mapped, dtype=np.int32)
        on_map.setflags(write=False)
        assert not np.shares_memory(_from(on_map, np.ones((3, 1))).source, on_map)
        del on_map


def test_mixed_types_are_converted_in_one_copy() -> None:
    ratings = Ratings.from_arrays(
        source=np.array([0, 1], dtype=np.int16), target=np.array([1, 0], dtype=np.uint8),
        respondent=np.array([0, -1], dtype=np.int64), wave=np.array([-1.0, 0.0]),
        scores=np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32),
        dimensions=("frequent", "timely"), roles=("a", "b"), respondents=("p",),
        waves=("w",))
    for name in CODE_FIELDS:
        assert getattr(ratings, name).dtype == np.int32
    assert ratings.scores.dtype == np.float64
    with pytest.raises(ValueError, match="source codes must be integers, got dtype bool"):
        Ratings.from_arrays(source=np.array([True, False]), target=[0, 1],
                            scores=np.ones((2, 1)), dimensions=["frequent"], roles=["a", "b"])
