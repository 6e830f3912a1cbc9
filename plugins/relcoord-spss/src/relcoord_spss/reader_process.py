"""pyreadstat in a child process: a damaged file that crashes or hangs readstat is an error.

readstat, the C library under pyreadstat, trusts what a file says about itself: some
damaged ``.sav``, ``.zsav``, ``.por`` and ``.dta`` files make it read out of bounds (the
process dies with a segmentation fault), abort, allocate gigabytes or loop.  In the
importing process that would end relcoord, its caller and every unsaved thing with them.
So every file is read by [`read_in_child`][relcoord_spss.reader_process.read_in_child] in a
*reader process*: a child started with the ``spawn`` method (a fresh interpreter; the
parent may hold threads, polars' among them, which ``fork`` must not copy) that runs
`serve`, a loop reading one file per request.  The child sends back
the frame as Arrow IPC bytes (the columns' buffers, not one Python object per cell) and the
labels as a small pickled mapping.

A reader process that dies is reported as relcoord's own located error naming the signal
(``FILE: the file is damaged: the SPSS reader stopped with signal 11 (SIGSEGV); ...``); one
that takes longer than the ``max_seconds`` option allows is killed and reported the same
way.  Either way nothing of the file is used and the next read starts a new reader process.
A live reader process is kept for the next file (starting one costs about half a second:
a fresh interpreter importing pyreadstat and polars), so reading the files a ``merge``
option names, or many files in a row, pays for one start; it ends with its parent (and a
process forked from the parent starts its own).

A daemonic process (a worker of a `multiprocessing` pool) may not start children: there,
the file is read in the process itself, unprotected.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Final

import polars as pl

from relcoord.errors import InvalidInputError

__all__ = ["DEFAULT_MAX_SECONDS", "ReadRequest", "read_in_child", "serve", "stop_reader"]

#: How long reading one file may take, in seconds, unless the ``max_seconds`` option says
#: otherwise: ten minutes (a 2 GiB file, the ``max_bytes`` default, takes about one).
DEFAULT_MAX_SECONDS: Final = 600.0
#: How long a reader process is given to end once asked to, before it is killed.
_GRACE_SECONDS: Final = 2.0

#: What the child is asked: the file's path, its kind (``sav``, ``por``, ``dta``) and the
#: character encoding (``None``: what the file says).
ReadRequest = tuple[str, str, str | None]
#: What reads one file in the child: the frame and a picklable mapping of its labels.
_Read = Callable[[str, str, str | None], tuple[pl.DataFrame, dict[str, Any]]]


def serve(connection: Connection, read: _Read) -> None:
    """The reader process: ``read`` the file of each request that arrives on ``connection``
    and send back ``("ok", labels)`` and the frame as Arrow IPC bytes, or
    ``("error", type name, message, is a decoding error)``; end when the parent closes its
    end (or sends ``None``).  ``read`` is a module-level function (sent by reference)."""
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        _answer(connection, read, request)


def _answer(connection: Connection, read: _Read, request: ReadRequest) -> None:
    try:
        frame, labels = read(*request)
        buffer = io.BytesIO()
        frame.write_ipc(buffer, compression="uncompressed")
    except Exception as error:  # every pyreadstat error goes back to be located there
        connection.send(("error", type(error).__name__, str(error),
                         isinstance(error, UnicodeError)))
        return
    connection.send(("ok", labels))
    connection.send_bytes(buffer.getbuffer())


class _Reader:
    """One reader process and the parent's end of its pipe."""

    def __init__(self, read: _Read) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe(duplex=True)
        self.process: BaseProcess = context.Process(
            target=serve, args=(child, read), name="relcoord-spss-reader", daemon=True)
        # ``spawn`` would run the parent's main script again in the child (as
        # ``__mp_main__``): a script that reads a file at its top level, with no
        # ``if __name__ == "__main__"`` guard, would then read (and write) everything twice,
        # or fail.  The child needs nothing of it (``serve`` and ``read`` are found by their
        # modules), so the process is started while ``__main__`` is a bare module.
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            self.process.start()
        finally:
            sys.modules["__main__"] = main
        child.close()

    def stop(self, *, kill: bool = False) -> int | None:
        """End the process (at once when ``kill``); its exit code."""
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.connection.send(None)
        self.process.join(_GRACE_SECONDS)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.connection.close()
        code = self.process.exitcode
        self.process.close()
        return code


