"""Which study a command reads: FILE with ``--from`` and ``-I``, the same for every command.

[`study_input_options`][relcoord.cli_input.study_input_options] adds ``--from ID`` and
``-I/--read-option KEY=VALUE`` to a click command, and [`read_input`][relcoord.cli_input.read_input]
reads the file with them through the plugin host
([`read`][relcoord.plugins.manager.PluginHost.read]): the format named by ``--from``, else the one
the file's name and content fit (a ``.csv`` file whose header holds item columns is read as
``csv-wide``).  ``validate``, ``analyze``, ``export`` and ``convert`` use them, and so can a
plugin's command that reads a study, so that every command reads every importer's input with the
same detection and the same options.  ``-`` reads standard input (the canonical JSON, unless
``--from`` names another format).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import click

from relcoord.errors import InvalidInputError, InvalidStudyError, Problem, RelcoordError

if TYPE_CHECKING:  # imported where they are used, so that a command's --help is quick
    from relcoord.formats.format_type import Format
    from relcoord.model import Study
    from relcoord.plugins.registry import UnknownFormatError

__all__ = ["STDIN_NAME", "parse_key_values", "read_input", "study_input_options"]

F = TypeVar("F", bound=Callable[..., Any])
#: How standard input is named in messages.
STDIN_NAME: Final = "<stdin>"


def parse_key_values(values: Sequence[str], flag: str) -> dict[str, str]:
    """``KEY=VALUE`` strings from a repeated option as a mapping (values stay strings)."""
    options: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInputError(flag, f"expected KEY=VALUE, got {value!r}")
        if key in options:
            raise InvalidInputError(flag, f"option {key!r} given twice")
        options[key] = text
    return options


def study_input_options(command: F) -> F:
    """Add ``--from ID`` and ``-I KEY=VALUE`` (keyword names ``from_id``, ``read_options``)."""
    command = click.option(
        "-I", "--read-option", "read_options", multiple=True, metavar="KEY=VALUE",
        help="An option for the importer (repeatable), e.g. -I values=scores or "
             "-I roles=roles.csv; 'relcoord plugins --options' lists every format's.")(command)
    return click.option(
        "--from", "from_id", metavar="ID",
        help="Importer id (default: by the file's name, and for .csv by its header).")(command)


def hint_failures(error: UnknownFormatError) -> UnknownFormatError:
    """``error``, with a pointer to ``relcoord plugins`` when some plugin failed to load."""
    from relcoord.plugins.manager import get_host
    from relcoord.plugins.registry import UnknownFormatError

    failures = get_host().failures()
    if not failures:
        return error
    return UnknownFormatError(
        f"{error} ({len(failures)} plugin problem(s); run 'relcoord plugins' to see them)")


def _renamed(error: RelcoordError, temporary: str) -> RelcoordError:
    """``error`` with the temporary file that held standard input named ``<stdin>``."""
    if isinstance(error, InvalidInputError):
        return InvalidInputError(error.location.replace(temporary, STDIN_NAME),
                                 error.message.replace(temporary, STDIN_NAME))
    if isinstance(error, InvalidStudyError):
        return InvalidStudyError(Problem(p.path.replace(temporary, STDIN_NAME),
                                         p.message.replace(temporary, STDIN_NAME))
                                 for p in error.problems)
    return error


def read_input(file: str | Path, from_id: str | None, read_options: Sequence[str]
               ) -> tuple[Study, Format]:
    """Read the study in ``file`` (``-``: standard input) with ``--from`` and ``-I`` values;
    return it and the format that read it."""
    from relcoord.plugins.manager import get_host
    from relcoord.plugins.registry import UnknownFormatError

    host = get_host()
    options = parse_key_values(read_options, "--read-option")
    if str(file) != "-":
        try:
            chosen = host.reader_for(file, from_id, options)
        except UnknownFormatError as error:
            raise hint_failures(error) from None
        return host.read(file, format=chosen.id, options=options), chosen
    chosen = host.find_format(id=from_id or "json", kind="read")
    with tempfile.TemporaryDirectory(prefix="relcoord-stdin-") as folder:
        temporary = Path(folder) / ("stdin" + (chosen.extensions[:1] or ("",))[0])
        with click.open_file("-", "rb") as stdin:
            temporary.write_bytes(stdin.read())
        try:
            return host.read(temporary, format=chosen.id, options=options), chosen
        except RelcoordError as error:
            raise _renamed(error, str(temporary)) from None
