"""Read one Parquet file within limits, checking its metadata before its data.

[`read_parquet`][relcoord_parquet.parquet_files.read_parquet] reads the file's bytes through the
folder's [`ReadBudget`][relcoord_parquet.read_limits.ReadBudget] (bounded while reading, so a
FIFO or a device named ``part-0.parquet`` cannot exhaust memory), checks the magic bytes and
parses the footer, and then, before a single page is decompressed, checks what the footer
declares: the number of columns (``max_columns``), a row count that agrees with the row groups,
and the size the columns take once decoded, which must fit in what is left of ``max_bytes``.
That size is the larger of the sizes the column chunks declare uncompressed and their rows times
the width of a value (so that a file claiming a billion rows of nulls in a few bytes is refused
too).  Text columns are read dictionary-encoded, as they usually are stored, so that a value
repeated a million times is held once.  Every problem is an
[`InvalidInputError`][relcoord.errors.InvalidInputError] at the file; pyarrow's own errors never
reach the user.
"""

from __future__ import annotations

from typing import Final

import pyarrow as pa
import pyarrow.parquet as pq

from relcoord.errors import InvalidInputError
from relcoord_parquet.partition_folders import PartitionFile
from relcoord_parquet.read_limits import ReadBudget

__all__ = ["MAGIC", "decoded_size", "read_parquet"]

#: The four bytes a Parquet file starts and ends with.
MAGIC: Final = b"PAR1"
#: Bytes one value takes in memory, at least, by Parquet physical type (a text value: its
#: offset; a dictionary-encoded one: its index).
_WIDTH: Final = {"BOOLEAN": 1, "INT32": 4, "FLOAT": 4, "INT64": 8, "DOUBLE": 8, "INT96": 12,
                 "BYTE_ARRAY": 4, "FIXED_LEN_BYTE_ARRAY": 4}
_ERRORS: Final = (pa.ArrowException, OSError, ValueError, TypeError, IndexError,
                  OverflowError, KeyError)


def decoded_size(metadata: pq.FileMetaData, limit: int | None = None) -> int:
    """The bytes the file's columns take once decoded, as its footer declares them (see the
    module); the sum stops once it passes ``limit``, if given (a footer of millions of
    column chunks is not walked to the end only to be refused)."""
    total = 0
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        rows = max(row_group.num_rows, 0)
        for column in range(row_group.num_columns):
            chunk = row_group.column(column)
            width = _WIDTH.get(chunk.physical_type, 8)
            total += max(chunk.total_uncompressed_size, rows * width)
        if limit is not None and total > limit:
            break
    return total


def _check_metadata(metadata: pq.FileMetaData, name: str, budget: ReadBudget) -> None:
    budget.columns(metadata.num_columns, name)
    rows = metadata.num_rows
    in_groups = sum(metadata.row_group(i).num_rows for i in range(metadata.num_row_groups))
    # (a footer holds at most a few hundred bytes a row group, and was read within max_bytes)
    if rows < 0 or rows != in_groups:
        raise InvalidInputError(name, (
            f"the metadata claims {rows:,} rows but its row groups hold {in_groups:,}; the "
            "file is corrupt: export it again"))
    budget.decode(decoded_size(metadata, budget.decoded_left), name,
                  f"the metadata declares {rows:,} rows in {metadata.num_columns:,} columns: "
                  "they take")


def read_parquet(item: PartitionFile, budget: ReadBudget) -> pa.Table:
    """The table in the Parquet file ``item``, read within ``budget`` (see the module)."""
    data = budget.read(item.path, item.name, expected="a Parquet file")
    if len(data) < 12 or not data.startswith(MAGIC) or not data.endswith(MAGIC):
        raise InvalidInputError(item.name, (
            "not a Parquet file (it does not start and end with PAR1); expected a Parquet "
            "file, as its name says"))
    try:
        handle = pq.ParquetFile(pa.BufferReader(data))
        metadata = handle.metadata
    except _ERRORS as error:
        raise InvalidInputError(item.name, f"not a readable Parquet file: {error}") from None
    _check_metadata(metadata, item.name, budget)
    try:
        schema = handle.schema_arrow
        text = [f.name for f in schema if pa.types.is_string(f.type)
                or pa.types.is_large_string(f.type)]
        table = pq.read_table(pa.BufferReader(data), read_dictionary=text or None,
                              use_threads=False)
    except _ERRORS as error:
        raise InvalidInputError(item.name, f"cannot read the Parquet data: {error}; the file "
                                "may be corrupt") from None
    if table.num_rows != metadata.num_rows:
        raise InvalidInputError(item.name, (
            f"{table.num_rows:,} rows read where the metadata declares {metadata.num_rows:,}; "
            "the file is corrupt: export it again"))
    return table
