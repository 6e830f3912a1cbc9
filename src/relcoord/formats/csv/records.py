"""Small tables that sit beside the ratings: roles, respondents, named ties, invitations.

Each reader takes a parsed [`Table`][relcoord.formats.csv.table.Table] and returns value
objects plus every problem found, located at ``file:line:column``.  The columns:

``roles``
    ``id`` (required), ``name`` (default: the id), ``organisation``, ``present``
    (``true/false``, ``yes/no``, ``ja/nej``, ``1/0``; default true) and ``name_<lang>``
    columns (``name_da``, ``name_en``...) for the role's name in other languages.
``respondents``
    ``id`` (or ``respondent``) and ``role``.
``ties``
    ``source``, ``target`` and ``wave``: the named arrows of a relationskort.
``invitations``
    ``source``, ``target``, ``topic``, ``status`` (``pending``, ``accepted``, ``declined``,
    ``held``; Danish ``afventer``, ``accepteret``, ``afvist``, ``afholdt``) and ``wave``.
``study``
    two columns ``key`` and ``value``: the study's ``id``, ``title``, ``focal_process``,
    ``language``, ``description``, its ``instrument`` id and the CSV ``profile`` it was
    written in.

The layout importers read the roles, ties and invitations tables that their options name
([`read_side_tables`][relcoord.formats.csv.records.read_side_tables]); a folder or zip of tables
holds them by file name ([`relcoord.formats.csv.bundle`][relcoord.formats.csv.bundle]).  Either way
they arrive as one [`SideTables`][relcoord.formats.csv.records.SideTables].
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import attrs

from relcoord.errors import Problem
from relcoord.formats.csv.columns import normalise, resolve_columns
from relcoord.formats.csv.import_notes import note_columns, note_dialect, warn_ignored_columns
from relcoord.formats.csv.read_options import ReadOptions
from relcoord.formats.csv.table import Table, load_table, raise_problems
from relcoord.model import INVITATION_STATUSES, Invitation, NamedTie, Respondent, Role

__all__ = [
    "STUDY_KEYS",
    "SideTables",
    "read_invitations",
    "read_respondents",
    "read_roles",
    "read_side_tables",
    "read_study_keys",
    "read_ties",
    "unguard",
]

#: The keys a ``study`` table may hold.
STUDY_KEYS: Final = ("id", "title", "focal_process", "language", "description", "instrument",
                     "profile", "relcoord")
_TRUE: Final = frozenset({"true", "yes", "ja", "1", "x", "y", "j", "sand"})
_FALSE: Final = frozenset({"false", "no", "nej", "0", "n", "falsk"})
_STATUS_ALIASES: Final = {
    **{s: s for s in INVITATION_STATUSES},
    "afventer": "pending", "åben": "pending", "open": "pending",
    "accepteret": "accepted", "afvist": "declined", "afholdt": "held",
}
_NAME_IN: Final = re.compile(r"(?:name|navn) ([a-z]{2,3}(?: [a-z]{2,4})?)")
_GUARDED: Final = frozenset("=+-@\t\r'")


def unguard(value: str) -> str:
    """Undo the excel profile's formula guard: drop the ``'`` put before ``= + - @ tab CR '``."""
    if len(value) > 1 and value[0] == "'" and value[1] in _GUARDED:
        return value[1:]
    return value


def _texts(table: Table, index: int | None) -> list[str]:
    if index is None:
        return [""] * len(table)
    values: list[str] = table.column(index).to_list()
    return values


def _rows(table: Table) -> list[int]:
    return [int(r) for r in table.frame.get_column("row").to_list()]


def _required(table: Table, rows: list[int], column: int, values: list[str], what: str
              ) -> list[Problem]:
    empty = [r for r, v in zip(rows, values, strict=True) if not v]
    return table.problems_at(empty, column, f"empty {what}", summary=f"an empty {what}")


