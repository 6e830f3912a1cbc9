"""A folder of Parquet or CSV partitions as one table of the CSV importers.

The CSV importers' layouts ([`long_ratings`][relcoord.formats.csv.long_layout.long_ratings],
[`wide_ratings`][relcoord.formats.csv.wide_layout.wide_ratings]) read a
[`Table`][relcoord.formats.csv.table.Table]: a polars frame of columns ``c0``, ``c1``... under a
header, and the means to say where a cell came from.
[`PartitionTable`][relcoord_parquet.partition_table.PartitionTable] is that table for many files:
the rows of every partition one after the other, the partition keys (``year=2025``) as columns
after the files' own, and locations that name the file a row came from and its row there,
``export/year=2025/part-0001.parquet: row 17, column "q3"`` in a Parquet file,
``export/year=2025/part-0001.csv:18:3`` (``file:line:column``) in a CSV file.

[`load_partitions`][relcoord_parquet.partition_table.load_partitions] reads the files within the
folder's limits and checks that they share one schema: the same columns (in any order in a CSV
file) and, in Parquet files, the same kind of values in each column (numbers, text, true/false,
dates; a column holding integers in one file and decimals in another is read as decimals, noted;
a column that is empty throughout one file fits any).  Anything else is an
[`InvalidInputError`][relcoord.errors.InvalidInputError] at the file that differs, naming the file
whose schema it should have had.

The columns are typed for the layout that reads them: label columns (respondent, roles, wave,
item) as text, answer columns as numbers where the files hold numbers, as text where they hold
text (the layouts then report each cell that is not a number, at its place).
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any, Final, Literal, Protocol, cast

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from relcoord.bounded_input import read_stream_bounded
from relcoord.errors import InvalidInputError
from relcoord.formats.csv.dialect import Dialect
from relcoord.formats.csv.import_notes import note
from relcoord.formats.csv.table import Table, parse_table
from relcoord_parquet.parquet_files import read_parquet
from relcoord_parquet.partition_folders import PartitionFile
from relcoord_parquet.read_limits import ReadBudget

__all__ = ["ColumnPlan", "ColumnUse", "PartitionTable", "load_partitions", "value_kind"]

#: What the layout reading a table does with a column: ``label`` (respondent, roles, wave,
#: item: text), ``number`` (an answer: numbers, or text to be parsed) or ``other``.
ColumnUse = Literal["label", "number", "other"]


class ColumnPlan(Protocol):
    """What the layout reading a table needs of each column, decided from its header."""

    def uses(self, header: Sequence[str]) -> Sequence[ColumnUse]:
        """Each column's use, for ``header`` (the first file's columns, then the partition
        keys); called before any column is typed."""

    @property
    def long(self) -> bool:
        """Whether the long layout reads the table (its labels are then categories, as the
        CSV importer's fast path has them); known once ``uses`` was called."""


_PARQUET_DIALECT: Final = Dialect(encoding="parquet", delimiter=",", decimal=".")


def value_kind(dtype: pa.DataType) -> str:
    """The kind of values an Arrow column holds, as the schema check compares them:
    ``integer``, ``decimal``, ``text``, ``true/false``, ``date or time``, ``empty`` (the
    null type), else the type's own name (lists, structs, bytes...)."""
    if pa.types.is_dictionary(dtype):
        return value_kind(dtype.value_type)
    if pa.types.is_integer(dtype):
        return "integer"
    if pa.types.is_floating(dtype) or pa.types.is_decimal(dtype):
        return "decimal"
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype) or (
            pa.types.is_string_view(dtype)):
        return "text"
    if pa.types.is_boolean(dtype):
        return "true/false"
    if pa.types.is_temporal(dtype):
        return "date or time"
    if pa.types.is_null(dtype):
        return "empty"
    return str(dtype)


_NUMBERS: Final = frozenset({"integer", "decimal"})
_SCALARS: Final = frozenset({"integer", "decimal", "text", "true/false", "date or time",
                             "empty"})


