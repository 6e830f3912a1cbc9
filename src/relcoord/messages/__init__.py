"""The message catalogue: every user-facing phrase, in each language side by side.

Each entry is a [`Message`][relcoord.messages.message.Message] whose fields are the languages of
`LANGUAGES`, so a third language is one more field (mypy then
names every entry that lacks it), one more value of `Language`
and one more Babel locale in `relcoord.messages.locales`. Keys are
dotted, the first part naming what the phrase serves: a term that every output shares (``band.``,
``status.``, ``organisation.``, ``sub_index.``, ``scope.``..., `terms`),
the report (``report.``, ``docx.``; the group pages and the contact guide in
`report_groups`, how the report frames its results in
`report_reading`), the findings (``finding.``), the pictures
(``picture.``), the interactive HTML page (``html.``), the notebook summaries (``notebook.``), the
command line (``analysis_text.``, ``cli.demo.``), reading and writing study data (``reading.``,
``study_data.``; labelled data files such as SPSS's: ``labelled.``; partitioned data, the Parquet
plugin's: ``parquet.``, `partitioned_data`) or spreadsheets and workshop templates
(``workbook.``, `workbook`).  The entries live in one module
per part, assembled here into `CATALOGUE`; a key held by two parts is
an error on import.

A phrase may hold ``str.format`` fields (``{k}``); every language of one entry holds the
same fields, which the test suite checks.  A key that is not in the catalogue is an error
([`UnknownMessageError`][relcoord.messages.message.UnknownMessageError]), never shown as it is, so a
missing phrase cannot leak a key or an English word into a Danish output.  No module outside this
package holds a phrase or compares a language code (``tests/test_messages.py`` parses the sources to
check); the one exception is [`relcoord.instruments`][relcoord.instruments], whose item names and
answer labels per language belong to each instrument, as an inline instrument in a study file brings
its own.

Numbers and lists are written with Babel (CLDR's rules for each language):
[`decimal`][relcoord.messages.locales.decimal] gives a decimal comma in Danish,
[`percent`][relcoord.messages.locales.percent] gives ``80 %`` in Danish (with a no-break space) and
``80%`` in English, [`join`][relcoord.messages.locales.join] gives ``a, b og c``.

Why a typed Python module and not gettext catalogues: the catalogue is small (hundreds of
phrases), reviewed side by side by people who write both languages, and checked by mypy and
a test on every build; gettext's per-language ``.po`` files would separate the languages a
reviewer compares and need a compile step, for tooling (translation platforms) this project
does not use.  Moving to gettext later is mechanical: each entry is a msgid with one msgstr
per field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import Final

from relcoord.messages import (
    command_line,
    findings,
    html_page,
    labelled_files,
    notebook,
    partitioned_data,
    pictures,
    reading,
    report,
    report_groups,
    report_reading,
    report_sections,
    terms,
    workbook,
)
from relcoord.messages.locales import (
    decimal,
    decimal_symbol,
    join,
    language_tag,
    percent,
    sort_key,
)
from relcoord.messages.message import (
    LANGUAGES,
    Language,
    Message,
    UnknownMessageError,
    check_language,
    fields_of,
)

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "Language",
    "Message",
    "UnknownMessageError",
    "capital",
    "decimal",
    "decimal_symbol",
    "fields_of",
    "join",
    "language_tag",
    "percent",
    "section",
    "sort_key",
    "text",
]


def _assemble(*parts: Mapping[str, Message]) -> Mapping[str, Message]:
    entries: dict[str, Message] = {}
    for part in parts:
        twice = entries.keys() & part.keys()
        if twice:
            raise ValueError(f"catalogue keys held twice: {', '.join(sorted(twice))}")
        entries.update(part)
    return MappingProxyType(entries)


#: Every message, by key.
CATALOGUE: Final[Mapping[str, Message]] = _assemble(  # one part per line
    terms.ENTRIES,
    report.ENTRIES,
    report_sections.ENTRIES,
    report_groups.ENTRIES,
    report_reading.ENTRIES,
    findings.ENTRIES,
    pictures.ENTRIES,
    command_line.ENTRIES,
    reading.ENTRIES,
    labelled_files.ENTRIES,
    partitioned_data.ENTRIES,
    notebook.ENTRIES,
    workbook.ENTRIES,
    html_page.ENTRIES,
)


def text(key: str, lang: str, **fields: object) -> str:
    """The phrase ``key`` in ``lang``, with ``fields`` filled in when any are given."""
    try:
        message = CATALOGUE[key]
    except KeyError:
        raise UnknownMessageError(f"no message {key!r} in the catalogue") from None
    phrase = message.in_language(lang)
    return phrase.format(**fields) if fields else phrase


def capital(phrase: str) -> str:
    """``phrase`` with its first letter in upper case, for a heading or a table cell
    (``ubesvaret`` -> ``Ubesvaret``); the rest is left as it is."""
    return phrase[:1].upper() + phrase[1:]


class _Section(Mapping[str, str]):
    """The phrases under one prefix in one language; a missing one is an error naming its
    whole key."""

    def __init__(self, prefix: str, phrases: Mapping[str, str]) -> None:
        self._prefix = prefix
        self._phrases = phrases

    def __getitem__(self, key: str) -> str:
        try:
            return self._phrases[key]
        except KeyError:
            whole = f"{self._prefix}.{key}"
            raise UnknownMessageError(f"no message {whole!r} in the catalogue") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._phrases)

    def __len__(self) -> int:
        return len(self._phrases)


@cache
def section(prefix: str, lang: str) -> Mapping[str, str]:
    """Every phrase whose key starts with ``prefix + "."``, by the rest of its key, in
    ``lang`` (fields not filled in); looking up a phrase it lacks raises
    [`UnknownMessageError`][relcoord.messages.message.UnknownMessageError]."""
    check_language(lang)
    start = prefix + "."
    found = {key[len(start):]: message.in_language(lang)
             for key, message in CATALOGUE.items() if key.startswith(start)}
    if not found:
        raise UnknownMessageError(f"no messages under {prefix!r} in the catalogue")
    return _Section(prefix, MappingProxyType(found))
