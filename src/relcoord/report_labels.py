"""How the report and its pictures name things: roles, organisations, bands, dimensions,
instruments, in the report's language.

Names that a study gives (a role's name, a dimension of an inline instrument) come from the
study; the words relcoord supplies come from [`relcoord.messages`][relcoord.messages].  A language
the report is not written in is refused with
[`InvalidSettingsError`][relcoord.settings.InvalidSettingsError].
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from relcoord import messages
from relcoord.instruments import INSTRUMENTS
from relcoord.settings import LANGS

if TYPE_CHECKING:
    from relcoord.instruments import Instrument
    from relcoord.model import Study

__all__ = [
    "band_cell",
    "band_label",
    "check_lang",
    "dimension_label",
    "heading",
    "instrument_title",
    "organisation_label",
    "role_label",
    "roles_by_name",
]


def check_lang(lang: str) -> str:
    """``lang`` when the report can be written in it, else
    [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError] naming the choice."""
    if lang not in LANGS:
        from relcoord.settings import InvalidSettingsError

        raise InvalidSettingsError("lang", f"expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def heading(term: str, lang: str) -> str:
    """A term shared by every output (``status.pending``, ``scope.network``...) as a
    heading, a table cell or a legend entry: capitalised (``Ubesvaret``)."""
    return messages.capital(messages.text(term, lang))


def organisation_label(organisation: str | None, lang: str) -> str:
    """An organisation as a reader's word: the catalogue's for the ids it knows
    (``school`` -> ``Skole``, ``general-practice`` -> ``Almen praksis``); any other as the
    study spells it, hyphens and underscores as spaces, capitalised (``home-care`` ->
    ``Home care``), so that no id is shown as an id."""
    if organisation is None:
        return heading("organisation.none", lang)
    if f"organisation.{organisation}" in messages.CATALOGUE:
        return heading(f"organisation.{organisation}", lang)
    return messages.capital(organisation.replace("-", " ").replace("_", " ").strip()
                            or organisation)


def band_cell(band: str | None, lang: str) -> str | None:
    """An RC band as a table cell, capitalised (``Svag``); ``None`` stays ``None``."""
    return None if band is None else heading(f"band.{band}", lang)


def band_label(band: str | None, lang: str) -> str | None:
    """An RC band (``weak``, ``moderate``, ``strong``) as a word; ``None`` stays ``None``."""
    return None if band is None else messages.text(f"band.{band}", lang)


def role_label(study: Study, role_id: str, lang: str) -> str:
    """The name of the role ``role_id`` in ``lang`` (the study's own name as a fallback)."""
    return study.role(role_id).label(lang)


def roles_by_name(study: Study, role_ids: Iterable[str], lang: str) -> list[str]:
    """``role_ids`` sorted by the roles' names in ``lang``'s alphabetical order
    ([`relcoord.messages.sort_key`][relcoord.messages.locales.sort_key]: Danish æ, ø, å after z),
    the id breaking ties."""
    return sorted(role_ids, key=lambda r: (messages.sort_key(role_label(study, r, lang), lang), r))


def dimension_label(instrument: Instrument, key: str | None, lang: str) -> str | None:
    """The name of the instrument's dimension ``key`` in ``lang``; ``None`` stays ``None``."""
    return None if key is None else instrument.dimension(key).name(lang)


def instrument_title(instrument: Instrument, lang: str) -> str:
    """The title of ``instrument`` in ``lang``: the catalogue's for a built-in instrument,
    the instrument's own for one a study defines."""
    if INSTRUMENTS.get(instrument.id) == instrument:
        return messages.text(f"instrument.{instrument.id}", lang)
    return instrument.title