@attrs.frozen(eq=False)
class _Part:
    """One file's rows in the table: the file, its first row in the table, how many rows
    (records, blank CSV lines included) it spans, the table's column -> its own column
    (``None``: a partition key), and its CSV table (``None`` for a Parquet file)."""

    file: PartitionFile
    offset: int
    span: int
    local: tuple[int | None, ...]
    csv: Table | None


class PartitionTable(Table):
    """Every partition's rows as one [`Table`][relcoord.formats.csv.table.Table] (see the
    module); its location hooks name the file and the row in it."""

    def __init__(self, name: str, header: Sequence[str], frame: pl.DataFrame,
                 dialect: Dialect, parts: Sequence[_Part]) -> None:
        super().__init__(name, header, frame, dialect, b"", np.zeros(0, dtype=np.int64))
        self.parts = tuple(parts)
        self._offsets = np.asarray([p.offset for p in parts], dtype=np.int64)

    def _part(self, row: int) -> _Part:
        index = int(np.searchsorted(self._offsets, row, side="right")) - 1
        return self.parts[max(index, 0)]

    def _place(self, row: int, column: int | None, *, words: bool = False) -> str:
        part = self._part(row)
        local = row - part.offset
        key = None if column is None or part.local[column] is not None else self.header[column]
        if part.csv is None:
            where = f"{part.file.name} row {local + 1}" if words else (
                f"{part.file.name}: row {local + 1}")
            if column is not None and not words:
                where += f", column {json.dumps(self.header[column], ensure_ascii=False)}"
            return where
        if words:
            return f"{part.file.name} {part.csv.record_place(local)}"
        if key is not None:
            (line,) = part.csv.lines([local])
            return f"{part.file.name}:{line}, partition key {json.dumps(key, ensure_ascii=False)}"
        return part.csv.location(local, None if column is None else part.local[column])

    def lines(self, rows: Iterable[int] | npt.NDArray[Any]) -> list[int]:
        """The line (CSV) or row (Parquet) of each of ``rows`` in its own file, 1-based."""
        out = []
        for row in rows:
            part = self._part(int(row))
            local = int(row) - part.offset
            out.append(part.csv.lines([local])[0] if part.csv is not None else local + 1)
        return out

    def locations(self, rows: Sequence[int], column: int | None) -> list[str]:
        """Where each of ``rows`` is, in ``column`` (``None``: the row): its file and its
        row there (``file: row 17, column "q3"``, or ``file:18:3`` in a CSV file)."""
        return [self._place(int(row), column) for row in rows]

    def header_location(self, column: int | None) -> str:
        """Where the first file names ``column`` (``None``: the first file)."""
        first = self.parts[0]
        if column is not None and first.local[column] is None:
            return (f"{first.file.folder}: partition key "
                    f"{json.dumps(self.header[column], ensure_ascii=False)}")
        if first.csv is not None:
            return first.csv.header_location(None if column is None else first.local[column])
        if column is None:
            return first.file.name
        return f"{first.file.name}: column {json.dumps(self.header[column], ensure_ascii=False)}"

    def layout_setting(self, layout: str) -> str:
        """``-I layout=wide``: the partitions' layout is an option of their importer."""
        return f"-I layout={layout}"

    def record_place(self, row: int) -> str:
        """``export/.../part-0.parquet row 17`` (``... line 18`` in a CSV file)."""
        return self._place(row, None, words=True)


def _csv_bytes(item: PartitionFile, budget: ReadBudget) -> bytes:
    data = budget.read(item.path, item.name, expected="a CSV file")
    if not item.gzip:
        budget.decode(len(data), item.name, "the text takes")
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            text = read_stream_bounded(cast("IO[bytes]", stream), item.name, budget.decoded_left,
                                       what="the folder's files decompress to")
    except (OSError, EOFError, zlib.error) as error:
        raise InvalidInputError(item.name, f"cannot decompress (gzip): {error}") from None
    budget.decode(len(text), item.name, "the text takes")
    return text


