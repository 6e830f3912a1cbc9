"""The message catalogue: complete in every language, same fields, Babel's number styles."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import messages
from relcoord.messages import CATALOGUE, LANGUAGES, Message, UnknownMessageError


def test_every_language_is_a_field_of_message() -> None:
    assert tuple(sorted(f.name for f in attrs.fields(Message))) == tuple(sorted(LANGUAGES))


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_has_every_language_with_the_same_fields(key: str) -> None:
    message = CATALOGUE[key]
    phrases = {lang: message.in_language(lang) for lang in LANGUAGES}
    assert all(p.strip() for p in phrases.values()), phrases
    assert len({messages.fields_of(p) for p in phrases.values()}) == 1, phrases


#: Words that Danish and English share (a symbol, a loan word).
SHARED_WORDS = frozenset({"analysis_text.n", "analysis_text.boot", "cli.demo.instrument"})


def test_danish_phrases_are_not_the_english_ones() -> None:
    """A Danish entry copied from English is a missing translation."""
    same = {key for key, m in CATALOGUE.items() if m.da == m.en}
    assert same == SHARED_WORDS


def test_an_unknown_key_or_language_is_an_error_not_the_key() -> None:
    with pytest.raises(UnknownMessageError, match=r"figure\.nothing"):
        messages.text("figure.nothing", "da")
    with pytest.raises(UnknownMessageError, match="'de'"):
        messages.text("figure.network", "de")
    with pytest.raises(UnknownMessageError):
        messages.section("nothing", "en")


def test_fields_are_filled_in() -> None:
    assert messages.text("figure.withheld", "en", k=5) == "rated, withheld (< 5 respondents)"
    assert messages.section("figure", "da")["weak"] == "svag"


def test_number_styles() -> None:
    assert messages.decimal(3.5, "da") == "3,50"
    assert messages.decimal(3.5, "en") == "3.50"
    assert messages.decimal(1234.5, "da", 1) == "1234,5"
    assert messages.percent(0.8, "da") == "80\N{NO-BREAK SPACE}%"
    assert messages.percent(0.8, "en") == "80%"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 4))
def test_decimal_rounds_as_python_does(value: float, digits: int) -> None:
    """Babel on the float's exact expansion gives Python's own rounding, in both styles."""
    english = messages.decimal(value, "en", digits)
    assert english == f"{value:.{digits}f}"
    assert messages.decimal(value, "da", digits) == english.replace(".", ",")
