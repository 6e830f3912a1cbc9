"""Parse CSV bytes into a table of text columns, fast, and locate what is wrong in it.

The hot path is vectorised: [`parse_table`][relcoord.formats.csv.table.parse_table] hands the whole
file to polars' CSV reader (multi-threaded, RFC 4180 quoting) with every column read as text, and
checks the field count of every record with a few whole-file counts instead of a loop.  Only when
something is wrong, or a problem must be reported at its line, does
[`Table`][relcoord.formats.csv.table.Table] scan the file with the standard `csv` module to learn
where each record starts; that slow path never runs on a clean file.

Locations follow the ``file:line:column`` convention of compilers: ``line`` is the 1-based
physical line in the file where the record starts (the header is line 1), ``column`` the
1-based position of the field in its record.
"""

from __future__ import annotations

import codecs
import copy
import csv
import functools
import io
import mmap
import os
import stat
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Self

import numpy as np
import numpy.typing as npt

from relcoord.bounded_input import (
    DEFAULT_MAX_CELL_BYTES,
    DEFAULT_MAX_COLUMNS,
    long_run,
    too_long_cell,
    too_many_columns,
)
from relcoord.errors import InvalidInputError, InvalidStudyError, Problem
from relcoord.formats.csv.columns import header_locator
from relcoord.formats.csv.dialect import (
    DEFAULT_MAX_BYTES,
    Dialect,
    decode,
    delimiter_name,
    read_limited,
    sniff_delimiter,
)
from relcoord.optional_dependencies import optional_module

if TYPE_CHECKING:
    import polars as pl
else:
    pl = optional_module("polars", "reading and writing CSV files")

__all__ = [
    "MAX_PROBLEMS", "Table", "check_shape", "load_table", "mapped_text", "parse_table",
    "raise_problems", "read_header", "size_of",
]

#: At most this many problems of one kind are listed; the rest are counted in one line.
MAX_PROBLEMS: Final = 20
_HEADER_BYTES: Final = 1 << 20
_COUNT_BLOCK: Final = 1 << 20


def raise_problems(problems: Sequence[Problem]) -> None:
    """Raise [`InvalidStudyError`][relcoord.errors.InvalidStudyError] with ``problems``, if there
    are any."""
    if problems:
        raise InvalidStudyError(problems)


