"""Read a folder or a zip of CSV tables back into a study (formats ``csv`` and ``csv-zip``).

The tables are found by file name: ``study.csv``, ``roles.csv``, ``ties.csv`` and
``invitations.csv`` (what [`relcoord.formats.csv.exporters`][relcoord.formats.csv.exporters]
writes), and, in a folder assembled by hand, ``respondents.csv`` and ``ratings.csv`` (the long
layout, values headed ``score``).  Every one is optional, but there must be roles, ratings or ties
to build a study from; a folder of published results gives back the study's facts, without answers.
The analysis tables (``tie_metrics.csv``, ``role_metrics.csv``, ``matrix.csv``,
``findings.csv``) are results, not facts, and are skipped; any other ``.csv`` file is
refused so that a misspelt table name is not silently ignored.  When ``study.csv`` says the
tables were written in the ``excel`` profile, the formula guard is undone on every text
cell.

A zip is checked before anything is decompressed: the sum of its entries' declared sizes
must stay under ``max_bytes``; two entries of one name and encrypted entries are refused.
Each entry is then decompressed block by block and refused as soon as it passes what is
left of ``max_bytes``, its declared size, or ``max_ratio`` times its compressed size (a
zip bomb lies about its sizes and compresses thousands of times).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from relcoord.bounded_input import read_bounded
from relcoord.bounded_zip import UNREADABLE_ZIP, unpack_entry, zip_entries
from relcoord.errors import InvalidInputError, Problem
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES, read_limited
from relcoord.formats.csv.import_notes import note_dialect
from relcoord.formats.csv.located_ratings import LocatedRatings
from relcoord.formats.csv.long_layout import long_ratings
from relcoord.formats.csv.read_options import (
    ENCODING,
    MAX_BYTES,
    MAX_CELL_BYTES,
    MAX_COLUMNS,
    ReadOptions,
)
from relcoord.formats.csv.records import (
    SideTables,
    read_invitations,
    read_respondents,
    read_roles,
    read_study_keys,
    read_ties,
)
from relcoord.formats.csv.study_assembly import build_study
from relcoord.formats.csv.table import Table, parse_table, raise_problems
from relcoord.formats.format_option import FormatOption, instrument, parse_options, whole_number
from relcoord.instruments import INSTRUMENTS, Instrument, get_instrument
from relcoord.model import Invitation, Metadata, NamedTie, Respondent, Role, Study

__all__ = ["ANALYSIS_TABLES", "BUNDLE_OPTIONS", "DEFAULT_MAX_RATIO", "STUDY_TABLES",
           "ZIP_OPTIONS", "read_folder", "read_zip"]

#: The study tables, in the order they are read.
STUDY_TABLES: Final = ("study.csv", "roles.csv", "respondents.csv", "ties.csv",
                       "ratings.csv", "invitations.csv")
#: Tables of results that a reader skips.
ANALYSIS_TABLES: Final = ("tie_metrics.csv", "role_metrics.csv", "matrix.csv", "findings.csv")
#: Options of the folder and zip importers.
BUNDLE_OPTIONS: Final = (
    FormatOption("instrument", "the instrument, when study.csv names a custom one (from "
                 "Python, an Instrument)", parse=instrument,
                 metavar="|".join(sorted(INSTRUMENTS)), shown_default="study.csv's"),
    ENCODING,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_CELL_BYTES,
)
#: A table unpacking to more than this many times its compressed size is refused: CSV
#: text compresses about 5 to 20 times, a zip bomb thousands of times.
DEFAULT_MAX_RATIO: Final = 200
#: Options of the zip importer: the bundle's and the compression ratio guard.
ZIP_OPTIONS: Final = (
    *BUNDLE_OPTIONS,
    FormatOption("max_ratio", "refuse a table that unpacks to more than this many times its "
                 "compressed size (a zip bomb guard)", parse=whole_number(1),
                 default=DEFAULT_MAX_RATIO, metavar="N"),
)


def _pick(names: list[str], where: str) -> dict[str, str]:
    """Known table name -> member name; unknown CSV files are an error."""
    found: dict[str, str] = {}
    for member in sorted(names):
        base = member.rsplit("/", 1)[-1]
        if not base.lower().endswith(".csv"):
            continue
        if base in ANALYSIS_TABLES:
            continue
        if base not in STUDY_TABLES:
            raise InvalidInputError(f"{where}/{member}", (
                f"unknown table {base!r}; a relcoord CSV folder holds "
                f"{', '.join(STUDY_TABLES)} (and the analysis tables "
                f"{', '.join(ANALYSIS_TABLES)})"))
        if base in found:
            raise InvalidInputError(f"{where}/{member}",
                                    f"a second {base!r} (also {found[base]!r})")
        found[base] = member
    if not found:
        raise InvalidInputError(where, f"holds none of the tables {', '.join(STUDY_TABLES)}")
    return found


def read_folder(path: Path, options: Mapping[str, Any]) -> Study:
    """Read a folder of relcoord CSV tables (format ``csv``)."""
    path = Path(path)
    values = parse_options("csv", options, BUNDLE_OPTIONS)
    limit: int = values["max_bytes"]
    if not path.is_dir():
        raise InvalidInputError(str(path), "is not a folder; the csv format reads a folder of "
                                "tables (use csv-zip for a zip file)")
    members = _pick([p.name for p in path.iterdir() if p.is_file()], str(path))
    raw: dict[str, bytes] = {}
    budget = limit
    for base, member in members.items():
        data = read_limited(path / member, f"{path}/{member}", budget)
        budget -= len(data)
        raw[base] = data
    return _assemble(raw, {b: f"{path}/{m}" for b, m in members.items()}, values, path)


def read_zip(path: Path, options: Mapping[str, Any]) -> Study:
    """Read a zip of relcoord CSV tables (format ``csv-zip``)."""
    path = Path(path)
    values = parse_options("csv-zip", options, ZIP_OPTIONS)
    limit: int = values["max_bytes"]
    packed = read_bounded(path, str(path), limit=limit, expected="a zip file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(packed))
    except UNREADABLE_ZIP as exc:
        raise InvalidInputError(str(path), f"not a readable zip file: {exc}") from None
    with archive:
        infos = zip_entries(archive, str(path))
        members = _pick(list(infos), str(path))
        total = sum(infos[m].file_size for m in members.values())
        if total > limit:
            raise InvalidInputError(str(path), (
                f"the tables unpack to {total:,} bytes, more than the limit of {limit:,}; "
                "raise it with the max_bytes option if the file is trusted"))
        raw: dict[str, bytes] = {}
        budget = limit
        for base, member in members.items():
            data = unpack_entry(archive, infos[member], f"{path}/{member}", budget,
                           values["max_ratio"])
            budget -= len(data)
            raw[base] = data
    return _assemble(raw, {b: f"{path}/{m}" for b, m in members.items()}, values, path)


def _instrument(keys: Mapping[str, str], given: Instrument | None, name: str) -> Instrument:
    if given is not None:
        return given
    wanted = keys.get("instrument", "rc7")
    if wanted.startswith("custom:"):
        raise InvalidInputError(name, (
            f"the study uses a custom instrument ({wanted[7:]!r}), which CSV tables cannot "
            "carry; pass it with the instrument option"))
    try:
        return get_instrument(wanted)
    except KeyError as exc:
        raise InvalidInputError(name, str(exc.args[0])) from None


def _study_keys(tables: Mapping[str, Table], names: Mapping[str, str]) -> dict[str, str]:
    """The keys of ``study.csv`` (none without one); raises on a bad table or version."""
    if "study.csv" not in tables:
        return {}
    keys, problems = read_study_keys(tables["study.csv"])
    if keys.get("relcoord", "1") != "1":
        problems.append(Problem(names["study.csv"],
                                f"table format version {keys['relcoord']!r} is not 1"))
    raise_problems(problems)
    return keys


def _side_tables(tables: Mapping[str, Table], names: Mapping[str, str]) -> SideTables:
    """The roles, respondents, ties and invitations tables among ``tables``."""
    problems: list[Problem] = []
    roles: list[Role] | None = None
    people: list[Respondent] = []
    ties: list[NamedTie] = []
    invitations: list[Invitation] = []
    if "roles.csv" in tables:
        roles, found = read_roles(tables["roles.csv"])
        problems += found
    if "respondents.csv" in tables:
        people, found = read_respondents(tables["respondents.csv"])
        problems += found
    if "ties.csv" in tables:
        ties, found = read_ties(tables["ties.csv"])
        problems += found
    if "invitations.csv" in tables:
        invitations, found = read_invitations(tables["invitations.csv"])
        problems += found
    raise_problems(problems)
    return SideTables(roles=roles, roles_name=names.get("roles.csv", ""), respondents=people,
                      ties=ties, invitations=invitations)


def _ratings(table: Table, instrument: Instrument, encoding: str | None) -> LocatedRatings:
    """The ratings of ``ratings.csv``: a long table (rating, respondent, source, target,
    wave, item, score)."""
    opts = ReadOptions(
        name=table.name, columns={}, items={}, instrument=instrument, values="auto",
        missing=("",), delimiter=None, decimal="auto", encoding=encoding,
        max_bytes=DEFAULT_MAX_BYTES, rater_role=None, target_role=None, wave=None,
        drop_empty=False,
    )
    return long_ratings(table, opts)


def _assemble(raw: Mapping[str, bytes], names: Mapping[str, str], options: Mapping[str, Any],
              path: Path) -> Study:
    encoding: str | None = options["encoding"]
    tables: dict[str, Table] = {
        base: parse_table(data, names[base], encoding=encoding,
                          max_columns=options["max_columns"],
                          max_cell_bytes=options["max_cell_bytes"])
        for base, data in raw.items()
    }
    for table in tables.values():  # every guess is said: each table's dialect is sniffed
        note_dialect(table, settled_by_option=False)
    keys = _study_keys(tables, names)
    if keys.get("profile") == "excel":
        tables = {b: t.unguarded() for b, t in tables.items()}
    study_name = names.get("study.csv", str(path))
    instrument = _instrument(keys, options["instrument"], study_name)
    side = _side_tables(tables, names)
    ratings = None
    if "ratings.csv" in tables:
        ratings = _ratings(tables["ratings.csv"], instrument, encoding)
    metadata = Metadata(
        id=keys.get("id") or path.name.split(".")[0] or "study", title=keys.get("title", ""),
        focal_process=keys.get("focal_process", ""), language=keys.get("language") or "en",
        description=keys.get("description", ""),
    )
    return build_study(name=study_name, instrument=instrument, metadata=metadata,
                       ratings=ratings, side=side)
