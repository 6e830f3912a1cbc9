"""How the report and its pictures name things: roles, organisations, bands, dimensions,
instruments, in the report's language.

Names that a study gives (a role's name, a dimension of an inline instrument) come from the
study; the words relcoord supplies come from :mod:`relcoord.messages`.  A language the
report is not written in is refused with :class:`~relcoord.settings.InvalidSettingsError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relcoord import messages
from relcoord.instruments import INSTRUMENTS
from relcoord.settings import LANGS

if TYPE_CHECKING:
    from relcoord.instruments import Instrument
    from relcoord.model import Study

__all__ = [
    "band_label",
    "check_lang",
    "dimension_label",
    "heading",
    "instrument_title",
    "organisation_label",
    "role_label",
]

#: Organisation ids the catalogue has words for (others are shown as the study names them).
_KNOWN_ORGANISATIONS = frozenset({"school", "municipality"})


def check_lang(lang: str) -> str:
    """``lang`` when the report can be written in it, else
    :class:`~relcoord.settings.InvalidSettingsError` naming the choice."""
    if lang not in LANGS:
        from relcoord.settings import InvalidSettingsError

        raise InvalidSettingsError("lang", f"expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def heading(term: str, lang: str) -> str:
    """A term shared by every output (``status.pending``, ``scope.network``...) as a
    heading, a table cell or a legend entry: capitalised (``Ubesvaret``)."""
    return messages.capital(messages.text(term, lang))


def organisation_label(organisation: str | None, lang: str) -> str:
    """An organisation id as a reader's word (``school`` -> ``Skole``); others as given."""
    if organisation is None:
        return heading("organisation.none", lang)
    if organisation in _KNOWN_ORGANISATIONS:
        return heading(f"organisation.{organisation}", lang)
    return organisation


def band_label(band: str | None, lang: str) -> str | None:
    """An RC band (``weak``, ``moderate``, ``strong``) as a word; ``None`` stays ``None``."""
    return None if band is None else messages.text(f"band.{band}", lang)


def role_label(study: Study, role_id: str, lang: str) -> str:
    """The name of the role ``role_id`` in ``lang`` (the study's own name as a fallback)."""
    return study.role(role_id).label(lang)


def dimension_label(instrument: Instrument, key: str | None, lang: str) -> str | None:
    """The name of the instrument's dimension ``key`` in ``lang``; ``None`` stays ``None``."""
    return None if key is None else instrument.dimension(key).name(lang)


def instrument_title(instrument: Instrument, lang: str) -> str:
    """The title of ``instrument`` in ``lang``: the catalogue's for a built-in instrument,
    the instrument's own for one a study defines."""
    if INSTRUMENTS.get(instrument.id) == instrument:
        return messages.text(f"instrument.{instrument.id}", lang)
    return instrument.title
