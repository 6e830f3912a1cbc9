"""Bytes to CSV text: size guard, encoding, delimiter and decimal mark.

Files from survey platforms and from Excel arrive in several dialects.  This module decides,
before any parsing, how a file is to be read:

* **size**: a file larger than ``max_bytes`` is refused with a clear message (a guard
  against exhausting memory; raise the limit with the ``max_bytes`` option);
* **encoding**: UTF-8, with or without a byte-order mark; otherwise Windows-1252 (what
  Danish and German Excel save as "CSV"), and then a
  [`CsvEncodingWarning`][relcoord.formats.csv.dialect.CsvEncodingWarning] says so. A file that mixes
  UTF-8 lines with cp1252 lines is refused, with the line of each;
* **delimiter**: ``,`` ``;`` or tab, sniffed from the first lines (the one whose count is
  the same on every sampled line wins), or given with the ``delimiter`` option;
* **decimal mark**: ``.``; with a ``;`` or tab delimiter a comma is accepted as decimal mark
  too (``"3,5"``), as Danish Excel writes it.

The result is UTF-8 bytes without a BOM, which the vectorised parser reads directly.
"""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path
from typing import Final

import attrs

from relcoord.bounded_input import read_bounded
from relcoord.errors import InputWarning, InvalidInputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DELIMITERS",
    "CsvEncodingWarning",
    "Dialect",
    "decode",
    "delimiter_name",
    "read_limited",
    "sniff_delimiter",
]

#: Files larger than this are refused unless the ``max_bytes`` option raises it (2 GiB).
DEFAULT_MAX_BYTES: Final = 2 * 1024**3
#: The delimiters that are sniffed, in the order they win a tie.
DELIMITERS: Final = (",", ";", "\t")
_DELIMITER_NAMES: Final = {",": "','", ";": "';'", "\t": "tab"}
#: Lines sampled for sniffing.
_SAMPLE_LINES: Final = 50
_NEWLINE: Final = b"\n"
# A complete multi-byte UTF-8 sequence (2, 3 or 4 bytes).
_UTF8_SEQUENCE: Final = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


class CsvEncodingWarning(InputWarning):
    """A CSV file was not UTF-8 and was read as Windows-1252 (cp1252), at ``location``."""


@attrs.frozen
class Dialect:
    """How one file was read: its encoding, delimiter and decimal mark, and which of the two
    were guessed (``sniffed``: the delimiter; ``decimal_guessed``: the decimal mark)."""

    encoding: str
    delimiter: str
    decimal: str
    sniffed: bool = False
    decimal_guessed: bool = False


