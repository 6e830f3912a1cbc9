"""Atomic output: write to a temporary path beside the destination, rename on success.

Every file relcoord writes goes through [`atomic_path`][relcoord.atomic_files.atomic_path], so a
failed export leaves no partial file behind and does not clobber the file (or folder) that was there
before.  The temporary path lives in the destination's own folder, so the final rename never crosses
a file system and `os.replace` is atomic (POSIX ``rename(2)``; on Windows
``MoveFileEx`` with ``MOVEFILE_REPLACE_EXISTING``).

What it never does:

* **replace a folder it did not write.**  Every folder relcoord writes holds a marker file,
  `MARKER`; an existing folder is replaced only when it holds that
  marker or is empty, and refused otherwise (the user's own files are never deleted).
* **replace a special file.**  ``/dev/null``, a FIFO or another character device given as
  a file output is written to as a stream once the output is complete; a socket or a block
  device is refused.  A folder output over one is refused.
* **leave litter.**  Temporary names are cut to fit the file system's limit on a name
  (``NAME_MAX``); SIGTERM and SIGHUP during a write raise `SystemExit` (as Ctrl-C
  raises `KeyboardInterrupt`), so the temporary path is removed on every way out.
* **let a file-system failure through raw.**  A read-only folder, a full disk, a file size
  limit (``ulimit -f``), a name too long: [`OutputError`][relcoord.errors.OutputError], one line.

A folder cannot be replaced in one atomic step: the old one is renamed aside, the new one
renamed into place, and only then the old one removed.  Several processes writing one folder
at once each retry until their own folder is in place; the last one wins, and every folder
set aside is removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Final

from relcoord.errors import InvalidInputError, OutputError

__all__ = ["MARKER", "atomic_path", "is_relcoord_folder", "write_bytes_atomic"]

#: The file every folder relcoord writes holds: an existing folder is replaced only when it
#: holds this file (or is empty).
MARKER: Final = ".relcoord-output"
_MARKER_TEXT: Final = (
    "This folder was written by relcoord. A later relcoord export to this folder replaces\n"
    "it whole; relcoord refuses to replace a folder without this file.\n"
)
#: Retries of the folder swap when other processes write the same folder at once.
_SWAP_ATTEMPTS: Final = 50
_TERMINATING: Final = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_signal_lock = threading.Lock()
_signal_depth = 0
_previous_handlers: dict[int, object] = {}


def _umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _folder_state(path: Path) -> str:
    """``"ours"`` (it holds `MARKER`, or is empty), ``"gone"``
    (nothing there: another writer set it aside a moment ago) or ``"foreign"``."""
    try:
        with os.scandir(path) as entries:
            names = [entry.name for entry in entries]
    except FileNotFoundError:
        return "gone"
    except OSError:
        return "foreign"
    return "ours" if not names or MARKER in names else "foreign"


def is_relcoord_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder relcoord wrote (it holds
    `MARKER`) or an empty one: a folder an export may replace."""
    return _folder_state(Path(path)) == "ours"


def _failure(destination: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    if error.errno == errno.ENAMETOOLONG:
        reason = "the name is too long for the file system"
    elif error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "no space left on the device (the disk or the quota is full)"
    elif error.errno == errno.EFBIG:
        reason = "the file is larger than allowed (a file size limit, ulimit -f?)"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = f"{reason}: the folder {str(destination.parent)!r} is not writable"
    return OutputError(str(destination), f"cannot write: {reason}")


def _special(destination: Path) -> int | None:
    """The file type of an existing destination that is neither a regular file nor a
    folder (a character device, FIFO, socket...), else ``None``."""
    try:
        mode = os.stat(destination).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return stat.S_IFMT(mode)


def _check_destination(destination: Path, directory: bool) -> None:
    parent = destination.parent
    if not parent.is_dir():
        raise InvalidInputError(str(destination), f"folder {str(parent)!r} does not exist")
    kind = _special(destination)
    if kind is not None:
        if directory:
            raise OutputError(str(destination), "exists and is not a folder (a device, FIFO "
                              "or socket); relcoord never replaces one")
        if kind not in (stat.S_IFCHR, stat.S_IFIFO):
            raise OutputError(str(destination), "is a socket or block device; relcoord writes "
                              "to files, character devices and FIFOs only")
        return
    # one stat, read once: a concurrent writer may set the destination aside between two
    # looks at it (it then exists for the first and is no folder for the second)
    try:
        is_folder = stat.S_ISDIR(os.stat(destination).st_mode)
    except FileNotFoundError:
        return  # nothing there (or set aside by another writer a moment ago)
    if directory and not is_folder:
        raise InvalidInputError(str(destination), "exists and is not a folder")
    if not directory and is_folder:
        raise InvalidInputError(str(destination), "is a folder; give a file name")
    if directory and _folder_state(destination) == "foreign":
        raise _not_ours(destination)


def _not_ours(destination: Path) -> OutputError:
    return OutputError(str(destination), (
        f"the folder exists and was not written by relcoord (it has no {MARKER} file and "
        "is not empty); relcoord replaces only its own folders, so that no file of yours is "
        "deleted: give a new folder name, or empty or remove this one yourself"))


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


def _fitting(name: str, room: int) -> str:
    """``name`` cut so that its UTF-8 form has at most ``room`` bytes."""
    encoded = name.encode("utf-8", errors="surrogateescape")
    if len(encoded) <= room:
        return name
    return encoded[:max(room, 0)].decode("utf-8", errors="ignore")


def _sibling(destination: Path, suffix: str) -> Path:
    """A fresh name beside ``destination``: ``.NAME.RANDOM.suffix``, cut to fit NAME_MAX."""
    token = secrets.token_hex(6)
    room = _name_max(destination.parent) - len(f"..{token}{suffix}")
    return destination.parent / f".{_fitting(destination.name, room)}.{token}{suffix}"


def _make_temporary(destination: Path, directory: bool) -> Path:
    for _ in range(100):
        temporary = _sibling(destination, ".tmp")
        try:
            if directory:
                os.mkdir(temporary, 0o700)
            else:
                os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return temporary
    raise OutputError(str(destination), "cannot find a free temporary name beside it")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        # the marker last: a writer listing this folder while it is removed (it was at the
        # destination a moment ago) sees relcoord's folder or an empty one, never one
        # without the marker but with files (which it would refuse as not relcoord's)
        with contextlib.suppress(OSError), os.scandir(path) as entries:
            for entry in entries:
                if entry.name == MARKER:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _replace_directory(temporary: Path, destination: Path) -> None:
    """Put the folder ``temporary`` at ``destination``, setting aside and then removing the
    folder there (relcoord's own: checked again just before it is moved)."""
    for _ in range(_SWAP_ATTEMPTS):
        try:
            os.rename(temporary, destination)  # succeeds when nothing is there
            return
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR, errno.ENOTDIR):
                raise
        state = _folder_state(destination)
        if state == "gone":
            continue  # another writer set it aside between our two looks: try again
        if state == "foreign":
            raise _not_ours(destination)
        aside = _sibling(destination, ".old")
        try:
            os.rename(destination, aside)
        except FileNotFoundError:
            continue  # another writer moved it first: try again
        try:
            os.rename(temporary, destination)
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR, errno.ENOTDIR):
                with contextlib.suppress(OSError):
                    os.rename(aside, destination)
                raise
            _remove(aside)  # another writer's folder is in place: retry over it
            continue
        _remove(aside)  # a symbolic link set aside is unlinked, its target kept
        return
    raise OutputError(str(destination), "other processes kept replacing the folder; "
                      "try again")


