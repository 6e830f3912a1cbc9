"""The options of the CSV layout importers (``csv-long``, ``csv-wide``, ``csv-relationskort``).

[`layout_options`][relcoord.formats.csv.read_options.layout_options] declares them once, as
[`FormatOption`][relcoord.formats.format_option.FormatOption] objects (each layout's default
instrument differs); [`parse_read_options`][relcoord.formats.csv.read_options.parse_read_options]
checks the options a caller gave (a mapping, or strings from the command line's ``-I KEY=VALUE``)
and returns them as one [`ReadOptions`][relcoord.formats.csv.read_options.ReadOptions].  An unknown
option or a bad value raises [`InvalidInputError`][relcoord.errors.InvalidInputError] before any
file is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from relcoord.bounded_input import DEFAULT_MAX_CELL_BYTES, DEFAULT_MAX_COLUMNS
from relcoord.errors import InvalidInputError
from relcoord.formats.csv.answers import DEFAULT_MISSING
from relcoord.formats.csv.columns import item_index
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES
from relcoord.formats.format_option import (
    FormatOption,
    instrument,
    json_object,
    parse_options,
    single_character,
    text_list,
    true_or_false,
    whole_number,
)
from relcoord.instruments import INSTRUMENTS, Instrument
from relcoord.model import Metadata

__all__ = [
    "ENCODING",
    "MAX_BYTES",
    "MAX_CELL_BYTES",
    "MAX_COLUMNS",
    "VALUES",
    "ReadOptions",
    "layout_options",
    "parse_read_options",
]

#: How the answer cells are read (see
#: [`relcoord.formats.csv.answers`][relcoord.formats.csv.answers]).
VALUES: Final = FormatOption(
    "values", "what the answer cells hold: answer positions (the code of the answer ticked, "
    "as survey platforms export it) or scores (already scored, 5 = best); auto decides "
    "only where both readings give the same scores, or the value column is headed score",
    choices=("auto", "positions", "scores"), default="auto")
#: The encoding of a table.
ENCODING: Final = FormatOption(
    "encoding", "the file's encoding, e.g. cp1252", metavar="NAME",
    shown_default="UTF-8, else cp1252 with a warning")
#: The size guard of a table.
MAX_BYTES: Final = FormatOption(
    "max_bytes", "refuse files larger than this many bytes", parse=whole_number(1),
    default=DEFAULT_MAX_BYTES, metavar="BYTES", shown_default=f"{DEFAULT_MAX_BYTES} (2 GiB)")
#: The column guard of a table (checked at the header).
MAX_COLUMNS: Final = FormatOption(
    "max_columns", "refuse tables with more columns than this", parse=whole_number(1),
    default=DEFAULT_MAX_COLUMNS, metavar="N",
    shown_default=f"{DEFAULT_MAX_COLUMNS} (as many as a worksheet holds)")
#: The cell guard of a table.
MAX_CELL_BYTES: Final = FormatOption(
    "max_cell_bytes", "refuse a cell longer than this many bytes", parse=whole_number(1),
    default=DEFAULT_MAX_CELL_BYTES, metavar="BYTES",
    shown_default=f"{DEFAULT_MAX_CELL_BYTES} (1 MiB)")


def layout_options(default_instrument: str) -> tuple[FormatOption, ...]:
    """The options of a layout importer whose instrument is ``default_instrument`` unless
    the ``instrument`` option names another."""
    return (
        FormatOption("columns", "which header holds a field (respondent, source, target, "
                     "wave, item, value, rating); wins over the aliases", parse=json_object,
                     metavar='{"source": "Faggruppe"}'),
        FormatOption("items", "which header (wide) or item label (long) holds which item; "
                     "wins over the aliases", parse=json_object,
                     metavar='{"Q12": "frequent"}'),
        FormatOption("instrument", "the instrument (built-in id)", parse=instrument,
                     default=INSTRUMENTS[default_instrument],
                     metavar="|".join(sorted(INSTRUMENTS)),
                     shown_default="rc7; csv-relationskort: relationskort"),
        VALUES,
        FormatOption("missing", "cell texts read as a missing answer", parse=text_list,
                     default=DEFAULT_MISSING, metavar="A,B,...",
                     shown_default="empty, NA, N/A, NaN, '.', '-'"),
        FormatOption("delimiter", "the character between fields (or tab, semicolon, comma)",
                     parse=single_character, metavar="CHAR",
                     shown_default="sniffed from the first lines"),
        FormatOption("decimal", "the decimal mark", choices=("auto", ".", ","),
                     default="auto", shown_default="auto: ',' too with a ';' or tab delimiter"),
        ENCODING,
        MAX_BYTES,
        MAX_COLUMNS,
        MAX_CELL_BYTES,
        FormatOption("roles", "a roles table: id, name, organisation, present, name_<lang>",
                     metavar="PATH"),
        FormatOption("ties", "a table of named arrows: source, target, wave", metavar="PATH"),
        FormatOption("invitations", "an invitations table: source, target, topic, status, "
                     "wave", metavar="PATH"),
        FormatOption("study_id", "the study's id", shown_default="the file name without "
                     "extension"),
        FormatOption("title", "the study's title"),
        FormatOption("language", "the study's language (of its role names), e.g. da",
                     default="en", metavar="CODE"),
        FormatOption("rater_role", "the rater role of every row, for files without a rater "
                     "column"),
        FormatOption("target_role", "the target role of every row, for files without a "
                     "target column"),
        FormatOption("wave", "the wave of every row, for files without a wave column"),
        FormatOption("drop_empty", "drop ratings whose items are all missing",
                     parse=true_or_false, shown_default="true for csv-wide, else false",
                     metavar="true|false"),
    )


@attrs.frozen
class ReadOptions:
    """The options of a CSV importer, checked (see
    [`layout_options`][relcoord.formats.csv.read_options.layout_options]).

    ``name`` is the file the options are for (to locate problems).  ``delimiter`` and
    ``encoding`` are ``None`` when they are to be found from the file.
    """

    name: str
    columns: Mapping[str, str]
    items: Mapping[str, str]
    instrument: Instrument
    values: str
    missing: tuple[str, ...]
    delimiter: str | None
    decimal: str
    encoding: str | None
    max_bytes: int
    rater_role: str | None
    target_role: str | None
    wave: str | None
    drop_empty: bool | None
    roles: str | None = None
    ties: str | None = None
    invitations: str | None = None
    study_id: str | None = None
    title: str | None = None
    language: str = "en"
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES

    @property
    def constants(self) -> dict[str, str | None]:
        """The label a field has in every row when an option gives it (else ``None``)."""
        return {"source": self.rater_role, "target": self.target_role, "wave": self.wave}

    def item_index(self) -> dict[str, str]:
        """Normalised item label -> dimension key (see
        [`item_index`][relcoord.formats.csv.columns.item_index]), with the ``items`` option."""
        try:
            return item_index(self.instrument, self.items)
        except ValueError as exc:
            raise InvalidInputError(self.name, str(exc)) from None

    def metadata(self, path: Path) -> Metadata:
        """The study's metadata: the ``study_id`` (default: the file name without
        extension), ``title`` and ``language`` options."""
        stem = path.name.split(".")[0] or "study"
        return Metadata(id=self.study_id or stem, title=self.title or "",
                        language=self.language or "en")


def parse_read_options(format_id: str, path: Path, options: Mapping[str, Any],
                       default_instrument: str) -> ReadOptions:
    """Check the options of importer ``format_id`` for the file ``path``."""
    values = parse_options(format_id, options, layout_options(default_instrument))
    values["columns"] = values["columns"] or {}
    values["items"] = values["items"] or {}
    return ReadOptions(name=str(path), **values)