def read_limited(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of ``path``, refusing (while reading) a file of more than ``max_bytes``."""
    return read_bounded(path, name, limit=max_bytes, expected="a CSV file")


def _line_and_field(data: bytes, offset: int, delimiter: bytes) -> tuple[int, int]:
    """1-based line of byte ``offset`` and the 1-based field it falls in (quotes ignored)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, data.count(delimiter, line_start, offset) + 1


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[bytes, str]:
    """UTF-8 bytes without BOM for ``data``, and the encoding it was read in.

    With ``encoding`` given, the file is decoded with it (errors are located).  Otherwise
    UTF-8 (a BOM is dropped) is tried first and Windows-1252 second, with a
    [`CsvEncodingWarning`][relcoord.formats.csv.dialect.CsvEncodingWarning]; a file holding both
    UTF-8 sequences and bytes that are not UTF-8 is refused, since no single encoding reads it
    correctly.
    """
    zero = data.find(b"\x00")  # anywhere: a NUL after the first block would reach an id
    if zero >= 0:
        line, field = _line_and_field(data, zero, b",")
        raise InvalidInputError(f"{name}:{line}:{field}", "this is a binary file (or UTF-16), "
                                "not CSV text; save it as CSV UTF-8")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInputError(name, f"unknown encoding {encoding!r}") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line, field = _line_and_field(data, exc.start, _sniff_bytes(data).encode())
            raise InvalidInputError(
                f"{name}:{line}:{field}",
                f"byte 0x{data[exc.start]:02x} is not valid {encoding}",
            ) from None
        return text.lstrip("\ufeff").encode("utf-8"), encoding
    if data.startswith(codecs.BOM_UTF8):
        data, bom = data[len(codecs.BOM_UTF8):], True
    else:
        bom = False
    try:
        if not data.isascii():  # ASCII is UTF-8; checking that is much cheaper than decoding
            data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    else:
        return data, "utf-8-sig" if bom else "utf-8"
    sniffed = _sniff_bytes(data)
    line, field = _line_and_field(data, bad, sniffed.encode())
    utf8 = _UTF8_SEQUENCE.search(data)
    if bom or utf8 is not None:
        where = ""
        if utf8 is not None:
            where = f" (line {data.count(_NEWLINE, 0, utf8.start()) + 1} is UTF-8)"
        raise InvalidInputError(
            f"{name}:{line}:{field}",
            f"byte 0x{data[bad]:02x} is not UTF-8, but the file also holds UTF-8 text{where}: "
            "the file mixes encodings; save it again as CSV UTF-8",
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line, field = _line_and_field(data, exc.start, sniffed.encode())
        raise InvalidInputError(
            f"{name}:{line}:{field}",
            f"byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252; "
            "save the file as CSV UTF-8 or name its encoding with the encoding option",
        ) from None
    warnings.warn(CsvEncodingWarning(
        f"{name}:{line}:{field}",
        f"not UTF-8 (byte 0x{data[bad]:02x}); read as Windows-1252 (cp1252). Save as CSV "
        "UTF-8, or settle it with -I encoding=cp1252 (encoding='cp1252' from Python)",
    ), stacklevel=2)
    return text.encode("utf-8"), "cp1252"


def _counts_outside_quotes(line: bytes) -> dict[str, int]:
    """How often each candidate delimiter occurs in ``line`` outside double quotes."""
    outside = b"".join(line.split(b'"')[::2])
    return {d: outside.count(d.encode()) for d in DELIMITERS}


def _sample(data: bytes) -> list[bytes]:
    lines = data[: 1 << 20].split(b"\n", _SAMPLE_LINES + 1)[:_SAMPLE_LINES]
    if len(lines) > 1 and len(data) > (1 << 20):
        lines = lines[:-1]  # the last one may be cut in the middle
    return [line.rstrip(b"\r") for line in lines if line.strip()]


def _sniff_bytes(data: bytes) -> str:
    """The delimiter that best explains the sample (',' when nothing fits)."""
    lines = _sample(data)
    if not lines:
        return ","
    counts = [_counts_outside_quotes(line) for line in lines]
    header = counts[0]
    consistent = [d for d in DELIMITERS if header[d] and all(c[d] == header[d] for c in counts)]
    if consistent:
        return max(consistent, key=lambda d: (header[d], -DELIMITERS.index(d)))
    present = [d for d in DELIMITERS if header[d]]
    if present:
        return max(present, key=lambda d: (header[d], -DELIMITERS.index(d)))
    return ","


def sniff_delimiter(data: bytes, name: str, delimiter: str | None = None) -> str:
    """The delimiter of UTF-8 ``data``: ``delimiter`` if given, else sniffed from the lines.

    A header without any of ``,`` ``;`` tab is read as one column (``,``); the column
    mapping then says which columns it misses.  Raises
    [`InvalidInputError`][relcoord.errors.InvalidInputError] for an empty file.
    """
    if delimiter is not None:
        if len(delimiter) != 1 or delimiter in '"\r\n':
            raise InvalidInputError(name, f"delimiter {delimiter!r} must be one character, "
                                    "not a quote or line break")
        return delimiter
    if not _sample(data):
        raise InvalidInputError(f"{name}:1:1", "the file is empty; expected a header line")
    return _sniff_bytes(data)


def delimiter_name(delimiter: str) -> str:
    """A readable name for a delimiter (``tab`` rather than an invisible character)."""
    return _DELIMITER_NAMES.get(delimiter, repr(delimiter))
