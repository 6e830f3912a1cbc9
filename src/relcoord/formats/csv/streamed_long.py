"""A large long table read in batches, its labels coded as polars parses them.

Parsing a whole file into one frame holds every label cell at once (16 bytes a text cell,
five label columns: 2.5 GB at 31.5 million rows), and parsing the labels as categoricals
runs on one core.  Here polars' streaming engine parses the file in batches on its
threads (`polars.LazyFrame.collect_batches`) while this thread codes each batch's
label columns with the compiled coder
([`LabelCoder`][relcoord.formats.csv.hashed_labels.LabelCoder], which releases the GIL)
and keeps only the codes and the answers: the parse and the coding overlap, and no label
cell outlives its batch.  The plainest files (labels of at most 12 bytes, answers written
as plain decimal numbers) are not even parsed by polars: a compiled scan reads the mapped
bytes itself ([`scan_plain`][relcoord.formats.csv.plain_scan.scan_plain]), and only a
file it leaves is parsed in batches.

[`stream_long`][relcoord.formats.csv.streamed_long.stream_long] takes only the common
case: a regular file of ASCII text (mapped, as
[`load_table`][relcoord.formats.csv.table.load_table] maps it) without quotes, ``.`` as
decimal mark, labels of at most 12 bytes, a header that names the long layout's fields
(no ``rating`` column), numbers in the answer column, and every record as wide as the
header (no blank line).  Anything else, and any problem at all, gives ``None`` before a
note is written: the caller then reads the file the general way, which reports every
problem at its ``file:line:column`` as it always does.  The checks are those of
[`parse_table`][relcoord.formats.csv.table.parse_table], on the same bytes.
"""

from __future__ import annotations

import functools
import mmap
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.formats.csv.dialect import Dialect, read_limited, sniff_delimiter
from relcoord.formats.csv.hashed_labels import LabelCoder, LabelCodes, coding_kernel
from relcoord.formats.csv.plain_scan import scan_plain
from relcoord.formats.csv.read_options import ReadOptions
from relcoord.formats.csv.table import (  # the checks of parse_table, on the same bytes
    Table,
    check_shape,
    mapped_text,
    read_header,
    size_of,
)
from relcoord.optional_dependencies import optional_module

if TYPE_CHECKING:
    import polars as pl
else:
    pl = optional_module("polars", "reading and writing CSV files")

__all__ = ["StreamedLong", "stream_long"]

#: What the caller asks of a header: the column of each field, or ``None`` when the file
#: is not for this path (a ``rating`` column, a field missing).
Locate = Callable[[Sequence[str]], Mapping[str, int] | None]


@attrs.frozen(eq=False)
class StreamedLong:
    """A long table read by `stream_long`.

    ``table`` has the header, the dialect and a frame holding only the ``row`` column (the
    cells are not kept; a problem found later is located by reading the file again);
    ``pos`` the column of each field; ``labels`` each label field's codes (``item`` among
    them); ``numbers`` each row's answer (``NaN`` when empty).
    """

    table: Table
    pos: Mapping[str, int]
    labels: dict[str, LabelCodes]
    numbers: npt.NDArray[np.float64]


def stream_long(path: Path, opts: ReadOptions, locate: Locate,
                label_fields: Sequence[str]) -> StreamedLong | None:
    """Read the long table at ``path`` in batches (see the module docstring), or ``None``
    when it is not the common case or has any problem (then nothing has been noted).

    ``locate`` gives each field's column from the header; ``label_fields`` are the fields
    coded (those of them the header has).  Needs numba (the ``fast`` extra).
    """
    kernels = coding_kernel()
    if (kernels is None or opts.encoding is not None or opts.decimal not in ("auto", ".")
            or (opts.delimiter is not None and not opts.delimiter.isascii())):
        return None
    path = Path(path)
    mapped = mapped_text(path, opts.max_bytes, checked=False)  # _census checks
    if mapped is None:
        return None
    data, size = mapped
    with data:  # closed once parsed
        streamed = _stream(path, data, opts, locate, label_fields, kernels)
    return streamed if streamed is not None and size_of(path) == size else None


def _stream(path: Path, data: mmap.mmap, opts: ReadOptions, locate: Locate,
            label_fields: Sequence[str], kernels: Any) -> StreamedLong | None:
    """`stream_long` on the mapped file: the compiled scan of a plain file, or else the
    checks of the bytes (`_census`) in a thread while polars parses (`_parsed`)."""
    name = str(path)
    try:
        sep = sniff_delimiter(data, name, opts.delimiter)  # type: ignore[arg-type]
        decimal = ("," if sep != "," else ".") if opts.decimal == "auto" else opts.decimal
        if decimal != ".":  # numbers with ',': parsed as text by the general path
            return None
        check_shape(data, sep, name, opts.max_cell_bytes)
        header = read_header(data, sep, name)
    except InvalidInputError:  # the general path reports it
        return None
    width = len(header)
    pos = locate(header) if 1 < width <= opts.max_columns else None
    if pos is None:
        return None
    found = scan_plain(data, sep, header, pos, label_fields, opts.max_cell_bytes)
    if found is None:  # not plain: polars parses it
        found = _parsed(path, data, sep, header, pos, label_fields, kernels,
                        opts.max_cell_bytes)
    if found is None:
        return None
    labels, numbers = found
    rows = len(numbers)
    dialect = Dialect(encoding="utf-8", delimiter=sep, decimal=decimal,
                      sniffed=opts.delimiter is None, decimal_guessed=opts.decimal == "auto")
    row_index = pl.DataFrame({"row": pl.int_range(rows, dtype=pl.UInt32, eager=True)})
    table = Table(name, header, row_index, dialect,
                  functools.partial(read_limited, path, name, opts.max_bytes))
    return StreamedLong(table=table, pos=pos, labels=labels, numbers=numbers)


