"""The command line's own lines on standard error: warnings and notes, the progress of a long
step, and with ``--verbose`` the time each step took.

A command's result goes to standard output; everything else it has to say goes through the
[`Console`][relcoord.cli_console.Console] of the running command, one per invocation, kept in the
click context's ``meta`` (which the root group and its command share, so ``relcoord --quiet export
...`` and ``relcoord export --quiet ...`` set the same flag):

- every warning raised while a command runs is one line, ``warning: LOCATION: MESSAGE`` for a
  [`RelcoordWarning`][relcoord.errors.RelcoordWarning], ``note: LOCATION: MESSAGE`` for an
  [`ImportNote`][relcoord.errors.ImportNote] (left out with ``--quiet``), ``warning: MESSAGE`` for
  any other warning; never Python's ``file.py:12: UserWarning`` with a source line
  ([`shows_warnings`][relcoord.cli_console.shows_warnings]);
- [`Console.step`][relcoord.cli_console.Console.step] wraps a step that may take a while (reading a
  study, analysing it, writing an output): when it lasts longer than
  [`PROGRESS_DELAY`][relcoord.cli_console.PROGRESS_DELAY] a status line with a spinner and the
  seconds so far is drawn on standard error, only when that is a terminal and not with ``--quiet``;
  with ``--verbose`` the step ends with one line, ``relcoord: read study.csv in 1.23 s``.

The steps are opaque (a format reads a file in one call), so the display shows that work goes
on and for how long, not a fraction done.  Its phrases come from the message catalogue, in
the language the command's ``--lang`` names, else in English, the language of the command
line's error messages.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, TextIO, TypeVar

import click

from relcoord.errors import ImportNote, RelcoordWarning

__all__ = [
    "PROGRESS_DELAY",
    "Console",
    "console_of",
    "current_console",
    "shows_warnings",
    "verbosity_options",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Seconds a step runs before its progress is shown (a quicker step shows nothing).
PROGRESS_DELAY: Final = 0.5
#: Seconds between two frames of the progress display.
PROGRESS_INTERVAL: Final = 0.1
_FRAMES: Final = "|/-\\"
_KEY: Final = "relcoord.console"
#: The phrase for a path of ``-`` in a step that reads, and in one that writes.
_STREAMS: Final = {"read": "cli.stdin", "write": "cli.stdout"}


def _language() -> str:
    """The language the running command's ``--lang`` names, else English."""
    from relcoord import messages  # the catalogue: when a line is printed, not for --help

    ctx = click.get_current_context(silent=True)
    chosen = ctx.params.get("lang") if ctx is not None else None
    return chosen if chosen in messages.LANGUAGES else "en"


class _Progress:
    """The status line of one step, redrawn by a background thread until it is stopped."""

    def __init__(self, console: Console, label: str, lang: str) -> None:
        self._console = console
        self._label = label
        self._lang = lang
        self._started = time.perf_counter()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="relcoord-progress",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        delay = self._console.progress_delay
        if self._stopped.wait(PROGRESS_DELAY if delay is None else delay):
            return
        from relcoord import messages

        for frame in itertools.cycle(_FRAMES):
            seconds = messages.decimal(time.perf_counter() - self._started, self._lang, 1)
            self._console.draw_status(f"relcoord: {self._label} {frame} {seconds} s")
            if self._stopped.wait(PROGRESS_INTERVAL):
                return

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()
        self._console.clear_status()


