"""Study <-> plain mapping in the canonical JSON format, version 1.

[`study_to_mapping`][relcoord.serialization.study_to_mapping] gives the JSON-ready dict that
[`relcoord.dump`][relcoord.study_json.dump] writes;
[`study_from_mapping`][relcoord.serialization.study_from_mapping] builds a
[`Study`][relcoord.model.Study] from a mapping that already passed the schema (see
[`relcoord.validation`][relcoord.validation]), collecting every domain problem with its JSON path.
Ratings go straight into numpy columns: no ``Rating`` object per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from relcoord.errors import InvalidStudyError, Problem
from relcoord.instruments import INSTRUMENTS, Instrument
from relcoord.model import Invitation, Metadata, NamedTie, Respondent, Role, Study
from relcoord.ratings import Ratings

__all__ = ["FORMAT_VERSION", "instrument_of", "study_from_mapping", "study_to_mapping"]

#: The version of the canonical study format this module reads and writes.
FORMAT_VERSION: Final = "1"


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _optional(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def study_to_mapping(study: Study) -> dict[str, Any]:
    """The study as a JSON-ready dict in canonical order (same study, same dict)."""
    meta = study.metadata
    ratings = study.ratings
    people = ratings.respondents
    waves = ratings.waves
    keys = ratings.dimensions
    role_ids = study.role_ids
    rows: list[dict[str, Any]] = []
    # plain Python lists first: indexing numpy scalars row by row is several times slower
    for person, source, target, wave, values in zip(
        ratings.respondent.tolist(), ratings.source.tolist(), ratings.target.tolist(),
        ratings.wave.tolist(), ratings.scores.tolist(), strict=True,
    ):
        row: dict[str, Any] = {}
        if person >= 0:
            row["respondent"] = people[person]
        row["source"] = role_ids[source]
        row["target"] = role_ids[target]
        if wave >= 0:
            row["wave"] = waves[wave]
        row["scores"] = {k: _number(v) for k, v in zip(keys, values, strict=True) if v == v}
        rows.append(row)
    rows.sort(key=lambda r: (r.get("wave", ""), r["source"], r["target"],
                             r.get("respondent", ""), sorted(r["scores"].items())))
    return {
        "relcoord": FORMAT_VERSION,
        "study": {"id": meta.id, "title": meta.title, "focal_process": meta.focal_process,
                  "language": meta.language, "description": meta.description},
        "instrument": study.instrument.id if study.instrument.builtin
        else study.instrument.to_mapping(),
        "roles": [
            {"id": r.id, "name": r.name}
            | ({"names": dict(r.names)} if r.names else {})
            | {"organisation": r.organisation, "present": r.present}
            for r in study.roles
        ],
        "respondents": [{"id": p.id, "role": p.role} for p in study.respondents],
        "ties": [_optional(source=t.source, target=t.target, wave=t.wave) for t in study.ties],
        "ratings": rows,
        "invitations": [
            _optional(source=i.source, target=i.target, topic=i.topic, status=i.status,
                      wave=i.wave)
            for i in study.invitations
        ],
    }


def instrument_of(value: str | Mapping[str, Any]) -> Instrument:
    """The instrument a schema-valid document names (``$.instrument``): a built-in by id or
    an inline definition; raises InvalidStudyError for an unknown id or a bad definition."""
    if isinstance(value, str):
        if value not in INSTRUMENTS:
            known = ", ".join(sorted(INSTRUMENTS))
            raise InvalidStudyError(
                [Problem("$.instrument", f"unknown instrument {value!r}; expected one of {known} "
                         "or an inline instrument object")]
            )
        return INSTRUMENTS[value]
    return Instrument.from_mapping(value, path="$.instrument")


def _ratings(items: list[Mapping[str, Any]], instrument: Instrument) -> Ratings:
    """Columns straight from the JSON objects; unknown dimension keys are problems."""
    keys = instrument.keys
    column = {k: j for j, k in enumerate(keys)}
    n = len(items)
    scores = np.full((n, len(keys)), np.nan)
    source: list[str] = [""] * n
    target: list[str] = [""] * n
    person: list[str | None] = [None] * n
    wave: list[str | None] = [None] * n
    problems: list[Problem] = []
    for i, item in enumerate(items):
        source[i] = item["source"]
        target[i] = item["target"]
        person[i] = item.get("respondent")
        wave[i] = item.get("wave")
        for key, value in item["scores"].items():
            j = column.get(key)
            if j is None:
                problems.append(Problem(
                    f"$.ratings[{i}].scores.{key}",
                    f"unknown dimension {key!r} for instrument {instrument.id!r}; expected one "
                    f"of {', '.join(keys)}",
                ))
            elif value is not None:
                scores[i, j] = value
    if problems:
        raise InvalidStudyError(problems)
    return Ratings.from_labels(source=source, target=target, scores=scores, dimensions=keys,
                               respondent=person, wave=wave)


def study_from_mapping(data: Mapping[str, Any], ratings: Ratings | None = None) -> Study:
    """Build a study from a schema-valid mapping; raises InvalidStudyError with JSON paths.

    ``ratings``, when given, are the document's ratings already decoded (by
    [relcoord.study_json_decoder][relcoord.study_json_decoder], with the same columns and
    codes); ``data["ratings"]`` is then not read.
    """
    instrument = instrument_of(data["instrument"])
    meta = data["study"]
    if ratings is None:
        ratings = _ratings(data.get("ratings", []), instrument)
    return Study(
        metadata=Metadata(
            id=meta["id"], title=meta.get("title", ""),
            focal_process=meta.get("focal_process", ""), language=meta.get("language", "en"),
            description=meta.get("description", ""),
        ),
        instrument=instrument,
        roles=[
            Role(id=r["id"], name=r["name"], organisation=r.get("organisation"),
                 present=r.get("present", True), names=r.get("names", {}))
            for r in data["roles"]
        ],
        respondents=[Respondent(id=p["id"], role=p["role"]) for p in data.get("respondents", [])],
        ties=[NamedTie(source=t["source"], target=t["target"], wave=t.get("wave"))
              for t in data.get("ties", [])],
        ratings=ratings,
        invitations=[
            Invitation(source=i["source"], target=i["target"], topic=i.get("topic", ""),
                       status=i.get("status", "pending"), wave=i.get("wave"))
            for i in data.get("invitations", [])
        ],
    )