def _csv_header(table: Table, item: PartitionFile) -> list[str]:
    header = list(table.header)
    for index, name in enumerate(header):
        if header.index(name) != index:
            raise InvalidInputError(table.header_location(index),
                                    f"column {name!r} is named twice; expected one column of "
                                    "each name")
    return header


def _arrow_header(table: pa.Table, item: PartitionFile) -> list[str]:
    header = [str(n) for n in table.column_names]
    for index, name in enumerate(header):
        if header.index(name) != index:
            raise InvalidInputError(f"{item.name}: column {json.dumps(name)}",
                                    "is named twice; expected one column of each name")
    return header


def _same_columns(header: Sequence[str], first: str, where: str, columns: Sequence[str],
                  keys: Sequence[str], item: PartitionFile) -> None:
    """Refuse a file whose columns are not those of the first file."""
    for key in keys:
        if key in columns:
            raise InvalidInputError(where, (
                f"column {json.dumps(key)} is also a partition key ({key}=... folders); "
                "expected each name once, as a column or as a partition key"))
    missing = [c for c in header if c not in columns]
    if missing:
        raise InvalidInputError(where, (
            f"no column {json.dumps(missing[0])}, which {first} has; expected the same "
            f"columns in every partition ({', '.join(json.dumps(h) for h in header)})"))
    extra = [c for c in columns if c not in header]
    if extra:
        raise InvalidInputError(where, (
            f"column {json.dumps(extra[0])} is not in {first}; expected the same columns "
            f"in every partition ({', '.join(json.dumps(h) for h in header)})"))


def _key_columns(item: PartitionFile, rows: int, *, long: bool) -> list[pl.Series]:
    """The file's partition keys as columns: categories for the long layout (one value
    repeated costs next to nothing then), else text."""
    dtype = pl.Categorical if long else pl.String
    return [pl.repeat(value, rows, eager=True, dtype=dtype) for _, value in item.keys]


def _typed(series: pl.Series, use: ColumnUse, where: str, *, long: bool) -> pl.Series:
    """A column typed for its ``use`` (see the module); a column whose values cannot be
    (a duration as a label, say) is an error at ``where``."""
    try:
        return _retyped(series, use, where, long=long)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason"
        raise InvalidInputError(where, (
            f"holds {series.dtype} values, which cannot be read as "
            f"{'numbers' if use == 'number' else 'text'} ({reason}); expected text or "
            "numbers in a column the layout reads")) from None


def _retyped(series: pl.Series, use: ColumnUse, where: str, *, long: bool) -> pl.Series:
    dtype = series.dtype
    if use == "other":
        return series
    if use == "number":
        if dtype.is_numeric() or dtype == pl.Null:
            return series.cast(pl.Float64)
        if dtype in (pl.String, pl.Categorical, pl.Enum):
            return series.cast(pl.String)
    elif dtype in (pl.Categorical, pl.String):
        return series.cast(pl.Categorical) if long else series.cast(pl.String).fill_null("")
    if dtype.is_numeric() or dtype in (pl.Boolean, pl.Null, pl.Date, pl.Datetime,
                                       pl.Time, pl.Duration):
        text = series.cast(pl.String)
        if use == "number":
            return text
        return text.cast(pl.Categorical) if long else text.fill_null("")
    raise InvalidInputError(where, (
        f"holds {dtype} values; expected text or numbers in a column the layout reads"))


def _valid_text(column: pa.ChunkedArray, where: str) -> pa.ChunkedArray:
    """``column``, once its text (plain or dictionary-encoded) is checked to be UTF-8.

    Parquet does not check that a string column holds UTF-8, and neither does reading it;
    polars then panics on the first operation that decodes a bad value, far from the file.
    One full validation of the column's text finds it here, at the column.
    """
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        try:
            column.validate(full=True)
        except pa.ArrowInvalid as error:
            raise InvalidInputError(where, (
                f"holds text that is not UTF-8 ({error}); the partition may be corrupt: "
                "export it again")) from None
    return column


