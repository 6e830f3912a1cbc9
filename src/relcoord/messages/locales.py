"""How each language of the catalogue writes numbers and lists, by Babel (CLDR's rules),
and how it sorts names.

[`decimal`][relcoord.messages.locales.decimal] gives a decimal comma in Danish (``3,50``) and a
point in English (``3.50``); [`percent`][relcoord.messages.locales.percent] gives ``80 %`` in Danish
(with a no-break space) and ``80%`` in English; [`join`][relcoord.messages.locales.join] gives ``a,
b og c`` and ``a, b and c``.  Rounding is Python's own: Babel works on the exact decimal expansion
of the binary value, half to even.

[`sort_key`][relcoord.messages.locales.sort_key] orders names as a reader of the language expects:
case and accents do not count, and Danish puts æ, ø and å after z (Dansk Sprognævn,
*Retskrivningsordbogen*, on alphabetical order; CLDR's Danish collation tailoring), where English
reads æ as "ae" and ø and å as o and a.  Babel has no collation and ICU is not a dependency, so
these few rules are written out here.
"""

from __future__ import annotations

import decimal as _decimal
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from relcoord.messages.message import check_language

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

__all__ = ["decimal", "decimal_symbol", "join", "language_tag", "percent", "sort_key"]

#: The Babel locale of each language of the catalogue.
_LOCALES: Final[Mapping[str, str]] = MappingProxyType({"da": "da_DK", "en": "en_GB"})


def _locale(lang: str) -> str:
    return _LOCALES[check_language(lang)]


@cache
def _babel_locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(_locale(lang))


@cache
def _pattern(pattern: str) -> NumberPattern:
    """A parsed number pattern (parsing once: reports format thousands of cells)."""
    from babel.numbers import parse_pattern

    return parse_pattern(pattern)


def decimal(value: float, lang: str, digits: int = 2, *, signed: bool = False,
            trailing_zeros: bool = True) -> str:
    """``value`` with ``digits`` decimals in ``lang``'s style (Danish ``3,50``).

    ``signed`` writes a plus sign before a positive number (``+0,07``);
    ``trailing_zeros=False`` writes only the decimals the value needs (``2,5``, ``3``).
    """
    places = ("0" if trailing_zeros else "#") * digits
    pattern = f"0.{places}" if digits > 0 else "0"
    if signed:
        pattern = f"+{pattern};-{pattern}"
    text: str = _pattern(pattern).apply(_decimal.Decimal(value), _babel_locale(lang),
                                        decimal_quantization=True, group_separator=False)
    return text


def percent(share: float, lang: str) -> str:
    """A share 0..1 as a whole percentage in ``lang``'s style (``80 %`` in Danish, with a
    no-break space; ``80%`` in English)."""
    locale = _babel_locale(lang)
    text: str = locale.percent_formats[None].apply(_decimal.Decimal(share), locale)
    return text


def join(items: Iterable[str], lang: str) -> str:
    """``items`` as a list in running text (``a, b og c``; one item as it is)."""
    from babel.lists import format_list

    return format_list(list(items), locale=_babel_locale(lang))


#: Letters a language sorts after z, in its order, with the letters it sorts as one of them.
_AFTER_Z: Final[Mapping[str, Mapping[str, int]]] = MappingProxyType({
    "da": MappingProxyType({"æ": 1, "ä": 1, "ø": 2, "ö": 2, "å": 3}),
    "en": MappingProxyType({}),
})
#: Letters that Unicode does not decompose, spelled out for a language that has no own
#: place for them.
_SPELLED: Final[Mapping[str, str]] = MappingProxyType({"æ": "ae", "ø": "o", "œ": "oe",
                                                       "đ": "d", "ł": "l", "þ": "th"})


def sort_key(text: str, lang: str) -> tuple[tuple[int, ...], str]:
    """A key that sorts ``text`` (a role's name) alphabetically in ``lang``: case and
    accents ignored (``É`` as ``e``), Danish ``æ``, ``ø``, ``å`` after ``z``; the text itself
    breaks ties, so the order is total."""
    after_z = _AFTER_Z[check_language(lang)]
    beyond = ord("z")
    ranks: list[int] = []
    for char in text.casefold():
        if char in after_z:
            ranks.append(beyond + after_z[char])
            continue
        for base in unicodedata.normalize("NFKD", _SPELLED.get(char, char)):
            if not unicodedata.combining(base):
                ranks.append(ord(base) if ord(base) <= beyond else ord(base) + 16)
    return tuple(ranks), text


def decimal_symbol(lang: str) -> str:
    """The symbol ``lang`` writes between whole number and decimals (``,`` in Danish)."""
    symbol: str = _babel_locale(lang).number_symbols["latn"]["decimal"]
    return symbol


def language_tag(lang: str) -> str:
    """The IETF BCP 47 tag of ``lang``'s locale (``da-DK``), e.g. for a document's language."""
    return _locale(lang).replace("_", "-")
