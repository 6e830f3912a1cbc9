"""The fast path of ``relcoord.load`` gives what the slow path gives: the same study for a
valid file, and for a broken one the slow path's own located error (the fast path steps
aside)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relcoord
from relcoord.errors import InvalidInputError, InvalidStudyError
from relcoord.example import example_text
from relcoord.model import Study
from relcoord.serialization import study_from_mapping
from relcoord.study_json import parse_json
from relcoord.study_json_decoder import decode_study
from relcoord.testing.strategies import studies
from relcoord.validation import schema_problems


def slow_load(data: bytes) -> Study:
    """What load did before the fast path: parse, schema, domain."""
    document = parse_json(data, "<stream>")
    problems = schema_problems(document)
    if problems:
        raise InvalidStudyError(problems)
    return study_from_mapping(document)


def outcome(load: Any, data: bytes) -> object:
    """The study, or the error's type and text (located: JSON path or file:line:column)."""
    try:
        return load(data)
    except (InvalidStudyError, InvalidInputError) as error:
        return type(error).__name__, str(error)


def fast_load(data: bytes) -> Study:
    import io

    return relcoord.load(io.BytesIO(data))


@settings(max_examples=60, deadline=None)
@given(studies())
def test_a_valid_file_gives_the_same_study(study: Study) -> None:
    data = relcoord.dumps(study).encode("utf-8")
    decoded = decode_study(data)
    assert decoded is not None  # a valid canonical file takes the fast path
    assert decoded == slow_load(data) == study


def _rating(document: dict[str, Any]) -> dict[str, Any]:
    return document["ratings"][0]  # type: ignore[no-any-return]


#: Changes to a valid document (the example study); all but the last two break it.
BREAKAGES: dict[str, Any] = {
    "score is a boolean": lambda d: _rating(d)["scores"].update(frequent=True),
    "score is text": lambda d: _rating(d)["scores"].update(frequent="5"),
    "score off the scale": lambda d: _rating(d)["scores"].update(frequent=9),
    "huge integer score": lambda d: _rating(d)["scores"].update(frequent=10**70),
    "huge float score": lambda d: _rating(d)["scores"].update(frequent=1e70),
    "unknown dimension": lambda d: _rating(d)["scores"].update(colour=3),
    "empty source": lambda d: _rating(d).update(source=""),
    "long target": lambda d: _rating(d).update(target="x" * 201),
    "unknown field": lambda d: _rating(d).update(mood="good"),
    "no scores": lambda d: _rating(d).pop("scores"),
    "unknown role": lambda d: _rating(d).update(source="nobody"),
    "respondent of another role": lambda d: _rating(d).update(
        respondent=d["respondents"][-1]["id"]),
    "rating not an object": lambda d: d["ratings"].__setitem__(0, [1, 2]),
    "ratings not a list": lambda d: d.update(ratings={"a": 1}),
    "ratings null": lambda d: d.update(ratings=None),
    "respondent without role": lambda d: d["respondents"][0].pop("role"),
    "respondent with an extra field": lambda d: d["respondents"][0].update(age=40),
    "respondent id empty": lambda d: d["respondents"][0].update(id=""),
    "respondents not a list": lambda d: d.update(respondents="all"),
    "tie to an unknown role": lambda d: d["ties"][0].update(target="nobody"),
    "tie wave empty": lambda d: d["ties"][0].update(wave=""),
    "no roles": lambda d: d.update(roles=[]),
    "unknown instrument": lambda d: d.update(instrument="rc99"),
    "huge number elsewhere": lambda d: d["study"].update(title=10**70),
    "unknown top-level field": lambda d: d.update(extra=1),
    "a null score (valid)": lambda d: _rating(d)["scores"].update(timely=None),
    "no ratings (valid)": lambda d: d.pop("ratings"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_a_changed_file_gives_the_slow_paths_outcome(name: str) -> None:
    document = json.loads(example_text())
    BREAKAGES[name](document)
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    expected = outcome(slow_load, data)
    assert isinstance(expected, Study) == name.endswith("(valid)")
    assert outcome(fast_load, data) == expected


@pytest.mark.parametrize("data", [
    b"", b"\x00\x01", b"{", b"[]", b"\xef\xbb\xbf" + example_text().encode("utf-8"),
    b'{"relcoord": "1", "study": {"id": "s"}, "instrument": "rc7", "roles": 1e400}',
    example_text().encode("utf-8").replace(b'"ratings": [', b'"ratings": [\n"\\ud800",', 1),
    "ø".encode("latin-1"),
])
def test_unparsable_or_unusual_bytes_give_the_slow_paths_outcome(data: bytes) -> None:
    assert outcome(fast_load, data) == outcome(slow_load, data)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_cutting_a_valid_file_anywhere_gives_the_slow_paths_error(data: st.DataObject) -> None:
    text = example_text().encode("utf-8")
    cut = data.draw(st.integers(0, len(text) - 1))
    assert outcome(fast_load, text[:cut]) == outcome(slow_load, text[:cut])
