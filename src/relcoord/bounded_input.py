"""Reading input within limits: a limit is enforced while the bytes arrive, never from ``stat()``.

A file's size as ``stat()`` reports it says nothing about how many bytes a read returns:
``/dev/zero``, a FIFO or a file that grows while it is read report 0 or a small size and
then deliver without end.  Every importer therefore reads through
[`read_bounded`][relcoord.bounded_input.read_bounded], which reads block by block and stops one byte
past the limit, and decompresses through
[`read_stream_bounded`][relcoord.bounded_input.read_stream_bounded], which does the same with any
stream (a zip member).  A folder where a file is expected, a missing or unreadable file, and a read
error are all [`InvalidInputError`][relcoord.errors.InvalidInputError] naming the file; a limit that
is exceeded names the option that raises it.

Besides the bytes of a file, a table's shape is bounded while it is read
([`TableLimits`][relcoord.bounded_input.TableLimits]): at most
[`DEFAULT_MAX_COLUMNS`][relcoord.bounded_input.DEFAULT_MAX_COLUMNS] columns (the option
``max_columns``, checked at the header, before any record is parsed) and at most
[`DEFAULT_MAX_CELL_BYTES`][relcoord.bounded_input.DEFAULT_MAX_CELL_BYTES] bytes in one cell
(``max_cell_bytes``; [`long_run`][relcoord.bounded_input.long_run] finds a longer cell in a
text file's bytes before a parser meets it).
[`too_many_columns`][relcoord.bounded_input.too_many_columns] and
[`too_long_cell`][relcoord.bounded_input.too_long_cell] say so, naming the option.

The defaults, and why:

* ``max_bytes``, 2 GiB: a long CSV of 100,000 respondents each rating 40 roles on seven
  items (28 million answers) is about 1 GiB; parsing takes a few times a file's size in
  memory, which 2 GiB keeps within a 16 GB machine.
* ``max_columns``, 16,384: as many columns as a worksheet holds (A ... XFD), far more
  than a survey has variables.
* ``max_cell_bytes``, 1 MiB: a worksheet cell holds at most 32,767 characters and an SPSS
  string 32,767 bytes; no name, label or answer comes near a mebibyte.
"""

from __future__ import annotations

import io
import mmap
import os
import stat
from typing import IO, Final

import attrs

from relcoord.errors import InvalidInputError

__all__ = [
    "BLOCK_BYTES",
    "DEFAULT_MAX_CELL_BYTES",
    "DEFAULT_MAX_COLUMNS",
    "TableLimits",
    "long_run",
    "read_bounded",
    "read_stream_bounded",
    "too_large",
    "too_long_cell",
    "too_many_columns",
]

#: How many bytes one read asks for.
BLOCK_BYTES: Final = 1 << 20
#: Tables with more columns than this are refused unless ``max_columns`` raises it: 16,384,
#: as many as a worksheet holds.
DEFAULT_MAX_COLUMNS: Final = 16_384
#: Cells longer than this many bytes are refused unless ``max_cell_bytes`` raises it: 1 MiB
#: (a worksheet cell holds at most 32,767 characters).
DEFAULT_MAX_CELL_BYTES: Final = 1 << 20


@attrs.frozen
class TableLimits:
    """The limits on a table's shape: ``max_columns`` columns, ``max_cell_bytes`` bytes in
    one cell (the options of those names)."""

    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES


def too_many_columns(count: int, limit: int, option: str = "max_columns", *,
                     what: str = "columns") -> str:
    """The message for a table of ``count`` columns (or ``what``), more than ``limit``."""
    return (f"{count:,} {what}, more than the limit of {limit:,}; raise the option {option} "
            f"if the input is trusted (relcoord: -I {option}=N)")


def too_long_cell(size: int | None, limit: int, option: str = "max_cell_bytes") -> str:
    """The message for a cell of ``size`` bytes (``None``: not counted to the end), more
    than ``limit``."""
    held = "a cell longer than" if size is None else f"a cell of {size:,} bytes, more than"
    return (f"{held} the limit of {limit:,} bytes; raise the option {option} if the input is "
            f"trusted (relcoord: -I {option}=BYTES)")


