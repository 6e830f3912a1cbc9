"""The ``relcoord`` command line (click).

Commands are small: they parse options, call the library and print.  Errors that come from
bad input (:class:`~relcoord.errors.RelcoordError`) are printed as located one-line messages
on stderr with exit status 1, never as a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import click

from relcoord import __version__
from relcoord.errors import InvalidInputError, InvalidStudyError, RelcoordError

__all__ = ["cli", "main", "reports_errors"]

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
    """Decorate a command so that a :class:`RelcoordError` prints and exits with status 1."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except RelcoordError as error:
            echo_error(error)
            raise SystemExit(1) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="relcoord")
def cli() -> None:
    """Relational Coordination analysis: validate, analyse and export RC studies."""


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def validate(file: str) -> None:
    """Check FILE against the study format: exit 0 if valid, 1 listing every problem."""
    from relcoord.io import load

    try:
        if file == "-":
            with click.open_file("-", "rb") as stdin:
                study = load(stdin)
        else:
            study = load(file)
    except RelcoordError as error:
        echo_error(error)
        raise SystemExit(1) from None
    click.echo(
        f"{file}: valid study {study.metadata.id!r} ({len(study.roles)} roles, "
        f"{len(study.respondents)} respondents, {len(study.ties)} ties, "
        f"{len(study.ratings)} ratings, {len(study.invitations)} invitations)"
    )


def main(argv: Sequence[str] | None = None) -> Any:
    """Entry point of the ``relcoord`` script."""
    return cli.main(args=list(argv) if argv is not None else sys.argv[1:], prog_name="relcoord")
