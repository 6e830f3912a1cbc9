"""The hand-compiled rating check agrees with the schema on any JSON value."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from relcoord.instruments import DIMENSION_KEYS
from relcoord.validation import _rating_validator, rating_conforms, schema_problems, validator

json_leaf = (
    st.none() | st.booleans() | st.integers(-10, 10)
    | st.floats(allow_nan=False, allow_infinity=False, width=32) | st.text(max_size=3)
)
labels = st.one_of(st.text(min_size=0, max_size=4), st.just("x" * 201), json_leaf)
scores = st.dictionaries(
    st.sampled_from([*DIMENSION_KEYS, "speed"]), json_leaf | st.integers(1, 5), max_size=4
) | json_leaf
field_values: dict[str, st.SearchStrategy[Any]] = {
    "respondent": labels, "source": labels, "target": labels, "wave": labels, "scores": scores,
    "extra": json_leaf,
}


@st.composite
def rating_like(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(json_leaf)
    names = draw(st.sets(st.sampled_from(sorted(field_values))))
    return {name: draw(field_values[name]) for name in names}


@given(rating_like())
def test_fast_check_agrees_with_schema(item: Any) -> None:
    assert rating_conforms(item) == _rating_validator().is_valid(item)


@given(st.lists(rating_like(), max_size=4))
def test_problems_equal_full_validation(items: list[Any]) -> None:
    document = {"relcoord": "1", "study": {"id": "s"}, "instrument": "rc7",
                "roles": [{"id": "a", "name": "A"}], "ratings": items}
    fast = sorted(p.path for p in schema_problems(document))
    assert fast == sorted(e.json_path for e in validator("study").iter_errors(document))
