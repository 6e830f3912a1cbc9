"""How much a partitioned folder may make relcoord read: bytes, files and columns.

A folder of partitions is read file by file, and every limit holds for the folder as a
whole: ``max_bytes`` bounds the bytes read from all of its files together (counted while
they arrive, through [`relcoord.bounded_input`][relcoord.bounded_input], so that a FIFO or
``/dev/zero`` posing as a partition is cut off at the limit whatever ``stat()`` says) and,
separately, what they decode to (a gzip-compressed CSV file's text, a Parquet file's columns
as its metadata declares them, checked before its data is decoded).  ``max_files`` bounds
the files and folders walked, ``max_columns`` the columns of one file.  Each is an option
with a default that a real export stays well below; the error that a limit gives names the
option that raises it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from relcoord.bounded_input import DEFAULT_MAX_COLUMNS, read_bounded, too_large
from relcoord.errors import InvalidInputError
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES
from relcoord.formats.format_option import FormatOption, whole_number

__all__ = [
    "DEFAULT_MAX_COLUMNS",
    "DEFAULT_MAX_FILES",
    "LIMIT_OPTIONS",
    "MAX_BYTES",
    "MAX_COLUMNS",
    "MAX_FILES",
    "ReadBudget",
]

#: Files and folders walked in one partitioned folder, at most (a data platform writes a
#: file per partition and task: thousands, rarely more).
DEFAULT_MAX_FILES: Final = 100_000

#: The bytes read from all files together, and separately what they decode to.
MAX_BYTES: Final = FormatOption(
    "max_bytes", "refuse a folder whose files hold, or decode to, more than this many bytes "
    "in all", parse=whole_number(1), default=DEFAULT_MAX_BYTES, metavar="BYTES",
    shown_default=f"{DEFAULT_MAX_BYTES} (2 GiB)")
#: The files and folders walked.
MAX_FILES: Final = FormatOption(
    "max_files", "refuse a folder holding more than this many files and partition folders",
    parse=whole_number(1), default=DEFAULT_MAX_FILES, metavar="N")
#: The columns of one file.
MAX_COLUMNS: Final = FormatOption(
    "max_columns", "refuse a partition file with more than this many columns (the core's default, "
    "a worksheet's columns)",
    parse=whole_number(1), default=DEFAULT_MAX_COLUMNS, metavar="N")
#: The three limits, as a format declares them.
LIMIT_OPTIONS: Final = (MAX_BYTES, MAX_FILES, MAX_COLUMNS)


class ReadBudget:
    """What is left of ``max_bytes`` for the bytes read and for the bytes decoded.

    >>> budget = ReadBudget(100)
    >>> budget.decode(60, "part-0.parquet", "the columns take")
    >>> budget.decoded_left
    40
    """

    def __init__(self, max_bytes: int, *, max_columns: int = DEFAULT_MAX_COLUMNS) -> None:
        self.max_bytes = max_bytes
        self.max_columns = max_columns
        self.read_left = max_bytes
        self.decoded_left = max_bytes

    def read(self, path: Path, name: str, expected: str) -> bytes:
        """The bytes of ``path`` (a regular or special file), refused while reading once
        they pass what is left of ``max_bytes``."""
        try:
            data = read_bounded(path, name, limit=self.read_left, expected=expected)
        except InvalidInputError as error:
            if "larger than the limit" not in error.message:
                raise
            raise InvalidInputError(name, too_large(
                "the folder's files are", self.max_bytes)) from None
        self.read_left -= len(data)
        return data

    def decode(self, size: int, name: str, what: str) -> None:
        """Take ``size`` decoded bytes from the budget, or refuse ``name`` (``what``: what
        decodes, e.g. ``"the columns take"``) before they are decoded."""
        if size > self.decoded_left:
            raise InvalidInputError(name, (
                f"{what} at least {size:,} bytes once decoded, more than the "
                f"{self.decoded_left:,} left of the limit of {self.max_bytes:,} bytes for the "
                "whole folder; raise the option max_bytes if the files are trusted "
                "(relcoord: -I max_bytes=N)"))
        self.decoded_left -= size

    def columns(self, count: int, name: str) -> None:
        """Refuse a file of more than ``max_columns`` columns."""
        if count > self.max_columns:
            raise InvalidInputError(name, (
                f"{count:,} columns, more than the limit of {self.max_columns:,}; raise the "
                "option max_columns if the file is trusted (relcoord: -I max_columns=N)"))
