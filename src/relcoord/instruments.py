"""Survey instruments: which dimensions are asked, in which words, and how answers score.

An [`Instrument`][relcoord.instruments.Instrument] maps each answer *position* (1 = first answer
shown) to a *score* (higher is better).  The distinction matters for the frequency item of the
current RC Survey, whose answers are shown as "not nearly enough ... much too often" and scored
1, 3, 5, 4, 2 (Gittell's sufficiency scoring: just right is best, over-communication scores
above under-communication).  Every other item is monotone.

Built-ins:

``rc7``
    The current seven-item Relational Coordination Survey (sufficiency frequency item).
``rc7-classic``
    The seven items with the classic monotone frequency item (never ... constantly).
``relationskort``
    The four communication qualities rated on the relationship map of the workshops of
    Psykiatrifonden's *Trivsel Smiley* conferences (autumn 2019; "is the communication
    sufficiently frequent, timely, accurate, problem-solving?"), each on a monotone
    five-point scale from "not at all" to "to a very high degree".

Sources: Gittell, J.H. (2016) *Transforming Relationships for High Performance*, Stanford
University Press, appendix (the RC Survey); Relational Coordination Collaborative,
*Relational Coordination Survey* (2021 version, frequency item scoring); Psykiatrifonden,
*Relationers betydning for at erhvervsskoleelever får den rette og rigtige hjælp - Styrken
ved relationel koordinering* (the relationskort; ``docs/example.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidStudyError, Problem
from relcoord.frozen_mapping import FrozenMapping
from relcoord.json_values import json_ready

__all__ = [
    "DIMENSION_KEYS",
    "INSTRUMENTS",
    "LANGUAGES",
    "Dimension",
    "Instrument",
    "SubIndex",
    "get_instrument",
]

SubIndex = Literal["communication", "relationship"]

#: The seven RC dimensions, in survey order (Gittell 2016).
DIMENSION_KEYS: Final = (
    "frequent",
    "timely",
    "accurate",
    "problem_solving",
    "shared_goals",
    "shared_knowledge",
    "mutual_respect",
)
#: Languages every built-in instrument has labels in.
LANGUAGES: Final = ("da", "en", "de")

_SUB_INDEX: Final[Mapping[str, SubIndex]] = MappingProxyType(
    {k: ("communication" if i < 4 else "relationship") for i, k in enumerate(DIMENSION_KEYS)}
)


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return FrozenMapping(value)


def _frozen_answers(value: Mapping[str, Sequence[str]]) -> Mapping[str, tuple[str, ...]]:
    return FrozenMapping({lang: tuple(labels) for lang, labels in value.items()})


def _floats(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


@attrs.frozen(hash=False)
class Dimension:
    """One survey item.

    ``scoring[i]`` is the score of the answer shown at position ``i + 1``; ``answers`` holds
    the answer labels in the order shown, per language; ``names`` the item's name per
    language.
    """

    key: str = attrs.field(validator=attrs.validators.in_(DIMENSION_KEYS))
    sub_index: SubIndex = attrs.field(
        validator=attrs.validators.in_(("communication", "relationship"))
    )
    names: Mapping[str, str] = attrs.field(converter=_frozen_map)
    answers: Mapping[str, tuple[str, ...]] = attrs.field(converter=_frozen_answers)
    scoring: tuple[float, ...] = attrs.field(converter=_floats)

    def __attrs_post_init__(self) -> None:
        if len(self.scoring) < 2:
            raise ValueError(f"dimension {self.key!r}: a scale needs at least two answers")
        if len(set(self.scoring)) != len(self.scoring):
            raise ValueError(f"dimension {self.key!r}: two answers share one score")
        for lang, labels in self.answers.items():
            if len(labels) != len(self.scoring):
                raise ValueError(
                    f"dimension {self.key!r}: {len(labels)} answer labels in {lang!r} "
                    f"for {len(self.scoring)} scores"
                )

    @property
    def scores(self) -> frozenset[float]:
        """The scores an answer to this item can have."""
        return frozenset(self.scoring)

    def name(self, lang: str = "en") -> str:
        """The item's name in ``lang`` (English when that language is missing)."""
        return self.names.get(lang) or self.names.get("en") or self.key

    def score(self, positions: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Turn answer positions (1-based; NaN for missing) into scores, vectorised.

        Raises `ValueError` for a position outside ``1..len(scoring)``.
        """
        pos = np.asarray(positions, dtype=np.float64)
        out = np.full(pos.shape, np.nan)
        present = ~np.isnan(pos)
        valid = present & np.isin(pos, np.arange(1, len(self.scoring) + 1))
        if not np.array_equal(valid, present):
            bad = pos[present & ~valid]
            raise ValueError(
                f"{self.key}: answer position {bad[0]:g} is outside 1..{len(self.scoring)}"
            )
        table = np.asarray(self.scoring, dtype=np.float64)
        out[valid] = table[pos[valid].astype(np.intp) - 1]
        return out


def _dimensions(values: Iterable[Dimension]) -> tuple[Dimension, ...]:
    return tuple(values)


@attrs.frozen(hash=False)
class Instrument:
    """A set of dimensions with their wording and scoring."""

    id: str
    title: str
    dimensions: tuple[Dimension, ...] = attrs.field(converter=_dimensions)

    def __attrs_post_init__(self) -> None:
        keys = [d.key for d in self.dimensions]
        if not keys:
            raise ValueError(f"instrument {self.id!r} has no dimensions")
        if len(set(keys)) != len(keys):
            raise ValueError(f"instrument {self.id!r} names a dimension twice")

    @property
    def keys(self) -> tuple[str, ...]:
        """Dimension keys in survey order."""
        return tuple(d.key for d in self.dimensions)

    @property
    def builtin(self) -> bool:
        """True when this is one of the built-in instruments, unchanged."""
        return INSTRUMENTS.get(self.id) == self

    def dimension(self, key: str) -> Dimension:
        """The dimension with ``key``; `KeyError` when the instrument lacks it."""
        for dim in self.dimensions:
            if dim.key == key:
                return dim
        raise KeyError(f"instrument {self.id!r} has no dimension {key!r}")

    def keys_of(self, sub_index: SubIndex) -> tuple[str, ...]:
        """Keys of the dimensions that belong to ``sub_index``."""
        return tuple(d.key for d in self.dimensions if d.sub_index == sub_index)

    @property
    def scale(self) -> tuple[float, float]:
        """Lowest and highest score any item can have."""
        values = [s for d in self.dimensions for s in d.scoring]
        return min(values), max(values)

    def score(self, key: str, positions: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Answer positions to scores for dimension ``key`` (see
        [`Dimension.score`][relcoord.instruments.Dimension.score])."""
        return self.dimension(key).score(positions)

    def to_mapping(self) -> dict[str, Any]:
        """The instrument as the JSON object the study format accepts inline (a whole-number
        score written as an integer)."""
        return json_ready({
            "id": self.id,
            "title": self.title,
            "dimensions": [
                {
                    "key": d.key,
                    "sub_index": d.sub_index,
                    "names": dict(d.names),
                    "answers": {lang: list(a) for lang, a in d.answers.items()},
                    "scoring": [_plain_number(s) for s in d.scoring],
                }
                for d in self.dimensions
            ],
        })

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, path: str = "$") -> Instrument:
        """Build a custom instrument from its JSON object (see the instrument reference).

        Raises [`InvalidStudyError`][relcoord.errors.InvalidStudyError] naming the JSON path of each
        problem.
        """
        problems: list[Problem] = []
        dims: list[Dimension] = []
        raw_dims = data.get("dimensions")
        if not isinstance(raw_dims, list) or not raw_dims:
            raise InvalidStudyError([Problem(f"{path}.dimensions", "expected a non-empty list")])
        for i, raw in enumerate(raw_dims):
            where = f"{path}.dimensions[{i}]"
            try:
                key = raw["key"]
                dims.append(
                    Dimension(
                        key=key,
                        sub_index=raw.get("sub_index", _SUB_INDEX.get(key, "communication")),
                        names=raw.get("names", {}),
                        answers=raw.get("answers", {}),
                        scoring=[float(s) for s in raw["scoring"]],
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(Problem(where, _describe(exc)))
        if problems:
            raise InvalidStudyError(problems)
        try:
            return cls(id=str(data.get("id", "custom")), title=str(data.get("title", "")),
                       dimensions=dims)
        except ValueError as exc:
            raise InvalidStudyError([Problem(f"{path}.dimensions", str(exc))]) from None


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing required field {exc.args[0]!r}"
    return str(exc)


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def get_instrument(instrument_id: str) -> Instrument:
    """The built-in instrument ``instrument_id``; `KeyError` lists the known ids."""
    try:
        return INSTRUMENTS[instrument_id]
    except KeyError:
        known = ", ".join(sorted(INSTRUMENTS))
        raise KeyError(f"unknown instrument {instrument_id!r}; built-ins are {known}") from None


# --- the built-ins ------------------------------------------------------------------------

_MONOTONE = (1.0, 2.0, 3.0, 4.0, 5.0)

_NAMES: Final = {
    "frequent": {"da": "Hyppig kommunikation", "en": "Frequent communication",
                 "de": "Häufige Kommunikation"},
    "timely": {"da": "Rettidig kommunikation", "en": "Timely communication",
               "de": "Rechtzeitige Kommunikation"},
    "accurate": {"da": "Præcis kommunikation", "en": "Accurate communication",
                 "de": "Präzise Kommunikation"},
    "problem_solving": {"da": "Problemløsende kommunikation",
                        "en": "Problem-solving communication",
                        "de": "Problemlösende Kommunikation"},
    "shared_goals": {"da": "Fælles mål", "en": "Shared goals", "de": "Gemeinsame Ziele"},
    "shared_knowledge": {"da": "Fælles viden", "en": "Shared knowledge",
                         "de": "Geteiltes Wissen"},
    "mutual_respect": {"da": "Gensidig respekt", "en": "Mutual respect",
                       "de": "Gegenseitiger Respekt"},
}

_NEVER_ALWAYS = {
    "da": ("Aldrig", "Sjældent", "Af og til", "Ofte", "Altid"),
    "en": ("Never", "Rarely", "Occasionally", "Often", "Always"),
    "de": ("Nie", "Selten", "Manchmal", "Oft", "Immer"),
}
_NOT_AT_ALL_COMPLETELY = {
    "da": ("Slet ikke", "Lidt", "Noget", "Meget", "Fuldstændig"),
    "en": ("Not at all", "A little", "Somewhat", "A lot", "Completely"),
    "de": ("Gar nicht", "Wenig", "Teilweise", "Größtenteils", "Vollständig"),
}
_ANSWERS: Final = {
    "frequent": {
        "da": ("Slet ikke nok", "Ikke nok", "Tilpas", "For ofte", "Alt for ofte"),
        "en": ("Not nearly enough", "Not enough", "Just the right amount", "Too often",
               "Much too often"),
        "de": ("Bei weitem nicht genug", "Nicht genug", "Genau richtig", "Zu oft",
               "Viel zu oft"),
    },
    "frequent_classic": {
        "da": ("Aldrig", "Sjældent", "Af og til", "Ofte", "Konstant"),
        "en": ("Never", "Rarely", "Occasionally", "Often", "Constantly"),
        "de": ("Nie", "Selten", "Gelegentlich", "Oft", "Ständig"),
    },
    "timely": _NEVER_ALWAYS,
    "accurate": _NEVER_ALWAYS,
    "problem_solving": {
        "da": ("Giver altid andre skylden", "Giver oftest andre skylden", "Hverken eller",
               "Løser oftest problemet sammen med dig", "Løser altid problemet sammen med dig"),
        "en": ("Always blame others", "Mostly blame others", "Neither blame nor solve",
               "Mostly work with you to solve it", "Always work with you to solve it"),
        "de": ("Geben immer anderen die Schuld", "Geben meist anderen die Schuld",
               "Weder noch", "Lösen es meist gemeinsam mit Ihnen",
               "Lösen es immer gemeinsam mit Ihnen"),
    },
    "shared_goals": _NOT_AT_ALL_COMPLETELY,
    "shared_knowledge": {
        "da": ("Intet", "Lidt", "Noget", "Meget", "Alt"),
        "en": ("Nothing", "Little", "Some", "A lot", "Everything"),
        "de": ("Nichts", "Wenig", "Etwas", "Viel", "Alles"),
    },
    "mutual_respect": _NOT_AT_ALL_COMPLETELY,
}
_TO_A_DEGREE = {
    "da": ("Slet ikke", "I ringe grad", "I nogen grad", "I høj grad", "I meget høj grad"),
    "en": ("Not at all", "To a small degree", "To some degree", "To a high degree",
           "To a very high degree"),
    "de": ("Gar nicht", "In geringem Maße", "Teilweise", "In hohem Maße",
           "In sehr hohem Maße"),
}
_RELATIONSKORT_NAMES: Final = {
    "frequent": {"da": "Tilstrækkelig hyppig", "en": "Sufficiently frequent",
                 "de": "Ausreichend häufig"},
    "timely": {"da": "Rettidig", "en": "Timely", "de": "Rechtzeitig"},
    "accurate": {"da": "Forståelig og præcis", "en": "Understandable and accurate",
                 "de": "Verständlich und präzise"},
    "problem_solving": {"da": "Problemløsende", "en": "Problem-solving",
                        "de": "Problemlösend"},
}


def _rc7(instrument_id: str, title: str, *, classic: bool) -> Instrument:
    dims = []
    for key in DIMENSION_KEYS:
        if key == "frequent":
            answers = _ANSWERS["frequent_classic" if classic else "frequent"]
            scoring = _MONOTONE if classic else (1.0, 3.0, 5.0, 4.0, 2.0)
        else:
            answers, scoring = _ANSWERS[key], _MONOTONE
        dims.append(Dimension(key, _SUB_INDEX[key], _NAMES[key], answers, scoring))
    return Instrument(instrument_id, title, tuple(dims))


def _relationskort() -> Instrument:
    dims = tuple(
        Dimension(key, "communication", _RELATIONSKORT_NAMES[key], _TO_A_DEGREE, _MONOTONE)
        for key in DIMENSION_KEYS[:4]
    )
    return Instrument("relationskort", "Relationskort (relationship map): communication qualities",
                      dims)


#: The built-in instruments by id.
INSTRUMENTS: Final[Mapping[str, Instrument]] = MappingProxyType(
    {
        "rc7": _rc7("rc7", "Relational Coordination Survey (7 items)", classic=False),
        "rc7-classic": _rc7(
            "rc7-classic", "Relational Coordination Survey (7 items, classic frequency scale)",
            classic=True,
        ),
        "relationskort": _relationskort(),
    }
)
