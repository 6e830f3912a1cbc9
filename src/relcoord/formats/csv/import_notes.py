"""What a CSV importer says about its guesses: one note per guess, a warning for doubtful input.

No guess goes unsaid (``docs/csv.md``): how a file's fields are separated and its decimal
mark ([`note_dialect`][relcoord.formats.csv.import_notes.note_dialect]), which column holds which
field ([`note_columns`][relcoord.formats.csv.import_notes.note_columns]) and which item
([`note_items`][relcoord.formats.csv.import_notes.note_items]), and how the answers are read when
their header decides ([`note_values`][relcoord.formats.csv.import_notes.note_values]).  Each is an
[`ImportNote`][relcoord.errors.ImportNote] at the file that names the option settling the guess; the
command line prints it as ``note: FILE: ...``.  A column the importer ignores is an
[`InputWarning`][relcoord.errors.InputWarning]
([`warn_ignored`][relcoord.formats.csv.import_notes.warn_ignored],
[`warn_ignored_columns`][relcoord.formats.csv.import_notes.warn_ignored_columns]).  A library caller
filters or records both with `warnings`.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Collection, Mapping, Sequence
from typing import Final

from relcoord import messages
from relcoord.errors import ImportNote, InputWarning
from relcoord.formats.csv.columns import normalise
from relcoord.formats.csv.dialect import delimiter_name
from relcoord.formats.csv.table import Table
from relcoord.messages.reading import LANGUAGE

__all__ = [
    "note",
    "note_columns",
    "note_dialect",
    "note_items",
    "note_values",
    "option_text",
    "warn_ignored",
    "warn_ignored_columns",
]

#: How a delimiter is typed after ``-I delimiter=`` in a shell.
_TYPED: Final = {"\t": "tab", ",": ",", ";": "';'", "|": "'|'", " ": "space"}


def note(location: str, key: str, **fields: object) -> None:
    """Report a guess: the catalogue's phrase ``key`` as an
    [`ImportNote`][relcoord.errors.ImportNote]."""
    warnings.warn(ImportNote(location, messages.text(key, LANGUAGE, **fields)), stacklevel=3)


def option_text(delimiter: str) -> str:
    """How ``delimiter`` is typed on the command line (``';'``, ``tab``)."""
    return _TYPED.get(delimiter, repr(delimiter))


def note_dialect(table: Table, *, settled_by_option: bool = True) -> None:
    """Note the delimiter (and a decimal comma) when they were sniffed, not given.

    ``settled_by_option`` is false for a table beside the ratings (roles, ties,
    invitations), whose dialect is sniffed on its own: no option settles it.
    """
    dialect = table.dialect
    if not dialect.sniffed or len(table.header) < 2:
        return
    decimal = (messages.text("reading.note.decimal_comma", LANGUAGE)
               if dialect.decimal_guessed and dialect.decimal == "," else "")
    key = "reading.note.dialect" if settled_by_option else "reading.note.table_dialect"
    note(table.name, key, delimiter=delimiter_name(dialect.delimiter), decimal=decimal,
         option=option_text(dialect.delimiter))


def _mapping(pairs: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in pairs)


def note_columns(table: Table, positions: Mapping[str, int], named: Collection[str] | None
                 ) -> None:
    """Note the fields found through an alias (a header that is not the field's name and
    that the ``columns`` option did not name).  ``named`` is ``None`` for a table that the
    ``columns`` option does not reach (roles, ties, invitations): the note then says to head
    the columns with the fields' names."""
    ordered = sorted(positions.items(), key=lambda item: item[1])  # as the header has them
    guessed = [(field, table.header[i]) for field, i in ordered
               if field not in (named or ()) and normalise(table.header[i]) != field]
    if not guessed:
        return
    if named is None:
        note(table.name, "reading.note.table_columns", mapping=_mapping(guessed),
             fields=", ".join(field for field, _ in guessed))
        return
    every = {field: table.header[i] for field, i in ordered}
    note(table.name, "reading.note.columns", mapping=_mapping(guessed),
         json=json.dumps(every, ensure_ascii=False))


def note_items(table: Table, item_columns: Mapping[str, int], named: Collection[str]) -> None:
    """Note the item columns found through an alias (``RC1_COM``, ``Hyppig`` ...)."""
    guessed = [(table.header[i], key) for key, i in item_columns.items()
               if normalise(table.header[i]) not in named and normalise(table.header[i]) != key]
    if not guessed:
        return
    every = {table.header[i]: key for key, i in item_columns.items()}
    note(table.name, "reading.note.items",
         mapping=", ".join(f"{header!r}={key}" for header, key in guessed),
         json=json.dumps(every, ensure_ascii=False))


def note_values(table: Table, kind: str, header: str) -> None:
    """Note that the answers are read as ``kind`` because their column is headed so."""
    note(table.name, "reading.note.values", kind=kind, header=repr(header))


def warn_ignored(table: Table, used: Collection[int], instrument_id: str) -> None:
    """Warn about the columns that are neither a field nor an item (they are not read)."""
    ignored = [repr(h) for i, h in enumerate(table.header) if i not in used and h]
    if ignored:
        warnings.warn(InputWarning(table.name, messages.text(
            "reading.warning.ignored", LANGUAGE, columns=", ".join(ignored),
            instrument=repr(instrument_id))), stacklevel=3)


def warn_ignored_columns(table: Table, used: Collection[int], kind: str) -> None:
    """Warn about the columns of a roles, ties or invitations table (``kind``) that are not
    read."""
    ignored = [repr(h) for i, h in enumerate(table.header) if i not in used and h]
    if ignored:
        warnings.warn(InputWarning(table.name, messages.text(
            "reading.warning.ignored_table", LANGUAGE, columns=", ".join(ignored),
            table=messages.text(f"reading.table.{kind}", LANGUAGE))), stacklevel=3)