def _stream_into(temporary: Path, destination: Path) -> None:
    """Copy the finished output into a character device or FIFO (never replacing it)."""
    with temporary.open("rb") as source, open(destination, "wb") as target:
        shutil.copyfileobj(source, target)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _cleanup_on_termination() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into `SystemExit` while a temporary path exists, so
    that the ``except`` below removes it (only where Python can install handlers: the main
    thread; a handler the program installed itself is left alone)."""
    global _signal_depth
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _signal_lock:
        if _signal_depth == 0:
            for signum in _TERMINATING:
                current = signal.getsignal(signum)
                if current in (signal.SIG_DFL, None):
                    _previous_handlers[signum] = current
                    signal.signal(signum, _terminate)
        _signal_depth += 1
    try:
        yield
    finally:
        with _signal_lock:
            _signal_depth -= 1
            if _signal_depth == 0:
                for signum, previous in _previous_handlers.items():
                    signal.signal(signum, previous if previous is not None  # type: ignore[arg-type]
                                  else signal.SIG_DFL)
                _previous_handlers.clear()


def _resolve(destination: Path) -> Path:
    """``destination`` with a real last name: ``.``, ``..`` and ``dir/`` name a folder by
    its path, which has no name to put a temporary beside."""
    if destination.name in ("", ".", ".."):
        return Path(os.path.abspath(destination))
    return destination


@contextlib.contextmanager
def atomic_path(destination: str | Path, *, directory: bool = False) -> Iterator[Path]:
    """Hand out a temporary path beside ``destination``; move it into place on success.

    With ``directory=False`` the temporary path is an empty file that the caller
    overwrites; with ``directory=True`` it is an empty folder that the caller fills (the
    `MARKER` file is added when the caller is done).  When the
    ``with`` block raises (or the process gets SIGTERM, SIGHUP or Ctrl-C), the temporary path is
    removed and ``destination`` is left as it was; when it completes, the file is flushed to disk,
    given the permissions a new file gets under the process umask, and renamed over
    ``destination`` (or, for a character device or FIFO, written into it).

    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] when the destination's folder
    does not exist, or when a file is to replace a folder or the other way round;
    [`OutputError`][relcoord.errors.OutputError] when the destination is a folder relcoord did not
    write, a socket or block device, or when the file system fails (read-only, full, a name
    too long).
    """
    destination = _resolve(Path(destination))
    try:
        _check_destination(destination, directory)
    except OSError as error:
        if isinstance(error, OutputError):
            raise
        raise _failure(destination, error) from None
    streamed = _special(destination) is not None
    with _cleanup_on_termination():
        try:
            temporary = _make_temporary(destination, directory)
        except OSError as error:
            raise _failure(destination, error) from None
        try:
            yield temporary
            if directory:
                (temporary / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
                os.chmod(temporary, 0o777 & ~_umask())
                _replace_directory(temporary, destination)
            elif streamed:
                _stream_into(temporary, destination)
                _remove(temporary)
            else:
                os.chmod(temporary, 0o666 & ~_umask())
                handle = os.open(temporary, os.O_RDONLY)
                try:
                    os.fsync(handle)
                finally:
                    os.close(handle)
                os.replace(temporary, destination)
        except OSError as error:
            _remove(temporary)
            raise _failure(destination, error) from None
        except BaseException:
            _remove(temporary)
            raise


def write_bytes_atomic(destination: str | Path, data: bytes) -> None:
    """Write ``data`` to ``destination`` atomically (see
    [`atomic_path`][relcoord.atomic_files.atomic_path])."""
    with atomic_path(destination) as temporary:
        temporary.write_bytes(data)
