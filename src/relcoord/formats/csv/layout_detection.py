"""Which CSV layout a file's header fits: long, wide or relationskort.

A ``.csv`` file may hold any of the three layouts, so its header decides
([`header_layout`][relcoord.formats.csv.layout_detection.header_layout]): an item column and an
answer column make the long layout (one row per answer); item columns (``RC1_COM``, ``Hyppig``,
``frequent`` ...) make the wide layout, or the relationskort layout when they are only a
relationship map's four communication items and there is no respondent column.
[`detect_layout`][relcoord.formats.csv.layout_detection.detect_layout] is the ``csv-long`` format's
``detect`` function: the plugin host asks it which format reads a ``.csv`` file whose format was not
named, and it notes the choice ([`ImportNote`][relcoord.errors.ImportNote]).  When a layout's
columns are missing, [`layout_hint`][relcoord.formats.csv.layout_detection.layout_hint] suggests the
layout the header fits.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from relcoord import messages
from relcoord.errors import InvalidInputError, Problem
from relcoord.formats.csv.columns import FIELD_ALIASES, item_index, normalise
from relcoord.formats.csv.dialect import sniff_delimiter
from relcoord.formats.csv.import_notes import note
from relcoord.formats.format_option import instrument as parse_instrument
from relcoord.formats.format_option import json_object
from relcoord.instruments import Instrument, get_instrument
from relcoord.messages.reading import LANGUAGE

if TYPE_CHECKING:
    from relcoord.formats.csv.table import Table

__all__ = ["LAYOUT_FORMATS", "Layout", "detect_layout", "header_layout", "layout_hint"]

Layout = Literal["long", "wide", "relationskort"]
#: The format that reads each layout.
LAYOUT_FORMATS: Final[Mapping[Layout, str]] = {
    "long": "csv-long", "wide": "csv-wide", "relationskort": "csv-relationskort"}
_HEAD_BYTES: Final = 1 << 16


def _has(field: str, normalised: set[str], columns: Mapping[str, str]) -> bool:
    if field in columns:
        return True
    return any(normalise(a) in normalised for a in FIELD_ALIASES[field])


def header_layout(header: Sequence[str], instrument: Instrument, *,
                  columns: Mapping[str, str] | None = None,
                  items: Mapping[str, str] | None = None
                  ) -> tuple[Layout | None, tuple[str, ...]]:
    """The layout ``header`` fits (``None``: none) and the item columns it holds.

    ``columns`` and ``items`` are the options of that name, which may name the columns.
    """
    columns = columns or {}
    normalised = {normalise(h) for h in header}
    if _has("item", normalised, columns) and _has("value", normalised, columns):
        return "long", ()
    try:
        index = item_index(instrument, items)
    except ValueError:
        index = item_index(instrument)
    found = tuple(h for h in header if normalise(h) in index)
    if not found:
        return None, ()
    keys = {index[normalise(h)] for h in found}
    communication = set(instrument.keys_of("communication"))
    if keys <= communication and not _has("respondent", normalised, columns):
        return "relationskort", found
    return "wide", found


def _header(path: Path, options: Mapping[str, Any]) -> list[str] | None:
    """The header cells of ``path``, or ``None`` when they cannot be read (the importer
    then reports why)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    head = head.removeprefix(codecs.BOM_UTF8)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # a character cut at the end of the sample, or a legacy encoding (no warning here:
        # the importer warns when it reads the file)
        cut = error.start >= len(head) - 3
        text = head.decode("utf-8", errors="ignore") if cut else head.decode("cp1252",
                                                                              "replace")
    first = text.split("\n", 1)[0].rstrip("\r")
    try:
        delimiter = sniff_delimiter(text.encode("utf-8"), str(path),
                                    options.get("delimiter"))
    except InvalidInputError:
        return None
    return next(csv.reader(io.StringIO(first), delimiter=delimiter), None)


def _option(options: Mapping[str, Any], key: str) -> Any:
    try:
        if key == "instrument":
            given = options.get(key)
            return get_instrument("rc7") if given is None else parse_instrument(given)
        return json_object(options[key]) if options.get(key) is not None else {}
    except ValueError:
        return None  # the importer reports a bad option


def detect_layout(path: Path, options: Mapping[str, Any]) -> str | None:
    """The CSV format whose layout ``path``'s header fits (see
    [`header_layout`][relcoord.formats.csv.layout_detection.header_layout]), noted as an
    [`ImportNote`][relcoord.errors.ImportNote]; ``None`` when the header cannot be read (the long
    layout's importer then says why)."""
    header = _header(path, options)
    instrument, columns, items = (_option(options, k) for k in ("instrument", "columns",
                                                                "items"))
    if not header or instrument is None or columns is None or items is None:
        return None
    layout, found = header_layout(header, instrument, columns=columns, items=items)
    shown = ", ".join(found[:4]) + (", ..." if len(found) > 4 else "")
    why = messages.text(f"reading.why.{layout or 'default'}", LANGUAGE, items=shown)
    chosen = LAYOUT_FORMATS[layout or "long"]
    note(str(path), "reading.note.layout", format=chosen, why=why)
    return chosen


def layout_hint(table: Table, instrument: Instrument, reading: Layout, *,
                columns: Mapping[str, str], items: Mapping[str, str]) -> list[Problem]:
    """A problem suggesting another layout, when ``table``'s header fits one better than
    ``reading`` (the layout that failed to find its columns).

    It is located at the header as a whole
    ([`header_location`][relcoord.formats.csv.table.Table.header_location], ``file:1:1`` in a CSV
    file) and says how to read the other layout: the table's own setting
    ([`layout_setting`][relcoord.formats.csv.table.Table.layout_setting]: a worksheet's or an SPSS
    file's ``layout`` option), else the CSV format that reads it (``--from csv-wide``).
    """
    layout, _ = header_layout(table.header, instrument, columns=columns, items=items)
    if layout is None or layout == reading:
        return []
    how = table.layout_setting(layout) or f"--from {LAYOUT_FORMATS[layout]}"
    return [Problem(table.header_location(None), messages.text(
        "reading.hint.layout", LANGUAGE, layout=messages.text(f"reading.layout.{layout}",
                                                              LANGUAGE),
        setting=how))]