class Console:
    """The stderr lines of one command run: flags, warnings, progress and timings.

    ``stream`` is where the lines go (``None``: standard error as it is when a line is
    written, so click's test runner sees them); ``terminal`` says whether that is a
    terminal (``None``: ask the stream).  Progress is drawn only on a terminal, after
    ``progress_delay`` seconds (``None``: [`PROGRESS_DELAY`][relcoord.cli_console.PROGRESS_DELAY]).
    """

    def __init__(self, stream: TextIO | None = None, *, terminal: bool | None = None,
                 progress_delay: float | None = None) -> None:
        self.quiet = False
        self.verbose = False
        self.progress_delay = progress_delay
        self._stream = stream
        self._terminal = terminal
        self._lock = threading.Lock()
        self._status_width = 0

    @property
    def stream(self) -> TextIO:
        """Where the lines go."""
        return self._stream if self._stream is not None else sys.stderr

    def shows_progress(self) -> bool:
        """Whether a long step draws its progress: on a terminal, and not with ``--quiet``."""
        if self.quiet:
            return False
        if self._terminal is not None:
            return self._terminal
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    # -- lines ------------------------------------------------------------------------------

    def echo(self, line: str) -> None:
        """Write ``line`` to standard error (clearing a progress display first)."""
        with self._lock:
            self._clear()
            click.echo(line, file=self.stream)

    def info(self, line: str) -> None:
        """Write ``line`` unless ``--quiet`` (what a command did, e.g. ``a -> b``)."""
        if not self.quiet:
            self.echo(line)

    def show_warning(self, message: Warning | str, category: type[Warning], filename: str,
                     lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
        """Print a warning as one line (the signature of `warnings.showwarning`)."""
        if isinstance(message, ImportNote):
            if not self.quiet:
                self.echo(f"note: {message.location}: {message.message}")
        elif isinstance(message, RelcoordWarning):
            self.echo(f"warning: {message.location}: {message.message}")
        else:
            self.echo(f"warning: {message}")

    # -- progress and timings ---------------------------------------------------------------

    def draw_status(self, text: str) -> None:
        """Draw ``text`` as the status line, over the previous one (cut to the terminal)."""
        width = max(shutil.get_terminal_size().columns - 1, 10)
        text = text[:width]
        with self._lock:
            padding = " " * max(self._status_width - len(text), 0)
            self.stream.write(f"\r{text}{padding}")
            self.stream.flush()
            self._status_width = len(text)

    def clear_status(self) -> None:
        """Remove the status line, if one is drawn."""
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        if self._status_width:
            self.stream.write("\r" + " " * self._status_width + "\r")
            self.stream.flush()
            self._status_width = 0

    @contextlib.contextmanager
    def step(self, name: str, file: str | Path | None = None) -> Iterator[None]:
        """Run the ``with`` block as step ``name`` (``read``, ``analyse`` or ``write``).

        Shows the progress while it runs (see the module docstring) and, with ``--verbose``,
        one line with the seconds it took when it ends without an error.  ``file`` is the
        file the step reads or writes (``-``: standard input or output).
        """
        from relcoord import messages

        lang = _language()
        fields: dict[str, object] = {}
        if file is not None:
            shown = str(file)
            fields["file"] = (messages.text(_STREAMS[name], lang) if shown == "-" and name in
                              _STREAMS else shown)
        started = time.perf_counter()
        progress = (_Progress(self, messages.text(f"cli.step.{name}", lang, **fields), lang)
                    if self.shows_progress() else None)
        try:
            yield
        finally:
            if progress is not None:
                progress.stop()
        if self.verbose:
            seconds = messages.decimal(time.perf_counter() - started, lang, 2)
            self.echo("relcoord: " + messages.text(f"cli.done.{name}", lang, seconds=seconds,
                                                   **fields))


def console_of(ctx: click.Context) -> Console:
    """The console of the command run that ``ctx`` belongs to (made on first use)."""
    console = ctx.meta.get(_KEY)
    if not isinstance(console, Console):
        console = ctx.meta[_KEY] = Console()
    return console


def current_console() -> Console:
    """The console of the running command (a fresh one outside a command)."""
    ctx = click.get_current_context(silent=True)
    return Console() if ctx is None else console_of(ctx)


@contextlib.contextmanager
def shows_warnings() -> Iterator[None]:
    """Within the block, print every warning as one line on the running command's console.

    Every [`RelcoordWarning`][relcoord.errors.RelcoordWarning] is shown, however often it repeats;
    other warnings follow the filters in force.  The previous filters and display come back
    when the block ends.
    """

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        current_console().show_warning(message, category, filename, lineno, file, line)

    with warnings.catch_warnings():
        warnings.filterwarnings("always", category=RelcoordWarning)
        warnings.showwarning = show
        yield


def _flag(name: str, other: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if not value:
            return
        console = console_of(ctx)
        if getattr(console, other):
            raise click.UsageError("--quiet and --verbose exclude each other", ctx)
        setattr(console, name, True)

    return callback


def verbosity_options(command: F) -> F:
    """Add ``-q/--quiet`` and ``-v/--verbose`` to a command or group (one flag, wherever
    it is given)."""
    command = click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=_flag("verbose", "quiet"),
        help="Print how long each step took (reading, analysing, writing).",
    )(command)
    return click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=_flag("quiet", "verbose"),
        help="Print no progress, no import notes and no summary line; only results, "
             "warnings and errors.",
    )(command)
