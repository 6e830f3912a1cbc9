"""Read a workbook into a study (format ``xlsx``): survey answers, relationskort arrows,
roles, named ties and invitations, each on a sheet of its own.

The answers sheet (option ``sheet``; by default the first sheet that is none of the sheets
below) holds the long layout, the wide layout or relationskort arrows, as a CSV file
would; its header decides which (the ``layout`` option settles it), as it does for a
``.csv`` file ([`header_layout`][relcoord.formats.csv.layout_detection.header_layout]).  Beside it,
found by their names in English or Danish (``workbook.sheet.*`` in the catalogue) or
named by an option:

``roles`` / ``roller``           id, name, organisation, present, ``name_<lang>``
``ties`` / ``pile``              source, target, wave (named arrows)
``invitations`` / ``invitationer`` / the balkort template's sheet
                                 source, target, topic, status, wave
``study`` / ``undersøgelse``     key, value: id, title, language, instrument ...

The results sheets this plugin writes (findings, tie matrix ...) are skipped, so a
results workbook reads back as the study's facts (roles, named ties, invitations), like a
folder of CSV results.  Each sheet becomes the CSV importers' table
(`relcoord_xlsx.sheets`), read by the CSV importers' own code with their column
aliases and options; problems are located at ``book.xlsx!Sheet!B12``.

What a workshop template adds (`relcoord_xlsx.template_workbook`): groups written by
their names rather than their ids (turned into ids through the roles sheet, noted) and
answers written as the instrument's answer labels in any language (turned into answer
positions, or scores with ``values=scores``, noted), invitation statuses in the
catalogue's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import polars as pl
from openpyxl.workbook.workbook import Workbook

from relcoord import messages
from relcoord.bounded_input import TableLimits
from relcoord.errors import InvalidInputError, Problem
from relcoord.formats.csv.columns import layout_columns, normalise
from relcoord.formats.csv.import_notes import note
from relcoord.formats.csv.layout_detection import Layout, header_layout
from relcoord.formats.csv.long_layout import LONG_FIELDS
from relcoord.formats.csv.read_options import ReadOptions, layout_options
from relcoord.formats.csv.records import (
    SideTables,
    read_invitations,
    read_roles,
    read_study_keys,
    read_ties,
)
from relcoord.formats.csv.study_assembly import build_study
from relcoord.formats.csv.table import raise_problems
from relcoord.formats.csv.table_study import table_study
from relcoord.formats.csv.wide_layout import WIDE_FIELDS
from relcoord.formats.format_option import FormatOption, instrument, parse_options
from relcoord.instruments import INSTRUMENTS, Instrument, get_instrument
from relcoord.model import INVITATION_STATUSES, Invitation, Metadata, NamedTie, Role, Study
from relcoord_xlsx.sheets import SheetTable, open_workbook, sheet_table

__all__ = ["LAYOUTS", "SIDE_SHEETS", "XLSX_READ_OPTIONS", "read_xlsx", "sheet_names"]

#: The layouts of an answers sheet (``auto``: its header decides).
LAYOUTS: Final = ("auto", "long", "wide", "relationskort")
#: The sheets beside the answers, by role: the catalogue keys of the names they go by.
SIDE_SHEETS: Final[Mapping[str, tuple[str, ...]]] = {
    "study": ("workbook.sheet.study",),
    "roles": ("workbook.sheet.roles",),
    "ties": ("workbook.sheet.ties",),
    "invitations": ("workbook.sheet.invitations", "workbook.sheet.balkort"),
}
#: Sheets that are never read: instructions, drop-down lists and the results sheets.
_SKIPPED: Final = ("workbook.sheet.instructions", "workbook.sheet.lists",
                   "workbook.sheet.overview", "workbook.sheet.findings",
                   "workbook.sheet.matrix", "workbook.sheet.groups",
                   "workbook.sheet.rated_ties", "workbook.sheet.reliability",
                   "workbook.sheet.method")
#: The CSV layout options an answers sheet takes as they are (declared once, there).
_SHARED: Final = ("columns", "items", "values", "missing", "max_bytes", "max_columns",
                  "max_cell_bytes", "study_id", "title", "rater_role", "target_role", "wave",
                  "drop_empty")


def _sheet_option(kind: str, names: str) -> FormatOption:
    return FormatOption(kind, f"the sheet holding the {kind}", metavar="SHEET",
                        shown_default=f"a sheet named {names}")


#: The options of the xlsx importer: which sheet is which, then the CSV layouts' own.
XLSX_READ_OPTIONS: Final = (
    FormatOption("sheet", "the sheet holding the answers or arrows", metavar="SHEET",
                 shown_default="the first sheet that is not a roles, ties, invitations, "
                 "study, instructions or results sheet"),
    FormatOption("layout", "the answers sheet's layout", choices=LAYOUTS, default="auto",
                 shown_default="auto: its header decides"),
    _sheet_option("roles", "roles or roller"),
    _sheet_option("ties", "ties or pile"),
    _sheet_option("invitations", "invitations, invitationer or Balkort"),
    FormatOption("instrument", "the instrument (built-in id)", parse=instrument,
                 metavar="|".join(sorted(INSTRUMENTS)),
                 shown_default="the study sheet's, else rc7 (relationskort for arrows)"),
    FormatOption("decimal", "the decimal mark of numbers stored as text", choices=(".", ","),
                 default="."),
    FormatOption("language", "the study's language (of its role names), e.g. da",
                 metavar="CODE", shown_default="the study sheet's, else en"),
    *(o for o in layout_options("rc7") if o.name in _SHARED),
)


def sheet_names(key: str) -> tuple[str, ...]:
    """The names a sheet goes by: the catalogue phrase ``key`` in every language."""
    return tuple(dict.fromkeys(messages.text(key, lang) for lang in messages.LANGUAGES))


def _find(book: Workbook, given: str | None, keys: Sequence[str], name: str, what: str
          ) -> str | None:
    """The sheet named by an option (which must exist) or going by one of ``keys``."""
    sheets: list[str] = list(book.sheetnames)
    if given is not None:
        if given not in sheets:
            raise InvalidInputError(f"{name}!{given}", (
                f"no such sheet for the {what} (option {what}); the workbook has "
                f"{', '.join(repr(s) for s in sheets)}"))
        return given
    wanted = {n.casefold() for k in keys for n in sheet_names(k)}
    return next((s for s in sheets if s.strip().casefold() in wanted), None)


def _answers_sheet(book: Workbook, given: str | None, taken: set[str], name: str
                   ) -> str | None:
    sheets: list[str] = list(book.sheetnames)
    if given is not None:
        if given not in sheets:
            raise InvalidInputError(f"{name}!{given}", (
                "no such sheet (option sheet); the workbook has "
                f"{', '.join(repr(s) for s in sheets)}"))
        return given
    skipped = {n.casefold() for k in _SKIPPED for n in sheet_names(k)}
    for sheet in sheets:
        if sheet in taken or sheet.strip().casefold() in skipped:
            continue
        if book[sheet].sheet_state != "visible":
            continue
        return sheet
    return None


def _statuses(table: SheetTable) -> SheetTable:
    """Invitation statuses written in the catalogue's words turned into status ids."""
    words = {messages.text(f"status.{s}", lang).casefold(): s
             for s in INVITATION_STATUSES for lang in messages.LANGUAGES}
    header = [normalise(h) for h in table.header]
    if "status" not in header:
        return table
    column = f"c{header.index('status')}"
    cells = table.frame.get_column(column)
    mapping = {v: words[v.strip().casefold()] for v in cells.unique().to_list()
               if v and v.strip().casefold() in words}
    if not mapping:
        return table
    frame = table.frame.with_columns(cells.replace(mapping).alias(column))
    return table.with_frame(frame)