def read_roles(table: Table) -> tuple[list[Role], list[Problem]]:
    """Roles from a roles table (see the module docstring for its columns)."""
    spec, problems = resolve_columns(
        table.header, table.name, at=table.header_location, required=("id",),
        optional=("name", "organisation", "present"),
    )
    if "id" not in spec:
        return [], problems
    rows = _rows(table)
    ids = _texts(table, spec.get("id"))
    names = _texts(table, spec.get("name"))
    orgs = _texts(table, spec.get("organisation"))
    present = _texts(table, spec.get("present"))
    languages: dict[str, list[str]] = {}
    languages_at: list[int] = []
    taken = set(spec.positions.values())
    for i, header in enumerate(table.header):
        match = _NAME_IN.fullmatch(normalise(header))
        if match and i not in taken:
            languages[match.group(1).replace(" ", "-")] = _texts(table, i)
            languages_at.append(i)
    note_columns(table, spec.positions, None)
    warn_ignored_columns(table, taken | set(languages_at), "roles")
    id_col = spec.positions["id"]
    problems += _required(table, rows, id_col, ids, "role id")
    seen: dict[str, int] = {}
    roles: list[Role] = []
    for k, (row, role_id) in enumerate(zip(rows, ids, strict=True)):
        if not role_id:
            continue
        if role_id in seen:
            problems.append(Problem(table.location(row, id_col),
                                    f"duplicate role id {role_id!r} (first at "
                                    f"{table.record_place(seen[role_id])})"))
            continue
        seen[role_id] = row
        flag = present[k].strip().casefold()
        if flag and flag not in _TRUE | _FALSE:
            problems.append(Problem(table.location(row, spec.positions["present"]),
                                    f"present must be true or false (yes/no, ja/nej, 1/0), "
                                    f"not {present[k]!r}"))
        roles.append(Role(
            id=role_id, name=names[k] if spec.get("name") is not None else role_id,
            organisation=orgs[k] or None, present=flag not in _FALSE,
            names={lang: texts[k] for lang, texts in languages.items() if texts[k]},
        ))
    return roles, problems


def read_respondents(table: Table) -> tuple[list[Respondent], list[Problem]]:
    """Respondents (id and role) from a respondents table."""
    columns = {"id": "respondent"} if "respondent" in map(normalise, table.header) else None
    spec, problems = resolve_columns(table.header, table.name,
                                     at=table.header_location, required=("id", "role"),
                                     columns=columns)
    if problems:
        return [], problems
    rows = _rows(table)
    ids = _texts(table, spec.positions["id"])
    roles = _texts(table, spec.positions["role"])
    problems += _required(table, rows, spec.positions["id"], ids, "respondent id")
    problems += _required(table, rows, spec.positions["role"], roles, "role")
    seen: set[str] = set()
    out: list[Respondent] = []
    for row, person, role in zip(rows, ids, roles, strict=True):
        if person in seen:
            problems.append(Problem(table.location(row, spec.positions["id"]),
                                    f"duplicate respondent id {person!r}"))
        elif person and role:
            seen.add(person)
            out.append(Respondent(id=person, role=role))
    return out, problems


def read_ties(table: Table) -> tuple[list[NamedTie], list[Problem]]:
    """Named arrows (source, target, wave) from a ties table."""
    spec, problems = resolve_columns(table.header, table.name,
                                     at=table.header_location, required=("source", "target"),
                                     optional=("wave",))
    if problems:
        return [], problems
    note_columns(table, spec.positions, None)
    warn_ignored_columns(table, set(spec.positions.values()), "ties")
    rows = _rows(table)
    sources = _texts(table, spec.positions["source"])
    targets = _texts(table, spec.positions["target"])
    waves = _texts(table, spec.get("wave"))
    problems += _required(table, rows, spec.positions["source"], sources, "source role")
    problems += _required(table, rows, spec.positions["target"], targets, "target role")
    ties = [NamedTie(s, t, w or None) for s, t, w in zip(sources, targets, waves, strict=True)
            if s and t]
    return ties, problems