def long_run(data: bytes | mmap.mmap, limit: int, stops: bytes = b"\n\r") -> int | None:
    """The offset in ``data`` (bytes, or a file mapped into memory) where the first run of
    more than ``limit`` bytes without any of the bytes ``stops`` (line breaks and a
    delimiter) begins, or ``None``.

    It looks at one window of ``limit`` + 1 bytes at a time and jumps past the last stop in
    it: about ``len(data) / limit`` searches, each at the speed of ``memrchr``.
    """
    if limit < 0:
        raise ValueError(f"limit must not be negative, not {limit}")
    if not stops:
        return 0 if len(data) > limit else None
    position = 0
    while len(data) - position > limit:
        end = position + limit + 1
        # the most frequent stop first: usually found near ``end``; one-byte strings, which
        # both bytes and a mapping search for (a mapping's rfind takes no byte's value)
        for stop in (stops[i:i + 1] for i in range(len(stops))):
            cut = data.rfind(stop, position, end)
            if cut >= 0:
                position = cut + 1
                break
        else:
            return position
    return None


def too_large(what: str, limit: int, option: str | None = "max_bytes") -> str:
    """The message for input past ``limit`` bytes: what was found and which option decides
    (``None``: no option raises the limit)."""
    if option is None:
        return f"{what} larger than the limit of {limit:,} bytes"
    return (f"{what} larger than the limit of {limit:,} bytes; raise the option {option} if "
            f"the input is trusted (relcoord: -I {option}=N)")


def read_stream_bounded(stream: IO[bytes], name: str, limit: int, *,
                        option: str | None = "max_bytes", what: str = "the file is",
                        size_hint: int = 0) -> bytes:
    """Every byte of ``stream``, refusing (at ``limit`` + 1 bytes read) a stream that holds
    more than ``limit`` bytes; at most one block past the limit is ever in memory.

    ``size_hint`` (a regular file's size as ``stat()`` reports it) only sizes the first
    read: a file of that size arrives in one read, without a copy; whatever follows (a file
    that grew) is read block by block, under the same limit.
    """
    first = stream.read(min(max(size_hint, 0), limit) + 1) if size_hint > 0 else b""
    if len(first) > limit:
        raise InvalidInputError(name, too_large(what, limit, option))
    buffer = io.BytesIO()  # getvalue() hands over its buffer: no second copy of the bytes
    total = len(first)
    while True:
        block = stream.read(min(BLOCK_BYTES, limit + 1 - total))
        if not block:
            if not buffer.tell():
                return first  # the common case: the whole file in the first read
            return first + buffer.getvalue()
        total += len(block)
        if total > limit:
            raise InvalidInputError(name, too_large(what, limit, option))
        buffer.write(block)


def read_bounded(path: str | os.PathLike[str], name: str | None = None, *, limit: int,
                 option: str | None = "max_bytes", expected: str = "a file") -> bytes:
    """The bytes of the file at ``path``, at most ``limit`` of them.

    Regular and special files alike (a FIFO, ``/dev/stdin``, ``/dev/zero``) are read block
    by block; the read stops once ``limit`` is passed and raises
    [`InvalidInputError`][relcoord.errors.InvalidInputError] naming ``option``.  A folder, a missing
    file or one that cannot be read is also an ``InvalidInputError``, at ``name`` (default: the
    path as given); ``expected`` says what should have been there.
    """
    label = str(path) if name is None else name
    if limit < 0:
        raise ValueError(f"limit must not be negative, not {limit}")
    try:
        handle = open(path, "rb", buffering=0)  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise InvalidInputError(label, f"cannot read the file: no such file; expected "
                                f"{expected}") from None
    except IsADirectoryError:
        raise InvalidInputError(label, f"is a folder; expected {expected}") from None
    except OSError as error:
        raise InvalidInputError(label, f"cannot read the file: {error.strerror or error}"
                                ) from None
    with handle:
        try:
            status = os.fstat(handle.fileno())
            if stat.S_ISDIR(status.st_mode):
                raise InvalidInputError(label, f"is a folder; expected {expected}")
            hint = status.st_size if stat.S_ISREG(status.st_mode) else 0
            return read_stream_bounded(handle, label, limit, option=option, size_hint=hint)
        except IsADirectoryError:
            raise InvalidInputError(label, f"is a folder; expected {expected}") from None
        except OSError as error:
            raise InvalidInputError(label, f"cannot read the file: {error.strerror or error}"
                                    ) from None