def _role_ids(table: SheetTable, columns: Sequence[int], roles: Sequence[Role], lang: str
              ) -> SheetTable:
    """Groups written by name turned into their ids, noted.

    A form shows each group by its name in one language ([`Role.label`][relcoord.model.Role.label]),
    so a name is looked up language by language: the study's language ``lang`` first, then
    the other languages of the roles' names, then the plain names; the first language in
    which the name belongs to one group decides.  A name that no single language resolves is
    taken when it is a name of one group only (in any language).  So a form filled in Danish
    reads back even where a Danish name is another group's name in English."""
    ids = {r.id for r in roles}

    def unique(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        owners: dict[str, set[str]] = {}
        for label, role_id in pairs:
            owners.setdefault(label.strip(), set()).add(role_id)
        return {label: next(iter(who)) for label, who in owners.items()
                if len(who) == 1 and label not in ids and label}

    languages = [lang, *sorted({code for role in roles for code, _ in role.names} - {lang})]
    tiers = [unique((role.label(code), role.id) for role in roles) for code in languages]
    tiers.append(unique((role.name, role.id) for role in roles))
    tiers.append(unique((label, role.id) for role in roles
                        for label in (role.name, *(n for _, n in role.names))))
    mapping_all: dict[str, str] = {}
    for tier in reversed(tiers):  # the earlier tiers win
        mapping_all.update(tier)
    frame = table.frame
    changed = False
    for index in columns:
        cells = frame.get_column(f"c{index}")
        mapping = {v: mapping_all[v.strip()] for v in cells.unique().to_list()
                   if v and v not in ids and v.strip() in mapping_all}
        if mapping:
            frame = frame.with_columns(cells.replace(mapping).alias(f"c{index}"))
            changed = True
    if not changed:
        return table
    note(table.name, "workbook.note.role_names")
    return table.with_frame(frame)


def _label_scores(instrument: Instrument, key: str, kind: str) -> dict[str, str]:
    """Normalised answer label (any language) -> the position (or score) as text."""
    dimension = instrument.dimension(key)
    out: dict[str, str] = {}
    for labels in dimension.answers.values():
        for position, label in enumerate(labels, start=1):
            value = (dimension.scoring[position - 1] if kind == "scores" else position)
            out.setdefault(normalise(label), f"{value:g}")
    return out


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _answer_labels(table: SheetTable, opts: ReadOptions, layout: Layout
                   ) -> tuple[SheetTable, bool]:
    """Answers written as the instrument's labels turned into positions (scores with
    ``values=scores``); whether any was."""
    kind = "scores" if opts.values == "scores" else "positions"
    frame = table.frame
    changed = False
    if layout == "long":
        pos, _ = layout_columns(table.header, table.name, LONG_FIELDS, columns=opts.columns,
                                constants=opts.constants)
        if "item" not in pos or "value" not in pos:
            return table, False
        index = opts.item_index()
        items, values = f"c{pos['item']}", f"c{pos['value']}"
        pairs = frame.select(items, values).unique().rows()
        mapping: dict[tuple[str, str], str] = {}
        for item, value in pairs:
            key = index.get(normalise(item or ""))
            if key is None or not value or _is_number(value):
                continue
            found = _label_scores(opts.instrument, key, kind).get(normalise(value))
            if found is not None:
                mapping[(item, value)] = found
        if mapping:
            joined = pl.DataFrame(
                {items: [k[0] for k in mapping], values: [k[1] for k in mapping],
                 "_new": list(mapping.values())}, schema={items: pl.String, values: pl.String,
                                                          "_new": pl.String})
            frame = frame.join(joined, on=[items, values], how="left", maintain_order="left")
            frame = frame.with_columns(pl.coalesce("_new", values).alias(values)).drop("_new")
            changed = True
    else:
        index = opts.item_index()
        for i, header in enumerate(table.header):
            key = index.get(normalise(header))
            if key is None:
                continue
            labels = _label_scores(opts.instrument, key, kind)
            cells = frame.get_column(f"c{i}")
            mapping_cells = {v: labels[normalise(v)] for v in cells.unique().to_list()
                             if v and not _is_number(v) and normalise(v) in labels}
            if mapping_cells:
                frame = frame.with_columns(cells.replace(mapping_cells).alias(f"c{i}"))
                changed = True
    if not changed:
        return table, False
    note(table.name, "workbook.note.answer_labels", kind=kind)
    return table.with_frame(frame), True


def _label_columns(table: SheetTable, opts: ReadOptions, layout: Layout) -> list[int]:
    fields = LONG_FIELDS if layout == "long" else WIDE_FIELDS
    pos, _ = layout_columns(table.header, table.name, fields, columns=opts.columns,
                            constants=opts.constants)
    return [pos[f] for f in ("source", "target") if f in pos]


def _side_tables(book: Workbook, name: str, sheets: Mapping[str, str | None], decimal: str,
                 limits: TableLimits, lang: str) -> SideTables:
    problems: list[Problem] = []
    roles: list[Role] | None = None
    roles_name = ""
    ties: list[NamedTie] = []
    invitations: list[Invitation] = []
    if sheets["roles"] is not None:
        table = sheet_table(book, name, sheets["roles"], decimal=decimal, limits=limits)
        roles_name = table.name
        roles, found = read_roles(table)
        problems += found
    raise_problems(problems)
    if sheets["ties"] is not None:
        table = sheet_table(book, name, sheets["ties"], decimal=decimal, limits=limits)
        if roles:
            table = _role_ids(table, _header_fields(table, ("source", "target")), roles, lang)
        ties, found = read_ties(table)
        problems += found
    if sheets["invitations"] is not None:
        table = _statuses(sheet_table(book, name, sheets["invitations"], decimal=decimal,
                                      limits=limits))
        if roles:
            table = _role_ids(table, _header_fields(table, ("source", "target")), roles, lang)
        invitations, found = read_invitations(table)
        problems += found
    raise_problems(problems)
    return SideTables(roles=roles, roles_name=roles_name, ties=ties, invitations=invitations)


def _header_fields(table: SheetTable, fields: Sequence[str]) -> list[int]:
    pos, _ = layout_columns(table.header, table.name, fields, columns={},
                            constants={})
    return list(pos.values())


def _study_keys(book: Workbook, name: str, sheet: str | None, limits: TableLimits
                ) -> dict[str, str]:
    if sheet is None:
        return {}
    keys, problems = read_study_keys(sheet_table(book, name, sheet, limits=limits))
    raise_problems(problems)
    return keys


def _instrument(values: Mapping[str, Any], keys: Mapping[str, str], where: str
                ) -> Instrument | None:
    if values["instrument"] is not None:
        chosen: Instrument = values["instrument"]
        return chosen
    wanted = keys.get("instrument")
    if not wanted:
        return None
    if wanted.startswith("custom:"):
        raise InvalidInputError(where, (
            f"the study uses a custom instrument ({wanted[7:]!r}), which a workbook cannot "
            "carry; pass it with the instrument option"))
    try:
        return get_instrument(wanted)
    except KeyError as error:
        raise InvalidInputError(where, str(error.args[0])) from None


def _metadata(values: Mapping[str, Any], keys: Mapping[str, str], path: Path) -> Metadata:
    return Metadata(
        id=values["study_id"] or keys.get("id") or path.name.split(".")[0] or "study",
        title=values["title"] or keys.get("title", ""),
        focal_process=keys.get("focal_process", ""),
        language=values["language"] or keys.get("language") or "en",
        description=keys.get("description", ""),
    )


def read_xlsx(path: Path, options: Mapping[str, Any]) -> Study:
    """Read a workbook (format ``xlsx``; see the module docstring and
    `XLSX_READ_OPTIONS`)."""
    path = Path(path)
    values = parse_options("xlsx", options, XLSX_READ_OPTIONS)
    name = str(path)
    with open_workbook(path, values["max_bytes"]) as book:
        sheets = {kind: _find(book, values.get(kind), keys, name, kind)
                  for kind, keys in SIDE_SHEETS.items()}
        for kind, sheet in sheets.items():  # the answers sheet named outright is not also
            if sheet is not None and sheet == values["sheet"] and values.get(kind) is None:
                sheets[kind] = None  # a side sheet found by its name ("Pile")
        limits = TableLimits(values["max_columns"], values["max_cell_bytes"])
        keys = _study_keys(book, name, sheets["study"], limits)
        if keys.get("relcoord", "1") != "1":
            raise InvalidInputError(f"{name}!{sheets['study']}",
                                    f"table format version {keys['relcoord']!r} is not 1")
        metadata = _metadata(values, keys, path)
        side = _side_tables(book, name, sheets, values["decimal"], limits, metadata.language)
        given = _instrument(values, keys, f"{name}!{sheets['study']}")
        answers = _answers_sheet(book, values["sheet"], {s for s in sheets.values() if s},
                                 name)
        if answers is None:
            return build_study(name=name, instrument=given or INSTRUMENTS["rc7"],
                               metadata=metadata, ratings=None, side=side,
                               start=name)
        table = sheet_table(book, name, answers, decimal=values["decimal"], limits=limits)
    return _read_answers(table, values, given, metadata, side)


def _read_answers(table: SheetTable, values: Mapping[str, Any], given: Instrument | None,
                  metadata: Metadata, side: SideTables) -> Study:
    """The study of an answers sheet and the tables beside it."""
    layout: Layout | None = None if values["layout"] == "auto" else values["layout"]
    columns: Mapping[str, str] = values["columns"] or {}
    items: Mapping[str, str] = values["items"] or {}
    if layout is None:
        probe = given or INSTRUMENTS["rc7"]
        layout, _ = header_layout(table.header, probe, columns=columns, items=items)
        if layout is None:
            layout = "long"  # the long layout's importer says what is missing
        note(table.name, "workbook.note.layout", layout=layout)
    instrument = given or INSTRUMENTS["relationskort" if layout == "relationskort" else "rc7"]
    opts = ReadOptions(
        name=table.name, columns=columns, items=items, instrument=instrument,
        values=values["values"], missing=values["missing"], delimiter=",",
        decimal=values["decimal"], encoding=None, max_bytes=values["max_bytes"],
        max_columns=values["max_columns"], max_cell_bytes=values["max_cell_bytes"],
        rater_role=values["rater_role"], target_role=values["target_role"],
        wave=values["wave"], drop_empty=values["drop_empty"], study_id=values["study_id"],
        title=values["title"], language=metadata.language)
    if side.roles:
        table = _role_ids(table, _label_columns(table, opts, layout), side.roles,
                          metadata.language)
    table, labelled = _answer_labels(table, opts, layout)
    if labelled and opts.values == "auto":
        opts = attrs.evolve(opts, values="positions")
    return table_study(table, layout, opts, side, name=table.name, metadata=metadata)
