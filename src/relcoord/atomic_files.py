"""Atomic output: write to a temporary path beside the destination, rename on success.

Every file relcoord writes goes through [`atomic_path`][relcoord.atomic_files.atomic_path], so a
failed export leaves no partial file behind and does not clobber the file (or folder) that was there
before.  The temporary path lives in the destination's own folder, so the final rename never crosses
a file system and `os.replace` is atomic (POSIX ``rename(2)``; on Windows
``MoveFileEx`` with ``MOVEFILE_REPLACE_EXISTING``).

A folder cannot be replaced in one atomic step; for folders the old one is first renamed
aside, the new one renamed into place, and only then the old one removed.  If the second
rename fails the old folder is put back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from relcoord.errors import InvalidInputError

__all__ = ["atomic_path", "write_bytes_atomic"]


def _umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_destination(destination: Path, directory: bool) -> None:
    parent = destination.parent
    if not parent.is_dir():
        raise InvalidInputError(str(destination), f"folder {str(parent)!r} does not exist")
    if destination.exists():
        if directory and not destination.is_dir():
            raise InvalidInputError(str(destination), "exists and is not a folder")
        if not directory and destination.is_dir():
            raise InvalidInputError(str(destination), "is a folder; give a file name")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _replace_directory(temporary: Path, destination: Path) -> None:
    if not destination.exists():
        os.replace(temporary, destination)
        return
    # A fresh unique name beside the destination: make a folder, then free the name.
    aside = Path(
        tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=".old", dir=destination.parent)
    )
    aside.rmdir()
    os.replace(destination, aside)
    try:
        os.replace(temporary, destination)
    except BaseException:
        os.replace(aside, destination)
        raise
    shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def atomic_path(destination: str | Path, *, directory: bool = False) -> Iterator[Path]:
    """Hand out a temporary path beside ``destination``; move it into place on success.

    With ``directory=False`` the temporary path is an empty file that the caller
    overwrites; with ``directory=True`` it is an empty folder that the caller fills.  When
    the ``with`` block raises, the temporary path is removed and ``destination`` is left as
    it was; when it completes, the file is flushed to disk, given the permissions a new file
    gets under the process umask, and renamed over ``destination``.

    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] when the destination's folder
    does not exist, or when a file is to replace a folder or the other way round.
    """
    destination = Path(destination)
    _check_destination(destination, directory)
    prefix, suffix = f".{destination.name}.", ".tmp"
    if directory:
        temporary = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=destination.parent))
    else:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=destination.parent)
        os.close(handle)
        temporary = Path(name)
    try:
        yield temporary
        if directory:
            os.chmod(temporary, 0o777 & ~_umask())
            _replace_directory(temporary, destination)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
            handle = os.open(temporary, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
            os.replace(temporary, destination)
    except BaseException:
        _remove(temporary)
        raise


def write_bytes_atomic(destination: str | Path, data: bytes) -> None:
    """Write ``data`` to ``destination`` atomically (see
    [`atomic_path`][relcoord.atomic_files.atomic_path])."""
    with atomic_path(destination) as temporary:
        temporary.write_bytes(data)