_LOCK = threading.Lock()  # reads from several threads take turns with the one process
_READER: list[_Reader] = []  # the live reader process, if any


def _forget_reader() -> None:
    """In a child forked from this process: the reader process and its pipe are the
    parent's (a read starts a new one), and the lock may have been held by another thread."""
    global _LOCK
    _LOCK = threading.Lock()
    _READER.clear()


os.register_at_fork(after_in_child=_forget_reader)


def stop_reader() -> None:
    """End the reader process kept for the next file, if there is one (it also ends with
    the interpreter)."""
    with _LOCK:
        while _READER:
            _READER.pop().stop()


atexit.register(stop_reader)


def _signal_name(number: int) -> str:
    try:
        return f" ({signal.Signals(number).name})"
    except ValueError:
        return ""


def _stopped(name: str, exit_code: int | None) -> InvalidInputError:
    if exit_code is not None and exit_code < 0:
        how = f"stopped with signal {-exit_code}{_signal_name(-exit_code)}"
        return InvalidInputError(name, f"the file is damaged: the SPSS reader {how}; the "
                                 "file is corrupt, truncated or not a file readstat can read "
                                 "(nothing of it was used)")
    # no signal: the process itself failed (it could not start, or ran out of memory in
    # Python); its own error went to standard error
    return InvalidInputError(name, f"the SPSS reader process ended with exit code "
                             f"{exit_code} while reading the file (its error is printed "
                             "above); nothing of the file was used")


def _receive(reader: _Reader, deadline: float, name: str, max_seconds: float) -> Connection:
    """``reader``'s connection once a message is there to receive; kill the reader process
    and refuse the file when none arrives by ``deadline``."""
    if not reader.connection.poll(max(0.0, deadline - time.monotonic())):
        reader.stop(kill=True)
        raise InvalidInputError(name, (
            f"reading the file took more than {max_seconds:g} seconds; the file may be "
            "damaged (the SPSS reader was stopped), or it is large: raise the option "
            f"max_seconds if it is trusted (relcoord: -I max_seconds=SECONDS)"))
    return reader.connection


def _exchange(reader: _Reader, request: ReadRequest, name: str, max_seconds: float
              ) -> tuple[tuple[Any, ...], bytes | None]:
    deadline = time.monotonic() + max_seconds
    reader.connection.send(request)
    head = _receive(reader, deadline, name, max_seconds).recv()
    if head[0] != "ok":
        return head, None
    return head, _receive(reader, deadline, name, max_seconds).recv_bytes()


def read_in_child(request: ReadRequest, *, name: str, max_seconds: float,
                  read_here: _Read) -> tuple[pl.DataFrame, dict[str, Any]] | tuple[
                      str, str, bool]:
    """Read the file of ``request`` with ``read_here`` (a module-level function) in the
    reader process (started if none is alive).

    Returns the frame and labels ``read_here`` would have returned, or, for an exception it
    raised in the child, ``(type name, message, is a decoding error)``.  A reader process
    that dies or takes longer than ``max_seconds`` is an
    [`InvalidInputError`][relcoord.errors.InvalidInputError] at ``name``.  In a daemonic
    process, which may start no child, ``read_here`` reads the file here.
    """
    if multiprocessing.current_process().daemon:
        try:
            return read_here(*request)
        except Exception as error:  # located by the caller, as the child's are
            return type(error).__name__, str(error), isinstance(error, UnicodeError)
    with _LOCK:
        reader = _READER.pop() if _READER else _Reader(read_here)
        try:
            head, data = _exchange(reader, request, name, max_seconds)
        except (EOFError, OSError, BrokenPipeError):
            raise _stopped(name, reader.stop(kill=True)) from None
        _READER.append(reader)
    if data is None:
        return str(head[1]), str(head[2]), bool(head[3])
    return pl.read_ipc(io.BytesIO(data)), head[1]