class Table:
    """One CSV file as text columns, with the means to say where a cell came from.

    ``header`` holds the header cells (stripped); ``frame`` is a polars DataFrame with one
    ``String`` column per header cell, named ``c0``, ``c1``... (empty cells are ``""``),
    and a ``row`` column: the 0-based index of the data record, counting blank lines, which
    [`lines`][relcoord.formats.csv.table.Table.lines] turns into line numbers.  Blank lines are
    dropped from ``frame``.  ``data`` is the file's text (or how to read it again, for a
    file polars read from its path), scanned only to locate a problem.
    """

    def __init__(
        self, name: str, header: Sequence[str], frame: pl.DataFrame, dialect: Dialect,
        data: bytes | mmap.mmap | Callable[[], bytes],
        record_lines: npt.NDArray[np.int64] | None = None,
    ) -> None:
        self.name = name
        self.header = tuple(header)
        self.frame = frame
        self.dialect = dialect
        self._data = data
        self._record_lines = record_lines

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {len(self.frame)} rows, header={self.header!r})"

    def __len__(self) -> int:
        return len(self.frame)

    def with_frame(self, frame: pl.DataFrame) -> Self:
        """The same file with other rows or columns (``frame`` keeps the ``row`` column);
        a subclass's table stays one, with its own way of locating cells."""
        other = copy.copy(self)
        other.frame = frame
        return other

    def unguarded(self) -> Self:
        """This table with the excel profile's formula guard undone in every cell.

        One leading ``'`` is dropped where it stands before ``= + - @ tab CR '`` (see
        [`relcoord.formats.csv.profiles`][relcoord.formats.csv.profiles]).
        """
        schema = self.frame.schema  # built anew on each access: once, not once per column
        cells = [f"c{i}" for i in range(len(self.header)) if schema[f"c{i}"] == pl.String]
        frame = self.frame.with_columns(
            pl.when(pl.col(c).str.contains(r"^'[=+\-@\t\r']"))
            .then(pl.col(c).str.slice(1)).otherwise(pl.col(c)).alias(c)
            for c in cells
        )
        return self.with_frame(frame)

    def column(self, index: int) -> pl.Series:
        """The text cells of column ``index`` (0-based), one per data row."""
        return self.frame.get_column(f"c{index}")

    def lines(self, rows: Iterable[int] | npt.NDArray[Any]) -> list[int]:
        """Line numbers (1-based, header = 1) where the data records ``rows`` start.

        ``rows`` are values of the ``row`` column.  The first call scans the file once with
        the `csv` module (error path only).
        """
        if self._record_lines is None:
            data = self._data() if callable(self._data) else self._data
            self._record_lines = _scan(data, self.dialect.delimiter, self.name).starts
        starts = self._record_lines
        return [int(starts[int(r) + 1]) for r in rows]

    def location(self, row: int, column: int | None) -> str:
        """Where data record ``row`` (0-based) and field ``column`` (0-based) is:
        ``file:line:column`` in a CSV file.

        ``column=None`` points at the start of the record (column 1).
        """
        (where,) = self.locations([row], column)
        return where

    def locations(self, rows: Sequence[int], column: int | None) -> list[str]:
        """[`location`][relcoord.formats.csv.table.Table.location] of each of ``rows`` in ``column``
        (one scan for all of them).

        This method, [`header_location`][relcoord.formats.csv.table.Table.header_location] and
        [`record_place`][relcoord.formats.csv.table.Table.record_place] are all that says where
        something is, and [`layout_setting`][relcoord.formats.csv.table.Table.layout_setting] how
        another layout is chosen: a table read from another kind of file overrides them (a
        worksheet's cells are ``book.xlsx!Sheet!B12``, an SPSS file's are its variables and cases).
        """
        col = 1 if column is None else column + 1
        return [f"{self.name}:{line}:{col}" for line in self.lines(rows)]

    def header_location(self, column: int | None) -> str:
        """Where header cell ``column`` (0-based) is: ``file:1:column`` (``None``: the
        header as a whole, ``file:1:1``)."""
        return header_locator(self.name)(column)

    def layout_setting(self, layout: str) -> str | None:
        """How to read this table in another ``layout`` (``long``, ``wide``,
        ``relationskort``) when the header fits it better: ``None`` for a CSV file, whose
        format names the layout (``--from csv-wide``); a table from another kind of file
        names its own option."""
        return None

    def record_place(self, row: int) -> str:
        """Data record ``row`` in words, for a message that points at another record
        (``line 12``)."""
        return f"line {self.lines([row])[0]}"

    def problems_at(
        self, rows: npt.NDArray[Any] | Sequence[int], column: int | None,
        message: str | Sequence[str], *, summary: str,
    ) -> list[Problem]:
        """One located problem per row (at most
        [`MAX_PROBLEMS`][relcoord.formats.csv.table.MAX_PROBLEMS]), then a count of the rest.

        ``message`` is one text for all rows or one per row.
        """
        rows = [int(r) for r in rows]
        texts = [message] * len(rows) if isinstance(message, str) else list(message)
        shown = rows[:MAX_PROBLEMS]
        places = self.locations(shown, column)
        out = [Problem(where, text) for where, text in zip(places, texts, strict=False)]
        if len(rows) > MAX_PROBLEMS:
            out.append(Problem(places[-1],
                               f"... and {len(rows) - MAX_PROBLEMS:,} more rows with {summary}"))
        return out


class _Scan:
    """Where each record starts and how many fields it has (the csv module's view)."""

    def __init__(self) -> None:
        self.starts: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.widths: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)


