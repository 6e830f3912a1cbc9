"""One message of the catalogue: a phrase in every language, side by side.

[`Message`][relcoord.messages.message.Message] has one field per language of
`LANGUAGES`, so a third language is one more field (mypy then
names every entry that lacks it) and one more value of
`Language`.
"""

from __future__ import annotations

from string import Formatter
from typing import Final, Literal, get_args

import attrs

__all__ = [
    "LANGUAGES",
    "Language",
    "Message",
    "UnknownMessageError",
    "check_language",
    "fields_of",
]

Language = Literal["da", "en"]
#: The languages every message has, in the order of [`Message`][relcoord.messages.message.Message]'s
#: fields.
LANGUAGES: Final[tuple[str, ...]] = get_args(Language)


class UnknownMessageError(KeyError):
    """A key that the catalogue does not hold, or a language it does not have."""


def check_language(lang: str) -> str:
    """``lang`` if the catalogue has it, else
    [`UnknownMessageError`][relcoord.messages.message.UnknownMessageError] naming the choice."""
    if lang not in LANGUAGES:
        raise UnknownMessageError(
            f"no language {lang!r} in the catalogue (expected one of {', '.join(LANGUAGES)})")
    return lang


@attrs.frozen
class Message:
    """One phrase in every language of `LANGUAGES`."""

    en: str
    da: str

    def in_language(self, lang: str) -> str:
        """The phrase in ``lang``;
        [`UnknownMessageError`][relcoord.messages.message.UnknownMessageError] for a language not
        held."""
        value: str = getattr(self, check_language(lang))
        return value


def fields_of(phrase: str) -> frozenset[str]:
    """The ``str.format`` fields of ``phrase`` (``"{k} of {n}"`` -> ``{"k", "n"}``)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(phrase) if name)
