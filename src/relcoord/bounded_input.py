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
"""

from __future__ import annotations

import io
import os
import stat
from typing import IO, Final

from relcoord.errors import InvalidInputError

__all__ = ["BLOCK_BYTES", "read_bounded", "read_stream_bounded", "too_large"]

#: How many bytes one read asks for.
BLOCK_BYTES: Final = 1 << 20


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