def _arrow_frame(table: pa.Table, item: PartitionFile, header: Sequence[str],
                 local: Sequence[int | None], uses: Sequence[ColumnUse],
                 *, long: bool) -> pl.DataFrame:
    columns: list[pl.Series] = []
    keys = iter(_key_columns(item, table.num_rows, long=long))
    for index, (own, use) in enumerate(zip(local, uses, strict=True)):
        where = f"{item.name}: column {json.dumps(header[index], ensure_ascii=False)}"
        if own is None:
            series = next(keys)
        else:
            column = _valid_text(table.column(own), where)
            try:
                series = pl.Series(values=column)
            except (pa.ArrowException, ValueError, TypeError, pl.exceptions.PolarsError,
                    pl.exceptions.PanicException) as error:
                raise InvalidInputError(where, f"cannot read the column: {error}") from None
        columns.append(_typed(series, use, where, long=long).alias(f"c{index}"))
    return pl.DataFrame(columns) if columns else pl.DataFrame()


def _check_kinds(kinds: list[str], item: PartitionFile, first: PartitionFile,
                 seen: list[str], header: Sequence[str]) -> None:
    for index, kind in enumerate(kinds):
        before = seen[index]
        if kind == "empty" or before == "empty" or kind == before:
            seen[index] = before if kind == "empty" else kind
            continue
        if kind in _NUMBERS and before in _NUMBERS:
            seen[index] = "decimal"
            continue
        raise InvalidInputError(
            f"{item.name}: column {json.dumps(header[index], ensure_ascii=False)}",
            f"holds {kind} values here but {before} values in {first.name}; expected the "
            "same type in every partition (export the partitions with one schema)")


def _parquet_parts(files: Sequence[PartitionFile], budget: ReadBudget,
                   plan: ColumnPlan, name: str) -> PartitionTable:
    first = files[0]
    keys = [k for k, _ in first.keys]
    header: list[str] = []
    seen: list[str] = []
    parts: list[_Part] = []
    frames: list[pl.DataFrame] = []
    widened: set[int] = set()
    uses: Sequence[ColumnUse] = ()
    offset = 0
    for number, item in enumerate(files):
        table = read_parquet(item, budget)
        columns = _arrow_header(table, item)
        if number == 0:
            header = [*columns, *keys]
            budget.columns(len(header), item.name)
            seen = [value_kind(f.type) for f in table.schema] + ["text"] * len(keys)
            uses = plan.uses(header)
        _same_columns(header[:len(header) - len(keys)], first.name, item.name, columns,
                      keys, item)
        position = {c: i for i, c in enumerate(columns)}
        local = [position.get(h) for h in header[:len(header) - len(keys)]] + [None] * len(keys)
        kinds = [value_kind(table.schema.field(own).type) if own is not None else "text"
                 for own in local]
        before = list(seen)
        _check_kinds(kinds, item, first, seen, header)
        widened |= {i for i, (a, b) in enumerate(zip(before, kinds, strict=True))
                    if {a, b} == {"integer", "decimal"}}
        for index, kind in enumerate(kinds):
            if kind not in _SCALARS and uses[index] != "other":
                raise InvalidInputError(
                    f"{item.name}: column {json.dumps(header[index], ensure_ascii=False)}",
                    f"holds {kind} values; expected text or numbers in a column the layout "
                    "reads")
        frames.append(_arrow_frame(table, item, header, local, uses, long=plan.long))
        parts.append(_Part(file=item, offset=offset, span=table.num_rows, local=tuple(local),
                           csv=None))
        offset += table.num_rows
        del table
    for index in sorted(widened):
        note(name, "parquet.note.numbers_widened",
             column=json.dumps(header[index], ensure_ascii=False))
    frame = _concat(frames, name)
    return PartitionTable(name, header, frame, _PARQUET_DIALECT, parts)


def _concat(frames: list[pl.DataFrame], name: str) -> pl.DataFrame:
    try:
        frame = pl.concat(frames, how="vertical_relaxed") if len(frames) > 1 else frames[0]
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as error:
        raise InvalidInputError(name, f"cannot put the partitions together: {error}; "
                                "expected one schema in every partition") from None
    return frame.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))


