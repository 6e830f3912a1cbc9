"""The fast path of [relcoord.load][relcoord.study_json.load]: a typed decoder for valid files.

A study file is mostly ratings (millions of small objects).  Parsing them with `json`
into dicts, checking each against the schema and copying each into numpy columns cost
4.7 times a bare ``json.load`` (``benchmarks/bench_core.py``).  This module decodes the
file with msgspec instead: the top level into raw byte ranges, the other parts (study,
roles, respondents, ties, invitations, instrument) into plain values checked by the JSON
Schema as before (respondents and ties, which can be long, by a typed twin of their
schema definition), and the ratings straight into typed rows whose type *is* the schema's
``$defs/rating`` restricted to the study's instrument (labels of 1 to 200 characters, no
unknown field, scores ``number | null`` under the instrument's keys), so that msgspec's C
code checks them while it parses.

It only ever says yes: [decode_study][relcoord.study_json_decoder.decode_study] returns
``None`` whenever the fast path cannot vouch for the document (a parse or type error, a
schema problem in the other parts, an integer longer than the slow path accepts, a byte
order mark), and [load][relcoord.study_json.load] then runs the slow path, which finds and
locates every problem exactly as before.  A document the fast path accepts gives the same
study as the slow path (a property test checks both on valid and broken documents).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Final

import msgspec
import numpy as np

from relcoord.errors import InvalidStudyError
from relcoord.instruments import Instrument
from relcoord.model import Study
from relcoord.ratings import Ratings
from relcoord.serialization import instrument_of, study_from_mapping
from relcoord.validation import schema_problems

__all__ = ["decode_study"]

#: The slow path's parser refuses integers of more than 64 digits; a file holding a number
#: this large (which no valid study does) takes the slow path, which says where it is.
_HUGE: Final = 10**64

#: ``$defs/id`` and the labels of ``$defs/rating``: 1 to 200 characters.
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class _Respondent(msgspec.Struct, forbid_unknown_fields=True):
    """``$defs/respondent``."""

    id: Label
    role: Label


class _Tie(msgspec.Struct, forbid_unknown_fields=True):
    """``$defs/tie``."""

    source: Label
    target: Label
    wave: Label | None = None


#: The long arrays besides the ratings, checked by type instead of by the general validator
#: (which takes seconds for 100,000 respondents).
_TWINS: Final[dict[str, Any]] = {"respondents": list[_Respondent], "ties": list[_Tie]}


def _has_huge_number(value: Any) -> bool:
    """Whether a decoded value holds a number the slow path's parser would refuse."""
    if isinstance(value, dict):
        return any(_has_huge_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_huge_number(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _HUGE


@cache
def _rating_type(keys: tuple[str, ...]) -> type[msgspec.Struct]:
    """The type of one rating of an instrument with score ``keys``: ``$defs/rating`` with
    ``propertyNames`` narrowed to the instrument's keys (another key makes the fast path
    step aside, and the slow path reports it as an unknown dimension)."""
    scores = msgspec.defstruct(
        "Scores", [(key, float | None, None) for key in keys], forbid_unknown_fields=True,
    )
    return msgspec.defstruct(
        "RatingRow",
        [("source", Label), ("target", Label), ("scores", scores),
         ("respondent", Label | None, None), ("wave", Label | None, None)],
        forbid_unknown_fields=True,
    )


def _ratings(raw: msgspec.Raw, instrument: Instrument) -> Ratings:
    """The ratings array decoded by type and turned into columns."""
    keys = instrument.keys
    row_type: Any = _rating_type(keys)
    rows: list[Any] = msgspec.json.decode(raw, type=list[row_type])
    n = len(rows)
    scores = np.empty((n, len(keys)))
    if n:
        values = [msgspec.structs.astuple(row.scores) for row in rows]
        scores[...] = np.array(values, dtype=np.float64)  # None -> NaN
        if np.nanmax(np.abs(scores), initial=0.0) >= _HUGE:  # maybe a refused integer
            raise _StepAside
    return Ratings.from_labels(
        source=[row.source for row in rows], target=[row.target for row in rows],
        scores=scores, dimensions=keys,
        respondent=[row.respondent for row in rows], wave=[row.wave for row in rows],
    )


class _StepAside(Exception):
    """The fast path cannot vouch for the document: take the slow path."""


def decode_study(data: bytes) -> Study | None:
    """The study in ``data`` (a canonical JSON file's bytes), or ``None`` to take the slow path.

    Raises nothing for bad input of any kind except a domain problem that the slow path
    would raise identically (the same [`InvalidStudyError`][relcoord.errors.InvalidStudyError], from
    the same constructor, after the same schema stage found nothing).
    """
    try:
        parts = msgspec.json.decode(data, type=dict[str, msgspec.Raw])
        raw_ratings = parts.pop("ratings", None)
        rest: dict[str, Any] = {key: msgspec.json.decode(value) for key, value in parts.items()}
        # the slow path checks the document with each long array emptied as below
        probe = dict(rest)
        if raw_ratings is not None:
            probe["ratings"] = []
        for key, twin in _TWINS.items():
            if key in parts and isinstance(rest[key], list):
                msgspec.json.decode(parts[key], type=twin)
                probe[key] = []
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None  # not an object, not JSON, a number out of range, a lone surrogate...
    if _has_huge_number(probe) or schema_problems(probe):
        return None
    try:
        instrument = instrument_of(rest["instrument"])
    except InvalidStudyError:
        return None
    try:
        ratings = _ratings(raw_ratings or msgspec.Raw(b"[]"), instrument)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, _StepAside):
        return None
    return study_from_mapping(rest, ratings=ratings)
