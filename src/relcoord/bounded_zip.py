"""Reading zip archives within limits: named entries, no encryption, no zip bombs.

A zip declares its entries' sizes, and a crafted one declares small sizes and unpacks
without end.  [`zip_entries`][relcoord.bounded_zip.zip_entries] lists an archive's files,
refusing a name used twice (which of the two is meant is not clear) and encrypted entries;
[`unpack_entry`][relcoord.bounded_zip.unpack_entry] decompresses one entry block by block and
stops at the smallest of what is left of the caller's byte budget, the size the entry declares
and a multiple of its compressed size.  Every refusal is an
[`InvalidInputError`][relcoord.errors.InvalidInputError] naming the entry and the option that
decides.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import Final

from relcoord.bounded_input import BLOCK_BYTES
from relcoord.errors import InvalidInputError

__all__ = ["UNREADABLE_ZIP", "unpack_entry", "zip_entries"]

#: What reading a damaged zip can raise, from the directory to a member's deflate stream
#: (``zlib.error``), an unsupported compression (``NotImplementedError``) or encryption
#: (``RuntimeError``): every reader of zips turns these into its own located error.
UNREADABLE_ZIP: Final = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError,
                         RuntimeError, NotImplementedError, ValueError, zlib.error)


def zip_entries(archive: zipfile.ZipFile, where: str) -> dict[str, zipfile.ZipInfo]:
    """Name -> entry of every file in ``archive`` (``where`` names the archive in errors).

    A name used twice is refused (a zip tool would show one of the two), and so is an
    encrypted entry (relcoord cannot decrypt).
    """
    infos: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.filename in infos:
            raise InvalidInputError(f"{where}/{info.filename}", (
                "the zip holds two entries of this name; which one is meant is not clear, so "
                "make the zip again with one"))
        if info.flag_bits & 0x1:
            raise InvalidInputError(f"{where}/{info.filename}", (
                "the entry is encrypted (password-protected); relcoord reads unencrypted "
                "zips: make the zip again without a password"))
        infos[info.filename] = info
    return infos


def unpack_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: int,
                 max_ratio: int, *, what: str = "the tables") -> bytes:
    """The bytes of one entry, decompressed block by block.

    Never more than ``budget`` (what is left of the ``max_bytes`` option), the size the entry
    declares, or ``max_ratio`` times its compressed size (a zip bomb declares small sizes and
    unpacks without end).  ``what`` names the content in the message when ``budget`` is
    passed (``"the tables"``).
    """
    by_ratio = max_ratio * max(info.compress_size, 1)
    limit = min(budget, by_ratio, info.file_size)
    blocks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as handle:
            while total <= limit and (block := handle.read(min(BLOCK_BYTES, limit + 1 - total))):
                blocks.append(block)
                total += len(block)
    except UNREADABLE_ZIP as exc:
        raise InvalidInputError(where, f"cannot unpack: {exc}") from None
    if total <= limit:
        return b"".join(blocks)
    if limit == budget:
        raise InvalidInputError(where, (
            f"{what} unpack to more than the limit of {budget:,} bytes; raise it with the "
            "max_bytes option if the file is trusted"))
    if limit == by_ratio:
        raise InvalidInputError(where, (
            f"unpacks to more than {max_ratio} times its compressed size "
            f"({info.compress_size:,} bytes), which no relcoord file does (a zip bomb?); raise "
            "the option max_ratio if the file is trusted (relcoord: -I max_ratio=N)"))
    raise InvalidInputError(where, "unpacks to more bytes than the archive declares")