def _parsed(path: Path, data: mmap.mmap, sep: str, header: Sequence[str],
            pos: Mapping[str, int], label_fields: Sequence[str], kernels: Any,
            max_cell_bytes: int) -> tuple[dict[str, LabelCodes], npt.NDArray[np.float64]] | None:
    """The file parsed by polars in batches (`_batches`) while its bytes are checked in a
    thread (`_census`), or ``None`` when either refuses it."""
    width = len(header)
    # a cell is bounded by check_shape's runs unless a carriage return ends a line
    long_cells = len(data) > max_cell_bytes and data.find(b"\r") >= 0
    with ThreadPoolExecutor(1) as checker:
        census = checker.submit(_census, data, sep)
        found = _batches(path, sep, header, pos, label_fields, kernels,
                         max_cell_bytes if long_cells else None)
        checked = census.result()
    if found is None or checked is None or checked.quotes:  # a NUL byte or a byte beyond
        return None  # ASCII, or quoted cells (a delimiter may be inside one)
    rows = len(found[1])
    if not rows or checked.delimiters - (width - 1) != (width - 1) * rows:  # a record
        return None  # short or blank
    return found


def _batches(path: Path, sep: str, header: Sequence[str], pos: Mapping[str, int],
             label_fields: Sequence[str], kernels: Any, max_cell_bytes: int | None
             ) -> tuple[dict[str, LabelCodes], npt.NDArray[np.float64]] | None:
    """The file parsed in batches, each batch's label columns coded in threads: the codes
    and the answers, or ``None`` when polars refuses a batch (text among the numbers, a
    record too long...), a label column cannot be coded, or (``max_cell_bytes`` given) a
    cell is longer."""
    width = len(header)
    fields = {f: pos[f] for f in label_fields if f in pos}
    columns = [f"c{i}" for i in range(width)]
    value = columns[pos["value"]]
    types = dict.fromkeys(columns, pl.String) | {value: pl.Float64}
    frame = pl.scan_csv(  # as table._read parses, in batches
        path, has_header=True, new_columns=columns, infer_schema=False, separator=sep,
        quote_char='"', empty_string_is_null=False, raise_if_empty=False,
        schema_overrides=types)
    # no record is shorter than its delimiters and line break: a bound on the rows, in
    # address space only (a page is used once written)
    capacity = (size_of(path) + 1) // width
    rows = 0
    try:
        coders = {f: LabelCoder(kernels, capacity) for f in fields}
        numbers = np.empty(capacity)
        with ThreadPoolExecutor(min(2, len(coders))) as pool:
            for batch in frame.collect_batches():
                m = batch.height
                if rows + m > capacity or (
                        max_cell_bytes is not None and _longest_cell(batch) > max_cell_bytes):
                    return None
                coding = [pool.submit(coder.add, batch.get_column(columns[fields[f]]))
                          for f, coder in coders.items()]
                numbers[rows:rows + m] = batch.get_column(value).to_numpy()
                if not all(done.result() for done in coding):
                    return None
                rows += m
    except (Exception, pl.exceptions.PanicException):  # the general path diagnoses it
        return None
    return {f: coder.coded() for f, coder in coders.items()}, numbers[:rows]


@attrs.frozen
class _Census:
    """What the checks need to know of a file's bytes: how many delimiters, whether a
    quote occurs."""

    delimiters: int
    quotes: bool


#: Bytes counted at a time by `_census` (each block is read from memory once).
_BLOCK: Final = 1 << 18


def _census(data: mmap.mmap, sep: str) -> _Census | None:
    """The delimiters and quotes of ``data`` in one pass over blocks
    that stay in the cache, or ``None`` when it holds a NUL byte or a byte beyond ASCII
    (the general path reads such a file).  The same facts as the several whole-file
    passes of [`parse_table`][relcoord.formats.csv.table.parse_table] and
    [`load_table`][relcoord.formats.csv.table.load_table]."""
    view = np.frombuffer(data, dtype=np.uint8)
    delimiter = ord(sep)
    delimiters, quotes = 0, False
    for i in range(0, len(view), _BLOCK):
        block = view[i:i + _BLOCK]
        if int(block.max()) >= 0x80 or not block.all():  # beyond ASCII, or a NUL byte
            return None
        delimiters += int(np.count_nonzero(block == delimiter))
        quotes = quotes or bool((block == 0x22).any())
        if _LET_GO is not None:  # counted: the page cache keeps it, this process need not
            data.madvise(_LET_GO, i, len(block))
    return _Census(delimiters, quotes)


#: How `_census` lets go of the pages it has read (``None`` where mmap cannot).
_LET_GO: Final = getattr(mmap, "MADV_DONTNEED", None)


def _longest_cell(batch: pl.DataFrame) -> int:
    """The longest text cell of ``batch`` in bytes."""
    text = [c for c, t in batch.schema.items() if t == pl.String]
    if not text:
        return 0
    longest = batch.select(pl.max_horizontal(pl.col(text).str.len_bytes().max())).item()
    return int(longest or 0)
