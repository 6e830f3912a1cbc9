"""Which column holds what: header aliases for fields and survey items, and their overrides.

Headers are matched after *normalising*: case folded, surrounding space dropped, and runs
of space, ``_``, ``-`` and ``.`` read as one space, so ``Target_Role``, ``target role`` and
``TARGET-ROLE`` are the same header.  The ``columns`` option names the header of a field
outright (``{"respondent": "RespID"}``) and wins over the aliases; the ``items`` option maps
headers (wide layouts) or item labels (long layouts) to dimension keys
(``{"Q12": "frequent"}``) and wins over the item aliases.

Item aliases cover the dimension keys, the RC Survey's numbered items (``RC1_COM`` ...
``RC7_REL``, ``rc1`` ... ``rc7``), the instrument's own item names in every language it has,
and the short Danish, English and German labels used in practice (``Hyppig``,
``Rettidig``, ``Præcis``, ``Problemløsende``, ``Fælles mål``, ``Fælles viden``, ``Gensidig
respekt``; the documentation's CSV page, ``docs/csv.md``, lists them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final, TypeAlias

import attrs

from relcoord.errors import Problem
from relcoord.instruments import DIMENSION_KEYS, Instrument

__all__ = [
    "FIELD_ALIASES",
    "ITEM_ALIASES",
    "ColumnSpec",
    "HeaderLocator",
    "header_locator",
    "item_index",
    "layout_columns",
    "normalise",
    "resolve_columns",
]

#: Where a header cell is, by its 0-based column (``None``: the header as a whole).
HeaderLocator: TypeAlias = Callable[[int | None], str]

_SEPARATORS: Final = re.compile(r"[\s_\-.]+")


def normalise(header: str) -> str:
    """A header in the form aliases are compared in (case folded, separators as one space)."""
    return _SEPARATORS.sub(" ", header.strip().lstrip("\ufeff").casefold()).strip()


#: Aliases of every field a CSV importer knows, by field name (normalised on use): the
#: headers of English, Danish and German survey exports and workshop sheets.
FIELD_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "respondent": ("respondent", "respondent id", "respondentid", "resp id", "person",
                   "person id", "participant", "participant id", "response id",
                   "responseid", "respondent nr", "respondent nummer", "respondentnummer",
                   "besvarelse", "besvarelse id", "deltager", "deltager id", "deltagernummer",
                   "deltager nr", "teilnehmer", "teilnehmer id", "teilnehmernummer",
                   "befragte", "befragten id"),
    "source": ("source", "rater role", "rater", "role", "rater group", "group", "from",
               "source role", "source group", "own role", "own group", "your role",
               "professional group", "profession", "work group", "rolle", "egen rolle",
               "gruppe", "fra", "fra gruppe", "faggruppe", "din faggruppe", "egen faggruppe",
               "funktionsgruppe", "din funktionsgruppe", "egen funktionsgruppe",
               "berufsgruppe", "eigene berufsgruppe", "eigene gruppe", "funktion"),
    "target": ("target", "target role", "target group", "rated role", "rated group", "about",
               "to", "partner", "other group", "til", "til gruppe", "målgruppe", "om",
               "vurderet faggruppe", "vurderet gruppe", "vurderet funktionsgruppe",
               "vurderet rolle", "om faggruppe", "bewertete berufsgruppe", "bewertete gruppe",
               "bewertete funktion", "zielgruppe", "andere berufsgruppe"),
    "wave": ("wave", "round", "time", "period", "conference", "survey round", "time point",
             "runde", "konference", "bølge", "tidspunkt", "måling", "måletidspunkt",
             "målerunde", "welle", "erhebung", "erhebungswelle", "messzeitpunkt",
             "zeitpunkt"),
    "item": ("item", "dimension", "question", "question id", "spørgsmål", "frage",
             "dimension key"),
    "value": ("answer", "position", "response", "value", "score", "scored", "scores",
              "answer position", "answer code", "response code", "point", "points", "svar",
              "værdi", "svarværdi", "svarnummer", "svarkode", "antwort", "wert",
              "antwortcode", "antwortposition", "punkte"),
    "rating": ("rating", "rating id", "rating nr"),
    "id": ("id", "role id", "key", "code", "kode", "rolle id", "gruppe id"),
    "name": ("name", "navn", "label", "title", "betegnelse", "bezeichnung"),
    "organisation": ("organisation", "organization", "org", "organisation id",
                     "organisasjon", "sector", "sektor", "forvaltning", "träger"),
    "present": ("present", "tilstede", "til stede", "attended", "deltog", "deltaget",
                "anwesend", "teilgenommen"),
    "role": ("role", "role id", "rolle", "group", "faggruppe", "funktionsgruppe",
             "berufsgruppe"),
    "topic": ("topic", "emne", "subject", "theme", "tema", "thema"),
    "status": ("status", "state"),
    "key": ("key", "field", "felt"),
}

_SHORT_LABELS: Final[Mapping[str, tuple[str, ...]]] = {
    "frequent": ("frequent", "frequency", "hyppig", "hyppighed", "häufig", "häufigkeit",
                 "tilstrækkelig hyppig"),
    "timely": ("timely", "timeliness", "rettidig", "rechtzeitig", "zeitpunkt"),
    "accurate": ("accurate", "accuracy", "præcis", "forståelig", "forståelig og præcis",
                 "præcis og forståelig", "präzise", "präzision"),
    "problem_solving": ("problem solving", "problemsolving", "problemløsende",
                        "problemlösend", "problemlösende", "problemlösung"),
    "shared_goals": ("shared goals", "goals", "fælles mål", "gemeinsame ziele", "ziele",
                     "ziele teilen"),
    "shared_knowledge": ("shared knowledge", "knowledge", "fælles viden", "geteiltes wissen",
                         "wissen"),
    "mutual_respect": ("mutual respect", "respect", "gensidig respekt",
                       "gegenseitiger respekt", "respekt"),
}


def _numbered(index: int, key: str) -> tuple[str, ...]:
    part = "com" if index <= 4 else "rel"
    return (f"rc{index}", f"rc{index} {part}", f"rc {index}", f"item {index}", f"item{index}")


#: Item aliases by dimension key (normalised), beside the instrument's own item names.
ITEM_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    key: (key, *_SHORT_LABELS[key], *_numbered(i, key))
    for i, key in enumerate(DIMENSION_KEYS, start=1)
}


def item_index(instrument: Instrument, items: Mapping[str, str] | None = None
               ) -> dict[str, str]:
    """Normalised item label -> dimension key for ``instrument``.

    Holds the aliases of the instrument's dimensions (its keys, numbered items, short
    labels and its item names in every language), then ``items`` (label -> key), which
    override them.  A key in ``items`` the instrument lacks raises `ValueError`.
    """
    index: dict[str, str] = {}
    for dim in instrument.dimensions:
        for alias in (*ITEM_ALIASES.get(dim.key, (dim.key,)), *dim.names.values()):
            index.setdefault(normalise(alias), dim.key)
    for label, key in (items or {}).items():
        if key not in instrument.keys:
            raise ValueError(
                f"items option maps {label!r} to {key!r}, which instrument "
                f"{instrument.id!r} does not have (it has {', '.join(instrument.keys)})"
            )
        index[normalise(label)] = key
    return index


@attrs.frozen
class ColumnSpec:
    """Where each field is in a header: field -> 0-based column index (absent fields missing)."""

    positions: Mapping[str, int]

    def get(self, field: str) -> int | None:
        """The column of ``field``, or ``None`` when the header lacks it."""
        return self.positions.get(field)

    def __contains__(self, field: object) -> bool:
        return field in self.positions


def header_locator(name: str) -> HeaderLocator:
    """Where a CSV file's header cell is: ``file:1:column`` (``file:1:1`` for the header as
    a whole)."""
    return lambda column: f"{name}:1:{1 if column is None else column + 1}"


def resolve_columns(
    header: Sequence[str], name: str, *, required: Sequence[str], optional: Sequence[str] = (),
    columns: Mapping[str, str] | None = None, ignore: Sequence[int] = (),
    at: HeaderLocator | None = None,
) -> tuple[ColumnSpec, list[Problem]]:
    """Find the column of each field in ``header``.

    ``columns`` (field -> header) names columns outright; otherwise a field's aliases
    ([`FIELD_ALIASES`][relcoord.formats.csv.columns.FIELD_ALIASES]) are looked up.  Returns the
    positions found and the problems: a required field that is missing, a column named twice, two
    columns that both fit one field, and an unknown field in ``columns``; each where ``at`` says its
    header cell is (a table's [`header_location`][relcoord.formats.csv.table.Table.header_location]:
    a worksheet's cell, an SPSS file's variable), by default ``file:1:column`` of CSV file ``name``.
    """
    where = at or header_locator(name)
    problems: list[Problem] = []
    fields = (*required, *optional)
    columns = dict(columns or {})
    for field in columns:
        if field not in fields:
            problems.append(Problem(where(None), (
                f"the columns option names unknown field {field!r}; this layout's fields "
                f"are {', '.join(fields)}")))
    normalised = [normalise(h) for h in header]
    seen: dict[str, int] = {}
    for i, h in enumerate(normalised):
        if not h:
            continue
        if h in seen:
            problems.append(Problem(where(i),
                                    f"duplicate column {header[i]!r} (also column {seen[h] + 1})"))
        else:
            seen[h] = i
    positions: dict[str, int] = {}
    taken: set[int] = set(ignore)
    for field in fields:
        if field in columns:
            wanted = normalise(columns[field])
            if wanted in seen:
                positions[field] = seen[wanted]
                taken.add(seen[wanted])
            else:
                problems.append(Problem(where(None), (
                    f"no column {columns[field]!r} for {field} (named in the columns option); "
                    f"the header has {_show(header)}")))
    for field in fields:
        if field in positions or field in columns:
            continue
        aliases = [normalise(a) for a in FIELD_ALIASES.get(field, (field,))]
        hits = [seen[a] for a in dict.fromkeys(aliases) if a in seen and seen[a] not in taken]
        if len(hits) > 1:
            shown = " and ".join(f"{header[h]!r} (column {h + 1})" for h in sorted(hits))
            problems.append(Problem(where(max(hits)), (
                f"both {shown} can hold {field}; say which with "
                f"-I 'columns={{\"{field}\": \"{header[hits[0]]}\"}}'")))
        elif hits:
            positions[field] = hits[0]
            taken.add(hits[0])
        elif field in required:
            hint = ""
            if len(header) == 1:
                hint = (" (the header has a single column: is the delimiter right? "
                        "name it with -I delimiter=...)")
            problems.append(Problem(where(None), (
                f"missing column for {field}: expected one of "
                f"{', '.join(repr(a) for a in FIELD_ALIASES.get(field, (field,))[:6])} or "
                f"-I 'columns={{\"{field}\": \"HEADER\"}}'; the header has "
                f"{_show(header)}{hint}")))
    return ColumnSpec(positions), problems


def layout_columns(
    header: Sequence[str], name: str, fields: Sequence[str], *,
    columns: Mapping[str, str], constants: Mapping[str, str | None],
    at: HeaderLocator | None = None,
) -> tuple[dict[str, int], list[Problem]]:
    """The columns of a ratings layout's ``fields`` (see
    [`resolve_columns`][relcoord.formats.csv.columns.resolve_columns]).

    ``respondent``, ``wave`` and ``rating`` are optional, and so is a field that
    ``constants`` gives a label for (the same in every row, from an option such as
    ``rater_role``); every other field is required.
    """
    required = [f for f in fields if f not in ("respondent", "wave", "rating")
                and constants.get(f) is None]
    optional = [f for f in fields if f not in required]
    spec, problems = resolve_columns(header, name, required=required, optional=optional,
                                     columns=columns, at=at)
    return dict(spec.positions), problems


def _show(header: Sequence[str]) -> str:
    cells = ", ".join(repr(h) for h in header[:12])
    return cells + (", ..." if len(header) > 12 else "")