def read_invitations(table: Table) -> tuple[list[Invitation], list[Problem]]:
    """Balkort invitations from an invitations table."""
    spec, problems = resolve_columns(
        table.header, table.name, at=table.header_location, required=("source", "target"),
        optional=("topic", "status", "wave"),
    )
    if problems:
        return [], problems
    note_columns(table, spec.positions, None)
    warn_ignored_columns(table, set(spec.positions.values()), "invitations")
    rows = _rows(table)
    sources = _texts(table, spec.positions["source"])
    targets = _texts(table, spec.positions["target"])
    topics = _texts(table, spec.get("topic"))
    statuses = _texts(table, spec.get("status"))
    waves = _texts(table, spec.get("wave"))
    problems += _required(table, rows, spec.positions["source"], sources, "source role")
    problems += _required(table, rows, spec.positions["target"], targets, "target role")
    out: list[Invitation] = []
    for k, row in enumerate(rows):
        raw = statuses[k].strip()
        status = _STATUS_ALIASES.get(raw.casefold(), None) if raw else "pending"
        if status is None:
            problems.append(Problem(
                table.location(row, spec.positions["status"]),
                f"unknown invitation status {raw!r}; expected one of "
                f"{', '.join(INVITATION_STATUSES)}"))
            continue
        if sources[k] and targets[k]:
            out.append(Invitation(source=sources[k], target=targets[k], topic=topics[k],
                                  status=status,  # type: ignore[arg-type]
                                  wave=waves[k] or None))
    return out, problems


def read_study_keys(table: Table) -> tuple[dict[str, str], list[Problem]]:
    """The ``key,value`` rows of a study table (excel-profile guards undone when it says so)."""
    spec, problems = resolve_columns(table.header, table.name,
                                     at=table.header_location, required=("key", "value"))
    if problems:
        return {}, problems
    rows = _rows(table)
    keys = _texts(table, spec.positions["key"])
    values = _texts(table, spec.positions["value"])
    found: dict[str, str] = {}
    for row, key, value in zip(rows, keys, values, strict=True):
        if key not in STUDY_KEYS:
            problems.append(Problem(table.location(row, spec.positions["key"]),
                                    f"unknown study key {key!r}; expected one of "
                                    f"{', '.join(STUDY_KEYS)}"))
        elif key in found:
            problems.append(Problem(table.location(row, spec.positions["key"]),
                                    f"study key {key!r} given twice"))
        else:
            found[key] = value
    if found.get("profile") == "excel":
        found = {k: unguard(v) for k, v in found.items()}
    return found, problems


@attrs.frozen
class SideTables:
    """What the tables beside the ratings say.

    ``roles`` is ``None`` without a roles table (the roles are then inferred from the
    labels used); with one, ``roles_name`` is its file, named in problems about it.
    """

    roles: Sequence[Role] | None = None
    roles_name: str = ""
    respondents: Sequence[Respondent] = ()
    ties: Sequence[NamedTie] = ()
    invitations: Sequence[Invitation] = ()


def read_side_tables(opts: ReadOptions) -> SideTables:
    """The roles, ties and invitations tables named by the ``roles``, ``ties`` and
    ``invitations`` options, each read with the options' encoding, decimal mark and size
    limit; raises [`InvalidStudyError`][relcoord.errors.InvalidStudyError] with every problem in
    them."""
    problems: list[Problem] = []

    def load(path: str) -> Table:
        table = load_table(Path(path), encoding=opts.encoding, decimal=opts.decimal,
                           max_bytes=opts.max_bytes, max_columns=opts.max_columns,
                           max_cell_bytes=opts.max_cell_bytes)
        note_dialect(table, settled_by_option=False)
        return table

    roles: list[Role] | None = None
    roles_name = ""
    ties: list[NamedTie] = []
    invitations: list[Invitation] = []
    if opts.roles is not None:
        table = load(opts.roles)
        roles_name = table.name
        roles, found = read_roles(table)
        problems += found
    if opts.ties is not None:
        ties, found = read_ties(load(opts.ties))
        problems += found
    if opts.invitations is not None:
        invitations, found = read_invitations(load(opts.invitations))
        problems += found
    raise_problems(problems)
    return SideTables(roles=roles, roles_name=roles_name, ties=ties, invitations=invitations)
