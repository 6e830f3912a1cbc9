"""The message catalogue: complete in every language, same fields, Babel's number styles,
and the only place that holds a phrase or compares a language code."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import messages
from relcoord.instruments import INSTRUMENTS
from relcoord.messages import CATALOGUE, LANGUAGES, Message, UnknownMessageError
from relcoord.settings import LANGS

ROOT = Path(__file__).resolve().parents[1]


def test_every_language_is_a_field_of_message() -> None:
    assert tuple(sorted(f.name for f in attrs.fields(Message))) == tuple(sorted(LANGUAGES))


def test_the_settings_offer_the_catalogue_s_languages() -> None:
    """An analysis (``lang``) can be set to exactly the languages the catalogue writes."""
    assert set(LANGS) == set(LANGUAGES)


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_has_every_language_with_the_same_fields(key: str) -> None:
    message = CATALOGUE[key]
    phrases = {lang: message.in_language(lang) for lang in LANGUAGES}
    assert all(p.strip() for p in phrases.values()), phrases
    assert len({messages.fields_of(p) for p in phrases.values()}) == 1, phrases


#: Phrases that Danish and English write alike: notation (r_wg(J), ICC(1), MDC), symbols and
#: words the two languages share.
SHARED_WORDS = frozenset({
    "analysis_text.boot", "analysis_text.n", "cli.demo.instrument", "picture.rc_scale",
    "report.change.interval", "report.change.mdc", "report.dimension", "report.instrument",
    "report.organisation", "report.rc", "report.reliability.ad_j",
    "report.reliability.by_organisation", "report.reliability.icc1",
    "report.reliability.icc2", "report.reliability.k.k0",
    "report.reliability.k.mean_group_size", "report.reliability.median_rwg",
    "report.reliability.rwg_j", "report.status", "report.reading.tie",
    "report.groups.counted",
    "notebook.id", "workbook.column.organisation",
})


def test_danish_phrases_are_not_the_english_ones() -> None:
    """A Danish entry copied from English is a missing translation."""
    same = {key for key, m in CATALOGUE.items() if m.da == m.en}
    assert same == SHARED_WORDS


def test_an_unknown_key_or_language_is_an_error_not_the_key() -> None:
    with pytest.raises(UnknownMessageError, match=r"picture\.nothing"):
        messages.text("picture.nothing", "da")
    with pytest.raises(UnknownMessageError, match="'de'"):
        messages.text("picture.network", "de")
    with pytest.raises(UnknownMessageError):
        messages.section("nothing", "en")
    with pytest.raises(UnknownMessageError, match=r"report\.nothing"):
        messages.section("report", "da")["nothing"]


def test_fields_are_filled_in() -> None:
    assert messages.text("picture.withheld", "en", k=5) == "rated, withheld (< 5 respondents)"
    assert messages.section("band", "da")["weak"] == "svag"


def test_a_term_is_capitalised_for_a_heading() -> None:
    assert messages.capital(messages.text("status.pending", "da")) == "Ubesvaret"
    assert messages.capital("e-I index") == "E-I index"


def test_built_in_instruments_have_a_title_in_every_language() -> None:
    """The catalogue's English title is the instrument's own, so the two cannot drift."""
    for instrument in INSTRUMENTS.values():
        assert messages.text(f"instrument.{instrument.id}", "en") == instrument.title


def test_number_and_list_styles() -> None:
    assert messages.decimal(3.5, "da") == "3,50"
    assert messages.decimal(3.5, "en") == "3.50"
    assert messages.decimal(1234.5, "da", 1) == "1234,5"
    assert messages.decimal(0.07, "da", signed=True) == "+0,07"
    assert messages.decimal(-0.14, "en", signed=True) == "-0.14"
    assert messages.decimal(2.5, "da", trailing_zeros=False) == "2,5"
    assert messages.decimal(3.0, "en", trailing_zeros=False) == "3"
    assert messages.percent(0.8, "da") == "80\N{NO-BREAK SPACE}%"
    assert messages.percent(0.8, "en") == "80%"
    assert messages.join(["a", "b", "c"], "da") == "a, b og c"
    assert messages.join(["a", "b"], "en") == "a and b"
    assert messages.join(["a"], "en") == "a"
    assert messages.decimal_symbol("da") == ","
    assert messages.language_tag("en") == "en-GB"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 4))
def test_decimal_rounds_as_python_does(value: float, digits: int) -> None:
    """Babel on the float's exact expansion gives Python's own rounding, in both styles."""
    english = messages.decimal(value, "en", digits)
    assert english == f"{value:.{digits}f}"
    assert messages.decimal(value, "da", digits) == english.replace(".", ",")
    assert messages.decimal(value, "en", digits, signed=True) == f"{value:+.{digits}f}"


# --- no phrase and no language code outside the catalogue -----------------------------------

#: Where language codes may appear: the catalogue itself, and the built-in instruments,
#: whose item names and answer labels per language are part of each instrument (as an
#: inline instrument in a study file carries its own), not words of relcoord's outputs.
ALLOWED = ("relcoord.messages", "relcoord.instruments")
LANGUAGE_CODES = frozenset(LANGUAGES)


def _modules() -> Iterator[tuple[str, Path]]:
    for package in (ROOT / "src" / "relcoord", *sorted(ROOT.glob("plugins/*/src/*/"))):
        for path in sorted(package.rglob("*.py")):
            parts = [package.name, *path.relative_to(package).with_suffix("").parts]
            yield ".".join(p for p in parts if p != "__init__"), path


def _is_code(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in LANGUAGE_CODES


def _codes_in(node: ast.AST) -> bool:
    """A language code as a constant, or inside a tuple, list or set of constants."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_code(e) for e in node.elts)
    return _is_code(node)


def _is_language_table(node: ast.AST) -> bool:
    """``{"da": ..., "en": ...}`` or ``dict(da=..., en=...)``."""
    if isinstance(node, ast.Dict):
        return any(k is not None and _is_code(k) for k in node.keys)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "dict" and any(k.arg in LANGUAGE_CODES for k in node.keywords))


def _language_code_uses(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
                _codes_in(n) for n in (node.left, *node.comparators)):
            yield node.lineno, "compares a language code"
        elif _is_language_table(node):
            yield getattr(node, "lineno", 0), "a table keyed by language"
        elif isinstance(node, ast.For | ast.comprehension) and _codes_in(node.iter):
            yield getattr(node, "lineno", 0), "loops over language codes"


def test_only_the_catalogue_holds_phrases_by_language() -> None:
    """No ``lang == "da"`` branch and no ``{"da": ..., "en": ...}`` table outside the
    catalogue: a new language is then a field of :class:`Message`, nothing else."""
    found = [f"{path.relative_to(ROOT)}:{line}: {what}"
             for name, path in _modules()
             if not name.startswith(ALLOWED)
             for line, what in _language_code_uses(ast.parse(path.read_text("utf-8")))]
    assert not found, "\n".join(found)


def test_the_check_finds_a_language_branch() -> None:
    tree = ast.parse('if lang == "da":\n    word = {"da": "og", "en": "and"}[lang]\n'
                     'for lang in ("da", "en"):\n    pass\n')
    assert sorted(what for _, what in _language_code_uses(tree)) == [
        "a table keyed by language", "compares a language code", "loops over language codes"]