def _scan(data: bytes | mmap.mmap, delimiter: str, name: str, *, strict: bool = False
          ) -> _Scan:
    """Scan ``data`` record by record (slow; error path only).

    With ``strict``, a quoting error raises a located
    [`InvalidInputError`][relcoord.errors.InvalidInputError].
    """
    text = bytes(data).decode("utf-8")  # a mapped file is read here (error path only)
    starts: list[int] = []
    widths: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
    previous_end = 0
    old_limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        for record in reader:
            starts.append(previous_end + 1)
            widths.append(len(record))
            previous_end = reader.line_num
    except csv.Error as exc:
        line = previous_end + 1
        column = _field_of_quote_error(text, line, delimiter)
        if "end of data" in str(exc):
            message = ("a quoted field is never closed (a missing '\"'); the file may be "
                       "truncated")
        else:
            message = f"malformed quoting: {exc}; a quote inside a field must be doubled (\"\")"
        raise InvalidInputError(f"{name}:{line}:{column}", message) from None
    finally:
        csv.field_size_limit(old_limit)
    scan = _Scan()
    scan.starts = np.asarray(starts, dtype=np.int64)
    scan.widths = np.asarray(widths, dtype=np.int64)
    return scan


def _field_of_quote_error(text: str, line: int, delimiter: str) -> int:
    """The 1-based field of the record starting at ``line`` in which its quoting breaks."""
    # the lines as the csv module counts them (\n, \r, \r\n): str.splitlines() would also
    # break at \x1c, \x85, U+2028... and shift the line
    lines = io.StringIO(text, newline="").readlines()
    record = "".join(lines[line - 1:])
    field, quoted, at_start, i = 1, False, True, 0
    last_open = 1
    while i < len(record):
        char = record[i]
        if quoted:
            if char == '"':
                if record[i + 1:i + 2] == '"':
                    i += 1
                else:
                    quoted = False
                    nxt = record[i + 1:i + 2]
                    if nxt not in ("", delimiter, "\r", "\n"):
                        return field
        elif char == '"' and at_start:
            quoted, last_open = True, field
        elif char == delimiter:
            field += 1
            at_start = True
            i += 1
            continue
        elif char in "\r\n":
            break
        at_start = False
        i += 1
    return last_open if quoted else field


def read_header(data: bytes | mmap.mmap, delimiter: str, name: str) -> list[str]:
    """The column names of the first line of ``data`` (stripped, a byte-order mark dropped);
    an `InvalidInputError` at ``name:1:1`` when the line cannot be read or is empty."""
    head = data[:_HEADER_BYTES].decode("utf-8", errors="ignore")
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise InvalidInputError(f"{name}:1:1", f"cannot read the header: {exc}") from None
    if not header or not any(h.strip() for h in header):
        raise InvalidInputError(f"{name}:1:1", "the first line is empty; expected a header line")
    return [h.strip().lstrip("\ufeff") for h in header]


def check_shape(data: bytes | mmap.mmap, sep: str, name: str, max_cell_bytes: int) -> None:
    """Refuse, before the parser meets it, a cell of more than ``max_cell_bytes`` bytes
    that holds no delimiter and no line break (a quoted cell holding them is measured once
    parsed, in `_check_cells`)."""
    delimiter = sep.encode()
    stops = b"\n" + delimiter + b"\r"
    start = long_run(data, max_cell_bytes, stops)
    if start is not None:  # the line and field by line breaks and delimiters (no quotes)
        data = bytes(data)  # a mapped file is read here (error path only)
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        field = data.count(delimiter, line_start, start) + 1
        raise InvalidInputError(f"{name}:{line}:{field}", too_long_cell(None, max_cell_bytes))


