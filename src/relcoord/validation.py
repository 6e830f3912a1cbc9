"""Validation of the canonical study format in two stages: schema, then domain.

Stage one checks the document against the shipped JSON Schema (Draft 2020-12); stage two,
run only on a schema-valid document, checks what a schema cannot: unknown role and
respondent ids, duplicate ids, a rating whose source is not its respondent's role, dimension
keys the instrument lacks, scores off the instrument's scale.  Every problem carries its
``$.json.path``; problems come back sorted by path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from relcoord.errors import InvalidStudyError, Problem, path_sort_key
from relcoord.serialization import study_from_mapping

__all__ = ["rating_conforms", "schema", "schema_problems", "validate", "validator"]


@cache
def schema(name: str = "study") -> dict[str, Any]:
    """A shipped JSON Schema by name (``study`` or ``analysis``), loaded once."""
    text = resources.files("relcoord.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def validator(name: str = "study") -> Draft202012Validator:
    """A Draft 2020-12 validator (with format checking) for the shipped schema ``name``."""
    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _message(error: ValidationError) -> str:
    if error.validator == "oneOf" and error.context:
        # the branch that got furthest says the most
        deepest = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.message)))
        return deepest.message
    if error.validator == "additionalProperties":
        return f"{error.message}; the format allows only the documented fields"
    return error.message


def _is_label(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200


def _is_optional_label(value: Any) -> bool:
    return value is None or _is_label(value)


def rating_conforms(item: Any) -> bool:
    """Whether one rating object satisfies ``$defs/rating`` of the study schema.

    A hand-compiled twin of the schema definition, about 100 times faster than the general
    validator; a property test checks that both agree.  It only *decides*: the messages for
    the ratings it refuses come from the schema itself (see
    [`schema_problems`][relcoord.validation.schema_problems]).
    """
    if not isinstance(item, dict) or not _RATING_REQUIRED <= item.keys() <= _RATING_FIELDS:
        return False
    if not (_is_label(item["source"]) and _is_label(item["target"])):
        return False
    if not (_is_optional_label(item.get("respondent")) and _is_optional_label(item.get("wave"))):
        return False
    scores = item["scores"]
    if not isinstance(scores, dict) or not scores.keys() <= _DIMENSION_KEYS:
        return False
    return all(
        v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))
        for v in scores.values()
    )


_RATING_FIELDS = frozenset({"respondent", "source", "target", "wave", "scores"})
_RATING_REQUIRED = frozenset({"source", "target", "scores"})
_DIMENSION_KEYS = frozenset(schema("study")["$defs"]["dimension_key"]["enum"])


@cache
def _rating_validator() -> Draft202012Validator:
    study = schema("study")
    return Draft202012Validator({"$defs": study["$defs"], "$ref": "#/$defs/rating"})


def schema_problems(document: Any, name: str = "study") -> list[Problem]:
    """Every violation of the shipped schema ``name``, with its JSON path, sorted.

    For a study, the ``ratings`` array (which may hold millions of objects) is screened by
    [`rating_conforms`][relcoord.validation.rating_conforms]; only the objects it refuses go through
    the general validator, so the messages are the schema's own.  The rest of the document is
    validated in full.
    """
    ratings = document.get("ratings") if isinstance(document, dict) else None
    if name == "study" and isinstance(ratings, list):
        problems = [
            Problem(error.json_path, _message(error))
            for error in validator(name).iter_errors({**document, "ratings": []})
        ]
        for i, item in enumerate(ratings):
            if not rating_conforms(item):
                problems += [
                    Problem(f"$.ratings[{i}]{error.json_path[1:]}", _message(error))
                    for error in _rating_validator().iter_errors(item)
                ]
    else:
        problems = [
            Problem(error.json_path, _message(error))
            for error in validator(name).iter_errors(document)
        ]
    return sorted(problems, key=lambda p: (path_sort_key(p.path), p.message))


def validate(document: Mapping[str, Any] | Any) -> list[Problem]:
    """All problems of a parsed study document (schema first, then domain); empty if valid."""
    problems = schema_problems(document)
    if problems:
        return problems
    try:
        study_from_mapping(document)
    except InvalidStudyError as error:
        return list(error.problems)
    return []
