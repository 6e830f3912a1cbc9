"""The files of a partitioned folder: Hive ``KEY=VALUE`` folders down to the data files.

A data platform exports a table as a folder of files, split by the values of some columns
into folders named the Hive way::

    export/
      year=2025/region=north/part-0000.parquet
      year=2025/region=south/part-0000.parquet
      _SUCCESS

[`find_partitions`][relcoord_parquet.partition_folders.find_partitions] walks such a folder and
returns its data files in a fixed order, each with the partition keys of the folders above it
(the values unescaped as Hive escapes them; ``__HIVE_DEFAULT_PARTITION__`` is an empty value).
Names starting with ``.`` or ``_`` (``_SUCCESS``, ``.part-0000.crc``, ``_metadata``) are
the platform's bookkeeping and are skipped, with a note; any other file that is not a
Parquet (``.parquet``, ``.parq``) or CSV file (``.csv``, ``.tsv``, each optionally ``.gz``)
is refused, as is a folder not named ``KEY=VALUE``, files at different depths of partition
folders, a folder that leads back to one above it (a symlink loop), and a folder holding
more than ``max_files`` entries.  Every refusal is an
[`InvalidInputError`][relcoord.errors.InvalidInputError] at the file or folder concerned.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final, Literal
from urllib.parse import unquote

import attrs

from relcoord.errors import InvalidInputError
from relcoord.formats.csv.import_notes import note

__all__ = ["DATA_SUFFIXES", "HIVE_NULL", "PartitionFile", "find_partitions"]

#: The value a Hive writer gives a partition whose key is null.
HIVE_NULL: Final = "__HIVE_DEFAULT_PARTITION__"
#: Data file endings and the kind of file each is: (kind, gzip-compressed).
DATA_SUFFIXES: Final[dict[str, tuple[Literal["parquet", "csv"], bool]]] = {
    ".parquet": ("parquet", False), ".parq": ("parquet", False),
    ".csv": ("csv", False), ".tsv": ("csv", False),
    ".csv.gz": ("csv", True), ".tsv.gz": ("csv", True),
}
#: Folders nested deeper than this are refused (no export nests so deep; a loop would).
_MAX_DEPTH: Final = 32

Kind = Literal["parquet", "csv"]


@attrs.frozen
class PartitionFile:
    """One data file of a partitioned folder.

    ``name`` is how messages show it (the folder as given, then the path inside it:
    ``export/year=2025/part-0001.parquet``); ``keys`` the partition keys of the folders above
    it, outermost first, each with its value (``None`` for Hive's null partition).
    """

    path: Path
    name: str
    kind: Kind
    gzip: bool
    keys: tuple[tuple[str, str | None], ...]

    @property
    def folder(self) -> str:
        """The partition folder the file is in, as messages show it."""
        return self.name.rsplit("/", 1)[0]


def _suffix(name: str) -> tuple[Kind, bool] | None:
    lower = name.lower()
    for suffix in sorted(DATA_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix) and lower != suffix:
            return DATA_SUFFIXES[suffix]
    return None


def _key(folder: str, shown: str) -> tuple[str, str | None]:
    key, sep, value = folder.partition("=")
    if not sep or not key.strip():
        raise InvalidInputError(shown, (
            "a partition folder is named KEY=VALUE (the Hive layout, e.g. wave=2025); "
            f"expected that, not {folder!r}"))
    value = unquote(value)
    return unquote(key).strip(), None if value in ("", HIVE_NULL) else value


class _Walk:
    """One walk of a folder: its limits and what it found."""

    def __init__(self, root: Path, shown: str, max_files: int) -> None:
        self.root = root
        self.shown = shown
        self.max_files = max_files
        self.seen = 0
        self.files: list[PartitionFile] = []
        self.skipped: list[str] = []

    def count(self, where: str) -> None:
        self.seen += 1
        if self.seen > self.max_files:
            raise InvalidInputError(where, (
                f"the folder holds more than {self.max_files:,} files and partition folders; "
                "raise the option max_files if the folder is trusted (relcoord: -I "
                "max_files=N)"))

    def walk(self, folder: Path, shown: str, keys: tuple[tuple[str, str | None], ...],
             above: tuple[tuple[int, int], ...]) -> None:
        try:
            info = folder.stat()  # follows symlinks: a linked partition folder is read
        except OSError as error:
            raise InvalidInputError(shown, _os_reason(error, "folder")) from None
        here = (info.st_dev, info.st_ino)
        if here in above:
            raise InvalidInputError(shown, (
                "this folder leads back to a folder above it (a symbolic link loop); expected "
                "partition folders that end in data files"))
        if len(above) > _MAX_DEPTH:
            raise InvalidInputError(shown, f"folders nested more than {_MAX_DEPTH} deep; "
                                    "expected a few levels of KEY=VALUE partition folders")
        names: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:  # counted as they are listed: a folder of millions
                    self.count(f"{shown}/{entry.name}")  # is refused before it is all read
                    names.append(entry.name)
        except OSError as error:
            raise InvalidInputError(shown, _os_reason(error, "folder")) from None
        for name in sorted(names):
            path = folder / name
            where = f"{shown}/{name}"
            if name.startswith((".", "_")):
                self.skipped.append(where)
                continue
            try:
                mode = path.stat().st_mode
            except OSError as error:
                raise InvalidInputError(where, _os_reason(error, "file")) from None
            if stat.S_ISDIR(mode):
                self.walk(path, where, (*keys, _key(name, where)), (*above, here))
                continue
            found = _suffix(name)
            if found is None:
                raise InvalidInputError(where, (
                    "not a partition file; expected Parquet (.parquet) or CSV (.csv, .tsv, "
                    "optionally .gz) files in KEY=VALUE folders (names starting with . or _ "
                    "are skipped)"))
            self.files.append(PartitionFile(path=path, name=where, kind=found[0],
                                            gzip=found[1], keys=keys))


def _os_reason(error: OSError, what: str) -> str:
    if error.errno == 40:  # ELOOP: a link that points at itself, directly or not
        return ("a symbolic link loop (the link leads back to itself); expected a partition "
                f"{what}")
    return f"cannot read the {what}: {error.strerror or error}"


def _same_keys(files: list[PartitionFile]) -> None:
    first = files[0]
    names = [k for k, _ in first.keys]
    for item in files[1:]:
        if [k for k, _ in item.keys] != names:
            shown = "/".join(f"{k}=" for k, _ in first.keys) or "no partition folders"
            raise InvalidInputError(item.name, (
                f"partition folders {'/'.join(f'{k}=' for k, _ in item.keys) or 'none'} "
                f"here, but {shown} above {first.name}; expected every file at the same "
                "partition keys"))
    if len(set(names)) != len(names):
        raise InvalidInputError(first.name, (
            f"the partition key {next(n for n in names if names.count(n) > 1)!r} is used "
            "twice on the way to this file; expected each key once"))


def find_partitions(root: Path, *, max_files: int, shown: str | None = None
                    ) -> tuple[PartitionFile, ...]:
    """The data files of the partitioned folder ``root`` (see the module), sorted by path.

    A single data file given as ``root`` is a folder of one file without partition keys.
    ``shown`` is how messages name ``root`` (default: as given).  All files must be of one
    kind (Parquet or CSV) and sit under the same partition keys.
    """
    shown = str(root) if shown is None else shown
    try:
        mode = root.stat().st_mode
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise InvalidInputError(shown, "no such folder; expected a folder of Parquet or "
                                    "CSV partitions") from None
        raise InvalidInputError(shown, _os_reason(error, "folder")) from None
    if not stat.S_ISDIR(mode):
        found = _suffix(root.name)
        if found is None:
            raise InvalidInputError(shown, "expected a folder of Parquet or CSV partitions, "
                                    "or one .parquet, .csv or .tsv file")
        return (PartitionFile(path=root, name=shown, kind=found[0], gzip=found[1], keys=()),)
    walk = _Walk(root, shown, max_files)
    walk.walk(root, shown.rstrip("/") or shown, (), ())
    if walk.skipped:
        listed = ", ".join(walk.skipped[:3]) + (", ..." if len(walk.skipped) > 3 else "")
        note(shown, "parquet.note.skipped", count=len(walk.skipped), files=listed)
    if not walk.files:
        raise InvalidInputError(shown, "holds no partition files; expected Parquet (.parquet) "
                                "or CSV (.csv, .tsv, optionally .gz) files in KEY=VALUE "
                                "folders")
    kinds = {f.kind for f in walk.files}
    if len(kinds) > 1:
        first = {kind: next(f.name for f in walk.files if f.kind == kind) for kind in kinds}
        raise InvalidInputError(shown, (
            f"mixes Parquet files ({first['parquet']}) and CSV files ({first['csv']}); "
            "expected one kind of file"))
    _same_keys(walk.files)
    return tuple(walk.files)