def _csv_parts(files: Sequence[PartitionFile], budget: ReadBudget, plan: ColumnPlan,
               name: str, csv_options: Mapping[str, Any]) -> PartitionTable:
    first = files[0]
    keys = [k for k, _ in first.keys]
    header: list[str] = []
    uses: Sequence[ColumnUse] = ()
    parts: list[_Part] = []
    frames: list[pl.DataFrame] = []
    dialect: Dialect | None = None
    offset = 0

    def typed(columns: Sequence[str]) -> dict[int, str]:
        wanted = plan.uses([*columns, *keys])
        if not plan.long:
            return {}
        return {i: "category" if wanted[i] == "label" else "float"
                for i in range(len(columns)) if wanted[i] != "other"}

    for number, item in enumerate(files):
        raw = _csv_bytes(item, budget)
        table = parse_table(raw, item.name, delimiter=csv_options.get("delimiter"),
                            encoding=csv_options.get("encoding"),
                            decimal=csv_options.get("decimal", "auto"), typed=typed)
        del raw
        columns = _csv_header(table, item)
        budget.columns(len(columns) + len(keys), item.name)
        if number == 0:
            header = [*columns, *keys]
            uses = plan.uses(header)
            dialect = table.dialect
        else:
            assert dialect is not None
            if (table.dialect.delimiter, table.dialect.decimal) != (dialect.delimiter,
                                                                     dialect.decimal):
                raise InvalidInputError(f"{item.name}:1:1", (
                    f"fields separated by {table.dialect.delimiter!r} with decimal mark "
                    f"{table.dialect.decimal!r}, but by {dialect.delimiter!r} with "
                    f"{dialect.decimal!r} in {first.name}; expected one dialect in every "
                    "partition (settle it with -I delimiter=... and -I decimal=...)"))
        _same_columns(header[:len(header) - len(keys)], first.name,
                      table.header_location(None), columns, keys, item)
        position = {c: i for i, c in enumerate(columns)}
        local = [position.get(h) for h in header[:len(header) - len(keys)]] + [None] * len(keys)
        rows = table.frame.get_column("row")
        span = int(rows.max()) + 1 if len(rows) else 0  # type: ignore[arg-type]
        series = []
        key_values = iter(_key_columns(item, len(rows), long=plan.long))
        for index, (own, use) in enumerate(zip(local, uses, strict=True)):
            cells = next(key_values) if own is None else table.column(own)
            where = (table.header_location(own) if own is not None
                     else f"{item.folder}: partition key {json.dumps(header[index])}")
            series.append(_typed(cells, use, where, long=plan.long).alias(f"c{index}"))
        series.append((rows.cast(pl.Int64) + offset).alias("row"))
        frames.append(pl.DataFrame(series))
        parts.append(_Part(file=item, offset=offset, span=span, local=tuple(local), csv=table))
        offset += span
    assert dialect is not None
    try:
        frame = pl.concat(frames, how="vertical_relaxed") if len(frames) > 1 else frames[0]
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as error:
        raise InvalidInputError(name, f"cannot put the partitions together: {error}") from None
    return PartitionTable(name, header, frame, dialect, parts)


def load_partitions(files: Sequence[PartitionFile], budget: ReadBudget, *, name: str,
                    plan: ColumnPlan, csv_options: Mapping[str, Any] | None = None
                    ) -> PartitionTable:
    """Read ``files`` (all Parquet or all CSV, under the same partition keys) into one
    [`PartitionTable`][relcoord_parquet.partition_table.PartitionTable] named ``name``.

    ``plan`` gives each column's [`ColumnUse`][relcoord_parquet.partition_table.ColumnUse] from
    the table's header (the first file's columns, then the partition keys).
    ``csv_options`` holds ``delimiter``, ``encoding`` and ``decimal`` for CSV files.
    """
    if files[0].kind == "parquet":
        return _parquet_parts(files, budget, plan, name)
    return _csv_parts(files, budget, plan, name, csv_options or {})
