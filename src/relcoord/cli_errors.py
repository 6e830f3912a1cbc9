"""How the command line reports a [`RelcoordError`][relcoord.errors.RelcoordError]: located lines on
stderr and exit status 1, never a traceback.

Shared by the built-in commands ([`relcoord.cli`][relcoord.cli]), the plugin commands
([`relcoord.cli_commands`][relcoord.cli_commands]), the command group
([`relcoord.cli_group`][relcoord.cli_group]) and by plugins that add commands of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click

from relcoord.errors import InvalidInputError, InvalidStudyError, RelcoordError

__all__ = ["echo_error", "reports_errors"]

P = ParamSpec("P")
R = TypeVar("R")


def echo_error(error: RelcoordError) -> None:
    """Print ``error`` to stderr, one located line per problem."""
    if isinstance(error, InvalidStudyError):
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
    elif isinstance(error, InvalidInputError):
        click.echo(f"error: {error.location}: {error.message}", err=True)
    else:
        click.echo(f"error: {error}", err=True)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so that a [`RelcoordError`][relcoord.errors.RelcoordError] prints and
    exits with status 1.

    A file-system failure that reached no relcoord error (an `OSError`) is printed
    the same way, as one line, rather than as a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except RelcoordError as error:
            echo_error(error)
            raise SystemExit(1) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            raise SystemExit(1) from None

    return wrapper
