"""The report model: sections and blocks a renderer draws, independent of any file format.

A [`Report`][relcoord.report_model.Report] holds a title, a short description of the study and a
tuple of [`Section`][relcoord.report_model.Section] objects, each holding blocks of four kinds:
[`Paragraph`][relcoord.report_model.Paragraph] (running text, already in the report's language),
[`BulletList`][relcoord.report_model.BulletList], [`Table`][relcoord.report_model.Table] (a header
and rows of *plain values* with a `ColumnKind` per column, so
that every renderer formats numbers the same way through
[`format_cell`][relcoord.report_model.format_cell]) and
[`PictureRef`][relcoord.report_model.PictureRef] (a reference, by name, to a picture of
[`relcoord.pictures.render_pictures`][relcoord.pictures.render.render_pictures]).

The model is filled by [`relcoord.report.build_report`][relcoord.report.build_report] and its
section builders (``relcoord.report_*``); it depends on none of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal, TypeAlias

import attrs

from relcoord import messages

__all__ = [
    "MISSING",
    "Block",
    "BulletList",
    "Cell",
    "ColumnKind",
    "Paragraph",
    "PictureRef",
    "Report",
    "Section",
    "Table",
    "format_cell",
]

#: A table cell: a plain value; ``None`` is a value that is missing (or withheld).
Cell: TypeAlias = str | int | float | bool | None
#: How a column's values are shown: ``text`` as is, ``int`` as a whole number, ``number``
#: with two decimals, ``percent`` (a share 0..1) as a whole percentage, ``bool`` as yes/no.
ColumnKind = Literal["text", "int", "number", "percent", "bool"]
_KINDS: Final = ("text", "int", "number", "percent", "bool")
#: What a renderer shows for a missing value.
MISSING: Final = "–"

# --- the model ---------------------------------------------------------------------------------


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen
class Paragraph:
    """Running text.  ``style`` is ``"body"``, ``"lead"`` (an opening sentence worth
    emphasis, e.g. a finding) or ``"note"`` (small print: how to read, caveats)."""

    text: str
    style: Literal["body", "lead", "note"] = "body"


@attrs.frozen
class BulletList:
    """A list of short items (e.g. the roles named but absent)."""

    items: tuple[str, ...] = attrs.field(converter=_strings)


def _check_table(instance: Table, attribute: attrs.Attribute[Any], value: Any) -> None:
    width = len(instance.header)
    if len(instance.kinds) != width:
        raise ValueError(f"table {instance.caption!r}: {len(instance.kinds)} kinds for "
                         f"{width} columns")
    for kind in instance.kinds:
        if kind not in _KINDS:
            raise ValueError(f"table {instance.caption!r}: unknown column kind {kind!r}")
    for number, row in enumerate(instance.rows, start=1):
        if len(row) != width:
            raise ValueError(f"table {instance.caption!r}: row {number} has {len(row)} cells "
                             f"for {width} columns")


def _rows(rows: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(row) for row in rows)


def _kinds(kinds: Iterable[ColumnKind]) -> tuple[ColumnKind, ...]:
    return tuple(kinds)


@attrs.frozen
class Table:
    """A table of plain values: ``header`` names the columns, ``kinds`` says how each is
    shown (see `ColumnKind` and
    [`format_cell`][relcoord.report_model.format_cell]), ``rows`` hold the values.

    ``caption`` says what the table shows; ``note`` (optional) how to read it.
    """

    caption: str
    header: tuple[str, ...] = attrs.field(converter=_strings)
    kinds: tuple[ColumnKind, ...] = attrs.field(converter=_kinds)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_rows, validator=_check_table)
    note: str = ""

    def column(self, name: str) -> tuple[Cell, ...]:
        """The values of the column headed ``name`` (`KeyError` when there is none)."""
        try:
            index = self.header.index(name)
        except ValueError:
            raise KeyError(f"table {self.caption!r} has no column {name!r}") from None
        return tuple(row[index] for row in self.rows)


@attrs.frozen
class PictureRef:
    """A picture, by its name in
    [`relcoord.pictures.render_pictures`][relcoord.pictures.render.render_pictures], with a caption
    and ``alt``, the text that stands for the picture where it cannot be seen (a screen reader, a
    text export): what it shows, in words and numbers."""

    name: str
    caption: str
    alt: str = ""


#: What a section holds, in reading order.
Block: TypeAlias = Paragraph | BulletList | Table | PictureRef


def _blocks(blocks: Iterable[Block]) -> tuple[Block, ...]:
    return tuple(blocks)


def _sections(sections: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(sections)


@attrs.frozen
class Section:
    """A titled part of the report: its blocks, then its subsections.

    ``id`` is stable across languages (``"findings"``, ``"method"``...), so that code can
    find a section whatever language the report is in.  ``new_page`` asks a paged renderer
    to start the section on a new page (a function group's page, the appendix).
    """

    id: str
    title: str
    blocks: tuple[Block, ...] = attrs.field(default=(), converter=_blocks)
    subsections: tuple[Section, ...] = attrs.field(default=(), converter=_sections)
    new_page: bool = False

    def walk(self, level: int = 1) -> Iterator[tuple[int, Section]]:
        """This section and every subsection, depth first, with its heading level."""
        yield level, self
        for sub in self.subsections:
            yield from sub.walk(level + 1)

    def tables(self) -> tuple[Table, ...]:
        """The tables of this section and its subsections, in reading order."""
        return tuple(b for _, s in self.walk() for b in s.blocks if isinstance(b, Table))


@attrs.frozen
class Report:
    """A complete report: ``title``, ``subtitle`` (the focal process), ``description``
    (what the study is), ``lang`` and ``sections`` in reading order.  ``contents`` says
    whether a paged renderer opens it with a table of contents (a sheet of one or two
    pages, such as a group's page, has none)."""

    title: str
    subtitle: str
    description: str
    lang: str
    sections: tuple[Section, ...] = attrs.field(converter=_sections)
    contents: bool = True

    def walk(self) -> Iterator[tuple[int, Section]]:
        """Every section and subsection, depth first, with its heading level (1 = top)."""
        for section in self.sections:
            yield from section.walk(1)

    def section(self, section_id: str) -> Section:
        """The (sub)section with ``section_id``; `KeyError` when there is none."""
        for _, section in self.walk():
            if section.id == section_id:
                return section
        raise KeyError(f"no section {section_id!r}")

    @property
    def picture_names(self) -> tuple[str, ...]:
        """The names of the pictures the report refers to, in reading order."""
        return tuple(
            b.name for _, s in self.walk() for b in s.blocks if isinstance(b, PictureRef)
        )

    def with_section(self, section: Section, *, after: str | None = None) -> Report:
        """A copy with ``section`` added at the end, or right after top-level ``after``."""
        if after is None:
            return attrs.evolve(self, sections=(*self.sections, section))
        ids = [s.id for s in self.sections]
        if after not in ids:
            raise KeyError(f"no top-level section {after!r}")
        at = ids.index(after) + 1
        return attrs.evolve(
            self, sections=(*self.sections[:at], section, *self.sections[at:])
        )


# --- formatting values --------------------------------------------------------------------------


def format_cell(value: Cell, kind: ColumnKind = "text", lang: str = "en") -> str:
    """A cell as text, the same way in every renderer.

    ``None`` (and NaN) is `MISSING`; ``number`` has two decimals,
    ``percent`` shows a share 0..1 as a whole percentage, ``bool`` is yes/no; numbers are written in
    the language's style ([`relcoord.messages.decimal`][relcoord.messages.locales.decimal],
    [`relcoord.messages.percent`][relcoord.messages.locales.percent]: a decimal comma and ``"42 %"``
    in Danish).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if kind == "bool" or isinstance(value, bool):
        return messages.text("bool.yes" if value else "bool.no", lang)
    if kind == "text" or isinstance(value, str):
        return str(value)
    if kind == "int":
        return str(round(value))
    if kind == "percent":
        return messages.percent(float(value), lang)
    return messages.decimal(float(value), lang)