def _check_cells(frame: pl.DataFrame, max_cell_bytes: int,
                 locate: Callable[[int, int], str]) -> None:
    """Refuse a parsed text cell of more than ``max_cell_bytes`` bytes, at its place."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    if not text:
        return
    longest = frame.select(pl.col(text).str.len_bytes().max()).row(0)
    for column, size in zip(text, longest, strict=True):
        if size is not None and size > max_cell_bytes:
            row = int(frame.select(pl.col(column).str.len_bytes().gt(max_cell_bytes)
                                   .arg_true().first()).item())
            raise InvalidInputError(locate(row, frame.columns.index(column)),
                                    too_long_cell(int(size), max_cell_bytes))


def parse_table(
    raw: bytes, name: str, *, delimiter: str | None = None, encoding: str | None = None,
    decimal: str = "auto", typed: Callable[[Sequence[str]], Mapping[int, str]] | None = None,
    max_columns: int = DEFAULT_MAX_COLUMNS, max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES,
) -> Table:
    """Parse the bytes of a CSV file into a [`Table`][relcoord.formats.csv.table.Table] of text
    columns.

    Decodes and sniffs as [`relcoord.formats.csv.dialect`][relcoord.formats.csv.dialect] describes,
    then parses with polars.  Every record must have as many fields as the header; blank lines are
    skipped. ``typed``, given the header, names columns to parse as ``"float"`` (Float64) or
    ``"category"`` (Categorical: repeated labels, compared as integers; ``"text"`` keeps a
    column ``String``) right away, the hot
    path of large files; if any ``"float"`` cell is not a plain number with ``.`` as decimal
    mark, every column is read as text instead, for the caller to report.
    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] for a file that cannot be read
    as CSV and [`InvalidStudyError`][relcoord.errors.InvalidStudyError] listing records with the
    wrong number of fields, each at ``file:line:column``.  A header of more than
    ``max_columns`` cells and a cell of more than ``max_cell_bytes`` bytes are refused (see
    [`relcoord.bounded_input`][relcoord.bounded_input]).
    """
    if decimal not in ("auto", ".", ","):
        raise InvalidInputError(name, f"decimal must be 'auto', '.' or ',', not {decimal!r}")
    if not raw[:4096].strip() and not raw.strip():
        raise InvalidInputError(f"{name}:1:1", "the file is empty; expected a header line")
    data, used = decode(raw, name, encoding)
    return _parse_text(data, used, name, delimiter=delimiter, decimal=decimal, typed=typed,
                       max_columns=max_columns, max_cell_bytes=max_cell_bytes)


def _parse_text(
    data: bytes | mmap.mmap, used: str, name: str, *, delimiter: str | None, decimal: str,
    typed: Callable[[Sequence[str]], Mapping[int, str]] | None, max_columns: int,
    max_cell_bytes: int, path: Path | None = None, reread: Callable[[], bytes] | None = None,
) -> Table:
    """`parse_table` after decoding: ``data`` is UTF-8 without a byte-order mark, in
    ``used`` encoding.  ``data`` may be ``path`` mapped into memory (see `load_table`):
    then polars reads the file from its path, every other pass here reads the mapping, and
    the table, which outlives the mapping, reads the file again (``reread``) if it must
    locate a problem."""
    sep = sniff_delimiter(data, name, delimiter)  # type: ignore[arg-type]
    guessed = decimal == "auto"
    if guessed:
        decimal = "," if sep != "," else "."
    check_shape(data, sep, name, max_cell_bytes)
    header = read_header(data, sep, name)
    width = len(header)
    if width > max_columns:
        raise InvalidInputError(f"{name}:1:{max_columns + 1}",
                                "the header has " + too_many_columns(width, max_columns))
    dialect = Dialect(encoding=used, delimiter=sep, decimal=decimal,
                      sniffed=delimiter is None, decimal_guessed=guessed)
    columns = [f"c{i}" for i in range(width)]
    types = {} if typed is None or decimal != "." else dict(typed(header))
    # what the checks below need from the bytes, counted before the parse, so that a
    # mapped file's pages can be let go while polars reads its own
    quoted = data.find(b'"') >= 0
    returns = len(data) > max_cell_bytes and data.find(b"\r") >= 0
    delimiters = _count_byte(data, ord(sep)) if width > 1 else 0
    if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        data.madvise(mmap.MADV_DONTNEED)  # the page cache keeps them; no double count
    # (bytes(data) of bytes is data itself; a mapping always comes with its path)
    source: bytes | Path = path if path is not None else bytes(data)
    try:
        frame = _read(source, sep, columns, types)
    except (Exception, pl.exceptions.PanicException) as exc:  # diagnose every failure
        scan = _scan(data, sep, name, strict=True)
        problems = _width_problems(scan, width, name, sep)
        raise_problems(problems)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInputError(name, f"cannot parse as CSV: {reason}") from None
    # no cell is longer than the file, nor, in a file without quotes or carriage returns,
    # than the longest run between delimiters and line breaks (check_shape refused that)
    if len(data) > max_cell_bytes and (quoted or returns):
        table = Table(name, header, frame, dialect, data)
        _check_cells(frame, max_cell_bytes, table.location)
    frame = frame.with_row_index("row")
    if frame.width != width + 1:
        raise InvalidInputError(f"{name}:1:1", f"the parser found {frame.width - 1} columns "
                                f"for the {width} header cells")
    kept = data if reread is None else reread
    if width > 1 and not _widths_ok(delimiters, quoted, frame, header, sep):
        scan = _scan(data, sep, name, strict=True)
        raise_problems(_width_problems(scan, width, name, sep))
        blank = np.flatnonzero(scan.widths[1:] == 0)
        frame = frame.filter(~pl.col("row").is_in(blank.tolist()))
        return Table(name, header, frame, dialect, kept, scan.starts)
    return Table(name, header, frame, dialect, kept)


def load_table(path: Path, *, name: str | None = None, delimiter: str | None = None,
               encoding: str | None = None, decimal: str = "auto",
               max_bytes: int = DEFAULT_MAX_BYTES,
               typed: Callable[[Sequence[str]], Mapping[int, str]] | None = None,
               max_columns: int = DEFAULT_MAX_COLUMNS,
               max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES) -> Table:
    """Read one CSV file (at most ``max_bytes``) and parse it with
    [`parse_table`][relcoord.formats.csv.table.parse_table].

    A regular file of ASCII text (no byte-order mark, no NUL byte; the usual export) is
    not read into memory first: it is mapped, its size (at most ``max_bytes``) fixed by the
    mapping, the checks read the mapping, and polars reads the file from its path, as
    `polars.read_csv(path)` does.  If the file changes size while it is parsed, it is read
    again the general way.  Any other file is read in full
    ([`read_limited`][relcoord.formats.csv.dialect.read_limited]) and decoded.
    """
    label = str(path) if name is None else name
    path = Path(path)
    options = {"delimiter": delimiter, "decimal": decimal, "typed": typed,
               "max_columns": max_columns, "max_cell_bytes": max_cell_bytes}
    if encoding is None and decimal in ("auto", ".", ",") and (
            delimiter is None or delimiter.isascii()):
        mapped = mapped_text(path, max_bytes)
        if mapped is not None:
            data, size = mapped
            with data:  # closed once parsed: nothing reads it afterwards
                table = _parse_text(
                    data, "utf-8", label, path=path,
                    reread=functools.partial(read_limited, path, label, max_bytes),
                    **options)  # type: ignore[arg-type]
            if size_of(path) == size:
                return table
    raw = read_limited(path, label, max_bytes)
    return parse_table(raw, label, encoding=encoding, **options)  # type: ignore[arg-type]


def size_of(path: Path) -> int:
    """The size of the file at ``path`` (``-1`` when it cannot be read)."""
    try:
        return path.stat().st_size
    except OSError:
        return -1


def mapped_text(path: Path, max_bytes: int, *, checked: bool = True
                 ) -> tuple[mmap.mmap, int] | None:
    """``path`` mapped read-only, and its size, when it is a regular file of at most
    ``max_bytes`` bytes of ASCII text (no byte-order mark, no NUL byte) that is not blank
    at its head; else ``None`` (the general path reads it, refusing what it must).
    Without ``checked``, the caller looks for NUL bytes and bytes beyond ASCII itself."""
    try:
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            size = info.st_size
            if not stat.S_ISREG(info.st_mode) or not 0 < size <= max_bytes:
                return None
            data = mmap.mmap(file.fileno(), size, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    if (data[:len(codecs.BOM_UTF8)] == codecs.BOM_UTF8 or not data[:4096].strip()
            or (checked and (data.find(b"\x00") >= 0 or not _ascii(data)))):
        data.close()
        return None
    return data, size


def _ascii(data: mmap.mmap) -> bool:
    """Whether every byte of ``data`` is ASCII, by 1 MiB blocks."""
    view = np.frombuffer(data, dtype=np.uint8)
    return all(int(view[i:i + _COUNT_BLOCK].max()) < 0x80
               for i in range(0, len(view), _COUNT_BLOCK))


def _read(source: bytes | Path, sep: str, columns: list[str],
          types: Mapping[int, str]) -> pl.DataFrame:
    """Parse with polars: all columns as text, or with ``types`` when the cells allow."""
    def read(overrides: dict[str, Any]) -> pl.DataFrame:
        return pl.read_csv(
            source, has_header=True, new_columns=columns, infer_schema=False, separator=sep,
            quote_char='"', empty_string_is_null=False, raise_if_empty=False,
            schema_overrides=overrides or None,
        )

    if types:
        dtypes = {"float": pl.Float64, "category": pl.Categorical, "text": pl.String}
        try:
            return read({columns[i]: dtypes[kind] for i, kind in types.items()})
        except (Exception, pl.exceptions.PanicException):  # text among the numbers: read
            # as text, report later
            pass
    return read({})


def _widths_ok(delimiters: int, quoted: bool, frame: pl.DataFrame, header: Sequence[str],
               sep: str) -> bool:
    """True when every record has exactly ``len(header)`` fields, checked by counting.

    polars refuses a record with too many fields but pads one with too few.  Counting the
    ``delimiters`` in the file, minus those inside field values (only in a ``quoted`` file)
    and the header, gives ``(width - 1) * rows`` exactly when no record is short and no
    line is blank.
    """
    width = len(header)
    inside = sum(h.count(sep) for h in header) + (width - 1)
    schema = frame.schema  # built anew on each access: once, not once per column
    texts = [f"c{i}" for i in range(width) if schema[f"c{i}"] != pl.Float64]
    if frame.height and texts and quoted:  # only a quoted field can hold it
        counts = frame.select(
            pl.sum_horizontal(
                pl.col(c).cast(pl.String).str.count_matches(sep, literal=True).sum()
                for c in texts
            )
        ).item()
        inside += int(counts or 0)
    return bool(delimiters - inside == (width - 1) * frame.height)


def _count_byte(data: bytes | mmap.mmap, byte: int) -> int:
    """How often ``byte`` occurs in ``data``: numpy over 1 MiB blocks, a few times faster
    than `bytes.count` on a large file, without a file-sized temporary (a character of
    more than one byte is counted by `bytes.count`)."""
    if byte > 0x7F:
        return bytes(data).count(chr(byte).encode()) if isinstance(data, mmap.mmap) \
            else data.count(chr(byte).encode())
    view = np.frombuffer(data, dtype=np.uint8)
    return sum(int(np.count_nonzero(view[i:i + _COUNT_BLOCK] == byte))
               for i in range(0, len(view), _COUNT_BLOCK))


def _width_problems(scan: _Scan, width: int, name: str, sep: str) -> list[Problem]:
    widths = scan.widths[1:]
    bad = np.flatnonzero((widths != width) & (widths != 0))
    problems: list[Problem] = []
    for index in bad[:MAX_PROBLEMS]:
        found = int(widths[index])
        line = int(scan.starts[index + 1])
        if found < width:
            text = (f"expected {width} fields as in the header, found {found}; "
                    "the row is short (the file may be truncated)")
            column = found + 1
        else:
            text = (f"expected {width} fields as in the header, found {found}; is "
                    f"{delimiter_name(sep)} the delimiter, and are fields holding it quoted?")
            column = width + 1
        problems.append(Problem(f"{name}:{line}:{column}", text))
    if len(bad) > MAX_PROBLEMS:
        line = int(scan.starts[bad[MAX_PROBLEMS] + 1])
        problems.append(Problem(f"{name}:{line}:1",
                                f"... and {len(bad) - MAX_PROBLEMS:,} more rows with the wrong "
                                "number of fields"))
    return problems
